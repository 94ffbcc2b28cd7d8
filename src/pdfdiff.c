/* pdfdiff.c: two PDFs compared as a reader sees them (`bulletin diff`,
 * `render --compare`): every page rasterised by poppler at the same
 * resolution and compared pixel by pixel.
 *
 * Pages are compared by a 64-bit hash of their pixels.  A page of the new
 * file whose pixels equal the old file's page at the same place is
 * unchanged; one that equals an old page elsewhere (not
 * itself matched) has moved; otherwise, if the old file has a page there,
 * it changed, else it was added.  Old pages that no new page took and that
 * lie past the new file's end were removed.  A changed page's differences
 * are gathered into regions: tiles of TILE pixels holding any differing
 * pixel, joined when they touch; its image shows the old page and, beside
 * it, the new page with each region outlined.
 *
 * poppler is loaded when a comparison is made (dlopen), not with the
 * program: linked, it and what it pulls in (NSS, GnuTLS, OpenJPEG, ...)
 * cost every render 5 ms of start-up and 3 MB of memory.
 */
#include <poppler.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

#define TILE 8	/* pixels */

/* A page as rasterised: its size in pixels and a hash of its pixels (the
 * pixels themselves are made again when a changed page is looked at: a
 * document's worth of rasters would cost hundreds of megabytes). */
struct raster {
	int w, h;
	uint64_t hash;		/* FNV-1a of the size and the pixels */
};

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* The poppler functions used, typed by poppler.h's declarations. */
#define POPPLER_FUNCTIONS(X) \
	X(poppler_document_new_from_bytes) X(poppler_document_get_n_pages) \
	X(poppler_document_get_page) X(poppler_page_get_size) X(poppler_page_render_for_printing)
static struct {
#define FIELD(f) __typeof__(&f) f;
	POPPLER_FUNCTIONS(FIELD)
#undef FIELD
} pop;
static char *pop_error;	/* why poppler could not be loaded; NULL if it was */
static pthread_once_t pop_once = PTHREAD_ONCE_INIT;

static void pop_open(void)
{
#define SLOT(f) (void **)&pop.f,
	static const char *const names[] = {POPPLER_FUNCTIONS(LIB_NAME)};
	void **const slots[] = {POPPLER_FUNCTIONS(SLOT)};
#undef SLOT
	pop_error = lib_open(POPPLER_GLIB_SONAME, "libpoppler-glib8", names, slots, (int)(sizeof(names) / sizeof(names[0])));
}

static int load(const struct pdf_source *src, PopplerDocument **doc, struct diags *d)
{
	pthread_once(&pop_once, pop_open);
	if (pop_error) {
		diag_add(d, SEV_ERROR, src->name, 0, 0, "%s", pop_error);
		*doc = NULL;
		return -1;
	}
	GError *err = NULL;
	GBytes *bytes = g_bytes_new(src->data, src->len);
	*doc = pop.poppler_document_new_from_bytes(bytes, NULL, &err);
	g_bytes_unref(bytes);
	if (!*doc) {
		diag_add(d, SEV_ERROR, src->name, 0, 0, "cannot read the PDF: %s",
			 err ? err->message : "unknown error");
		if (err)
			g_error_free(err);
		return -1;
	}
	return 0;
}

/* Page i on a white ground at ppi, RGB24; *r gets its size and hash. */
static cairo_surface_t *page_surface(PopplerDocument *doc, int i, double ppi, struct raster *r)
{
	PopplerPage *pg = pop.poppler_document_get_page(doc, i);
	double w = 0, h = 0;
	pop.poppler_page_get_size(pg, &w, &h);
	r->w = (int)(w * ppi / 72 + 0.5);
	r->h = (int)(h * ppi / 72 + 0.5);
	if (r->w < 1)
		r->w = 1;
	if (r->h < 1)
		r->h = 1;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, r->w, r->h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, ppi / 72, ppi / 72);
	pop.poppler_page_render_for_printing(pg, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	g_object_unref(pg);
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint64_t hash = fnv((const unsigned char *)&r->w, sizeof(int), 14695981039346656037ULL);
	hash = fnv((const unsigned char *)&r->h, sizeof(int), hash);
	for (int y = 0; y < r->h; y++)	/* the padding of a row is not the page's */
		hash = fnv(px + (size_t)y * (size_t)stride, (size_t)r->w * 4, hash);
	r->hash = hash;
	return s;
}

#define MAX_PIXELS 1e8	/* a page's raster at most (400 MB) */

/* Every page's size and hash; NULL with an error when a page would be
 * too large a raster at ppi. */
static struct raster *rasterise(PopplerDocument *doc, const char *name, double ppi, int *n,
				struct diags *d)
{
	*n = pop.poppler_document_get_n_pages(doc);
	for (int i = 0; i < *n; i++) {
		PopplerPage *pg = pop.poppler_document_get_page(doc, i);
		double w = 0, h = 0;
		pop.poppler_page_get_size(pg, &w, &h);
		g_object_unref(pg);
		double px = (w * ppi / 72) * (h * ppi / 72);
		if (!(px <= MAX_PIXELS) || w * ppi / 72 > 32000 || h * ppi / 72 > 32000) {
			diag_add(d, SEV_ERROR, name, 0, 0,
				 "page %d is %.0f x %.0f pt: at %g ppi too large a raster to compare "
				 "(at most %.0f megapixels); give a lower --ppi", i + 1, w, h, ppi,
				 MAX_PIXELS / 1e6);
			return NULL;
		}
	}
	struct raster *v = xcalloc((size_t)(*n ? *n : 1), sizeof(*v));
	for (int i = 0; i < *n; i++)
		cairo_surface_destroy(page_surface(doc, i, ppi, &v[i]));
	return v;
}

static int same(const struct raster *a, const struct raster *b)
{
	return a->hash == b->hash && a->w == b->w && a->h == b->h;
}

/* A rectangle of tiles, inclusive. */
struct box4 {
	int x0, y0, x1, y1;
};

/* The regions where new differs from old (tile grid, 4-connected). */
static struct box4 *regions(cairo_surface_t *old, cairo_surface_t *new, int *n)
{
	int ow = cairo_image_surface_get_width(old), oh = cairo_image_surface_get_height(old);
	int nw = cairo_image_surface_get_width(new), nh = cairo_image_surface_get_height(new);
	int tw = (nw + TILE - 1) / TILE, th = (nh + TILE - 1) / TILE;
	unsigned char *diff = xcalloc((size_t)tw * (size_t)th, 1);
	const unsigned char *p = cairo_image_surface_get_data(old);
	const unsigned char *q = cairo_image_surface_get_data(new);
	int sp = cairo_image_surface_get_stride(old), sq = cairo_image_surface_get_stride(new);
	for (int y = 0; y < nh; y++)
		for (int x = 0; x < nw; x++) {
			int outside = x >= ow || y >= oh;
			if (outside || memcmp(p + (size_t)y * (size_t)sp + 4 * (size_t)x,
					      q + (size_t)y * (size_t)sq + 4 * (size_t)x, 3))
				diff[(y / TILE) * tw + x / TILE] = 1;
		}
	struct box4 *v = NULL;
	*n = 0;
	int *stack = xmalloc((size_t)tw * (size_t)th * sizeof(int));
	for (int t = 0; t < tw * th; t++) {
		if (diff[t] != 1)
			continue;
		struct box4 b = {t % tw, t / tw, t % tw, t / tw};
		int top = 0;
		stack[top++] = t;
		diff[t] = 2;
		while (top > 0) {
			int c = stack[--top], cx = c % tw, cy = c / tw;
			if (cx < b.x0) b.x0 = cx;
			if (cx > b.x1) b.x1 = cx;
			if (cy < b.y0) b.y0 = cy;
			if (cy > b.y1) b.y1 = cy;
			int nb[4][2] = {{cx - 1, cy}, {cx + 1, cy}, {cx, cy - 1}, {cx, cy + 1}};
			for (int k = 0; k < 4; k++) {
				int nx = nb[k][0], ny = nb[k][1];
				if (nx < 0 || ny < 0 || nx >= tw || ny >= th || diff[ny * tw + nx] != 1)
					continue;
				diff[ny * tw + nx] = 2;
				stack[top++] = ny * tw + nx;
			}
		}
		v = xrealloc(v, (size_t)(*n + 1) * sizeof(*v));
		v[(*n)++] = b;
	}
	free(stack);
	free(diff);
	return v;
}

static cairo_status_t to_sbuf(void *closure, const unsigned char *data, unsigned int len)
{
	sbuf_add(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The old page and, beside it, the new one with its regions outlined. */
static void picture(cairo_surface_t *old, cairo_surface_t *new, const struct box4 *r, int nr,
		    struct sbuf *png)
{
	int gap = 16, ow = old ? cairo_image_surface_get_width(old) : 0;
	int oh = old ? cairo_image_surface_get_height(old) : 0;
	int nw = cairo_image_surface_get_width(new), nh = cairo_image_surface_get_height(new);
	int w = ow + gap + nw, h = oh > nh ? oh : nh;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_paint(cr);
	if (old) {
		cairo_set_source_surface(cr, old, 0, 0);
		cairo_paint(cr);
	}
	cairo_set_source_surface(cr, new, ow + gap, 0);
	cairo_paint(cr);
	for (int i = 0; i < nr; i++) {
		double x = ow + gap + r[i].x0 * TILE, y = r[i].y0 * TILE;
		double bw = (r[i].x1 - r[i].x0 + 1) * TILE, bh = (r[i].y1 - r[i].y0 + 1) * TILE;
		cairo_rectangle(cr, x - 1, y - 1, bw + 2, bh + 2);
		cairo_set_source_rgba(cr, 0.9, 0.1, 0.1, 0.18);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0.9, 0.1, 0.1);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
	}
	cairo_destroy(cr);
	cairo_surface_write_to_png_stream(s, to_sbuf, png);	/* png: initialised, empty */
	cairo_surface_destroy(s);
}

static void add(struct pdf_diff *out, enum pdf_diff_kind kind, int old_page, int new_page,
		int nregions)
{
	out->v = xrealloc(out->v, (size_t)(out->n + 1) * sizeof(*out->v));
	struct pdf_diff_page *p = &out->v[out->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->old_page = old_page;
	p->new_page = new_page;
	p->regions = nregions;
	sbuf_init(&p->png);
}

int pdf_diff(const struct pdf_source *old, const struct pdf_source *new, double ppi, int images,
	     struct pdf_diff *out, struct diags *d)
{
	memset(out, 0, sizeof(*out));
	PopplerDocument *a = NULL, *b = NULL;
	if (load(old, &a, d) < 0 || load(new, &b, d) < 0) {
		if (a)
			g_object_unref(a);
		return -1;
	}
	int na = 0, nb = 0;
	struct raster *ra = rasterise(a, old->name, ppi, &na, d);
	struct raster *rb = ra ? rasterise(b, new->name, ppi, &nb, d) : NULL;
	if (!ra || !rb) {
		free(ra);
		g_object_unref(a);
		g_object_unref(b);
		return -1;
	}
	out->old_pages = na;
	out->new_pages = nb;
	char *taken = xcalloc((size_t)na + 1, 1);	/* old pages a new page matched */
	int *kind = xcalloc((size_t)nb + 1, sizeof(int)), *from = xcalloc((size_t)nb + 1, sizeof(int));
	for (int i = 0; i < nb; i++)	/* in place first: a move never steals a page */
		if (i < na && same(&ra[i], &rb[i])) {
			taken[i] = 1;
			kind[i] = PDF_DIFF_SAME;
			from[i] = i;
		} else {
			kind[i] = -1;
		}
	for (int i = 0; i < nb; i++) {
		if (kind[i] >= 0)
			continue;
		for (int j = 0; j < na && kind[i] < 0; j++)
			if (!taken[j] && same(&ra[j], &rb[i])) {
				taken[j] = 1;
				kind[i] = PDF_DIFF_MOVED;
				from[i] = j;
			}
		if (kind[i] < 0) {
			kind[i] = i < na ? PDF_DIFF_CHANGED : PDF_DIFF_ADDED;
			from[i] = i < na ? i : -1;
			if (i < na)
				taken[i] = 1;
		}
	}
	for (int i = 0; i < nb; i++) {
		if (kind[i] == PDF_DIFF_SAME)
			continue;
		int nr = 0;
		struct box4 *r = NULL;
		cairo_surface_t *so = NULL, *sn = NULL;
		struct raster again;
		if (kind[i] == PDF_DIFF_CHANGED || (images && kind[i] == PDF_DIFF_ADDED))
			sn = page_surface(b, i, ppi, &again);
		if (kind[i] == PDF_DIFF_CHANGED) {
			so = page_surface(a, from[i], ppi, &again);
			r = regions(so, sn, &nr);
		}
		add(out, kind[i], from[i], i, nr);
		if (images && sn)
			picture(so, sn, r, nr, &out->v[out->n - 1].png);
		if (so)
			cairo_surface_destroy(so);
		if (sn)
			cairo_surface_destroy(sn);
		free(r);
	}
	for (int j = 0; j < na; j++)
		if (!taken[j])
			add(out, PDF_DIFF_REMOVED, j, -1, 0);
	free(ra);
	free(rb);
	free(taken);
	free(kind);
	free(from);
	g_object_unref(a);
	g_object_unref(b);
	return out->n > 0;
}

void pdf_diff_done(struct pdf_diff *p)
{
	for (int i = 0; i < p->n; i++)
		sbuf_done(&p->v[i].png);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
