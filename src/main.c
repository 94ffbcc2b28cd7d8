/* main.c: the command line; runs the stages, prints diagnostics, sets the exit code. */
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"

static const char usage[] =
	"usage: bulletin render ISSUE.md [-o OUT.pdf] [--layout NAME|FILE] [--dump FILE|-]\n"
	"       bulletin --help | --version\n";

static const char help[] =
	"bulletin typesets one issue of a periodical bulletin into an A4 PDF.\n"
	"\n"
	"  render ISSUE.md      typeset ISSUE.md (YAML front matter + CommonMark)\n"
	"    -o OUT.pdf         where to write the PDF (default: the issue folder's\n"
	"                       name + .pdf, e.g. 2022-08.pdf, in the current folder)\n"
	"    --layout NAME|FILE the design: a name in layouts/ or a .yaml file\n"
	"                       (default: the issue's `layout:`, else epoint)\n"
	"    --dump FILE|-      also write pages, boxes and lines as text\n"
	"    --no-pdf           with --dump: lay out only, write no PDF\n"
	"\n"
	"Exit status: 0 done (warnings may have been printed), 1 bad input or\n"
	"output, 2 usage.  A failed run leaves an existing output untouched.\n"
	"Environment: BULLETIN_DATA, the folder holding layouts/ and fonts/\n"
	"(default: the folder above the executable's).\n";

/* The folder that holds layouts/ and fonts/: $BULLETIN_DATA, else the
 * nearest folder above the executable that has fonts/fonts.conf (build/bulletin
 * and build/asan/bulletin both find the source tree), else ".". */
static char *data_dir(void)
{
	const char *env = getenv("BULLETIN_DATA");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return xstrdup(".");
	exe[n] = '\0';
	char *dir = xstrdup(dirname(exe));
	for (int up = 0; up < 4; up++) {
		char *parent = xasprintf("%s/..", dir);
		char *conf = xasprintf("%s/fonts/fonts.conf", parent);
		int found = access(conf, R_OK) == 0;
		free(conf);
		free(dir);
		dir = parent;
		if (found)
			return dir;
	}
	free(dir);
	return xstrdup(".");
}

/* The default output: "issues/2022-08/issue.md" -> "2022-08.pdf". */
static char *default_output(const char *input)
{
	char *copy = xstrdup(input);
	char *base = basename(copy);
	char *out;
	if (!strcmp(base, "issue.md")) {
		char *copy2 = xstrdup(input);
		char *dir = dirname(copy2);
		char *folder = basename(dir);
		out = xasprintf("%s.pdf", strcmp(folder, ".") ? folder : "issue");
		free(copy2);
	} else {
		size_t len = strlen(base);
		if (len > 3 && !strcmp(base + len - 3, ".md"))
			base[len - 3] = '\0';
		out = xasprintf("%s.pdf", base);
	}
	free(copy);
	return out;
}

struct options {
	const char *input, *output, *layout, *dump;
	int no_pdf;
};

/* Numbers each heading from the layout's templates; returns one label (or
 * NULL) per block. */
static char **number_blocks(const struct issue *is, const struct layout *lo)
{
	char **labels = xcalloc((size_t)is->nblocks, sizeof(*labels));
	int counters[6] = {0};
	for (int i = 0; i < is->nblocks; i++) {
		const struct block *b = &is->blocks[i];
		if (b->kind != BLOCK_HEADING || b->unnumbered)
			continue;
		int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
		counters[lv - 1]++;
		for (int k = lv; k < 6; k++)
			counters[k] = 0;
		if (lo->heading[lv - 1].number)
			labels[i] = number_format(lo->heading[lv - 1].number, counters, 6);
	}
	return labels;
}

/* Template variables of an issue: year, month, number, date, and the
 * series' texts from the layout, each overridden by the front matter's
 * texts: and itself expanded (a text may say {year}). */
struct vars {
	struct tvar *v;
	char **owned;
};

static struct vars issue_vars(const struct issue *is, const struct layout *lo, int *n)
{
	struct vars tv;
	int cap = 4 + lo->texts.n + is->ntexts;
	tv.v = xcalloc((size_t)cap, sizeof(*tv.v));
	tv.owned = xcalloc((size_t)cap, sizeof(*tv.owned));
	int k = 0;
	tv.v[k++] = (struct tvar){"year", NULL, is->year};
	tv.v[k++] = (struct tvar){"month", NULL, is->month};
	tv.v[k++] = (struct tvar){"number", NULL, is->number};
	tv.v[k++] = (struct tvar){"date", is->date ? is->date : "", 0};
	int base = k;
	for (int i = 0; i < lo->texts.n; i++) {
		const char *value = lo->texts.values[i];
		for (int j = 0; j < is->ntexts; j++)
			if (!strcmp(is->text_keys[j], lo->texts.keys[i]))
				value = is->text_values[j];
		tv.owned[k] = tmpl_expand(value, tv.v, base);
		tv.v[k] = (struct tvar){lo->texts.keys[i], tv.owned[k], 0};
		k++;
	}
	*n = k;
	return tv;
}

static void vars_free(struct vars *tv, int n)
{
	if (tv->owned)
		for (int i = 0; i < n; i++)
			free(tv->owned[i]);
	free(tv->owned);
	free(tv->v);
}

static int render(const struct options *opt, const char *dir, struct diags *d)
{
	int rc = 1;
	struct issue *is = NULL;
	struct layout *lo = NULL;
	struct fonts *fonts = NULL;
	struct tblock *blocks = NULL;
	char **labels = NULL;
	struct doc doc = {0};
	struct vars tv = {0};
	int ntv = 0;
	char *layouts_dir = xasprintf("%s/layouts", dir);
	char *fonts_conf = xasprintf("%s/fonts/fonts.conf", dir);
	char *output = opt->output ? xstrdup(opt->output) : default_output(opt->input);

	is = issue_load(opt->input, d);
	if (!is)
		goto out;
	const char *layout_name = opt->layout ? opt->layout : is->layout ? is->layout : "epoint";
	lo = layout_load(layout_name, layouts_dir, d);
	if (!lo)
		goto out;
	fonts = fonts_new(fonts_conf, d);
	if (!fonts)
		goto out;
	const char *families[] = {lo->font_serif, lo->font_sans};
	for (int i = 0; i < 2; i++)
		if (families[i] && !fonts_has_family(fonts, families[i])) {
			diag_add(d, SEV_ERROR, lo->path, 0, 0,
				 "font family '%s' is not in the project's fonts (%s)", families[i],
				 fonts_conf);
			goto out;
		}

	labels = number_blocks(is, lo);
	blocks = xcalloc((size_t)is->nblocks, sizeof(*blocks));
	PangoContext *ctx = fonts_context(fonts);
	for (int i = 0; i < is->nblocks; i++)
		text_block(&blocks[i], ctx, lo, &is->blocks[i], labels[i], is->path, d);

	doc.width = lo->page_width;
	doc.height = lo->page_height;
	doc.date = is->date ? xstrdup(is->date) : xasprintf("%04d-%02d-01", is->year, is->month);
	tv = issue_vars(is, lo, &ntv);
	doc.title = lo->meta_title ? tmpl_expand(lo->meta_title, tv.v, ntv) : NULL;
	doc.subject = lo->meta_subject ? tmpl_expand(lo->meta_subject, tv.v, ntv) : NULL;
	doc.author = lo->meta_author ? tmpl_expand(lo->meta_author, tv.v, ntv) : NULL;
	toc_compose(&doc, ctx, lo, blocks, is->nblocks, tv.v, ntv, d);

	if (opt->dump) {
		FILE *f = strcmp(opt->dump, "-") ? fopen(opt->dump, "w") : stdout;
		if (!f) {
			diag_add(d, SEV_ERROR, opt->dump, 0, 0, "cannot write the dump");
			goto out;
		}
		dump_doc(&doc, f);
		if (f != stdout)
			fclose(f);
	}
	if (!opt->no_pdf && pdf_write(&doc, output, d) != 0)
		goto out;
	rc = 0;
out:
	doc_free(&doc);
	vars_free(&tv, ntv);
	if (blocks)
		for (int i = 0; i < is->nblocks; i++)
			text_block_done(&blocks[i]);
	free(blocks);
	if (labels)
		for (int i = 0; i < is->nblocks; i++)
			free(labels[i]);
	free(labels);
	fonts_free(fonts);
	layout_free(lo);
	issue_free(is);
	free(layouts_dir);
	free(fonts_conf);
	free(output);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		fputs("\n", stdout);
		fputs(help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("bulletin %s\n", BULLETIN_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "render") != 0) {
		fprintf(stderr, "bulletin: unknown command '%s'\n%s", argv[1], usage);
		return 2;
	}
	struct options opt = {0};
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < argc;
		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value)
			opt.output = argv[++i];
		else if (!strcmp(a, "--layout") && has_value)
			opt.layout = argv[++i];
		else if (!strcmp(a, "--dump") && has_value)
			opt.dump = argv[++i];
		else if (!strcmp(a, "--no-pdf"))
			opt.no_pdf = 1;
		else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "bulletin: unknown option or missing value: %s\n%s", a, usage);
			return 2;
		} else if (!opt.input)
			opt.input = a;
		else {
			fprintf(stderr, "bulletin: more than one input: %s\n%s", a, usage);
			return 2;
		}
	}
	if (!opt.input) {
		fprintf(stderr, "bulletin: render needs an issue file\n%s", usage);
		return 2;
	}
	if (opt.no_pdf && !opt.dump) {
		fprintf(stderr, "bulletin: --no-pdf goes with --dump\n%s", usage);
		return 2;
	}
	struct diags d = {0};
	char *dir = data_dir();
	int rc = render(&opt, dir, &d);
	diag_print(&d, stderr);
	if (rc == 0 && d.errors)
		rc = 1;
	diag_clear(&d);
	free(dir);
	return rc;
}
