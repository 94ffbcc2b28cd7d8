# The reference issue end to end: every page A4, every font embedded and
# subset, every heading and paragraph in the PDF's text in order, links.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
PDF=$T/ref.pdf

check "renders the reference issue" "$BULLETIN" render "$ISSUE" -o "$PDF"
pdfinfo -f 1 -l 9999 "$PDF" > "$T/info" 2>&1
pages=$(sed -n 's/^Pages: *//p' "$T/info")
a4=$(grep -c '^Page *[0-9]* size: *595.27[0-9]* x 841.8[0-9]* pts (A4)' "$T/info")
check "at least 10 pages ($pages)" test "${pages:-0}" -ge 10
check "every page A4 ($a4 of $pages)" test "$a4" = "$pages"

pdffonts "$PDF" > "$T/fonts" 2>&1
nfonts=$(tail -n +3 "$T/fonts" | wc -l)
notemb=$(tail -n +3 "$T/fonts" | awk '$(NF-4) != "yes"' | wc -l)
notsub=$(tail -n +3 "$T/fonts" | awk '$(NF-3) != "yes"' | wc -l)
check "fonts listed ($nfonts)" test "$nfonts" -ge 2
check "every font embedded ($notemb not)" test "$notemb" = 0
check "every font subset ($notsub not)" test "$notsub" = 0
check "Noto Serif CJK SC used" grep -q 'NotoSerifCJK.*-Regular' "$T/fonts"
check "Noto Serif CJK SC Bold used (no synthetic bold)" grep -q 'NotoSerifCJK.*-Bold' "$T/fonts"

# pdftotext shows the 1/4-em Han-Latin gaps as spaces: compare without spaces
pdftotext -enc UTF-8 "$PDF" - | tr -d ' ' > "$T/text"
# and a compressed pair (、【) may overlap, which it can take for a line break
tr -d '\n' < "$T/text" > "$T/flat"
# the body's text: pages after the cover, without TOC pages (their leaders),
# cropped to the text block so running heads do not cut paragraphs
: > "$T/body"
p=2
while [ "$p" -le "$pages" ]; do
	pdftotext -enc UTF-8 -f $p -l $p -x 0 -y 60 -W 596 -H 720 "$PDF" "$T/page"
	grep -q '\.\.\.\.\.' "$T/page" || cat "$T/page" >> "$T/body"
	p=$((p + 1))
done
check "the body starts with 本期导读" sh -c "grep -v '^\s*$' '$T/body' | head -n 1 | grep -q '本期导读'"
check "headings and paragraphs in order" python3 "$ROOT/tests/text_order.py" "$ISSUE" "$T/body"
check "sections numbered 一、…六、" grep -q '六、海外资讯' "$T/text"
check "entries numbered 1.1、" grep -q '1\.1、中共中央办公厅' "$T/text"
check "entry 6.8 numbered" grep -q '6\.8、【南非】' "$T/flat"
check "本期导读 unnumbered" sh -c "grep -q '^本期导读' '$T/text' && ! grep -q '、本期导读' '$T/text'"
check "source label drawn" grep -q '政策原文' "$T/text"
finish
