/* main.c: the command line: render, watch, serve and check; prints diagnostics and
 * sets the exit code.  Fonts are loaded once per process. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bulletin.h"

extern char **environ;

static const char usage[] =
	"usage: bulletin render ISSUE.md... [-o OUT | --out-dir DIR] [--layout NAME|FILE]\n"
	"                       [--format pdf|png] [--ppi N] [--pages LIST]\n"
	"                       [--deps FILE] [--dump FILE|-] [--dump-lines FILE|-]\n"
	"                       [--dump-model FILE|-] [--no-pdf]\n"
	"                       [--bleed LEN] [--impose saddle-stitch] [--cmyk]\n"
	"                       [--pdf-standard LIST]\n"
	"       bulletin watch ISSUE.md [-o OUT] [--layout NAME|FILE] [--format pdf|png] ...\n"
	"       bulletin serve ISSUE.md [--layout NAME|FILE] [--port N] [--open] [--ppi N]\n"
	"                       [--count N]\n"
	"       bulletin check ISSUE.md [--layout NAME|FILE] [--cmyk] [--pdf-standard LIST]\n"
	"       bulletin query ISSUE.md... [--layout NAME|FILE] [--pages]\n"
	"       bulletin diff OLD.pdf NEW.pdf [-o DIR] [--ppi N]\n"
	"       bulletin volume ISSUE.md... -o VOLUME.pdf [--layout NAME|FILE] [--dump FILE]\n"
	"                       [--bleed LEN] [--cmyk] [--pdf-standard LIST]\n"
	"       bulletin --help | --version\n";

static const char help[] =
	"bulletin typesets one issue of a periodical bulletin into an A4 PDF.\n"
	"\n"
	"  render ISSUE.md...   typeset each issue (YAML front matter + CommonMark)\n"
	"    -o OUT             the output (one issue); default: the issue folder's\n"
	"                       name, e.g. issues/2022-08/issue.md -> 2022-08.pdf\n"
	"    --out-dir DIR      write each issue's output into DIR (many issues in\n"
	"                       one process: fonts and configuration load once)\n"
	"    --layout NAME|FILE the design: a name in layouts/ or a .yaml file\n"
	"                       (default: the issue's `layout:`, else\n"
	"                       layouts/default.yaml, the house design)\n"
	"    --format pdf|png   png writes page images OUT-01.png, OUT-02.png, ...\n"
	"    --ppi N            pixels per inch of PNG pages (default 144)\n"
	"    --pages LIST       PNG pages to write, e.g. 1-3,7 (default: all)\n"
	"    --deps FILE        write the output's dependencies in make syntax\n"
	"    --dump FILE|-      also write pages, boxes and lines as text\n"
	"    --dump-lines FILE|- the set blocks (shaped lines) as text\n"
	"    --dump-model FILE|- the issue as parsed (blocks, spans, places) as text\n"
	"    --no-pdf           with a dump: lay out only, write no output\n"
	"    --bleed LEN        the print profile: pages grow by LEN (e.g. 3mm) and\n"
	"                       the layout's print.slug on every side, full-bleed\n"
	"                       elements run into the bleed, crop and registration\n"
	"                       marks stand in the slug, beyond the bleed; blank\n"
	"                       pages pad the issue to print.pad (4); TrimBox and\n"
	"                       BleedBox are written; no link annotations\n"
	"    --impose saddle-stitch  the print profile as printer's spreads: two\n"
	"                       pages a sheet side, paired for folding and nesting,\n"
	"                       inner sheets moved by the layout's print.creep\n"
	"    --cmyk             print colours: each in the layout's ink (colors:),\n"
	"                       greys and black text on the black plate only\n"
	"    --pdf-standard LIST the standards the PDF conforms to: a-2b, a-2u,\n"
	"                       a-3b (PDF/A), ua-1 (PDF/UA), x-4 (PDF/X-4, with\n"
	"                       --bleed), or one of these and ua-1 (a-2u,ua-1);\n"
	"                       default: the layout's pdf_standard.\n"
	"                       Every PDF is tagged; what a standard needs and the\n"
	"                       issue lacks (an image's alternate text) is an error\n"
	"  watch ISSUE.md       render, then render again whenever the issue, its\n"
	"                       layout (and those it extends) or an image it uses\n"
	"                       is saved; one line per render; keeps the last good\n"
	"                       output when the input has an error (Ctrl-C stops)\n"
	"    --count N          stop after N renders (for scripts)\n"
	"  serve ISSUE.md       a live preview in the browser: renders as watch does\n"
	"                       and serves the pages as images on 127.0.0.1 only;\n"
	"                       prints the URL.  A save replaces the pages that\n"
	"                       changed; an error shows FILE:LINE:COL over the last\n"
	"                       good pages; a click on a line shows (and copies) its\n"
	"                       issue file and line (Ctrl-C stops)\n"
	"    --port N           listen on port N (default: a free one)\n"
	"    --open             open the page in the browser (xdg-open)\n"
	"    --ppi N            pixels per inch of the pages shown (default 96)\n"
	"    --count N          stop after N renders, as watch does\n"
	"  check ISSUE.md       preflight without writing: missing glyphs, overfull\n"
	"                       lines, links without a target, headings out of order,\n"
	"                       fonts that may not embed; exit 1 on errors\n"
	"  query ISSUE.md...    the issues' structure as JSON on stdout, in date\n"
	"                       order: sections and entries with number, title,\n"
	"                       region, source link, characters, source line;\n"
	"                       --pages adds each heading's page and printed\n"
	"                       label (schema: docs/query.md)\n"
	"  diff OLD.pdf NEW.pdf compare two renders page by page (rasterised at\n"
	"                       --ppi, 72): which pages changed, moved, were added\n"
	"                       or removed; -o DIR writes each changed page beside\n"
	"                       its old one, the changes outlined; exit 0 identical,\n"
	"                       1 different, 2 error.  render --compare OLD.pdf\n"
	"                       does the same after rendering (exit 1: different)\n"
	"  volume ISSUE.md...   bind the issues, in date order, into one PDF: the\n"
	"                       layout's volume cover and contents (issue, section,\n"
	"                       entry), each issue with its own cover and running\n"
	"                       heads, one outline, folios as the layout's volume:\n"
	"                       says; -o is required\n"
	"\n"
	"Exit status: 0 done (warnings may have been printed), 1 bad input or\n"
	"output (in a batch: any issue failed), 2 usage.  A failed run leaves an\n"
	"existing output untouched.  Environment: BULLETIN_DATA, the folder that\n"
	"holds layouts/ and fonts/ (default: found above the executable).\n";

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
		if (found) {
			char *real = realpath(dir, NULL);
			if (real) {
				free(dir);
				dir = real;
			}
			return dir;
		}
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

enum format { FORMAT_PDF, FORMAT_PNG };

struct options {
	const char **inputs;
	int ninputs;
	const char *output, *out_dir, *layout, *dump, *deps, *pages;
	const char *dump_lines, *dump_model;	/* the earlier stages' dumps */
	enum format format;
	double ppi;
	int no_pdf;
	int count;		/* watch: stop after this many renders (0: never) */
	int port, port_set;	/* serve --port */
	int open;		/* serve --open: start the browser */
	double bleed;		/* pt; > 0 selects the print profile */
	int impose;		/* --impose saddle-stitch: printer's spreads (the print profile) */
	int query_pages;	/* query --pages: where each heading lands */
	const char *compare;	/* render --compare OLD.pdf */
	int ppi_set;		/* --ppi given */
	int cmyk;
	int standards_set;	/* --pdf-standard given: standards, not the layout's */
	unsigned standards;
};

/* The output path of an input: -o, else DIR/NAME or NAME with the
 * format's extension (NAME from default_output). */
static char *output_path(const struct options *opt, const char *input)
{
	if (opt->output)
		return xstrdup(opt->output);
	char *name = default_output(input);
	if (opt->format == FORMAT_PNG) {
		size_t n = strlen(name);
		memcpy(name + n - 4, ".png", 4);
	}
	if (!opt->out_dir)
		return name;
	char *path = xasprintf("%s/%s", opt->out_dir, name);
	free(name);
	return path;
}

/* "out/x.png" or "out/x.pdf" -> "out/x": the stem of PNG page files. */
static char *png_base(const char *out)
{
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	if (dot && (!slash || dot > slash) && (!strcmp(dot, ".png") || !strcmp(dot, ".pdf")))
		return xstrndup(out, (size_t)(dot - out));
	return xstrdup(out);
}

/* Parses "1-3,7" into a selection of npages pages.  NULL on a malformed
 * list (an error in d). */
static char *page_selection(const char *list, int npages, struct diags *d)
{
	char *sel = xcalloc((size_t)npages + 1, 1);
	const char *p = list;
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p || a < 1)
			goto bad;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				goto bad;
			p = end;
		}
		for (long i = a; i <= b && i <= npages; i++)
			sel[i - 1] = 1;
		if (a > npages)
			diag_add(d, SEV_WARNING, NULL, 0, 0, "--pages: the document has %d pages, not %ld",
				 npages, a);
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	return sel;
bad:
	diag_add(d, SEV_ERROR, NULL, 0, 0, "--pages: expected a list like 1-3,7, got '%s'", list);
	free(sel);
	return NULL;
}

/* Every file the output depends on: what the render read or tried to
 * (the issue, its layouts, its images), the font configuration and the
 * program. */
static void deps_collect(struct paths *dp, const struct job *j, const char *input, const char *dir)
{
	paths_add(dp, input);
	for (int i = 0; i < j->reads.n; i++)
		paths_add(dp, j->reads.v[i]);
	char *conf = xasprintf("%s/fonts/fonts.conf", dir);
	paths_add(dp, conf);
	free(conf);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		paths_add(dp, exe);
	}
}

/* Make syntax, as gcc -MD -MP writes it: the target and its prerequisites,
 * then an empty rule per prerequisite so that a deleted file does not stop
 * make.  Spaces in names are escaped. */
static void deps_text(const struct paths *dp, const char *target, struct sbuf *sb)
{
	for (const char *c = target; *c; c++)
		sbuf_printf(sb, *c == ' ' ? "\\%c" : "%c", *c);
	sbuf_str(sb, ":");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < dp->n; i++) {
			sbuf_str(sb, pass ? "\n" : " \\\n ");
			for (const char *c = dp->v[i]; *c; c++)
				sbuf_printf(sb, *c == ' ' ? "\\%c" : "%c", *c);
			if (pass)
				sbuf_str(sb, ":\n");
		}
	sbuf_str(sb, "\n");
}

struct session {
	char *dir;		/* holds layouts/ and fonts/ */
	char *layouts_dir;
	struct fonts *fonts;
};

/* The files one render writes, in order: PDF or PNG pages, dump, deps. */
struct outputs {
	char **paths;
	struct sbuf *data;
	int n;
};

static void outputs_add(struct outputs *os, const char *path, struct sbuf *data)
{
	os->paths = xrealloc(os->paths, (size_t)(os->n + 1) * sizeof(*os->paths));
	os->data = xrealloc(os->data, (size_t)(os->n + 1) * sizeof(*os->data));
	os->paths[os->n] = xstrdup(path);
	os->data[os->n] = *data;
	os->n++;
	sbuf_init(data);
}

static void outputs_done(struct outputs *os)
{
	for (int i = 0; i < os->n; i++) {
		free(os->paths[i]);
		sbuf_done(&os->data[i]);
	}
	free(os->paths);
	free(os->data);
	memset(os, 0, sizeof(*os));
}

/* Writes every output whole, or none (out.c): 0, or -1 with errors in d. */
static int outputs_commit(const struct outputs *os, struct diags *d)
{
	struct outset *set = out_new();
	int rc = 0;
	for (int i = 0; i < os->n && rc == 0; i++)
		rc = out_stage(set, os->paths[i], os->data[i].s, os->data[i].len, d);
	if (rc == 0)
		rc = out_commit(set, d);
	out_free(set);
	return rc < 0 ? -1 : 0;
}

/* 0 if no output would replace a file the render read (compared by device
 * and inode, links followed); else an error for each that would. */
static int outputs_spare_inputs(const struct outputs *os, const struct paths *in, struct diags *d)
{
	int rc = 0;
	for (int i = 0; i < os->n; i++) {
		struct stat so;
		if (!strcmp(os->paths[i], "-") || stat(os->paths[i], &so) != 0 || !S_ISREG(so.st_mode))
			continue;
		for (int k = 0; k < in->n; k++) {
			struct stat si;
			if (stat(in->v[k], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
				diag_add(d, SEV_ERROR, os->paths[i], 0, 0,
					 "the output would overwrite %s, which this render reads",
					 in->v[k]);
				rc = -1;
				break;
			}
		}
	}
	return rc;
}

/* The backend's options from the command line's and the layout's. */
static struct pdf_opts print_opts(const struct options *opt, const struct layout *lo)
{
	struct pdf_opts po = {0};
	po.standards = opt->standards_set ? opt->standards : lo->pdf_standards;
	po.print = opt->bleed > 0 || opt->impose;
	po.bleed = opt->bleed;
	po.slug = po.print ? lo->print.slug : 0;
	po.cmyk = opt->cmyk || (po.standards & PDF_X4);	/* PDF/X-4 is the press's */
	po.palette = &lo->palette;
	po.press_profile = lo->print.profile_path;
	po.press_condition = lo->print.condition;
	po.press_at = lo->print.profile_at;
	po.limits = &lo->images;
	return po;
}

/* Everything the options ask for, made in memory: PNG pages or the PDF,
 * then the dump.  Returns 0, or -1 with errors in d. */
static int make_outputs(const struct options *opt, const struct job *j, const struct doc *doc,
			const char *out, struct outputs *os, struct diags *d)
{
	struct sbuf sb;
	sbuf_init(&sb);
	struct pdf_opts po = print_opts(opt, j->layout);
	int rc = 0;
	if (opt->no_pdf) {
		/* layout only */
	} else if (opt->format == FORMAT_PNG) {
		char *sel = NULL;
		if (opt->pages && !(sel = page_selection(opt->pages, doc->npages, d)))
			rc = -1;
		char *base = png_base(out);
		int digits = doc->npages >= 100 ? 3 : 2;
		double svg_seconds = j->layout->images.svg_seconds;
		for (int i = 0; rc == 0 && i < doc->npages; i++) {
			if (sel && !sel[i])
				continue;
			struct sbuf png;
			if (pdf_render_png(doc, i, opt->ppi, &po, &svg_seconds, &png, d) < 0) {
				rc = -1;
				break;
			}
			char *path = xasprintf("%s-%0*d.png", base, digits, i + 1);
			outputs_add(os, path, &png);
			sbuf_done(&png);
			free(path);
		}
		free(base);
		free(sel);
	} else {
		struct sbuf pdf;
		if (pdf_render(doc, &po, out, &pdf, d) < 0) {
			rc = -1;
		} else {
			outputs_add(os, out, &pdf);
			sbuf_done(&pdf);
		}
	}
	/* the stages' dumps: model, set blocks, pages */
	const char *dumps[] = {opt->dump_model, opt->dump_lines, opt->dump};
	for (int k = 0; rc == 0 && k < 3; k++) {
		if (!dumps[k])
			continue;
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (k == 0)
			dump_model(j->issue, f);
		else if (k == 1)
			dump_lines(j->body.blocks, j->body.n, f);
		else
			dump_doc(doc, f);
		fclose(f);
		sbuf_add(&sb, text, len);
		free(text);
		outputs_add(os, dumps[k], &sb);
	}
	sbuf_done(&sb);
	return rc;
}

/* 1 if a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Typesets one input and writes its outputs: all of them, or (on any
 * error) none; the dependencies are written either way, for make.  With
 * written (not NULL), the bytes written to out are handed back there (a
 * new sbuf; --compare reads them).  Returns 0, or -1 (errors in d). */
static int render_one(const struct options *opt, struct session *ss, const char *input,
		      struct job *j, const char *out, struct sbuf *written, struct diags *d)
{
	memset(j, 0, sizeof(*j));
	if (same_file(input, out) || (opt->deps && same_file(input, opt->deps)) ||
	    (opt->dump && same_file(input, opt->dump)) ||
	    (opt->dump_lines && same_file(input, opt->dump_lines)) ||
	    (opt->dump_model && same_file(input, opt->dump_model))) {
		diag_add(d, SEV_ERROR, out, 0, 0, "the output would overwrite the input %s", input);
		return -1;
	}
	int rc = job_run(j, ss->fonts, input, opt->layout, ss->layouts_dir, d);
	struct doc *bled = NULL;
	if (rc == 0 && (opt->bleed > 0 || opt->impose)) {
		const struct layout *lo = j->layout;
		struct print_setup ps = {.bleed = opt->bleed, .slug = lo->print.slug,
					 .registration = lo->print.registration, .pad = lo->print.pad,
					 .impose = opt->impose, .creep = lo->print.creep};
		bled = print_bleed(&j->out.doc, &ps);
	}
	struct outputs os = {0};
	if (rc == 0)
		rc = make_outputs(opt, j, bled ? bled : &j->out.doc, out, &os, d);
	if (bled) {
		doc_free(bled);
		free(bled);
	}
	struct paths dp = {0};
	deps_collect(&dp, j, input, ss->dir);
	if (rc != 0)
		outputs_done(&os);
	if (opt->deps) {
		struct sbuf sb;
		sbuf_init(&sb);
		deps_text(&dp, out, &sb);
		outputs_add(&os, opt->deps, &sb);
		sbuf_done(&sb);
	}
	if (outputs_spare_inputs(&os, &dp, d) < 0 || outputs_commit(&os, d) < 0)
		rc = -1;
	if (rc == 0 && written && os.n > 0) {	/* the first output is out's */
		*written = os.data[0];
		sbuf_init(&os.data[0]);
	}
	outputs_done(&os);
	paths_done(&dp);
	return rc;
}

/* mkdir -p: 0, or -1 with an error. */
static int make_dirs(const char *path, struct diags *d)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				diag_add(d, SEV_ERROR, p, 0, 0, "cannot make the folder: %s",
					 strerror(errno));
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* Two issues of a batch that would write one file (a/2022-08/issue.md and
 * b/2022-08/issue.md into one --out-dir): an error before anything is
 * rendered. */
static int distinct_outputs(const struct options *opt, struct diags *d)
{
	int rc = 0;
	char **outs = xcalloc((size_t)opt->ninputs, sizeof(*outs));
	for (int i = 0; i < opt->ninputs; i++) {
		outs[i] = output_path(opt, opt->inputs[i]);
		for (int k = 0; k < i; k++)
			if (!strcmp(outs[i], outs[k])) {
				diag_add(d, SEV_ERROR, outs[i], 0, 0,
					 "%s and %s would both be written here; render them into "
					 "different --out-dir folders",
					 opt->inputs[k], opt->inputs[i]);
				rc = -1;
				break;
			}
	}
	for (int i = 0; i < opt->ninputs; i++)
		free(outs[i]);
	free(outs);
	return rc;
}

static int compare_pdfs(const struct pdf_source *old, const struct pdf_source *new, double ppi,
			const char *dir, struct diags *d);

static int cmd_render(const struct options *opt, struct session *ss)
{
	int failed = 0;
	struct diags dd = {0};
	int distinct = distinct_outputs(opt, &dd);
	diag_print(&dd, stderr);
	diag_clear(&dd);
	if (distinct < 0)
		return 1;
	if (opt->out_dir) {
		struct diags d = {0};
		int rc = make_dirs(opt->out_dir, &d);
		diag_print(&d, stderr);
		diag_clear(&d);
		if (rc)
			return 1;
	}
	/* --compare: the old file read before the render may replace it */
	size_t old_len = 0;
	char *old = NULL;
	if (opt->compare) {
		struct diags d = {0};
		old = file_load(opt->compare, &old_len, &d);
		diag_print(&d, stderr);
		diag_clear(&d);
		if (!old)
			return 1;
	}
	int differ = 0;
	for (int i = 0; i < opt->ninputs; i++) {
		struct diags d = {0};
		struct job j;
		char *out = output_path(opt, opt->inputs[i]);
		struct sbuf now = {0};
		int rc = render_one(opt, ss, opt->inputs[i], &j, out, old ? &now : NULL, &d);
		if (rc == 0 && old) {
			struct pdf_source so = {opt->compare, old, old_len}, sn = {out, now.s, now.len};
			int c = compare_pdfs(&so, &sn, opt->ppi_set ? opt->ppi : 72, NULL, &d);
			rc = c < 0 ? -1 : 0;
			differ = c > 0;
		}
		sbuf_done(&now);
		diag_print(&d, stderr);
		if (opt->ninputs > 1)	/* a batch reports each issue */
			printf("%s: %s -> %s (%d pages, %d warnings)\n", rc ? "failed" : "ok",
			       opt->inputs[i], out, rc ? 0 : j.out.doc.npages, diag_warnings(&d));
		failed += rc != 0 || d.errors;
		job_done(&j);
		diag_clear(&d);
		free(out);
	}
	if (opt->ninputs > 1)
		printf("%d of %d issues rendered\n", opt->ninputs - failed, opt->ninputs);
	free(old);
	return failed || differ ? 1 : 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Serve's render: the issue typeset as render_one does, its pages shown by
 * srv instead of written (*changed: how many changed).  0, or -1. */
static int show_one(const struct options *opt, struct session *ss, const char *input,
		    struct server *srv, struct job *j, int *changed, struct diags *d)
{
	*changed = 0;
	if (job_run(j, ss->fonts, input, opt->layout, ss->layouts_dir, d) < 0)
		return -1;
	struct pdf_opts po = print_opts(opt, j->layout);
	return serve_show(srv, &j->out.doc, &po, opt->ppi_set ? opt->ppi : 96,
			  j->layout->images.svg_seconds, changed, d);
}

/* Renders, then renders again whenever a dependency is saved: into the
 * output files, or with srv into its pages.  One line per render on
 * stdout; an input error keeps the last good output (srv: shows the
 * error over the last good pages). */
static int cmd_watch(const struct options *opt, struct session *ss, struct server *srv)
{
	struct diags wd = {0};
	struct watcher *w = watch_new(&wd);
	if (!w) {
		diag_print(&wd, stderr);
		diag_clear(&wd);
		return 1;
	}
	const char *input = opt->inputs[0];
	char *out = srv ? xasprintf("http://127.0.0.1:%d/", serve_port(srv)) : output_path(opt, input);
	watch_add(w, input, &wd);
	int renders = 0, rc = 0, shown = 0;
	for (;;) {
		struct diags d = {0};
		struct job j;
		double t0 = now_ms();
		int changed = 0;
		int err = srv ? show_one(opt, ss, input, srv, &j, &changed, &d)
			      : render_one(opt, ss, input, &j, out, NULL, &d);
		double ms = now_ms() - t0;
		time_t t = time(NULL);
		char when[16];
		strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
		if (err || d.errors) {
			/* the first error, with its place, then what was kept */
			const struct diag *e = NULL;
			for (int i = 0; i < d.n && !e; i++)
				if (d.v[i].sev == SEV_ERROR)
					e = &d.v[i];
			struct stat st;
			int kept = srv ? shown : stat(out, &st) == 0;
			if (srv)
				serve_fail(srv, e);
			if (e && e->line > 0)
				printf("%s error: %s:%d:%d: %s (%s)\n", when, e->file, e->line, e->col,
				       e->msg, kept ? "kept the last good output" : "no output yet");
			else
				printf("%s error: %s: %s (%s)\n", when, e ? e->file : input,
				       e ? e->msg : "failed",
				       kept ? "kept the last good output" : "no output yet");
		} else if (srv) {
			shown = 1;
			printf("%s rendered %s: %d pages, %d changed, %d warnings, %.0f ms\n", when, out,
			       j.out.doc.npages, changed, diag_warnings(&d), ms);
		} else {
			printf("%s rendered %s: %d pages, %d warnings, %.0f ms\n", when, out,
			       j.out.doc.npages, diag_warnings(&d), ms);
		}
		fflush(stdout);
		diag_print(&d, stderr);
		struct paths dp = {0};
		deps_collect(&dp, &j, input, ss->dir);
		for (int i = 0; i < dp.n; i++)
			watch_add(w, dp.v[i], &wd);
		paths_done(&dp);
		job_done(&j);
		diag_clear(&d);
		if (opt->count && ++renders >= opt->count)
			break;
		if (watch_wait(w, &wd) < 0) {
			rc = 1;
			break;
		}
	}
	diag_print(&wd, stderr);
	diag_clear(&wd);
	watch_free(w);
	free(out);
	return rc;
}

/* bulletin serve: the preview's page (preview/index.html in the data
 * folder) served on 127.0.0.1, then watch's loop showing each render. */
static int cmd_serve(const struct options *opt, struct session *ss)
{
	struct diags d = {0};
	char *path = xasprintf("%s/preview/index.html", ss->dir);
	size_t len;
	char *html = file_load(path, &len, &d);
	struct server *srv = html ? serve_new(opt->port, html, len, &d) : NULL;
	free(html);
	free(path);
	diag_print(&d, stderr);
	diag_clear(&d);
	if (!srv)
		return 1;
	char *url = xasprintf("http://127.0.0.1:%d/", serve_port(srv));
	printf("serving %s at %s\n", opt->inputs[0], url);
	fflush(stdout);
	if (opt->open) {
		char *argv[] = {"xdg-open", url, NULL};
		pid_t pid;
		if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
			fprintf(stderr, "bulletin: cannot start the browser (xdg-open); open %s\n", url);
	}
	int rc = cmd_watch(opt, ss, srv);
	serve_free(srv);
	free(url);
	return rc;
}

/* Everything render would fail on, and the preflight's findings: the PDF
 * is made (in memory, then dropped), so that what only drawing finds (an
 * image that cannot be decoded, an SVG over its time) is reported too. */
static int cmd_check(const struct options *opt, struct session *ss)
{
	struct diags d = {0};
	struct job j;
	if (job_run(&j, ss->fonts, opt->inputs[0], opt->layout, ss->layouts_dir, &d) == 0) {
		/* the standards asked for (else the layout's), as a render would */
		struct pdf_opts po = print_opts(opt, j.layout);
		struct sbuf pdf;
		if (pdf_render(&j.out.doc, &po, opt->inputs[0], &pdf, &d) == 0)
			sbuf_done(&pdf);
	}
	if (j.issue && j.layout)
		preflight(&j, ss->fonts, opt->cmyk || opt->bleed > 0 || opt->impose, &d);
	diag_print(&d, stdout);
	int errors = d.errors, warnings = diag_warnings(&d);
	printf("%s: %d errors, %d warnings\n", opt->inputs[0], errors, warnings);
	job_done(&j);
	diag_clear(&d);
	return errors ? 1 : 0;
}

/* Compares old with new (files' bytes), prints how they differ and, with
 * dir, writes each changed or added page's picture there (all or none).
 * 0 identical, 1 different, -1 error (in d). */
static int compare_pdfs(const struct pdf_source *old, const struct pdf_source *new, double ppi,
			const char *dir, struct diags *d)
{
	struct pdf_diff pd;
	int rc = pdf_diff(old, new, ppi, dir != NULL, &pd, d);
	if (rc < 0)
		return -1;
	struct outputs os = {0};
	for (int i = 0; i < pd.n; i++) {
		const struct pdf_diff_page *p = &pd.v[i];
		char *png = dir && p->png.len ? xasprintf("%s/page-%03d.png", dir, p->new_page + 1) : NULL;
		switch (p->kind) {
		case PDF_DIFF_CHANGED:
			printf("page %d: changed (%d region%s)", p->new_page + 1, p->regions,
			       p->regions == 1 ? "" : "s");
			break;
		case PDF_DIFF_MOVED:
			printf("page %d: moved from page %d", p->new_page + 1, p->old_page + 1);
			break;
		case PDF_DIFF_ADDED:
			printf("page %d: added", p->new_page + 1);
			break;
		default:
			printf("old page %d: removed", p->old_page + 1);
			break;
		}
		if (png) {
			printf(" -> %s", png);
			struct sbuf b = pd.v[i].png;
			sbuf_init(&pd.v[i].png);
			outputs_add(&os, png, &b);
			sbuf_done(&b);
		}
		printf("\n");
		free(png);
	}
	if (rc == 0)
		printf("%s and %s: identical (%d pages)\n", old->name, new->name, pd.new_pages);
	else
		printf("%s and %s: %d of %d pages differ (%d before)\n", old->name, new->name, pd.n,
		       pd.new_pages, pd.old_pages);
	fflush(stdout);
	pdf_diff_done(&pd);
	if (os.n > 0 && (make_dirs(dir, d) < 0 || outputs_commit(&os, d) < 0))
		rc = -1;
	outputs_done(&os);
	return rc;
}

/* bulletin diff OLD.pdf NEW.pdf [-o DIR] [--ppi N]: exit 0 identical, 1
 * different, 2 error. */
static int cmd_diff(const struct options *opt)
{
	struct diags d = {0};
	size_t la = 0, lb = 0;
	char *a = file_load(opt->inputs[0], &la, &d);
	char *b = a ? file_load(opt->inputs[1], &lb, &d) : NULL;
	int rc = -1;
	if (a && b) {
		struct pdf_source sa = {opt->inputs[0], a, la}, sb = {opt->inputs[1], b, lb};
		rc = compare_pdfs(&sa, &sb, opt->ppi_set ? opt->ppi : 72, opt->output, &d);
	}
	diag_print(&d, stderr);
	diag_clear(&d);
	free(a);
	free(b);
	return rc < 0 ? 2 : rc;
}

static int cmp_issue_date(const void *a, const void *b);

/* Several issues typeset, for volume and query. */
struct issue_set {
	struct job *jobs;	/* in the order given */
	struct job **order;	/* the same, in date order */
	int n;
};

/* Typesets every input (stopping at the first that fails), each issue's
 * own document dropped unless keep_doc (a volume needs only the set
 * bodies); the order sorted by date.  0, or -1 with errors in d; s is
 * freed by issue_set_done either way. */
static int issue_set_load(struct issue_set *s, const struct options *opt, struct session *ss,
			  int keep_doc, struct diags *d)
{
	s->n = opt->ninputs;
	s->jobs = xcalloc((size_t)s->n, sizeof(*s->jobs));
	s->order = xcalloc((size_t)s->n, sizeof(*s->order));
	int rc = 0;
	for (int i = 0; i < s->n; i++) {
		s->order[i] = &s->jobs[i];
		if (rc == 0 && job_run(&s->jobs[i], ss->fonts, opt->inputs[i], opt->layout,
				       ss->layouts_dir, d) < 0)
			rc = -1;
		if (!keep_doc)
			assembly_done(&s->jobs[i].out);
	}
	if (rc == 0)
		qsort(s->order, (size_t)s->n, sizeof(*s->order), cmp_issue_date);
	return rc;
}

static void issue_set_done(struct issue_set *s)
{
	for (int i = 0; i < s->n; i++)
		job_done(&s->jobs[i]);
	free(s->jobs);
	free(s->order);
	memset(s, 0, sizeof(*s));
}

/* bulletin volume ISSUE.md... -o VOLUME.pdf: the issues, in date order,
 * typeset into one document: the layout's volume cover and contents, then
 * each issue (its own cover, running heads and numbering as the layout's
 * volume: says).  Any failing issue, or two of one month, stops it with
 * nothing written. */
static int cmd_volume(const struct options *opt, struct session *ss)
{
	struct diags d = {0};
	struct issue_set set = {0};
	int rc = issue_set_load(&set, opt, ss, 0, &d) < 0 ? 1 : 0;
	int n = set.n;
	struct job **order = set.order;
	if (rc == 0) {
		for (int i = 1; i < n; i++)
			if (order[i]->issue->year == order[i - 1]->issue->year &&
			    order[i]->issue->month == order[i - 1]->issue->month) {
				diag_add(&d, SEV_ERROR, order[i]->issue->path, 0, 0,
					 "the volume has two issues of %04d-%02d: this and %s",
					 order[i]->issue->year, order[i]->issue->month,
					 order[i - 1]->issue->path);
				rc = 1;
			}
	}
	struct assembly va = {0};
	struct tvar *vv = NULL;
	char **titles = NULL, **vtext = NULL;
	int nvtext = 0;
	const struct layout *lo = rc == 0 ? order[0]->layout : NULL;
	if (rc == 0) {
		const struct job *f = order[0], *l = order[n - 1];
		/* the volume's variables: its first issue's, and its own */
		vv = xcalloc((size_t)f->nvars + TMPL_VOLUME_VARS, sizeof(*vv));
		memcpy(vv, f->vars, (size_t)f->nvars * sizeof(*vv));
		int nv = f->nvars + tmpl_volume_vars(vv + f->nvars, f->issue->number, l->issue->number,
						      l->issue->year, l->issue->month, n);
		/* the volume's own texts (its running heads say the volume, not
		 * its first issue) */
		vtext = xcalloc((size_t)nv, sizeof(*vtext));
		nvtext = nv;
		for (int t = 0; t < lo->volume.texts.n; t++)
			for (int k = 0; k < f->nvars; k++)
				if (!strcmp(vv[k].name, lo->volume.texts.keys[t])) {
					vtext[k] = tmpl_expand(lo->volume.texts.values[t], vv, nv);
					vv[k].str = vtext[k];
				}
		struct part *parts = xcalloc((size_t)(3 + 2 * n), sizeof(*parts));
		titles = xcalloc((size_t)n, sizeof(*titles));
		int np = 0, first_id = 0;
		if (lo->volume.cover.n > 0)
			parts[np++] = (struct part){.kind = PART_COVER, .vars = vv, .nvars = nv,
						    .cover = &lo->volume.cover};
		if (lo->toc.enabled)
			parts[np++] = (struct part){.kind = PART_TOC, .vars = vv, .nvars = nv};
		for (int i = 0; i < n; i++) {
			const struct job *j = order[i];
			titles[i] = tmpl_expand(lo->volume.toc_line ? lo->volume.toc_line
								    : "{year}年第{number:02}期",
						j->vars, j->nvars);
			const struct yml_list *opening = lo->volume.issue_start == 0   ? &lo->cover
							 : lo->volume.issue_start == 1 ? &lo->volume.title_page
											: NULL;
			if (opening && opening->n > 0)
				parts[np++] = (struct part){.kind = PART_COVER, .vars = j->vars,
							    .nvars = j->nvars, .group = i + 1,
							    .cover = opening};
			parts[np++] = (struct part){.kind = PART_BODY, .vars = j->vars, .nvars = j->nvars,
						    .blocks = j->body.blocks, .nblocks = j->body.n,
						    .first_id = first_id, .group = i + 1,
						    .group_title = titles[i]};
			first_id += j->body.n;
		}
		if (lo->index.volume)
			parts[np++] = (struct part){.kind = PART_INDEX, .vars = vv, .nvars = nv};
		struct doc meta = {0};
		meta.date = l->issue->date ? xstrdup(l->issue->date)
					   : xasprintf("%04d-%02d-01", l->issue->year, l->issue->month);
		meta.title = lo->meta_title ? tmpl_expand(lo->meta_title, vv, nv) : NULL;
		meta.subject = lo->meta_subject ? tmpl_expand(lo->meta_subject, vv, nv) : NULL;
		meta.author = lo->meta_author ? tmpl_expand(lo->meta_author, vv, nv) : NULL;
		meta.lang = xstrdup(lo->lang ? lo->lang : "zh-CN");
		assemble(&va, parts, np, &meta, fonts_context(ss->fonts), lo, &d);
		doc_free(&meta);
		free(parts);
		rc = d.errors ? 1 : 0;
	}
	if (rc == 0) {
		struct doc *bled = NULL;
		if (opt->bleed > 0 || opt->impose) {
			struct print_setup ps = {.bleed = opt->bleed, .slug = lo->print.slug,
						 .registration = lo->print.registration,
						 .pad = lo->print.pad, .impose = opt->impose,
						 .creep = lo->print.creep};
			bled = print_bleed(&va.doc, &ps);
		}
		const struct doc *doc = bled ? bled : &va.doc;
		struct pdf_opts po = print_opts(opt, lo);
		struct outputs os = {0};
		struct sbuf pdf;
		if (pdf_render(doc, &po, opt->output, &pdf, &d) < 0) {
			rc = 1;
		} else {
			outputs_add(&os, opt->output, &pdf);
			sbuf_done(&pdf);
		}
		if (rc == 0 && opt->dump) {
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);
			dump_doc(doc, f);
			fclose(f);
			struct sbuf sb;
			sbuf_init(&sb);
			sbuf_add(&sb, text, len);
			free(text);
			outputs_add(&os, opt->dump, &sb);
			sbuf_done(&sb);
		}
		if (rc == 0 && outputs_commit(&os, &d) < 0)
			rc = 1;
		if (rc == 0)
			printf("%s: %d issues, %d pages\n", opt->output, n, doc->npages);
		outputs_done(&os);
		if (bled) {
			doc_free(bled);
			free(bled);
		}
	}
	diag_print(&d, stderr);
	diag_clear(&d);
	assembly_done(&va);
	for (int i = 0; titles && i < n; i++)
		free(titles[i]);
	free(titles);
	for (int i = 0; vtext && i < nvtext; i++)
		free(vtext[i]);
	free(vtext);
	free(vv);
	issue_set_done(&set);
	return rc;
}

static int cmp_issue_date(const void *a, const void *b)
{
	const struct job *x = *(const struct job *const *)a, *y = *(const struct job *const *)b;
	int kx = x->issue->year * 100 + x->issue->month, ky = y->issue->year * 100 + y->issue->month;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return (x->issue->number > y->issue->number) - (x->issue->number < y->issue->number);
}

/* The issues' structure as JSON on stdout, in date order; nothing when
 * one fails (its errors, with places, on stderr). */
static int cmd_query(const struct options *opt, struct session *ss)
{
	struct diags d = {0};
	struct issue_set set = {0};
	int rc = issue_set_load(&set, opt, ss, 1, &d) < 0 ? 1 : 0;
	if (rc == 0) {
		struct sbuf sb;
		sbuf_init(&sb);
		sbuf_str(&sb, "{\"bulletin\": \"query/1\", \"issues\": [\n");
		for (int i = 0; i < opt->ninputs; i++) {
			if (i)
				sbuf_str(&sb, ",\n");
			query_issue(&sb, set.order[i], opt->query_pages);
		}
		sbuf_str(&sb, "\n]}\n");
		if (out_write_all(1, sb.s, sb.len) < 0) {
			fprintf(stderr, "bulletin: cannot write the query: %s\n", strerror(errno));
			rc = 1;
		}
		sbuf_done(&sb);
	}
	diag_print(&d, stderr);
	issue_set_done(&set);
	diag_clear(&d);
	return rc;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("bulletin: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

/* The options that take a text, and where it goes. */
static const struct {
	const char *name, *alias;
	size_t offset;
} text_options[] = {
	{"--output", "-o", offsetof(struct options, output)},
	{"--out-dir", NULL, offsetof(struct options, out_dir)},
	{"--layout", NULL, offsetof(struct options, layout)},
	{"--dump", NULL, offsetof(struct options, dump)},
	{"--dump-lines", NULL, offsetof(struct options, dump_lines)},
	{"--dump-model", NULL, offsetof(struct options, dump_model)},
	{"--deps", NULL, offsetof(struct options, deps)},
	{"--pages", NULL, offsetof(struct options, pages)},
	{"--compare", NULL, offsetof(struct options, compare)},
};

/* One option a with its value v (NULL at the end of argv); *takes says
 * whether v was used.  0, or the usage exit code. */
static int parse_option(struct options *opt, const char *a, const char *v, int *takes)
{
	*takes = 1;
	for (size_t k = 0; k < sizeof(text_options) / sizeof(text_options[0]); k++)
		if (!strcmp(a, text_options[k].name) ||
		    (text_options[k].alias && !strcmp(a, text_options[k].alias))) {
			*(const char **)((char *)opt + text_options[k].offset) = v;
			return v ? 0 : usage_error("%s needs a value", a);
		}
	if (!strcmp(a, "--format")) {
		if (v && (!strcmp(v, "pdf") || !strcmp(v, "png")))
			opt->format = !strcmp(v, "png") ? FORMAT_PNG : FORMAT_PDF;
		else
			return usage_error("--format takes pdf or png, not '%s'", v ? v : "");
	} else if (!strcmp(a, "--ppi") || !strcmp(a, "--count")) {
		char *end;
		double x = v ? strtod(v, &end) : 0;
		if (!v || *end || x < 1 || x > 2400)
			return usage_error("%s takes a number from 1 to 2400", a);
		if (a[2] == 'p')
			opt->ppi = x, opt->ppi_set = 1;
		else
			opt->count = (int)x;
	} else if (!strcmp(a, "--bleed")) {
		struct len l;
		if (!v || yml_parse_length(v, 0, &l) < 0 || l.pt < 0 || l.pt > 72)
			return usage_error("--bleed takes a length up to 1in, like 3mm or 8.5pt, not '%s'",
					   v ? v : "");
		opt->bleed = l.pt;
	} else if (!strcmp(a, "--impose")) {
		if (!v || strcmp(v, "saddle-stitch"))
			return usage_error("--impose takes saddle-stitch, not '%s'", v ? v : "");
		opt->impose = 1;
	} else if (!strcmp(a, "--pdf-standard")) {
		char *why = NULL;
		if (!v || pdfstd_parse(v, &opt->standards, &why) < 0) {
			int rc = usage_error("--pdf-standard: %s", why ? why : "needs a value, such as a-2b or ua-1");
			free(why);
			return rc;
		}
		opt->standards_set = 1;
	} else if (!strcmp(a, "--port")) {
		char *end;
		long port = v ? strtol(v, &end, 10) : -1;
		if (!v || *end || port < 0 || port > 65535)
			return usage_error("--port takes a port number from 0 to 65535, not '%s'",
					   v ? v : "");
		opt->port = (int)port, opt->port_set = 1;
	} else if (!strcmp(a, "--open")) {
		opt->open = 1;
		*takes = 0;
	} else if (!strcmp(a, "--cmyk") || !strcmp(a, "--no-pdf")) {
		*(a[2] == 'c' ? &opt->cmyk : &opt->no_pdf) = 1;
		*takes = 0;
	} else if (a[0] == '-' && a[1]) {
		return usage_error("unknown option %s", a);
	} else {
		opt->inputs[opt->ninputs++] = a;
		*takes = 0;
	}
	return 0;
}

/* The options of cmd from argv[2...]; 0, or the usage exit code. */
static int parse_args(const char *cmd, int argc, char **argv, struct options *opt)
{
	for (int i = 2; i < argc; i++) {
		if (!strcmp(cmd, "query") && !strcmp(argv[i], "--pages")) {
			opt->query_pages = 1;	/* a flag here, not a PNG page list */
			continue;
		}
		int takes, rc = parse_option(opt, argv[i], i + 1 < argc ? argv[i + 1] : NULL, &takes);
		if (rc)
			return rc;
		i += takes;
	}
	if (!strcmp(cmd, "diff"))
		return opt->ninputs == 2 ? 0 : usage_error("%s takes two PDF files: OLD.pdf NEW.pdf", cmd);
	if (opt->ninputs == 0)
		return usage_error("%s needs an issue file", cmd);
	if (opt->compare && (opt->ninputs > 1 || opt->format == FORMAT_PNG || opt->no_pdf))
		return usage_error("%s compares one issue's PDF with an old one", "--compare");
	if (!strcmp(cmd, "volume")) {
		if (!opt->output)
			return usage_error("%s needs -o VOLUME.pdf", cmd);
		if (opt->ninputs > VOLUME_MAX_ISSUES)
			return usage_error("a volume binds at most %s issues", "120");
		if (opt->out_dir || opt->dump_lines || opt->dump_model || opt->deps ||
		    opt->format == FORMAT_PNG || opt->compare || opt->no_pdf)
			return usage_error("%s takes -o, --layout, --dump and the print options", cmd);
		return 0;
	}
	if (strcmp(cmd, "render") && strcmp(cmd, "query") && opt->ninputs > 1)
		return usage_error("%s takes one issue file", cmd);
	if (strcmp(cmd, "serve") && (opt->port_set || opt->open))
		return usage_error("%s: --port and --open are serve's", cmd);
	if (!strcmp(cmd, "serve") &&
	    (opt->output || opt->out_dir || opt->dump || opt->dump_lines || opt->dump_model ||
	     opt->deps || opt->pages || opt->compare || opt->no_pdf ||
	     opt->format == FORMAT_PNG || opt->bleed > 0 || opt->impose || opt->cmyk ||
	     opt->standards_set))
		return usage_error("%s takes --layout, --port, --open, --ppi and --count", cmd);
	int dumping = opt->dump || opt->dump_lines || opt->dump_model;
	if (opt->ninputs > 1 && (opt->output || dumping || opt->deps))
		return usage_error("%s: with several issues use --out-dir (no -o, --dump, --deps)",
				   "render");
	if (opt->standards_set && opt->format == FORMAT_PNG)
		return usage_error("%s applies to PDF output, not --format png", "--pdf-standard");
	if (opt->no_pdf && !dumping)
		return usage_error("%s goes with --dump", "--no-pdf");
	return 0;
}

/* Runs cmd with the project's data (layouts, fonts) loaded once. */
static int run(const char *cmd, const struct options *opt)
{
	out_signals();
	struct session ss = {0};
	ss.dir = data_dir();
	ss.layouts_dir = xasprintf("%s/layouts", ss.dir);
	char *conf = xasprintf("%s/fonts/fonts.conf", ss.dir);
	struct diags d = {0};
	ss.fonts = fonts_new(conf, &d);
	free(conf);
	int rc;
	if (!ss.fonts) {
		diag_print(&d, stderr);
		rc = 1;
	} else if (!strcmp(cmd, "render")) {
		rc = cmd_render(opt, &ss);
	} else if (!strcmp(cmd, "watch")) {
		rc = cmd_watch(opt, &ss, NULL);
	} else if (!strcmp(cmd, "serve")) {
		rc = cmd_serve(opt, &ss);
	} else if (!strcmp(cmd, "query")) {
		rc = cmd_query(opt, &ss);
	} else if (!strcmp(cmd, "diff")) {
		rc = cmd_diff(opt);
	} else if (!strcmp(cmd, "volume")) {
		rc = cmd_volume(opt, &ss);
	} else {
		rc = cmd_check(opt, &ss);
	}
	diag_clear(&d);
	fonts_free(ss.fonts);
	free(ss.layouts_dir);
	free(ss.dir);
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
	const char *cmd = argv[1];
	if (strcmp(cmd, "render") && strcmp(cmd, "watch") && strcmp(cmd, "serve") &&
	    strcmp(cmd, "check") &&
	    strcmp(cmd, "query") && strcmp(cmd, "diff") && strcmp(cmd, "volume"))
		return usage_error("unknown command '%s'", cmd);
	struct options opt = {0};
	opt.ppi = 144;
	opt.inputs = xcalloc((size_t)argc, sizeof(*opt.inputs));
	int rc = parse_args(cmd, argc, argv, &opt);
	if (rc == 0)
		rc = run(cmd, &opt);
	free(opt.inputs);
	return rc;
}
