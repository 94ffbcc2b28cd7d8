/* flow.c: shaped blocks -> pages of positioned boxes, and where each block
 * went (placements).
 *
 * Vertical positions are kept in Pango units from the top of the text area
 * while breaking, and become points on the page only in the boxes.  Rules:
 * space between blocks is the larger of the two (it is dropped at a page
 * top); a heading is kept with the first lines of what follows; a paragraph
 * leaves at least `orphans` lines at a page bottom and carries at least
 * `widows` lines to the next page; a block with a background never splits.
 *
 * Terms.  A row is a line with the lines that join it (a TOC entry's leader
 * and page number, set on its title's last baseline): page breaks, widows
 * and orphans count rows, never splitting one.  The blocks are read, never
 * written: where each one starts is the caller's placement array.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

#define PT(u) ((double)(u) / PANGO_SCALE)

void page_add(struct page *pg, const struct box *b)
{
	if (pg->nboxes == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->boxes = xrealloc(pg->boxes, (size_t)pg->cap * sizeof(*pg->boxes));
	}
	pg->boxes[pg->nboxes++] = *b;
}

struct box *page_area(struct page *pg, enum box_kind kind, double x, double y, double w,
		      double h)
{
	struct box b = {0};
	b.kind = kind;
	b.x = x, b.y = y, b.w = w, b.h = h;
	page_add(pg, &b);
	return &pg->boxes[pg->nboxes - 1];
}

int doc_new_page(struct doc *doc)
{
	doc->pages = xrealloc(doc->pages, (size_t)(doc->npages + 1) * sizeof(*doc->pages));
	memset(&doc->pages[doc->npages], 0, sizeof(*doc->pages));
	return doc->npages++;
}

void flow_dest(enum dest_kind kind, int id, char buf[FLOW_DEST_MAX])
{
	static const char *names[] = {[DEST_HEADING] = "h%d", [DEST_NOTE] = "fn%d",
				      [DEST_NOTE_MARK] = "fnref%d", [DEST_ISSUE] = "issue%d"};
	snprintf(buf, FLOW_DEST_MAX, names[kind], id);
}

/* Lines [from, to) of a footnote at a page's foot; cont: the rest of one
 * begun on the page before. */
struct footseg {
	int note;		/* its block */
	int from, to;
	int cont;
};

struct flow {
	struct doc *doc;
	const struct layout *lo;
	struct diags *d;	/* for warnings: a table row split */
	const struct tblock *all;	/* the blocks flowed: notes are found among them */
	int nall;
	struct footseg *foot, *carry;	/* this page's notes; the rest for the next */
	int nfoot, ncarry, footcap, carrycap;
	int foot_h;		/* Pango units the notes take at this page's foot */
	const struct block_tags *tags;	/* per block: its structure elements (NULL: none) */
	int repeat;		/* placing a table's header again on a page it goes on to */
	int page;		/* index of the current page in doc */
	int y;			/* Pango units used on the current page */
	int height;		/* Pango units of the text area */
	int prev_after;		/* space after the previous block */
	int widows, orphans;
};

static void emit_notes(struct flow *f);
static int lines_height_of(const struct tblock *tb, int from, int to);
static int foot_rule_h(const struct flow *f);

static void flow_new_page(struct flow *f)
{
	emit_notes(f);
	f->page = doc_new_page(f->doc);
	f->y = 0;
	/* a note begun on the last page goes on under this one's text first */
	for (int i = 0; i < f->ncarry; i++)
		f->foot_h += lines_height_of(&f->all[f->carry[i].note], f->carry[i].from, f->carry[i].to);
	if (f->ncarry)
		f->foot_h += foot_rule_h(f);
	struct footseg *t = f->foot;
	int cap = f->footcap;
	f->foot = f->carry, f->nfoot = f->ncarry, f->footcap = f->carrycap;
	f->carry = t, f->ncarry = 0, f->carrycap = cap;
}

/* ---- rows ---- */

/* How many rows lines [from, to) hold. */
static int rows(const struct tblock *tb, int from, int to)
{
	int n = 0;
	for (int i = from; i < to; i++)
		n += !tb->lines[i].joins;
	return n;
}

/* The line that starts row r of the block (nlines past the last). */
static int row_line(const struct tblock *tb, int r)
{
	int i = 0;
	for (; i < tb->nlines; i++)
		if (!tb->lines[i].joins && r-- == 0)
			break;
	return i;
}

/* Height of the block's lines [from, to) in Pango units (joined lines take
 * none). */
static int lines_height(const struct tblock *tb, int from, int to);

static int lines_height_of(const struct tblock *tb, int from, int to)
{
	return lines_height(tb, from, to);
}

static int lines_height(const struct tblock *tb, int from, int to)
{
	int h = 0;
	for (int i = from; i < to; i++)
		if (!tb->lines[i].joins)
			h += tb->lines[i].pitch;
	return h;
}

static int block_pad(const struct tblock *tb)
{
	return tb->style->background.a > 0 ? (int)(tb->style->padding * PANGO_SCALE) : 0;
}

/* The height of a block placed whole: lines, padding, an image above. */
static int block_height(const struct tblock *tb)
{
	int h = lines_height(tb, 0, tb->nlines) + 2 * block_pad(tb);
	if (tb->rule)
		h += (int)(tb->style->rule_below * PANGO_SCALE);
	if (tb->image)
		h += tb->image_h + (tb->nlines ? tb->space_before : 0);
	return h;
}

/* ---- boxes ---- */

/* One line's boxes on pg at (left, baseline) in points: its tags'
 * backgrounds (under the text), the glyphs, its links. */
static void place_line(struct page *pg, const struct tblock *tb, int i, double left,
		       double top, int baseline, struct block_tags tags)
{
	const struct tline *tl = &tb->lines[i];
	for (int k = 0; k < tb->ndecos; k++) {
		const struct tdeco *dc = &tb->decos[k];
		if (dc->line != i)
			continue;
		page_area(pg, BOX_RECT, left + PT(dc->x0), top + PT(baseline - dc->ascent),
			  PT(dc->x1 - dc->x0), PT(dc->ascent + dc->descent))->color = dc->color;
	}
	for (int k = 0; k < tb->ndests; k++)	/* a mark's or a note's destination */
		if (tb->dests[k].line == i)
			page_area(pg, BOX_DEST, left + PT(tb->dests[k].x), top + PT(baseline - tl->ascent),
				  0, 0)->name = xstrdup(tb->dests[k].name);
	struct box b = {0};
	b.kind = BOX_LINE;
	b.x = left + PT(tl->x);
	b.y = top + PT(baseline);
	b.w = PT(tl->cl->width);
	b.h = PT(tl->ascent + tl->descent);
	b.line = tl->cl;
	b.text = tl->text;
	b.text_start = tl->start;
	b.text_len = tl->len;
	b.block = tb->id;
	b.at = (struct srcpos){tb->at.file, tl->src_line, 0};
	b.role = tb->role;
	b.se = tl->joins ? 0 : tags.line;	/* a TOC entry's leader and number: an artifact */
	if (tags.label && tl->start < tb->text_at) {	/* the list marker */
		b.label_se = tags.label;
		b.label_len = tb->text_at - tl->start;
	}
	page_add(pg, &b);
	for (int k = 0; k < tb->nlinks; k++) {
		const struct tlink *lk = &tb->links[k];
		if (lk->line != i)
			continue;
		struct box *l = page_area(pg, BOX_LINK, left + PT(lk->x0), top + PT(baseline - tl->ascent),
					  PT(lk->x1 - lk->x0), PT(tl->ascent + tl->descent));
		l->name = xstrdup(lk->href);
		l->text = tl->text;
		l->text_start = lk->start;
		l->text_len = lk->end - lk->start;
		l->se = tags.line;
	}
}

/* Lines [from, to) of tb on pg: the block's left edge at `left` and the
 * first line's top at top + y (points + Pango units).  A joined line sits
 * on its row's baseline; a block with a destination links every row. */
static void place_lines(struct page *pg, const struct tblock *tb, int from, int to, double left,
			double top, int y, struct block_tags tags)
{
	int baseline = 0;
	for (int i = from; i < to; i++) {
		const struct tline *tl = &tb->lines[i];
		if (!tl->joins) {
			int half = (tl->pitch - tl->ascent - tl->descent) / 2;
			baseline = y + half + tl->ascent;
			y += tl->pitch;
		}
		place_line(pg, tb, i, left, top, baseline, tags);
		if (tb->dest && (i + 1 == to || !tb->lines[i + 1].joins)) {
			/* the row's first line gives the link its height */
			const struct tline *first = tl;
			for (int k = i; k > from && tb->lines[k].joins; k--)
				first = &tb->lines[k - 1];
			struct box *l = page_area(pg, BOX_LINK, left, top + PT(baseline - first->ascent),
						  PT(tb->width), PT(first->ascent + first->descent));
			l->name = xasprintf("#%s", tb->dest);
			l->text = first->text;
			l->text_start = first->start;
			l->text_len = first->len;
			l->se = tags.line;
		}
	}
}

void flow_at(struct doc *doc, int page, const struct tblock *tb, double x, double y, int se)
{
	place_lines(&doc->pages[page], tb, 0, tb->nlines, x + PT(tb->left), y, 0,
		    (struct block_tags){se, 0, 0});
}

void flow_columns(struct doc *doc, const struct tblock *blocks, int n, const struct layout *lo,
		  int columns, double gap, double top, const int *se)
{
	double measure = lo->page_width - lo->margin_left - lo->margin_right;
	double cw = (measure - gap * (columns - 1)) / columns;
	double bottom = lo->page_height - lo->margin_bottom;
	int page = doc_new_page(doc), col = 0;
	double y = top, col_top = top;
	for (int i = 0; i < n; i++) {
		const struct tblock *tb = &blocks[i];
		double h = PT(block_height(tb));
		double before = y > col_top ? PT(tb->space_before) : 0;
		/* what must stay with it: the next block's first line */
		double keep = tb->keep_with_next > 0 && i + 1 < n
				      ? PT(blocks[i + 1].space_before) +
					PT(lines_height(&blocks[i + 1], 0, blocks[i + 1].nlines ? 1 : 0))
				      : 0;
		if (y + before + h + keep > bottom && y > col_top) {
			if (++col == columns) {
				page = doc_new_page(doc);
				col = 0;
				col_top = lo->margin_top;
			}
			y = col_top;
			before = 0;
		}
		flow_at(doc, page, tb, lo->margin_left + col * (cw + gap), y + before, se ? se[i] : 0);
		y += before + h + PT(tb->space_after);
	}
}

/* The structure elements of a block flowed (none for one not of the body). */
static struct block_tags tags_of(const struct flow *f, const struct tblock *tb)
{
	return f->tags && tb >= f->all && tb < f->all + f->nall ? f->tags[tb - f->all]
								  : (struct block_tags){0, 0, 0};
}

/* A heading or other unsplittable block, with its background and rule. */
static void place_whole(struct flow *f, const struct tblock *tb, int y)
{
	const struct layout *lo = f->lo;
	const struct style *st = tb->style;
	struct page *pg = &f->doc->pages[f->page];
	int pad = block_pad(tb);
	int h = block_height(tb);
	if (st->background.a > 0) {
		/* justified or left-aligned text: a band across the measure; centred
		 * or right-aligned: a box around the text; padding all round */
		int x0 = 0, x1 = tb->width;
		if (st->align == ALIGN_CENTER || st->align == ALIGN_RIGHT) {
			x0 = tb->width, x1 = 0;
			for (int i = 0; i < tb->nlines; i++) {
				int a = tb->lines[i].x, b = a + tb->lines[i].cl->width;
				x0 = a < x0 ? a : x0;
				x1 = b > x1 ? b : x1;
			}
		}
		page_area(pg, BOX_RECT, lo->margin_left + PT(tb->left + x0 - pad),
			  lo->margin_top + PT(y), PT(x1 - x0 + 2 * pad), PT(h))->color = st->background;
	}
	if (tb->image) {	/* centred on the measure, the caption below */
		struct box *im = page_area(pg, BOX_IMAGE,
					   lo->margin_left + PT(tb->left) + PT(tb->width - tb->image_w) / 2,
					   lo->margin_top + PT(y), PT(tb->image_w), PT(tb->image_h));
		im->name = xstrdup(tb->image);
		im->se = tags_of(f, tb).image;
		im->at = tb->at;
		im->image_w = tb->src->image_width;
		im->image_h = tb->src->image_height;
		y += tb->image_h + tb->space_before;
	}
	place_lines(pg, tb, 0, tb->nlines, lo->margin_left + PT(tb->left), lo->margin_top, y + pad,
		    tags_of(f, tb));
	if (tb->rule) {	/* a thematic break is its rule alone */
		page_area(pg, BOX_RECT, lo->margin_left + PT(tb->left), lo->margin_top + PT(y),
			  PT(tb->width), st->rule_below)->color = st->rule_color;
		return;
	}
	if (st->rule_below > 0) {
		page_area(pg, BOX_RULE, lo->margin_left + PT(tb->left),
			  lo->margin_top + PT(y + h) + st->rule_below, PT(tb->width), st->rule_below)
			->color = st->rule_color;
	}
}

/* A heading's destination, where the outline and the TOC point. */
static void place_dest(struct flow *f, int id, int y)
{
	struct box *b = page_area(&f->doc->pages[f->page], BOX_DEST, f->lo->margin_left,
				  f->lo->margin_top + PT(y), 0, 0);
	char name[FLOW_DEST_MAX];
	flow_dest(DEST_HEADING, id, name);
	b->name = xstrdup(name);
}

/* ---- footnotes ---- */

/* The space above a page's notes: the gap and the rule. */
static int foot_rule_h(const struct flow *f)
{
	return (int)((f->lo->notes.space + f->lo->notes.rule_width) * PANGO_SCALE);
}

static int on_page(const struct flow *f, int note)
{
	for (int i = 0; i < f->nfoot; i++)
		if (f->foot[i].note == note)
			return 1;
	return 0;
}

static int note_ok(const struct flow *f, int note)
{
	return note >= 0 && note < f->nall && f->all[note].is_note;
}

/* What the notes marked on line `line` of tb would add to this page's foot
 * (the rule too, for the page's first note). */
static int notes_need(const struct flow *f, const struct tblock *tb, int line)
{
	if (f->lo->notes.place != NOTES_FOOT)
		return 0;
	int h = 0;
	for (int i = 0; i < tb->nnotes; i++) {
		int n = tb->notes[i].note;
		if (tb->notes[i].line == line && note_ok(f, n) && !on_page(f, n))
			h += lines_height(&f->all[n], 0, f->all[n].nlines);
	}
	return h && !f->nfoot ? h + foot_rule_h(f) : h;
}

static void foot_add(struct footseg **v, int *n, int *cap, struct footseg s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, (size_t)*cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

/* The notes marked on lines [from, to) of tb, now placed, take their room
 * at this page's foot; what a note cannot fit (it is taller than what is
 * left) goes on at the next page's. */
static void reserve_notes(struct flow *f, const struct tblock *tb, int from, int to)
{
	if (f->lo->notes.place != NOTES_FOOT)
		return;
	for (int i = 0; i < tb->nnotes; i++) {
		int n = tb->notes[i].note;
		if (tb->notes[i].line < from || tb->notes[i].line >= to || !note_ok(f, n) || on_page(f, n))
			continue;
		const struct tblock *nb = &f->all[n];
		int rule = f->nfoot ? 0 : foot_rule_h(f);
		int room = f->height - f->y - f->foot_h - rule, k = 0, used = 0;
		while (k < nb->nlines && used + nb->lines[k].pitch <= room)
			used += nb->lines[k++].pitch;
		if (k == 0 && nb->nlines)	/* not even a line: all of it on the next page */
			k = 0;
		if (k > 0) {
			foot_add(&f->foot, &f->nfoot, &f->footcap, (struct footseg){n, 0, k, 0});
			f->foot_h += used + rule;
		}
		if (k < nb->nlines)
			foot_add(&f->carry, &f->ncarry, &f->carrycap, (struct footseg){n, k, nb->nlines, 1});
	}
}

/* The page's notes at its foot: the rule (across the measure over a note
 * going on from the last page), then each note's lines. */
static void emit_notes(struct flow *f)
{
	if (!f->nfoot) {
		f->foot_h = 0;
		return;
	}
	const struct note_design *nd = &f->lo->notes;
	struct page *pg = &f->doc->pages[f->page];
	double measure = f->lo->page_width - f->lo->margin_left - f->lo->margin_right;
	int y = f->height - f->foot_h;
	if (nd->rule_width > 0)
		page_area(pg, BOX_RECT, f->lo->margin_left, f->lo->margin_top + PT(y) + nd->space,
			  f->foot[0].cont ? measure : measure * nd->rule_length, nd->rule_width)
			->color = nd->rule_color;
	y += foot_rule_h(f);
	for (int i = 0; i < f->nfoot; i++) {
		const struct tblock *nb = &f->all[f->foot[i].note];
		place_lines(pg, nb, f->foot[i].from, f->foot[i].to, f->lo->margin_left + PT(nb->left),
			    f->lo->margin_top, y, tags_of(f, nb));
		y += lines_height(nb, f->foot[i].from, f->foot[i].to);
	}
	f->nfoot = 0;
	f->foot_h = 0;
}

/* The notes set after a block (endnotes: the layout's notes.place entry):
 * the rule, then each as a paragraph. */
static void flow_para(struct flow *f, const struct tblock *tb, int gap, struct placement *at);

static void flow_endnotes(struct flow *f, const struct tblock *tb)
{
	const struct note_design *nd = &f->lo->notes;
	double measure = f->lo->page_width - f->lo->margin_left - f->lo->margin_right;
	int h = foot_rule_h(f);
	if (f->y + h > f->height)
		flow_new_page(f);
	if (nd->rule_width > 0)
		page_area(&f->doc->pages[f->page], BOX_RECT, f->lo->margin_left,
			  f->lo->margin_top + PT(f->y) + nd->space, measure * nd->rule_length,
			  nd->rule_width)->color = nd->rule_color;
	f->y += h;
	for (int i = 0; i < tb->nafter; i++) {
		struct placement at;
		if (note_ok(f, tb->after[i]))
			flow_para(f, &f->all[tb->after[i]], 0, &at);
	}
}

/* ---- tables ---- */

/* What a table must keep on the page where it starts: its header rows and
 * first body row. */
static int table_keep(const struct ttable *t)
{
	int h = 0;
	for (int r = 0; r < t->nrows && r <= t->head_rows; r++)
		h += t->row_h[r];
	return h;
}

/* A rule of w pt across the table, centred on y (Pango units). */
static void table_rule(struct flow *f, const struct ttable *t, int y, double w)
{
	if (w <= 0)
		return;
	page_area(&f->doc->pages[f->page], BOX_RECT, f->lo->margin_left, f->lo->margin_top + PT(y) - w / 2,
		  PT(t->width), w)->color = f->lo->table.rule_color;
}

/* Row r's lines [from[c], to[c]) of each column's cell, the row's top at y
 * and h tall: its background, then the cells' text. */
static void table_row(struct flow *f, const struct tblock *cells, int r, const int *from,
		      const int *to, int y, int h, struct placement *at)
{
	const struct ttable *t = cells[0].table;
	const struct table_design *td = &f->lo->table;
	struct color bg = r < t->head_rows ? td->header_background
			  : (r - t->head_rows) % 2 ? td->band_background : (struct color){0, 0, 0, 0};
	struct page *pg = &f->doc->pages[f->page];
	if (bg.a > 0)
		page_area(pg, BOX_RECT, f->lo->margin_left, f->lo->margin_top + PT(y), PT(t->width), PT(h))
			->color = bg;
	for (int c = 0; c < t->ncols; c++) {
		int k = t->cell[r * t->ncols + c];
		if (k < 0)
			continue;
		const struct tblock *cb = &cells[k];
		if (at[k].page < 0)
			at[k] = (struct placement){f->page, f->lo->margin_top + PT(y)};
		/* a header row repeated on a page the table goes on to is an artifact */
		place_lines(pg, cb, from[c], to[c],
			    f->lo->margin_left + PT(t->col_x[c] + t->pad + cb->left), f->lo->margin_top,
			    y + t->pad, r < t->head_rows && f->repeat ? (struct block_tags){0, 0, 0} : tags_of(f, cb));
		reserve_notes(f, cb, from[c], to[c]);
	}
}

/* Lines of a cell from line `from` that fit in room. */
static int cell_fit(const struct tblock *cb, int from, int room)
{
	int k = from, used = 0;
	while (k < cb->nlines && used + cb->lines[k].pitch <= room)
		used += cb->lines[k++].pitch;
	return k;
}

/* Places a whole row (or, when it is taller than a page, what fits of it
 * at a time); returns the y after it. */
static int table_place_row(struct flow *f, const struct tblock *cells, int r, int y,
			   struct placement *at);

/* The header rows at y, then the header rule; returns the y after. */
static int table_header(struct flow *f, const struct tblock *cells, int y, struct placement *at)
{
	const struct ttable *t = cells[0].table;
	table_rule(f, t, y, f->lo->table.rule_top);
	for (int r = 0; r < t->head_rows && r < t->nrows; r++)
		y = table_place_row(f, cells, r, y, at);
	if (t->head_rows > 0)
		table_rule(f, t, y, f->lo->table.rule_header);
	return y;
}

static int table_place_row(struct flow *f, const struct tblock *cells, int r, int y,
			   struct placement *at)
{
	const struct ttable *t = cells[0].table;
	int *from = xcalloc((size_t)t->ncols, sizeof(int)), *to = xcalloc((size_t)t->ncols, sizeof(int));
	for (int c = 0; c < t->ncols; c++) {
		int k = t->cell[r * t->ncols + c];
		to[c] = k >= 0 ? cells[k].nlines : 0;
	}
	for (;;) {
		int room = f->height - y - 2 * t->pad, done = 1, h = 0;
		for (int c = 0; c < t->ncols; c++) {
			int k = t->cell[r * t->ncols + c];
			if (k < 0)
				continue;
			int n = t->row_h[r] <= f->height - y ? cells[k].nlines : cell_fit(&cells[k], from[c], room);
			if (n == from[c] && from[c] < cells[k].nlines && y == 0)
				n = from[c] + 1;	/* a line taller than a page: it overflows */
			to[c] = n;
			done &= n == cells[k].nlines;
			int hh = lines_height(&cells[k], from[c], n);
			h = hh > h ? hh : h;
		}
		h = done && t->row_h[r] <= f->height - y ? t->row_h[r] : h + 2 * t->pad;
		table_row(f, cells, r, from, to, y, h, at);
		y += h;
		if (done)
			break;
		/* a row taller than a page: what is left of it on the next */
		table_rule(f, t, y, f->lo->table.rule_bottom);
		flow_new_page(f);
		f->repeat = 1;
		y = table_header(f, cells, 0, at);
		f->repeat = 0;
		memcpy(from, to, (size_t)t->ncols * sizeof(int));
	}
	free(from);
	free(to);
	return y;
}

/* A table: its rows in order, breaking between rows; each page it reaches
 * repeats the header rows, and a row is split only when it is taller than
 * a page (with a warning). */
static void flow_table(struct flow *f, const struct tblock *cells, int gap, struct placement *at)
{
	const struct ttable *t = cells[0].table;
	const struct table_design *td = &f->lo->table;
	for (int k = 0; k < t->ncells; k++)
		at[k] = (struct placement){-1, 0};
	if (f->y > 0 && f->y + gap + table_keep(t) > f->height) {
		flow_new_page(f);
		gap = 0;
	}
	int y = table_header(f, cells, f->y + gap, at);
	int head = y - (f->y + gap), on_page = 0;
	for (int r = t->head_rows; r < t->nrows; r++) {
		int h = t->row_h[r];
		if (on_page && y + h > f->height) {	/* the next page, with the header again */
			table_rule(f, t, y, td->rule_bottom);
			flow_new_page(f);
			f->repeat = 1;
			y = table_header(f, cells, 0, at);
			f->repeat = 0;
			on_page = 0;
		}
		if (h > f->height - head && f->d) {
			int k = t->cell[r * t->ncols];
			const struct tblock *cb = k >= 0 ? &cells[k] : &cells[0];
			diag_add(f->d, SEV_WARNING, cb->at.file, cb->at.line, 0,
				 "a table row taller than a page is split across pages");
		}
		if (on_page && td->rule_rows > 0)
			table_rule(f, t, y, td->rule_rows);
		y = table_place_row(f, cells, r, y, at);
		on_page++;
	}
	table_rule(f, t, y, td->rule_bottom);
	f->y = y;
}

/* ---- breaking ---- */

/* Rows of `next` kept with what comes before it: as many as the page-break
 * rules would leave of it (at least orphans, and all of it if the rest
 * would be fewer than widows). */
static int kept_rows(const struct tblock *tb, const struct tblock *next, int widows, int orphans)
{
	int n = rows(next, 0, next->nlines);
	int k = tb->keep_with_next > orphans ? tb->keep_with_next : orphans;
	if (k > n || n - k < widows)
		k = n;
	return k;
}

/* Space needed after blocks[i] for what must stay with it: the first rows
 * of the next block, and when that is a heading too (一、 then 1.1、), the
 * whole heading and what it keeps in turn. */
static int keep_height(const struct tblock *blocks, int i, int n, int widows, int orphans,
		       int limit)
{
	int h = 0;
	/* past limit (a page) the sum changes nothing: a run of thousands of
	 * headings stays linear */
	for (; i + 1 < n && blocks[i].keep_with_next > 0 && h <= limit; i++) {
		const struct tblock *tb = &blocks[i], *next = &blocks[i + 1];
		int gap = tb->space_after > next->space_before ? tb->space_after : next->space_before;
		if (next->table)
			h += gap + table_keep(next->table);
		else if (next->keep_with_next > 0 || next->unbreakable || next->image ||
		    next->style->background.a > 0)
			h += gap + block_height(next);	/* kept whole anyway */
		else
			h += gap + 2 * block_pad(next) +
			     lines_height(next, 0, row_line(next, kept_rows(tb, next, widows, orphans)));
		if (next->keep_with_next == 0)
			break;
	}
	return h;
}

static int whole(const struct tblock *tb)
{
	return tb->heading || tb->unbreakable || tb->style->background.a > 0 || tb->image || tb->rule;
}

/* Places a block that is not split: on this page if it fits with what it
 * keeps, else at the top of the next. */
static void flow_whole(struct flow *f, const struct tblock *blocks, int i, int n, int id,
		       int gap, struct placement *at)
{
	const struct tblock *tb = &blocks[i];
	int notes = 0;
	for (int l = 0; l < tb->nlines; l++)
		notes += notes_need(f, tb, l);
	int need = block_height(tb) + keep_height(blocks, i, n, f->widows, f->orphans, f->height);
	if (need > f->height)	/* a run of headings taller than a page: let it flow */
		need = block_height(tb);
	if (f->y > 0 && f->y + gap + need + notes + f->foot_h > f->height) {
		flow_new_page(f);
		gap = 0;
	}
	*at = (struct placement){f->page, f->lo->margin_top + PT(f->y + gap)};
	if (tb->heading)
		place_dest(f, id, f->y + gap);
	place_whole(f, tb, f->y + gap);
	f->y += gap + block_height(tb);
	reserve_notes(f, tb, 0, tb->nlines);
}

/* Where a paragraph breaks after line `from` with `fit` lines fitting: a
 * row boundary that leaves at least `orphans` rows before it and `widows`
 * after; `from` itself if none does. */
static int break_line(const struct flow *f, const struct tblock *tb, int from, int fit)
{
	int k = from + fit;
	while (k < tb->nlines && tb->lines[k].joins)
		k--;	/* never between a line and the lines that join it */
	if (k >= tb->nlines)
		return tb->nlines;
	int total = rows(tb, 0, tb->nlines), kr = rows(tb, 0, k), fr = rows(tb, 0, from);
	if (total - kr < f->widows)
		kr = total - f->widows;
	if (kr - fr < f->orphans)
		kr = fr;
	return kr <= fr ? from : row_line(tb, kr);
}

/* A paragraph: as many lines as fit, keeping widows and orphans. */
static void flow_para(struct flow *f, const struct tblock *tb, int gap, struct placement *at)
{
	int from = 0;
	*at = (struct placement){f->page, f->lo->margin_top + PT(f->y + gap)};
	while (from < tb->nlines) {
		int room = f->height - f->y - gap - f->foot_h;
		int fit = 0, used = 0, notes = 0;
		for (; from + fit < tb->nlines; fit++) {	/* lines, and the notes they mark */
			const struct tline *l = &tb->lines[from + fit];
			int more = notes_need(f, tb, from + fit);
			if (used + (l->joins ? 0 : l->pitch) + notes + more > room)
				break;
			used += l->joins ? 0 : l->pitch;
			notes += more;
		}
		int k = break_line(f, tb, from, fit);
		if (k <= from) {
			if (f->y > 0) {
				flow_new_page(f);
				gap = 0;
				if (from == 0)
					*at = (struct placement){f->page, f->lo->margin_top};
				continue;
			}
			/* a page cannot honour the rules: place what fits, at least a row */
			k = from + (fit > 0 ? fit : 1);
			while (k < tb->nlines && tb->lines[k].joins)
				k++;
		}
		place_lines(&f->doc->pages[f->page], tb, from, k, f->lo->margin_left + PT(tb->left),
			    f->lo->margin_top, f->y + gap, tags_of(f, tb));
		f->y += gap + lines_height(tb, from, k);
		reserve_notes(f, tb, from, k);
		from = k;
		if (from < tb->nlines) {
			flow_new_page(f);
			gap = 0;
		}
	}
}

void flow_blocks(struct doc *doc, const struct tblock *blocks, int n, int first_id,
		 const struct layout *lo, const struct block_tags *tags, struct placement *at,
		 struct diags *d)
{
	struct flow f = {0};
	f.doc = doc;
	f.lo = lo;
	f.d = d;
	f.all = blocks;
	f.nall = n;
	f.tags = tags;
	f.height = (int)((lo->page_height - lo->margin_top - lo->margin_bottom) * PANGO_SCALE);
	f.widows = lo->widows > 0 ? lo->widows : 1;
	f.orphans = lo->orphans > 0 ? lo->orphans : 1;
	flow_new_page(&f);
	for (int i = 0; i < n; i++) {
		const struct tblock *tb = &blocks[i];
		at[i] = (struct placement){-1, 0};
		if ((tb->in_table && !tb->table) || tb->is_note)
			continue;	/* placed with its table; at a foot, or after an entry */
		if (tb->nlines == 0 && !tb->image && !tb->rule && !tb->table)
			continue;
		int gap = f.y == 0 ? 0 : (f.prev_after > tb->space_before ? f.prev_after : tb->space_before);
		if (tb->table) {
			int ncells = tb->table->ncells < n - i ? tb->table->ncells : n - i;
			flow_table(&f, tb, gap, &at[i]);
			f.prev_after = tb->space_after;
			i += ncells - 1;
			continue;
		}
		if (whole(tb))
			flow_whole(&f, blocks, i, n, first_id + i, gap, &at[i]);
		else
			flow_para(&f, tb, gap, &at[i]);
		f.prev_after = tb->space_after;
		if (tb->nafter)
			flow_endnotes(&f, tb);
	}
	while (f.ncarry)	/* a note's rest on pages of its own */
		flow_new_page(&f);
	emit_notes(&f);
	free(f.foot);
	free(f.carry);
}

/* ---- documents ---- */

void doc_reset(struct doc *doc)
{
	for (int i = 0; i < doc->npages; i++) {
		struct page *pg = &doc->pages[i];
		for (int k = 0; k < pg->nboxes; k++)
			free(pg->boxes[k].name);
		free(pg->boxes);
		free(pg->label);
	}
	free(doc->pages);
	doc->pages = NULL;
	doc->npages = 0;
	for (int i = 0; i < doc->nmarks; i++) {
		free(doc->marks[i].title);
		free(doc->marks[i].dest);
	}
	free(doc->marks);
	doc->marks = NULL;
	doc->nmarks = 0;
	doc->nruns = 0;
	tags_free(doc);
}

void doc_free(struct doc *doc)
{
	doc_reset(doc);
	free(doc->title);
	free(doc->subject);
	free(doc->author);
	free(doc->date);
	free(doc->lang);
	memset(doc, 0, sizeof(*doc));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct doc *doc_copy(const struct doc *in)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	*d = *in;
	d->pages = xcalloc((size_t)(in->npages ? in->npages : 1), sizeof(*d->pages));
	for (int i = 0; i < in->npages; i++) {
		const struct page *src = &in->pages[i];
		struct page *pg = &d->pages[i];
		pg->label = dup_or_null(src->label);
		pg->spread_of[0] = src->spread_of[0];
		pg->spread_of[1] = src->spread_of[1];
		pg->split = src->split;
		pg->cap = pg->nboxes = src->nboxes;
		pg->boxes = xmalloc((size_t)(src->nboxes ? src->nboxes : 1) * sizeof(*pg->boxes));
		for (int k = 0; k < src->nboxes; k++) {
			pg->boxes[k] = src->boxes[k];
			pg->boxes[k].name = dup_or_null(src->boxes[k].name);
		}
	}
	d->marks = xcalloc((size_t)(in->nmarks ? in->nmarks : 1), sizeof(*d->marks));
	for (int i = 0; i < in->nmarks; i++) {
		d->marks[i] = in->marks[i];
		d->marks[i].title = dup_or_null(in->marks[i].title);
		d->marks[i].dest = dup_or_null(in->marks[i].dest);
	}
	d->se = xcalloc((size_t)(in->nse ? in->nse : 1), sizeof(*d->se));
	d->capse = in->nse;
	for (int i = 0; i < in->nse; i++) {
		d->se[i] = in->se[i];
		d->se[i].alt = dup_or_null(in->se[i].alt);
	}
	d->title = dup_or_null(in->title);
	d->subject = dup_or_null(in->subject);
	d->author = dup_or_null(in->author);
	d->date = dup_or_null(in->date);
	d->lang = dup_or_null(in->lang);
	return d;
}
