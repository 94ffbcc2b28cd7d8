/* cover.c: issue metadata + layout -> the cover page's boxes.
 *
 * The layout lists the cover's elements in drawing order; texts are
 * templates filled from the issue ({year} {month:02} {number:02}) and the
 * series' texts ({title} {institute} ...).  Positions are points from the
 * page's top-left; a text's y is the top of its first line.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

void cover_page(struct assembly *a, PangoContext *ctx, const struct layout *lo,
		const struct yml_list *list, const struct tvar *vars, int nvars, int parent,
		struct diags *d)
{
	struct doc *doc = &a->doc;
	int page = doc_new_page(doc);
	const struct cover_item *items = list->v;
	for (int i = 0; i < list->n; i++) {
		const struct cover_item *it = &items[i];
		switch (it->kind) {
		case COVER_RECT:
			page_area(&doc->pages[page], BOX_RECT, it->x, it->y, it->width, it->height)
				->color = it->color;
			break;
		case COVER_TEXT: {
			char *text = tmpl_expand(it->text, vars, nvars);
			double width = it->width > 0 ? it->width : lo->page_width - lo->margin_right - it->x;
			struct tblock *tb = assembly_block(a);
			text_plain(tb, ctx, lo, &it->style, text, (int)(width * PANGO_SCALE), d);
			int se = tags_add(doc, SE_P, parent);
			doc->se[se].latin = tags_latin(text, (int)strlen(text));
			flow_at(doc, page, tb, it->x, it->y, se);
			free(text);
			break;
		}
		case COVER_IMAGE: {
			struct box *b = page_area(&doc->pages[page], BOX_IMAGE, it->x, it->y, it->width,
						  it->height);
			b->name = xstrdup(it->path);
			b->at = it->at;
			b->image_w = it->image_w;
			b->image_h = it->image_h;
			break;
		}
		}
	}
}
