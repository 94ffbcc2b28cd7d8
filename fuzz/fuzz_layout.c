/* fuzz_layout.c: libFuzzer harness: the input bytes as a layout file
 * (layout_parse: yaml.c and libfyaml, the schema, inheritance and checks).
 * It stands for layouts/fuzz.yaml, so `extends: epoint` and the cover's
 * image files resolve as they would for a real layout. */
#include <stdint.h>
#include <stdlib.h>

#include "bulletin.h"

#ifndef FUZZ_LAYOUTS
#define FUZZ_LAYOUTS "layouts"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = {0};
	struct layout *lo = layout_parse(FUZZ_LAYOUTS "/fuzz.yaml", (const char *)data, size,
					 FUZZ_LAYOUTS, &d);
	if ((lo != NULL) == (d.errors > 0))
		abort();
	layout_free(lo);
	diag_clear(&d);
	return 0;
}
