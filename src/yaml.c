/* yaml.c: schema-checked YAML mappings -> C structs, on libfyaml.
 *
 * Terms.  A schema is a table of fields; a field names a key, the type of
 * its value and where the value goes (an offset from a base pointer).  A
 * document is read over a struct: only the keys present are written, so
 * reading a second document over the same struct merges it.  Marks remember
 * where each stored value came from, for later messages and for yml_require.
 *
 * Positions.  libfyaml's marks are 0-based lines and columns (columns in
 * characters); its diagnostics are 1-based.  Ours are 1-based, with the
 * document's first_line added so that a YAML block embedded in a larger file
 * (the front matter) reports lines of that file.  libfyaml never
 * prints: its diagnostics are collected and turned into ours. */
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

struct yml_doc {
	char *file;
	char *text;			/* our copy; libfyaml may point into it */
	size_t len;
	int first_line;
	struct fy_parser *fyp;
	struct fy_document *fyd;	/* NULL for an empty stream */
};

/* ---- string maps and marks ---- */

const char *yml_strmap_lookup(const struct yml_strmap *m, const char *key)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->values[i];
	return NULL;
}

void yml_strmap_done(struct yml_strmap *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
		free(m->files[i]);
	}
	free(m->keys);
	free(m->values);
	free(m->files);
	free(m->lines);
	free(m->cols);
	memset(m, 0, sizeof(*m));
}

/* Sets key to value (taking ownership of value), replacing the value of an
 * earlier document: the first nold keys (a document's own keys are unique,
 * so they are not searched, which keeps a long mapping linear). */
static void strmap_set(struct yml_strmap *m, int nold, const char *key, char *value,
		       const char *file, int line, int col)
{
	int i;
	for (i = 0; i < nold && i < m->n; i++)
		if (strcmp(m->keys[i], key) == 0)
			break;
	if (i == nold || i == m->n) {
		i = m->n++;
		size_t n = (size_t)m->n;
		m->keys = xrealloc(m->keys, n * sizeof(*m->keys));
		m->values = xrealloc(m->values, n * sizeof(*m->values));
		m->files = xrealloc(m->files, n * sizeof(*m->files));
		m->lines = xrealloc(m->lines, n * sizeof(*m->lines));
		m->cols = xrealloc(m->cols, n * sizeof(*m->cols));
		m->keys[i] = xstrdup(key);
	} else {
		free(m->values[i]);
		free(m->files[i]);
	}
	m->values[i] = value;
	m->files[i] = xstrdup(file);
	m->lines[i] = line;
	m->cols[i] = col;
}

static const char *marks_file(struct yml_marks *m, const char *file)
{
	for (int i = m->nfiles - 1; i >= 0; i--)
		if (strcmp(m->files[i], file) == 0)
			return m->files[i];
	m->files = xrealloc(m->files, (size_t)(m->nfiles + 1) * sizeof(*m->files));
	m->files[m->nfiles] = xstrdup(file);
	return m->files[m->nfiles++];
}

/* Marks are found through a hash of their address (open addressing, each
 * slot the latest mark of one address, which links to the earlier ones):
 * a layout of thousands of cover elements stays linear. */
static size_t addr_hash(const void *addr, int nslots)
{
	uint64_t h = (uint64_t)(uintptr_t)addr * 0x9e3779b97f4a7c15u;
	return (size_t)(h >> 32) & (size_t)(nslots - 1);
}

/* The slot of addr: its own, or the empty one where it would go. */
static int *marks_slot(const struct yml_marks *m, const void *addr)
{
	size_t i = addr_hash(addr, m->nslots);
	while (m->slots[i] >= 0 && m->v[m->slots[i]].addr != addr)
		i = (i + 1) & (size_t)(m->nslots - 1);
	return &m->slots[i];
}

static void marks_rehash(struct yml_marks *m)
{
	m->slots = slots_grow(m->slots, &m->nslots, 128);
	for (int i = 0; i < m->n; i++)	/* in order: the latest ends in the slot */
		*marks_slot(m, m->v[i].addr) = i;
}

static void marks_add(struct yml_marks *m, const void *addr, const struct yml_field *f,
		      const char *file, int line, int col)
{
	if (!m)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xrealloc(m->v, (size_t)m->cap * sizeof(*m->v));
	}
	if (2 * (m->n + 1) > m->nslots)
		marks_rehash(m);
	int *slot = marks_slot(m, addr);
	struct yml_mark *k = &m->v[m->n];
	k->addr = addr;
	k->field = f;
	k->file = marks_file(m, file);
	k->line = line;
	k->col = col;
	k->prev = *slot;
	*slot = m->n++;
}

/* The latest mark of addr that is of field f, or (f NULL) not of a mapping. */
static const struct yml_mark *marks_find(const struct yml_marks *m, const void *addr,
					 const struct yml_field *f)
{
	if (!m || !m->nslots)
		return NULL;
	for (int i = *marks_slot(m, addr); i >= 0; i = m->v[i].prev)
		if (f ? m->v[i].field == f : m->v[i].field->type != YML_MAP)
			return &m->v[i];
	return NULL;
}

const struct yml_mark *yml_marks_lookup(const struct yml_marks *m, const void *addr)
{
	return marks_find(m, addr, NULL);
}

const struct yml_mark *yml_marks_lookup_key(const struct yml_marks *m, const void *addr,
					    const char *key)
{
	if (!m || !m->nslots)
		return NULL;
	for (int i = *marks_slot(m, addr); i >= 0; i = m->v[i].prev)
		if (m->v[i].field->key && !strcmp(m->v[i].field->key, key) &&
		    m->v[i].field->type != YML_MAP)
			return &m->v[i];
	return NULL;
}

/* The mark of a nested mapping: sub-structs may share an address with their
 * first member or with each other, so the field tells them apart. */
static const struct yml_mark *marks_find_map(const struct yml_marks *m, const void *addr,
					     const struct yml_field *f)
{
	return marks_find(m, addr, f);
}

void yml_marks_done(struct yml_marks *m)
{
	for (int i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	free(m->v);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ---- suggestions ---- */

const char *yml_suggest(const struct yml_schema *s, const char *key)
{
	const char *cand[128];
	int n = 0;
	for (const struct yml_field *f = s->fields; f->key && n < 128; f++)
		cand[n++] = f->key;
	return name_nearest(key, cand, n);
}

/* ---- parsing a document ---- */

/* Line k (1-based) of text as [*start, *start + *n), without its newline;
 * 0 if text has no line k. */
static int text_line(const char *text, size_t len, int k, const char **start, size_t *n)
{
	const char *p = text, *end = text + len;
	for (int l = 1; l < k; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return 0;
		p++;
	}
	if (k < 1 || (p == end && k > 1))
		return 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*start = p;
	*n = (size_t)((nl ? nl : end) - p);
	if (*n && p[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* Leading spaces of a line; -1 for a blank or comment-only line. */
static int line_indent(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	return i == n || s[i] == '#' ? -1 : (int)i;
}

/* The character column (1-based) of byte offset off in a line. */
static int line_col(const char *s, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; col++)
		i += (size_t)utf8_seq_len(s + i, off - i) ? (size_t)utf8_seq_len(s + i, off - i) : 1;
	return col;
}

/* The offset in s[0, n) of a '#' that begins a comment inside a flow
 * collection ({ or [ open before it, outside quotes) and is followed by a
 * hex colour; (size_t)-1 if none.  *hex receives the colour's length. */
static size_t flow_comment_color(const char *s, size_t n, size_t *hex)
{
	int depth = 0;
	char quote = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			size_t k = i + 1;
			while (k < n && strchr("0123456789abcdefABCDEF", s[k]) && s[k])
				k++;
			size_t digits = k - i - 1;
			if (depth > 0 && (digits == 3 || digits == 6 || digits == 8) &&
			    (k == n || !((s[k] >= '0' && s[k] <= '9') || ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z')))) {
				*hex = k - i;
				return i;
			}
			return (size_t)-1;	/* a comment: the rest of the line is not YAML */
		}
	}
	return (size_t)-1;
}

/* libfyaml's message for three common slips, said as what the editor did,
 * at the place where it was done: a key indented under the one above ("invalid
 * multiline plain key"), a full-width colon ("could not find expected ':'",
 * or "invalid value after mapping" when it ends the mapping),
 * an unquoted '#' colour in a flow mapping, which YAML reads as a comment
 * ("did not find expected node content" and kin, lines later).  *line and
 * *col (1-based, in text) are moved to that place.  Returns the message and
 * sets *hint (both new), or returns NULL when msg is none of these. */
static char *fy_explain(const char *text, size_t len, const char *msg, int *line, int *col,
			char **hint)
{
	const char *s, *t;
	size_t n, m;
	*hint = NULL;
	if (!strcmp(msg, "invalid multiline plain key") && text_line(text, len, *line, &s, &n)) {
		int base = line_indent(s, n);
		for (int k = *line + 1; base >= 0 && text_line(text, len, k, &t, &m); k++) {
			int ind = line_indent(t, m);
			if (ind < 0)
				continue;
			if (ind <= base)
				break;
			size_t kl = 0;
			while ((size_t)ind + kl < m && t[ind + kl] != ':' && t[ind + kl] != ' ')
				kl++;
			char *key = excerpt(t + ind, kl, EXCERPT_CHARS);
			char *above = excerpt(s + base, n - (size_t)base, EXCERPT_CHARS);
			char *out = xasprintf("YAML: '%s' is indented under '%s', so it reads as part "
					      "of that value, not as a key", key, above);
			*hint = xasprintf("start '%s' in column %d, as the key above", key, base + 1);
			free(key);
			free(above);
			*line = k;
			*col = ind + 1;
			return out;
		}
		return NULL;
	}
	if (!strcmp(msg, "could not find expected ':'") || !strcmp(msg, "invalid value after mapping")) {
		for (int k = *line; k <= *line + 1; k++) {
			if (!text_line(text, len, k, &s, &n))
				continue;
			const char *fw = memmem(s, n, "\xef\xbc\x9a", 3);	/* U+FF1A */
			if (!fw)
				continue;
			int ind = line_indent(s, n);
			char *key = excerpt(s + (ind > 0 ? ind : 0), (size_t)(fw - s) - (size_t)(ind > 0 ? ind : 0), EXCERPT_CHARS);
			const char *rest = fw + 3;
			while (rest < s + n && *rest == ' ')
				rest++;
			char *val = excerpt(rest, (size_t)(s + n - rest), EXCERPT_CHARS);
			char *out = xasprintf("YAML: a full-width colon '：' after '%s'; a key ends with "
					      "':' (ASCII) and a space", key);
			*hint = xasprintf("write '%s: %s'", key, val);
			free(key);
			free(val);
			*line = k;
			*col = line_col(s, (size_t)(fw - s));
			return out;
		}
		return NULL;
	}
	if (!strcmp(msg, "did not find expected node content") ||
	    !strncmp(msg, "wrongly indented flow", 21) || strstr(msg, "flow mapping") ||
	    strstr(msg, "flow sequence")) {
		/* the flow collection the comment left open began at or above */
		for (int k = *line; k >= 1 && k > *line - 40; k--) {
			if (!text_line(text, len, k, &s, &n))
				continue;
			size_t hex, at = flow_comment_color(s, n, &hex);
			if (at == (size_t)-1)
				continue;
			char *out = xasprintf("YAML: '#' starts a comment, so the colour %.*s and the "
					      "rest of the line are not read", (int)hex, s + at);
			*hint = xasprintf("quote the colour: \"%.*s\"", (int)hex, s + at);
			*line = k;
			*col = line_col(s, at);
			return out;
		}
	}
	return NULL;
}

/* Copies libfyaml's collected diagnostics into d (explained by fy_explain
 * where it can, over text); returns the error count. */
static int take_fy_diags(struct fy_diag *diag, const char *file, const char *text, size_t len,
			 int first_line, struct diags *d)
{
	int errors = 0;
	void *it = NULL;
	struct fy_diag_error *e;
	while ((e = fy_diag_errors_iterate(diag, &it)) != NULL) {
		if (e->type < FYET_WARNING)
			continue;
		enum severity sev = e->type >= FYET_ERROR ? SEV_ERROR : SEV_WARNING;
		int line = e->line > 0 ? e->line : 0;
		int col = e->line > 0 && e->column > 0 ? e->column : 0;
		char *hint = NULL;
		char *why = e->msg && line > 0 ? fy_explain(text, len, e->msg, &line, &col, &hint) : NULL;
		if (line > 0)
			line += first_line - 1;
		if (why)
			diag_add(d, sev, file, line, col, "%s", why);
		else
			diag_add(d, sev, file, line, col, "YAML: %s", e->msg ? e->msg : "syntax error");
		if (hint)
			diag_hint(d, "%s", hint);
		free(why);
		free(hint);
		if (sev == SEV_ERROR)
			errors++;
	}
	return errors;
}

static int node_pos(const struct yml_doc *doc, struct fy_node *n, int *line, int *col);

struct key_at {
	const char *s;
	size_t len;
	int index;		/* in the mapping */
	struct fy_node *node;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key_at *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->index - b->index;
}

/* Reports "YAML: duplicate key" at each scalar key of a mapping in n (and
 * below) that repeats an earlier one; returns how many.  Keys are compared
 * as text (a non-scalar key is never a schema's).  Sorting keeps a mapping
 * of many keys O(n log n); recursion is bounded by libfyaml's depth limit. */
static int dup_keys(const struct yml_doc *doc, struct fy_node *n, struct diags *d)
{
	int found = 0;
	if (!n || fy_node_is_alias(n) || fy_node_is_scalar(n))
		return 0;
	void *it = NULL;
	if (fy_node_is_sequence(n)) {
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(n, &it)) != NULL)
			found += dup_keys(doc, item, d);
		return found;
	}
	int cap = fy_node_mapping_item_count(n), nk = 0;
	struct key_at *keys = xmalloc((size_t)(cap > 0 ? cap : 1) * sizeof(*keys));
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p);
		size_t len;
		const char *ks = k && fy_node_is_scalar(k) && !fy_node_is_alias(k)
					 ? fy_node_get_scalar(k, &len) : NULL;
		if (ks && nk < cap)
			keys[nk] = (struct key_at){ks, len, nk, k}, nk++;
		found += dup_keys(doc, k, d) + dup_keys(doc, fy_node_pair_value(p), d);
	}
	qsort(keys, (size_t)nk, sizeof(*keys), key_cmp);
	struct fy_node **dup = xcalloc((size_t)(nk > 0 ? nk : 1), sizeof(*dup));
	for (int i = 1; i < nk; i++)
		if (keys[i].len == keys[i - 1].len && !memcmp(keys[i].s, keys[i - 1].s, keys[i].len))
			dup[keys[i].index] = keys[i].node;
	for (int i = 0; i < nk; i++) {	/* in file order */
		if (!dup[i])
			continue;
		int line = doc->first_line, col = 1;
		node_pos(doc, dup[i], &line, &col);
		diag_add(d, SEV_ERROR, doc->file, line, col, "YAML: duplicate key");
		found++;
	}
	free(dup);
	free(keys);
	return found;
}

/* Reports what the schemas cannot take in any node of n (and below): a
 * tag (!foo 12, !!str 1.8), which would change what a value means, and a
 * noncharacter that an escape ("\uFFFF") put in a scalar.  Returns how
 * many were found. */
static int odd_nodes(const struct yml_doc *doc, struct fy_node *n, struct diags *d)
{
	if (!n)
		return 0;
	int found = 0, line = doc->first_line, col = 1;
	size_t tlen = 0;
	struct fy_token *tt = fy_node_get_tag_token(n);
	const char *tag = tt ? fy_token_get_text(tt, &tlen) : NULL;
	if (tag && !fy_node_is_alias(n)) {
		/* as written (!!str), not as resolved (tag:yaml.org,2002:str) */
		const struct fy_mark *m = fy_token_start_mark(tt), *e = fy_token_end_mark(tt);
		if (m && e && m->input_pos < e->input_pos && e->input_pos <= doc->len) {
			tag = doc->text + m->input_pos;
			tlen = e->input_pos - m->input_pos;
		}
		if (m) {
			line = m->line + doc->first_line;
			col = m->column + 1;
		} else {
			node_pos(doc, n, &line, &col);
		}
		char *q = excerpt(tag, tlen, EXCERPT_CHARS);
		diag_add(d, SEV_ERROR, doc->file, line, col,
			 "YAML: tags (%s) are not supported; write the value without one", q);
		free(q);
		found++;
	}
	if (fy_node_is_alias(n))
		return found;
	if (fy_node_is_scalar(n)) {
		size_t len;
		const char *sv = fy_node_get_scalar(n, &len);
		for (size_t i = 0; sv && i < len;) {
			int k = utf8_seq_len(sv + i, len - i);
			unsigned cp = 0;
			if (k > 0)
				utf8_decode(sv + i, &cp);
			if (k > 0 && utf8_noncharacter(cp)) {
				node_pos(doc, n, &line, &col);
				diag_add(d, SEV_ERROR, doc->file, line, col, UTF8_NONCHAR_MSG, cp);
				return found + 1;
			}
			i += k > 0 ? (size_t)k : 1;
		}
		return found;
	}
	void *it = NULL;
	if (fy_node_is_sequence(n)) {
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(n, &it)) != NULL)
			found += odd_nodes(doc, item, d);
		return found;
	}
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it)) != NULL)
		found += odd_nodes(doc, fy_node_pair_key(p), d) +
			 odd_nodes(doc, fy_node_pair_value(p), d);
	return found;
}

/* Explicit keys in block context ("? key" at the start of a line's content,
 * after indentation and "- ") are not needed by any schema, and libfyaml
 * 0.7 crashes on some malformed ones (e.g. "? ::<TAB>|"), so they are refused
 * before parsing.  Returns the offset of the first '?', or len if none. */
static size_t explicit_key(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (text[i] == ' ' || text[i] == '\t' ||
				   (text[i] == '-' && i + 1 < len &&
				    (text[i + 1] == ' ' || text[i + 1] == '\t'))))
			i++;
		if (i < len && text[i] == '?' &&
		    (i + 1 == len || text[i + 1] == ' ' || text[i + 1] == '\t' ||
		     text[i + 1] == '\n' || text[i + 1] == '\r'))
			return i;
		const char *nl = memchr(text + i, '\n', len - i);
		i = nl ? (size_t)(nl - text) + 1 : len;
	}
	return len;
}

struct yml_doc *yml_doc_parse(const char *file, const char *text, size_t len, int first_line,
			      struct diags *d)
{
	struct yml_doc *doc = xcalloc(1, sizeof(*doc));
	struct fy_diag *diag = NULL;
	doc->file = xstrdup(file);
	doc->first_line = first_line > 0 ? first_line : 1;

	/* UTF-8 first, for a position in our terms (libfyaml's is vaguer). */
	struct diags u = {0};
	if (utf8_check(text, len, file, &u) < 0) {
		for (int i = 0; i < u.n; i++)
			diag_add(d, SEV_ERROR, file, u.v[i].line + doc->first_line - 1, u.v[i].col,
				 "%s", u.v[i].msg);
		diag_clear(&u);
		goto fail;
	}
	size_t q = explicit_key(text, len);
	if (q < len) {
		int line, col;
		text_position(text, q, &line, &col);
		diag_add(d, SEV_ERROR, file, line + doc->first_line - 1, col,
			 "YAML: explicit keys ('? ') are not supported; write 'key: value'");
		goto fail;
	}
	doc->text = xstrndup(text, len);
	doc->len = len;

	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = NULL;
	dc.colorize = false;
	diag = fy_diag_create(&dc);
	if (!diag) {
		diag_add(d, SEV_ERROR, file, 0, 0, "cannot set up the YAML parser");
		goto fail;
	}
	fy_diag_set_collect_errors(diag, true);

	struct fy_parse_cfg pc;
	memset(&pc, 0, sizeof(pc));
	/* libfyaml's own duplicate-key check compares each key with all the
	 * keys before it: 20,000 keys take seconds.  dup_keys does it sorted. */
	pc.flags = FYPCF_QUIET | FYPCF_DISABLE_RECYCLING | FYPCF_ALLOW_DUPLICATE_KEYS;
	pc.diag = diag;
	doc->fyp = fy_parser_create(&pc);
	if (!doc->fyp || fy_parser_set_string(doc->fyp, doc->text, doc->len) != 0) {
		diag_add(d, SEV_ERROR, file, 0, 0, "cannot set up the YAML parser");
		goto fail;
	}
	doc->fyd = fy_parse_load_document(doc->fyp);
	/* A second document in the stream would be silently ignored: look. */
	struct fy_document *next = doc->fyd ? fy_parse_load_document(doc->fyp) : NULL;
	int errors = take_fy_diags(diag, file, doc->text, doc->len, doc->first_line, d);
	if (next) {
		int line = doc->first_line, col = 1;
		struct fy_node *r = fy_document_root(next);
		if (r)
			node_pos(doc, r, &line, &col);
		diag_add(d, SEV_ERROR, file, line, col,
			 "a second YAML document ('---'); only one is allowed");
		fy_parse_document_destroy(doc->fyp, next);
		goto fail;
	}
	if (errors || (!doc->fyd && fy_parser_get_stream_error(doc->fyp))) {
		if (!errors)
			diag_add(d, SEV_ERROR, file, 0, 0, "YAML: cannot parse");
		goto fail;
	}
	if (doc->fyd && dup_keys(doc, fy_document_root(doc->fyd), d) > 0)
		goto fail;
	if (doc->fyd && odd_nodes(doc, fy_document_root(doc->fyd), d) > 0)
		goto fail;
	fy_diag_destroy(diag);
	return doc;
fail:
	if (diag)
		fy_diag_destroy(diag);
	yml_doc_free(doc);
	return NULL;
}

struct yml_doc *yml_doc_load(const char *path, struct diags *d)
{
	size_t len;
	char *text = file_load(path, &len, d);
	if (!text)
		return NULL;
	struct yml_doc *doc = yml_doc_parse(path, text, len, 1, d);
	free(text);
	return doc;
}

void yml_doc_free(struct yml_doc *doc)
{
	if (!doc)
		return;
	if (doc->fyd)
		fy_parse_document_destroy(doc->fyp, doc->fyd);
	if (doc->fyp)
		fy_parser_destroy(doc->fyp);
	free(doc->text);
	free(doc->file);
	free(doc);
}

const char *yml_doc_file(const struct yml_doc *doc)
{
	return doc->file;
}

/* ---- nodes ---- */

/* The 1-based position of a node's first character: a scalar's token, else
 * the first thing inside a mapping or sequence.  Returns -1 if unknown
 * (an empty value or empty collection). */
static int node_pos(const struct yml_doc *doc, struct fy_node *n, int *line, int *col)
{
	for (int guard = 0; n && guard < 1000; guard++) {
		if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
			if (!m)
				return -1;
			*line = m->line + doc->first_line;
			*col = m->column + 1;
			if (fy_node_is_alias(n) && *col > 1)
				--*col;	/* libfyaml marks the name, after the '*' */
			return 0;
		}
		if (fy_node_is_mapping(n)) {
			void *it = NULL;
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
			n = p ? fy_node_pair_key(p) : NULL;
		} else if (fy_node_is_sequence(n)) {
			void *it = NULL;
			n = fy_node_sequence_iterate(n, &it);
		} else {
			return -1;
		}
	}
	return -1;
}

/* Where messages about a key's value point: the value if it is a scalar,
 * else (a mapping, a sequence, nothing) the key at kl:kc. */
static void value_pos(const struct yml_doc *doc, struct fy_node *v, int kl, int kc, int *line,
		      int *col)
{
	*line = kl;
	*col = kc;
	if (v && (fy_node_is_scalar(v) || fy_node_is_alias(v)))
		node_pos(doc, v, line, col);
}

static int is_plain(struct fy_node *n)
{
	return fy_node_get_style(n) == FYNS_PLAIN;
}

/* A missing value, an empty plain scalar, ~ or null. */
static int is_null(struct fy_node *n)
{
	if (!n)
		return 1;
	if (!fy_node_is_scalar(n) || fy_node_is_alias(n) || !is_plain(n))
		return 0;
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s || len == 0)
		return 1;
	return (len == 1 && s[0] == '~') ||
	       (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

/* How a value looks, for "got ..." in messages.  Caller frees. */
static char *describe(struct fy_node *n)
{
	if (is_null(n))
		return xstrdup("nothing");
	if (fy_node_is_alias(n))
		return xstrdup("an alias (aliases are not supported)");
	if (fy_node_is_mapping(n))
		return xstrdup("a mapping");
	if (fy_node_is_sequence(n))
		return xstrdup("a sequence");
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	if (!s)
		return xstrdup("an unreadable value");
	char *q = excerpt(s, len, EXCERPT_CHARS);
	char *r = xasprintf("\"%s\"", q);
	free(q);
	return r;
}

/* ---- reading by schema ---- */

struct rd {
	const struct yml_doc *doc;
	struct yml_marks *marks;
	struct diags *d;
	int errors;
	const struct yml_palette *palette;	/* the names a colour may be */
	int early;		/* reading only the YML_EARLY keys */
	struct fy_node *item;	/* the list element being read: read_list reads its
				   id:, remove: and after: */
};

static void rd_err(struct rd *r, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void rd_err(struct rd *r, int line, int col, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	char *msg = xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	diag_add(r->d, SEV_ERROR, r->doc->file, line, col, "%s", msg);
	free(msg);
	r->errors++;
}

/* Parses [+-]digits[.digits][e[+-]digits] (or [+-].digits...) at s, without
 * the locale; returns the number of bytes used, 0 if there is no number. */
static size_t parse_decimal(const char *s, double *out)
{
	size_t i = 0;
	int neg = 0, digits = 0, scale = 0;
	double v = 0;
	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	for (; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (v < 1e300)
			v = v * 10 + (s[i] - '0');
		else
			scale++;
	}
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			if (v < 1e300) {
				v = v * 10 + (s[i] - '0');
				scale--;
			}
		}
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		int eneg = 0, e = 0, edigits = 0;
		if (s[j] == '+' || s[j] == '-')
			eneg = s[j++] == '-';
		for (; s[j] >= '0' && s[j] <= '9'; j++, edigits++)
			if (e < 10000)
				e = e * 10 + (s[j] - '0');
		if (edigits) {
			scale += eneg ? -e : e;
			i = j;
		}
	}
	/* Dividing by an exact power of ten rounds correctly where multiplying
	 * by an inexact 0.1 would not (10.5 stays 10.5). */
	if (scale < 0)
		v = scale < -300 ? 0 : v / pow(10, -scale);
	else if (scale > 0)
		v = v * pow(10, scale);
	*out = neg ? -v : v;
	return i;
}

/* The scalar text of n as a new string, or NULL if n is not a scalar. */
static char *scalar_dup(struct fy_node *n)
{
	if (!n || !fy_node_is_scalar(n) || fy_node_is_alias(n))
		return NULL;
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	return s ? xstrndup(s, len) : xstrdup("");
}

static int scalar_has_nul(struct fy_node *n)
{
	size_t len;
	const char *s = fy_node_get_scalar(n, &len);
	return s && memchr(s, '\0', len) != NULL;
}

/* "1-12", "> 0", ">= 0", "<= 5", "> 0 and <= 5" */
static char *range_text(const struct yml_field *f)
{
	int lo = f->flags & (YML_MIN | YML_POSITIVE), hi = f->flags & YML_MAX;
	const char *unit = f->type == YML_DIM ? "pt" : "";	/* checked in pt */
	if ((f->flags & YML_MIN) && hi)
		return xasprintf("%g-%g%s", f->min, f->max, unit);
	const char *low = (f->flags & YML_POSITIVE) ? "> 0" : NULL;
	char *low2 = (f->flags & YML_MIN) && !low ? xasprintf(">= %g", f->min) : NULL;
	char *s;
	if (lo && hi)
		s = xasprintf("%s and <= %g%s", low ? low : low2, f->max, unit);
	else if (lo)
		s = xstrdup(low ? low : low2);
	else
		s = xasprintf("<= %g%s", f->max, unit);
	free(low2);
	return s;
}

/* 0 if v is within the field's range; else an error and -1. */
static int check_range(struct rd *r, const struct yml_field *f, double v, const char *written,
		       const char *path, int line, int col)
{
	int bad = ((f->flags & YML_MIN) && v < f->min) || ((f->flags & YML_MAX) && v > f->max) ||
		  ((f->flags & YML_POSITIVE) && !(v > 0));
	if (!bad)
		return 0;
	char *range = range_text(f);
	rd_err(r, line, col, "%s must be %s, got %s", path, range, written);
	free(range);
	return -1;
}

/* Lengths beyond these are mistakes, and would overflow Pango units (int,
 * 1024 per pt) in sums: 14400pt is also the largest page PDF readers take. */
#define YML_LEN_MAX_PT 14400.0
#define YML_LEN_MAX_EM 100.0

static const char *const len_expect = "a length like 12pt, 3mm, 1.5cm or 0.5in";
static const char *const len_em_expect = "a length like 12pt, 3mm, 1.5cm, 0.5in or 2em";

/* Parses a length: a number with an optional unit pt, mm, cm, in (or em when
 * em_ok), spaces allowed between.  Returns 0, or -1 if s is not one. */
static int parse_length(const char *s, int em_ok, struct len *out, double *written)
{
	double v;
	size_t n = parse_decimal(s, &v);
	if (!n || !isfinite(v))
		return -1;
	s += n;
	while (*s == ' ')
		s++;
	const char *unit = s;
	size_t ul = 0;
	while ((s[ul] >= 'a' && s[ul] <= 'z') || (s[ul] >= 'A' && s[ul] <= 'Z'))
		ul++;
	const char *rest = s + ul;
	while (*rest == ' ')
		rest++;
	if (*rest)
		return -1;
	out->pt = out->em = 0;
	*written = v;
	if (ul == 0 || (ul == 2 && !strncmp(unit, "pt", 2)))
		out->pt = v;
	else if (ul == 2 && !strncmp(unit, "mm", 2))
		out->pt = v * 72.0 / 25.4;
	else if (ul == 2 && !strncmp(unit, "cm", 2))
		out->pt = v * 72.0 / 2.54;
	else if (ul == 2 && !strncmp(unit, "in", 2))
		out->pt = v * 72.0;
	else if (ul == 2 && !strncmp(unit, "em", 2) && em_ok)
		out->em = v;
	else
		return -1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "#rrggbb", "#rgb", "#rrggbbaa" or "none".  Returns 0, or -1. */
static int parse_color(const char *s, struct color *c)
{
	if (strcmp(s, "none") == 0) {
		c->r = c->g = c->b = c->a = 0;
		return 0;
	}
	if (s[0] != '#')
		return -1;
	size_t n = strlen(s + 1);
	int h[8];
	if (n != 3 && n != 6 && n != 8)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((h[i] = hexval(s[1 + i])) < 0)
			return -1;
	if (n == 3) {
		c->r = h[0] * 17 / 255.0;
		c->g = h[1] * 17 / 255.0;
		c->b = h[2] * 17 / 255.0;
		c->a = 1;
	} else {
		c->r = (h[0] * 16 + h[1]) / 255.0;
		c->g = (h[2] * 16 + h[3]) / 255.0;
		c->b = (h[4] * 16 + h[5]) / 255.0;
		c->a = n == 8 ? (h[6] * 16 + h[7]) / 255.0 : 1;
	}
	return 0;
}

static int read_map(struct rd *r, const struct yml_schema *s, char *base, struct fy_node *map,
		    const char *path);

void yml_list_done(const struct yml_field *f, struct yml_list *list)
{
	for (int i = 0; i < list->n; i++) {
		yml_free(f->sub, (char *)list->v + (size_t)i * f->elem_size);
		if (list->ids)
			free(list->ids[i]);
	}
	free(list->v);
	free(list->ids);
	list->v = NULL;
	list->ids = NULL;
	list->n = 0;
}

/* One value being read: where it goes, what it is, where it was written
 * (the value's position, or its key's when the value has none). */
struct val {
	const struct yml_field *f;
	void *addr;		/* base + f->offset */
	struct fy_node *v;
	const char *path;	/* "styles.body.size", for messages */
	int line, col;
};

/* An error "PATH: expected WHAT, got DESCRIPTION", with hint (or NULL) on
 * its own line; returns -1. */
static int expected(struct rd *r, const struct val *x, const char *what, const char *hint)
{
	char *got = describe(x->v);
	rd_err(r, x->line, x->col, "%s: expected %s, got %s", x->path, what, got);
	if (hint)
		diag_hint(r->d, "%s", hint);
	free(got);
	return -1;
}

/* What the marks of a replaced list's elements become: their values are
 * freed, so a mark of no value (a mapping's type: lookups pass over it). */
static const struct yml_field gone_field = {.key = "", .type = YML_MAP};

/* Every mark of a value inside the array [from, from + n * size) moves to
 * the element's new place, where[i] (-1: the element is gone, its marks
 * become marks of no value); then the chains of marks by address are made
 * anew, for a new address may be one a freed array had. */
static void marks_move(struct yml_marks *m, const char *from, int n, size_t size,
		       const int *where, char *to)
{
	if (!m || !from)
		return;
	for (int i = 0; i < m->n; i++) {
		const char *a = m->v[i].addr;
		if (a < from || a >= from + (size_t)n * size)
			continue;
		size_t k = (size_t)(a - from) / size, off = (size_t)(a - from) % size;
		if (where[k] < 0)
			m->v[i].field = &gone_field;
		else
			m->v[i].addr = to + (size_t)where[k] * size + off;
	}
	if (!m->nslots)
		return;
	for (int i = 0; i < m->nslots; i++)
		m->slots[i] = -1;
	for (int i = 0; i < m->n; i++) {
		int *slot = marks_slot(m, m->v[i].addr);
		m->v[i].prev = *slot;
		*slot = i;
	}
}

static struct fy_node *doc_root(const struct yml_doc *doc);

/* 1 if the document's top-level replace: names path ("cover",
 * "volume.cover"): its list replaces the one it extends even with ids. */
static int replaced(const struct yml_doc *doc, const char *path)
{
	struct fy_node *root = doc_root(doc);
	struct fy_node *seq = root && fy_node_is_mapping(root)
				      ? fy_node_mapping_lookup_by_string(root, "replace", FY_NT)
				      : NULL;
	if (!seq || !fy_node_is_sequence(seq))
		return 0;
	void *it = NULL;
	struct fy_node *e;
	while ((e = fy_node_sequence_iterate(seq, &it)) != NULL) {
		size_t len;
		const char *t = fy_node_is_scalar(e) ? fy_node_get_scalar(e, &len) : NULL;
		if (t && len == strlen(path) && !memcmp(t, path, len))
			return 1;
	}
	return 0;
}

/* The top-level replace: (when the schema has it): a list of the lists
 * (dotted paths) this document writes, each of which it replaces whole. */
static void check_replace(struct rd *r, const struct yml_schema *s, struct fy_node *root)
{
	const struct yml_field *f;
	for (f = s->fields; f->key && strcmp(f->key, "replace"); f++)
		;
	struct fy_node *seq = f->key ? fy_node_mapping_lookup_by_string(root, "replace", FY_NT) : NULL;
	if (!seq)
		return;
	int line = r->doc->first_line, col = 1;
	node_pos(r->doc, seq, &line, &col);
	if (!fy_node_is_sequence(seq)) {
		char *got = describe(seq);
		rd_err(r, line, col, "replace: expected a list of lists, like [cover], got %s", got);
		free(got);
		return;
	}
	void *it = NULL;
	struct fy_node *e;
	while ((e = fy_node_sequence_iterate(seq, &it)) != NULL) {
		int el = line, ec = col;
		node_pos(r->doc, e, &el, &ec);
		char *path = fy_node_is_scalar(e) ? scalar_dup(e) : NULL;
		struct fy_node *n = root;
		for (char *p = path, *dot; n && p; p = dot ? dot + 1 : NULL) {
			dot = strchr(p, '.');
			if (dot)
				*dot = '\0';
			n = fy_node_is_mapping(n) ? fy_node_mapping_lookup_by_string(n, p, FY_NT) : NULL;
			if (dot)
				*dot = '.';
		}
		if (!path || !n || !fy_node_is_sequence(n)) {
			char *q = path ? excerpt(path, strlen(path), EXCERPT_CHARS) : describe(e);
			rd_err(r, el, ec, "replace: '%s' is not a list this %s writes", q, s->name);
			free(q);
		}
		free(path);
	}
}

/* One element of a list as written: its mapping, where it stands, and the
 * keys that place it (read here, skipped by read_map). */
struct item {
	struct fy_node *node;
	char *path;		/* "cover[3]" */
	int line, col;
	char *id, *after;	/* owned; NULL: not given */
	int remove;
	int id_line, id_col, after_line, after_col;	/* where their values stand */
	int ok;			/* a mapping whose id:, remove: and after: are valid */
};

/* The scalar text of key in mapping item, NULL if absent; an error (and
 * *bad) if it is not a plain text. */
static char *item_key(struct rd *r, struct item *it, const char *key, int *bad, int *pline,
		      int *pcol)
{
	struct fy_node *v = fy_node_mapping_lookup_by_string(it->node, key, FY_NT);
	int line = it->line, col = it->col;
	*pline = line, *pcol = col;
	if (!v)
		return NULL;
	node_pos(r->doc, v, &line, &col);
	*pline = line, *pcol = col;
	char *text = fy_node_is_scalar(v) && !fy_node_is_alias(v) && !is_null(v) ? scalar_dup(v) : NULL;
	if (!text || !*text || scalar_has_nul(v)) {
		char *got = describe(v);
		rd_err(r, line, col, "%s.%s: expected a name, got %s", it->path, key, got);
		free(got);
		free(text);
		*bad = 1;
		return NULL;
	}
	return text;
}

/* The index in ids[0, n) of id, -1 if none. */
static int id_index(char *const *ids, int n, const char *id)
{
	for (int i = 0; id && i < n; i++)
		if (ids[i] && !strcmp(ids[i], id))
			return i;
	return -1;
}

/* "did you mean 'month'?" for an id not in ids[0, n). */
static void hint_id(struct rd *r, char *const *ids, int n, const char *id)
{
	const char **cand = xcalloc((size_t)n + 1, sizeof(*cand));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (ids[i])
			cand[k++] = ids[i];
	const char *near = name_nearest(id, cand, k);
	if (near)
		diag_hint(r->d, "did you mean '%s'?", near);
	free(cand);
}

/* YML_LIST: a sequence of mappings.  A later document replaces the whole
 * list, unless its elements carry id: and the list has elements already
 * (layout extends:): then it is merged by id.  An element whose id the list
 * has changes only the keys it writes, remove: true drops it, a new id is
 * appended; after: ID places an element (new or not) after the element
 * with that id.  Ids are unique in one document's list; every element of a
 * merging list has one. */
static int read_list(struct rd *r, const struct val *x)
{
	if (!x->v || !fy_node_is_sequence(x->v))
		return expected(r, x, "a list (lines starting with '- ')", NULL);
	const struct yml_field *f = x->f;
	struct yml_list *list = x->addr;
	int n = fy_node_sequence_item_count(x->v), rc = 0, any_id = 0;
	struct item *items = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*items));
	void *iter = NULL;	/* get_by_index would walk the list each time */
	for (int i = 0; i < n; i++) {
		struct item *it = &items[i];
		it->node = fy_node_sequence_iterate(x->v, &iter);
		it->path = xasprintf("%s[%d]", x->path, i + 1);
		it->line = x->line, it->col = x->col;
		node_pos(r->doc, it->node, &it->line, &it->col);
		if (!it->node || !fy_node_is_mapping(it->node) || fy_node_is_alias(it->node)) {
			struct val e = {f, NULL, it->node, it->path, it->line, it->col};
			rc = expected(r, &e, "a mapping (key: value)", NULL);
			continue;
		}
		int bad = 0, rl, rc2;
		it->id = item_key(r, it, "id", &bad, &it->id_line, &it->id_col);
		it->after = item_key(r, it, "after", &bad, &it->after_line, &it->after_col);
		char *remove = item_key(r, it, "remove", &bad, &rl, &rc2);
		if (remove && strcmp(remove, "true") && strcmp(remove, "false")) {
			rd_err(r, rl, rc2, "%s.remove: expected true or false, got \"%s\"",
			       it->path, remove);
			bad = 1;
		}
		it->remove = remove && !strcmp(remove, "true");
		free(remove);
		for (int j = 0; it->id && j < i; j++)
			if (items[j].id && !strcmp(items[j].id, it->id)) {
				rd_err(r, it->id_line, it->id_col,
				       "%s: id '%s' is already used by %s (line %d)", it->path, it->id,
				       items[j].path, items[j].id_line);
				bad = 1;
				break;
			}
		any_id |= it->id != NULL;
		it->ok = !bad;
		if (bad)
			rc = -1;
	}
	int merge = any_id && list->n > 0 && !replaced(r->doc, x->path);

	/* The new order: each slot an element of the list (old >= 0) or of this
	 * document (item >= 0), or both (an element changed by id). */
	struct slot {
		int old, item;
		const char *id;
	};
	int nold = list->n, ns = 0;
	struct slot *order = xcalloc((size_t)(nold + n + 1), sizeof(*order));
	for (int i = 0; merge && i < nold; i++)
		order[ns++] = (struct slot){i, -1, list->ids ? list->ids[i] : NULL};
	for (int k = 0; k < n; k++) {
		struct item *it = &items[k];
		if (!it->ok)
			continue;
		char **ids = xcalloc((size_t)ns + 1, sizeof(*ids));
		for (int i = 0; i < ns; i++)
			ids[i] = (char *)order[i].id;
		int at = id_index(ids, ns, it->id);
		if (merge && !it->id) {
			rd_err(r, it->line, it->col, "%s: every element of a list merged by id needs "
			       "an id: (or write the list without ids to replace the one it extends)",
			       it->path);
			rc = -1;
		} else if (it->remove && at < 0) {
			rd_err(r, it->id_line, it->id_col, "%s: remove: no element with id '%s' in %s",
			       it->path, it->id ? it->id : "", x->path);
			if (it->id)
				hint_id(r, ids, ns, it->id);
			rc = -1;
		} else if (it->remove) {
			memmove(&order[at], &order[at + 1], (size_t)(ns - at - 1) * sizeof(*order));
			ns--;
		} else {
			struct slot s = at >= 0 ? order[at] : (struct slot){-1, -1, it->id};
			s.item = k;
			if (at >= 0 && it->after) {	/* moved: out of its place first */
				memmove(&order[at], &order[at + 1], (size_t)(ns - at - 1) * sizeof(*order));
				ns--;
				ids[at] = NULL;
				memmove(&ids[at], &ids[at + 1], (size_t)(ns - at) * sizeof(*ids));
				at = -1;
			}
			int pos = at >= 0 ? at : ns;
			if (it->after) {
				int prev = id_index(ids, ns, it->after);
				if (prev < 0) {
					rd_err(r, it->after_line, it->after_col,
					       "%s: after: no element with id '%s' in %s",
					       it->path, it->after, x->path);
					hint_id(r, ids, ns, it->after);
					rc = -1;
				} else {
					pos = prev + 1;
				}
			}
			if (at < 0) {
				memmove(&order[pos + 1], &order[pos], (size_t)(ns - pos) * sizeof(*order));
				ns++;
			}
			order[pos] = s;
		}
		free(ids);
	}

	/* The new array: kept elements moved (with their marks), the others freed. */
	char *v = xcalloc((size_t)(ns > 0 ? ns : 1), f->elem_size);
	char **newids = xcalloc((size_t)(ns > 0 ? ns : 1), sizeof(*newids));
	int *where = xcalloc((size_t)(nold > 0 ? nold : 1), sizeof(*where));
	int *elem_of = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*elem_of));
	for (int i = 0; i < nold; i++)
		where[i] = -1;
	for (int k = 0; k < n; k++)
		elem_of[k] = -1;
	for (int j = 0; j < ns; j++) {
		if (order[j].old >= 0) {
			memcpy(v + (size_t)j * f->elem_size,
			       (char *)list->v + (size_t)order[j].old * f->elem_size, f->elem_size);
			where[order[j].old] = j;
			if (list->ids) {
				newids[j] = list->ids[order[j].old];
				list->ids[order[j].old] = NULL;
			}
		} else {
			newids[j] = order[j].id ? xstrdup(order[j].id) : NULL;
		}
		if (order[j].item >= 0)
			elem_of[order[j].item] = j;
	}
	for (int i = 0; i < nold; i++)
		if (where[i] < 0)
			yml_free(f->sub, (char *)list->v + (size_t)i * f->elem_size);
	marks_move(r->marks, list->v, nold, f->elem_size, where, v);
	for (int i = 0; list->ids && i < nold; i++)
		free(list->ids[i]);
	free(list->ids);
	free(list->v);
	list->v = v;
	list->ids = newids;
	list->n = ns;
	marks_add(r->marks, x->addr, f, r->doc->file, x->line, x->col);

	/* Then each element's keys, as written, over its element. */
	for (int k = 0; k < n; k++) {
		struct item *it = &items[k];
		if (elem_of[k] >= 0) {
			char *elem = v + (size_t)elem_of[k] * f->elem_size;
			marks_add(r->marks, elem, f, r->doc->file, it->line, it->col);
			struct fy_node *outer = r->item;
			r->item = it->node;
			if (read_map(r, f->sub, elem, it->node, it->path) < 0)
				rc = -1;
			r->item = outer;
		}
		free(it->path);
		free(it->id);
		free(it->after);
	}
	free(items);
	free(order);
	free(where);
	free(elem_of);
	return rc;
}

static int same_channel(double a, double b)
{
	return fabs(a - b) < 0.6 / 255;
}

const struct yml_ink *yml_palette_printed(const struct yml_palette *p, double r, double g,
					  double b)
{
	for (int i = 0; p && i < p->n; i++) {
		const struct yml_ink *k = &p->v[i];
		if ((k->has_cmyk || k->spot) && same_channel(k->screen.r, r) &&
		    same_channel(k->screen.g, g) && same_channel(k->screen.b, b))
			return k;
	}
	return NULL;
}

const struct yml_ink *yml_palette_lookup(const struct yml_palette *p, const char *name)
{
	for (int i = 0; p && i < p->n; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	return NULL;
}

void yml_palette_done(struct yml_palette *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].spot);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* cmyk: four percentages, "0 100 81 4" or [0, 100, 81, 4]. */
static int read_cmyk(struct rd *r, struct fy_node *v, const char *path, int line, int col,
		     double *out)
{
	char *text = NULL;
	if (v && fy_node_is_sequence(v)) {
		struct sbuf sb;
		sbuf_init(&sb);
		void *it = NULL;
		struct fy_node *item;
		while ((item = fy_node_sequence_iterate(v, &it)) != NULL) {
			char *s = fy_node_is_scalar(item) ? scalar_dup(item) : NULL;
			sbuf_printf(&sb, "%s%s", sb.len ? " " : "", s ? s : "?");
			free(s);
		}
		text = sbuf_take(&sb);
	} else if (v && fy_node_is_scalar(v) && !is_null(v)) {
		text = scalar_dup(v);
	}
	int n = 0, ok = text != NULL;
	const char *p = text ? text : "";
	while (ok && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		double x;
		size_t used = parse_decimal(p, &x);
		ok = used > 0 && n < 4 && x >= 0 && x <= 100;
		if (ok)
			out[n++] = x / 100;
		p += used;
	}
	free(text);
	if (ok && n == 4)
		return 0;
	struct val e = {NULL, NULL, v, path, line, col};
	return expected(r, &e, "four percentages of cyan, magenta, yellow and black, "
			       "like \"0 100 81 4\" or [0, 100, 81, 4]", NULL);
}

/* One colour of a palette: a colour, or a mapping of screen (required),
 * cmyk and spot (which needs cmyk: its alternate). */
static int read_ink(struct rd *r, struct yml_ink *ink, struct fy_node *v, const char *path,
		    int line, int col)
{
	struct val x = {NULL, &ink->screen, v, path, line, col};
	if (!fy_node_is_mapping(v)) {
		char *text = fy_node_is_scalar(v) && !is_null(v) ? scalar_dup(v) : NULL;
		int rc = text && parse_color(text, &ink->screen) == 0 && ink->screen.a > 0
				 ? 0
				 : expected(r, &x, "a color like \"#0b5aa2\", or a mapping of screen:, "
						   "cmyk: and spot:", NULL);
		free(text);
		return rc;
	}
	int rc = 0, screen = 0;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(v, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		int kl = line, kc = col, vl, vc;
		node_pos(r->doc, k, &kl, &kc);
		value_pos(r->doc, val, kl, kc, &vl, &vc);
		char *key = scalar_dup(k);
		char *sub = xasprintf("%s.%s", path, key ? key : "?");
		char *text = val && fy_node_is_scalar(val) && !is_null(val) ? scalar_dup(val) : NULL;
		struct val e = {NULL, NULL, val, sub, vl, vc};
		if (key && !strcmp(key, "screen")) {
			screen = 1;
			if (!text || parse_color(text, &ink->screen) < 0 || ink->screen.a <= 0)
				rc = expected(r, &e, "a color like \"#b5121b\"", NULL);
		} else if (key && !strcmp(key, "cmyk")) {
			if (read_cmyk(r, val, sub, vl, vc, ink->cmyk) < 0)
				rc = -1;
			else
				ink->has_cmyk = 1;
		} else if (key && !strcmp(key, "spot")) {
			if (!text || !*text || strlen(text) > 60)
				rc = expected(r, &e, "the ink's name, like \"PANTONE 186 C\" (at most 60 "
						     "characters)", NULL);
			else {
				free(ink->spot);
				ink->spot = text;
				text = NULL;
			}
		} else {
			char *q = excerpt(key ? key : "", key ? strlen(key) : 0, EXCERPT_CHARS);
			rd_err(r, kl, kc, "unknown key '%s' in %s (a colour has screen, cmyk and spot)",
			       q, path);
			free(q);
			rc = -1;
		}
		free(text);
		free(sub);
		free(key);
	}
	if (!screen) {
		rd_err(r, line, col, "%s: missing required key 'screen' (the colour on screen)", path);
		rc = -1;
	} else if (ink->spot && !ink->has_cmyk) {
		rd_err(r, line, col, "%s: the spot colour %s needs cmyk: its alternate, for "
				     "proofs and devices without the ink", path, ink->spot);
		rc = -1;
	}
	return rc;
}

/* YML_PALETTE: names and their colours; a name given again replaces it. */
static int read_palette(struct rd *r, const struct val *x)
{
	struct yml_palette *pal = x->addr;
	int rc = 0;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(x->v, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		int kl = x->line, kc = x->col, vl, vc;
		node_pos(r->doc, k, &kl, &kc);
		value_pos(r->doc, val, kl, kc, &vl, &vc);
		char *key = scalar_dup(k);
		struct color probe;
		if (!key || is_null(k) || scalar_has_nul(k) || !*key || parse_color(key, &probe) == 0 ||
		    strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
			    strlen(key)) {
			char *q = excerpt(key ? key : "", key ? strlen(key) : 0, EXCERPT_CHARS);
			rd_err(r, kl, kc, "%s: a colour's name is letters, digits, - and _ (not '%s')",
			       x->path, q);
			free(q);
			free(key);
			rc = -1;
			continue;
		}
		char *sub = xasprintf("%s.%s", x->path, key);
		struct yml_ink ink = {0};
		ink.name = key;
		ink.file = r->marks ? marks_file(r->marks, r->doc->file) : NULL;
		ink.line = kl;
		ink.col = kc;
		if (read_ink(r, &ink, val, sub, vl, vc) < 0) {
			rc = -1;
			free(ink.name);
			free(ink.spot);
		} else {
			struct yml_ink *old = (struct yml_ink *)yml_palette_lookup(pal, key);
			if (old) {
				free(old->name);
				free(old->spot);
				*old = ink;
			} else {
				pal->v = xrealloc(pal->v, (size_t)(pal->n + 1) * sizeof(*pal->v));
				pal->v[pal->n++] = ink;
			}
		}
		free(sub);
	}
	return rc;
}

/* YML_STRMAP: any scalar keys with text values, in file order. */
static int read_strmap(struct rd *r, const struct val *x)
{
	int rc = 0;
	int nold = ((struct yml_strmap *)x->addr)->n;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(x->v, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		int kl = x->line, kc = x->col, vl, vc;
		node_pos(r->doc, k, &kl, &kc);
		value_pos(r->doc, val, kl, kc, &vl, &vc);
		char *key = scalar_dup(k);
		char *value = is_null(val) ? NULL : scalar_dup(val);
		if (!key || is_null(k) || scalar_has_nul(k)) {
			rd_err(r, kl, kc, "%s: keys must be plain names", x->path);
			rc = -1;
		} else if (!value || scalar_has_nul(val)) {
			char *q = excerpt(key, strlen(key), EXCERPT_CHARS);
			char *sub = xasprintf("%s.%s", x->path, q);
			struct val e = {x->f, NULL, val, sub, vl, vc};
			rc = expected(r, &e, "a text", NULL);
			free(sub);
			free(q);
		} else {
			strmap_set(x->addr, nold, key, value, r->doc->file, kl, kc);
			value = NULL;
		}
		free(value);
		free(key);
	}
	return rc;
}

/* YML_INT: optional sign and digits, plain (not quoted), within range. */
static int read_int(struct rd *r, const struct val *x, const char *text, int plain)
{
	const char *p = text;
	int neg = 0;
	long long n = 0;
	if (plain && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	const char *digits = p;
	while (plain && *p >= '0' && *p <= '9') {
		if (n < 100000000000LL)
			n = n * 10 + (*p - '0');
		p++;
	}
	if (!plain || p == digits || *p)
		return expected(r, x, "an integer", NULL);
	if (neg)
		n = -n;
	if (check_range(r, x->f, (double)n, text, x->path, x->line, x->col) < 0)
		return -1;
	if (n < INT_MIN || n > INT_MAX) {
		rd_err(r, x->line, x->col, "%s: %s is too large", x->path, text);
		return -1;
	}
	*(int *)x->addr = (int)n;
	return 0;
}

static int read_length(struct rd *r, const struct val *x, const char *text)
{
	const struct yml_field *f = x->f;
	struct len l;
	double written;
	if (parse_length(text, f->type == YML_LEN, &l, &written) < 0)
		return expected(r, x, f->type == YML_LEN ? len_em_expect : len_expect, NULL);
	if (check_range(r, f, f->type == YML_DIM ? l.pt : written, text, x->path, x->line, x->col) < 0)
		return -1;
	if (fabs(l.pt) > YML_LEN_MAX_PT || fabs(l.em) > YML_LEN_MAX_EM) {
		rd_err(r, x->line, x->col,
		       "%s: %s is out of range: a length is at most %gpt (200in) or %gem", x->path, text,
		       YML_LEN_MAX_PT, YML_LEN_MAX_EM);
		return -1;
	}
	if (f->type == YML_LEN)
		*(struct len *)x->addr = l;
	else
		*(double *)x->addr = l.pt;
	return 0;
}

static int read_enum(struct rd *r, const struct val *x, const char *text)
{
	const char *cand[64];
	int n = 0;
	const struct yml_enum *e;
	for (e = x->f->names; e->name; e++) {
		if (!strcmp(e->name, text))
			break;
		if (n < 64)
			cand[n++] = e->name;
	}
	if (e->name) {
		*(int *)x->addr = e->value;
		return 0;
	}
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; i < n; i++)
		sbuf_printf(&sb, "%s%s", i ? (i == n - 1 ? " or " : ", ") : "", cand[i]);
	const char *near = name_nearest(text, cand, n);
	char *hint = near ? xasprintf("did you mean '%s'?", near) : NULL;
	expected(r, x, sb.s, hint);
	free(hint);
	sbuf_done(&sb);
	return -1;
}

/* YML_COLOR: a colour written out, or a name of the palette. */
static int read_color(struct rd *r, const struct val *x, const char *text)
{
	if (parse_color(text, x->addr) == 0)
		return 0;
	const struct yml_ink *ink = yml_palette_lookup(r->palette, text);
	if (ink) {
		*(struct color *)x->addr = ink->screen;
		return 0;
	}
	int n = r->palette ? r->palette->n : 0;
	const char **cand = xcalloc((size_t)n + 1, sizeof(*cand));
	for (int i = 0; i < n; i++)
		cand[i] = r->palette->v[i].name;
	const char *near = name_nearest(text, cand, n);
	char *hint = near ? xasprintf("did you mean '%s'?", near) : NULL;
	int rc = expected(r, x, n ? "a color like \"#0b5aa2\", a name from colors:, or none"
				  : "a color like \"#0b5aa2\", \"#rgb\", \"#rrggbbaa\" or none",
			  hint);
	free(hint);
	free(cand);
	return rc;
}

/* A scalar value of any scalar type: parsed, range-checked, stored. */
static int read_scalar(struct rd *r, const struct val *x)
{
	static const char *what[] = {
		[YML_NUMBER] = "a number", [YML_INT] = "an integer", [YML_BOOL] = "true or false",
		[YML_STRING] = "a text", [YML_DIM] = len_expect, [YML_LEN] = len_em_expect,
		[YML_COLOR] = "a color like \"#0b5aa2\" or none", [YML_ENUM] = "a name",
	};
	const struct yml_field *f = x->f;
	if (is_null(x->v))
		return expected(r, x, what[f->type],
				f->type == YML_COLOR ? "an unquoted # starts a YAML comment: write "
						       "\"#0b5aa2\" in quotes"
						     : NULL);
	char *text = scalar_dup(x->v);
	if (!text || scalar_has_nul(x->v)) {
		free(text);
		return expected(r, x, f->type == YML_STRING ? "a text" : "a single value", NULL);
	}
	int plain = is_plain(x->v), rc = 0;
	switch (f->type) {
	case YML_NUMBER: {
		double n;
		size_t used = plain ? parse_decimal(text, &n) : 0;
		if (!used || text[used] || !isfinite(n))
			rc = expected(r, x, "a number", NULL);
		else if ((rc = check_range(r, f, n, text, x->path, x->line, x->col)) == 0)
			*(double *)x->addr = n;
		break;
	}
	case YML_INT:
		rc = read_int(r, x, text, plain);
		break;
	case YML_BOOL: {
		int b = !plain ? -1
			: !strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "TRUE") ? 1
			: !strcmp(text, "false") || !strcmp(text, "False") || !strcmp(text, "FALSE") ? 0
			: -1;
		if (b < 0)
			rc = expected(r, x, "true or false", NULL);
		else
			*(int *)x->addr = b;
		break;
	}
	case YML_STRING:
		free(*(char **)x->addr);
		*(char **)x->addr = text;
		text = NULL;
		break;
	case YML_DIM:
	case YML_LEN:
		rc = read_length(r, x, text);
		break;
	case YML_COLOR:
		rc = read_color(r, x, text);
		break;
	case YML_ENUM:
		rc = read_enum(r, x, text);
		break;
	default:
		rc = -1;
	}
	free(text);
	if (rc == 0)
		marks_add(r->marks, x->addr, f, r->doc->file, x->line, x->col);
	return rc;
}

/* Reads one value into base + f->offset.  The value's position, or the
 * key's when the value has none, is at line/col.  Returns 0 or -1. */
static int read_value(struct rd *r, const struct yml_field *f, char *base, struct fy_node *v,
		      const char *path, int line, int col)
{
	struct val x = {f, base + f->offset, v, path, line, col};
	if (f->type == YML_OTHER)
		return 0;
	if (v && fy_node_is_alias(v)) {
		rd_err(r, line, col, "%s: aliases (*name) are not supported", path);
		return -1;
	}
	if (f->type == YML_LIST)
		return read_list(r, &x);
	if (f->type != YML_MAP && f->type != YML_STRMAP && f->type != YML_PALETTE)
		return read_scalar(r, &x);
	if (!v || !fy_node_is_mapping(v))
		return expected(r, &x, "a mapping (key: value lines)", NULL);
	marks_add(r->marks, x.addr, f, r->doc->file, line, col);
	if (f->type == YML_PALETTE)
		return read_palette(r, &x);
	return f->type == YML_MAP ? read_map(r, f->sub, x.addr, v, path) : read_strmap(r, &x);
}

/* Reads the pairs of map into base by s; path names map in messages ("" for
 * the top level, which s->name names). */
static int read_map(struct rd *r, const struct yml_schema *s, char *base, struct fy_node *map,
		    const char *path)
{
	int rc = 0;
	int ml = r->doc->first_line, mc = 1;
	node_pos(r->doc, map, &ml, &mc);
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		int kl = ml, kc = mc;
		node_pos(r->doc, k, &kl, &kc);
		char *key = scalar_dup(k);
		if (!key || is_null(k) || scalar_has_nul(k)) {
			rd_err(r, kl, kc, "keys must be plain names in %s", *path ? path : s->name);
			free(key);
			rc = -1;
			continue;
		}
		const struct yml_field *f;
		for (f = s->fields; f->key; f++)
			if (!strcmp(f->key, key))
				break;
		if (map == r->item && (!strcmp(key, "id") || !strcmp(key, "remove") ||
				       !strcmp(key, "after"))) {
			free(key);	/* read by read_list */
			continue;
		}
		if (!*path && (r->early ? !f->key || !(f->flags & YML_EARLY) : f->key && (f->flags & YML_EARLY))) {
			free(key);	/* the other pass's key */
			continue;
		}
		if (!f->key) {
			static const char *const placing[] = {"id", "remove", "after"};
			const char *near = yml_suggest(s, key);
			if (!near && map == r->item)
				near = name_nearest(key, placing, 3);
			char *q = excerpt(key, strlen(key), EXCERPT_CHARS);
			rd_err(r, kl, kc, "unknown key '%s' in %s", q, *path ? path : s->name);
			if (near)
				diag_hint(r->d, "did you mean '%s'?", near);
			free(q);
			free(key);
			rc = -1;
			continue;
		}
		char *sub = *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
		int vl, vc;
		value_pos(r->doc, v, kl, kc, &vl, &vc);
		if (read_value(r, f, base, v, sub, vl, vc) < 0)
			rc = -1;
		free(sub);
		free(key);
	}
	return rc;
}

static struct fy_node *doc_root(const struct yml_doc *doc)
{
	struct fy_node *root = doc->fyd ? fy_document_root(doc->fyd) : NULL;
	return is_null(root) ? NULL : root;
}

int yml_doc_read_early(const struct yml_doc *doc, const struct yml_schema *s, void *base,
		       struct yml_marks *marks, struct diags *d)
{
	struct rd r = {doc, marks, d, 0, NULL, 1, NULL};
	struct fy_node *root = doc_root(doc);
	if (!root || !fy_node_is_mapping(root))
		return 0;	/* said by yml_doc_read */
	read_map(&r, s, base, root, "");
	return r.errors ? -1 : 0;
}

int yml_doc_read(const struct yml_doc *doc, const struct yml_schema *s, void *base,
		 struct yml_marks *marks, const struct yml_palette *palette, struct diags *d)
{
	struct rd r = {doc, marks, d, 0, palette, 0, NULL};
	struct fy_node *root = doc_root(doc);
	if (!root)
		return 0;
	if (!fy_node_is_mapping(root)) {
		int line = doc->first_line, col = 1;
		node_pos(doc, root, &line, &col);
		char *got = describe(root);
		rd_err(&r, line, col, "the %s must be a mapping (key: value lines), got %s", s->name,
		       got);
		free(got);
		return -1;
	}
	read_map(&r, s, base, root, "");
	check_replace(&r, s, root);
	return r.errors ? -1 : 0;
}

char *yml_doc_scalar(const struct yml_doc *doc, const char *key, int *line, int *col,
		     struct diags *d)
{
	struct fy_node *root = doc_root(doc);
	if (!root || !fy_node_is_mapping(root))
		return NULL;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		size_t len;
		const char *ks = fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;
		if (!ks || len != strlen(key) || memcmp(ks, key, len) != 0)
			continue;
		int kl = doc->first_line, kc = 1, l, c;
		node_pos(doc, k, &kl, &kc);
		value_pos(doc, v, kl, kc, &l, &c);
		if (line)
			*line = l;
		if (col)
			*col = c;
		char *s = is_null(v) ? NULL : scalar_dup(v);
		if (!s || scalar_has_nul(v)) {
			char *got = describe(v);
			diag_add(d, SEV_ERROR, doc->file, l, c, "%s: expected a text, got %s", key, got);
			free(got);
			free(s);
			return NULL;
		}
		return s;
	}
	return NULL;
}

static int require(const struct yml_doc *doc, const struct yml_schema *s, const char *base,
		   const struct yml_marks *marks, const char *path, const char *file, int line,
		   int col, struct diags *d)
{
	int rc = 0;
	for (const struct yml_field *f = s->fields; f->key; f++) {
		const void *addr = base + f->offset;
		if (f->type == YML_MAP) {
			const struct yml_mark *m = marks_find_map(marks, addr, f);
			char *sub = *path ? xasprintf("%s.%s", path, f->key) : xstrdup(f->key);
			if (m) {
				if (require(doc, f->sub, addr, marks, sub, m->file, m->line, m->col, d) < 0)
					rc = -1;
			} else if (f->flags & YML_REQUIRED) {
				diag_add(d, SEV_ERROR, file, line, col, "missing required key '%s' in %s",
					 f->key, *path ? path : s->name);
				rc = -1;
			}
			free(sub);
			continue;
		}
		if (!(f->flags & YML_REQUIRED) || f->type == YML_OTHER)
			continue;
		int found = f->type == YML_STRMAP ? marks_find_map(marks, addr, f) != NULL
						  : yml_marks_lookup(marks, addr) != NULL;
		if (!found) {
			diag_add(d, SEV_ERROR, file, line, col, "missing required key '%s' in %s", f->key,
				 *path ? path : s->name);
			rc = -1;
		}
	}
	return rc;
}

int yml_require(const struct yml_doc *doc, const struct yml_schema *s, const void *base,
		const struct yml_marks *marks, struct diags *d)
{
	int line = doc->first_line, col = 1;
	struct fy_node *root = doc_root(doc);
	if (root)
		node_pos(doc, root, &line, &col);
	return require(doc, s, base, marks, "", doc->file, line, col, d);
}

void yml_defaults(const struct yml_schema *s, void *base)
{
	for (const struct yml_field *f = s->fields; f->key; f++) {
		char *addr = (char *)base + f->offset;
		if (f->type == YML_MAP)
			yml_defaults(f->sub, addr);
		else if (!(f->flags & YML_DEFAULT))
			continue;
		else if (f->type == YML_NUMBER || f->type == YML_DIM)
			*(double *)addr = f->def;
		else if (f->type == YML_INT || f->type == YML_BOOL || f->type == YML_ENUM)
			*(int *)addr = (int)f->def;
		else if (f->type == YML_LEN)
			*(struct len *)addr = (struct len){0, f->def};
	}
}

void yml_free(const struct yml_schema *s, void *base)
{
	for (const struct yml_field *f = s->fields; f->key; f++) {
		char *addr = (char *)base + f->offset;
		if (f->type == YML_STRING) {
			free(*(char **)addr);
			*(char **)addr = NULL;
		} else if (f->type == YML_STRMAP) {
			yml_strmap_done((struct yml_strmap *)addr);
		} else if (f->type == YML_PALETTE) {
			yml_palette_done((struct yml_palette *)addr);
		} else if (f->type == YML_MAP) {
			yml_free(f->sub, addr);
		} else if (f->type == YML_LIST) {
			yml_list_done(f, (struct yml_list *)addr);
		}
	}
}

int yml_parse_length(const char *s, int em_ok, struct len *out)
{
	double written;
	return parse_length(s, em_ok, out, &written);
}
