/* collate.c: Chinese sort order, from ICU's collator (Debian's libicu):
 * pinyin (ICU's default order for Chinese) or by strokes, for the index.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "lazylib.h"

struct collator {
	UCollator *c;
};

struct collator *collator_new(int stroke, struct diags *d)
{
	const char *lib = icu_load();
	if (lib) {
		if (d)
			diag_add(d, SEV_WARNING, NULL, 0, 0, "%s: the index is in code order", lib);
		return NULL;
	}
	UErrorCode err = U_ZERO_ERROR;
	UCollator *c = icu.ucol_open(stroke ? "zh@collation=stroke" : "zh@collation=pinyin", &err);
	if (U_FAILURE(err) || !c) {
		if (d)
			diag_add(d, SEV_WARNING, NULL, 0, 0,
				 "ICU has no %s collation for Chinese (%s): the index is in code order",
				 stroke ? "stroke" : "pinyin", icu.u_errorName(err));
		if (c)
			icu.ucol_close(c);
		return NULL;
	}
	struct collator *k = xcalloc(1, sizeof(*k));
	k->c = c;
	return k;
}

int collator_cmp(const struct collator *k, const char *a, const char *b)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r = icu.ucol_strcollUTF8(k->c, a, -1, b, -1, &err);
	if (U_FAILURE(err))
		return strcmp(a, b);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

void collator_free(struct collator *k)
{
	if (!k)
		return;
	icu.ucol_close(k->c);
	free(k);
}
