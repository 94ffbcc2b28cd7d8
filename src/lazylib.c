/* lazylib.c: libqpdf (the PDF's last pass), librsvg and gdk-pixbuf (SVG
 * and JPEG images) and ICU (collation, character widths), loaded when
 * first used, not linked.
 *
 * Linked, a process pays for them before main: libqpdf and what it brings
 * (libstdc++, GnuTLS, p11-kit) are ~2.9 ms of relocations and page faults
 * of every process's start, librsvg, gdk-pixbuf and theirs (libxml2, ICU)
 * ~2.5 ms more.  Loaded here, a render has them loaded on a thread of its
 * own while the issue is read and set (lazylib_prefetch), librsvg first
 * (the layout's SVGs are measured early); a command that writes no PDF,
 * draws no image or prints no index does not load them at all.  A library
 * that cannot be loaded is an error where it is needed, naming the
 * package.
 *
 * ICU renames its functions by version (ucol_open is ucol_open_72 in its
 * headers): the names looked up are the macros' expansions.
 */
#include <pthread.h>

#include "bulletin.h"
#include "lazylib.h"

struct qpdfl qpdfl;
struct imglib imglib;
struct icu icu;

static char *qpdf_why, *img_error, *icu_error;	/* why a library could not be loaded */
static pthread_once_t qpdf_once = PTHREAD_ONCE_INIT, img_once = PTHREAD_ONCE_INIT,
		      icu_once = PTHREAD_ONCE_INIT;

#define SLOT(f) (void **)&qpdfl.f,
static void qpdf_open(void)
{
	static const char *const names[] = {QPDF_FUNCTIONS(LIB_NAME)};
	void **const slots[] = {QPDF_FUNCTIONS(SLOT)};
	qpdf_why = lib_open(QPDF_SONAME, "libqpdf29", names, slots,
			      (int)(sizeof(names) / sizeof(names[0])));
}
#undef SLOT

#define SLOT(f) (void **)&imglib.f,
static void img_open(void)
{
	static const char *const rsvg_names[] = {RSVG_FUNCTIONS(LIB_NAME)};
	void **const rsvg_slots[] = {RSVG_FUNCTIONS(SLOT)};
	static const char *const pixbuf_names[] = {PIXBUF_FUNCTIONS(LIB_NAME)};
	void **const pixbuf_slots[] = {PIXBUF_FUNCTIONS(SLOT)};
	img_error = lib_open(PIXBUF_SONAME, "libgdk-pixbuf-2.0-0", pixbuf_names, pixbuf_slots,
			     (int)(sizeof(pixbuf_names) / sizeof(pixbuf_names[0])));
	if (!img_error)
		img_error = lib_open(RSVG_SONAME, "librsvg2-2", rsvg_names, rsvg_slots,
				     (int)(sizeof(rsvg_names) / sizeof(rsvg_names[0])));
}
#undef SLOT

#define SLOT(f) (void **)&icu.f,
#define ICU_NAME(f) LIB_XNAME(f)
#define LIB_XNAME(f) #f,
static void icu_open(void)
{
	static const char *const uc_names[] = {ICU_UC_FUNCTIONS(ICU_NAME)};
	void **const uc_slots[] = {ICU_UC_FUNCTIONS(SLOT)};
	static const char *const i18n_names[] = {ICU_I18N_FUNCTIONS(ICU_NAME)};
	void **const i18n_slots[] = {ICU_I18N_FUNCTIONS(SLOT)};
	icu_error = lib_open(ICUUC_SONAME, "libicu72", uc_names, uc_slots,
			     (int)(sizeof(uc_names) / sizeof(uc_names[0])));
	if (!icu_error)
		icu_error = lib_open(ICUI18N_SONAME, "libicu72", i18n_names, i18n_slots,
				     (int)(sizeof(i18n_names) / sizeof(i18n_names[0])));
}
#undef SLOT

const char *qpdf_load(void)
{
	pthread_once(&qpdf_once, qpdf_open);
	return qpdf_why;
}

const char *imglib_load(void)
{
	pthread_once(&img_once, img_open);
	return img_error;
}

const char *icu_load(void)
{
	pthread_once(&icu_once, icu_open);
	return icu_error;
}

static void prefetch(void *arg)
{
	(void)arg;
	imglib_load();
	qpdf_load();
}

void lazylib_prefetch(void)
{
	work_later(prefetch, NULL);
}
