/* fonts.c: the project's font set (fontconfig) and the measuring Pango context. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "bulletin.h"

struct fonts {
	FcConfig *config;
	PangoFontMap *map;
	PangoContext *ctx;
};

struct fonts *fonts_new(const char *conf, struct diags *d)
{
	return fonts_new_with(conf, NULL, 0, d);
}

struct fonts *fonts_new_with(const char *conf, const char *const *dirs, int ndirs,
			     struct diags *d)
{
	FcConfig *config = FcConfigCreate();
	if (!FcConfigParseAndLoad(config, (const FcChar8 *)conf, FcTrue)) {
		diag_add(d, SEV_ERROR, conf, 0, 0, "cannot load the font configuration");
		FcConfigDestroy(config);
		return NULL;
	}
	/* --font-path: the folders' faces join the set as application fonts,
	 * for this run only; the configuration's own folders stay as they are */
	for (int i = 0; i < ndirs; i++) {
		struct stat st;
		if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode) ||
		    !FcConfigAppFontAddDir(config, (const FcChar8 *)dirs[i])) {
			diag_add(d, SEV_ERROR, dirs[i], 0, 0, "--font-path: %s",
				 stat(dirs[i], &st) != 0 ? strerror(errno)
				 : !S_ISDIR(st.st_mode)  ? "not a folder"
							 : "cannot read the fonts in it");
			FcConfigDestroy(config);
			return NULL;
		}
	}
	if (!FcConfigBuildFonts(config)) {
		diag_add(d, SEV_ERROR, conf, 0, 0, "cannot build the font set");
		FcConfigDestroy(config);
		return NULL;
	}
	FcFontSet *set = FcConfigGetFonts(config, FcSetSystem);
	if (!set || set->nfont == 0) {
		diag_add(d, SEV_ERROR, conf, 0, 0,
			 "the font configuration finds no font; install fonts-noto-cjk and fonts-arphic-ukai");
		FcConfigDestroy(config);
		return NULL;
	}
	/* Made current before Pango starts: its font map's set-up thread calls
	 * FcInit(), which would otherwise parse the machine's whole
	 * configuration and caches for nothing (and compete for the CPU in a
	 * parallel batch). */
	FcConfigSetCurrent(config);
	struct fonts *f = xcalloc(1, sizeof(*f));
	f->config = config;
	f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), config);
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->map), 72.0);
	f->ctx = pango_font_map_create_context(f->map);
	pango_cairo_context_set_resolution(f->ctx, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	fonts_cairo_options(fo);
	pango_cairo_context_set_font_options(f->ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(f->ctx, FALSE);
	pango_context_set_language(f->ctx, pango_language_from_string("zh-cn"));
	return f;
}

void fonts_cairo_options(cairo_font_options_t *fo)
{
	/* Exact metrics: no hinting, positions never rounded to whole points. */
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
}

void fonts_free(struct fonts *f)
{
	if (!f)
		return;
	g_object_unref(f->ctx);
	g_object_unref(f->map);
	FcConfigDestroy(f->config);
	free(f);
}

struct ctx_table {
	GHashTable *v;
	guint serial;	/* the context's when made */
};

static void ctx_table_free(gpointer p)
{
	struct ctx_table *t = p;
	g_hash_table_unref(t->v);
	g_free(t);
}

GHashTable *fonts_context_table(PangoContext *ctx, const char *name, GHashFunc hash,
				GEqualFunc equal, GDestroyNotify key_free,
				GDestroyNotify value_free)
{
	struct ctx_table *t = g_object_get_data(G_OBJECT(ctx), name);
	if (!t || t->serial != pango_context_get_serial(ctx)) {
		t = g_new(struct ctx_table, 1);
		t->v = g_hash_table_new_full(hash, equal, key_free, value_free);
		t->serial = pango_context_get_serial(ctx);
		g_object_set_data_full(G_OBJECT(ctx), name, t, ctx_table_free);
	}
	return t->v;
}

PangoContext *fonts_context(struct fonts *f)
{
	return f->ctx;
}

int fonts_has_family(struct fonts *f, const char *family)
{
	FcPattern *pat = FcPatternCreate();
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
	FcFontSet *fs = FcFontList(f->config, pat, os);
	int found = fs && fs->nfont > 0;
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return found;
}

int fonts_fstype(struct fonts *f, const char *family, int bold)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_size(fd, 10 * PANGO_SCALE);
	PangoFont *font = pango_font_map_load_font(f->map, f->ctx, fd);
	pango_font_description_free(fd);
	if (!font)
		return -1;
	int fstype = -1;
	hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(font));
	hb_blob_t *os2 = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
	unsigned len;
	const unsigned char *p = (const unsigned char *)hb_blob_get_data(os2, &len);
	if (p && len >= 10)
		fstype = p[8] << 8 | p[9];
	hb_blob_destroy(os2);
	g_object_unref(font);
	return fstype;
}

char *fonts_families(struct fonts *f)
{
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
	FcFontSet *fs = FcFontList(f->config, pat, os);
	struct sbuf sb;
	sbuf_init(&sb);
	for (int i = 0; fs && i < fs->nfont; i++) {
		FcChar8 *name;
		if (FcPatternGetString(fs->fonts[i], FC_FAMILY, 0, &name) != FcResultMatch ||
		    strstr(sb.s, (const char *)name))
			continue;
		sbuf_printf(&sb, "%s%s", sb.len ? ", " : "", (const char *)name);
	}
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return sbuf_take(&sb);
}

/* One face of the set, for the listing. */
struct face {
	char *family, *style, *file;
	int index;
};

static int cmp_face(const void *a, const void *b)
{
	const struct face *x = a, *y = b;
	int c = strcmp(x->family, y->family);
	if (!c)
		c = strcmp(x->style, y->style);
	if (!c)
		c = strcmp(x->file, y->file);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

char *fonts_list(struct fonts *f)
{
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX, NULL);
	FcFontSet *fs = FcFontList(f->config, pat, os);
	int n = fs ? fs->nfont : 0;
	struct face *faces = xcalloc((size_t)n + 1, sizeof(*faces));
	int nfaces = 0;
	for (int i = 0; i < n; i++) {
		FcChar8 *family, *style, *file;
		int index = 0;
		/* a face's first family and style are its own (English) names;
		 * the others are translations */
		if (FcPatternGetString(fs->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch)
			continue;
		if (FcPatternGetString(fs->fonts[i], FC_STYLE, 0, &style) != FcResultMatch)
			style = (FcChar8 *)"";
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
			file = (FcChar8 *)"";
		FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
		faces[nfaces++] = (struct face){xstrdup((const char *)family),
						xstrdup((const char *)style),
						xstrdup((const char *)file), index};
	}
	qsort(faces, (size_t)nfaces, sizeof(*faces), cmp_face);
	struct sbuf sb;
	sbuf_init(&sb);
	int families = 0;
	for (int i = 0; i < nfaces; i++) {
		if (i == 0 || strcmp(faces[i].family, faces[i - 1].family)) {
			sbuf_printf(&sb, "%s\n", faces[i].family);
			families++;
		}
		sbuf_printf(&sb, "    %-12s %s", faces[i].style, faces[i].file);
		if (faces[i].index > 0)
			sbuf_printf(&sb, " (face %d)", faces[i].index);
		sbuf_str(&sb, "\n");
	}
	sbuf_printf(&sb, "%d families, %d faces\n", families, nfaces);
	for (int i = 0; i < nfaces; i++) {
		free(faces[i].family);
		free(faces[i].style);
		free(faces[i].file);
	}
	free(faces);
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return sbuf_take(&sb);
}
