/* test_subset.c: faces cut to the glyphs drawn (subset.c).
 *
 * The faces are the project's (Noto Serif CJK SC), found like
 * test_compose.c finds them: fonts.conf through $BULLETIN_DATA, the working
 * directory (the runner's: the repo root) or this file's folder. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pango/pangocairo.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

static PangoContext *ctx;

static PangoFont *load_font(const char *desc)
{
	PangoFontDescription *fd = pango_font_description_from_string(desc);
	PangoFont *f = pango_context_load_font(ctx, fd);
	pango_font_description_free(fd);
	return f;
}

/* The glyph the font's cmap gives the character. */
static hb_codepoint_t glyph_of(hb_font_t *font, unsigned cp)
{
	hb_codepoint_t g = 0;
	hb_font_get_nominal_glyph(font, cp, &g);
	return g;
}

/* A face cut to four glyphs keeps their advances and outlines, renumbered
 * in the order of their ids, and drops (almost) every other glyph. */
static void test_cut_keeps_glyphs(void)
{
	PangoFont *pf = load_font("Noto Serif CJK SC 10");
	hb_font_t *full = pango_font_get_hb_font(pf);
	hb_face_t *face = hb_font_get_face(full);
	const unsigned text[] = {0x4E2D, 0x6587, 0x3002, 'A'};	/* 中文。A */
	hb_codepoint_t old[4];
	hb_set_t *glyphs = hb_set_create();
	for (int i = 0; i < 4; i++) {
		old[i] = glyph_of(full, text[i]);
		CHECK(old[i] != 0);
		hb_set_add(glyphs, old[i]);
	}
	CHECK_INT(hb_set_get_population(glyphs), 4);
	hb_map_t *gids = hb_map_create();
	hb_blob_t *blob = subset_blob_new(face, glyphs, gids);
	CHECK(blob != NULL);
	if (!blob)
		goto done;

	hb_blob_t *whole = hb_face_reference_blob(face);
	unsigned cut_len = hb_blob_get_length(blob), whole_len = hb_blob_get_length(whole);
	hb_blob_destroy(whole);
	CHECK(cut_len < 64 * 1024);		/* a few KB: no subroutines, no layout */
	CHECK(cut_len * 100 < whole_len);	/* of a 26 MB collection */

	hb_face_t *cut = hb_face_create(blob, 0);
	CHECK(hb_face_get_glyph_count(face) > 60000);
	unsigned count = hb_face_get_glyph_count(cut);	/* .notdef, the four, */
	CHECK(count >= 5 && count <= 8);		/* and hb-subset's odd extra */
	hb_font_t *small = hb_font_create(cut);
	hb_font_t *big = hb_font_create(face);	/* unscaled, as small */
	/* every glyph the cut holds: the four, .notdef, the odd extra */
	CHECK(hb_map_get_population(gids) >= 5 && hb_map_get_population(gids) == count);
	CHECK_INT(hb_map_get(gids, 0), 0);
	hb_codepoint_t prev = 0;
	hb_codepoint_t it = HB_SET_VALUE_INVALID;
	while (hb_set_next(glyphs, &it)) {
		hb_codepoint_t g = hb_map_get(gids, it);
		CHECK(g > prev && g < count);	/* in the order of the old ids */
		prev = g;
	}
	for (int i = 0; i < 4; i++) {
		hb_codepoint_t g = hb_map_get(gids, old[i]);
		CHECK(g >= 1 && g < count);
		CHECK_INT(hb_font_get_glyph_h_advance(small, g), hb_font_get_glyph_h_advance(big, old[i]));
		hb_glyph_extents_t a, b;
		CHECK(hb_font_get_glyph_extents(small, g, &a));
		CHECK(hb_font_get_glyph_extents(big, old[i], &b));
		CHECK(a.width != 0 && a.height != 0);	/* a real outline, */
		CHECK_INT(a.x_bearing, b.x_bearing);	/* the same one */
		CHECK_INT(a.y_bearing, b.y_bearing);
		CHECK_INT(a.width, b.width);
		CHECK_INT(a.height, b.height);
	}
	/* the cmap maps the characters kept, and only those */
	CHECK_INT(glyph_of(small, 0x4E2D), hb_map_get(gids, old[0]));
	CHECK_INT(glyph_of(small, 'A'), hb_map_get(gids, old[3]));
	CHECK_INT(glyph_of(small, 0x4E00), 0);	/* 一 */
	hb_font_destroy(small);
	hb_font_destroy(big);
	hb_face_destroy(cut);
	hb_blob_destroy(blob);
done:
	hb_map_destroy(gids);
	hb_set_destroy(glyphs);
	g_object_unref(pf);
}

/* A face without outlines cannot be cut; an empty glyph set gives a
 * face of .notdef alone. */
static void test_cut_edges(void)
{
	PangoFont *pf = load_font("Noto Serif CJK SC Bold 10");
	hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(pf));
	hb_set_t *glyphs = hb_set_create();
	CHECK(subset_blob_new(hb_face_get_empty(), glyphs, NULL) == NULL);
	hb_blob_t *blob = subset_blob_new(face, glyphs, NULL);
	CHECK(blob != NULL);
	if (blob) {
		hb_face_t *cut = hb_face_create(blob, 0);
		CHECK(hb_face_get_glyph_count(cut) <= 2);
		hb_face_destroy(cut);
		hb_blob_destroy(blob);
	}
	hb_set_destroy(glyphs);
	g_object_unref(pf);
}

/* The glyph items of a paragraph set in font (one line, ample measure). */
static void set_line(struct cpara *p, const char *text, const char *desc)
{
	struct compose_opts o;
	compose_opts_init(&o, 1000 * PANGO_SCALE);
	PangoFontDescription *fd = pango_font_description_from_string(desc);
	compose_paragraph(p, ctx, text, (int)strlen(text), NULL, fd, &o);
	pango_font_description_free(fd);
}

/* Runs noted, faces cut: each font's scaled font measures every glyph of
 * its runs as Pango's does; a font never noted has no cut. */
static void test_runs(void)
{
	const char *t1 = "数字政府动态，2022年8月刊。", *t2 = "本期导读";
	struct cpara p1, p2;
	set_line(&p1, t1, "Noto Serif CJK SC 10");
	set_line(&p2, t2, "Noto Sans CJK SC Bold 14");
	struct subset *s = subset_new();
	for (int l = 0; l < p1.nlines; l++)
		for (int r = 0; r < p1.lines[l].nruns; r++)
			subset_add_run(s, p1.lines[l].runs[r].gi);
	for (int l = 0; l < p2.nlines; l++)
		for (int r = 0; r < p2.lines[l].nruns; r++)
			subset_add_run(s, p2.lines[l].runs[r].gi);
	PangoFont *first = p1.lines[0].runs[0].gi->item->analysis.font;
	CHECK(subset_lookup(s, first) == NULL);	/* not made yet */
	CHECK_INT(subset_make(s), 0);
	int runs = 0;
	struct cpara *ps[2] = {&p1, &p2};
	for (int k = 0; k < 2; k++)
		for (int l = 0; l < ps[k]->nlines; l++)
			for (int r = 0; r < ps[k]->lines[l].nruns; r++) {
				PangoGlyphItem *gi = ps[k]->lines[l].runs[r].gi;
				PangoFont *font = gi->item->analysis.font;
				const struct subset_font *sf = subset_lookup(s, font);
				CHECK(sf != NULL);
				if (!sf)
					continue;
				runs++;
				CHECK_INT(cairo_scaled_font_status(sf->scaled), CAIRO_STATUS_SUCCESS);
				cairo_scaled_font_t *ps_ = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
				for (int i = 0; i < gi->glyphs->num_glyphs; i++) {
					PangoGlyph g = gi->glyphs->glyphs[i].glyph;
					if (g == PANGO_GLYPH_EMPTY || (g & PANGO_GLYPH_UNKNOWN_FLAG))
						continue;
					CHECK(hb_map_has(sf->gids, g));
					cairo_glyph_t a = {hb_map_get(sf->gids, g), 0, 0};
					cairo_glyph_t b = {g, 0, 0};
					cairo_text_extents_t ea, eb;
					cairo_scaled_font_glyph_extents(sf->scaled, &a, 1, &ea);
					cairo_scaled_font_glyph_extents(ps_, &b, 1, &eb);
					CHECK(ea.x_advance == eb.x_advance);
					CHECK(ea.width == eb.width && ea.height == eb.height);
				}
			}
	CHECK(runs >= 2);
	PangoFont *other = load_font("Noto Sans CJK SC 9");
	CHECK(subset_lookup(s, other) == NULL);
	g_object_unref(other);
	subset_free(s);
	compose_free(&p1);
	compose_free(&p2);
}


int main(void)
{
	struct fonts *f = fixture_fonts();
	ctx = fonts_context(f);
	RUN(test_cut_keeps_glyphs);
	RUN(test_cut_edges);
	RUN(test_runs);
	fonts_free(f);
	return check_report();
}
