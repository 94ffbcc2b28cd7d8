/* compose.c: a paragraph broken into lines and justified by the rules of
 * Chinese text (W3C clreq, GB/T 15834), in place of PangoLayout's.
 *
 * Terms.  The text is itemized and shaped by Pango; the unit of breaking is
 * a *cluster* (one shaped cluster: one Han character, one mark, one Latin
 * letter or ligature).  A *joint* is the place between two neighbouring
 * clusters; a line may break at some joints (the break rules below).  A
 * full-width *mark* (、，。“”《》...) has ink in one half of its em box and a
 * *blank* in the other: the right half for closing marks and stops, the left
 * half for opening marks (found from the glyph's ink, so a font with centred
 * marks is left alone).  Compressing a mark removes part of its blank:
 * shrinking the advance, and for a left blank moving the glyph left too.
 *
 * Widths.  A cluster's *natural* width is its advance less the blanks the
 * punctuation style removes (adjacent marks, kaiming, half).  Each joint
 * holds a natural gap (1/4 em between Han and Latin letters or digits, else
 * 0).  A line's width is the sum over its clusters and inner joints, with
 * the blank of a closing mark at its end and of an opening mark at its start
 * trimmed.  Justification then changes widths in clreq's order: shrinking
 * uses punctuation blanks first, then Han-Latin gaps (to 1/8 em) and word
 * spaces; stretching uses Han-Latin gaps (to 1/3 em) and word spaces first,
 * then spreads the rest evenly over the gaps between Han characters and
 * between Han and punctuation.  The inside of a Latin word or a number never
 * changes.  Sums are exact: amounts are split with cumulative rounding.
 *
 * Breaking.  Knuth and Plass's total fit over the break opportunities:
 * prefix sums give any line's width, stretch and shrink in O(1); active
 * breaks drop out once a line from them is too long, so the work is about
 * (clusters) x (clusters per line), and at most MAX_ACTIVE nodes stay active
 * (the worse half is dropped past that: very wide measures only).  Badness
 * counts 1/8 em of nominal stretch per gap between Han characters, so a
 * line gains a character by compressing punctuation rather than stretching
 * its gaps wide.  A last line with fewer than
 * min_last_chars characters (a Latin word counts as one) costs a large
 * demerit.  If no set of breaks fits, a second pass allows a break at any
 * cluster boundary (at a high cost) and, as a last resort, overfull lines.
 * Ragged lines (not justified) are judged with a third of the measure
 * more stretch, as TeX's ragged right is, so that the rules (a last line,
 * a number with its unit, a label) decide their breaks rather than fill.
 * Breaks the rules allow may still cost: a number parted from its unit or
 * magnitude, a range split, a URL broken at one of its natural points.
 *
 * Latin paragraphs (English text, o->latin).  A word space's natural width
 * is the font's space held within [space_min, space_max] em, and it
 * stretches to space_max and shrinks to space_min, so a line whose spaces
 * would pass space_max costs LOOSE_SPACE_DEMERITS (taken only when nothing
 * else fits) and one that would need them under space_min does not fit.
 * When they alone cannot justify a line, its letters move apart or closer
 * by up to letter_space em a joint (LETTER_DEMERITS: before a loose line,
 * after hyphens); there is no other stretch (no gaps between characters).
 * A *hyphenation point* is a joint inside a word where the dictionary
 * (hyph.c) allows a hyphen, or the joint after an explicit hyphen of a
 * compound (whose parts are then not hyphenated further); a line may end
 * there, flagged: the added hyphen's width (the font's '-') counts in the
 * line, each flagged line costs HYPHEN_DEMERITS, two in a row
 * DOUBLE_HYPHEN_DEMERITS more, more than hyph_max_run in a row are not
 * tried, and a flagged line before the last line costs
 * FINAL_HYPHEN_DEMERITS.  A node remembers how many flagged lines in a row
 * end at it, so the best node is kept per (fitness class, run).  The
 * hyphen is drawn as a run of its own with its own text "-", so the PDF
 * reads "hy-" at the line's end.  A URL or an e-mail address may break
 * too, unflagged, with no hyphen, at the same cost.  The last line is
 * ragged, its spaces natural.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

/* Break classes: ours, stricter than UAX #14 for Chinese. */
enum cls {
	C_HAN,	/* ideographs, kana, wide letters and symbols: break on both sides */
	C_AL,	/* narrow (Latin-side) characters: no break between two of them */
	C_OP,	/* opening marks: never at a line end */
	C_CL,	/* closing marks: never at a line start */
	C_ST,	/* stops and pauses 、，。：；？！: never at a line start */
	C_NS,	/* other non-starters: ～ · ／ % ℃ ... */
	C_IN,	/* — … ―: a doubled pair never splits; a single one never starts a line */
	C_SP,	/* spaces: a break goes after a run of them */
	C_GL,	/* no-break space, word joiner */
	C_ZW,	/* zero-width space: a break after it */
	C_CM,	/* combining marks: never separated from what precedes */
	C_NL,	/* a forced line break */
};

enum { BL_NONE, BL_LEFT, BL_RIGHT };

/* struct clu.flags */
enum {
	F_NARROW = 1,		/* first char narrow (Latin side) */
	F_NARROW_END = 2,	/* last char narrow */
	F_ALNUM = 4,		/* first char a narrow letter or digit */
	F_ALNUM_END = 8,
	F_HANL = 16,		/* first char a wide letter (Han, kana...) */
	F_HANL_END = 32,
	F_KAIMING = 64,		/* 、，。：；！？: full width inside a line in kaiming style */
	F_UNIT = 128,		/* starts a character or word counted on a last line */
	F_NOSTART = 256,	/* never at a line start */
	F_NOEND = 512,		/* never at a line end */
	F_RTL = 1024,		/* in a right-to-left item */
	F_HYPH = 2048,		/* a hyphenation point after it (a flagged break) */
	F_ADDR = 4096,		/* a break after it inside a URL or address (not flagged) */
	F_URL = 8192,		/* inside a URL or an e-mail address (a Chinese paragraph's) */
};

/* One cluster with its widths.  Amounts in Pango units. */
struct clu {
	int off, len;		/* bytes in the text */
	int item;		/* index in comp.items */
	int g0, g1;		/* its glyphs in the item's glyph string */
	int em;			/* font size */
	int adv;		/* shaped advance */
	unsigned cp, cp_end;	/* first and last character */
	unsigned char cls, cls_end;
	unsigned char blank;	/* BL_: which half of a full-width mark is blank */
	int flags;
	int blank_w;		/* the blank: half the advance */
	int rm_l, rm_r;		/* blank removed by the punctuation style */
	int pair_l;		/* part of rm_l removed for the previous mark */
	int w;			/* natural width */
	int z;			/* mark: blank left (shrinkable, trimmed at a line edge) */
	int y1, zs;		/* space: stretch and shrink */
	int sa, ea;		/* width change when it starts / ends a line */
	/* the joint to the next cluster */
	int gap;		/* natural gap */
	int gy1, gz;		/* Han-Latin gap: stretch and shrink */
	int gy2;		/* inter-character gap: nominal stretch for badness, 0: none */
	int hy;			/* F_HYPH: the hyphen a line ending here adds (0: explicit) */
	int gl;			/* Latin: letter spacing the joint may take, either way */
};

struct fontinfo {
	PangoFont *font;
	int em, ascent, descent;
	int hy_done;		/* the hyphen looked up: */
	PangoGlyph hy_glyph;	/* its glyph and advance; hy_w 0: none */
	int hy_w;
};

struct kp_node {
	int pos;		/* the next line's first cluster */
	int e;			/* end of the content of the line ending here */
	int line;		/* lines before pos */
	int fit;		/* fitness class of the line ending here */
	int prev;		/* node index, -1 at the start */
	int over;		/* the line ending here is overfull by this much */
	int hyrun;		/* flagged (hyphenated) lines in a row ending here */
	double dem;		/* total demerits */
};

#define NUMBER_DEMERITS 1e7	/* a number parted from its unit, a range split */
#define URL_DEMERITS 2000.0	/* a URL broken at a natural point */

struct comp {
	PangoContext *ctx;
	const char *text;
	int len;
	const struct compose_opts *o;
	const PangoFontDescription *base;
	PangoItem **items;
	PangoGlyphString **glyphs;
	struct fontinfo **finfo;	/* per item */
	int nitems;
	struct fontinfo *fonts;
	int nfonts, capfonts;
	struct clu *c;
	int n;
	int64_t *pw, *py, *pz;	/* prefix sums of width, stretch, shrink (with joints) */
	int64_t *pl;		/* prefix sums of letter spacing (Latin) */
	/* how much wider a line can be for starting at a later cluster (a
	 * line-start adjustment, a negative width); -1: widths or stretches
	 * that do not grow with the line (try_break then tries every node) */
	int64_t start_slack;
	int *pu;		/* prefix counts of units */
	int m0, m1;		/* measures of the first and the other lines */
	int x0, x1;		/* their left edges */
	/* the breaker */
	struct kp_node *nodes;
	int nnodes, capnodes;
	int *act;
	int nact, capact;
	/* line building scratch, per cluster */
	int *lead, *trail, *spw, *jg;
	struct dist { int kind, i; int64_t w; } *el;
	/* punctuation ink cache */
	struct { PangoFont *font; PangoGlyph glyph; int blank; } ink[64];
	int nink;
	struct cpara *out;
	int caplines;
	/* characters before each item, and a cursor: text[0, cur_byte) has
	 * cur_char characters (item_slice counts on from it) */
	int *item_char;
	int cur_byte, cur_char;
	int keep_space;		/* the space before the unbreakable box, or -1 */
};

/* ---- characters ------------------------------------------------------- */

/* Our table; returns -1 for characters it does not name. */
static int cls_table(unsigned c, int *narrow)
{
	*narrow = 0;
	switch (c) {
	case '(': case '[': case '{': case '$':
		*narrow = 1;
		return C_OP;
	case 0xa3: case 0xa5:		/* £ ¥ */
		*narrow = 1;
		return C_OP;
	case 0x201c: case 0x2018:	/* “ ‘ */
	case 0x300c: case 0x300e: case 0xff08: case 0x300a: case 0x3008: case 0x3010:
	case 0x3016: case 0x3014: case 0xff3b: case 0xff5b: case 0x3018: case 0x301a:
	case 0xff5f: case 0x301d: case 0xfe59: case 0xfe5b: case 0xfe5d: case 0xffe5:
	case 0xff04: case 0xffe1:	/* ＄ ￡ */
		return C_OP;
	case ')': case ']': case '}':
		*narrow = 1;
		return C_CL;
	case 0x201d: case 0x2019:	/* ” ’ */
	case 0x300d: case 0x300f: case 0xff09: case 0x300b: case 0x3009: case 0x3011:
	case 0x3017: case 0x3015: case 0xff3d: case 0xff5d: case 0x3019: case 0x301b:
	case 0xff60: case 0x301e: case 0x301f: case 0xfe5a: case 0xfe5c: case 0xfe5e:
		return C_CL;
	case 0x3001: case 0xff0c: case 0x3002: case 0xff0e: case 0xff1a: case 0xff1b:
	case 0xff1f: case 0xff01: case 0x203c: case 0x2047: case 0x2048: case 0x2049:
	case 0xff61: case 0xff64: case 0xfe50: case 0xfe51: case 0xfe52: case 0xfe54:
	case 0xfe55: case 0xfe56: case 0xfe57:
		return C_ST;
	case ',': case '.': case ';': case ':': case '?': case '!': case '%':
	case 0xa2: case 0xb0: case 0xb7:	/* ¢ ° · */
		*narrow = 1;
		return C_NS;
	case 0xff5e: case 0x30fb: case 0x2027: case 0xff0f: case 0x2030: case 0x2031:
	case 0x2103: case 0x2109: case 0xff05: case 0x2032: case 0x2033: case 0x3005:
	case 0x303b: case 0x309d: case 0x309e: case 0x30fd: case 0x30fe: case 0x3003:
	case 0x30fc: case 0xff0d: case 0x2013: case 0x301c: case 0xffe0:
		return C_NS;
	case 0x2014: case 0x2015: case 0x2026: case 0x2025: case 0x2e3a: case 0x2e3b:
		return C_IN;
	case ' ': case '\t':
		*narrow = 1;
		return C_SP;
	case 0xa0: case 0x202f: case 0x2007: case 0x2060: case 0xfeff:
		*narrow = 1;
		return C_GL;
	case 0x200b:
		*narrow = 1;
		return C_ZW;
	case 0x200c: case 0x200d:
		*narrow = 1;
		return C_CM;
	case '\n': case 0x2028: case 0x2029:
		*narrow = 1;
		return C_NL;
	}
	return -1;
}

/* The class of c and whether it is narrow (the Latin side of the text). */
static int char_class(unsigned c, int *narrow)
{
	if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x20000 && c <= 0x3ffff)) {
		*narrow = 0;
		return C_HAN;
	}
	if (c < 0x80 && ((c | 0x20) - 'a' < 26 || c - '0' < 10)) {
		*narrow = 1;
		return C_AL;
	}
	int k = cls_table(c, narrow);
	if (k >= 0)
		return k;
	if (g_unichar_ismark(c)) {
		*narrow = 1;
		return C_CM;
	}
	int wide = g_unichar_iswide(c) || (g_unichar_iswide_cjk(c) && !g_unichar_isalpha(c));
	*narrow = !wide;
	if (!wide)
		return g_unichar_isspace(c) ? C_SP : C_AL;
	switch (g_unichar_break_type(c)) {
	case G_UNICODE_BREAK_OPEN_PUNCTUATION:
		return C_OP;
	case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
	case G_UNICODE_BREAK_CLOSE_PARANTHESIS:
		return C_CL;
	case G_UNICODE_BREAK_NON_STARTER:
	case G_UNICODE_BREAK_EXCLAMATION:
	case G_UNICODE_BREAK_CONDITIONAL_JAPANESE_STARTER:
		return C_NS;
	default:
		return C_HAN;
	}
}

static int is_kaiming(unsigned c)
{
	return c == 0x3001 || c == 0xff0c || c == 0x3002 || c == 0xff1a || c == 0xff1b ||
	       c == 0xff01 || c == 0xff1f;
}

/* The flags of one character: narrow, letter kinds. */
static int char_flags(unsigned c, int cls, int narrow)
{
	int f = 0;
	if (narrow)
		f |= F_NARROW;
	if (narrow && cls == C_AL && g_unichar_isalnum(c))
		f |= F_ALNUM;
	if (!narrow && cls == C_HAN && g_unichar_isalnum(c))
		f |= F_HANL;
	return f;
}

/* ---- fonts and glyphs -------------------------------------------------- */

/* A font's ascent and descent (Pango units), as Pango's metrics give them,
 * from HarfBuzz: pango_font_get_metrics has cairo open the font file in
 * FreeType (1-2 ms a Noto CJK face) for figures HarfBuzz has. */
static void font_extents(PangoFont *font, int *ascent, int *descent)
{
	hb_font_extents_t fe;
	hb_font_t *hb = pango_font_get_hb_font(font);
	if (hb && hb_font_get_h_extents(hb, &fe)) {
		*ascent = fe.ascender;
		*descent = -fe.descender;
	} else {
		PangoFontMetrics *m = pango_font_get_metrics(font, NULL);
		*ascent = pango_font_metrics_get_ascent(m);
		*descent = pango_font_metrics_get_descent(m);
		pango_font_metrics_unref(m);
	}
}

static struct fontinfo *font_info(struct comp *k, PangoFont *font)
{
	for (int i = 0; i < k->nfonts; i++)
		if (k->fonts[i].font == font)
			return &k->fonts[i];
	struct fontinfo *fi = &k->fonts[k->nfonts++];
	fi->font = font;
	PangoFontDescription *fd = pango_font_describe_with_absolute_size(font);
	fi->em = pango_font_description_get_size(fd);
	pango_font_description_free(fd);
	font_extents(font, &fi->ascent, &fi->descent);
	return fi;
}

/* Which half of a full-width mark's em box is blank, from its ink
 * (HarfBuzz's extents, in the font's scale: Pango units). */
static int glyph_blank(struct comp *k, PangoFont *font, PangoGlyph g, int adv, int em, int cls)
{
	for (int i = 0; i < k->nink; i++)
		if (k->ink[i].font == font && k->ink[i].glyph == g)
			return k->ink[i].blank;
	int blank = BL_NONE;
	int tol = em / 32;
	hb_glyph_extents_t ext;
	hb_font_t *hb = pango_font_get_hb_font(font);
	if (!(g & PANGO_GLYPH_UNKNOWN_FLAG) && abs(adv - em) <= em / 16 && hb &&
	    hb_font_get_glyph_extents(hb, g, &ext)) {
		if (cls == C_OP && ext.x_bearing >= adv / 2 - tol)
			blank = BL_LEFT;
		else if ((cls == C_CL || cls == C_ST) && ext.x_bearing + ext.width <= adv / 2 + tol)
			blank = BL_RIGHT;
	}
	int slot = k->nink < 64 ? k->nink++ : (int)(g % 64);
	k->ink[slot].font = font;
	k->ink[slot].glyph = g;
	k->ink[slot].blank = blank;
	return blank;
}

/* ---- analysis: items, clusters, widths ---------------------------------- */

static void add_cluster(struct comp *k, int item, int off, int end, int g0, int g1)
{
	const PangoGlyphString *gs = k->glyphs[item];
	struct clu *c = &k->c[k->n++];
	memset(c, 0, sizeof(*c));
	c->off = off;
	c->len = end - off;
	c->item = item;
	c->g0 = g0;
	c->g1 = g1;
	c->em = k->finfo[item]->em;
	for (int g = g0; g < g1; g++)
		c->adv += gs->glyphs[g].geometry.width;
	const char *s = k->text + off;
	int nr;
	utf8_decode(s, &c->cp);
	c->cp_end = c->cp;
	const char *last = g_utf8_find_prev_char(s, k->text + end);
	if (last && last > s)
		utf8_decode(last, &c->cp_end);
	c->cls = (unsigned char)char_class(c->cp, &nr);
	c->flags = char_flags(c->cp, c->cls, nr);
	int ne = nr;
	c->cls_end = c->cls;
	if (c->cp_end != c->cp)
		c->cls_end = (unsigned char)char_class(c->cp_end, &ne);
	int fe = char_flags(c->cp_end, c->cls_end, ne);
	if (fe & F_NARROW)
		c->flags |= F_NARROW_END;
	if ((fe & F_ALNUM) || c->cp_end == '%' || c->cp_end == 0x2030)
		c->flags |= F_ALNUM_END;	/* 78.2% takes the Han-Latin gap as 78.2 does */
	if (fe & F_HANL)
		c->flags |= F_HANL_END;
	if (k->items[item]->analysis.level & 1)
		c->flags |= F_RTL | F_NARROW | F_NARROW_END;
	/* a line ending inside a cluster of "\r\n" and the like */
	for (const char *p = s; p < k->text + end; p = g_utf8_next_char(p))
		if (*p == '\n')
			c->cls = c->cls_end = C_NL;
	if (is_kaiming(c->cp))
		c->flags |= F_KAIMING;
	if ((c->cls == C_OP || c->cls == C_CL || c->cls == C_ST) && g1 - g0 == 1 &&
	    !(c->flags & F_NARROW))
		c->blank = (unsigned char)glyph_blank(k, k->items[item]->analysis.font,
						      gs->glyphs[g0].glyph, c->adv, c->em, c->cls);
	c->blank_w = c->blank ? c->adv / 2 : 0;
}

/* Clusters of one shaped item, in logical order. */
static void item_clusters(struct comp *k, int it)
{
	const PangoItem *item = k->items[it];
	const PangoGlyphString *gs = k->glyphs[it];
	int ng = gs->num_glyphs;
	int rtl = item->analysis.level & 1;
	int g = rtl ? ng - 1 : 0;
	while (rtl ? g >= 0 : g < ng) {
		int cl = gs->log_clusters[g];
		int g0 = g;
		while ((rtl ? g >= 0 : g < ng) && gs->log_clusters[g] == cl)
			g += rtl ? -1 : 1;
		int lo = rtl ? g + 1 : g0, hi = rtl ? g0 + 1 : g;
		int next = (rtl ? g >= 0 : g < ng) ? gs->log_clusters[g] : item->length;
		if (next <= cl)	/* defensive: clusters out of order */
			next = item->length;
		add_cluster(k, it, item->offset + cl, item->offset + next, lo, hi);
	}
}

/* Blanks removed by the punctuation style, inside a line. */
static void punct_widths(struct comp *k)
{
	const struct compose_opts *o = k->o;
	for (int i = 0; i < k->n; i++) {
		struct clu *c = &k->c[i];
		if (!c->blank)
			continue;
		int remove = o->punct == COMPOSE_PUNCT_HALF ||
			     (o->punct == COMPOSE_PUNCT_KAIMING && !(c->flags & F_KAIMING)) ||
			     (i + 1 == k->keep_space && c->blank == BL_RIGHT);	/* the gap is from the ink */
		if (remove) {
			if (c->blank == BL_LEFT)
				c->rm_l = c->blank_w;
			else
				c->rm_r = c->blank_w;
		}
	}
	if (o->punct == COMPOSE_PUNCT_FULL) {
		for (int i = 0; i + 1 < k->n; i++) {
			struct clu *a = &k->c[i], *b = &k->c[i + 1];
			if (!a->blank || !b->blank)
				continue;
			if (o->pair_one_em) {	/* both lose their blank */
				if (a->blank == BL_RIGHT)
					a->rm_r = a->blank_w;
				else
					a->rm_l = a->blank_w;
				if (b->blank == BL_LEFT)
					b->rm_l = b->pair_l = b->blank_w;
				else
					b->rm_r = b->blank_w;
			} else if (a->blank == BL_RIGHT && !a->rm_r) {
				a->rm_r = a->blank_w;
			} else if (b->blank == BL_LEFT && !b->rm_l) {
				b->rm_l = b->pair_l = b->blank_w;
			}
		}
	}
	for (int i = 0; i < k->n; i++) {
		struct clu *c = &k->c[i];
		if (!c->blank)
			continue;
		c->z = c->blank_w - (c->blank == BL_LEFT ? c->rm_l : c->rm_r);
		if (c->blank == BL_LEFT)
			c->sa = o->trim_line_start ? -c->z : c->pair_l;
		else if (c->cls_end == C_CL || c->cls_end == C_ST)
			c->ea = -c->z;
	}
}

static int is_space(const struct clu *c)
{
	return c->cls == C_SP;
}

static int is_digit(unsigned c)
{
	return c - '0' < 10;
}

/* A URL's or an e-mail address's natural break point between l and r:
 * after a slash (after both of //), before . - ? & = # @ (not inside a run
 * of them), never inside a run of letters or digits. */
static int url_point(const struct clu *l, const struct clu *r)
{
	if (!(l->flags & F_URL) || !(r->flags & F_URL))
		return 0;
	static const char before[] = ".-?&=#@";
	if (l->cp_end == '/')
		return r->cp != '/';
	return r->cp < 0x80 && r->cp && strchr(before, (int)r->cp) &&
	       !(l->cp_end < 0x80 && l->cp_end && strchr(before, (int)l->cp_end));
}

/* Marks the clusters of URLs and e-mail addresses: runs of narrow
 * characters holding "://", starting "www." or holding an @ with a dot
 * after it. */
static void mark_urls(struct comp *k)
{
	if (k->o->latin)
		return;	/* a Latin paragraph's addresses break by their own rule (F_ADDR) */
	struct clu *c = k->c;
	for (int a = 0; a < k->n;) {
		if (!(c[a].flags & F_NARROW) || is_space(&c[a]) || c[a].cls == C_NL) {
			a++;
			continue;
		}
		int b = a;
		while (b < k->n && (c[b].flags & F_NARROW) && !is_space(&c[b]) && c[b].cls != C_NL)
			b++;
		int from = c[a].off, to = c[b - 1].off + c[b - 1].len;
		char *run = xstrndup(k->text + from, (size_t)(to - from));
		char *at = strchr(run, '@');
		int url = strstr(run, "://") || !strncmp(run, "www.", 4) ||
			  (at && at > run && strchr(at, '.'));
		free(run);
		for (int i = a; url && i < b; i++)
			c[i].flags |= F_URL;
		a = b;
	}
}

/* The cost of a line break the rules allow after cluster i, the next
 * line starting with cluster ri (after spaces, if any): a number kept with its unit or magnitude (2022年, 4.6万次) and a
 * number range (2023—2025) together wherever the paragraph allows, a URL
 * unbroken if it can be. */
static double joint_penalty(const struct comp *k, int i, int ri)
{
	const struct clu *l = &k->c[i], *r = &k->c[ri];
	if (is_digit(l->cp_end) && (r->flags & F_HANL))
		return NUMBER_DEMERITS;
	int dash = l->cp == 0x2014 || l->cp == 0x2013 || l->cp == 0xff5e || l->cp == '~' ||
		   l->cp == 0x2015;
	if (dash && is_digit(r->cp)) {
		int j = i;	/* back over a doubled dash */
		while (j > 0 && k->c[j - 1].cp_end == l->cp)
			j--;
		if (j > 0 && is_digit(k->c[j - 1].cp_end))
			return NUMBER_DEMERITS;
	}
	if (url_point(l, r))
		return URL_DEMERITS;
	return 0;
}

/* Break rule flags, natural widths, spaces and joints. */
static void cluster_widths(struct comp *k)
{
	const struct compose_opts *o = k->o;
	struct clu *c = k->c;
	int n = k->n;
	for (int i = 0; i < n; i++) {
		struct clu *x = &c[i];
		switch (x->cls) {
		case C_CL: case C_ST: case C_NS: case C_CM: case C_GL:
			x->flags |= F_NOSTART;
			break;
		case C_IN: {
			/* a doubled dash or ellipsis may start a line, a single one not */
			int pairs = (i > 0 && c[i - 1].cp_end == x->cp) ||
				    (i + 1 < n && c[i + 1].cp == x->cp_end);
			int twoem = x->cp == 0x2e3a || x->cp == 0x2e3b;
			if ((!pairs && !twoem) || o->strict_start)	/* strict: none does */
				x->flags |= F_NOSTART;
			break;
		}
		default:
			break;
		}
		int kept = o->keep_end > o->keep_start && x->off >= o->keep_start && x->off < o->keep_end;
		if (kept && x->off > o->keep_start)
			x->flags |= F_NOSTART;	/* the box never breaks */
		if (x->cls_end == C_OP || x->cls_end == C_GL)
			x->flags |= F_NOEND;
		if (x->cls == C_NL)
			x->flags &= ~(F_NARROW | F_NARROW_END);
		if (!is_space(x) && x->cls != C_NL && !kept) {	/* the box counts for nothing */
			if (x->flags & F_HANL)
				x->flags |= F_UNIT;
			else if ((x->flags & F_ALNUM) &&
				 !(i > 0 && (c[i - 1].flags & F_NARROW_END) && !is_space(&c[i - 1])))
				x->flags |= F_UNIT;
		}
		x->w = x->adv - x->rm_l - x->rm_r;
		if (x->cls == C_NL)
			x->w = 0;
	}
	for (int i = 0; i < n; i++) {
		struct clu *x = &c[i];
		if (is_space(x)) {
			int hl = 0;
			if (o->han_latin_em > 0 && i > 0 && i + 1 < n && !is_space(&c[i - 1]) &&
			    !is_space(&c[i + 1])) {
				const struct clu *l = &c[i - 1], *r = &c[i + 1];
				if ((l->flags & F_HANL_END) && (r->flags & F_ALNUM))
					hl = l->em;
				else if ((l->flags & F_ALNUM_END) && (r->flags & F_HANL))
					hl = r->em;
			}
			if (hl) {	/* clreq: the space becomes the Han-Latin gap */
				x->w = (int)(o->han_latin_em * hl + 0.5);
				x->y1 = x->w / 3;
				x->zs = x->w / 2;
			} else if (o->latin && x->cp != '\t') {	/* a word space */
				int lo = (int)(o->space_min * x->em + 0.5);
				int hi = (int)(o->space_max * x->em + 0.5);
				x->w = x->w < lo ? lo : x->w > hi ? hi : x->w;
				x->y1 = hi - x->w > 1 ? hi - x->w : 1;
				x->zs = x->w - lo;
			} else {
				if (x->cp == '\t')
					x->w = x->em;
				x->y1 = x->w / 2;
				x->zs = x->w / 3;
			}
			if (i == k->keep_space) {	/* before the box: the layout's gap, fixed */
				x->w = o->keep_gap;
				x->y1 = x->zs = 0;
			}
			continue;
		}
		if (i + 1 >= n)
			continue;
		struct clu *r = &c[i + 1];
		if (is_space(r) || r->cls == C_NL || x->cls == C_NL || r->cls == C_CM ||
		    r->cls == C_GL || x->cls_end == C_GL || x->cls_end == C_ZW || r->cls == C_ZW)
			continue;
		if (o->han_latin_em > 0 && (((x->flags & F_HANL_END) && (r->flags & F_ALNUM)) ||
					    ((x->flags & F_ALNUM_END) && (r->flags & F_HANL)))) {
			int em = (x->flags & F_HANL_END) ? x->em : r->em;
			x->gap = (int)(o->han_latin_em * em + 0.5);
			x->gy1 = x->gap / 3;
			x->gz = x->gap / 2;
			continue;
		}
		if (url_point(x, r) && !o->latin) {	/* a URL's break point takes a share of the stretch */
			x->gy2 = x->em / 8;
			r->flags |= F_UNIT;	/* and each of its parts counts on a last line */
			continue;
		}
		if ((x->flags & F_NARROW_END) && (r->flags & F_NARROW)) {
			/* inside a word or number: a Latin line's last resort */
			if (o->latin)
				x->gl = (int)(o->letter_space * (x->em < r->em ? x->em : r->em) + 0.5);
			continue;
		}
		int xmark = x->cls_end >= C_OP && x->cls_end <= C_IN;
		int rmark = r->cls >= C_OP && r->cls <= C_IN;
		if ((xmark && rmark) || o->latin)
			continue;	/* keep runs of marks (and —— ……) tight; Latin: spaces */
		x->gy2 = (x->em > r->em ? x->em : r->em) / 8;
	}
	k->pw = xmalloc((size_t)(n + 1) * sizeof(*k->pw));
	k->py = xmalloc((size_t)(n + 1) * sizeof(*k->py));
	k->pz = xmalloc((size_t)(n + 1) * sizeof(*k->pz));
	k->pu = xmalloc((size_t)(n + 1) * sizeof(*k->pu));
	k->pl = xmalloc((size_t)(n + 1) * sizeof(*k->pl));
	k->pw[0] = k->py[0] = k->pz[0] = k->pl[0] = 0;
	k->pu[0] = 0;
	int64_t sa_most = 0, sa_least = 0, shrinking = 0;
	for (int i = 0; i < n; i++) {
		const struct clu *x = &c[i];
		sa_most = x->sa > sa_most ? x->sa : sa_most;
		sa_least = x->sa < sa_least ? x->sa : sa_least;
		shrinking += x->w + x->gap < 0 ? -(int64_t)(x->w + x->gap) : 0;
		if (x->y1 < 0 || x->gy1 < 0 || x->gy2 < 0 || x->gl < 0)
			k->start_slack = -1;
		k->pw[i + 1] = k->pw[i] + x->w + x->gap;
		k->py[i + 1] = k->py[i] + x->y1 + x->gy1 + x->gy2;
		k->pz[i + 1] = k->pz[i] + x->z + x->zs + x->gz;
		k->pu[i + 1] = k->pu[i] + ((x->flags & F_UNIT) != 0);
		k->pl[i + 1] = k->pl[i] + x->gl;
	}
	if (k->start_slack == 0)
		k->start_slack = sa_most - sa_least + shrinking;
}

/* The letter spacing a line of clusters [s, e) may take, either way. */
static int64_t line_letters(const struct comp *k, int s, int e)
{
	return e - 1 > s ? k->pl[e - 1] - k->pl[s] : 0;
}

/* Width, stretch and shrink of a line holding clusters [s, e). */
static void line_measure(const struct comp *k, int s, int e, int64_t *w, int64_t *y, int64_t *z)
{
	const struct clu *f = &k->c[s], *l = &k->c[e - 1];
	*w = k->pw[e] - k->pw[s] - l->gap + f->sa + l->ea + l->hy;
	*y = k->py[e] - k->py[s] - l->gy1 - l->gy2;
	*z = k->pz[e] - k->pz[s] - l->gz - (f->sa < 0 ? -f->sa : 0) - (l->ea < 0 ? -l->ea : 0);
}

/* ---- hyphenation points (Latin paragraphs) ------------------------------ */

#define HYPH_WORD_MAX 64	/* longer words are left whole (hyph.c's limit) */

static int ascii_letter(unsigned cp)
{
	return cp < 0x80 && (cp | 0x20) - 'a' < 26;
}

/* The advance of '-' in the item's font, 0 if it has none. */
static int hyphen_width(struct comp *k, int item)
{
	struct fontinfo *fi = k->finfo[item];
	if (!fi->hy_done) {
		fi->hy_done = 1;
		PangoGlyphString *gs = pango_glyph_string_new();
		pango_shape_with_flags("-", 1, "-", 1, &k->items[item]->analysis, gs, PANGO_SHAPE_NONE);
		if (gs->num_glyphs == 1 && !(gs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
		    gs->glyphs[0].geometry.width > 0) {
			fi->hy_glyph = gs->glyphs[0].glyph;
			fi->hy_w = gs->glyphs[0].geometry.width;
		}
		pango_glyph_string_free(gs);
	}
	return fi->hy_w;
}

/* The hyphenation points of the token of clusters [a, b): after the
 * explicit hyphens of a compound, else inside its words. */
static void token_points(struct comp *k, int a, int b)
{
	const struct compose_opts *o = k->o;
	struct clu *c = k->c;
	int compound = 0;
	for (int q = a + 1; q + 1 < b; q++)
		if (c[q].cp == '-' && c[q].len == 1 && ascii_letter(c[q - 1].cp_end) &&
		    ascii_letter(c[q + 1].cp)) {
			c[q].flags |= F_HYPH;
			compound = 1;
		}
	if (compound || !o->hyph)
		return;
	char pts[HYPH_WORD_MAX];
	for (int q = a; q < b;) {
		if (!ascii_letter(c[q].cp) || !ascii_letter(c[q].cp_end)) {
			q++;
			continue;
		}
		int w = q;
		while (q < b && ascii_letter(c[q].cp) && ascii_letter(c[q].cp_end))
			q++;
		int off = c[w].off, len = c[q - 1].off + c[q - 1].len - off;
		if (len < o->hyph_min_word || len > HYPH_WORD_MAX ||
		    !hyph_word(o->hyph, k->text + off, len, o->hyph_left, o->hyph_right, pts))
			continue;
		for (int r = w; r + 1 < q; r++) {
			int j = c[r].off + c[r].len - off - 1;	/* its last byte in the word */
			int hy = pts[j] ? hyphen_width(k, c[r].item) : 0;
			if (hy > 0) {
				c[r].hy = hy;
				c[r].flags |= F_HYPH;
			}
		}
	}
}

/* A URL or an e-mail address of clusters [a, b) breaks, with no hyphen
 * added, after a '/' of its path or before its '@', keeping three clusters
 * on either side (a line never starts with a '.'); other tokens (numbers,
 * code) stay whole. */
static void address_points(struct comp *k, int a, int b)
{
	struct clu *c = k->c;
	const char *s = k->text + c[a].off;
	int len = c[b - 1].off + c[b - 1].len - c[a].off;
	if (!memmem(s, (size_t)len, "://", 3) && !memchr(s, '@', (size_t)len) &&
	    !(len > 4 && memcmp(s, "www.", 4) == 0))
		return;
	for (int q = a + 3; q + 3 < b; q++) {
		int slash = c[q].cp == '/' && c[q - 1].cp_end != '/' && c[q + 1].cp != '/' &&
			    c[q - 1].cp_end != ':';
		int before = c[q + 1].cp == '@' && ascii_letter(c[q].cp_end);
		if (slash || before)
			c[q].flags |= F_ADDR;
	}
}

/* Hyphenation points of a Latin paragraph, token by token (what lies
 * between spaces); none in tokens with digits, addresses, paths (hyph.c). */
static void hyphen_points(struct comp *k)
{
	if (!k->o->latin)
		return;
	const struct clu *c = k->c;
	for (int i = 0; i < k->n;) {
		if (is_space(&c[i]) || c[i].cls == C_NL) {
			i++;
			continue;
		}
		int t = i, rtl = 0;
		while (t < k->n && !is_space(&c[t]) && c[t].cls != C_NL)
			rtl |= c[t++].flags & F_RTL;
		int off = c[i].off, len = c[t - 1].off + c[t - 1].len - off;
		if (rtl)
			;
		else if (hyph_token_ok(k->text + off, len))
			token_points(k, i, t);
		else
			address_points(k, i, t);
		i = t;
	}
}

/* ---- breaking ----------------------------------------------------------- */

enum { FIT_VERYLOOSE, FIT_LOOSE, FIT_DECENT, FIT_TIGHT };

#define LINE_PENALTY 10.0
#define TOLERANCE 1000.0	/* badness allowed on the first pass */
#define INF_BAD 10000.0
#define ADJ_DEMERITS 3000.0	/* fitness classes two apart */
#define LOOSE_DEMERITS 5000.0	/* two very loose lines in a row */
#define ORPHAN_DEMERITS 1e8	/* a last line with too few characters */
#define EMERGENCY_DEMERITS 1e10	/* a break the rules forbid */
#define OVERFULL_DEMERITS 1e12	/* a line too wide even when shrunk */
#define HYPHEN_DEMERITS 2500.0	/* a hyphenated line (TeX's \hyphenpenalty 50, squared) */
#define DOUBLE_HYPHEN_DEMERITS 10000.0	/* two hyphenated lines in a row */
#define FINAL_HYPHEN_DEMERITS 1e7	/* the line before the last hyphenated */
#define LOOSE_SPACE_DEMERITS 1e6	/* Latin: word spaces past space_max, times r */
#define LETTER_DEMERITS 1e5	/* Latin: letters spaced, times 0.1 + the share used */
#define MAX_ACTIVE 1024	/* active nodes kept at most */

/* Can a line end after cluster l and the next start with r (no space between)? */
static int can_break(const struct clu *l, const struct clu *r)
{
	if (l->cls_end == C_ZW)
		return 1;
	if ((r->flags & F_NOSTART) || (l->flags & F_NOEND) || r->cls == C_ZW)
		return 0;
	if (url_point(l, r))
		return 1;
	if ((l->flags & F_NARROW_END) && (r->flags & F_NARROW))
		return 0;
	if (l->cls_end == C_IN && r->cls == C_IN && l->cp_end == r->cp)
		return 0;
	return 1;
}

static int new_node(struct comp *k)
{
	if (k->nnodes == k->capnodes) {
		k->capnodes = k->capnodes ? 2 * k->capnodes : 256;
		k->nodes = xrealloc(k->nodes, (size_t)k->capnodes * sizeof(*k->nodes));
	}
	return k->nnodes++;
}

static void add_active(struct comp *k, int nd)
{
	if (k->nact == k->capact) {
		k->capact = k->capact ? 2 * k->capact : 64;
		k->act = xrealloc(k->act, (size_t)k->capact * sizeof(*k->act));
	}
	k->act[k->nact++] = nd;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Bounds the work on very wide measures: keeps the better half of the
 * active nodes (in their order), so each break tries at most MAX_ACTIVE. */
static void prune(struct comp *k)
{
	double *d = xmalloc((size_t)k->nact * sizeof(*d));
	for (int q = 0; q < k->nact; q++)
		d[q] = k->nodes[k->act[q]].dem;
	qsort(d, (size_t)k->nact, sizeof(*d), cmp_double);
	double cut = d[MAX_ACTIVE / 2 - 1];
	free(d);
	int j = 0;
	for (int q = 0; q < k->nact; q++)
		if (k->nodes[k->act[q]].dem <= cut && j < MAX_ACTIVE / 2)
			k->act[j++] = k->act[q];
	k->nact = j;
}

/* Whether a line t short of its measure, with stretch y and letter spacing
 * lt, is past the first pass's tolerance (as try_break rates it). */
static int too_loose(int64_t t, int64_t y, int64_t lt)
{
	if (t <= 0 || (lt > 0 && t > y && t - y <= lt))
		return 0;	/* full, or letters may take it */
	if (y <= 0)
		return 1;
	double r = (double)t / (double)y;
	return r > 10 || 100 * r * r * r > TOLERANCE;
}

/* Tries the break (line content ends at e, the next line starts at p) from
 * every active node; records new nodes at p.  Returns -1 when pass 1 runs
 * out of active nodes. */
static int try_break(struct comp *k, int e, int p, int last, double penalty, int hyph, int pass,
		     int seg_start_node)
{
	/* the best line per fitness class and, at a flagged break, per run */
	double best[4 * (COMPOSE_MAX_RUN + 1)];
	int bprev[4 * (COMPOSE_MAX_RUN + 1)];
	int maxrun = k->o->hyph_max_run < 1 ? 1 : k->o->hyph_max_run > COMPOSE_MAX_RUN ? COMPOSE_MAX_RUN
		     : k->o->hyph_max_run;
	int stride = hyph ? maxrun + 1 : 1, nslots = 4 * stride;
	double minbest = 1e300;
	for (int f = 0; f < nslots; f++)
		best[f] = 1e300, bprev[f] = -1;
	int gone = -1;
	int64_t gone_over = 0;
	int j = 0;
	for (int q = 0; q < k->nact; q++) {
		int ai = k->act[q];
		const struct kp_node *nd = &k->nodes[ai];
		int s = nd->pos;
		if (e <= s) {
			k->act[j++] = ai;
			continue;
		}
		int measure = nd->line == 0 ? k->m0 : k->m1;
		int64_t w, y, z;
		line_measure(k, s, e, &w, &y, &z);
		int64_t lt = k->o->latin ? line_letters(k, s, e) : 0;
		k->out->work++;
		if (w - z - lt > measure) {	/* too long from here on: drop it */
			gone = ai;
			gone_over = w - z - measure;
			continue;
		}
		k->act[j++] = ai;
		int run = hyph ? nd->hyrun + 1 : 0;
		if (run > maxrun)
			continue;
		int64_t t = measure - w;
		if (k->o->align != ALIGN_JUSTIFY)
			y += measure / 3;	/* ragged: a short line is no loose one */
		if (pass == 1 && !last && nd->line > 0 && k->start_slack >= 0 &&
		    too_loose(t - k->start_slack, y, lt)) {
			/* the nodes after this one start later on the same measure:
			 * their lines are no wider (but for start_slack), stretch no
			 * more and have no more letters, so they are too loose too */
			while (++q < k->nact)
				k->act[j++] = k->act[q];
			break;
		}
		double bad, r = 0, lettered = -1;
		int fit = FIT_DECENT;
		if (t < 0 && -t > z) {	/* Latin: spaces at their least, letters closer */
			lettered = (double)(-t - z) / (double)lt;
			bad = 100;
			fit = FIT_TIGHT;
		} else if (t > y && !last && lt > 0 && t - y <= lt) {	/* letters wider */
			lettered = (double)(t - y) / (double)lt;
			bad = 100;
			fit = FIT_LOOSE;
		} else if (t >= 0) {
			if (last || t == 0)
				bad = 0;
			else if (y > 0) {
				r = (double)t / (double)y;
				bad = r > 10 ? INF_BAD : 100 * r * r * r;
				if (bad > INF_BAD)
					bad = INF_BAD;
				fit = r > 1 ? FIT_VERYLOOSE : r > 0.5 ? FIT_LOOSE : FIT_DECENT;
			} else {
				bad = INF_BAD;
				fit = FIT_VERYLOOSE;
			}
		} else {
			r = (double)t / (double)z;	/* z > 0 here */
			bad = -100 * r * r * r;
			fit = r < -0.5 ? FIT_TIGHT : FIT_DECENT;
		}
		if (pass == 1 && bad > TOLERANCE)
			continue;
		double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad) + penalty;
		if (abs(fit - nd->fit) > 1)
			d += ADJ_DEMERITS;
		if (fit == FIT_VERYLOOSE && nd->fit == FIT_VERYLOOSE)
			d += LOOSE_DEMERITS;
		if (last && ai != seg_start_node && k->pu[e] - k->pu[s] < k->o->min_last_chars)
			d += ORPHAN_DEMERITS;
		if (hyph && nd->hyrun > 0)
			d += DOUBLE_HYPHEN_DEMERITS;
		if (last && nd->hyrun > 0)
			d += FINAL_HYPHEN_DEMERITS;
		if (lettered >= 0)
			d += LETTER_DEMERITS * (0.1 + lettered);
		else if (k->o->latin && !last && t > y)	/* in proportion: r > 1 */
			d += LOOSE_SPACE_DEMERITS *
			     (y > 0 && t - lt < 100 * y ? (double)(t - lt) / (double)y : 100);
		d += nd->dem;
		int slot = fit * stride + run;
		if (d < best[slot]) {
			best[slot] = d;
			bprev[slot] = ai;
			if (d < minbest)
				minbest = d;
		}
	}
	k->nact = j;
	int made = 0;
	for (int f = 0; f < nslots; f++) {
		if (bprev[f] < 0 || best[f] > minbest + ADJ_DEMERITS)
			continue;
		int nd = new_node(k);
		struct kp_node *x = &k->nodes[nd];
		x->pos = p;
		x->e = e;
		x->line = k->nodes[bprev[f]].line + 1;
		x->fit = f / stride;
		x->prev = bprev[f];
		x->over = 0;
		x->hyrun = f % stride;
		x->dem = best[f];
		add_active(k, nd);
		made++;
	}
	if (!made && k->nact == 0 && gone >= 0) {
		if (pass == 1)
			return -1;
		/* last resort: the overfull line from the newest dropped node */
		int nd = new_node(k);
		struct kp_node *x = &k->nodes[nd];
		x->pos = p;
		x->e = e;
		x->line = k->nodes[gone].line + 1;
		x->fit = FIT_DECENT;
		x->prev = gone;
		x->over = gone_over > INT32_MAX ? INT32_MAX : (int)gone_over;
		x->hyrun = hyph ? k->nodes[gone].hyrun + 1 : 0;
		x->dem = k->nodes[gone].dem + OVERFULL_DEMERITS;
		add_active(k, nd);
	}
	if (k->nact > MAX_ACTIVE)
		prune(k);
	return 0;
}

/* Breaks clusters [a, b) (b: a forced break or the end) into lines; the
 * first has number line0.  Returns the final node, or -1 if pass 1 failed. */
static int break_segment(struct comp *k, int a, int b, int eb, int line0, int pass)
{
	k->nnodes = 0;
	k->nact = 0;
	int start = new_node(k);
	k->nodes[start] = (struct kp_node){ .pos = a, .e = a, .line = line0, .fit = FIT_DECENT,
					 .prev = -1, .over = 0, .hyrun = 0, .dem = 0 };
	add_active(k, start);
	const struct clu *c = k->c;
	for (int i = a; i + 1 < eb; i++) {
		if (is_space(&c[i + 1]))
			continue;
		int e = i + 1, ok, hyph = 0;
		if (is_space(&c[i])) {	/* after a run of spaces */
			int r = i;
			while (r > a && is_space(&c[r - 1]))
				r--;
			if (r == a)
				continue;
			e = r;
			ok = !(c[r - 1].flags & F_NOEND) && !(c[i + 1].flags & F_NOSTART);
		} else if (c[i].flags & (F_HYPH | F_ADDR)) {
			ok = 1;
			hyph = (c[i].flags & F_HYPH) != 0;
		} else {
			ok = can_break(&c[i], &c[i + 1]);
		}
		if (!ok && pass == 1)
			continue;
		double pen = c[i].flags & (F_HYPH | F_ADDR) ? HYPHEN_DEMERITS
			     : ok ? joint_penalty(k, e - 1, i + 1) : EMERGENCY_DEMERITS;
		if (try_break(k, e, i + 1, 0, pen, hyph, pass, start) < 0)
			return -1;
	}
	int before = k->nnodes;
	if (try_break(k, eb, b, 1, 0, 0, pass, start) < 0)
		return -1;
	int best = -1;
	for (int q = before; q < k->nnodes; q++)
		if (k->nodes[q].pos == b && (best < 0 || k->nodes[q].dem < k->nodes[best].dem))
			best = q;
	return best;
}

/* ---- lines -------------------------------------------------------------- */

enum { EL_JOINT, EL_SPACE, EL_BLANK };

/* Splits amount over k->el[0, n) in proportion to their weights, exactly. */
static void distribute(struct comp *k, int n, int64_t amount, int sign)
{
	int64_t total = 0, cum = 0, given = 0;
	for (int q = 0; q < n; q++)
		total += k->el[q].w;
	if (total <= 0 || amount == 0)
		return;
	for (int q = 0; q < n; q++) {
		cum += k->el[q].w;
		int64_t upto = amount * cum / total;
		int a = (int)(upto - given) * sign;
		given = upto;
		int i = k->el[q].i;
		switch (k->el[q].kind) {
		case EL_JOINT:
			k->jg[i] += a;
			break;
		case EL_SPACE:
			k->spw[i] += a;
			break;
		default:	/* a blank: shrinking removes it */
			if (k->c[i].blank == BL_LEFT)
				k->lead[i] += a;
			else
				k->trail[i] += a;
			break;
		}
	}
}

/* Justification amounts for a line [s, e): t > 0 stretches, t < 0 shrinks. */
static void justify(struct comp *k, int s, int e, int64_t t)
{
	const struct clu *c = k->c;
	int n = 0;
	if (t > 0) {
		int64_t y1 = 0;
		for (int i = s; i < e; i++) {
			if (c[i].y1 > 0)
				k->el[n++] = (struct dist){ EL_SPACE, i, c[i].y1 }, y1 += c[i].y1;
			if (i + 1 < e && c[i].gy1 > 0)
				k->el[n++] = (struct dist){ EL_JOINT, i, c[i].gy1 }, y1 += c[i].gy1;
		}
		if (t <= y1) {
			distribute(k, n, t, 1);
			return;
		}
		int64_t lt = k->o->latin ? line_letters(k, s, e) : 0;
		if (lt > 0) {	/* Latin: letters take what the spaces cannot */
			int64_t a = t - y1 < lt ? t - y1 : lt;
			int nl = 0;
			for (int i = s; i + 1 < e; i++)
				if (c[i].gl > 0)
					k->el[n + nl++] = (struct dist){ EL_JOINT, i, c[i].gl };
			distribute(k, n, t - a, 1);
			memmove(k->el, k->el + n, (size_t)nl * sizeof(*k->el));
			distribute(k, nl, a, 1);
			return;
		}
		int n1 = n;
		int n2 = 0;
		for (int i = s; i + 1 < e; i++)
			if (c[i].gy2 > 0)
				k->el[n1 + n2++] = (struct dist){ EL_JOINT, i, 1 };
		if (n2 > 0) {
			distribute(k, n1, y1, 1);
			memmove(k->el, k->el + n1, (size_t)n2 * sizeof(*k->el));
			distribute(k, n2, t - y1, 1);
		} else {
			distribute(k, n1, t, 1);	/* beyond their limits: nothing else */
		}
		return;
	}
	int64_t need = -t, zp = 0;
	for (int i = s; i < e; i++) {
		if (c[i].z <= 0)
			continue;
		if ((i == s && c[i].sa < 0) || (i == e - 1 && c[i].ea < 0))
			continue;	/* trimmed at the line's edge already */
		k->el[n++] = (struct dist){ EL_BLANK, i, c[i].z };
		zp += c[i].z;
	}
	int64_t a = need < zp ? need : zp;
	distribute(k, n, a, -1);
	need -= a;
	if (need <= 0)
		return;
	n = 0;
	int64_t zg = 0;
	for (int i = s; i < e; i++) {
		if (c[i].zs > 0)
			k->el[n++] = (struct dist){ EL_SPACE, i, c[i].zs }, zg += c[i].zs;
		if (i + 1 < e && c[i].gz > 0)
			k->el[n++] = (struct dist){ EL_JOINT, i, c[i].gz }, zg += c[i].gz;
	}
	distribute(k, n, need < zg ? need : zg, -1);
	need -= need < zg ? need : zg;
	if (need <= 0 || !k->o->latin)
		return;
	n = 0;	/* Latin: letters closer, the spaces at their least */
	int64_t lt = 0;
	for (int i = s; i + 1 < e; i++)
		if (c[i].gl > 0)
			k->el[n++] = (struct dist){ EL_JOINT, i, c[i].gl }, lt += c[i].gl;
	distribute(k, n, need < lt ? need : lt, -1);
}

/* The number of characters in text[0, off).  Lines ask in text order, so
 * counting on from the last answer keeps a paragraph linear even when one
 * item spans thousands of lines. */
static int char_index(struct comp *k, int off)
{
	if (off < k->cur_byte)
		k->cur_byte = k->cur_char = 0;
	k->cur_char += (int)g_utf8_strlen(k->text + k->cur_byte, off - k->cur_byte);
	k->cur_byte = off;
	return k->cur_char;
}

/* Item it cut to the bytes [a, b). */
static PangoItem *item_slice(struct comp *k, int it, int a, int b)
{
	PangoItem *r = pango_item_copy(k->items[it]);
	int ca = char_index(k, a), cb = char_index(k, b);
	if (a > r->offset) {
		PangoItem *head = pango_item_split(r, a - r->offset, ca - k->item_char[it]);
		pango_item_free(head);
	}
	if (b < r->offset + r->length) {
		PangoItem *mid = pango_item_split(r, b - a, cb - ca);
		pango_item_free(r);
		r = mid;
	}
	return r;
}

static struct cline *new_line(struct comp *k)
{
	struct cpara *p = k->out;
	if (p->nlines == k->caplines) {
		k->caplines = k->caplines ? 2 * k->caplines : 16;
		p->lines = xrealloc(p->lines, (size_t)k->caplines * sizeof(*p->lines));
	}
	struct cline *cl = &p->lines[p->nlines++];
	memset(cl, 0, sizeof(*cl));
	return cl;
}

static void base_metrics(struct comp *k, int *ascent, int *descent)
{
	PangoFont *f = pango_context_load_font(k->ctx, k->base);
	*ascent = *descent = 0;
	if (!f)
		return;
	font_extents(f, ascent, descent);
	g_object_unref(f);
}

/* Sets the line of clusters [s, p) whose content is [s, e). */
static void build_line(struct comp *k, int s, int e, int p, int lineno, int last, int over)
{
	const struct clu *c = k->c;
	const struct compose_opts *o = k->o;
	struct cline *cl = new_line(k);
	cl->measure = lineno == 0 ? k->m0 : k->m1;
	int x = lineno == 0 ? k->x0 : k->x1;
	for (int i = s; i < p; i++) {
		k->lead[i] = -c[i].rm_l;
		k->trail[i] = -c[i].rm_r;
		k->spw[i] = i < e ? c[i].w : 0;
		k->jg[i] = i + 1 < e ? c[i].gap : 0;
	}
	if (e > s) {
		k->lead[s] += c[s].sa;
		k->trail[e - 1] += c[e - 1].ea;
		int64_t w, y, z;
		line_measure(k, s, e, &w, &y, &z);
		int64_t t = cl->measure - w;
		if ((t > 0 && o->align == ALIGN_JUSTIFY && !last) || t < 0)
			justify(k, s, e, t);
	}
	/* a joint's gap goes on the wide side, never into a Latin word */
	for (int i = s; i + 1 < e; i++) {
		if (!k->jg[i])
			continue;
		if ((c[i].flags & F_NARROW_END) && !(c[i + 1].flags & F_NARROW))
			k->lead[i + 1] += k->jg[i];
		else
			k->trail[i] += k->jg[i];
	}
	/* word spaces, in 1/1000 em of their font */
	if (o->latin) {
		for (int i = s; i < e; i++) {
			if (!is_space(&c[i]) || c[i].cp == '\t' || c[i].em <= 0)
				continue;
			int m = (int)(((int64_t)k->spw[i] * 1000 + c[i].em / 2) / c[i].em);
			if (!cl->spaces || m < cl->space_min)
				cl->space_min = m;
			if (!cl->spaces || m > cl->space_max)
				cl->space_max = m;
			cl->spaces++;
		}
		for (int i = s; i + 1 < e; i++) {
			if (!c[i].gl || !k->jg[i])
				continue;
			int m = (int)(((int64_t)k->jg[i] * 1000 + (k->jg[i] > 0 ? 1 : -1) * c[i].em / 2) / c[i].em);
			if (abs(m) > abs(cl->letter_space))
				cl->letter_space = m;
		}
	}
	/* a line ending at a hyphenation point inside a word adds a hyphen */
	int hyph = e == p && e > s && p < k->n && (c[e - 1].flags & F_HYPH) && c[e - 1].hy > 0;
	/* runs: one per item piece, and the hyphen's */
	int pen = 0, nr = hyph;
	for (int i = s; i < p; ) {
		int j = i;
		while (j < p && c[j].item == c[i].item)
			j++;
		nr++;
		i = j;
	}
	cl->runs = xcalloc((size_t)(nr ? nr : 1), sizeof(*cl->runs));
	cl->ascent = cl->descent = 0;
	for (int i = s; i < p; ) {
		int it = c[i].item, j = i;
		while (j < p && c[j].item == it)
			j++;
		const PangoGlyphString *src = k->glyphs[it];
		int a = c[i].off, b = c[j - 1].off + c[j - 1].len;
		int g0 = c[i].g0 < c[j - 1].g0 ? c[i].g0 : c[j - 1].g0;
		int g1 = c[i].g1 > c[j - 1].g1 ? c[i].g1 : c[j - 1].g1;
		PangoGlyphString *gs = pango_glyph_string_new();
		pango_glyph_string_set_size(gs, g1 - g0);
		memcpy(gs->glyphs, src->glyphs + g0, (size_t)(g1 - g0) * sizeof(*gs->glyphs));
		int shift = a - k->items[it]->offset;
		for (int g = g0; g < g1; g++)
			gs->log_clusters[g - g0] = src->log_clusters[g] - shift;
		for (int q = i; q < j; q++) {
			PangoGlyphGeometry *first, *lastg;
			int rtl = c[q].flags & F_RTL;
			first = &gs->glyphs[(rtl ? c[q].g1 - 1 : c[q].g0) - g0].geometry;
			lastg = &gs->glyphs[(rtl ? c[q].g0 : c[q].g1 - 1) - g0].geometry;
			if (is_space(&c[q]) || c[q].cls == C_NL) {
				for (int g = c[q].g0; g < c[q].g1; g++)
					gs->glyphs[g - g0].geometry.width = 0;
				first->width = is_space(&c[q]) ? k->spw[q] : 0;
				continue;
			}
			if (rtl) {	/* leading space is on the right */
				first->width += k->lead[q];
				lastg->x_offset += k->trail[q];
				lastg->width += k->trail[q];
			} else {
				first->x_offset += k->lead[q];
				first->width += k->lead[q];
				lastg->width += k->trail[q];
			}
		}
		PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);
		gi->item = item_slice(k, it, a, b);
		gi->glyphs = gs;
		struct crun *r = &cl->runs[cl->nruns++];
		r->gi = gi;
		r->x = pen;
		for (int g = 0; g < gs->num_glyphs; g++)
			pen += gs->glyphs[g].geometry.width;
		const struct fontinfo *fi = k->finfo[it];
		if (fi->ascent > cl->ascent)
			cl->ascent = fi->ascent;
		if (fi->descent > cl->descent)
			cl->descent = fi->descent;
		i = j;
	}
	if (hyph) {
		int it = c[e - 1].item;
		const struct fontinfo *fi = k->finfo[it];
		PangoItem *item = pango_item_copy(k->items[it]);
		item->offset = 0;
		item->length = 1;
		item->num_chars = 1;
		PangoGlyphString *gs = pango_glyph_string_new();
		pango_glyph_string_set_size(gs, 1);
		memset(&gs->glyphs[0], 0, sizeof(gs->glyphs[0]));
		gs->glyphs[0].glyph = fi->hy_glyph;
		gs->glyphs[0].geometry.width = fi->hy_w;
		gs->glyphs[0].attr.is_cluster_start = 1;
		gs->log_clusters[0] = 0;
		PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);
		gi->item = item;
		gi->glyphs = gs;
		struct crun *r = &cl->runs[cl->nruns++];
		r->gi = gi;
		r->x = pen;
		r->text = "-";
		pen += fi->hy_w;
		cl->hyphen = 1;
	}
	if (cl->nruns == 0)
		base_metrics(k, &cl->ascent, &cl->descent);
	cl->width = pen;
	cl->overfull = pen > cl->measure ? pen - cl->measure : 0;
	if (over > cl->overfull)
		cl->overfull = over;
	int slack = cl->measure - pen;
	if (slack > 0 && o->align == ALIGN_RIGHT)
		x += slack;
	else if (slack > 0 && o->align == ALIGN_CENTER)
		x += slack / 2;
	cl->x = x;
	if (s < p) {
		cl->start = c[s].off;
		cl->len = c[p - 1].off + c[p - 1].len - cl->start;
	} else {
		cl->start = s < k->n ? c[s].off : k->len;
	}
}

/* Lines of clusters [a, b); b is a forced break (not set) or the end. */
static void compose_segment(struct comp *k, int a, int b, int line0)
{
	int eb = b;
	while (eb > a && is_space(&k->c[eb - 1]))
		eb--;
	if (eb == a) {	/* an empty line */
		build_line(k, a, a, b, line0, 1, 0);
		return;
	}
	int fin = break_segment(k, a, b, eb, line0, 1);
	if (fin < 0)
		fin = break_segment(k, a, b, eb, line0, 2);
	if (fin < 0) {	/* cannot happen: pass 2 always ends; stay safe */
		build_line(k, a, eb, b, line0, 1, 0);
		return;
	}
	int nl = 0;
	for (int q = fin; k->nodes[q].prev >= 0; q = k->nodes[q].prev)
		nl++;
	int *chain = xmalloc((size_t)nl * sizeof(*chain));
	int q = fin;
	for (int i = nl - 1; i >= 0; i--, q = k->nodes[q].prev)
		chain[i] = q;
	for (int i = 0; i < nl; i++) {
		const struct kp_node *nd = &k->nodes[chain[i]];
		int s = k->nodes[nd->prev].pos;
		build_line(k, s, nd->e, nd->pos, line0 + i, i == nl - 1, nd->over);
	}
	free(chain);
}

/* ---- the entry points --------------------------------------------------- */

void compose_opts_init(struct compose_opts *o, int width)
{
	memset(o, 0, sizeof(*o));
	o->width = width;
	o->align = ALIGN_JUSTIFY;
	o->punct = COMPOSE_PUNCT_FULL;
	o->pair_one_em = 0;
	o->trim_line_start = 1;
	o->han_latin_em = 0.25;
	o->min_last_chars = 2;
	o->keep_gap = -1;
	o->space_min = 0.25;
	o->space_max = 0.5;
	o->hyph_min_word = 5;
	o->hyph_left = 2;
	o->hyph_right = 3;
	o->hyph_max_run = 2;
	o->letter_space = 0.03;
}

static void add_missing(struct cpara *p, int *cap, int offset, unsigned cp)
{
	if (p->nmissing == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		p->missing = xrealloc(p->missing, (size_t)*cap * sizeof(*p->missing));
	}
	p->missing[p->nmissing].offset = offset;
	p->missing[p->nmissing].cp = cp;
	p->nmissing++;
}

/* ---- compositions kept ------------------------------------------------- */

/* A paragraph composes to the same lines from the same text, attributes,
 * base font and options in the same context; what is composed is kept
 * with the context (fonts_context_table), by all of that, and a second
 * composition is a copy: the TOC's titles and the cover again on each
 * pass, running heads on every page, watch's paragraphs that an edit did
 * not touch.  At most keep_bytes of lines are kept (compose_keep): then
 * all go.  Texts longer than KEEP_TEXT are not kept. */
#define KEEP_TEXT (64 << 10)
static size_t keep_bytes = 2 << 20;	/* a render's passes; watch keeps its issue */

void compose_keep(size_t bytes)
{
	keep_bytes = bytes;
}

struct kept_para {
	struct cpara para;
	size_t bytes;
};

static size_t kept_total;	/* bytes of every table's lines: one context a process */

static void kept_para_free(gpointer p)
{
	struct kept_para *kp = p;
	kept_total -= kp->bytes;
	compose_free(&kp->para);
	g_free(kp);
}

/* What composes text: all compose_paragraph takes, as bytes. */
static GBytes *compose_key(const char *text, int len, PangoAttrList *attrs,
			   const PangoFontDescription *base, const struct compose_opts *o)
{
	struct sbuf k;
	sbuf_init(&k);
	sbuf_add(&k, (const char *)&len, sizeof(len));
	sbuf_add(&k, text, (size_t)len);
	char *a = attrs ? pango_attr_list_to_string(attrs) : NULL;
	char *f = base ? pango_font_description_to_string(base) : NULL;
	sbuf_printf(&k, "|%s|%s|", a ? a : "", f ? f : "");
	g_free(a);
	g_free(f);
	int ints[] = {o->width, o->first_width, o->indent, (int)o->align, (int)o->punct,
		      o->pair_one_em, o->trim_line_start, o->min_last_chars, o->strict_start,
		      o->keep_start, o->keep_end, o->keep_gap, o->latin, o->hyph_min_word,
		      o->hyph_left, o->hyph_right, o->hyph_max_run};
	double reals[] = {o->han_latin_em, o->space_min, o->space_max, o->letter_space};
	sbuf_add(&k, (const char *)ints, sizeof(ints));
	sbuf_add(&k, (const char *)reals, sizeof(reals));
	sbuf_add(&k, (const char *)&o->hyph, sizeof(o->hyph));
	size_t n = k.len;
	return g_bytes_new_take(sbuf_take(&k), n);
}

/* dst: a copy of src (its glyph items copied). */
static size_t cpara_copy(struct cpara *dst, const struct cpara *src)
{
	*dst = *src;
	size_t bytes = sizeof(*src);
	dst->lines = xcalloc((size_t)src->nlines + 1, sizeof(*dst->lines));
	for (int i = 0; i < src->nlines; i++) {
		const struct cline *from = &src->lines[i];
		struct cline *to = &dst->lines[i];
		*to = *from;
		to->runs = xcalloc((size_t)from->nruns + 1, sizeof(*to->runs));
		for (int r = 0; r < from->nruns; r++) {
			to->runs[r] = from->runs[r];
			to->runs[r].gi = pango_glyph_item_copy(from->runs[r].gi);
			bytes += sizeof(PangoGlyphItem) + sizeof(PangoItem) +
				 (size_t)from->runs[r].gi->glyphs->num_glyphs *
				     (sizeof(PangoGlyphInfo) + sizeof(int));
		}
		bytes += sizeof(*to) + (size_t)from->nruns * sizeof(*to->runs);
	}
	dst->missing = NULL;
	if (src->nmissing) {
		dst->missing = xmalloc((size_t)src->nmissing * sizeof(*dst->missing));
		memcpy(dst->missing, src->missing, (size_t)src->nmissing * sizeof(*dst->missing));
	}
	return bytes + (size_t)src->nmissing * sizeof(*dst->missing);
}

static int compose_new(struct cpara *out, PangoContext *ctx, const char *text, int len,
		       PangoAttrList *attrs, const PangoFontDescription *base,
		       const struct compose_opts *o);

int compose_paragraph(struct cpara *out, PangoContext *ctx, const char *text, int len,
		      PangoAttrList *attrs, const PangoFontDescription *base,
		      const struct compose_opts *o)
{
	if (len > KEEP_TEXT || keep_bytes == 0)
		return compose_new(out, ctx, text, len, attrs, base, o);
	GHashTable *kept = fonts_context_table(ctx, "bulletin-paragraphs", g_bytes_hash,
					       g_bytes_equal, (GDestroyNotify)g_bytes_unref,
					       kept_para_free);
	GBytes *key = compose_key(text, len, attrs, base, o);
	const struct kept_para *hit = g_hash_table_lookup(kept, key);
	if (hit) {
		cpara_copy(out, &hit->para);
		g_bytes_unref(key);
		return 0;
	}
	compose_new(out, ctx, text, len, attrs, base, o);
	struct kept_para *kp = g_new(struct kept_para, 1);
	kp->bytes = cpara_copy(&kp->para, out) + g_bytes_get_size(key);
	if (kept_total + kp->bytes > keep_bytes)
		g_hash_table_remove_all(kept);
	kept_total += kp->bytes;
	g_hash_table_insert(kept, key, kp);
	return 0;
}

static int compose_new(struct cpara *out, PangoContext *ctx, const char *text, int len,
		       PangoAttrList *attrs, const PangoFontDescription *base,
		       const struct compose_opts *o)
{
	memset(out, 0, sizeof(*out));
	struct comp k;
	memset(&k, 0, sizeof(k));
	k.ctx = ctx;
	k.text = text;
	k.len = len;
	k.o = o;
	k.out = out;
	k.base = base ? base : pango_context_get_font_description(ctx);

	int fw = o->first_width > 0 ? o->first_width : o->width;
	k.m0 = fw - (o->indent > 0 ? o->indent : 0);
	k.x0 = o->indent > 0 ? o->indent : 0;
	k.m1 = o->width - (o->indent < 0 ? -o->indent : 0);
	k.x1 = o->indent < 0 ? -o->indent : 0;

	/* items over the base font, as PangoLayout would make them */
	PangoAttrList *al = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
	PangoAttribute *fa = pango_attr_font_desc_new(k.base);
	fa->start_index = 0;
	fa->end_index = G_MAXUINT;
	pango_attr_list_insert_before(al, fa);
	GList *list = len > 0 ? pango_itemize(ctx, text, 0, len, al, NULL) : NULL;
	pango_attr_list_unref(al);
	k.nitems = (int)g_list_length(list);
	k.items = xcalloc((size_t)(k.nitems ? k.nitems : 1), sizeof(*k.items));
	k.glyphs = xcalloc((size_t)(k.nitems ? k.nitems : 1), sizeof(*k.glyphs));
	k.finfo = xcalloc((size_t)(k.nitems ? k.nitems : 1), sizeof(*k.finfo));
	k.item_char = xcalloc((size_t)(k.nitems ? k.nitems : 1), sizeof(*k.item_char));
	k.capfonts = k.nitems ? k.nitems : 1;
	k.fonts = xcalloc((size_t)k.capfonts, sizeof(*k.fonts));
	int i = 0, nglyphs = 0;
	for (GList *l = list; l; l = l->next, i++) {
		PangoItem *it = l->data;
		k.items[i] = it;
		k.glyphs[i] = pango_glyph_string_new();
		pango_shape_with_flags(text + it->offset, it->length, text, len, &it->analysis,
				       k.glyphs[i], PANGO_SHAPE_NONE);
		k.finfo[i] = font_info(&k, it->analysis.font);
		if (i > 0)
			k.item_char[i] = k.item_char[i - 1] + k.items[i - 1]->num_chars;
		nglyphs += k.glyphs[i]->num_glyphs;
	}
	g_list_free(list);

	/* characters no font can draw */
	int capmiss = 0;
	for (i = 0; i < k.nitems; i++) {
		const PangoGlyphString *gs = k.glyphs[i];
		for (int g = 0; g < gs->num_glyphs; g++) {
			if (!(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
				continue;
			unsigned cp;
			int off = k.items[i]->offset + gs->log_clusters[g];
			utf8_decode(text + off, &cp);
			if (cp != '\n' && cp != '\r' && cp != '\t')
				add_missing(out, &capmiss, off, cp);
		}
	}

	k.c = xcalloc((size_t)(nglyphs + 1), sizeof(*k.c));
	for (i = 0; i < k.nitems; i++)
		item_clusters(&k, i);
	k.keep_space = -1;
	for (i = 1; o->keep_end > o->keep_start && i < k.n; i++)
		if (k.c[i].off == o->keep_start && is_space(&k.c[i - 1]) && o->keep_gap >= 0)
			k.keep_space = i - 1;
	mark_urls(&k);
	punct_widths(&k);
	cluster_widths(&k);
	hyphen_points(&k);
	int n1 = k.n + 1;
	k.lead = xmalloc((size_t)n1 * sizeof(int));
	k.trail = xmalloc((size_t)n1 * sizeof(int));
	k.spw = xmalloc((size_t)n1 * sizeof(int));
	k.jg = xmalloc((size_t)n1 * sizeof(int));
	k.el = xmalloc((size_t)(2 * n1) * sizeof(*k.el));

	/* segments between forced breaks */
	int a = 0, line0 = 0;
	for (i = 0; i <= k.n; i++) {
		if (i < k.n && k.c[i].cls != C_NL)
			continue;
		compose_segment(&k, a, i, line0);
		line0 = 1;
		a = i + 1;
	}

	for (i = 0; i < k.nitems; i++) {
		pango_item_free(k.items[i]);
		pango_glyph_string_free(k.glyphs[i]);
	}
	free(k.items);
	free(k.glyphs);
	free(k.finfo);
	free(k.item_char);
	free(k.fonts);
	free(k.c);
	free(k.pw);
	free(k.py);
	free(k.pz);
	free(k.pu);
	free(k.pl);
	free(k.nodes);
	free(k.act);
	free(k.lead);
	free(k.trail);
	free(k.spw);
	free(k.jg);
	free(k.el);
	return 0;
}

void compose_free(struct cpara *p)
{
	for (int i = 0; i < p->nlines; i++) {
		for (int r = 0; r < p->lines[i].nruns; r++)
			pango_glyph_item_free(p->lines[i].runs[r].gi);
		free(p->lines[i].runs);
	}
	free(p->lines);
	free(p->missing);
	memset(p, 0, sizeof(*p));
}
