/* job.c: one issue typeset into a document: read the issue and its layout,
 * number the headings, set every block, compose the pages.  Fonts are the
 * caller's, loaded once per process (batch and watch runs reuse them). */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

/* Template variables: year, month, number, date, then the series' texts
 * from the layout, each overridden by the front matter's texts: and
 * expanded with the issue's numbers (a text may say {year}). */
static void job_vars(struct job *j, struct diags *d)
{
	const struct issue *is = j->issue;
	const struct layout *lo = j->layout;
	int cap = TMPL_ISSUE_VARS + lo->texts.n;
	j->vars = xcalloc((size_t)cap, sizeof(*j->vars));
	j->var_text = xcalloc((size_t)cap, sizeof(*j->var_text));
	int k = tmpl_issue_vars(j->vars, is->year, is->month, is->number, is->date);
	int base = k;
	for (int i = 0; i < lo->texts.n; i++) {
		const char *value = lo->texts.values[i];
		const char *over = yml_strmap_lookup(&is->texts, lo->texts.keys[i]);
		if (over)
			value = over;
		j->var_text[k] = tmpl_expand(value, j->vars, base);
		j->vars[k] = (struct tvar){lo->texts.keys[i], j->var_text[k], 0};
		k++;
	}
	j->nvars = k;
	for (int t = 0; t < is->texts.n; t++) {
		char *why = NULL;
		if (yml_strmap_lookup(&lo->texts, is->texts.keys[t])) {
			/* an override is a text like the layout's: the issue's variables only */
			if (tmpl_check(is->texts.values[t], j->vars, base, &why) < 0) {
				char *q = excerpt(is->texts.keys[t], strlen(is->texts.keys[t]), EXCERPT_CHARS);
				diag_add(d, SEV_ERROR, is->texts.files[t], is->texts.lines[t],
					 is->texts.cols[t], "texts.%s: %s", q, why);
				free(q);
				free(why);
			}
			continue;
		}
		char *q = excerpt(is->texts.keys[t], strlen(is->texts.keys[t]), EXCERPT_CHARS);
		diag_add(d, SEV_ERROR, is->texts.files[t], is->texts.lines[t], is->texts.cols[t],
			 "texts.%s: the layout '%s' has no text of that name to override", q,
			 lo->name);
		const char *near = name_nearest(is->texts.keys[t], (const char *const *)lo->texts.keys,
						lo->texts.n);
		if (near)
			diag_hint(d, "did you mean '%s'?", near);
		free(q);
	}
}

/* Every raster image keeps the layout's limits, each (at its place in the
 * issue) and all of them together, the cover's included: checked from the
 * headers, before anything is decoded. */
static void check_images(const struct issue *is, const struct layout *lo, struct diags *d)
{
	double total = 0;
	const struct cover_item *items = lo->cover.v;
	for (int i = 0; i < lo->cover.n; i++)
		if (items[i].kind == COVER_IMAGE && items[i].path)
			total += items[i].image_w * items[i].image_h / 1e6;
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		if (b->kind != BLOCK_IMAGE)
			continue;
		struct image_info im = {b->image_kind, b->image_width, b->image_height, 0, 0};
		char *why = NULL;
		if (image_check_limits(&im, &lo->images, &why) < 0) {
			diag_add(d, SEV_ERROR, is->path, b->line, b->col, "image %s: %s", b->image, why);
			free(why);
			continue;
		}
		total += image_megapixels(&im);
		if (total > lo->images.max_total_megapixels) {
			diag_add(d, SEV_ERROR, is->path, b->line, b->col,
				 "image %s: with it the issue's images have %.1f megapixels; the layout "
				 "allows %g in all (images.max_total_megapixels)",
				 b->image, total, lo->images.max_total_megapixels);
			return;
		}
	}
}

/* Every family the layout names must be in the project's font set; an
 * error names where it was written and what the set has. */
static void check_families(const struct layout *lo, struct fonts *fonts, struct diags *d)
{
	const char *families[] = {lo->font_serif, lo->font_sans};
	const void *where[] = {&lo->font_serif, &lo->font_sans};
	const struct style *styles[64];
	int n = layout_styles(lo, styles, 64);
	char *have = NULL;
	for (int i = 0; i < 2 + n; i++) {
		const char *family = i < 2 ? families[i] : styles[i - 2]->font;
		const void *addr = i < 2 ? where[i] : (const void *)&styles[i - 2]->font;
		if (!family || fonts_has_family(fonts, family))
			continue;
		if (i >= 2 && (!strcmp(family, lo->font_serif) || !strcmp(family, lo->font_sans)))
			continue;	/* "serif" / "sans": reported at fonts: */
		const char *file;
		int line, col;
		layout_where(lo, addr, &file, &line, &col);
		if (line == 0 && i >= 2)
			continue;	/* inherited: reported where it was written */
		if (!have)
			have = fonts_families(fonts);
		diag_add(d, SEV_ERROR, file, line, col,
			 "font family '%s' is not in the project's fonts; they have: %s", family,
			 have);
	}
	free(have);
}

int job_run(struct job *j, struct fonts *fonts, const char *input, const char *layout,
	    const char *layouts_dir, struct diags *d)
{
	memset(j, 0, sizeof(*j));
	j->issue = issue_load(input, &j->reads, d);
	if (!j->issue)
		return -1;
	const struct issue *is = j->issue;
	struct layout_ref r = {layout, layouts_dir, NULL, {is->path, is->layout_line, is->layout_col},
			       &j->reads};
	if (!layout) {
		r.ref = is->layout ? is->layout : LAYOUT_DEFAULT;
		r.issue = is->path;
		if (!is->layout)
			r.at.line = r.at.col = 0;
	}
	j->layout = layout_find(&r, d);
	if (!j->layout)
		return -1;
	const struct cover_item *items = j->layout->cover.v;
	for (int i = 0; i < j->layout->cover.n; i++)
		if (items[i].path)
			paths_add(&j->reads, items[i].path);
	const char *dict = j->layout->typo.latin.dictionary_path;
	if (j->layout->typo.latin.hyphenate && hyph_lookup(dict))
		paths_add(&j->reads, dict);	/* the hyphenation dictionary */
	return job_typeset(j, fonts, d);
}

int job_typeset(struct job *j, struct fonts *fonts, struct diags *d)
{
	int errors = d->errors;
	const struct issue *is = j->issue;
	const struct layout *lo = j->layout;
	check_families(lo, fonts, d);
	check_images(is, lo, d);
	job_vars(j, d);
	if (d->errors > errors)
		return -1;

	PangoContext *ctx = fonts_context(fonts);
	text_body(&j->body, ctx, lo, is, d);

	/* the issue's document: its cover, its TOC, its body */
	struct part parts[4];
	int nparts = 0;
	if (lo->cover.n > 0)
		parts[nparts++] = (struct part){.kind = PART_COVER, .vars = j->vars, .nvars = j->nvars};
	if (lo->toc.enabled)
		parts[nparts++] = (struct part){.kind = PART_TOC, .vars = j->vars, .nvars = j->nvars};
	parts[nparts++] = (struct part){.kind = PART_BODY, .vars = j->vars, .nvars = j->nvars,
					.blocks = j->body.blocks, .nblocks = j->body.n};
	if (lo->index.issue)
		parts[nparts++] = (struct part){.kind = PART_INDEX, .vars = j->vars, .nvars = j->nvars};
	struct doc meta = {0};
	meta.date = is->date ? xstrdup(is->date) : xasprintf("%04d-%02d-01", is->year, is->month);
	meta.title = lo->meta_title ? tmpl_expand(lo->meta_title, j->vars, j->nvars) : NULL;
	meta.subject = lo->meta_subject ? tmpl_expand(lo->meta_subject, j->vars, j->nvars) : NULL;
	meta.author = lo->meta_author ? tmpl_expand(lo->meta_author, j->vars, j->nvars) : NULL;
	meta.lang = xstrdup(lo->lang ? lo->lang : "zh-CN");
	assemble(&j->out, parts, nparts, &meta, ctx, lo, d);
	doc_free(&meta);
	return d->errors > errors ? -1 : 0;
}

void job_done(struct job *j)
{
	assembly_done(&j->out);
	text_body_done(&j->body);
	for (int i = 0; i < j->nvars; i++)
		free(j->var_text[i]);
	free(j->var_text);
	free(j->vars);
	layout_free(j->layout);
	issue_free(j->issue);
	paths_done(&j->reads);
	memset(j, 0, sizeof(*j));
}
