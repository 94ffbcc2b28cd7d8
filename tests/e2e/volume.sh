# bulletin volume: twelve issues, given out of order, bound into one PDF in
# date order: the volume's cover and contents (every number the page its
# entry is on), an outline nested issue > section > entry, each issue's own
# cover and running heads, page labels matching the folios; per-issue
# folios by the layout; a failing issue or two of one month write nothing.
. "$(dirname "$0")/lib.sh"
python3 "$ROOT/bench/gen_issues.py" "$T/gen" 12 5 > /dev/null
set -- $(ls "$T"/gen/*/issue.md | sort -r)
"$BULLETIN" volume "$@" -o "$T/v.pdf" --dump "$T/v.dump" > "$T/out" 2> "$T/err"
check "twelve issues bind ($(cat "$T/out"))" sh -c "test $? = 0 && grep -q '12 issues' '$T/out'"
check "qpdf --check" sh -c "qpdf --check '$T/v.pdf' > /dev/null"
check "still tagged" python3 "$ROOT/tests/pdfcheck.py" "$T/v.pdf" --quiet
python3 - "$T/v.dump" > "$T/toc" 2>&1 <<'PY'
import re, sys
labels, marks, entries, cur = [], [], [], None
heads = {}  # page -> running head text
page = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("page "):
        page = int(line.split()[1])
        labels.append(line.split("label=")[1])
        continue
    m = re.match(r'mark (\d+) (\d+) "(.*)" (\S+)$', line)
    if m:
        marks.append((int(m.group(1)), int(m.group(2)), m.group(3)))
        continue
    m = re.match(r'\s+line \S+ (\S+) \S+ #0:(toc|gen) s(\d+)(?: \S+=\S+)* "(.*)"$', line)
    if not m:
        continue
    y, role, se, text = float(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
    if role == "toc" and se > 0:
        if cur and cur[0] == se:
            cur[1] += text
        else:
            cur = [se, text]
            entries.append(cur)
    elif role == "toc" and se == 0 and cur:
        cur.append(re.search(r"(\d+)$", text).group(1))  # the leader's page number
    elif role == "gen" and y < 60:
        heads[page] = text
norm = lambda s: re.sub(r"\s+", "", s)
# each TOC entry against the outline, in order
k, bad = 0, 0
for e in entries:
    key = norm(e[1])[:10]
    while k < len(marks) and not norm(marks[k][2]).startswith(key[:6]):
        k += 1
    if k == len(marks):
        print("not in the outline:", e[1][:20]); bad += 1; break
    if len(e) < 3 or labels[marks[k][1] - 1] != e[2]:
        print("TOC number", e[2:] , "for", e[1][:20], "on page labelled", labels[marks[k][1] - 1]); bad += 1
    k += 1
issues = [m for m in marks if m[0] == 1]
assert len(issues) == 12, len(issues)
assert [m[2][:8] for m in issues] == sorted(m[2][:8] for m in issues), "date order"
# each issue's pages carry its own running head
for i, (lvl, first, title) in enumerate(issues):
    last = issues[i + 1][1] if i + 1 < len(issues) else len(labels) + 1
    num = re.search(r"第(\d+)期", title).group(1)
    for p in range(first, last):
        if p in heads and f"第{num}期" not in heads[p]:
            print("page", p, "head", heads[p], "in issue", num); bad += 1
            break
print(f"{len(entries)} entries, {len(issues)} issues, {bad} problems")
sys.exit(1 if bad or len(entries) < 200 else 0)
PY
check "the volume's contents: every number is its entry's page; heads say their issue ($(tail -1 "$T/toc"))" test $? = 0
qpdf --json=2 --json-key=outlines "$T/v.pdf" > "$T/ol.json"
check "the outline: 12 issues, each holding sections holding entries" python3 -c "
import json, sys
ol = json.load(open(sys.argv[1]))['outlines']
ok = len(ol) == 12 and all(i['kids'] and any(s['kids'] for s in i['kids']) for i in ol)
sys.exit(0 if ok else 1)" "$T/ol.json"
check "page labels: one continuous run (the layout's choice)" sh -c "grep -c '^page ' '$T/v.dump' | grep -q . && grep '^page ' '$T/v.dump' | awk '{split(\$3, l, \"=\"); if (l[2] != \$2) bad++} END {exit bad > 0}'"
python3 "$ROOT/tests/nav_check.py" "$T/v.pdf" "$T/v.dump" > "$T/nav" 2>&1
check "the PDF's own page labels and links ($(tail -1 "$T/nav"))" sh -c "grep -q 'outline [0-9]*,' '$T/nav' && ! grep -q 'pagelabel\|link:' '$T/nav'"
check "the volume's cover: its own texts" sh -c "pdftotext -f 1 -l 1 '$T/v.pdf' - | tr -d ' ' | grep -q '2010年合订本' && pdftotext -f 1 -l 1 '$T/v.pdf' - | grep -q '共12期'"
check "the contents' running head names the volume" sh -c "awk '/^page 2 /{p=1} /^page 3 /{exit} p' '$T/v.dump' | grep -q '2010年合订本'"
# per-issue folios
printf 'extends: epoint\nvolume:\n  folios: per_issue\n' > "$T/per.yaml"
cp "$T/per.yaml" "$T/gen/per.yaml"
"$BULLETIN" volume "$@" --layout "$T/per.yaml" -o "$T/p.pdf" --dump "$T/p.dump" > /dev/null 2>&1
check "folios: per_issue numbers each issue from 1, at its cover" python3 - "$T/p.dump" <<'PY'
import re, sys
labels, firsts = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        labels.append(line.split("label=")[1].strip())
    m = re.search(r"dest \S+ \S+ issue(\d+)$", line.rstrip())
    if m:
        firsts.append(len(labels))
sys.exit(0 if len(firsts) == 12 and all(labels[p - 1] == "1" for p in firsts) and labels[firsts[1] - 2] != "1" else 1)
PY
# errors: nothing written
cp "$1" "$T/dup.md"
"$BULLETIN" volume "$@" "$T/dup.md" -o "$T/x.pdf" > /dev/null 2> "$T/err"
check "two issues of one month: exit 1, both named, nothing written" \
	sh -c "test $? = 1 && grep -q 'two issues of 2010-12' '$T/err' && test ! -e '$T/x.pdf'"
printf -- '---\nyear: 2011\nmonth: 1\nnumber: 13\n---\n\n# 栏目\n\n![](missing.png)\n' > "$T/bad.md"
"$BULLETIN" volume "$@" "$T/bad.md" -o "$T/x.pdf" > /dev/null 2> "$T/err"
check "a failing issue stops the volume at its place" sh -c "test $? = 1 && grep -q 'bad.md:9:' '$T/err' && test ! -e '$T/x.pdf'"
"$BULLETIN" volume "$@" > /dev/null 2>&1
check "no -o: a usage error" test $? = 2
"$BULLETIN" volume "$@" -o "$T/v2.pdf" > /dev/null 2>&1
check "byte-identical runs" cmp -s "$T/v.pdf" "$T/v2.pdf"
finish
