/* issue.c: an issue file -> the document model (front matter + body blocks).
 *
 * The file is UTF-8: a first line "---", the front matter (YAML, read by
 * yaml.c with the schema below), a closing line "---", then the body in
 * CommonMark, parsed by md4c's callbacks into struct block.
 *
 * Terms.  The body's blocks are paragraphs, list items' paragraphs, headings,
 * code blocks and rules; containers (block quotes, lists, list items) only
 * set depths and markers.  A block's text has markup removed; its spans are
 * runs of identical inline style (flags and href), so they never overlap.
 * Positions: md4c's text pointers point into the input, so a block's line
 * and column are those of its first text (of the fence or rule line for code
 * blocks and rules); a cursor converts offsets to positions in one forward
 * pass, which keeps the whole parse linear. */
#include <errno.h>
#include <glib.h>
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"

/* ---- front matter ---- */

struct front {
	int year, month, number;
	char *layout, *date;
	struct yml_strmap texts;
};

#define FF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct front, member), __VA_ARGS__}
static const struct yml_field front_fields[] = {
	FF("year", YML_INT, year, .flags = YML_REQUIRED | YML_MIN | YML_MAX, .min = 1900, .max = 2999),
	FF("month", YML_INT, month, .flags = YML_REQUIRED | YML_MIN | YML_MAX, .min = 1, .max = 12),
	FF("number", YML_INT, number, .flags = YML_REQUIRED | YML_MIN | YML_MAX, .min = 1, .max = 999),
	FF("layout", YML_STRING, layout),
	FF("date", YML_STRING, date),
	FF("texts", YML_STRMAP, texts),
	{0},
};
static const struct yml_schema front_schema = {"front matter", front_fields};

/* Checks date is YYYY-MM-DD naming a real day; an error at its mark if not. */
static int check_date(const char *date, const struct yml_mark *m, const char *file,
		      struct diags *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int ok = strlen(date) == 10 && date[4] == '-' && date[7] == '-';
	for (int i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9'))
			ok = 0;
	const char *mf = m ? m->file : file;
	int line = m ? m->line : 0, col = m ? m->col : 0;
	if (!ok) {
		diag_add(d, SEV_ERROR, mf, line, col, "date must be YYYY-MM-DD, got \"%s\"", date);
		return -1;
	}
	int y = atoi(date), mo = atoi(date + 5), dd = atoi(date + 8);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12) {
		diag_add(d, SEV_ERROR, mf, line, col, "date %s: month must be 01-12", date);
		return -1;
	}
	int days = mdays[mo - 1] + (mo == 2 && leap);
	if (dd < 1 || dd > days) {
		diag_add(d, SEV_ERROR, mf, line, col, "date %s: day must be 01-%02d in that month",
			 date, days);
		return -1;
	}
	return 0;
}

/* A publication date more than two months from the issue's own month is
 * most likely a typo (1999 for 2022): a warning at the date. */
static void check_date_near(const struct front *fm, const struct yml_mark *m, const char *file,
			    struct diags *d)
{
	int y = atoi(fm->date), mo = atoi(fm->date + 5);
	int apart = (y * 12 + mo) - (fm->year * 12 + fm->month);
	if (apart >= -2 && apart <= 2)
		return;
	diag_add(d, SEV_WARNING, m ? m->file : file, m ? m->line : 0, m ? m->col : 0,
		 "date %s is %d months %s the issue's month (%04d-%02d); is it right?", fm->date,
		 apart < 0 ? -apart : apart, apart < 0 ? "before" : "after", fm->year, fm->month);
}

/* If the line at s (of n bytes up to the end of data) is "---" with only
 * trailing blanks, returns its length including the newline; else 0. */
static size_t delimiter_line(const char *s, size_t n)
{
	if (n < 3 || memcmp(s, "---", 3) != 0)
		return 0;
	size_t i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (i == n)
		return i;
	return s[i] == '\n' ? i + 1 : 0;
}

/* ---- body: parser state ---- */

/* A footnote mark waiting for its note: the k-th mark of a block. */
struct pending_ref {
	int block, index;
	char *label;
};

struct list {
	int ordered;
	unsigned next;		/* the next item's number */
	char delim;		/* '.' or ')' */
};

struct parser {
	const char *file;
	const char *data;	/* the whole file */
	size_t len;
	size_t body;		/* offset of the body in data */
	struct diags *d;
	struct paths *reads;	/* the images tried; may be NULL */
	struct issue *is;
	int cap;		/* of is->blocks */

	/* offset -> position cursor (moves forward) */
	size_t cur_off;
	int cur_line, cur_col;
	size_t last_end;	/* offset after the last text seen in the input, or of
				 * the last block start found by next_block_pos */
	int scan_here;		/* next_block_pos may find last_end's own line */
	size_t first_off;	/* offset of the open block's first text */

	/* containers */
	struct node *container;	/* where the next node goes */
	int table_row, table_col;	/* the open table's next cell */
	int in_head;		/* in the table's header rows */
	struct list *lists;
	int nlists, listcap;
	char *marker;		/* the open item's marker until its first block takes it */

	/* the open block, -1 if none */
	int cur;
	int skip;		/* inside a raw HTML block: texts dropped */
	struct sbuf text;
	struct span *spans;
	int nspans, spancap;
	int *lines;		/* source line of each byte of text */
	size_t *offs;		/* source offset of each byte of text */
	size_t linecap;
	int *breaks;		/* text offsets where a source line ended (soft breaks) */
	int nbreaks, breakcap;
	struct noteref *refs;	/* the open block's footnote marks */
	char **ref_labels;	/* their labels, resolved when every note is read */
	int nrefs, refcap;
	int in_note;		/* reading a footnote's text */
	struct pending_ref *pending;	/* every mark, with its label, until notes are read */
	int npending, pendcap;
	int softbr;		/* a soft break waits for the next text */

	/* inline state */
	int strong, em, code;
	char **hrefs;		/* open links' targets; in headings NULL */
	int nhrefs, hrefcap;
	/* images in the open block: one alone in a paragraph is an image block */
	int nimages, img_start, img_end, img_line, img_col, img_placed;
	char *img_src;
	/* the heading's source link: [link_start, link_end) of text */
	int hlinks, link_start, link_end;
	char *link_href;
};

/* The line and column of offset off in data. */
static void position(struct parser *p, size_t off, int *line, int *col)
{
	if (off < p->cur_off) {	/* not expected: md4c reports in order */
		p->cur_off = 0;
		p->cur_line = p->cur_col = 1;
	}
	int l, c;
	text_position(p->data + p->cur_off, off - p->cur_off, &l, &c);
	if (l == 1) {
		c = p->cur_col + c - 1;
		l = p->cur_line;
	} else {
		l = p->cur_line + l - 1;
	}
	p->cur_off = off;
	p->cur_line = *line = l;
	p->cur_col = *col = c;
}

static int in_input(const struct parser *p, const char *s)
{
	return (uintptr_t)s >= (uintptr_t)(p->data + p->body) &&
	       (uintptr_t)s < (uintptr_t)(p->data + p->len);
}

/* The offset where the line after the last text starts (the last text's own
 * line when scan_here says the next block may start on it). */
static size_t line_after_last(const struct parser *p)
{
	size_t i = p->last_end;
	if (!p->scan_here) {
		while (i < p->len && p->data[i] != '\n')
			i++;
		if (i < p->len)
			i++;
	}
	return i;
}

/* Where the next block starts when it has no text of its own to tell (a
 * rule, a code fence, an empty item): the first non-blank character on the
 * lines after the last text seen. */
static void next_block_pos(struct parser *p, int *line, int *col)
{
	size_t i = line_after_last(p);
	for (;;) {
		size_t j = i;
		while (j < p->len && (p->data[j] == ' ' || p->data[j] == '\t' || p->data[j] == '\r'))
			j++;
		if (j < p->len && p->data[j] == '\n') {
			i = j + 1;
			continue;
		}
		i = j;
		break;
	}
	position(p, i, line, col);
	p->last_end = i;	/* the next block is on a later line */
	p->scan_here = 0;
}

/* After a code block or a setext heading: if the line after the last text
 * is the block's closing line (a fence of c, or an underline of '=' or '-'
 * when c is 0), the next block starts after it. */
static void skip_closing_line(struct parser *p, char c)
{
	size_t i = line_after_last(p);
	size_t j = i;
	while (j < p->len && (p->data[j] == ' ' || p->data[j] == '\t' || p->data[j] == '>'))
		j++;
	size_t k = j;
	char mark = c ? c : j < p->len ? p->data[j] : '\0';
	if (!c && mark != '=' && mark != '-')
		return;
	while (k < p->len && p->data[k] == mark)
		k++;
	if (k - j < (c ? 3u : 1u))
		return;
	while (k < p->len && (p->data[k] == ' ' || p->data[k] == '\t' || p->data[k] == '\r' ||
			      (c && p->data[k] == mark)))
		k++;
	if (k < p->len && p->data[k] != '\n')
		return;
	p->last_end = j;
	p->scan_here = 0;
}

static void warn(struct parser *p, int line, int col, const char *msg)
{
	diag_add(p->d, SEV_WARNING, p->file, line, col, "%s", msg);
}

/* ---- body: the tree ---- */

static struct node *node_new(struct parser *p, enum node_kind kind, struct node *parent)
{
	struct node *n = arena_alloc(&p->is->nodes, sizeof(*n));
	n->kind = kind;
	n->at.file = p->is->path;
	n->block = -1;
	n->parent = parent;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
	}
	return n;
}

static int ancestors(const struct node *n, enum node_kind kind)
{
	int k = 0;
	for (n = n->parent; n; n = n->parent)
		k += n->kind == kind;
	return k;
}

/* A heading outside quotes and lists opens a section (level 1) or an entry
 * (level 2) that holds it; deeper ones stay in the open entry. */
static void open_sectioning(struct parser *p, int level)
{
	struct node *c = p->container;
	if (c->kind != NODE_DOC && c->kind != NODE_SECTION && c->kind != NODE_ENTRY)
		return;
	if (level == 1) {
		p->container = node_new(p, NODE_SECTION, p->is->root);
	} else if (level == 2) {
		while (c->kind == NODE_ENTRY)
			c = c->parent;
		p->container = node_new(p, NODE_ENTRY, c);
	}
}

/* The paragraph right above a table names it when it starts "Table:"
 * (taken off, as pandoc writes it) or 表 and a number or colon (kept, as
 * Chinese captions are printed: 表1 …, 表：…): it becomes the table's
 * caption, the table's first child. */
static void take_caption(struct parser *p, struct node *table)
{
	struct node *prev = table->parent->first;
	while (prev && prev->next != table)
		prev = prev->next;
	if (!prev || prev->kind != NODE_PARA || prev->block < 0)
		return;
	struct block *b = &p->is->blocks[prev->block];
	if (b->kind != BLOCK_PARA)
		return;
	int pandoc = b->len >= 6 && !strncmp(b->text, "Table:", 6);
	int chinese = b->len > 3 && !strncmp(b->text, "表", 3) &&
		      (g_ascii_isdigit(b->text[3]) || !strncmp(b->text + 3, "：", 3) ||
		       b->text[3] == ':');
	if (!pandoc && !chinese)
		return;
	if (pandoc) {	/* "Table:" and the blanks after it go */
		int k = 6;
		while (k < b->len && b->text[k] == ' ')
			k++;
		memmove(b->text, b->text + k, (size_t)(b->len - k) + 1);
		if (b->src_line)
			memmove(b->src_line, b->src_line + k, (size_t)(b->len - k) * sizeof(int));
		int n = 0;
		for (int i = 0; i < b->nspans; i++) {
			struct span sp = b->spans[i];
			sp.start = sp.start > k ? sp.start - k : 0;
			sp.end = sp.end > k ? sp.end - k : 0;
			if (sp.end > sp.start)
				b->spans[n++] = sp;
			else
				free(sp.href);
		}
		b->nspans = n;
		b->len -= k;
	}
	b->kind = BLOCK_TABLE_CAPTION;
	/* move the paragraph into the table */
	struct node *before = table->parent->first;
	if (before == prev) {
		table->parent->first = table;
	} else {
		while (before->next != prev)
			before = before->next;
		before->next = table;
	}
	prev->next = NULL;
	prev->parent = table;
	table->first = table->last = prev;
	table->at = prev->at;
}

/* A leaf's place, given to the containers that had none yet. */
static void place_node(struct node *n, int line, int col)
{
	for (; n && n->at.line == 0; n = n->parent) {
		n->at.line = line;
		n->at.col = col;
	}
}

static void close_container(struct parser *p)
{
	if (p->container->parent)
		p->container = p->container->parent;
}

/* ---- body: blocks ---- */

static struct block *cur_block(struct parser *p)
{
	return p->cur >= 0 ? &p->is->blocks[p->cur] : NULL;
}

static enum node_kind leaf_kind(enum block_kind k)
{
	switch (k) {
	case BLOCK_HEADING:
		return NODE_HEADING;
	case BLOCK_RULE:
		return NODE_RULE;
	case BLOCK_CODE:
		return NODE_CODE;
	case BLOCK_IMAGE:
		return NODE_IMAGE;
	case BLOCK_CELL:
		return NODE_CELL;
	default:
		return NODE_PARA;
	}
}

static void open_block(struct parser *p, enum block_kind kind)
{
	struct issue *is = p->is;
	if (is->nblocks == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		is->blocks = xrealloc(is->blocks, (size_t)p->cap * sizeof(*is->blocks));
	}
	p->cur = is->nblocks++;
	struct block *b = &is->blocks[p->cur];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	struct node *leaf = node_new(p, leaf_kind(kind), p->container);
	leaf->block = p->cur;
	b->node = leaf;
	b->quote_depth = ancestors(leaf, NODE_QUOTE);
	b->list_depth = ancestors(leaf, NODE_LIST);
	if (kind == BLOCK_ITEM && p->marker) {
		b->marker = p->marker;
		p->marker = NULL;
	}
	p->text.len = 0;
	p->text.s[0] = '\0';
	p->nspans = 0;
	p->softbr = 0;
	p->nbreaks = 0;
	p->hlinks = 0;
	p->first_off = p->body;
	p->link_start = p->link_end = -1;
	free(p->link_href);
	p->link_href = NULL;
}

/* Opens a block that has no text of its own to tell where it starts (a
 * rule, a code block): it starts on the next non-blank line. */
static void open_block_here(struct parser *p, enum block_kind kind)
{
	int line, col;
	next_block_pos(p, &line, &col);
	open_block(p, kind);
	cur_block(p)->line = line;
	cur_block(p)->col = col;
}

/* Removes [a, b) from the open block's text, spans and lines. */
static void cut(struct parser *p, int a, int b)
{
	if (a >= b)
		return;
	int n = b - a, len = (int)p->text.len;
	memmove(p->text.s + a, p->text.s + b, (size_t)(len - b) + 1);
	memmove(p->lines + a, p->lines + b, (size_t)(len - b) * sizeof(int));
	memmove(p->offs + a, p->offs + b, (size_t)(len - b) * sizeof(size_t));
	p->text.len -= (size_t)n;
	int *at[] = {&p->link_start, &p->link_end, &p->img_start, &p->img_end};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (*at[i] > a)
			*at[i] = *at[i] < b ? a : *at[i] - n;
	int nb = 0;
	for (int i = 0; i < p->nbreaks; i++) {
		int x = p->breaks[i] <= a ? p->breaks[i] : p->breaks[i] < b ? a : p->breaks[i] - n;
		if (!nb || p->breaks[nb - 1] != x)
			p->breaks[nb++] = x;
	}
	p->nbreaks = nb;
	int k = 0;
	for (int i = 0; i < p->nspans; i++) {
		struct span s = p->spans[i];
		s.start = s.start < a ? s.start : s.start < b ? a : s.start - n;
		s.end = s.end < a ? s.end : s.end < b ? a : s.end - n;
		if (s.start >= s.end) {
			free(s.href);
			continue;
		}
		struct span *prev = k ? &p->spans[k - 1] : NULL;
		if (prev && prev->end == s.start && prev->flags == s.flags &&
		    ((!prev->href && !s.href) || (prev->href && s.href && !strcmp(prev->href, s.href)))) {
			prev->end = s.end;	/* the cut joined two runs */
			free(s.href);
			continue;
		}
		p->spans[k++] = s;
	}
	p->nspans = k;
}

static int same_href(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Removes every byte marked in drop from the open block's text, with its
 * spans, lines, offsets and the offsets kept about it, in one pass (a
 * paragraph of thousands of emphases stays linear). */
static void compact(struct parser *p, const unsigned char *drop)
{
	int len = (int)p->text.len, k = 0;
	int *map = xmalloc(((size_t)len + 1) * sizeof(*map));	/* old offset -> new */
	for (int i = 0; i < len; i++) {
		map[i] = k;
		if (drop[i])
			continue;
		p->text.s[k] = p->text.s[i];
		p->lines[k] = p->lines[i];
		p->offs[k] = p->offs[i];
		k++;
	}
	map[len] = k;
	p->text.len = (size_t)k;
	p->text.s[k] = '\0';
	int n = 0;
	for (int i = 0; i < p->nspans; i++) {
		struct span sp = p->spans[i];
		sp.start = map[sp.start];
		sp.end = map[sp.end];
		struct span *prev = n ? &p->spans[n - 1] : NULL;
		if (sp.start >= sp.end ||
		    (prev && prev->end == sp.start && prev->flags == sp.flags && same_href(prev->href, sp.href))) {
			if (sp.start < sp.end)
				prev->end = sp.end;	/* two runs joined */
			free(sp.href);
			continue;
		}
		p->spans[n++] = sp;
	}
	p->nspans = n;
	int *at[] = {&p->link_start, &p->link_end, &p->img_start, &p->img_end};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (*at[i] >= 0 && *at[i] <= len)
			*at[i] = map[*at[i]];
	int nb = 0;
	for (int i = 0; i < p->nbreaks; i++) {
		int x = map[p->breaks[i] <= len ? p->breaks[i] : len];
		if (!nb || p->breaks[nb - 1] != x)
			p->breaks[nb++] = x;
	}
	p->nbreaks = nb;
	free(map);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Strips a trailing marker (with the blanks before it); 1 if it was there. */
static int strip_suffix(struct parser *p, const char *marker)
{
	size_t m = strlen(marker), len = p->text.len;
	if (len < m || memcmp(p->text.s + len - m, marker, m) != 0)
		return 0;
	int end = (int)(len - m);
	while (end > 0 && is_blank(p->text.s[end - 1]))
		end--;
	cut(p, end, (int)len);
	return 1;
}

/* A heading: takes out its source link, trims, strips {-} / {.unnumbered}. */
static void finish_heading(struct parser *p, struct block *b)
{
	if (p->link_start >= 0 && p->link_end >= p->link_start) {
		b->source_label = xstrndup(p->text.s + p->link_start,
					   (size_t)(p->link_end - p->link_start));
		b->source_href = p->link_href ? p->link_href : xstrdup("");
		p->link_href = NULL;
		cut(p, p->link_start, p->link_end);
	}
	for (;;) {
		int end = (int)p->text.len;
		while (end > 0 && is_blank(p->text.s[end - 1]))
			end--;
		cut(p, end, (int)p->text.len);
		if (strip_suffix(p, "{-}") || strip_suffix(p, "{.unnumbered}"))
			b->unnumbered = 1;
		else
			break;
	}
	int start = 0;
	while (start < (int)p->text.len && is_blank(p->text.s[start]))
		start++;
	cut(p, 0, start);
}

/* "did you mean 'photo.jpg'?" after an image src that is not at path: the
 * nearest file in the folder path names. */
static void hint_image(const char *src, const char *path, struct diags *d)
{
	char *dir = path_dir(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *near = dir_nearest(dir, base, "");
	const char *slash = strrchr(src, '/');
	if (near)
		diag_hint(d, "did you mean '%.*s%s'?", slash ? (int)(slash + 1 - src) : 0, src, near);
	free(near);
	free(dir);
}

/* A paragraph that holds one image and nothing else (but blanks) becomes
 * an image block, its description the caption; the file is relative to
 * the issue's folder and must be a PNG, JPEG or SVG.  An image inside
 * running text is left out with a warning. */
static void finish_image(struct parser *p, struct block *b)
{
	int alone = p->nimages == 1 && b->kind == BLOCK_PARA;
	for (size_t i = 0; alone && i < p->text.len; i++)
		if ((int)i < p->img_start || (int)i >= p->img_end)
			alone = p->text.s[i] == ' ' || p->text.s[i] == '\n';
	if (!alone) {
		warn(p, p->img_line, p->img_col,
		     "an image inside running text is left out (its description is kept); "
		     "put the image on a line of its own");
	} else if (!p->img_src || !*p->img_src) {
		diag_add(p->d, SEV_ERROR, p->file, p->img_line, p->img_col,
			 "an image needs a file: ![caption](photo.jpg)");
	} else {
		char *path = path_relative(p->file, p->img_src);
		char *dir = path_dir(p->file);
		paths_add(p->reads, path);
		struct image_info im;
		char *why = NULL;
		if (access(path, F_OK) == 0 && !path_under(path, dir))
			why = xasprintf("it is outside the issue's folder %s; images must be in it "
					"or below it (links and ../ included)", dir);
		else
			image_probe(path, &im, &why);
		free(dir);
		if (why) {
			char *q = excerpt(p->img_src, strlen(p->img_src), 80);
			diag_add(p->d, SEV_ERROR, p->file, p->img_line, p->img_col, "image %s: %s", q,
				 why);
			if (access(path, F_OK) != 0)
				hint_image(p->img_src, path, p->d);
			free(q);
			free(why);
			free(path);
		} else {
			b->kind = BLOCK_IMAGE;
			((struct node *)b->node)->kind = NODE_IMAGE;	/* the parser's own tree */
			b->image = path;
			b->image_width = im.width;
			b->image_height = im.height;
			b->image_kind = im.kind;
			/* the caption is the description, without the blanks around it */
			memmove(p->text.s, p->text.s + p->img_start, (size_t)(p->img_end - p->img_start));
			memmove(p->lines, p->lines + p->img_start,
				(size_t)(p->img_end - p->img_start) * sizeof(int));
			memmove(p->offs, p->offs + p->img_start,
				(size_t)(p->img_end - p->img_start) * sizeof(size_t));
			p->text.len = (size_t)(p->img_end - p->img_start);
			p->text.s[p->text.len] = '\0';
			for (int i = 0; i < p->nspans; i++) {
				p->spans[i].start -= p->img_start;
				p->spans[i].end -= p->img_start;
			}
		}
	}
	free(p->img_src);
	p->img_src = NULL;
	p->nimages = 0;
}


/* The line and column of byte i of the open block's text. */
static void text_place(const struct parser *p, int i, int *line, int *col)
{
	size_t off = p->offs[i], start = off;
	while (start > p->body && p->data[start - 1] != '\n')
		start--;
	*line = p->lines[i];
	*col = 1;
	for (size_t k = start; k < off; k++)
		*col += ((unsigned char)p->data[k] & 0xc0) != 0x80;
}

/* Per byte of the open block's text: its span's flags and target. */
static void byte_styles(const struct parser *p, int *flags, const char **href)
{
	for (int i = 0; i < p->nspans; i++)
		for (int k = p->spans[i].start; k < p->spans[i].end; k++) {
			flags[k] = p->spans[i].flags;
			href[k] = p->spans[i].href;
		}
}

/* Spans again from per-byte flags and targets (targets copied). */
static void rebuild_spans(struct parser *p, const int *flags, const char *const *href, int len)
{
	struct span *old = p->spans;
	int nold = p->nspans;
	p->spans = NULL;
	p->nspans = p->spancap = 0;
	for (int i = 0; i < len;) {
		int j = i;
		while (j < len && flags[j] == flags[i] && same_href(href[j], href[i]))
			j++;
		if (flags[i]) {
			if (p->nspans == p->spancap) {
				p->spancap = p->spancap ? p->spancap * 2 : 16;
				p->spans = xrealloc(p->spans, (size_t)p->spancap * sizeof(*p->spans));
			}
			p->spans[p->nspans++] =
				(struct span){i, j, flags[i], href[i] ? xstrdup(href[i]) : NULL};
		}
		i = j;
	}
	for (int i = 0; i < nold; i++)
		free(old[i].href);
	free(old);
}

/* Decides the emphasis of the open block (emph.c): the spans get bold and
 * italic, the delimiters it used leave the text, the others print as the
 * characters they are; a leftover ** or __ is a warning at its place. */
/* 1 if byte i of the open block's text was written with a backslash. */
static int escaped(const struct parser *p, int i)
{
	size_t off = p->offs[i];
	return off > p->body && p->data[off - 1] == '\\';
}

/* Markup that would reach the page as characters (used: the placeholders
 * emphasis took; code: bytes of code spans): a ** or __ that opens or
 * closes nothing, a ~~ (strikethrough is not read); the first of each in
 * a block is a warning at its place. */
static void leftover_markup(struct parser *p, const unsigned char *used, const unsigned char *code)
{
	static const char *what[] = {"'**' opens or closes no bold here and is printed as it is",
				     "'__' opens or closes no bold here and is printed as it is",
				     "'~~' (strikethrough) is not supported and is printed as it is",
				     ("'[...][...]' is a reference link with no definition ([label]: URL) "
				      "and is printed as it is")};
	int said[4] = {0}, opened = 0;
	const char *t = p->text.s;
	for (int i = 0; i + 1 < (int)p->text.len; i++) {
		unsigned char c = (unsigned char)t[i], n = (unsigned char)t[i + 1];
		opened |= c == '[';
		int k = c == EMPH_STAR || c == '*' ? 0 : c == EMPH_UNDER || c == '_' ? 1 : c == '~' ? 2
			: c == ']' && n == '[' && opened && !said[3] &&
					  memchr(t + i + 2, ']', p->text.len - (size_t)i - 2) ? 3
			: -1;
		if (k == 3) {	/* [1][2] is a run of citations, not a reference link */
			int digits = i > 0 && g_ascii_isdigit(t[i - 1]) && i + 2 < (int)p->text.len &&
				     g_ascii_isdigit(t[i + 2]);
			if (digits)
				continue;
			n = c;
		}
		if (k < 0 || n != c || code[i] || code[i + 1] || (used && (used[i] || used[i + 1])) ||
		    said[k] || escaped(p, i) || escaped(p, i + 1))
			continue;
		int line, col;
		text_place(p, i, &line, &col);
		diag_add(p->d, SEV_WARNING, p->file, line, col, "%s", what[k]);
		said[k] = 1;
	}
}

static void resolve_emphasis(struct parser *p)
{
	int len = (int)p->text.len;
	if (!memchr(p->text.s, EMPH_STAR, (size_t)len) && !memchr(p->text.s, EMPH_UNDER, (size_t)len)) {
		unsigned char *code = xcalloc((size_t)len + 1, 1);
		for (int i = 0; i < p->nspans; i++)
			if (p->spans[i].flags & SPAN_CODE)
				memset(code + p->spans[i].start, 1,
				       (size_t)(p->spans[i].end - p->spans[i].start));
		leftover_markup(p, NULL, code);
		free(code);
		return;
	}
	int *flags = xcalloc((size_t)len + 1, sizeof(*flags));
	const char **href = xcalloc((size_t)len + 1, sizeof(*href));
	unsigned char *code = xcalloc((size_t)len + 1, 1);
	int *scope = xcalloc((size_t)len + 1, sizeof(*scope));
	byte_styles(p, flags, href);
	int nscope = 0;
	for (int i = 0; i < len; i++) {	/* each link's text is a scope of its own */
		code[i] = (flags[i] & SPAN_CODE) != 0;
		if (flags[i] & SPAN_LINK)
			scope[i] = i > 0 && (flags[i - 1] & SPAN_LINK) && same_href(href[i - 1], href[i])
					   ? scope[i - 1] : ++nscope;
	}
	int ranges[2][2] = {{p->link_start, p->link_end}, {p->nimages ? p->img_start : -1, p->img_end}};
	for (int r = 0; r < 2; r++) {	/* a heading's source link, an image's description */
		if (ranges[r][0] < 0 || ranges[r][1] <= ranges[r][0])
			continue;
		nscope++;
		for (int i = ranges[r][0]; i < ranges[r][1] && i < len; i++)
			scope[i] = nscope;
	}
	struct emph_text x = {p->text.s, len, code, scope, p->breaks, p->nbreaks};
	struct emph_result res;
	emph_resolve(&x, &res);
	for (int k = 0; k < res.n; k++)
		for (int i = res.v[k].start; i < res.v[k].end; i++)
			flags[i] |= res.v[k].strong ? SPAN_BOLD : SPAN_ITALIC;
	rebuild_spans(p, flags, href, len);
	leftover_markup(p, res.used, code);
	compact(p, res.used);	/* the delimiters used leave the text */
	emph_unmark(p->text.s, p->text.len);
	emph_result_done(&res);
	free(flags);
	free(href);
	free(code);
	free(scope);
}

/* A paragraph whose first line reads like a table row (| a | b |) is a
 * table md4c could not take (no | --- | row under its header, or rows of
 * other widths): its pipes would print.  A warning at it. */
static void not_a_table(struct parser *p, const struct block *b)
{
	const char *t = p->text.s;
	size_t n = p->text.len, i = 0;
	while (i < n && t[i] == ' ')
		i++;
	if (i >= n || t[i] != '|')
		return;
	int pipes = 0;
	for (size_t k = i; k < n && t[k] != '\n'; k++)
		pipes += t[k] == '|';
	if (pipes < 2)
		return;
	diag_add(p->d, SEV_WARNING, p->file, b->line, b->col,
		 "this paragraph looks like a table but is not one, and its '|' print: a table "
		 "needs a row like | --- | --- | right under its header row");
}

/* ---- body: footnotes ---- */

/* The labels of the open block's marks, kept until the notes are read. */
static void note_pending(struct parser *p, int block)
{
	for (int i = 0; i < p->nrefs; i++) {
		if (p->npending == p->pendcap) {
			p->pendcap = p->pendcap ? p->pendcap * 2 : 16;
			p->pending = xrealloc(p->pending, (size_t)p->pendcap * sizeof(*p->pending));
		}
		p->pending[p->npending++] = (struct pending_ref){block, i, p->ref_labels[i]};
		p->ref_labels[i] = NULL;
	}
}

/* The label of a mark [^label] at t[i] (t[i] == '['), or 0 if there is
 * none: its length in bytes, the label in *label (caller frees). */
static int mark_at(const char *t, int len, int i, char **label)
{
	if (i + 3 >= len || t[i] != '[' || t[i + 1] != '^')
		return 0;
	int j = i + 2;
	while (j < len && t[j] != ']' && t[j] != '[' && t[j] != ' ' && t[j] != '\n')
		j++;
	if (j >= len || t[j] != ']' || j == i + 2 || (j + 1 < len && (t[j + 1] == ':' || t[j + 1] == '(')))
		return 0;
	*label = xstrndup(t + i + 2, (size_t)(j - i - 2));
	return j + 1 - i;
}

/* Takes the footnote marks [^label] out of the open block's text (not out
 * of code), keeping where each stood. */
static void take_marks(struct parser *p)
{
	int len = (int)p->text.len;
	if (!memmem(p->text.s, (size_t)len, "[^", 2))
		return;
	unsigned char *drop = xcalloc((size_t)len + 1, 1);
	int *flags = xcalloc((size_t)len + 1, sizeof(*flags));
	const char **href = xcalloc((size_t)len + 1, sizeof(*href));
	byte_styles(p, flags, href);
	int removed = 0;
	for (int i = 0; i < len; i++) {
		char *label;
		int n = flags[i] & SPAN_CODE ? 0 : mark_at(p->text.s, len, i, &label);
		if (!n)
			continue;
		if (p->in_note) {	/* a note's own text cannot hold a mark */
			free(label);
			continue;
		}
		if (p->nrefs == p->refcap) {
			p->refcap = p->refcap ? p->refcap * 2 : 8;
			p->refs = xrealloc(p->refs, (size_t)p->refcap * sizeof(*p->refs));
			p->ref_labels = xrealloc(p->ref_labels, (size_t)p->refcap * sizeof(*p->ref_labels));
		}
		struct noteref *r = &p->refs[p->nrefs];
		text_place(p, i, &r->line, &r->col);
		r->at = i - removed;
		p->ref_labels[p->nrefs++] = label;
		memset(drop + i, 1, (size_t)n);
		removed += n;
		i += n - 1;
	}
	if (removed)
		compact(p, drop);
	free(drop);
	free(flags);
	free(href);
}

/* A footnote definition: "[^label]: text" at the start of a line (up to
 * three spaces in), and the lines after it up to a blank line. */
struct notedef {
	char *label;
	size_t start, text, end;	/* the definition, its text, its end */
	int line;
	int block;		/* its first block, once read */
};

/* Finds the definitions in data[body, len), outside fenced code. */
static struct notedef *find_notes(const char *s, size_t body, size_t len, int body_line, int *n)
{
	struct notedef *v = NULL;
	int cap = 0, line = body_line;
	char fence = 0;
	*n = 0;
	for (size_t i = body; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len, j = i;
		while (j < end && j - i < 3 && s[j] == ' ')
			j++;
		if ((s[j] == '`' || s[j] == '~') && j + 2 < end && s[j + 1] == s[j] && s[j + 2] == s[j]) {
			fence = fence == s[j] ? 0 : fence ? fence : s[j];	/* a fence opens or closes */
		} else if (!fence && s[j] == '[' && j + 1 < end && s[j + 1] == '^') {
			size_t k = j + 2;
			while (k < end && s[k] != ']' && s[k] != ' ' && s[k] != '[')
				k++;
			if (k + 1 < end && s[k] == ']' && s[k + 1] == ':' && k > j + 2) {
				if (*n == cap) {
					cap = cap ? cap * 2 : 8;
					v = xrealloc(v, (size_t)cap * sizeof(*v));
				}
				struct notedef *d = &v[(*n)++];
				d->label = xstrndup(s + j + 2, k - j - 2);
				emph_unmark(d->label, strlen(d->label));
				d->start = i;
				d->text = k + 2;
				while (d->text < end && (s[d->text] == ' ' || s[d->text] == '\t'))
					d->text++;
				d->line = line;
				d->block = -1;
				/* lazy continuation: the lines after it up to a blank one */
				size_t e = end;
				int l = line;
				while (e < len) {
					const char *n2 = memchr(s + e, '\n', len - e);
					size_t e2 = n2 ? (size_t)(n2 - s) + 1 : len, q = e;
					while (q < e2 && (s[q] == ' ' || s[q] == '\t' || s[q] == '\r'))
						q++;
					if (q == e2 || s[q] == '\n' || (s[q] == '[' && q + 1 < e2 && s[q + 1] == '^'))
						break;
					e = e2;
					l++;
				}
				d->end = e;
				line = l;
				end = e;
			}
		}
		i = end;
	}
	return v;
}

/* ---- body: bare links ---- */

/* Where a bare URL or address starting at i of t ends: before whitespace,
 * a CJK character or CJK punctuation, '<', '>' or '"', and before trailing
 * punctuation (.,:;!?'* and a ')' that opens nothing). */
static int link_end(const char *t, int len, int i)
{
	int j = i, open = 0;
	while (j < len) {
		unsigned cp;
		int k = utf8_decode(t + j, &cp);
		if (cp <= ' ' || cp == '<' || cp == '>' || cp == '"' || cp == 0x7f || emph_is_cjk(cp) ||
		    cp == 0xa0 || (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f))
			break;
		open += cp == '(' ? 1 : cp == ')' ? -1 : 0;
		j += k;
	}
	for (;;) {
		char c = j > i ? t[j - 1] : 0;
		if (c && strchr(".,:;!?'*_~", c))
			j--;
		else if (c == ')' && open < 0)
			j--, open++;
		else
			break;
	}
	return j;
}

static int host_char(char c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '_';
}

/* A domain name at t[0, n): labels of letters, digits, - and _, at least
 * two, the last of letters (a TLD).  Returns how many bytes it takes. */
static int domain_len(const char *t, int n)
{
	int i = 0, dots = 0, last = 0;
	while (i < n && (host_char(t[i]) || (t[i] == '.' && i > 0 && t[i - 1] != '.' && i + 1 < n &&
					     host_char(t[i + 1])))) {
		if (t[i] == '.')
			dots++, last = i + 1;
		i++;
	}
	if (!dots)
		return 0;
	for (int k = last; k < i; k++)
		if (!g_ascii_isalpha(t[k]))
			return 0;
	return i;
}

/* The bare link at i of t, if one starts there: its length and target
 * (caller frees), else 0.  A URL (http://, https://, ftp://, www.) or an
 * e-mail address, started at the text's start, after a space, after a CJK
 * character or after punctuation, never inside a Latin word. */
static int bare_link(const char *t, int len, int i, char **href)
{
	static const char *schemes[] = {"https://", "http://", "ftp://", "www."};
	if (i > 0 && (g_ascii_isalnum(t[i - 1]) || t[i - 1] == '@' || t[i - 1] == '.' ||
		      t[i - 1] == '/' || t[i - 1] == '-' || t[i - 1] == '_'))
		return 0;
	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		size_t n = strlen(schemes[k]);
		if ((size_t)(len - i) <= n || g_ascii_strncasecmp(t + i, schemes[k], n))
			continue;
		int end = link_end(t, len, i);
		if (k == 3 ? domain_len(t + i, end - i) == 0 : end <= i + (int)n)
			return 0;
		*href = k == 3 ? xasprintf("http://%.*s", end - i, t + i) : xstrndup(t + i, (size_t)(end - i));
		return end - i;
	}
	/* local@domain: the local part of letters, digits and .+-_ */
	int j = i;
	while (j < len && (g_ascii_isalnum(t[j]) || strchr(".+-_", t[j])))
		j++;
	if (j == i || j >= len || t[j] != '@' || t[i] == '.' || t[j - 1] == '.')
		return 0;
	int d = domain_len(t + j + 1, link_end(t, len, j + 1) - (j + 1));
	if (!d)
		return 0;
	*href = xasprintf("mailto:%.*s", j + 1 + d - i, t + i);
	return j + 1 + d - i;
}

/* URLs and e-mail addresses in running text (not in code or a link) become
 * links. */
static void bare_links(struct parser *p)
{
	int len = (int)p->text.len;
	if (!memchr(p->text.s, '.', (size_t)len))
		return;
	int *flags = xcalloc((size_t)len + 1, sizeof(*flags));
	const char **href = xcalloc((size_t)len + 1, sizeof(*href));
	byte_styles(p, flags, href);
	char **made = NULL;
	int nmade = 0;
	for (int i = 0; i < len; i++) {
		char *target = NULL;
		int n;
		if ((flags[i] & (SPAN_CODE | SPAN_LINK)) || !(n = bare_link(p->text.s, len, i, &target)))
			continue;
		int k;
		for (k = i; k < i + n && !(flags[k] & (SPAN_CODE | SPAN_LINK)); k++)
			;
		if (k < i + n) {	/* it runs into code or a link: leave it */
			free(target);
			continue;
		}
		made = xrealloc(made, (size_t)(nmade + 1) * sizeof(*made));
		made[nmade++] = target;
		for (k = i; k < i + n; k++) {
			flags[k] |= SPAN_LINK;
			href[k] = target;
		}
		i += n - 1;
	}
	if (nmade)
		rebuild_spans(p, flags, href, len);
	for (int i = 0; i < nmade; i++)
		free(made[i]);
	free(made);
	free(flags);
	free(href);
}

static void close_block(struct parser *p)
{
	struct block *b = cur_block(p);
	if (!b)
		return;
	if (b->kind != BLOCK_CODE)
		resolve_emphasis(p);
	if (b->kind == BLOCK_PARA || b->kind == BLOCK_ITEM)
		bare_links(p);
	if (b->kind != BLOCK_CODE)
		take_marks(p);
	if (b->kind == BLOCK_PARA)
		not_a_table(p, b);
	if (b->kind == BLOCK_HEADING) {
		finish_heading(p, b);
		const struct node *n = b->node;
		/* the layout numbers entries within sections: 0.1、 would print */
		if (b->level == 2 && !b->unnumbered && n->parent->kind == NODE_ENTRY &&
		    n->parent->parent->kind == NODE_DOC)
			diag_add(p->d, SEV_ERROR, p->file, b->line, b->col,
				 "an entry (##) before the first section (#): put a section "
				 "heading above it, or mark it unnumbered with {-}");
	}
	if (b->kind == BLOCK_CODE && p->text.len && p->text.s[p->text.len - 1] == '\n') {
		p->text.len--;
		p->text.s[p->text.len] = '\0';
	}
	if (b->line == 0 && b->kind == BLOCK_CELL)	/* an empty cell: after the last text */
		position(p, p->last_end, &b->line, &b->col);
	else if (b->line == 0)
		next_block_pos(p, &b->line, &b->col);
	place_node((struct node *)b->node, b->line, b->col);
	if (p->nimages)
		finish_image(p, b);
	b->len = (int)p->text.len;
	b->text = xstrndup(p->text.s, p->text.len);
	if (p->nrefs) {	/* the labels wait in ref_labels, by the same index */
		b->refs = xmalloc((size_t)p->nrefs * sizeof(*b->refs));
		memcpy(b->refs, p->refs, (size_t)p->nrefs * sizeof(*b->refs));
		b->nrefs = p->nrefs;
		for (int i = 0; i < p->nrefs; i++)
			b->refs[i].note = -1 - (int)(intptr_t)i;	/* resolved later */
		note_pending(p, p->cur);
	}
	p->nrefs = 0;
	if (p->nspans) {
		b->spans = xmalloc((size_t)p->nspans * sizeof(*b->spans));
		memcpy(b->spans, p->spans, (size_t)p->nspans * sizeof(*b->spans));
		b->nspans = p->nspans;
	}
	p->nspans = 0;
	if (b->len) {
		b->src_line = xmalloc((size_t)b->len * sizeof(int));
		memcpy(b->src_line, p->lines, (size_t)b->len * sizeof(int));
	}
	p->cur = -1;
}

/* An item whose first child is not a paragraph still shows its marker: it
 * gets an empty item block of its own. */
static void flush_marker(struct parser *p)
{
	if (!p->marker)
		return;
	open_block(p, BLOCK_ITEM);
	close_block(p);
}

/* ---- body: text ---- */

/* Latin, Greek, Cyrillic... (below U+2000, not blank): the scripts whose
 * words a soft line break separates with a space.  CJK text, and the
 * punctuation shared with it, is joined without one. */
static int spaced_script(unsigned cp)
{
	return cp > ' ' && cp < 0x2000 && cp != 0xa0;
}

static unsigned last_char(const struct sbuf *sb)
{
	if (!sb->len)
		return 0;
	size_t i = sb->len - 1;
	while (i > 0 && ((unsigned char)sb->s[i] & 0xc0) == 0x80)
		i--;
	unsigned char b = (unsigned char)sb->s[i];
	if (b == EMPH_STAR || b == EMPH_UNDER)	/* a '*' or '_' that emphasis may take */
		return b == EMPH_STAR ? '*' : '_';
	unsigned cp;
	utf8_decode(sb->s + i, &cp);
	return cp;
}


/* Appends n bytes of (decoded) text from source line `line` to the open
 * block, with the current inline style. */
static void add_text(struct parser *p, const char *s, size_t n, int line)
{
	if (!n)
		return;
	if (p->cur < 0) {	/* a tight list item's text comes without a paragraph */
		open_block(p, p->nlists ? BLOCK_ITEM : BLOCK_PARA);
	}
	if (p->softbr) {
		unsigned next;
		utf8_decode(s, &next);
		if ((unsigned char)s[0] == EMPH_STAR || (unsigned char)s[0] == EMPH_UNDER)
			next = '*';
		p->softbr = 0;
		if (p->nbreaks == p->breakcap) {
			p->breakcap = p->breakcap ? p->breakcap * 2 : 16;
			p->breaks = xrealloc(p->breaks, (size_t)p->breakcap * sizeof(*p->breaks));
		}
		p->breaks[p->nbreaks++] = (int)p->text.len;
		if (spaced_script(last_char(&p->text)) && spaced_script(next))
			add_text(p, " ", 1, line);
	}
	int start = (int)p->text.len;
	sbuf_add(&p->text, s, n);
	if (p->text.len > p->linecap) {
		while (p->text.len > p->linecap)
			p->linecap = p->linecap ? p->linecap * 2 : 256;
		p->lines = xrealloc(p->lines, p->linecap * sizeof(int));
		p->offs = xrealloc(p->offs, p->linecap * sizeof(size_t));
	}
	size_t src = in_input(p, s) ? (size_t)(s - p->data) : p->last_end;
	for (size_t i = (size_t)start; i < p->text.len; i++) {
		p->lines[i] = line;
		p->offs[i] = in_input(p, s) ? src + (i - (size_t)start) : src;
	}

	struct block *b = cur_block(p);
	int flags = (p->strong ? SPAN_BOLD : 0) | (p->em ? SPAN_ITALIC : 0) | (p->code ? SPAN_CODE : 0);
	const char *href = NULL;
	if (p->nhrefs && p->hrefs[p->nhrefs - 1] && b->kind != BLOCK_HEADING) {
		flags |= SPAN_LINK;
		href = p->hrefs[p->nhrefs - 1];
	}
	if (!flags)
		return;
	struct span *last = p->nspans ? &p->spans[p->nspans - 1] : NULL;
	if (last && last->end == start && last->flags == flags && same_href(last->href, href)) {
		last->end = (int)p->text.len;
		return;
	}
	if (p->nspans == p->spancap) {
		p->spancap = p->spancap ? p->spancap * 2 : 16;
		p->spans = xrealloc(p->spans, (size_t)p->spancap * sizeof(*p->spans));
	}
	p->spans[p->nspans++] = (struct span){start, (int)p->text.len, flags,
					      href ? xstrdup(href) : NULL};
}

static void add_utf8(struct sbuf *sb, unsigned cp)
{
	char u[4];
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (char)cp;
		sbuf_add(sb, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(sb, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(sb, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(sb, u, 4);
	}
}

/* Appends the decoded entity s (&#123; &#x4e2d; &amp; ...) to sb; a named
 * entity this table lacks is kept as written. */
static void add_entity(struct sbuf *sb, const char *s, size_t n)
{
	static const struct {
		const char *name;
		unsigned cp;
	} named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
		{"nbsp", 0xa0}, {"copy", 0xa9}, {"reg", 0xae}, {"trade", 0x2122},
		{"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026}, {"middot", 0xb7},
		{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201c}, {"rdquo", 0x201d},
		{"laquo", 0xab}, {"raquo", 0xbb}, {"times", 0xd7}, {"divide", 0xf7},
		{"deg", 0xb0}, {"plusmn", 0xb1}, {"sect", 0xa7}, {"para", 0xb6},
		{"yen", 0xa5}, {"euro", 0x20ac}, {"pound", 0xa3}, {"cent", 0xa2},
		{"bull", 0x2022}, {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
	};
	if (n >= 4 && s[0] == '&' && s[1] == '#' && s[n - 1] == ';') {
		unsigned long cp = 0;
		int hex = s[2] == 'x' || s[2] == 'X';
		for (size_t i = hex ? 3 : 2; i < n - 1; i++) {
			int v = s[i] >= '0' && s[i] <= '9' ? s[i] - '0'
				: hex && s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
				: hex && s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;
			if (v < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			if (cp > 0x10ffff)
				cp = 0x110000;	/* invalid, without overflow */
		}
		add_utf8(sb, (unsigned)cp);
		return;
	}
	if (n >= 3 && s[0] == '&' && s[n - 1] == ';') {
		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			if (strlen(named[i].name) == n - 2 && !memcmp(named[i].name, s + 1, n - 2)) {
				add_utf8(sb, named[i].cp);
				return;
			}
		}
	}
	sbuf_add(sb, s, n);
}

/* An md4c attribute (a link target) decoded; "#" becomes "".  Caller frees. */
static char *attr_text(const MD_ATTRIBUTE *a)
{
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; a->substr_offsets && a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			add_entity(&sb, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			add_utf8(&sb, 0xfffd);
		else
			sbuf_add(&sb, s, n);
	}
	emph_unmark(sb.s, sb.len);	/* a link target's '_' is a '_' */
	if (!strcmp(sb.s, "#"))
		sb.len = 0, sb.s[0] = '\0';
	return sb.s;
}

/* 1 if s[0, n) holds a noncharacter (which entities can write), in *cp. */
static int nonchar_in(const char *s, size_t n, unsigned *cp)
{
	for (size_t i = 0; i < n;) {
		int k = utf8_decode(s + i, cp);
		if (utf8_noncharacter(*cp))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

/* Link targets a PDF may carry: web and mail addresses and anchors.  Any
 * other scheme (javascript:, file:, data:) would run or open something on
 * the reader's machine, and so would a target with no scheme, which a
 * reader resolves against the PDF's own folder.  Returns NULL if href is
 * fine, else why it is not written as a link. */
static const char *unsafe_href(const char *href)
{
	static const char *schemes[] = {"http:", "https:", "mailto:", "ftp:", "tel:"};
	if (!*href || href[0] == '#')
		return NULL;
	size_t n = 0;
	while ((href[n] >= 'a' && href[n] <= 'z') || (href[n] >= 'A' && href[n] <= 'Z') ||
	       (n > 0 && ((href[n] >= '0' && href[n] <= '9') || href[n] == '+' || href[n] == '-' ||
			  href[n] == '.')))
		n++;
	if (n == 0 || href[n] != ':')
		return "it has no scheme (write https://...)";
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i]) == n + 1 && !strncasecmp(href, schemes[i], n + 1))
			return NULL;
	return "only http:, https:, mailto:, ftp: and tel: targets (and #anchors) are";
}

/* A link's target as the model keeps it: NULL (no link, with a warning at
 * the link) when it is not one a PDF should carry.  Takes href. */
static char *checked_href(struct parser *p, char *href)
{
	const char *why = unsafe_href(href);
	unsigned cp;
	if (!why && !nonchar_in(href, strlen(href), &cp))
		return href;
	int line, col;	/* the link's '[' (or an autolink's '<') follows the last text */
	size_t at = p->last_end;
	while (at < p->len && p->data[at] != '[' && p->data[at] != '<')
		at++;
	position(p, at < p->len ? at : p->last_end, &line, &col);
	if (!why) {
		diag_add(p->d, SEV_ERROR, p->file, line, col, "link target: " UTF8_NONCHAR_MSG, cp);
		free(href);
		return NULL;
	}
	char *q = excerpt(href, strlen(href), EXCERPT_CHARS);
	diag_add(p->d, SEV_WARNING, p->file, line, col,
		 "link target '%s' is not written as a link: %s; its text is kept", q, why);
	free(q);
	free(href);
	return NULL;
}

/* ---- body: md4c callbacks ---- */

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
	struct parser *p = user;
	/* a block inside a tight item ends the item's text block */
	if (type != MD_BLOCK_DOC)
		close_block(p);
	if (type != MD_BLOCK_P && type != MD_BLOCK_DOC && type != MD_BLOCK_LI)
		flush_marker(p);
	switch (type) {
	case MD_BLOCK_QUOTE:
		p->container = node_new(p, NODE_QUOTE, p->container);
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL: {
		struct node *ln = node_new(p, NODE_LIST, p->container);
		ln->ordered = type == MD_BLOCK_OL;
		ln->start = ln->ordered ? (int)((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		p->container = ln;
		if (p->nlists == p->listcap) {
			p->listcap = p->listcap ? p->listcap * 2 : 8;
			p->lists = xrealloc(p->lists, (size_t)p->listcap * sizeof(*p->lists));
		}
		struct list *l = &p->lists[p->nlists++];
		l->ordered = type == MD_BLOCK_OL;
		l->next = l->ordered ? ((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		l->delim = l->ordered ? ((MD_BLOCK_OL_DETAIL *)detail)->mark_delimiter : 0;
		break;
	}
	case MD_BLOCK_LI: {
		flush_marker(p);	/* the previous item was empty */
		p->container = node_new(p, NODE_ITEM, p->container);
		struct list *l = &p->lists[p->nlists - 1];
		p->marker = l->ordered ? xasprintf("%u%c", l->next++, l->delim) : xstrdup("•");
		break;
	}
	case MD_BLOCK_HR:
		open_block_here(p, BLOCK_RULE);
		break;
	case MD_BLOCK_H:
		open_sectioning(p, (int)((MD_BLOCK_H_DETAIL *)detail)->level);
		open_block(p, BLOCK_HEADING);
		cur_block(p)->level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
		break;
	case MD_BLOCK_CODE:
		open_block_here(p, BLOCK_CODE);
		break;
	case MD_BLOCK_HTML: {
		int line, col;
		next_block_pos(p, &line, &col);
		warn(p, line, col, "raw HTML is not supported; this HTML block is left out");
		p->skip = 1;
		break;
	}
	case MD_BLOCK_P:
		open_block(p, p->nlists ? BLOCK_ITEM : BLOCK_PARA);
		break;
	case MD_BLOCK_TABLE: {
		struct node *t = node_new(p, NODE_TABLE, p->container);
		t->cols = (int)((MD_BLOCK_TABLE_DETAIL *)detail)->col_count;
		t->head_rows = (int)((MD_BLOCK_TABLE_DETAIL *)detail)->head_row_count;
		take_caption(p, t);
		p->container = t;
		p->table_row = 0;
		break;
	}
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		p->in_head = type == MD_BLOCK_THEAD;
		break;
	case MD_BLOCK_TR:
		p->container = node_new(p, NODE_ROW, p->container);
		p->container->header = p->in_head;
		p->table_col = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		open_block(p, BLOCK_CELL);
		struct block *b = cur_block(p);
		MD_ALIGN a = ((MD_BLOCK_TD_DETAIL *)detail)->align;
		b->cell_row = p->table_row;
		b->cell_col = p->table_col++;
		b->header = type == MD_BLOCK_TH;
		b->align = a == MD_ALIGN_LEFT ? ALIGN_LEFT : a == MD_ALIGN_CENTER ? ALIGN_CENTER
			 : a == MD_ALIGN_RIGHT ? ALIGN_RIGHT : -1;
		break;
	}
	default:	/* DOC */
		break;
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
	struct parser *p = user;
	switch (type) {
	case MD_BLOCK_CODE:
		close_block(p);
		if (((MD_BLOCK_CODE_DETAIL *)detail)->fence_char)
			skip_closing_line(p, ((MD_BLOCK_CODE_DETAIL *)detail)->fence_char);
		break;
	case MD_BLOCK_H: {
		/* a setext heading's underline follows its text */
		size_t i = p->first_off;
		while (i > p->body && p->data[i - 1] != '\n')
			i--;
		while (i < p->len && (p->data[i] == ' ' || p->data[i] == '\t' || p->data[i] == '>'))
			i++;
		int atx = i < p->len && p->data[i] == '#';
		close_block(p);
		if (!atx)
			skip_closing_line(p, 0);
		break;
	}
	case MD_BLOCK_QUOTE:
		close_block(p);
		close_container(p);
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		close_block(p);
		p->nlists--;
		close_container(p);
		break;
	case MD_BLOCK_LI:
		close_block(p);
		flush_marker(p);	/* an empty item */
		close_container(p);
		break;
	case MD_BLOCK_HTML:
		p->skip = 0;
		break;
	case MD_BLOCK_TR:
		close_block(p);
		close_container(p);
		p->table_row++;
		break;
	case MD_BLOCK_TABLE:
		close_block(p);
		close_container(p);
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	default:
		close_block(p);
		break;
	}
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user)
{
	struct parser *p = user;
	struct block *b = cur_block(p);
	switch (type) {
	case MD_SPAN_STRONG:
		p->strong++;
		break;
	case MD_SPAN_EM:
		p->em++;
		break;
	case MD_SPAN_CODE:
		p->code++;
		break;
	case MD_SPAN_A: {
		char *href = checked_href(p, attr_text(&((MD_SPAN_A_DETAIL *)detail)->href));
		if (b && b->kind == BLOCK_HEADING) {
			/* the first link of a heading is its source link */
			if (p->hlinks++ == 0) {
				p->link_start = (int)p->text.len;
				p->link_href = href;
			} else {
				int line, col;	/* the '[' follows the last text */
				position(p, p->last_end, &line, &col);
				warn(p, line, col,
				     "a heading has one source link; this further link is kept as plain text");
				free(href);
			}
			href = NULL;
		}
		if (p->nhrefs == p->hrefcap) {
			p->hrefcap = p->hrefcap ? p->hrefcap * 2 : 4;
			p->hrefs = xrealloc(p->hrefs, (size_t)p->hrefcap * sizeof(*p->hrefs));
		}
		p->hrefs[p->nhrefs++] = href;
		break;
	}
	case MD_SPAN_IMG:
		if (p->nimages++ == 0) {
			p->img_src = attr_text(&((MD_SPAN_IMG_DETAIL *)detail)->src);
			p->img_start = (int)p->text.len;
			/* its place: the description's first text, else the "![" */
			const char *bang = memmem(p->data + p->last_end, p->len - p->last_end, "![", 2);
			position(p, bang ? (size_t)(bang - p->data) : p->last_end, &p->img_line,
				 &p->img_col);
			p->img_placed = 0;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user)
{
	struct parser *p = user;
	struct block *b = cur_block(p);
	(void)detail;
	switch (type) {
	case MD_SPAN_STRONG:
		p->strong--;
		break;
	case MD_SPAN_EM:
		p->em--;
		break;
	case MD_SPAN_CODE:
		p->code--;
		break;
	case MD_SPAN_A:
		if (b && b->kind == BLOCK_HEADING) {
			if (p->hlinks == 1)
				p->link_end = (int)p->text.len;
		}
		if (p->nhrefs) {
			p->nhrefs--;
			free(p->hrefs[p->nhrefs]);
		}
		break;
	case MD_SPAN_IMG:
		if (p->nimages == 1)
			p->img_end = (int)p->text.len;
		break;
	default:
		break;
	}
	return 0;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
	struct parser *p = user;
	int line = 0, col = 0;
	if (in_input(p, s)) {
		position(p, (size_t)(s - p->data), &line, &col);
		p->last_end = (size_t)(s - p->data) + n;
		p->scan_here = 0;
	} else {
		line = p->cur_line;
	}
	if (p->skip)
		return 0;
	if (type == MD_TEXT_SOFTBR) {
		if (p->cur >= 0)
			p->softbr = 1;
		return 0;
	}
	if (p->nimages == 1 && !p->img_placed && col) {
		p->img_line = line;
		p->img_col = col;
		p->img_placed = 1;
	}
	if (type == MD_TEXT_HTML) {
		warn(p, line, col, "raw HTML is not supported; it is kept as plain text");
	}
	if (type == MD_TEXT_CODE || type == MD_TEXT_HTML) {	/* literal: '*' and '_' as written */
		char *lit = xstrndup(s, n);
		emph_unmark(lit, n);
		add_text(p, lit, n, line);
		free(lit);
		goto placed;
	}
	switch (type) {
	case MD_TEXT_BR:
		p->softbr = 0;
		add_text(p, "\n", 1, line);
		break;
	case MD_TEXT_NULLCHAR:
		add_text(p, "\xef\xbf\xbd", 3, line);
		break;
	case MD_TEXT_ENTITY: {
		struct sbuf sb;
		sbuf_init(&sb);
		add_entity(&sb, s, n);
		unsigned cp;
		if (nonchar_in(sb.s, sb.len, &cp)) {	/* &#xFFFE; cannot be printed */
			diag_add(p->d, SEV_ERROR, p->file, line, col, UTF8_NONCHAR_MSG, cp);
			sbuf_done(&sb);
			break;
		}
		add_text(p, sb.s, sb.len, line);
		sbuf_done(&sb);
		break;
	}
	default:
		add_text(p, s, n, line);
		break;
	}
placed:;
	struct block *b = cur_block(p);
	if (b && b->line == 0 && col) {	/* the block's first text in the input */
		b->line = line;
		b->col = col;
		p->first_off = (size_t)(s - p->data);
	}
	return 0;
}

/* ---- the issue ---- */

const char *issue_region(const struct block *b, int *len)
{
	if (b->kind != BLOCK_HEADING || b->level != 2 || b->len < 6 || strncmp(b->text, "【", 3))
		return NULL;
	const char *close = strstr(b->text, "】");
	if (!close || close - b->text >= b->len)
		return NULL;
	*len = (int)(close - b->text) - 3;
	return b->text + 3;
}

void issue_free(struct issue *is)
{
	if (!is)
		return;
	for (int i = 0; i < is->nblocks; i++) {
		struct block *b = &is->blocks[i];
		free(b->marker);
		free(b->text);
		for (int j = 0; j < b->nspans; j++)
			free(b->spans[j].href);
		free(b->spans);
		free(b->source_label);
		free(b->source_href);
		free(b->src_line);
		free(b->image);
		free(b->refs);
		free(b->note_label);
	}
	free(is->blocks);
	yml_strmap_done(&is->texts);
	arena_free(&is->nodes);
	free(is->path);
	free(is->layout);
	free(is->date);
	free(is);
}

/* Reads each footnote definition's text (in data, the body before the
 * definitions were blanked) as blocks under a footnote node at the end of
 * the tree.  Returns md4c's result. */
static int read_notes(struct parser *p, const MD_PARSER *mp, const char *data,
		      struct notedef *notes, int n)
{
	p->data = data;
	p->in_note = 1;
	for (int i = 0; i < n; i++) {
		struct notedef *nd = &notes[i];
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= !strcmp(notes[k].label, nd->label);
		if (dup) {
			char *q = excerpt(nd->label, strlen(nd->label), EXCERPT_CHARS);
			diag_add(p->d, SEV_ERROR, p->file, nd->line, 1,
				 "footnote [^%s] is defined twice", q);
			free(q);
			continue;
		}
		struct node *fn = node_new(p, NODE_FOOTNOTE, p->is->root);
		fn->at.line = nd->line;
		fn->at.col = 1;
		p->container = fn;
		/* the cursor and the text before: at the definition's text */
		p->cur_off = nd->start;
		p->cur_line = nd->line;
		p->cur_col = 1;
		p->last_end = nd->text;
		p->scan_here = 1;
		int first = p->is->nblocks;
		int rc = md_parse(data + nd->text, (MD_SIZE)(nd->end - nd->text), mp, p);
		close_block(p);
		flush_marker(p);
		if (rc)
			return rc;
		for (int b = first; b < p->is->nblocks; b++)
			p->is->blocks[b].kind = BLOCK_NOTE;
		if (first < p->is->nblocks) {
			nd->block = first;
			p->is->blocks[first].note_label = xstrdup(nd->label);
		}
	}
	p->in_note = 0;
	p->container = p->is->root;
	return 0;
}

/* Each mark gets its note's block: a mark without a definition is an
 * error at the mark, a definition no mark uses a warning at it. */
static void resolve_marks(struct parser *p, const struct notedef *notes, int n)
{
	int *used = xcalloc((size_t)n + 1, sizeof(*used));
	for (int k = 0; k < p->npending; k++) {
		const struct pending_ref *pr = &p->pending[k];
		struct noteref *r = &p->is->blocks[pr->block].refs[pr->index];
		int i;
		for (i = 0; i < n && strcmp(notes[i].label, pr->label); i++)
			;
		if (i < n && notes[i].block >= 0) {
			r->note = notes[i].block;
			used[i] = 1;
		} else {
			char *q = excerpt(pr->label, strlen(pr->label), EXCERPT_CHARS);
			diag_add(p->d, SEV_ERROR, p->file, r->line, r->col,
				 "footnote [^%s] has no definition ([^%s]: its text, on a line of its own)",
				 q, q);
			free(q);
			r->note = -1;
		}
	}
	for (int i = 0; i < n; i++)
		if (!used[i] && notes[i].block >= 0) {
			char *q = excerpt(notes[i].label, strlen(notes[i].label), EXCERPT_CHARS);
			diag_add(p->d, SEV_WARNING, p->file, notes[i].line, 1,
				 "footnote [^%s] is never referred to and is left out", q);
			free(q);
		}
	free(used);
}

/* Parses the body, data[body, len), into is->blocks. */
static int parse_body(struct issue *is, const char *file, const char *data, size_t len,
		      size_t body, int body_line, struct paths *reads, struct diags *d)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	p.file = file;
	p.data = data;
	p.len = len;
	p.body = body;
	p.d = d;
	p.reads = reads;
	p.is = is;
	is->root = node_new(&p, NODE_DOC, NULL);
	p.container = is->root;
	p.cur = -1;
	p.cur_off = body;
	p.cur_line = body_line;
	p.cur_col = 1;
	p.last_end = body;
	p.scan_here = 1;
	sbuf_init(&p.text);

	MD_PARSER mp;
	memset(&mp, 0, sizeof(mp));
	/* CommonMark and GFM pipe tables; raw HTML is recognised so that it can be reported */
	mp.flags = MD_FLAG_TABLES;
	mp.enter_block = enter_block;
	mp.leave_block = leave_block;
	mp.enter_span = enter_span;
	mp.leave_span = leave_span;
	mp.text = on_text;
	/* md4c reads a copy whose emphasis delimiters are placeholders (emph.c)
	 * and whose footnote definitions are blanks (md4c would take some for
	 * link definitions); each definition is read on its own after */
	char *marked = xstrndup(data, len);
	emph_mark(marked + body, len - body);
	int nnotes;
	struct notedef *notes = find_notes(marked, body, len, body_line, &nnotes);
	char *noted = xstrndup(marked, len);
	for (int i = 0; i < nnotes; i++)
		for (size_t k = notes[i].start; k < notes[i].end; k++)
			if (marked[k] != '\n')
				marked[k] = ' ';
	p.data = marked;
	int rc = md_parse(marked + body, (MD_SIZE)(len - body), &mp, &p);
	close_block(&p);
	flush_marker(&p);
	if (rc == 0)
		rc = read_notes(&p, &mp, noted, notes, nnotes);
	if (rc != 0)
		diag_add(d, SEV_ERROR, file, 0, 0, "the Markdown parser failed");
	resolve_marks(&p, notes, nnotes);
	for (int i = 0; i < nnotes; i++)
		free(notes[i].label);
	free(notes);
	free(noted);
	free(marked);

	for (int i = 0; i < p.nhrefs; i++)
		free(p.hrefs[i]);
	free(p.hrefs);
	for (int i = 0; i < p.nspans; i++)
		free(p.spans[i].href);
	free(p.spans);
	free(p.lines);
	free(p.offs);
	free(p.breaks);
	free(p.lists);
	free(p.marker);
	free(p.link_href);
	free(p.refs);
	for (int i = 0; i < p.nrefs; i++)
		free(p.ref_labels[i]);
	free(p.ref_labels);
	for (int i = 0; i < p.npending; i++)
		free(p.pending[i].label);
	free(p.pending);
	sbuf_done(&p.text);
	return rc ? -1 : 0;
}

static struct issue *parse(const char *path, const char *data, size_t len, struct paths *reads,
			   struct diags *d)
{
	struct issue *is = NULL;
	struct yml_doc *doc = NULL;
	struct yml_marks marks = {0};
	struct front fm;
	memset(&fm, 0, sizeof(fm));
	int errors = d->errors;

	if (utf8_check(data, len, path, d) < 0)
		goto fail;
	if (len > UINT32_MAX / 2) {
		diag_add(d, SEV_ERROR, path, 0, 0, "the file is too large");
		goto fail;
	}
	size_t at = 0;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		at = 3;		/* a byte order mark */
	size_t open = delimiter_line(data + at, len - at);
	if (!open) {
		diag_add(d, SEV_ERROR, path, 1, 1,
			 "the file must start with a front matter: a line '---', then year:, month:, "
			 "number:, then a line '---'");
		goto fail;
	}
	size_t fm_start = at + open, i = fm_start, close = 0;
	int line = 2;
	while (i < len) {
		close = delimiter_line(data + i, len - i);
		if (close)
			break;
		const char *nl = memchr(data + i, '\n', len - i);
		i = nl ? (size_t)(nl - data) + 1 : len;
		line++;
	}
	if (!close) {
		diag_add(d, SEV_ERROR, path, 1, 1,
			 "front matter is not closed: no line '---' after the first one");
		goto fail;
	}
	size_t body = i + close;
	int body_line = line + 1;

	doc = yml_doc_parse(path, data + fm_start, i - fm_start, 2, d);
	if (doc && yml_doc_read(doc, &front_schema, &fm, &marks, NULL, d) == 0 &&
	    yml_require(doc, &front_schema, &fm, &marks, d) == 0 && fm.date &&
	    check_date(fm.date, yml_marks_lookup(&marks, &fm.date), path, d) == 0)
		check_date_near(&fm, yml_marks_lookup(&marks, &fm.date), path, d);

	is = xcalloc(1, sizeof(*is));
	is->path = xstrdup(path);
	is->year = fm.year;
	is->month = fm.month;
	is->number = fm.number;
	is->layout = fm.layout;
	const struct yml_mark *lm = yml_marks_lookup(&marks, &fm.layout);
	if (lm)
		is->layout_line = lm->line, is->layout_col = lm->col;
	is->date = fm.date;
	is->texts = fm.texts;
	memset(&fm, 0, sizeof(fm));

	/* The body is parsed even after front-matter errors, to report its own. */
	parse_body(is, path, data, len, body, body_line, reads, d);
	if (d->errors > errors)
		goto fail;
	yml_doc_free(doc);
	yml_marks_done(&marks);
	return is;
fail:
	issue_free(is);
	yml_free(&front_schema, &fm);
	yml_doc_free(doc);
	yml_marks_done(&marks);
	return NULL;
}

struct issue *issue_parse(const char *path, const char *data, size_t len, struct diags *d)
{
	return parse(path, data, len, NULL, d);
}

/* Standard input, whole (an issue piped in); NULL with an error. */
static char *stdin_load(size_t *len, struct diags *d)
{
	struct sbuf sb;
	sbuf_init(&sb);
	char chunk[65536];
	for (;;) {
		ssize_t n = read(0, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || sb.len > ISSUE_STDIN_MAX) {
			diag_add(d, SEV_ERROR, ISSUE_STDIN, 0, 0, "cannot read: %s",
				 n < 0 ? strerror(errno) : "larger than 256 MiB");
			sbuf_done(&sb);
			return NULL;
		}
		if (n == 0)
			break;
		sbuf_add(&sb, chunk, (size_t)n);
	}
	*len = sb.len;
	return sbuf_take(&sb);
}

struct issue *issue_load(const char *path, struct paths *reads, struct diags *d)
{
	size_t len;
	if (!strcmp(path, "-")) {
		/* its folder is the current one: path_relative and path_dir see
		 * no slash in the name */
		char *data = stdin_load(&len, d);
		if (!data)
			return NULL;
		struct issue *is = parse(ISSUE_STDIN, data, len, reads, d);
		free(data);
		return is;
	}
	paths_add(reads, path);
	char *data = file_load(path, &len, d);
	if (!data)
		return NULL;
	struct issue *is = parse(path, data, len, reads, d);
	free(data);
	return is;
}
