# Integrity: output only on success, files only from where they belong,
# bounded work on any image, signals that leave nothing behind.  Each block
# is one point a red-team round found; a failure names the point.
. "$(dirname "$0")/lib.sh"
H=$ROOT/tests/hostile/images

mkissue() {	# mkissue FILE [BODY-LINES...]: a small good issue
	f=$1
	shift
	{
		printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 要闻速递\n\n## 标题\n\n正文一段。\n'
		for l in "$@"; do printf '\n%s\n' "$l"; done
	} > "$f"
}
# no_temps DIR NAME: no temporary of NAME (NAME.XXXXXX) is left in DIR
no_temps() { ! ls -a "$1" | grep -q "^$2\.......$"; }

# ---- 1. a write error never replaces an output, and is never exit 0
if [ "$(id -u)" = 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=200k tmpfs "$T/full" 2>/dev/null; then
	trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
	mkissue "$T/small.md"
	"$BULLETIN" render "$T/small.md" -o "$T/full/out.pdf"
	cp "$T/full/out.pdf" "$T/good.pdf"
	for opts in "" "--bleed 3mm" "--cmyk"; do
		# shellcheck disable=SC2086
		"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" -o "$T/full/out.pdf" $opts 2> "$T/err"
		check "full disk ($opts): exit 1" test $? = 1
		check "full disk ($opts): says so" grep -q 'out.pdf: error: cannot write: No space left on device' "$T/err"
		check "full disk ($opts): the old PDF kept" cmp -s "$T/full/out.pdf" "$T/good.pdf"
		check "full disk ($opts): no temporary left" no_temps "$T/full" out.pdf
		check "full disk ($opts): the old PDF is valid" qpdf --check "$T/full/out.pdf" > /dev/null
	done
	printf 'old dump\n' > "$T/full/dump.txt"
	dd if=/dev/zero of="$T/full/filler" bs=1k count=150 2> /dev/null
	"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" --no-pdf --dump "$T/full/dump.txt" 2> "$T/err"
	check "full disk (--dump): exit 1" test $? = 1
	check "full disk (--dump): the old dump kept" grep -qx 'old dump' "$T/full/dump.txt"
	check "full disk (--dump): no temporary left" no_temps "$T/full" dump.txt
	rm -f "$T/full/filler"
	# watch: a failed write is an error line, not "rendered"
	"$BULLETIN" watch "$ROOT/issues/2022-08/issue.md" -o "$T/full/out.pdf" --count 1 > "$T/wlog" 2> "$T/err"
	check "full disk (watch): exit 0 after its one render" test $? = 0
	check "full disk (watch): reports the error" grep -q 'error: .*No space left on device (kept the last good output)' "$T/wlog"
	check "full disk (watch): the old PDF kept" cmp -s "$T/full/out.pdf" "$T/good.pdf"
	umount "$T/full"
else
	echo "skip: the full-disk cases need root and a tmpfs mount"
fi

# ---- 2. no output replaces a file the render reads
mkdir -p "$T/in"
cp "$ROOT/tests/data/photo.jpg" "$T/in/photo.jpg"
mkissue "$T/in/issue.md" '![照片](photo.jpg)'
printf 'extends: %s/layouts/epoint.yaml\n' "$ROOT" > "$T/in/lo.yaml"
for f in photo.jpg lo.yaml issue.md; do cp "$T/in/$f" "$T/in/$f.orig"; done
ln -s photo.jpg "$T/in/alias.jpg"
cp "$ROOT/tests/data/photo.jpg" "$T/in/pg-01.png"	# named as page 1 of -o pg.png would be
cp "$T/in/pg-01.png" "$T/in/pg-01.png.orig"
mkissue "$T/in/png.md" '![照片](pg-01.png)'
"$BULLETIN" render "$T/in/png.md" --format png -o "$T/in/pg.png" 2> "$T/err"
check "a PNG page over an input image: exit 1" test $? = 1
check "a PNG page over an input image: the image intact" cmp -s "$T/in/pg-01.png" "$T/in/pg-01.png.orig"
check "a PNG page over an input image: no other page written" test ! -e "$T/in/pg-02.png"
for spec in "-o $T/in/lo.yaml" "-o $T/in/photo.jpg" "-o $T/in/alias.jpg" "--dump $T/in/issue.md -o $T/in/x.pdf" \
	"--deps $T/in/lo.yaml -o $T/in/x.pdf" "--dump $T/in/lo.yaml -o $T/in/x.pdf"; do
	# shellcheck disable=SC2086
	"$BULLETIN" render "$T/in/issue.md" --layout "$T/in/lo.yaml" $spec 2> "$T/err"
	check "input as output ($spec): exit 1" test $? = 1
	check "input as output ($spec): says which" grep -q -e 'would overwrite' "$T/err"
	for f in photo.jpg lo.yaml issue.md; do
		check "input as output ($spec): $f intact" cmp -s "$T/in/$f" "$T/in/$f.orig"
	done
done
check "input as output: no PDF written" test ! -e "$T/in/x.pdf"
"$BULLETIN" render "$T/in/issue.md" -o "$T/in/same" --dump "$T/in/same" 2> "$T/err"
check "two outputs naming one file: exit 1" test $? = 1
check "two outputs naming one file: says so" grep -q 'two outputs name the same file' "$T/err"

# ---- 3, 10, 11. images: limits from the header, no crash, the image's place
cp "$H"/*.jpg "$H"/*.png "$H"/*.svg "$T/in/" 2>/dev/null
for img in jpeg-40000x8.jpg jpeg-30000x30000.jpg png-23150-1bit.png png-60000-nodata.png; do
	mkissue "$T/in/big.md" "![大图]($img)"
	timeout 20 "$BULLETIN" render "$T/in/big.md" -o "$T/in/big.pdf" 2> "$T/err"
	rc=$?
	check "$img: exit 1, no crash (got $rc)" test "$rc" = 1
	check "$img: refused at its place, from the header" grep -q -E "big.md:13:3: error: image .*$img: it has [0-9]+ x [0-9]+ pixels" "$T/err"
	timeout 20 "$BULLETIN" render "$T/in/big.md" --format png -o "$T/in/big.png" 2> /dev/null
	check "$img --format png: exit 1" test $? = 1
	timeout 20 "$BULLETIN" check "$T/in/big.md" > "$T/out" 2>&1
	check "$img: check fails too" test $? = 1
	check "$img: check says where" grep -q "big.md:13:3: error: image .*$img" "$T/out"
done
check "no PDF from a refused image" test ! -e "$T/in/big.pdf"
# as a cover image: refused at the layout's line
printf 'extends: %s/layouts/epoint.yaml\ncover:\n  - kind: image\n    file: jpeg-40000x8.jpg\n    x: 0\n    y: 0\n    width: 100\n' "$ROOT" > "$T/in/cover.yaml"
timeout 20 "$BULLETIN" render "$T/in/issue.md" --layout "$T/in/cover.yaml" -o "$T/in/c.pdf" 2> "$T/err"
check "cover JPEG 40000x8: exit 1" test $? = 1
check "cover JPEG 40000x8: the layout's place" grep -q 'cover.yaml:3:[0-9]*: error: cover\[1\]: image jpeg-40000x8.jpg: it has 40000 x 8 pixels' "$T/err"
# a layout can lower the limits; the total counts every image
printf 'extends: %s/layouts/epoint.yaml\nimages:\n  max_total_megapixels: 0.3\n' "$ROOT" > "$T/in/tight.yaml"
mkissue "$T/in/two.md" '![一](photo.jpg)' '![二](photo.jpg)'
"$BULLETIN" render "$T/in/two.md" --layout "$T/in/tight.yaml" -o "$T/in/two.pdf" 2> "$T/err"
check "total megapixels: exit 1" test $? = 1
check "total megapixels: at the image that passes it" grep -q 'two.md:15:3: error: image .*photo.jpg: with it the issue.s images have 0.5 megapixels; the layout allows 0.3' "$T/err"
# within the limits: 100 megapixels render, in bounded time and memory
python3 - "$T/in/p100.png" <<'PY'
import struct, sys, zlib
w = h = 10000
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
c = zlib.compressobj(9)
data = b"".join(c.compress(b"\0" + b"\x55" * (w // 8)) for _ in range(h)) + c.flush()
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
                              + chunk(b"IDAT", data) + chunk(b"IEND", b""))
PY
mkissue "$T/in/p100.md" '![一亿像素](p100.png)'
case "$BULLETIN" in
*asan*) timeout 60 "$BULLETIN" render "$T/in/p100.md" -o "$T/in/p100.pdf" 2> "$T/err" ;;
*) /usr/bin/time -f '%M' -o "$T/rss" timeout 20 "$BULLETIN" render "$T/in/p100.md" -o "$T/in/p100.pdf" 2> "$T/err"
   check "100 megapixels: under 1 GB" test "$(cat "$T/rss")" -lt 1000000 ;;
esac
check "100 megapixels: rendered (within 20 s)" test -s "$T/in/p100.pdf"
# an SVG filter that takes minutes: stopped by the time budget
mkissue "$T/in/turb.md" '![噪声](turbulence.svg)'
start=$(date +%s)
timeout 20 "$BULLETIN" render "$T/in/turb.md" -o "$T/in/turb.pdf" 2> "$T/err"
rc=$?
check "SVG turbulence: exit 1 (got $rc)" test "$rc" = 1
check "SVG turbulence: within the time budget" test $(($(date +%s) - start)) -le 12
check "SVG turbulence: the image's place and why" grep -q 'turb.md:13:3: error: image .*turbulence.svg: drawing the SVG takes longer than the layout allows' "$T/err"
if pgrep -f "bulletin render $T/in/turb.md" > /dev/null; then fail "SVG turbulence: a drawing child left"; else ok; fi
# an SVG with a cheap filter is drawn, as a raster, and finishes
mkissue "$T/in/blur.md" '![模糊](blur.svg)'
"$BULLETIN" render "$T/in/blur.md" -o "$T/in/blur.pdf" 2> "$T/err"
check "SVG with a blur: rendered" test $? = 0
check "SVG with a blur: embedded as a raster" sh -c "pdfimages -list '$T/in/blur.pdf' | tail -n +3 | grep -q image"
# JPEG pass-through: no metadata, nothing after the end marker
mkissue "$T/in/exif.md" '![照片](exif-trailer.jpg)'
"$BULLETIN" render "$T/in/exif.md" -o "$T/in/exif.pdf" 2> "$T/err"
check "JPEG with EXIF and a trailer: rendered" test $? = 0
obj=$(pdfimages -list "$T/in/exif.pdf" | awk '$9 == "jpeg" {print $11; exit}')
qpdf --show-object="$obj" --raw-stream-data "$T/in/exif.pdf" > "$T/in/embedded.jpg"
check "JPEG: embedded, ending at its end marker" test "$(tail -c 2 "$T/in/embedded.jpg" | od -An -tx1 | tr -d ' ')" = ffd9
check "JPEG: the trailer is not in the PDF" sh -c "! grep -q SECRET-TRAILER '$T/in/embedded.jpg'"
check "JPEG: the EXIF is not in the PDF" sh -c "! grep -q -a 'Exif' '$T/in/embedded.jpg'"
check "JPEG: the picture kept byte for byte" cmp -s "$T/in/embedded.jpg" "$ROOT/tests/data/photo.jpg"
# watch survives a bad image and renders again when it is fixed
mkdir -p "$T/wi"
cp "$H/jpeg-40000x8.jpg" "$T/wi/pic.jpg"
mkissue "$T/wi/issue.md" '![图](pic.jpg)'
: > "$T/wi/log"
timeout 60 "$BULLETIN" watch "$T/wi/issue.md" -o "$T/wi/out.pdf" --count 2 > "$T/wi/log" 2> "$T/wi/err" &
wpid=$!
n=0; while [ "$(wc -l < "$T/wi/log")" -lt 1 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
cp "$ROOT/tests/data/photo.jpg" "$T/wi/tmp.jpg" && mv "$T/wi/tmp.jpg" "$T/wi/pic.jpg"
wait $wpid
check "watch with a 40000 px JPEG: not killed" test $? = 0
check "watch: the error line names the image" grep -q 'error: .*issue.md:13:3: image .*pic.jpg: it has 40000 x 8' "$T/wi/log"
check "watch: renders once the image is fixed" sh -c "sed -n 2p '$T/wi/log' | grep -q rendered"

# ---- 4, 5, 8. files only from where they belong
mkdir -p "$T/iss/sub" "$T/elsewhere"
cp "$ROOT/tests/data/photo.jpg" "$T/elsewhere/photo.jpg"
cp "$ROOT/tests/data/photo.jpg" "$T/iss/sub/ok.jpg"
ln -s "$T/elsewhere/photo.jpg" "$T/iss/link.jpg"
mkfifo "$T/iss/fifo.jpg"
for ref in "$T/elsewhere/photo.jpg" ../elsewhere/photo.jpg link.jpg; do
	mkissue "$T/iss/issue.md" "![外](<$ref>)"
	"$BULLETIN" render "$T/iss/issue.md" -o "$T/iss/out.pdf" 2> "$T/err"
	check "image $ref: exit 1" test $? = 1
	check "image $ref: outside the issue's folder" grep -q "issue.md:13:3: error: image .*: it is outside the issue's folder" "$T/err"
done
mkissue "$T/iss/issue.md" '![下](sub/ok.jpg)'
"$BULLETIN" render "$T/iss/issue.md" -o "$T/iss/out.pdf" 2> "$T/err"
check "an image in a subfolder: rendered" test $? = 0
mkissue "$T/iss/issue.md" '![管道](fifo.jpg)'
timeout 10 "$BULLETIN" render "$T/iss/issue.md" -o "$T/iss/out.pdf" 2> "$T/err"
check "FIFO image: exit 1, not blocked" test $? = 1
check "FIFO image: says so" grep -q 'issue.md:13:3: error: image fifo.jpg: cannot read: it is a FIFO' "$T/err"
timeout 10 "$BULLETIN" check "$T/iss/issue.md" > /dev/null 2>&1
check "FIFO image: check does not block either" test $? = 1
printf 'kind: x\nsecret: 1\n' > "$T/elsewhere/lo.yaml"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: %s\n---\n\n# 栏目\n' "$T/elsewhere/lo.yaml" > "$T/iss/far.md"
"$BULLETIN" render "$T/iss/far.md" -o "$T/iss/far.pdf" 2> "$T/err"
check "layout outside: exit 1" test $? = 1
check "layout outside: refused where it is named" grep -q "far.md:5:9: error: layout '.*lo.yaml' is outside the project's layouts folder and the issue's folder" "$T/err"
check "layout outside: nothing of it quoted" sh -c "! grep -q secret '$T/err'"
"$BULLETIN" render "$T/iss/far.md" --layout "$T/elsewhere/lo.yaml" -o "$T/iss/far.pdf" 2> "$T/err"
check "layout outside, on the command line: read (and its errors shown)" grep -q "lo.yaml:1:1: error: unknown key 'kind'" "$T/err"
printf 'extends: /etc/passwd\n' > "$T/iss/ext.yaml"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: ext.yaml\n---\n\n# 栏目\n' > "$T/iss/ext.md"
"$BULLETIN" render "$T/iss/ext.md" -o "$T/iss/ext.pdf" 2> "$T/err"
check "extends outside: refused at extends" grep -q "ext.yaml:1:10: error: layout '/etc/passwd' is outside" "$T/err"
check "extends outside: nothing of it quoted" sh -c "! grep -q 'root:' '$T/err'"
# layout: ./x.yaml next to the issue, rendered from another folder
printf 'extends: epoint\nstyles:\n  body: {size: 11}\n' > "$T/iss/x.yaml"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\nlayout: ./x.yaml\n---\n\n# 栏目\n\n## 标题\n\n正文。\n' > "$T/iss/rel.md"
(cd / && "$BULLETIN" render "$T/iss/rel.md" -o "$T/iss/rel.pdf" 2> "$T/err")
check "layout: ./x.yaml beside the issue, from another folder" test $? = 0
# a long key is quoted short
python3 -c "print('---\nyear: 2022\nmonth: 8\nnumber: 4\n' + 'k' * 1000000 + ': 1\n---\n')" > "$T/longkey.md"
"$BULLETIN" render "$T/longkey.md" -o "$T/lk.pdf" 2> "$T/err"
check "a 1 MB key: exit 1" test $? = 1
check "a 1 MB key: quoted in a short excerpt" test "$(wc -c < "$T/err")" -lt 400

# ---- 6. devices and links as outputs
mkissue "$T/d.md"
"$BULLETIN" render "$T/d.md" -o /dev/null
check "-o /dev/null: exit 0" test $? = 0
check "-o /dev/null: still a character device" test -c /dev/null
"$BULLETIN" render "$T/d.md" -o - > "$T/stdout.pdf"
check "-o -: the PDF on standard output" sh -c "head -c 5 '$T/stdout.pdf' | grep -q '%PDF-' && qpdf --check '$T/stdout.pdf' > /dev/null"
printf 'old\n' > "$T/target.pdf"
ln -s target.pdf "$T/link.pdf"
"$BULLETIN" render "$T/d.md" -o "$T/link.pdf"
check "-o LINK: the link stays a link" test -L "$T/link.pdf"
check "-o LINK: its target is the new PDF" sh -c "head -c 5 '$T/target.pdf' | grep -q '%PDF-'"
ln -s nowhere.pdf "$T/dangling.pdf"
"$BULLETIN" render "$T/d.md" -o "$T/dangling.pdf" 2> "$T/err"
check "-o DANGLING-LINK: refused" sh -c "test $? = 1 && grep -q 'symbolic link to a file that does not exist' '$T/err'"
mkfifo "$T/pipe.pdf"
cat "$T/pipe.pdf" > "$T/fromfifo.pdf" &
"$BULLETIN" render "$T/d.md" -o "$T/pipe.pdf"
wait
check "-o FIFO: written into it" sh -c "test -p '$T/pipe.pdf' && head -c 5 '$T/fromfifo.pdf' | grep -q '%PDF-'"
chmod 640 "$T/target.pdf"
"$BULLETIN" render "$T/d.md" -o "$T/target.pdf"
check "an output replaced keeps its mode" test "$(stat -c %a "$T/target.pdf")" = 640

# ---- 7. two issues of a batch writing one file
mkdir -p "$T/a/2022-08" "$T/b/2022-08" "$T/od"
mkissue "$T/a/2022-08/issue.md"
mkissue "$T/b/2022-08/issue.md"
"$BULLETIN" render "$T/a/2022-08/issue.md" "$T/b/2022-08/issue.md" --out-dir "$T/od" > "$T/out" 2> "$T/err"
check "--out-dir collision: exit 1" test $? = 1
check "--out-dir collision: names both" grep -q 'a/2022-08/issue.md and .*b/2022-08/issue.md would both be written here' "$T/err"
check "--out-dir collision: nothing rendered" test -z "$(ls "$T/od")"

# ---- 9. signals: nothing left behind, exit 128 + signal
mkdir -p "$T/sig" "$T/sigtmp"
for sig in INT TERM HUP; do
	for delay in 0.02 0.06 0.1 0.15 0.25; do
		TMPDIR=$T/sigtmp "$BULLETIN" render "$ROOT/issues/2022-08/issue.md" -o "$T/sig/out.pdf" --cmyk 2> /dev/null &
		p=$!
		sleep "$delay"
		kill -s "$sig" $p 2> /dev/null
		wait $p
		rc=$?
		case "$sig:$rc" in INT:130 | TERM:143 | HUP:129 | *:0) ok ;; *) fail "SIG$sig after ${delay}s: exit $rc" ;; esac
	done
done
sleep 0.2
check "signals: no temporary beside the output" sh -c "! ls -a '$T/sig' | grep -q 'out.pdf\.'"
check "signals: nothing left in TMPDIR" test -z "$(ls "$T/sigtmp")"
if pgrep -f "$T/sig/out.pdf" > /dev/null; then fail "signals: a render left running"; else ok; fi
mkissue "$T/sig/w.md"
: > "$T/sig/wlog"
"$BULLETIN" watch "$T/sig/w.md" -o "$T/sig/w.pdf" > "$T/sig/wlog" 2>&1 &
p=$!
n=0; while [ ! -s "$T/sig/wlog" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
kill -s TERM $p
n=0; while kill -0 $p 2> /dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
check "watch: SIGTERM while waiting ends it at once" sh -c "! kill -0 $p 2> /dev/null"
wait $p
check "watch: SIGTERM exit 143" test $? = 143

# ---- 11. noncharacters: refused at their place, by render and check alike
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏目 &#xFFFE;\n' > "$T/nc1.md"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏目\n\n正文\357\267\220。\n' > "$T/nc2.md"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n  title: "数字\\uFFFF"\n---\n\n# 栏目\n' > "$T/nc3.md"
for c in "nc1.md:7:" "nc2.md:9:" "nc3.md:6:"; do
	f=${c%%:*}
	"$BULLETIN" render "$T/$f" -o "$T/nc.pdf" 2> "$T/err"
	check "$f: exit 1" test $? = 1
	check "$f: the place and the code point" grep -q "$c[0-9]*: error: noncharacter U+" "$T/err"
	"$BULLETIN" check "$T/$f" > "$T/out" 2>&1
	check "$f: check reports it" grep -q "$c[0-9]*: error: noncharacter" "$T/out"
done

# ---- 12. the TOC's lines are TOC lines
"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" --no-pdf --dump "$T/ref.dump"
check "TOC lines dump as toc" sh -c "sed -n '/^page 2 /,/^page 3 /p' '$T/ref.dump' | grep -c ':toc ' | grep -qv '^0$'"

# ---- 13. smaller ones
mkissue "$T/s.md"
printf 'before\n' > "$T/s.pdf"
"$BULLETIN" render "$T/s.md" -o "$T/s.pdf" --deps "$T/nofolder/s.d" 2> "$T/err"
check "a failed --deps: exit 1" test $? = 1
check "a failed --deps: the PDF is not replaced" grep -qx before "$T/s.pdf"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ndate: 1999-08-01\n---\n\n# 栏目\n' > "$T/far-date.md"
"$BULLETIN" render "$T/far-date.md" -o "$T/fd.pdf" 2> "$T/err"
check "a date far from the month: a warning at the date" grep -q 'far-date.md:5:7: warning: date 1999-08-01 is 276 months before' "$T/err"
printf -- '---\nyear: !foo 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏目\n' > "$T/tag1.md"
printf 'extends: %s/layouts/epoint.yaml\nstyles:\n  body: {line_height: !!str 1.8}\n' "$ROOT" > "$T/tag2.yaml"
"$BULLETIN" render "$T/tag1.md" -o "$T/t.pdf" 2> "$T/err"
check "a YAML tag in the front matter: an error at the tag" grep -q "tag1.md:2:7: error: YAML: tags (!foo) are not supported" "$T/err"
"$BULLETIN" render "$T/s.md" --layout "$T/tag2.yaml" -o "$T/t.pdf" 2> "$T/err"
check "a YAML tag in a layout: an error" grep -q "tag2.yaml:3:[0-9]*: error: YAML: tags (!!str) are not supported" "$T/err"
# a measure narrower than a character: every line of the paragraph is overfull
printf 'extends: %s/layouts/epoint.yaml\npage: {margin: {left: 250pt, right: 295pt, top: 72pt, bottom: 72pt}}\nstyles:\n  body: {size: 60}\n' "$ROOT" > "$T/narrow.yaml"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n正文正文正文正文正文\n' > "$T/rep.md"
"$BULLETIN" render "$T/rep.md" --layout "$T/narrow.yaml" --no-pdf --dump /dev/null 2> "$T/err"
check "a repeated warning is printed once" test "$(grep -c 'rep.md:9: warning: overfull line: 9.7pt' "$T/err")" = 1
check "... with its count" grep -q -E 'rep.md:9: warning: overfull line: .* \(9 times\)' "$T/err"
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏目\n\n[脚本](javascript:alert(1)) [文件](file:///etc/passwd) [网](https://example.org) [裸](www.gov.cn)\n' > "$T/links.md"
"$BULLETIN" render "$T/links.md" -o "$T/links.pdf" 2> "$T/err"
check "unsafe links: rendered" test $? = 0
check "javascript: a warning at the link" grep -q "links.md:9:1: warning: link target 'javascript:alert(1)' is not written as a link" "$T/err"
check "file: a warning" grep -q "warning: link target 'file:///etc/passwd' is not written" "$T/err"
check "no scheme: a warning" grep -q "warning: link target 'www.gov.cn' is not written as a link: it has no scheme" "$T/err"
qpdf --qdf --object-streams=disable "$T/links.pdf" "$T/links.qdf"
check "javascript:/file: are not URI actions" sh -c "! grep -a -q -e 'javascript' -e 'file://' '$T/links.qdf'"
check "https: is" grep -a -q 'https://example.org' "$T/links.qdf"
finish
