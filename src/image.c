/* image.c: what an image file is and how large, without drawing it; the
 * limits an image must keep; the JPEG bytes a PDF embeds.
 *
 * Kinds are told by content, not by name: PNG by its signature, JPEG by
 * SOI, SVG by a parse through librsvg.  Sizes are in the image's own units:
 * pixels for PNG and JPEG, CSS pixels (1/96 in) for SVG.  Everything here
 * reads headers only: a file declaring 30000 x 30000 pixels is refused
 * before anything is decoded.  paint.c draws them; layout and flow only
 * need sizes.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "lazylib.h"

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* ---- JPEG ---- */

/* Markers without a length: SOI, EOI, RSTn, TEM. */
static int standalone(unsigned m)
{
	return m == 0xd8 || m == 0xd9 || (m >= 0xd0 && m <= 0xd7) || m == 0x01;
}

/* Segments a pass-through keeps before the first scan: the tables, the
 * frame, restart intervals, JFIF (APP0), ICC profiles (APP2, colour) and
 * Adobe (APP14, how to read CMYK and YCCK).  EXIF (camera, GPS), XMP,
 * thumbnails and comments are dropped: they do not change the picture. */
static int kept(unsigned m)
{
	return (m >= 0xc0 && m <= 0xcf) || m == 0xdb || m == 0xdd || m == 0xe0 || m == 0xe2 ||
	       m == 0xee;
}

/* The end of the entropy-coded data that starts at i: the offset of the
 * next marker (0xFF then neither 0x00, a restart marker nor fill). */
static size_t entropy_end(const unsigned char *b, size_t n, size_t i)
{
	while (i + 1 < n) {
		if (b[i] != 0xff) {
			i++;
			continue;
		}
		unsigned m = b[i + 1];
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd7)) {
			i += 2;
			continue;
		}
		if (m == 0xff) {	/* fill bytes before a marker */
			i++;
			continue;
		}
		return i;
	}
	return n;
}

/* Walks the JPEG's segments.  Reads the frame (first SOFn) into im; with
 * out, copies what a pass-through keeps.  Returns 0, or -1 with *why. */
static int jpeg_walk(const unsigned char *b, size_t n, struct image_info *im, struct sbuf *out,
		     char **why)
{
	if (n < 4 || b[0] != 0xff || b[1] != 0xd8) {
		*why = xstrdup("not a JPEG (no start marker)");
		return -1;
	}
	if (out)
		sbuf_add(out, (const char *)b, 2);
	size_t i = 2;
	int frame = 0, scans = 0;
	for (;;) {
		while (i < n && b[i] == 0xff && i + 1 < n && b[i + 1] == 0xff)
			i++;	/* fill */
		if (i + 1 >= n || b[i] != 0xff) {
			*why = xstrdup(i + 1 >= n ? "the JPEG is truncated (no end marker)"
						  : "the JPEG is corrupt (a segment without a marker)");
			return -1;
		}
		unsigned m = b[i + 1];
		if (m == 0xd9) {	/* EOI: what follows it is not the image */
			if (out)
				sbuf_add(out, "\xff\xd9", 2);
			break;
		}
		if (standalone(m)) {
			if (out)
				sbuf_add(out, (const char *)b + i, 2);
			i += 2;
			continue;
		}
		if (i + 4 > n) {
			*why = xstrdup("the JPEG is truncated");
			return -1;
		}
		size_t len = be16(b + i + 2);
		if (len < 2 || i + 2 + len > n) {
			*why = xstrdup("the JPEG is truncated or corrupt (a segment runs past the end)");
			return -1;
		}
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc && !frame) {
			if (len < 8) {
				*why = xstrdup("the JPEG's frame header is corrupt");
				return -1;
			}
			if (m != 0xc0 && m != 0xc1 && m != 0xc2) {
				*why = xasprintf("the JPEG uses a coding PDF readers do not all "
						 "decode (SOF%u: %s); save it as a baseline or "
						 "progressive JPEG",
						 m - 0xc0,
						 m == 0xc3 || m == 0xc7 || m == 0xcb || m == 0xcf ? "lossless"
						 : m >= 0xc9 ? "arithmetic coding" : "hierarchical");
				return -1;
			}
			if (b[i + 4] != 8) {
				*why = xasprintf("the JPEG has %u bits per sample; PDF takes 8", b[i + 4]);
				return -1;
			}
			im->height = be16(b + i + 5);
			im->width = be16(b + i + 7);
			im->components = len >= 8 ? b[i + 9] : 0;
			if (im->components != 1 && im->components != 3 && im->components != 4) {
				*why = xasprintf("the JPEG has %d colour components; PDF takes 1, 3 or 4",
						 im->components);
				return -1;
			}
			if (im->width <= 0 || im->height <= 0) {
				*why = xstrdup("the image has no size (corrupt?)");
				return -1;
			}
			frame = 1;
		}
		if (out && (kept(m) || m == 0xc4 || m == 0xda || m == 0xcc))
			sbuf_add(out, (const char *)b + i, 2 + len);
		i += 2 + len;
		if (m == 0xda) {	/* a scan: its data runs to the next marker */
			if (!frame) {
				*why = xstrdup("the JPEG is corrupt (a scan before the frame header)");
				return -1;
			}
			size_t end = entropy_end(b, n, i);
			if (out)
				sbuf_add(out, (const char *)b + i, end - i);
			i = end;
			scans++;
		}
	}
	if (!frame || !scans) {
		*why = xstrdup(frame ? "the JPEG has no image data" : "the image has no size (corrupt?)");
		return -1;
	}
	return 0;
}

char *image_jpeg_clean(const char *data, size_t n, size_t *out_len, char **why)
{
	struct image_info im;
	memset(&im, 0, sizeof(im));
	struct sbuf sb;
	sbuf_init(&sb);
	if (jpeg_walk((const unsigned char *)data, n, &im, &sb, why) < 0) {
		sbuf_done(&sb);
		return NULL;
	}
	*out_len = sb.len;
	return sbuf_take(&sb);
}

/* ---- PNG ---- */

static int png_header(const unsigned char *b, size_t n, struct image_info *im, char **why)
{
	if (n < 33 || be32(b + 8) != 13) {
		*why = xstrdup("the PNG is truncated or corrupt (no header)");
		return -1;
	}
	unsigned w = be32(b + 16), h = be32(b + 20), depth = b[24], type = b[25];
	int ok = (type == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
		 (type == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
		 ((type == 2 || type == 4 || type == 6) && (depth == 8 || depth == 16));
	if (!ok || b[26] != 0 || b[27] != 0 || b[28] > 1) {
		*why = xstrdup("the PNG's header is corrupt (bit depth, colour type or method)");
		return -1;
	}
	if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff) {
		*why = xstrdup("the image has no size (corrupt?)");
		return -1;
	}
	im->width = w;
	im->height = h;
	im->components = type == 0 || type == 3 ? 1 : type == 4 ? 2 : type == 2 ? 3 : 4;
	return 0;
}

/* ---- SVG ---- */

/* ASCII case-insensitive search for a lower-case needle. */
static int has_word(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && (s[i + j] | 0x20) == needle[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/* An SVG that may use filters, whose cost has no bound but the pixels they
 * cover, is drawn from a raster (paint.c); so is one whose text cannot be
 * searched (compressed, or not in an ASCII-based encoding). */
static int svg_needs_raster(const char *s, size_t n)
{
	if (n >= 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b)
		return 1;	/* gzip (SVGZ) */
	if (memchr(s, '\0', n))
		return 1;	/* UTF-16 and the like */
	return has_word(s, n, "filter") || has_word(s, n, "<fe") || has_word(s, n, ":fe");
}

static int svg_size(const char *data, size_t n, struct image_info *im, char **why)
{
	const char *lib = imglib_load();
	if (lib) {
		*why = xasprintf("cannot read SVG images: %s", lib);
		return -1;
	}
	GError *err = NULL;
	RsvgHandle *h = imglib.rsvg_handle_new_from_data((const guint8 *)data, n, &err);
	if (!h) {
		*why = xasprintf("not a PNG, JPEG or SVG image (or corrupt)%s%s",
				 err && err->message ? ": " : "", err && err->message ? err->message : "");
		if (err)
			g_error_free(err);
		return -1;
	}
	double w = 0, hh = 0;
	if (!imglib.rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
		RsvgRectangle ink, logical;
		if (imglib.rsvg_handle_get_geometry_for_element(h, NULL, &ink, &logical, NULL))
			w = logical.width, hh = logical.height;
	}
	g_object_unref(h);
	if (!(w > 0 && hh > 0 && w < 1e7 && hh < 1e7)) {
		*why = xstrdup("the SVG has no usable size (give it width and height, or a viewBox)");
		return -1;
	}
	im->kind = IMAGE_SVG;
	im->width = w;
	im->height = hh;
	im->svg_raster = svg_needs_raster(data, n);
	return 0;
}

int image_probe_data(const char *data, size_t n, struct image_info *im, char **why)
{
	memset(im, 0, sizeof(*im));
	const unsigned char *b = (const unsigned char *)data;
	*why = NULL;
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) {
		im->kind = IMAGE_PNG;
		if (n < 16 || memcmp(b + 12, "IHDR", 4)) {
			*why = xstrdup("the PNG is truncated or corrupt (no header)");
			return -1;
		}
		return png_header(b, n, im, why);
	}
	if (n >= 2 && b[0] == 0xff && b[1] == 0xd8) {
		im->kind = IMAGE_JPEG;
		return jpeg_walk(b, n, im, NULL, why);
	}
	return svg_size(data, n, im, why);
}

int image_probe(const char *path, struct image_info *im, char **why)
{
	memset(im, 0, sizeof(*im));
	struct diags d = {0};
	size_t n;
	char *data = file_load(path, &n, &d);
	if (!data) {
		*why = xstrdup(d.n ? d.v[0].msg : "cannot read");
		diag_clear(&d);
		return -1;
	}
	int rc = image_probe_data(data, n, im, why);
	free(data);
	return rc;
}

/* ---- limits ---- */

/* cairo's image surfaces (and so every decoded picture) are at most this
 * many pixels on a side. */
#define IMAGE_MAX_SIDE 32767

int image_check_limits(const struct image_info *im, const struct image_limits *lim, char **why)
{
	if (im->kind == IMAGE_SVG)
		return 0;	/* drawn as vectors, or a raster sized by paint.c */
	double mp = im->width * im->height / 1e6;
	if (im->width > IMAGE_MAX_SIDE || im->height > IMAGE_MAX_SIDE) {
		*why = xasprintf("it has %.0f x %.0f pixels; an image can have at most %d on a side",
				 im->width, im->height, IMAGE_MAX_SIDE);
		return -1;
	}
	if (lim->max_megapixels > 0 && mp > lim->max_megapixels) {
		*why = xasprintf("it has %.0f x %.0f pixels (%.1f megapixels); the layout allows %g "
				 "(images.max_megapixels)",
				 im->width, im->height, mp, lim->max_megapixels);
		return -1;
	}
	return 0;
}

double image_megapixels(const struct image_info *im)
{
	return im->kind == IMAGE_SVG ? 0 : im->width * im->height / 1e6;
}
