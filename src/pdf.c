/* pdf.c: pages -> PDF through cairo.  The only file that draws.
 *
 * The PDF is written to a temporary file beside the target and renamed over
 * it only when cairo reports success, so a failed run never leaves a partial
 * file or destroys an earlier output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <librsvg/rsvg.h>
#include <qpdf/qpdf-c.h>

#include "bulletin.h"

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
	cairo_set_source_rgb(cr, r, g, bl);
}

/* A composed line: each run of glyphs at its position on the baseline,
 * drawn with its text so that the PDF's text is the source's. */
static void draw_line(cairo_t *cr, const struct box *b)
{
	const struct cline *cl = b->line;
	for (int i = 0; i < cl->nruns; i++) {
		run_color(cr, cl->runs[i].gi);
		cairo_move_to(cr, b->x + (double)cl->runs[i].x / PANGO_SCALE, b->y);
		pango_cairo_show_glyph_item(cr, b->text, cl->runs[i].gi);
	}
}

/* Draws an image file scaled into the box.  Its kind was checked when the
 * layout or issue was read; a file that changed since is an error. */
static int draw_image(cairo_t *cr, const struct box *b, struct diags *d)
{
	struct image_info im;
	char *why = NULL;
	if (image_probe(b->name, &im, &why) < 0) {
		diag_add(d, SEV_ERROR, b->name, 0, 0, "%s", why);
		free(why);
		return -1;
	}
	cairo_save(cr);
	cairo_translate(cr, b->x, b->y);
	int rc = 0;
	if (im.kind == IMAGE_SVG) {
		GError *err = NULL;
		RsvgHandle *h = rsvg_handle_new_from_file(b->name, &err);
		RsvgRectangle viewport = {0, 0, b->w, b->h};
		if (!h || !rsvg_handle_render_document(h, cr, &viewport, &err)) {
			diag_add(d, SEV_ERROR, b->name, 0, 0, "cannot draw the SVG: %s",
				 err ? err->message : "unknown error");
			rc = -1;
		}
		if (err)
			g_error_free(err);
		if (h)
			g_object_unref(h);
	} else if (im.kind == IMAGE_PNG) {
		cairo_surface_t *img = cairo_image_surface_create_from_png(b->name);
		if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
			diag_add(d, SEV_ERROR, b->name, 0, 0, "cannot read the PNG: %s",
				 cairo_status_to_string(cairo_surface_status(img)));
			rc = -1;
		} else {
			cairo_scale(cr, b->w / im.width, b->h / im.height);
			cairo_set_source_surface(cr, img, 0, 0);
			cairo_paint(cr);
		}
		cairo_surface_destroy(img);
	} else {
		diag_add(d, SEV_ERROR, b->name, 0, 0, "JPEG images are not supported yet");
		rc = -1;
	}
	cairo_restore(cr);
	return rc;
}

static void draw_box(cairo_t *cr, const struct box *b, struct diags *d)
{
	switch (b->kind) {
	case BOX_LINE:
		draw_line(cr, b);
		break;
	case BOX_RECT:
	case BOX_RULE:
		cairo_set_source_rgba(cr, b->color.r, b->color.g, b->color.b, b->color.a);
		cairo_rectangle(cr, b->x, b->y - (b->kind == BOX_RULE ? b->h / 2 : 0), b->w, b->h);
		cairo_fill(cr);
		break;
	case BOX_LINK: {
		if (!b->name || !*b->name)
			break;
		char *target = tag_quote(b->name[0] == '#' ? b->name + 1 : b->name);
		char *attr = xasprintf("rect=[%.2f %.2f %.2f %.2f] %s=%s", b->x, b->y, b->w, b->h,
				       b->name[0] == '#' ? "dest" : "uri", target);
		cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
		cairo_tag_end(cr, CAIRO_TAG_LINK);
		free(attr);
		free(target);
		break;
	}
	case BOX_IMAGE:
		draw_image(cr, b, d);
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

/* Page labels as printed: lower-case roman before doc->number_start, then
 * decimal from 1.  (cairo 1.16 writes its labels without a numbering style,
 * which readers show as empty.) */
static void page_labels(qpdf_data q, const struct doc *doc)
{
	char *nums;
	if (doc->number_start <= 0)
		nums = xstrdup("<< /Nums [ 0 << /S /D /St 1 >> ] >>");
	else
		nums = xasprintf("<< /Nums [ 0 << /S /r /St 1 >> %d << /S /D /St 1 >> ] >>",
				 doc->number_start);
	qpdf_oh labels = qpdf_oh_parse(q, nums);
	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh_replace_key(q, root, "/PageLabels", labels);
	qpdf_oh_release_all(q);
	free(nums);
}

/* cairo 1.16 lists in its xref an object it never writes once a link is
 * drawn, which `qpdf --check` calls damage.  Rewriting the file through
 * libqpdf gives a clean, compact file (object streams) with a deterministic
 * /ID, so the same input always gives the same bytes. */
static int qpdf_rewrite(const struct doc *doc, const struct sbuf *pdf, const char *tmp,
			const char *path, struct diags *d)
{
	qpdf_data q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	int rc = 0;
	if ((qpdf_read_memory(q, path, pdf->s, pdf->len, NULL) & QPDF_ERRORS) ||
	    (qpdf_init_write(q, tmp) & QPDF_ERRORS)) {
		rc = -1;
	} else {
		page_labels(q, doc);
		qpdf_set_object_stream_mode(q, qpdf_o_generate);
		qpdf_set_compress_streams(q, QPDF_TRUE);
		qpdf_set_deterministic_ID(q, QPDF_TRUE);
		if (qpdf_write(q) & QPDF_ERRORS)
			rc = -1;
	}
	if (rc && qpdf_has_error(q))
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write the PDF: %s",
			 qpdf_get_error_full_text(q, qpdf_get_error(q)));
	else if (rc)
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write the PDF");
	qpdf_cleanup(&q);
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

int pdf_write(const struct doc *doc, const char *path, struct diags *d)
{
	int errors = d->errors;
	struct sbuf pdf;
	sbuf_init(&pdf);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buffer, &pdf, doc->width,
								 doc->height);
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
	for (int i = 0; i < doc->npages; i++) {
		const struct page *pg = &doc->pages[i];
		for (int k = 0; k < pg->nboxes; k++)
			draw_box(cr, &pg->boxes[k], d);
		cairo_show_page(cr);
	}
	add_outline(s, doc);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (d->errors > errors) {	/* an image could not be drawn */
		sbuf_done(&pdf);
		return -1;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot make the PDF: %s",
			 cairo_status_to_string(st));
		sbuf_done(&pdf);
		return -1;
	}

	/* write beside the target, then rename: a failure leaves the old file */
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		sbuf_done(&pdf);
		return -1;
	}
	mode_t mask = umask(0);	/* mkstemp makes 0600; give the usual 0666 & ~umask */
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	close(fd);
	int rc = qpdf_rewrite(doc, &pdf, tmp, path, d);
	sbuf_done(&pdf);
	if (rc == 0 && rename(tmp, path) != 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Writes a file through a temporary beside it, renamed on success. */
static int png_file(cairo_surface_t *img, const char *path, struct diags *d)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	close(fd);
	cairo_status_t st = cairo_surface_write_to_png(img, tmp);
	int rc = 0;
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write the PNG: %s",
			 cairo_status_to_string(st));
		rc = -1;
	} else if (rename(tmp, path) != 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int pdf_write_png(const struct doc *doc, const char *base, double ppi, const char *pages,
		  struct diags *d)
{
	int width = (int)(doc->width * ppi / 72.0 + 0.5);
	int height = (int)(doc->height * ppi / 72.0 + 0.5);
	int digits = doc->npages >= 100 ? 3 : 2;
	for (int i = 0; i < doc->npages; i++) {
		if (pages && !pages[i])
			continue;
		cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
		cairo_t *cr = cairo_create(img);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, ppi / 72.0, ppi / 72.0);
		const struct page *pg = &doc->pages[i];
		for (int k = 0; k < pg->nboxes; k++)
			draw_box(cr, &pg->boxes[k], d);
		cairo_destroy(cr);
		char *path = xasprintf("%s-%0*d.png", base, digits, i + 1);
		int rc = png_file(img, path, d);
		free(path);
		cairo_surface_destroy(img);
		if (rc)
			return -1;
	}
	return 0;
}
