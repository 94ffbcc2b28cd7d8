/* fuzz_image.c: libFuzzer harness: the input bytes as an image file's
 * header (image_probe_data: PNG, JPEG, and SVG through librsvg's parser),
 * the limits, and the JPEG a PDF would embed (image_jpeg_clean), which must
 * be a JPEG of the same size, shorter or as long, that cleans to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_info im;
	char *why = NULL;
	int rc = image_probe_data((const char *)data, size, &im, &why);
	if ((rc == 0) == (why != NULL))
		abort();
	free(why);
	why = NULL;
	if (rc == 0) {
		struct image_limits lim = {100, 400, 5, 300};
		if (image_check_limits(&im, &lim, &why) == 0 && im.kind != IMAGE_SVG &&
		    (im.width > 32767 || im.height > 32767 || im.width * im.height > 100e6))
			abort();
		free(why);
		why = NULL;
	}
	if (rc == 0 && im.kind == IMAGE_JPEG) {
		size_t n;
		char *clean = image_jpeg_clean((const char *)data, size, &n, &why);
		if (!clean || n > size)
			abort();
		struct image_info again;
		if (image_probe_data(clean, n, &again, &why) != 0 || again.width != im.width ||
		    again.height != im.height || again.kind != IMAGE_JPEG)
			abort();
		size_t n2;
		char *twice = image_jpeg_clean(clean, n, &n2, &why);
		if (!twice || n2 != n || memcmp(twice, clean, n))
			abort();
		free(twice);
		free(clean);
	}
	free(why);
	return 0;
}
