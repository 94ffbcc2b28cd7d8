# Golden dumps at the three stage boundaries: the model (the issue as
# parsed), the set blocks (shaped lines) and the pages (boxes in points),
# for the reference issue in both layouts, two generated issues, small
# focused files and the English test issue (hyphenation) in both layouts.  A change that moves a glyph shows up here as a diff; a
# commit that changes a golden says why.  GOLDEN_UPDATE=1 (make golden)
# writes them anew.
#
# The set blocks and pages depend on the font files: tests/golden/FONTS
# lists those the goldens were made with, and if this machine's differ the
# test fails saying so (it never compares against other fonts and passes).
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
IN=$G/inputs

# NAME ISSUE LAYOUT ("-": the issue's own)
CASES="ref-epoint $ROOT/issues/2022-08/issue.md epoint
ref-print $ROOT/issues/2022-08/issue.md print
gen-epoint $IN/gen-epoint.md -
gen-print $IN/gen-print.md -
lists $IN/lists.md -
quotes $IN/quotes.md -
code $IN/code.md -
image $IN/image.md -
long-heading $IN/long-heading.md -
one-line $IN/one-line.md -
one-entry $IN/one-entry.md -
table $IN/table.md -
table-print $IN/table.md print
notes $IN/notes.md -
english $ROOT/tests/data/english.md -
english-print $ROOT/tests/data/english.md print"

fonts() {	# the font files the project's fonts.conf finds, with versions and sizes
	FONTCONFIG_FILE=$ROOT/fonts/fonts.conf fc-list --format '%{file}\t%{fontversion}\n' |
		sort -u | while IFS="$(printf '\t')" read -r f v; do
			printf '%s %s %s\n' "$(basename "$f")" "$v" "$(wc -c < "$f")"
		done | sort -u
}
# paths that differ from machine to machine become names
normal() { sed -e "s|$IN/|INPUTS/|g" -e "s|$ROOT/|ROOT/|g" -e "s|$T/|TMP/|g"; }

fonts > "$T/FONTS"
if [ -n "${GOLDEN_UPDATE:-}" ]; then
	cp "$T/FONTS" "$G/FONTS"
elif ! cmp -s "$T/FONTS" "$G/FONTS"; then
	fail "the fonts differ from those the goldens were made with (tests/golden/FONTS); remake them with make golden on purpose:"
	diff "$G/FONTS" "$T/FONTS" >&2
	finish
	exit 1
fi
check "fonts: the goldens' font list is not empty" test -s "$G/FONTS"

echo "$CASES" > "$T/cases"
while read -r cn issue layout; do
	set -- --no-pdf --dump-model "$T/model" --dump-lines "$T/lines" --dump "$T/pages"
	[ "$layout" != - ] && set -- "$@" --layout "$layout"
	"$BULLETIN" render "$issue" "$@" 2> "$T/err"
	echo "$?" > "$T/rc.$cn"
	[ -s "$T/err" ] && sed "s|^|$cn: |" "$T/err" | normal > "$T/$cn.warnings"
	for stage in model lines pages; do
		normal < "$T/$stage" > "$T/$cn.$stage"
		if [ -n "${GOLDEN_UPDATE:-}" ]; then
			cp "$T/$cn.$stage" "$G/$cn.$stage"
		fi
	done
done < "$T/cases"
while read -r cn issue layout; do
	check "$cn: renders" test "$(cat "$T/rc.$cn")" = 0
	for stage in model lines pages; do
		if [ ! -s "$T/$cn.$stage" ]; then
			fail "$cn.$stage: an empty dump"
		elif cmp -s "$T/$cn.$stage" "$G/$cn.$stage"; then
			ok
		else
			fail "$cn.$stage differs from tests/golden/$cn.$stage:"
			diff -u "$G/$cn.$stage" "$T/$cn.$stage" | head -n 40 >&2
		fi
	done
done < "$T/cases"
finish
