/* query.c: an issue's structure as JSON (`bulletin query`), for
 * catalogues and scripts: the issue, its sections (level-1 headings) and
 * their entries (level-2 headings) with number, title, region, source
 * link, character count and where each was written; with pages, the
 * physical page each heading lands on and its printed label.  The schema
 * is docs/query.schema.json (documented in docs/query.md); every key is
 * always present, null when there is no value.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

/* Characters of a block's text that are not white space. */
static int chars_of(const struct block *b)
{
	int n = 0;
	for (const char *p = b->text, *end = b->text + b->len; p < end;) {
		unsigned cp;
		p += utf8_decode(p, &cp);
		if (!g_unichar_isspace(cp))
			n++;
	}
	return n;
}

static const char *var(const struct job *j, const char *name)
{
	for (int i = 0; i < j->nvars; i++)
		if (!strcmp(j->vars[i].name, name))
			return j->vars[i].str;
	return NULL;
}

/* The physical page (0-based) heading block i lands on, or -1. */
static int heading_page(const struct job *j, int i)
{
	char name[FLOW_DEST_MAX];
	flow_dest(DEST_HEADING, i, name);
	const struct doc *doc = &j->out.doc;
	for (int m = 0; m < doc->nmarks; m++)
		if (!strcmp(doc->marks[m].dest, name))
			return doc->marks[m].page;
	return -1;
}

/* The keys every heading has: number, title, line, col, [page, label]. */
static void heading_keys(struct sbuf *out, const struct job *j, int i, int pages)
{
	const struct block *b = &j->issue->blocks[i];
	const struct tblock *tb = &j->body.blocks[i];
	sbuf_str(out, "\"number\": ");
	json_str(out, tb->number, -1);
	sbuf_str(out, ", \"title\": ");
	json_str(out, b->text, b->len);
	sbuf_printf(out, ", \"line\": %d, \"col\": %d", b->line, b->col);
	if (pages) {
		int p = heading_page(j, i);
		if (p >= 0)
			sbuf_printf(out, ", \"page\": %d, \"label\": ", p + 1);
		else
			sbuf_str(out, ", \"page\": null, \"label\": ");
		json_str(out, p >= 0 ? j->out.doc.pages[p].label : NULL, -1);
	}
}

/* A section or an entry: its heading block (-1: none) and the characters
 * of the text under it (an entry's: to the next entry or section; a
 * section's own: before its first entry). */
struct qnode {
	int block, chars, section;
};

void query_issue(struct sbuf *out, const struct job *j, int pages)
{
	const struct issue *is = j->issue;
	struct qnode *v = xcalloc((size_t)is->nblocks + 2, sizeof(*v));
	int n = 0, sect = -1, cur = -1;
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		int level = b->kind == BLOCK_HEADING ? b->level : 0;
		if (level == 1 || (level == 2 && sect < 0)) {
			/* an entry before any section opens a section without a heading */
			sect = cur = n;
			v[n++] = (struct qnode){level == 1 ? i : -1, 0, -1};
			if (level == 1)
				continue;
		}
		if (level == 2) {
			cur = n;
			v[n++] = (struct qnode){i, 0, sect};
		} else if (cur >= 0) {
			v[cur].chars += chars_of(b);
		}
	}
	sbuf_str(out, "    {\"file\": ");
	json_str(out, is->path, -1);
	sbuf_printf(out, ", \"year\": %d, \"month\": %d, \"number\": %d, \"date\": ", is->year,
		    is->month, is->number);
	json_str(out, is->date, -1);
	sbuf_str(out, ", \"title\": ");
	json_str(out, var(j, "title"), -1);
	sbuf_str(out, ", \"layout\": ");
	json_str(out, j->layout->name, -1);
	if (pages)
		sbuf_printf(out, ", \"pages\": %d", j->out.doc.npages);
	sbuf_str(out, ",\n     \"sections\": [");
	for (int k = 0; k < n; k++) {
		const struct qnode *q = &v[k];
		if (q->section < 0) {	/* a section */
			if (k > 0)
				sbuf_str(out, "]},");
			sbuf_str(out, "\n      {");
			if (q->block >= 0) {
				heading_keys(out, j, q->block, pages);
			} else {
				sbuf_str(out, "\"number\": null, \"title\": null, \"line\": null, \"col\": null");
				if (pages)
					sbuf_str(out, ", \"page\": null, \"label\": null");
			}
			sbuf_printf(out, ", \"chars\": %d, \"entries\": [", q->chars);
			continue;
		}
		const struct block *b = &is->blocks[q->block];
		sbuf_str(out, k > 0 && v[k - 1].section >= 0 ? ",\n        {" : "\n        {");
		heading_keys(out, j, q->block, pages);
		int rn = 0;
		const char *region = issue_region(b, &rn);
		sbuf_str(out, ", \"region\": ");
		json_str(out, region, rn);
		sbuf_str(out, ", \"source\": ");
		if (b->source_label) {
			sbuf_str(out, "{\"label\": ");
			json_str(out, b->source_label, -1);
			sbuf_str(out, ", \"href\": ");
			json_str(out, b->source_href && *b->source_href ? b->source_href : NULL, -1);
			sbuf_str(out, "}");
		} else {
			sbuf_str(out, "null");
		}
		sbuf_printf(out, ", \"chars\": %d}", q->chars);
	}
	if (n > 0)
		sbuf_str(out, "]}");
	sbuf_str(out, "]}");
	free(v);
}
