# Lists merged by id: a layout that extends another changes one element of
# the cover by its id (the rest as the parent draws it), removes one, adds
# one after another; a list without ids, or named in replace:, replaces the
# parent's; mistakes in ids are errors at their place.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md

"$BULLETIN" render "$ISSUE" --layout epoint --no-pdf --dump "$T/epoint.dump" 2> "$T/err"
check "epoint renders" test -s "$T/epoint.dump"
page1() { sed -n '/^page 1 /,/^page 2 /p' "$1"; }
page1 "$T/epoint.dump" > "$T/epoint.p1"

# the rebrand of the issue: the month numeral moves; 5 lines
cat > "$T/moved.yaml" << 'EOF'
extends: epoint
name: moved
cover:
  - id: month
    x: 120mm
EOF
"$BULLETIN" render "$ISSUE" --layout "$T/moved.yaml" --no-pdf --dump "$T/moved.dump" 2> "$T/err"
check "moved: renders" test -s "$T/moved.dump"
page1 "$T/moved.dump" > "$T/moved.p1"
diff "$T/epoint.p1" "$T/moved.p1" > "$T/diff"
check "moved: only the month's line changed on the cover" \
	test "$(grep -c '^[<>]' "$T/diff")" = 2
check "moved: the month stands at x = 120mm (340.16pt), same y" \
	grep -q '^>   line 340.16 534.00 177.00 .* "08"$' "$T/diff"
check "moved: the pages after the cover are the same" \
	sh -c "sed '1,/^page 2 /d' '$T/epoint.dump' > '$T/a'; sed '1,/^page 2 /d' '$T/moved.dump' > '$T/b'; cmp -s '$T/a' '$T/b'"

# a style key of one element: the other keys of its style stay
cat > "$T/red.yaml" << 'EOF'
extends: epoint
colors:
  brand: "#c00000"
cover:
  - {id: month, style: {size: 100}}
EOF
"$BULLETIN" render "$ISSUE" --layout "$T/red.yaml" --no-pdf --dump "$T/red.dump" 2> "$T/err"
check "a style key: the month is set smaller, still bold sans" \
	sh -c "page1 () { sed -n '/^page 1 /,/^page 2 /p' \"\$1\"; }; page1 '$T/red.dump' | grep -q '^  line 62.36 [0-9.]* 118.00 .* \"08\"$'"
check "the brand colour written once recolours the cover's bands" \
	sh -c "sed -n '/^page 1 /,/^page 2 /p' '$T/red.dump' | grep -q '^  rect 0.00 0.00 595.28 28.35 #c00000$'"

# remove: true drops the element
cat > "$T/removed.yaml" << 'EOF'
extends: epoint
cover:
  - {id: url, remove: true}
EOF
"$BULLETIN" render "$ISSUE" --layout "$T/removed.yaml" --no-pdf --dump "$T/removed.dump" 2> "$T/err"
page1 "$T/removed.dump" > "$T/removed.p1"
diff "$T/epoint.p1" "$T/removed.p1" > "$T/diff"
check "removed: the url line is gone, nothing else" \
	sh -c "test \"\$(grep -c '^[<>]' '$T/diff')\" = 1 && grep -q '^<.*\"http://www.epoint.com.cn\"$' '$T/diff'"

# a new id with after: placed after that element (drawn after it, so above)
cat > "$T/added.yaml" << 'EOF'
extends: epoint
cover:
  - {id: sticker, after: background, kind: rect, x: 1mm, y: 1mm, width: 5mm, height: 5mm, color: "#123456"}
  - {id: note, kind: rect, x: 2mm, y: 2mm, width: 5mm, height: 5mm, color: "#654321"}
EOF
"$BULLETIN" render "$ISSUE" --layout "$T/added.yaml" --no-pdf --dump "$T/added.dump" 2> "$T/err"
page1 "$T/added.dump" > "$T/added.p1"
check "added: after: background puts it second" \
	sh -c "sed -n 3p '$T/added.p1' | grep -q '#123456$' && sed -n 2p '$T/added.p1' | grep -q '#f3f6fa$'"
check "added: a new id without after: comes last" \
	sh -c "tail -n 2 '$T/added.p1' | head -n 1 | grep -q '#654321$'"
check "added: both added, nothing else changed" \
	test "$(diff "$T/epoint.p1" "$T/added.p1" | grep -c '^[<>]')" = 2

# an image's file: changed by id is relative to the child that wrote it
mkdir -p "$T/brand"
cp "$ROOT/layouts/print-mark.svg" "$T/brand/logo.svg"
printf 'extends: epoint\ncover:\n  - {id: mark, file: logo.svg}\n' > "$T/brand/logo.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/brand/logo.yaml" --no-pdf --dump "$T/logo.dump" 2> "$T/err"
check "a changed image file: found beside the child" \
	sh -c "sed -n '/^page 1 /,/^page 2 /p' '$T/logo.dump' | grep -q '^  image 481.89 56.69 51.02 .*/brand/logo.svg$'"

# a list without ids replaces the parent's, as before
cat > "$T/plain.yaml" << 'EOF'
extends: epoint
cover:
  - {kind: rect, x: 0, y: 0, width: 5mm, height: 5mm, color: "#abcdef"}
EOF
"$BULLETIN" render "$ISSUE" --layout "$T/plain.yaml" --no-pdf --dump "$T/plain.dump" 2> "$T/err"
check "no ids: the cover is the child's one element" \
	test "$(page1 "$T/plain.dump" | grep -c '^  ')" = 1
# and so does one named in replace: (print's own cover)
"$BULLETIN" render "$ISSUE" --layout print --no-pdf --dump "$T/print.dump" 2> "$T/err"
check "replace: print's cover is its own (no epoint background)" \
	sh -c "! sed -n '/^page 1 /,/^page 2 /p' '$T/print.dump' | grep -q '#f3f6fa'"

# mistakes: FILE:LINE:COL, exit 1, the hint
expect_error() {
	name=$1 file=$2 want=$3
	"$BULLETIN" render "$ISSUE" --layout "$file" -o "$T/out.pdf" 2> "$T/err"
	rc=$?
	check "$name: exit 1 (got $rc)" test "$rc" = 1
	if grep -q -- "$want" "$T/err"; then ok; else fail "$name: stderr lacks '$want':"; cat "$T/err" >&2; fi
	check "$name: no output" test ! -e "$T/out.pdf"
}
printf 'extends: epoint\ncover:\n  - {id: month, x: 1mm}\n  - {id: month, y: 1mm}\n' > "$T/dup.yaml"
expect_error "an id twice" "$T/dup.yaml" "dup.yaml:4:10: error: cover\[2\]: id 'month' is already used by cover\[1\] (line 3)"
printf 'extends: epoint\ncover:\n  - {id: new, after: mnth, kind: rect, width: 1, height: 1}\n' > "$T/after.yaml"
expect_error "after: an unknown id" "$T/after.yaml" "after.yaml:3:22: error: cover\[1\]: after: no element with id 'mnth' in cover"
check "after: an unknown id: the nearest" grep -q "help: did you mean 'month'?" "$T/err"
printf 'extends: epoint\ncover:\n  - {id: ulr, remove: true}\n' > "$T/remove.yaml"
expect_error "remove: an unknown id" "$T/remove.yaml" "remove.yaml:3:10: error: cover\[1\]: remove: no element with id 'ulr' in cover"
check "remove: an unknown id: the nearest" grep -q "help: did you mean 'url'?" "$T/err"
printf 'extends: epoint\ncover:\n  - {id: month, x: 1mm}\n  - {kind: rect, width: 1, height: 1}\n' > "$T/noid.yaml"
expect_error "a merged list with an element without id" "$T/noid.yaml" "noid.yaml:4:6: error: cover\[2\]: every element of a list merged by id needs an id"
printf 'extends: epoint\ncover:\n  - {id: top-band, width: 0}\n' > "$T/zero.yaml"
expect_error "a changed element checked whole, at the child's line" "$T/zero.yaml" "zero.yaml:3:6: error: cover\[2\]: a rect needs a width and a height above 0"
printf 'extends: epoint\ncover:\n  - {idd: month, x: 1mm}\n' > "$T/idd.yaml"
expect_error "a misspelt id:" "$T/idd.yaml" "idd.yaml:3:6: error: unknown key 'idd' in cover\[1\]"
check "a misspelt id: the hint" grep -q "help: did you mean 'id'?" "$T/err"
printf 'extends: epoint\nreplace: [covr]\n' > "$T/repl.yaml"
expect_error "replace: a list not written" "$T/repl.yaml" "repl.yaml:2:11: error: replace: 'covr' is not a list this layout writes"
printf 'extends: epoint\ncover:\n  - {id: month, remove: yes}\n' > "$T/yes.yaml"
expect_error "remove: not a boolean" "$T/yes.yaml" "yes.yaml:3:25: error: cover\[1\].remove: expected true or false"
finish
