/* preflight.c: the checks of `bulletin check` that typesetting itself does
 * not make.  Findings are diagnostics with the place in the source. */
#include <string.h>

#include "bulletin.h"

static void check_links(const struct issue *is, struct diags *d)
{
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		for (int k = 0; k < b->nspans; k++) {
			const struct span *sp = &b->spans[k];
			if ((sp->flags & SPAN_LINK) && (!sp->href || !*sp->href))
				diag_add(d, SEV_WARNING, is->path, b->line, b->col,
					 "link '%.*s' has no target", sp->end - sp->start,
					 b->text + sp->start);
		}
		if (b->kind == BLOCK_HEADING && b->source_label && (!b->source_href || !*b->source_href))
			diag_add(d, SEV_WARNING, is->path, b->line, b->col,
				 "source link '%s' has no target: the label is drawn without a link",
				 b->source_label);
	}
}

/* A heading may go one level deeper than the one before it, not more;
 * the first heading is a section (#). */
static void check_headings(const struct issue *is, struct diags *d)
{
	int prev = 0;
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		if (b->kind != BLOCK_HEADING)
			continue;
		if (b->level > prev + 1)
			diag_add(d, SEV_WARNING, is->path, b->line, b->col,
				 "heading level %d follows %s: a level is skipped", b->level,
				 prev ? (prev == 1 ? "a section (#)" : "a shallower heading")
				      : "the start of the issue");
		prev = b->level;
	}
}

/* An image's alternate text is what its Figure says to a reader who
 * cannot see it (and its caption): without one the tagged PDF is silent. */
static void check_images(const struct issue *is, struct diags *d)
{
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		int blank = 1;
		for (int k = 0; k < b->len && blank; k++)
			blank = b->text[k] == ' ' || b->text[k] == '\n';
		if (b->kind == BLOCK_IMAGE && blank)
			diag_add(d, SEV_WARNING, is->path, b->line, b->col,
				 "image %s has no alternate text or caption: write what it shows "
				 "between the brackets, ![...](file)", b->image ? b->image : "");
	}
}

/* Whether every family the layout sets text in may be embedded: fonts:'s
 * two and any other a style names (the quotes' Kai face). */
static void check_fonts(const struct layout *lo, struct fonts *fonts, struct diags *d)
{
	const char *families[66] = {lo->font_serif, lo->font_sans};
	const struct style *styles[64];
	int n = layout_styles(lo, styles, 64), nf = 2;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (k < nf && (!styles[i]->font || strcmp(families[k], styles[i]->font)))
			k++;
		if (k == nf && styles[i]->font)
			families[nf++] = styles[i]->font;
	}
	for (int i = 0; i < nf; i++)
		for (int bold = 0; bold < 2; bold++) {
			int fstype = fonts_fstype(fonts, families[i], bold);
			if (fstype < 0)
				diag_add(d, SEV_WARNING, lo->path, 0, 0,
					 "cannot tell whether '%s'%s may be embedded", families[i],
					 bold ? " bold" : "");
			else if (fstype & 0x0002)
				diag_add(d, SEV_ERROR, lo->path, 0, 0,
					 "font '%s'%s forbids embedding (OS/2 fsType 0x%04x)",
					 families[i], bold ? " bold" : "", fstype);
			else if (fstype & 0x0200)
				diag_add(d, SEV_WARNING, lo->path, 0, 0,
					 "font '%s'%s allows embedding only as bitmaps (fsType 0x%04x)",
					 families[i], bold ? " bold" : "", fstype);
		}
}

/* Text in a rich black: a build with K 80 % or more and some C, M or Y,
 * said once per colour, where it is named, with its first use as text. */
static void check_rich_text(const struct layout *lo, struct diags *d)
{
	for (int i = 0; i < lo->palette.n; i++) {
		const struct yml_ink *ink = &lo->palette.v[i];
		const double *v = ink->cmyk;
		if (!ink->has_cmyk || ink->spot || v[3] < 0.8 || v[0] + v[1] + v[2] <= 0)
			continue;
		const struct yml_mark *first = NULL;
		int uses = 0;
		for (int k = 0; k < lo->marks.n; k++) {
			const struct yml_mark *m = &lo->marks.v[k];
			if (!layout_text_color(m->field) || yml_marks_lookup(&lo->marks, m->addr) != m)
				continue;
			const struct color *c = m->addr;
			if (yml_palette_printed(&lo->palette, c->r, c->g, c->b) != ink)
				continue;
			if (!uses++)
				first = m;
		}
		if (!uses)
			continue;
		char *where = xasprintf("%d text style%s, the first at %s:%d:%d", uses,
					uses > 1 ? "s" : "", first->file, first->line, first->col);
		if (v[3] >= 0.95)
			diag_add(d, SEV_WARNING, ink->file, ink->line, ink->col,
				 "colour %s is a rich black (C%.0f M%.0f Y%.0f K%.0f) set as text (%s): "
				 "text prints K 100 alone, its C, M and Y dropped; name a black-only "
				 "colour for text", ink->name, 100 * v[0], 100 * v[1], 100 * v[2],
				 100 * v[3], where);
		else
			diag_add(d, SEV_WARNING, ink->file, ink->line, ink->col,
				 "colour %s is a rich black (C%.0f M%.0f Y%.0f K%.0f) set as text (%s): "
				 "on four plates a hair of misregistration fringes the letters; use "
				 "black alone for text", ink->name, 100 * v[0], 100 * v[1], 100 * v[2],
				 100 * v[3], where);
		free(where);
	}
}

/* A print job (--cmyk, --bleed): colours that put down more ink than the
 * layout's print.max_ink, rules thinner than print.min_rule, text in a
 * rich black. */
static void check_print(const struct layout *lo, struct diags *d)
{
	check_rich_text(lo, d);
	for (int i = 0; i < lo->palette.n; i++) {
		const struct yml_ink *ink = &lo->palette.v[i];
		double total = 100 * (ink->cmyk[0] + ink->cmyk[1] + ink->cmyk[2] + ink->cmyk[3]);
		if (ink->has_cmyk && total > lo->print.max_ink + 0.05)
			diag_add(d, SEV_WARNING, ink->file, ink->line, ink->col,
				 "colour %s puts down %.0f%% ink, over the layout's print.max_ink "
				 "(%.0f%%): it may set off or not dry",
				 ink->name, total, lo->print.max_ink);
	}
	for (int i = 0; i < lo->marks.n; i++) {
		const struct yml_mark *m = &lo->marks.v[i];
		if (m->field->type != YML_DIM || strncmp(m->field->key, "rule", 4) ||
		    yml_marks_lookup(&lo->marks, m->addr) != m)
			continue;	/* a rule's width, as last written */
		double w = *(const double *)m->addr;
		if (w > 0 && w < lo->print.min_rule - 1e-9)
			diag_add(d, SEV_WARNING, m->file, m->line, m->col,
				 "%s: a %.2gpt rule is under the layout's print.min_rule (%.2gpt): "
				 "it may break up in print", m->field->key, w, lo->print.min_rule);
	}
}

void preflight(const struct job *j, struct fonts *fonts, int print, struct diags *d)
{
	if (print)
		check_print(j->layout, d);
	check_links(j->issue, d);
	check_headings(j->issue, d);
	check_images(j->issue, d);
	check_fonts(j->layout, fonts, d);
}
