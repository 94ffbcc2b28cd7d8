/* toc.c: the whole document: cover, table of contents, body, page labels and
 * running heads; repaginated until the TOC's page numbers stop changing.
 *
 * The body is shaped once; only its pagination is redone.  The TOC lists
 * the headings down to the layout's depth with the printed number of the
 * page each starts on.  Its own length can move the body (the published
 * issue numbers pages from the cover), so: paginate, fill in numbers,
 * repaginate, until a pass gives the same numbers (at most MAX_PASSES).
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

enum { MAX_PASSES = 8 };

/* Lower-case roman numerals for the pages before numbering starts. */
static char *roman(int n)
{
	static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
	static const char *sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; i < 13; i++)
		for (; n >= val[i]; n -= val[i])
			sbuf_str(&sb, sym[i]);
	return sbuf_take(&sb);
}

static char *page_label(int index, int start)
{
	return index >= start ? xasprintf("%d", index - start + 1) : roman(index + 1);
}

static int listed(const struct tblock *tb, const struct layout *lo)
{
	return tb->heading > 0 && tb->heading <= lo->toc.depth && tb->heading <= 3;
}

/* An even page, by its printed number (by its place if it has none): a
 * left-hand page when the bulletin is printed on both sides. */
static int verso(const struct doc *doc, int p)
{
	const char *label = doc->pages[p].label;
	char *end;
	long n = label ? strtol(label, &end, 10) : 0;
	if (!label || *end || n <= 0)
		n = p + 1;
	return n % 2 == 0;
}

/* Running head and footer on every page after the cover. */
static void furniture(struct doc *doc, PangoContext *ctx, const struct layout *lo,
		      const struct tvar *vars, int nvars, int first, struct diags *d)
{
	const struct furniture *fs[] = {&lo->header, &lo->footer};
	double measure = lo->page_width - lo->margin_left - lo->margin_right;
	struct tvar *v = xcalloc((size_t)nvars + 1, sizeof(*v));
	memcpy(v, vars, (size_t)nvars * sizeof(*v));
	for (int p = first; p < doc->npages; p++) {
		v[nvars] = (struct tvar){"page", doc->pages[p].label, 0};
		for (int k = 0; k < 2; k++) {
			const struct furniture *f = fs[k];
			if (f->text && *f->text) {
				char *text = tmpl_expand(f->text, v, nvars + 1);
				struct tblock *tb = doc_new_block(doc);
				struct style st = f->style;
				if (f->mirror && verso(doc, p))	/* the outer edge is on the left */
					st.align = st.align == ALIGN_RIGHT  ? ALIGN_LEFT
						 : st.align == ALIGN_LEFT ? ALIGN_RIGHT
									  : st.align;
				text_plain(tb, ctx, lo, &st, text, (int)(measure * PANGO_SCALE), d);
				tb->style = &f->style;	/* st is gone after this call */
				flow_at(doc, p, tb, lo->margin_left, f->y);
				free(text);
			}
			if (f->rule_y > 0 && f->rule_width > 0) {
				page_area(&doc->pages[p], BOX_RULE, lo->margin_left, f->rule_y, measure,
					  f->rule_width)->color = f->rule_color;
			}
		}
	}
	free(v);
}

void toc_compose(struct doc *doc, PangoContext *ctx, const struct layout *lo,
		 struct tblock *body, int nbody, const struct tvar *vars, int nvars,
		 struct diags *d)
{
	char **labels = xcalloc((size_t)nbody, sizeof(*labels));	/* last pass's numbers */
	int first_pass = 1;
	for (int pass = 0; pass < MAX_PASSES; pass++) {
		doc_reset(doc);
		int cover = lo->cover.n > 0;
		if (cover)
			cover_page(doc, ctx, lo, vars, nvars, first_pass ? d : NULL);
		int toc_first = doc->npages;
		if (lo->toc.enabled) {
			int first = doc->ngen;
			struct tblock *tb = doc_new_block(doc);
			text_plain(tb, ctx, lo, &lo->toc.title_style, lo->toc.title,
				   (int)((lo->page_width - lo->margin_left - lo->margin_right) * PANGO_SCALE),
				   NULL);
			tb->unbreakable = 1;
			tb->keep_with_next = lo->keep_with_next;
			for (int i = 0; i < nbody; i++) {
				if (!listed(&body[i], lo))
					continue;
				char *dest = xasprintf("h%d", i);
				tb = doc_new_block(doc);
				int lv = body[i].heading;
				text_toc_entry(tb, ctx, lo, &lo->toc.entry[lv - 1], body[i].src,
					       body[i].number, labels[i] ? labels[i] : "0",
					       lo->toc.leader, lo->toc.show_labels, NULL);
				tb->dest_owned = dest;
				tb->dest = dest;
			}
			flow_blocks(doc, &doc->gen[first], doc->ngen - first, lo);
		}
		int body_first = doc->npages;
		flow_blocks(doc, body, nbody, lo);
		int start = lo->numbering == NUMBER_FROM_COVER ? 0
			  : lo->numbering == NUMBER_FROM_TOC && lo->toc.enabled ? toc_first
										 : body_first;
		doc->number_start = start;
		for (int p = 0; p < doc->npages; p++)
			doc->pages[p].label = page_label(p, start);
		int changed = 0;
		for (int i = 0; i < nbody; i++) {
			if (!listed(&body[i], lo))
				continue;
			const char *now = doc->pages[body[i].toc_page].label;
			if (!labels[i] || strcmp(labels[i], now)) {
				free(labels[i]);
				labels[i] = xstrdup(now);
				changed = 1;
			}
		}
		first_pass = 0;
		if (!changed || !lo->toc.enabled)
			break;
	}
	furniture(doc, ctx, lo, vars, nvars, lo->cover.n > 0 ? 1 : 0, d);
	for (int i = 0; i < nbody; i++)
		free(labels[i]);
	free(labels);
}
