/* test_issue.c: issue.c: the front matter (every key, every error and its
 * position) and the body (blocks, spans, lists, quotes, code, positions). */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"


/* The front matter most tests use: the body starts on line 6. */
#define FM "---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n"

static struct issue *parse(const char *text, struct diags *d)
{
	return issue_parse("i.md", text, strlen(text), d);
}

/* The text of span i of block b, for messages. */
#define CHECK_SPAN(b, i, s0, e0, fl, hr)                                                 \
	do {                                                                             \
		const struct block *b_ = (b);                                            \
		if ((i) >= b_->nspans) {                                                 \
			fprintf(stderr, "%s:%d: no span %d\n", __FILE__, __LINE__, (i)); \
			check_case_failed = 1;                                           \
			break;                                                           \
		}                                                                        \
		const struct span *s_ = &b_->spans[i];                                   \
		CHECK_INT(s_->start, s0);                                                \
		CHECK_INT(s_->end, e0);                                                  \
		CHECK_INT(s_->flags, fl);                                                \
		if (hr)                                                                  \
			CHECK_STR(s_->href, (const char *)(hr));                         \
		else                                                                     \
			CHECK(s_->href == NULL);                                         \
	} while (0)

/* ---- front matter ---- */

static void test_front_matter_keys(void)
{
	struct diags d = {0};
	struct issue *is = parse("---\n"
				 "year: 2022\n"
				 "month: 8\n"
				 "number: 4\n"
				 "layout: epoint\n"
				 "date: 2022-08-31\n"
				 "texts:\n"
				 "  title: 数字政府动态\n"
				 "  publisher: \"新点: 研究院\"\n"
				 "---\n",
				 &d);
	CHECK(is != NULL);
	CHECK_INT(d.n, 0);
	if (!is)
		return;
	CHECK_STR(is->path, "i.md");
	CHECK_INT(is->year, 2022);
	CHECK_INT(is->month, 8);
	CHECK_INT(is->number, 4);
	CHECK_STR(is->layout, "epoint");
	CHECK_STR(is->date, "2022-08-31");
	CHECK_INT(is->texts.n, 2);
	CHECK_STR(is->texts.keys[0], "title");
	CHECK_STR(is->texts.values[0], "数字政府动态");
	CHECK_STR(is->texts.keys[1], "publisher");
	CHECK_STR(is->texts.values[1], "新点: 研究院");
	CHECK(is->texts.lines[0] > 5 && is->texts.cols[0] == 3);
	CHECK_INT(is->nblocks, 0);	/* an empty body is fine */
	issue_free(is);

	is = parse(FM, &d);
	CHECK(is && is->layout == NULL && is->date == NULL && is->texts.n == 0);
	issue_free(is);
	diag_clear(&d);
}

static void test_missing_keys(void)
{
	struct diags d = {0};
	CHECK(parse("---\nmonth: 8\n---\nbody\n", &d) == NULL);
	CHECK_INT(d.errors, 2);
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "missing required key 'year' in front matter");
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "missing required key 'number' in front matter");
	diag_clear(&d);
	CHECK(parse("---\n---\n", &d) == NULL);	/* empty: all three, at its start */
	CHECK_INT(d.errors, 3);
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "missing required key 'month' in front matter");
	CHECK(!strcmp(d.v[0].file, "i.md"));
	diag_clear(&d);
}

static void test_front_matter_values(void)
{
	struct diags d = {0};
	CHECK(parse("---\nyear: 2022\nmonth: 13\nnumber: 0\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 8, "month must be 1-12, got 13");
	CHECK_DIAG(&d, SEV_ERROR, 4, 9, "number must be 1-999, got 0");
	diag_clear(&d);
	CHECK(parse("---\nyear: 1899\nmonth: 8\nnumber: 4\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 2, 7, "year must be 1900-2999, got 1899");
	diag_clear(&d);
	CHECK(parse("---\nyear: abc\nmonth: 8.5\nnumber: \"4\"\nlayout: [a]\n---\n", &d) == NULL);
	CHECK_INT(d.errors, 4);
	CHECK_DIAG(&d, SEV_ERROR, 2, 7, "year: expected an integer, got \"abc\"");
	CHECK_DIAG(&d, SEV_ERROR, 3, 8, "month: expected an integer, got \"8.5\"");
	CHECK_DIAG(&d, SEV_ERROR, 4, 10, "number: expected an integer, got \"4\"");
	CHECK_DIAG(&d, SEV_ERROR, 5, 1, "layout: expected a text, got a sequence");
	diag_clear(&d);
	CHECK(parse("---\nyear: 2022\nmonth: 8\nnumber: 4\ntexts: [a, b]\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 1, "texts: expected a mapping (key: value lines), got a sequence");
	diag_clear(&d);
}

static void test_unknown_key(void)
{
	struct diags d = {0};
	CHECK(parse("---\nyear: 2022\nmonth: 8\nnumbr: 4\n---\n", &d) == NULL);
	CHECK_INT(d.errors, 1);	/* no "missing number" on top of the typo */
	CHECK_DIAG(&d, SEV_ERROR, 4, 1, "unknown key 'numbr' in front matter");
	diag_clear(&d);
	CHECK(parse("---\nyear: 2022\nmonth: 8\nnumber: 4\ntitle: x\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 1, "unknown key 'title' in front matter");
	diag_clear(&d);
}

static void test_date(void)
{
	struct diags d = {0};
	struct issue *is = parse("---\nyear: 2024\nmonth: 2\nnumber: 1\ndate: 2024-02-29\n---\n", &d);
	CHECK(is && !strcmp(is->date, "2024-02-29"));
	issue_free(is);
	CHECK(parse("---\nyear: 2022\nmonth: 2\nnumber: 1\ndate: 2022-02-29\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 7, "date 2022-02-29: day must be 01-28 in that month");
	CHECK(parse("---\nyear: 2022\nmonth: 2\nnumber: 1\ndate: \"2022-8-31\"\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 8, "date must be YYYY-MM-DD, got \"2022-8-31\"");
	CHECK(parse("---\nyear: 2022\nmonth: 2\nnumber: 1\ndate: 2022-13-01\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 7, "date 2022-13-01: month must be 01-12");
	CHECK(parse("---\nyear: 2022\nmonth: 2\nnumber: 1\ndate: 2100-02-29\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 7, "date 2100-02-29: day must be 01-28 in that month");
	CHECK_INT(d.errors, 4);
	diag_clear(&d);
}

static void test_yaml_syntax_error(void)
{
	struct diags d = {0};
	CHECK(parse("---\nyear: 2022\nmonth: 8: 9\nnumber: 4\n---\nbody\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 9, "YAML: invalid nested block mapping on the same line");
	diag_clear(&d);
	/* libfyaml places an unclosed bracket at the end of the YAML: the closing line */
	CHECK(parse("---\nyear: 2022\nmonth: [8\nnumber: 4\n---\nbody\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 5, 1, "YAML: flow sequence without a closing bracket");
	diag_clear(&d);
	CHECK(parse("---\nyear: 2022\nyear: 2023\nmonth: 8\nnumber: 4\n---\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 1, "YAML: duplicate key");
	diag_clear(&d);
}

static void test_delimiters(void)
{
	struct diags d = {0};
	CHECK(parse("year: 2022\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1,
		   "the file must start with a front matter: a line '---', then year:, month:, "
		   "number:, then a line '---'");
	diag_clear(&d);
	CHECK(parse("", &d) == NULL);
	CHECK_INT(d.errors, 1);
	diag_clear(&d);
	CHECK(parse("----\nyear: 2022\n---\n", &d) == NULL);	/* not a delimiter */
	CHECK_INT(d.errors, 1);
	diag_clear(&d);
	CHECK(parse("---\nyear: 2022\nmonth: 8\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1, "front matter is not closed: no line '---' after the first one");
	diag_clear(&d);

	/* CRLF line ends, trailing blanks on the delimiters, no final newline */
	struct issue *is = parse("---  \r\nyear: 2022\r\nmonth: 8\r\nnumber: 4\r\n---\r\n# 标题\r\n\r\n正文", &d);
	CHECK(is && is->nblocks == 2);
	if (is && is->nblocks == 2) {
		CHECK_STR(is->blocks[0].text, "标题");
		CHECK_INT(is->blocks[0].line, 6);
		CHECK_STR(is->blocks[1].text, "正文");
		CHECK_INT(is->blocks[1].line, 8);
	}
	issue_free(is);
	is = parse("---\nyear: 2022\nmonth: 8\nnumber: 4\n---", &d);	/* closing line at EOF */
	CHECK(is && is->nblocks == 0);
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_encoding(void)
{
	struct diags d = {0};
	CHECK(parse(FM "中文\xff\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 6, 3, "invalid UTF-8 (byte 0xff); the file must be UTF-8 text");
	diag_clear(&d);
	CHECK(parse("---\nyear: 20\xe4\xb8\n", &d) == NULL);	/* truncated sequence */
	CHECK_DIAG(&d, SEV_ERROR, 2, 9, "invalid UTF-8 (byte 0xe4); the file must be UTF-8 text");
	diag_clear(&d);
	const char nul[] = FM "ab\0cd\n";
	CHECK(issue_parse("i.md", nul, sizeof(nul) - 1, &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 6, 3, "NUL byte; the file must be UTF-8 text");
	diag_clear(&d);
	/* a byte order mark is skipped */
	struct issue *is = parse("\xef\xbb\xbf" FM "正文\n", &d);
	CHECK(is && is->nblocks == 1 && is->year == 2022);
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_load(void)
{
	struct diags d = {0};
	char path[] = "/tmp/test_issue_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(FM "# 要闻速递\n", f);
	fclose(f);
	struct issue *is = issue_load(path, NULL, &d);
	CHECK(is && is->nblocks == 1 && !strcmp(is->path, path));
	issue_free(is);
	remove(path);
	CHECK(issue_load("/nonexistent/issue.md", NULL, &d) == NULL);
	CHECK_INT(d.errors, 1);
	diag_clear(&d);
}

/* ---- body ---- */

static void test_headings(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "# 要闻速递\n\n## 条目\n\n### 三\n\n#### 四\n\n##### 五\n\n###### 六\n"
				    "\n正文\n",
				 &d);
	CHECK(is && is->nblocks == 7);
	if (!is)
		return;
	for (int i = 0; i < 6 && i < is->nblocks; i++) {
		CHECK_INT(is->blocks[i].kind, BLOCK_HEADING);
		CHECK_INT(is->blocks[i].level, i + 1);
		CHECK_INT(is->blocks[i].unnumbered, 0);
		CHECK_INT(is->blocks[i].line, 6 + 2 * i);
		CHECK_INT(is->blocks[i].col, i + 3);	/* the title's first character */
		CHECK(is->blocks[i].source_label == NULL && is->blocks[i].source_href == NULL);
	}
	CHECK_STR(is->blocks[0].text, "要闻速递");
	CHECK_INT(is->blocks[0].len, 12);
	CHECK_STR(is->blocks[1].text, "条目");
	CHECK_INT(is->blocks[6].kind, BLOCK_PARA);
	CHECK_INT(is->blocks[6].line, 18);
	CHECK_INT(is->blocks[6].col, 1);
	issue_free(is);

	/* setext headings are levels 1 and 2 too */
	is = parse(FM "节\n===\n\n条\n---\n", &d);
	CHECK(is && is->nblocks == 2 && is->blocks[0].level == 1 && is->blocks[1].level == 2);
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_unnumbered(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "# 本期导读 {-}\n\n# 附录{.unnumbered}  \n\n## 甲 {-} 乙\n\n"
				    "## {-}\n\n# **粗** {-}\n",
				 &d);
	CHECK(is && is->nblocks == 5);
	if (!is || is->nblocks != 5)
		return;
	CHECK_STR(is->blocks[0].text, "本期导读");
	CHECK_INT(is->blocks[0].len, 12);
	CHECK_INT(is->blocks[0].unnumbered, 1);
	CHECK_STR(is->blocks[1].text, "附录");
	CHECK_INT(is->blocks[1].unnumbered, 1);
	CHECK_STR(is->blocks[2].text, "甲 {-} 乙");	/* only at the end */
	CHECK_INT(is->blocks[2].unnumbered, 0);
	CHECK_STR(is->blocks[3].text, "");
	CHECK_INT(is->blocks[3].unnumbered, 1);
	CHECK_STR(is->blocks[4].text, "粗");
	CHECK_INT(is->blocks[4].nspans, 1);
	CHECK_SPAN(&is->blocks[4], 0, 0, 3, SPAN_BOLD, NULL);
	issue_free(is);
	diag_clear(&d);
}

static void test_source_link(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM
				 "## 国务院印发《意见》[政策原文](#) {-}\n\n"
				 "## 标题 [原文](https://www.gov.cn/a?x=1&amp;y=2) {-}  \n\n"
				 "## 标题[政策原文]() {-}\n\n"
				 "## 标题[政策原文](<>) {-}\n\n"
				 "## 关于[**文件**](https://x)的通知 {-}\n\n"
				 "## 甲[一](#a)乙[二](#b) {-}\n",
				 &d);
	CHECK(is && is->nblocks == 6);
	if (!is || is->nblocks != 6)
		return;
	struct block *b = &is->blocks[0];
	CHECK_STR(b->text, "国务院印发《意见》");
	CHECK_INT(b->len, (int)strlen("国务院印发《意见》"));
	CHECK_STR(b->source_label, "政策原文");
	CHECK_STR(b->source_href, "");
	CHECK_INT(b->nspans, 0);
	b = &is->blocks[1];
	CHECK_STR(b->text, "标题");	/* the blank before the link is trimmed */
	CHECK_STR(b->source_label, "原文");
	CHECK_STR(b->source_href, "https://www.gov.cn/a?x=1&y=2");
	b = &is->blocks[2];
	CHECK_STR(b->text, "标题");
	CHECK_STR(b->source_href, "");
	b = &is->blocks[3];
	CHECK_STR(b->text, "标题");
	CHECK_STR(b->source_href, "");
	CHECK_INT(b->unnumbered, 1);
	b = &is->blocks[4];	/* a link in the middle is still the source link */
	CHECK_STR(b->text, "关于的通知");
	CHECK_STR(b->source_label, "文件");
	CHECK_STR(b->source_href, "https://x");
	CHECK_INT(b->nspans, 0);	/* the bold was inside the link */
	b = &is->blocks[5];	/* one source link; the next stays as text */
	CHECK_STR(b->text, "甲乙二");
	CHECK_STR(b->source_label, "一");
	CHECK_STR(b->source_href, "#a");
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, SEV_WARNING, 16, 13,
		   "a heading has one source link; this further link is kept as plain text");
	CHECK_INT(d.errors, 0);
	issue_free(is);
	diag_clear(&d);
}

static void test_spans(void)
{
	struct diags d = {0};
	/* bytes:  "ab " 0-3, "粗" 3-6, " " 6, "斜" 7-10, " " 10, "链" 11-14, "接" 14-17,
	 *         " " 17, "code" 18-22 */
	struct issue *is = parse(FM "ab **粗** *斜* [链**接**](https://x) `code`\n", &d);
	CHECK(is && is->nblocks == 1);
	if (!is || is->nblocks != 1)
		return;
	struct block *b = &is->blocks[0];
	CHECK_STR(b->text, "ab 粗 斜 链接 code");
	CHECK_INT(b->nspans, 5);
	CHECK_SPAN(b, 0, 3, 6, SPAN_BOLD, NULL);
	CHECK_SPAN(b, 1, 7, 10, SPAN_ITALIC, NULL);
	CHECK_SPAN(b, 2, 11, 14, SPAN_LINK, "https://x");
	CHECK_SPAN(b, 3, 14, 17, SPAN_LINK | SPAN_BOLD, "https://x");
	CHECK_SPAN(b, 4, 18, 22, SPAN_CODE, NULL);
	issue_free(is);

	/* one run per identical style; links to "#" have href ""; autolinks */
	is = parse(FM "***a*b** [x](#)[y](#) <https://e.org/p>\n", &d);
	CHECK(is && is->nblocks == 1);
	if (is && is->nblocks == 1) {
		b = &is->blocks[0];
		CHECK_STR(b->text, "ab xy https://e.org/p");
		CHECK_INT(b->nspans, 4);
		CHECK_SPAN(b, 0, 0, 1, SPAN_BOLD | SPAN_ITALIC, NULL);
		CHECK_SPAN(b, 1, 1, 2, SPAN_BOLD, NULL);
		CHECK_SPAN(b, 2, 3, 5, SPAN_LINK, "");	/* [x](#)[y](#): one run */
		CHECK_SPAN(b, 3, 6, 21, SPAN_LINK, "https://e.org/p");
	}
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_breaks(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "第一行  \n第二行\\\n第三行\n\n"
				    "中文第一行\n第二行，\n“引号”\nLatin\nwords, 1\n2\n中\nEnd\n",
				 &d);
	CHECK(is && is->nblocks == 2);
	if (!is || is->nblocks != 2)
		return;
	CHECK_STR(is->blocks[0].text, "第一行\n第二行\n第三行");
	/* soft breaks: a space only between Latin letters, digits or punctuation */
	CHECK_STR(is->blocks[1].text, "中文第一行第二行，“引号”Latin words, 1 2中End");
	CHECK(is->blocks[1].src_line != NULL);
	if (is->blocks[1].src_line) {
		CHECK_INT(is->blocks[1].src_line[0], 10);
		CHECK_INT(is->blocks[1].src_line[is->blocks[1].len - 1], 17);
	}
	issue_free(is);
	diag_clear(&d);
}

static void test_entities(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "&amp; &lt;&gt; &quot;&nbsp;&#20013;&#x6587; &copy; &hellip; "
				    "&#0; &unknownname; \\*\n",
				 &d);
	CHECK(is && is->nblocks == 1);
	if (is && is->nblocks == 1)
		CHECK_STR(is->blocks[0].text,
			  "& <> \"\xc2\xa0中文 © … \xef\xbf\xbd &unknownname; *");
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_lists(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "- 甲\n- 乙\n  - 丙\n\n3. 一\n4. 二\n\n   续\n\n1) x\n\n- \n- - 深\n",
				 &d);
	CHECK(is && is->nblocks == 10);
	if (!is || is->nblocks != 10)
		return;
	struct block *b = is->blocks;
	CHECK(b[0].kind == BLOCK_ITEM && b[0].list_depth == 1);
	CHECK_STR(b[0].marker, "•");
	CHECK_STR(b[0].text, "甲");
	CHECK_INT(b[0].line, 6);
	CHECK_INT(b[0].col, 3);
	CHECK_STR(b[1].marker, "•");
	CHECK_STR(b[2].text, "丙");
	CHECK_INT(b[2].list_depth, 2);
	CHECK_STR(b[2].marker, "•");
	CHECK_STR(b[3].marker, "3.");	/* the start number is kept */
	CHECK_STR(b[3].text, "一");
	CHECK_STR(b[4].marker, "4.");
	CHECK_STR(b[5].text, "续");	/* a second paragraph: no marker */
	CHECK(b[5].kind == BLOCK_ITEM && b[5].marker == NULL && b[5].list_depth == 1);
	CHECK_STR(b[6].marker, "1)");
	/* an empty item, and an item that starts with a list, keep their marker */
	CHECK(b[7].kind == BLOCK_ITEM && b[7].len == 0);
	CHECK_STR(b[7].marker, "•");
	CHECK_INT(b[7].line, 17);
	CHECK_INT(b[7].col, 1);
	CHECK(b[8].kind == BLOCK_ITEM && b[8].len == 0 && b[8].list_depth == 1);
	CHECK_STR(b[8].marker, "•");
	CHECK_INT(b[8].line, 18);
	CHECK(b[9].list_depth == 2 && !strcmp(b[9].marker, "•") && !strcmp(b[9].text, "深"));
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_quotes(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "> 引\n> > 深\n\n正文\n\n> - 项\n", &d);
	CHECK(is && is->nblocks == 4);
	if (is && is->nblocks == 4) {
		CHECK(is->blocks[0].kind == BLOCK_PARA && is->blocks[0].quote_depth == 1);
		CHECK_INT(is->blocks[0].line, 6);
		CHECK_INT(is->blocks[0].col, 3);
		CHECK(is->blocks[1].quote_depth == 2 && !strcmp(is->blocks[1].text, "深"));
		CHECK_INT(is->blocks[2].quote_depth, 0);
		CHECK(is->blocks[3].kind == BLOCK_ITEM && is->blocks[3].quote_depth == 1 &&
		      is->blocks[3].list_depth == 1);
	}
	issue_free(is);

	/* 2,000 nested quotes: no deep recursion (ASan's stack would catch it) */
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_str(&sb, FM);
	for (int i = 0; i < 2000; i++)
		sbuf_str(&sb, ">");
	sbuf_str(&sb, " 深\n");
	is = issue_parse("i.md", sb.s, sb.len, &d);
	CHECK(is && is->nblocks == 1 && is->blocks[0].quote_depth == 2000);
	if (is && is->nblocks == 1)
		CHECK_INT(is->blocks[0].col, 2002);
	issue_free(is);
	sbuf_done(&sb);
	diag_clear(&d);
}

static void test_code_and_rules(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "段\n\n```c\nint x;\n\n  y  *z*\n```\n\n---\n\n    缩进\n    代码\n\n***\n",
				 &d);
	CHECK(is && is->nblocks == 5);
	if (!is || is->nblocks != 5)
		return;
	struct block *b = is->blocks;
	CHECK_INT(b[1].kind, BLOCK_CODE);
	CHECK_STR(b[1].text, "int x;\n\n  y  *z*");
	CHECK_INT(b[1].nspans, 0);
	CHECK_INT(b[1].line, 8);	/* the fence */
	CHECK_INT(b[1].col, 1);
	CHECK_INT(b[2].kind, BLOCK_RULE);
	CHECK_INT(b[2].line, 14);
	CHECK_INT(b[2].col, 1);
	CHECK_INT(b[3].kind, BLOCK_CODE);
	CHECK_STR(b[3].text, "缩进\n代码");
	CHECK_INT(b[3].line, 16);
	CHECK_INT(b[4].kind, BLOCK_RULE);
	CHECK_INT(b[4].line, 19);
	issue_free(is);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_images_html(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "前 ![图一](a.png) 后 <b>粗</b>\n\n<div>\n块\n</div>\n\n尾\n", &d);
	CHECK(is && is->nblocks == 2);
	if (is && is->nblocks == 2) {
		CHECK_STR(is->blocks[0].text, "前 图一 后 <b>粗</b>");
		CHECK_STR(is->blocks[1].text, "尾");
		CHECK_INT(is->blocks[1].line, 12);
	}
	CHECK_INT(d.errors, 0);
	CHECK_DIAG(&d, SEV_WARNING, 6, 5,
		   "an image inside running text is left out (its description is kept); "
		   "put the image on a line of its own");
	CHECK_DIAG(&d, SEV_WARNING, 6, 18, "raw HTML is not supported; it is kept as plain text");
	CHECK_DIAG(&d, SEV_WARNING, 8, 1, "raw HTML is not supported; this HTML block is left out");
	issue_free(is);
	diag_clear(&d);
	/* an image alone in a paragraph must exist: an error at its "![" */
	is = parse(FM "![](x.png)\n", &d);
	CHECK_DIAG(&d, SEV_ERROR, 6, 1, "image x.png: cannot open: No such file or directory");
	issue_free(is);
	diag_clear(&d);
}

/* A PNG of w x h pixels (one IHDR is all image_probe reads). */
static void write_png_header(const char *path, unsigned w, unsigned h)
{
	unsigned char png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
				 'I', 'H', 'D', 'R'};
	for (int i = 0; i < 4; i++) {
		png[16 + i] = (unsigned char)(w >> (24 - 8 * i));
		png[20 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	png[24] = 8;
	png[25] = 2;
	FILE *f = fopen(path, "wb");
	fwrite(png, 1, sizeof(png), f);
	fclose(f);
}

static void test_image_block(void)
{
	char dir[] = "/tmp/bulletin-img-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *png = xasprintf("%s/pic.png", dir);
	char *md = xasprintf("%s/issue.md", dir);
	write_png_header(png, 640, 480);
	const char *text = FM "# 栏目\n\n  ![图一：**示意**](pic.png)  \n\n正文。\n";
	struct diags d = {0};
	struct issue *is = issue_parse(md, text, strlen(text), &d);
	CHECK(is && is->nblocks == 3);
	if (is && is->nblocks == 3) {
		const struct block *b = &is->blocks[1];
		CHECK_INT(b->kind, BLOCK_IMAGE);
		CHECK_STR(b->image, png);
		CHECK_STR(b->text, "图一：示意");
		CHECK(b->image_width == 640 && b->image_height == 480);
		CHECK_INT(b->image_kind, IMAGE_PNG);
		CHECK(b->nspans == 1 && b->spans[0].start == 9 && b->spans[0].end == 15 &&
		      b->spans[0].flags == SPAN_BOLD);
		CHECK_INT(b->line, 8);
		CHECK_INT(is->blocks[2].kind, BLOCK_PARA);
	}
	CHECK_INT(d.n, 0);
	issue_free(is);
	diag_clear(&d);
	unlink(png);
	rmdir(dir);
	free(png);
	free(md);
}

static void test_errors_and_body(void)
{
	/* front-matter errors fail the issue, and the body is still checked */
	struct diags d = {0};
	CHECK(parse("---\nyear: 2022\nmonth: 13\nnumber: 4\n---\n![x](y)\n", &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 8, "month must be 1-12, got 13");
	CHECK_DIAG(&d, SEV_ERROR, 6, 3, "image y: cannot open: No such file or directory");
	diag_clear(&d);
}

static void test_large(void)
{
	struct diags d = {0};
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_str(&sb, FM);
	for (int i = 0; i < 1200; i++)
		sbuf_printf(&sb, "## 标题%d [政策原文](#) {-}\n\n正文**粗**\n第二行\n\n", i);
	for (int i = 0; i < 30000; i++)	/* a 105,000-character paragraph */
		sbuf_str(&sb, i % 2 ? "字字字字\n" : "*a* b");
	/* how long this takes is measured by make bench (section 5), not here */
	struct issue *is = issue_parse("i.md", sb.s, sb.len, &d);
	CHECK(is && is->nblocks == 2401);
	if (is && is->nblocks == 2401) {
		CHECK_STR(is->blocks[2398].text, "标题1199");
		CHECK_INT(is->blocks[2398].line, 6 + 5 * 1199);
		CHECK_INT(is->blocks[2400].len, 15000 * (3 + 12));	/* "a b字字字字" */
		CHECK_INT(is->blocks[2400].nspans, 15000);
	}
	issue_free(is);
	sbuf_done(&sb);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

static void test_reference_issue(void)
{
	/* the repository's own issue parses without a finding */
	struct diags d = {0};
	struct issue *is = issue_load("issues/2022-08/issue.md", NULL, &d);
	if (!is) {	/* run from elsewhere than the repository root */
		diag_clear(&d);
		return;
	}
	CHECK_INT(d.n, 0);
	CHECK(is->nblocks > 100);
	CHECK_INT(is->blocks[0].kind, BLOCK_HEADING);
	CHECK_INT(is->blocks[0].unnumbered, 1);
	CHECK_STR(is->blocks[0].text, "本期导读");
	issue_free(is);
	diag_clear(&d);
}

/* The tree: sections and entries from headings, containers from Markdown,
 * each leaf the block of its index, every node with a place. */
static int all_placed(const struct node *n)
{
	if (n->at.line <= 0 || n->at.col <= 0)
		return 0;
	for (const struct node *c = n->first; c; c = c->next)
		if (c->parent != n || !all_placed(c))
			return 0;
	return 1;
}

/* An entry before any section would be numbered 0.1、: an error, unless
 * it is unnumbered. */
static void test_entry_before_section(void)
{
	struct diags d = {0};
	CHECK(parse(FM "\n## 条目\n\n# 栏目\n", &d) == NULL);
	CHECK(fixture_has_diag(&d, SEV_ERROR, "i.md", 7, 4,
			       "an entry (##) before the first section (#): put a section heading "
			       "above it, or mark it unnumbered with {-}"));
	diag_clear(&d);
	struct issue *is = parse(FM "\n## 编者按 {-}\n\n# 栏目\n\n## 条目\n", &d);
	CHECK(is != NULL && d.errors == 0);
	issue_free(is);
	diag_clear(&d);
}

static void test_tree(void)
{
	struct diags d = {0};
	struct issue *is = parse(FM "\n导言\n\n# 甲\n\n## 一\n\n正文\n\n### 小标题\n\n> 引\n> # 引中标题\n\n"
				    "- 项\n\n## 二\n\n# 乙\n\n段\n", &d);
	CHECK(is != NULL);
	if (!is)
		return;
	const struct node *doc = is->root;
	CHECK_INT(doc->kind, NODE_DOC);
	const struct node *intro = doc->first, *s1 = intro->next, *s2 = s1->next;
	CHECK(intro->kind == NODE_PARA && intro->block == 0);	/* before any section */
	CHECK(s1->kind == NODE_SECTION && s2->kind == NODE_SECTION && s2->next == NULL);
	CHECK(s1->first->kind == NODE_HEADING && s1->at.line == 9);
	const struct node *e1 = s1->first->next, *e2 = e1->next;
	CHECK(e1->kind == NODE_ENTRY && e2->kind == NODE_ENTRY && e2->next == NULL);
	/* entry 一: heading, para, h3, quote (its heading opens nothing), list */
	const struct node *k = e1->first;
	CHECK(k->kind == NODE_HEADING);
	k = k->next;
	CHECK(k->kind == NODE_PARA);
	k = k->next;
	CHECK(k->kind == NODE_HEADING && is->blocks[k->block].level == 3);
	k = k->next;
	CHECK(k->kind == NODE_QUOTE && k->first->kind == NODE_PARA &&
	      k->first->next->kind == NODE_HEADING && k->at.line == 17);
	k = k->next;
	CHECK(k->kind == NODE_LIST && k->first->kind == NODE_ITEM &&
	      k->first->first->kind == NODE_PARA && k->next == NULL);
	CHECK(s2->first->kind == NODE_HEADING && s2->first->next->kind == NODE_PARA);
	for (int i = 0; i < is->nblocks; i++)
		CHECK(is->blocks[i].node->block == i);
	CHECK(all_placed(doc));
	issue_free(is);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_front_matter_keys);
	RUN(test_missing_keys);
	RUN(test_front_matter_values);
	RUN(test_unknown_key);
	RUN(test_date);
	RUN(test_yaml_syntax_error);
	RUN(test_delimiters);
	RUN(test_encoding);
	RUN(test_load);
	RUN(test_headings);
	RUN(test_unnumbered);
	RUN(test_source_link);
	RUN(test_spans);
	RUN(test_breaks);
	RUN(test_entities);
	RUN(test_lists);
	RUN(test_quotes);
	RUN(test_code_and_rules);
	RUN(test_images_html);
	RUN(test_image_block);
	RUN(test_errors_and_body);
	RUN(test_large);
	RUN(test_reference_issue);
	RUN(test_tree);
	RUN(test_entry_before_section);
	return check_report();
}
