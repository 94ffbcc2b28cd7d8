/* image.c: what an image file is and how large, without drawing it.
 *
 * Kinds are told by content, not by name: PNG by its signature, JPEG by
 * SOI, SVG by a parse through librsvg.  Sizes are in the image's own units:
 * pixels for PNG and JPEG (with their ppi when the file says), CSS pixels
 * (1/96 in) for SVG.  pdf.c draws them; layout and flow only need sizes.
 */
#include <stdlib.h>
#include <string.h>

#include <librsvg/rsvg.h>

#include "bulletin.h"

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* JPEG: the first start-of-frame marker holds height and width. */
static int jpeg_size(const unsigned char *b, size_t n, struct image_info *im)
{
	size_t i = 2;
	while (i + 9 < n) {
		if (b[i] != 0xff) {
			i++;
			continue;
		}
		unsigned m = b[i + 1];
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7) || m == 0xff) {
			i += m == 0xff ? 1 : 2;
			continue;
		}
		size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			im->height = b[i + 5] << 8 | b[i + 6];
			im->width = b[i + 7] << 8 | b[i + 8];
			return im->width > 0 && im->height > 0 ? 0 : -1;
		}
		i += 2 + len;
	}
	return -1;
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
	const unsigned char *b = (const unsigned char *)data;
	int rc = -1;
	if (n >= 24 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8) && !memcmp(b + 12, "IHDR", 4)) {
		im->kind = IMAGE_PNG;
		im->width = be32(b + 16);
		im->height = be32(b + 20);
		rc = im->width > 0 && im->height > 0 ? 0 : -1;
	} else if (n >= 4 && b[0] == 0xff && b[1] == 0xd8) {
		im->kind = IMAGE_JPEG;
		rc = jpeg_size(b, n, im);
	} else {
		GError *err = NULL;
		RsvgHandle *h = rsvg_handle_new_from_data(b, n, &err);
		if (h) {
			double w = 0, hh = 0;
			if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
				RsvgRectangle ink, logical;
				rsvg_handle_get_geometry_for_element(h, NULL, &ink, &logical, NULL);
				w = logical.width, hh = logical.height;
			}
			im->kind = IMAGE_SVG;
			im->width = w;
			im->height = hh;
			rc = w > 0 && hh > 0 ? 0 : -1;
			g_object_unref(h);
		} else {
			g_error_free(err);
		}
	}
	if (rc < 0)
		*why = xstrdup(im->kind ? "the image has no size (corrupt?)"
					: "not a PNG, JPEG or SVG image (or corrupt)");
	free(data);
	return rc;
}
