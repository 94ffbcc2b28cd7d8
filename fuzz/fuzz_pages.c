/* fuzz_pages.c: libFuzzer harness: the input bytes as an issue's body, under
 * a fixed front matter, through the whole middle of the pipeline to pages
 * (no PDF): md4c and the model, numbering, the clreq composer, flow with
 * widows, orphans and keeps, the TOC's repagination, running heads, and
 * the print profile's padding and saddle-stitch imposition.  The
 * layout is layouts/epoint.yaml, read once, and the project's fonts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

#ifndef FUZZ_LAYOUTS
#define FUZZ_LAYOUTS "layouts"
#endif

static struct fonts *fonts;
static struct layout *layout;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct diags d = {0};
	fonts = fonts_new(FUZZ_LAYOUTS "/../fonts/fonts.conf", &d);
	layout = layout_load("epoint", FUZZ_LAYOUTS, &d);
	if (!fonts || !layout) {
		diag_print(&d, stderr);
		abort();
	}
	diag_clear(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char front[] = "---\nyear: 2022\nmonth: 8\nnumber: 4\n---\n";
	char *text = xmalloc(sizeof(front) + size);
	memcpy(text, front, sizeof(front) - 1);
	memcpy(text + sizeof(front) - 1, data, size);
	struct diags d = {0};
	struct job j;
	memset(&j, 0, sizeof(j));
	j.issue = issue_parse(FUZZ_LAYOUTS "/fuzz.md", text, sizeof(front) - 1 + size, &d);
	if (j.issue) {
		j.layout = layout;
		int rc = job_typeset(&j, fonts, &d);
		/* pages, each box on the page it claims, every heading marked on a page */
		if (rc == 0 && j.out.doc.npages < 1)
			abort();
		for (int i = 0; rc == 0 && i < j.out.doc.nmarks; i++)
			if (j.out.doc.marks[i].page < 0 || j.out.doc.marks[i].page >= j.out.doc.npages)
				abort();
		/* the print profile, imposed: every page on one spread half, the
		 * marks still on their pages */
		if (rc == 0) {
			struct print_setup ps = {8.5, 28.35, 1, 4, 1, 5.67};
			struct doc *sp = print_bleed(&j.out.doc, &ps);
			int n = j.out.doc.npages + (4 - j.out.doc.npages % 4) % 4;
			if (sp->npages * 2 != n)
				abort();
			for (int i = 0; i < sp->nmarks; i++)
				if (sp->marks[i].page < 0 || sp->marks[i].page >= sp->npages)
					abort();
			doc_free(sp);
			free(sp);
		}
		j.layout = NULL;	/* read once, kept */
	}
	job_done(&j);
	diag_clear(&d);
	free(text);
	return 0;
}
