# Bad input and output: a FILE:LINE:COL message, exit 1 (usage: 2), and an
# existing output left byte for byte as it was.
. "$(dirname "$0")/lib.sh"
OUT=$T/out.pdf
printf 'an earlier output\n' > "$OUT"
cp "$OUT" "$T/before"

good='---
year: 2022
month: 8
number: 4
---

# 要闻速递

## 标题

正文。
'
printf '%s' "$good" > "$T/good.md"

# expect_error NAME FILE WANT_IN_STDERR [extra args]: exit 1, message, output untouched
expect_error() {
	name=$1 file=$2 want=$3
	shift 3
	"$BULLETIN" render "$file" -o "$OUT" "$@" 2> "$T/err"
	rc=$?
	check "$name: exit 1 (got $rc)" test "$rc" = 1
	if grep -q -- "$want" "$T/err"; then ok; else fail "$name: stderr lacks '$want':"; cat "$T/err" >&2; fi
	check "$name: output untouched" cmp -s "$OUT" "$T/before"
	check "$name: no temporary file left" sh -c "! ls '$T' | grep -q 'out.pdf.'"
}

printf -- '---\nyear: 2022\nmonth: [8\nnumber: 4\n---\n\n# A\n' > "$T/syntax.md"
expect_error "YAML syntax" "$T/syntax.md" "syntax.md:[0-9]*:[0-9]*: error"

printf -- '---\nyear: 2022\nmonth: 8\nnumbr: 4\n---\n\n# A\n' > "$T/unknown.md"
expect_error "unknown key" "$T/unknown.md" "unknown.md:4:1: error: unknown key 'numbr'"
check "unknown key: the hint on its own line" grep -qx "  = help: did you mean 'number'?" "$T/err"

printf -- '---\nyear: 2022\nmonth: 13\nnumber: 4\n---\n\n# A\n' > "$T/month.md"
expect_error "month 13" "$T/month.md" "month.md:3:8: error: .*1-12"

printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# A\n\nab\377cd\n' > "$T/utf8.md"
expect_error "invalid UTF-8" "$T/utf8.md" "utf8.md:9:3: error: invalid UTF-8"

printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: nosuchlayout\n---\n\n# A\n' > "$T/layout.md"
expect_error "missing layout" "$T/layout.md" "layout.md:5:9: error: layout 'nosuchlayout' not found"

printf 'extends: %s/layouts/epoint.yaml\nstyles:\n  h3: {font: Comic Sans}\n' "$ROOT" > "$T/font.yaml"
expect_error "a font family not in fonts/" "$T/good.md" "font.yaml:3:14: error: font family 'Comic Sans' is not in the project's fonts; they have: .*Noto Serif CJK SC" --layout "$T/font.yaml"

printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  titel: X\n---\n\n# A\n' > "$T/texts.md"
expect_error "an override of a text the layout lacks" "$T/texts.md" "texts.md:6:3: error: texts.titel: the layout 'epoint' has no text"
printf 'extends: %s/layouts/epoint.yaml\ntexts:\n  blurb: "第{numbr}期"\n' "$ROOT" > "$T/tmpl.yaml"
expect_error "a bad placeholder in a layout text" "$T/good.md" "tmpl.yaml:3:3: error: texts.blurb: unknown placeholder {numbr}" --layout "$T/tmpl.yaml"

printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  blurb: "第{numbr}期"\n---\n\n# A\n' > "$T/override.md"
expect_error "a bad placeholder in a front-matter override" "$T/override.md" "override.md:6:3: error: texts.blurb: unknown placeholder {numbr} (did you mean {number}?)"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  blurb: "第{year期"\n---\n\n# A\n' > "$T/override2.md"
expect_error "an unclosed brace in an override" "$T/override2.md" "override2.md:6:3: error: texts.blurb: '{' is not closed"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  blurb: "{month:xx}"\n---\n\n# A\n' > "$T/override3.md"
expect_error "an unknown format in an override" "$T/override3.md" "override3.md:6:3: error: texts.blurb: unknown format ':xx'"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n## 条目\n\n# 栏目\n' > "$T/entry.md"
expect_error "an entry before any section" "$T/entry.md" "entry.md:7:4: error: an entry (##) before the first section"

expect_error "missing input" "$T/nosuchfile.md" "nosuchfile.md: error: cannot open"

printf -- 'year: 2022\n' > "$T/nofm.md"
expect_error "no front matter" "$T/nofm.md" "nofm.md:1:1: error"

printf -- '---\nyear: 2022\nmonth: 8\n' > "$T/open.md"
expect_error "unclosed front matter" "$T/open.md" "open.md:1:1: error: .*not closed"

# an unwritable output: the folder does not exist
"$BULLETIN" render "$T/good.md" -o "$T/no/such/dir/x.pdf" 2> "$T/err"
check "unwritable output: exit 1" test $? = 1
check "unwritable output: message names it" grep -q "x.pdf.*error: cannot write" "$T/err"

# the good file renders, and replaces the old output
"$BULLETIN" render "$T/good.md" -o "$OUT" 2> "$T/err"
check "good input renders" test $? = 0
check "good input replaced the output" sh -c "head -c 5 '$OUT' | grep -q '%PDF-'"

# the output must not replace the input
cp "$T/good.md" "$T/self.md"
"$BULLETIN" render "$T/self.md" -o "$T/self.md" 2> "$T/err"
check "output = input: exit 1" test $? = 1
check "output = input: the input kept" cmp -s "$T/self.md" "$T/good.md"

# usage errors exit 2
"$BULLETIN" 2>/dev/null; check "no command: exit 2" test $? = 2
"$BULLETIN" render 2>/dev/null; check "no input: exit 2" test $? = 2
"$BULLETIN" render "$T/good.md" --bogus 2>/dev/null; check "unknown option: exit 2" test $? = 2
"$BULLETIN" frobnicate 2>/dev/null; check "unknown command: exit 2" test $? = 2
"$BULLETIN" --help | grep -q 'render ISSUE.md'; check "--help" test $? = 0
"$BULLETIN" --version | grep -q '^bulletin [0-9]'; check "--version" test $? = 0
finish
