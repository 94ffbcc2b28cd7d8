# Hostile input: every case either renders a valid PDF (%PDF- header, qpdf
# --check) or fails with a FILE:LINE:COL: error (FILE: error for I/O) and
# exit 1; it never crashes or trips a sanitizer, ends within 20 s, and a
# failed run leaves an existing output byte for byte as it was.
#
# The corpus: tests/hostile/issues/ (issue files, also the fuzzers' finds),
# tests/hostile/layouts/ (layouts, rendered with a good issue); the large
# cases are generated here.  A file of the corpus without an expectation
# below is held to the general rule only.
. "$(dirname "$0")/lib.sh"
H=$ROOT/tests/hostile
OUT=$T/out.pdf
SLOW_MS=${HOSTILE_SLOW_MS:-3000}	# runs slower than this are reported
# HOSTILE_VERBOSE=1: one line per run: name, exit code, time, first message
SEEN=" "

# run NAME EXPECT INPUT [ARGS...]: renders INPUT to $OUT over a sentinel.
# EXPECT: pdf (exit 0), error:REGEX (exit 1 and REGEX on stderr), any
# (exit 0 or 1), or layout (exit 0 with --no-pdf --dump: the layout alone).
# Leaves the exit code in $rc and stderr in $T/err.
run() {
	name=$1 expect=$2 input=$3
	shift 3
	SEEN="$SEEN$(basename "$input") "
	prev=
	for a in "$@"; do
		[ "$prev" = --layout ] && SEEN="$SEEN$(basename "$a") "
		prev=$a
	done
	printf 'sentinel: %s\n' "$name" > "$OUT"
	cp "$OUT" "$T/sentinel"
	start=$(date +%s%N)
	timeout 20 "$BULLETIN" render "$input" -o "$OUT" "$@" > "$T/stdout" 2> "$T/err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -gt "$SLOW_MS" ] && echo "slow: $name: $ms ms"
	[ -n "${HOSTILE_VERBOSE:-}" ] &&
		printf '%s\t%s\t%s ms\t%s\n' "$name" "$rc" "$ms" "$(grep -m1 -E 'error|warning' "$T/err" | cut -c1-160)"
	verdict "$name" "$expect" "$OUT" "$T/sentinel"
}

# verdict NAME EXPECT OUT SENTINEL: the checks on a run that ended with $rc.
verdict() {
	vname=$1 vexpect=$2 vout=$3 vsentinel=$4
	if [ "$rc" = 124 ]; then
		fail "$vname: did not finish within 20 s"
		return
	fi
	if [ "$rc" -ge 128 ] || grep -q -e 'Sanitizer' -e 'runtime error:' "$T/err"; then
		fail "$vname: crashed (exit $rc):"
		head -n 30 "$T/err" >&2
		return
	fi
	case "$vexpect:$rc" in
	pdf:0 | any:0 | any:1 | error:*:1 | layout:0) ok ;;
	*)
		fail "$vname: expected $vexpect, got exit $rc:"
		head -n 10 "$T/err" >&2
		return
		;;
	esac
	if [ "$vexpect" = layout ]; then
		return
	fi
	if [ "$rc" = 0 ]; then
		if [ "$(head -c 5 "$vout")" = "%PDF-" ] && qpdf --check "$vout" > /dev/null 2>&1; then
			ok
		else
			fail "$vname: exit 0 but not a valid PDF"
		fi
		return
	fi
	if [ "$rc" = 1 ]; then
		# the first error names a file (and for input, a line and column)
		if grep -q -E '^[^ :][^:]*(:[0-9]+:[0-9]+)?: error: ' "$T/err"; then
			ok
		else
			fail "$vname: no 'FILE:LINE:COL: error:' message:"
			head -n 10 "$T/err" >&2
		fi
		case "$vexpect" in error:*)
			if grep -q -E -- "${vexpect#error:}" "$T/err"; then ok; else
				fail "$vname: stderr lacks '${vexpect#error:}':"
				head -n 10 "$T/err" >&2
			fi
		esac
		if cmp -s "$vout" "$vsentinel"; then ok; else fail "$vname: the old output was replaced"; fi
		if ls -a "$(dirname "$vout")" | grep -q "^$(basename "$vout")\.."; then
			fail "$vname: a temporary file was left"
			rm -f "$vout".*
		else
			ok
		fi
	fi
}

good='---
year: 2022
month: 8
number: 4
---

# 本期导读 {-}

导读。

# 要闻速递

## 标题一[政策原文](https://www.gov.cn/)

正文，含 Latin 与 2022 年。

> 引文

- 一项
- 两项
'
printf '%s' "$good" > "$T/good.md"
FM='---
year: 2022
month: 8
number: 4
---
'

# ---- the issue corpus: expectations by file
I=$H/issues
run "good issue" pdf "$T/good.md"
run "broken YAML: unclosed [" 'error:yaml-unclosed-flow.md:5:1: error: YAML: flow sequence' "$I/yaml-unclosed-flow.md"
run "broken YAML: bad indent" "error:yaml-bad-indent.md:3:3: error: YAML: 'month' is indented under 'year: 2022'" "$I/yaml-bad-indent.md"
run "broken YAML: tab indent" 'error:yaml-tab-indent.md:6:1: error: YAML: tab' "$I/yaml-tab-indent.md"
run "broken YAML: open quote" 'error:yaml-unterminated-quote.md:5:[0-9]+: error: YAML' "$I/yaml-unterminated-quote.md"
run "YAML: duplicate key" 'error:yaml-duplicate-key.md:4:1: error: YAML: duplicate key' "$I/yaml-duplicate-key.md"
run "YAML: explicit key (libfyaml double free)" "error:yaml-explicit-key.md:2:1: error: YAML: explicit keys" "$I/yaml-explicit-key.md"
run "YAML: explicit key in texts" "error:key-texts-not-text.md:7:3: error: YAML: explicit keys" "$I/key-texts-not-text.md"
run "YAML: alias" 'error:yaml-alias.md:3:8: error: month: aliases' "$I/yaml-alias.md"
run "YAML: anchor bomb" 'error:yaml-anchor-bomb.md:2:1: error: unknown key' "$I/yaml-anchor-bomb.md"
run "YAML: second document" 'error:yaml-second-doc.md:[0-9]+:[0-9]+: error' "$I/yaml-second-doc.md"
run "YAML: a list" 'error:yaml-not-mapping.md:2:3: error: the front matter must be a mapping' "$I/yaml-not-mapping.md"
run "YAML: a scalar" 'error:yaml-scalar-root.md:2:1: error: the front matter must be a mapping' "$I/yaml-scalar-root.md"
run "YAML: 2,000 nested [" 'error:yaml-deep-nesting.md:5:[0-9]+: error: YAML: Max depth' "$I/yaml-deep-nesting.md"
run "YAML: tags" any "$I/yaml-tags.md"
run "YAML: directive" any "$I/yaml-directive.md"
run "unclosed front matter" "error:front-unclosed.md:1:1: error: front matter is not closed" "$I/front-unclosed.md"
run "no front matter" "error:front-missing.md:1:1: error: the file must start with a front matter" "$I/front-missing.md"
run "empty front matter" "error:front-empty.md:2:1: error: missing required key 'year'" "$I/front-empty.md"
run "only '---'" "error:dashes-only.md:1:1: error: front matter is not closed" "$I/dashes-only.md"
run "only front matter" pdf "$I/front-only.md"
run "only front matter, no newline" pdf "$I/front-only-no-newline.md"
run "empty file" "error:empty.md:1:1: error: the file must start" "$I/empty.md"
run "only newlines" "error:only-newlines.md:1:1: error" "$I/only-newlines.md"
run "unknown key" "error:key-unknown.md:5:1: error: unknown key 'colour' in front matter" "$I/key-unknown.md"
run "misspelt key" "error:key-misspelt.md:3:1: error: unknown key 'mnth' in front matter" "$I/key-misspelt.md"
run "month: 13" "error:month-13.md:3:8: error: month must be 1-12, got 13" "$I/month-13.md"
run "month: 0" "error:month-zero.md:3:8: error: month must be 1-12" "$I/month-zero.md"
run "month: 八月" "error:month-text.md:3:8: error: month: expected an integer" "$I/month-text.md"
run "year: 10^31" "error:year-huge.md:2:7: error: year must be 1900-2999" "$I/year-huge.md"
run "number: -1" "error:number-negative.md:4:9: error: number must be 1-999" "$I/number-negative.md"
run "number: 4.5" "error:number-float.md:4:9: error: number: expected an integer" "$I/number-float.md"
run "date: 2022-02-30" "error:date-invalid.md:5:7: error: date 2022-02-30: day" "$I/date-invalid.md"
run "date: a mapping" "error:date-not-text.md:5:1: error: date: expected a text" "$I/date-not-text.md"
run "layout: missing" "error:nosuchlayout.*not found" "$I/layout-missing.md"
run "layout: a folder" "error:layout" "$I/layout-path-dir.md"
run "layout: /proc/self/status" "error:layout-proc.md:5:9: error: layout '/proc/self/status' is outside the project's layouts folder" "$I/layout-proc.md"
check "layout: /proc/self/status: nothing of it quoted" sh -c "! grep -q -e 'Name:' -e 'Pid:' '$T/err'"
run "invalid UTF-8 in the body" "error:utf8-invalid.md:9:3: error: invalid UTF-8" "$I/utf8-invalid.md"
run "invalid UTF-8 in the front matter" "error:utf8-invalid-front.md:5:7: error: invalid UTF-8" "$I/utf8-invalid-front.md"
run "overlong UTF-8, surrogates" "error:utf8-overlong.md:9:1: error: invalid UTF-8" "$I/utf8-overlong.md"
run "UTF-8 cut at the end" "error:utf8-truncated-end.md:9:3: error: invalid UTF-8" "$I/utf8-truncated-end.md"
run "NUL in the body" "error:nul-body.md:9:2: error: NUL byte" "$I/nul-body.md"
run "NUL in the front matter" "error:nul-front.md:2:11: error: NUL byte" "$I/nul-front.md"
run "binary garbage" "error:garbage.bin:1:1: error: invalid UTF-8" "$I/garbage.bin"
run "garbage after the front matter" "error:garbage-after-front.md:6:[0-9]+: error: invalid UTF-8" "$I/garbage-after-front.md"
run "emoji: no glyph" pdf "$I/emoji.md"
check "emoji: warns with file:line and U+ code point" \
	grep -q -E 'emoji.md:11(:[0-9]+)?: warning: .*U\+1F984' "$T/err"
run "no glyph: private use, unassigned, control" pdf "$I/unassigned-code-points.md"
check "no glyph: U+E000 named" grep -q -E 'unassigned-code-points.md:9(:[0-9]+)?: warning: .*U\+E000' "$T/err"
run "heading that is only a link" pdf "$I/heading-only-link.md"
run "empty headings" pdf "$I/heading-empty.md"
run "headings out of order" "error:heading-deep.md:11:4: error: an entry .##. before the first section" "$I/heading-deep.md"
run "BOM and CRLF" pdf "$I/bom-crlf.md"
run "CR line ends" "error:cr-only.md:1:1: error" "$I/cr-only.md"
run "unclosed code fence" pdf "$I/code-unclosed.md"
run "raw HTML" pdf "$I/html.md"
run "entities: NUL, surrogates, out of range" pdf "$I/entities.md"
run "odd links" pdf "$I/links-odd.md"
run "odd lists" pdf "$I/lists-odd.md"
run "rules only" pdf "$I/rules.md"
run "tabs, blanks" pdf "$I/tabs-and-spaces.md"
run "300 hard breaks" pdf "$I/hard-breaks.md"
# Images are being built: no crash, a clear message, exit 0 or 1.
run "image: missing" "any" "$I/image-missing.md"
[ "$rc" = 1 ] && check "image: missing: names file and position" grep -q 'image-missing.md:9:[0-9]*: error: .*missing.png' "$T/err"
[ "$rc" = 0 ] && check "image: missing: warns" grep -q 'image-missing.md:9.*missing.png' "$T/err"
run "image: corrupt and truncated" "any" "$I/image-corrupt.md"
check "image: corrupt: named" grep -q 'image-corrupt.md:[0-9]*:[0-9]*: .*corrupt.png' "$T/err"
run "image: /dev/zero, /proc/self/mem, a folder" "error:image-evil-path.md:9:3: error: image /dev/zero: it is outside the issue's folder" "$I/image-evil-path.md"
run "image: inside text" "any" "$I/image-inline.md"

# every other file of the corpus (the fuzzers' finds): the general rule
for f in "$I"/*; do
	case "$SEEN" in *" $(basename "$f") "*) continue ;; esac
	case "$f" in *.png | *.jpg | *.svg) continue ;; esac
	run "corpus: $(basename "$f")" any "$f"
done

# ---- generated: large and deep
gen() {	# gen FILE PYTHON-EXPRESSION-FOR-THE-BODY
	{ printf '%s\n' "$FM"; python3 -c "import sys; sys.stdout.write($2)"; } > "$T/$1"
}
gen quotes.md "'> ' * 2000 + '引文\n'"
run "2,000 nested quotes" pdf "$T/quotes.md"
gen lists.md "''.join('  ' * i + '- 项\n' for i in range(300))"
run "300 nested lists" pdf "$T/lists.md"
gen word.md "'# 要闻\n\n' + 'a' * 6000 + '\n\n## ' + 'b' * 6000 + '\n'"
run "6,000-character word (paragraph and entry)" pdf "$T/word.md"
gen para.md "'# 要闻\n\n' + ('数字政府建设，推进政务服务标准化、规范化、便利化。Digital 2022 ' * 3000)[:100000] + '\n'"
run "100,000-character paragraph" pdf "$T/para.md"
gen heads.md "''.join('# 第%d节\n\n' % i if i % 10 == 0 else '## 条目%d[政策原文](#)\n\n正文。\n\n' % i for i in range(1200))"
run "1,200 headings" pdf "$T/heads.md"
gen emph.md "'# 要闻\n\n' + '*a **b _c __d' * 5000 + '\n\n' + '[x](' * 5000 + '\n\n' + '\`' * 20000 + '\n'"
run "unclosed emphasis, links, backticks" pdf "$T/emph.md"
gen links.md "'# 要闻\n\n' + ' '.join('[链接%d](https://e.cn/%d)' % (i, i) for i in range(5000)) + '\n'"
run "5,000 links in a paragraph" pdf "$T/links.md"
# quadratic traps: one item over thousands of lines (compose.c item_slice),
# a run of thousands of headings kept with each other (flow.c keep_height)
gen breaks.md "'# 要闻\n\n' + '诗行  \n' * 20000"
run "20,000 hard breaks in a paragraph" layout "$T/breaks.md" --no-pdf --dump "$T/dump"
gen sections.md "'# 节\n' * 2000"
run "2,000 empty sections in a row" layout "$T/sections.md" --no-pdf --dump "$T/dump"
gen setext.md "'节\n===\n' * 300"
run "300 setext sections" pdf "$T/setext.md"
gen refs.md "''.join('[%d]: https://e.cn/%d\n' % (i, i) for i in range(3000)) + '# 要闻\n\n' + ''.join('[%d] ' % i for i in range(3000)) + '\n'"
run "3,000 link reference definitions" pdf "$T/refs.md"
# many keys: libfyaml's own duplicate check is quadratic (yaml.c does it)
{ printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts:\n'
  python3 -c "import sys; sys.stdout.write(''.join('  k%d: v\n' % i for i in range(20000)) + '  k7: again\n')"
  printf -- '---\n\n# A\n'; } > "$T/keys.md"
run "20,000 keys, one twice" "error:keys.md:20006:3: error: YAML: duplicate key" "$T/keys.md"
{ printf 'extends: epoint\ncover:\n'
  python3 -c "import sys; sys.stdout.write(''.join('  - {kind: rect, x: %d, y: 9, width: 1, height: 1, color: \"#000\"}\n' % (i % 500) for i in range(20000)))"
} > "$T/cover.yaml"
run "20,000 cover elements" pdf "$T/good.md" --layout "$T/cover.yaml"
gen strong.md "'# 要闻\n\n' + '*a **a ' * 5000 + 'b' + ' a** a*' * 5000 + '\n'"
run "5,000 nested emphases" pdf "$T/strong.md"
"$BULLETIN" render "$T/good.md" -o "$T/a.pdf" 2> /dev/null
run "a PDF given as the issue" "error:a.pdf:[0-9]+:[0-9]+: error: invalid UTF-8" "$T/a.pdf"
run "a folder given as the issue" "error:: error: cannot read" "$T"
run "/dev/zero given as the issue" "error:/dev/zero: error: cannot read" /dev/zero

# ---- the layout corpus, with the good issue
L=$H/layouts
SEEN=" "
run "layout: margins wider than the page" \
	"error:margins-too-wide.yaml:4:[0-9]+: error: page.margin leaves a text block" "$T/good.md" --layout "$L/margins-too-wide.yaml"
run "layout: margins taller than the page" \
	"error:margins-too-tall.yaml:3:[0-9]+: error: page.margin leaves" "$T/good.md" --layout "$L/margins-too-tall.yaml"
run "layout: negative margin" "error:margin-negative.yaml:3:17: error: page.margin.top must be >= 0" "$T/good.md" --layout "$L/margin-negative.yaml"
run "layout: page 0 wide" "error:page-zero.yaml:2:[0-9]+: error: page.width" "$T/good.md" --layout "$L/page-zero.yaml"
run "layout: page 10^300 wide" "error:page-huge.yaml:2:[0-9]+: error: page.width: 1e300 is out of range" "$T/good.md" --layout "$L/page-huge.yaml"
run "layout: the largest page" pdf "$T/good.md" --layout "$L/page-max.yaml"
run "layout: type over 1000pt, 1000em" "error:font-too-big.yaml:3:[0-9]+: error: styles.body.size must be > 0 and <= 1000pt, got 2000pt" "$T/good.md" --layout "$L/font-too-big.yaml"
check "layout: 1000em refused" grep -q "font-too-big.yaml:4:[0-9]*: error: styles.h3.space_after: 1000em is out of range" "$T/err"
run "layout: unknown key" "error:unknown-key.yaml:2:1: error: unknown key 'colour' in layout" "$T/good.md" --layout "$L/unknown-key.yaml"
run "layout: misspelt key" "error:misspelt-key.yaml:4:5: error: unknown key 'colr' in styles.body$" "$T/good.md" --layout "$L/misspelt-key.yaml"
run "layout: broken YAML" "error:broken-yaml.yaml:[0-9]+:[0-9]+: error: YAML" "$T/good.md" --layout "$L/broken-yaml.yaml"
run "layout: empty" "error:empty.yaml:1:1: error: missing required key 'page'" "$T/good.md" --layout "$L/empty.yaml"
run "layout: a list" "error:not-mapping.yaml:1:3: error: the layout must be a mapping" "$T/good.md" --layout "$L/not-mapping.yaml"
run "layout: explicit key" "error:explicit-key.yaml:1:1: error: YAML: explicit keys" "$T/good.md" --layout "$L/explicit-key.yaml"
run "layout: extends itself" "error:extends-self.yaml:1:10: error: extends makes a cycle" "$T/good.md" --layout "$L/extends-self.yaml"
run "layout: extends a missing layout" "error:extends-missing.yaml:1:10: error: layout 'nosuchlayout' not found" "$T/good.md" --layout "$L/extends-missing.yaml"
run "layout: extends a folder" "error:extends-folder.yaml:1:10: error" "$T/good.md" --layout "$L/extends-folder.yaml"
run "layout: extends /dev/zero" "error:extends-device.yaml:1:10: error" "$T/good.md" --layout "$L/extends-device.yaml"
run "layout: extends a list" "error:extends-not-text.yaml:1:[0-9]+: error: extends: expected a text" "$T/good.md" --layout "$L/extends-not-text.yaml"
run "layout: aliases" "error:aliases.yaml:3:[0-9]+: error: metadata: aliases" "$T/good.md" --layout "$L/aliases.yaml"
run "layout: wrong types" "error:values-wrong-types.yaml:2:9: error: widows: expected an integer" "$T/good.md" --layout "$L/values-wrong-types.yaml"
run "layout: bad number templates" "error:number-templates.yaml:3:[0-9]+: error: styles.section.number: unknown placeholder" "$T/good.md" --layout "$L/number-templates.yaml"
run "layout: unknown template names" "error:templates-unknown.yaml(:[0-9]+:[0-9]+)?: error: " "$T/good.md" --layout "$L/templates-unknown.yaml"
run "layout: missing cover image" "error:cover-image-missing.yaml:3:[0-9]+: error: cover\[1\]: image .*nosuch.png" "$T/good.md" --layout "$L/cover-image-missing.yaml"
run "layout: corrupt cover image" "error:cover-image-corrupt.yaml:3:[0-9]+: error: cover\[1\]: image" "$T/good.md" --layout "$L/cover-image-corrupt.yaml"
run "layout: odd cover elements" "error:cover-odd.yaml:[0-9]+:[0-9]+: error: cover" "$T/good.md" --layout "$L/cover-odd.yaml"
run "layout: font not in the set" "error:font-missing.yaml(:[0-9]+:[0-9]+)?: error: font family 'No Such Font'" "$T/good.md" --layout "$L/font-missing.yaml"
run "layout: 1000pt glyphs, wider than the page" pdf "$T/good.md" --layout "$L/font-huge.yaml"
run "layout: 0.001pt type" pdf "$T/good.md" --layout "$L/font-tiny.yaml"
run "layout: spaces taller than a page" pdf "$T/good.md" --layout "$L/space-huge.yaml"
run "layout: indents wider than the measure" pdf "$T/good.md" --layout "$L/indent-huge.yaml"
run "layout: empty TOC leader" pdf "$T/good.md" --layout "$L/leader-empty.yaml"
run "layout: long TOC leader" pdf "$T/good.md" --layout "$L/leader-long.yaml"
run "layout: TOC depth 3, huge title" pdf "$T/good.md" --layout "$L/toc-deep.yaml"
for f in "$L"/*; do
	case "$SEEN" in *" $(basename "$f") "*) continue ;; esac
	run "layout corpus: $(basename "$f")" any "$T/good.md" --layout "$f"
done
# hostile layouts with the large issues
run "0.001pt type, 100,000-character paragraph" any "$T/para.md" --layout "$L/font-tiny.yaml"
run "huge spaces, 1,200 headings" any "$T/heads.md" --layout "$L/space-huge.yaml"

# ---- outputs that cannot be written (as root, permissions would not stop it)
clean() { ! grep -q -e 'Sanitizer' -e 'runtime error:' "$T/err"; }
timeout 20 "$BULLETIN" render "$T/good.md" -o "$T/no/such/dir/x.pdf" 2> "$T/err"
rc=$?
check "output under a missing folder: exit 1" test "$rc" = 1
check "output under a missing folder: no crash" clean
check "output under a missing folder: FILE: error" grep -q "no/such/dir/x.pdf: error: " "$T/err"
check "output under a missing folder: nothing created" test ! -e "$T/no"
mkdir -p "$T/outdir"
echo keep > "$T/outdir/keep"
timeout 20 "$BULLETIN" render "$T/good.md" -o "$T/outdir" 2> "$T/err"
rc=$?
check "output is a folder: exit 1" test "$rc" = 1
check "output is a folder: no crash" clean
check "output is a folder: FILE: error" grep -q "outdir: error: " "$T/err"
check "output is a folder: left as it was" sh -c "test -d '$T/outdir' && test \"\$(ls -A '$T/outdir')\" = keep"
finish
