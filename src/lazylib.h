/* lazylib.h: the functions of libqpdf, librsvg, gdk-pixbuf and ICU that
 * bulletin calls, loaded by lazylib.c when first needed.  A caller checks
 * qpdf_load() (imglib_load(), icu_load()) once, then calls qpdfl.f
 * (imglib.f, icu.f) as it would call f. */
#ifndef LAZYLIB_H
#define LAZYLIB_H

#include <qpdf/qpdf-c.h>
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

#define QPDF_FUNCTIONS(X) \
	X(qpdf_cleanup) X(qpdf_force_pdf_version) X(qpdf_get_buffer) X(qpdf_get_buffer_length) \
	X(qpdf_get_error) X(qpdf_get_error_full_text) X(qpdf_get_num_pages) \
	X(qpdf_get_object_by_id) X(qpdf_get_page_n) X(qpdf_get_root) X(qpdf_get_trailer) \
	X(qpdf_has_error) X(qpdf_init) X(qpdf_init_write_memory) X(qpdf_make_indirect_object) \
	X(qpdf_oh_append_item) X(qpdf_oh_begin_dict_key_iter) X(qpdf_oh_dict_more_keys) \
	X(qpdf_oh_dict_next_key) X(qpdf_oh_get_array_item) X(qpdf_oh_get_array_n_items) \
	X(qpdf_oh_get_dict) X(qpdf_oh_get_int_value_as_int) X(qpdf_oh_get_key) \
	X(qpdf_oh_get_name) X(qpdf_oh_get_object_id) X(qpdf_oh_get_stream_data) \
	X(qpdf_oh_get_utf8_value) X(qpdf_oh_get_value_as_int) X(qpdf_oh_has_key) \
	X(qpdf_oh_is_array) X(qpdf_oh_is_dictionary) X(qpdf_oh_is_integer) X(qpdf_oh_is_name) \
	X(qpdf_oh_is_name_and_equals) X(qpdf_oh_is_stream) X(qpdf_oh_is_string) \
	X(qpdf_oh_new_array) X(qpdf_oh_new_bool) X(qpdf_oh_new_dictionary) \
	X(qpdf_oh_new_integer) X(qpdf_oh_new_name) X(qpdf_oh_new_null) X(qpdf_oh_new_stream) \
	X(qpdf_oh_new_string) X(qpdf_oh_new_unicode_string) X(qpdf_oh_parse) X(qpdf_oh_release) \
	X(qpdf_oh_release_all) X(qpdf_oh_replace_key) X(qpdf_oh_replace_stream_data) \
	X(qpdf_oh_set_array_item) X(qpdf_read_memory) X(qpdf_replace_object) \
	X(qpdf_set_compress_streams) X(qpdf_set_decode_level) X(qpdf_set_deterministic_ID) \
	X(qpdf_set_minimum_pdf_version) X(qpdf_set_object_stream_mode) \
	X(qpdf_set_suppress_warnings) X(qpdf_silence_errors) X(qpdf_write)

#define LIB_FIELD(f) __typeof__(&f) f;
extern struct qpdfl {
	QPDF_FUNCTIONS(LIB_FIELD)
} qpdfl;
extern struct imglib {
	RSVG_FUNCTIONS(LIB_FIELD)
	PIXBUF_FUNCTIONS(LIB_FIELD)
} imglib;
extern struct icu {
	ICU_UC_FUNCTIONS(LIB_FIELD)
	ICU_I18N_FUNCTIONS(LIB_FIELD)
} icu;
#undef LIB_FIELD

/* Loads libqpdf once (callers wait for a load under way): NULL, or why
 * it cannot be loaded. */
const char *qpdf_load(void);
/* Loads librsvg and gdk-pixbuf once (callers wait for a load under way):
 * NULL, or why they cannot be loaded. */
const char *imglib_load(void);
/* Loads ICU's common and i18n libraries once: NULL, or why not. */
const char *icu_load(void);

#endif
