/* flow.c: shaped blocks -> pages of positioned boxes.
 *
 * Vertical positions are kept in Pango units from the top of the text area
 * while breaking, and become points on the page only in the boxes.  Rules:
 * space between blocks is the larger of the two (it is dropped at a page
 * top); a heading is kept with the first lines of what follows; a paragraph
 * leaves at least `orphans` lines at a page bottom and carries at least
 * `widows` lines to the next page; a block with a background never splits.
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

struct flow {
	struct doc *doc;
	const struct layout *lo;
	int page;		/* index of the current page in doc, -1 before the first */
	int y;			/* Pango units used on the current page */
	int height;		/* Pango units of the text area */
	int prev_after;		/* space after the previous block */
	int widows, orphans;
};

int doc_new_page(struct doc *doc)
{
	doc->pages = xrealloc(doc->pages, (size_t)(doc->npages + 1) * sizeof(*doc->pages));
	memset(&doc->pages[doc->npages], 0, sizeof(*doc->pages));
	return doc->npages++;
}

struct tblock *doc_new_block(struct doc *doc)
{
	if (doc->ngen == doc->capgen) {
		doc->capgen = doc->capgen ? doc->capgen * 2 : 32;
		doc->gen = xrealloc(doc->gen, (size_t)doc->capgen * sizeof(*doc->gen));
	}
	struct tblock *tb = &doc->gen[doc->ngen++];
	memset(tb, 0, sizeof(*tb));
	return tb;
}

static void flow_new_page(struct flow *f)
{
	f->page = doc_new_page(f->doc);
	f->y = 0;
}


/* Height of the block's lines [from, to) in Pango units. */
static int lines_height(const struct tblock *tb, int from, int to)
{
	int h = 0;
	for (int i = from; i < to; i++)
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

static int line_width_of(const struct tline *tl)
{
	return tl->cl->width;
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

/* Lines [from, to) of tb on pg: the block's left edge at `left` and the
 * first line's top at top + y (points + Pango units). */
static void place_lines(struct page *pg, const struct tblock *tb, int from, int to, double left,
			double top, int y)
{
	for (int i = from; i < to; i++) {
		const struct tline *tl = &tb->lines[i];
		int half = (tl->pitch - tl->ascent - tl->descent) / 2;
		int baseline = y + half + tl->ascent;
		for (int k = 0; k < tb->ndecos; k++) {	/* backgrounds first, under the text */
			const struct tdeco *dc = &tb->decos[k];
			if (dc->line != i)
				continue;
			page_area(pg, BOX_RECT, left + PT(dc->x0), top + PT(baseline - dc->ascent),
				  PT(dc->x1 - dc->x0), PT(dc->ascent + dc->descent))->color = dc->color;
		}
		struct box b = {0};
		b.kind = BOX_LINE;
		b.x = left + PT(tl->x);
		b.y = top + PT(baseline);
		b.w = PT(line_width_of(tl));
		b.h = PT(tl->ascent + tl->descent);
		b.line = tl->cl;
		b.text = tb->display;
		b.text_start = tl->start;
		b.text_len = tl->len;
		b.block = tb->id;
		b.role = tb->role;
		page_add(pg, &b);
		for (int k = 0; k < tb->nlinks; k++) {
			const struct tlink *lk = &tb->links[k];
			if (lk->line != i)
				continue;
			page_area(pg, BOX_LINK, left + PT(lk->x0), top + PT(baseline - tl->ascent),
				  PT(lk->x1 - lk->x0), PT(tl->ascent + tl->descent))->name =
				xstrdup(lk->href);
		}
		if (tb->tail.nlines > 0 && i == tb->nlines - 1) {
			struct box t = b;
			t.line = &tb->tail.lines[0];
			t.x = left + PT(tb->tail_x);
			t.text = tb->tail_text;
			t.text_start = 0;
			t.text_len = (int)strlen(tb->tail_text);
			page_add(pg, &t);
		}
		if (tb->dest)	/* the whole line is a link to the destination */
			page_area(pg, BOX_LINK, left, top + PT(baseline - tl->ascent), PT(tb->width),
				  PT(tl->ascent + tl->descent))->name = xasprintf("#%s", tb->dest);
		y += tl->pitch;
	}
}

void flow_at(struct doc *doc, int page, const struct tblock *tb, double x, double y)
{
	place_lines(&doc->pages[page], tb, 0, tb->nlines, x + PT(tb->left), y, 0);
}

/* A heading or other unsplittable block, with its background and rule. */
static void place_whole(struct flow *f, struct tblock *tb, int y)
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
				int a = tb->lines[i].x, b = a + line_width_of(&tb->lines[i]);
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
		im->at = tb->at;
		im->image_w = tb->src->image_width;
		im->image_h = tb->src->image_height;
		y += tb->image_h + tb->space_before;
	}
	place_lines(pg, tb, 0, tb->nlines, lo->margin_left + PT(tb->left), lo->margin_top, y + pad);
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

static void add_mark(struct flow *f, const struct tblock *tb, int index, int y)
{
	struct doc *doc = f->doc;
	doc->marks = xrealloc(doc->marks, (size_t)(doc->nmarks + 1) * sizeof(*doc->marks));
	struct mark *m = &doc->marks[doc->nmarks++];
	m->level = tb->heading;
	m->title = xasprintf("%s%s", tb->number ? tb->number : "", tb->plain ? tb->plain : "");
	m->dest = xasprintf("h%d", index);
	m->page = f->page;
	m->y = f->lo->margin_top + PT(y);
	struct box d = {0};
	d.kind = BOX_DEST;
	d.x = f->lo->margin_left;
	d.y = m->y;
	d.name = xstrdup(m->dest);
	page_add(&doc->pages[f->page], &d);
}

/* Space needed after blocks[i] for what must stay with it: the first lines
 * of the next block (as many as the page-break rules would leave of it: at
 * least orphans, and all of it if the rest would be fewer than widows), and
 * when that is a heading too (一、 then 1.1、), the whole heading and what it
 * keeps in turn. */
static int keep_height(const struct tblock *blocks, int i, int n, int widows, int orphans,
		       int limit)
{
	int h = 0;
	/* past limit (a page) the sum changes nothing: a run of thousands of
	 * headings stays linear */
	for (; i + 1 < n && blocks[i].keep_with_next > 0 && h <= limit; i++) {
		const struct tblock *tb = &blocks[i], *next = &blocks[i + 1];
		int gap = tb->space_after > next->space_before ? tb->space_after : next->space_before;
		if (next->keep_with_next > 0 || next->unbreakable || next->image ||
		    next->style->background.a > 0) {
			h += gap + block_height(next);	/* kept whole anyway */
		} else {
			int k = tb->keep_with_next > orphans ? tb->keep_with_next : orphans;
			if (k > next->nlines || next->nlines - k < widows)
				k = next->nlines;
			h += gap + 2 * block_pad(next) + lines_height(next, 0, k);
		}
		if (next->keep_with_next == 0)
			break;
	}
	return h;
}

void flow_blocks(struct doc *doc, struct tblock *blocks, int n, const struct layout *lo)
{
	struct flow f = {0};
	f.doc = doc;
	f.lo = lo;
	f.height = (int)((lo->page_height - lo->margin_top - lo->margin_bottom) * PANGO_SCALE);
	f.widows = lo->widows > 0 ? lo->widows : 1;
	f.orphans = lo->orphans > 0 ? lo->orphans : 1;
	flow_new_page(&f);
	for (int i = 0; i < n; i++) {
		struct tblock *tb = &blocks[i];
		if (tb->nlines == 0 && !tb->image && !tb->rule)
			continue;
		int gap = f.y == 0 ? 0 : (f.prev_after > tb->space_before ? f.prev_after : tb->space_before);
		if (tb->heading || tb->unbreakable || tb->style->background.a > 0 || tb->image ||
		    tb->rule) {
			int need = block_height(tb) +
				   keep_height(blocks, i, n, f.widows, f.orphans, f.height);
			if (need > f.height)	/* a run of headings taller than a page: let it flow */
				need = block_height(tb);
			if (f.y > 0 && f.y + gap + need > f.height) {
				flow_new_page(&f);
				gap = 0;
			}
			tb->toc_page = f.page;
			if (tb->heading)
				add_mark(&f, tb, i, f.y + gap);
			place_whole(&f, tb, f.y + gap);
			f.y += gap + block_height(tb);
			f.prev_after = tb->space_after;
			continue;
		}
		/* a paragraph: as many lines as fit, keeping widows and orphans */
		int from = 0;
		tb->toc_page = f.page;
		while (from < tb->nlines) {
			int room = f.height - f.y - gap;
			int fit = 0, used = 0;
			while (from + fit < tb->nlines && used + tb->lines[from + fit].pitch <= room)
				used += tb->lines[from + fit++].pitch;
			int k = from + fit;
			if (k < tb->nlines) {
				if (tb->nlines - k < f.widows)
					k = tb->nlines - f.widows;
				if (k - from < f.orphans)
					k = from;
			}
			if (k <= from) {
				if (f.y > 0) {
					flow_new_page(&f);
					gap = 0;
					if (from == 0)
						tb->toc_page = f.page;
					continue;
				}
				/* a page cannot honour the rules: place what fits, at least a line */
				k = from + (fit > 0 ? fit : 1);
			}
			place_lines(&doc->pages[f.page], tb, from, k, lo->margin_left + PT(tb->left),
				    lo->margin_top, f.y + gap);
			f.y += gap + lines_height(tb, from, k);
			from = k;
			if (from < tb->nlines) {
				flow_new_page(&f);
				gap = 0;
			}
		}
		f.prev_after = tb->space_after;
	}
}

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
	for (int i = 0; i < doc->ngen; i++)
		text_block_done(&doc->gen[i]);
	free(doc->gen);
	doc->gen = NULL;
	doc->ngen = doc->capgen = 0;
}

void doc_free(struct doc *doc)
{
	doc_reset(doc);
	free(doc->title);
	free(doc->subject);
	free(doc->author);
	free(doc->date);
	memset(doc, 0, sizeof(*doc));
}
