/* text.c: one block in its style at a measure -> shaped lines (Pango units).
 *
 * Terms: the "display" text is what is set: a heading's number label, its
 * title and its source label; a list item's marker and its text.  Spans of
 * the document model are shifted by the length of what is put before them.
 * Lines are composed by compose.c (clreq rules); nothing here draws: lines
 * keep their glyph runs for pdf.c to paint.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

/* The family of a style: layout.c has resolved "serif" and "sans" and
 * inherited what a style leaves out, so only a bare style falls back. */
static const char *style_family(const struct layout *lo, const struct style *st)
{
	return st->font ? st->font : lo->font_serif;
}

static PangoFontDescription *style_font(const struct layout *lo, const struct style *st)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, style_family(lo, st));
	pango_font_description_set_size(fd, (int)(st->size * PANGO_SCALE + 0.5));
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	return fd;
}

static guint16 color16(double v)
{
	return (guint16)(v < 0 ? 0 : v > 1 ? 65535 : v * 65535 + 0.5);
}

static void attr_insert(PangoAttrList *al, PangoAttribute *a, int start, int end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(al, a);
}

static void attr_color(PangoAttrList *al, struct color c, int start, int end)
{
	attr_insert(al, pango_attr_foreground_new(color16(c.r), color16(c.g), color16(c.b)),
		    start, end);
}

/* Every attribute of a style over [start, end): font, size, weight, colours. */
static void attr_style(PangoAttrList *al, const struct layout *lo, const struct style *st,
		       int start, int end)
{
	attr_insert(al, pango_attr_family_new(style_family(lo, st)), start, end);
	attr_insert(al, pango_attr_size_new((int)(st->size * PANGO_SCALE + 0.5)), start, end);
	attr_insert(al, pango_attr_weight_new(st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL),
		    start, end);
	attr_color(al, st->color, start, end);
}

/* The role of a block: its kind, a heading's level, a paragraph's quote. */
static enum role_id block_role_id(const struct block *b)
{
	switch (b->kind) {
	case BLOCK_HEADING:
		return role_heading(b->level);
	case BLOCK_ITEM:
		return ROLE_ITEM;
	case BLOCK_CODE:
		return ROLE_CODE;
	case BLOCK_IMAGE:
		return ROLE_CAPTION;
	case BLOCK_RULE:
		return ROLE_RULE;
	case BLOCK_CELL:
		return b->header ? ROLE_TABLE_HEAD : ROLE_TABLE;
	case BLOCK_TABLE_CAPTION:
		return ROLE_TABLE_CAPTION;
	case BLOCK_NOTE:
		return ROLE_NOTE;
	default:
		return b->quote_depth ? ROLE_QUOTE : ROLE_BODY;
	}
}

static int len_pango(struct len l, double size)
{
	return (int)((l.pt + l.em * size) * PANGO_SCALE + 0.5);
}

/* Width of a string in a font, Pango units. */
/* A width measured: the font and the text it was measured in. */
struct width_key {
	PangoFontDescription *fd;
	char *s;
};

static guint width_hash(gconstpointer p)
{
	const struct width_key *k = p;
	return pango_font_description_hash(k->fd) * 31 + g_str_hash(k->s);
}

static gboolean width_equal(gconstpointer a, gconstpointer b)
{
	const struct width_key *x = a, *y = b;
	return !strcmp(x->s, y->s) && pango_font_description_equal(x->fd, y->fd);
}

static void width_key_free(gpointer p)
{
	struct width_key *k = p;
	pango_font_description_free(k->fd);
	g_free(k->s);
	g_free(k);
}

/* The widths measured in a context, kept with it (fonts_context_table): a
 * PangoLayout is ~10 us a width, and the TOC asks for its leader's, its
 * zeros' and its page numbers' again for every entry, every pass (450
 * widths, 5 ms of the reference issue).  Values: width + 1, Pango units. */
static int text_width(PangoContext *ctx, const PangoFontDescription *fd, const char *s)
{
	GHashTable *widths = fonts_context_table(ctx, "bulletin-widths", width_hash, width_equal,
						 width_key_free, NULL);
	struct width_key probe = {(PangoFontDescription *)fd, (char *)s};
	gpointer found = g_hash_table_lookup(widths, &probe);
	if (found)
		return GPOINTER_TO_INT(found) - 1;
	PangoLayout *pl = pango_layout_new(ctx);
	pango_layout_set_font_description(pl, fd);
	pango_layout_set_text(pl, s, -1);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	g_object_unref(pl);
	struct width_key *k = g_new(struct width_key, 1);
	k->fd = pango_font_description_copy(fd);
	k->s = g_strdup(s);
	g_hash_table_insert(widths, k, GINT_TO_POINTER(logical.width + 1));
	return logical.width;
}

/* Warns once per character that no face of the font set can draw, at the
 * source line the character came from. */
static void check_glyphs(struct tblock *tb, const char *file, struct diags *d)
{
	if (!d)
		return;
	unsigned seen[16];
	int nseen = 0;
	for (int i = 0; i < tb->parts[0].para.nmissing; i++) {
		const struct cmissing *m = &tb->parts[0].para.missing[i];
		int k;
		for (k = 0; k < nseen && seen[k] != m->cp; k++)
			;
		if (k < nseen)
			continue;
		if (nseen < 16)
			seen[nseen++] = m->cp;
		int line = tb->src ? tb->src->line : 0;
		int col = tb->src ? tb->src->col : 0;
		int at = m->offset - tb->text_at;
		if (tb->src && tb->src->src_line && at >= 0 && at < tb->src->len)
			line = tb->src->src_line[at], col = 0;
		diag_add(d, SEV_WARNING, file, line, col, "no glyph for U+%04X in the project's fonts",
			 m->cp);
	}
}

/* The x range (Pango units from the line's left edge) of the glyphs of a
 * line whose text lies in [start, end).  Returns 0 if none. */
static int line_x_range(const struct cline *cl, int start, int end, int *x0, int *x1)
{
	int found = 0;
	for (int r = 0; r < cl->nruns; r++) {
		const PangoGlyphItem *gi = cl->runs[r].gi;
		const PangoGlyphString *gs = gi->glyphs;
		int x = cl->runs[r].x;
		if (cl->runs[r].text)
			continue;	/* a hyphen: no bytes of the text */
		for (int g = 0; g < gs->num_glyphs; g++) {
			int off = gi->item->offset + gs->log_clusters[g];
			int w = gs->glyphs[g].geometry.width;
			if (off >= start && off < end) {
				if (!found || x < *x0)
					*x0 = x;
				if (!found || x + w > *x1)
					*x1 = x + w;
				found = 1;
			}
			x += w;
		}
	}
	return found;
}

/* Link areas of a byte range of the display text, one per line it touches. */
static void add_links(struct tblock *tb, int start, int end, const char *href)
{
	for (int i = 0; i < tb->nlines; i++) {
		const struct tline *tl = &tb->lines[i];
		int x0, x1;
		/* only lines whose bytes (and forced '\n') meet the range: a
		 * paragraph of many links stays linear in its glyphs per link */
		if (tl->start > end || tl->start + tl->len < start)
			continue;
		if (!line_x_range(tl->cl, start, end, &x0, &x1))
			continue;
		tb->links = xrealloc(tb->links, (size_t)(tb->nlinks + 1) * sizeof(*tb->links));
		struct tlink *lk = &tb->links[tb->nlinks++];
		lk->line = i;
		lk->x0 = tl->x + x0;
		lk->x1 = tl->x + x1;
		lk->start = start;
		lk->end = end;
		lk->href = href;
	}
}

/* Backgrounds of a byte range (a tag such as the source label), per line. */
static void add_decos(struct tblock *tb, int start, int end, const struct style *st)
{
	if (st->background.a <= 0)
		return;
	int pad = (int)(st->padding * PANGO_SCALE);
	for (int i = 0; i < tb->nlines; i++) {
		const struct tline *tl = &tb->lines[i];
		int x0, x1;
		if (!line_x_range(tl->cl, start, end, &x0, &x1))
			continue;
		tb->decos = xrealloc(tb->decos, (size_t)(tb->ndecos + 1) * sizeof(*tb->decos));
		struct tdeco *dc = &tb->decos[tb->ndecos++];
		dc->line = i;
		dc->x0 = tl->x + x0 - pad;
		dc->x1 = tl->x + x1 + pad;
		/* the tag's own font decides its height: size plus padding */
		dc->ascent = (int)(st->size * st->tag_ascent * PANGO_SCALE) + pad;
		dc->descent = (int)(st->size * st->tag_descent * PANGO_SCALE) + pad;
		dc->color = st->background;
	}
}

static void compose_opts_from(struct compose_opts *o, const struct layout *lo,
			      const struct style *st, int width)
{
	compose_opts_init(o, width);
	o->align = st->align;
	if (lo->typo.given) {
		o->punct = lo->typo.punct;
		o->pair_one_em = lo->typo.pair_one_em;
		o->trim_line_start = lo->typo.trim_line_start;
		o->han_latin_em = lo->typo.han_latin.em + lo->typo.han_latin.pt / st->size;
		o->min_last_chars = lo->typo.min_last_chars;
		o->strict_start = lo->typo.strict_start;
	}
}

/* Where byte off of text is seen to start on composed line cl: its glyph's
 * origin, or for a full-width opening mark its ink (the right half of its
 * em, whatever of its blank is left), as a line that starts with one shows
 * it when the blank is trimmed.  Pango units from the paragraph's left
 * edge; -1 if the line does not hold it. */
static int text_x(const struct cline *cl, const char *text, int off)
{
	unsigned cp = 0;
	utf8_decode(text + off, &cp);
	int opening = g_unichar_break_type(cp) == G_UNICODE_BREAK_OPEN_PUNCTUATION &&
		      (g_unichar_iswide(cp) || g_unichar_iswide_cjk(cp));
	for (int r = 0; r < cl->nruns; r++) {
		const PangoGlyphItem *gi = cl->runs[r].gi;
		if (cl->runs[r].text)
			continue;	/* a hyphen of its own */
		int x = cl->x + cl->runs[r].x;
		for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
			const PangoGlyphGeometry *geo = &gi->glyphs->glyphs[g].geometry;
			if (gi->item->offset + gi->glyphs->log_clusters[g] < off) {
				x += geo->width;
				continue;
			}
			if (!opening)
				return x + geo->x_offset;
			PangoFontDescription *fd = pango_font_describe(gi->item->analysis.font);
			int em = pango_font_description_get_size(fd);
			pango_font_description_free(fd);
			return x + geo->width - em / 2;
		}
	}
	return -1;
}

/* A justified paragraph, item or note of Latin text (English): its word
 * spaces kept in the layout's tolerance, its words hyphenated. */
static void latin_opts(struct compose_opts *o, const struct layout *lo, const struct style *st,
		       const struct block *b)
{
	if ((b->kind != BLOCK_PARA && b->kind != BLOCK_ITEM && b->kind != BLOCK_NOTE) ||
	    st->align != ALIGN_JUSTIFY || !tags_latin(b->text, b->len))
		return;
	const struct len *a = &lo->typo.latin.space_min, *z = &lo->typo.latin.space_max;
	o->latin = 1;
	o->space_min = a->em + a->pt / st->size;
	o->space_max = z->em + z->pt / st->size;
	o->letter_space = lo->typo.latin.letter_space.em + lo->typo.latin.letter_space.pt / st->size;
	o->hyph = lo->typo.latin.hyphenate ? hyph_lookup(lo->typo.latin.dictionary_path) : NULL;
	o->hyph_min_word = lo->typo.latin.min_word;
	o->hyph_left = lo->typo.latin.min_left;
	o->hyph_right = lo->typo.latin.min_right;
	o->hyph_max_run = lo->typo.latin.max_consecutive;
}

/* What one setting of a block takes: the block, its styles and measure. */
struct setting {
	const struct block *b;
	const struct style *st, *region, *label;	/* the block's, its tags' */
	const char *number;	/* a heading's number label, a note's number, or NULL */
	const int *marks;	/* footnote marks: [start, end) pairs in b's text, set small */
	int nmarks;
	int measure, reserve;	/* Pango units; reserve: kept free at each line's right */
	const char *file;	/* for messages */
	struct diags *d;	/* NULL: no messages */
	const struct tlist *list;	/* a list item's hanging box; NULL: its own marker's */
};

/* The block's left edge and measure: margins, nesting, padding; spaces.
 * A list item's paragraph after its first starts at the list's text edge;
 * a block in a quote keeps the quote's right margin, once per level. */
static void set_geometry(struct tblock *tb, const struct layout *lo, const struct setting *s)
{
	const struct block *b = s->b;
	const struct style *st = s->st, *quote = &lo->role[ROLE_QUOTE];
	tb->left = len_pango(st->margin_left, st->size);
	if (b->kind == BLOCK_ITEM && s->list)
		tb->left += s->list->indent + (b->marker ? 0 : s->list->box);
	else if (b->kind == BLOCK_ITEM && b->list_depth > 1)
		tb->left += (b->list_depth - 1) * len_pango(st->margin_left, st->size);
	if (b->quote_depth > 1)
		tb->left += (b->quote_depth - 1) * len_pango(quote->margin_left, st->size);
	if (tb->left > s->measure / 2)	/* deep nesting: keep a usable measure */
		tb->left = s->measure / 2;
	int right = len_pango(st->margin_right, st->size);
	if (b->quote_depth > 0)
		right = (st == quote ? 0 : right) + b->quote_depth * len_pango(quote->margin_right, st->size);
	if (right > s->measure / 4)
		right = s->measure / 4;
	tb->width = s->measure - tb->left - right;
	if (st->background.a > 0 && b->kind != BLOCK_IMAGE) {
		/* text on a ground keeps its padding from the ground's edges */
		int pad = (int)(st->padding * PANGO_SCALE);
		if (pad < tb->width / 4) {
			tb->left += pad;
			tb->width -= 2 * pad;
		}
	}
	tb->space_before = len_pango(st->space_before, st->size);
	tb->space_after = len_pango(st->space_after, st->size);
}

/* A list marker as set: an unordered list's bullet is the layout's glyph
 * (the model's "•" when it names none); *bullet says which it is. */
static const char *item_marker(const struct style *st, const char *marker, int *bullet)
{
	*bullet = !(marker[0] >= '0' && marker[0] <= '9');
	return *bullet && st->bullet && *st->bullet ? st->bullet : marker;
}

/* A bullet's size, over the marker's bytes [0, len). */
static void marker_attrs(PangoAttrList *al, const struct style *st, int bullet, int len)
{
	if (bullet && st->bullet_size > 0 && st->bullet_size != 1)
		attr_insert(al, pango_attr_size_new((int)(st->size * st->bullet_size * PANGO_SCALE + 0.5)),
			    0, len);
}

/* Composes a marker and the blank after it (text[0, len)) as one line of
 * its own, ragged: the line's width is the marker's width as set. */
static void compose_marker(struct cpara *out, PangoContext *ctx, const struct layout *lo,
			   const struct style *st, const PangoFontDescription *fd, const char *text,
			   int len, PangoAttrList *al)
{
	struct compose_opts o;
	compose_opts_from(&o, lo, st, 14400 * PANGO_SCALE);
	o.align = ALIGN_LEFT;
	o.indent = 0;
	compose_paragraph(out, ctx, text, len, al, fd, &o);
}

/* The display text (prefix + text + source label) as part 0; the prefix
 * (number or marker) ends at tb->text_at.  Returns where the label starts,
 * or -1. */
static int set_display(struct tblock *tb, const struct setting *s, const char **prefix)
{
	const struct block *b = s->b;
	int bullet;
	*prefix = (b->kind == BLOCK_HEADING || b->kind == BLOCK_NOTE) && s->number ? s->number
		  : b->kind == BLOCK_ITEM && b->marker ? item_marker(s->st, b->marker, &bullet)
						       : NULL;
	struct sbuf sb;
	sbuf_init(&sb);
	if (*prefix) {
		sbuf_str(&sb, *prefix);
		if (b->kind == BLOCK_ITEM || b->kind == BLOCK_NOTE)
			sbuf_str(&sb, " ");
	}
	tb->text_at = (int)sb.len;
	sbuf_add(&sb, b->text, (size_t)b->len);
	int label_at = -1;
	if (b->kind == BLOCK_HEADING && b->source_label && *b->source_label) {
		sbuf_str(&sb, " ");
		label_at = (int)sb.len;
		sbuf_str(&sb, b->source_label);
	}
	tb->parts[0].text = sbuf_take(&sb);
	tb->nparts = 1;
	return label_at;
}

/* The end of an entry title's 【region】 tag in the display text, or -1. */
static int region_end(const struct tblock *tb, const struct block *b)
{
	int n;
	const char *r = issue_region(b, &n);
	return r ? tb->text_at + (int)(r - b->text) + n + 3 : -1;	/* past the 】 */
}

/* The attributes of the display text: colour, the region and label tags'
 * styles, and the spans' bold, emphasis, code and links. */
static PangoAttrList *set_attrs(const struct tblock *tb, const struct layout *lo,
				const struct setting *s, int region, int label_at, int total)
{
	const struct block *b = s->b;
	PangoAttrList *al = pango_attr_list_new();
	attr_color(al, s->st->color, 0, total);
	if (region > 0)
		attr_style(al, lo, s->region, tb->text_at, region);
	for (int i = 0; i < b->nspans; i++) {
		const struct span *sp = &b->spans[i];
		int st = tb->text_at + sp->start, e = tb->text_at + sp->end;
		if (sp->flags & SPAN_BOLD)
			attr_insert(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), st, e);
		if (sp->flags & SPAN_ITALIC)	/* Chinese emphasis: the sans face, never a slant */
			attr_insert(al, pango_attr_family_new(lo->font_sans), st, e);
		if (sp->flags & SPAN_CODE)
			attr_style(al, lo, &lo->role[ROLE_CODE], st, e);
		if ((sp->flags & SPAN_LINK) && sp->href && *sp->href)
			attr_color(al, lo->role[ROLE_LINK].color, st, e);
	}
	if (label_at >= 0)
		attr_style(al, lo, s->label, label_at, total);
	for (int i = 0; i < s->nmarks; i++)	/* a footnote mark: smaller, raised after */
		attr_insert(al, pango_attr_size_new((int)(s->st->size * lo->notes.mark_size * PANGO_SCALE)),
			    tb->text_at + s->marks[2 * i], tb->text_at + s->marks[2 * i + 1]);
	return al;
}

/* The issue line of byte `at` of b's text (before the text, as a
 * heading's number is: its first byte's); without a per-byte record, the
 * block's line. */
static int src_line_at(const struct block *b, int at)
{
	if (b->src_line && b->len > 0)
		return b->src_line[at < 0 ? 0 : at < b->len ? at : b->len - 1];
	return b->line;
}

/* The composed lines of part 0, each on the style's grid. */
static void set_lines(struct tblock *tb, const struct setting *s)
{
	const struct cpara *para = &tb->parts[0].para;
	int pitch = (int)(s->st->size * s->st->line_height * PANGO_SCALE + 0.5);
	tb->nlines = para->nlines;
	tb->lines = xcalloc((size_t)tb->nlines + 1, sizeof(*tb->lines));	/* + a tail */
	for (int i = 0; i < tb->nlines; i++) {
		struct tline *tl = &tb->lines[i];
		const struct cline *cl = &para->lines[i];
		tl->cl = cl;
		tl->text = tb->parts[0].text;
		tl->x = cl->x;
		tl->ascent = cl->ascent;
		tl->descent = cl->descent;
		tl->pitch = pitch > cl->ascent + cl->descent ? pitch : cl->ascent + cl->descent;
		tl->start = cl->start;
		tl->len = cl->len;
		tl->src_line = src_line_at(s->b, cl->start - tb->text_at);
		if (cl->overfull > 0 && s->d)
			diag_add(s->d, SEV_WARNING, s->file, s->b->line, 0, "overfull line: %.1fpt too wide",
				 (double)cl->overfull / PANGO_SCALE);
	}
}

/* A bullet set at `size` of the text's size is raised so that its ink's
 * centre stands where the full-size glyph's would: at the text's middle
 * for a dot such as ● (its glyphs are the line's bytes before `end`). */
static void raise_bullet(struct cline *cl, int end, double size)
{
	if (size <= 0 || size == 1)
		return;
	for (int r = 0; r < cl->nruns; r++) {
		PangoGlyphItem *gi = cl->runs[r].gi;
		if (gi->item->offset >= end)
			break;
		for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
			PangoGlyphInfo *gl = &gi->glyphs->glyphs[g];
			PangoRectangle ink;
			pango_font_get_glyph_extents(gi->item->analysis.font, gl->glyph, &ink, NULL);
			if (ink.height <= 0)
				continue;
			double centre = -(ink.y + ink.height / 2.0);
			gl->geometry.y_offset -= (int)(centre * (1 - size) / size + 0.5);
		}
	}
}

/* A list item's first paragraph: the marker in a hanging box, the text
 * composed on its own at the box's right edge, so that its first line and
 * the lines after it share one edge.  The marker (with its blank) is
 * composed as a line of its own and measured there; its runs are put in
 * front of the text's first line, at its place in the box (marker_align).
 * Part 0 then reads as if composed whole: the text's glyph items are moved
 * to their offsets in the display text. */
static void set_item(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		     const struct setting *s, PangoAttrList *al, const PangoFontDescription *fd,
		     int total, int bullet)
{
	const struct style *st = s->st;
	const char *display = tb->parts[0].text;
	int at = tb->text_at;
	struct cpara mk, bd;
	compose_marker(&mk, ctx, lo, st, fd, display, at, al);
	int mw = mk.nlines ? mk.lines[0].width : 0;
	int gap = len_pango(st->marker_gap, st->size);
	int box = s->list && s->list->box > mw + gap ? s->list->box : mw + gap;
	if (box > tb->width / 2)	/* a marker wider than half the measure */
		box = tb->width / 2;

	struct compose_opts o;
	compose_opts_from(&o, lo, st, tb->width - box - s->reserve);
	latin_opts(&o, lo, st, s->b);
	o.indent = 0;
	PangoAttrList *tail = pango_attr_list_copy(al);
	pango_attr_list_update(tail, 0, at, 0);	/* offsets from the text's start */
	compose_paragraph(&bd, ctx, display + at, total - at, tail, fd, &o);
	pango_attr_list_unref(tail);
	for (int i = 0; i < bd.nlines; i++) {
		struct cline *cl = &bd.lines[i];
		cl->start += at;
		cl->x += box;
		for (int r = 0; r < cl->nruns; r++)
			cl->runs[r].gi->item->offset += at;
	}
	for (int i = 0; i < bd.nmissing; i++)
		bd.missing[i].offset += at;

	struct cpara *p = &tb->parts[0].para;
	*p = bd;
	if (p->nlines == 0) {	/* no line (the composer always makes one): the marker alone */
		free(p->lines);
		p->lines = xcalloc(1, sizeof(*p->lines));
		p->nlines = 1;
		p->lines[0].start = at;
		p->lines[0].x = box;
	}
	struct cline *first = &p->lines[0];
	if (mk.nlines) {
		struct cline *m = &mk.lines[0];
		int mx = st->marker_align == ALIGN_LEFT ? 0
			 : st->marker_align == ALIGN_CENTER ? (box - gap - mw) / 2
							    : box - gap - mw;
		struct crun *runs = xcalloc((size_t)(m->nruns + first->nruns + 1), sizeof(*runs));
		for (int r = 0; r < m->nruns; r++)
			runs[r] = (struct crun){m->runs[r].gi, mx + m->runs[r].x, NULL};
		for (int r = 0; r < first->nruns; r++) {	/* a hyphen run keeps its text */
			runs[m->nruns + r] = first->runs[r];
			runs[m->nruns + r].x += first->x;
		}
		free(first->runs);
		first->runs = runs;
		first->nruns += m->nruns;
		first->width += first->x;
		first->measure += box;
		first->x = 0;
		first->len += first->start;
		first->start = 0;
		if (m->ascent > first->ascent)
			first->ascent = m->ascent;
		if (m->descent > first->descent)
			first->descent = m->descent;
		free(m->runs);	/* its glyph items are the first line's now */
	}
	if (bullet)
		raise_bullet(first, at, st->bullet_size);
	if (mk.nmissing) {
		p->missing = xrealloc(p->missing, (size_t)(p->nmissing + mk.nmissing) * sizeof(*p->missing));
		memmove(p->missing + mk.nmissing, p->missing, (size_t)p->nmissing * sizeof(*p->missing));
		memcpy(p->missing, mk.missing, (size_t)mk.nmissing * sizeof(*p->missing));
		p->nmissing += mk.nmissing;
	}
	p->work += mk.work;
	free(mk.lines);
	free(mk.missing);
}

/* Sets the block s->b in its style on its measure (Pango units): the core
 * of every text_ entry point. */
static void text_set(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		     const struct setting *s)
{
	const struct block *b = s->b;
	memset(tb, 0, sizeof(*tb));
	tb->src = b;
	tb->style = s->st;
	tb->heading = b->kind == BLOCK_HEADING ? b->level : 0;
	tb->number = s->number ? xstrdup(s->number) : NULL;
	if (b->kind == BLOCK_HEADING)
		tb->plain = xstrndup(b->text, (size_t)b->len);
	set_geometry(tb, lo, s);
	const char *prefix;
	int label_at = set_display(tb, s, &prefix);
	const char *display = tb->parts[0].text;
	int total = (int)strlen(display), region = region_end(tb, b);

	PangoFontDescription *fd = style_font(lo, s->st);
	PangoAttrList *al = set_attrs(tb, lo, s, region, label_at, total);
	if (prefix && b->kind == BLOCK_ITEM) {
		int bullet;
		item_marker(s->st, b->marker, &bullet);
		marker_attrs(al, s->st, bullet, tb->text_at - 1);
		set_item(tb, ctx, lo, s, al, fd, total, bullet);
	} else {
		struct compose_opts o;
		compose_opts_from(&o, lo, s->st, tb->width - s->reserve);
		latin_opts(&o, lo, s->st, b);
		if (prefix) {
			/* the number hangs: wrapped lines start under the text (a first
			 * guess, measured on the composed line below) */
			char *pre = xstrndup(display, (size_t)tb->text_at);
			o.indent = -text_width(ctx, fd, pre);
			free(pre);
		} else {
			o.indent = len_pango(s->st->indent, s->st->size);
		}
		if (label_at > 0) {	/* the source label: one box, at the layout's gap */
			o.keep_start = label_at;
			o.keep_end = total;
			struct len g = lo->typo.given ? lo->typo.label_gap : (struct len){0, 0.5};
			o.keep_gap = len_pango(g, s->st->size);
		}
		struct cpara *para = &tb->parts[0].para;
		compose_paragraph(para, ctx, display, total, al, fd, &o);
		/* the hang is where the title starts on the composed first line
		 * (its number's marks compressed as they are set), so that the
		 * wrapped lines start exactly under it */
		for (int pass = 0; prefix && pass < 3 && para->nlines > 1; pass++) {
			int at = text_x(&para->lines[0], display, tb->text_at);
			if (at <= 0 || abs(at + o.indent) <= PANGO_SCALE / 100)
				break;
			o.indent = -at;
			compose_free(para);
			compose_paragraph(para, ctx, display, total, al, fd, &o);
		}
	}
	pango_attr_list_unref(al);
	pango_font_description_free(fd);
	set_lines(tb, s);

	for (int k = 0; k < b->nspans; k++)
		if ((b->spans[k].flags & SPAN_LINK) && b->spans[k].href && *b->spans[k].href)
			add_links(tb, tb->text_at + b->spans[k].start, tb->text_at + b->spans[k].end,
				  b->spans[k].href);
	if (region > 0)
		add_decos(tb, tb->text_at, region, s->region);
	if (label_at >= 0) {
		add_decos(tb, label_at, total, s->label);
		if (b->source_href && *b->source_href)
			add_links(tb, label_at, total, b->source_href);
	}
	if (b->kind == BLOCK_HEADING)
		tb->keep_with_next = lo->keep_with_next;
	check_glyphs(tb, s->file, s->d);
}

static int text_measure(const struct layout *lo)
{
	return (int)((lo->page_width - lo->margin_left - lo->margin_right) * PANGO_SCALE);
}

/* An image block: the picture scaled to the measure (no taller than the
 * layout's share of the text area, then narrower and centred), its caption
 * set below. */
static void text_image(struct tblock *tb, const struct layout *lo, const struct block *b,
		       const char *file, struct diags *d)
{
	int measure = text_measure(lo);
	double area = (lo->page_height - lo->margin_top - lo->margin_bottom) * PANGO_SCALE;
	double w = measure, h = measure * b->image_height / b->image_width;
	double most = area * lo->image_max_height;
	if (h > most) {
		w *= most / h;
		h = most;
	}
	if (w < PANGO_SCALE || h < PANGO_SCALE)
		diag_add(d, SEV_ERROR, file, b->line, b->col,
			 "image %s would print %.2f x %.2f pt (it is %.0f x %.0f): too thin to see",
			 b->image, w / PANGO_SCALE, h / PANGO_SCALE, b->image_width, b->image_height);
	tb->image = b->image;
	tb->image_w = (int)w;
	tb->image_h = (int)h;
	tb->unbreakable = 1;
	double inches = w / PANGO_SCALE / 72.0;
	double ppi = b->image_width / inches;
	if (b->image_kind != IMAGE_SVG && lo->image_min_ppi > 0 && ppi < lo->image_min_ppi)
		diag_add(d, SEV_WARNING, file, b->line, b->col,
			 "image %s prints at %.0f ppi, under the layout's %.0f ppi (it has %.0fx%.0f "
			 "pixels for %.0fx%.0f mm)",
			 b->image, ppi, lo->image_min_ppi, b->image_width, b->image_height,
			 w / PANGO_SCALE * 25.4 / 72, h / PANGO_SCALE * 25.4 / 72);
}

/* The glyphs of display bytes [start, end) raised by rise (Pango units). */
static void raise_glyphs(struct tblock *tb, int start, int end, int rise)
{
	for (int l = 0; l < tb->nlines; l++) {
		const struct cline *cl = tb->lines[l].cl;
		for (int r = 0; r < cl->nruns; r++) {
			PangoGlyphItem *gi = cl->runs[r].gi;
			if (cl->runs[r].text)
				continue;
			for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
				int off = gi->item->offset + gi->glyphs->log_clusters[g];
				if (off >= start && off < end)
					gi->glyphs->glyphs[g].geometry.y_offset -= rise;
			}
		}
	}
}

static int line_of(const struct tblock *tb, int at)
{
	for (int i = 0; i < tb->nlines; i++)
		if (at >= tb->lines[i].start && at < tb->lines[i].start + tb->lines[i].len)
			return i;
	return tb->nlines > 0 ? tb->nlines - 1 : 0;
}

static const char *own_href(struct tblock *tb, enum dest_kind kind, int n)
{
	char name[FLOW_DEST_MAX];
	flow_dest(kind, n, name);
	tb->hrefs = xrealloc(tb->hrefs, (size_t)(tb->nhrefs + 1) * sizeof(*tb->hrefs));
	return tb->hrefs[tb->nhrefs++] = xasprintf("#%s", name);
}

static void add_dest(struct tblock *tb, int line, int x, enum dest_kind kind, int n)
{
	char name[FLOW_DEST_MAX];
	flow_dest(kind, n, name);
	tb->dests = xrealloc(tb->dests, (size_t)(tb->ndests + 1) * sizeof(*tb->dests));
	tb->dests[tb->ndests++] = (struct tdest){line, x, xstrdup(name)};
}

/* The block with its footnote marks written in: numbers[i] for ref i
 * (0: none), the spans moved, marks[2i, 2i+1] where mark i stands in the
 * copy's text.  Strings of *out are new (free with free_marked). */
static void with_marks(const struct block *b, const int *numbers, struct block *out, int *marks)
{
	*out = *b;
	struct sbuf sb;
	sbuf_init(&sb);
	int *shift = xcalloc((size_t)b->len + 2, sizeof(int));	/* bytes inserted before offset */
	int *lines = b->src_line ? xmalloc(((size_t)b->len + 32 * (size_t)b->nrefs + 1) * sizeof(int)) : NULL;
	int k = 0, nl = 0;
	for (int i = 0; i <= b->len; i++) {
		while (k < b->nrefs && b->refs[k].at == i) {
			char num[16];
			snprintf(num, sizeof(num), "%d", numbers[k]);
			marks[2 * k] = (int)sb.len;
			if (numbers[k] > 0)
				sbuf_str(&sb, num);
			marks[2 * k + 1] = (int)sb.len;
			for (int j = marks[2 * k]; lines && j < marks[2 * k + 1]; j++)
				lines[nl++] = b->src_line[i > 0 ? i - 1 : 0];
			k++;
		}
		shift[i] = (int)sb.len - i;
		if (i < b->len) {
			sbuf_add(&sb, b->text + i, 1);
			if (lines)
				lines[nl++] = b->src_line[i];
		}
	}
	out->len = (int)sb.len;
	out->text = sbuf_take(&sb);
	out->src_line = lines;
	out->spans = xmalloc(((size_t)b->nspans + 1) * sizeof(*out->spans));
	for (int i = 0; i < b->nspans; i++) {
		out->spans[i] = b->spans[i];
		/* a mark at a span's end stands after it; at its start, before it */
		out->spans[i].start += shift[b->spans[i].start];
		out->spans[i].end += b->spans[i].end > 0 ? shift[b->spans[i].end - 1] : 0;
	}
	free(shift);
}

static void free_marked(struct block *b)
{
	free(b->text);
	free(b->src_line);
	free(b->spans);
}

/* The numbers of b's marks, and which are their note's first (marking them
 * seen). */
static void note_numbers(const struct block *b, const struct notes_seen *ns, int *nums, int *first)
{
	for (int k = 0; k < b->nrefs; k++) {
		int n = b->refs[k].note;
		nums[k] = n >= 0 ? ns->number[n] : 0;
		first[k] = n >= 0 && !ns->marked[n];
		if (n >= 0)
			ns->marked[n] = 1;
	}
}

/* Footnote marks: superscript numbers linking to their notes, each with a
 * destination the note links back to; the notes (body blocks) kept by
 * line for flow.  numbers[i]: the note number of ref i; note_block[i]:
 * its body index. */
static void set_marks(struct tblock *tb, const struct layout *lo, const struct block *b,
		      const int *marks, const int *numbers, const int *first)
{
	for (int i = 0; i < b->nrefs; i++) {
		if (numbers[i] <= 0 || b->refs[i].note < 0)
			continue;
		int s0 = tb->text_at + marks[2 * i], e0 = tb->text_at + marks[2 * i + 1];
		int id = b->refs[i].note + 1;	/* destinations by the note's block: unique */
		raise_glyphs(tb, s0, e0, (int)(tb->style->size * lo->notes.mark_rise * PANGO_SCALE));
		add_links(tb, s0, e0, own_href(tb, DEST_NOTE, id));
		int line = line_of(tb, s0), x0 = 0, x1 = 0;
		if (tb->nlines)
			line_x_range(tb->lines[line].cl, s0, e0, &x0, &x1);
		if (first[i])	/* the note links back to its first mark */
			add_dest(tb, line, tb->nlines ? tb->lines[line].x + x0 : 0, DEST_NOTE_MARK, id);
		tb->notes = xrealloc(tb->notes, (size_t)(tb->nnotes + 1) * sizeof(*tb->notes));
		tb->notes[tb->nnotes++] = (struct tnote){line, b->refs[i].note};
	}
}

/* Sets s->b as text_set does, its footnote marks (numbers[i] for its
 * i-th; none when numbers is NULL) set small and noted on their lines. */
static void text_set_marked(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
			    struct setting *s, const int *numbers, const int *first)
{
	const struct block *b = s->b;
	struct block marked;
	int *marks = NULL;
	if (b->nrefs && numbers) {
		marks = xcalloc(2 * (size_t)b->nrefs, sizeof(int));
		with_marks(b, numbers, &marked, marks);
		s->b = &marked;
		s->marks = marks;
		s->nmarks = b->nrefs;
	}
	text_set(tb, ctx, lo, s);
	if (marks) {
		tb->src = b;
		set_marks(tb, lo, b, marks, numbers, first);
		free_marked(&marked);
		free(marks);
	}
	s->b = b;	/* s as it came: marks freed */
	s->marks = NULL;
	s->nmarks = 0;
}

void text_block(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct block *b, const char *number, const char *file, struct diags *d)
{
	text_block_noted(tb, ctx, lo, b, number, NULL, NULL, NULL, file, d);
}

void text_block_noted(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		      const struct block *b, const char *number, const int *numbers,
		      const int *first, const struct tlist *list, const char *file,
		      struct diags *d)
{
	enum role_id role = block_role_id(b);
	struct setting s = {b, &lo->role[role], &lo->role[ROLE_REGION], &lo->role[ROLE_SOURCE_LABEL],
			    number, NULL, 0, text_measure(lo), 0, file, d, list};
	text_set_marked(tb, ctx, lo, &s, numbers, first);
	tb->role = role_info(role)->dump;
	tb->at = (struct srcpos){file, b->line, b->col};
	if (b->kind == BLOCK_IMAGE)
		text_image(tb, lo, b, file, d);
	if (b->kind == BLOCK_TABLE_CAPTION)
		tb->keep_with_next = 1;	/* with the table's header and first row */
	if (b->kind == BLOCK_RULE) {
		tb->rule = 1;
		tb->unbreakable = 1;
		tb->nlines = 0;	/* the rule has no text: its lines (none set) are not drawn */
	}
}

void text_cell(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
	       const struct block *b, const struct style *st, int measure, const struct notes_seen *ns,
	       const char *file, struct diags *d)
{
	int *nums = NULL, *first = NULL;
	if (b->nrefs && ns) {
		nums = xcalloc((size_t)b->nrefs, sizeof(int));
		first = xcalloc((size_t)b->nrefs, sizeof(int));
		note_numbers(b, ns, nums, first);
	}
	struct setting s = {b, st, &lo->role[ROLE_REGION], &lo->role[ROLE_SOURCE_LABEL], NULL, NULL, 0,
			    measure, 0, file, d, NULL};
	text_set_marked(tb, ctx, lo, &s, nums, first);
	free(nums);
	free(first);
	tb->role = role_info(b->header ? ROLE_TABLE_HEAD : ROLE_TABLE)->dump;
	tb->at = (struct srcpos){file, b->line, b->col};
	tb->in_table = 1;
}

int text_span_width(PangoContext *ctx, const struct layout *lo, const struct style *st,
		    const char *s, int len)
{
	char *t = xstrndup(s, (size_t)len);
	PangoFontDescription *fd = style_font(lo, st);
	int w = text_width(ctx, fd, t);
	pango_font_description_free(fd);
	free(t);
	return w;
}

void text_plain(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct style *st, const char *text, int width, struct diags *d)
{
	struct block b = {0};
	b.kind = BLOCK_PARA;
	b.text = (char *)text;
	b.len = (int)strlen(text);
	struct setting s = {&b, st, st, st, NULL, NULL, 0, width, 0, lo->path, d, NULL};
	text_set(tb, ctx, lo, &s);
	tb->src = NULL;	/* b is gone when this returns */
	tb->role = "gen";
}

void text_letter_space(struct tblock *tb, int spacing)
{
	if (spacing <= 0)
		return;
	for (int i = 0; i < tb->nlines; i++) {
		struct tline *tl = &tb->lines[i];
		struct cline *cl = (struct cline *)tl->cl;	/* the block's own part */
		/* each cluster's last glyph, in order, and whether it is a blank */
		PangoGlyphGeometry *prev = NULL;
		int prev_blank = 0;
		for (int r = 0; r < cl->nruns; r++) {
			const PangoGlyphItem *gi = cl->runs[r].gi;
			PangoGlyphString *gs = gi->glyphs;
			for (int g = 0; g < gs->num_glyphs; g++) {
				int ends = g + 1 == gs->num_glyphs || gs->log_clusters[g + 1] != gs->log_clusters[g];
				if (!ends)
					continue;
				unsigned cp;
				utf8_decode(tl->text + gi->item->offset + gs->log_clusters[g], &cp);
				int blank = cp == ' ' || cp == 0x3000 || cp == 0xa0;
				if (prev && prev_blank)	/* a blank is the gap */
					prev->width = spacing;
				else if (prev && !blank)
					prev->width += spacing;
				prev = &gs->glyphs[g].geometry;
				prev_blank = blank;
			}
		}
		int pen = cl->nruns ? cl->runs[0].x : 0;
		for (int r = 0; r < cl->nruns; r++) {
			PangoGlyphString *gs = cl->runs[r].gi->glyphs;
			cl->runs[r].x = pen;
			for (int g = 0; g < gs->num_glyphs; g++)
				pen += gs->glyphs[g].geometry.width;
		}
		cl->width = pen;
		int slack = cl->measure - cl->width;
		if (slack < 0)
			slack = 0;
		if (tb->style->align == ALIGN_CENTER)
			cl->x = slack / 2;
		else if (tb->style->align == ALIGN_RIGHT)
			cl->x = slack;
		tl->x = cl->x;
	}
}

void text_toc_entry(struct tblock *tb, PangoContext *ctx, const struct layout *lo, int measure,
		    const struct style *st, const struct block *heading, const char *number,
		    const char *page, const char *leader, int show_label, const char *dest)
{
	struct block b = *heading;
	b.kind = BLOCK_HEADING;
	if (!show_label)
		b.source_label = NULL;
	b.source_href = NULL;	/* the entry links to the heading, not to the source */
	PangoFontDescription *fd = style_font(lo, st);
	int dot = text_width(ctx, fd, leader);
	char zeros[16];
	int nd = lo->toc.page_digits < 15 ? lo->toc.page_digits : 15;
	memset(zeros, '0', (size_t)nd);
	zeros[nd] = '\0';
	/* the right column holds the page number and the least leader run */
	int column = text_width(ctx, fd, zeros) + lo->toc.min_leaders * dot;
	struct style entry = *st;
	entry.align = ALIGN_LEFT;	/* titles are ragged: the leader fills the line */
	struct setting s = {&b, &entry, &lo->toc.region, &lo->toc.label, number, NULL, 0,
			    measure > 0 ? measure : text_measure(lo), column, lo->path, NULL, NULL};
	text_set(tb, ctx, lo, &s);
	tb->src = NULL;	/* b is gone when this returns */
	tb->role = "toc";
	tb->style = st;
	tb->heading = 0;
	tb->keep_with_next = 0;
	tb->dest = dest;
	if (tb->nlines == 0) {
		pango_font_description_free(fd);
		return;
	}
	const struct tline *last = &tb->lines[tb->nlines - 1];
	int end = last->x + last->cl->width;
	int pagew = text_width(ctx, fd, page);
	int room = tb->width - end - pagew - dot / 2;
	int ndots = room > 0 && dot > 0 ? room / dot : 0;
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; i < ndots; i++)
		sbuf_str(&sb, leader);
	sbuf_str(&sb, page);
	struct tpart *tail = &tb->parts[tb->nparts++];
	tail->text = sbuf_take(&sb);
	int len = (int)strlen(tail->text);
	PangoAttrList *al = pango_attr_list_new();
	attr_color(al, st->color, 0, len);
	struct compose_opts o;
	compose_opts_init(&o, tb->width);
	o.align = ALIGN_LEFT;
	compose_paragraph(&tail->para, ctx, tail->text, len, al, fd, &o);
	pango_attr_list_unref(al);
	pango_font_description_free(fd);
	if (tail->para.nlines == 0)
		return;
	/* the tail's one line, right-aligned on the last title line's baseline */
	const struct cline *cl = &tail->para.lines[0];
	struct tline *tl = &tb->lines[tb->nlines++];
	*tl = tb->lines[tb->nlines - 2];
	tl->cl = cl;
	tl->text = tail->text;
	tl->x = tb->width - cl->width;
	tl->start = 0;
	tl->len = len;
	tl->joins = 1;
}

/* Numbers each heading from the layout's templates; one label (or NULL)
 * per block. */
static char **number_blocks(const struct issue *is, const struct layout *lo)
{
	char **labels = xcalloc((size_t)is->nblocks, sizeof(*labels));
	int counters[6] = {0};
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		if (b->kind != BLOCK_HEADING || b->unnumbered)
			continue;
		int lv = heading_level(b->level);
		counters[lv - 1]++;
		for (int k = lv; k < 6; k++)
			counters[k] = 0;
		const struct style *st = &lo->role[role_heading(lv)];
		if (st->number)
			labels[i] = number_format(st->number, counters, 6);
	}
	return labels;
}

/* The entry a block is in, or NULL. */
static const struct node *entry_of(const struct block *b)
{
	const struct node *n = b->node;
	while (n && n->kind != NODE_ENTRY)
		n = n->parent;
	return n;
}

/* Footnote numbers: number[k] for note block k in the order its first
 * mark comes (again from 1 in each entry when the layout says so). */
static int *number_notes(const struct issue *is, const struct layout *lo)
{
	int *number = xcalloc((size_t)is->nblocks + 1, sizeof(int));
	const struct node *entry = NULL;
	int next = 1;
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		if (lo->notes.numbering == NOTES_BY_ENTRY && b->nrefs && entry_of(b) != entry) {
			entry = entry_of(b);
			next = 1;
		}
		for (int k = 0; k < b->nrefs; k++)
			if (b->refs[k].note >= 0 && !number[b->refs[k].note])
				number[b->refs[k].note] = next++;
	}
	return number;
}

/* A note: its number hangs before its text and links back to the first
 * mark; its first line is the destination the marks link to. */
static void text_note(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		      const struct block *b, int index, int number, const char *file,
		      struct diags *d)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", number);
	text_block(tb, ctx, lo, b, num, file, d);
	tb->is_note = 1;
	add_dest(tb, 0, 0, DEST_NOTE, index + 1);
	add_links(tb, 0, tb->text_at, own_href(tb, DEST_NOTE_MARK, index + 1));
}

/* Endnotes: each entry's notes after its last block. */
static void notes_after_entries(struct body *out, const struct issue *is, const int *number)
{
	int last = -1;
	for (int i = 0; i <= is->nblocks; i++) {
		int ends = i == is->nblocks || is->blocks[i].kind == BLOCK_NOTE ||
			   (last >= 0 && entry_of(&is->blocks[i]) != entry_of(&is->blocks[last]));
		if (ends && last >= 0) {
			struct tblock *tb = &out->blocks[last];
			/* the notes first marked from last's entry, by number */
			const struct node *entry = entry_of(&is->blocks[last]);
			for (int k = 0; k < is->nblocks; k++) {
				if (!number[k] || is->blocks[k].kind != BLOCK_NOTE)
					continue;
				int from = -1;
				for (int j = 0; j < is->nblocks && from < 0; j++)
					for (int r = 0; r < is->blocks[j].nrefs && from < 0; r++)
						if (is->blocks[j].refs[r].note == k)
							from = j;
				if (from >= 0 && entry_of(&is->blocks[from]) == entry) {
					tb->after = xrealloc(tb->after, (size_t)(tb->nafter + 1) * sizeof(int));
					tb->after[tb->nafter++] = k;
				}
			}
			last = -1;
		}
		if (i < is->nblocks && is->blocks[i].kind != BLOCK_NOTE)
			last = i;
		if (i < is->nblocks && is->blocks[i].kind == BLOCK_NOTE)
			break;
	}
}

/* The width of an item's marker as set in a list's items. */
static int marker_width(PangoContext *ctx, const struct layout *lo, const struct style *st,
			const char *model)
{
	int bullet;
	char *text = xasprintf("%s ", item_marker(st, model, &bullet));
	int len = (int)strlen(text);
	PangoAttrList *al = pango_attr_list_new();
	marker_attrs(al, st, bullet, len - 1);
	PangoFontDescription *fd = style_font(lo, st);
	struct cpara mk;
	compose_marker(&mk, ctx, lo, st, fd, text, len, al);
	int w = mk.nlines ? mk.lines[0].width : 0;
	compose_free(&mk);
	pango_font_description_free(fd);
	pango_attr_list_unref(al);
	free(text);
	return w;
}

static void list_boxes(struct tlist *list, PangoContext *ctx, const struct layout *lo,
		       const struct issue *is, const struct node *n, int indent);

/* The hanging box of list node n, starting at indent, for each of its
 * items' blocks; the lists in its items start at its text edge. */
static void list_box(struct tlist *list, PangoContext *ctx, const struct layout *lo,
		     const struct issue *is, const struct node *n, int indent)
{
	const struct style *st = &lo->role[ROLE_ITEM];
	int widest = 0;
	for (const struct node *it = n->first; it; it = it->next)
		for (const struct node *l = it->first; l; l = l->next) {
			const struct block *b = l->block >= 0 ? &is->blocks[l->block] : NULL;
			int w = b && b->marker ? marker_width(ctx, lo, st, b->marker) : 0;
			if (w > widest)
				widest = w;
		}
	int box = widest + len_pango(st->marker_gap, st->size);
	for (const struct node *it = n->first; it; it = it->next)
		for (const struct node *l = it->first; l; l = l->next) {
			if (l->block >= 0 && is->blocks[l->block].kind == BLOCK_ITEM)
				list[l->block] = (struct tlist){indent, box};
			else if (l->kind == NODE_LIST)
				list_box(list, ctx, lo, is, l, indent + box);
			else if (l->block < 0)
				list_boxes(list, ctx, lo, is, l, indent + box);
		}
}

/* The hanging boxes of the lists below n: list[i] for each item block i;
 * indent is where a list found there starts its box. */
static void list_boxes(struct tlist *list, PangoContext *ctx, const struct layout *lo,
		       const struct issue *is, const struct node *n, int indent)
{
	for (const struct node *c = n->first; c; c = c->next)
		if (c->kind == NODE_LIST)
			list_box(list, ctx, lo, is, c, indent);
		else if (c->block < 0)
			list_boxes(list, ctx, lo, is, c, indent);
}

void text_body(struct body *out, PangoContext *ctx, const struct layout *lo,
	       const struct issue *is, struct diags *d)
{
	char **labels = number_blocks(is, lo);
	int *number = number_notes(is, lo);
	unsigned char *marked = xcalloc((size_t)is->nblocks + 1, 1);	/* a note's first mark seen */
	struct notes_seen ns = {number, marked};
	out->n = is->nblocks;
	out->blocks = xcalloc((size_t)out->n + 1, sizeof(*out->blocks));
	struct tlist *list = xcalloc((size_t)is->nblocks + 1, sizeof(*list));
	if (is->root)
		list_boxes(list, ctx, lo, is, is->root, 0);
	for (int i = 0; i < is->nblocks;) {
		const struct block *b = &is->blocks[i];
		if (b->kind == BLOCK_CELL) {	/* a table: all its cells at once */
			int n = table_set(&out->blocks[i], ctx, lo, is, i, &ns, is->path, d);
			i += n > 0 ? n : 1;
			continue;
		}
		if (b->kind == BLOCK_NOTE) {
			text_note(&out->blocks[i], ctx, lo, b, i, number[i], is->path, d);
		} else if (b->nrefs) {
			int *nums = xcalloc((size_t)b->nrefs, sizeof(int));
			int *first = xcalloc((size_t)b->nrefs, sizeof(int));
			note_numbers(b, &ns, nums, first);
			text_block_noted(&out->blocks[i], ctx, lo, b, labels[i], nums, first,
					 b->kind == BLOCK_ITEM ? &list[i] : NULL, is->path, d);
			free(nums);
			free(first);
		} else {
			text_block_noted(&out->blocks[i], ctx, lo, b, labels[i], NULL, NULL,
					 b->kind == BLOCK_ITEM ? &list[i] : NULL, is->path, d);
		}
		out->blocks[i].id = i + 1;
		i++;
	}
	if (lo->notes.place == NOTES_ENTRY)
		notes_after_entries(out, is, number);
	for (int i = 0; i < is->nblocks; i++)
		free(labels[i]);
	free(labels);
	free(list);
	free(number);
	free(marked);
}

void text_body_done(struct body *b)
{
	for (int i = 0; i < b->n; i++)
		text_block_done(&b->blocks[i]);
	free(b->blocks);
	memset(b, 0, sizeof(*b));
}

void text_block_done(struct tblock *tb)
{
	for (int i = 0; i < tb->nparts; i++) {
		compose_free(&tb->parts[i].para);
		free(tb->parts[i].text);
	}
	free(tb->lines);
	free(tb->links);
	free(tb->decos);
	free(tb->number);
	free(tb->plain);
	table_free(tb->table);
	free(tb->notes);
	free(tb->after);
	for (int i = 0; i < tb->ndests; i++)
		free(tb->dests[i].name);
	free(tb->dests);
	for (int i = 0; i < tb->nhrefs; i++)
		free(tb->hrefs[i]);
	free(tb->hrefs);
	memset(tb, 0, sizeof(*tb));
}
