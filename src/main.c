/* main.c: the command line (a table of commands, options by getopt_long):
 * render, watch, serve, check, query, diff, volume, init, fonts, layouts, help;
 * prints diagnostics and sets the exit code.  Fonts are loaded once per
 * process. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bulletin.h"

extern char **environ;

/* Each command's help: its usage lines, a blank line, what it does and its
 * options.  A usage error prints the usage lines. */
static const char complete_help[] =
	"usage: bulletin complete [COMMAND]\n"
	"\n"
	"The commands, or COMMAND's options, one a line (an option that takes a\n"
	"value ends in '='): what the shell completions offer.\n";

static const char render_help[] =
	"usage: bulletin render ISSUE.md... [-o OUT | --out-dir DIR] [--layout NAME|FILE]\n"
	"                       [--format pdf|png] [--ppi N] [--pages LIST]\n"
	"                       [--deps FILE] [--dump FILE|-] [--dump-lines FILE|-]\n"
	"                       [--dump-model FILE|-] [--no-pdf] [--compare OLD.pdf]\n"
	"                       [--bleed LEN] [--impose saddle-stitch] [--cmyk]\n"
	"                       [--pdf-standard LIST] [--font-path DIR] [-j N]\n"
	"\n"
	"Typesets each issue (YAML front matter + CommonMark).  An ISSUE of - is\n"
	"read from standard input (its folder: the current one; -o is needed).\n"
	"  -o, --output OUT     the output (one issue); - writes the PDF to standard\n"
	"                       output once the render succeeded; default: the issue\n"
	"                       folder's name, e.g. issues/2022-08/issue.md -> 2022-08.pdf\n"
	"  --out-dir DIR        write each issue's output into DIR (many issues in\n"
	"                       one process: fonts and configuration load once; two\n"
	"                       issues that would write one file are an error before\n"
	"                       anything is written)\n"
	"  -j, --jobs N         use N cores (1-16; default: all): a batch renders\n"
	"                       its issues on N processes forked once the fonts\n"
	"                       are loaded, each reported as it is done; -j 1 is\n"
	"                       one process on one thread\n"
	"  --layout NAME|FILE   the design: a name in layouts/ or a .yaml file\n"
	"                       (default: the issue's `layout:`, else\n"
	"                       layouts/default.yaml, the house design)\n"
	"  --format pdf|png     png writes page images: -o x.png writes x-01.png,\n"
	"                       x-02.png, ...\n"
	"  --ppi N              pixels per inch of PNG pages (default 144)\n"
	"  --pages LIST         PNG pages to write, e.g. 1-3,7 (default: all); with\n"
	"                       PDF output an error (a PDF has all its pages)\n"
	"  --deps FILE          write the output's dependencies in make syntax\n"
	"  --dump FILE|-        also write pages, boxes and lines as text\n"
	"  --dump-lines FILE|-  the set blocks (shaped lines) as text\n"
	"  --dump-model FILE|-  the issue as parsed (blocks, spans, places) as text\n"
	"  --no-pdf             with a dump: lay out only, write no output\n"
	"  --compare OLD.pdf    after rendering, compare with OLD.pdf as diff does\n"
	"                       (exit 1: different)\n"
	"  --bleed LEN          the print profile: pages grow by LEN (e.g. 3mm) and\n"
	"                       the layout's print.slug on every side, full-bleed\n"
	"                       elements run into the bleed, crop and registration\n"
	"                       marks stand in the slug, beyond the bleed; blank\n"
	"                       pages pad the issue to print.pad (4); TrimBox and\n"
	"                       BleedBox are written; no link annotations\n"
	"  --impose saddle-stitch  the print profile as printer's spreads: two\n"
	"                       pages a sheet side, paired for folding and nesting,\n"
	"                       inner sheets moved by the layout's print.creep\n"
	"  --cmyk               print colours: each in the layout's ink (colors:),\n"
	"                       greys and black text on the black plate only\n"
	"  --pdf-standard LIST  the standards the PDF conforms to: a-2b, a-2u,\n"
	"                       a-3b (PDF/A), ua-1 (PDF/UA), x-4 (PDF/X-4, with\n"
	"                       --bleed), or one of these and ua-1 (a-2u,ua-1);\n"
	"                       default: the layout's pdf_standard.\n"
	"                       Every PDF is tagged; what a standard needs and the\n"
	"                       issue lacks (an image's alternate text) is an error\n"
	"  --font-path DIR      add the fonts in DIR to the font set, for this run\n"
	"                       (repeatable)\n"
	"With several issues each is reported on stdout, a counter\n"
	"([3/12] 2010-03 ok 0.31 s) is shown on a terminal, and a summary ends it.\n";

static const char watch_help[] =
	"usage: bulletin watch ISSUE.md [-o OUT] [--layout NAME|FILE] [--format pdf|png]\n"
	"                      [--count N] [render's options]\n"
	"\n"
	"Renders, then renders again whenever the issue, its layout (and those it\n"
	"extends) or an image it uses is saved; one line per render; keeps the\n"
	"last good output when the input has an error (Ctrl-C stops).\n"
	"  --count N            stop after N renders (for scripts)\n"
	"The other options are render's (bulletin help render).\n";

static const char serve_help[] =
	"usage: bulletin serve ISSUE.md [--layout NAME|FILE] [--port N] [--open] [--ppi N]\n"
	"                      [--count N] [--font-path DIR]\n"
	"\n"
	"A live preview in the browser: renders as watch does and serves the pages\n"
	"as images on 127.0.0.1 only; prints the URL.  A save replaces the pages\n"
	"that changed; an error shows FILE:LINE:COL over the last good pages; a\n"
	"click on a line shows (and copies) its issue file and line (Ctrl-C stops).\n"
	"  --port N             listen on port N (default: a free one)\n"
	"  --open               open the page in the browser (xdg-open)\n"
	"  --ppi N              pixels per inch of the pages shown (default 96)\n"
	"  --count N            stop after N renders, as watch does\n";

static const char check_help[] =
	"usage: bulletin check ISSUE.md... [--layout NAME|FILE] [--cmyk] [--bleed LEN]\n"
	"                      [--pdf-standard LIST] [--font-path DIR]\n"
	"\n"
	"Preflight without writing: what render would fail on, and missing glyphs,\n"
	"overfull lines, links without a target, headings out of order, fonts that\n"
	"may not embed.  Each issue's findings, then a line with its counts; exit 1\n"
	"if any issue has errors.  --cmyk and --bleed add the print checks.\n";

static const char query_help[] =
	"usage: bulletin query ISSUE.md... [--layout NAME|FILE] [--pages] [--font-path DIR]\n"
	"\n"
	"The issues' structure as JSON on stdout, in date order: sections and\n"
	"entries with number, title, region, source link, characters, source line\n"
	"(schema: docs/query.md).\n"
	"  --pages              add each heading's page and printed label\n";

static const char diff_help[] =
	"usage: bulletin diff OLD.pdf NEW.pdf [-o DIR] [--ppi N]\n"
	"\n"
	"Compares two renders page by page (rasterised at --ppi, default 72): which\n"
	"pages changed, moved, were added or removed.  Exit 0 identical, 1\n"
	"different, 2 error.\n"
	"  -o, --output DIR     write each changed page beside its old one, the\n"
	"                       changes outlined\n"
	"  --ppi N              the resolution compared\n";

static const char volume_help[] =
	"usage: bulletin volume ISSUE.md... -o VOLUME.pdf [--layout NAME|FILE] [--dump FILE]\n"
	"                       [--bleed LEN] [--impose saddle-stitch] [--cmyk]\n"
	"                       [--pdf-standard LIST] [--font-path DIR]\n"
	"\n"
	"Binds the issues, in date order, into one PDF: the layout's volume cover\n"
	"and contents (issue, section, entry), each issue with its own cover and\n"
	"running heads, one outline, folios as the layout's volume: says.\n"
	"  -o, --output FILE    the volume (required)\n"
	"The print options are render's (bulletin help render).\n";

static const char init_help[] =
	"usage: bulletin init YYYY-MM [--from YYYY-MM|ISSUE.md] [--dir DIR]\n"
	"\n"
	"Starts a month: DIR/YYYY-MM/issue.md with the front matter (year, month,\n"
	"the next number -- the previous issue's + 1 in the same year, else 1 --\n"
	"the month's last day as date, the previous issue's layout name) and the\n"
	"previous issue's sections as empty headings.  An existing folder is an\n"
	"error: nothing is replaced.\n"
	"  --from YYYY-MM|FILE  the previous issue (default: the latest month\n"
	"                       before YYYY-MM in DIR)\n"
	"  --dir DIR            the issues' folder (default: issues)\n";

static const char fonts_help[] =
	"usage: bulletin fonts [--font-path DIR]\n"
	"\n"
	"Lists the families of the project's font set (fonts/fonts.conf) and each\n"
	"one's faces: style and file.  Layouts may name these families.\n"
	"  --font-path DIR      add the fonts in DIR, as render's option does\n";

static const char layouts_help[] =
	"usage: bulletin layouts\n"
	"\n"
	"Lists the designs in layouts/: each name, what it extends and its file;\n"
	"a link (default -> epoint) is shown as one.\n";

static const char help_help[] =
	"usage: bulletin help [COMMAND]\n"
	"\n"
	"The overview, or a command's options (as bulletin COMMAND --help).\n";

static const char overview_tail[] =
	"\n"
	"bulletin COMMAND --help (or bulletin help COMMAND) shows a command's options.\n"
	"Options take their value as --opt value or --opt=value (-oX, -o X); --\n"
	"ends the options; an ISSUE of - is standard input, -o - standard output.\n"
	"\n"
	"Exit status: 0 done (warnings may have been printed), 1 bad input or\n"
	"output (in a batch: any issue failed), 2 usage.  A failed run leaves an\n"
	"existing output untouched.  Environment: BULLETIN_DATA, the folder that\n"
	"holds layouts/ and fonts/ (default: found above the executable, or in\n"
	"PREFIX/share/bulletin beside an installed one).\n";

/* 1 if dir holds the data (fonts/fonts.conf; layouts/ beside it). */
static int data_in(const char *dir)
{
	char *conf = xasprintf("%s/fonts/fonts.conf", dir);
	int found = access(conf, R_OK) == 0;
	free(conf);
	return found;
}

/* The folder that holds layouts/ and fonts/, a new string: $BULLETIN_DATA;
 * else the nearest folder above the executable that has fonts/fonts.conf
 * (build/bulletin and build/asan/bulletin find the source tree), or its
 * share/bulletin (an install: PREFIX/bin/bulletin finds PREFIX/share/bulletin,
 * wherever PREFIX was moved, DESTDIR included); else BULLETIN_DATADIR, the
 * PREFIX the program was built for.  NULL when none holds it: *looked
 * lists where it looked (caller frees). */
static char *data_dir(char **looked)
{
	struct sbuf tried;
	sbuf_init(&tried);
	const char *env = getenv("BULLETIN_DATA");
	if (env && *env) {
		if (data_in(env)) {
			sbuf_done(&tried);
			return xstrdup(env);
		}
		sbuf_printf(&tried, "  %s (BULLETIN_DATA)\n", env);
		*looked = sbuf_take(&tried);
		return NULL;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = xstrdup(dirname(exe));
		for (int up = 0; up < 4; up++) {
			char *parent = xasprintf("%s/..", dir);
			char *share = xasprintf("%s/share/bulletin", parent);
			free(dir);
			dir = parent;
			const char *hit = data_in(dir) ? dir : data_in(share) ? share : NULL;
			if (hit) {
				char *real = realpath(hit, NULL);
				char *res = real ? real : xstrdup(hit);
				free(share);
				free(dir);
				sbuf_done(&tried);
				return res;
			}
			char *rdir = realpath(dir, NULL);
			const char *shown = rdir ? rdir : dir;
			int top = !strcmp(shown, "/");
			sbuf_printf(&tried, "  %s, %s/share/bulletin (above the program)\n", shown,
				    top ? "" : shown);
			free(rdir);
			free(share);
			if (top)
				break;
		}
		free(dir);
	}
#ifdef BULLETIN_DATADIR
	if (data_in(BULLETIN_DATADIR)) {
		sbuf_done(&tried);
		return xstrdup(BULLETIN_DATADIR);
	}
	sbuf_printf(&tried, "  %s (where it was built to be installed)\n", BULLETIN_DATADIR);
#endif
	*looked = sbuf_take(&tried);
	return NULL;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* An input as messages name it: "-" is standard input. */
static const char *input_name(const char *input)
{
	return strcmp(input, "-") ? input : ISSUE_STDIN;
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
	const char **font_dirs;	/* --font-path, each given */
	int nfont_dirs;
	const char *from, *dir;	/* init --from, --dir */
	int help;		/* --help: the command's help, nothing run */
	int jobs;		/* render -j: the cores a render uses (0: all) */
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
	if (strcmp(input, "-"))
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

/* A batch of renders (one issue is a batch of one), its issues reported
 * as they are done: with -j N they are rendered by N processes. */
struct render_batch {
	const struct options *opt;
	struct session *ss;
	const char *old;	/* --compare: the old PDF's bytes */
	size_t old_len;
	int counter, report;	/* the terminal's counter; the report lines */
	int color;		/* diagnostics in colour (stderr is a terminal) */
	int done, failed, differ;
};

static void render_item(void *arg, int i, struct batch_result *r)
{
	const struct render_batch *b = arg;
	const struct options *opt = b->opt;
	struct diags d = {0};
	struct job j;
	char *out = output_path(opt, opt->inputs[i]);
	struct sbuf now = {0};
	double t0 = now_ms();
	int rc = render_one(opt, b->ss, opt->inputs[i], &j, out, b->old ? &now : NULL, &d);
	if (rc == 0 && b->old) {
		struct pdf_source so = {opt->compare, b->old, b->old_len}, sn = {out, now.s, now.len};
		int c = compare_pdfs(&so, &sn, opt->ppi_set ? opt->ppi : 72, NULL, &d);
		rc = c < 0 ? -1 : 0;
		r->differ = c > 0;
	}
	sbuf_done(&now);
	r->rc = rc;
	r->errors = d.errors;
	r->pages = rc ? 0 : j.out.doc.npages;
	r->warnings = diag_warnings(&d);
	r->seconds = (now_ms() - t0) / 1e3;
	r->label = j.issue ? xasprintf("%04d-%02d", j.issue->year, j.issue->month)
			   : xstrdup(input_name(opt->inputs[i]));
	size_t len = 0;
	FILE *f = open_memstream(&r->diags, &len);
	diag_print_as(&d, f, b->color);
	fclose(f);
	job_done(&j);
	diag_clear(&d);
	free(out);
}

static void render_reported(void *arg, int i, const struct batch_result *r)
{
	struct render_batch *b = arg;
	const struct options *opt = b->opt;
	if (r->diags)
		fputs(r->diags, stderr);
	b->done++;
	if (b->counter)
		fprintf(stderr, "[%d/%d] %s %s %.2f s\n", b->done, opt->ninputs,
			r->label ? r->label : input_name(opt->inputs[i]),
			r->rc || r->errors ? "failed" : "ok", r->seconds);
	if (b->report) {	/* a batch reports each issue */
		char *out = output_path(opt, opt->inputs[i]);
		printf("%s: %s -> %s (%d pages, %d warnings)\n", r->rc ? "failed" : "ok",
		       opt->inputs[i], out, r->rc ? 0 : r->pages, r->warnings);
		free(out);
	}
	fflush(stdout);
	b->failed += r->rc != 0 || r->errors;
	b->differ |= r->differ;
}

/* The inputs' indices, the largest file first (ties in input order). */
static int by_size(const void *a, const void *b, void *arg)
{
	const off_t *size = arg;
	int i = *(const int *)a, k = *(const int *)b;
	return size[i] != size[k] ? (size[i] < size[k] ? 1 : -1) : i - k;
}

static int *largest_first(const char **inputs, int n)
{
	int *order = xcalloc((size_t)n, sizeof(*order));
	off_t *sizes = xcalloc((size_t)n, sizeof(*sizes));
	for (int i = 0; i < n; i++) {
		struct stat st;
		order[i] = i;
		sizes[i] = stat(inputs[i], &st) == 0 ? st.st_size : 0;
	}
	qsort_r(order, (size_t)n, sizeof(*order), by_size, sizes);
	free(sizes);
	return order;
}

static int cmd_render(const struct options *opt, struct session *ss)
{
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
	/* a batch on a terminal counts the issues on stderr; the report lines
	 * on stdout are for scripts (left out when they would repeat it) */
	int batch = opt->ninputs > 1, counter = batch && isatty(2);
	struct render_batch b = {opt, ss, old, old_len, counter, batch && !(counter && isatty(1)),
				 diag_color(stderr), 0, 0, 0};
	/* -j N: N cores in all, as make's jobserver counts them: a process an
	 * issue up to N, the threads of each render sharing the rest (-j 1:
	 * one process, one thread; no -j: one process, every core) */
	int procs = opt->jobs == 0 ? 1 : opt->jobs < opt->ninputs ? opt->jobs : opt->ninputs;
	int *order = procs > 1 ? largest_first(opt->inputs, opt->ninputs) : NULL;
	batch_run(opt->ninputs, procs, order, render_item, render_reported, &b);
	free(order);
	if (opt->ninputs > 1)
		printf("%d of %d issues rendered\n", opt->ninputs - b.failed, opt->ninputs);
	free(old);
	return b.failed || b.differ ? 1 : 0;
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
static int watch_loop(const struct options *opt, struct session *ss, struct server *srv)
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
	/* the next render is the same issue after an edit: keep what it can
	 * take again (cut faces, deflated streams) */
	subset_keep();
	pdfobj_keep();
	compose_keep(32 << 20);	/* the issue's paragraphs, several times over */
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

static int cmd_watch(const struct options *opt, struct session *ss)
{
	return watch_loop(opt, ss, NULL);
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
	int rc = watch_loop(opt, ss, srv);
	serve_free(srv);
	free(url);
	return rc;
}

/* For each issue, everything render would fail on, and the preflight's
 * findings: the PDF is made (in memory, then dropped), so that what only
 * drawing finds (an image that cannot be decoded, an SVG over its time) is
 * reported too.  Exit 1 if any issue has errors. */
static int cmd_check(const struct options *opt, struct session *ss)
{
	int failed = 0;
	for (int i = 0; i < opt->ninputs; i++) {
		const char *input = opt->inputs[i];
		struct diags d = {0};
		struct job j;
		if (job_run(&j, ss->fonts, input, opt->layout, ss->layouts_dir, &d) == 0) {
			/* the standards asked for (else the layout's), as a render would */
			struct pdf_opts po = print_opts(opt, j.layout);
			struct sbuf pdf;
			if (pdf_render(&j.out.doc, &po, input_name(input), &pdf, &d) == 0)
				sbuf_done(&pdf);
		}
		if (j.issue && j.layout)
			preflight(&j, ss->fonts, opt->cmyk || opt->bleed > 0 || opt->impose, &d);
		diag_print(&d, stdout);
		int errors = d.errors, warnings = diag_warnings(&d);
		printf("%s: %d errors, %d warnings\n", input_name(input), errors, warnings);
		failed += errors > 0;
		job_done(&j);
		diag_clear(&d);
	}
	if (opt->ninputs > 1)
		printf("%d of %d issues without errors\n", opt->ninputs - failed, opt->ninputs);
	fflush(stdout);
	return failed ? 1 : 0;
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

/* ---- the command line ---------------------------------------------------- */

/* Every option of every command; a command takes those in its mask.  query's
 * --pages is a flag of its own (render's takes a page list). */
enum opt_id {
	O_OUTPUT, O_OUT_DIR, O_LAYOUT, O_FORMAT, O_PPI, O_PAGES, O_DEPS, O_DUMP, O_DUMP_LINES,
	O_DUMP_MODEL, O_NO_PDF, O_COMPARE, O_BLEED, O_IMPOSE, O_CMYK, O_PDF_STANDARD, O_COUNT,
	O_QUERY_PAGES, O_FONT_PATH, O_FROM, O_DIR, O_JOBS, O_PORT, O_OPEN, O_HELP, O_NOPTS
};
#define OPT(o) (1ull << (o))

static const struct {
	const char *name;
	int has_arg;
	char letter;		/* its short form, or 0 */
} opt_table[O_NOPTS] = {
	[O_OUTPUT] = {"output", required_argument, 'o'},
	[O_OUT_DIR] = {"out-dir", required_argument, 0},
	[O_LAYOUT] = {"layout", required_argument, 0},
	[O_FORMAT] = {"format", required_argument, 0},
	[O_PPI] = {"ppi", required_argument, 0},
	[O_PAGES] = {"pages", required_argument, 0},
	[O_DEPS] = {"deps", required_argument, 0},
	[O_DUMP] = {"dump", required_argument, 0},
	[O_DUMP_LINES] = {"dump-lines", required_argument, 0},
	[O_DUMP_MODEL] = {"dump-model", required_argument, 0},
	[O_NO_PDF] = {"no-pdf", no_argument, 0},
	[O_COMPARE] = {"compare", required_argument, 0},
	[O_BLEED] = {"bleed", required_argument, 0},
	[O_IMPOSE] = {"impose", required_argument, 0},
	[O_CMYK] = {"cmyk", no_argument, 0},
	[O_PDF_STANDARD] = {"pdf-standard", required_argument, 0},
	[O_COUNT] = {"count", required_argument, 0},
	[O_QUERY_PAGES] = {"pages", no_argument, 0},
	[O_FONT_PATH] = {"font-path", required_argument, 0},
	[O_FROM] = {"from", required_argument, 0},
	[O_DIR] = {"dir", required_argument, 0},
	[O_JOBS] = {"jobs", required_argument, 'j'},
	[O_PORT] = {"port", required_argument, 0},
	[O_OPEN] = {"open", no_argument, 0},
	[O_HELP] = {"help", no_argument, 'h'},
};

#define PRINT_OPTS (OPT(O_BLEED) | OPT(O_IMPOSE) | OPT(O_CMYK) | OPT(O_PDF_STANDARD))
#define RENDER_OPTS                                                                              \
	(OPT(O_OUTPUT) | OPT(O_OUT_DIR) | OPT(O_LAYOUT) | OPT(O_FORMAT) | OPT(O_PPI) |           \
	 OPT(O_PAGES) | OPT(O_DEPS) | OPT(O_DUMP) | OPT(O_DUMP_LINES) | OPT(O_DUMP_MODEL) |      \
	 OPT(O_NO_PDF) | OPT(O_COMPARE) | PRINT_OPTS | OPT(O_FONT_PATH) | OPT(O_HELP))
/* render's own: watch renders one issue */
#define BATCH_OPTS OPT(O_JOBS)

static int cmd_diff_run(const struct options *opt, struct session *ss)
{
	(void)ss;
	return cmd_diff(opt);
}

static int cmd_init(const struct options *opt, struct session *ss);
static int cmd_fonts(const struct options *opt, struct session *ss);
static int cmd_layouts(const struct options *opt, struct session *ss);
static int cmd_help(const struct options *opt, struct session *ss);
static int cmd_complete(const struct options *opt, struct session *ss);
static int cmd_serve(const struct options *opt, struct session *ss);

/* What a command needs set up before it runs: the session's font set;
 * the libraries that write PDFs and draw images, loaded on a thread of
 * their own while it starts (lazylib_prefetch); a heap for one issue at a
 * time, on huge pages (heap_ahead). */
enum {
	NEEDS_FONTS = 1,
	NEEDS_DRAWING = 2,
	NEEDS_HEAP = 4,
	SETS_ISSUES = NEEDS_FONTS | NEEDS_DRAWING | NEEDS_HEAP,
};

/* The commands: adding one is one row.  needs: NEEDS_ flags; args: the
 * least and most operands (-1: any). */
static const struct command {
	const char *name, *synopsis, *summary, *help;
	unsigned long long options;
	int min_args, max_args;
	int needs;
	int (*run)(const struct options *opt, struct session *ss);
} commands[] = {
	{"render", "render ISSUE.md...", "typeset each issue into a PDF (or PNG pages)",
	 render_help, RENDER_OPTS | BATCH_OPTS, 1, -1, SETS_ISSUES, cmd_render},
	{"watch", "watch ISSUE.md", "render again whenever an input is saved", watch_help,
	 (RENDER_OPTS & ~(OPT(O_OUT_DIR) | OPT(O_COMPARE))) | OPT(O_COUNT), 1, 1, SETS_ISSUES,
	 cmd_watch},
	{"serve", "serve ISSUE.md", "a live preview in the browser (127.0.0.1)", serve_help,
	 OPT(O_LAYOUT) | OPT(O_PORT) | OPT(O_OPEN) | OPT(O_PPI) | OPT(O_COUNT) | OPT(O_FONT_PATH) |
	 OPT(O_HELP), 1, 1, SETS_ISSUES, cmd_serve},
	{"check", "check ISSUE.md...", "preflight without writing; exit 1 on errors", check_help,
	 OPT(O_LAYOUT) | PRINT_OPTS | OPT(O_FONT_PATH) | OPT(O_HELP), 1, -1, SETS_ISSUES, cmd_check},
	{"query", "query ISSUE.md...", "the issues' structure as JSON", query_help,
	 OPT(O_LAYOUT) | OPT(O_QUERY_PAGES) | OPT(O_FONT_PATH) | OPT(O_HELP), 1, -1, NEEDS_FONTS,
	 cmd_query},
	{"diff", "diff OLD.pdf NEW.pdf", "compare two renders page by page", diff_help,
	 OPT(O_OUTPUT) | OPT(O_PPI) | OPT(O_HELP), 2, 2, 0, cmd_diff_run},
	{"volume", "volume ISSUE.md... -o V.pdf", "bind issues, in date order, into one PDF",
	 volume_help, OPT(O_OUTPUT) | OPT(O_LAYOUT) | OPT(O_DUMP) | PRINT_OPTS | OPT(O_FONT_PATH) |
	 OPT(O_HELP), 1, VOLUME_MAX_ISSUES, NEEDS_FONTS | NEEDS_DRAWING, cmd_volume},
	{"init", "init YYYY-MM", "start a month's issue from the previous one", init_help,
	 OPT(O_FROM) | OPT(O_DIR) | OPT(O_HELP), 1, 1, 0, cmd_init},
	{"fonts", "fonts", "the families and faces of the font set", fonts_help,
	 OPT(O_FONT_PATH) | OPT(O_HELP), 0, 0, NEEDS_FONTS, cmd_fonts},
	{"layouts", "layouts", "the designs in layouts/ and what each extends", layouts_help,
	 OPT(O_HELP), 0, 0, 0, cmd_layouts},
	{"help", "help [COMMAND]", "this overview, or a command's options", help_help, OPT(O_HELP),
	 0, 1, 0, cmd_help},
	/* for the shell completions (completion/): not in the overview */
	{"complete", NULL, NULL, complete_help, 0, 0, 1, 0, cmd_complete},
};
#define NCOMMANDS ((int)(sizeof(commands) / sizeof(commands[0])))

static const struct command *command_find(const char *name)
{
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *f)
{
	fputs("usage: bulletin COMMAND [OPTIONS] ARGS...\n"
	      "       bulletin --help | --version\n"
	      "\n"
	      "bulletin typesets one issue of a periodical bulletin into an A4 PDF.\n"
	      "\n",
	      f);
	for (int i = 0; i < NCOMMANDS; i++)
		if (commands[i].synopsis)
			fprintf(f, "  %-28s %s\n", commands[i].synopsis, commands[i].summary);
	fputs(overview_tail, f);
}

/* A usage error of command c (NULL: none chosen): the message, the
 * command's usage lines and where its help is.  Returns 2. */
static int usage_error(const struct command *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const struct command *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "bulletin%s%s: ", c ? " " : "", c ? c->name : "");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (c) {
		const char *end = strstr(c->help, "\n\n");
		fprintf(stderr, "%.*s\n", (int)(end ? end - c->help : (ptrdiff_t)strlen(c->help)),
			c->help);
		fprintf(stderr, "Try 'bulletin help %s'.\n", c->name);
	} else {
		print_overview(stderr);
	}
	return 2;
}

/* One option k with its value v; 0, or the usage exit code. */
static int set_option(const struct command *c, struct options *opt, enum opt_id k, const char *v)
{
	const char *name = opt_table[k].name;
	switch (k) {
	case O_OUTPUT: opt->output = v; break;
	case O_OUT_DIR: opt->out_dir = v; break;
	case O_LAYOUT: opt->layout = v; break;
	case O_DUMP: opt->dump = v; break;
	case O_DUMP_LINES: opt->dump_lines = v; break;
	case O_DUMP_MODEL: opt->dump_model = v; break;
	case O_DEPS: opt->deps = v; break;
	case O_PAGES: opt->pages = v; break;
	case O_COMPARE: opt->compare = v; break;
	case O_FROM: opt->from = v; break;
	case O_DIR: opt->dir = v; break;
	case O_NO_PDF: opt->no_pdf = 1; break;
	case O_CMYK: opt->cmyk = 1; break;
	case O_QUERY_PAGES: opt->query_pages = 1; break;
	case O_HELP: opt->help = 1; break;
	case O_FONT_PATH: opt->font_dirs[opt->nfont_dirs++] = v; break;
	case O_FORMAT:
		if (strcmp(v, "pdf") && strcmp(v, "png"))
			return usage_error(c, "--format takes pdf or png, not '%s'", v);
		opt->format = !strcmp(v, "png") ? FORMAT_PNG : FORMAT_PDF;
		break;
	case O_PORT: {
		char *end;
		long port = strtol(v, &end, 10);
		if (end == v || *end || port < 0 || port > 65535)
			return usage_error(c, "--port takes a port number from 0 to 65535, not '%s'", v);
		opt->port = (int)port, opt->port_set = 1;
		break;
	}
	case O_OPEN: opt->open = 1; break;
	case O_JOBS: {
		char *end;
		long n = strtol(v, &end, 10);
		if (end == v || *end || n < 1 || n > BATCH_MAX_JOBS)
			return usage_error(c, "--jobs takes a number of cores from 1 to %d, not '%s'",
					   BATCH_MAX_JOBS, v);
		opt->jobs = (int)n;
		break;
	}
	case O_PPI:
	case O_COUNT: {
		char *end;
		double x = strtod(v, &end);
		if (end == v || *end || !(x >= 1 && x <= 2400))
			return usage_error(c, "--%s takes a number from 1 to 2400, not '%s'", name, v);
		if (k == O_PPI)
			opt->ppi = x, opt->ppi_set = 1;
		else
			opt->count = (int)x;
		break;
	}
	case O_BLEED: {
		struct len l;
		if (yml_parse_length(v, 0, &l) < 0 || l.pt < 0 || l.pt > 72)
			return usage_error(c, "--bleed takes a length up to 1in, like 3mm or 8.5pt, not '%s'",
					   v);
		opt->bleed = l.pt;
		break;
	}
	case O_IMPOSE:
		if (strcmp(v, "saddle-stitch"))
			return usage_error(c, "--impose takes saddle-stitch, not '%s'", v);
		opt->impose = 1;
		break;
	case O_PDF_STANDARD: {
		char *why = NULL;
		if (pdfstd_parse(v, &opt->standards, &why) < 0) {
			int rc = usage_error(c, "--pdf-standard: %s",
					     why ? why : "needs a value, such as a-2b or ua-1");
			free(why);
			return rc;
		}
		opt->standards_set = 1;
		break;
	}
	case O_NOPTS:
		break;
	}
	return 0;
}

/* The option as written, without a value: "--layout" of "--layout=x". */
static int option_word(const char *arg)
{
	const char *eq = strchr(arg, '=');
	return eq ? (int)(eq - arg) : (int)strlen(arg);
}

/* Parses argv (argv[0] the command) with getopt_long: --opt value,
 * --opt=value, -oX, -o X, -- ending the options, operands anywhere.  An
 * option of another command is named as such.  0, or the usage exit code. */
static int parse_args(const struct command *c, int argc, char **argv, struct options *opt)
{
	/* the table getopt sees: every option, the command's version of a name
	 * two options share */
	struct option longs[O_NOPTS + 1];
	int n = 0;
	for (int k = 0; k < O_NOPTS; k++) {
		int shadowed = 0;
		for (int o = 0; o < O_NOPTS; o++)
			if (o != k && !strcmp(opt_table[o].name, opt_table[k].name) &&
			    (c->options & OPT(o)) && !(c->options & OPT(k)))
				shadowed = 1;
		if (!shadowed && !(k == O_QUERY_PAGES && !(c->options & OPT(k))))
			longs[n++] = (struct option){opt_table[k].name, opt_table[k].has_arg, NULL,
						     256 + k};
	}
	longs[n] = (struct option){0};
	char shorts[2 * O_NOPTS + 2] = ":";	/* ':' first: a missing value is told apart */
	for (int k = 0, m = 1; k < O_NOPTS; k++)
		if (opt_table[k].letter) {
			shorts[m++] = opt_table[k].letter;
			if (opt_table[k].has_arg == required_argument)
				shorts[m++] = ':';
		}
	opterr = 0;
	optind = 0;	/* glibc: a fresh scan */
	int ch;
	while ((ch = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const char *arg = argv[optind - 1];
		int k;
		if (ch == '?') {
			if (optopt >= 256)	/* a flag given a value */
				return usage_error(c, "%.*s takes no value", option_word(arg), arg);
			if (optopt)
				return usage_error(c, "unknown option -%c", optopt);
			int w = option_word(arg), matches = 0;
			for (int i = 0; i < n; i++)
				matches += w > 2 && !strncmp(longs[i].name, arg + 2, (size_t)w - 2);
			return usage_error(c, "%s option %.*s", matches > 1 ? "ambiguous" : "unknown", w,
					   arg);
		}
		if (ch == ':') {
			if (optopt > 0 && optopt < 256)
				return usage_error(c, "-%c needs a value", optopt);
			return usage_error(c, "%.*s needs a value", option_word(arg), arg);
		}
		k = ch - 256;
		for (int o = 0; ch < 256 && o < O_NOPTS; o++)
			if (opt_table[o].letter == ch)
				k = o;
		if (!(c->options & OPT(k))) {
			if (opt_table[k].letter && ch < 256)
				return usage_error(c, "-%c is not an option of %s", ch, c->name);
			return usage_error(c, "--%s is not an option of %s", opt_table[k].name, c->name);
		}
		int rc = set_option(c, opt, (enum opt_id)k, optarg);
		if (rc)
			return rc;
	}
	for (int i = optind; i < argc; i++)
		opt->inputs[opt->ninputs++] = argv[i];
	return 0;
}

/* What the options and operands of c must agree on; 0, or 2. */
static int check_args(const struct command *c, struct options *opt)
{
	const char *cmd = c->name;
	if (opt->ninputs < c->min_args || (c->max_args >= 0 && opt->ninputs > c->max_args)) {
		if (!strcmp(cmd, "diff"))
			return usage_error(c, "diff takes two PDF files: OLD.pdf NEW.pdf");
		if (!strcmp(cmd, "init"))
			return usage_error(c, "init takes the month to start: YYYY-MM");
		if (!strcmp(cmd, "volume") && opt->ninputs > 0)
			return usage_error(c, "a volume binds at most %d issues", VOLUME_MAX_ISSUES);
		if (c->max_args == 0)
			return usage_error(c, "%s takes no file", cmd);
		if (opt->ninputs == 0)
			return usage_error(c, "%s needs an issue file", cmd);
		return usage_error(c, "%s takes one issue file", cmd);
	}
	int stdin_uses = 0;
	for (int i = 0; i < opt->ninputs; i++)
		stdin_uses += !strcmp(opt->inputs[i], "-");
	if (stdin_uses && (!strcmp(cmd, "diff") || !strcmp(cmd, "init")))
		return usage_error(c, "%s does not read standard input", cmd);
	if (stdin_uses > 1)
		return usage_error(c, "standard input (-) can be read once");
	if (stdin_uses && !strcmp(cmd, "watch"))
		return usage_error(c, "watch needs a file to watch, not standard input");
	if (!strcmp(cmd, "watch") && opt->output && !strcmp(opt->output, "-"))
		return usage_error(c, "watch writes a file again at each save, not -o -");
	if (!strcmp(cmd, "init")) {
		int y, m;
		if (init_parse_month(opt->inputs[0], &y, &m) < 0)
			return usage_error(c, "init takes a month as YYYY-MM, not '%s'", opt->inputs[0]);
		return 0;
	}
	if ((!strcmp(cmd, "diff") && opt->output && !strcmp(opt->output, "-")) ||
	    (opt->out_dir && !strcmp(opt->out_dir, "-")))
		return usage_error(c, "%s names a folder, not standard output",
				   opt->out_dir ? "--out-dir" : "diff -o");
	if (!strcmp(cmd, "help") || !strcmp(cmd, "diff") || !strcmp(cmd, "fonts") ||
	    !strcmp(cmd, "layouts"))
		return 0;
	if (opt->compare && (opt->ninputs > 1 || opt->format == FORMAT_PNG || opt->no_pdf))
		return usage_error(c, "--compare compares one issue's PDF with an old one");
	if (!strcmp(cmd, "volume")) {
		if (!opt->output)
			return usage_error(c, "volume needs -o VOLUME.pdf");
		return 0;
	}
	int dumping = opt->dump || opt->dump_lines || opt->dump_model;
	if (opt->ninputs > 1 && (opt->output || dumping || opt->deps))
		return usage_error(c, "with several issues use --out-dir (no -o, --dump, --deps)");
	if (stdin_uses && !opt->output && !(dumping && opt->no_pdf) && strcmp(cmd, "check") &&
	    strcmp(cmd, "query"))
		return usage_error(c, "an issue read from standard input needs -o OUT (- for "
				      "standard output)");
	if (opt->standards_set && opt->format == FORMAT_PNG)
		return usage_error(c, "--pdf-standard applies to PDF output, not --format png");
	if (opt->pages && opt->format != FORMAT_PNG)
		return usage_error(c, "--pages selects PNG pages (--format png); a PDF keeps every "
				      "page");
	if (opt->format == FORMAT_PNG && opt->output && !strcmp(opt->output, "-"))
		return usage_error(c, "PNG pages are files (OUT-01.png, ...): -o - writes PDF only");
	if (opt->no_pdf && !dumping)
		return usage_error(c, "--no-pdf goes with --dump");
	return 0;
}

/* bulletin help [COMMAND]: the overview, or one command's help. */
static int cmd_help(const struct options *opt, struct session *ss)
{
	(void)ss;
	if (opt->ninputs == 0) {
		print_overview(stdout);
		return 0;
	}
	const struct command *c = command_find(opt->inputs[0]);
	if (!c)
		return usage_error(NULL, "no command '%s'", opt->inputs[0]);
	fputs(c->help, stdout);
	return 0;
}

/* bulletin complete [COMMAND]: the commands, or COMMAND's options, one a
 * line (an option that takes a value ends in '='), from the tables the
 * parser uses: the shell completions ask for them, so they list what this
 * binary takes. */
static int cmd_complete(const struct options *opt, struct session *ss)
{
	(void)ss;
	if (opt->ninputs == 0) {
		for (int i = 0; i < NCOMMANDS; i++)
			if (commands[i].synopsis)
				printf("%s\n", commands[i].name);
		return 0;
	}
	const struct command *c = command_find(opt->inputs[0]);
	if (!c)
		return 1;
	for (int k = 0; k < O_NOPTS; k++) {
		if (!(c->options & OPT(k)))
			continue;
		if (opt_table[k].letter)
			printf("-%c\n", opt_table[k].letter);
		printf("--%s%s\n", opt_table[k].name, opt_table[k].has_arg ? "=" : "");
	}
	return 0;
}

/* bulletin init YYYY-MM: the month's issue from the previous one. */
static int cmd_init(const struct options *opt, struct session *ss)
{
	(void)ss;
	struct init_request rq = {opt->dir ? opt->dir : "issues", 0, 0, opt->from};
	init_parse_month(opt->inputs[0], &rq.year, &rq.month);
	struct diags d = {0};
	struct init_result res;
	int rc = init_issue(&rq, &res, &d) < 0 ? 1 : 0;
	diag_print(&d, stderr);
	diag_clear(&d);
	if (rc == 0) {
		if (res.from)
			printf("%s: number %d, %d sections from %s\n", res.path, res.number,
			       res.sections, res.from);
		else
			printf("%s: number %d (no earlier issue in %s)\n", res.path, res.number, rq.dir);
	}
	init_result_done(&res);
	return rc;
}

/* bulletin fonts: the font set's families and faces. */
static int cmd_fonts(const struct options *opt, struct session *ss)
{
	(void)opt;
	char *text = fonts_list(ss->fonts);
	fputs(text, stdout);
	free(text);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name of a layout file: "layouts/print.yaml" -> "print". */
static char *layout_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	return dot ? xstrndup(base, (size_t)(dot - base)) : xstrdup(base);
}

/* bulletin layouts: each design in layouts/, what it extends, its file; a
 * link as one.  Exit 1 if one cannot be read (its errors printed). */
static int cmd_layouts(const struct options *opt, struct session *ss)
{
	(void)opt;
	DIR *dp = opendir(ss->layouts_dir);
	if (!dp) {
		fprintf(stderr, "%s: error: cannot read the folder: %s\n", ss->layouts_dir,
			strerror(errno));
		return 1;
	}
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml") && e->d_name[0] != '.') {
			names = xrealloc(names, (size_t)(n + 1) * sizeof(*names));
			names[n++] = xstrndup(e->d_name, len - 5);
		}
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s.yaml", ss->layouts_dir, names[i]);
		char target[PATH_MAX];
		struct stat st;
		ssize_t tl = lstat(path, &st) == 0 && S_ISLNK(st.st_mode)
				     ? readlink(path, target, sizeof(target) - 1)
				     : -1;
		if (tl > 0) {
			target[tl] = '\0';
			char *to = layout_name(target);
			printf("%-12s -> %s\n", names[i], to);
			free(to);
			free(path);
			continue;
		}
		struct diags d = {0};
		struct layout *lo = layout_load(path, ss->layouts_dir, &d);
		if (!lo) {
			diag_print(&d, stderr);
			rc = 1;
		} else {
			struct sbuf chain;
			sbuf_init(&chain);
			/* files: the layouts it extends, the nearest last, then its own */
			for (int k = lo->nfiles - 2; k >= 0; k--) {
				char *nm = layout_name(lo->files[k]);
				sbuf_printf(&chain, "%s%s", chain.len ? " < " : "extends ", nm);
				free(nm);
			}
			printf("%-12s %-24s %s\n", names[i], chain.s, path);
			sbuf_done(&chain);
			layout_free(lo);
		}
		diag_clear(&d);
		free(path);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* The heap a render grows, on huge pages where the system lets a
 * process ask (transparent huge pages in madvise mode): the reference
 * issue's render faulted ~5600 times, most of them its heap touched 4 KB
 * at a time; with its first HEAP_AHEAD grown at once, kept (no trim) and
 * advised, ~2100 times (and 4 ms sooner), for 2 MB more at its peak.
 * (glibc's glibc.malloc.hugetlb tunable does much the same, but is read
 * from the environment before main.)  For commands that set an issue at a
 * time (NEEDS_HEAP), not a volume's: its heap grows past 100 MB, the
 * faults saved are few, and the fixed limits (no trim, no dynamic mmap
 * threshold) cost its peak 1-2 MB of its 150 MiB goal.  Not under the
 * sanitizers, whose allocator is their own. */
#define HEAP_AHEAD (32 << 20)
#define MMAP_FROM (4 << 20)	/* afterwards: larger blocks go back when freed */
static void heap_ahead(void)
{
#if !defined(__SANITIZE_ADDRESS__)
	mallopt(M_MMAP_THRESHOLD, 32 << 20);	/* glibc's most */
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	char *from = sbrk(0);
	/* one block, so that only its first page is touched (a 2 MB range
	 * with a page touched already is not given a huge page) */
	void *volatile ahead = malloc(HEAP_AHEAD - (16 << 20));	/* volatile: not elided */
	free(ahead);	/* the top grew by it and the pad, and stays */
	mallopt(M_MMAP_THRESHOLD, MMAP_FROM);
	char *to = sbrk(0);
	uintptr_t huge = 2 << 20, a = ((uintptr_t)from + huge - 1) & ~(huge - 1);
	if (from != (char *)-1 && to > from && (uintptr_t)to > a)
		madvise((void *)a, (uintptr_t)to - a, MADV_HUGEPAGE);
#endif
}

/* Runs c with the project's data (layouts, fonts) loaded once. */
static int run(const struct command *c, const struct options *opt)
{
	out_signals();
	struct session ss = {0};
	char *looked = NULL;
	ss.dir = data_dir(&looked);
	if (!ss.dir) {
		fprintf(stderr, "bulletin: error: no data folder (one with layouts/ and "
				"fonts/fonts.conf); looked in:\n%s"
				"  = help: set BULLETIN_DATA to the folder, or run `make install`\n",
			looked);
		free(looked);
		return 1;
	}
	ss.layouts_dir = xasprintf("%s/layouts", ss.dir);
	struct diags d = {0};
	int rc;
	if (opt->jobs > 0)
		work_limit(opt->jobs);	/* render -j: before any thread starts */
	if (c->needs & NEEDS_HEAP)
		heap_ahead();
	if (c->needs & NEEDS_FONTS) {
		char *conf = xasprintf("%s/fonts/fonts.conf", ss.dir);
		ss.fonts = fonts_new_with(conf, opt->font_dirs, opt->nfont_dirs, &d);
		free(conf);
	}
	if (c->needs & NEEDS_DRAWING)
		lazylib_prefetch();	/* while the issue is read and set */
	if ((c->needs & NEEDS_FONTS) && !ss.fonts) {
		diag_print(&d, stderr);
		rc = 1;
	} else {
		rc = c->run(opt, &ss);
	}
	diag_clear(&d);
	if (fflush(stdout) != 0) {	/* a full disk, a closed pipe */
		fprintf(stderr, "bulletin: error: cannot write standard output: %s\n", strerror(errno));
		rc = 1;
	}
#if !defined(__SANITIZE_ADDRESS__)
	/* What is left lives as long as the process: the font set, the caches
	 * kept for further renders.  Taking it apart costs a render 3-6 ms the
	 * system spends anyway; the outputs are committed and no temporary
	 * file is open.  The sanitizer build takes it apart, to check for
	 * leaks. */
	fflush(stderr);
	_exit(rc);
#endif
	work_later_wait();
	subset_forget();
	pdfobj_forget();
	paint_forget();
	fonts_free(ss.fonts);
	free(ss.layouts_dir);
	free(ss.dir);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "which command?");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_overview(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("bulletin %s\n", BULLETIN_VERSION);
		return 0;
	}
	const struct command *c = command_find(argv[1]);
	if (!c)
		return usage_error(NULL, "unknown command '%s'", argv[1]);
	struct options opt = {0};
	opt.ppi = 144;
	opt.inputs = xcalloc((size_t)argc, sizeof(*opt.inputs));
	opt.font_dirs = xcalloc((size_t)argc, sizeof(*opt.font_dirs));
	int rc = parse_args(c, argc - 1, argv + 1, &opt);
	if (rc == 0 && opt.help) {
		fputs(c->help, stdout);
	} else if (rc == 0 && (rc = check_args(c, &opt)) == 0) {
		rc = run(c, &opt);
	}
	free(opt.inputs);
	free(opt.font_dirs);
	return rc;
}
