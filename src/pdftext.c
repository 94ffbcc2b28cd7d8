/* pdftext.c: the fonts' ToUnicode maps, so that copying and searching give
 * the text as written in every reader: a ligature glyph maps to its letters
 * (ff, fi, ffl ...), not to the presentation form U+FB00-FB06 that cairo
 * takes from the font's cmap and that MuPDF and others keep as one
 * character, so "differences" would not be found.  A map is read whole (bfchar and bfrange), repaired, and written back as
 * bfchar entries in place of the old ones; the rest of the CMap (its
 * codespace and names) is kept.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "lazylib.h"

struct tu_entry {
	unsigned code;
	int digits;		/* hex digits of the code: its byte length x 2 */
	int seq;		/* the order read: a later entry for a code wins */
	char dst[64];		/* UTF-16BE in hex, upper case */
};

struct tu_map {
	struct tu_entry *v;
	int n, cap;
};

static void tu_put(struct tu_map *m, unsigned code, int digits, const char *dst, size_t len)
{
	if (len >= sizeof(m->v[0].dst) || len % 4)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->v = xrealloc(m->v, (size_t)m->cap * sizeof(*m->v));
	}
	struct tu_entry *e = &m->v[m->n++];
	e->code = code;
	e->digits = digits;
	e->seq = m->n;
	for (size_t i = 0; i < len; i++)
		e->dst[i] = (char)(dst[i] >= 'a' && dst[i] <= 'f' ? dst[i] - 32 : dst[i]);
	e->dst[len] = 0;
}

/* By code, a later entry for a code in place of an earlier one. */
static int by_code(const void *a, const void *b)
{
	const struct tu_entry *x = a, *y = b;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	return x->seq < y->seq ? -1 : 1;	/* qsort is not stable */
}

static void tu_finish(struct tu_map *m)
{
	qsort(m->v, (size_t)m->n, sizeof(*m->v), by_code);
	int k = 0;
	for (int i = 0; i < m->n; i++) {
		if (k > 0 && m->v[k - 1].code == m->v[i].code)
			k--;	/* the later one wins */
		m->v[k++] = m->v[i];
	}
	m->n = k;
}

static unsigned hexval(const char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		v = v * 16 + (unsigned)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	return v;
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* The next <hex> token from *p (below end): its digits in [*s, *s + *n). */
static int next_hex(const char **p, const char *end, const char **s, size_t *n)
{
	const char *q = *p;
	while (q < end && *q != '<' && *q != '[' && *q != ']' && *q != 'e')
		q++;
	if (q >= end || *q != '<')
		return 0;
	const char *h = ++q;
	while (q < end && is_hex((unsigned char)*q))
		q++;
	if (q >= end || *q != '>')
		return 0;
	*s = h;
	*n = (size_t)(q - h);
	*p = q + 1;
	return 1;
}

/* Adds k to the last UTF-16 unit of hex string h (n digits) into out. */
static void hex_add(const char *h, size_t n, unsigned k, char *out)
{
	memcpy(out, h, n);
	out[n] = 0;
	if (n < 4)
		return;
	unsigned last = (unsigned)strtoul(out + n - 4, NULL, 16) + k;
	snprintf(out + n - 4, 5, "%04X", last & 0xFFFF);
}

/* The entries of every bfchar and bfrange block of a CMap. */
static void tu_read(const char *s, size_t len, struct tu_map *m)
{
	const char *end = s + len;
	for (const char *p = s; p < end;) {
		const char *c = memmem(p, (size_t)(end - p), "beginbf", 7);
		if (!c)
			break;
		int range = (size_t)(end - c) >= 12 && !memcmp(c, "beginbfrange", 12);
		const char *stop = memmem(c, (size_t)(end - c), range ? "endbfrange" : "endbfchar",
					  range ? 10 : 9);
		if (!stop)
			break;
		p = c + (range ? 12 : 11);
		const char *a, *b, *d;
		size_t na, nb, nd;
		while (p < stop) {
			if (!next_hex(&p, stop, &a, &na))
				break;
			unsigned lo = hexval(a, na);
			if (!range) {
				if (!next_hex(&p, stop, &d, &nd))
					break;
				tu_put(m, lo, (int)na, d, nd);
				continue;
			}
			if (!next_hex(&p, stop, &b, &nb))
				break;
			unsigned hi = hexval(b, nb);
			while (p < stop && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
				p++;
			if (hi < lo || hi - lo > 65535)
				break;
			if (p < stop && *p == '[') {
				for (unsigned k = lo; k <= hi; k++) {
					if (!next_hex(&p, stop, &d, &nd))
						break;
					tu_put(m, k, (int)na, d, nd);
				}
				const char *close = memchr(p, ']', (size_t)(stop - p));
				p = close ? close + 1 : stop;
			} else if (next_hex(&p, stop, &d, &nd) && nd < 60) {
				for (unsigned k = lo; k <= hi; k++) {
					char dst[64];
					hex_add(d, nd, k - lo, dst);
					tu_put(m, k, (int)na, dst, nd);
				}
			}
		}
		p = stop;
	}
	tu_finish(m);
}

/* The presentation-form ligatures, as their letters. */
static const char *ligature_letters(const char *dst)
{
	static const struct {
		const char *form, *letters;
	} forms[] = {
		{"FB00", "00660066"}, {"FB01", "00660069"}, {"FB02", "0066006C"},
		{"FB03", "006600660069"}, {"FB04", "00660066006C"}, {"FB05", "017F0074"},
		{"FB06", "00730074"},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(dst, forms[i].form))
			return forms[i].letters;
	return NULL;
}

/* The CMap s[0, len) with its bf blocks replaced by m's entries. */
static void tu_write(const char *s, size_t len, const struct tu_map *m, struct sbuf *out)
{
	const char *end = s + len, *p = s;
	const char *at = NULL;	/* where the first bf block was */
	while (p < end) {
		const char *c = memmem(p, (size_t)(end - p), "beginbf", 7);
		if (!c)
			break;
		/* the count before "beginbf..." belongs to the block */
		const char *start = c;
		while (start > p && (start[-1] == ' ' || start[-1] == '\n' || start[-1] == '\r'))
			start--;
		while (start > p && start[-1] >= '0' && start[-1] <= '9')
			start--;
		int range = (size_t)(end - c) >= 12 && !memcmp(c, "beginbfrange", 12);
		const char *stop = memmem(c, (size_t)(end - c), range ? "endbfrange" : "endbfchar",
					  range ? 10 : 9);
		if (!stop)
			break;
		sbuf_add(out, p, (size_t)(start - p));
		if (!at) {
			at = start;
			for (int i = 0; i < m->n; i += 100) {
				int k = m->n - i < 100 ? m->n - i : 100;
				sbuf_printf(out, "%d beginbfchar\n", k);
				for (int j = i; j < i + k; j++)
					sbuf_printf(out, "<%0*X> <%s>\n", m->v[j].digits, m->v[j].code,
						    m->v[j].dst);
				sbuf_str(out, "endbfchar\n");
			}
		}
		p = stop + (range ? 10 : 9);
	}
	sbuf_add(out, p, (size_t)(end - p));
}

/* Each font of the document once, by object id, with its resources'
 * forms searched too: fn(font) for each. */
struct font_walk {
	int *seen;
	int nseen;
	void (*fn)(qpdf_data q, qpdf_oh font, void *arg);
	void *arg;
};

static void walk_resources(qpdf_data q, qpdf_oh res, struct font_walk *w, int depth);

static void walk_dict(qpdf_data q, qpdf_oh dict, struct font_walk *w, int fonts, int depth)
{
	if (!qpdfl.qpdf_oh_is_dictionary(q, dict))
		return;
	int n = 0;
	char **keys = pdfobj_keys(q, dict, &n);
	for (int i = 0; i < n; i++) {
		qpdf_oh v = qpdfl.qpdf_oh_get_key(q, dict, keys[i]);
		int id = qpdfl.qpdf_oh_get_object_id(q, v), dup = 0;
		for (int k = 0; k < w->nseen && id; k++)
			dup |= w->seen[k] == id;
		free(keys[i]);
		if (dup)
			continue;
		if (id) {
			w->seen = xrealloc(w->seen, (size_t)(w->nseen + 1) * sizeof(int));
			w->seen[w->nseen++] = id;
		}
		if (fonts) {
			w->fn(q, v, w->arg);
		} else {
			qpdf_oh d = qpdfl.qpdf_oh_is_stream(q, v) ? qpdfl.qpdf_oh_get_dict(q, v) : v;
			if (qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, d, "/Subtype"), "/Form"))
				walk_resources(q, qpdfl.qpdf_oh_get_key(q, d, "/Resources"), w, depth + 1);
		}
	}
	free(keys);
}

static void walk_resources(qpdf_data q, qpdf_oh res, struct font_walk *w, int depth)
{
	if (depth > 16 || !qpdfl.qpdf_oh_is_dictionary(q, res))
		return;
	walk_dict(q, qpdfl.qpdf_oh_get_key(q, res, "/Font"), w, 1, depth);
	walk_dict(q, qpdfl.qpdf_oh_get_key(q, res, "/XObject"), w, 0, depth);
}

static void each_font(qpdf_data q, void (*fn)(qpdf_data, qpdf_oh, void *), void *arg)
{
	struct font_walk w = {NULL, 0, fn, arg};
	int n = qpdfl.qpdf_get_num_pages(q);
	for (int i = 0; i < n; i++)
		walk_resources(q, qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_page_n(q, (size_t)i), "/Resources"), &w, 0);
	free(w.seen);
}

/* A font's ToUnicode CMap, decoded (caller frees), its stream into *tu;
 * NULL if it has none that decodes. */
static unsigned char *tounicode(qpdf_data q, qpdf_oh font, qpdf_oh *tu, size_t *len)
{
	*tu = qpdfl.qpdf_oh_get_key(q, font, "/ToUnicode");
	return pdfobj_stream_data(q, *tu, len);
}

/* ---- the repair ---- */

static void repair_font(qpdf_data q, qpdf_oh font, void *arg)
{
	(void)arg;
	qpdf_oh tu;
	size_t len;
	unsigned char *buf = tounicode(q, font, &tu, &len);
	if (!buf)
		return;
	struct tu_map m = {0};
	tu_read((const char *)buf, len, &m);
	int changed = 0;
	for (int i = 0; i < m.n; i++) {
		const char *letters = ligature_letters(m.v[i].dst);
		if (letters) {
			strcpy(m.v[i].dst, letters);
			changed = 1;
		}
	}
	if (changed) {
		struct sbuf out;
		sbuf_init(&out);
		tu_write((const char *)buf, len, &m, &out);
		qpdfl.qpdf_oh_replace_stream_data(q, tu, (const unsigned char *)out.s, out.len,
					    qpdfl.qpdf_oh_new_null(q), qpdfl.qpdf_oh_new_null(q));
		sbuf_done(&out);
	}
	free(m.v);
	free(buf);
}

void pdftext_repair(qpdf_data q)
{
	each_font(q, repair_font, NULL);
	qpdfl.qpdf_oh_release_all(q);
}
