# watch keeps what a render after an edit can reuse (the faces it cut and
# cairo's glyphs on them, deflated streams, SVGs proved within their time
# limit): after each save its PDF is the PDF a fresh render of the same
# file writes, byte for byte — an edit with the glyphs drawn before, one
# that brings a character never drawn, one that takes it away, a layout
# change, and back.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/w"
cp "$ROOT/issues/2022-08/issue.md" "$T/w/issue.md"
cat > "$T/w/big.yaml" <<'YAML'
extends: epoint
YAML
export BULLETIN_CACHE_DIR=off
: > "$T/w/log"	# there before watch's own redirection runs
"$BULLETIN" watch "$T/w/issue.md" -o "$T/w/out.pdf" --count 6 > "$T/w/log" 2> "$T/w/err" &
pid=$!
# waits for the n-th line of watch's log
lines() {
	k=0
	while [ "$(wc -l < "$T/w/log")" -lt "$1" ] && [ $k -lt 600 ]; do sleep 0.05; k=$((k + 1)); done
	test "$(wc -l < "$T/w/log")" -ge "$1"
}
save() {	# an editor's atomic save of sed's edit
	sed "$1" "$T/w/issue.md" > "$T/w/tmp.md" && mv "$T/w/tmp.md" "$T/w/issue.md"
}
same_as_fresh() {
	"$BULLETIN" render "$T/w/issue.md" -o "$T/w/fresh.pdf" 2> /dev/null &&
		cmp -s "$T/w/out.pdf" "$T/w/fresh.pdf"
}
check "the first render" lines 1
check "... as a fresh render" same_as_fresh
save 's/敬请关注。/敬请关注。改了一句。/'
check "an edit with glyphs drawn before" lines 2
check "... as a fresh render" same_as_fresh
save 's/敬请关注。/敬请关注。龘靐齉/'
check "an edit with characters never drawn" lines 3
check "... as a fresh render" same_as_fresh
check "... which has them" sh -c "pdftotext '$T/w/out.pdf' - | grep -q 龘靐齉"
save 's/龘靐齉//'
check "the characters taken out again" lines 4
check "... as a fresh render" same_as_fresh
sed -i 's/^layout: .*//' "$T/w/issue.md" 2> /dev/null
save '1a layout: big.yaml'
check "another layout named" lines 5
check "... as a fresh render" same_as_fresh
printf 'page:\n  margin: {top: 30mm, bottom: 22mm, left: 30mm, right: 22mm}\n' >> "$T/w/big.yaml"
check "the layout saved" lines 6
check "... as a fresh render" same_as_fresh
wait $pid
check "watch ends after its renders" test $? -eq 0
check "every render succeeded" test "$(grep -c ' rendered ' "$T/w/log")" -eq 6
finish
