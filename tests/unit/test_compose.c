/* test_compose.c: the clreq paragraph composer: breaks, widths, justification.
 *
 * Text is set in Noto Serif CJK SC at 10 pt, so 1 em = 10240 Pango units and
 * widths below are exact multiples of em/2 or em/4 where the rules say so.
 * fonts.conf is found through $BULLETIN_DATA, the working directory (the
 * runner's: the repo root) or this file's folder. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

#define EM 10240
#define HALF (EM / 2)
#define QUARTER (EM / 4)

static PangoContext *ctx;
static PangoFontDescription *font;

/* ---- helpers ------------------------------------------------------------ */

static struct compose_opts opts(double width_em)
{
	struct compose_opts o;
	compose_opts_init(&o, (int)(width_em * EM));
	return o;
}

static void set(struct cpara *p, const char *text, const struct compose_opts *o)
{
	compose_paragraph(p, ctx, text, (int)strlen(text), NULL, font, o);
}

/* The line's text without trailing spaces; caller frees. */
static char *line_text(const struct cpara *p, int i, const char *text)
{
	const struct cline *l = &p->lines[i];
	int n = l->len;
	while (n > 0 && text[l->start + n - 1] == ' ')
		n--;
	return xstrndup(text + l->start, (size_t)n);
}

static unsigned first_char(const char *s)
{
	unsigned cp = 0;
	if (*s)
		utf8_decode(s, &cp);
	return cp;
}

static unsigned last_char(const char *s)
{
	unsigned cp = 0;
	const char *p = g_utf8_find_prev_char(s, s + strlen(s));
	if (p)
		utf8_decode(p, &cp);
	return cp;
}

static int in_set(unsigned cp, const char *set)
{
	for (const char *s = set; *s; ) {
		unsigned c;
		s += utf8_decode(s, &c);
		if (c == cp)
			return 1;
	}
	return 0;
}

static int units(const char *s)
{
	int n = 0;
	unsigned prev = 0;
	while (*s) {
		unsigned c;
		s += utf8_decode(s, &c);
		if (g_unichar_isalnum(c) && (c >= 0x2e80 || !(prev < 0x2e80 && g_unichar_isalnum(prev))))
			n++;
		prev = c;
	}
	return n;
}

/* One glyph as set: where its cluster is in the text and where it is drawn. */
struct g {
	int off;		/* byte offset of its cluster */
	int pen;		/* pen position on the line, from the line's left edge */
	int width, xoff;
	PangoGlyph glyph;
	PangoFont *font;
};

/* The glyphs of line i in order; *n receives their count; caller frees. */
static struct g *glyphs(const struct cpara *p, int i, int *n)
{
	const struct cline *l = &p->lines[i];
	int cap = 16, k = 0;
	struct g *v = xmalloc((size_t)cap * sizeof(*v));
	for (int r = 0; r < l->nruns; r++) {
		PangoGlyphItem *gi = l->runs[r].gi;
		int pen = l->runs[r].x;
		for (int q = 0; q < gi->glyphs->num_glyphs; q++) {
			if (k == cap)
				v = xrealloc(v, (size_t)(cap *= 2) * sizeof(*v));
			PangoGlyphInfo *gl = &gi->glyphs->glyphs[q];
			v[k].off = gi->item->offset + gi->glyphs->log_clusters[q];
			v[k].pen = pen;
			v[k].width = gl->geometry.width;
			v[k].xoff = gl->geometry.x_offset;
			v[k].glyph = gl->glyph;
			v[k].font = gi->item->analysis.font;
			pen += gl->geometry.width;
			k++;
		}
	}
	*n = k;
	return v;
}

static int line_of(const struct cpara *p, int off)
{
	for (int i = 0; i < p->nlines; i++)
		if (off >= p->lines[i].start && off < p->lines[i].start + p->lines[i].len)
			return i;
	return -1;
}

/* Natural advances of the text shaped as one piece, by byte offset. */
static int *natural_advances(const char *text)
{
	int len = (int)strlen(text);
	int *adv = xcalloc((size_t)len + 1, sizeof(int));
	for (int i = 0; i <= len; i++)
		adv[i] = -1;
	PangoAttrList *al = pango_attr_list_new();
	PangoAttribute *a = pango_attr_font_desc_new(font);
	pango_attr_list_insert(al, a);
	GList *items = pango_itemize(ctx, text, 0, len, al, NULL);
	for (GList *l = items; l; l = l->next) {
		PangoItem *it = l->data;
		PangoGlyphString *gs = pango_glyph_string_new();
		pango_shape_with_flags(text + it->offset, it->length, text, len, &it->analysis, gs,
				       PANGO_SHAPE_NONE);
		for (int g = 0; g < gs->num_glyphs; g++)
			adv[it->offset + gs->log_clusters[g]] = gs->glyphs[g].geometry.width;
		pango_glyph_string_free(gs);
		pango_item_free(it);
	}
	g_list_free(items);
	pango_attr_list_unref(al);
	return adv;
}

/* Structural checks every composition must pass: the runs tile the line,
 * the lines tile the text, widths add up, cluster maps stay in their item. */
static void check_structure(const struct cpara *p, const char *text)
{
	int len = (int)strlen(text);
	int at = 0;
	for (int i = 0; i < p->nlines; i++) {
		const struct cline *l = &p->lines[i];
		if (l->start > at && text[at] == '\n') {
			/* a forced break (and a joiner shaped onto it) is on no line */
			at++;
			while (at < l->start) {
				unsigned c;
				at += utf8_decode(text + at, &c);
				CHECK(g_unichar_ismark(c) || g_unichar_type(c) == G_UNICODE_FORMAT);
			}
		}
		CHECK_INT(l->start, at);
		at = l->start + l->len;
		int pen = 0, off = l->start;
		for (int r = 0; r < l->nruns; r++) {
			PangoGlyphItem *gi = l->runs[r].gi;
			CHECK_INT(l->runs[r].x, pen);
			CHECK_INT(gi->item->offset, off);
			off += gi->item->length;
			CHECK_INT(gi->item->num_chars,
				  g_utf8_strlen(text + gi->item->offset, gi->item->length));
			for (int q = 0; q < gi->glyphs->num_glyphs; q++) {
				pen += gi->glyphs->glyphs[q].geometry.width;
				CHECK(gi->glyphs->log_clusters[q] >= 0 &&
				      gi->glyphs->log_clusters[q] < gi->item->length);
			}
		}
		CHECK_INT(off, l->start + l->len);
		CHECK_INT(l->width, pen);
	}
	CHECK_INT(at, len);
}

/* Every line but the last of each paragraph is exactly as wide as its measure. */
static int flush_lines(const struct cpara *p)
{
	int bad = 0;
	for (int i = 0; i + 1 < p->nlines; i++)
		if (p->lines[i].width != p->lines[i].measure || p->lines[i].overfull)
			bad++;
	if (p->nlines && p->lines[p->nlines - 1].width > p->lines[p->nlines - 1].measure)
		bad++;
	return bad;
}

static const char *NO_START = "、，。．：；？！‼⁇”’」』）》〉】〗〕］｝～·・‧／%‰℃,.;:?!)]}";
static const char *NO_END = "“‘「『（《〈【〖〔［｛([{";

static const char *SAMPLE =
	"中共中央办公厅、国务院办公厅印发《关于规范村级组织工作事务、机制牌子和证明事项的意见》，"
	"提出减轻村级组织工作事务负担、精简村级工作机制和牌子、改进村级组织出具证明工作三方面主要任务。"
	"意见要求，深化全国基层政权建设和社区治理信息系统分级应用，探索以县（市、区、旗）为单位推进村级"
	"数据资源建设，逐步实现村级组织工作数据综合采集、多方利用。实行“一站式”服务、“一门式”办理。"
	"明确自2022年10月1日起，全省网上可办率达96.82%，累计办件4500余件——其中“跨省通办”事项"
	"占比最高……数字政府（Digital Government）建设提速！据统计，“一网通办”“一网统管”"
	"“一网协同”：成效显著？是的。Hello world, PDF 文件 v2.0 版本已经发布。";

/* ---- line breaking ------------------------------------------------------ */

/* Over many measures: no line starts with a closing mark or stop, none ends
 * with an opening mark, no Latin word or number, —— or …… is split, and
 * every line but the last is flush. */
static void test_kinsoku_sweep(void)
{
	int bad_start = 0, bad_end = 0, split = 0, notflush = 0;
	for (double w = 10; w <= 40; w += 0.37) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, SAMPLE, &o);
		check_structure(&p, SAMPLE);
		notflush += flush_lines(&p);
		for (int i = 0; i + 1 < p.nlines; i++) {
			char *a = line_text(&p, i, SAMPLE), *b = line_text(&p, i + 1, SAMPLE);
			unsigned l = last_char(a), f = first_char(b);
			if (in_set(f, NO_START))
				bad_start++, fprintf(stderr, "  starts: %s\n", b);
			if (in_set(l, NO_END))
				bad_end++, fprintf(stderr, "  ends: %s\n", a);
			int tight = p.lines[i].len == (int)strlen(a);	/* no space at the break */
			if ((l == 0x2014 && f == 0x2014) || (l == 0x2026 && f == 0x2026) ||
			    (tight && l < 0x80 && f < 0x80))
				split++, fprintf(stderr, "  split: %s | %s\n", a, b);
			free(a);
			free(b);
		}
		compose_free(&p);
	}
	CHECK_INT(bad_start, 0);
	CHECK_INT(bad_end, 0);
	CHECK_INT(split, 0);
	CHECK_INT(notflush, 0);
}

/* A break before “ next to Han, when that gives the perfect line. */
static void test_break_before_opening_quote(void)
{
	const char *t = "一二三四五六七八九十“甲乙”丙丁戊己庚";
	struct compose_opts o = opts(10);
	struct cpara p;
	set(&p, t, &o);
	CHECK_INT(p.nlines, 2);
	char *a = line_text(&p, 0, t);
	CHECK_STR(a, "一二三四五六七八九十");
	free(a);
	CHECK_INT(p.lines[0].width, 10 * EM);
	/* the quote opens line 2 without its leading blank */
	int n;
	struct g *v = glyphs(&p, 1, &n);
	CHECK_INT(v[0].off, (int)strlen("一二三四五六七八九十"));
	CHECK_INT(v[0].xoff, -HALF);
	CHECK_INT(v[0].width, HALF);
	CHECK_INT(p.lines[1].width, 8 * EM + HALF);
	free(v);
	compose_free(&p);

	/* with the option off it keeps its full width */
	o.trim_line_start = 0;
	set(&p, t, &o);
	v = glyphs(&p, 1, &n);
	CHECK_INT(v[0].xoff, 0);
	CHECK_INT(v[0].width, EM);
	free(v);
	compose_free(&p);
}

/* A break after ” next to Han; the ” at the line end is trimmed to 1/2 em. */
static void test_break_after_closing_quote(void)
{
	const char *t = "一二三四五六“七八”九十甲乙丙丁";
	struct compose_opts o = opts(9.5);
	struct cpara p;
	set(&p, t, &o);
	CHECK_INT(p.nlines, 2);
	char *a = line_text(&p, 0, t);
	CHECK_STR(a, "一二三四五六“七八”");
	free(a);
	CHECK_INT(p.lines[0].width, 9 * EM + HALF);
	int n;
	struct g *v = glyphs(&p, 0, &n);
	CHECK_INT(v[n - 1].width, HALF);
	CHECK_INT(v[n - 1].pen + v[n - 1].width, p.lines[0].measure);
	free(v);
	compose_free(&p);
}

/* —— and …… stay whole and continuous (no space inside them). */
static void test_dash_ellipsis(void)
{
	const char *t = "一二三四五六七八九——十百千万亿兆一二三四五六七八……甲乙丙丁戊己";
	for (double w = 5; w <= 14; w += 0.25) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, t, &o);
		for (int i = 0; i < p.nlines; i++) {
			int n;
			struct g *v = glyphs(&p, i, &n);
			for (int q = 0; q + 1 < n; q++) {
				unsigned a, b;
				utf8_decode(t + v[q].off, &a);
				utf8_decode(t + v[q + 1].off, &b);
				if ((a == 0x2014 && b == 0x2014) || (a == 0x2026 && b == 0x2026)) {
					CHECK_INT(v[q].width, EM);
					CHECK_INT(v[q + 1].xoff, 0);
				}
			}
			free(v);
			if (i + 1 < p.nlines) {
				char *x = line_text(&p, i, t), *y = line_text(&p, i + 1, t);
				unsigned l = last_char(x), f = first_char(y);
				CHECK(!(l == 0x2014 && f == 0x2014) && !(l == 0x2026 && f == 0x2026));
				free(x);
				free(y);
			}
		}
		CHECK_INT(flush_lines(&p), 0);
		compose_free(&p);
	}
	/* ... and a single — (a connector) never starts a line */
	const char *u = "北京—上海北京—上海北京—上海北京—上海北京—上海";
	for (double w = 3; w <= 10; w += 0.5) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, u, &o);
		for (int i = 1; i < p.nlines; i++)
			CHECK(first_char(u + p.lines[i].start) != 0x2014);
		compose_free(&p);
	}
}

/* clreq's strict level: —— and …… start no line but the first; at the
 * normal level the same text, at some width, starts a line with them (so
 * the check can fail). */
static void test_strict_start(void)
{
	const char *t = "一二三四五六七八九——十百千万亿兆一二三四五六七八……甲乙丙丁戊己"
			"庚辛——壬癸子丑寅卯……辰巳午未申酉";
	int normal_starts = 0;
	for (int strict = 0; strict < 2; strict++)
		for (double w = 4; w <= 16; w += 0.25) {
			struct compose_opts o = opts(w);
			o.strict_start = strict;
			struct cpara p;
			set(&p, t, &o);
			for (int i = 1; i < p.nlines; i++) {
				unsigned f = first_char(t + p.lines[i].start);
				int dash = f == 0x2014 || f == 0x2026;
				if (strict)
					CHECK(!dash);
				normal_starts += !strict && dash;
			}
			compose_free(&p);
		}
	CHECK(normal_starts > 0);
}

/* A source label is one box: never split, not counted on a last line, and
 * set the layout's gap from the ink of what precedes it. */
static void test_label_box(void)
{
	const char *t = "国务院办公厅关于印发全国一体化政务大数据体系建设指南的通知 政策原文";
	int at = (int)(strstr(t, "政策原文") - t), len = (int)strlen(t);
	for (double w = 4; w <= 40; w += 0.25) {
		struct compose_opts o = opts(w);
		o.align = ALIGN_LEFT;
		o.keep_start = at;
		o.keep_end = len;
		o.keep_gap = HALF;
		struct cpara p;
		set(&p, t, &o);
		for (int i = 0; i < p.nlines; i++) {
			const struct cline *l = &p.lines[i];
			CHECK(!(l->start < at + 12 && l->start > at));	/* no line starts inside */
		}
		const struct cline *last = &p.lines[p.nlines - 1];
		if (p.nlines > 1 && w >= 8) {	/* two title characters before the label */
			char *x = line_text(&p, p.nlines - 1, t);
			CHECK(strlen(x) >= 6 + 1 + 12);
			free(x);
		}
		(void)last;
		compose_free(&p);
	}
	/* the gap from the ink: after 》 as after a Han character */
	const char *a = "甲 政策原文", *b = "甲》 政策原文";
	int w[2];
	for (int k = 0; k < 2; k++) {
		const char *u = k ? b : a;
		struct compose_opts o = opts(40);
		o.align = ALIGN_LEFT;
		o.keep_start = (int)(strstr(u, "政策原文") - u);
		o.keep_end = (int)strlen(u);
		o.keep_gap = HALF;
		struct cpara p;
		set(&p, u, &o);
		CHECK_INT(p.nlines, 1);
		w[k] = p.lines[0].width;
		compose_free(&p);
	}
	CHECK_INT(w[0], 5 * EM + HALF);
	CHECK_INT(w[1] - w[0], HALF);	/* 》's ink half */
}

/* URLs and e-mail addresses break only after / or before . - ? & = # @,
 * never inside a run of letters or digits, and add no hyphen. */
static void test_url_breaks(void)
{
	const char *t = "详见https://www.example.gov.cn/policies/roadmap-for-digital-and-data-2022?lang=zh&part=3#top及"
			"来信请寄service.desk@data-platform.example.gov.cn或访问http://www.gsxt.gov.cn/corp/"
			"91320000U4510113004000/detail查阅。";
	int inside = 0;
	for (double w = 14; w <= 30; w += 0.5) {	/* the longest run of digits fits */
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, t, &o);
		for (int i = 1; i < p.nlines; i++) {
			int s = p.lines[i].start;
			unsigned l = 0, r = first_char(t + s);
			const char *prev = g_utf8_find_prev_char(t, t + s);
			utf8_decode(prev, &l);
			if (l >= 0x80 || r >= 0x80)
				continue;	/* at a Han character: not inside */
			inside++;
			CHECK(l == '/' || (r < 0x80 && strchr(".-?&=#@", (int)r)));
			CHECK(!(g_unichar_isalnum(l) && g_unichar_isalnum(r)));
		}
		compose_free(&p);
	}
	CHECK(inside > 0);	/* some widths do break inside */
}

/* A number stays with its unit or magnitude, a range in one piece,
 * wherever the paragraph can be set so. */
static void test_number_unit(void)
{
	const char *t = "全省累计办件量已超4500万次，平均办理时长压缩至2.5天，覆盖33类高频事项，"
			"2023—2025年间网上办理率由78.2%提升至96.5%，系统日均访问量4.6万次，"
			"累计注册用户超过2514万人，其中企业用户168万户，2022年底前全部完成。";
	/* (under 15 em some widths leave no other set of breaks in tolerance) */
	for (double w = 15; w <= 40; w += 0.25) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, t, &o);
		for (int i = 1; i < p.nlines; i++) {
			int s = p.lines[i].start;
			unsigned l = 0, r = first_char(t + s), ll = 0;
			const char *prev = g_utf8_find_prev_char(t, t + s);
			utf8_decode(prev, &l);
			const char *pp = g_utf8_find_prev_char(t, prev);
			if (pp)
				utf8_decode(pp, &ll);
			CHECK(!(l - '0' < 10 && r >= 0x4e00 && r <= 0x9fff));
			CHECK(!(l == 0x2014 && ll - '0' < 10 && r - '0' < 10));
		}
		CHECK_INT(flush_lines(&p), 0);
		compose_free(&p);
	}
}

/* Latin words and numbers are never split and never letter-spaced: every
 * narrow glyph keeps the advance and offset it was shaped with. */
static void test_latin_digits_unspaced(void)
{
	const char *t = "明确自2022年10月1日起，全省网上可办率达96.82%，累计办件4500余件。"
			"Digital Government 建设提速，Hello world 和 PDF 文件 v2.0 版本发布，"
			"访问 example.org 了解 ABCDEFG 项目。";
	int *nat = natural_advances(t);
	int changed = 0, split = 0;
	for (double w = 12; w <= 30; w += 0.29) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, t, &o);
		check_structure(&p, t);
		CHECK_INT(flush_lines(&p), 0);
		for (int i = 0; i < p.nlines; i++) {
			int n;
			struct g *v = glyphs(&p, i, &n);
			for (int q = 0; q < n; q++) {
				unsigned c;
				utf8_decode(t + v[q].off, &c);
				if (c < 0x80 && c != ' ' && (v[q].width != nat[v[q].off] || v[q].xoff))
					changed++;
			}
			free(v);
			const struct cline *l = &p.lines[i];
			int end = l->start + l->len;
			if (i + 1 < p.nlines && t[end - 1] != ' ' && (unsigned char)t[end - 1] < 0x80 &&
			    (unsigned char)t[end] < 0x80)
				split++;
		}
		compose_free(&p);
	}
	free(nat);
	CHECK_INT(changed, 0);
	CHECK_INT(split, 0);
}

/* ---- punctuation widths ------------------------------------------------- */

static int natural_width(const char *t, int one_em, enum compose_punct style)
{
	struct compose_opts o = opts(60);
	o.align = ALIGN_LEFT;
	o.pair_one_em = one_em;
	o.punct = style;
	struct cpara p;
	set(&p, t, &o);
	int w = p.nlines == 1 ? p.lines[0].width : -1;
	compose_free(&p);
	return w;
}

/* Adjacent marks: 1.5 em a pair (1 em with the option); a mark next to Han
 * keeps its full em. */
static void test_pair_compression(void)
{
	CHECK_INT(natural_width("甲》，乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲》，乙", 1, COMPOSE_PUNCT_FULL), 3 * EM);
	CHECK_INT(natural_width("甲。”乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲”“乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲”“乙", 1, COMPOSE_PUNCT_FULL), 3 * EM);
	CHECK_INT(natural_width("甲）。乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲、“乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲）。”乙", 0, COMPOSE_PUNCT_FULL), 4 * EM);
	CHECK_INT(natural_width("甲《（乙", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF);
	CHECK_INT(natural_width("甲，乙", 0, COMPOSE_PUNCT_FULL), 3 * EM);
	CHECK_INT(natural_width("甲“乙”丙", 0, COMPOSE_PUNCT_FULL), 5 * EM);

	/* geometry: 》 loses its right half; “ after ” loses its left half and
	 * moves left with the option */
	struct compose_opts o = opts(60);
	o.align = ALIGN_LEFT;
	struct cpara p;
	const char *t = "甲》，乙";
	set(&p, t, &o);
	int n;
	struct g *v = glyphs(&p, 0, &n);
	CHECK_INT(n, 4);
	CHECK_INT(v[1].width, HALF);
	CHECK_INT(v[1].xoff, 0);
	CHECK_INT(v[2].width, EM);
	CHECK_INT(v[2].pen, EM + HALF);
	free(v);
	compose_free(&p);
	o.pair_one_em = 1;
	t = "甲”“乙";
	set(&p, t, &o);
	v = glyphs(&p, 0, &n);
	CHECK_INT(v[1].width, HALF);
	CHECK_INT(v[2].width, HALF);
	CHECK_INT(v[2].xoff, -HALF);
	CHECK_INT(v[3].pen, 2 * EM);
	free(v);
	compose_free(&p);
}

/* A stop at the end of a justified line is trimmed to 1/2 em, so its half
 * box (and its ink) ends at the right edge. */
static void test_line_end_stop(void)
{
	const char *t = "一二三四五六七八九。十百千万亿";
	struct compose_opts o = opts(9.5);
	struct cpara p;
	set(&p, t, &o);
	char *a = line_text(&p, 0, t);
	CHECK_STR(a, "一二三四五六七八九。");
	free(a);
	int n;
	struct g *v = glyphs(&p, 0, &n);
	CHECK_INT(v[n - 1].width, HALF);
	CHECK_INT(v[n - 1].pen + v[n - 1].width, 9 * EM + HALF);
	PangoRectangle ink;
	pango_font_get_glyph_extents(v[n - 1].font, v[n - 1].glyph, &ink, NULL);
	int right = v[n - 1].pen + v[n - 1].xoff + ink.x + ink.width;
	CHECK(right <= p.lines[0].measure && right > p.lines[0].measure - HALF);
	free(v);
	compose_free(&p);

	/* and when the line must stretch, the stop still ends flush */
	o = opts(9.8);
	set(&p, t, &o);
	v = glyphs(&p, 0, &n);
	CHECK_INT(p.lines[0].width, p.lines[0].measure);
	CHECK_INT(v[n - 1].width, HALF);
	CHECK_INT(v[n - 1].pen + v[n - 1].width, p.lines[0].measure);
	free(v);
	compose_free(&p);
}

/* Punctuation styles: kaiming keeps 、，。：；！？ full inside a line and
 * sets other marks half; half sets all half; both trim a stop at line end. */
static void test_punct_styles(void)
{
	const char *t = "甲，乙“丙”丁：戊。";
	CHECK_INT(natural_width(t, 0, COMPOSE_PUNCT_FULL), 9 * EM + HALF);
	CHECK_INT(natural_width(t, 0, COMPOSE_PUNCT_KAIMING), 8 * EM + HALF);
	CHECK_INT(natural_width(t, 0, COMPOSE_PUNCT_HALF), 7 * EM + HALF);
	CHECK_INT(natural_width("甲《乙》丙", 0, COMPOSE_PUNCT_KAIMING), 4 * EM);
	CHECK_INT(natural_width("甲。”乙", 0, COMPOSE_PUNCT_KAIMING), 3 * EM + HALF);

	/* kaiming: a line-end 。 is trimmed like in full style */
	const char *u = "一二三四五六七八九。十百千万亿";
	struct compose_opts o = opts(9.5);
	o.punct = COMPOSE_PUNCT_KAIMING;
	struct cpara p;
	set(&p, u, &o);
	char *a = line_text(&p, 0, u);
	CHECK_STR(a, "一二三四五六七八九。");
	free(a);
	CHECK_INT(p.lines[0].width, 9 * EM + HALF);
	compose_free(&p);
}

/* ---- Han-Latin spacing ---------------------------------------------------- */

static void test_han_latin_gap(void)
{
	int *nat = natural_advances("ABC");
	int abc = nat[0] + nat[1] + nat[2];
	free(nat);
	CHECK_INT(natural_width("中文ABC中文", 0, COMPOSE_PUNCT_FULL), 4 * EM + abc + 2 * QUARTER);
	/* a source space becomes the gap itself */
	CHECK_INT(natural_width("中文 ABC 中文", 0, COMPOSE_PUNCT_FULL), 4 * EM + abc + 2 * QUARTER);
	/* none next to punctuation */
	CHECK_INT(natural_width("中文，ABC。", 0, COMPOSE_PUNCT_FULL), 3 * EM + HALF + abc);

	/* where the gap goes: after the Han before Latin, before the Han after it */
	struct compose_opts o = opts(60);
	o.align = ALIGN_LEFT;
	struct cpara p;
	const char *t = "中文ABC中文";
	set(&p, t, &o);
	int n;
	struct g *v = glyphs(&p, 0, &n);
	CHECK_INT(v[1].width, EM + QUARTER);
	CHECK_INT(v[5].xoff, QUARTER);
	CHECK_INT(v[5].width, EM + QUARTER);
	CHECK_INT(v[0].xoff, 0);
	free(v);
	compose_free(&p);

	/* disabled */
	o.han_latin_em = 0;
	set(&p, t, &o);
	CHECK_INT(p.lines[0].width, 4 * EM + abc);
	compose_free(&p);

	/* no gap at line edges: a line starting with Latin starts at its pen 0 */
	const char *u = "一二三四五六七八九十ABC一二三四五六七八九十甲乙丙丁";
	o = opts(10);
	set(&p, u, &o);
	int ln = line_of(&p, (int)strlen("一二三四五六七八九十"));
	CHECK(ln == 1);
	if (ln == 1) {
		v = glyphs(&p, 1, &n);
		CHECK_INT(v[0].xoff, 0);
		CHECK_INT(v[0].pen, 0);
		free(v);
		v = glyphs(&p, 0, &n);
		CHECK_INT(v[n - 1].pen + v[n - 1].width, 10 * EM);
		free(v);
	}
	compose_free(&p);
}

/* Justified: every Han-Latin gap stays within [1/8, 1/3] em; on the last
 * line never stretched (it may shrink, to keep a number with its unit). */
static void test_han_latin_justified(void)
{
	const char *t = "全省2022年办件4500余件，网办率96.82%，比2021年提高12个百分点，"
			"其中PDF格式材料3000份、OFD格式材料2000份，API调用量达到120万次，"
			"覆盖GB标准18项、ISO标准6项，数据共享100%完成。";
	int lo = INT_MAX, hi = 0, lastgap_bad = 0;
	for (double w = 8; w <= 30; w += 0.23) {
		struct compose_opts o = opts(w);
		struct cpara p;
		set(&p, t, &o);
		CHECK_INT(flush_lines(&p), 0);
		for (int i = 0; i < p.nlines; i++) {
			int n;
			struct g *v = glyphs(&p, i, &n);
			for (int q = 0; q + 1 < n; q++) {
				unsigned a, b;
				utf8_decode(t + v[q].off, &a);
				utf8_decode(t + v[q + 1].off, &b);
				int gap = -1;
				if (a >= 0x4e00 && a <= 0x9fff && b < 0x80 && g_unichar_isalnum(b))
					gap = v[q].width - v[q].xoff - EM;
				else if (b >= 0x4e00 && b <= 0x9fff && a < 0x80 && g_unichar_isalnum(a))
					gap = v[q + 1].xoff;
				if (gap < 0)
					continue;
				if (i + 1 == p.nlines) {
					if (gap > QUARTER || gap < EM / 8)
						lastgap_bad++;	/* never stretched; shrunk at most */
					continue;
				}
				if (gap < lo)
					lo = gap;
				if (gap > hi)
					hi = gap;
			}
			free(v);
		}
		compose_free(&p);
	}
	CHECK(lo >= EM / 8);
	CHECK(hi <= EM / 3 + 1);
	CHECK(hi > QUARTER);	/* they did stretch */
	CHECK(lo < QUARTER);	/* and shrink */
	CHECK_INT(lastgap_bad, 0);
}

/* ---- paragraphs ---------------------------------------------------------- */

/* No single character on the last line. */
static void test_orphan(void)
{
	const char *t = "一二三四五六七八九十一二三四五六七八九十甲";
	struct compose_opts o = opts(10);
	o.min_last_chars = 1;
	struct cpara p;
	set(&p, t, &o);
	CHECK_INT(p.nlines, 3);
	char *a = line_text(&p, 2, t);
	CHECK_STR(a, "甲");
	free(a);
	compose_free(&p);

	o.min_last_chars = 2;
	set(&p, t, &o);
	CHECK_INT(p.nlines, 3);
	a = line_text(&p, 1, t);
	CHECK_STR(a, "一二三四五六七八九");
	free(a);
	a = line_text(&p, 2, t);
	CHECK_STR(a, "十甲");
	free(a);
	CHECK_INT(flush_lines(&p), 0);
	/* the 1 em left over is spread evenly over the 8 gaps of line 2 */
	int n;
	struct g *v = glyphs(&p, 1, &n);
	CHECK_INT(n, 9);
	for (int q = 0; q < n; q++)
		CHECK_INT(v[q].width, q < 8 ? EM + EM / 8 : EM);
	free(v);
	compose_free(&p);

	/* a stop after the lone character does not count */
	const char *u = "一二三四五六七八九十一二三四五六七八九十甲。";
	set(&p, u, &o);
	a = line_text(&p, p.nlines - 1, u);
	CHECK(units(a) >= 2);
	free(a);
	CHECK_INT(flush_lines(&p), 0);
	compose_free(&p);

	/* nor does a one-line paragraph need two */
	set(&p, "甲。", &o);
	CHECK_INT(p.nlines, 1);
	compose_free(&p);
}

/* First-line indent of 2 em; a first line of another width. */
static void test_first_line_indent(void)
{
	struct compose_opts o = opts(20);
	o.indent = 2 * EM;
	struct cpara p;
	set(&p, SAMPLE, &o);
	check_structure(&p, SAMPLE);
	CHECK_INT(p.lines[0].x, 2 * EM);
	CHECK_INT(p.lines[0].measure, 18 * EM);
	CHECK_INT(p.lines[0].width, 18 * EM);
	CHECK_INT(p.lines[1].x, 0);
	CHECK_INT(p.lines[1].measure, 20 * EM);
	CHECK_INT(flush_lines(&p), 0);
	compose_free(&p);

	o.first_width = 15 * EM;
	set(&p, SAMPLE, &o);
	CHECK_INT(p.lines[0].measure, 13 * EM);
	CHECK_INT(p.lines[0].width, 13 * EM);
	CHECK_INT(p.lines[1].measure, 20 * EM);
	CHECK_INT(flush_lines(&p), 0);
	compose_free(&p);
}

/* Hanging indent: "1.1、" hangs, the other lines start under the title. */
static void test_hanging_indent(void)
{
	const char *t = "1.1、国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见及其配套文件解读";
	struct compose_opts o = opts(16);
	o.indent = -3 * EM;
	struct cpara p;
	set(&p, t, &o);
	CHECK(p.nlines >= 2);
	CHECK_INT(p.lines[0].x, 0);
	CHECK_INT(p.lines[0].measure, 16 * EM);
	for (int i = 1; i < p.nlines; i++) {
		CHECK_INT(p.lines[i].x, 3 * EM);
		CHECK_INT(p.lines[i].measure, 13 * EM);
	}
	CHECK_INT(flush_lines(&p), 0);
	compose_free(&p);
}

/* Alignment without justification; forced breaks. */
static void test_align_and_newline(void)
{
	struct compose_opts o = opts(10);
	struct cpara p;
	o.align = ALIGN_CENTER;
	set(&p, "一二三", &o);
	CHECK_INT(p.lines[0].x, 3 * EM + HALF);
	compose_free(&p);
	o.align = ALIGN_RIGHT;
	set(&p, "一二三", &o);
	CHECK_INT(p.lines[0].x, 7 * EM);
	compose_free(&p);
	o.align = ALIGN_LEFT;
	set(&p, "一二三四五六七八九十百千万", &o);
	CHECK_INT(p.lines[0].width, 10 * EM);	/* breaks are still good */
	compose_free(&p);

	o = opts(10);
	o.indent = 2 * EM;
	const char *t = "一二三\n四五六七八九十一二三四五六七八\n";
	set(&p, t, &o);
	check_structure(&p, t);
	CHECK_INT(p.nlines, 4);
	CHECK_INT(p.lines[0].width, 3 * EM);	/* ended by the break: not justified */
	CHECK_INT(p.lines[0].len, (int)strlen("一二三"));
	CHECK_INT(p.lines[1].x, 0);		/* not a first line */
	CHECK_INT(p.lines[1].width, 10 * EM);
	CHECK_INT(p.lines[3].len, 0);
	CHECK(p.lines[3].ascent > 0);
	compose_free(&p);

	set(&p, "", &o);
	CHECK_INT(p.nlines, 1);
	CHECK_INT(p.lines[0].nruns, 0);
	CHECK(p.lines[0].ascent > 0 && p.lines[0].descent > 0);
	compose_free(&p);
}

/* ---- limits --------------------------------------------------------------- */

/* A 6,000-character unbreakable word is broken anyway, and an overlong
 * cluster is flagged overfull by how much. */
static void test_long_word(void)
{
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_str(&sb, "详见链接https://example.org/");
	for (int i = 0; i < 6000; i++)
		sbuf_add(&sb, &"abcdefghij"[i % 10], 1);
	sbuf_str(&sb, "了解更多内容和相关的政策文件。");
	char *t = sbuf_take(&sb);
	struct compose_opts o = opts(30);
	struct cpara p;
	set(&p, t, &o);
	check_structure(&p, t);
	CHECK(p.nlines > 100);
	int over = 0, wide = 0;
	for (int i = 0; i < p.nlines; i++) {
		over += p.lines[i].overfull != 0;
		wide += p.lines[i].width > p.lines[i].measure;
	}
	CHECK_INT(over, 0);
	CHECK_INT(wide, 0);
	/* the lines around the word are still set by the rules */
	char *a = line_text(&p, p.nlines - 1, t);
	CHECK(last_char(a) == 0x3002);
	free(a);
	CHECK(p.work < 2000L * (long)strlen(t));
	compose_free(&p);
	free(t);

	/* every character wider than the measure: one per line, overfull */
	o = opts(0.5);
	set(&p, "汉字汉字", &o);
	CHECK_INT(p.nlines, 4);
	for (int i = 0; i < p.nlines; i++)
		CHECK_INT(p.lines[i].overfull, HALF);
	compose_free(&p);
}

/* A 100,000-character paragraph: done in linear work. */
static void test_huge_paragraph(void)
{
	struct sbuf sb;
	sbuf_init(&sb);
	long chars = 0;
	while (chars < 100000) {
		sbuf_str(&sb, SAMPLE);
		chars += g_utf8_strlen(SAMPLE, -1);
	}
	char *t = sbuf_take(&sb);
	struct compose_opts o = opts(43);
	struct cpara p;
	set(&p, t, &o);
	check_structure(&p, t);
	CHECK(p.nlines > 2000);
	CHECK_INT(flush_lines(&p), 0);
	/* candidate lines evaluated per character: bounded by a line's length */
	CHECK(p.work / chars < 200);
	compose_free(&p);
	free(t);
}

/* Characters without a glyph come back with their offset. */
static void test_missing_glyphs(void)
{
	const char *t = "中\xf0\x90\xa4\x80文\n";	/* U+10900 PHOENICIAN LETTER ALF */
	struct compose_opts o = opts(20);
	struct cpara p;
	set(&p, t, &o);
	CHECK_INT(p.nmissing, 1);
	if (p.nmissing == 1) {
		CHECK_INT(p.missing[0].offset, 3);
		CHECK_INT(p.missing[0].cp, 0x10900);
	}
	compose_free(&p);
	set(&p, SAMPLE, &o);
	CHECK_INT(p.nmissing, 0);
	compose_free(&p);
}

/* The issue's own paragraphs at the body's size and measure: flush lines,
 * no forbidden line starts or ends. */
static void test_issue_paragraphs(void)
{
	size_t len;
	struct diags d = {0};
	char *src = file_load("issues/2022-08/issue.md", &len, &d);
	diag_clear(&d);
	if (!src)
		return;	/* run from elsewhere: the fixed samples cover the rules */
	PangoFontDescription *body = pango_font_description_copy(font);
	pango_font_description_set_size(body, (int)(10.5 * PANGO_SCALE));
	int paras = 0, bad = 0, notflush = 0;
	for (char *s = src; *s; ) {
		char *e = strstr(s, "\n\n");
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n > 0 && (unsigned char)s[0] >= 0x80 && !memchr(s, '\n', n)) {
			char *t = xstrndup(s, n);
			struct compose_opts o;
			compose_opts_init(&o, 451 * PANGO_SCALE);
			o.indent = 21 * PANGO_SCALE;
			struct cpara p;
			compose_paragraph(&p, ctx, t, (int)n, NULL, body, &o);
			check_structure(&p, t);
			notflush += flush_lines(&p);
			for (int i = 0; i + 1 < p.nlines; i++) {
				char *a = line_text(&p, i, t), *b = line_text(&p, i + 1, t);
				if (in_set(first_char(b), NO_START) || in_set(last_char(a), NO_END))
					bad++;
				free(a);
				free(b);
			}
			if (p.nlines > 1) {
				char *a = line_text(&p, p.nlines - 1, t);
				if (units(a) < 2)
					bad++;
				free(a);
			}
			compose_free(&p);
			free(t);
			paras++;
		}
		s += n;
		while (*s == '\n')
			s++;
	}
	CHECK(paras > 50);
	CHECK_INT(bad, 0);
	CHECK_INT(notflush, 0);
	pango_font_description_free(body);
	free(src);
}

/* Pathological mixtures (combining marks, right-to-left text, emoji, tabs,
 * no-break and zero-width spaces, runs of marks, forced breaks) at odd
 * measures and every option: the structure holds, no line is wider than
 * its measure unless flagged, no sanitizer complains. */
static void test_random_inputs(void)
{
	static const char *pool[] = {
		"中", "国", "字", "，", "。", "、", "“", "”", "《", "》", "（", "）", "：", "！",
		"—", "……", "·", "～", "a", "b", "Z", "1", "9", ".", ",", "(", ")", " ", " ",
		"\n", "\t", "\xc2\xa0", "\xe2\x80\x8b", "e\xcc\x81", "\xd7\xa9\xd7\x9c",
		"\xd8\xb3\xd9\x84", "\xf0\x9f\x98\x80", "\xef\xbc\x85", "%", "http://x.y/z",
		"\xe3\x80\x80", "\xe2\x80\x8d", "\xe2\x80\x94\xe2\x80\x94",
	};
	int npool = (int)(sizeof(pool) / sizeof(pool[0]));
	unsigned seed = 12345;
	int bad = 0;
	for (int round = 0; round < 300; round++) {
		struct sbuf sb;
		sbuf_init(&sb);
		seed = seed * 1103515245u + 12345u;
		int n = (int)(seed >> 16) % 120;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			sbuf_str(&sb, pool[(seed >> 16) % (unsigned)npool]);
		}
		char *t = sbuf_take(&sb);
		seed = seed * 1103515245u + 12345u;
		struct compose_opts o = opts(((seed >> 16) % 200) / 10.0 - 0.5);
		o.indent = (int)((seed >> 8) % 5) * EM - 2 * EM;
		o.first_width = (seed & 4) ? o.width / 2 : 0;
		o.align = (enum align)((seed >> 4) % 4);
		o.punct = (enum compose_punct)((seed >> 6) % 3);
		o.pair_one_em = (seed >> 9) & 1;
		o.trim_line_start = (seed >> 10) & 1;
		o.han_latin_em = ((seed >> 11) & 1) ? 0.25 : 0;
		struct cpara p;
		set(&p, t, &o);
		int was = check_case_failed;
		check_case_failed = 0;
		check_structure(&p, t);
		for (int i = 0; i < p.nlines; i++) {
			const struct cline *l = &p.lines[i];
			CHECK(l->width <= l->measure + l->overfull);
			CHECK(l->ascent > 0);
		}
		if (check_case_failed)
			bad++, fprintf(stderr, "  round %d: \"%s\"\n", round, t);
		check_case_failed |= was;
		compose_free(&p);
		free(t);
	}
	CHECK_INT(bad, 0);
}


/* Whether a and b are the same lines: breaks, positions, glyphs, fonts. */
static int same_lines(const struct cpara *a, const struct cpara *b)
{
	if (a->nlines != b->nlines || a->nmissing != b->nmissing)
		return 0;
	for (int i = 0; i < a->nlines; i++) {
		const struct cline *x = &a->lines[i], *y = &b->lines[i];
		if (x->nruns != y->nruns || x->x != y->x || x->width != y->width ||
		    x->start != y->start || x->len != y->len)
			return 0;
		for (int r = 0; r < x->nruns; r++) {
			const PangoGlyphItem *g = x->runs[r].gi, *h = y->runs[r].gi;
			if (x->runs[r].x != y->runs[r].x || g == h ||
			    g->item->analysis.font != h->item->analysis.font ||
			    g->glyphs->num_glyphs != h->glyphs->num_glyphs ||
			    memcmp(g->glyphs->glyphs, h->glyphs->glyphs,
				   (size_t)g->glyphs->num_glyphs * sizeof(*g->glyphs->glyphs)))
				return 0;
		}
	}
	return 1;
}

/* A paragraph composed again from the same text, font and options is the
 * same lines (kept compositions: a copy, its own glyph items); from other
 * options, attributes or text it is composed anew. */
static void test_composed_again(void)
{
	const char *t = "数字政府建设是推进国家治理体系和治理能力现代化的重要举措，"
			"以数字化转型驱动治理方式变革（2022年）。";
	struct compose_opts o = opts(12), narrow = opts(7);
	struct cpara a, b, c, d, e;
	set(&a, t, &o);
	set(&b, t, &o);
	CHECK(a.nlines >= 2);
	CHECK(same_lines(&a, &b));
	compose_free(&a);	/* b stands on its own */
	CHECK(b.nlines >= 2 && b.lines[0].runs[0].gi->glyphs->num_glyphs > 0);
	set(&c, t, &narrow);
	CHECK(c.nlines > b.nlines);
	o.indent = 2 * EM;
	set(&d, t, &o);
	CHECK(d.lines[0].x == 2 * EM && b.lines[0].x == 0);
	PangoAttrList *al = pango_attr_list_new();
	pango_attr_list_insert(al, pango_attr_size_new(14 * PANGO_SCALE));
	compose_paragraph(&e, ctx, t, (int)strlen(t), al, font, &narrow);
	pango_attr_list_unref(al);
	CHECK(e.nlines > c.nlines);	/* larger type, more lines */
	compose_free(&b);
	compose_free(&c);
	compose_free(&d);
	compose_free(&e);
}

int main(void)
{
	struct fonts *f = fixture_fonts();
	ctx = fonts_context(f);
	font = pango_font_description_from_string("Noto Serif CJK SC");
	pango_font_description_set_size(font, 10 * PANGO_SCALE);

	RUN(test_kinsoku_sweep);
	RUN(test_break_before_opening_quote);
	RUN(test_break_after_closing_quote);
	RUN(test_dash_ellipsis);
	RUN(test_strict_start);
	RUN(test_label_box);
	RUN(test_url_breaks);
	RUN(test_number_unit);
	RUN(test_latin_digits_unspaced);
	RUN(test_pair_compression);
	RUN(test_line_end_stop);
	RUN(test_punct_styles);
	RUN(test_han_latin_gap);
	RUN(test_han_latin_justified);
	RUN(test_orphan);
	RUN(test_first_line_indent);
	RUN(test_hanging_indent);
	RUN(test_align_and_newline);
	RUN(test_long_word);
	RUN(test_huge_paragraph);
	RUN(test_missing_glyphs);
	RUN(test_issue_paragraphs);
	RUN(test_random_inputs);
	RUN(test_composed_again);

	pango_font_description_free(font);
	fonts_free(f);
	return check_report();
}
