/* print.c: the print profile: bleed, slug, full-bleed elements, printer's
 * marks, and the page count a binding needs.
 *
 * With a bleed b and a slug s, each page grows by b + s on every side:
 * what was the page is the trim box, b around it the bleed box, and the
 * slug beyond holds the printer's marks.  Everything moves by (b + s,
 * b + s).  A filled rectangle or image that touches an edge of the trimmed
 * page runs on into the bleed, so that no white sliver shows when the
 * cutter strays.  Crop marks stand in the slug, in line with the trim's
 * edges, starting at least the bleed away from the trim so they never print
 * inside the bleed; registration targets sit at the middle of each side.
 * Marks are printer's marks (BOX_MARK): the backend prints them on every
 * plate.  Blank pages pad the issue to the multiple of pages its binding
 * folds (4 for a saddle-stitched issue).
 *
 * Imposed for saddle stitching, the padded pages pair into printer's
 * spreads, two pages a sheet side, so that the folded, nested sheets read
 * in order: of n pages, sheet s (0 the outermost) carries pages n - 2s and
 * 2s + 1 on its front, 2s + 2 and n - 2s - 1 on its back (1-based).  Each
 * spread is then one page for the bleed and the marks (bleed on its outer
 * edges, none at the spine; fold marks in line with the spine).  Creep:
 * the inner sheets' pages stick out at the fore-edge once folded and lose
 * more to the trim, so their content moves toward the spine, by
 * creep * s / (sheets - 1); backgrounds at the page's side edges stay.
 */
#include <string.h>

#include "bulletin.h"

#define EDGE 0.01	/* pt: touching an edge */

/* Runs the box into the bleed where it touches an edge of the trimmed page
 * (width w, height h), then moves it by off. */
static void bleed_box(struct box *b, double bleed, double off, double w, double h)
{
	if (b->kind == BOX_RECT) {
		if (b->x <= EDGE) {
			b->w += bleed + b->x;
			b->x = -bleed;
		}
		if (b->y <= EDGE) {
			b->h += bleed + b->y;
			b->y = -bleed;
		}
		if (b->x + b->w >= w - EDGE)
			b->w = w + bleed - b->x;
		if (b->y + b->h >= h - EDGE)
			b->h = h + bleed - b->y;
	}
	b->x += off;
	b->y += off;
}

/* A crop mark: a line from (x0, y0) to (x1, y1), horizontal or vertical. */
static void crop_mark(struct page *pg, double x0, double y0, double x1, double y1, double width)
{
	struct box b = {0};
	b.kind = BOX_MARK;
	b.mark = MARK_CROP;
	if (y0 == y1) {
		b.x = x0 < x1 ? x0 : x1;
		b.w = x0 < x1 ? x1 - x0 : x0 - x1;
		b.y = y0 - width / 2;
		b.h = width;
	} else {
		b.y = y0 < y1 ? y0 : y1;
		b.h = y0 < y1 ? y1 - y0 : y0 - y1;
		b.x = x0 - width / 2;
		b.w = width;
	}
	page_add(pg, &b);
}

/* A fold mark at x, from y0 to y1. */
static void fold_mark(struct page *pg, double x, double y0, double y1, double width)
{
	struct box b = {0};
	b.kind = BOX_MARK;
	b.mark = MARK_FOLD;
	b.y = y0 < y1 ? y0 : y1;
	b.h = y0 < y1 ? y1 - y0 : y0 - y1;
	b.x = x - width / 2;
	b.w = width;
	page_add(pg, &b);
}

static void target(struct page *pg, double x, double y, double size)
{
	struct box b = {0};
	b.kind = BOX_MARK;
	b.mark = MARK_TARGET;
	b.x = x;
	b.y = y;
	b.w = b.h = size;
	page_add(pg, &b);
}

/* The marks of one page, trim at (off, off) w x h. */
static void marks(struct page *pg, const struct print_setup *ps, double off, double w, double h)
{
	if (ps->impose) {	/* the spine of the spread */
		double spine = off + w / 2;
		fold_mark(pg, spine, off - ps->bleed - 1, off - ps->bleed - ps->slug + 1, 0.25);
		fold_mark(pg, spine, off + h + ps->bleed + 1, off + h + ps->bleed + ps->slug - 1, 0.25);
	}
	double width = 0.25;
	/* from at least the bleed (and a hair) off the trim to 1pt short of
	 * the media's edge */
	double from = ps->bleed + 1, to = ps->bleed + ps->slug - 1;
	double left = off, right = off + w, top = off, bottom = off + h;
	double xs[2] = {left, right}, ys[2] = {top, bottom};
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++) {
			double x = xs[i], y = ys[k];
			double hx = i ? x + from : x - from, hx2 = i ? x + to : x - to;
			double vy = k ? y + from : y - from, vy2 = k ? y + to : y - to;
			crop_mark(pg, hx, y, hx2, y, width);	/* in line with the horizontal edge */
			crop_mark(pg, x, vy, x, vy2, width);	/* in line with the vertical edge */
		}
	if (!ps->registration)
		return;
	double size = ps->slug - 4 < 12 ? ps->slug - 4 : 12;
	double mid = ps->bleed + ps->slug / 2;	/* the slug's middle, from the trim */
	if (size < 4)
		return;	/* no room */
	/* beside the fold marks on a spread */
	double tx = ps->impose ? left + w / 4 : left + w / 2;
	target(pg, tx, top - mid, size);
	target(pg, tx, bottom + mid, size);
	if (ps->impose) {
		target(pg, left + 3 * w / 4, top - mid, size);
		target(pg, left + 3 * w / 4, bottom + mid, size);
	}
	target(pg, left - mid, top + h / 2, size);
	target(pg, right + mid, top + h / 2, size);
}

/* Blank pages after the last, up to a multiple of pad, numbered on. */
static void pad_pages(struct doc *doc, int pad)
{
	if (pad <= 1)
		return;
	while (doc->npages % pad) {
		int p = doc_new_page(doc);
		const char *prev = p > 0 ? doc->pages[p - 1].label : NULL;
		/* the printed number that would come next, or none */
		char *end;
		long n = prev ? strtol(prev, &end, 10) : 0;
		if (prev && !*end && n > 0)
			doc->pages[p].label = xasprintf("%ld", n + 1);
		else
			doc->pages[p].label = prev ? xstrdup(prev) : NULL;
	}
}

/* Box b of a page placed at x0 on a spread, content moved by shift
 * toward the spine (+1 right, for a left-hand page). */
static void place(struct page *to, const struct box *b, double x0, double shift, double w)
{
	struct box c = *b;
	c.name = b->name ? xstrdup(b->name) : NULL;
	int anchored = (b->kind == BOX_RECT || b->kind == BOX_IMAGE) &&
		       (b->x <= EDGE || b->x + b->w >= w - EDGE);
	c.x += x0 + (anchored ? 0 : shift);
	page_add(to, &c);
}

/* The printer's spreads of doc's pages (a multiple of 4) for saddle
 * stitching, as a new document. */
static struct doc *spreads(const struct doc *doc, double creep)
{
	struct doc shell = *doc;	/* everything but the pages, which are made anew */
	shell.npages = 0;
	struct doc *out = doc_copy(&shell);
	int n = doc->npages, sheets = n / 4;
	double w = doc->width;
	free(out->pages);
	out->pages = xcalloc((size_t)(n / 2 + 1), sizeof(*out->pages));
	out->npages = n / 2;
	int *where = xcalloc((size_t)n + 1, sizeof(*where));	/* source page -> spread */
	for (int s = 0; s < sheets; s++) {
		double shift = sheets > 1 ? creep * s / (sheets - 1) : 0;
		int pair[2][2] = {{n - 1 - 2 * s, 2 * s}, {2 * s + 1, n - 2 - 2 * s}};
		for (int side = 0; side < 2; side++) {
			int sp = 2 * s + side;
			struct page *pg = &out->pages[sp];
			for (int half = 0; half < 2; half++) {
				const struct page *src = &doc->pages[pair[side][half]];
				where[pair[side][half]] = sp;
				pg->spread_of[half] = pair[side][half] + 1;
				if (half)
					pg->split = pg->nboxes;
				for (int i = 0; i < src->nboxes; i++)
					place(pg, &src->boxes[i], half ? w : 0, half ? -shift : shift, w);
			}
			const char *l = doc->pages[pair[side][0]].label, *r = doc->pages[pair[side][1]].label;
			pg->label = xasprintf("%s|%s", l ? l : "-", r ? r : "-");
		}
	}
	for (int i = 0; i < out->nmarks; i++)
		out->marks[i].page = where[doc->marks[i].page];
	free(where);
	out->width = 2 * w;
	out->nruns = 0;	/* sheet sides are numbered 1, 2 ... */
	return out;
}

struct doc *print_bleed(const struct doc *in, const struct print_setup *ps)
{
	struct doc *doc = doc_copy(in);
	pad_pages(doc, ps->impose && ps->pad % 4 ? 4 : ps->pad);
	if (ps->impose) {
		struct doc *imposed = spreads(doc, ps->creep);
		doc_free(doc);
		free(doc);
		doc = imposed;
	}
	double w = doc->width, h = doc->height;
	double off = ps->bleed + ps->slug;
	for (int p = 0; p < doc->npages; p++) {
		struct page *pg = &doc->pages[p];
		for (int i = 0; i < pg->nboxes; i++)
			bleed_box(&pg->boxes[i], ps->bleed, off, w, h);
		marks(pg, ps, off, w, h);
	}
	doc->width = w + 2 * off;
	doc->height = h + 2 * off;
	return doc;
}
