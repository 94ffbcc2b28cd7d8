# Diagnostics as rustc and typst print them: FILE:LINE:COL: error: message,
# the source line with a caret under the column (in display columns: a CJK
# character is two wide), a hint on its own line; libfyaml's raw messages
# said as what the editor did, at the right line; colour only on a terminal
# without NO_COLOR.
. "$(dirname "$0")/lib.sh"

# expect NAME FILE ARGS... -- LINES: render fails with exit 1 and stderr
# holds each of LINES as a whole line, in that order, one after another
expect() {
	name=$1 file=$2
	shift 2
	args=
	while [ "$1" != -- ]; do args="$args $1"; shift; done
	shift
	# shellcheck disable=SC2086
	"$BULLETIN" render "$file" -o "$T/out.pdf" $args 2> "$T/err"
	rc=$?
	check "$name: exit 1 (got $rc)" test "$rc" = 1
	printf '%s\n' "$@" > "$T/want"
	if grep -qxF -f "$T/want" "$T/err" && awk -v n="$#" '
		NR == FNR { want[FNR] = $0; next }
		$0 == want[k + 1] { k++; if (k == n) found = 1; next }
		{ k = ($0 == want[1]) ? 1 : 0 }
		END { exit !found }' "$T/want" "$T/err"; then
		ok
	else
		fail "$name: stderr lacks these lines in a row:"
		cat "$T/want" >&2
		echo "--- got:" >&2
		cat "$T/err" >&2
	fi
	check "$name: no output" test ! -e "$T/out.pdf"
}

mkdir -p "$T/i"
cd "$T/i" || exit 1

# a misspelt key: the caret at the key, the suggestion on its own line
printf -- '---\nyear: 2022\nmonth: 8\nnumbr: 4\n---\n\n# 要闻\n' > numbr.md
expect "misspelt key" numbr.md -- \
	"numbr.md:4:1: error: unknown key 'numbr' in front matter" \
	"  |" \
	"4 | numbr: 4" \
	"  | ^" \
	"  = help: did you mean 'number'?"

# a key indented under the one above: libfyaml says "invalid multiline
# plain key" at the line above; we point at the indented key
printf -- '---\nyear: 2022\nmonth: 8\n  number: 4\n---\n\n# 要闻\n' > indent.md
expect "indented key" indent.md -- \
	"indent.md:4:3: error: YAML: 'number' is indented under 'month: 8', so it reads as part of that value, not as a key" \
	"  |" \
	"4 |   number: 4" \
	"  |   ^" \
	"  = help: start 'number' in column 1, as the key above"

# a full-width colon: "could not find expected ':'" becomes the colon
# itself; the caret stands under it, past two wide characters
printf -- '---\nyear: 2022\n月份：8\nnumber: 4\n---\n\n# 要闻\n' > colon.md
expect "full-width colon" colon.md -- \
	"colon.md:3:3: error: YAML: a full-width colon '：' after '月份'; a key ends with ':' (ASCII) and a space" \
	"  |" \
	"3 | 月份：8" \
	"  |     ^" \
	"  = help: write '月份: 8'"
printf -- '---\nyear: 2022\nmonth: 8\nnumber：4\n---\n\n# 要闻\n' > colon2.md
expect "full-width colon after an ASCII key" colon2.md -- \
	"colon2.md:4:7: error: YAML: a full-width colon '：' after 'number'; a key ends with ':' (ASCII) and a space" \
	"  |" \
	"4 | number：4" \
	"  |       ^" \
	"  = help: write 'number: 4'"

# an unquoted # colour in a flow mapping: YAML reads a comment, the mapping
# is never closed and libfyaml complains lines later ("did not find expected
# node content"); we point at the '#'
good='---
year: 2022
month: 8
number: 4
---

# 要闻

正文。
'
printf '%s' "$good" > good.md
printf 'extends: epoint\nstyles:\n  body: {color: {fg: #c00}}\n  h1:\n    size: 20\n' > nested.yaml
expect "# colour in a nested flow mapping" good.md --layout nested.yaml -- \
	"nested.yaml:3:22: error: YAML: '#' starts a comment, so the colour #c00 and the rest of the line are not read" \
	"  |" \
	"3 |   body: {color: {fg: #c00}}" \
	"  |                      ^" \
	"  = help: quote the colour: \"#c00\""
printf 'extends: epoint\ncover:\n  - {kind: rect, x: 0, y: 0, width: 1mm, height: 1mm, color: #c00}\n  - {kind: rect, x: 0, y: 0, width: 1mm, height: 1mm}\n' > cover.yaml
expect "# colour in a cover element" good.md --layout cover.yaml -- \
	"cover.yaml:3:62: error: YAML: '#' starts a comment, so the colour #c00 and the rest of the line are not read" \
	"  |" \
	"3 |   - {kind: rect, x: 0, y: 0, width: 1mm, height: 1mm, color: #c00}" \
	"  |                                                              ^" \
	"  = help: quote the colour: \"#c00\""

# a long line is quoted as a window around the column, the caret under it
printf 'extends: epoint\nstyles:\n  body: {size: 10, line_height: 1.5, indent: 2em, align: justify, font: serif, bold: false, color: #c00}\n' > wide.yaml
expect "a long line: a window" good.md --layout wide.yaml -- \
	"wide.yaml:3:100: error: YAML: '#' starts a comment, so the colour #c00 and the rest of the line are not read" \
	"  |" \
	"3 | ...height: 1.5, indent: 2em, align: justify, font: serif, bold: false, color: #c00}" \
	"  |                                                                               ^"

# names that do not exist: the nearest that does
cp "$ROOT/layouts/epoint-mark.svg" photo.svg
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 要闻\n\n![图](phoot.svg)\n' > image.md
expect "missing image" image.md -- \
	"image.md:9:3: error: image phoot.svg: cannot open: No such file or directory" \
	"  |" \
	"9 | ![图](phoot.svg)" \
	"  |   ^" \
	"  = help: did you mean 'photo.svg'?"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: epont\n---\n\n# 要闻\n' > layout.md
expect "missing layout" layout.md -- \
	"5 | layout: epont" \
	"  |         ^" \
	"  = help: did you mean 'epoint'?"
expect "missing layout on the command line" good.md --layout pirnt -- \
	"  = help: did you mean 'print'?"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  blurbb: x\n---\n\n# 要闻\n' > text.md
expect "missing text name" text.md -- \
	"text.md:6:3: error: texts.blurbb: the layout 'epoint' has no text of that name to override" \
	"  |" \
	"6 |   blurbb: x" \
	"  |   ^" \
	"  = help: did you mean 'blurb'?"

# colour: on a terminal (script gives one), not piped, not with NO_COLOR
esc=$(printf '\033')
"$BULLETIN" render numbr.md -o "$T/out.pdf" 2> "$T/err"
check "piped: no colour" sh -c "! grep -q '$esc' '$T/err'"
if command -v script > /dev/null; then
	env -u NO_COLOR script -qec "'$BULLETIN' render numbr.md -o '$T/out.pdf'" /dev/null > "$T/tty" 2>&1
	check "a terminal: bold red error" grep -q "${esc}\[1;31merror:" "$T/tty"
	NO_COLOR=1 script -qec "'$BULLETIN' render numbr.md -o '$T/out.pdf'" /dev/null > "$T/tty" 2>&1
	check "NO_COLOR: no colour on a terminal" sh -c "! grep -q '$esc' '$T/tty'"
	check "NO_COLOR: the same first line" grep -q "^numbr.md:4:1: error: unknown key 'numbr'" "$T/tty"
fi
finish
