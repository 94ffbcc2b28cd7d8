# Renders on several cores (work.c, the glyph warmer in subset.c, deflate in
# pdfobj.c) and batches on several processes (render -j N, batch.c): the
# same bytes as on one; a failing issue, a stopped batch and bad -j values.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
export BULLETIN_CACHE_DIR=off	# every render cuts its faces: the threads do work
for args in "" "--pdf-standard a-2u,ua-1" "--layout print --bleed 3mm --cmyk" \
	    "--layout print --bleed 3mm --impose saddle-stitch"; do
	# shellcheck disable=SC2086
	BULLETIN_THREADS=1 "$BULLETIN" render "$ISSUE" $args -o "$T/one.pdf"
	for n in 2 4; do
		# shellcheck disable=SC2086
		BULLETIN_THREADS=$n "$BULLETIN" render "$ISSUE" $args -o "$T/many.pdf"
		check "${args:-default}: $n threads write the bytes 1 does" cmp -s "$T/one.pdf" "$T/many.pdf"
	done
done
check "the PDF is whole" sh -c "qpdf --check '$T/many.pdf' > /dev/null"
# cairo's font programs and images are stored while it writes them and
# compressed on the threads afterwards (pdfobj.c): none is left stored,
# and the fonts are compressed as zlib compresses them
qpdf --json=2 --json-stream-data=inline --decode-level=none "$T/one.pdf" "$T/one.json"
python3 - "$T/one.json" > "$T/streams" <<'PY'
import base64, json, sys, zlib
objs = json.load(open(sys.argv[1]))["qpdf"][1]
fonts = {v["value"][k] for v in objs.values() if isinstance(v.get("value"), dict)
         for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in v["value"]}
stored = flate = fontbytes = fontdata = 0
for name, v in objs.items():
    s = v.get("stream")
    if not s or s["dict"].get("/Filter") != "/FlateDecode":
        continue
    raw = base64.b64decode(s["data"])
    flate += 1
    stored += (raw[2] & 6) == 0
    if name[4:] in fonts:
        fontbytes += len(raw)
        fontdata += len(zlib.decompress(raw))
print(flate, stored, len(fonts), fontbytes, fontdata)
PY
read -r flate stored nfonts fontbytes fontdata < "$T/streams"
check "Flate streams there ($flate)" test "$flate" -gt 10
check "none of them stored ($stored)" test "$stored" -eq 0
check "font programs compressed: $fontbytes bytes for $fontdata in $nfonts fonts" \
	test "$nfonts" -gt 2 -a "$fontbytes" -lt $((fontdata * 9 / 10))
pdftotext "$T/one.pdf" - | tr -d ' \n' > "$T/one.txt"
check "its text is there" test "$(wc -c < "$T/one.txt")" -gt 20000

# a batch: -j 2 writes what -j 1 writes, issue for issue
python3 "$ROOT/bench/gen_issues.py" "$T/issues" 6 11
unset BULLETIN_CACHE_DIR
export BULLETIN_CACHE_DIR="$T/cache"
"$BULLETIN" render "$T"/issues/*/issue.md --out-dir "$T/j1" -j 1 > "$T/j1.out" 2> "$T/j1.err"
check "-j 1: exit 0" test $? -eq 0
"$BULLETIN" render "$T"/issues/*/issue.md --out-dir "$T/j2" -j 2 > "$T/j2.out" 2> "$T/j2.err"
check "-j 2: exit 0" test $? -eq 0
same=0
for f in "$T"/j1/*.pdf; do cmp -s "$f" "$T/j2/$(basename "$f")" && same=$((same + 1)); done
check "-j 2: the 6 PDFs of -j 1, byte for byte ($same)" test "$same" -eq 6
check "-j 2: a report line per issue" test "$(grep -c '^ok: ' "$T/j2.out")" -eq 6
check "-j 2: the summary" grep -q '^6 of 6 issues rendered$' "$T/j2.out"
check "-j 2: the warnings of -j 1 (sorted)" sh -c "sort '$T/j1.err' > '$T/a' && sort '$T/j2.err' > '$T/b' && cmp -s '$T/a' '$T/b'"
"$BULLETIN" render "$T"/issues/*/issue.md --out-dir "$T/j3" --jobs=3 > /dev/null 2>&1
check "--jobs=3 as well" test "$(ls "$T"/j3/*.pdf | wc -l)" -eq 6

# one bad issue among them: reported with its place, the others written
mkdir -p "$T/bad/2030-01"
printf -- '---\nyear: 2030\nmonth: 1\nnumber: [\n---\n# 一\n' > "$T/bad/2030-01/issue.md"
"$BULLETIN" render "$T"/issues/*/issue.md "$T/bad/2030-01/issue.md" --out-dir "$T/jb" -j 2 \
	> "$T/jb.out" 2> "$T/jb.err"
check "a bad issue in a -j 2 batch: exit 1" test $? -eq 1
check "... its error with file:line:col" grep -q "bad/2030-01/issue.md:[0-9]*:[0-9]*: error" "$T/jb.err"
check "... reported failed" grep -q "^failed: .*2030-01/issue.md" "$T/jb.out"
check "... the others written" test "$(ls "$T"/jb/*.pdf | wc -l)" -eq 6
check "... and not its own" test ! -e "$T/jb/2030-01.pdf"
check "... the summary" grep -q '^6 of 7 issues rendered$' "$T/jb.out"

# a batch stopped: no temporaries, the outputs there whole
python3 "$ROOT/bench/gen_issues.py" "$T/many" 48 5
cp -r "$T/j1" "$T/js"
"$BULLETIN" render "$T"/many/*/issue.md --out-dir "$T/js" -j 2 > /dev/null 2>&1 &
pid=$!
n=0
while [ "$(ls "$T"/js/*.pdf | wc -l)" -lt 10 ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done
kill -TERM $pid
wait $pid
check "a stopped batch exits by the signal" test $? -eq 143
sleep 0.3
check "... no temporary files left" sh -c "! ls -A '$T/js' | grep -v '\.pdf$'"
whole=0
for f in "$T"/js/*.pdf; do qpdf --check "$f" > /dev/null 2>&1 && whole=$((whole + 1)); done
check "... every PDF there whole ($whole)" test "$whole" -eq "$(ls "$T"/js/*.pdf | wc -l)"
check "... stopped before the end" test "$(ls "$T"/js/*.pdf | wc -l)" -lt 48
check "... no worker left running" sh -c "! pgrep -P $pid > /dev/null"

# -j N is N cores: -j 1 starts no thread of its own (the threads are
# those of BULLETIN_THREADS=1: Pango's), -j 2 on one issue does; a -j 2
# batch of two issues forks two workers
# (strace: .ci/deps installs it)
check "strace is there" command -v strace > /dev/null
if command -v strace > /dev/null 2>&1; then
	threads() { grep -c CLONE_THREAD "$1"; }
	forks() { grep -v CLONE_THREAD "$1" | grep -c 'clone'; }
	trace() { strace -f -qq -e trace=clone,clone3 -o "$@"; }
	BULLETIN_CACHE_DIR=off BULLETIN_THREADS=1 trace "$T/s1" "$BULLETIN" render "$ISSUE" -o "$T/t1.pdf"
	BULLETIN_CACHE_DIR=off trace "$T/sj1" "$BULLETIN" render "$ISSUE" -o "$T/tj1.pdf" -j 1
	BULLETIN_CACHE_DIR=off trace "$T/sj2" "$BULLETIN" render "$ISSUE" -o "$T/tj2.pdf" -j 2
	check "-j 1: as many threads as BULLETIN_THREADS=1 ($(threads "$T/sj1"), $(threads "$T/s1"))" \
		test "$(threads "$T/sj1")" -eq "$(threads "$T/s1")"
	check "-j 2, one issue: threads of its own ($(threads "$T/sj2"))" \
		test "$(threads "$T/sj2")" -gt "$(threads "$T/sj1")"
	check "-j 1 and -j 2: the same bytes" cmp -s "$T/tj1.pdf" "$T/tj2.pdf"
	trace "$T/sb2" "$BULLETIN" render "$T"/issues/2*-0[12]/issue.md --out-dir "$T/tb2" -j 2 > /dev/null 2>&1
	check "-j 2, two issues: two workers ($(forks "$T/sb2"))" test "$(forks "$T/sb2")" -ge 2
fi

# -j's values; watch takes none
not "$BULLETIN" render "$ISSUE" -o "$T/x.pdf" -j 0 2> "$T/err"
check "-j 0: usage error" grep -q "jobs takes a number" "$T/err"
not "$BULLETIN" render "$ISSUE" -o "$T/x.pdf" -j 17 2> /dev/null
check "-j 17: refused" test ! -e "$T/x.pdf"
"$BULLETIN" render "$ISSUE" -o "$T/x.pdf" -j x > /dev/null 2>&1
check "-j x: exit 2" test $? -eq 2
"$BULLETIN" watch "$ISSUE" -o "$T/x.pdf" -j 2 --count 1 > /dev/null 2>&1
check "watch -j: exit 2" test $? -eq 2
finish
