# The command line as GNU tools have it (getopt_long: --opt=value, -oX, --,
# --help on every command, bulletin help COMMAND, - for stdin and stdout),
# init, fonts (--font-path), layouts, and the batch's guards and counter.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
cd "$T" || exit 1

mkissue() {	# mkissue FILE YEAR MONTH TITLE
	printf -- '---\nyear: %d\nmonth: %d\nnumber: %d\n---\n\n# 栏目\n\n## %s\n\n正文一段，含 Latin 与 %d 年。\n' \
		"$2" "$3" "$3" "$4" "$2" > "$1"
}
mkissue "$T/one.md" 2023 1 一月

# ---- --help on every command, bulletin help COMMAND, the overview
for c in render watch check query diff volume init fonts layouts help; do
	"$BULLETIN" "$c" --help > "$T/h.$c" 2> "$T/h.err"
	rc=$?
	if [ $rc = 0 ] && head -1 "$T/h.$c" | grep -q "^usage: bulletin $c" && test ! -s "$T/h.err"; then ok
	else fail "$c --help: exit 0, its usage on stdout (exit $rc)"; fi
	"$BULLETIN" help "$c" > "$T/hh.$c"
	check "help $c = $c --help" cmp -s "$T/h.$c" "$T/hh.$c"
done
"$BULLETIN" render -h > "$T/h" 2>&1
check "-h is --help" cmp -s "$T/h" "$T/h.render"
"$BULLETIN" help > "$T/ov"
check "help: the overview names every command" sh -c "for c in render watch check query diff volume init fonts layouts; do grep -q \"^  \$c\" '$T/ov' || exit 1; done"
"$BULLETIN" help frobnicate 2> "$T/err"
check "help of no command: exit 2" test $? = 2
check "render --help describes --font-path" grep -q -- '--font-path DIR' "$T/h.render"

# ---- option syntax: --opt=value, --opt value, -oX, -o X, --
"$BULLETIN" render "$T/one.md" --layout=print --dump="$T/eq.dump" --no-pdf
check "--opt=value: exit 0" test $? = 0
"$BULLETIN" render "$T/one.md" --layout print --dump "$T/sp.dump" --no-pdf
check "--opt=value is --opt value" cmp -s "$T/eq.dump" "$T/sp.dump"
"$BULLETIN" render "$T/one.md" --dump "$T/ep.dump" --no-pdf
check "--layout=print took effect (not the default design)" not cmp -s "$T/eq.dump" "$T/ep.dump"
"$BULLETIN" render "$T/one.md" -o"$T/glued.pdf"
check "-oX" sh -c "head -c 5 '$T/glued.pdf' | grep -q '%PDF-'"
"$BULLETIN" render -o "$T/apart.pdf" "$T/one.md"
check "-o X before the input" cmp -s "$T/glued.pdf" "$T/apart.pdf"
"$BULLETIN" render --output="$T/long.pdf" "$T/one.md"
check "--output=X" cmp -s "$T/glued.pdf" "$T/long.pdf"
cp "$T/one.md" "$T/-dash.md"
"$BULLETIN" render -o "$T/dashed.pdf" -- -dash.md
check "--: what follows is a file, even -dash.md" cmp -s "$T/glued.pdf" "$T/dashed.pdf"
"$BULLETIN" render "$T/one.md" --count 3 2> "$T/err"
check "an option of another command: exit 2, naming the command" sh -c "test $? = 2 && grep -q 'render: --count is not an option of render' '$T/err'"
"$BULLETIN" check "$T/one.md" -o x.pdf 2> "$T/err"
check "check -o: exit 2" sh -c "test $? = 2 && grep -q -- '-o is not an option of check' '$T/err'"
"$BULLETIN" render "$T/one.md" --layout 2> "$T/err"
check "a value missing: exit 2" sh -c "test $? = 2 && grep -q -- '--layout needs a value' '$T/err'"
"$BULLETIN" render "$T/one.md" --lay0ut=x 2> "$T/err"
check "an unknown option: exit 2, named without its value" sh -c "test $? = 2 && grep -q 'unknown option --lay0ut$' '$T/err'"
"$BULLETIN" render "$T/one.md" --no-pdf=1 2> "$T/err"
check "a flag given a value: exit 2" sh -c "test $? = 2 && grep -q -- '--no-pdf takes no value' '$T/err'"
"$BULLETIN" render "$T/one.md" --out x 2> "$T/err"
check "an ambiguous abbreviation: exit 2, said" sh -c "test $? = 2 && grep -q 'ambiguous option --out$' '$T/err'"
"$BULLETIN" render "$T/one.md" --lay=print --dump "$T/ab.dump" --no-pdf
check "a unique abbreviation, as GNU has it" cmp -s "$T/ab.dump" "$T/eq.dump"
"$BULLETIN" query "$T/one.md" --pages | grep -q '"page": '
check "query --pages is a flag (render's --pages takes a list)" test $? = 0

# ---- - is standard input; -o - standard output, written only after success
mkdir -p "$T/sd"
"$BULLETIN" render - -o - < "$T/one.md" > "$T/stdout.pdf"
check "- -o -: exit 0" test $? = 0
check "- -o -: the PDF on stdout, as the file renders" cmp -s "$T/stdout.pdf" "$T/glued.pdf"
check "- -o -: no file named -" test ! -e "$T/-"
printf -- '---\nyear: 2023\nmonth: 14\nnumber: 2\n---\n' | "$BULLETIN" render - -o - > "$T/bad.out" 2> "$T/err"
check "stdin with an error: exit 1" test $? = 1
check "stdin with an error: named <stdin> with its place" grep -q '^<stdin>:3:8: error' "$T/err"
check "stdin with an error: nothing on stdout" test ! -s "$T/bad.out"
"$BULLETIN" render - < "$T/one.md" 2> "$T/err"
check "stdin without -o: a usage error" sh -c "test $? = 2 && grep -q 'needs -o' '$T/err'"
"$BULLETIN" render - - -o x.pdf < "$T/one.md" 2> /dev/null
check "stdin twice: exit 2" test $? = 2
"$BULLETIN" render "$T/one.md" --format png -o - 2> "$T/err"
check "PNG to -o -: a usage error" sh -c "test $? = 2 && grep -q 'writes PDF only' '$T/err'"
"$BULLETIN" diff "$T/glued.pdf" "$T/apart.pdf" -o - 2> /dev/null
check "diff -o - (a folder): a usage error, no folder named -" sh -c "test $? = 2 && test ! -e '$T/-'"
"$BULLETIN" check - < "$T/one.md" > "$T/chk"
check "check -: read from stdin" grep -q '^<stdin>: 0 errors' "$T/chk"
# relative paths of an issue on stdin start from the current folder
printf 'extends: epoint\nstyles:\n  body: {size: 13}\n' > "$T/sd/big.yaml"
printf -- '---\nyear: 2023\nmonth: 1\nnumber: 1\nlayout: ./big.yaml\n---\n\n# 栏目\n\n## 条目\n\n正文。\n' > "$T/sd/issue.md"
(cd "$T/sd" && "$BULLETIN" render - --dump - --no-pdf < issue.md) > "$T/sd.dump"
(cd "$T/sd" && "$BULLETIN" render issue.md --dump - --no-pdf) > "$T/sd2.dump"
check "stdin: layout: ./big.yaml found in the current folder, as for the file" \
	sh -c "test -s '$T/sd.dump' && cmp -s '$T/sd.dump' '$T/sd2.dump'"
(cd "$T/sd" && "$BULLETIN" render issue.md --layout epoint --dump - --no-pdf) > "$T/sd3.dump"
check "stdin: and that layout took effect" not cmp -s "$T/sd.dump" "$T/sd3.dump"

# ---- init: the month's folder, number, date, sections; never overwrites
mkdir -p "$T/issues"
cp -r "$ROOT/issues/2022-08" "$T/issues/"
"$BULLETIN" init 2022-09 > "$T/init.out"
check "init: exit 0" test $? = 0
N="$T/issues/2022-09/issue.md"
check "init: the issue written" test -s "$N"
check "init: the next number" grep -qx 'number: 5' "$N"
check "init: the month's last day" grep -qx 'date: 2022-09-30' "$N"
check "init: year and month" sh -c "grep -qx 'year: 2022' '$N' && grep -qx 'month: 9' '$N'"
check "init: the previous issue's sections, empty" \
	test "$(grep '^#' "$N" | tr '\n' '|')" = "$(grep '^# ' "$ROOT/issues/2022-08/issue.md" | tr '\n' '|')"
check "init: no entries" not grep -q '^## ' "$N"
check "init: says what it did" grep -q '2022-09/issue.md: number 5, 7 sections from' "$T/init.out"
"$BULLETIN" render "$N" -o "$T/init.pdf" 2> "$T/err"
check "init: the new issue renders" sh -c "test $? = 0 && head -c 5 '$T/init.pdf' | grep -q '%PDF-'"
cp "$N" "$T/before"
"$BULLETIN" init 2022-09 2> "$T/err"
check "init: an existing month is an error" sh -c "test $? = 1 && grep -q 'already exists' '$T/err'"
check "init: the existing issue untouched" cmp -s "$N" "$T/before"
"$BULLETIN" init 2023-01 --from 2022-08 > /dev/null
check "init --from, a new year: number 1, 31 January" sh -c "grep -qx 'number: 1' '$T/issues/2023-01/issue.md' && grep -qx 'date: 2023-01-31' '$T/issues/2023-01/issue.md'"
"$BULLETIN" init 2024-02 --dir "$T/other" > /dev/null
check "init in an empty folder: number 1, 29 February of a leap year" sh -c "grep -qx 'number: 1' '$T/other/2024-02/issue.md' && grep -qx 'date: 2024-02-29' '$T/other/2024-02/issue.md'"
"$BULLETIN" init 2022-07 --from 2022-08 2> "$T/err"
check "init from a later issue: exit 1, nothing made" sh -c "test $? = 1 && test ! -e '$T/issues/2022-07'"
mkdir -p "$T/fenced/2023-03"
printf -- '---\nyear: 2023\nmonth: 3\nnumber: 3\nlayout: print\n---\n\n# 甲栏 {-}\n\n## 条目\n\n```sh\n# a comment, not a heading\n```\n\n# 乙栏\n' \
	> "$T/fenced/2023-03/issue.md"
"$BULLETIN" init 2023-04 --dir "$T/fenced" > /dev/null
check "init: headings outside code only, the layout name kept" \
	sh -c "test \"\$(grep '^#' '$T/fenced/2023-04/issue.md' | tr '\n' '|')\" = '# 甲栏 {-}|# 乙栏|' && grep -qx 'layout: print' '$T/fenced/2023-04/issue.md' && grep -qx 'number: 4' '$T/fenced/2023-04/issue.md'"
"$BULLETIN" init 2022-13 2> /dev/null
check "init of no month: exit 2" test $? = 2

# ---- fonts and --font-path; layouts
"$BULLETIN" fonts > "$T/fonts"
check "fonts: the families" sh -c "grep -qx 'Noto Serif CJK SC' '$T/fonts' && grep -qx 'AR PL UKai CN' '$T/fonts'"
check "fonts: faces with style and file" grep -q '^    Bold .*NotoSerifCJK-Bold.ttc' "$T/fonts"
check "fonts: no face from elsewhere" not grep -q DejaVu "$T/fonts"
DEJAVU=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ -r "$DEJAVU" ]; then
	mkdir -p "$T/myfonts"
	cp "$DEJAVU" "$T/myfonts/"
	"$BULLETIN" fonts --font-path "$T/myfonts" > "$T/fonts2"
	check "fonts --font-path: the folder's face listed" grep -q "^    Book .*$T/myfonts/DejaVuSans.ttf" "$T/fonts2"
	printf 'extends: epoint\nstyles:\n  body: {font: DejaVu Sans}\n' > "$T/dv.yaml"
	"$BULLETIN" render "$T/one.md" --layout "$T/dv.yaml" -o "$T/dv.pdf" 2> "$T/err"
	check "a family outside the set: exit 1" sh -c "test $? = 1 && grep -q \"'DejaVu Sans' is not in the project's fonts\" '$T/err'"
	"$BULLETIN" render "$T/one.md" --layout "$T/dv.yaml" -o "$T/dv.pdf" --font-path "$T/myfonts"
	check "render --font-path: the family found" test $? = 0
	check "render --font-path: the face embedded" sh -c "pdffonts '$T/dv.pdf' | grep -q DejaVuSans"
else
	fail "no $DEJAVU for the --font-path test"
fi
"$BULLETIN" fonts --font-path "$T/nowhere" 2> "$T/err"
check "--font-path of no folder: exit 1" sh -c "test $? = 1 && grep -q 'nowhere: error: --font-path' '$T/err'"
"$BULLETIN" layouts > "$T/layouts"
check "layouts: the default link" grep -q '^default *-> epoint$' "$T/layouts"
check "layouts: print extends epoint" grep -q '^print *extends epoint .*layouts/print.yaml$' "$T/layouts"
check "layouts: epoint extends nothing" sh -c "grep '^epoint ' '$T/layouts' | grep -qv extends"

# ---- batch: outputs that collide are an error before anything is written
mkdir -p "$T/a/2011-01" "$T/b/2011-01" "$T/bo"
mkissue "$T/a/2011-01/issue.md" 2011 1 甲
mkissue "$T/b/2011-01/issue.md" 2011 1 乙
(cd "$T/bo" && "$BULLETIN" render "$T/a/2011-01/issue.md" "$T/b/2011-01/issue.md") > /dev/null 2> "$T/err"
check "collision in the current folder: exit 1" test $? = 1
check "collision: names both" grep -q 'a/2011-01/issue.md and .*b/2011-01/issue.md would both be written' "$T/err"
check "collision: nothing written" test -z "$(ls "$T/bo")"
"$BULLETIN" render "$T/a/2011-01/issue.md" "$T/b/2011-01/issue.md" --format png --out-dir "$T/bo" > /dev/null 2>&1
check "collision of PNG pages in --out-dir: exit 1, nothing written" sh -c "test $? = 1 && test -z \"\$(ls '$T/bo')\""

# ---- check takes many issues
printf -- '---\nyear: 2023\nmonth: 14\nnumber: 2\n---\n' > "$T/bad.md"
"$BULLETIN" check "$T/one.md" "$T/bad.md" "$T/a/2011-01/issue.md" > "$T/chk" 2>&1
check "check of three: exit 1 when one has errors" test $? = 1
check "check of three: a line for each" test "$(grep -c ': [0-9]* errors, [0-9]* warnings$' "$T/chk")" = 3
check "check of three: the bad one's error" grep -q 'bad.md:3:8: error' "$T/chk"
check "check of three: a summary" grep -q '^2 of 3 issues without errors$' "$T/chk"
"$BULLETIN" check "$T/one.md" "$T/a/2011-01/issue.md" > /dev/null 2>&1
check "check of two good ones: exit 0" test $? = 0

# ---- the batch's counter: on a terminal only
mkissue "$T/two.md" 2023 2 二月
"$BULLETIN" render "$T/one.md" "$T/two.md" "$T/bad.md" --out-dir "$T/cnt" > "$T/cnt.out" 2> "$T/cnt.err"
check "batch piped: no counter" not grep -q '^\[' "$T/cnt.err"
check "batch piped: report lines and the summary" sh -c "test \$(grep -c '^ok: ' '$T/cnt.out') = 2 && grep -q '^2 of 3 issues rendered' '$T/cnt.out'"
if script -qec true /dev/null > /dev/null 2>&1; then
	script -qec "'$BULLETIN' render '$T/one.md' '$T/two.md' '$T/bad.md' --out-dir '$T/cnt2'" /dev/null \
		| tr -d '\r' > "$T/tty"
	check "batch on a terminal: [1/3] 2023-01 ok N s" grep -q '^\[1/3\] 2023-01 ok [0-9]*\.[0-9][0-9] s$' "$T/tty"
	check "batch on a terminal: [2/3] 2023-02 ok" grep -q '^\[2/3\] 2023-02 ok ' "$T/tty"
	check "batch on a terminal: [3/3] failed" grep -q '^\[3/3\] .*bad.md failed ' "$T/tty"
	check "batch on a terminal: the summary" grep -q '^2 of 3 issues rendered' "$T/tty"
	check "batch on a terminal: no repeated report lines" not grep -q '^ok: ' "$T/tty"
else
	fail "no script(1) to give the batch a terminal"
fi

# ---- --format png -o x.png writes x-01.png...; --pages with PDF is an error
"$BULLETIN" render "$T/one.md" --format png --ppi 20 -o "$T/x.png"
check "png -o x.png: x-01.png, no x.png" sh -c "test -s '$T/x-01.png' && test ! -e '$T/x.png'"
"$BULLETIN" render "$T/one.md" --pages 1 -o "$T/p.pdf" 2> "$T/err"
check "--pages with PDF output: a usage error, nothing written" sh -c "test $? = 2 && grep -q -- '--pages selects PNG pages' '$T/err' && test ! -e '$T/p.pdf'"
finish
