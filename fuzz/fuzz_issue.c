/* fuzz_issue.c: libFuzzer harness: the input bytes as an issue file
 * (issue_parse: front matter through yaml.c and libfyaml, body through md4c). */
#include <stdint.h>
#include <stdlib.h>

#include "bulletin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = {0};
	struct issue *is = issue_parse("fuzz.md", (const char *)data, size, &d);
	/* a result and errors never go together; every message has a file */
	if ((is != NULL) == (d.errors > 0))
		abort();
	for (int i = 0; i < d.n; i++)
		if (!d.v[i].file || !d.v[i].msg)
			abort();
	issue_free(is);
	diag_clear(&d);
	return 0;
}
