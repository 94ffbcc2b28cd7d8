# Footnotes: [^label] marks and [^label]: definitions; each note at the
# foot of the page where its mark falls (or after its entry, as the layout
# says), numbered, linked both ways; a mark without a note is an error, a
# note without a mark a warning.  Read back from the dump and the PDF.
. "$(dirname "$0")/lib.sh"

# 36 marks at random places in 36 paragraphs over several pages
python3 - "$T/many.md" <<'PY'
import random, sys
random.seed(3)
body, n = [], 0
for e in range(6):
    body.append(f"## 条目{e + 1}\n")
    for k in range(6):
        n += 1
        text = "数字政府建设要坚持以人民为中心，推进政务服务标准化、规范化、便利化。" * random.randint(2, 6)
        cut = random.randint(5, len(text) - 5)
        body.append(text[:cut] + f"[^n{n}]" + text[cut:] + "\n")
notes = "\n".join(f"[^n{i}]: 第{i}条注释：" + "注释内容。" * random.randint(1, 12) for i in range(1, n + 1))
open(sys.argv[1], "w", encoding="utf-8").write(
    "---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏目\n\n" + "\n".join(body) + "\n" + notes + "\n")
PY
# where each mark and each note went: the destinations in the dump
where() {	# where DUMP: "N MARKPAGE NOTEPAGE" per note, and the last page's lines
	python3 - "$1" <<'PY'
import re, sys
page, mark, note, bottom = 0, {}, {}, {}
for l in open(sys.argv[1], encoding="utf-8"):
    if l.startswith("page "):
        page += 1
    m = re.match(r"\s+dest \S+ (\S+) fnref(\d+)$", l.rstrip())
    if m:
        mark[int(m.group(2))] = (page, float(m.group(1)))
    m = re.match(r"\s+dest \S+ (\S+) fn(\d+)$", l.rstrip())
    if m:
        note[int(m.group(2))] = (page, float(m.group(1)))
for k in sorted(mark):
    print(k, mark[k][0], note.get(k, (0, 0))[0], mark[k][1], note.get(k, (0, 0))[1])
PY
}
"$BULLETIN" render "$T/many.md" -o "$T/many.pdf" --dump "$T/many.dump" 2> "$T/err"
check "36 notes: renders, no warning" sh -c "test $? = 0 && test ! -s '$T/err'"
where "$T/many.dump" > "$T/where"
check "36 notes: each numbered and placed" test "$(wc -l < "$T/where")" = 36
check "every note at the foot of the page of its mark" awk '$2 != $3 {exit 1}' "$T/where"
check "notes below the text (their y past their mark's)" awk '$5 <= $4 {exit 1}' "$T/where"
grep -o ':note s[0-9]* "[0-9]* ' "$T/many.dump" | sed 's/.*"//' | tr -s ' \n' ' ' > "$T/numbers"
check "numbered 1 to 36 in order" grep -q '^ *1 2 3 4 5 .* 34 35 36 *$' "$T/numbers"
# a mark on a page's last lines: its note on that page all the same
awk '$2 != p {if (last) print last; p = $2} {last = $0} END {print last}' "$T/where" > "$T/lastmarks"
check "marks on a page's last lines keep their note on that page" awk '$2 != $3 {exit 1} END {exit NR < 2}' "$T/lastmarks"
qpdf --qdf --object-streams=disable "$T/many.pdf" "$T/many.qdf"
id=$(sed -n 17p "$T/where" | cut -d' ' -f1)
check "the mark links to its note" grep -a -q "/Dest (fn$id)" "$T/many.qdf"
check "the note links back to its mark" grep -a -q "/Dest (fnref$id)" "$T/many.qdf"
pdftotext -enc UTF-8 "$T/many.pdf" - | tr -d ' ' > "$T/text"
check "no [^ mark is printed" sh -c "! grep -q '\[\^' '$T/text'"

# a note too long for what is left goes on at the next page's foot
python3 -c "print('---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n\n' + '正文。' * 700 + '长注[^a]。\n\n[^a]: ' + '很长的注释文字。' * 400 + '\n')" > "$T/long.md"
"$BULLETIN" render "$T/long.md" -o "$T/long.pdf" --dump "$T/long.dump" 2> "$T/err"
check "a long note: renders" test $? = 0
check "a long note: on more than one page" test "$(awk '/^page /{p++} /:note /{print p}' "$T/long.dump" | sort -u | wc -l)" -ge 2
check "a long note: a continuation rule across the measure" grep -q 'rect 62.36 [0-9.]* 470.55 0.50' "$T/long.dump"

# errors and warnings with their places
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n\n正文[^x]与[^y]。\n\n[^y]: 有。\n\n[^z]: 没人用。\n' > "$T/bad.md"
"$BULLETIN" render "$T/bad.md" -o "$T/bad.pdf" 2> "$T/err"
check "a mark without a note: exit 1" test $? = 1
check "a mark without a note: an error at the mark" grep -q 'bad.md:11:3: error: footnote \[^x\] has no definition' "$T/err"
check "a note without a mark: a warning at the note" grep -q 'bad.md:15:1: warning: footnote \[^z\] is never referred to' "$T/err"
"$BULLETIN" check "$T/bad.md" > "$T/out" 2>&1
check "check reports the mark without a note" grep -q 'bad.md:11:3: error: footnote' "$T/out"

# endnotes, numbered by entry, when the layout says so
printf 'extends: epoint\nnotes:\n  place: entry\n  numbering: entry\n' > "$T/end.yaml"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: end.yaml\n---\n\n# 栏\n\n## 一\n\n甲[^a]乙[^b]。\n\n## 二\n\n丙[^c]。\n\n[^a]: 注甲。\n[^b]: 注乙。\n[^c]: 注丙。\n' > "$T/end.md"
"$BULLETIN" render "$T/end.md" -o "$T/end.pdf" --dump "$T/end.dump" 2> "$T/err"
check "endnotes: renders" test $? = 0
check "endnotes: each entry's notes after it, numbered from 1 in each" sh -c \
	"grep -o ':\(p\|note\|h2\) s[0-9]* \"[^\"]*\"' '$T/end.dump' | tr '\n' '|' | grep -q '一.*甲1乙2.*1 注甲.*2 注乙.*二.*丙1.*1 注丙'"
finish
