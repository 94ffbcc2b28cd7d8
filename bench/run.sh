#!/bin/sh
# bench/run.sh BUILD: the benchmark table.  Medians of 5 where it says so;
# whole processes measured with /usr/bin/time (wall, user+sys CPU, peak RSS).
#   1. the reference issue: wall, CPU, peak RSS, PDF size (tagged); with
#      --pdf-standard a-2u,ua-1
#   1b. the same issue in Typst 0.14.2 (bench/typst), alternating: a ratio
#   2. watch mode: the re-render after an edit, as watch reports it
#   3. batch: issues per minute with make -j1, make -j2, one process with
#      -j 1, -j 2 and no -j; the annual volume of 12 issues: wall and peak memory
#   4. composing the reference's paragraphs: compose.c against PangoLayout
#   5. long input: time at twice the size over the time at once (linearity)
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/$BUILD/bulletin
REF=$ROOT/issues/2022-08/issue.md
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
row() { printf '%-46s %s\n' "$1" "$2"; }

echo "bulletin benchmark ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo

# 1. the reference issue
"$BIN" render "$REF" -o "$T/warm.pdf"	# fontconfig cache, page cache
for i in 1 2 3 4 5; do
	/usr/bin/time -f '%e %U %S %M' -o "$T/t$i" "$BIN" render "$REF" -o "$T/ref.pdf"
done
cat "$T"/t[1-5] > "$T/times"
row "reference issue: wall (s, median of 5)" "$(awk '{print $1}' "$T/times" | median)"
row "reference issue: CPU user+sys (s, median)" "$(awk '{printf "%.2f\n", $2 + $3}' "$T/times" | median)"
row "reference issue: peak RSS (MiB, median)" "$(awk '{printf "%.1f\n", $4 / 1024}' "$T/times" | median)"
row "reference issue: PDF size (KB)" "$(( $(wc -c < "$T/ref.pdf") / 1024 ))"
row "reference issue: pages" "$(pdfinfo "$T/ref.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
for i in 1 2 3 4 5; do
	/usr/bin/time -f '%e' -o "$T/s$i" "$BIN" render "$REF" --pdf-standard a-2u,ua-1 -o "$T/std.pdf"
done
row "reference issue, PDF/A-2u + PDF/UA-1: wall (s, median)" "$(cat "$T"/s[1-5] | median)"
row "reference issue, PDF/A-2u + PDF/UA-1: PDF size (KB)" "$(( $(wc -c < "$T/std.pdf") / 1024 ))"
# the bytes do not depend on threads or the cache of cuts
BULLETIN_THREADS=1 BULLETIN_CACHE_DIR=off "$BIN" render "$REF" -o "$T/t1.pdf"
BULLETIN_THREADS=2 "$BIN" render "$REF" -o "$T/t2.pdf"
row "reference: 1 thread, no cache = 2 threads, cache" "$(cmp -s "$T/t1.pdf" "$T/t2.pdf" && echo identical || echo DIFFERENT)"

# 1b. against Typst 0.14.2 on the same issue (bench/typst: its own design of
# the reference issue, the compiler from npm, pinned), side by side in one
# run, alternating, cold processes; a ratio, since these machines are noisy
cp -r "$ROOT/bench/typst" "$T/typst"
if (cd "$T/typst" && timeout 600 bash run.sh > /dev/null 2>&1) && [ -s "$T/typst/out.pdf" ]; then
	# wall to the millisecond (GNU time's %e has 10 ms steps); peak RSS from it
	ms() { s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
	for i in 1 2 3 4 5 6 7; do
		/usr/bin/time -f '%M' -o "$T/bm$i" "$BIN" render "$REF" -o "$T/ref.pdf"
		ms "$BIN" render "$REF" -o "$T/ref.pdf" 2> /dev/null | tail -n 1 > "$T/b$i"
		/usr/bin/time -f '%M' -o "$T/ym$i" bash "$T/typst/run.sh" > /dev/null 2>&1
		ms bash "$T/typst/run.sh" 2> /dev/null | tail -n 1 > "$T/y$i"
	done
	b=$(cat "$T"/b[1-7] | median | awk '{printf "%.3f", $1 / 1000}')
	y=$(cat "$T"/y[1-7] | median | awk '{printf "%.3f", $1 / 1000}')
	row "Typst 0.14.2, same issue: wall (s, median of 7)" "$y"
	row "Typst 0.14.2: peak RSS (MiB, median)" "$(cat "$T"/ym[1-7] | awk '{printf "%.0f\n", $1 / 1024}' | median)"
	row "bulletin, alternating with it: wall (s, median of 7)" "$b"
	row "Typst's time over bulletin's (x; higher is better)" "$(echo "$y $b" | awk '{printf "%.2f", $1 / $2}')"
	row "bulletin's time over Typst's (goal <= 0.40)" "$(echo "$y $b" | awk '{printf "%.2f", $2 / $1}')"
else
	row "Typst 0.14.2" "skipped: its npm package could not be installed (no registry?)"
fi

# 2. watch mode: five edits, each an atomic save
mkdir -p "$T/w"
cp "$REF" "$T/w/issue.md"
: > "$T/w/log"
"$BIN" watch "$T/w/issue.md" -o "$T/w/out.pdf" --count 6 > "$T/w/log" 2>/dev/null &
wait_lines() { n=0; while [ "$(wc -l < "$T/w/log")" -lt "$1" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done; }
wait_lines 1
for i in 1 2 3 4 5; do
	sed "s/敬请关注。/敬请关注。第$i次修改。/" "$REF" > "$T/w/tmp.md"
	mv "$T/w/tmp.md" "$T/w/issue.md"
	wait_lines $((i + 1))
done
wait
row "watch: re-render after an edit (ms, median of 5)" \
	"$(tail -n 5 "$T/w/log" | sed -n 's/.*, \([0-9]*\) ms$/\1/p' | median)"

# ... and from the save (an atomic rename) to the renamed PDF, as an editor
# sees it: the render and watch's own gathering of the save
python3 - "$BIN" "$REF" "$T/w2" > "$T/lat" 2>/dev/null <<'PY' || true
import os, subprocess, sys, time
binp, ref, d = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(d, exist_ok=True)
src = open(ref, encoding="utf-8").read()
open(d + "/issue.md", "w").write(src)
w = subprocess.Popen([binp, "watch", d + "/issue.md", "-o", d + "/out.pdf", "--count", "6"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
w.stdout.readline()
lat = []
for i in range(5):
    m0 = os.stat(d + "/out.pdf").st_mtime_ns
    open(d + "/tmp.md", "w").write(src.replace("敬请关注。", "敬请关注。第%d次。" % i))
    t0 = time.monotonic()
    os.rename(d + "/tmp.md", d + "/issue.md")
    while os.stat(d + "/out.pdf").st_mtime_ns == m0:
        time.sleep(0.001)
    lat.append((time.monotonic() - t0) * 1000)
    w.stdout.readline()
w.wait()
print(round(sorted(lat)[2]))
PY
row "watch: save to renamed PDF (ms, median of 5; goal <= 60)" "$(cat "$T/lat")"

# 3. batch throughput on 24 generated back issues
python3 "$ROOT/bench/gen_issues.py" "$T/b/issues" 24 7
mkdir -p "$T/b/build"
ln -s "$ROOT/fonts" "$T/b/fonts"
ln -s "$ROOT/layouts" "$T/b/layouts"
ln -s "$BIN" "$T/b/build/bulletin"
pages=0
for j in 1 2; do
	rm -rf "$T/b/out"
	s=$(date +%s.%N)
	make -s -C "$T/b" -f "$ROOT/Makefile" BUILD=build -j$j issues > /dev/null 2>&1
	e=$(date +%s.%N)
	row "batch: make -j$j, 24 issues (issues/min)" "$(echo "$s $e" | awk '{printf "%.0f", 24 * 60 / ($2 - $1)}')"
done
# what two processes can get on this machine at all: the same CPU-bound job
# (sha256sum of 200 MB in memory) once, then twice side by side
head -c 200000000 /dev/zero > "$T/z"
s=$(date +%s.%N); sha256sum "$T/z" > /dev/null; e=$(date +%s.%N)
s2=$(date +%s.%N); sha256sum "$T/z" > /dev/null & sha256sum "$T/z" > /dev/null; wait; e2=$(date +%s.%N)
rm -f "$T/z"
row "machine: 2 processes' throughput over 1 (sha256sum)" "$(echo "$s $e $s2 $e2" | awk '{printf "%.2fx", 2 * ($2 - $1) / ($4 - $3)}')"
for f in "$T"/b/out/*.pdf; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done
# the one-process batch with -j 1 (one core), -j 2 (two processes) and no
# -j (one process, a render's own threads on every core), alternating,
# median of 3, in issues/min
for i in 1 2 3; do
	for j in 1 2 all; do
		rm -rf "$T/b/one"
		jobs="-j $j"
		[ "$j" = all ] && jobs=
		s=$(date +%s.%N)
		"$BIN" render "$T"/b/issues/*/issue.md --out-dir "$T/b/one" $jobs > /dev/null 2>&1
		e=$(date +%s.%N)
		echo "$s $e" | awk '{printf "%.1f\n", 24 * 60 / ($2 - $1)}' > "$T/bj$j.$i"
	done
done
set -- $(cat "$T"/bj1.[1-3] | median) $(cat "$T"/bj2.[1-3] | median) $(cat "$T"/bjall.[1-3] | median)
row "batch: one process -j 1 (one core), 24 issues (issues/min)" "$1"
row "batch: one process -j 2 (issues/min)" "$2"
row "batch: -j 2 over -j 1 (x; goal >= 1.8)" "$(echo "$1 $2" | awk '{printf "%.2f", $2 / $1}')"
row "batch: one process, no -j (a render's threads) (issues/min)" "$3"
row "batch: pages in the 24 issues" "$pages"

# the annual volume: 12 of the generated issues bound in one process
set -- $(ls "$T"/b/issues/*/issue.md | head -12)
for i in 1 2 3; do
	/usr/bin/time -f '%e %M' -o "$T/v$i" "$BIN" volume "$@" -o "$T/vol.pdf" > /dev/null 2>&1 || true
done
cat "$T"/v[1-3] > "$T/vtimes"
row "volume of 12 issues: wall (s, median of 3)" "$(awk '{print $1}' "$T/vtimes" | median)"
row "volume of 12 issues: peak RSS (MiB, median; goal < 150)" "$(awk '{printf "%.0f\n", $2 / 1024}' "$T/vtimes" | median)"
row "volume of 12 issues: pages" "$(pdfinfo "$T/vol.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"

# 4. composing: compose.c against plain PangoLayout, same paragraphs
"$ROOT/$BUILD/compose_bench" "$REF" 20 > "$T/compose" 2>&1 || true
sed 's/^/  /' "$T/compose"

# 5. parsing stays linear: an issue of 1,200 headings and a paragraph of
# 30,000 lines with 15,000 emphasis spans, then one twice that; laid out
# without writing.  A ratio near 2 is linear; 4 would be quadratic.
gen_long() {
	python3 -c '
import sys
n = int(sys.argv[1])
out = ["---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n"]
out += ["## 标题%d [政策原文](#) {-}\n\n正文**粗**\n第二行\n\n" % i for i in range(1200 * n)]
out += ["字字字字\n" if i % 2 else "*a* b" for i in range(30000 * n)]
sys.stdout.write("".join(out))' "$1" > "$T/long$1.md"
}
gen_long 1
gen_long 2
for n in 1 2; do
	for i in 1 2 3; do
		/usr/bin/time -f '%e' -o "$T/l$n.$i" "$BIN" render "$T/long$n.md" --dump-model /dev/null --no-pdf > /dev/null 2>&1 || true
	done
	cat "$T"/l$n.[1-3] | median > "$T/l$n"
done
row "long input: 1x (s, median of 3)" "$(cat "$T/l1")"
row "long input: 2x over 1x (ratio; 2 is linear)" "$(paste "$T/l1" "$T/l2" | awk '{printf "%.2f", $2 / $1}')"
