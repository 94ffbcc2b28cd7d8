/* test_hostile.c: replays the hostile corpus (tests/hostile/, the fuzzers'
 * finds among it) through issue_parse and layout_parse as the fuzzers call
 * them: from a buffer of exactly the file's size, with no NUL after it, so
 * that the sanitizer build catches a read past the end.  Each file must give
 * a result or errors, never both, and every message must name a file. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"

/* The repository, found from this file's own path. */
static char *repo_path(const char *rel)
{
	const char *me = __FILE__;	/* .../tests/unit/test_hostile.c */
	const char *cut = strstr(me, "tests/unit/test_hostile.c");
	return xasprintf("%.*s%s", (int)(cut ? cut - me : 0), me, rel);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One file: 0 if it kept the contract. */
static int replay(const char *path, int layout, const char *layouts)
{
	struct diags d = {0};
	size_t len;
	char *text = file_load(path, &len, &d);
	if (!text) {
		diag_print(&d, stderr);
		diag_clear(&d);
		return -1;
	}
	char *exact = xmalloc(len);	/* no terminating NUL */
	memcpy(exact, text, len);
	free(text);
	int ok;
	if (layout) {
		struct layout *lo = layout_parse(path, exact, len, layouts, &d);
		ok = (lo != NULL) == (d.errors == 0);
		layout_free(lo);
	} else {
		struct issue *is = issue_parse(path, exact, len, &d);
		ok = (is != NULL) == (d.errors == 0);
		issue_free(is);
	}
	for (int i = 0; i < d.n; i++)
		if (!d.v[i].file || !d.v[i].msg || !*d.v[i].msg)
			ok = 0;
	if (!ok) {
		fprintf(stderr, "%s: broke the contract:\n", path);
		diag_print(&d, stderr);
	}
	diag_clear(&d);
	free(exact);
	return ok ? 0 : -1;
}

/* Replays every file of dir; counts one check per file. */
static void replay_dir(const char *rel, int layout)
{
	char *dir = repo_path(rel);
	char *layouts = repo_path("layouts");
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "cannot open %s\n", dir);
		check_failed++;
		free(dir);
		free(layouts);
		return;
	}
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (size_t)(n + 1) * sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(*names), by_name);
	for (int i = 0; i < n; i++) {
		if (replay(names[i], layout, layouts) == 0)
			check_passed++;
		else
			check_failed++;
		free(names[i]);
	}
	free(names);
	free(dir);
	free(layouts);
}

int main(void)
{
	(void)check_case_failed;	/* counted per file here, not per RUN */
	replay_dir("tests/hostile/issues", 0);
	replay_dir("tests/hostile/layouts", 1);
	return check_report();
}
