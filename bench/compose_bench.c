/* compose_bench.c: compose_paragraph against PangoLayout on a real issue.
 *
 * Sets every paragraph of an issue (blank-line separated, after the front
 * matter, with Markdown marks stripped crudely) at 10.5 pt Noto Serif CJK SC
 * on a 451 pt measure, N passes each way, and prints milliseconds per pass.
 * The goal: compose_ costs at most twice PangoLayout (wrap WORD_CHAR,
 * justify).  Paragraphs of Latin text only (tags_latin) are set as the
 * renderer sets them: word spaces in the tolerance, hyphenated with
 * Debian's en_US dictionary (layouts' defaults).  Usage: compose_bench [issue.md [passes]]; run from the repo
 * root (fonts/fonts.conf) or set BULLETIN_DATA to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bulletin.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Markdown to plain text, crudely: headings' #, emphasis *, links
 * [text](url) -> text, attributes {...}. */
static char *strip(const char *s, size_t n)
{
	struct sbuf sb;
	sbuf_init(&sb);
	size_t i = 0;
	while (i < n && (s[i] == '#' || s[i] == ' ' || s[i] == '>' || s[i] == '-'))
		i++;
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '*' || ch == '[' || ch == '\n' || ch == '\r')
			continue;
		if (ch == ']' && i + 1 < n && s[i + 1] == '(') {
			while (i < n && s[i] != ')')
				i++;
			continue;
		}
		if (ch == '{') {
			while (i < n && s[i] != '}')
				i++;
			continue;
		}
		sbuf_add(&sb, &ch, 1);
	}
	return sbuf_take(&sb);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "issues/2022-08/issue.md";
	int passes = argc > 2 ? atoi(argv[2]) : 20;
	const char *data = getenv("BULLETIN_DATA");
	char cwd[4096];
	if (!data)	/* fontconfig reads a relative name from its own folder */
		data = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
	char *conf = xasprintf("%s/fonts/fonts.conf", data);
	struct diags d = {0};
	size_t len;
	char *src = file_load(path, &len, &d);
	struct fonts *f = src ? fonts_new(conf, &d) : NULL;
	if (!src || !f) {
		diag_print(&d, stderr);
		return 1;
	}
	PangoContext *ctx = fonts_context(f);

	/* paragraphs after the front matter */
	char *body = src;
	if (!strncmp(src, "---", 3)) {
		char *end = strstr(src + 3, "\n---");
		if (end)
			body = strchr(end + 1, '\n') ? strchr(end + 1, '\n') + 1 : end;
	}
	char **paras = NULL;
	int npara = 0;
	long chars = 0;
	for (char *p = body; *p; ) {
		char *e = strstr(p, "\n\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *t = strip(p, n);
		if (*t) {
			paras = xrealloc(paras, (size_t)(npara + 1) * sizeof(*paras));
			paras[npara++] = t;
			chars += g_utf8_strlen(t, -1);
		} else {
			free(t);
		}
		p += n;
		while (*p == '\n')
			p++;
	}

	PangoFontDescription *fd = pango_font_description_from_string("Noto Serif CJK SC");
	pango_font_description_set_size(fd, (int)(10.5 * PANGO_SCALE));
	int width = 451 * PANGO_SCALE;
	struct compose_opts o;
	compose_opts_init(&o, width);
	o.indent = (int)(21 * PANGO_SCALE);
	struct compose_opts ol = o;	/* Latin paragraphs */
	ol.latin = 1;
	ol.hyph = hyph_lookup(HYPH_DEFAULT_DICT);
	int nlatin = 0;
	const struct compose_opts **po = xmalloc((size_t)(npara ? npara : 1) * sizeof(*po));
	for (int i = 0; i < npara; i++) {
		int latin = tags_latin(paras[i], (int)strlen(paras[i]));
		po[i] = latin ? &ol : &o;
		nlatin += latin;
	}

	long lines_c = 0, lines_p = 0, work = 0;
	compose_keep(0);	/* each pass composes, as the first does */
	/* warm the font caches both ways */
	for (int i = 0; i < npara; i++) {
		struct cpara cp;
		compose_paragraph(&cp, ctx, paras[i], (int)strlen(paras[i]), NULL, fd, po[i]);
		compose_free(&cp);
		PangoLayout *pl = pango_layout_new(ctx);
		pango_layout_set_text(pl, paras[i], -1);
		g_object_unref(pl);
	}
	double t0 = now_ms();
	for (int k = 0; k < passes; k++)
		for (int i = 0; i < npara; i++) {
			struct cpara cp;
			compose_paragraph(&cp, ctx, paras[i], (int)strlen(paras[i]), NULL, fd, po[i]);
			if (k == 0)
				lines_c += cp.nlines, work += cp.work;
			compose_free(&cp);
		}
	double t1 = now_ms();
	for (int k = 0; k < passes; k++)
		for (int i = 0; i < npara; i++) {
			PangoLayout *pl = pango_layout_new(ctx);
			pango_layout_set_font_description(pl, fd);
			pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
			pango_layout_set_justify(pl, TRUE);
			pango_layout_set_width(pl, width);
			pango_layout_set_indent(pl, o.indent);
			pango_layout_set_text(pl, paras[i], -1);
			if (k == 0)
				lines_p += pango_layout_get_line_count(pl);
			else
				pango_layout_get_line_count(pl);
			g_object_unref(pl);
		}
	double t2 = now_ms();
	double mc = (t1 - t0) / passes, mp = (t2 - t1) / passes;
	printf("%d paragraphs (%d Latin), %ld characters, %d passes\n", npara, nlatin, chars, passes);
	printf("compose:     %8.2f ms/pass  %ld lines  (%ld candidate lines)\n", mc, lines_c, work);
	printf("PangoLayout: %8.2f ms/pass  %ld lines\n", mp, lines_p);
	printf("ratio:       %8.2f (goal <= 2)\n", mc / mp);
	for (int i = 0; i < npara; i++)
		free(paras[i]);
	free(paras);
	free(po);
	pango_font_description_free(fd);
	fonts_free(f);
	free(src);
	free(conf);
	return 0;
}
