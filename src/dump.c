/* dump.c: each stage's output as text, one thing per line, for golden
 * tests: the model (dump_model), the set blocks (dump_lines) and the pages
 * (dump_doc).  Pages:
 *
 *   page N label=L
 *     line x y w #B:R sE [marker=M0,M1 text=X] "text"
 *                              (x, y = baseline start, points; B: the
 *                               issue block it sets, 1-based, 0 generated;
 *                               R: p, h1..h6, item, code, caption, gen;
 *                               E: its structure element, 0 an artifact;
 *                               a line with a list marker: the marker's
 *                               advance from M0 to M1, the text's from X;
 *                               text ends "-" if the line is hyphenated)
 *     rect x y w h #rrggbb
 *     rule x y w h #rrggbb
 *     link x y w h sE target
 *     dest x y name
 *     image x y w h sE path
 *     crop x y w h          a crop mark (print profile), the line's box
 *     fold x y w h          a fold mark at a spread's spine
 *     target x y size       a registration target centred at x, y
 *   mark level page "title" dest
 *   se E TYPE parent=P [lang=en] [alt="text"] the structure, in order
 */
#include <string.h>

#include "bulletin.h"

static void quoted(FILE *out, const char *s, int len);
static void quoted_tail(FILE *out, const char *s, int len, const char *tail);

static unsigned hex(double v)
{
	return (unsigned)(v * 255 + 0.5);
}

/* A line holding a list marker (its first label_len bytes): where the
 * marker's glyphs start and end and where the text's first glyph starts,
 * on the pen (advances, as the lines are set). */
static void dump_marker(const struct box *b, FILE *out)
{
	int split = b->text_start + b->label_len, m0 = -1, m1 = 0, t = -1;
	for (int r = 0; r < b->line->nruns; r++) {
		const PangoGlyphItem *gi = b->line->runs[r].gi;
		int x = b->line->runs[r].x;
		for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
			int off = gi->item->offset + gi->glyphs->log_clusters[g];
			int w = gi->glyphs->glyphs[g].geometry.width;
			if (off < split && w > 0) {
				if (m0 < 0 || x < m0)
					m0 = x;
				if (x + w > m1)
					m1 = x + w;
			} else if (off >= split && (t < 0 || x < t)) {
				t = x;
			}
			x += w;
		}
	}
	if (m0 >= 0)
		fprintf(out, " marker=%.2f,%.2f", b->x + (double)m0 / PANGO_SCALE,
			b->x + (double)m1 / PANGO_SCALE);
	if (t >= 0)
		fprintf(out, " text=%.2f", b->x + (double)t / PANGO_SCALE);
}

void dump_doc(const struct doc *doc, FILE *out)
{
	fprintf(out, "doc %.2f %.2f pages=%d\n", doc->width, doc->height, doc->npages);
	for (int i = 0; i < doc->npages; i++) {
		const struct page *pg = &doc->pages[i];
		fprintf(out, "page %d label=%s\n", i + 1, pg->label ? pg->label : "-");
		for (int k = 0; k < pg->nboxes; k++) {
			const struct box *b = &pg->boxes[k];
			switch (b->kind) {
			case BOX_LINE:
				fprintf(out, "  line %.2f %.2f %.2f #%d:%s s%d", b->x, b->y, b->w, b->block,
					b->role ? b->role : "gen", b->se);
				if (b->label_len > 0 && b->line)
					dump_marker(b, out);
				fprintf(out, " \"%.*s%s\"\n", b->text_len, b->text + b->text_start,
					b->line && b->line->hyphen ? "-" : "");
				break;
			case BOX_RECT:
			case BOX_RULE:
				fprintf(out, "  %s %.2f %.2f %.2f %.2f #%02x%02x%02x\n",
					b->kind == BOX_RECT ? "rect" : "rule", b->x, b->y, b->w, b->h,
					hex(b->color.r), hex(b->color.g), hex(b->color.b));
				break;
			case BOX_LINK:
				fprintf(out, "  link %.2f %.2f %.2f %.2f s%d %s\n", b->x, b->y, b->w, b->h,
					b->se, b->name);
				break;
			case BOX_IMAGE:
				fprintf(out, "  image %.2f %.2f %.2f %.2f s%d %s\n", b->x, b->y, b->w, b->h,
					b->se, b->name);
				break;
			case BOX_DEST:
				fprintf(out, "  dest %.2f %.2f %s\n", b->x, b->y, b->name);
				break;
			case BOX_MARK:
				if (b->mark != MARK_TARGET)
					fprintf(out, "  %s %.2f %.2f %.2f %.2f\n",
						b->mark == MARK_CROP ? "crop" : "fold", b->x, b->y, b->w, b->h);
				else
					fprintf(out, "  target %.2f %.2f %.2f\n", b->x, b->y, b->w);
				break;
			}
		}
	}
	for (int i = 0; i < doc->nmarks; i++) {
		const struct mark *m = &doc->marks[i];
		fprintf(out, "mark %d %d \"%s\" %s\n", m->level, m->page + 1, m->title, m->dest);
	}
	for (int i = 1; i < doc->nse; i++) {
		const struct selem *e = &doc->se[i];
		fprintf(out, "se %d %s parent=%d%s", i, se_name(e->type), e->parent,
			e->latin ? " lang=en" : "");
		if (e->alt) {
			fputs(" alt=", out);
			quoted(out, e->alt, (int)strlen(e->alt));
		}
		fputs("\n", out);
	}
}

/* ---- the model ----
 *
 *   issue year=Y month=M number=N date=D layout=L
 *   text KEY "VALUE" @LINE:COL          front matter overrides
 *   then the tree, two spaces a level, containers as
 *   KIND LINE:COL [ordered start=S]     doc, section, entry, quote, list, item
 *   and leaves (blocks, #N their number in reading order) as
 *   KIND#N LINE:COL [level=L] [unnumbered] [marker="M"] "text"
 *     span START END FLAGS [HREF]        bold, italic, code, link
 *     source "LABEL" HREF                a heading's source link
 *     image PATH WxH KIND                an image block's file
 *     mark AT #N @LINE:COL               a footnote mark: where, its note's block
 */
static const char *node_name(enum node_kind k)
{
	static const char *names[] = {
		[NODE_DOC] = "doc", [NODE_SECTION] = "section", [NODE_ENTRY] = "entry",
		[NODE_QUOTE] = "quote", [NODE_LIST] = "list", [NODE_ITEM] = "item",
		[NODE_HEADING] = "heading", [NODE_PARA] = "para", [NODE_CODE] = "code",
		[NODE_IMAGE] = "image", [NODE_RULE] = "rule", [NODE_TABLE] = "table",
		[NODE_ROW] = "row", [NODE_CELL] = "cell", [NODE_FOOTNOTE] = "footnote"};
	return names[k];
}

/* Text in quotes, a newline as \n, a quote as \". */
static void quoted(FILE *out, const char *s, int len)
{
	quoted_tail(out, s, len, "");
}

/* The same with tail (plain) before the closing quote: a line's hyphen. */
static void quoted_tail(FILE *out, const char *s, int len, const char *tail)
{
	fputc('"', out);
	for (int i = 0; i < len; i++) {
		if (s[i] == '\n')
			fputs("\\n", out);
		else if (s[i] == '"' || s[i] == '\\')
			fprintf(out, "\\%c", s[i]);
		else
			fputc(s[i], out);
	}
	fputs(tail, out);
	fputc('"', out);
}

static void dump_leaf(const struct block *b, int depth, FILE *out)
{
	if (b->kind == BLOCK_HEADING)
		fprintf(out, " level=%d%s", b->level, b->unnumbered ? " unnumbered" : "");
	if (b->marker)
		fprintf(out, " marker=\"%s\"", b->marker);
	if (b->kind == BLOCK_CELL)
		fprintf(out, " %s row=%d col=%d%s", b->header ? "th" : "td", b->cell_row, b->cell_col,
			b->align == ALIGN_LEFT ? " left" : b->align == ALIGN_CENTER ? " center"
			: b->align == ALIGN_RIGHT ? " right" : "");
	if (b->kind == BLOCK_TABLE_CAPTION)
		fputs(" caption", out);
	if (b->note_label)
		fprintf(out, " note=\"%s\"", b->note_label);
	fputc(' ', out);
	quoted(out, b->text, b->len);
	fputc('\n', out);
	for (int k = 0; k < b->nspans; k++) {
		const struct span *sp = &b->spans[k];
		fprintf(out, "%*s  span %d %d %s%s%s%s", 2 * depth, "", sp->start, sp->end,
			sp->flags & SPAN_BOLD ? "b" : "", sp->flags & SPAN_ITALIC ? "i" : "",
			sp->flags & SPAN_CODE ? "c" : "", sp->flags & SPAN_LINK ? "l" : "");
		if (sp->href)
			fprintf(out, " %s", *sp->href ? sp->href : "\"\"");
		fputc('\n', out);
	}
	for (int k = 0; k < b->nrefs; k++)
		fprintf(out, "%*s  mark %d #%d @%d:%d\n", 2 * depth, "", b->refs[k].at,
			b->refs[k].note + 1, b->refs[k].line, b->refs[k].col);
	if (b->source_label) {
		fprintf(out, "%*s  source ", 2 * depth, "");
		quoted(out, b->source_label, (int)strlen(b->source_label));
		fprintf(out, " %s\n", b->source_href && *b->source_href ? b->source_href : "\"\"");
	}
	if (b->image)
		fprintf(out, "%*s  image %s %.0fx%.0f %s\n", 2 * depth, "", b->image, b->image_width,
			b->image_height,
			b->image_kind == IMAGE_PNG ? "png" : b->image_kind == IMAGE_JPEG ? "jpeg" : "svg");
}

static void dump_node(const struct issue *is, const struct node *n, int depth, FILE *out)
{
	fprintf(out, "%*s%s", 2 * depth, "", node_name(n->kind));
	if (n->block >= 0)
		fprintf(out, "#%d", n->block + 1);
	fprintf(out, " %d:%d", n->at.line, n->at.col);
	if (n->kind == NODE_LIST && n->ordered)
		fprintf(out, " ordered start=%d", n->start);
	if (n->kind == NODE_TABLE)
		fprintf(out, " cols=%d head=%d", n->cols, n->head_rows);
	if (n->kind == NODE_ROW && n->header)
		fputs(" header", out);
	if (n->block >= 0)
		dump_leaf(&is->blocks[n->block], depth, out);
	else
		fputc('\n', out);
	for (const struct node *c = n->first; c; c = c->next)
		dump_node(is, c, depth + 1, out);
}

void dump_model(const struct issue *is, FILE *out)
{
	fprintf(out, "issue year=%d month=%d number=%d date=%s layout=%s\n", is->year, is->month,
		is->number, is->date ? is->date : "-", is->layout ? is->layout : "-");
	for (int i = 0; i < is->texts.n; i++) {
		fprintf(out, "text %s ", is->texts.keys[i]);
		quoted(out, is->texts.values[i], (int)strlen(is->texts.values[i]));
		fprintf(out, " @%d:%d\n", is->texts.lines[i], is->texts.cols[i]);
	}
	if (is->root)
		dump_node(is, is->root, 0, out);
}

/* ---- the set blocks (shaped lines), in points ----
 *
 *   block ID ROLE @LINE:COL left=L width=W before=B after=A keep=K [whole]
 *     number "N"                       a heading's number label
 *     table cols=C rows=R head=H width=W size=S columns W... rows H...
 *                                      a table's geometry, on its first cell
 *     image WxH PATH                   its size on the page
 *     line X WIDTH ASCENT DESCENT PITCH [overfull=O] [spaces=N:MIN-MAX] [letters=L] "text"
 *                                      spaces: a Latin paragraph's word spaces on
 *                                      the line, their count, least and most in em;
 *                                      letters: the most letter spacing it took, em;
 *                                      text ends "-" if the line is hyphenated
 *     link LINE X0 X1 HREF
 *     deco LINE X0 X1 #rrggbb
 */
#define PTS(u) ((double)(u) / PANGO_SCALE)

void dump_lines(const struct tblock *blocks, int n, FILE *out)
{
	for (int i = 0; i < n; i++) {
		const struct tblock *tb = &blocks[i];
		fprintf(out, "block %d %s @%d:%d left=%.2f width=%.2f before=%.2f after=%.2f keep=%d%s\n",
			tb->id, tb->role ? tb->role : "-", tb->at.line, tb->at.col, PTS(tb->left),
			PTS(tb->width), PTS(tb->space_before), PTS(tb->space_after), tb->keep_with_next,
			tb->unbreakable ? " whole" : "");
		if (tb->number)
			fprintf(out, "  number \"%s\"\n", tb->number);
		if (tb->image)
			fprintf(out, "  image %.2fx%.2f %s\n", PTS(tb->image_w), PTS(tb->image_h), tb->image);
		if (tb->table) {	/* the table's geometry, on its first cell */
			const struct ttable *t = tb->table;
			fprintf(out, "  table cols=%d rows=%d head=%d width=%.2f size=%.1f columns", t->ncols,
				t->nrows, t->head_rows, PTS(t->width), t->td[4].size);
			for (int c = 0; c < t->ncols; c++)
				fprintf(out, " %.2f", PTS(t->col_w[c]));
			fputs(" rows", out);
			for (int r = 0; r < t->nrows; r++)
				fprintf(out, " %.2f", PTS(t->row_h[r]));
			fputc('\n', out);
		}
		for (int k = 0; k < tb->nlines; k++) {
			const struct tline *tl = &tb->lines[k];
			fprintf(out, "  line %.2f %.2f %.2f %.2f %.2f", PTS(tl->x), PTS(tl->cl->width),
				PTS(tl->ascent), PTS(tl->descent), PTS(tl->pitch));
			if (tl->cl->overfull)
				fprintf(out, " overfull=%.2f", PTS(tl->cl->overfull));
			if (tl->cl->spaces)
				fprintf(out, " spaces=%d:%.3f-%.3f", tl->cl->spaces,
					tl->cl->space_min / 1000.0, tl->cl->space_max / 1000.0);
			if (tl->cl->letter_space)
				fprintf(out, " letters=%+.3f", tl->cl->letter_space / 1000.0);
			fputc(' ', out);
			quoted_tail(out, tl->text + tl->start, tl->len, tl->cl->hyphen ? "-" : "");
			fputc('\n', out);
		}
		for (int k = 0; k < tb->nlinks; k++)
			fprintf(out, "  link %d %.2f %.2f %s\n", tb->links[k].line, PTS(tb->links[k].x0),
				PTS(tb->links[k].x1), tb->links[k].href);
		for (int k = 0; k < tb->ndecos; k++)
			fprintf(out, "  deco %d %.2f %.2f #%02x%02x%02x\n", tb->decos[k].line,
				PTS(tb->decos[k].x0), PTS(tb->decos[k].x1), hex(tb->decos[k].color.r),
				hex(tb->decos[k].color.g), hex(tb->decos[k].color.b));
	}
}
