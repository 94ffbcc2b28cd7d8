/* pdfobj.c: what every libqpdf pass over the written PDF needs
 * (pdfstd.c, pdfcmyk.c, pdftags.c, pdftext.c) does, in one place: a
 * dictionary's keys, a stream's data, the XObjects a page draws; and
 * the streams compressed on every core before libqpdf writes them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

/* A stream to compress: its raw bytes in, the deflated ones out. */
struct zstream {
	qpdf_oh oh;
	unsigned char *raw;
	size_t len;
	unsigned char *out;
	uLongf outlen;
};

/* Streams deflated lately, by their raw bytes: a watch render writes the
 * same content streams again for the pages an edit did not change (cairo
 * deflates the font programs itself), and their deflated bytes are the
 * same too.  Only streams of MEMO_MIN bytes
 * or more; MEMO_SLOTS of them, the least recently used going; the raw
 * bytes are compared whole, the CRC only finds the slot.  Only while
 * pdfobj_keep is on (watch). */
#define MEMO_MIN 2048
#define MEMO_SLOTS 8
static struct memo {
	uLong crc;
	size_t len;
	unsigned char *raw, *out;
	uLongf outlen;
	unsigned long used;
} memo[MEMO_SLOTS];
static unsigned long memo_clock;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static int memo_on;	/* pdfobj_keep: off, so a single render keeps nothing */

void pdfobj_keep(void)
{
	memo_on = 1;
}

/* z's deflated bytes from the memo (1), or 0. */
static int memo_take(struct zstream *z, uLong crc)
{
	int hit = 0;
	pthread_mutex_lock(&memo_lock);
	for (int i = 0; i < MEMO_SLOTS && !hit; i++) {
		struct memo *m = &memo[i];
		if (!m->raw || m->crc != crc || m->len != z->len || memcmp(m->raw, z->raw, z->len))
			continue;
		z->out = xmalloc(m->outlen);
		memcpy(z->out, m->out, m->outlen);
		z->outlen = m->outlen;
		m->used = ++memo_clock;
		hit = 1;
	}
	pthread_mutex_unlock(&memo_lock);
	return hit;
}

static void memo_put(const struct zstream *z, uLong crc)
{
	pthread_mutex_lock(&memo_lock);
	struct memo *m = &memo[0];
	for (int i = 1; i < MEMO_SLOTS && m->raw; i++)
		if (!memo[i].raw || memo[i].used < m->used)
			m = &memo[i];
	free(m->raw);
	free(m->out);
	m->crc = crc;
	m->len = z->len;
	m->raw = xmalloc(z->len);
	memcpy(m->raw, z->raw, z->len);
	m->out = xmalloc(z->outlen);
	memcpy(m->out, z->out, z->outlen);
	m->outlen = z->outlen;
	m->used = ++memo_clock;
	pthread_mutex_unlock(&memo_lock);
}

void pdfobj_forget(void)
{
	pthread_mutex_lock(&memo_lock);
	for (int i = 0; i < MEMO_SLOTS; i++) {
		free(memo[i].raw);
		free(memo[i].out);
		memset(&memo[i], 0, sizeof(memo[i]));
	}
	pthread_mutex_unlock(&memo_lock);
}

static void deflate_one(void *arg, int i)
{
	struct zstream *z = &((struct zstream *)arg)[i];
	uLong crc = 0;
	if (memo_on && z->len >= MEMO_MIN) {
		crc = crc32(0L, z->raw, (uInt)z->len);
		if (memo_take(z, crc))
			return;
	}
	z->outlen = compressBound((uLong)z->len);
	z->out = xmalloc(z->outlen ? z->outlen : 1);
	if (compress2(z->out, &z->outlen, z->raw, (uLong)z->len, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(z->out);
		z->out = NULL;	/* left to libqpdf */
	} else if (memo_on && z->len >= MEMO_MIN) {
		memo_put(z, crc);
	}
}

/* Deflates v[0, n) on the threads and hands each to libqpdf. */
static void deflate_batch(qpdf_data q, struct zstream *v, int n)
{
	work_run(n, work_threads(), deflate_one, v);
	for (int i = 0; i < n; i++) {
		if (v[i].out)
			qpdf_oh_replace_stream_data(q, v[i].oh, v[i].out, v[i].outlen,
						    qpdf_oh_new_name(q, "/FlateDecode"), qpdf_oh_new_null(q));
		free(v[i].out);
		free(v[i].raw);
	}
}

/* At most this many raw bytes are held at once (a volume's pages hold
 * tens of megabytes). */
#define BATCH_BYTES (8 << 20)

void pdfobj_compress(qpdf_data q)
{
	qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
	int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
	struct zstream *v = NULL;
	int nv = 0, cap = 0;
	size_t held = 0;
	for (int id = 1; id < n; id++) {
		qpdf_oh oh = qpdf_get_object_by_id(q, id, 0);
		if (!qpdf_oh_is_stream(q, oh))
			continue;
		qpdf_oh dict = qpdf_oh_get_dict(q, oh);
		if (qpdf_oh_has_key(q, dict, "/Filter") ||
		    qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Type"), "/Metadata"))
			continue;	/* compressed already; XMP stays readable */
		unsigned char *raw = NULL;
		size_t len = 0;
		QPDF_BOOL filtered = 0;
		if (qpdf_oh_get_stream_data(q, oh, qpdf_dl_none, &filtered, &raw, &len) & QPDF_ERRORS) {
			free(raw);
			continue;
		}
		if (nv == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, (size_t)cap * sizeof(*v));
		}
		v[nv++] = (struct zstream){oh, raw, len, NULL, 0};
		held += len;
		if (held >= BATCH_BYTES) {
			deflate_batch(q, v, nv);
			nv = 0;
			held = 0;
		}
	}
	deflate_batch(q, v, nv);
	free(v);
}
