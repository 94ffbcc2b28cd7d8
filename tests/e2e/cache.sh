# The cache of files kept across runs (cache.c): font subsets, SVGs proved
# within their time limit.  A second render takes the cuts the first
# kept and writes the same bytes; damaged entries, a cache that cannot be
# written and two renders at once change nothing; "off" keeps none.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
export BULLETIN_CACHE_DIR="$T/cache"
"$BULLETIN" render "$ISSUE" -o "$T/a.pdf"
n=$(ls "$T/cache/subsets" 2>/dev/null | wc -l)
check "a render keeps its faces' cuts ($n)" test "$n" -ge 2
"$BULLETIN" render "$ISSUE" -o "$T/b.pdf"
check "a render from the cache: the same bytes" cmp -s "$T/a.pdf" "$T/b.pdf"
check "... and no new entries" test "$(ls "$T/cache/subsets" | wc -l)" = "$n"
BULLETIN_CACHE_DIR=off "$BULLETIN" render "$ISSUE" -o "$T/c.pdf"
check "BULLETIN_CACHE_DIR=off: the same bytes" cmp -s "$T/a.pdf" "$T/c.pdf"
check "the cover's SVG proved within its time limit is kept" test "$(ls "$T/cache/svg" 2>/dev/null | wc -l)" -ge 1
for f in "$T"/cache/svg/*; do printf 'bulletin-cache-1\nnot a time' > "$f"; done
"$BULLETIN" render "$ISSUE" -o "$T/s.pdf"
check "a damaged SVG proof: tried again, the same bytes" cmp -s "$T/a.pdf" "$T/s.pdf"
for f in "$T"/cache/subsets/*; do
	head -c 100 "$f" > "$T/x" && cat "$T/x" > "$f"	# cut short
done
"$BULLETIN" render "$ISSUE" -o "$T/d.pdf"
check "damaged entries are misses: the same bytes" cmp -s "$T/a.pdf" "$T/d.pdf"
for f in "$T"/cache/subsets/*; do printf 'bulletin-cache-1\n%s' "garbage" > "$f"; done
"$BULLETIN" render "$ISSUE" -o "$T/e.pdf"
check "entries of another key or garbage: the same bytes" cmp -s "$T/a.pdf" "$T/e.pdf"
printf 'a file\n' > "$T/notadir"
BULLETIN_CACHE_DIR="$T/notadir/sub" "$BULLETIN" render "$ISSUE" -o "$T/f.pdf" 2> "$T/err"
check "a cache that cannot be made: renders, says nothing" sh -c "cmp -s '$T/a.pdf' '$T/f.pdf' && test ! -s '$T/err'"
rm -rf "$T/cache"
"$BULLETIN" render "$ISSUE" -o "$T/g.pdf" & "$BULLETIN" render "$ISSUE" -o "$T/h.pdf"; wait
check "two renders at once, one cache: both the same bytes" sh -c "cmp -s '$T/a.pdf' '$T/g.pdf' && cmp -s '$T/a.pdf' '$T/h.pdf'"
check "... no temporaries left" sh -c "! ls -A '$T/cache/subsets' | grep -q '^\.tmp'"
finish
