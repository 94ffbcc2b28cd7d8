# Latin paragraphs (issue 15): English text hyphenated with Debian's en_US
# dictionary, its word spaces within the layout's tolerance on every
# justified line, at most two hyphenated lines in a row and none before a
# paragraph's last; hyphenated words read back from the PDF whole.  On the
# test issue tests/data/english.md and on English generated from the
# system's GPL text, in both layouts; the reference issue and generated
# issues (no English paragraphs) keep their lines.
. "$(dirname "$0")/lib.sh"
EN=$ROOT/tests/data/english.md
SC=$ROOT/tests/space_check.py

# the checker can fail: no Latin lines, a space out of range, three hyphens
# in a row, a hyphen before the last line
printf 'block 1 p @1:1 left=0.00 width=100.00 before=0.00 after=0.00 keep=0\n' > "$T/empty.lines"
check "space_check: nothing measured fails" not python3 "$SC" "$T/empty.lines"
: > "$T/none.lines"
check "space_check: an empty dump fails" not python3 "$SC" "$T/none.lines"
check "space_check: an empty dump passes only with --allow-none" python3 "$SC" "$T/none.lines" --allow-none
fake() {	# fake LINE...: a block of lines "SPACES TEXT", the last ragged
	{ echo 'block 1 p @1:1 left=0.00 width=100.00 before=0.00 after=0.00 keep=0'
	  n=$#; i=0
	  for l in "$@"; do i=$((i + 1)); w=100.00; [ $i -eq $n ] && w=50.00
		printf '  line 0.00 %s 9.00 3.00 16.00 spaces=3:%s-%s "%s"\n' $w ${l%% *} ${l%% *} "${l#* }"
	  done; } > "$T/fake.lines"
}
fake "0.300 one two three four" "0.300 five six" "0.300 seven eight"
check "space_check: a fine block passes" python3 "$SC" "$T/fake.lines"
fake "0.600 one two three four" "0.300 five six" "0.300 seven eight"
check "space_check: a loose line fails" not python3 "$SC" "$T/fake.lines"
fake "0.200 one two three four" "0.300 five six" "0.300 seven eight"
check "space_check: a tight line fails" not python3 "$SC" "$T/fake.lines"
fake "0.300 one hy-" "0.300 phen-" "0.300 ation-" "0.300 five six" "0.300 a b" "0.300 c d"
check "space_check: three hyphenated lines in a row fail" not python3 "$SC" "$T/fake.lines"
fake "0.300 one two" "0.300 hy-" "0.300 phen"
check "space_check: a hyphen before the last line fails" not python3 "$SC" "$T/fake.lines"
fake "0.300 one two" "0.300 three" "0.300 four"
check "space_check: --hyphens without a hyphen fails" not python3 "$SC" "$T/fake.lines" --hyphens

# English generated from the system's GPL text: prose of many words
python3 - "$T/gpl.md" <<'EOF'
import re, sys
text = open("/usr/share/common-licenses/GPL-3", encoding="utf-8").read()
paras = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")]
paras = [p for p in paras if len(p) > 300 and not re.search(r'[<>"*_`\[\]#]', p)][:25]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("---\nyear: 2023\nmonth: 6\nnumber: 6\n---\n\n# 海外资讯\n\n## 【美国】许可证\n\n")
    f.write("\n\n".join(paras) + "\n")
EOF
check "the GPL issue has English paragraphs" test "$(grep -c '^[A-Z]' "$T/gpl.md")" -ge 10

# hyphenated words in a text of lines (the PDF's, or a dump's body lines):
# a line ending in "xx-" joined with the next line that starts with a
# letter (past a page's foot and head) gives a source word; a compound
# keeps its own hyphen
words() {	# words MODE SOURCE < TEXT; MODE: some (at least one, all right), none
	python3 -c '
import re, sys
mode, src = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
words = set(re.findall(r"[A-Za-z]+", src))
text = sys.stdin.read()
if re.search(r"^\s+line ", text, re.M):  # a dump: its body lines
    text = "\n".join(re.findall(r"^\s+line .*#[1-9][0-9]*:(?:p|item) .*?\"(.*)\"$", text, re.M))
lines = [l.strip() for l in text.split("\n")]
n = bad = 0
for i, a in enumerate(lines):
    m = re.search(r"([A-Za-z]+)-$", a)
    if not m:
        continue
    nxt = [l for l in [l for l in lines[i + 1:] if l][:6] if re.match(r"[A-Za-z]", l)]
    head, tail = m.group(1), re.match(r"[A-Za-z]*", nxt[0] if nxt else "").group(0)
    if re.search(r"\b" + head + "-" + tail + r"\b", src):
        continue  # a compound broken at its own hyphen
    n += 1
    if head + tail not in words:
        bad += 1
        print("not a word:", head + "-" + tail)
print(n, "hyphenated words,", bad, "wrong")
sys.exit(0 if (n > 0 and bad == 0 if mode == "some" else n == 0) else 1)' "$1" "$2"
}
check "words: no text has no hyphenated word" not words some "$EN" < /dev/null
printf "consid-\\nerable\\n" > "$T/w.txt"
check "words: a hyphenated source word" words some "$EN" < "$T/w.txt"
printf 'hyphena-\ntion\nfoo-\nbar\n' > "$T/w.txt"
check "words: a wrong join fails" not words some "$EN" < "$T/w.txt"
printf 'machine-\nreadable\n' > "$T/w.txt"
check "words: a compound's own hyphen is not a hyphenation" words none "$EN" < "$T/w.txt"

for lo in epoint print; do
	for f in "$EN" "$T/gpl.md"; do
		n=$(basename "$f" .md)-$lo	# not $name: check() sets it
		"$BULLETIN" render "$f" --layout $lo -o "$T/$n.pdf" --dump "$T/$n.dump" \
			--dump-lines "$T/$n.lines" 2> "$T/$n.err"
		check "$n: renders without warnings" test ! -s "$T/$n.err"
		check "$n: word spaces within 0.25-0.5 em, hyphens by the rules" \
			python3 "$SC" "$T/$n.lines" --hyphens
		check "$n: the clreq rules still hold" python3 "$ROOT/tests/typo_check.py" "$T/$n.dump"
		check "$n: the page dump shows the hyphen" grep -q '#[0-9]*:p s[0-9]* ".*[a-z]-"$' "$T/$n.dump"
		pdftotext -layout "$T/$n.pdf" "$T/$n.txt"
		check "$n: hyphenated words read back whole from the PDF" words some "$f" < "$T/$n.txt"
		check "$n: and from the dump" words some "$f" < "$T/$n.dump"
		check "$n: no overfull line" not grep -q overfull= "$T/$n.lines"
	done
done
"$BULLETIN" render "$EN" -o "$T/ua.pdf" --pdf-standard a-2u,ua-1
check "the hyphens keep PDF/A-2u and PDF/UA-1" python3 "$ROOT/tests/pdfcheck.py" "$T/ua.pdf" --standard a-2u,ua-1 --quiet
check "an address breaks after a / of its path, no hyphen" grep -q '"[^"]*example.org/"$' "$T/english-epoint.lines"
check "no line starts with a dot" not grep -q ' "\.' "$T/english-epoint.lines" "$T/english-print.lines"
for w in 2.4 dispatch-office@example.org https://www.example.org; do
	check "never hyphenated: $w" not grep -q "\"[^\"]*${w%%[.@/]*}[a-z]*-\"$" "$T/english-epoint.lines"
done

# the layout's keys: no hyphenation; one hyphen in a row; a missing
# dictionary warns; a tolerance upside down is an error
variant() {	# variant NAME LATIN-KEYS: a layout extending epoint
	printf 'extends: %s\ntypography:\n  punctuation: full\n  pair_width: 1.5em\n  trim_line_start: true\n  han_latin_space: 0.25em\n  min_last_chars: 2\n  latin:\n%s\n' \
		"$ROOT/layouts/epoint.yaml" "$2" > "$T/$1.yaml"
}
variant nohyph "    hyphenate: false"
"$BULLETIN" render "$T/gpl.md" --layout "$T/nohyph.yaml" --no-pdf --dump-lines "$T/nohyph.lines"
check "hyphenate: false sets no hyphen" words none "$T/gpl.md" < "$T/nohyph.lines"
variant one "    hyphen_max_consecutive: 1"
"$BULLETIN" render "$T/gpl.md" --layout "$T/one.yaml" --no-pdf --dump-lines "$T/one.lines"
check "hyphen_max_consecutive: 1 holds" python3 "$SC" "$T/one.lines" --max-run 1 --max 9
variant nodict "    dictionary: nonexistent.dic"
"$BULLETIN" render "$EN" --layout "$T/nodict.yaml" --no-pdf --dump-lines "$T/nodict.lines" 2> "$T/nodict.err"
check "a missing dictionary warns" grep -q 'cannot read the hyphenation dictionary' "$T/nodict.err"
check "a missing dictionary: no hyphen" words none "$EN" < "$T/nodict.lines"
variant upside "    word_space_min: 0.5em
    word_space_max: 0.3em"
check "word_space_min over word_space_max is an error" not "$BULLETIN" render "$EN" --layout "$T/upside.yaml" --no-pdf --dump - 2> "$T/upside.err" > /dev/null
check "... and says so" grep -q 'word_space_min (0.5em) must be less than word_space_max' "$T/upside.err"
variant range "    hyphen_max_consecutive: 9"
check "hyphen_max_consecutive over 5 is an error" not "$BULLETIN" render "$EN" --layout "$T/range.yaml" --no-pdf --dump - 2> /dev/null > /dev/null

# the reference issue and generated issues: no English paragraphs, no
# hyphen, nothing measured
for lo in epoint print; do
	"$BULLETIN" render "$ROOT/issues/2022-08/issue.md" --layout $lo --no-pdf --dump-lines "$T/ref-$lo.lines"
	check "reference, $lo: every Latin paragraph within the tolerance" python3 "$SC" "$T/ref-$lo.lines" --allow-none
	check "reference, $lo: no hyphen" not grep -q '[a-z]-"$' "$T/ref-$lo.lines"
done
python3 "$ROOT/bench/gen_issues.py" "$T/gen" 3 5
for f in "$T"/gen/*/issue.md; do
	"$BULLETIN" render "$f" --no-pdf --dump-lines "$T/g.lines" 2>/dev/null
	check "generated $(basename "$(dirname "$f")"): within the tolerance" python3 "$SC" "$T/g.lines" --allow-none
done
finish
