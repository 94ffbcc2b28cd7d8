# bulletin serve: the live preview.  A copy of the reference issue is
# served; over plain HTTP its routes answer and nothing else does (404,
# loopback only); with Debian's chromium installed, headless chromium
# (tests/serve_check.py, DevTools protocol on a pipe) sees the first page,
# a saved paragraph's page replaced within a second and no other fetched,
# three tabs sharing one stream and the listening one closed, the error
# banner with FILE:LINE:COL and its going, a click's source line.  Without
# chromium the browser part is skipped (its HTTP checks still run).
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/issue"
cp "$ROOT/issues/2022-08/issue.md" "$T/issue/issue.md"
# CHROMIUM= (empty) runs the checks without a browser, as a machine without it
CHROMIUM=${CHROMIUM-$(command -v chromium || true)}
# under the sanitizers the render is slower: the limit grows with it
LIMIT=1000
case "$BULLETIN" in */asan/*) LIMIT=2500 ;; esac

# serve prints its URL, then a line per render; it stops after --count
# renders (the browser's part saves three times; saves below reach the rest)
"$BULLETIN" serve "$T/issue/issue.md" --count 6 > "$T/out" 2> "$T/err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T"' EXIT	# a server left by a failure
i=0
until grep -q ' rendered ' "$T/out" 2>/dev/null || [ $i -ge 600 ] || ! kill -0 $SERVER 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
URL=$(sed -n 's/^serving .* at \(http:[^ ]*\)$/\1/p' "$T/out")
check "serve prints its URL on 127.0.0.1 ($URL)" sh -c "echo '$URL' | grep -Eq '^http://127\.0\.0\.1:[0-9]+/$'"
check "serve renders the issue" grep -q ' rendered .*: [0-9]* pages' "$T/out"

if [ -n "$URL" ]; then
	if [ -z "$CHROMIUM" ]; then
		echo "serve.sh: chromium is not installed: the browser checks are skipped"
		CHROMIUM=
	fi
	SERVE_LIMIT_MS=$LIMIT python3 "$ROOT/tests/serve_check.py" "$URL" "$T/issue/issue.md" $CHROMIUM \
		> "$T/check" 2>&1
	rc=$?
	grep '^measure' "$T/check"
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		esac
	done < "$T/check"
	check "serve_check.py ran to its end (exit $rc)" sh -c "[ $rc -eq 0 ] || grep -q '^FAIL' '$T/check'"
	[ $rc -eq 0 ] || tail -n 20 "$T/check" >&2
fi
check "the server is still running" kill -0 $SERVER
# saves until the server has made its renders and stopped, its streams
# closed and everything freed (a sanitizer build checks for leaks then)
i=0
while kill -0 $SERVER 2>/dev/null && [ $i -lt 20 ]; do
	cp "$ROOT/issues/2022-08/issue.md" "$T/issue/.save" && mv "$T/issue/.save" "$T/issue/issue.md"
	sleep 1
	i=$((i + 1))
done
kill $SERVER 2>/dev/null
wait $SERVER
rc=$?
check "serve --count 6 stops by itself, exit 0 (exit $rc)" test $rc -eq 0
check "serve printed no sanitizer report" not grep -Eq 'Sanitizer|runtime error' "$T/err"
[ $rc -eq 0 ] || tail -n 30 "$T/err" >&2
check "serve wrote no file beside the issue" sh -c "[ \"\$(ls -A '$T/issue')\" = issue.md ]"
check "one line per render: six" sh -c "[ \$(grep -Ec ' (rendered|error:) ' '$T/out') -eq 6 ]"
grep -q ' error: ' "$T/out" && check "the broken save is reported with its place" \
	grep -q "error: $T/issue/issue.md:[0-9]*:[0-9]*: month" "$T/out"

# an image saved (the cover's mark, in a data folder of its own): the cover
# page is shown again, no other
mkdir -p "$T/data"
ln -s "$ROOT/fonts" "$T/data/fonts"
ln -s "$ROOT/preview" "$T/data/preview"
cp -r "$ROOT/layouts" "$T/data/layouts"
state() { python3 -c 'import json, sys, urllib.request; print(" ".join(json.load(urllib.request.urlopen(sys.argv[1] + "state.json"))["pages"]))' "$1"; }
BULLETIN_DATA="$T/data" "$BULLETIN" serve "$T/issue/issue.md" --count 3 > "$T/out4" 2> "$T/err4" &
SERVER=$!
i=0
until grep -q ' rendered ' "$T/out4" 2>/dev/null || [ $i -ge 600 ] || ! kill -0 $SERVER 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
URL4=$(sed -n 's/^serving .* at \(http:[^ ]*\)$/\1/p' "$T/out4")
before=$(state "$URL4")
sed 's/#0b5aa2/#a20b2e/' "$T/data/layouts/epoint-mark.svg" > "$T/data/layouts/.mark" &&
	mv "$T/data/layouts/.mark" "$T/data/layouts/epoint-mark.svg"
i=0
until [ "$(grep -c ' rendered ' "$T/out4")" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
after=$(state "$URL4" 2>/dev/null)
kill $SERVER 2>/dev/null
wait $SERVER 2>/dev/null
check "a saved image renders again, one page changed" grep -q ' rendered .* 1 changed' "$T/out4"
check "the changed page is the cover" sh -c "[ '${before%% *}' != '${after%% *}' ] && [ '${before#* }' = '${after#* }' ]"

# --port: that port; taken, an error; --open: the browser (xdg-open) told the URL
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$@" > "%s/opened"\n' "$T" > "$T/bin/xdg-open"
chmod +x "$T/bin/xdg-open"
PATH="$T/bin:$PATH" "$BULLETIN" serve "$T/issue/issue.md" --port "$PORT" --open --count 2 > "$T/out2" 2> "$T/err2" &
SERVER=$!
i=0
until grep -q ' rendered ' "$T/out2" 2>/dev/null || [ $i -ge 600 ] || ! kill -0 $SERVER 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
check "--port $PORT is the port served" grep -q "^serving .* at http://127.0.0.1:$PORT/\$" "$T/out2"
"$BULLETIN" serve "$T/issue/issue.md" --port "$PORT" > "$T/out3" 2> "$T/err3"
rc=$?
check "a port in use is an error (exit $rc)" sh -c "[ $rc -eq 1 ] && grep -q 'cannot listen on 127.0.0.1:$PORT' '$T/err3'"
i=0
until [ -s "$T/opened" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
check "--open gives the browser the URL" grep -qx "http://127.0.0.1:$PORT/" "$T/opened"
cp "$ROOT/issues/2022-08/issue.md" "$T/issue/.save" && mv "$T/issue/.save" "$T/issue/issue.md"
i=0
while kill -0 $SERVER 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill $SERVER 2>/dev/null
wait $SERVER
rc=$?
check "the second server stops after --count 2 (exit $rc)" test $rc -eq 0

# the command line
not "$BULLETIN" serve > /dev/null 2>&1
check "serve needs an issue (exit 2)" sh -c "'$BULLETIN' serve >/dev/null 2>&1; [ \$? -eq 2 ]"
check "serve refuses -o (exit 2)" sh -c "'$BULLETIN' serve '$T/issue/issue.md' -o x.pdf >/dev/null 2>&1; [ \$? -eq 2 ]"
check "--port takes a number" sh -c "'$BULLETIN' serve '$T/issue/issue.md' --port x >/dev/null 2>&1; [ \$? -eq 2 ]"
check "--port is serve's" sh -c "'$BULLETIN' render '$T/issue/issue.md' --port 1 >/dev/null 2>&1; [ \$? -eq 2 ]"
check "the help names serve" sh -c "'$BULLETIN' --help | grep -q 'serve ISSUE.md'"
finish
