/* paint.c: image files painted on a cairo context, within their limits.
 *
 * The caller (pdf.c, the one drawing file) hands over the file's bytes,
 * probed by image.c, and the box in user space.  Per kind:
 *   PNG   decoded by cairo from memory (its size was checked from the header);
 *   JPEG  in a PDF, passed through: a blank surface of the JPEG's size
 *         carries the cleaned bytes (image_jpeg_clean) as mime data, which
 *         cairo embeds as they are (DCTDecode) without decoding a pixel; on a
 *         raster target it is decoded at the size it is drawn (libjpeg
 *         scales down while decoding), never larger;
 *   SVG   first drawn into a shared raster by a child process, which is
 *         killed when the render's SVG time budget runs out: librsvg cannot
 *         be interrupted, and a filter (feTurbulence with 1000 octaves) can
 *         take minutes.  An SVG that may use filters, or any SVG on a
 *         raster target, is then painted from that raster; others are drawn
 *         again as vectors, which the trial has shown to finish.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include "bulletin.h"
#include "lazylib.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- PNG ---- */

struct reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;
	if (len > r->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p, len);
	r->p += len;
	r->left -= len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_surface(const char *data, size_t n, char **why)
{
	struct reader r = {(const unsigned char *)data, n};
	cairo_surface_t *img = cairo_image_surface_create_from_png_stream(read_mem, &r);
	if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
		return img;
	*why = xasprintf("cannot read the PNG: %s",
			 cairo_surface_status(img) == CAIRO_STATUS_READ_ERROR
				 ? "it is truncated or corrupt"
				 : cairo_status_to_string(cairo_surface_status(img)));
	cairo_surface_destroy(img);
	return NULL;
}

/* ---- JPEG ---- */

/* The blank surface that carries a JPEG's bytes into a PDF. */
static cairo_surface_t *jpeg_passthrough(const char *data, size_t n, const struct image_info *im,
					 char **why)
{
	size_t len;
	char *clean = image_jpeg_clean(data, n, &len, why);
	if (!clean)
		return NULL;
	/* never written: its pages stay unmapped, cairo reads the mime data */
	cairo_surface_t *img =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)im->width, (int)im->height);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		*why = xasprintf("cannot draw the JPEG: %s",
				 cairo_status_to_string(cairo_surface_status(img)));
		cairo_surface_destroy(img);
		free(clean);
		return NULL;
	}
	cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, (unsigned char *)clean, len, free,
				    clean);
	return img;
}

static void on_size(GdkPixbufLoader *loader, int w, int h, gpointer user)
{
	const int *want = user;
	if (want[0] < w && want[1] < h)	/* smaller only: never upsampled here */
		imglib.gdk_pixbuf_loader_set_size(loader, want[0], want[1]);
	(void)h;
}

/* A JPEG decoded at about pw x ph device pixels. */
static cairo_surface_t *jpeg_decoded(const char *data, size_t n, int pw, int ph, char **why)
{
	GdkPixbufLoader *loader = imglib.gdk_pixbuf_loader_new_with_type("jpeg", NULL);
	if (!loader) {
		*why = xstrdup("cannot read JPEG images: gdk-pixbuf has no JPEG loader");
		return NULL;
	}
	int want[2] = {pw, ph};
	g_signal_connect(loader, "size-prepared", G_CALLBACK(on_size), want);
	GError *err = NULL;
	int ok = imglib.gdk_pixbuf_loader_write(loader, (const guchar *)data, n, &err);
	ok = imglib.gdk_pixbuf_loader_close(loader, ok ? &err : NULL) && ok;
	GdkPixbuf *pb = ok ? imglib.gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
	if (!pb) {
		*why = xasprintf("cannot read the JPEG: %s", err ? err->message : "corrupt");
		if (err)
			g_error_free(err);
		g_object_unref(loader);
		return NULL;
	}
	int w = imglib.gdk_pixbuf_get_width(pb), h = imglib.gdk_pixbuf_get_height(pb);
	int nch = imglib.gdk_pixbuf_get_n_channels(pb);
	size_t stride = (size_t)imglib.gdk_pixbuf_get_rowstride(pb);
	const guchar *px = imglib.gdk_pixbuf_read_pixels(pb);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		*why = xstrdup("cannot draw the JPEG: out of memory");
		cairo_surface_destroy(img);
		g_object_unref(loader);
		return NULL;
	}
	unsigned char *dst = cairo_image_surface_get_data(img);
	size_t dstride = (size_t)cairo_image_surface_get_stride(img);
	for (size_t y = 0; y < (size_t)h; y++)
		for (size_t x = 0; x < (size_t)w; x++) {
			const guchar *s = px + y * stride + x * (size_t)nch;
			uint32_t v = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
			memcpy(dst + y * dstride + x * 4, &v, 4);
		}
	cairo_surface_mark_dirty(img);
	g_object_unref(loader);
	return img;
}

/* ---- SVG ---- */

struct shared {
	void *mem;
	size_t size;
};

static const cairo_user_data_key_t shared_key;

static void shared_free(void *p)
{
	struct shared *s = p;
	munmap(s->mem, s->size);
	free(s);
}

/* The child: draws the SVG into mem, then reports "1" or "0" and why. */
static void __attribute__((noreturn)) svg_child(int fd, void *mem, int pw, int ph, int stride,
						 const char *data, size_t n)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	cairo_surface_t *s = cairo_image_surface_create_for_data(mem, CAIRO_FORMAT_ARGB32, pw, ph,
								 stride);
	cairo_t *cr = cairo_create(s);
	GError *err = NULL;
	RsvgHandle *h = imglib.rsvg_handle_new_from_data((const guint8 *)data, n, &err);
	RsvgRectangle viewport = {0, 0, pw, ph};
	int ok = h && imglib.rsvg_handle_render_document(h, cr, &viewport, &err);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	const char *msg = ok ? "" : err && err->message ? err->message : "unknown error";
	ssize_t rc = write(fd, ok ? "1" : "0", 1);
	if (rc == 1)
		rc = write(fd, msg, strlen(msg));
	(void)rc;
	_exit(0);
}

/* Draws the SVG into a pw x ph ARGB raster in a child process, within
 * *seconds (less what it took on return).  NULL with *why on failure. */
static cairo_surface_t *svg_raster(const char *data, size_t n, int pw, int ph, double *seconds,
				   char **why)
{
	if (*seconds <= 0) {
		*why = xstrdup("no time is left for drawing SVG images (images.svg_time_limit)");
		return NULL;
	}
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, pw);
	size_t size = (size_t)stride * (size_t)ph;
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fds[2] = {-1, -1};
	if (mem == MAP_FAILED || pipe(fds) != 0) {
		*why = xasprintf("cannot draw the SVG: %s", strerror(errno));
		if (mem != MAP_FAILED)
			munmap(mem, size);
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	double t0 = now_s();
	pid_t pid = out_fork(0);
	if (pid == 0) {
		close(fds[0]);
		svg_child(fds[1], mem, pw, ph, stride, data, n);
	}
	close(fds[1]);
	if (pid < 0) {
		*why = xasprintf("cannot draw the SVG: %s", strerror(errno));
		close(fds[0]);
		munmap(mem, size);
		return NULL;
	}
	struct sbuf reply;
	sbuf_init(&reply);
	int timed_out = 0;
	for (;;) {
		double left = *seconds - (now_s() - t0);
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd p = {fds[0], POLLIN, 0};
		int r = poll(&p, 1, (int)ceil(left * 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			timed_out = 1;
			break;
		}
		char buf[512];
		ssize_t got = read(fds[0], buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (reply.len < 4096)
			sbuf_add(&reply, buf, (size_t)got);
	}
	if (timed_out)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out_child(pid, 0);
	close(fds[0]);
	*seconds -= now_s() - t0;
	if (timed_out || reply.len == 0 || reply.s[0] != '1') {
		if (timed_out)
			*why = xstrdup("drawing the SVG takes longer than the layout allows "
				       "(images.svg_time_limit); simplify its filters");
		else
			*why = xasprintf("cannot draw the SVG: %s",
					 reply.len > 1 ? reply.s + 1 : "its renderer failed");
		sbuf_done(&reply);
		munmap(mem, size);
		return NULL;
	}
	sbuf_done(&reply);
	cairo_surface_t *img =
		cairo_image_surface_create_for_data(mem, CAIRO_FORMAT_ARGB32, pw, ph, stride);
	struct shared *sh = xmalloc(sizeof(*sh));
	sh->mem = mem;
	sh->size = size;
	cairo_surface_set_user_data(img, &shared_key, sh, shared_free);
	cairo_surface_mark_dirty(img);
	return img;
}

/* Device pixels for a box of w x h pt at ppi, within the per-image budget
 * and cairo's 32767 a side. */
static void raster_size(double w, double h, double ppi, const struct image_limits *lim, int *pw,
			int *ph)
{
	double x = w * ppi / 72, y = h * ppi / 72;
	double cap = lim->max_megapixels > 0 ? lim->max_megapixels * 1e6 : 1e8;
	if (x * y > cap) {
		double k = sqrt(cap / (x * y));
		x *= k, y *= k;
	}
	if (x > 32767)
		y *= 32767 / x, x = 32767;
	if (y > 32767)
		x *= 32767 / y, y = 32767;
	*pw = x < 1 ? 1 : (int)ceil(x);
	*ph = y < 1 ? 1 : (int)ceil(y);
}

/* Paints img (taken: destroyed here) scaled into (0, 0, w, h).  Returns 0. */
static int paint_surface(cairo_t *cr, cairo_surface_t *img, double w, double h)
{
	int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
	cairo_save(cr);
	cairo_scale(cr, w / iw, h / ih);
	cairo_set_source_surface(cr, img, 0, 0);
	/* clipped to the image: cairo 1.16 fails a page's tags ("invalid tag
	 * nesting") when the page's first operation is an unbounded paint */
	cairo_rectangle(cr, 0, 0, iw, ih);
	cairo_clip(cr);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(img);
	return 0;
}

/* SVGs drawn within the time limit, at a raster size, and the time they
 * took: drawing one again as a vector (PDF) needs no new trial in a child
 * (3-7 ms: a fork and a raster; watch draws the same logo after every
 * edit, and every render of an issue its layout's).  Kept in this process
 * (SVG_PROVED of them) and in the cache of files kept across runs; the
 * bytes are compared whole; each at most SVG_PROVED_MAX bytes. */
#define SVG_PROVED 8
#define SVG_PROVED_MAX (1 << 20)
static struct proved {
	char *data;
	size_t n;
	int pw, ph;
	double seconds;
} proved[SVG_PROVED];
static int nproved_next;	/* the slot to fill next (round robin) */
static pthread_mutex_t proved_lock = PTHREAD_MUTEX_INITIALIZER;

/* The key of a proof in the cache of files kept across runs (cache.c):
 * the program, the renderer, the raster size and the SVG itself. */
static char *proof_key(const char *data, size_t n, int pw, int ph, size_t *len)
{
	struct sbuf k;
	sbuf_init(&k);
	sbuf_printf(&k, "svg 1|bulletin %s|librsvg %d.%d.%d|%dx%d|", BULLETIN_VERSION,
		    LIBRSVG_MAJOR_VERSION, LIBRSVG_MINOR_VERSION, LIBRSVG_MICRO_VERSION, pw, ph);
	sbuf_add(&k, data, n);
	*len = k.len;
	return sbuf_take(&k);
}

static void svg_prove(const char *data, size_t n, int pw, int ph, double seconds, int keep);

/* Whether data drew at pw x ph before, in this process or (the cache) an
 * earlier one: *seconds less the time it took. */
static int svg_proved(const char *data, size_t n, int pw, int ph, double *seconds)
{
	int hit = 0;
	pthread_mutex_lock(&proved_lock);
	for (int i = 0; i < SVG_PROVED && !hit; i++) {
		const struct proved *p = &proved[i];
		if (p->data && p->n == n && p->pw == pw && p->ph == ph && p->seconds <= *seconds &&
		    !memcmp(p->data, data, n)) {
			*seconds -= p->seconds;
			hit = 1;
		}
	}
	pthread_mutex_unlock(&proved_lock);
	if (hit || n > SVG_PROVED_MAX)
		return hit;
	size_t klen;
	char *key = proof_key(data, n, pw, ph, &klen);
	struct sbuf e;
	if (cache_get("svg", key, klen, &e) == 0) {
		char text[32] = {0};
		memcpy(text, e.s, e.len < sizeof(text) - 1 ? e.len : sizeof(text) - 1);
		char *end;
		double took = strtod(text, &end);
		if (end != text && *end == '\0' && took >= 0 && took <= *seconds) {
			*seconds -= took;
			svg_prove(data, n, pw, ph, took, 0);
			hit = 1;
		}
		sbuf_done(&e);
	}
	free(key);
	return hit;
}

/* Notes that data drew at pw x ph in seconds: for this process and, with
 * keep, for later runs. */
static void svg_prove(const char *data, size_t n, int pw, int ph, double seconds, int keep)
{
	if (n > SVG_PROVED_MAX)
		return;
	if (keep) {
		size_t klen;
		char *key = proof_key(data, n, pw, ph, &klen);
		char text[32];
		int tl = snprintf(text, sizeof(text), "%.6f", seconds);
		cache_put("svg", key, klen, text, (size_t)tl);
		free(key);
	}
	pthread_mutex_lock(&proved_lock);
	struct proved *p = &proved[nproved_next];
	nproved_next = (nproved_next + 1) % SVG_PROVED;
	free(p->data);
	p->data = xmalloc(n ? n : 1);
	memcpy(p->data, data, n);
	p->n = n;
	p->pw = pw;
	p->ph = ph;
	p->seconds = seconds;
	pthread_mutex_unlock(&proved_lock);
}

void paint_forget(void)
{
	pthread_mutex_lock(&proved_lock);
	for (int i = 0; i < SVG_PROVED; i++) {
		free(proved[i].data);
		memset(&proved[i], 0, sizeof(proved[i]));
	}
	pthread_mutex_unlock(&proved_lock);
}

static int svg_paint(cairo_t *cr, const char *data, size_t n, const struct image_info *im,
		     double w, double h, const struct paint_opts *o, char **why)
{
	int pw, ph;
	raster_size(w, h, o->ppi, o->limits, &pw, &ph);
	int raster = im->svg_raster || o->raster;
	if (raster || !svg_proved(data, n, pw, ph, o->svg_seconds)) {
		double before = *o->svg_seconds;
		cairo_surface_t *img = svg_raster(data, n, pw, ph, o->svg_seconds, why);
		if (!img)
			return -1;
		svg_prove(data, n, pw, ph, before - *o->svg_seconds, 1);
		if (raster)
			return paint_surface(cr, img, w, h);
		cairo_surface_destroy(img);
	}
	GError *err = NULL;
	RsvgHandle *hd = imglib.rsvg_handle_new_from_data((const guint8 *)data, n, &err);
	RsvgRectangle viewport = {0, 0, w, h};
	int rc = 0;
	if (!hd || !imglib.rsvg_handle_render_document(hd, cr, &viewport, &err)) {
		*why = xasprintf("cannot draw the SVG: %s", err ? err->message : "unknown error");
		rc = -1;
	}
	if (err)
		g_error_free(err);
	if (hd)
		g_object_unref(hd);
	return rc;
}

int paint_image(cairo_t *cr, const char *data, size_t n, const struct image_info *im, double w,
		double h, const struct paint_opts *o, char **why)
{
	*why = NULL;
	if (!(w > 0 && h > 0))
		return 0;
	const char *lib = im->kind == IMAGE_SVG || (im->kind != IMAGE_PNG && o->raster) ? imglib_load()
											 : NULL;
	if (lib) {	/* librsvg and gdk-pixbuf load before a child is forked to draw */
		*why = xasprintf("cannot draw the image: %s", lib);
		return -1;
	}
	if (im->kind == IMAGE_SVG)
		return svg_paint(cr, data, n, im, w, h, o, why);
	cairo_surface_t *img;
	if (im->kind == IMAGE_PNG) {
		img = png_surface(data, n, why);
	} else if (!o->raster) {
		img = jpeg_passthrough(data, n, im, why);
	} else {
		int pw, ph;
		raster_size(w, h, o->ppi, o->limits, &pw, &ph);
		img = jpeg_decoded(data, n, pw, ph, why);
	}
	return img ? paint_surface(cr, img, w, h) : -1;
}
