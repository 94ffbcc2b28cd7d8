# make issues: every issue to out/<YYYY-MM>.pdf, incrementally, with -j: an
# untouched tree renders nothing, a touched issue (or its layout) renders
# again alone, a failed render leaves nothing make would take as done.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/tree/build" "$T/tree/issues"
cd "$T/tree" || exit 1
ln -s "$ROOT/fonts" fonts
cp -r "$ROOT/layouts" layouts
ln -s "$BULLETIN" build/bulletin
export BULLETIN_DATA="$T/tree"	# its own layouts, to touch them
for m in 01 02 03; do
	mkdir -p issues/2023-$m
	printf -- '---\nyear: 2023\nmonth: %d\nnumber: %d\n---\n\n# 栏目\n\n## 第%s期条目\n\n正文。\n' \
		"${m#0}" "${m#0}" "$m" > issues/2023-$m/issue.md
done
renders() { grep -c 'bulletin render' "$T/log"; }

make -f "$ROOT/Makefile" BUILD=build -j2 issues > "$T/log" 2>&1
check "first run renders all three ($(renders))" test "$(renders)" = 3
check "all three PDFs" sh -c 'ls out/2023-01.pdf out/2023-02.pdf out/2023-03.pdf >/dev/null'
check "a .d file per issue" sh -c 'ls out/2023-01.d out/2023-02.d out/2023-03.d >/dev/null'
make -f "$ROOT/Makefile" BUILD=build -j2 issues > "$T/log" 2>&1
check "an untouched tree renders nothing ($(renders))" test "$(renders)" = 0
sleep 1
touch issues/2023-02/issue.md
make -f "$ROOT/Makefile" BUILD=build -j2 issues > "$T/log" 2>&1
check "a touched issue renders alone" sh -c "test $(renders) = 1 && grep -q '2023-02' '$T/log'"
sleep 1
touch layouts/epoint.yaml
make -f "$ROOT/Makefile" BUILD=build -j2 issues > "$T/log" 2>&1
check "a touched layout renders every issue using it ($(renders))" test "$(renders)" = 3
sleep 1
touch layouts/epoint-mark.svg
make -f "$ROOT/Makefile" BUILD=build issues > "$T/log" 2>&1
check "a touched cover image renders again ($(renders))" test "$(renders)" = 3
# a failed render: no PDF left that make would take as up to date
sleep 1
printf -- '---\nyear: 2023\nmonth: 13\nnumber: 3\n---\n' > issues/2023-03/issue.md
make -f "$ROOT/Makefile" BUILD=build -k issues > "$T/log" 2>&1
check "a bad issue fails make" test $? != 0
make -f "$ROOT/Makefile" BUILD=build -k issues > "$T/log" 2>&1
check "and is tried again next time, not taken as done ($(renders))" test "$(renders)" = 1
check "its message has its place" grep -q 'issue.md:3:8: error' "$T/log"
finish
