/* pdfobj.c: what every libqpdf pass over the written PDF needs
 * (pdfstd.c, pdfcmyk.c, pdftags.c, pdftext.c) does, in one place: a
 * dictionary's keys, a stream's data, the XObjects a page draws; and
 * the streams compressed on every core before libqpdf writes them.
 *
 * cairo 1.16 deflates the font programs (and images) it writes itself, at
 * zlib's default level, on the thread that finishes the surface: 9 of the
 * reference issue's 12 ms in cairo_surface_finish, with the other core
 * idle.  While pdfobj_store_only is on, zlib's deflateInit_, as cairo calls
 * it on that thread, stores (level 0) instead: cairo's streams come out
 * deflated but not compressed (a stored first block), and are compressed
 * here, at that same default level, on every core — the font programs
 * while the libqpdf passes run (pdfobj_fonts_start), the rest with the
 * other streams (pdfobj_compress).  zlib's output does not depend on how
 * its input came in pieces, so the bytes are the ones cairo wrote.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bulletin.h"
#include "lazylib.h"

char **pdfobj_keys(qpdf_data q, qpdf_oh dict, int *n)
{
	char **keys = NULL;
	*n = 0;
	if (!qpdfl.qpdf_oh_is_dictionary(q, dict))
		return NULL;
	qpdfl.qpdf_oh_begin_dict_key_iter(q, dict);
	while (qpdfl.qpdf_oh_dict_more_keys(q)) {
		keys = xrealloc(keys, (size_t)(*n + 1) * sizeof(*keys));
		keys[(*n)++] = xstrdup(qpdfl.qpdf_oh_dict_next_key(q));
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
	if (!qpdfl.qpdf_oh_is_stream(q, stream) ||
	    (qpdfl.qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, len) &
	     QPDF_ERRORS) || !filtered) {
		free(buf);
		*len = 0;
		return NULL;
	}
	return buf;
}

static void each_xobject(qpdf_data q, qpdf_oh resources, pdfobj_visit fn, void *arg, int depth)
{
	qpdf_oh xo = qpdfl.qpdf_oh_get_key(q, resources, "/XObject");
	if (depth > 16 || !qpdfl.qpdf_oh_is_dictionary(q, xo))
		return;
	int n = 0;
	char **keys = pdfobj_keys(q, xo, &n);
	for (int i = 0; i < n; i++) {
		qpdf_oh stream = qpdfl.qpdf_oh_get_key(q, xo, keys[i]);
		qpdf_oh dict = qpdfl.qpdf_oh_get_dict(q, stream);
		fn(q, stream, dict, arg);
		if (qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Subtype"), "/Form"))
			each_xobject(q, qpdfl.qpdf_oh_get_key(q, dict, "/Resources"), fn, arg, depth + 1);
	}
	pdfobj_keys_free(keys, n);
}

void pdfobj_each_xobject(qpdf_data q, qpdf_oh resources, pdfobj_visit fn, void *arg)
{
	each_xobject(q, resources, fn, arg, 0);
}

static _Thread_local int store_only;

void pdfobj_store_only(int on)
{
	store_only = on;
}

typedef int (*deflate_init_fn)(z_streamp strm, int level, const char *version, int stream_size);
static deflate_init_fn zlib_deflate_init;
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;

static void zlib_find(void)
{
	zlib_deflate_init = (deflate_init_fn)dlsym(RTLD_NEXT, "deflateInit_");
}

/* zlib's deflateInit_ (deflateInit is a macro for it), for every caller
 * in the process: zlib's own, at level 0 on a thread in store_only. */
int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
	pthread_once(&zlib_once, zlib_find);
	if (!zlib_deflate_init)
		return Z_VERSION_ERROR;
	return zlib_deflate_init(strm, store_only ? Z_NO_COMPRESSION : level, version,
				 stream_size);
}

/* Whether raw, a FlateDecode stream's bytes, begins with a stored block:
 * written in store_only (no compressor that compresses begins so). */
static int flate_stored(const unsigned char *raw, size_t len)
{
	return len >= 3 && (raw[0] & 0x0f) == 8 && ((raw[0] << 8) | raw[1]) % 31 == 0 &&
	       !(raw[1] & 0x20) && (raw[2] & 0x06) == 0;
}

/* A stream to compress (object id), its raw bytes in (stored: a stored
 * Flate stream, inflated first), the deflated ones out. */
struct zstream {
	int id;
	unsigned char *raw;
	size_t len;
	unsigned char *out;
	uLongf outlen;
	int stored;
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

/* z's stored Flate bytes inflated in place; -1 if they do not inflate
 * (the stream is left as it is). */
static int inflate_stored(struct zstream *z)
{
	uLongf len = (uLongf)z->len;	/* stored: no more data than bytes */
	unsigned char *data = xmalloc(z->len);
	if (uncompress(data, &len, z->raw, (uLong)z->len) != Z_OK) {
		free(data);
		return -1;
	}
	free(z->raw);
	z->raw = data;
	z->len = len;
	return 0;
}

static void deflate_one(void *arg, int i)
{
	struct zstream *z = &((struct zstream *)arg)[i];
	if (z->stored && inflate_stored(z) < 0)
		return;
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

/* Hands v[0, n), deflated, to libqpdf and frees them. */
static void deflated_put(qpdf_data q, struct zstream *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (v[i].out)
			qpdfl.qpdf_oh_replace_stream_data(q, qpdfl.qpdf_get_object_by_id(q, v[i].id, 0), v[i].out,
						    v[i].outlen, qpdfl.qpdf_oh_new_name(q, "/FlateDecode"),
						    qpdfl.qpdf_oh_new_null(q));
		free(v[i].out);
		free(v[i].raw);
	}
}

/* Streams by their raw bytes, the most first: the largest, begun first,
 * is not left to the end (the order changes no byte). */
static int longer(const void *a, const void *b)
{
	const struct zstream *x = a, *y = b;
	return x->len != y->len ? (x->len < y->len ? 1 : -1) : x->id - y->id;
}

/* Deflates v[0, n) on the threads and hands each to libqpdf. */
static void deflate_batch(qpdf_data q, struct zstream *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), longer);
	work_run(n, work_threads(), deflate_one, v);
	deflated_put(q, v, n);
}

/* What stream id of q is to pdfobj_compress: 0 nothing (compressed, the
 * XMP metadata, not a stream), 1 to deflate, 2 stored, to inflate and
 * deflate; with its raw bytes. */
static int to_compress(qpdf_data q, int id, unsigned char **raw, size_t *len)
{
	*raw = NULL;
	*len = 0;
	qpdf_oh oh = qpdfl.qpdf_get_object_by_id(q, id, 0);
	if (!qpdfl.qpdf_oh_is_stream(q, oh))
		return 0;
	qpdf_oh dict = qpdfl.qpdf_oh_get_dict(q, oh);
	int kind;
	if (!qpdfl.qpdf_oh_has_key(q, dict, "/Filter"))
		kind = 1;
	else if (qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Filter"), "/FlateDecode") &&
		 !qpdfl.qpdf_oh_has_key(q, dict, "/DecodeParms"))
		kind = 2;
	else
		return 0;
	if (qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Type"), "/Metadata"))
		return 0;	/* XMP stays readable */
	QPDF_BOOL filtered = 0;
	if ((qpdfl.qpdf_oh_get_stream_data(q, oh, qpdf_dl_none, &filtered, raw, len) & QPDF_ERRORS) ||
	    (kind == 2 && !flate_stored(*raw, *len))) {
		free(*raw);
		*raw = NULL;
		return 0;
	}
	return kind;
}

/* Adds stream id to v (*n of them, room for *cap) if it is to be
 * compressed (to_compress); its raw bytes' length, or 0. */
static size_t stream_add(qpdf_data q, int id, struct zstream **v, int *n, int *cap)
{
	unsigned char *raw;
	size_t len;
	int kind = to_compress(q, id, &raw, &len);
	if (kind == 0) {
		free(raw);
		return 0;
	}
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = xrealloc(*v, (size_t)*cap * sizeof(**v));
	}
	(*v)[(*n)++] = (struct zstream){id, raw, len, NULL, 0, kind == 2};
	return len;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The streams to compress of q in [from, to), up to most raw bytes; not
 * those of skip[0, nskip) (sorted). */
static struct zstream *streams(qpdf_data q, int *from, int to, size_t most, const int *skip,
			       int nskip, int *n)
{
	struct zstream *v = NULL;
	int cap = 0;
	size_t held = 0;
	*n = 0;
	for (; *from < to && held < most; ++*from)
		if (!bsearch(from, skip, (size_t)nskip, sizeof(*skip), cmp_int))
			held += stream_add(q, *from, &v, n, &cap);
	return v;
}

/* ---- the fonts the pages draw ---- */

/* An int added to v (*n of them, room for *cap) unless there: 0; else 1. */
static int id_seen(int **v, int *n, int *cap, int id)
{
	for (int k = 0; k < *n; k++)
		if ((*v)[k] == id)
			return 1;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = xrealloc(*v, (size_t)*cap * sizeof(**v));
	}
	(*v)[(*n)++] = id;
	return 0;
}

/* Each font dictionary the pages' and their forms' /Font resources name,
 * once: fn(q, font, its descendant (itself if none), its descriptor). */
typedef void (*font_visit)(qpdf_data q, qpdf_oh font, qpdf_oh cid, qpdf_oh desc, void *arg);

struct font_walk {
	font_visit fn;
	void *arg;
	int *seen, n, cap;	/* the fonts' object ids */
};

static void walk_fonts(qpdf_data q, qpdf_oh resources, struct font_walk *w)
{
	qpdf_oh fonts = qpdfl.qpdf_oh_get_key(q, resources, "/Font");
	int nkeys;
	char **keys = pdfobj_keys(q, fonts, &nkeys);
	for (int i = 0; i < nkeys; i++) {
		qpdf_oh font = qpdfl.qpdf_oh_get_key(q, fonts, keys[i]);
		int id = qpdfl.qpdf_oh_get_object_id(q, font);
		if (id <= 0 || !qpdfl.qpdf_oh_is_dictionary(q, font) || id_seen(&w->seen, &w->n, &w->cap, id))
			continue;
		qpdf_oh cid = font;
		if (qpdfl.qpdf_oh_is_array(q, qpdfl.qpdf_oh_get_key(q, font, "/DescendantFonts")))
			cid = qpdfl.qpdf_oh_get_array_item(q, qpdfl.qpdf_oh_get_key(q, font, "/DescendantFonts"), 0);
		w->fn(q, font, cid, qpdfl.qpdf_oh_get_key(q, cid, "/FontDescriptor"), w->arg);
	}
	pdfobj_keys_free(keys, nkeys);
}

static void form_fonts(qpdf_data q, qpdf_oh stream, qpdf_oh dict, void *arg)
{
	(void)stream;
	walk_fonts(q, qpdfl.qpdf_oh_get_key(q, dict, "/Resources"), arg);
}

/* Found from the pages, not by a walk over every object: that would have
 * libqpdf parse the whole file at once. */
static void each_font(qpdf_data q, font_visit fn, void *arg)
{
	struct font_walk w = {fn, arg, NULL, 0, 0};
	int npages = qpdfl.qpdf_get_num_pages(q);
	for (int i = 0; i < npages; i++) {
		qpdf_oh res = qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_page_n(q, (size_t)i), "/Resources");
		walk_fonts(q, res, &w);
		pdfobj_each_xobject(q, res, form_fonts, &w);
	}
	free(w.seen);
}

static const char *const font_files[] = {"/FontFile", "/FontFile2", "/FontFile3"};

static int object_count(qpdf_data q)
{
	qpdf_oh size = qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_trailer(q), "/Size");
	return qpdfl.qpdf_oh_is_integer(q, size) ? qpdfl.qpdf_oh_get_int_value_as_int(q, size) : 0;
}

/* ---- subset tags ---- */

/* Whether name (a PDF name, "/" first) has a subset tag: "/ABCDEF+". */
static int tagged(const char *name)
{
	if (!name || name[0] != '/' || strlen(name) < 9 || name[7] != '+')
		return 0;
	for (int i = 1; i < 7; i++)
		if (name[i] < 'A' || name[i] > 'Z')
			return 0;
	return 1;
}

/* name's tag replaced by tag (6 letters) in dict's key, if it has one. */
static void retag(qpdf_data q, qpdf_oh dict, const char *key, const char *tag)
{
	qpdf_oh v = qpdfl.qpdf_oh_get_key(q, dict, key);
	if (!qpdfl.qpdf_oh_is_name(q, v))
		return;
	char *name = xstrdup(qpdfl.qpdf_oh_get_name(q, v));
	if (tagged(name)) {
		memcpy(name + 1, tag, 6);
		qpdfl.qpdf_oh_replace_key(q, dict, key, qpdfl.qpdf_oh_new_name(q, name));
	}
	free(name);
}

/* The font programs of a PDF, read once: each font's tag is made from
 * them, the stored ones are deflated while libqpdf's other passes run,
 * and pdfobj_compress passes over them all. */
struct pdfobj_fonts {
	int *ids, n, cap;	/* every font program's object id */
	uLong *crc;		/* its raw bytes' CRC-32 */
	z_off_t *len;		/* and their length */
	struct zstream *v;	/* the stored ones, to deflate */
	int nv, capv;
	struct work_async *work;
};

/* The index of font program file in f, read when new. */
static int font_program(qpdf_data q, qpdf_oh file, struct pdfobj_fonts *f)
{
	int id = qpdfl.qpdf_oh_get_object_id(q, file);
	for (int k = 0; k < f->n; k++)
		if (f->ids[k] == id)
			return k;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->ids = xrealloc(f->ids, (size_t)f->cap * sizeof(*f->ids));
		f->crc = xrealloc(f->crc, (size_t)f->cap * sizeof(*f->crc));
		f->len = xrealloc(f->len, (size_t)f->cap * sizeof(*f->len));
	}
	unsigned char *raw = NULL;
	size_t len = 0;
	QPDF_BOOL filtered = 0;
	if (qpdfl.qpdf_oh_get_stream_data(q, file, qpdf_dl_none, &filtered, &raw, &len) & QPDF_ERRORS)
		len = 0;
	f->ids[f->n] = id;
	f->crc[f->n] = crc32_z(0L, raw, len);
	f->len[f->n] = (z_off_t)len;
	qpdf_oh dict = qpdfl.qpdf_oh_get_dict(q, file);
	if (qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Filter"),
					     "/FlateDecode") &&
	    !qpdfl.qpdf_oh_has_key(q, dict, "/DecodeParms") && flate_stored(raw, len)) {
		if (f->nv == f->capv) {
			f->capv = f->capv ? 2 * f->capv : 16;
			f->v = xrealloc(f->v, (size_t)f->capv * sizeof(*f->v));
		}
		f->v[f->nv++] = (struct zstream){id, raw, len, NULL, 0, 1};
	} else {
		free(raw);
	}
	return f->n++;
}

/* A font's programs noted in arg (struct pdfobj_fonts), and its tag made
 * from them and its name. */
static void font_start(qpdf_data q, qpdf_oh font, qpdf_oh cid, qpdf_oh desc, void *arg)
{
	struct pdfobj_fonts *f = arg;
	qpdf_oh name = qpdfl.qpdf_oh_get_key(q, desc, "/FontName");
	int tag_it = qpdfl.qpdf_oh_is_name(q, name) && tagged(qpdfl.qpdf_oh_get_name(q, name));
	const char *base = tag_it ? qpdfl.qpdf_oh_get_name(q, name) + 8 : "";
	uLong h = crc32(0L, (const Bytef *)base, (uInt)strlen(base));
	for (int i = 0; i < 3; i++) {
		qpdf_oh file = qpdfl.qpdf_oh_get_key(q, desc, font_files[i]);
		if (!qpdfl.qpdf_oh_is_stream(q, file))
			continue;
		int k = font_program(q, file, f);
		h = crc32_combine(h, f->crc[k], f->len[k]);	/* as if read after the name */
	}
	if (!tag_it)
		return;
	char tag[7];
	for (int c = 0; c < 6; c++, h /= 26)
		tag[c] = (char)('A' + h % 26);
	tag[6] = 0;
	retag(q, font, "/BaseFont", tag);
	if (cid != font)
		retag(q, cid, "/BaseFont", tag);
	retag(q, desc, "/FontName", tag);
}

struct pdfobj_fonts *pdfobj_fonts_start(qpdf_data q)
{
	struct pdfobj_fonts *f = xcalloc(1, sizeof(*f));
	each_font(q, font_start, f);
	qsort(f->ids, (size_t)f->n, sizeof(*f->ids), cmp_int);	/* for pdfobj_compress */
	qsort(f->v, (size_t)f->nv, sizeof(*f->v), longer);
	f->work = work_start(f->nv, work_threads() - 1, deflate_one, f->v);
	return f;
}

void pdfobj_fonts_free(struct pdfobj_fonts *f)
{
	if (!f)
		return;
	work_wait(f->work);
	for (int i = 0; i < f->nv; i++) {
		free(f->v[i].out);
		free(f->v[i].raw);
	}
	free(f->v);
	free(f->ids);
	free(f->crc);
	free(f->len);
	free(f);
}

/* At most this many raw bytes are held at once (a volume's pages hold
 * tens of megabytes). */
#define BATCH_BYTES (8 << 20)

void pdfobj_compress(qpdf_data q, struct pdfobj_fonts *fonts)
{
	if (fonts) {
		work_wait(fonts->work);
		fonts->work = NULL;
		deflated_put(q, fonts->v, fonts->nv);
		fonts->nv = 0;
	}
	int n = object_count(q);
	for (int from = 1; from < n;) {	/* the font programs are done */
		int nv;
		struct zstream *v = streams(q, &from, n, BATCH_BYTES, fonts ? fonts->ids : NULL,
					    fonts ? fonts->n : 0, &nv);
		deflate_batch(q, v, nv);
		free(v);
	}
	pdfobj_fonts_free(fonts);
}
