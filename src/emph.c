/* emph.c: emphasis (* _ ** __) decided by CommonMark's delimiter algorithm
 * with the CJK-friendly amendment, in place of md4c's.
 *
 * CommonMark's flanking rules assume words are separated by spaces, so in
 * Chinese a closing ** after 。 or 》 and before a Han character cannot
 * close: **一是指导思想。**围绕 prints its asterisks, and worse, md4c then
 * pairs the wrong runs.  The amendment (the CommonMark CJK-friendly
 * proposal, commonmark-spec issue 650) lets a delimiter run next to CJK
 * text open and close; Latin text keeps CommonMark's behaviour exactly.
 *
 * How it is wired: before md4c reads the body, emph_mark replaces every '*'
 * and '_' that could delimit emphasis by a byte that valid UTF-8 never has
 * (EMPH_STAR, EMPH_UNDER), so md4c finds no emphasis and passes them through
 * as text (or in code, link targets and HTML, where issue.c puts the
 * character back).  A run with whitespace on both sides is left alone: it
 * can never delimit, and only such runs are block syntax (list bullets,
 * thematic breaks); so are escaped ones (\*) and the insides of <...>.
 * Then, per block, emph_resolve runs the spec's "process emphasis" over
 * the placeholders of its text.
 *
 * Terms (the spec's): a delimiter run is a maximal sequence of one of the
 * two placeholders; it is left-flanking or right-flanking by the characters
 * around it; a CJK character is one of East Asian Width W, F or H that is
 * not an emoji by default, or Hangul.  Code spans are opaque (their edges
 * count as the backtick, punctuation); a scope (a link's text) is matched
 * apart from what surrounds it, and its edges count as punctuation.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bulletin.h"

/* ---- marking the source ---- */

static int is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The end of a tag or autolink <...> starting at i (no whitespace or '<'
 * inside, on one line), or i if there is none. */
static size_t angle_end(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	if (j >= n || !(g_ascii_isalpha(s[j]) || s[j] == '/' || s[j] == '!' || s[j] == '?'))
		return i;
	for (; j < n && s[j] != '>'; j++)
		if (s[j] == '<' || s[j] == '\n')
			return i;
	return j < n ? j : i;
}

void emph_mark(char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n) {	/* an escape: the next character is literal */
			i += 2;
			continue;
		}
		if (s[i] == '<') {
			i = angle_end(s, n, i) + 1;
			continue;
		}
		if (s[i] != '*' && s[i] != '_') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && s[j] == s[i])
			j++;
		int before_space = i == 0 || is_space_byte((unsigned char)s[i - 1]);
		int after_space = j == n || is_space_byte((unsigned char)s[j]);
		if (!(before_space && after_space))
			for (size_t k = i; k < j; k++)
				s[k] = (char)(s[k] == '*' ? EMPH_STAR : EMPH_UNDER);
		i = j;
	}
}

void emph_unmark(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] == EMPH_STAR)
			s[i] = '*';
		else if ((unsigned char)s[i] == EMPH_UNDER)
			s[i] = '_';
}

/* ---- characters ---- */

static int is_whitespace(gunichar c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR;
}

/* CommonMark's Unicode punctuation: the P and S general categories. */
static int is_punct(gunichar c)
{
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONNECT_PUNCTUATION:
	case G_UNICODE_DASH_PUNCTUATION:
	case G_UNICODE_CLOSE_PUNCTUATION:
	case G_UNICODE_FINAL_PUNCTUATION:
	case G_UNICODE_INITIAL_PUNCTUATION:
	case G_UNICODE_OTHER_PUNCTUATION:
	case G_UNICODE_OPEN_PUNCTUATION:
	case G_UNICODE_CURRENCY_SYMBOL:
	case G_UNICODE_MODIFIER_SYMBOL:
	case G_UNICODE_MATH_SYMBOL:
	case G_UNICODE_OTHER_SYMBOL:
		return 1;
	default:
		return 0;
	}
}

/* Wide characters that are emoji by default (Emoji_Presentation): not CJK. */
static int emoji_presentation(gunichar c)
{
	static const gunichar bmp[][2] = {
		{0x231a, 0x231b}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
		{0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f},
		{0x2693, 0x2693}, {0x26a1, 0x26a1}, {0x26aa, 0x26ab}, {0x26bd, 0x26be},
		{0x26c4, 0x26c5}, {0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
		{0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa}, {0x26fd, 0x26fd},
		{0x2705, 0x2705}, {0x270a, 0x270b}, {0x2728, 0x2728}, {0x274c, 0x274c},
		{0x274e, 0x274e}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
		{0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c}, {0x2b50, 0x2b50},
		{0x2b55, 0x2b55},
	};
	if (c >= 0x1f000 && c <= 0x1faff)
		return 1;
	for (size_t i = 0; i < sizeof(bmp) / sizeof(bmp[0]); i++)
		if (c >= bmp[i][0] && c <= bmp[i][1])
			return 1;
	return 0;
}

int emph_is_cjk(unsigned c)
{
	if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HANGUL)
		return 1;
	int halfwidth = (c >= 0xff61 && c <= 0xffdc) || (c >= 0xffe8 && c <= 0xffee) || c == 0x20a9;
	return (g_unichar_iswide(c) || halfwidth) && !emoji_presentation(c);
}

/* Variation selectors U+FE00-U+FE0E after a character belong to it. */
static int general_vs(gunichar c)
{
	return c >= 0xfe00 && c <= 0xfe0e;
}

static int ideographic_vs(gunichar c)
{
	return c >= 0xe0100 && c <= 0xe01ef;
}

/* ---- what is around a run ---- */

/* A neighbour of a delimiter run as the flanking rules see it. */
enum side { SIDE_SPACE, SIDE_PUNCT, SIDE_CJK_PUNCT, SIDE_CJK, SIDE_IVS, SIDE_OTHER };

static enum side side_of(gunichar c)
{
	if (is_whitespace(c))
		return SIDE_SPACE;
	if (ideographic_vs(c))
		return SIDE_IVS;
	int cjk = emph_is_cjk(c);
	if (is_punct(c))
		return cjk ? SIDE_CJK_PUNCT : SIDE_PUNCT;
	return cjk ? SIDE_CJK : SIDE_OTHER;
}

static gunichar placeholder_char(unsigned char b)
{
	return b == EMPH_STAR ? '*' : '_';
}

/* The character that ends before byte `at` (a general variation selector
 * is looked through to the character it follows). */
static gunichar char_before(const char *t, int at)
{
	for (int guard = 0; guard < 2; guard++) {
		int i = at - 1;
		while (i > 0 && ((unsigned char)t[i] & 0xc0) == 0x80)
			i--;
		unsigned char b = (unsigned char)t[i];
		if (b == EMPH_STAR || b == EMPH_UNDER)
			return placeholder_char(b);
		gunichar c;
		utf8_decode(t + i, &c);
		if (!general_vs(c) || i == 0)
			return c;
		at = i;
	}
	return 'a';
}

static gunichar char_at(const char *t, int at)
{
	unsigned char b = (unsigned char)t[at];
	if (b == EMPH_STAR || b == EMPH_UNDER)
		return placeholder_char(b);
	gunichar c;
	utf8_decode(t + at, &c);
	return c;
}

/* The neighbour on one side of [start, end): a line boundary or a soft
 * break is whitespace, a code span's edge or a scope's edge punctuation. */
static enum side neighbour(const struct emph_text *x, int start, int end, int before)
{
	int at = before ? start : end;
	for (int lo = 0, hi = x->nbreaks; lo < hi;) {	/* breaks are in order */
		int mid = (lo + hi) / 2;
		if (x->breaks[mid] == at)
			return SIDE_SPACE;
		if (x->breaks[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (before ? start == 0 : end >= x->len)
		return SIDE_SPACE;
	int near = before ? start - 1 : end;
	if (x->code[near] || x->scope[near] != x->scope[before ? start : end - 1])
		return SIDE_PUNCT;
	return side_of(before ? char_before(x->text, start) : char_at(x->text, end));
}

/* ---- the delimiter runs ---- */

struct delim {
	int pos, len;		/* the run's remaining bytes: [pos, pos + len) */
	int orig;		/* its length before any was used */
	char c;			/* '*' or '_' */
	int can_open, can_close;
	int active;
	int prev, next;		/* the active delimiters around it (-1, n: none): the stack */
};

/* Takes d[k] off the stack: the looks back skip it from then on. */
static void drop(struct delim *d, int n, int k)
{
	d[k].active = 0;
	if (d[k].prev >= 0)
		d[d[k].prev].next = d[k].next;
	if (d[k].next < n)
		d[d[k].next].prev = d[k].prev;
}

static void flanking(const struct emph_text *x, struct delim *d)
{
	enum side b = neighbour(x, d->pos, d->pos + d->len, 1);
	enum side a = neighbour(x, d->pos, d->pos + d->len, 0);
	/* the amendment: only non-CJK punctuation keeps CommonMark's restriction */
	int left = a != SIDE_SPACE && (a != SIDE_PUNCT || b == SIDE_SPACE || b == SIDE_PUNCT ||
				      b == SIDE_CJK || b == SIDE_CJK_PUNCT || b == SIDE_IVS);
	int right = b != SIDE_SPACE && (b != SIDE_PUNCT || a == SIDE_SPACE || a == SIDE_PUNCT ||
				       a == SIDE_CJK || a == SIDE_CJK_PUNCT);
	int punct_before = b == SIDE_PUNCT || b == SIDE_CJK_PUNCT;
	int punct_after = a == SIDE_PUNCT || a == SIDE_CJK_PUNCT;
	if (d->c == '*') {
		d->can_open = left;
		d->can_close = right;
	} else {
		d->can_open = left && (!right || punct_before);
		d->can_close = right && (!left || punct_after);
	}
}

static void add_range(struct emph_result *r, int start, int end, int strong)
{
	r->v = xrealloc(r->v, (size_t)(r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = (struct emph_range){start, end, strong};
}

/* CommonMark's "process emphasis" over the runs of one scope, in order.
 * The stack is d linked by prev; each look back starts at the closer and
 * stops at the bottom its kind of closer has already searched, so the
 * whole is linear in the number of runs but for matches. */
static void process(struct delim *d, int n, struct emph_result *r)
{
	/* openers_bottom: per delimiter char, closer length mod 3, closer can open */
	int bottom[2][3][2];
	for (int i = 0; i < 2 * 3 * 2; i++)
		((int *)bottom)[i] = -1;
	for (int i = 0; i < n; i++)
		d[i].prev = i - 1, d[i].next = i + 1;
	for (int c = 0; c < n; c++) {
		struct delim *closer = &d[c];
		if (!closer->active || !closer->can_close)
			continue;
		int *bot = &bottom[closer->c == '_'][closer->orig % 3][closer->can_open];
		while (closer->len > 0) {
			int o;
			for (o = closer->prev; o > *bot; o = d[o].prev) {
				struct delim *op = &d[o];
				if (op->c != closer->c || !op->can_open)
					continue;
				/* the rule of 3 */
				if ((op->can_close || closer->can_open) && (op->orig + closer->orig) % 3 == 0 &&
				    !(op->orig % 3 == 0 && closer->orig % 3 == 0))
					continue;
				break;
			}
			if (o <= *bot) {
				*bot = closer->prev;
				if (!closer->can_open)
					drop(d, n, c);
				break;
			}
			struct delim *op = &d[o];
			int use = op->len >= 2 && closer->len >= 2 ? 2 : 1;
			op->len -= use;
			add_range(r, op->pos + op->len + use, closer->pos, use == 2);
			for (int k = 0; k < use; k++) {
				r->used[op->pos + op->len + k] = 1;
				r->used[closer->pos + k] = 1;
			}
			closer->pos += use;
			closer->len -= use;
			/* what lies between can match nothing now */
			for (int k = op->next; k < c; k = d[k].next)
				d[k].active = 0;
			op->next = c;
			closer->prev = o;
			if (op->len == 0)
				drop(d, n, o);
		}
		if (closer->len == 0 && closer->active)
			drop(d, n, c);
	}
}

void emph_resolve(const struct emph_text *x, struct emph_result *r)
{
	memset(r, 0, sizeof(*r));
	r->used = xcalloc((size_t)x->len + 1, 1);
	struct delim *d = xcalloc((size_t)x->len + 1, sizeof(*d));
	int nscopes = 0;
	for (int i = 0; i < x->len; i++)
		nscopes = x->scope[i] + 1 > nscopes ? x->scope[i] + 1 : nscopes;
	for (int s = 0; s < nscopes || s == 0; s++) {
		int n = 0;
		for (int i = 0; i < x->len;) {
			unsigned char b = (unsigned char)x->text[i];
			if ((b != EMPH_STAR && b != EMPH_UNDER) || x->scope[i] != s || x->code[i]) {
				i++;
				continue;
			}
			int j = i;
			while (j < x->len && (unsigned char)x->text[j] == b && x->scope[j] == s)
				j++;
			d[n] = (struct delim){i, j - i, j - i, (char)placeholder_char(b), 0, 0, 1, 0, 0};
			flanking(x, &d[n]);
			n++;
			i = j;
		}
		process(d, n, r);
	}
	free(d);
}

void emph_result_done(struct emph_result *r)
{
	free(r->v);
	free(r->used);
	memset(r, 0, sizeof(*r));
}
