/* subset.c: the document's fonts cut down to the glyphs it draws, for the PDF.
 *
 * Terms.  A *font* is a PangoFont: a face at a size, as the composed runs
 * name it.  A *face* is one OpenType face of a font file (a .ttc holds
 * several); several fonts (sizes) share a face.  To *cut* a face is to make
 * a new OpenType face of it that holds only some of its glyphs.
 *
 * Why.  cairo 1.16 embeds a Noto CJK face with thousands of its
 * subroutines: 0.5-0.9 MB a face, however few glyphs it draws.  So before
 * drawing, each face is cut with hb-subset to the glyphs the runs draw:
 * desubroutinized, without hints, without the tables a PDF does not need
 * (layout, vertical metrics), with a cmap of the characters of the glyphs
 * kept.  (Hints are 14 % of the reference issue's PDF: 477 KB with, 412 KB
 * without.  Viewers draw CJK outlines unhinted — pdf.js, MuPDF and poppler
 * by default — and a plate is imaged at 2400 dpi, where hints do nothing;
 * desubroutinized charstrings are the smaller file once compressed: 511 KB
 * with subroutines.)  Glyph ids are renumbered from 1 in the order of the old ids;
 * struct subset_font maps old to new.  cairo then embeds the cut face as
 * it embedded the full one: the PDF's fonts keep their names and CID-keyed
 * CFF form, and the widths, content streams and ToUnicode maps (from the
 * runs' clusters) are the same as with the full faces; only the font
 * programs and the subset tags of their names differ.  Layout never sees
 * the cut faces.
 *
 * Time and memory.  Cutting a face takes 5-20 ms.  Each cut reads the font
 * file through a mapping of its own, unmapped when the cut is made, so the
 * charstring pages it read (scattered through a 20 MB CFF table) leave the
 * process's resident memory before the next face is cut.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H
#include <hb-subset.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>

#include "bulletin.h"

/* How a face is cut (see above); part of the cache key. */
#define CUT_FLAGS (HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_HINTING)

/* The tables of a cut face: outlines, metrics, names, TrueType hinting
 * (dropped by CUT_FLAGS, kept here should a face need its instructions).
 * Every other table of the face (layout, vertical metrics...) is dropped. */
static const char *const keep_tables[] = {
	"CFF ", "glyf", "loca", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cmap",
	"cvt ", "fpgm", "prep",
};

/* What the warm-up of a face has asked of cairo (warm_face), so that a
 * face warmed before (taken from the kept faces) is asked only what is
 * new: per font, the glyphs measured; per glyph, the font whose outline
 * was looked up; the glyphs measured at one unit; with references to the
 * fonts whose caches hold the answers.  Shared by the kept faces and a
 * render's faces (refs); one thread at a time warms a face. */
struct warmth {
	atomic_int refs;
	int n, cap;
	PangoFont **font;	/* referenced */
	cairo_scaled_font_t **drawn;	/* font[i] as cairo makes it for a PDF surface */
	hb_set_t **measured;	/* old glyph ids measured in font[i] */
	hb_map_t *outlined;	/* old glyph id -> the i whose outline was looked up */
	hb_set_t *unit_done;	/* old glyph ids measured at one unit */
	cairo_scaled_font_t *unit;	/* the face at one unit, as cairo's font subsets make it */
};

static struct warmth *warmth_new(void)
{
	struct warmth *w = xcalloc(1, sizeof(*w));
	atomic_init(&w->refs, 1);
	w->outlined = hb_map_create();
	w->unit_done = hb_set_create();
	return w;
}

static struct warmth *warmth_ref(struct warmth *w)
{
	if (w)
		atomic_fetch_add(&w->refs, 1);
	return w;
}

static void warmth_unref(struct warmth *w)
{
	if (!w || atomic_fetch_sub(&w->refs, 1) != 1)
		return;
	for (int i = 0; i < w->n; i++) {
		g_object_unref(w->font[i]);
		cairo_scaled_font_destroy(w->drawn[i]);
		hb_set_destroy(w->measured[i]);
	}
	free(w->font);
	free(w->drawn);
	free(w->measured);
	hb_map_destroy(w->outlined);
	hb_set_destroy(w->unit_done);
	if (w->unit)
		cairo_scaled_font_destroy(w->unit);
	free(w);
}

/* A face to cut: the glyphs and characters drawn, then the cut. */
struct sface {
	char *file;		/* the font file, as fontconfig names it */
	int index;		/* the face in it (fontconfig's FC_INDEX) */
	hb_set_t *glyphs;	/* glyph ids drawn */
	hb_blob_t *blob;	/* the cut face, an OpenType file; NULL if not cut */
	hb_map_t *gids;		/* old glyph id -> id in blob */
	cairo_font_face_t *cface;	/* on blob; NULL if none */
	hb_map_t *first;	/* old glyph id -> the font that draws it first */
	int kept;		/* taken from the kept faces: cairo's caches are warm */
	struct warmth *warm;	/* what its warm-up asked; NULL until warmed */
};

/* A font of the runs; face is its sface, -1 when Pango draws it. */
struct sfont {
	PangoFont *font;	/* referenced */
	int face;
	hb_set_t *glyphs;	/* old glyph ids drawn in this font */
	struct subset_font out;	/* out.scaled NULL until subset_make, or if none */
};


struct subset {
	struct sface *faces;
	int nfaces, capfaces;
	struct sfont *fonts;
	int nfonts, capfonts;
	int last;		/* the font found last: runs come in long streaks */
	FT_Library ft;		/* NULL until subset_make; each cairo face holds a reference */
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
		if (s->fonts[i].out.scaled)
			cairo_scaled_font_destroy(s->fonts[i].out.scaled);
		hb_set_destroy(s->fonts[i].glyphs);
		g_object_unref(s->fonts[i].font);
	}
	for (int i = 0; i < s->nfaces; i++) {
		struct sface *f = &s->faces[i];
		warmth_unref(f->warm);
		if (f->cface)
			cairo_font_face_destroy(f->cface);
		hb_map_destroy(f->first);
		hb_blob_destroy(f->blob);
		hb_map_destroy(f->gids);
		hb_set_destroy(f->glyphs);
		free(f->file);
	}
	if (s->ft)
		FT_Done_Library(s->ft);	/* freed when the last cairo face lets it go */
	free(s->faces);
	free(s->fonts);
	free(s);
}

/* The index of font in s, added if new, with its face. */
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
	memset(sf, 0, sizeof(*sf));
	sf->font = g_object_ref(font);
	sf->face = -1;
	sf->glyphs = hb_set_create();
	FcPattern *pat = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
	FcChar8 *file;
	int index;
	if (pat && FcPatternGetString(pat, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetInteger(pat, FC_INDEX, 0, &index) == FcResultMatch) {
		int k = 0;
		while (k < s->nfaces &&
		       (s->faces[k].index != index || strcmp(s->faces[k].file, (const char *)file)))
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
			f->first = hb_map_create();
		}
		sf->face = k;
	}
	return s->last = s->nfonts++;
}

void subset_add_doc(struct subset *s, const struct doc *doc)
{
	for (int i = 0; i < doc->npages; i++) {
		const struct page *pg = &doc->pages[i];
		for (int k = 0; k < pg->nboxes; k++) {
			const struct box *b = &pg->boxes[k];
			if (b->kind != BOX_LINE)
				continue;
			for (int r = 0; r < b->line->nruns; r++)
				subset_add_run(s, b->line->runs[r].gi);
		}
	}
}

void subset_add_run(struct subset *s, const PangoGlyphItem *gi)
{
	if (s->made)
		return;
	int i = font_index(s, gi->item->analysis.font);
	if (s->fonts[i].face < 0)
		return;
	struct sfont *sf = &s->fonts[i];
	struct sface *f = &s->faces[sf->face];
	const PangoGlyphString *gs = gi->glyphs;
	for (int k = 0; k < gs->num_glyphs; k++) {
		PangoGlyph g = gs->glyphs[k].glyph;
		if (g == PANGO_GLYPH_EMPTY || (g & PANGO_GLYPH_UNKNOWN_FLAG) ||
		    hb_set_has(sf->glyphs, g))	/* seen in this font: noted */
			continue;
		hb_set_add(sf->glyphs, g);
		hb_set_add(f->glyphs, g);
		if (!hb_map_has(f->first, g))
			hb_map_set(f->first, g, (unsigned)i);
	}
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

hb_blob_t *subset_blob_new(hb_face_t *face, const hb_set_t *glyphs, hb_map_t *gids)
{
	if (!face_cuttable(face))
		return NULL;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return NULL;
	hb_set_union(hb_subset_input_glyph_set(in), glyphs);
	hb_subset_input_set_flags(in, CUT_FLAGS);
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_tag_t tags[64];
	unsigned ntags = sizeof(tags) / sizeof(tags[0]);
	const size_t nkeep = sizeof(keep_tables) / sizeof(keep_tables[0]);
	hb_face_get_table_tags(face, 0, &ntags, tags);
	for (unsigned i = 0; i < ntags; i++) {
		size_t k = 0;
		while (k < nkeep && tags[i] != hb_tag_from_string(keep_tables[k], 4))
			k++;
		if (k == nkeep)
			hb_set_add(drop, tags[i]);
	}
	hb_blob_t *blob = NULL;
	hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
	hb_face_t *cut = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	if (cut) {
		blob = hb_face_reference_blob(cut);
		if (!hb_blob_get_length(blob)) {
			hb_blob_destroy(blob);
			blob = NULL;
		} else if (gids) {	/* every glyph the cut holds, by its new id */
			const hb_map_t *back = hb_subset_plan_new_to_old_glyph_mapping(plan);
			unsigned n = hb_face_get_glyph_count(cut);
			hb_map_clear(gids);
			for (unsigned g = 0; g < n; g++)
				if (hb_map_has(back, g))
					hb_map_set(gids, hb_map_get(back, g), g);
		}
		hb_face_destroy(cut);
	}
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	return blob;
}

/* Cuts f, reading the font file through a mapping of its own that is gone
 * when the cut is made. */
/* The cache key of f's cut: what makes it (the program and HarfBuzz, the
 * font file as it is now, the face, the glyphs); NULL if the file cannot
 * be looked at. */
static char *cut_key(const struct sface *f, size_t *len)
{
	struct stat st;
	if (stat(f->file, &st) != 0)
		return NULL;
	struct sbuf k;
	sbuf_init(&k);
	sbuf_printf(&k, "subset 2|bulletin %s|harfbuzz %s|flags %u|%s|%lld|%lld.%09ld|%d|",
		    BULLETIN_VERSION, hb_version_string(), (unsigned)CUT_FLAGS, f->file, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec, f->index);
	hb_codepoint_t g = HB_SET_VALUE_INVALID;
	while (hb_set_next(f->glyphs, &g))
		sbuf_printf(&k, "%u,", g);
	*len = k.len;
	return sbuf_take(&k);
}

/* A cut from the cache: its glyph map (count, then old and new ids, 32
 * bits each) and the face after it.  0, or -1 if the entry is not whole. */
static int cut_from(struct sface *f, const struct sbuf *e)
{
	uint32_t n;
	if (e->len < sizeof(n))
		return -1;
	memcpy(&n, e->s, sizeof(n));
	size_t map = sizeof(n) + (size_t)n * 2 * sizeof(uint32_t);
	if (n > 1u << 20 || e->len <= map)
		return -1;
	f->gids = hb_map_create();
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pair[2];
		memcpy(pair, e->s + sizeof(n) + (size_t)i * sizeof(pair), sizeof(pair));
		hb_map_set(f->gids, pair[0], pair[1]);
	}
	char *data = xmalloc(e->len - map);
	memcpy(data, e->s + map, e->len - map);
	f->blob = hb_blob_create_or_fail(data, (unsigned)(e->len - map), HB_MEMORY_MODE_WRITABLE, data,
					 free);
	return f->blob ? 0 : -1;
}

/* Cuts f to its glyphs, or takes the cut from the cache of cuts kept by
 * earlier runs (cache.c); the face is read through a mapping of its own
 * that is gone when the cut is made. */
static void cut_face(struct sface *f)
{
	hb_blob_t *whole = NULL;
	hb_face_t *face = NULL;
	size_t klen = 0;
	char *key = cut_key(f, &klen);
	struct sbuf e;
	if (key && cache_get("subsets", key, klen, &e) == 0) {
		int ok = cut_from(f, &e) == 0;
		sbuf_done(&e);
		if (ok)
			goto done;
		if (f->gids)
			hb_map_destroy(f->gids);
		f->gids = NULL;
	}
	if ((whole = hb_blob_create_from_file_or_fail(f->file)))
		face = hb_face_create(whole, f->index & 0xffff);
	if (face) {
		f->gids = hb_map_create();
		f->blob = subset_blob_new(face, f->glyphs, f->gids);
	}
	if (key && f->blob) {	/* kept for the next run */
		struct sbuf out;
		sbuf_init(&out);
		uint32_t n = (uint32_t)hb_map_get_population(f->gids);
		sbuf_add(&out, (const char *)&n, sizeof(n));
		uint32_t written = 0;
		for (hb_codepoint_t g = 0; g < hb_face_get_glyph_count(face) && written < n; g++) {
			if (!hb_map_has(f->gids, g))
				continue;
			uint32_t pair[2] = {g, hb_map_get(f->gids, g)};
			sbuf_add(&out, (const char *)pair, sizeof(pair));
			written++;
		}
		unsigned blen = 0;
		const char *data = hb_blob_get_data(f->blob, &blen);
		if (written == n) {
			sbuf_add(&out, data, blen);
			cache_put("subsets", key, klen, out.s, out.len);
		}
		sbuf_done(&out);
	}
done:
	free(key);
	hb_face_destroy(face);
	hb_blob_destroy(whole);
}

/* What a cairo face on a cut face holds, freed when cairo lets the face go:
 * that may be after subset_free, as cairo keeps scaled fonts for reuse. */
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
static cairo_font_face_t *cairo_face_new(FT_Library lib, struct sface *f)
{
	unsigned len;
	const char *data = hb_blob_get_data(f->blob, &len);
	FT_Face ft;
	if (FT_New_Memory_Face(lib, (const FT_Byte *)data, len, 0, &ft))
		return NULL;
	cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(ft, 0);
	struct hold *h = xmalloc(sizeof(*h));
	h->ft = ft;
	h->blob = hb_blob_reference(f->blob);
	h->lib = lib;
	FT_Reference_Library(lib);
	if (cairo_font_face_set_user_data(cf, &hold_key, h, hold_free) != CAIRO_STATUS_SUCCESS) {
		hold_free(h);
		cairo_font_face_destroy(cf);
		return NULL;
	}
	return cf;
}

/* A scaled font like Pango's for font, on the cut face cf: same matrices
 * and options, so that cairo places and measures the glyphs as before:
 * the pattern's pixel size (at 72 dpi, the size in points), no transform,
 * the font set's options — as Pango's own scaled font has them, without
 * asking Pango for it (cairo would open the font file in FreeType for its
 * metrics: 0.5-1 ms a Noto CJK face).  A synthetic bold or oblique face,
 * or a pattern with a matrix, is left to Pango, as before. */
static cairo_scaled_font_t *scaled_new(PangoFont *font, cairo_font_face_t *cf)
{
	FcPattern *pat = PANGO_IS_FC_FONT(font) ? pango_fc_font_get_pattern(PANGO_FC_FONT(font)) : NULL;
	double px;
	FcBool bold = FcFalse;
	FcMatrix *m;
	if (!pat || FcPatternGetDouble(pat, FC_PIXEL_SIZE, 0, &px) != FcResultMatch || !(px > 0) ||
	    FcPatternGetMatrix(pat, FC_MATRIX, 0, &m) == FcResultMatch ||
	    (FcPatternGetBool(pat, FC_EMBOLDEN, 0, &bold) == FcResultMatch && bold))
		return NULL;
	cairo_matrix_t fm, ctm;
	cairo_matrix_init_scale(&fm, px, px);
	cairo_matrix_init_identity(&ctm);
	cairo_font_options_t *fo = cairo_font_options_create();
	fonts_cairo_options(fo);
	cairo_scaled_font_t *sc = cairo_scaled_font_create(cf, &fm, &ctm, fo);
	cairo_font_options_destroy(fo);
	if (cairo_scaled_font_status(sc) != CAIRO_STATUS_SUCCESS) {
		cairo_scaled_font_destroy(sc);
		return NULL;
	}
	return sc;
}

/* The faces this process cut last (watch renders the same issue again and
 * again; a batch's issues share few): a face drawn with the same glyphs
 * takes the cut, and the cairo face on it, from here — and with that face
 * cairo's scaled fonts and their glyph caches, so that a render after an
 * edit loads no glyph it drew before.  The least recently used of
 * KEPT_FACES goes.  Only while subset_keep is on (watch): what is kept
 * stays in memory through the rest of a render (a volume's faces and
 * their glyphs: 20 MB).  Guarded by kept_lock. */
#define KEPT_FACES 8
static struct kept {
	char *file;
	int index;
	hb_blob_t *blob;
	hb_map_t *gids;		/* every glyph the cut holds */
	cairo_font_face_t *cface;
	struct warmth *warm;
	unsigned long used;	/* when last taken: larger is later */
} kept[KEPT_FACES];
static unsigned long kept_clock;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static int keeping;	/* subset_keep: off, so a single render holds nothing */

void subset_keep(void)
{
	keeping = 1;
}

/* Whether a cut with gids holds every glyph of glyphs. */
static int covers(const hb_map_t *gids, const hb_set_t *glyphs)
{
	hb_codepoint_t g = HB_SET_VALUE_INVALID;
	while (hb_set_next(glyphs, &g))
		if (!hb_map_has(gids, g))
			return 0;
	return 1;
}

/* f from the kept faces (1), or 0: a cut of f's face that holds its
 * glyphs (and maybe more: the PDF is the same, pdfobj_fonts_start). */
static int kept_take(struct sface *f)
{
	int hit = 0;
	pthread_mutex_lock(&kept_lock);
	for (int i = 0; i < KEPT_FACES && !hit; i++) {
		struct kept *k = &kept[i];
		if (!k->cface || k->index != f->index || strcmp(k->file, f->file) ||
		    !covers(k->gids, f->glyphs))
			continue;
		f->blob = hb_blob_reference(k->blob);
		f->gids = hb_map_reference(k->gids);
		f->cface = cairo_font_face_reference(k->cface);
		f->warm = warmth_ref(k->warm);
		f->kept = 1;
		k->used = ++kept_clock;
		hit = 1;
	}
	pthread_mutex_unlock(&kept_lock);
	return hit;
}

static void kept_drop(struct kept *k)
{
	if (!k->cface)
		return;
	free(k->file);
	hb_blob_destroy(k->blob);
	hb_map_destroy(k->gids);
	cairo_font_face_destroy(k->cface);
	warmth_unref(k->warm);
	memset(k, 0, sizeof(*k));
}

/* Keeps f's cut, cairo face and warmth, in place of the same cut or else
 * of the least recently used. */
static void kept_put(const struct sface *f)
{
	if (!keeping)
		return;
	pthread_mutex_lock(&kept_lock);
	struct kept *k = NULL;
	for (int i = 0; i < KEPT_FACES && !k; i++)
		if (kept[i].cface && kept[i].blob == f->blob)	/* the same cut */
			k = &kept[i];
	if (!k) {
		k = &kept[0];
		for (int i = 1; i < KEPT_FACES && k->cface; i++)
			if (!kept[i].cface || kept[i].used < k->used)
				k = &kept[i];
	}
	kept_drop(k);
	k->file = xstrdup(f->file);
	k->index = f->index;
	k->blob = hb_blob_reference(f->blob);
	k->gids = hb_map_reference(f->gids);
	k->cface = cairo_font_face_reference(f->cface);
	k->warm = warmth_ref(f->warm);
	k->used = ++kept_clock;
	pthread_mutex_unlock(&kept_lock);
}

void subset_forget(void)
{
	pthread_mutex_lock(&kept_lock);
	for (int i = 0; i < KEPT_FACES; i++)
		kept_drop(&kept[i]);
	pthread_mutex_unlock(&kept_lock);
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* The index of font in w, added (with the font as cr's PDF surface makes
 * it from scaled) if new. */
static int warmth_font(struct warmth *w, PangoFont *font, cairo_scaled_font_t *scaled,
		       cairo_t *cr)
{
	for (int i = 0; i < w->n; i++)
		if (w->font[i] == font)
			return i;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		w->font = xrealloc(w->font, (size_t)w->cap * sizeof(*w->font));
		w->drawn = xrealloc(w->drawn, (size_t)w->cap * sizeof(*w->drawn));
		w->measured = xrealloc(w->measured, (size_t)w->cap * sizeof(*w->measured));
	}
	cairo_set_scaled_font(cr, scaled);
	w->font[w->n] = g_object_ref(font);
	w->drawn[w->n] = cairo_scaled_font_reference(cairo_get_scaled_font(cr));
	w->measured[w->n] = hb_set_create();
	return w->n++;
}

/* What cairo's PDF surface will ask of face k's glyphs, asked now, so that
 * the drawing finds it in cairo's caches: each glyph's metrics in each
 * font that draws it (the page's analysis), its outline in the font that
 * draws it first and its metrics at one unit (the font subsets; see
 * cairo-scaled-font-subsets.c); of a face warmed before, only what it was
 * not asked then (f->warm).  The faces are warmed side by side
 * (work_run), each by one thread: a face's glyphs load under its one
 * FreeType face's lock.  A cache it fills changes nothing in the PDF. */
static void warm_face(struct subset *s, int k)
{
	struct sface *f = &s->faces[k];
	if (!f->cface)
		return;
	if (!f->warm)
		f->warm = warmth_new();
	struct warmth *w = f->warm;
	if (!w->unit) {
		/* the face at one unit, as cairo's font subsets make it (default
		 * options, no hinting) */
		cairo_font_options_t *unit_options = cairo_font_options_create();
		cairo_font_options_set_hint_style(unit_options, CAIRO_HINT_STYLE_NONE);
		cairo_font_options_set_hint_metrics(unit_options, CAIRO_HINT_METRICS_OFF);
		cairo_matrix_t identity;
		cairo_matrix_init_identity(&identity);
		w->unit = cairo_scaled_font_create(f->cface, &identity, &identity, unit_options);
		cairo_font_options_destroy(unit_options);
	}
	/* a PDF surface of its own: cairo makes the fonts it makes for the
	 * real one (the surface's font options merged into the font's) */
	cairo_surface_t *scratch = cairo_pdf_surface_create_for_stream(discard, NULL, 1, 1);
	cairo_t *cr = cairo_create(scratch);
	unsigned nmax = hb_set_get_population(f->glyphs);
	cairo_glyph_t *v = xcalloc(nmax + 1, sizeof(*v)), *firsts = xcalloc(nmax + 1, sizeof(*v));
	cairo_glyph_t *units = xcalloc(nmax + 1, sizeof(*v));
	cairo_text_extents_t ext;
	for (int i = 0; i < s->nfonts; i++) {
		struct sfont *sf = &s->fonts[i];
		if (sf->face != k || !sf->out.scaled)
			continue;
		int wi = warmth_font(w, sf->font, sf->out.scaled, cr);
		cairo_set_scaled_font(cr, sf->out.scaled);
		int n = 0, nf = 0, nu = 0;
		hb_codepoint_t g = HB_SET_VALUE_INVALID;
		while (hb_set_next(sf->glyphs, &g)) {
			if (!hb_map_has(f->gids, g))
				continue;
			cairo_glyph_t cg = {hb_map_get(f->gids, g), 0, 0};
			if (!hb_set_has(w->measured[wi], g)) {
				v[n++] = cg;
				hb_set_add(w->measured[wi], g);
			}
			if (hb_map_get(f->first, g) != (unsigned)i)
				continue;
			if (!hb_map_has(w->outlined, g) || hb_map_get(w->outlined, g) != (unsigned)wi) {
				firsts[nf++] = cg;
				hb_map_set(w->outlined, g, (unsigned)wi);
			}
			if (!hb_set_has(w->unit_done, g)) {
				units[nu++] = cg;
				hb_set_add(w->unit_done, g);
			}
		}
		if (n)
			cairo_scaled_font_glyph_extents(w->drawn[wi], v, n, &ext);
		for (int at = 0; at < nf; at += 64) {	/* outlines, a path at a time */
			cairo_glyph_path(cr, firsts + at, nf - at < 64 ? nf - at : 64);
			cairo_new_path(cr);
		}
		if (nu)
			cairo_scaled_font_glyph_extents(w->unit, units, nu, &ext);
	}
	free(v);
	free(firsts);
	free(units);
	cairo_destroy(cr);
	cairo_surface_destroy(scratch);
}

/* Faces by their glyphs, the most first (the largest face starts first). */
static int more_glyphs(const void *a, const void *b, void *arg)
{
	const struct subset *s = arg;
	unsigned na = hb_set_get_population(s->faces[*(const int *)a].glyphs);
	unsigned nb = hb_set_get_population(s->faces[*(const int *)b].glyphs);
	return na != nb ? (na < nb ? 1 : -1) : *(const int *)a - *(const int *)b;
}

static int *largest_first(const struct subset *s)
{
	int *order = xcalloc((size_t)s->nfaces + 1, sizeof(*order));
	for (int i = 0; i < s->nfaces; i++)
		order[i] = i;
	qsort_r(order, (size_t)s->nfaces, sizeof(*order), more_glyphs, (void *)s);
	return order;
}

struct warm_order {
	struct subset *s;
	const int *face;
};

static void warm_task(void *arg, int i)
{
	const struct warm_order *w = arg;
	warm_face(w->s, w->face[i]);
}

int subset_make(struct subset *s)
{
	if (s->made)
		return 0;
	s->made = 1;
	/* the faces this process cut before, then the others one after
	 * another: each cut's mapping is gone before the next is made.  (Side
	 * by side on two cores the cuts of the reference take ~10 MB more at
	 * their peak, over the 64 MiB a render is to stay in, for no time
	 * measurable on a busy machine; a render from the cache of cuts does
	 * not cut at all.) */
	for (int i = 0; i < s->nfaces; i++)
		if (!kept_take(&s->faces[i]))
			cut_face(&s->faces[i]);
	int failed = 0;
	for (int i = 0; i < s->nfaces; i++) {
		struct sface *f = &s->faces[i];
		if (!f->cface && f->blob && !s->ft && FT_Init_FreeType(&s->ft))
			s->ft = NULL;
		if (!f->cface && f->blob && s->ft)
			f->cface = cairo_face_new(s->ft, f);
		failed += !f->cface;
	}
	for (int i = 0; i < s->nfonts; i++) {
		struct sfont *sf = &s->fonts[i];
		if (sf->face < 0 || !s->faces[sf->face].cface)
			continue;
		sf->out.scaled = scaled_new(sf->font, s->faces[sf->face].cface);
		sf->out.gids = s->faces[sf->face].gids;
	}
	int *order = largest_first(s);
	struct warm_order w = {s, order};
	work_run(s->nfaces, work_threads(), warm_task, &w);
	free(order);
	for (int i = 0; i < s->nfaces; i++)
		if (s->faces[i].cface && !s->faces[i].kept)
			kept_put(&s->faces[i]);
	return failed ? -1 : 0;
}


const struct subset_font *subset_lookup(struct subset *s, PangoFont *font)
{
	if (!s->made)
		return NULL;
	int i = s->last;
	if (i < 0 || s->fonts[i].font != font) {
		for (i = 0; i < s->nfonts && s->fonts[i].font != font; i++)
			;
		if (i == s->nfonts)
			return NULL;
		s->last = i;
	}
	return s->fonts[i].out.scaled ? &s->fonts[i].out : NULL;
}
