/* imglib.h: the functions of librsvg, gdk-pixbuf and ICU that bulletin
 * calls, loaded by imglib.c when first needed.  A caller checks
 * imglib_load() (or icu_load()) once, then calls imglib.f (icu.f) as it
 * would call f. */
#ifndef IMGLIB_H
#define IMGLIB_H

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>

#define RSVG_FUNCTIONS(X) \
	X(rsvg_handle_new_from_data) X(rsvg_handle_render_document) \
	X(rsvg_handle_get_intrinsic_size_in_pixels) X(rsvg_handle_get_geometry_for_element)
#define PIXBUF_FUNCTIONS(X) \
	X(gdk_pixbuf_loader_new_with_type) X(gdk_pixbuf_loader_set_size) \
	X(gdk_pixbuf_loader_write) X(gdk_pixbuf_loader_close) X(gdk_pixbuf_loader_get_pixbuf) \
	X(gdk_pixbuf_get_width) X(gdk_pixbuf_get_height) X(gdk_pixbuf_get_n_channels) \
	X(gdk_pixbuf_get_rowstride) X(gdk_pixbuf_read_pixels)
#define ICU_UC_FUNCTIONS(X) X(u_getIntPropertyValue) X(u_charType) X(u_errorName)
#define ICU_I18N_FUNCTIONS(X) X(ucol_open) X(ucol_close) X(ucol_strcollUTF8)

#define LIB_FIELD(f) __typeof__(&f) f;
extern struct imglib {
	RSVG_FUNCTIONS(LIB_FIELD)
	PIXBUF_FUNCTIONS(LIB_FIELD)
} imglib;
extern struct icu {
	ICU_UC_FUNCTIONS(LIB_FIELD)
	ICU_I18N_FUNCTIONS(LIB_FIELD)
} icu;
#undef LIB_FIELD

/* Loads librsvg and gdk-pixbuf once (callers wait for a load under way):
 * NULL, or why they cannot be loaded. */
const char *imglib_load(void);
/* Loads ICU's common and i18n libraries once: NULL, or why not. */
const char *icu_load(void);

#endif
