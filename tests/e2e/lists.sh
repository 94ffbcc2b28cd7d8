# Lists and block quotes set as books set them (issue 15, items 7 and 9),
# read back from --dump and --dump-model of tests/data/lists.md (an
# ordered list of 12 items, so that "9." and "10." differ, wrapped bullet
# items, an item of two paragraphs, lists nested three deep, a quote of
# three paragraphs, a paragraph and the cover blurb opening with 《) in
# both layouts and in a variant that changes every key: each list's text
# on one edge, first lines and the lines after them alike; the layout's
# bullet, marker alignment and gap; quotes in from both sides by the
# layout's amounts, in its size and face; the TOC title's letter spacing;
# an opening mark at a paragraph's start treated alike in the body and
# on the cover.  Each check is also shown to fail on a wrong input.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/tests/data/lists.md
LC="python3 $ROOT/tests/list_check.py"
QC="python3 $ROOT/tests/quote_check.py"

render() {	# render NAME LAYOUT: T/NAME.pdf, .dump, .model
	"$BULLETIN" render "$ISSUE" --layout "$2" -o "$T/$1.pdf" --dump "$T/$1.dump" \
		--dump-model "$T/$1.model"
}
# near A B: two numbers within 0.05; an empty or non-numeric one fails
near() { awk -v a="$1" -v b="$2" 'BEGIN { n = "^-?[0-9]+([.][0-9]+)?$"; if (a !~ n || b !~ n) exit 1
	d = a - b; exit !(d < 0.05 && d > -0.05) }'; }
both_near() { near "$1" "$3" && near "$2" "$3"; }
check "near: an empty measurement does not pass" not near '' 0

# a variant with every key changed: a square bullet, markers flush left
# 1 em from the text, quotes 3 em in on the left and 1 em on the right at
# 9pt in the sans, the TOC title 0.5 em apart, opening marks untrimmed
cat > "$T/variant.yaml" <<EOF
extends: $ROOT/layouts/epoint.yaml
typography:
  punctuation: full
  pair_width: 1.5em
  trim_line_start: false
  han_latin_space: 0.25em
  min_last_chars: 2
styles:
  item: {bullet: ■, bullet_size: 0.6, marker_align: left, marker_gap: 1em}
  quote: {font: sans, size: 9, line_height: 2, margin_left: 3em, margin_right: 1em, indent: 0}
toc:
  title_letter_spacing: 0.5em
EOF
render epoint epoint
render print print
render variant "$T/variant.yaml"

# ---- lists (item 7): epoint's and print's items are 10.5pt and 10pt,
# their marker_gap 0.5em
check "epoint: every list's text on one edge, ● bullets, numbers flush right 0.5 em from it" \
	$LC "$T/epoint.model" "$T/epoint.dump" --bullet ● --align right --gap 5.25
check "print: the same at 10pt" \
	$LC "$T/print.model" "$T/print.dump" --bullet ● --align right --gap 5
check "variant: ■ bullets, markers flush left 1 em from the text" \
	$LC "$T/variant.model" "$T/variant.dump" --bullet ■ --align left --gap 10.5
check "variant: its bullet is not ●" not $LC "$T/variant.model" "$T/variant.dump" --bullet ●
check "variant: its markers are not flush right" not $LC "$T/variant.model" "$T/variant.dump" --align right
marker() {	# marker DUMP TEXT: the width of the marker on the line starting TEXT
	awk -v t="\"$2" 'index($0, t) { for (i = 1; i <= NF; i++) if ($i ~ /^marker=/) {
		split(substr($i, 8), m, ","); print m[2] - m[1]; exit } }' "$1"
}
w9=$(marker "$T/epoint.dump" "9. 第九项")
w10=$(marker "$T/epoint.dump" "10. 第十项")
check "9. ($w9 pt) and 10. ($w10 pt) differ: the box is as wide as the widest" \
	awk -v a="$w9" -v b="$w10" 'BEGIN { exit !(a > 0 && b > a + 3) }'
# a list whose lines stray: the check sees a line moved by 1pt, and one
# item's text moved with its marker
awk '/#11:item/ && !/marker=/ && !done { split($0, f, " "); sub(f[2], sprintf("%.2f", f[2] + 1)); done = 1 }
	{ print }' "$T/epoint.dump" > "$T/moved.dump"
check "a continuation line 1pt off the edge fails" not $LC "$T/epoint.model" "$T/moved.dump"
sed 's/\(#12:item s[0-9]* marker=[0-9.,]*\) text=\([0-9]*\)\./\1 text=1\2./' "$T/epoint.dump" > "$T/moved.dump"
check "an item's first line off the edge fails" not $LC "$T/epoint.model" "$T/moved.dump"

# ---- quotes (item 9): epoint's 10pt Kai 2 em in from both sides, first
# lines 2 em more, lines 10 x 1.8 apart; print's 9pt serif 2 em in, 9 x 1.75
check "epoint: quotes 20pt in from both sides, 10pt lines" \
	$QC "$T/epoint.model" "$T/epoint.dump" 20 20 20 18
check "print: quotes 18pt in from both sides, 9pt lines" \
	$QC "$T/print.model" "$T/print.dump" 18 18 18 15.75
check "variant: quotes 27pt in on the left, 9pt on the right, 9pt lines 2 apart" \
	$QC "$T/variant.model" "$T/variant.dump" 27 9 0 18
check "epoint's quotes are not print's" not $QC "$T/epoint.model" "$T/epoint.dump" 18 18 18 15.75
pdffonts "$T/epoint.pdf" > "$T/fonts.epoint"
pdffonts "$T/print.pdf" > "$T/fonts.print"
check "epoint: the quotes' Kai face is embedded" grep -q 'UKaiCN' "$T/fonts.epoint"
check "print: no Kai face (quotes in the serif)" not grep -q 'UKai' "$T/fonts.print"
"$BULLETIN" check "$ISSUE" > "$T/check" 2>&1
check "check: the Kai face may be embedded, the issue is clean" grep -q ': 0 errors, 0 warnings$' "$T/check"
pdftotext -raw -enc UTF-8 "$T/epoint.pdf" - | tr -d ' \n' > "$T/text"
check "epoint: the quotes' text copies out as written" grep -qF '第二段引文：形成“用数据决策、用数据服务、用数据创新”的现代化治理模式' "$T/text"

# ---- the TOC title: two Han characters of title_style's size (epoint 18,
# print 20) plus the layout's letter spacing (1 em; the variant 0.5 em)
title() { awk '/#0:gen/ && (/"目 录"$/ || /"目　录"$/ || /"目录"$/) { print $4; exit }' "$1"; }
check "epoint: the TOC title's characters 1 em apart ($(title "$T/epoint.dump") = 2 x 18 + 18)" \
	near "$(title "$T/epoint.dump")" 54
check "print: 1 em apart ($(title "$T/print.dump") = 2 x 20 + 20)" near "$(title "$T/print.dump")" 60
check "variant: 0.5 em apart ($(title "$T/variant.dump") = 2 x 18 + 9)" near "$(title "$T/variant.dump")" 45
printf 'extends: %s\ntoc:\n  title_letter_spacing: 0\n' "$ROOT/layouts/epoint.yaml" > "$T/nospace.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/nospace.yaml" --no-pdf --dump "$T/nospace.dump"
check "without the key: the blank's own 0.23 em ($(title "$T/nospace.dump"))" \
	awk -v w="$(title "$T/nospace.dump")" 'BEGIN { exit !(w > 39 && w < 41) }'

# ---- an opening mark at a paragraph's start: the body's and the cover
# blurb's 《 drawn alike, as typography.trim_line_start says: its blank
# trimmed (half an em into the indent: epoint 10.5pt, print 10pt), or
# kept (the variant: then, like any mark's blank, justification may still
# take some of it from a line that must shrink: the blurb's first line
# does, by 0.48pt)
start_mark() {	# start_mark NAME TEXT: where 《 is drawn, from its line's start
	x=$(awk -v t="\"$2" 'index($0, t) { print $2; exit }' "$T/$1.dump")
	pdftotext -bbox "$T/$1.pdf" - 2>/dev/null | python3 -c '
import re, sys
for l in sys.stdin:
    m = re.search(r"<word xMin=\"([0-9.]+)\".*>(.*)</word>", l)
    if m and m.group(2).startswith(sys.argv[1]):
        print("%.2f" % (float(m.group(1)) - float(sys.argv[2]))); break' "$2" "$x"
}
for case in epoint:-5.25 print:-5; do
	n=${case%%:*} want=${case#*:}
	body=$(start_mark "$n" "《数字政府动态》以书名号")
	cover=$(start_mark "$n" "《数字政府动态》由新点")
	check "$n: 《 at a paragraph's start, body ($body) and cover blurb ($cover) alike ($want)" \
		both_near "$body" "$cover" "$want"
done
body=$(start_mark variant "《数字政府动态》以书名号")
cover=$(start_mark variant "《数字政府动态》由新点")
check "variant: 《 keeps its blank in the body ($body)" near "$body" 0
check "variant: and on the cover ($cover: no more than justification's shrink)" \
	awk -v c="$cover" 'BEGIN { exit !(c != "" && c > -1 && c <= 0) }'
check "trimmed and untrimmed differ" not near "$(start_mark epoint "《数字政府动态》以书名号")" 0

# the typography checks see the items too
for n in epoint print; do
	check "$n: the typography rules hold" python3 "$ROOT/tests/typo_check.py" "$T/$n.dump"
done
finish
