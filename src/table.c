/* table.c: a table of the body set: column widths from the content, every
 * cell composed in its column (the clreq composer, as all text), rows'
 * heights.  Flow (flow.c) places the rows.
 *
 * Column widths, as browsers' automatic table layout does: each column has
 * a widest content (its cells on one line each) and a narrowest (its
 * widest unbreakable piece: a Han character, a Latin word or number with
 * what may not be parted from it).  When the widest fit the measure, the
 * room left is shared in proportion to them; else each column gets its
 * narrowest and the room left is shared in proportion to what each would
 * still take.  When even the narrowest do not fit, the cells are set
 * smaller, down to the layout's table.min_size; below it the table is an
 * error at its line.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

/* The widest unbreakable piece of a cell's text: runs of Latin letters and
 * digits (with what is glued to them) are one piece; a CJK character is
 * one, taking the closing punctuation after it and the opening before. */
static int narrowest(PangoContext *ctx, const struct layout *lo, const struct style *st,
		     const struct block *b)
{
	int best = 0;
	const char *t = b->text;
	for (int i = 0; i < b->len;) {
		unsigned cp;
		int n = utf8_decode(t + i, &cp);
		if (cp == ' ' || cp == '\n' || cp == '\t') {
			i += n;
			continue;
		}
		int j = i + n;
		if (cp < 0x2e80) {	/* a word: up to a space or a CJK character */
			while (j < b->len) {
				unsigned c;
				int k = utf8_decode(t + j, &c);
				if (c == ' ' || c == '\n' || c == '\t' || c >= 0x2e80)
					break;
				j += k;
			}
		}
		while (j < b->len) {	/* closing marks stay with what they follow */
			unsigned c;
			int k = utf8_decode(t + j, &c);
			if (!(c == 0x3001 || c == 0x3002 || c == 0xff0c || c == 0xff1a || c == 0xff1b ||
			      c == 0xff09 || c == 0x300b || c == 0x201d || c == 0x3011 || c == '%' ||
			      c == ',' || c == '.' || c == ')'))
				break;
			j += k;
		}
		int w = text_span_width(ctx, lo, st, t + i, j - i);
		best = w > best ? w : best;
		i = j;
	}
	return best;
}

/* The widest line of a cell set without a measure. */
static int widest(PangoContext *ctx, const struct layout *lo, const struct style *st,
		  const struct block *b)
{
	struct tblock tb;
	text_cell(&tb, ctx, lo, b, st, 1 << 28, NULL, NULL, NULL);
	int w = 0;	/* widths only: an aligned line's x is where the measure puts it */
	for (int i = 0; i < tb.nlines; i++)
		w = tb.lines[i].cl->width > w ? tb.lines[i].cl->width : w;
	text_block_done(&tb);
	return w;
}

/* A cell's style: its kind's, with its column's alignment (or its own). */
static const struct style *cell_style(const struct ttable *t, const struct block *b)
{
	const struct style *v = b->header ? t->th : t->td;
	return &v[b->align >= 0 && b->align < 4 ? b->align : 4];
}

/* Column widths (content, without padding) for the measure `room`; 0 if
 * even the narrowest do not fit. */
static int columns(struct ttable *t, PangoContext *ctx, const struct layout *lo,
		   const struct block *cells, int n, int room, int *w)
{
	int *lo_w = xcalloc((size_t)t->ncols, sizeof(int)), *hi_w = xcalloc((size_t)t->ncols, sizeof(int));
	for (int i = 0; i < n; i++) {
		const struct block *b = &cells[i];
		if (b->kind != BLOCK_CELL || b->cell_col >= t->ncols)
			continue;
		int a = narrowest(ctx, lo, cell_style(t, b), b), z = widest(ctx, lo, cell_style(t, b), b);
		int c = b->cell_col;
		lo_w[c] = a > lo_w[c] ? a : lo_w[c];
		hi_w[c] = z > hi_w[c] ? z : hi_w[c];
	}
	long long sum_lo = 0, sum_hi = 0;
	for (int c = 0; c < t->ncols; c++) {
		hi_w[c] = hi_w[c] > lo_w[c] ? hi_w[c] : lo_w[c];
		hi_w[c] = hi_w[c] > 0 ? hi_w[c] : PANGO_SCALE;	/* an empty column still shows */
		sum_lo += lo_w[c];
		sum_hi += hi_w[c];
	}
	int ok = sum_lo <= room;
	for (int c = 0; ok && c < t->ncols; c++) {
		if (sum_hi <= room)	/* all fit on one line: share what is left by width */
			w[c] = (int)(hi_w[c] + (long long)(room - sum_hi) * hi_w[c] / sum_hi);
		else		/* the narrowest, and what is left shared by what each still wants */
			w[c] = (int)(lo_w[c] + (sum_hi > sum_lo ? (long long)(room - sum_lo) *
								   (hi_w[c] - lo_w[c]) / (sum_hi - sum_lo)
								: 0));
	}
	free(lo_w);
	free(hi_w);
	return ok;
}

/* The cells' styles at size `size` (pt). */
static void styles_at(struct ttable *t, const struct layout *lo, double size)
{
	double k = size / lo->role[ROLE_TABLE].size;
	for (int a = 0; a < 5; a++) {
		t->td[a] = lo->role[ROLE_TABLE];
		t->th[a] = lo->role[ROLE_TABLE_HEAD];
		t->td[a].size *= k;
		t->th[a].size *= k;
		if (a < 4)	/* [4] keeps the style's own alignment */
			t->td[a].align = t->th[a].align = (enum align)a;
	}
}

int table_set(struct tblock *blocks, PangoContext *ctx, const struct layout *lo,
	      const struct issue *is, int first, const struct notes_seen *ns, const char *file,
	      struct diags *d)
{
	const struct node *tn = is->blocks[first].node->parent->parent;	/* cell, row, table */
	int ncells = 0, nrows = 0;
	while (first + ncells < is->nblocks && is->blocks[first + ncells].kind == BLOCK_CELL &&
	       is->blocks[first + ncells].node->parent->parent == tn) {
		int r = is->blocks[first + ncells].cell_row;
		nrows = r + 1 > nrows ? r + 1 : nrows;
		ncells++;
	}
	struct ttable *t = xcalloc(1, sizeof(*t));
	t->ncols = tn->cols > 0 ? tn->cols : 1;
	t->nrows = nrows;
	t->head_rows = tn->head_rows;
	t->ncells = ncells;
	t->pad = (int)(lo->table.padding * PANGO_SCALE);
	t->col_x = xcalloc((size_t)t->ncols + 1, sizeof(int));
	t->col_w = xcalloc((size_t)t->ncols + 1, sizeof(int));
	t->row_h = xcalloc((size_t)nrows + 1, sizeof(int));
	t->cell = xmalloc(((size_t)nrows * (size_t)t->ncols + 1) * sizeof(int));
	for (int i = 0; i < nrows * t->ncols; i++)
		t->cell[i] = -1;
	const struct block *cells = &is->blocks[first];
	int measure = (int)((lo->page_width - lo->margin_left - lo->margin_right) * PANGO_SCALE);
	int room = measure - 2 * t->pad * t->ncols;
	int *w = xcalloc((size_t)t->ncols, sizeof(int));
	double size = lo->role[ROLE_TABLE].size;
	int fits = 0;
	for (;; size -= 0.5) {
		styles_at(t, lo, size < lo->table.min_size ? lo->table.min_size : size);
		if ((fits = columns(t, ctx, lo, cells, ncells, room, w)) || size <= lo->table.min_size)
			break;
	}
	if (!fits)
		diag_add(d, SEV_ERROR, file, tn->at.line, tn->at.col,
			 "the table does not fit the measure even at %gpt (table.min_size): its "
			 "columns' narrowest contents are wider than %.0fpt; shorten them or give it "
			 "fewer columns",
			 lo->table.min_size, (double)room / PANGO_SCALE);
	else if (size < lo->role[ROLE_TABLE].size)
		diag_add(d, SEV_WARNING, file, tn->at.line, tn->at.col,
			 "the table is too wide for the measure at %gpt: it is set at %gpt", 
			 lo->role[ROLE_TABLE].size, t->td[0].size);
	for (int c = 0, x = 0; c < t->ncols; c++) {
		t->col_x[c] = x;
		t->col_w[c] = (fits ? w[c] : room / t->ncols) + 2 * t->pad;
		x += t->col_w[c];
		t->width = x;
	}
	free(w);
	for (int i = 0; i < ncells; i++) {
		const struct block *b = &cells[i];
		int c = b->cell_col < t->ncols ? b->cell_col : t->ncols - 1;
		struct tblock *tb = &blocks[i];
		text_cell(tb, ctx, lo, b, cell_style(t, b), t->col_w[c] - 2 * t->pad, ns, file, d);
		tb->id = first + i + 1;
		t->cell[b->cell_row * t->ncols + c] = i;
		int h = 0;
		for (int k = 0; k < tb->nlines; k++)
			h += tb->lines[k].pitch;
		h += 2 * t->pad;
		t->row_h[b->cell_row] = h > t->row_h[b->cell_row] ? h : t->row_h[b->cell_row];
	}
	blocks[0].table = t;
	/* the space around the table is the table style's, whatever its first cell */
	const struct style *ts = &lo->role[ROLE_TABLE];
	blocks[0].space_before = (int)((ts->space_before.pt + ts->space_before.em * ts->size) * PANGO_SCALE);
	blocks[0].space_after = (int)((ts->space_after.pt + ts->space_after.em * ts->size) * PANGO_SCALE);
	return ncells;
}

void table_free(struct ttable *t)
{
	if (!t)
		return;
	free(t->col_x);
	free(t->col_w);
	free(t->row_h);
	free(t->cell);
	free(t);
}
