# Markdown as editors write it: bold run-ins in Chinese set bold with no
# asterisk left, leftover markup named with its place, bare URLs and
# e-mail addresses as links; read back from the PDF.
. "$(dirname "$0")/lib.sh"

cat > "$T/m.md" <<'MD'
---
year: 2022
month: 8
number: 4
---

# 要闻速递

## 标题

**一是指导思想。**围绕中心，**《意见》**提出，提出**“三个一”**目标；snake_case_name 与 2*3*4。

详见https://www.gov.cn/zhengce/2022-08/01/content_1.htm。联系zhang.san@example.gov.cn或访问www.epoint.com.cn（官网）。

剩下 ** 不闭合，~~删除~~。

见[文件][无此定义]，参考文献[1][2]。
MD
"$BULLETIN" render "$T/m.md" -o "$T/m.pdf" --dump-model "$T/model" 2> "$T/err"
check "renders" test $? = 0
pdftotext -enc UTF-8 "$T/m.pdf" - | tr -d ' \n' > "$T/text"
check "the run-ins print without asterisks" grep -q '一是指导思想。围绕中心，《意见》提出，提出“三个一”目标' "$T/text"
check "Latin keeps CommonMark: snake_case_name, 2*3*4 as 234" grep -q 'snake_case_name与234。' "$T/text"
check "the run-ins are bold in the model" grep -q 'span 0 21 b' "$T/model"
pdffonts "$T/m.pdf" > "$T/fonts"
check "the bold face is used" grep -q 'NotoSerifCJK.*-Bold' "$T/fonts"
check "a leftover ** is a warning at its place" grep -q 'm.md:15:4: warning: .\*\*. opens or closes no bold' "$T/err"
check "~~ is a warning at its place" grep -q 'm.md:15:11: warning: .~~. (strikethrough) is not supported' "$T/err"
qpdf --qdf --object-streams=disable "$T/m.pdf" "$T/m.qdf"
for uri in 'https://www.gov.cn/zhengce/2022-08/01/content_1.htm' 'mailto:zhang.san@example.gov.cn' 'http://www.epoint.com.cn'; do
	check "a bare link is a URI action: $uri" grep -a -q "/URI ($uri)" "$T/m.qdf"
done
check "the URL stops before the CJK full stop" sh -c "! grep -a -q 'content_1.htm。' '$T/m.qdf'"
check "an undefined reference link is a warning" grep -q "m.md:17:5: warning: '\[...\]\[...\]' is a reference link with no definition" "$T/err"
check "citations [1][2] are not" test "$(grep -c 'reference link' "$T/err")" = 1
"$BULLETIN" check "$T/m.md" > "$T/check" 2>&1
check "check names the leftover markup too" grep -q 'm.md:15:4: warning' "$T/check"
finish
