#!/usr/bin/python3
"""typo_check.py DUMP: checks the typography of a rendered issue from its
--dump, as a proofreader would: no line starts with a closing mark or stop
and none ends with an opening mark (clreq), —— …… and digit strings never
split, justified lines flush to the measure (a paragraph set in from
the left, as a quote, to its own right edge), no widow or orphan (a
paragraph leaves at least 2 lines on each side of a page break), no
heading at the bottom of a page, no paragraph ending in one character;
clreq's strict line starts (—— and …… start no line but a paragraph's
first), a source label (--label TEXT, default 政策原文) never split, no
heading or TOC entry ending in a single title character (the label does
not count), URLs and e-mail addresses broken only after / or before
. - ? & = # @, a number kept with its unit (2022年) and a range
(2023—2025) on one line, a TOC section line never last on its page.
Prints each problem and the counts; exits 1 on any."""
import re
import sys

NO_START = set("、，。．：；？！‼⁇”’」』）》〉】〗〕］｝～·・‧／%‰℃,.;:?!)]}")
NO_END = set("“‘「『（《〈【〖〔［｛([{")
PUNCT = NO_START | NO_END | set("—…")

args = sys.argv[1:]
LABELS = []
while "--label" in args:
    i = args.index("--label")
    LABELS.append(args[i + 1])
    del args[i:i + 2]
LABELS = LABELS or ["政策原文"]
pages, cur, every = [], None, []
for raw in open(args[0], encoding="utf-8"):
    if raw.startswith("page "):
        cur = []
        pages.append(cur)
        continue
    m = re.match(r'\s+line (\S+) (\S+) (\S+) #(\d+):(\w+) s(\d+)(?: marker=\S+)?(?: text=\S+)? "(.*)"$',
                 raw.rstrip("\n"))
    if m and cur is not None:
        every.append({"page": len(pages), "block": int(m.group(4)), "role": m.group(5),
                      "se": int(m.group(6)), "text": m.group(7)})
    if m and cur is not None and int(m.group(4)) > 0:
        x, y, w = map(float, m.groups()[:3])
        cur.append({"x": x, "y": y, "end": x + w, "block": int(m.group(4)),
                    "role": m.group(5), "text": m.group(7)})

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

# the composer's rules on every text: body blocks by block, TOC entries
# by their element (their leaders and page numbers left out)
groups = {}
for ln in every:
    if ln["block"] > 0:
        groups.setdefault(("b", ln["block"]), []).append(ln)
    elif ln["role"] == "toc" and ln["se"] > 0:
        groups.setdefault(("t", ln["se"]), []).append(ln)
HAN = re.compile(r"[\u3400-\u9fff]")
URLISH = re.compile(r"://|^www\.|@[^@]*\.")
def narrow_tail(t):
    return re.search(r"[!-~]*$", t).group(0)
def narrow_head(t):
    return re.match(r"[!-~]*", t).group(0)
for key, lines in groups.items():
    role = lines[0]["role"]
    texts = [ln["text"] for ln in lines]
    where = f"p{lines[0]['page']}"
    for k in range(1, len(texts)):
        t = texts[k].lstrip()
        if t[:1] in ("—", "…"):
            problems.append(f"{where}: line starts with {t[:2]} (strict): {t[:12]}")
        a, b = texts[k - 1].rstrip(), t
        if a[-1:].isdigit() and HAN.match(b[:1] or " "):
            problems.append(f"{where}: number parted from its unit: {a[-8:]}|{b[:4]}")
        if re.search(r"\d[—–～~]+$", a) and b[:1].isdigit():
            problems.append(f"{where}: range split: {a[-8:]}|{b[:6]}")
        r1, r2 = narrow_tail(a), narrow_head(b)
        # (a line that ends a word or a URL, then one that starts a URL, is
        # a break at a space: Latin text)
        fresh = re.match(r"(https?:|www\.)", r2) or r1[-1:] in ",;)"
        if r1 and r2 and URLISH.search(r1 + r2) and not fresh \
                and not (r1.endswith("/") and not r2.startswith("/")) \
                and not (r2[0] in ".-?&=#@" and r1[-1] not in ".-?&=#@"):
            problems.append(f"{where}: URL broken inside a word: {r1[-12:]}|{r2[:12]}")
    if role.startswith("h") or key[0] == "t":
        joined = "".join(texts)
        for label in LABELS:
            if label in joined and not any(label in t for t in texts):
                problems.append(f"{where}: label {label} split: {' | '.join(texts)[-30:]}")
        if len(texts) > 1:
            last = texts[-1]
            for label in LABELS:
                last = last.replace(label, "")
            n = len([c for c in last if c not in PUNCT and not c.isspace()])
            if n < 2:
                problems.append(f"{where}: title ends in {n} character(s) on its last line: {texts[-1]}")
# a TOC section line (一、…) last on its page while the TOC goes on
toc_pages = sorted({ln["page"] for ln in every if ln["role"] == "toc" and ln["se"] > 0})
for pno in toc_pages:
    if pno + 1 not in toc_pages:
        continue
    entries = [ln for ln in every if ln["page"] == pno and ln["role"] == "toc" and ln["se"] > 0]
    first_of_last = next(ln for ln in entries if ln["se"] == entries[-1]["se"])
    if re.match(r"[一二三四五六七八九十]+、", first_of_last["text"]):
        problems.append(f"p{pno}: TOC section line last on its page: {first_of_last['text'][:16]}")

for p in problems:
    print(p)
print(f"{checked} body lines, {len(blocks)} blocks, {len(problems)} problems")
sys.exit(1 if problems else 0)
