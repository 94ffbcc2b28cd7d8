# The fonts of the reference issue: cut to the glyphs drawn (subset.c), so
# the whole PDF stays small; still every face embedded, subset, CID-keyed
# CFF with the Noto names; the text copies out as written; two renders
# give the same bytes.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md
PDF=$T/a.pdf

check "renders the reference issue" "$BULLETIN" render "$ISSUE" -o "$PDF"
check "renders it again" "$BULLETIN" render "$ISSUE" -o "$T/b.pdf"
check "two renders byte-identical" cmp -s "$PDF" "$T/b.pdf"

size=$(wc -c < "$PDF")
check "the PDF is at most 600 KB ($size bytes)" test "$size" -le 600000

pdffonts "$PDF" > "$T/fonts" 2>&1
tail -n +3 "$T/fonts" > "$T/list"
nfonts=$(wc -l < "$T/list")
notemb=$(awk '$(NF-4) != "yes"' "$T/list" | wc -l)
notsub=$(awk '$(NF-3) != "yes"' "$T/list" | wc -l)
nouni=$(awk '$(NF-2) != "yes"' "$T/list" | wc -l)
notcff=$(grep -vc 'CID Type 0C' "$T/list")
check "fonts listed ($nfonts)" test "$nfonts" -ge 2
check "every font embedded ($notemb not)" test "$notemb" = 0
check "every font subset ($notsub not)" test "$notsub" = 0
check "every font has a ToUnicode map ($nouni not)" test "$nouni" = 0
check "every font CID-keyed CFF ($notcff not)" test "$notcff" = 0
untagged=$(awk '{print $1}' "$T/list" | grep -cvE '^[A-Z]{6}\+')
check "every font name subset-tagged ($untagged not)" test "$untagged" = 0
check "Noto Serif CJK SC Regular" grep -q 'NotoSerifCJK.*-Regular' "$T/list"
check "Noto Serif CJK SC Bold" grep -q 'NotoSerifCJK.*-Bold' "$T/list"

# No font program keeps the faces' thousands of subroutines: each embedded
# font file is under 300 KB (cairo's own subsets were 0.5-0.9 MB each).
qpdf --json --json-stream-data=none "$PDF" > "$T/json" 2>/dev/null
big=$(python3 -c '
import json, sys
objs = json.load(open(sys.argv[1]))["qpdf"][1]
sizes = [v["stream"]["dict"].get("/Length", 0) for v in objs.values()
         if "stream" in v and v["stream"]["dict"].get("/Subtype") in
         ("/CIDFontType0C", "/Type1C", "/OpenType")]
print(sum(1 for n in sizes if n > 300000) if sizes else "none")' "$T/json" 2>&1)
check "no embedded font over 300 KB (${big:-?} over)" test "$big" = 0

# The text copies out as written (ToUnicode from the runs' clusters): a
# paragraph with Han, digits and marks, and a heading, out of the body's
# text block (no running heads), without spaces and line ends.
pdftotext -enc UTF-8 -x 0 -y 60 -W 596 -H 720 "$PDF" - | tr -d ' \n\f' > "$T/text"
para=$(grep '^住房和城乡建设部办公厅印发《关于开展' "$ISSUE" | sed 's/\*\*//g; s/ //g')
check "a paragraph's text unchanged" grep -qF "$para" "$T/text"
check "a heading's text unchanged" grep -qF '1.1、中共中央办公厅国务院印发《关于规范村级组织工作事务、机制牌子和证明事项的意见》' "$T/text"
finish
