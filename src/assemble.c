/* assemble.c: a document from a list of parts (cover, table of contents,
 * bodies): pages, outline, page numbering and running heads; repaginated
 * until the TOC's page numbers hold.
 *
 * The bodies are set once (the text stage's value, only read here); what
 * is redone on each pass is the generated text and the pagination.  The
 * TOC lists the headings of every body part down to the layout's depth
 * with the printed number of the page each starts on.  Its own length can
 * move the bodies (the published issue numbers pages from the cover), so:
 * paginate, fill in numbers, repaginate, until a pass gives the same
 * numbers, at most MAX_PASSES times (then a warning: a TOC whose own
 * length keeps moving its pages can be a page off).
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

enum { MAX_PASSES = 8 };

struct tblock *assembly_block(struct assembly *a)
{
	if (a->ngen == a->capgen) {
		a->capgen = a->capgen ? a->capgen * 2 : 32;
		a->gen = xrealloc(a->gen, (size_t)a->capgen * sizeof(*a->gen));
	}
	struct tblock *tb = &a->gen[a->ngen++];
	memset(tb, 0, sizeof(*tb));
	return tb;
}

/* Drops what a pass made: pages and generated texts. */
static void assembly_reset(struct assembly *a)
{
	doc_reset(&a->doc);
	for (int i = 0; i < a->ngen; i++)
		text_block_done(&a->gen[i]);
	a->ngen = 0;
	for (int i = 0; i < a->ndests; i++)
		free(a->dests[i]);
	a->ndests = 0;
}

void assembly_done(struct assembly *a)
{
	assembly_reset(a);
	free(a->gen);
	free(a->dests);
	doc_free(&a->doc);
	memset(a, 0, sizeof(*a));
}

/* ---- page numbers ---- */

static char *roman(int n, int upper)
{
	static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
	static const char *sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; i < 13; i++)
		for (; n >= val[i]; n -= val[i])
			sbuf_str(&sb, sym[i]);
	if (upper)
		for (char *c = sb.s; *c; c++)
			*c = (char)(*c - 'a' + 'A');
	return sbuf_take(&sb);
}

char *assemble_label(const struct doc *doc, int p)
{
	const struct label_run *run = NULL;
	for (int i = 0; i < doc->nruns; i++)
		if (doc->runs[i].first <= p)
			run = &doc->runs[i];
	int n = run ? p - run->first + 1 : p + 1;
	if (run && run->style != NUMERALS_DECIMAL)
		return roman(n, run->style == NUMERALS_ROMAN_UPPER);
	return xasprintf("%d", n);
}

/* The runs: the layout's front-matter numerals up to the page it prints
 * 1 (the cover, the TOC's first or the first body page), decimal from it;
 * in a volume numbered per issue, decimal again from each issue's first
 * page. */
static void number_pages(struct doc *doc, const struct layout *lo, int toc_first, int body_first,
			 const int *group_first, int ngroups)
{
	int start = lo->numbering == NUMBER_FROM_COVER			   ? 0
		    : lo->numbering == NUMBER_FROM_TOC && toc_first >= 0 ? toc_first
									   : body_first;
	doc->nruns = 0;
	if (start > 0)
		doc->runs[doc->nruns++] = (struct label_run){0, lo->front_numerals};
	doc->runs[doc->nruns++] = (struct label_run){start, NUMERALS_DECIMAL};
	/* a volume numbered per issue: each issue from 1 */
	for (int g = 0; lo->volume.per_issue && g < ngroups && doc->nruns < LABEL_RUNS_MAX; g++)
		if (group_first[g] > start)
			doc->runs[doc->nruns++] = (struct label_run){group_first[g], NUMERALS_DECIMAL};
	for (int p = 0; p < doc->npages; p++)
		doc->pages[p].label = assemble_label(doc, p);
}

/* ---- running heads ---- */

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

/* The running head and footer of page p, from its part's variables and the
 * page's own {page}. */
static void furniture(struct assembly *a, int p, const struct part *part, PangoContext *ctx,
		      const struct layout *lo, struct diags *d)
{
	struct doc *doc = &a->doc;
	const struct furniture *fs[] = {&lo->header, &lo->footer};
	double measure = lo->page_width - lo->margin_left - lo->margin_right;
	struct tvar *v = xcalloc((size_t)part->nvars + 1, sizeof(*v));
	memcpy(v, part->vars, (size_t)part->nvars * sizeof(*v));
	v[part->nvars] = (struct tvar){"page", doc->pages[p].label, 0};
	for (int k = 0; k < 2; k++) {
		const struct furniture *f = fs[k];
		if (f->text && *f->text) {
			char *text = tmpl_expand(f->text, v, part->nvars + 1);
			struct tblock *tb = assembly_block(a);
			struct style st = f->style;
			if (f->mirror && verso(doc, p))	/* the outer edge is on the left */
				st.align = st.align == ALIGN_RIGHT  ? ALIGN_LEFT
					 : st.align == ALIGN_LEFT ? ALIGN_RIGHT
								  : st.align;
			text_plain(tb, ctx, lo, &st, text, (int)(measure * PANGO_SCALE), d);
			tb->style = &f->style;	/* st is gone after this call */
			flow_at(doc, p, tb, lo->margin_left, f->y, 0);	/* an artifact */
			free(text);
		}
		if (f->rule_y > 0 && f->rule_width > 0)
			page_area(&doc->pages[p], BOX_RULE, lo->margin_left, f->rule_y, measure,
				  f->rule_width)->color = f->rule_color;
	}
	free(v);
}

/* ---- the table of contents ---- */

static int listed(const struct tblock *tb, const struct layout *lo)
{
	return tb->heading > 0 && tb->heading <= lo->toc.depth && tb->heading <= 3;
}

/* The destination name of body block i of a part, kept for the pass. */
static const char *dest_of(struct assembly *a, int id)
{
	char name[FLOW_DEST_MAX];
	flow_dest(DEST_HEADING, id, name);
	a->dests = xrealloc(a->dests, (size_t)(a->ndests + 1) * sizeof(*a->dests));
	return a->dests[a->ndests++] = xstrdup(name);
}

/* The TOC's pages: its title, then an entry per listed heading of every
 * body part, with the page number the last pass found (labels[part][i]). */
static void toc_pages(struct assembly *a, const struct part *parts, int nparts, char ***labels,
		      char **group_labels, PangoContext *ctx, const struct layout *lo, int root)
{
	int first = a->ngen;
	struct tblock *tb = assembly_block(a);
	text_plain(tb, ctx, lo, &lo->toc.title_style, lo->toc.title,
		   (int)((lo->page_width - lo->margin_left - lo->margin_right) * PANGO_SCALE), NULL);
	const struct style *ts = &lo->toc.title_style;
	text_letter_space(tb, (int)((lo->toc.title_spacing.pt + lo->toc.title_spacing.em * ts->size) *
				    PANGO_SCALE + 0.5));
	tb->unbreakable = 1;
	tb->keep_with_next = lo->keep_with_next;
	for (int k = 0; k < nparts; k++) {
		const struct part *pt = &parts[k];
		int shift = 0;	/* a volume's issue line, its headings a level below */
		if (pt->kind == PART_BODY && pt->group_title) {
			struct block line = {0};
			line.kind = BLOCK_HEADING;
			line.level = 1;
			line.text = (char *)pt->group_title;
			line.len = (int)strlen(pt->group_title);
			char name[FLOW_DEST_MAX];
			flow_dest(DEST_ISSUE, pt->group, name);
			a->dests = xrealloc(a->dests, (size_t)(a->ndests + 1) * sizeof(*a->dests));
			const char *dest = a->dests[a->ndests++] = xstrdup(name);
			tb = assembly_block(a);
			const char *gl = group_labels[pt->group - 1];
			text_toc_entry(tb, ctx, lo, 0, &lo->toc.entry[0], &line, NULL, gl ? gl : "0",
				       lo->toc.leader, 0, dest);
			tb->unbreakable = 1;	/* kept with its first section */
			tb->keep_with_next = lo->keep_with_next;
			shift = 1;
		}
		for (int i = 0; pt->kind == PART_BODY && i < pt->nblocks; i++) {
			const struct tblock *h = &pt->blocks[i];
			if (!listed(h, lo))
				continue;
			int level = h->heading + shift < 3 ? h->heading + shift : 3;
			tb = assembly_block(a);
			text_toc_entry(tb, ctx, lo, 0, &lo->toc.entry[level - 1], h->src, h->number,
				       labels[k][i] ? labels[k][i] : "0", lo->toc.leader,
				       lo->toc.show_labels, dest_of(a, pt->first_id + i));
			if (h->heading < lo->toc.depth && h->heading < 3) {
				/* a section's line stays with its first entry */
				tb->unbreakable = 1;
				tb->keep_with_next = lo->keep_with_next;
			}
		}
	}
	/* the TOC's blocks do not need placements of their own; the title is
	 * a paragraph before it, each entry a TOCI */
	int n = a->ngen - first;
	struct placement *at = xcalloc((size_t)n, sizeof(*at));
	struct block_tags *tags = xcalloc((size_t)n, sizeof(*tags));
	tags[0].line = tags_add(&a->doc, SE_P, root);
	int toc = tags_add(&a->doc, SE_TOC, root);
	for (int i = 1; i < n; i++)
		tags[i].line = tags_add(&a->doc, SE_TOCI, toc);
	flow_blocks(&a->doc, &a->gen[first], n, 0, lo, tags, at, NULL);
	free(tags);
	free(at);
}

/* ---- the index ---- */

/* One index line to be: its key (a region, or a document's 《name》) and
 * the heading it points to (part k, block i). */
struct ientry {
	char *key;
	int k, i;
};

static int cmp_ientry(const void *a, const void *b, void *coll)
{
	const struct ientry *x = a, *y = b;
	int c = coll ? collator_cmp(coll, x->key, y->key) : strcmp(x->key, y->key);
	if (c == 0)
		c = strcmp(x->key, y->key);
	if (c == 0)
		c = x->k != y->k ? x->k - y->k : x->i - y->i;
	return c;
}

static void add_ientry(struct ientry **v, int *n, const char *s, size_t len, int k, int i)
{
	while (len > 0 && (*s == ' ' || (unsigned char)*s < 0x20))
		s++, len--;
	if (len == 0)
		return;
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
	(*v)[(*n)++] = (struct ientry){xstrndup(s, len), k, i};
}

/* The regions of an entry title's leading 【…】 (several joined by & 、 ，
 * /) and the 《documents》 its title names (the outermost of nested ones). */
static void index_keys(const struct block *b, int k, int i, struct ientry **reg, int *nreg,
		       struct ientry **doc, int *ndoc)
{
	const char *t = b->text, *end = b->text + b->len;
	int rn = 0;
	const char *region = issue_region(b, &rn);
	for (const char *p = region, *from = region; p && p <= region + rn;) {
		static const char *seps[] = {"&", "＆", "、", "，", "/"};
		size_t n = p == region + rn ? 1 : 0;	/* the tag's end */
		for (size_t q = 0; q < sizeof(seps) / sizeof(seps[0]) && !n; q++)
			if (!strncmp(p, seps[q], strlen(seps[q])))
				n = strlen(seps[q]);
		if (!n) {
			p++;
			continue;
		}
		add_ientry(reg, nreg, from, (size_t)(p - from), k, i);
		p += n;
		from = p;
	}
	int depth = 0;
	const char *open = NULL;
	for (const char *p = t; p + 3 <= end; p++) {
		if (!strncmp(p, "《", 3)) {
			if (depth++ == 0)
				open = p;
			p += 2;
		} else if (!strncmp(p, "》", 3) && depth > 0) {
			if (--depth == 0)
				add_ientry(doc, ndoc, open, (size_t)(p + 3 - open), k, i);
			p += 2;
		}
	}
}

/* The index's pages: its title, then the regions, each with the entries
 * carrying it, then the documents with their pages, in the layout's order
 * and columns; every page number links to its heading. */
static void index_pages(struct assembly *a, const struct part *parts, int nparts, char ***labels,
			PangoContext *ctx, const struct layout *lo, int root, struct diags *d)
{
	const struct index_design *ix = &lo->index;
	struct ientry *reg = NULL, *docs = NULL;
	int nreg = 0, ndoc = 0;
	for (int k = 0; k < nparts; k++)
		for (int i = 0; parts[k].kind == PART_BODY && i < parts[k].nblocks; i++) {
			const struct tblock *h = &parts[k].blocks[i];
			if (h->heading == 2 && h->src)
				index_keys(h->src, k, i, &reg, &nreg, &docs, &ndoc);
		}
	struct collator *coll = collator_new(ix->stroke, d);
	if (nreg)
		qsort_r(reg, (size_t)nreg, sizeof(*reg), cmp_ientry, coll);
	if (ndoc)
		qsort_r(docs, (size_t)ndoc, sizeof(*docs), cmp_ientry, coll);
	collator_free(coll);

	double measure = lo->page_width - lo->margin_left - lo->margin_right;
	int cw = (int)((measure - ix->gap * (ix->columns - 1)) / ix->columns * PANGO_SCALE);
	int first = a->ngen;
	struct tblock *tb = assembly_block(a);
	text_plain(tb, ctx, lo, &ix->title_style, ix->title ? ix->title : "索引",
		   (int)(measure * PANGO_SCALE), NULL);
	int index = tags_add(&a->doc, SE_INDEX, root);
	int *se = NULL, nse = 0;
	const char *titles[2] = {ix->regions_title, ix->documents_title};
	struct ientry *lists[2] = {reg, docs};
	int counts[2] = {nreg, ndoc};
	for (int part = 0; part < 2; part++) {
		if (!counts[part])
			continue;
		if (titles[part]) {
			tb = assembly_block(a);
			text_plain(tb, ctx, lo, &ix->heading, titles[part], cw, NULL);
			tb->keep_with_next = 1;
			se = xrealloc(se, (size_t)(nse + 1) * sizeof(*se));
			se[nse++] = tags_add(&a->doc, SE_P, index);
		}
		const struct ientry *v = lists[part];
		for (int q = 0; q < counts[part];) {
			int r = q;	/* the run of one key */
			while (r < counts[part] && !strcmp(v[r].key, v[q].key))
				r++;
			if (part == 0) {	/* a region, then its entries */
				tb = assembly_block(a);
				text_plain(tb, ctx, lo, &ix->group, v[q].key, cw, NULL);
				tb->keep_with_next = 1;
				se = xrealloc(se, (size_t)(nse + 1 + r - q) * sizeof(*se));
				se[nse++] = tags_add(&a->doc, SE_P, index);
				for (int e = q; e < r; e++) {
					const struct tblock *h = &parts[v[e].k].blocks[v[e].i];
					tb = assembly_block(a);
					const char *label = labels[v[e].k][v[e].i];
					text_toc_entry(tb, ctx, lo, cw, &ix->entry, h->src, h->number,
						       label ? label : "0", lo->toc.leader, 0,
						       dest_of(a, parts[v[e].k].first_id + v[e].i));
					se[nse++] = tags_add(&a->doc, SE_P, index);
				}
			} else {	/* a document and its pages */
				struct sbuf pages;
				sbuf_init(&pages);
				const char *last = NULL;
				for (int e = q; e < r; e++) {
					const char *label = labels[v[e].k][v[e].i];
					if (!label || (last && !strcmp(last, label)))
						continue;
					sbuf_printf(&pages, "%s%s", pages.len ? ", " : "", label);
					last = label;
				}
				struct block line = {0};
				line.kind = BLOCK_HEADING;
				line.level = 2;
				line.text = v[q].key;
				line.len = (int)strlen(v[q].key);
				tb = assembly_block(a);
				text_toc_entry(tb, ctx, lo, cw, &ix->entry, &line, NULL,
					       pages.len ? pages.s : "0", lo->toc.leader, 0,
					       dest_of(a, parts[v[q].k].first_id + v[q].i));
				sbuf_done(&pages);
				se = xrealloc(se, (size_t)(nse + 1) * sizeof(*se));
				se[nse++] = tags_add(&a->doc, SE_P, index);
			}
			q = r;
		}
	}
	/* the columns below the title on the index's first page */
	const struct tblock *title = &a->gen[first];
	int from = a->doc.npages;
	double top = lo->margin_top + (double)(title->nlines ? title->lines[title->nlines - 1].pitch : 0) /
		     PANGO_SCALE * title->nlines + (double)title->space_after / PANGO_SCALE;
	flow_columns(&a->doc, &a->gen[first + 1], a->ngen - first - 1, lo, ix->columns, ix->gap, top, se);
	if (a->doc.npages == from)
		doc_new_page(&a->doc);
	flow_at(&a->doc, from, &a->gen[first], lo->margin_left, lo->margin_top,
		tags_add(&a->doc, SE_P, index));
	free(se);
	for (int i = 0; i < nreg; i++)
		free(reg[i].key);
	for (int i = 0; i < ndoc; i++)
		free(docs[i].key);
	free(reg);
	free(docs);
}

/* ---- the passes ---- */

/* One pagination: every part in order.  Fills at[k] (body parts'
 * placements) and page_part (which part each page belongs to); returns
 * the first page of the TOC (-1: none) and of the first body in *body. */
static int paginate(struct assembly *a, const struct part *parts, int nparts, char ***labels,
		    char **group_labels, int *group_first, int ngroups, struct placement **at,
		    int **page_part, PangoContext *ctx, const struct layout *lo, int first_pass,
		    struct diags *d)
{
	int toc_first = -1, body_first = -1;
	free(*page_part);
	*page_part = NULL;
	int root = tags_add(&a->doc, SE_DOCUMENT, 0), group_root = root;
	int has_toc = 0;
	for (int k = 0; k < nparts; k++)
		has_toc |= parts[k].kind == PART_TOC;
	for (int k = 0; k < nparts; k++) {
		const struct part *pt = &parts[k];
		/* the part printed 1 starts on a right-hand (odd) page */
		int numbered = (pt->kind == PART_TOC && lo->numbering == NUMBER_FROM_TOC) ||
			       (pt->kind == PART_BODY && body_first < 0 &&
				(lo->numbering == NUMBER_FROM_BODY ||
				 (lo->numbering == NUMBER_FROM_TOC && !has_toc)));
		/* an issue of a volume starts on a right-hand page too */
		int opens = pt->group > 0 && (k == 0 || parts[k - 1].group != pt->group);
		if ((numbered || opens) && lo->recto && a->doc.npages % 2) {
			*page_part = xrealloc(*page_part, (size_t)(a->doc.npages + 1) * sizeof(**page_part));
			(*page_part)[doc_new_page(&a->doc)] = -1;	/* a blank verso */
		}
		int from = a->doc.npages;
		if (opens) {	/* a volume's issue: a Part of the structure, titled */
			group_root = tags_add(&a->doc, SE_PART, root);
			for (int q = k; q < nparts && parts[q].group == pt->group; q++)
				if (parts[q].group_title)
					a->doc.se[group_root].alt = xstrdup(parts[q].group_title);
		} else if (pt->group == 0) {
			group_root = root;
		}
		if (pt->kind == PART_COVER) {
			cover_page(a, ctx, lo, pt->cover ? pt->cover : &lo->cover, pt->vars, pt->nvars,
				   group_root, first_pass ? d : NULL);
		} else if (pt->kind == PART_TOC) {
			toc_first = from;
			toc_pages(a, parts, nparts, labels, group_labels, ctx, lo, root);
		} else if (pt->kind == PART_INDEX) {
			index_pages(a, parts, nparts, labels, ctx, lo, root, first_pass ? d : NULL);
		} else {
			if (body_first < 0)
				body_first = from;
			struct block_tags *tags = xcalloc((size_t)pt->nblocks + 1, sizeof(*tags));
			tags_body(&a->doc, pt->blocks, pt->nblocks, group_root, tags);
			flow_blocks(&a->doc, pt->blocks, pt->nblocks, pt->first_id, lo, tags, at[k],
				    first_pass ? d : NULL);
			free(tags);
		}
		*page_part = xrealloc(*page_part, (size_t)(a->doc.npages + 1) * sizeof(**page_part));
		for (int p = from; p < a->doc.npages; p++)
			(*page_part)[p] = k;
		if (opens && from < a->doc.npages && pt->group <= ngroups) {
			/* the issue's destination: the top of its first page */
			char name[FLOW_DEST_MAX];
			flow_dest(DEST_ISSUE, pt->group, name);
			page_area(&a->doc.pages[from], BOX_DEST, 0, 0, 0, 0)->name = xstrdup(name);
			group_first[pt->group - 1] = from;
		}
	}
	number_pages(&a->doc, lo, toc_first, body_first < 0 ? a->doc.npages : body_first,
		     group_first, ngroups);
	return toc_first;
}

/* Takes the page numbers this pass gave the listed headings; 1 if one
 * differs from the last pass's. */
static int take_numbers(const struct assembly *a, const struct part *parts, int nparts,
			char ***labels, char **group_labels, const int *group_first, int ngroups,
			struct placement **at, const struct layout *lo)
{
	int changed = 0;
	for (int g = 0; g < ngroups; g++) {
		if (group_first[g] < 0)
			continue;
		const char *now = a->doc.pages[group_first[g]].label;
		if (!group_labels[g] || strcmp(group_labels[g], now)) {
			free(group_labels[g]);
			group_labels[g] = xstrdup(now);
			changed = 1;
		}
	}
	for (int k = 0; k < nparts; k++)
		for (int i = 0; parts[k].kind == PART_BODY && i < parts[k].nblocks; i++) {
			const struct tblock *h = &parts[k].blocks[i];
			if (!(listed(h, lo) || h->heading == 2) || at[k][i].page < 0)
				continue;	/* (entries: the index's numbers) */
			const char *now = a->doc.pages[at[k][i].page].label;
			if (!labels[k][i] || strcmp(labels[k][i], now)) {
				free(labels[k][i]);
				labels[k][i] = xstrdup(now);
				changed = 1;
			}
		}
	return changed;
}

/* The outline: every heading of the bodies where the last pass put it. */
static void outline(struct doc *doc, const struct part *parts, int nparts, struct placement **at,
		    const int *group_first)
{
	for (int k = 0; k < nparts; k++) {
		int shift = 0;
		if (parts[k].kind == PART_BODY && parts[k].group_title &&
		    group_first[parts[k].group - 1] >= 0) {
			/* the issue, its headings below it */
			doc->marks = xrealloc(doc->marks, (size_t)(doc->nmarks + 1) * sizeof(*doc->marks));
			struct mark *m = &doc->marks[doc->nmarks++];
			char name[FLOW_DEST_MAX];
			flow_dest(DEST_ISSUE, parts[k].group, name);
			*m = (struct mark){.level = 1, .title = xstrdup(parts[k].group_title),
					   .dest = xstrdup(name), .page = group_first[parts[k].group - 1]};
			shift = 1;
		}
		for (int i = 0; parts[k].kind == PART_BODY && i < parts[k].nblocks; i++) {
			const struct tblock *tb = &parts[k].blocks[i];
			if (!tb->heading || at[k][i].page < 0)
				continue;
			doc->marks = xrealloc(doc->marks, (size_t)(doc->nmarks + 1) * sizeof(*doc->marks));
			struct mark *m = &doc->marks[doc->nmarks++];
			char name[FLOW_DEST_MAX];
			flow_dest(DEST_HEADING, parts[k].first_id + i, name);
			m->level = tb->heading + shift;
			m->title = xasprintf("%s%s", tb->number ? tb->number : "", tb->plain ? tb->plain : "");
			m->dest = xstrdup(name);
			m->page = at[k][i].page;
			m->y = at[k][i].y;
		}
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void assemble(struct assembly *a, const struct part *parts, int nparts, const struct doc *meta,
	      PangoContext *ctx, const struct layout *lo, struct diags *d)
{
	memset(a, 0, sizeof(*a));
	a->doc.width = lo->page_width;
	a->doc.height = lo->page_height;
	a->doc.title = dup_or_null(meta->title);
	a->doc.subject = dup_or_null(meta->subject);
	a->doc.author = dup_or_null(meta->author);
	a->doc.date = dup_or_null(meta->date);
	a->doc.lang = dup_or_null(meta->lang);
	char ***labels = xcalloc((size_t)nparts, sizeof(*labels));	/* last pass's numbers */
	struct placement **at = xcalloc((size_t)nparts, sizeof(*at));
	for (int k = 0; k < nparts; k++) {
		labels[k] = xcalloc((size_t)parts[k].nblocks + 1, sizeof(**labels));
		at[k] = xcalloc((size_t)parts[k].nblocks + 1, sizeof(**at));
	}
	int *page_part = NULL, settled = 0, prints_numbers = 0, ngroups = 0;
	for (int k = 0; k < nparts; k++) {
		/* a part that prints other parts' page numbers needs them settled */
		prints_numbers |= parts[k].kind == PART_TOC || parts[k].kind == PART_INDEX;
		if (parts[k].group > ngroups)
			ngroups = parts[k].group;
	}
	char **group_labels = xcalloc((size_t)ngroups + 1, sizeof(*group_labels));
	int *group_first = xcalloc((size_t)ngroups + 1, sizeof(*group_first));
	for (int pass = 0; pass < MAX_PASSES && !settled; pass++) {
		assembly_reset(a);
		for (int g = 0; g < ngroups; g++)
			group_first[g] = -1;
		paginate(a, parts, nparts, labels, group_labels, group_first, ngroups, at, &page_part,
			 ctx, lo, pass == 0, d);
		settled = !take_numbers(a, parts, nparts, labels, group_labels, group_first, ngroups,
					at, lo) || !prints_numbers;
	}
	if (!settled) {
		const char *file;
		int line, col;
		layout_where(lo, &lo->toc.title, &file, &line, &col);
		diag_add(d, SEV_WARNING, file, line, col,
			 "the table of contents' page numbers did not settle in %d passes: an "
			 "entry may be a page off", MAX_PASSES);
	}
	outline(&a->doc, parts, nparts, at, group_first);
	for (int p = 0; p < a->doc.npages; p++)
		if (page_part[p] >= 0 && parts[page_part[p]].kind != PART_COVER)
			furniture(a, p, &parts[page_part[p]], ctx, lo, d);
	for (int k = 0; k < nparts; k++) {
		for (int i = 0; i < parts[k].nblocks; i++)
			free(labels[k][i]);
		free(labels[k]);
		free(at[k]);
	}
	free(labels);
	free(at);
	free(page_part);
	for (int g = 0; g < ngroups; g++)
		free(group_labels[g]);
	free(group_labels);
	free(group_first);
}
