/* pdf.c: pages -> PDF (or PNG pages) through cairo.  The only file that
 * draws.  The result is bytes in memory: main stages and commits them
 * (out.c), so nothing here writes a file the user named.  An error found
 * while drawing (an image that changed or cannot be decoded) names the
 * place in the source that put the image there.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <stdint.h>
#include <qpdf/qpdf-c.h>

#include "bulletin.h"
#include "lazylib.h"

/* A cairo tag attribute string value: quoted, with ' and \ escaped. */
static char *tag_quote(const char *s)
{
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_str(&sb, "'");
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			sbuf_str(&sb, "\\");
		sbuf_add(&sb, s, 1);
	}
	sbuf_str(&sb, "'");
	return sbuf_take(&sb);
}

/* A URI as a PDF takes it, 7-bit ASCII: every other byte (UTF-8 of an
 * IRI, a space, a control) percent-encoded. */
static char *uri_ascii(const char *s)
{
	struct sbuf sb;
	sbuf_init(&sb);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f)
			sbuf_printf(&sb, "%%%02X", c);
		else
			sbuf_add(&sb, s, 1);
	}
	return sbuf_take(&sb);
}

/* The colour a run's attributes give it (black if none). */
static void run_color(cairo_t *cr, const PangoGlyphItem *gi)
{
	double r = 0, g = 0, bl = 0;
	for (GSList *l = gi->item->analysis.extra_attrs; l; l = l->next) {
		const PangoAttribute *a = l->data;
		if (a->klass->type == PANGO_ATTR_FOREGROUND) {
			const PangoColor *c = &((const PangoAttrColor *)a)->color;
			r = c->red / 65535.0, g = c->green / 65535.0, bl = c->blue / 65535.0;
		}
	}
	double sr, sg, sb, sa;	/* the colour set already (runs come in streaks): kept */
	if (cairo_pattern_get_rgba(cairo_get_source(cr), &sr, &sg, &sb, &sa) == CAIRO_STATUS_SUCCESS &&
	    sr == r && sg == g && sb == bl && sa == 1)
		return;
	cairo_set_source_rgb(cr, r, g, bl);
}

/* The cut fonts of the document being drawn, attached to its cairo_t. */
static const cairo_user_data_key_t subset_key;

/* Notes every run the pages draw and cuts their faces. */
static struct subset *doc_subset(const struct doc *doc)
{
	struct subset *ss = subset_new();
	subset_add_doc(ss, doc);
	subset_make(ss);
	return ss;
}

/* One run at (x, y) on the baseline in the cut font sf: what
 * pango_cairo_show_glyph_item does (same positions, same clusters, so the
 * PDF's text is the source's), in another font.  Glyphs no font has (hex
 * boxes) are still drawn by Pango, alone.  Returns -1, drawing nothing, if
 * the cut lacks a glyph of the run. */
static int draw_run(cairo_t *cr, const struct subset_font *sf, const char *text,
		    PangoGlyphItem *gi, double x, double y)
{
	PangoGlyphString *gs = gi->glyphs;
	PangoItem *item = gi->item;
	int backward = (item->analysis.level & 1) != 0;
	cairo_glyph_t *glyphs = xmalloc((gs->num_glyphs + 1) * sizeof(*glyphs));
	cairo_text_cluster_t *clusters = xmalloc((gs->num_glyphs + 1) * sizeof(*clusters));
	int n = 0, nclusters = 0, pos = 0, unknown = 0;
	/* the run starts at the current point, as cairo holds it (in 1/256) */
	cairo_move_to(cr, x, y);
	cairo_get_current_point(cr, &x, &y);
	for (int i = 0; i < gs->num_glyphs; i++) {
		const PangoGlyphInfo *g = &gs->glyphs[i];
		if (g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
			unknown = 1;
		} else if (g->glyph != PANGO_GLYPH_EMPTY) {
			hb_codepoint_t cut = hb_map_get(sf->gids, g->glyph);
			if (cut == HB_MAP_VALUE_INVALID) {
				free(glyphs);
				free(clusters);
				return -1;
			}
			glyphs[n].index = cut;
			glyphs[n].x = x + (double)(pos + g->geometry.x_offset) / PANGO_SCALE;
			glyphs[n].y = g->geometry.y_offset == 0 ?
				y : y + (double)g->geometry.y_offset / PANGO_SCALE;
			n++;
		}
		pos += g->geometry.width;
	}
	PangoGlyphItemIter it;
	if (pango_glyph_item_iter_init_start(&it, gi, text)) {
		do {
			int ng = backward ? it.start_glyph - it.end_glyph : it.end_glyph - it.start_glyph;
			int lo = it.start_glyph < it.end_glyph + 1 ? it.start_glyph : it.end_glyph + 1;
			int hi = it.start_glyph + 1 > it.end_glyph ? it.start_glyph + 1 : it.end_glyph;
			for (int i = lo; i < hi; i++)	/* empty and unknown glyphs are not drawn */
				if (gs->glyphs[i].glyph == PANGO_GLYPH_EMPTY ||
				    (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
					ng--;
			clusters[nclusters].num_bytes = it.end_index - it.start_index;
			clusters[nclusters].num_glyphs = ng;
			nclusters++;
		} while (pango_glyph_item_iter_next_cluster(&it));
	}
	if (unknown) {	/* boxes first, as Pango draws them */
		PangoGlyphString *boxes = pango_glyph_string_copy(gs);
		for (int i = 0; i < boxes->num_glyphs; i++)
			if (!(boxes->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
				boxes->glyphs[i].glyph = PANGO_GLYPH_EMPTY;
		pango_cairo_show_glyph_string(cr, item->analysis.font, boxes);
		pango_glyph_string_free(boxes);
	}
	/* the font stays set: whatever draws text next sets its own (a save
	 * and a restore for every run were work for nothing) */
	cairo_set_scaled_font(cr, sf->scaled);
	cairo_show_text_glyphs(cr, text + item->offset, item->length, glyphs, n, clusters,
			       nclusters, backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : 0);
	free(glyphs);
	free(clusters);
	return 0;
}

/* Draws an image file scaled into the box.  Its kind, size and limits were
 * checked when the issue or layout was read; the file is read and checked
 * again here, as it may have changed since. */
static int draw_image(cairo_t *cr, const struct box *b, const struct paint_opts *po,
		      struct diags *d)
{
	struct diags rd = {0};
	size_t n;
	char *data = file_load(b->name, &n, &rd);
	struct image_info im;
	char *why = NULL;
	if (!data)
		why = xstrdup(rd.n ? rd.v[0].msg : "cannot read");
	else if (image_probe_data(data, n, &im, &why) == 0 && im.kind != IMAGE_SVG &&
		 (im.width != b->image_w || im.height != b->image_h))
		why = xasprintf("it changed while the issue was typeset (%.0f x %.0f pixels, "
				"was %.0f x %.0f)", im.width, im.height, b->image_w, b->image_h);
	else if (!why && image_check_limits(&im, po->limits, &why) == 0) {
		int rgb = im.kind == IMAGE_SVG ? im.svg_raster : im.components >= 3 && im.components != 4;
		if (po->cmyk && rgb && !po->raster)
			diag_add(d, SEV_WARNING, b->at.file, b->at.line, b->at.col,
				 "image %s is RGB%s: in this CMYK job it prints as the printer's "
				 "conversion makes it; give the printer a CMYK (or grey) image",
				 b->name, im.kind == IMAGE_SVG ? " (an SVG drawn as pixels)" : "");
		cairo_save(cr);
		cairo_translate(cr, b->x, b->y);
		paint_image(cr, data, n, &im, b->w, b->h, po, &why);
		cairo_restore(cr);
	}
	diag_clear(&rd);
	free(data);
	if (!why)
		return 0;
	diag_add(d, SEV_ERROR, b->at.file, b->at.line, b->at.col, "image %s: %s", b->name, why);
	free(why);
	return -1;
}

/* ---- tags ----
 * Every piece of content is drawn inside a tag of its own at the top level
 * of cairo's structure (a leaf): "Span" for an element's content on one
 * page, "Private" for an artifact, cairo's Link for an annotation.  From
 * these pdftags.c builds the document's tree; cairo 1.16 itself would nest
 * elements only as their tags nest while drawing. */
struct tagger {
	struct tag_leaf *v;
	int n, cap;
	int open;		/* the leaf whose tag is open, or -1 */
	int page;		/* the page being drawn */
	int mcid;		/* tags begun on it so far */
	int reading;		/* the page the box being drawn is read on */
};

static struct tag_leaf *tag_new(struct tagger *tg, enum tag_kind kind, int se)
{
	if (tg->n == tg->cap) {
		tg->cap = tg->cap ? tg->cap * 2 : 256;
		tg->v = xrealloc(tg->v, (size_t)tg->cap * sizeof(*tg->v));
	}
	tg->v[tg->n] = (struct tag_leaf){kind, se, tg->page, tg->mcid++, tg->reading, NULL, NULL};
	return &tg->v[tg->n++];
}

static void tag_close(cairo_t *cr, struct tagger *tg)
{
	if (!tg || tg->open < 0)
		return;
	cairo_tag_end(cr, tg->v[tg->open].kind == TAG_ARTIFACT ? "Private" : "Span");
	tg->open = -1;
}

static void tagger_done(struct tagger *tg)
{
	for (int i = 0; i < tg->n; i++) {
		free(tg->v[i].actual);
		free(tg->v[i].contents);
	}
	free(tg->v);
}

static int is_latin_alnum(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ||
	       (cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7);
}

/* A line's text as written, where readers would read it otherwise: the
 * composer sets a gap between Han and Latin text (GB/T 15834, clreq) as
 * glyph positions, and poppler, MuPDF and Acrobat read a gap that wide as
 * a space, so "12月" would search as "12 月".  NULL if the line has no
 * such boundary.  Trailing spaces (set 0 wide) are not its text. */
static char *actual_text(const char *s, int len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	int prev = 0, found = 0;	/* 1: Han, 2: Latin letter or digit */
	for (int i = 0; i < len && !found;) {
		unsigned cp;
		i += utf8_decode(s + i, &cp);
		int cls = emph_is_cjk(cp) ? 1 : is_latin_alnum(cp) ? 2 : 0;
		found = prev && cls && prev != cls;
		prev = cls;
	}
	return found ? xstrndup(s, (size_t)len) : NULL;
}

/* Opens a leaf for content of element se (0: an artifact) with actual
 * text actual (taken), unless the one open is the same and neither has
 * actual text. */
static void tag_open(cairo_t *cr, struct tagger *tg, int se, char *actual)
{
	enum tag_kind kind = se ? TAG_CONTENT : TAG_ARTIFACT;
	const struct tag_leaf *open = tg->open >= 0 ? &tg->v[tg->open] : NULL;
	if (open && !actual && !open->actual && open->kind == kind && open->se == se)
		return;
	tag_close(cr, tg);
	tag_new(tg, kind, se)->actual = actual;
	tg->open = tg->n - 1;
	cairo_tag_begin(cr, kind == TAG_ARTIFACT ? "Private" : "Span", "");
}

/* The leaf of line b's text from byte skip of it on. */
static void tag_line(cairo_t *cr, struct tagger *tg, const struct box *b, int skip)
{
	tag_open(cr, tg, b->se, b->se ? actual_text(b->text + b->text_start + skip,
						       b->text_len - skip) : NULL);
}

static void draw_glyphs(cairo_t *cr, struct subset *ss, const struct box *b, const char *text,
			PangoGlyphItem *gi, double x)
{
	const struct subset_font *sf = ss ? subset_lookup(ss, gi->item->analysis.font) : NULL;
	run_color(cr, gi);
	if (!sf || draw_run(cr, sf, text, gi, x, b->y) < 0) {
		cairo_move_to(cr, x, b->y);
		pango_cairo_show_glyph_item(cr, text, gi);
	}
}

/* A composed line: each run of glyphs at its position on the baseline,
 * drawn with its text so that the PDF's text is the source's.  Runs are
 * drawn in their cut fonts (doc_subset), or by Pango in the full font.
 * With a tagger, inside the line's leaf; a list marker's glyphs (the
 * first label_len bytes) inside its Lbl's, a run split where it ends. */
static void draw_line(cairo_t *cr, struct tagger *tg, const struct box *b)
{
	const struct cline *cl = b->line;
	struct subset *ss = cairo_get_user_data(cr, &subset_key);
	int split = tg && b->label_se && b->label_len > 0 ? b->text_start + b->label_len : -1;
	if (tg && split >= 0)
		tag_open(cr, tg, b->label_se, NULL);
	else if (tg)
		tag_line(cr, tg, b, 0);
	for (int i = 0; i < cl->nruns; i++) {
		PangoGlyphItem *gi = cl->runs[i].gi;
		double x = b->x + (double)cl->runs[i].x / PANGO_SCALE;
		if (cl->runs[i].text) {	/* a hyphen, with its own text */
			draw_glyphs(cr, ss, b, cl->runs[i].text, gi, x);
			continue;
		}
		if (split >= 0 && gi->item->offset >= split) {
			tag_line(cr, tg, b, b->label_len);
			split = -1;
		}
		if (split >= 0 && gi->item->offset + gi->item->length > split) {
			PangoGlyphItem *rest = pango_glyph_item_copy(gi);
			PangoGlyphItem *first = pango_glyph_item_split(rest, b->text, split - gi->item->offset);
			if (first) {
				draw_glyphs(cr, ss, b, b->text, first, x);
				for (int g = 0; g < first->glyphs->num_glyphs; g++)
					x += (double)first->glyphs->glyphs[g].geometry.width / PANGO_SCALE;
				pango_glyph_item_free(first);
			}
			tag_line(cr, tg, b, b->label_len);
			split = -1;
			draw_glyphs(cr, ss, b, b->text, rest, x);
			pango_glyph_item_free(rest);
			continue;
		}
		draw_glyphs(cr, ss, b, b->text, gi, x);
	}
}

/* A printer's mark in the registration colour: a crop mark fills its box,
 * a fold mark fills it in dashes;
 * a registration target is a circle with a cross through it, 0.25pt. */
static void draw_mark(cairo_t *cr, const struct box *b)
{
	cairo_set_source_rgb(cr, REGISTRATION_R, REGISTRATION_G, REGISTRATION_B);
	if (b->mark == MARK_CROP) {
		cairo_rectangle(cr, b->x, b->y, b->w, b->h);
		cairo_fill(cr);
		return;
	}
	if (b->mark == MARK_FOLD) {	/* dashed, 2pt on, 2pt off */
		for (double y = b->y; y < b->y + b->h; y += 4)
			cairo_rectangle(cr, b->x, y, b->w, fmin(2, b->y + b->h - y));
		cairo_fill(cr);
		return;
	}
	double r = b->w / 2;
	cairo_set_line_width(cr, 0.25);
	cairo_new_sub_path(cr);
	cairo_arc(cr, b->x, b->y, r * 0.6, 0, 2 * M_PI);
	cairo_move_to(cr, b->x - r, b->y);
	cairo_line_to(cr, b->x + r, b->y);
	cairo_move_to(cr, b->x, b->y - r);
	cairo_line_to(cr, b->x, b->y + r);
	cairo_stroke(cr);
}

/* Draws box b; with a tagger (a PDF), inside its leaf. */
static void draw_box(cairo_t *cr, struct tagger *tg, const struct box *b, int print,
		     const struct paint_opts *po, struct diags *d)
{
	if (tg && (b->kind == BOX_RECT || b->kind == BOX_RULE || b->kind == BOX_IMAGE ||
		   b->kind == BOX_MARK))
		tag_open(cr, tg, b->se, NULL);	/* a mark has no element: an artifact */
	else if (tg && b->kind != BOX_LINE)	/* links and destinations */
		tag_close(cr, tg);
	switch (b->kind) {
	case BOX_LINE:
		draw_line(cr, tg, b);
		break;
	case BOX_RECT:
	case BOX_RULE:
		cairo_set_source_rgba(cr, b->color.r, b->color.g, b->color.b, b->color.a);
		cairo_rectangle(cr, b->x, b->y - (b->kind == BOX_RULE ? b->h / 2 : 0), b->w, b->h);
		cairo_fill(cr);
		break;
	case BOX_LINK: {
		if (!b->name || !*b->name || print)
			break;	/* the print profile carries no link annotations */
		char *uri = b->name[0] == '#' ? xstrdup(b->name + 1) : uri_ascii(b->name);
		char *target = tag_quote(uri);
		free(uri);
		char *attr = xasprintf("rect=[%.2f %.2f %.2f %.2f] %s=%s", b->x, b->y, b->w, b->h,
				       b->name[0] == '#' ? "dest" : "uri", target);
		cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
		cairo_tag_end(cr, CAIRO_TAG_LINK);
		if (tg) {
			struct tag_leaf *lf = tag_new(tg, TAG_LINK, b->se);
			if (b->text && b->text_len > 0)
				lf->contents = xstrndup(b->text + b->text_start, (size_t)b->text_len);
			else
				lf->contents = xstrdup(b->name[0] == '#' ? b->name + 1 : b->name);
		}
		free(attr);
		free(target);
		break;
	}
	case BOX_IMAGE:
		draw_image(cr, b, po, d);
		break;
	case BOX_MARK:
		draw_mark(cr, b);
		break;
	case BOX_DEST: {
		char *name = tag_quote(b->name);
		char *attr = xasprintf("name=%s x=%.2f y=%.2f", name, b->x, b->y);
		cairo_tag_begin(cr, CAIRO_TAG_DEST, attr);
		cairo_tag_end(cr, CAIRO_TAG_DEST);
		free(attr);
		free(name);
		break;
	}
	}
}

static cairo_status_t write_buffer(void *closure, const unsigned char *data, unsigned int len)
{
	sbuf_add(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* A PDF surface writing into pdf whose content streams cairo leaves
 * uncompressed (its CAIRO_DEBUG_PDF switch, read when the surface is made):
 * libqpdf rewrites every page's content for the tags, and each stream is
 * deflated once (pdfobj_compress) instead of cairo deflating what libqpdf
 * must inflate again.  What cairo deflates all the same (font programs,
 * images) it stores while pdf_render draws (pdfobj_store_only), to be
 * compressed on every core. */
static cairo_surface_t *uncompressed_surface(struct sbuf *pdf, double w, double h)
{
	const char *was = getenv("CAIRO_DEBUG_PDF");
	char *keep = was ? xstrdup(was) : NULL;
	setenv("CAIRO_DEBUG_PDF", "1", 1);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buffer, pdf, w, h);
	if (keep)
		setenv("CAIRO_DEBUG_PDF", keep, 1);
	else
		unsetenv("CAIRO_DEBUG_PDF");
	free(keep);
	return s;
}

static void qpdf_let_go(void *arg)
{
	qpdf_data q = arg;
	qpdfl.qpdf_cleanup(&q);
}

/* The document's page-number runs as /PageLabels (cairo 1.16 writes its
 * labels without a numbering style, which readers show as empty). */
static void page_labels(qpdf_data q, const struct doc *doc)
{
	static const char *styles[] = {[NUMERALS_ROMAN] = "/r", [NUMERALS_ROMAN_UPPER] = "/R",
				       [NUMERALS_DECIMAL] = "/D"};
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_str(&sb, "<< /Nums [");
	for (int i = 0; i < doc->nruns; i++)
		sbuf_printf(&sb, " %d << /S %s /St 1 >>", doc->runs[i].first,
			    styles[doc->runs[i].style]);
	if (doc->nruns == 0)
		sbuf_str(&sb, " 0 << /S /D /St 1 >>");
	sbuf_str(&sb, " ] >>");
	qpdf_oh labels = qpdfl.qpdf_oh_parse(q, sb.s);
	qpdf_oh root = qpdfl.qpdf_get_root(q);
	qpdfl.qpdf_oh_replace_key(q, root, "/PageLabels", labels);
	qpdfl.qpdf_oh_release_all(q);
	sbuf_done(&sb);
}

/* The print profile's boxes, which cairo 1.16 cannot write: the media is
 * the page grown by bleed b and slug s; the bleed box lies the slug inside
 * it, the trim box the bleed inside that. */
static void page_boxes(qpdf_data q, const struct doc *doc, double b, double s)
{
	double w = doc->width, h = doc->height, t = b + s;
	char *trim = xasprintf("[ %.4f %.4f %.4f %.4f ]", t, t, w - t, h - t);
	char *bleed = xasprintf("[ %.4f %.4f %.4f %.4f ]", s, s, w - s, h - s);
	int n = qpdfl.qpdf_get_num_pages(q);
	for (int i = 0; i < n; i++) {
		qpdf_oh page = qpdfl.qpdf_get_page_n(q, (size_t)i);
		qpdfl.qpdf_oh_replace_key(q, page, "/TrimBox", qpdfl.qpdf_oh_parse(q, trim));
		qpdfl.qpdf_oh_replace_key(q, page, "/BleedBox", qpdfl.qpdf_oh_parse(q, bleed));
	}
	qpdfl.qpdf_oh_release_all(q);
	free(trim);
	free(bleed);
}

/* cairo 1.16 lists in its xref an object it never writes once a link is
 * drawn, which `qpdf --check` calls damage.  Rewriting the file through
 * libqpdf gives a clean, compact file (object streams) with a deterministic
 * /ID, so the same input always gives the same bytes.  pdf holds cairo's
 * PDF and receives the rewritten one. */
static int qpdf_rewrite(const struct doc *doc, const struct pdf_opts *o,
			const struct tagger *tg, struct sbuf *pdf, const char *what, struct diags *d)
{
	qpdf_data q = qpdfl.qpdf_init();
	qpdfl.qpdf_silence_errors(q);
	qpdfl.qpdf_set_suppress_warnings(q, QPDF_TRUE);
	int rc = 0;
	if ((qpdfl.qpdf_read_memory(q, what, pdf->s, pdf->len, NULL) & QPDF_ERRORS) ||
	    (qpdfl.qpdf_init_write_memory(q) & QPDF_ERRORS)) {
		rc = -1;
	} else {
		/* cairo's font programs, stored (pdf_render), compressed while
		 * the passes below, which leave fonts alone, run */
		struct pdfobj_fonts *fonts = pdfobj_fonts_start(q);
		page_labels(q, doc);
		pdftext_repair(q);
		char *why = NULL;
		if (pdftags_write(q, doc, tg->v, tg->n, doc->lang, &why) < 0) {
			diag_add(d, SEV_ERROR, what, 0, 0, "cannot tag the PDF: %s", why);
			free(why);
			pdfobj_fonts_free(fonts);
			qpdfl.qpdf_cleanup(&q);
			return -1;
		}
		if (pdfstd_write(q, doc, o, &why) < 0) {
			diag_add(d, SEV_ERROR, what, 0, 0, "cannot make the PDF conform: %s", why);
			free(why);
			pdfobj_fonts_free(fonts);
			qpdfl.qpdf_cleanup(&q);
			return -1;
		}
		if (o->bleed > 0)
			page_boxes(q, doc, o->bleed, o->slug);
		if (o->cmyk)
			pdfcmyk_convert(q, o->palette);
		pdfobj_compress(q, fonts);
		qpdfl.qpdf_set_object_stream_mode(q, qpdf_o_generate);
		qpdfl.qpdf_set_compress_streams(q, QPDF_TRUE);
		/* streams compressed already (JPEG images, pdfobj_compress's)
		 * pass through; libqpdf deflates what is left (the object
		 * streams) */
		qpdfl.qpdf_set_decode_level(q, qpdf_dl_none);
		qpdfl.qpdf_set_deterministic_ID(q, QPDF_TRUE);
		if (o->standards & PDF_X4)	/* PDF/X-4 is PDF 1.6 */
			qpdfl.qpdf_force_pdf_version(q, "1.6");
		else
			qpdfl.qpdf_set_minimum_pdf_version(q, "1.7");
		if (qpdfl.qpdf_write(q) & QPDF_ERRORS)
			rc = -1;
	}
	if (rc == 0) {
		size_t len = qpdfl.qpdf_get_buffer_length(q);
		sbuf_done(pdf);
		sbuf_init(pdf);
		sbuf_add(pdf, (const char *)qpdfl.qpdf_get_buffer(q), len);
	} else if (qpdfl.qpdf_has_error(q)) {
		diag_add(d, SEV_ERROR, what, 0, 0, "cannot make the PDF: %s",
			 qpdfl.qpdf_get_error_full_text(q, qpdfl.qpdf_get_error(q)));
	} else {
		diag_add(d, SEV_ERROR, what, 0, 0, "cannot make the PDF");
	}
	/* libqpdf takes 1-2 ms to let go of the objects: not on the way to
	 * the output */
	work_later(qpdf_let_go, q);
	return rc;
}

static void add_outline(cairo_surface_t *s, const struct doc *doc)
{
	int parent[8] = {CAIRO_PDF_OUTLINE_ROOT};
	int depth_level[8] = {0};	/* heading level of each open outline depth */
	int depth = 0;
	for (int i = 0; i < doc->nmarks; i++) {
		const struct mark *m = &doc->marks[i];
		while (depth > 0 && depth_level[depth] >= m->level)
			depth--;
		if (depth >= 7)
			depth = 6;
		char *dest = tag_quote(m->dest);
		char *attr = xasprintf("dest=%s", dest);
		int id = cairo_pdf_surface_add_outline(s, parent[depth], m->title, attr,
						       CAIRO_PDF_OUTLINE_FLAG_OPEN);
		free(attr);
		free(dest);
		depth++;
		parent[depth] = id;
		depth_level[depth] = m->level;
	}
}

int pdf_render(const struct doc *doc, const struct pdf_opts *o, const char *what,
	       struct sbuf *out, struct diags *d)
{
	int errors = d->errors;
	const char *lib = qpdf_load();
	if (lib) {
		diag_add(d, SEV_ERROR, what, 0, 0, "cannot make the PDF: %s", lib);
		return -1;
	}
	if (pdfstd_check(doc, o, d) < 0)
		return -1;
	struct sbuf pdf;
	sbuf_init(&pdf);
	pdfobj_store_only(1);
	cairo_surface_t *s = uncompressed_surface(&pdf, doc->width, doc->height);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "bulletin " BULLETIN_VERSION);
	if (doc->title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title);
	if (doc->subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, doc->subject);
	if (doc->author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, doc->author);
	/* a fixed date keeps the bytes the same from run to run */
	char date[40];
	snprintf(date, sizeof(date), "%sT00:00:00Z", doc->date ? doc->date : "2000-01-01");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	cairo_t *cr = cairo_create(s);
	struct subset *ss = doc_subset(doc);
	cairo_set_user_data(cr, &subset_key, ss, NULL);
	double svg_seconds = o->limits->svg_seconds;
	struct paint_opts po = {0, o->limits->svg_ppi, o->limits, &svg_seconds, o->cmyk};
	struct tagger tg = {NULL, 0, 0, -1, 0, 0, 0};
	for (int i = 0; i < doc->npages; i++) {
		const struct page *pg = &doc->pages[i];
		for (int k = 0; k < pg->nboxes; k++) {
			if (pg->spread_of[0] && (k == 0 || k == pg->split)) {
				tag_close(cr, &tg);	/* each half's leaves its own */
				tg.reading = pg->spread_of[k >= pg->split] - 1;
			} else if (!pg->spread_of[0]) {
				tg.reading = i;
			}
			draw_box(cr, &tg, &pg->boxes[k], o->print, &po, d);
		}
		tag_close(cr, &tg);
		cairo_show_page(cr);
		tg.page = i + 1;
		tg.mcid = 0;
	}
	add_outline(s, doc);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	pdfobj_store_only(0);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	subset_free(ss);
	int rc = -1;
	if (d->errors > errors) {
		/* an image could not be drawn: said where it was placed */
	} else if (st != CAIRO_STATUS_SUCCESS) {
		diag_add(d, SEV_ERROR, what, 0, 0, "cannot make the PDF: %s",
			 cairo_status_to_string(st));
	} else if (qpdf_rewrite(doc, o, &tg, &pdf, what, d) == 0) {
		rc = 0;
	}
	tagger_done(&tg);
	if (rc == 0) {
		*out = pdf;
	} else {
		sbuf_done(&pdf);
	}
	return rc;
}

int pdf_png_fits(const struct doc *doc, double ppi, struct diags *d)
{
	double pw = doc->width * ppi / 72.0, ph = doc->height * ppi / 72.0;
	if (pw * ph <= 2e8 && pw <= 32000 && ph <= 32000)
		return 0;
	/* cairo's and memory's limits */
	diag_add(d, SEV_ERROR, NULL, 0, 0,
		 "--ppi %g: a page would be %.0f x %.0f pixels; at most %.0f ppi fits", ppi, pw, ph,
		 ppi * fmin(sqrt(2e8 / (pw * ph)), fmin(32000 / pw, 32000 / ph)));
	return -1;
}

int pdf_render_png(const struct doc *doc, int page, double ppi, const struct pdf_opts *o,
		   double *svg_seconds, struct sbuf *out, struct diags *d)
{
	return pdf_page_png(doc, page, ppi, o, svg_seconds, NULL, out, d) < 0 ? -1 : 0;
}

/* FNV-1a over the surface's pixels, row by row (a row's padding is not
 * the picture's). */
static unsigned long long pixels_digest(cairo_surface_t *img)
{
	cairo_surface_flush(img);
	const unsigned char *p = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	unsigned long long x = 14695981039346656037ull;
	for (int y = 0; y < h; y++)
		for (int i = 0; i < 4 * w; i++)
			x = (x ^ p[(size_t)y * (size_t)stride + (size_t)i]) * 1099511628211ull;
	return x;
}

int pdf_page_png(const struct doc *doc, int page, double ppi, const struct pdf_opts *o,
		 double *svg_seconds, unsigned long long *digest, struct sbuf *out,
		 struct diags *d)
{
	if (pdf_png_fits(doc, ppi, d) < 0)
		return -1;
	sbuf_init(out);
	int errors = d->errors;
	int width = (int)(doc->width * ppi / 72.0 + 0.5);
	int height = (int)(doc->height * ppi / 72.0 + 0.5);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cairo_t *cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, ppi / 72.0, ppi / 72.0);
	struct paint_opts po = {1, ppi, o->limits, svg_seconds, 0};
	const struct page *pg = &doc->pages[page];
	for (int k = 0; k < pg->nboxes; k++)
		draw_box(cr, NULL, &pg->boxes[k], o->print, &po, d);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	int same = 0;
	if (st == CAIRO_STATUS_SUCCESS && digest && d->errors == errors) {
		unsigned long long now = pixels_digest(img);
		same = now == *digest;
		*digest = now;
	}
	if (st == CAIRO_STATUS_SUCCESS && !same)
		st = cairo_surface_write_to_png_stream(img, write_buffer, out);
	cairo_surface_destroy(img);
	if (d->errors > errors || st != CAIRO_STATUS_SUCCESS) {
		if (d->errors == errors)
			diag_add(d, SEV_ERROR, NULL, 0, 0, "cannot make page %d as PNG: %s", page + 1,
				 cairo_status_to_string(st));
		sbuf_done(out);
		return -1;
	}
	return same;
}
