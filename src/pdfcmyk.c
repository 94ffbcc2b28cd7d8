/* pdfcmyk.c: the print profile's colours (--cmyk), written into cairo's
 * PDF with libqpdf.  cairo writes every colour as RGB (rg, RG, g, G).
 * Each is rewritten in the ink the layout's palette gives its screen
 * value:
 *   - a spot colour as its /Separation (the ink's name, with the CMYK
 *     alternate as its tint transform), at full tint;
 *   - a CMYK build as k / K;
 *   - a colour the palette does not print: a grey on the black plate only
 *     (K = 1 - grey), any other colour by the plain RGB -> CMYK formula
 *     (k = 1 - max(r, g, b), the rest under it), which the layout should
 *     replace by naming the colour with its build.
 * Text is never rich black: a text colour of K 95 % or more prints K 100
 * alone, whatever CMY its build has (misregistered plates would fringe
 * the letters).  Transparency groups blend in DeviceCMYK.  Images keep
 * their RGB (check reports them).  Nothing else changes: the structure,
 * the links and the fonts stay as they are.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "lazylib.h"

/* How one screen colour prints. */
struct ink {
	int spot;		/* index of the spot colour in the document's list, or -1 */
	double cmyk[4];
};

struct convert {
	qpdf_data q;
	const struct yml_palette *palette;
	const struct yml_ink **spots;	/* the spot colours used, in order */
	int nspots;
	int *seen;		/* object ids of streams done */
	int nseen;
};

static int same(double a, double b)
{
	return fabs(a - b) < 0.6 / 255;
}

/* Printer's marks print on every plate. */
static const struct yml_ink registration = {.spot = "All", .cmyk = {1, 1, 1, 1}};

/* The index of spot colour p in the document's list, added if new. */
static int spot_index(struct convert *c, const struct yml_ink *p)
{
	int s = 0;
	while (s < c->nspots && strcmp(c->spots[s]->spot, p->spot))
		s++;
	if (s == c->nspots) {
		c->spots = xrealloc(c->spots, (size_t)(s + 1) * sizeof(*c->spots));
		c->spots[c->nspots++] = p;
	}
	return s;
}

static struct ink ink_of(struct convert *c, double r, double g, double b)
{
	struct ink k = {-1, {0, 0, 0, 0}};
	if (fabs(r - REGISTRATION_R) < 1e-5 && fabs(g - REGISTRATION_G) < 1e-5 &&
	    fabs(b - REGISTRATION_B) < 1e-5) {
		memcpy(k.cmyk, registration.cmyk, sizeof(k.cmyk));
		k.spot = spot_index(c, &registration);
		return k;
	}
	const struct yml_ink *p = yml_palette_printed(c->palette, r, g, b);
	if (p) {
		memcpy(k.cmyk, p->cmyk, sizeof(k.cmyk));
		if (p->spot)
			k.spot = spot_index(c, p);
		return k;
	}
	if (same(r, g) && same(g, b)) {
		k.cmyk[3] = 1 - (r + g + b) / 3;
		return k;
	}
	double max = fmax(r, fmax(g, b));
	k.cmyk[3] = 1 - max;
	if (max > 0) {
		k.cmyk[0] = (max - r) / max;
		k.cmyk[1] = (max - g) / max;
		k.cmyk[2] = (max - b) / max;
	}
	return k;
}

static void put_num(struct sbuf *out, double v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%.4f", v < 0 ? 0 : v > 1 ? 1 : v);
	size_t n = strlen(buf);	/* no trailing zeros: "1", "0.25" */
	while (n > 1 && buf[n - 1] == '0')
		n--;
	if (buf[n - 1] == '.')
		n--;
	sbuf_add(out, buf, n);
}

/* The operators that set the colour of kind (0 fill, 1 stroke). */
static void put_ink(struct sbuf *out, const struct ink *k, int stroke, int text)
{
	if (k->spot >= 0) {
		sbuf_printf(out, "/Spot%d %s 1 %s", k->spot, stroke ? "CS" : "cs", stroke ? "SCN" : "scn");
		return;
	}
	double v[4];
	memcpy(v, k->cmyk, sizeof(v));
	if (text && v[3] >= 0.95)	/* text on the black plate alone */
		v[0] = v[1] = v[2] = 0, v[3] = 1;
	for (int i = 0; i < 4; i++) {
		put_num(out, v[i]);
		sbuf_str(out, " ");
	}
	sbuf_str(out, stroke ? "K" : "k");
}

/* ---- content streams ---- */

struct tok {
	const char *s;
	size_t n;
	int number;
	double value;
};

static int is_white(int c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static int is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

/* The end of the token at p (not white space). */
static const char *token_end(const char *p, const char *end)
{
	if (*p == '(') {	/* a literal string: nested parentheses, escapes */
		int depth = 0;
		for (; p < end; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
		}
		return end;
	}
	if (*p == '<' || *p == '>') {
		if (p + 1 < end && p[1] == *p)
			return p + 2;	/* << or >> */
		if (*p == '>')
			return p + 1;
		const char *close = memchr(p, '>', (size_t)(end - p));
		return close ? close + 1 : end;
	}
	if (*p == '%') {
		while (p < end && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	if (*p == '[' || *p == ']' || *p == '{' || *p == '}')
		return p + 1;
	const char *q = p + 1;	/* a name, number or operator */
	while (q < end && !is_white((unsigned char)*q) && !is_delim((unsigned char)*q))
		q++;
	return q;
}

static int tok_is(const struct tok *t, const char *s)
{
	return t->n == strlen(s) && !memcmp(t->s, s, t->n);
}

/* Rewrites the colour operators of data[0, len) into out.  *spot_used
 * receives whether a spot colour is named. */
static void convert_stream(struct convert *c, const char *data, size_t len, struct sbuf *out,
			   int *spot_used)
{
	const char *p = data, *end = data + len, *copied = data;
	struct tok ops[4];	/* the operands since the last operator, the last 4 */
	int nops = 0, text = 0;
	while (p < end) {
		if (is_white((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *e = token_end(p, end);
		struct tok t = {p, (size_t)(e - p), 0, 0};
		int regular = !is_delim((unsigned char)*p);
		if (regular && (isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.')) {
			char *stop;
			char buf[40];
			size_t n = t.n < sizeof(buf) - 1 ? t.n : sizeof(buf) - 1;
			memcpy(buf, p, n);
			buf[n] = 0;
			t.value = strtod(buf, &stop);
			t.number = *stop == 0;
		}
		p = e;
		if (!regular || t.number) {
			if (nops == 4)
				memmove(ops, ops + 1, 3 * sizeof(*ops)), nops = 3;
			ops[nops++] = t;
			continue;
		}
		/* an operator */
		if (tok_is(&t, "BI")) {	/* an inline image: its data up to EI */
			const char *ei = p;
			while (ei + 2 < end && !(is_white((unsigned char)ei[0]) && ei[1] == 'E' &&
						 ei[2] == 'I' && (ei + 3 == end || is_white((unsigned char)ei[3]))))
				ei++;
			p = ei + 3 < end ? ei + 3 : end;
		} else if (tok_is(&t, "BT")) {
			text = 1;
		} else if (tok_is(&t, "ET")) {
			text = 0;
		}
		int stroke = tok_is(&t, "RG") || tok_is(&t, "G");
		int rgb = tok_is(&t, "rg") || tok_is(&t, "RG");
		int grey = tok_is(&t, "g") || tok_is(&t, "G");
		int want = rgb ? 3 : grey ? 1 : 0;
		int ok = want && nops >= want;
		for (int i = 0; ok && i < want; i++)
			ok = ops[nops - want + i].number;
		if (ok) {
			const struct tok *first = &ops[nops - want];
			double r = first[0].value, g = rgb ? first[1].value : r, b = rgb ? first[2].value : r;
			struct ink k = ink_of(c, r, g, b);
			sbuf_add(out, copied, (size_t)(first->s - copied));
			put_ink(out, &k, stroke, text);
			*spot_used |= k.spot >= 0;
			copied = t.s + t.n;
		}
		nops = 0;
	}
	sbuf_add(out, copied, (size_t)(end - copied));
}

/* The spot colours' colour spaces, /Spot0 ..., into resources res. */
static void add_spaces(struct convert *c, qpdf_oh res)
{
	qpdf_data q = c->q;
	qpdf_oh cs = qpdfl.qpdf_oh_get_key(q, res, "/ColorSpace");
	if (!qpdfl.qpdf_oh_is_dictionary(q, cs)) {
		cs = qpdfl.qpdf_oh_new_dictionary(q);
		qpdfl.qpdf_oh_replace_key(q, res, "/ColorSpace", cs);
	}
	for (int i = 0; i < c->nspots; i++) {
		const struct yml_ink *p = c->spots[i];
		char key[24], *name = xasprintf("/%s", p->spot);
		snprintf(key, sizeof(key), "/Spot%d", i);
		qpdf_oh arr = qpdfl.qpdf_oh_new_array(q);
		qpdfl.qpdf_oh_append_item(q, arr, qpdfl.qpdf_oh_new_name(q, "/Separation"));
		qpdfl.qpdf_oh_append_item(q, arr, qpdfl.qpdf_oh_new_name(q, name));
		qpdfl.qpdf_oh_append_item(q, arr, qpdfl.qpdf_oh_new_name(q, "/DeviceCMYK"));
		struct sbuf fn;
		sbuf_init(&fn);
		sbuf_str(&fn, "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [");
		for (int k = 0; k < 4; k++) {
			sbuf_str(&fn, " ");
			put_num(&fn, p->cmyk[k]);
		}
		sbuf_str(&fn, " ] /N 1 >>");
		qpdfl.qpdf_oh_append_item(q, arr, qpdfl.qpdf_oh_parse(q, fn.s));
		qpdfl.qpdf_oh_replace_key(q, cs, key, arr);
		sbuf_done(&fn);
		free(name);
	}
}

/* A transparency group's blending space: DeviceCMYK. */
static void group_cmyk(qpdf_data q, qpdf_oh dict)
{
	qpdf_oh g = qpdfl.qpdf_oh_get_key(q, dict, "/Group");
	if (qpdfl.qpdf_oh_is_dictionary(q, g) && qpdfl.qpdf_oh_has_key(q, g, "/CS"))
		qpdfl.qpdf_oh_replace_key(q, g, "/CS", qpdfl.qpdf_oh_new_name(q, "/DeviceCMYK"));
}

/* One content stream (a page's, or a form's with its resources res). */
static void convert_content(struct convert *c, qpdf_oh stream, qpdf_oh res)
{
	qpdf_data q = c->q;
	int id = qpdfl.qpdf_oh_get_object_id(q, stream);
	for (int i = 0; i < c->nseen && id; i++)
		if (c->seen[i] == id)
			return;
	if (id) {
		c->seen = xrealloc(c->seen, (size_t)(c->nseen + 1) * sizeof(int));
		c->seen[c->nseen++] = id;
	}
	size_t len = 0;
	unsigned char *buf = pdfobj_stream_data(q, stream, &len);
	if (!buf)
		return;
	struct sbuf out;
	sbuf_init(&out);
	int spot = 0;
	convert_stream(c, (const char *)buf, len, &out, &spot);
	qpdfl.qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out.s, out.len,
				    qpdfl.qpdf_oh_new_null(q), qpdfl.qpdf_oh_new_null(q));
	sbuf_done(&out);
	free(buf);
	if (spot && qpdfl.qpdf_oh_is_dictionary(q, res))
		add_spaces(c, res);
}

/* A form a page draws: its group and its content (a pdfobj_visit). */
static void convert_form(qpdf_data q, qpdf_oh stream, qpdf_oh dict, void *arg)
{
	if (!qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Subtype"), "/Form"))
		return;
	group_cmyk(q, dict);
	convert_content(arg, stream, qpdfl.qpdf_oh_get_key(q, dict, "/Resources"));
}

void pdfcmyk_convert(qpdf_data q, const struct yml_palette *palette)
{
	struct convert c = {q, palette, NULL, 0, NULL, 0};
	int n = qpdfl.qpdf_get_num_pages(q);
	for (int i = 0; i < n; i++) {
		qpdf_oh pg = qpdfl.qpdf_get_page_n(q, (size_t)i);
		group_cmyk(q, pg);
		qpdf_oh res = qpdfl.qpdf_oh_get_key(q, pg, "/Resources");
		qpdf_oh contents = qpdfl.qpdf_oh_get_key(q, pg, "/Contents");
		if (qpdfl.qpdf_oh_is_stream(q, contents)) {
			convert_content(&c, contents, res);
		} else if (qpdfl.qpdf_oh_is_array(q, contents)) {
			for (int k = 0; k < qpdfl.qpdf_oh_get_array_n_items(q, contents); k++)
				convert_content(&c, qpdfl.qpdf_oh_get_array_item(q, contents, k), res);
		}
		pdfobj_each_xobject(q, res, convert_form, &c);
	}
	free(c.spots);
	free(c.seen);
	qpdfl.qpdf_oh_release_all(q);
}
