# The command line beyond one render: batch in one process, PNG previews,
# --deps, watch mode (atomic saves, errors keep the last good output) and
# the preflight check.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md

mkissue() {	# mkissue FILE MONTH TITLE
	printf -- '---\nyear: 2023\nmonth: %d\nnumber: %d\n---\n\n# 栏目\n\n## %s\n\n正文一段，含 Latin 与 2023 年。\n' \
		"$2" "$2" "$3" > "$1"
}

# ---- batch: one process, each issue reported, a bad one does not stop the rest
mkdir -p "$T/i/2023-01" "$T/i/2023-02" "$T/out"
mkissue "$T/i/2023-01/issue.md" 1 一月
printf -- '---\nyear: 2023\nmonth: 14\nnumber: 2\n---\n' > "$T/i/2023-02/issue.md"
"$BULLETIN" render "$T/i/2023-01/issue.md" "$T/i/2023-02/issue.md" "$ISSUE" --out-dir "$T/out" \
	> "$T/batch" 2> "$T/batch.err"
check "batch: exit 1 when one issue failed" test $? = 1
check "batch: good issues written" sh -c "test -s '$T/out/2023-01.pdf' && test -s '$T/out/2022-08.pdf'"
check "batch: the bad one not written" test ! -e "$T/out/2023-02.pdf"
check "batch: reports each issue" sh -c "grep -c '^ok: ' '$T/batch' | grep -qx 2 && grep -q '^failed: .*2023-02' '$T/batch'"
check "batch: the bad one's message" grep -q '2023-02/issue.md:3:8: error' "$T/batch.err"
check "batch: summary" grep -q '^2 of 3 issues rendered' "$T/batch"
# generated back issues, both layouts, in one process
python3 "$ROOT/bench/gen_issues.py" "$T/g" 4 5
"$BULLETIN" render "$T"/g/*/issue.md --out-dir "$T/gout" > "$T/gbatch" 2>&1
check "batch: four generated issues" sh -c "grep -q '^4 of 4 issues rendered' '$T/gbatch' && test \$(ls '$T/gout' | wc -l) = 4"

# ---- PNG previews: pixel size follows --ppi, --pages selects
"$BULLETIN" render "$ISSUE" --format png --ppi 72 --pages 1-2,4 -o "$T/prev.png"
check "png: exit 0" test $? = 0
check "png: pages 1, 2, 4 only" sh -c "ls '$T' | grep '^prev-' | tr '\n' ' ' | grep -qx 'prev-01.png prev-02.png prev-04.png '"
size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
check "png: A4 at 72 ppi is 595x842" test "$(size "$T/prev-01.png")" = 595x842
"$BULLETIN" render "$ISSUE" --format png --pages 3 -o "$T/big.png"
check "png: default 144 ppi is 1191x1684" test "$(size "$T/big-03.png")" = 1191x1684
"$BULLETIN" render "$ISSUE" --format png --pages 2-x -o "$T/bad.png" 2>/dev/null
check "png: a malformed --pages is an error" test $? = 1
"$BULLETIN" render "$ISSUE" --format png --ppi 2400 --pages 1 -o "$T/huge.png" 2> "$T/err"
check "png: a page too large in pixels is an error saying what fits" sh -c "test $? = 1 && grep -q 'at most [0-9]* ppi fits' '$T/err'"

# ---- --deps: make syntax with the issue, layout chain, images, fonts, binary
cat > "$T/child.yaml" <<YAML
extends: $ROOT/layouts/epoint.yaml
styles:
  body: {size: 11}
YAML
"$BULLETIN" render "$ISSUE" --layout "$T/child.yaml" -o "$T/d.pdf" --deps "$T/d.d"
check "deps: written" test -s "$T/d.d"
check "deps: target" grep -q "^$T/d.pdf:" "$T/d.d"
for want in "$ISSUE" "$T/child.yaml" layouts/epoint.yaml epoint-mark.svg fonts/fonts.conf bulletin; do
	if grep -q -- "$want" "$T/d.d"; then ok; else fail "deps lack $want"; fi
done
check "deps: an empty rule per prerequisite" grep -q "^$T/child.yaml:$" "$T/d.d"

# ---- watch: an atomic save re-renders; an error keeps the last good output
mkdir -p "$T/w"
mkissue "$T/w/issue.md" 3 初稿
: > "$T/w/log"
"$BULLETIN" watch "$T/w/issue.md" -o "$T/w/out.pdf" --count 3 > "$T/w/log" 2> "$T/w/err" &
pid=$!
waitlines() { n=0; while [ "$(wc -l < "$T/w/log")" -lt "$1" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done; }
waitlines 1
check "watch: first render" grep -q 'rendered .*out.pdf: [0-9]* pages' "$T/w/log"
cp "$T/w/out.pdf" "$T/w/first.pdf"
mkissue "$T/w/tmp.md" 3 改稿   # atomic save: write elsewhere, rename over
mv "$T/w/tmp.md" "$T/w/issue.md"
waitlines 2
check "watch: re-rendered after an atomic save" sh -c "sed -n 2p '$T/w/log' | grep -q rendered"
check "watch: the output changed" sh -c "! cmp -s '$T/w/out.pdf' '$T/w/first.pdf'"
pdftotext "$T/w/out.pdf" - | grep -q 改稿
check "watch: the new text is in the output" test $? = 0
cp "$T/w/out.pdf" "$T/w/good.pdf"
printf -- '---\nyear: 2023\nmonth: 3\nnumbr: 3\n---\n' > "$T/w/tmp.md"
mv "$T/w/tmp.md" "$T/w/issue.md"
waitlines 3
check "watch: an error line with its place" sh -c "sed -n 3p '$T/w/log' | grep -q 'error: .*issue.md:4:1: .*kept the last good output'"
check "watch: the last good output kept" cmp -s "$T/w/out.pdf" "$T/w/good.pdf"
wait $pid
check "watch: stops after --count renders" test $? = 0

# ---- watch started on a broken layout renders once the layout is fixed
mkdir -p "$T/wb"
printf -- '---\nyear: 2023\nmonth: 3\nnumber: 3\nlayout: ./lo.yaml\n---\n\n# 栏目\n\n## 条目\n\n正文。\n' > "$T/wb/issue.md"
printf 'extends: epoint\nstyles:\n  body: {size: [\n' > "$T/wb/lo.yaml"
: > "$T/wb/log"
timeout 60 "$BULLETIN" watch "$T/wb/issue.md" -o "$T/wb/out.pdf" --count 2 > "$T/wb/log" 2> "$T/wb/err" &
pid=$!
n=0; while [ "$(wc -l < "$T/wb/log")" -lt 1 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
check "watch, broken layout: an error line at the layout" grep -q 'error: .*lo.yaml:[0-9]*:[0-9]*: .*no output yet' "$T/wb/log"
printf 'extends: epoint\nstyles:\n  body: {size: 11}\n' > "$T/wb/tmp.yaml"
mv "$T/wb/tmp.yaml" "$T/wb/lo.yaml"
wait $pid
check "watch, broken layout: exit 0 after two renders" test $? = 0
check "watch, broken layout: rendered once it was fixed" sh -c "sed -n 2p '$T/wb/log' | grep -q 'rendered .*out.pdf'"
check "watch, broken layout: a PDF" sh -c "head -c 5 '$T/wb/out.pdf' | grep -q '%PDF-'"

# ---- check: findings with their place, exit 0 with warnings only
printf -- '---\nyear: 2023\nmonth: 3\nnumber: 3\n---\n\n# 栏目\n\n### 跳级标题\n\n见[链接](#)。表情😀。\n' > "$T/c.md"
"$BULLETIN" check "$T/c.md" > "$T/c.out" 2>&1
check "check: exit 0 with warnings only" test $? = 0
check "check: skipped heading level" grep -q 'c.md:9:5: warning: heading level 3' "$T/c.out"
check "check: link without target" grep -q "c.md:11:1: warning: link '链接' has no target" "$T/c.out"
check "check: missing glyph" grep -q 'c.md:11:.*warning: no glyph for U+1F600' "$T/c.out"
check "check: writes no PDF" test ! -e "$T/c.pdf"
"$BULLETIN" check "$T/i/2023-02/issue.md" > "$T/c2.out" 2>&1
check "check: exit 1 on errors" test $? = 1
finish
