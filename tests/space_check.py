#!/usr/bin/python3
"""space_check.py LINES [--min EM] [--max EM] [--max-run N] [--hyphens]
[--allow-none]: checks the Latin (English) paragraphs of a rendered issue
from its --dump-lines, whose lines in Latin paragraphs carry
spaces=N:MIN-MAX (their word spaces, em): every justified line (flush to
the measure, not a paragraph's last) has its word spaces within [MIN, MAX]
(default 0.25-0.5 em, the layout's defaults), at most N hyphenated lines
in a row (2), none just before a paragraph's last line; --hyphens: at
least one line is hyphenated.  A line is hyphenated when its text ends in
a letter and "-".  Prints the problems, the range measured and the counts;
exits 1 on any problem, and when no justified Latin line was measured
(unless --allow-none: an issue with no English paragraphs)."""
import re
import sys

args = sys.argv[1:]
opt = {"--min": 0.25, "--max": 0.5, "--max-run": 2}
flags = set()
path = None
while args:
    a = args.pop(0)
    if a in opt:
        opt[a] = float(args.pop(0))
    elif a in ("--hyphens", "--allow-none"):
        flags.add(a)
    else:
        path = a
if not path:
    sys.exit(__doc__)

LINE = re.compile(r'  line (\S+) (\S+) \S+ \S+ \S+((?: [a-z]+=\S+)*) "(.*)"$')
SPACES = re.compile(r' spaces=(\d+):(\S+)-(\S+)')
LETTERS = re.compile(r' letters=(\S+)')
blocks, cur = [], None
for raw in open(path, encoding="utf-8"):
    raw = raw.rstrip("\n")
    if raw.startswith("block "):
        w = re.search(r" width=(\S+)", raw)
        cur = {"head": raw[:40], "width": float(w.group(1)), "lines": []}
        blocks.append(cur)
        continue
    if raw.startswith("  line ") and cur is not None:
        m = LINE.match(raw)
        if not m:
            sys.exit(f"space_check: cannot read: {raw}")
        x, w = float(m.group(1)), float(m.group(2))
        sp, lt = SPACES.search(m.group(3)), LETTERS.search(m.group(3))
        cur["lines"].append({"end": x + w, "spaces": sp is not None,
                             "lo": float(sp.group(2)) if sp else 0,
                             "hi": float(sp.group(3)) if sp else 0,
                             "letters": float(lt.group(1)) if lt else 0, "text": m.group(4)})


def hyphenated(t):
    return len(t) >= 2 and t.endswith("-") and t[-2].isalpha()


problems = []
lo = hi = None
measured = hyph = paras = lettered = 0
eps = 0.0015  # the dump's widths are in 1/1000 em
for b in blocks:
    ls = b["lines"]
    if not any(ln["spaces"] for ln in ls):
        continue
    paras += 1
    run = 0
    for i, ln in enumerate(ls):
        t = ln["text"]
        last = i == len(ls) - 1
        if hyphenated(t):
            hyph += 1
            run += 1
            if run > opt["--max-run"]:
                problems.append(f"{b['head']}: {run} hyphenated lines in a row: ...{t[-30:]}")
            if i == len(ls) - 2:
                problems.append(f"{b['head']}: the line before the last is hyphenated: ...{t[-30:]}")
            if last:
                problems.append(f"{b['head']}: the last line is hyphenated: ...{t[-30:]}")
        else:
            run = 0
        justified = not last and abs(ln["end"] - b["width"]) < 0.05 and not t.endswith("\\n")
        if not justified or not ln["spaces"]:
            continue
        measured += 1
        lettered += ln["letters"] != 0
        lo = ln["lo"] if lo is None else min(lo, ln["lo"])
        hi = ln["hi"] if hi is None else max(hi, ln["hi"])
        if ln["lo"] < opt["--min"] - eps or ln["hi"] > opt["--max"] + eps:
            problems.append(f"{b['head']}: word spaces {ln['lo']:.3f}-{ln['hi']:.3f} em "
                            f"outside {opt['--min']}-{opt['--max']}: {t[:40]}...")
if "--hyphens" in flags and hyph == 0:
    problems.append("no line is hyphenated")
if measured == 0 and "--allow-none" not in flags:
    problems.append("no justified line of a Latin paragraph was measured")
for p in problems:
    print(p)
rng = f"{lo:.3f}-{hi:.3f} em" if measured else "none"
print(f"{paras} Latin paragraphs, {measured} justified lines, word spaces {rng}, "
      f"{lettered} letter-spaced, {hyph} hyphenated lines, {len(problems)} problems")
sys.exit(1 if problems else 0)
