# The published format: cover texts, TOC numbers against the pages the
# headings land on (engine records and PDF text), leaders, links, outline,
# page labels, metadata, qpdf --check, byte-identical renders; on the
# reference issue and on a generated issue whose TOC runs over two pages.
. "$(dirname "$0")/lib.sh"
ISSUE=$ROOT/issues/2022-08/issue.md

"$BULLETIN" render "$ISSUE" -o "$T/a.pdf" --dump "$T/a.dump" 2> "$T/err"
check "reference renders" test $? = 0
check "reference: navigation" python3 "$ROOT/tests/nav_check.py" "$T/a.pdf" "$T/a.dump"
check "reference: qpdf --check" qpdf --check "$T/a.pdf"
"$BULLETIN" render "$ISSUE" -o "$T/b.pdf" 2>/dev/null
check "two renders are byte-identical" cmp -s "$T/a.pdf" "$T/b.pdf"

# pdftotext shows the 1/4-em Han-Latin gaps as spaces: compare without spaces
# the second design: the same navigation, its own cover and running heads
"$BULLETIN" render "$ISSUE" --layout print -o "$T/p.pdf" --dump "$T/p.dump" 2> "$T/err"
check "print layout renders" test $? = 0
check "print layout: navigation" python3 "$ROOT/tests/nav_check.py" "$T/p.pdf" "$T/p.dump"
check "print layout: qpdf --check" qpdf --check "$T/p.pdf"
check "print layout: page numbers at the outer edge (mirrored on even pages)" python3 - "$T/p.dump" <<'PY'
import re, sys
label, bad, seen = None, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"page \d+ label=(\S+)", line)
    if m:
        label = m.group(1)
    m = re.match(r'\s+line (\S+) (\S+) (\S+) #0:gen s\d+ "(\d+)"$', line)
    if m and m.group(4) == label and float(m.group(2)) > 780:
        seen += 1
        x, w = float(m.group(1)), float(m.group(3))
        left = x < 100
        bad += left != (int(label) % 2 == 0)
sys.exit(1 if bad or seen < 10 else 0)
PY
check "print layout: looks different (another cover)" sh -c "! cmp -s '$T/a.dump' '$T/p.dump' && pdftotext -l 1 '$T/p.pdf' - | tr -d ' ' | grep -q 数字政府动态"

pdftotext -enc UTF-8 -l 1 "$T/a.pdf" - | tr -d ' ' > "$T/cover"
for want in 数字政府动态 "DIGITAL GOVERNMENT DYNAMICS" 2022年 08 第04期 数字政府研究院 \
	国泰新点软件股份有限公司 "GUOTAI EPOINT SOFTWARE CO., LTD." http://www.epoint.com.cn \
	《数字政府动态》由新点软件数字政府研究院主导整理编制; do
	if grep -qF "$(printf %s "$want" | tr -d ' ')" "$T/cover"; then ok; else fail "cover lacks '$want'"; fi
done
# (in content order: the title's letter spacing sets its characters 1 em apart)
pdftotext -raw -enc UTF-8 -f 2 -l 2 "$T/a.pdf" - | grep -q "^目 录"
check "TOC titled 目 录 on page 2" test $? = 0
pdftotext -enc UTF-8 -f 2 -l 2 "$T/a.pdf" - | grep -q '政策原文'
check "TOC shows the 政策原文 labels" test $? = 0
pdftotext -enc UTF-8 -f 4 -l 4 -y 0 -H 60 -W 596 -x 0 "$T/a.pdf" - | tr -d ' ' | grep -q '数字政府动态·2022年第04期'
check "running head on a body page" test $? = 0

pdfinfo "$T/a.pdf" > "$T/info"
check "metadata: title" grep -q '^Title: *数字政府动态 2022年第04期' "$T/info"
check "metadata: author" grep -q '^Author: *.*数字政府研究院' "$T/info"
check "metadata: creation date from the issue" grep -q '^CreationDate: *Wed Aug 31 00:00:00 2022' "$T/info"

# a generated issue: 9 sections of 9 entries with long titles, a text override
{
	printf -- '---\nyear: 2023\nmonth: 11\nnumber: 12\ndate: 2023-11-30\ntexts:\n  blurb: 本期为特刊。\n---\n\n# 导读 {-}\n\n本期导读。\n\n'
	s=1
	while [ $s -le 9 ]; do
		printf '# 第%d部分栏目\n\n' $s
		e=1
		while [ $e -le 9 ]; do
			printf '## 【地区】关于第%d部分第%d条的一个很长很长的标题，用来检验目录中的标题会折行并且悬挂缩进[政策原文](https://example.org/%d/%d)\n\n' $s $e $s $e
			printf '正文第%d段，讲述数字政府建设的进展，包含 Latin text 与数字 2023 的混排。%s\n\n' $e "这是一个用来填充篇幅的句子。这是一个用来填充篇幅的句子。这是一个用来填充篇幅的句子。"
			e=$((e + 1))
		done
		s=$((s + 1))
	done
} > "$T/gen.md"
"$BULLETIN" render "$T/gen.md" -o "$T/gen.pdf" --dump "$T/gen.dump" 2> "$T/err"
check "generated issue renders" test $? = 0
check "generated: navigation" python3 "$ROOT/tests/nav_check.py" "$T/gen.pdf" "$T/gen.dump"
check "generated: qpdf --check" qpdf --check "$T/gen.pdf"
check "generated: the TOC runs over more than one page" sh -c "pdftotext -f 3 -l 3 '$T/gen.pdf' - | grep -q '\\.\\.\\.\\.\\.'"
pdftotext -enc UTF-8 -l 1 "$T/gen.pdf" - | grep -q '本期为特刊。'
check "front matter texts: override the layout's blurb" test $? = 0
pdftotext -enc UTF-8 -l 1 "$T/gen.pdf" - | tr -d ' ' | grep -q '第12期'
check "cover: 第{number:02}期" test $? = 0
pdftotext -enc UTF-8 -l 1 "$T/gen.pdf" - | grep -qx '11'
check "cover: {month:02}" test $? = 0
finish
