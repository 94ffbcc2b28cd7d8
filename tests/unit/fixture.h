/* fixture.h: what several unit tests need beyond check.h: finding the
 * project's fonts.conf, and asserting a diagnostic with its place. */
#ifndef FIXTURE_H
#define FIXTURE_H
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"
#include "check.h"

/* The project's fonts/fonts.conf, as an absolute path (fontconfig reads a
 * relative name from its own folder): $BULLETIN_DATA, else the current
 * folder (tests run from the repository root), else next to this source. */
static inline char *fixture_fonts_conf(void)
{
	const char *data = getenv("BULLETIN_DATA");
	char cwd[4096];
	if (data)
		return xasprintf("%s/fonts/fonts.conf", data);
	if (getcwd(cwd, sizeof(cwd))) {
		char *p = xasprintf("%s/fonts/fonts.conf", cwd);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	char *dir = g_path_get_dirname(__FILE__);
	char *p = xasprintf("%s/../../fonts/fonts.conf", dir);
	g_free(dir);
	char *abs = realpath(p, NULL);
	free(p);
	return abs ? abs : xstrdup("fonts/fonts.conf");
}

/* The project's font set, or the test program ends here, failed. */
static inline struct fonts *fixture_fonts(void)
{
	struct diags d = {0};
	char *conf = fixture_fonts_conf();
	struct fonts *f = fonts_new(conf, &d);
	free(conf);
	if (!f) {
		diag_print(&d, stderr);
		printf("0 passed, 1 failed\n");
		exit(1);
	}
	diag_clear(&d);
	return f;
}

/* 1 if d holds this finding; file NULL matches any file. */
static inline int fixture_has_diag(const struct diags *d, enum severity sev, const char *file,
				   int line, int col, const char *msg)
{
	for (int i = 0; i < d->n; i++)
		if (d->v[i].sev == sev && d->v[i].line == line && d->v[i].col == col &&
		    !strcmp(d->v[i].msg, msg) && (!file || !strcmp(d->v[i].file, file)))
			return 1;
	return 0;
}

#define CHECK_DIAG_IN(d, sev, file, line, col, msg)                                      \
	do {                                                                             \
		if (!fixture_has_diag((d), (sev), (file), (line), (col), (msg))) {       \
			fprintf(stderr, "%s:%d: missing %d:%d: %s; have:\n", __FILE__,   \
				__LINE__, (line), (col), (msg));                         \
			diag_print((d), stderr);                                         \
			check_case_failed = 1;                                           \
		}                                                                        \
	} while (0)

/* A finding in any file. */
#define CHECK_DIAG(d, sev, line, col, msg) CHECK_DIAG_IN(d, sev, NULL, line, col, msg)
#endif
