#!/usr/bin/python3
"""typo_check.py DUMP: checks the typography of a rendered issue from its
--dump, as a proofreader would: no line starts with a closing mark or stop
and none ends with an opening mark (clreq), —— …… and digit strings never
split, justified lines flush to the measure (a paragraph set in from
the left, as a quote, to its own right edge), no widow or orphan (a
paragraph leaves at least 2 lines on each side of a page break), no
heading at the bottom of a page, no paragraph ending in one character.
Prints each problem and the counts; exits 1 on any."""
import re
import sys

NO_START = set("、，。．：；？！‼⁇”’」』）》〉】〗〕］｝～·・‧／%‰℃,.;:?!)]}")
NO_END = set("“‘「『（《〈【〖〔［｛([{")
PUNCT = NO_START | NO_END | set("—…")

pages, cur = [], None
for raw in open(sys.argv[1], encoding="utf-8"):
    if raw.startswith("page "):
        cur = []
        pages.append(cur)
        continue
    m = re.match(r'\s+line (\S+) (\S+) (\S+) #(\d+):(\w+) s\d+(?: marker=\S+)?(?: text=\S+)? "(.*)"$',
                 raw.rstrip("\n"))
    if m and cur is not None and int(m.group(4)) > 0:
        x, y, w = map(float, m.groups()[:3])
        cur.append({"x": x, "y": y, "end": x + w, "block": int(m.group(4)),
                    "role": m.group(5), "text": m.group(6)})

problems = []
body = [ln for pg in pages for ln in pg if ln["role"] in ("p", "item")]
right = max((ln["end"] for ln in body), default=0)
left = min((ln["x"] for ln in body if ln["role"] == "p"), default=0)
# a paragraph set in from the left (a quote) may be narrower on the right
# too (margin_right): its justified lines end at its own edge, the same
# for all of them; others at the text block's
inset = {}
for pg in pages:
    for ln in pg:
        if ln["role"] == "p":
            inset[ln["block"]] = min(inset.get(ln["block"], ln["x"]), ln["x"])
edge = {}
for pg in pages:
    for k, ln in enumerate(pg):
        nxt = pg[k + 1] if k + 1 < len(pg) else None
        if ln["role"] == "p" and nxt and nxt["block"] == ln["block"]:
            edge[ln["block"]] = max(edge.get(ln["block"], 0), ln["end"])
for b in edge:
    if inset.get(b, left) <= left + 0.05:
        edge[b] = right
    elif edge[b] > right + 0.05:
        problems.append(f"block {b}: its lines end past the text block ({edge[b]:.2f} > {right:.2f})")
checked = 0
for pi, pg in enumerate(pages):
    for k, ln in enumerate(pg):
        t = ln["text"].strip()
        if ln["role"] not in ("p", "item") or not t:
            continue
        checked += 1
        if t[0] in NO_START:
            problems.append(f"p{pi + 1}: line starts with {t[0]}: {t[:16]}")
        if t[-1] in NO_END:
            problems.append(f"p{pi + 1}: line ends with {t[-1]}: {t[-16:]}")
        nxt = pg[k + 1] if k + 1 < len(pg) else None
        if nxt and nxt["block"] == ln["block"]:
            a, b = t[-1], nxt["text"].lstrip()[:1]
            if (a == b and a in "—…") or (a.isdigit() and b.isdigit()):
                problems.append(f"p{pi + 1}: {a}|{b} split: {t[-8:]}|{nxt['text'][:8]}")
            if ln["role"] == "p" and abs(ln["end"] - edge[ln["block"]]) > 0.05:
                problems.append(f"p{pi + 1}: not flush ({edge[ln['block']] - ln['end']:.2f}pt short): {t[-16:]}")

# paragraphs: lines per page, widows and orphans, 孤字
blocks = {}
for pi, pg in enumerate(pages):
    for ln in pg:
        blocks.setdefault(ln["block"], []).append((pi, ln))
for b, lines in blocks.items():
    if lines[0][1]["role"] != "p":
        continue
    parts = {}
    for pi, ln in lines:
        parts[pi] = parts.get(pi, 0) + 1
    if len(parts) > 1 and min(parts.values()) < 2:
        problems.append(f"block {b}: split {list(parts.values())} across pages (widow/orphan)")
    last = lines[-1][1]["text"]
    if len(lines) > 1 and len([c for c in last if c not in PUNCT and not c.isspace()]) < 2:
        problems.append(f"block {b}: ends in a lone character: {last}")
# headings stranded at a page bottom
for pi, pg in enumerate(pages[:-1]):
    if pg and pg[-1]["role"].startswith("h"):
        problems.append(f"p{pi + 1}: heading at the bottom: {pg[-1]['text'][:20]}")

for p in problems:
    print(p)
print(f"{checked} body lines, {len(blocks)} blocks, {len(problems)} problems")
sys.exit(1 if problems else 0)
