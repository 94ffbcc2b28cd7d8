/* print.c: the print profile: bleed, full-bleed elements and crop marks.
 *
 * With a bleed b, each page grows by b on every side; what was the page is
 * the trim box.  Everything moves by (b, b).  A filled rectangle or image
 * that touches an edge of the trimmed page runs on into the bleed, so that
 * no white sliver shows when the cutter strays.  Crop marks stand in the
 * bleed, outside the trim, in line with its edges, and stop short of it by
 * an offset so they never show on the cut page.
 */
#include <string.h>

#include "bulletin.h"

#define EDGE 0.01	/* pt: touching an edge */

/* Moves the box by the bleed and runs it into the bleed where it touches
 * an edge of the trimmed page (width w, height h). */
static void bleed_box(struct box *b, double bleed, double w, double h)
{
	int full = b->kind == BOX_RECT || b->kind == BOX_IMAGE;
	if (full && b->kind == BOX_RECT) {
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
	b->x += bleed;
	b->y += bleed;
}

/* A thin rule from (x0, y0) to (x1, y1), horizontal or vertical. */
static void mark_line(struct page *pg, double x0, double y0, double x1, double y1, double width)
{
	struct box b = {0};
	b.kind = BOX_RECT;
	b.color = (struct color){0, 0, 0, 1};	/* registration black */
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

struct doc *print_bleed(const struct doc *in, double bleed)
{
	struct doc *doc = doc_copy(in);
	double w = doc->width, h = doc->height;
	/* marks start this far from the trim and run to the page edge */
	double offset = bleed / 3, width = 0.25;
	for (int p = 0; p < doc->npages; p++) {
		struct page *pg = &doc->pages[p];
		for (int i = 0; i < pg->nboxes; i++)
			bleed_box(&pg->boxes[i], bleed, w, h);
		double left = bleed, right = bleed + w, top = bleed, bottom = bleed + h;
		double xs[2] = {left, right}, ys[2] = {top, bottom};
		for (int i = 0; i < 2; i++)
			for (int k = 0; k < 2; k++) {
				double x = xs[i], y = ys[k];
				double hx = i ? x + offset : x - offset, hx2 = i ? x + bleed : x - bleed;
				double vy = k ? y + offset : y - offset, vy2 = k ? y + bleed : y - bleed;
				mark_line(pg, hx, y, hx2, y, width);	/* in line with the horizontal edge */
				mark_line(pg, x, vy, x, vy2, width);	/* in line with the vertical edge */
			}
	}
	doc->width = w + 2 * bleed;
	doc->height = h + 2 * bleed;
	return doc;
}
