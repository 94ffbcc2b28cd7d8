/* subset.c: the document's fonts cut down to the glyphs it draws, for the PDF.
 *
 * Terms.  A *font* is a PangoFont: a face at a size, as the composed runs
 * name it.  A *face* is the OpenType face (one face of a .ttc) behind it,
 * as HarfBuzz sees it; several fonts (sizes) share a face.
 *
 * Why.  cairo 1.16 embeds a CFF face with every one of its global
 * subroutines: each Noto CJK face costs the PDF 0.5-0.9 MB however few
 * glyphs it draws.  So before drawing, each face is cut down with hb-subset
 * to the glyphs the document draws, desubroutinized, with the glyph ids
 * kept (unused ids become empty glyphs), and without the tables a PDF does
 * not need (layout, vertical metrics).  cairo then subsets the cut face as
 * before: the PDF's fonts keep their names, their CID-keyed CFF form, their
 * widths and the ToUnicode maps that cairo writes from the runs' clusters.
 * Layout never sees the cut faces: it shaped with the full ones, and glyph
 * ids are the same in both.
 *
 * Time.  hb-subset costs tens of ms for a face with a thousand glyphs; the
 * faces are cut in parallel threads, each on its own HarfBuzz objects.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H
#include <hb-subset.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>

#include "bulletin.h"

/* The tables of a cut face.  Everything else goes: layout tables (shaping
 * is done), vertical metrics and the rest that cairo never reads. */
static const char *const keep_tables[] = {
	"CFF ", "glyf", "loca", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post",
	"cmap", "cvt ", "fpgm", "prep",
};

/* A face being cut: the glyphs and characters drawn, then the result. */
struct sface {
	char *file;		/* the font file, as fontconfig names it */
	int index;		/* the face in it */
	hb_set_t *glyphs;	/* glyph ids drawn */
	hb_set_t *unicodes;	/* characters of the runs drawn: the cut cmap */
	hb_blob_t *blob;	/* the cut face as an OpenType file, NULL if it failed */
	cairo_font_face_t *cface;	/* on blob; NULL if none */
};

/* A font of the runs and the scaled font that draws it from its cut face. */
struct sfont {
	PangoFont *font;	/* referenced */
	int face;		/* index in faces, -1 when it is drawn by Pango */
	cairo_scaled_font_t *scaled;	/* NULL until subset_make, or if none */
};

struct subset {
	struct sface *faces;
	int nfaces, capfaces;
	struct sfont *fonts;
	int nfonts, capfonts;
	int last;		/* the font found last: runs come in long streaks */
	FT_Library ft;		/* NULL until needed; each face holds a reference */
	int made;
};

struct subset *subset_new(void)
{
	struct subset *s = xcalloc(1, sizeof(*s));
	s->last = -1;
	return s;
}

void subset_free(struct subset *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nfonts; i++) {
		if (s->fonts[i].scaled)
			cairo_scaled_font_destroy(s->fonts[i].scaled);
		g_object_unref(s->fonts[i].font);
	}
	for (int i = 0; i < s->nfaces; i++) {
		struct sface *f = &s->faces[i];
		if (f->cface)
			cairo_font_face_destroy(f->cface);
		hb_blob_destroy(f->blob);
		hb_set_destroy(f->glyphs);
		hb_set_destroy(f->unicodes);
		free(f->file);
	}
	if (s->ft)
		FT_Done_Library(s->ft);	/* the last cut face to go frees it */
	free(s->faces);
	free(s->fonts);
	free(s);
}

/* Whether cairo can embed the face cut: CFF or TrueType outlines, no
 * variations (cairo 1.16 embeds neither CFF2 nor instances). */
static int face_cuttable(hb_face_t *face)
{
	hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
	hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
	hb_blob_t *fvar = hb_face_reference_table(face, HB_TAG('f', 'v', 'a', 'r'));
	int ok = (hb_blob_get_length(cff) || hb_blob_get_length(glyf)) && !hb_blob_get_length(fvar);
	hb_blob_destroy(cff);
	hb_blob_destroy(glyf);
	hb_blob_destroy(fvar);
	return ok;
}

/* The index of font in s, added if new. */
static int font_index(struct subset *s, PangoFont *font)
{
	if (s->last >= 0 && s->fonts[s->last].font == font)
		return s->last;
	for (int i = 0; i < s->nfonts; i++)
		if (s->fonts[i].font == font)
			return s->last = i;
	if (s->nfonts == s->capfonts) {
		s->capfonts = s->capfonts ? 2 * s->capfonts : 8;
		s->fonts = xrealloc(s->fonts, s->capfonts * sizeof(*s->fonts));
	}
	struct sfont *sf = &s->fonts[s->nfonts];
	sf->font = g_object_ref(font);
	sf->face = -1;
	sf->scaled = NULL;
	const FcChar8 *file;
	int index;
	FcPattern *pat = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
	if (pat && FcPatternGetString(pat, FC_FILE, 0, (FcChar8 **)&file) == FcResultMatch &&
	    FcPatternGetInteger(pat, FC_INDEX, 0, &index) == FcResultMatch) {
		int k = 0;
		while (k < s->nfaces && (strcmp(s->faces[k].file, (const char *)file) ||
					 s->faces[k].index != index))
			k++;
		if (k == s->nfaces) {
			if (s->nfaces == s->capfaces) {
				s->capfaces = s->capfaces ? 2 * s->capfaces : 4;
				s->faces = xrealloc(s->faces, s->capfaces * sizeof(*s->faces));
			}
			struct sface *f = &s->faces[s->nfaces++];
			memset(f, 0, sizeof(*f));
			f->file = xstrdup((const char *)file);
			f->index = index;
			f->glyphs = hb_set_create();
			f->unicodes = hb_set_create();
		}
		sf->face = k;
	}
	return s->last = s->nfonts++;
}

void subset_add_run(struct subset *s, const char *text, const PangoGlyphItem *gi)
{
	int i = font_index(s, gi->item->analysis.font);
	if (s->fonts[i].face < 0)
		return;
	struct sface *f = &s->faces[s->fonts[i].face];
	const PangoGlyphString *gs = gi->glyphs;
	for (int k = 0; k < gs->num_glyphs; k++) {
		PangoGlyph g = gs->glyphs[k].glyph;
		if (g != PANGO_GLYPH_EMPTY && !(g & PANGO_GLYPH_UNKNOWN_FLAG))
			hb_set_add(f->glyphs, g);
	}
	const char *p = text + gi->item->offset, *end = p + gi->item->length;
	while (p < end) {
		unsigned cp;
		p += utf8_decode(p, &cp);
		hb_set_add(f->unicodes, cp);
	}
}

hb_blob_t *subset_blob_new(hb_face_t *face, const hb_set_t *glyphs, const hb_set_t *unicodes)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return NULL;
	hb_set_union(hb_subset_input_glyph_set(in), glyphs);
	hb_set_t *u = hb_subset_input_unicode_set(in);
	hb_set_clear(u);
	if (unicodes)
		hb_set_union(u, unicodes);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_DESUBROUTINIZE |
					      HB_SUBSET_FLAGS_NO_HINTING);
	/* drop every table of the face but those kept */
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_tag_t tags[64];
	unsigned n = sizeof(tags) / sizeof(tags[0]);
	hb_face_get_table_tags(face, 0, &n, tags);
	for (unsigned i = 0; i < n; i++) {
		size_t k = 0;
		while (k < sizeof(keep_tables) / sizeof(keep_tables[0]) &&
		       tags[i] != hb_tag_from_string(keep_tables[k], 4))
			k++;
		if (k == sizeof(keep_tables) / sizeof(keep_tables[0]))
			hb_set_add(drop, tags[i]);
	}
	hb_face_t *cut = hb_subset_or_fail(face, in);
	hb_subset_input_destroy(in);
	if (!cut)
		return NULL;
	hb_blob_t *blob = hb_face_reference_blob(cut);
	hb_face_destroy(cut);
	if (!hb_blob_get_length(blob)) {
		hb_blob_destroy(blob);
		return NULL;
	}
	return blob;
}

/* The faces to cut, shared by the threads that cut them: each takes the
 * next face until none is left.  No face depends on another, so the result
 * does not depend on which thread cut what. */
struct work {
	struct sface *faces;
	int n;
	atomic_int next;
};

/* Cuts f from its own mapping of the font file, unmapped when done: the
 * pages hb-subset reads (the drawn glyphs' charstrings, scattered through a
 * 20 MB CFF table) then leave the process's memory with it. */
static void cut_face(struct sface *f)
{
	hb_blob_t *whole = hb_blob_create_from_file_or_fail(f->file);
	if (!whole)
		return;
	hb_face_t *face = hb_face_create(whole, f->index & 0xffff);
	if (face_cuttable(face))
		f->blob = subset_blob_new(face, f->glyphs, f->unicodes);
	hb_face_destroy(face);
	hb_blob_destroy(whole);
}

static void *cut_faces(void *arg)
{
	struct work *w = arg;
	int i;
	while ((i = atomic_fetch_add(&w->next, 1)) < w->n)
		cut_face(&w->faces[i]);
	return NULL;
}

/* What a cairo face on a cut face holds: freed when cairo lets it go,
 * which may be after subset_free (cairo keeps scaled fonts for reuse). */
struct hold {
	FT_Face ft;
	hb_blob_t *blob;
	FT_Library lib;
};

static const cairo_user_data_key_t hold_key;

static void hold_free(void *p)
{
	struct hold *h = p;
	FT_Done_Face(h->ft);
	hb_blob_destroy(h->blob);
	FT_Done_Library(h->lib);
	free(h);
}

/* A cairo face on f's cut face, or NULL. */
static cairo_font_face_t *cairo_face_new(struct subset *s, struct sface *f)
{
	unsigned len;
	const char *data = hb_blob_get_data(f->blob, &len);
	FT_Face ft;
	if (FT_New_Memory_Face(s->ft, (const FT_Byte *)data, len, 0, &ft))
		return NULL;
	cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(ft, 0);
	struct hold *h = xmalloc(sizeof(*h));
	h->ft = ft;
	h->blob = hb_blob_reference(f->blob);
	h->lib = s->ft;
	FT_Reference_Library(s->ft);
	if (cairo_font_face_set_user_data(cf, &hold_key, h, hold_free) != CAIRO_STATUS_SUCCESS) {
		hold_free(h);
		cairo_font_face_destroy(cf);
		return NULL;
	}
	return cf;
}

/* A scaled font like Pango's for font, on the cut face cf: same matrices
 * and options, so the glyphs land where Pango would put them. */
static cairo_scaled_font_t *scaled_new(PangoFont *font, cairo_font_face_t *cf)
{
	cairo_scaled_font_t *ps = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
	if (!ps || cairo_scaled_font_status(ps) != CAIRO_STATUS_SUCCESS)
		return NULL;
	cairo_font_face_t *pf = cairo_scaled_font_get_font_face(ps);
	/* synthetic bold or oblique: leave it to Pango and cairo as before */
	if (cairo_font_face_get_type(pf) != CAIRO_FONT_TYPE_FT || cairo_ft_font_face_get_synthesize(pf))
		return NULL;
	cairo_matrix_t fm, ctm;
	cairo_scaled_font_get_font_matrix(ps, &fm);
	cairo_scaled_font_get_ctm(ps, &ctm);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_scaled_font_get_font_options(ps, fo);
	cairo_scaled_font_t *sc = cairo_scaled_font_create(cf, &fm, &ctm, fo);
	cairo_font_options_destroy(fo);
	if (cairo_scaled_font_status(sc) != CAIRO_STATUS_SUCCESS) {
		cairo_scaled_font_destroy(sc);
		return NULL;
	}
	return sc;
}

int subset_make(struct subset *s)
{
	if (s->made)
		return 0;
	s->made = 1;
	/* cut the faces on this thread and one more (the machine's second core) */
	struct work w = {s->faces, s->nfaces, 0};
	pthread_t th;
	int threaded = s->nfaces > 1 && pthread_create(&th, NULL, cut_faces, &w) == 0;
	cut_faces(&w);
	if (threaded)
		pthread_join(th, NULL);
	int failed = 0;
	if (s->nfaces && FT_Init_FreeType(&s->ft))
		s->ft = NULL;
	for (int i = 0; i < s->nfaces; i++) {
		struct sface *f = &s->faces[i];
		if (f->blob && s->ft)
			f->cface = cairo_face_new(s, f);
		if (!f->cface)
			failed++;
	}
	for (int i = 0; i < s->nfonts; i++) {
		struct sfont *sf = &s->fonts[i];
		if (sf->face >= 0 && s->faces[sf->face].cface)
			sf->scaled = scaled_new(sf->font, s->faces[sf->face].cface);
	}
	return failed ? -1 : 0;
}

cairo_scaled_font_t *subset_lookup(struct subset *s, PangoFont *font)
{
	if (!s->made)
		return NULL;
	int i;
	if (s->last >= 0 && s->fonts[s->last].font == font)
		i = s->last;
	else {
		for (i = 0; i < s->nfonts && s->fonts[i].font != font; i++)
			;
		if (i == s->nfonts)
			return NULL;
		s->last = i;
	}
	return s->fonts[i].scaled;
}
