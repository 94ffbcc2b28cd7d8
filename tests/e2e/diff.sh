# bulletin diff and render --compare: two renders compared page by page;
# a one-paragraph edit reports exactly the pages whose content changed (read
# from the two renders' dumps), moved, added and removed pages are named,
# pictures are written for the changed pages only, exit 0/1/2.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
mkdir -p "$T/i"
cp "$ISSUE" "$T/i/issue.md"
"$BULLETIN" render "$T/i/issue.md" -o "$T/a.pdf" --dump "$T/a.dump"
"$BULLETIN" render "$T/i/issue.md" -o "$T/a2.pdf"
"$BULLETIN" diff "$T/a.pdf" "$T/a2.pdf" -o "$T/same" > "$T/out"
check "two renders of one issue: exit 0" test $? = 0
check "... reported identical" grep -q 'identical (17 pages)' "$T/out"
check "... and no pictures" test ! -e "$T/same"

# a one-paragraph edit
sed 's/一是指导思想。/一是总体指导思想。/' "$ISSUE" > "$T/i/issue.md"
"$BULLETIN" render "$T/i/issue.md" -o "$T/b.pdf" --dump "$T/b.dump"
"$BULLETIN" diff "$T/a.pdf" "$T/b.pdf" -o "$T/d" > "$T/out"
check "an edit: exit 1" test $? = 1
want=$(python3 - "$T/a.dump" "$T/b.dump" <<'PY'
import sys
def pages(path):
    out, cur = [], None
    for line in open(path, encoding="utf-8"):
        if line.startswith("page "):
            cur = []
            out.append(cur)
        elif line.startswith("  ") and cur is not None:
            cur.append(line)
    return out
a, b = pages(sys.argv[1]), pages(sys.argv[2])
print(" ".join(str(i + 1) for i in range(len(b)) if i >= len(a) or a[i] != b[i]))
PY
)
got=$(sed -n 's/^page \([0-9]*\): changed.*/\1/p' "$T/out" | tr '\n' ' ' | sed 's/ $//')
check "an edit: exactly the pages whose content changed ($got; the dumps say $want)" sh -c "test -n '$want' && test '$got' = '$want'"
check "an edit: one picture per changed page" test "$(ls "$T/d" | wc -l)" = "$(echo $want | wc -w)"
first=$(echo $want | cut -d' ' -f1)
check "an edit: the picture is a PNG, old and new side by side" \
	python3 -c "
import struct, sys
d = open(sys.argv[1], 'rb').read(24)
w, h = struct.unpack('>II', d[16:24])
sys.exit(0 if d[:8] == b'\x89PNG\r\n\x1a\n' and (w, h) == (2 * 595 + 16, 842) else 1)" "$T/d/page-$(printf %03d $first).png"

# moved, added, removed
qpdf "$T/a.pdf" --pages "$T/a.pdf" 2,1,3-z -- "$T/m.pdf"
"$BULLETIN" diff "$T/a.pdf" "$T/m.pdf" > "$T/out"
check "two pages swapped: both reported moved" \
	sh -c "grep -q '^page 1: moved from page 2$' '$T/out' && grep -q '^page 2: moved from page 1$' '$T/out' && test \$(grep -c '^page' '$T/out') = 2"
qpdf "$T/a.pdf" --pages "$T/a.pdf" 1-16 -- "$T/short.pdf"
"$BULLETIN" diff "$T/a.pdf" "$T/short.pdf" > "$T/out"
check "the last page dropped: reported removed" sh -c "grep -q '^old page 17: removed$' '$T/out' && test \$(wc -l < '$T/out') = 2"
"$BULLETIN" diff "$T/short.pdf" "$T/a.pdf" > "$T/out"
check "and back: reported added" sh -c "grep -q '^page 17: added$' '$T/out' && test \$(wc -l < '$T/out') = 2"
printf 'not a pdf\n' > "$T/x.pdf"
"$BULLETIN" diff "$T/a.pdf" "$T/x.pdf" > "$T/out" 2> "$T/err"
check "not a PDF: exit 2, said with the file" sh -c "test $? = 2 && grep -q 'x.pdf: error: cannot read the PDF' '$T/err'"
"$BULLETIN" diff "$T/a.pdf" "$T/b.pdf" --ppi 2400 > "$T/out" 2> "$T/err"
check "a raster too large to compare: exit 2, said with the page" sh -c "test $? = 2 && grep -q 'a.pdf: error: page 1 is 595 x 842 pt: at 2400 ppi too large' '$T/err'"
"$BULLETIN" diff "$T/a.pdf" > /dev/null 2>&1
check "one file: a usage error" test $? = 2

# render --compare: the old file read before the render replaces it
cp "$T/a.pdf" "$T/c.pdf"
cp "$ISSUE" "$T/i/issue.md"
"$BULLETIN" render "$T/i/issue.md" -o "$T/c.pdf" --compare "$T/c.pdf" > "$T/out"
check "render --compare with the same text: exit 0, identical" sh -c "test $? = 0 && grep -q identical '$T/out'"
sed 's/一是指导思想。/一是总体指导思想。/' "$ISSUE" > "$T/i/issue.md"
"$BULLETIN" render "$T/i/issue.md" -o "$T/c.pdf" --compare "$T/c.pdf" > "$T/out"
check "render --compare over the old file: exit 1, the same pages" \
	sh -c "test $? = 1 && test \"\$(sed -n 's/^page \([0-9]*\): changed.*/\1/p' '$T/out' | tr '\n' ' ' | sed 's/ \$//')\" = '$want'"
check "... and the new PDF is written" cmp -s "$T/c.pdf" "$T/b.pdf"
finish
