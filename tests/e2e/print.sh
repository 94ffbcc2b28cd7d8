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
check "the trim is 8.50pt inside the bleed on every page" \
	test "$(grep -c 'TrimBox: *8\.50 *8\.50 *603\.78 *850\.39' "$T/box")" = "$pages"
check "the bleed box is the media box, A4 + 2 x 3mm" \
	test "$(grep -c 'BleedBox: *0\.00 *0\.00 *612\.28 *858\.90' "$T/box")" = "$pages"
check "the cover's background runs to the media edge" grep -q '^  rect 0\.00 0\.00 612\.28 858\.90' "$T/p.dump"
marks=$(awk '/^page 2 /{exit} /^  rect/ && ($4 == "0.25" || $5 == "0.25")' "$T/p.dump" | wc -l)
check "eight crop mark strokes on the cover ($marks)" test "$marks" = 8
check "crop marks stay outside the trim" python3 - "$T/p.dump" <<'PY'
import sys
b, W, H = 8.504, 612.28, 858.90
bad = 0
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "rect" and ("0.25" in (f[3], f[4])):
        x, y, w, h = map(float, f[1:5])
        inside = x < W - b - 0.01 and x + w > b + 0.01 and y < H - b - 0.01 and y + h > b + 0.01
        bad += inside
sys.exit(1 if bad else 0)
PY
qpdf --json=2 --json-key=qpdf "$T/p.pdf" | grep -c '"/Subtype": "/Link"' > "$T/links"
check "no link annotations in the print profile" test "$(cat "$T/links")" = 0
"$BULLETIN" render "$ISSUE" -o "$T/s.pdf"
check "the screen profile stays A4" sh -c "pdfinfo '$T/s.pdf' | grep -q 'Page size: *595.276 x 841.89'"
check "the screen profile has links" sh -c "qpdf --json=2 --json-key=qpdf '$T/s.pdf' | grep -q '\"/Subtype\": \"/Link\"'"
"$BULLETIN" render "$ISSUE" --bleed 0.5in -o "$T/i.pdf"
check "any length: 0.5in gives a 36pt bleed" sh -c "pdfinfo -box -f 1 -l 1 '$T/i.pdf' | grep -q 'TrimBox: *36\.00 *36\.00'"
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
check "--cmyk: transparency groups blend in CMYK" sh -c "! grep -aq '/CS /DeviceRGB' '$T/cq.pdf'"
check "--cmyk: fonts embedded" sh -c "pdffonts '$T/c.pdf' | tail -n +3 | awk '\$(NF-4) != \"yes\"' | grep -q . && exit 1 || exit 0"
check "--cmyk: the outline kept" sh -c "qpdf --json=2 --json-key=outlines '$T/c.pdf' | grep -q '要闻速递'"
check "--cmyk: the boxes kept" sh -c "pdfinfo -box -f 1 -l 1 '$T/c.pdf' | grep -q 'TrimBox: *8\.50'"
check "--cmyk: still tagged" python3 "$ROOT/tests/pdfcheck.py" "$T/c.pdf" --quiet
"$BULLETIN" render "$ISSUE" --bleed 3mm --cmyk -o "$T/c2.pdf" 2>/dev/null
check "--cmyk: byte-identical runs" cmp -s "$T/c.pdf" "$T/c2.pdf"
# a page of black text only: no cyan, magenta or yellow ink (ghostscript's ink coverage)
"$BULLETIN" render "$ISSUE" --layout print --bleed 3mm --cmyk -o "$T/pc.pdf" --dump "$T/pc.dump" 2> "$T/err"
check "print --cmyk renders" test $? = 0
gs -q -o - -sDEVICE=inkcov -dFirstPage=6 -dLastPage=6 "$T/pc.pdf" > "$T/inkcov" 2>&1
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
# an RGB image in a CMYK job: said where it is, by render and check
"$BULLETIN" render "$ROOT/tests/golden/inputs/image.md" --cmyk -o "$T/im.pdf" 2> "$T/err"
check "--cmyk: an RGB JPEG is a warning at its place" grep -q 'image.md:13:3: warning: image .*photo.jpg is RGB: in this CMYK job' "$T/err"
"$BULLETIN" check "$ROOT/tests/golden/inputs/image.md" --cmyk > "$T/out" 2>&1
check "check --cmyk reports it too" grep -q 'image.md:13:3: warning: image .*photo.jpg is RGB' "$T/out"
"$BULLETIN" check "$ROOT/tests/golden/inputs/image.md" > "$T/out" 2>&1
check "check without --cmyk does not" sh -c "! grep -q 'is RGB' '$T/out'"
"$BULLETIN" render "$ISSUE" --bleed 3mm -o "$T/p2.pdf"
check "print profile: byte-identical runs" cmp -s "$T/p.pdf" "$T/p2.pdf"
finish
