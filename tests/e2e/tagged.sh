# Tagged, archival and accessible PDF: every render carries a structure tree
# that follows the issue (tests/pdfcheck.py reads it back); --pdf-standard
# a-2b, a-2u, a-3b, ua-1 and their combinations conform, on the reference
# issue in both layouts, the print profile and generated issues; what a
# standard needs and the issue lacks is an error at its place; the checker
# itself fails on what it must fail on; search finds the text as written.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
CHECK="python3 $ROOT/tests/pdfcheck.py"

# 1. every render is tagged
for lo in epoint print; do
	"$BULLETIN" render "$ISSUE" --layout $lo -o "$T/$lo.pdf" 2> "$T/err"
	check "$lo: renders" test $? = 0
	check "$lo: the structure checks out" $CHECK "$T/$lo.pdf" --quiet
	check "$lo: pdfinfo says tagged" sh -c "pdfinfo '$T/$lo.pdf' | grep -q '^Tagged: *yes'"
	check "$lo: PDF 1.7" sh -c "head -c 8 '$T/$lo.pdf' | grep -q '%PDF-1.7'"
	check "$lo: qpdf --check" sh -c "qpdf --check '$T/$lo.pdf' > /dev/null"
done
$CHECK "$T/epoint.pdf" --tree > "$T/tree"
check "a Sect per section and entry" test "$(grep -c '^  Sect ' "$T/tree")" -ge 5
check "sections hold H1, entries H2" sh -c "grep -q '^    H1 \"一、要闻速递\"' '$T/tree' && grep -q '^      H2 \"1.1、' '$T/tree'"
check "the TOC is TOC and TOCI, each entry's text only" \
	sh -c "grep -q '^  TOC' '$T/tree' && grep -q '^    TOCI \"一、要闻速递\"$' '$T/tree'"
check "each TOC entry's link is a Link in its TOCI" \
	test "$(grep -A1 '^    TOCI' "$T/tree" | grep -c '^      Link')" = "$(grep -c '^    TOCI' "$T/tree")"
check "the cover's texts are paragraphs, the English one in English" \
	grep -q '^  P lang=en "DIGITAL GOVERNMENT DYNAMICS"' "$T/tree"
check "running heads and folios are artifacts, not text" \
	$CHECK "$T/epoint.pdf" --quiet --absent "数字政府动态 · 2022年第04期" --absent "....."
check "the body's text is in the structure" \
	$CHECK "$T/epoint.pdf" --quiet --find "重要政策17条，其中" --find "一是指导思想。"

# 2. the standards, on what a user renders
python3 "$ROOT/bench/gen_issues.py" "$T/gen" 2 11 > /dev/null
for std in a-2b a-2u a-3b ua-1 a-2u,ua-1; do
	for lo in epoint print; do
		"$BULLETIN" render "$ISSUE" --layout $lo --pdf-standard $std -o "$T/s.pdf" 2> "$T/err"
		check "$std, $lo: renders" test $? = 0
		check "$std, $lo: conforms" $CHECK "$T/s.pdf" --standard $std --quiet
	done
	"$BULLETIN" render "$ISSUE" --bleed 3mm --pdf-standard $std -o "$T/p.pdf" 2> "$T/err"
	check "$std, print profile: conforms" $CHECK "$T/p.pdf" --standard $std --quiet
	for g in "$T"/gen/*/issue.md; do
		"$BULLETIN" render "$g" --pdf-standard $std -o "$T/g.pdf" 2> "$T/err"
		check "$std, generated $(basename "$(dirname "$g")"): conforms" $CHECK "$T/g.pdf" --standard $std --quiet
	done
done
# PDF/X-4: the print profile, both layouts, generated issues, an image
for std in x-4 x-4,ua-1; do
	for lo in epoint print; do
		"$BULLETIN" render "$ISSUE" --layout $lo --bleed 3mm --pdf-standard $std -o "$T/x.pdf" 2> "$T/err"
		check "$std, $lo, --bleed: conforms" $CHECK "$T/x.pdf" --standard $std --quiet
	done
	for g in "$T"/gen/*/issue.md; do
		"$BULLETIN" render "$g" --bleed 3mm --pdf-standard $std -o "$T/g.pdf" 2> "$T/err"
		check "$std, generated $(basename "$(dirname "$g")"): conforms" $CHECK "$T/g.pdf" --standard $std --quiet
	done
done
"$BULLETIN" render "$ROOT/tests/golden/inputs/image.md" --bleed 3mm --pdf-standard x-4 -o "$T/xi.pdf" 2> "$T/err"
check "x-4: RGB images are tagged sRGB (ICCBased), and it conforms" $CHECK "$T/xi.pdf" --standard x-4 --quiet
check "x-4 is PDF 1.6, CMYK, with /Trapped" sh -c "head -c 8 '$T/xi.pdf' | grep -q '%PDF-1.6' &&
	qpdf --qdf --object-streams=disable '$T/xi.pdf' - | grep -a -q '/Trapped /False'"
"$BULLETIN" render "$ISSUE" --pdf-standard x-4 -o "$T/nx.pdf" 2> "$T/err"
check "x-4 without --bleed fails, saying why" sh -c "test $? = 1 && grep -q 'PDF/X is for the press; render the print profile with --bleed' '$T/err' && test ! -e '$T/nx.pdf'"
"$BULLETIN" render "$ISSUE" --bleed 3mm --pdf-standard a-2b,x-4 -o "$T/nx.pdf" 2> "$T/err"
check "PDF/A with PDF/X is a usage error" sh -c "test $? = 2 && grep -q 'separate files' '$T/err'"
mkdir -p "$T/plo"
cp /usr/share/color/icc/sRGB.icc "$T/plo/rgb.icc"
printf 'extends: %s/layouts/print.yaml\nprint:\n  profile: rgb.icc\n  condition: FOGRA39\n' "$ROOT" > "$T/plo/rgbpress.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/plo/rgbpress.yaml" --bleed 3mm --pdf-standard x-4 -o "$T/nx.pdf" 2> "$T/err"
check "x-4 with an RGB press profile fails at print.profile" grep -q 'rgbpress.yaml:3:12: error: --pdf-standard x-4: PDF/X needs the press.s characterisation: .*rgb.icc is not a CMYK printer profile' "$T/err"
cp /usr/share/color/icc/ghostscript/default_cmyk.icc "$T/plo/press.icc"
printf 'extends: %s/layouts/print.yaml\nprint:\n  profile: press.icc\n  condition: FOGRA39\n' "$ROOT" > "$T/plo/press.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/plo/press.yaml" --bleed 3mm --pdf-standard x-4 -o "$T/px.pdf" 2> "$T/err"
check "x-4 with the layout's press profile and condition" sh -c "python3 '$ROOT/tests/pdfcheck.py' '$T/px.pdf' --standard x-4 --quiet &&
	qpdf --qdf --object-streams=disable '$T/px.pdf' - | grep -a -q '/OutputConditionIdentifier (FOGRA39)'"
printf 'extends: %s/layouts/print.yaml\nprint:\n  profile: /usr/share/color/icc/ghostscript/default_cmyk.icc\n' "$ROOT" > "$T/plo/outside.yaml"
"$BULLETIN" render "$ISSUE" --layout "$T/plo/outside.yaml" -o "$T/nx.pdf" 2> "$T/err"
check "a press profile outside the layout's folder is refused" grep -q 'outside.yaml:3:12: error: print.profile: it is outside the layout.s folder' "$T/err"
"$BULLETIN" render "$ISSUE" --pdf-standard a-2u,ua-1 -o "$T/r1.pdf"
"$BULLETIN" render "$ISSUE" --pdf-standard a-2u,ua-1 -o "$T/r2.pdf"
check "the same input gives the same bytes" cmp -s "$T/r1.pdf" "$T/r2.pdf"
check "qpdf --check with a-2u,ua-1" sh -c "qpdf --check '$T/r1.pdf' > /dev/null"
check "XMP says PDF/A-2u and PDF/UA-1" sh -c "grep -a -q '<pdfaid:part>2</pdfaid:part>' '$T/r1.pdf' &&
	grep -a -q '<pdfaid:conformance>U</pdfaid:conformance>' '$T/r1.pdf' && grep -a -q '<pdfuaid:part>1</pdfuaid:part>' '$T/r1.pdf'"
check "a plain render claims no standard" sh -c "! grep -a -q 'pdfaid:part\|pdfuaid:part' '$T/epoint.pdf'"

# 3. the checker fails on what does not conform
check "checker: a plain render is not PDF/A" sh -c "! $CHECK '$T/epoint.pdf' --standard a-2b --quiet > /dev/null"
check "checker: a-2b is not a-2u" sh -c "! $CHECK '$T/s.pdf' --standard a-2b --quiet > /dev/null"
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -o "$T/gs.pdf" "$T/epoint.pdf" 2> /dev/null
$CHECK "$T/gs.pdf" > "$T/out" 2>&1
check "checker: ghostscript's rewrite (untagged) fails" sh -c "grep -q 'no /StructTreeRoot' '$T/out'"
qpdf --qdf --object-streams=disable "$T/r1.pdf" "$T/q.pdf"
python3 - "$T/q.pdf" "$T/q2.pdf" "$T/q3.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
# an MCID no element names, and one artifact's marked content dropped
a = d.replace(b"/P << /MCID 0 >> BDC", b"/P << /MCID 777 >> BDC", 1)
open(sys.argv[2], "wb").write(a)
b = re.sub(rb"/Artifact BMC\n(.*?)EMC\n", rb"\1", d, count=1, flags=re.S)
open(sys.argv[3], "wb").write(b)
PY
fix-qdf "$T/q2.pdf" > "$T/q2f.pdf" 2> /dev/null
fix-qdf "$T/q3.pdf" > "$T/q3f.pdf" 2> /dev/null
$CHECK "$T/q2f.pdf" > "$T/out" 2>&1
check "checker: an MCID in no element fails" grep -q 'MCID 777 is in no structure element' "$T/out"
$CHECK "$T/q3f.pdf" > "$T/out" 2>&1
check "checker: content outside structure and artifacts fails" grep -q 'outside structure and artifacts' "$T/out"

# 4. the model's structure in a test issue
cp "$ROOT/tests/golden/inputs/photo.jpg" "$T/photo.jpg"
cat > "$T/all.md" <<'MD'
---
year: 2024
month: 12
number: 12
---

# 栏目

## 各种块

12月20日，OpenAI发布新模型，Hello World 的空格保持原样。

Plain English paragraph with a [link](https://example.org/) in it.

- 第一项
- 第二项

> 引用的一段话。

```
code block
```

| 项目 | 数量 |
|------|------|
| 甲 | 1 |

![图一：照片](photo.jpg)

正文引用脚注[^a]。

[^a]: 脚注内容。
MD
"$BULLETIN" render "$T/all.md" -o "$T/all.pdf" 2> "$T/err"
check "a test issue renders" test $? = 0
$CHECK "$T/all.pdf" --tree > "$T/tree"
check "the test issue checks out" $CHECK "$T/all.pdf" --quiet
"$BULLETIN" render "$T/all.md" --pdf-standard a-2u,ua-1 -o "$T/all-ua.pdf" 2> "$T/err"
check "the test issue conforms to a-2u,ua-1" $CHECK "$T/all-ua.pdf" --standard a-2u,ua-1 --quiet
for t in 'L' 'LI' 'Lbl' 'LBody' 'BlockQuote' 'Code' 'Table' 'TR' 'TH' 'TD' 'Note id=' 'Caption' \
	'Figure alt="图一：照片"' 'P lang=en "Plain English'; do
	check "the structure has $t" grep -q "^ *$t" "$T/tree"
done
check "a list item's marker is its Lbl, its text in its LBody" \
	sh -c "grep -A2 '^ *Lbl \"● \"' '$T/tree' | grep -A1 '^ *LBody' | grep -q 'P \"第一项\"'"
check "the note sits in the paragraph that marks it" \
	sh -c "grep -B1 '^ *Note' '$T/tree' | grep -q 'Link\|P \"正文引用脚注'"
check "TH has /Scope /Column" sh -c "qpdf --qdf --object-streams=disable '$T/all.pdf' - | grep -a -q '/Scope /Column'"
check "pdftotext: 12月20日 as written" sh -c "pdftotext '$T/all.pdf' - | grep -q '12月20日'"
check "pdftotext: OpenAI发布 as written" sh -c "pdftotext '$T/all.pdf' - | grep -q 'OpenAI发布'"
check "pdftotext: the source's own space stays" sh -c "pdftotext '$T/all.pdf' - | grep -q 'Hello World 的空格'"

# 5. what a standard needs and the issue lacks: an error at its place
sed 's/!\[图一：照片\](photo.jpg)/![](photo.jpg)/' "$T/all.md" > "$T/noalt.md"
echo sentinel > "$T/keep.pdf"
"$BULLETIN" render "$T/noalt.md" --pdf-standard ua-1 -o "$T/keep.pdf" 2> "$T/err"
check "ua-1: an image without alt text fails" test $? = 1
check "ua-1: ... at the image's line and column" grep -q 'noalt.md:28:1: error: --pdf-standard ua-1: this image has no alternate text' "$T/err"
check "ua-1: ... and the existing output is kept" grep -q sentinel "$T/keep.pdf"
"$BULLETIN" check "$T/noalt.md" > "$T/out" 2>&1
check "check warns about an image without alt text" grep -q 'noalt.md:28:1: warning: image .*has no alternate text' "$T/out"
"$BULLETIN" check "$T/noalt.md" --pdf-standard ua-1 > "$T/out" 2>&1
check "check --pdf-standard ua-1 makes it an error" sh -c "test $? = 1 && grep -q 'error: --pdf-standard ua-1' '$T/out'"
printf -- '---\nyear: 2024\nmonth: 1\nnumber: 1\n---\n\n# 栏目\n\n### 跳级的标题\n\n正文。\n' > "$T/skip.md"
"$BULLETIN" render "$T/skip.md" --pdf-standard ua-1 -o "$T/skip.pdf" 2> "$T/err"
check "ua-1: a skipped heading level fails at the heading" grep -q 'skip.md:9:5: error: .*level-3 heading after a level-1' "$T/err"
check "ua-1: ... and writes nothing" test ! -e "$T/skip.pdf"
"$BULLETIN" render "$T/skip.md" --pdf-standard a-2b -o "$T/skip.pdf" 2> "$T/err"
check "a-2b alone does not need heading order" test $? = 0
mkdir -p "$T/lo"
cat > "$T/lo/notitle.yaml" <<YAML
extends: $ROOT/layouts/epoint.yaml
metadata:
  title: ""
YAML
"$BULLETIN" render "$T/all.md" --layout "$T/lo/notitle.yaml" --pdf-standard ua-1 -o "$T/nt.pdf" 2> "$T/err"
check "ua-1: a layout without a title fails" grep -q 'PDF/UA needs a document title' "$T/err"
"$BULLETIN" render "$ISSUE" --pdf-standard a-2b --cmyk -o "$T/c.pdf" 2> "$T/err"
check "--cmyk with PDF/A fails, saying why" grep -q 'output intent here is sRGB' "$T/err"
"$BULLETIN" render "$ISSUE" --pdf-standard ua-1 --bleed 3mm --cmyk -o "$T/c.pdf" 2> "$T/err"
check "--cmyk with ua-1: tagged and conforming" $CHECK "$T/c.pdf" --standard ua-1 --quiet
"$BULLETIN" render "$ISSUE" --pdf-standard a-2b --format png -o "$T/x.png" 2> "$T/err"
check "--pdf-standard with PNG is a usage error" test $? = 2
"$BULLETIN" render "$ISSUE" --pdf-standard a-2b,a-3b -o "$T/x.pdf" 2> "$T/err"
check "two PDF/A parts are a usage error" sh -c "test $? = 2 && grep -q 'one part and level of PDF/A' '$T/err'"
"$BULLETIN" render "$ISSUE" --pdf-standard x-1 -o "$T/x.pdf" 2> "$T/err"
check "an unknown standard is a usage error naming it" sh -c "test $? = 2 && grep -q 'x-1 is not a PDF standard' '$T/err'"

# 6. the layout's defaults: pdf_standard and metadata.lang
cat > "$T/lo/std.yaml" <<YAML
extends: $ROOT/layouts/epoint.yaml
pdf_standard: a-3b,ua-1
metadata:
  lang: en-GB
YAML
"$BULLETIN" render "$T/all.md" --layout "$T/lo/std.yaml" -o "$T/std.pdf" 2> "$T/err"
check "a layout's pdf_standard applies" $CHECK "$T/std.pdf" --standard a-3b,ua-1 --quiet
check "a layout's metadata.lang is the catalog's /Lang" \
	sh -c "qpdf --qdf --object-streams=disable '$T/std.pdf' - | grep -a -q '/Lang (en-GB)'"
"$BULLETIN" render "$T/all.md" --layout "$T/lo/std.yaml" --pdf-standard a-2b -o "$T/over.pdf" 2> /dev/null
check "--pdf-standard overrides the layout's" $CHECK "$T/over.pdf" --standard a-2b --quiet
printf 'extends: %s/layouts/epoint.yaml\npdf_standard: a-9z\n' "$ROOT" > "$T/lo/bad.yaml"
"$BULLETIN" render "$T/all.md" --layout "$T/lo/bad.yaml" -o "$T/bad.pdf" 2> "$T/err"
check "a bad pdf_standard is an error at its place" grep -q 'bad.yaml:2:15: error: pdf_standard: a-9z is not' "$T/err"
printf 'extends: %s/layouts/epoint.yaml\nmetadata:\n  lang: "中文"\n' "$ROOT" > "$T/lo/lang.yaml"
"$BULLETIN" render "$T/all.md" --layout "$T/lo/lang.yaml" -o "$T/bad.pdf" 2> "$T/err"
check "a bad metadata.lang is an error at its place" grep -q 'lang.yaml:3:10: error: metadata.lang: 中文 is not a language tag' "$T/err"
BULLETIN_SRGB_PROFILE=/nonexistent "$BULLETIN" render "$ISSUE" --pdf-standard a-2b -o "$T/x.pdf" 2> "$T/err"
check "PDF/A without a colour profile fails, saying what to install" grep -q 'icc-profiles-free' "$T/err"

# 7. ligatures and the 2-em dash copy as letters, on screen and after --cmyk
mkdir -p "$T/data/fonts"
cp "$ROOT/fonts/fonts.conf" "$T/data/fonts/"
cp /usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf "$T/data/fonts/"
ln -s "$ROOT/layouts" "$T/data/layouts"
printf 'extends: %s/layouts/epoint.yaml\nfonts:\n  serif: Nimbus Roman\n' "$ROOT" > "$T/lo/liga.yaml"
printf -- '---\nyear: 2024\nmonth: 1\nnumber: 1\n---\n\n# 栏目\n\n## 标题\n\nThe differences are final and official.\n\n他说——这是破折号——没错。\n' > "$T/liga.md"
BULLETIN_DATA=$T/data "$BULLETIN" render "$T/liga.md" --layout "$T/lo/liga.yaml" -o "$T/liga.pdf" 2> "$T/err"
check "a font with ligatures renders" test $? = 0
check "the ligatures are drawn (fi, ff glyphs)" sh -c "qpdf --qdf --object-streams=disable '$T/liga.pdf' - | grep -a -q '/ActualText <feff00660066>'"
check "ToUnicode maps them to letters, no U+FB00-FB06" \
	sh -c "! qpdf --qdf --object-streams=disable '$T/liga.pdf' - | grep -a -i -q '<fb0[0-6]>'"
check "read from the glyphs alone (as MuPDF does): differences, final, official" \
	$CHECK "$T/liga.pdf" --quiet --glyphs --find differences --find final --find official
check "pdftotext: differences, final" sh -c "pdftotext '$T/liga.pdf' - | grep -q 'The differences are final'"
check "pdftotext: —— as two U+2014" sh -c "pdftotext '$T/liga.pdf' - | grep -q '他说——这是'"
"$BULLETIN" render "$T/liga.md" --cmyk -o "$T/liga-cmyk.pdf" 2> "$T/err"
check "--cmyk: —— still two U+2014 (not —ᐔ)" sh -c "pdftotext '$T/liga-cmyk.pdf' - | grep -q '他说——这是破折号——没错'"
BULLETIN_DATA=$T/data "$BULLETIN" render "$T/liga.md" --layout "$T/lo/liga.yaml" --cmyk -o "$T/liga-cmyk2.pdf" 2> "$T/err"
check "--cmyk: ligatures still map to letters" \
	sh -c "! qpdf --qdf --object-streams=disable '$T/liga-cmyk2.pdf' - | grep -a -i -q '<fb0[0-6]>'"
finish
