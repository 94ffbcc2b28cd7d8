/* test_hyph.c: hyphenation points (hyph.c, with Debian's hyph_en_US.dic). */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"

static const struct hyph *dict;

/* The word with its hyphenation points as '-', in a static buffer. */
static const char *points(const char *w, int left, int right)
{
	static char out[256];
	char pts[128];
	int n = (int)strlen(w), k = 0;
	hyph_word(dict, w, n, left, right, pts);
	for (int i = 0; i < n; i++) {
		out[k++] = w[i];
		if (pts[i])
			out[k++] = '-';
	}
	out[k] = 0;
	return out;
}

static void test_lookup(void)
{
	CHECK(dict != NULL);
	CHECK(hyph_lookup(HYPH_DEFAULT_DICT) == dict);	/* loaded once */
	CHECK(hyph_lookup("/nonexistent/hyph_xx.dic") == NULL);
	CHECK(hyph_lookup("/nonexistent/hyph_xx.dic") == NULL);	/* remembered */
	CHECK(hyph_lookup(NULL) == NULL);
	CHECK(hyph_lookup("") == NULL);
}

static void test_points(void)
{
	CHECK_STR(points("hyphenation", 2, 3), "hy-phen-ation");
	CHECK_STR(points("conversion", 2, 3), "con-ver-sion");
	CHECK_STR(points("Interoperability", 2, 3), "In-ter-op-er-abil-ity");
	/* the fragments' least lengths are ours, not the dictionary's 2 and 3 */
	CHECK_STR(points("hyphenation", 4, 3), "hyphen-ation");
	CHECK_STR(points("hyphenation", 2, 6), "hy-phenation");
	CHECK_STR(points("restricted", 2, 2), "re-stricted");
	/* left whole: capitals only, digits, other characters, too short */
	CHECK_STR(points("NASA", 2, 2), "NASA");
	CHECK_STR(points("INTEROPERABILITY", 2, 3), "INTEROPERABILITY");
	CHECK_STR(points("IPv6connection", 2, 3), "IPv6connection");
	CHECK_STR(points("caf\xc3\xa9teria", 2, 3), "caf\xc3\xa9teria");
	CHECK_STR(points("it", 1, 1), "it");
	char pts[16];
	CHECK_INT(hyph_word(NULL, "hyphenation", 11, 2, 3, pts), 0);
}

static void test_tokens(void)
{
	CHECK(hyph_token_ok("hyphenation,", 12));
	CHECK(hyph_token_ok("(interoperability)", 18));
	CHECK(!hyph_token_ok("https://www.example.org/x", 25));
	CHECK(!hyph_token_ok("office@example.org", 18));
	CHECK(!hyph_token_ok("www.example", 11));
	CHECK(!hyph_token_ok("version2", 8));
	CHECK(!hyph_token_ok("snake_case_name", 15));
	CHECK(hyph_token_ok("end.", 4));	/* a full stop is not an address */
}

int main(void)
{
	dict = hyph_lookup(HYPH_DEFAULT_DICT);
	RUN(test_lookup);
	RUN(test_points);
	RUN(test_tokens);
	return check_report();
}
