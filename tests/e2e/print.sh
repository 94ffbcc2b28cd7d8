# The print profile: --bleed grows every page, TrimBox lies the bleed inside
# BleedBox, the cover's backgrounds run into the bleed, crop marks stand
# outside the trim, no link annotations; --cmyk in the palette's inks; and the
# same input gives the same bytes.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md

"$BULLETIN" render "$ISSUE" --bleed 3mm -o "$T/p.pdf" --dump "$T/p.dump"
check "print profile renders" test $? = 0
check "qpdf --check" qpdf --check "$T/p.pdf"
pdfinfo -box -f 1 -l 999 "$T/p.pdf" > "$T/box"
pages=$(grep -c 'TrimBox' "$T/box")
check "every page has a TrimBox ($pages)" test "$pages" -ge 10
check "every page has a BleedBox" test "$(grep -c 'BleedBox' "$T/box")" = "$pages"
# A4 grown by the bleed (3mm = 8.50pt) and print.slug (10mm = 28.35pt) a side
check "the trim is 36.85pt inside the media on every page" \
	test "$(grep -c 'TrimBox: *36\.85 *36\.85 *632\.13 *878\.74' "$T/box")" = "$pages"
check "the bleed box is 3mm outside the trim" \
	test "$(grep -c 'BleedBox: *28\.35 *28\.35 *640\.63 *887\.24' "$T/box")" = "$pages"
check "the media box is A4 + 2 x (3mm + 10mm)" \
	test "$(grep -c 'MediaBox: *0\.00 *0\.00 *668\.98 *915\.59' "$T/box")" = "$pages"
check "the cover's background runs to the bleed's edge" grep -q '^  rect 28\.35 28\.35 612\.28 858\.90' "$T/p.dump"
marks=$(awk '/^page 2 /{exit} /^  crop/' "$T/p.dump" | wc -l)
check "eight crop marks on the cover ($marks)" test "$marks" = 8
check "four registration targets on the cover" test "$(awk '/^page 2 /{exit} /^  target/' "$T/p.dump" | wc -l)" = 4
check "every page has its crop marks" test "$(grep -c '^  crop' "$T/p.dump")" = "$((pages * 8))"
check "every crop mark lies outside the bleed box, in line with the trim" python3 - "$T/p.dump" <<'PY'
import sys
bx0, by0, bx1, by1 = 28.35, 28.35, 640.63, 887.24  # the BleedBox
tx0, ty0, tx1, ty1 = 36.85, 36.85, 632.13, 878.74  # the TrimBox
bad = n = 0
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "crop":
        n += 1
        x, y, w, h = map(float, f[1:5])
        outside = x + w <= bx0 or x >= bx1 or y + h <= by0 or y >= by1
        in_line = any(abs(x + w / 2 - t) < 0.01 for t in (tx0, tx1)) if w < h else \
            any(abs(y + h / 2 - t) < 0.01 for t in (ty0, ty1))
        on_media = x >= 0 and y >= 0 and x + w <= 668.98 and y + h <= 915.59
        bad += not (outside and in_line and on_media)
sys.exit(1 if bad or n == 0 else 0)
PY
qpdf --json=2 --json-key=qpdf "$T/p.pdf" | grep -c '"/Subtype": "/Link"' > "$T/links"
check "no link annotations in the print profile" test "$(cat "$T/links")" = 0
"$BULLETIN" render "$ISSUE" -o "$T/s.pdf"
check "the screen profile stays A4" sh -c "pdfinfo '$T/s.pdf' | grep -q 'Page size: *595.276 x 841.89'"
check "the screen profile has links" sh -c "qpdf --json=2 --json-key=qpdf '$T/s.pdf' | grep -q '\"/Subtype\": \"/Link\"'"
"$BULLETIN" render "$ISSUE" --bleed 0.5in -o "$T/i.pdf"
check "any length: 0.5in gives a 36pt bleed" sh -c "pdfinfo -box -f 1 -l 1 '$T/i.pdf' | grep -q 'TrimBox: *64\.35 *64\.35'"
"$BULLETIN" render "$ISSUE" --bleed 3 -o "$T/x.pdf" 2>/dev/null
check "a bare number is points" test $? = 0
"$BULLETIN" render "$ISSUE" --bleed 3km -o "$T/x.pdf" 2>/dev/null
check "a bad length is a usage error" test $? = 2

# --cmyk: the palette's inks, black on the black plate, the structure kept
"$BULLETIN" render "$ISSUE" --bleed 3mm --cmyk -o "$T/c.pdf" 2> "$T/err"
check "--cmyk renders" test $? = 0
check "--cmyk: qpdf --check" sh -c "qpdf --check '$T/c.pdf' > /dev/null"
qpdf --qdf --object-streams=disable "$T/c.pdf" "$T/cq.pdf"
check "--cmyk: colours are CMYK (k/K), none RGB (rg/RG)" \
	sh -c "grep -aq ' k\( \|$\)' '$T/cq.pdf' && ! grep -aq ' \(rg\|RG\)\( \|$\)' '$T/cq.pdf'"
check "--cmyk: the brand blue is the palette's build (100 60 0 10)" grep -aq '^1 0.6 0 0.1 k ' "$T/cq.pdf"
check "--cmyk: body text (#1a1a1a) on the black plate only" grep -aq '^0 0 0 0.898 k ' "$T/cq.pdf"
check "--cmyk: the marks print on every plate (/Separation /All)" \
	sh -c "grep -a -A1 '/Separation' '$T/cq.pdf' | grep -q '/All'"
check "--cmyk: transparency groups blend in CMYK" sh -c "! grep -aq '/CS /DeviceRGB' '$T/cq.pdf'"
check "--cmyk: fonts embedded" sh -c "pdffonts '$T/c.pdf' | tail -n +3 | awk '\$(NF-4) != \"yes\"' | grep -q . && exit 1 || exit 0"
check "--cmyk: the outline kept" sh -c "qpdf --json=2 --json-key=outlines '$T/c.pdf' | grep -q '要闻速递'"
check "--cmyk: the boxes kept" sh -c "pdfinfo -box -f 1 -l 1 '$T/c.pdf' | grep -q 'TrimBox: *36\.85'"
check "--cmyk: still tagged" python3 "$ROOT/tests/pdfcheck.py" "$T/c.pdf" --quiet
"$BULLETIN" render "$ISSUE" --bleed 3mm --cmyk -o "$T/c2.pdf" 2>/dev/null
check "--cmyk: byte-identical runs" cmp -s "$T/c.pdf" "$T/c2.pdf"
# a page of black text only: no cyan, magenta or yellow ink (ghostscript's ink coverage)
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --cmyk -o "$T/pc.pdf" --dump "$T/pc.dump" 2> "$T/err"
check "print --cmyk renders" test $? = 0
gs -q -o - -sDEVICE=inkcov -dUseTrimBox -dFirstPage=6 -dLastPage=6 "$T/pc.pdf" > "$T/inkcov" 2>&1
check "print: a body page's text carries no cyan ($(cat "$T/inkcov"))" \
	awk '$5 == "CMYK" && $1 == 0 && $4 > 0.01 {ok = 1} END {exit !ok}' "$T/inkcov"
qpdf --qdf --object-streams=disable "$T/pc.pdf" "$T/pcq.pdf"
check "print: the red is a /Separation PANTONE 186 C" grep -aq '/PANTONE#20186#20C' "$T/pcq.pdf"
check "print: with its CMYK alternate 0 100 81 4" sh -c "grep -a -A16 '/Separation' '$T/pcq.pdf' | tr -s ' \n' ' ' | grep -q '/C1 \[ 0 1 0.81 0.04 \]'"
check "print: the red is set as the spot (scn), black as K 100" \
	sh -c "grep -aq '^/Spot0 cs 1 scn ' '$T/pcq.pdf' && grep -aq '^0 0 0 1 k ' '$T/pcq.pdf'"
check "print: --cmyk is still tagged" python3 "$ROOT/tests/pdfcheck.py" "$T/pc.pdf" --quiet
# check for a print job: too much ink, hairlines, each at its place
printf 'extends: %s/layouts/epoint.yaml\ncolors:\n  brand: {screen: "#0b5aa2", cmyk: "100 90 80 70"}\nheader:\n  rule_width: 0.1\n' "$ROOT" > "$T/hair.yaml"
"$BULLETIN" check "$ISSUE" --layout "$T/hair.yaml" --cmyk > "$T/out" 2>&1
check "check --cmyk: a colour over print.max_ink, at the colour" grep -q 'hair.yaml:3:3: warning: colour brand puts down 340% ink, over the layout.s print.max_ink (300%)' "$T/out"
check "check --cmyk: a rule under print.min_rule, at the rule" grep -q 'hair.yaml:5:15: warning: rule_width: a 0.1pt rule is under the layout.s print.min_rule' "$T/out"
"$BULLETIN" check "$ISSUE" --layout "$T/hair.yaml" > "$T/out" 2>&1
check "check for the screen says neither" sh -c "! grep -q 'max_ink\|min_rule' '$T/out'"
"$BULLETIN" check "$ISSUE" --layout print --bleed 3mm > "$T/out" 2>&1
check "the print layout passes both" sh -c "! grep -q 'max_ink\|min_rule' '$T/out'"
printf 'extends: print\ncolors:\n  black: {screen: "#000000", cmyk: "60 40 40 100"}\n  ink: {screen: "#1a1a1a", cmyk: "50 40 40 85"}\nstyles:\n  body:\n    color: ink\n' > "$T/rich.yaml"
"$BULLETIN" check "$ISSUE" --layout "$T/rich.yaml" --cmyk > "$T/out" 2>&1
check "check --cmyk: rich black text, at the colour, with its first use" \
	grep -q 'rich.yaml:4:3: warning: colour ink is a rich black (C50 M40 Y40 K85) set as text ([0-9]* text styles, the first at [^ ]*.yaml:[0-9]*:[0-9]*)' "$T/out"
check "check --cmyk: a K 100 rich black for text is said to print K alone" \
	grep -q 'rich.yaml:3:3: warning: colour black is a rich black (C60 M40 Y40 K100) set as text.*K 100 alone' "$T/out"
"$BULLETIN" check "$ISSUE" --layout print --cmyk > "$T/out" 2>&1
check "the print layout's text is in black alone" sh -c "! grep -q 'rich black' '$T/out'"
# an RGB image in a CMYK job: said where it is, by render and check
"$BULLETIN" render "$ROOT/tests/golden/inputs/image.md" --cmyk -o "$T/im.pdf" 2> "$T/err"
check "--cmyk: an RGB JPEG is a warning at its place" grep -q 'image.md:13:3: warning: image .*photo.jpg is RGB: in this CMYK job' "$T/err"
"$BULLETIN" check "$ROOT/tests/golden/inputs/image.md" --cmyk > "$T/out" 2>&1
check "check --cmyk reports it too" grep -q 'image.md:13:3: warning: image .*photo.jpg is RGB' "$T/out"
"$BULLETIN" check "$ROOT/tests/golden/inputs/image.md" > "$T/out" 2>&1
check "check without --cmyk does not" sh -c "! grep -q 'is RGB' '$T/out'"
"$BULLETIN" render "$ISSUE" --bleed 3mm -o "$T/p2.pdf"
check "print profile: byte-identical runs" cmp -s "$T/p.pdf" "$T/p2.pdf"

# black text and rules carry no C, M or Y: the RGB and CMYK rasters of the
# trimmed pages compared pixel by pixel, both layouts
for lo in epoint print; do
	"$BULLETIN" render "$ISSUE" --layout $lo --bleed 3mm -o "$T/$lo-rgb.pdf" 2>/dev/null
	"$BULLETIN" render "$ISSUE" --layout $lo --bleed 3mm --cmyk -o "$T/$lo-cmyk.pdf" 2>/dev/null
	python3 "$ROOT/tests/ink_check.py" "$T/$lo-rgb.pdf" "$T/$lo-cmyk.pdf" 40 > "$T/ink" 2>&1
	check "$lo: neutral pixels on the black plate alone ($(cat "$T/ink"))" test $? = 0
done
# generated issues, both layouts, PDF/X-4
python3 "$ROOT/bench/gen_issues.py" "$T/gen" 1 11 > /dev/null
GEN=$(ls "$T"/gen/*/issue.md | head -1)
for lo in epoint print; do
	"$BULLETIN" render "$GEN" --layout $lo --bleed 3mm -o "$T/g-rgb.pdf" 2>/dev/null
	"$BULLETIN" render "$GEN" --layout $lo --bleed 3mm --pdf-standard x-4 -o "$T/g-x4.pdf" 2>/dev/null
	check "generated issue, $lo, x-4: conforms" python3 "$ROOT/tests/pdfcheck.py" "$T/g-x4.pdf" --standard x-4 --quiet
	python3 "$ROOT/tests/ink_check.py" "$T/g-rgb.pdf" "$T/g-x4.pdf" 30 > "$T/ink" 2>&1
	check "generated issue, $lo, x-4: black on the black plate alone ($(cat "$T/ink"))" test $? = 0
	"$BULLETIN" render "$GEN" --layout $lo --bleed 3mm --no-pdf --dump "$T/g.dump"
	check "generated issue, $lo: padded to 4, odd folios on odd pages" \
		sh -c "test \$((\$(sed -n 's/^doc .* pages=//p' '$T/g.dump') % 4)) = 0 && awk '/^page /{split(\$3, l, \"=\"); n = l[2]; if (n ~ /^[0-9]+\$/ && n % 2 != \$2 % 2) bad++} END {exit bad > 0}' '$T/g.dump'"
done
# and the comparison sees rich black: ghostscript's own blind conversion fails it
gs -q -o "$T/rich.pdf" -sDEVICE=pdfwrite -sColorConversionStrategy=CMYK "$T/print-rgb.pdf" 2>/dev/null
check "a blind RGB-to-CMYK conversion fails the raster comparison" \
	not python3 "$ROOT/tests/ink_check.py" "$T/print-rgb.pdf" "$T/rich.pdf" 40

# pages as a bound issue: page 1 on a recto, odd folios on odd pages, padding
"$BULLETIN" render "$ISSUE" --layout print --no-pdf --dump "$T/r.dump"
check "print layout (numbered from the contents): a blank verso after the cover" \
	sh -c "awk '/^page 2 /{p=1; next} /^page 3 /{exit} p' '$T/r.dump' | grep -q . && exit 1 || exit 0"
odd_folios() { awk '/^page /{split($3, l, "="); n = l[2]; if (n ~ /^[0-9]+$/ && n % 2 != $2 % 2) bad++; if (n ~ /^[0-9]+$/) seen++} END {exit !(seen && !bad)}' "$1"; }
check "print layout: every odd folio on an odd (right-hand) page" odd_folios "$T/r.dump"
check "print layout: the blank verso's label is the front matter's" grep -q '^page 2 label=ii$' "$T/r.dump"
check "print profile: odd folios on odd pages" odd_folios "$T/pc.dump"
for lo in epoint print; do
	"$BULLETIN" render "$ISSUE" --layout $lo --bleed 3mm --no-pdf --dump "$T/$lo.dump"
	n=$(sed -n 's/^doc .* pages=//p' "$T/$lo.dump")
	check "$lo: the print profile pads to a multiple of 4 ($n pages)" test "$((n % 4))" = 0
done
"$BULLETIN" render "$ISSUE" --layout print --no-pdf --dump "$T/u.dump"
check "the screen profile does not pad" test "$(sed -n 's/^doc .* pages=//p' "$T/u.dump")" = 18
check "padding pages are blank, numbered on" \
	sh -c "grep -q '^page 19 label=17$' '$T/print.dump' && grep -q '^page 20 label=18$' '$T/print.dump' && ! awk '/^page 19 /{p=1; next} p' '$T/print.dump' | grep -v '^  \(crop\|target\)' | grep -q '^  '"
printf 'extends: print\nprint:\n  pad: 8\n' > "$T/pad8.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/pad8.yaml" --bleed 3mm --no-pdf --dump "$T/p8.dump"
check "print.pad: 8 pads to 24" test "$(sed -n 's/^doc .* pages=//p' "$T/p8.dump")" = 24
printf 'extends: print\nprint:\n  pad: 3\n' > "$T/pad3.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/pad3.yaml" --bleed 3mm -o "$T/x.pdf" 2> "$T/err"
check "print.pad: 3 is an error at its place" sh -c "test $? = 1 && grep -q 'pad3.yaml:3:8: ' '$T/err'"
printf 'extends: print\npage_numbers:\n  recto: false\n' > "$T/verso.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/verso.yaml" --no-pdf --dump "$T/v.dump"
check "page_numbers.recto: false keeps folio 1 on the back of the cover" grep -q '^page 2 label=1$' "$T/v.dump"

# --impose saddle-stitch: printer's spreads, read back
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --impose saddle-stitch --cmyk \
	-o "$T/im.pdf" --dump "$T/im.dump" 2> "$T/err"
check "--impose saddle-stitch renders" test $? = 0
check "--impose: qpdf --check" sh -c "qpdf --check '$T/im.pdf' > /dev/null"
check "--impose: 20 pages make 10 sheet sides" grep -q '^doc 1264.25 915.59 pages=10$' "$T/im.dump"
check "--impose: the spread's trim is two pages wide" \
	sh -c "pdfinfo -box -f 1 -l 1 '$T/im.pdf' | grep -q 'TrimBox: *36\.85 *36\.85 *1227\.40 *878\.74'"
check "--impose: page order read back from the spreads" python3 - "$T/im.pdf" "$T/print-cmyk.pdf" <<'PY'
import subprocess, sys
imposed, single = sys.argv[1], sys.argv[2]
def text(pdf, page, x, w):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", str(int(x)),
                           "-y", "36", "-W", str(w), "-H", "843", pdf, "-"],
                          capture_output=True, text=True, check=True).stdout.split()
n = 20
ok = seen = 0
for s in range(n // 4):
    sides = [(n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)]
    for side, (left, right) in enumerate(sides):
        page = 2 * s + side + 1
        for half, src in enumerate((left, right)):
            got = text(imposed, page, 37 + 595.28 * half, 595)
            want = text(single, src, 37, 595)
            seen += bool(want)
            ok += got == want
            if got != want:
                print(f"sheet side {page}, {'right' if half else 'left'}: not page {src}")
sys.exit(0 if ok == n and seen >= n - 3 else 1)
PY
check "--impose: fold marks at the spine, top and bottom" \
	test "$(awk '/^page 2 /{exit} /^  fold/ && $2 + $4 / 2 > 632.1 && $2 + $4 / 2 < 632.2' "$T/im.dump" | wc -l)" = 2
"$BULLETIN" render "$ISSUE" --layout epoint --bleed 3mm --impose saddle-stitch --no-pdf --dump "$T/ie.dump"
check "--impose: the cover's ground stops at the spine, bleeds outside" \
	sh -c "awk '/^page 2 /{exit} 1' '$T/ie.dump' | grep -q '^  rect 632\.13 28\.35 603\.78 858\.90 #f3f6fa'"
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --impose saddle-stitch --cmyk -o "$T/im2.pdf" 2>/dev/null
check "--impose: byte-identical runs" cmp -s "$T/im.pdf" "$T/im2.pdf"
printf 'extends: print\nprint:\n  creep: 2mm\n' > "$T/creep.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/creep.yaml" --bleed 3mm --impose saddle-stitch --no-pdf --dump "$T/cr.dump"
# lines' left edges: the innermost spread (10: pages 10|11) moves by the
# whole creep toward the spine, the outermost sheet (1: the cover) not at all
check "--impose with print.creep 2mm: the innermost sheet moves 5.67pt toward the spine" python3 - "$T/im.dump" "$T/cr.dump" <<'PY'
import sys
def left(path, page, right):
    xs, cur = [], 0
    for line in open(path):
        f = line.split()
        if f and f[0] == "page":
            cur = int(f[1])
        elif cur == page and f and f[0] == "line" and (float(f[1]) > 632.13) == right:
            xs.append(float(f[1]))
    return min(xs)
# (spread, right half, expected move): sheet s of 5 moves by 2mm * s / 4
want = ((10, 0, 5.67), (10, 1, -5.67), (3, 0, 1.42), (3, 1, -1.42), (1, 1, 0))
moves = [left(sys.argv[2], p, r) - left(sys.argv[1], p, r) for p, r, _ in want]
sys.exit(0 if all(abs(m - w[2]) < 0.02 for m, w in zip(moves, want)) else 1)
PY
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --impose saddle-stitch --pdf-standard x-4,ua-1 -o "$T/imx.pdf" 2>/dev/null
check "--impose with x-4,ua-1: the checker passes both" python3 "$ROOT/tests/pdfcheck.py" "$T/imx.pdf" --standard x-4,ua-1 --quiet
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --pdf-standard x-4,ua-1 -o "$T/sx.pdf" 2>/dev/null
python3 "$ROOT/tests/pdfcheck.py" "$T/imx.pdf" --tree | sed '$d' > "$T/tree-imposed"
python3 "$ROOT/tests/pdfcheck.py" "$T/sx.pdf" --tree | sed '$d' > "$T/tree-single"
check "--impose: the structure reads in page order, as unimposed ($(wc -l < "$T/tree-single") elements)" \
	sh -c "test \$(wc -l < '$T/tree-single') -gt 200 && cmp -s '$T/tree-single' '$T/tree-imposed'"
"$BULLETIN" render "$ISSUE" --impose folded -o "$T/x.pdf" 2>/dev/null
check "--impose takes saddle-stitch only (a usage error)" test $? = 2
finish
