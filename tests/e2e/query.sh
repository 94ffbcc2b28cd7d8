# bulletin query: the structure as JSON, valid against docs/query.schema.json,
# agreeing with the rendered document (pages, labels, outline), in date
# order, and nothing printed when an issue fails.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
SCHEMA=$ROOT/docs/query.schema.json

"$BULLETIN" query "$ISSUE" --pages > "$T/q.json" 2> "$T/err"
check "query --pages runs" test $? = 0
"$BULLETIN" render "$ISSUE" --no-pdf --dump "$T/ref.dump"
python3 - "$T/q.json" "$SCHEMA" "$T/ref.dump" > "$T/out" 2>&1 <<'PY'
import json, re, sys
q = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
try:
    import jsonschema
    jsonschema.validate(q, schema)
except ImportError:
    print("no jsonschema module"); sys.exit(1)
labels, marks = [], []
for line in open(sys.argv[3], encoding="utf-8"):
    if line.startswith("page "):
        labels.append(line.split("label=")[1].strip())
    m = re.match(r'mark (\d) (\d+) "(.*)" (\S+)$', line.rstrip("\n"))
    if m:
        marks.append((int(m.group(1)), int(m.group(2)), m.group(3)))
(issue,) = q["issues"]
assert issue["pages"] == len(labels), (issue["pages"], len(labels))
heads = []
for s in issue["sections"]:
    heads.append((1, s))
    heads += [(2, e) for e in s["entries"]]
outline = [(lvl, page, title) for lvl, page, title in marks if lvl <= 2]
assert len(heads) == len(outline) and len(heads) > 50, (len(heads), len(outline))
for (lvl, h), (mlvl, mpage, mtitle) in zip(heads, outline):
    assert lvl == mlvl and h["page"] == mpage, (h, mpage)
    assert mtitle == (h["number"] or "") + h["title"], (mtitle, h["title"])
    assert h["label"] == labels[h["page"] - 1]
entries = [e for s in issue["sections"] for e in s["entries"]]
assert sum(1 for e in entries if e["region"]) >= 20
assert entries[0]["source"] == {"label": "政策原文", "href": None}
assert all(e["chars"] > 50 for e in entries)
print("ok", len(heads), "headings")
PY
check "valid against the schema, each heading on its outline page with its label ($(tail -1 "$T/out"))" grep -q '^ok' "$T/out"
check "the reference's first entry" grep -q '"number": "1.1、", "title": "中共中央办公厅 国务院印发《关于规范村级组织工作事务、机制牌子和证明事项的意见》", "line": 14, "col": 4' "$T/q.json"
"$BULLETIN" query "$ISSUE" > "$T/np.json"
check "without --pages: no page keys" sh -c "! grep -q '\"page\"' '$T/np.json' && grep -q '\"chars\"' '$T/np.json'"
python3 "$ROOT/bench/gen_issues.py" "$T/gen" 3 7 > /dev/null
set -- $(ls -r "$T"/gen/*/issue.md)
"$BULLETIN" query "$@" > "$T/many.json"
check "several issues, given newest first, come in date order" python3 -c "
import json, sys
q = json.load(open(sys.argv[1]))
keys = [(i['year'], i['month']) for i in q['issues']]
sys.exit(0 if len(keys) == 3 and keys == sorted(keys) else 1)" "$T/many.json"
printf -- '---\nyear: 2023\nmonth: 13\nnumber: 1\n---\n\n# 栏目\n' > "$T/bad.md"
"$BULLETIN" query "$1" "$T/bad.md" > "$T/bad.json" 2> "$T/err"
check "a failing issue: exit 1" test $? = 1
check "a failing issue: nothing on stdout" test ! -s "$T/bad.json"
check "a failing issue: its place on stderr" grep -q 'bad.md:3:8: error: month must be 1-12' "$T/err"
finish
