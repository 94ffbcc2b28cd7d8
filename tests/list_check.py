#!/usr/bin/python3
"""list_check.py MODEL DUMP [--bullet B] [--align left|center|right] [--gap PT]:
checks the lists of a rendered issue from its --dump-model (which block is
in which list) and its --dump (where each line is): in every list, each
item's text on its first line (the dump's text=), the lines after it and
the item's later paragraphs all start at one x (within 0.01 pt); a list
inside an item starts right of that item's text; an unordered list's
markers are the bullet B; ordered markers set flush right (or left, or
centred) in their box, the gap G between the box's marker column and the
text.  Prints each problem and the counts; exits 1 on any, and when it
found no list to check."""
import re
import sys

args = sys.argv[1:]
opts = {"--bullet": None, "--align": "right", "--gap": None}
files = []
while args:
    a = args.pop(0)
    if a in opts:
        opts[a] = args.pop(0)
    else:
        files.append(a)
model, dump = files
EPS = 0.01

# the model: each leaf block's nearest list, each list's parent list
lists, block_list, parent = {}, {}, {}
stack = []	# (depth, kind, list id)
for raw in open(model, encoding="utf-8"):
    depth = (len(raw) - len(raw.lstrip(" "))) // 2
    word = raw.split()[0] if raw.strip() else ""
    while stack and stack[-1][0] >= depth:
        stack.pop()
    enclosing = next((s[2] for s in reversed(stack) if s[1] == "list"), None)
    if word == "list":
        lid = len(lists)
        lists[lid] = {"ordered": " ordered" in raw, "line": raw.strip()}
        parent[lid] = enclosing
        stack.append((depth, "list", lid))
        continue
    m = re.match(r"para#(\d+)", word)
    if m and enclosing is not None and stack and stack[-1][1] == "item":
        block_list[int(m.group(1))] = enclosing
    stack.append((depth, word.split("#")[0], None))

LINE = re.compile(r'\s+line (\S+) (\S+) (\S+) #(\d+):(\w+) s\d+'
                  r'(?: marker=(\S+),(\S+))?(?: text=(\S+))? "(.*)"$')
edges, markers = {}, {}
for raw in open(dump, encoding="utf-8"):
    m = LINE.match(raw.rstrip("\n"))
    if not m or m.group(5) != "item":
        continue
    block = int(m.group(4))
    lid = block_list.get(block)
    if lid is None:
        continue
    x = float(m.group(1))
    if m.group(8):	# a first line: marker and text
        edges.setdefault(lid, []).append((float(m.group(8)), block, "first line"))
        markers.setdefault(lid, []).append((float(m.group(6)), float(m.group(7)),
                                            float(m.group(8)), m.group(9), block))
    else:
        edges.setdefault(lid, []).append((x, block, "next line"))

problems = []
edge_of = {}
for lid, es in edges.items():
    xs = [e[0] for e in es]
    edge_of[lid] = min(xs)
    if max(xs) - min(xs) > EPS:
        worst = max(es, key=lambda e: abs(e[0] - xs[0]))
        problems.append(f"list {lists[lid]['line']}: text edges from {min(xs):.2f} to {max(xs):.2f} "
                        f"(block {worst[1]}, {worst[2]} at {worst[0]:.2f})")
for lid, ms in markers.items():
    if not lists[lid]["ordered"] and opts["--bullet"] is not None:
        for m0, m1, t, text, block in ms:
            if not text.startswith(opts["--bullet"]):
                problems.append(f"block {block}: the marker is not the layout's bullet "
                                f"{opts['--bullet']}: {text[:8]}")
    if lists[lid]["ordered"] and len(ms) > 1:
        col = {"left": [m[0] for m in ms], "right": [m[1] for m in ms],
               "center": [(m[0] + m[1]) / 2 for m in ms]}[opts["--align"]]
        if max(col) - min(col) > EPS:
            problems.append(f"list {lists[lid]['line']}: markers not set {opts['--align']} "
                            f"({min(col):.2f} to {max(col):.2f})")
    if opts["--gap"] is not None:
        gap = min(t - m1 for m0, m1, t, text, block in ms)
        if abs(gap - float(opts["--gap"])) > EPS:
            problems.append(f"list {lists[lid]['line']}: the widest marker is {gap:.2f}pt "
                            f"from the text, not {float(opts['--gap']):.2f}")
for lid, up in parent.items():
    if up is not None and lid in edge_of and up in edge_of and edge_of[lid] <= edge_of[up] + EPS:
        problems.append(f"list {lists[lid]['line']}: its text ({edge_of[lid]:.2f}) is not right "
                        f"of its item's ({edge_of[up]:.2f})")
if not edges:
    problems.append("no list lines found")

for p in problems:
    print(p)
nlines = sum(len(v) for v in edges.values())
print(f"{len(edges)} lists, {nlines} item lines, {len(problems)} problems")
sys.exit(1 if problems else 0)
