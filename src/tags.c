/* tags.c: the document's logical structure, built from the model's tree:
 * the elements of the PDF's tags (struct selem), one per section and
 * entry (Sect), heading (H1-H6 at its real level), paragraph (P), list
 * (L, LI with the marker as Lbl, LBody), quote (BlockQuote), code (Code), image (Figure, with
 * the caption as its alternate text, and a Caption), table (Table, TR,
 * TH, TD, Caption), footnote (Note, inside the element of its first
 * mark).  The assembler adds the cover's texts (P) and the table of
 * contents (TOC, TOCI); what belongs to no element is an artifact.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

const char *se_name(enum se_type t)
{
	static const char *names[] = {
#define SE_NAME(id, name) [id] = name,
		SE_TYPES(SE_NAME)
#undef SE_NAME
	};
	return names[t];
}

int tags_add(struct doc *d, enum se_type type, int parent)
{
	if (d->nse == d->capse) {
		d->capse = d->capse ? d->capse * 2 : 64;
		d->se = xrealloc(d->se, (size_t)d->capse * sizeof(*d->se));
	}
	if (d->nse == 0)	/* element 0: none */
		d->se[d->nse++] = (struct selem){SE_DOCUMENT, -1, NULL, 0, {NULL, 0, 0}};
	d->se[d->nse] = (struct selem){type, parent, NULL, 0, {NULL, 0, 0}};
	return d->nse++;
}

int tags_latin(const char *s, int len)
{
	int letters = 0;
	for (int i = 0; i < len;) {
		unsigned cp;
		int n = utf8_decode(s + i, &cp);
		/* Latin text may have the general punctuation ’ “ ” – — … */
		if (emph_is_cjk(cp) || (cp >= 0x2000 && !(cp >= 0x2010 && cp <= 0x2027)))
			return 0;
		letters += (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
		i += n;
	}
	return letters > 0;
}

struct walk {
	struct doc *d;
	const struct tblock *blocks;
	int n;
	struct block_tags *tags;	/* per block */
};

static int leaf(struct walk *w, const struct node *nd, int parent)
{
	if (nd->block < 0 || nd->block >= w->n)
		return 0;
	const struct block *b = w->blocks[nd->block].src;
	if (!b)
		return 0;
	int e = 0;
	switch (b->kind) {
	case BLOCK_HEADING:
		e = tags_add(w->d, SE_H1 + heading_level(b->level) - 1, parent);
		break;
	case BLOCK_RULE:
		return 0;	/* a thematic break is drawn, not read */
	case BLOCK_CODE:
		e = tags_add(w->d, SE_CODE, parent);
		break;
	case BLOCK_IMAGE:
		w->tags[nd->block].image = tags_add(w->d, SE_FIGURE, parent);
		w->d->se[w->tags[nd->block].image].alt = xstrndup(b->text, (size_t)b->len);
		e = tags_add(w->d, SE_CAPTION, parent);
		break;
	case BLOCK_ITEM:
		/* the first paragraph of an item: its marker is the LI's Lbl,
		 * before the LBody the paragraph is in */
		if (b->marker && parent > 0 && w->d->se[parent].type == SE_LBODY)
			w->tags[nd->block].label = tags_add(w->d, SE_LBL, w->d->se[parent].parent);
		e = tags_add(w->d, SE_P, parent);
		w->d->se[e].latin = tags_latin(b->text, b->len);
		break;
	case BLOCK_TABLE_CAPTION:
		e = tags_add(w->d, SE_CAPTION, parent);
		break;
	case BLOCK_CELL:
		e = tags_add(w->d, b->header ? SE_TH : SE_TD, parent);
		break;
	default:
		e = tags_add(w->d, SE_P, parent);
		w->d->se[e].latin = tags_latin(b->text, b->len);
		break;
	}
	w->tags[nd->block].line = e;
	w->d->se[e].at = nd->at;
	if (w->tags[nd->block].image)
		w->d->se[w->tags[nd->block].image].at = nd->at;
	return e;
}

static void walk(struct walk *w, const struct node *nd, int parent)
{
	int e = parent;
	switch (nd->kind) {
	case NODE_DOC:
		break;
	case NODE_SECTION:
	case NODE_ENTRY:
		e = tags_add(w->d, SE_SECT, parent);
		break;
	case NODE_QUOTE:
		e = tags_add(w->d, SE_BLOCKQUOTE, parent);
		break;
	case NODE_LIST:
		e = tags_add(w->d, SE_L, parent);
		break;
	case NODE_ITEM:
		e = tags_add(w->d, SE_LBODY, tags_add(w->d, SE_LI, parent));
		break;
	case NODE_TABLE:
		e = tags_add(w->d, SE_TABLE, parent);
		break;
	case NODE_ROW:
		e = tags_add(w->d, SE_TR, parent);
		break;
	case NODE_FOOTNOTE:
		return;	/* inside the element of its first mark: later */
	default:
		leaf(w, nd, parent);
		return;
	}
	for (const struct node *c = nd->first; c; c = c->next)
		walk(w, c, e);
}

/* A footnote's Note goes inside the element of its first mark. */
static void notes(struct walk *w, const struct node *root)
{
	for (const struct node *fn = root->first; fn; fn = fn->next) {
		if (fn->kind != NODE_FOOTNOTE || !fn->first || fn->first->block < 0)
			continue;
		int note = fn->first->block, parent = 0;
		for (int i = 0; i < w->n && !parent; i++) {
			const struct block *b = w->blocks[i].src;
			for (int k = 0; b && k < b->nrefs && !parent; k++)
				if (b->refs[k].note == note)
					parent = w->tags[i].line;
		}
		if (!parent)
			continue;	/* never marked: never drawn */
		int e = tags_add(w->d, SE_NOTE, parent);
		for (const struct node *c = fn->first; c; c = c->next)
			leaf(w, c, e);
	}
}

void tags_body(struct doc *d, const struct tblock *blocks, int n, int parent,
	       struct block_tags *tags)
{
	memset(tags, 0, (size_t)n * sizeof(*tags));
	const struct node *root = NULL;
	for (int i = 0; i < n && !root; i++)
		if (blocks[i].src && blocks[i].src->node)
			for (root = blocks[i].src->node; root->parent; root = root->parent)
				;
	if (!root)
		return;
	struct walk w = {d, blocks, n, tags};
	walk(&w, root, parent);
	notes(&w, root);
}

void tags_free(struct doc *d)
{
	for (int i = 0; i < d->nse; i++)
		free(d->se[i].alt);
	free(d->se);
	d->se = NULL;
	d->nse = d->capse = 0;
}
