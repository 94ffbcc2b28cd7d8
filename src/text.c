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
	default:
		return b->quote_depth ? ROLE_QUOTE : ROLE_BODY;
	}
}

static int len_pango(struct len l, double size)
{
	return (int)((l.pt + l.em * size) * PANGO_SCALE + 0.5);
}

/* Width of a string in a font, Pango units. */
static int text_width(PangoContext *ctx, const PangoFontDescription *fd, const char *s)
{
	PangoLayout *pl = pango_layout_new(ctx);
	pango_layout_set_font_description(pl, fd);
	pango_layout_set_text(pl, s, -1);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	g_object_unref(pl);
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
	for (int i = 0; i < tb->para.nmissing; i++) {
		const struct cmissing *m = &tb->para.missing[i];
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
	}
}

/* Sets block b in style st on a measure (Pango units); the core of every
 * text_ entry point.  reserve: room kept free at the right of each line. */
static void text_set(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		     const struct block *b, const struct style *st, const struct style *region,
		     const struct style *label, const char *number, int measure, int reserve,
		     const char *file, struct diags *d)
{
	memset(tb, 0, sizeof(*tb));
	tb->src = b;
	tb->style = st;
	tb->heading = b->kind == BLOCK_HEADING ? b->level : 0;
	tb->number = number ? xstrdup(number) : NULL;
	tb->left = len_pango(st->margin_left, st->size);
	if (b->kind == BLOCK_ITEM && b->list_depth > 1)
		tb->left += (b->list_depth - 1) * len_pango(st->margin_left, st->size);
	if (b->quote_depth > 1)
		tb->left += (b->quote_depth - 1) * len_pango(lo->role[ROLE_QUOTE].margin_left, st->size);
	if (tb->left > measure / 2)	/* deep nesting: keep a usable measure */
		tb->left = measure / 2;
	tb->width = measure - tb->left;
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

	/* the display text: prefix + text + label */
	const char *prefix = NULL;
	if (b->kind == BLOCK_HEADING && number)
		prefix = number;
	else if (b->kind == BLOCK_ITEM && b->marker)
		prefix = b->marker;
	struct sbuf sb;
	sbuf_init(&sb);
	if (prefix) {
		sbuf_str(&sb, prefix);
		if (b->kind == BLOCK_ITEM)
			sbuf_str(&sb, " ");
	}
	int text_at = (int)sb.len;
	tb->text_at = text_at;
	sbuf_add(&sb, b->text, (size_t)b->len);
	int label_at = -1;
	if (b->kind == BLOCK_HEADING && b->source_label && *b->source_label) {
		sbuf_str(&sb, " ");
		label_at = (int)sb.len;
		sbuf_str(&sb, b->source_label);
	}
	tb->display = sbuf_take(&sb);
	int total = (int)strlen(tb->display);
	if (b->kind == BLOCK_HEADING)
		tb->plain = xstrndup(b->text, (size_t)b->len);

	PangoFontDescription *fd = style_font(lo, st);
	struct compose_opts o;
	compose_opts_from(&o, lo, st, tb->width - reserve);
	PangoAttrList *al = pango_attr_list_new();
	attr_color(al, st->color, 0, total);
	if (prefix) {
		/* the number or marker hangs: wrapped lines start under the text */
		char *pre = xstrndup(tb->display, (size_t)text_at);
		o.indent = -text_width(ctx, fd, pre);
		free(pre);
	} else {
		o.indent = len_pango(st->indent, st->size);
	}
	int region_end = -1;
	if (b->kind == BLOCK_HEADING && b->level == 2 && !strncmp(b->text, "【", 3)) {
		const char *close = strstr(b->text, "】");
		if (close && close - b->text < b->len) {
			region_end = text_at + (int)(close - b->text) + 3;
			attr_style(al, lo, region, text_at, region_end);
		}
	}
	for (int i = 0; i < b->nspans; i++) {
		const struct span *sp = &b->spans[i];
		int s = text_at + sp->start, e = text_at + sp->end;
		if (sp->flags & SPAN_BOLD)
			attr_insert(al, pango_attr_weight_new(PANGO_WEIGHT_BOLD), s, e);
		if (sp->flags & SPAN_ITALIC)	/* Chinese emphasis: the sans face, never a slant */
			attr_insert(al, pango_attr_family_new(lo->font_sans), s, e);
		if (sp->flags & SPAN_CODE)
			attr_style(al, lo, &lo->role[ROLE_CODE], s, e);
		if ((sp->flags & SPAN_LINK) && sp->href && *sp->href)
			attr_color(al, lo->role[ROLE_LINK].color, s, e);
	}
	if (label_at >= 0)
		attr_style(al, lo, label, label_at, total);
	compose_paragraph(&tb->para, ctx, tb->display, total, al, fd, &o);
	pango_attr_list_unref(al);
	pango_font_description_free(fd);

	/* lines, each on the style's grid */
	int pitch = (int)(st->size * st->line_height * PANGO_SCALE + 0.5);
	tb->nlines = tb->para.nlines;
	tb->lines = xcalloc((size_t)tb->nlines, sizeof(*tb->lines));
	for (int i = 0; i < tb->nlines; i++) {
		struct tline *tl = &tb->lines[i];
		const struct cline *cl = &tb->para.lines[i];
		tl->cl = cl;
		tl->x = cl->x;
		tl->ascent = cl->ascent;
		tl->descent = cl->descent;
		tl->pitch = pitch > cl->ascent + cl->descent ? pitch : cl->ascent + cl->descent;
		tl->start = cl->start;
		tl->len = cl->len;
		if (cl->overfull > 0 && d)
			diag_add(d, SEV_WARNING, file, tb->src ? tb->src->line : 0, 0,
				 "overfull line: %.1fpt too wide", (double)cl->overfull / PANGO_SCALE);
	}

	for (int k = 0; k < b->nspans; k++)
		if ((b->spans[k].flags & SPAN_LINK) && b->spans[k].href && *b->spans[k].href)
			add_links(tb, text_at + b->spans[k].start, text_at + b->spans[k].end,
				  b->spans[k].href);
	if (region_end > 0)
		add_decos(tb, text_at, region_end, region);
	if (label_at >= 0) {
		add_decos(tb, label_at, total, label);
		if (b->source_href && *b->source_href)
			add_links(tb, label_at, total, b->source_href);
	}
	if (b->kind == BLOCK_HEADING)
		tb->keep_with_next = lo->keep_with_next;
	check_glyphs(tb, file, d);
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

void text_block(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct block *b, const char *number, const char *file, struct diags *d)
{
	enum role_id role = block_role_id(b);
	text_set(tb, ctx, lo, b, &lo->role[role], &lo->role[ROLE_REGION],
		 &lo->role[ROLE_SOURCE_LABEL], number, text_measure(lo), 0, file, d);
	tb->role = role_info(role)->dump;
	tb->at = (struct srcpos){file, b->line, b->col};
	if (b->kind == BLOCK_IMAGE)
		text_image(tb, lo, b, file, d);
	if (b->kind == BLOCK_RULE) {
		tb->rule = 1;
		tb->unbreakable = 1;
		tb->nlines = 0;	/* the rule has no text: its lines (none set) are not drawn */
	}
}

void text_plain(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct style *st, const char *text, int width, struct diags *d)
{
	struct block b = {0};
	b.kind = BLOCK_PARA;
	b.text = (char *)text;
	b.len = (int)strlen(text);
	text_set(tb, ctx, lo, &b, st, st, st, NULL, width, 0, lo->path, d);
	tb->src = NULL;	/* b is gone when this returns */
	tb->role = "gen";
}

void text_toc_entry(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
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
	text_set(tb, ctx, lo, &b, &entry, &lo->toc.region, &lo->toc.label, number,
		 text_measure(lo), column, lo->path, NULL);
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
	tb->tail_text = sbuf_take(&sb);
	PangoAttrList *al = pango_attr_list_new();
	attr_color(al, st->color, 0, (int)strlen(tb->tail_text));
	struct compose_opts o;
	compose_opts_init(&o, tb->width);
	o.align = ALIGN_LEFT;
	compose_paragraph(&tb->tail, ctx, tb->tail_text, (int)strlen(tb->tail_text), al, fd, &o);
	pango_attr_list_unref(al);
	pango_font_description_free(fd);
	tb->tail_x = tb->tail.nlines ? tb->width - tb->tail.lines[0].width : 0;
}

void text_block_done(struct tblock *tb)
{
	compose_free(&tb->para);
	compose_free(&tb->tail);
	free(tb->lines);
	free(tb->links);
	free(tb->decos);
	free(tb->display);
	free(tb->number);
	free(tb->plain);
	free(tb->tail_text);
	free(tb->dest_owned);
	memset(tb, 0, sizeof(*tb));
}
