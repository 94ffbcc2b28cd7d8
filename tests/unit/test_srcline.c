/* test_srcline.c: every set line on a page names the issue line its first
 * character came from (box.at, for serve's click-to-source): a paragraph
 * written over several source lines and set over several page lines, a
 * heading, a list item; a TOC entry names its heading's; generated lines
 * (cover, running heads) name none. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

static struct fonts *fonts;
static char *layouts;

/* The issue: line 7 the heading, lines 9-11 one paragraph (soft breaks),
 * line 13 a list item. */
static const char issue_text[] =
	"---\n"
	"year: 2023\n"
	"month: 5\n"
	"number: 5\n"
	"---\n"
	"\n"
	"# 第一栏目\n"
	"\n"
	"甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸\n"
	"子丑寅卯辰巳午未申酉戌亥子丑寅卯辰巳午未申酉戌亥子丑寅卯辰巳午未申酉戌亥子丑寅卯辰巳午未申酉戌亥\n"
	"春夏秋冬东南西北春夏秋冬东南西北春夏秋冬东南西北春夏秋冬东南西北春夏秋冬东南西北春夏秋冬东南西北\n"
	"\n"
	"- 列表的一项\n";

static void test_lines_name_their_source(void)
{
	char dir[] = "/tmp/test_srcline_XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/issue.md", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(issue_text, f);
	fclose(f);
	struct diags d = {0};
	struct job j;
	int rc = job_run(&j, fonts, path, NULL, layouts, &d);
	diag_print(&d, stderr);
	CHECK_INT(rc, 0);
	int heading = 0, para = 0, item = 0, toc = 0, generated = 0, last = 0, wrong = 0;
	int files = 0;
	for (int p = 0; rc == 0 && p < j.out.doc.npages; p++) {
		const struct page *pg = &j.out.doc.pages[p];
		for (int k = 0; k < pg->nboxes; k++) {
			const struct box *b = &pg->boxes[k];
			if (b->kind != BOX_LINE || !b->role)
				continue;
			if (!strcmp(b->role, "toc")) {	/* an entry: its heading's line */
				toc++;
				wrong += b->at.line != 7;
				continue;
			}
			if (b->block == 0) {	/* cover, running heads, folios: generated */
				generated++;
				wrong += b->at.line != 0;
				continue;
			}
			const char *text = b->text + b->text_start;
			if (b->at.line > 0 && b->at.file && !strcmp(b->at.file, path))
				files++;
			if (!strcmp(b->role, "h1") && strstr(text, "第一栏目")) {
				heading++;
				wrong += b->at.line != 7;
			} else if (!strcmp(b->role, "p")) {
				para++;
				/* the paragraph's lines, in order, each from its source line */
				wrong += b->at.line < 9 || b->at.line > 11 || b->at.line < last;
				last = b->at.line;
				if (!strncmp(text, "子", 3) || strstr(text, "亥子丑"))
					wrong += b->at.line != 10 && b->at.line != 9;
				if (strstr(text, "北春夏") && !strstr(text, "亥"))
					wrong += b->at.line != 11;
			} else if (!strcmp(b->role, "item")) {
				item++;
				wrong += b->at.line != 13;
			}
		}
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(heading, 1);
	CHECK(para >= 3);	/* set over several page lines */
	CHECK_INT(last, 11);	/* the last from the last source line */
	CHECK_INT(item, 1);
	CHECK(toc >= 1);
	CHECK(generated >= 1);
	CHECK(files >= para + heading + item);
	job_done(&j);
	diag_clear(&d);
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	fonts = fixture_fonts();
	char *conf = fixture_fonts_conf();
	char *end = strstr(conf, "fonts/fonts.conf");
	if (end)
		*end = '\0';
	layouts = xasprintf("%slayouts", conf);
	free(conf);
	RUN(test_lines_name_their_source);
	free(layouts);
	fonts_free(fonts);
	return check_report();
}
