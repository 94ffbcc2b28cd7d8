# Tables: GFM pipe tables set by the clreq composer in columns sized by
# their content, breaking between rows with the header repeated, rules as
# the layout says; a row split only when taller than a page; too wide is
# smaller, then an error.  Read back from the dump and the PDF.
. "$(dirname "$0")/lib.sh"

python3 - "$T/big.md" <<'PY'
import sys
rows = "\n".join(f"| {['北京','上海','江苏','浙江','广东'][i % 5]}第{i + 1}项政务服务事项办理情况 | {1000 + i * 37} 件 | {i % 7 * 1.3 + 2:.1f}% |"
                 for i in range(40))
open(sys.argv[1], "w", encoding="utf-8").write(f"""---
year: 2022
month: 8
number: 4
---

# 栏目

## 条目

正文一段。

表2 各地政务服务事项

| 事项 | 办件量 | 增长率 |
| --- | ---: | ---: |
{rows}

表后正文。
""")
PY
"$BULLETIN" render "$T/big.md" -o "$T/big.pdf" --dump "$T/big.dump" 2> "$T/err"
check "a 40-row table renders" test $? = 0
check "no warning" test ! -s "$T/err"
python3 - "$T/big.dump" <<'PY' > "$T/report"
import re, sys
pages = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("page "):
        pages.append([])
    elif pages:
        pages[-1].append(line.rstrip("\n"))
heads, rows, order, split, rules = [], [], [], 0, []
for n, pg in enumerate(pages):
    cells = [re.match(r'\s+line \S+ (\S+) \S+ #(\d+):(t[dh]) s\d+ "(.*)"', l) for l in pg]
    cells = [c for c in cells if c]
    if not cells:
        continue
    heads.append(sum(1 for c in cells if c.group(3) == "th"))
    for c in cells:
        m = re.match(r"(北京|上海|江苏|浙江|广东)第(\d+)项", c.group(4))
        if m:
            order.append(int(m.group(2)))
    ys = sorted({round(float(c.group(1)), 1) for c in cells if c.group(3) == "th"})
    rules.append(sum(1 for l in pg if re.match(r"\s+rect \S+ \S+ 470\.55 (1\.00|0\.50) ", l)))
print("pages with the table:", len(heads))
print("header cells per page:", heads)
print("rows in order:", order == list(range(1, 41)))
print("rules per page:", rules)
ok = len(heads) >= 2 and all(h == 3 for h in heads) and order == list(range(1, 41)) and all(r == 3 for r in rules)
sys.exit(0 if ok else 1)
PY
check "across pages: header repeated, rows once in order, three rules a page" test $? = 0
cat "$T/report"
pdftotext -enc UTF-8 "$T/big.pdf" - | tr -d ' ' > "$T/text"
check "the PDF's text has every row" test "$(grep -c '政务服务事项办理情况' "$T/text")" = 40
check "the header on every page the table reaches" test "$(grep -c '^事项$' "$T/text")" -ge 2

# a row taller than a page is split, with a warning at its line
python3 -c "print('---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n\n| 甲 | 乙 |\n| --- | --- |\n| 短 | ' + '很长的单元格内容' * 400 + ' |\n')" > "$T/tall.md"
"$BULLETIN" render "$T/tall.md" -o "$T/tall.pdf" --dump "$T/tall.dump" 2> "$T/err"
check "a row taller than a page: renders" test $? = 0
check "a row taller than a page: a warning at its line" grep -q 'tall.md:13: warning: a table row taller than a page is split across pages' "$T/err"
check "a row taller than a page: on several pages" sh -c "test \$(grep -c ':td ' '$T/tall.dump') -gt 40 && test \$(grep -c '^page ' '$T/tall.dump') -ge 4"

# too wide: set smaller, with a warning; far too wide: an error at its line
python3 -c "
cols = 7
print('---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n')
print('|' + '|'.join(' H%d ' % i for i in range(cols)) + '|')
print('|' + '|'.join(' --- ' for i in range(cols)) + '|')
print('|' + '|'.join(' WIDEWORDS%d ' % i for i in range(cols)) + '|')" > "$T/wide.md"
"$BULLETIN" render "$T/wide.md" -o "$T/wide.pdf" 2> "$T/err"
check "too wide at its size: rendered smaller" test $? = 0
check "too wide at its size: a warning with the size" grep -q 'wide.md:11:[0-9]*: warning: the table is too wide for the measure at 9.5pt: it is set at [0-9.]*pt' "$T/err"
python3 -c "
cols = 14
print('---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n')
print('|' + '|'.join(' H%d ' % i for i in range(cols)) + '|')
print('|' + '|'.join(' --- ' for i in range(cols)) + '|')
print('|' + '|'.join(' VERYWIDEUNBREAKABLEWORD%d ' % i for i in range(cols)) + '|')" > "$T/wider.md"
"$BULLETIN" render "$T/wider.md" -o "$T/wider.pdf" 2> "$T/err"
check "far too wide: exit 1" test $? = 1
check "far too wide: an error at the table's line" grep -q 'wider.md:11:[0-9]*: error: the table does not fit the measure even at 7pt' "$T/err"
check "far too wide: no PDF" test ! -e "$T/wider.pdf"

# inline markup in cells: bold, a link that is a link
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n\n| 名称 | 链接 |\n| --- | --- |\n| **加粗** | [政府网](https://www.gov.cn/) |\n' > "$T/inline.md"
"$BULLETIN" render "$T/inline.md" -o "$T/inline.pdf" 2> "$T/err"
qpdf --qdf --object-streams=disable "$T/inline.pdf" "$T/inline.qdf"
check "a link in a cell is a link" grep -a -q '/URI (https://www.gov.cn/)' "$T/inline.qdf"
check "bold in a cell is the bold face" sh -c "pdffonts '$T/inline.pdf' | grep -q 'Bold'"
# a table md4c cannot take (no delimiter row) would print its pipes: a warning
printf -- '---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n\n# 栏\n\n## 条\n\n| 指标 | 2022年 |\n| 网上办理率 | 95%% |\n' > "$T/nt.md"
"$BULLETIN" render "$T/nt.md" -o "$T/nt.pdf" 2> "$T/err"
check "not a table: a warning at it" grep -q "nt.md:11:1: warning: this paragraph looks like a table but is not one" "$T/err"
finish
