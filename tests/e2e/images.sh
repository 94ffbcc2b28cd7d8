# Images in an issue: scaled to the measure with their caption, kept whole,
# JPEG embedded as it is, SVG as vectors, a warning under the layout's print
# resolution, a missing or corrupt image an error with its place.
. "$(dirname "$0")/lib.sh"

# a PNG of w x h pixels, written with the standard library only
mkpng() {
	python3 - "$1" "$2" "$3" <<'PY'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = b"".join(b"\0" + b"".join(bytes((x * 255 // w, y * 255 // h, 120)) for x in range(w))
                for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                      + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
}
mkpng "$T/low.png" 200 120
mkpng "$T/high.png" 2400 1400
cp "$ROOT/tests/data/photo.jpg" "$T/photo.jpg"
cat > "$T/mark.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#0b5aa2"/><circle cx="50" cy="50" r="30" fill="#d9822b"/></svg>
SVG
cat > "$T/issue.md" <<'MD'
---
year: 2023
month: 5
number: 5
---

# 栏目

## 图片

正文一段。

![图一：高分辨率示意](high.png)

![图二：低分辨率示意](low.png)

![图三：照片](photo.jpg)

![图四：矢量标志](mark.svg)
MD
"$BULLETIN" render "$T/issue.md" -o "$T/out.pdf" --dump "$T/dump" 2> "$T/err"
check "renders with images" test $? = 0
pdfimages -list "$T/out.pdf" > "$T/list"
check "three raster images embedded (the SVG is vectors)" test "$(tail -n +3 "$T/list" | wc -l)" = 3
check "the JPEG is embedded as JPEG (DCT), not recompressed" sh -c "tail -n +3 '$T/list' | awk '\$4 == 600 && \$5 == 400' | grep -q jpeg"
jpgsize=$(wc -c < "$T/photo.jpg")
# the PNGs' pixels are deflated (cairo stores them, pdfobj.c compresses
# them on the threads): no image stream left stored, none near its size raw
qpdf --json=2 --json-stream-data=inline --decode-level=none "$T/out.pdf" "$T/out.json"
python3 - "$T/out.json" > "$T/flate" <<'PY'
import base64, json, sys
objs = json.load(open(sys.argv[1]))["qpdf"][1]
images = stored = 0
for v in objs.values():
    s = v.get("stream")
    if not s or s["dict"].get("/Subtype") != "/Image" or s["dict"].get("/Filter") != "/FlateDecode":
        continue
    images += 1
    stored += (base64.b64decode(s["data"])[2] & 6) == 0
print(images, stored)
PY
read -r nflate nstored < "$T/flate"
check "the PNGs' pixels deflated ($nflate Flate images, $nstored stored)" test "$nflate" -ge 2 -a "$nstored" -eq 0
check "the JPEG's bytes are embedded as they are" sh -c "qpdf --show-object=\$(pdfimages -list '$T/out.pdf' | awk '\$9 == \"jpeg\" {print \$11; exit}') --raw-stream-data '$T/out.pdf' | cmp -s - '$T/photo.jpg'"
check "low resolution: a warning with its place" grep -q 'issue.md:15:3: warning: image .*low.png prints at [0-9]* ppi, under the layout.s 300 ppi' "$T/err"
check "high resolution: no warning" sh -c "! grep -q 'high.png' '$T/err'"
check "the SVG is drawn" grep -q 'image .* .*mark.svg' "$T/dump"
# each image is scaled to the measure (or to half the text height) and
# stays on one page with its caption
python3 - "$T/dump" <<'PY'
import re, sys
page = 0; pending = None; bad = 0; seen = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        page += 1
    if page == 1:
        continue  # the cover's own images
    m = re.match(r"\s+image (\S+) (\S+) (\S+) (\S+) s\d+ (\S+)", line)
    if m:
        x, y, w, h = map(float, m.groups()[:4])
        if not (abs(w - 470.55) < 1 or h > 300):
            bad += 1; print("not scaled to the measure:", line.strip())
        pending = page; seen += 1
    elif pending is not None and line.startswith("  line "):
        if "图" not in line or page != pending:
            bad += 1; print("caption not right under its image:", line.strip())
        pending = None
print(f"{seen} images, {bad} problems")
sys.exit(1 if bad or seen != 4 else 0)
PY
check "images scaled, each kept with its caption" test $? = 0

printf 'not an image' > "$T/bad.png"
printf -- '---\nyear: 2023\nmonth: 5\nnumber: 5\n---\n\n# 栏目\n\n![坏图](bad.png)\n' > "$T/corrupt.md"
"$BULLETIN" render "$T/corrupt.md" -o "$T/c.pdf" 2> "$T/err"
check "corrupt image: exit 1" test $? = 1
check "corrupt image: error with its place" grep -q 'corrupt.md:9:3: error: image bad.png: not a PNG, JPEG or SVG' "$T/err"
printf -- '---\nyear: 2023\nmonth: 5\nnumber: 5\n---\n\n# 栏目\n\n![缺图](nowhere.jpg)\n' > "$T/missing.md"
"$BULLETIN" render "$T/missing.md" -o "$T/m.pdf" 2> "$T/err"
check "missing image: exit 1" test $? = 1
check "missing image: error with its place" grep -q 'missing.md:9:3: error: image nowhere.jpg: cannot open' "$T/err"
check "no PDF from a failed run" test ! -e "$T/m.pdf"
finish
