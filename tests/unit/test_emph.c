/* test_emph.c: emphasis as issue.c reads it (emph.c): CommonMark's own
 * emphasis examples for Latin text (tests/data/commonmark-emphasis.txt),
 * and the CJK-friendly amendment's cases in Chinese.
 *
 * A result is compared as each paragraph's characters with their styles
 * (bold, italic, code, link): what the page can show.  Examples whose
 * HTML holds what the model does not keep (raw HTML, images, lists,
 * headings) are left out, and counted. */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"

#define FM "---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n"

/* A paragraph as characters and their styles, e.g. "a|b*c" where each
 * character is followed by nothing (plain) or a style mark. */
static void add_char(struct sbuf *sb, unsigned cp, int flags)
{
	char u[8];
	int n = 0;
	if (cp < 0x80)
		u[n++] = (char)cp;
	else if (cp < 0x800)
		u[n++] = (char)(0xc0 | cp >> 6), u[n++] = (char)(0x80 | (cp & 0x3f));
	else if (cp < 0x10000)
		u[n++] = (char)(0xe0 | cp >> 12), u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		u[n++] = (char)(0x80 | (cp & 0x3f));
	else
		u[n++] = (char)(0xf0 | cp >> 18), u[n++] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[n++] = (char)(0x80 | (cp & 0x3f));
	sbuf_add(sb, u, (size_t)n);
	if (flags)
		sbuf_printf(sb, "{%s%s%s%s}", flags & SPAN_BOLD ? "b" : "", flags & SPAN_ITALIC ? "i" : "",
			    flags & SPAN_CODE ? "c" : "", flags & SPAN_LINK ? "l" : "");
}

/* Our reading of md: its paragraphs, "\n"-separated.  NULL if the model has
 * other blocks. */
static char *ours(const char *md)
{
	struct sbuf src;
	sbuf_init(&src);
	sbuf_str(&src, FM);
	/* the model takes links with a scheme only (a PDF resolves others
	 * against its own folder): the spec's /url becomes one */
	for (const char *c = md; *c; c++)
		if (!strncmp(c, "](/", 3)) {
			sbuf_str(&src, "](https://example.org/");
			c += 2;
		} else {
			sbuf_add(&src, c, 1);
		}
	struct diags d = {0};
	struct issue *is = issue_parse("e.md", src.s, src.len, &d);
	sbuf_done(&src);
	if (!is) {
		diag_clear(&d);
		return NULL;
	}
	struct sbuf sb;
	sbuf_init(&sb);
	int ok = 1;
	for (int i = 0; i < is->nblocks && ok; i++) {
		const struct block *b = &is->blocks[i];
		if (b->kind != BLOCK_PARA || b->quote_depth) {
			ok = 0;
			break;
		}
		int *flags = calloc((size_t)b->len + 1, sizeof(int));
		for (int k = 0; k < b->nspans; k++)
			for (int j = b->spans[k].start; j < b->spans[k].end; j++)
				flags[j] = b->spans[k].flags;
		if (i)
			sbuf_str(&sb, "\n");
		for (int j = 0; j < b->len;) {
			unsigned cp;
			int n = utf8_decode(b->text + j, &cp);
			add_char(&sb, cp, flags[j]);
			j += n;
		}
		free(flags);
	}
	issue_free(is);
	diag_clear(&d);
	if (!ok) {
		sbuf_done(&sb);
		return NULL;
	}
	return sbuf_take(&sb);
}

/* The spec's HTML read the same way; NULL if it holds anything but p, em,
 * strong, code and a. */
static char *theirs(const char *html)
{
	struct sbuf sb;
	sbuf_init(&sb);
	int depth[4] = {0};	/* strong, em, code, a */
	int paras = 0, open = 0;
	for (const char *s = html; *s;) {
		if (*s == '<') {
			const char *e = strchr(s, '>');
			if (!e)
				goto other;
			int close = s[1] == '/';
			const char *name = s + 1 + close;
			static const char *tags[] = {"strong", "em", "code", "a"};
			int k;
			for (k = 0; k < 4; k++) {
				size_t n = strlen(tags[k]);
				if (!strncmp(name, tags[k], n) && (name[n] == '>' || name[n] == ' '))
					break;
			}
			if (k < 4) {
				depth[k] += close ? -1 : 1;
			} else if (!strncmp(name, "p>", 2)) {
				if (!close && paras++)
					sbuf_str(&sb, "\n");
				open = !close;
			} else {
				goto other;
			}
			s = e + 1;
			continue;
		}
		if (*s == '\n' && !open) {	/* between paragraphs */
			s++;
			continue;
		}
		if (*s == '\n') {	/* a soft break: the model joins Latin lines with a space */
			add_char(&sb, ' ', (depth[0] ? SPAN_BOLD : 0) | (depth[1] ? SPAN_ITALIC : 0) |
						   (depth[2] ? SPAN_CODE : 0) | (depth[3] ? SPAN_LINK : 0));
			s++;
			continue;
		}
		unsigned cp;
		int n = 1;
		if (!strncmp(s, "&quot;", 6))
			cp = '"', n = 6;
		else if (!strncmp(s, "&amp;", 5))
			cp = '&', n = 5;
		else if (!strncmp(s, "&lt;", 4))
			cp = '<', n = 4;
		else if (!strncmp(s, "&gt;", 4))
			cp = '>', n = 4;
		else
			n = utf8_decode(s, &cp);
		int flags = (depth[0] ? SPAN_BOLD : 0) | (depth[1] ? SPAN_ITALIC : 0) |
			    (depth[2] ? SPAN_CODE : 0) | (depth[3] ? SPAN_LINK : 0);
		add_char(&sb, cp, flags);
		s += n;
	}
	return sbuf_take(&sb);
other:
	sbuf_done(&sb);
	return NULL;
}

static void test_spec(void)
{
	FILE *f = fopen("tests/data/commonmark-emphasis.txt", "r");
	CHECK(f != NULL);
	if (!f)
		return;
	char line[4096];
	struct sbuf md, html;
	sbuf_init(&md);
	sbuf_init(&html);
	int number = 0, in = 0, passed = 0, skipped = 0, failed = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "example ", 8)) {
			number = atoi(line + 8);
			in = 1;
			md.len = html.len = 0;
			md.s[0] = html.s[0] = '\0';
			continue;
		}
		if (in == 1 && !strcmp(line, ".\n")) {
			in = 2;
			continue;
		}
		if (in && !strcmp(line, "end\n")) {
			/* the arrow stands for a tab */
			for (char *t; (t = strstr(md.s, "\xe2\x86\x92"));) {
				*t = '\t';
				memmove(t + 1, t + 3, strlen(t + 3) + 1);
			}
			char *want = theirs(html.s), *got = want ? ours(md.s) : NULL;
			if (!want || !got || strchr(md.s, '<') || strchr(md.s, '!')) {
				skipped++;	/* raw HTML, images, lists ... */
			} else {
				if (!strcmp(got, want)) {
					passed++;
				} else {
					failed++;
					fprintf(stderr, "example %d:\n  md:   %s  want: %s\n  got:  %s\n", number,
						md.s, want, got);
				}
			}
			free(want);
			free(got);
			in = 0;
			continue;
		}
		if (in == 1)
			sbuf_str(&md, line);
		else if (in == 2)
			sbuf_str(&html, line);
	}
	fclose(f);
	sbuf_done(&md);
	sbuf_done(&html);
	fprintf(stderr, "CommonMark emphasis examples: %d pass, %d fail, %d left out\n", passed, failed,
		skipped);
	CHECK(failed == 0);
	CHECK(passed >= 100);	/* the comparison itself must not be empty */
}

/* One paragraph's reading, for the Chinese cases. */
static void expect(const char *md, const char *want)
{
	char *got = ours(md);
	if (!got || strcmp(got, want)) {
		fprintf(stderr, "md:   %s\nwant: %s\ngot:  %s\n", md, want, got ? got : "(not one paragraph)");
		check_case_failed = 1;
	}
	free(got);
}

static void test_cjk(void)
{
	/* closing after 。 or 》 and before a Han character: bold, no asterisks */
	expect("**一是指导思想。**围绕", "一{b}是{b}指{b}导{b}思{b}想{b}。{b}围绕");
	expect("**《意见》**提出", "《{b}意{b}见{b}》{b}提出");
	expect("提出**“三个一”**目标", "提出“{b}三{b}个{b}一{b}”{b}目标");
	expect("甲*乙。*丙", "甲乙{i}。{i}丙");
	expect("__乙。__", "乙{b}。{b}");
	/* _ between Han characters is inside a word, as in snake_case */
	expect("甲__乙。__丙", "甲__乙。__丙");
	/* opening after a Han character and before CJK punctuation */
	expect("围绕**（一）突出**中心", "围绕（{b}一{b}）{b}突{b}出{b}中心");
	/* a run of bold run-ins in one paragraph pairs as written */
	expect("**一是甲。**围绕乙，**二是丙。**提出丁。",
	       "一{b}是{b}甲{b}。{b}围绕乙，二{b}是{b}丙{b}。{b}提出丁。");
	/* Latin keeps CommonMark's behaviour */
	expect("snake_case_name", "snake_case_name");
	expect("2*3*4", "23{i}4");
	expect("**foo**bar", "f{b}o{b}o{b}bar");
	expect("a **\"foo\"**bar", "a **\"foo\"**bar");
	/* what cannot delimit stays as written */
	expect("剩下 ** 不闭合", "剩下 ** 不闭合");
	expect("\\*转义\\*", "*转义*");
	expect("`a*b*c`", "a{c}*{c}b{c}*{c}c{c}");
	expect("[甲_乙](https://a.b/c_d)", "甲{l}_{l}乙{l}");
}

/* A leftover ** is a warning at its place. */
static void test_leftover(void)
{
	struct diags d = {0};
	const char *text = FM "\n甲**乙\n";
	struct issue *is = issue_parse("e.md", text, strlen(text), &d);
	CHECK(is != NULL);
	int found = 0;
	for (int i = 0; i < d.n; i++)
		found |= d.v[i].sev == SEV_WARNING && d.v[i].line == 7 && d.v[i].col == 2 &&
			 strstr(d.v[i].msg, "'**'") != NULL;
	CHECK(found);
	issue_free(is);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_spec);
	RUN(test_cjk);
	RUN(test_leftover);
	return check_report();
}
