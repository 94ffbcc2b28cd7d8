#!/usr/bin/python3
"""quote_check.py MODEL DUMP LEFT RIGHT INDENT PITCH: checks the block
quotes (depth 1) of a rendered issue from its --dump-model and --dump:
every line of a quote's paragraph after the first starts LEFT pt right of
the body's left edge, its first line INDENT pt further; every line but a
paragraph's last ends RIGHT pt left of the body's right edge (the quote
is justified); consecutive lines are PITCH pt apart (its size times its
line height).  The body's edges are those of the issue's plain
paragraphs (their lines after the first, and before the last).  Prints each problem and the counts; exits 1 on any, and when
it found no quote."""
import re
import sys

model, dump = sys.argv[1:3]
left, right, indent, pitch = map(float, sys.argv[3:7])
EPS = 0.01

quoted, plain = set(), set()
stack = []
for raw in open(model, encoding="utf-8"):
    depth = (len(raw) - len(raw.lstrip(" "))) // 2
    word = raw.split()[0] if raw.strip() else ""
    while stack and stack[-1][0] >= depth:
        stack.pop()
    kinds = [s[1] for s in stack]
    m = re.match(r"para#(\d+)", word)
    if m:
        n = int(m.group(1))
        if kinds.count("quote") == 1 and kinds[-1] == "quote":
            quoted.add(n)
        elif "quote" not in kinds and "item" not in kinds:
            plain.add(n)
    stack.append((depth, word.split("#")[0]))

LINE = re.compile(r'\s+line (\S+) (\S+) (\S+) #(\d+):(\w+) s\d+(?: [^"]*)? "(.*)"$')
lines = {}
page = 0
for raw in open(dump, encoding="utf-8"):
    if raw.startswith("page "):
        page += 1
        continue
    m = LINE.match(raw.rstrip("\n"))
    if m:
        x, y, w = map(float, m.groups()[:3])
        lines.setdefault(int(m.group(4)), []).append((page, x, y, x + w, m.group(6)))

after_first = [ln for b in plain for ln in lines.get(b, [])[1:]]
before_last = [ln for b in plain for ln in lines.get(b, [])[:-1]]
problems = []
if not after_first or not before_last or not quoted:
    problems.append("no wrapped plain paragraph or no quote found")
else:
    body_left = min(ln[1] for ln in after_first)
    body_right = max(ln[3] for ln in before_last)
    nq = 0
    for b in sorted(quoted):
        ls = lines.get(b, [])
        for k, (pg, x, y, end, text) in enumerate(ls):
            nq += 1
            want = body_left + left + (indent if k == 0 else 0)
            if abs(x - want) > EPS:
                problems.append(f"block {b} line {k + 1}: starts at {x:.2f}, not {want:.2f}: {text[:10]}")
            if k + 1 < len(ls) and abs(end - (body_right - right)) > EPS:
                problems.append(f"block {b} line {k + 1}: ends at {end:.2f}, not "
                                f"{body_right - right:.2f}: {text[-10:]}")
            if k + 1 < len(ls) and ls[k + 1][0] == pg and abs(ls[k + 1][2] - y - pitch) > EPS:
                problems.append(f"block {b} line {k + 1}: the next line is {ls[k + 1][2] - y:.2f}pt "
                                f"down, not {pitch:.2f}")
    print(f"body {body_left:.2f}-{body_right:.2f}, {len(quoted)} quoted paragraphs, {nq} lines")

for p in problems:
    print(p)
print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
