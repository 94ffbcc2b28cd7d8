/* pdfobj.c: what every libqpdf pass over the written PDF needs
 * (pdfstd.c, pdfcmyk.c, pdftags.c, pdftext.c) does, in one place: a
 * dictionary's keys, a stream's data, the XObjects a page draws.
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

static void each_xobject(qpdf_data q, qpdf_oh resources, pdfobj_visit fn, void *arg, int depth)
{
	qpdf_oh xo = qpdf_oh_get_key(q, resources, "/XObject");
	if (depth > 16 || !qpdf_oh_is_dictionary(q, xo))
		return;
	int n = 0;
	char **keys = pdfobj_keys(q, xo, &n);
	for (int i = 0; i < n; i++) {
		qpdf_oh stream = qpdf_oh_get_key(q, xo, keys[i]);
		qpdf_oh dict = qpdf_oh_get_dict(q, stream);
		fn(q, stream, dict, arg);
		if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Subtype"), "/Form"))
			each_xobject(q, qpdf_oh_get_key(q, dict, "/Resources"), fn, arg, depth + 1);
	}
	pdfobj_keys_free(keys, n);
}

void pdfobj_each_xobject(qpdf_data q, qpdf_oh resources, pdfobj_visit fn, void *arg)
{
	each_xobject(q, resources, fn, arg, 0);
}
