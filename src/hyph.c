/* hyph.c: where a Latin word may take a hyphen at a line end, from a
 * hyphenation dictionary of libhyphen (LibreOffice's; Debian's hyphen-en-us
 * is /usr/share/hyphen/hyph_en_US.dic).
 *
 * Terms.  A *word* is a run of ASCII letters; a *token* is what lies
 * between two spaces (a word with its punctuation, or a URL).  A
 * *hyphenation point* after byte j of a word splits it into j + 1 letters
 * before the hyphen and the rest after it.  A dictionary is looked up when
 * a layout names it (only whether it can be read: loading takes ~5 ms) and
 * loaded when a word is first hyphenated with it, then kept for the process
 * (a render of many issues, watch mode), so callers borrow it.  Lookups and
 * loads are serialised: the renders of a batch may run on several threads.
 */
#include <hyphen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"

struct hyph {
	char *path;
	HyphenDict *dict;	/* NULL until first used */
	int unreadable;		/* the load failed: not retried */
};

#define MAX_DICTS 4
#define MAX_WORD 64	/* longer "words" (a hash, a run of letters) are left whole */

static struct hyph dicts[MAX_DICTS];
static int ndicts;
static pthread_mutex_t dicts_lock = PTHREAD_MUTEX_INITIALIZER;

const struct hyph *hyph_lookup(const char *path)
{
	if (!path || !*path)
		return NULL;
	struct hyph *h = NULL;
	pthread_mutex_lock(&dicts_lock);
	for (int i = 0; i < ndicts && !h; i++)
		if (strcmp(dicts[i].path, path) == 0)
			h = &dicts[i];
	if (!h && ndicts < MAX_DICTS && access(path, R_OK) == 0) {
		h = &dicts[ndicts++];
		h->path = xstrdup(path);
	}
	if (h && h->unreadable)
		h = NULL;
	pthread_mutex_unlock(&dicts_lock);
	return h;
}

/* h's dictionary, loaded now if it was not; NULL if it cannot be. */
static HyphenDict *dict_of(const struct hyph *h)
{
	struct hyph *m = &dicts[h - dicts];	/* h is one of dicts */
	pthread_mutex_lock(&dicts_lock);
	if (!m->dict && !m->unreadable) {
		m->dict = hnj_hyphen_load(m->path);
		m->unreadable = m->dict == NULL;
	}
	HyphenDict *dict = m->dict;
	pthread_mutex_unlock(&dicts_lock);
	return dict;
}

static int is_letter(unsigned char ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

int hyph_token_ok(const char *s, int len)
{
	for (int i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= '0' && ch <= '9') || ch == '@' || ch == '/' || ch == '\\' || ch == '_' ||
		    ch == '#' || ch == '=' || ch == '&' || ch == '~')
			return 0;	/* numbers, addresses, paths, code */
		/* a dot or colon between letters: www.example.org, a:b */
		if ((ch == '.' || ch == ':') && i > 0 && i + 1 < len && is_letter((unsigned char)s[i - 1]) &&
		    is_letter((unsigned char)s[i + 1]))
			return 0;
	}
	return 1;
}

int hyph_word(const struct hyph *h, const char *word, int len, int left, int right, char *pts)
{
	memset(pts, 0, len > 0 ? (size_t)len : 0);
	if (!h || len < left + right || len > MAX_WORD)
		return 0;
	char low[MAX_WORD + 1], marks[MAX_WORD + 5];
	int upper = 0;
	for (int i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)word[i];
		if (!is_letter(ch))
			return 0;
		upper += ch < 'a';
		low[i] = (char)(ch | 0x20);
	}
	if (upper == len)
		return 0;	/* capitals only: an acronym */
	low[len] = 0;
	if (left < 1)
		left = 1;
	if (right < 1)
		right = 1;
	char **rep = NULL;	/* non-standard hyphenation (Schiff-fahrt): not for English */
	int *pos = NULL, *cut = NULL;
	/* our minimums, not the dictionary's (hyph_en_US.dic says 2 and 3) */
	HyphenDict *dict = dict_of(h);
	if (!dict)
		return 0;
	int rc = hnj_hyphen_hyphenate3(dict, low, len, marks, NULL, &rep, &pos, &cut, left, right,
				       left, right);
	if (rep) {
		for (int i = 0; i < len; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
		return 0;
	}
	if (rc != 0)
		return 0;
	int n = 0;
	for (int j = left - 1; j < len - right; j++)
		if (marks[j] & 1)
			pts[j] = 1, n++;
	return n;
}
