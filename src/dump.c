/* dump.c: pages, boxes and lines as text, one per line, for golden tests.
 *
 *   page N label=L
 *     line x y w #B:R "text"   (x, y = baseline start, points; B: the
 *                               issue block it sets, 1-based, 0 generated;
 *                               R: p, h1..h6, item, code, caption, gen)
 *     rect x y w h #rrggbb
 *     rule x y w h #rrggbb
 *     link x y w h target
 *     dest x y name
 *     image x y w h path
 *   mark level page "title" dest
 */
#include "bulletin.h"

static unsigned hex(double v)
{
	return (unsigned)(v * 255 + 0.5);
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
				fprintf(out, "  line %.2f %.2f %.2f #%d:%s \"%.*s\"\n", b->x, b->y,
					b->w, b->block, b->role ? b->role : "gen", b->text_len,
					b->text + b->text_start);
				break;
			case BOX_RECT:
			case BOX_RULE:
				fprintf(out, "  %s %.2f %.2f %.2f %.2f #%02x%02x%02x\n",
					b->kind == BOX_RECT ? "rect" : "rule", b->x, b->y, b->w, b->h,
					hex(b->color.r), hex(b->color.g), hex(b->color.b));
				break;
			case BOX_LINK:
				fprintf(out, "  link %.2f %.2f %.2f %.2f %s\n", b->x, b->y, b->w, b->h,
					b->name);
				break;
			case BOX_IMAGE:
				fprintf(out, "  image %.2f %.2f %.2f %.2f %s\n", b->x, b->y, b->w, b->h,
					b->name);
				break;
			case BOX_DEST:
				fprintf(out, "  dest %.2f %.2f %s\n", b->x, b->y, b->name);
				break;
			}
		}
	}
	for (int i = 0; i < doc->nmarks; i++) {
		const struct mark *m = &doc->marks[i];
		fprintf(out, "mark %d %d \"%s\" %s\n", m->level, m->page + 1, m->title, m->dest);
	}
}
