/* test_hyph.c: hyphenation points (hyph.c, with Debian's hyph_en_US.dic)
 * and the composer's Latin paragraphs: hyphenated lines end in a hyphen run
 * of their own text, word spaces stay within the tolerance, at most
 * hyph_max_run hyphenated lines in a row, none before the last line. */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

#define EM 10240

static const struct hyph *dict;
static PangoContext *ctx;
static PangoFontDescription *font;

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

/* ---- the composer ------------------------------------------------------- */

static const char *TEXT =
	"Interoperability between public registers, authentication services and procurement "
	"platforms is presented as a precondition for modernisation, and departments are "
	"instructed to publish machine-readable descriptions of their interfaces. Universities "
	"are encouraged to collaborate with employers on curricula, while local authorities are "
	"asked to coordinate training providers so that opportunities reach communities outside "
	"the largest metropolitan regions, and the administrations responsible for procurement "
	"are expected to document their considerations transparently and comprehensively.";

static struct compose_opts latin_opts(double width_em)
{
	struct compose_opts o;
	compose_opts_init(&o, (int)(width_em * EM));
	o.latin = 1;
	o.hyph = dict;
	return o;
}

static int hyphenated(const struct cline *l)
{
	return l->hyphen;
}

/* Every line but the last flush, its word spaces within [min, max]. */
static void check_para(const struct cpara *p, const struct compose_opts *o)
{
	int run = 0;
	for (int i = 0; i < p->nlines; i++) {
		const struct cline *l = &p->lines[i];
		run = hyphenated(l) ? run + 1 : 0;
		CHECK(run <= o->hyph_max_run);
		if (i == p->nlines - 1) {
			CHECK(!hyphenated(l));
			continue;
		}
		CHECK_INT(l->width, l->measure);
		CHECK(l->spaces > 0);
		CHECK(l->space_min >= (int)(o->space_min * 1000) - 1);
		CHECK(l->space_max <= (int)(o->space_max * 1000) + 1);
		if (i == p->nlines - 2)
			CHECK(!hyphenated(l));
	}
}

static void test_latin_paragraph(void)
{
	int hyph_lines = 0;
	/* measures of 30 em and up, as the layouts' (40-45 em): narrower
	 * ones have lines with too few spaces to keep in the tolerance */
	for (double w = 30; w <= 48; w += 1.5) {
		struct compose_opts o = latin_opts(w);
		struct cpara p;
		compose_paragraph(&p, ctx, TEXT, (int)strlen(TEXT), NULL, font, &o);
		CHECK(p.nlines > 2);
		check_para(&p, &o);
		for (int i = 0; i < p.nlines; i++) {
			const struct cline *l = &p.lines[i];
			if (!l->hyphen)
				continue;
			hyph_lines++;
			/* the hyphen: the last run, its own text "-", one glyph,
			 * in the line's width; the line's text ends in a letter */
			const struct crun *r = &l->runs[l->nruns - 1];
			CHECK(r->text && strcmp(r->text, "-") == 0);
			CHECK_INT(r->gi->item->offset, 0);
			CHECK_INT(r->gi->item->length, 1);
			CHECK_INT(r->gi->glyphs->num_glyphs, 1);
			CHECK(r->x + r->gi->glyphs->glyphs[0].geometry.width == l->width);
			char last = TEXT[l->start + l->len - 1];
			CHECK((last | 0x20) >= 'a' && (last | 0x20) <= 'z');
			CHECK(TEXT[l->start + l->len] != ' ');
		}
		compose_free(&p);
	}
	CHECK(hyph_lines > 0);
}

/* One hyphenated line in a row at most, by the option. */
static void test_max_run(void)
{
	for (double w = 20; w <= 40; w += 2) {
		struct compose_opts o = latin_opts(w);
		o.hyph_max_run = 1;
		struct cpara p;
		compose_paragraph(&p, ctx, TEXT, (int)strlen(TEXT), NULL, font, &o);
		for (int i = 0; i + 1 < p.nlines; i++)
			CHECK(!(p.lines[i].hyphen && p.lines[i + 1].hyphen));
		compose_free(&p);
	}
}

/* Without a dictionary no line is hyphenated; a Chinese paragraph's
 * Latin words are never hyphenated. */
static void test_no_hyphens(void)
{
	struct compose_opts o = latin_opts(30);
	o.hyph = NULL;
	struct cpara p;
	compose_paragraph(&p, ctx, TEXT, (int)strlen(TEXT), NULL, font, &o);
	for (int i = 0; i < p.nlines; i++)
		CHECK(!p.lines[i].hyphen && p.lines[i].runs[p.lines[i].nruns - 1].text == NULL);
	compose_free(&p);
	compose_opts_init(&o, 30 * EM);
	o.hyph = dict;	/* latin == 0 */
	compose_paragraph(&p, ctx, TEXT, (int)strlen(TEXT), NULL, font, &o);
	for (int i = 0; i < p.nlines; i++)
		CHECK(!p.lines[i].hyphen && p.lines[i].spaces == 0);
	compose_free(&p);
}

/* An address breaks after a '/' or before a '.', with no hyphen added. */
static void test_address(void)
{
	const char *t = "See https://www.example.org/documents/interoperability/overview today.";
	struct compose_opts o = latin_opts(16);
	struct cpara p;
	compose_paragraph(&p, ctx, t, (int)strlen(t), NULL, font, &o);
	CHECK(p.nlines >= 2);
	for (int i = 0; i < p.nlines; i++) {
		const struct cline *l = &p.lines[i];
		CHECK(!l->hyphen);
		CHECK(!l->overfull);
	}
	compose_free(&p);
}

int main(void)
{
	dict = hyph_lookup(HYPH_DEFAULT_DICT);
	struct fonts *f = fixture_fonts();
	ctx = fonts_context(f);
	font = pango_font_description_from_string("Noto Serif CJK SC");
	pango_font_description_set_size(font, 10 * PANGO_SCALE);

	RUN(test_lookup);
	RUN(test_points);
	RUN(test_tokens);
	RUN(test_latin_paragraph);
	RUN(test_max_run);
	RUN(test_no_hyphens);
	RUN(test_address);

	pango_font_description_free(font);
	fonts_free(f);
	return check_report();
}
