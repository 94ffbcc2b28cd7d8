/* pdfobj.c: two things every libqpdf pass over the written PDF needs
 * (pdfstd.c, pdfcmyk.c, pdftags.c, pdftext.c), in one place.
 */
#include <stdlib.h>

#include "bulletin.h"

char **pdfobj_keys(qpdf_data q, qpdf_oh dict, int *n)
{
	char **keys = NULL;
	*n = 0;
	if (!qpdf_oh_is_dictionary(q, dict))
		return NULL;
	qpdf_oh_begin_dict_key_iter(q, dict);
	while (qpdf_oh_dict_more_keys(q)) {
		keys = xrealloc(keys, (size_t)(*n + 1) * sizeof(*keys));
		keys[(*n)++] = xstrdup(qpdf_oh_dict_next_key(q));
	}
	return keys;
}

void pdfobj_keys_free(char **keys, int n)
{
	for (int i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

unsigned char *pdfobj_stream_data(qpdf_data q, qpdf_oh stream, size_t *len)
{
	unsigned char *buf = NULL;
	QPDF_BOOL filtered = 0;
	*len = 0;
	if (!qpdf_oh_is_stream(q, stream) ||
	    (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, len) &
	     QPDF_ERRORS) || !filtered) {
		free(buf);
		*len = 0;
		return NULL;
	}
	return buf;
}
