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
page = index_page = 0
dump = open(sys.argv[1], encoding="utf-8").read().split("\n")
for line in dump:  # the index's first page: its entries are no contents'
    if line.startswith("page "):
        page = int(line.split()[1])
    if line.endswith('"索　引"'):
        index_page = page
        break
page = 0
for line in dump:
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
    if role == "toc" and index_page and page >= index_page:
        continue  # the index's lines: checked below
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
    last = issues[i + 1][1] if i + 1 < len(issues) else (index_page or len(labels) + 1)
    num = re.search(r"第(\d+)期", title).group(1)
    for p in range(first, last):
        if p in heads and f"第{num}期" not in heads[p]:
            print("page", p, "head", heads[p], "in issue", num); bad += 1
            break
print(f"{len(entries)} entries, {len(issues)} issues, {bad} problems")
sys.exit(1 if bad or len(entries) < 200 else 0)
PY
check "the volume's contents: every number is its entry's page; heads say their issue ($(tail -1 "$T/toc"))" test $? = 0
# the same read back from the PDF alone: each contents line's number is the
# label of the page its link goes to
last=$(awk '/^page /{p = $2} /dest .* issue1$/ {print p - 1; exit}' "$T/v.dump")
python3 "$ROOT/tests/toc_pdf_check.py" "$T/v.pdf" 2 "$last" > "$T/tp" 2>&1
check "the contents read from the PDF: numbers = the linked pages' labels ($(tail -1 "$T/tp"))" \
	sh -c "test $? = 0 && test \$(sed -n 's/ numbers read.*//p' '$T/tp') -ge 400"
# the folios printed at the foot of each page are its PDF page labels
pdftotext -bbox "$T/v.pdf" "$T/bbox.html" 2>/dev/null
qpdf --json=2 --json-key=pagelabels "$T/v.pdf" > "$T/pl.json"
check "every printed folio is its page's PDF label" python3 - "$T/bbox.html" "$T/pl.json" <<'PY'
import json, re, sys
runs = json.load(open(sys.argv[2]))["pagelabels"]
def label(idx):
    start, d = 0, {}
    for r in runs:
        if r["index"] <= idx:
            start, d = r["index"], r["label"]
    return str(d.get("/St", 1) + idx - start)
pages = open(sys.argv[1], encoding="utf-8").read().split("<page ")[1:]
seen = bad = 0
for i, pg in enumerate(pages):
    h = float(re.search(r'height="([\d.]+)"', pg).group(1))
    foot = [w for y, w in re.findall(r'yMin="([\d.]+)"[^>]*>(\d+)</word>', pg) if float(y) > h * 0.93]
    if foot:
        seen += 1
        bad += foot[-1] != label(i)
sys.exit(0 if seen > 250 and bad == 0 else 1)
PY
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
# the index: every page number it gives carries its region or document
python3 - "$T/v.dump" > "$T/ix" 2>&1 <<'PY'
import re, sys
pages, labels, cur = [], [], None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("page "):
        cur = []
        pages.append(cur)
        labels.append(line.split("label=")[1])
        continue
    m = re.match(r'\s+line \S+ \S+ \S+ #(\d+):(\w+) s(\d+)(?: \S+=\S+)* "(.*)"$', line)
    if m and cur is not None:
        cur.append((int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)))
first = next(i for i, p in enumerate(pages) if any(t == "索　引" for _, _, _, t in p))
headings = {}  # page label -> the text of its entry titles (h2), lines joined
for i, p in enumerate(pages[:first]):
    headings[labels[i]] = "".join(t for b, r, _, t in p if r == "h2")
part, group, checked, bad, regions = None, None, 0, 0, []
entry = ""
for p in pages[first:]:
    for b, role, se, text in p:
        if role == "gen" and text in ("地区索引", "文件索引"):
            part = text
        elif role == "gen" and part == "地区索引" and se > 0 and text != "索　引":
            group = text
            regions.append(text)
        elif role == "toc" and se > 0:
            entry += text
        elif role == "toc" and se == 0:
            nums = re.findall(r"(\d+)", text.replace(".", " "))
            for n in (nums[-1:] if part == "地区索引" else re.findall(r"\d+", re.sub(r"^[.]+", "", text))):
                checked += 1
                where = headings.get(n, "")
                if part == "地区索引":
                    ok = re.search(r"【[^】]*" + re.escape(group) + r"[^】]*】", where)
                else:
                    ok = entry.replace(" ", "") in where.replace(" ", "")
                if not ok:
                    bad += 1
                    print("page", n, "lacks", group if part == "地区索引" else entry)
            entry = ""
print(f"{checked} page numbers, {len(regions)} regions, {bad} wrong; order {regions[:6]}")
pos = {r: i for i, r in enumerate(regions)}
pinyin = all(pos[a] < pos[b] for a, b in (("北京", "广东"), ("广东", "江苏"), ("江苏", "浙江")) if a in pos and b in pos)
sys.exit(0 if checked > 200 and not bad and len(regions) > 5 and pinyin else 1)
PY
check "the index: every number is a page carrying its region or document, regions in pinyin order ($(tail -1 "$T/ix"))" test $? = 0
printf 'extends: epoint\nindex:\n  order: stroke\n' > "$T/stroke.yaml"
"$BULLETIN" volume "$@" --layout "$T/stroke.yaml" -o "$T/s.pdf" --dump "$T/s.dump" > /dev/null 2>&1
check "index.order: stroke puts 广东 (3 strokes) before 北京 (5)" python3 -c "
import sys
t = open(sys.argv[1], encoding='utf-8').read()
i = t.index('地区索引')
sys.exit(0 if 0 <= t.index('\"广东\"', i) < t.index('\"北京\"', i) else 1)" "$T/s.dump"

# an issue's own index, when the layout asks
printf 'extends: epoint\nindex:\n  issue: true\n' > "$T/ix1.yaml"
"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" --layout "$T/ix1.yaml" -o "$T/i1.pdf" --dump "$T/i1.dump" 2>/dev/null
check "index.issue: true ends a single issue with its index" python3 -c "
import sys
pages = open(sys.argv[1], encoding='utf-8').read().split('\npage ')
last = [p for p in pages if '\"索　引\"' in p]
sys.exit(0 if last and '\"北京\"' in last[0] and '\"文件索引\"' in ''.join(pages[pages.index(last[0]):]) else 1)" "$T/i1.dump"
"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" --no-pdf --dump "$T/ref.dump" 2>/dev/null
check "... and without it, none" sh -c "grep -q '^page ' '$T/ref.dump' && ! grep -q '索　引' '$T/ref.dump'"

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
# what opens each issue: its cover, a title page, or nothing
for start in title_page none; do
	printf 'extends: epoint\nvolume:\n  issue_start: %s\n' $start > "$T/$start.yaml"
	"$BULLETIN" volume "$@" --layout "$T/$start.yaml" -o "$T/$start.pdf" --dump "$T/$start.dump" > /dev/null 2>&1
done
check "issue_start: cover, title_page, none: 13, 1, 1 covers; title pages only with title_page" \
	sh -c "test \$(grep -c 'DIGITAL GOVERNMENT DYNAMICS' '$T/v.dump') = 13 && test \$(grep -c 'DIGITAL GOVERNMENT DYNAMICS' '$T/title_page.dump') = 1 && test \$(grep -c 'DIGITAL GOVERNMENT DYNAMICS' '$T/none.dump') = 1 && test \$(grep -c '\"2010年第[0-9]*期\"' '$T/title_page.dump') -ge 12 && test \$(wc -l < '$T/none.dump') -lt \$(wc -l < '$T/v.dump')"
# query agrees with the volume: the same issues, sections and entries, in order
"$BULLETIN" query "$@" > "$T/q.json" 2>/dev/null
check "query of the issues agrees with the volume's outline" python3 - "$T/q.json" "$T/ol.json" <<'PY'
import json, re, sys
q = json.load(open(sys.argv[1]))
ol = json.load(open(sys.argv[2]))["outlines"]
norm = lambda s: re.sub(r"\s+", "", s or "")
mine = [[(norm((s["number"] or "") + s["title"]), [norm(e["number"] + e["title"]) for e in s["entries"]])
         for s in i["sections"]] for i in q["issues"]]
theirs = [[(norm(s["title"]), [norm(e["title"]) for e in s["kids"]]) for s in i["kids"]] for i in ol]
sys.exit(0 if len(mine) == 12 and mine == theirs else 1)
PY

# the print options of a single issue: PDF/X-4 with its bleed, marks, padding
"$BULLETIN" volume "$@" --bleed 3mm --pdf-standard x-4 -o "$T/x4.pdf" --dump "$T/x4.dump" > /dev/null 2>&1
check "the volume as PDF/X-4 with a bleed: conforms" python3 "$ROOT/tests/pdfcheck.py" "$T/x4.pdf" --standard x-4 --quiet
check "... crop marks on every page, padded to a multiple of 4" \
	sh -c "n=\$(sed -n 's/^doc .* pages=//p' '$T/x4.dump'); test \$((n % 4)) = 0 && test \$(grep -c '^  crop' '$T/x4.dump') = \$((n * 8))"

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
