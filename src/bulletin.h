/* bulletin: one issue of a periodical bulletin, as data, to a print-ready PDF.
 *
 * Data flows one way:  argv -> (issue, layout) -> text -> assemble (flow, passes) -> pdf | dump
 *
 * Modules, their prefix and file (helpers inside a file are static):
 *   diag_   util.c    diagnostics list (file:line:col, severity, message, hint);
 *                     printed with the source line and a caret
 *   sbuf_   util.c    growable byte buffer
 *   x*      util.c    allocation that aborts when memory runs out
 *   utf8_   util.c    UTF-8 validation and decoding
 *   path_   util.c    paths: folders, relative references, containment
 *   dir_    util.c    a folder's entries: the nearest name ("did you mean")
 *   paths_  util.c    a list of distinct paths (the files a render read)
 *   arena_  util.c    allocation by lifetime: a stage's value, freed at once
 *   out_    out.c     outputs staged and committed whole; signal clean-up
 *   yml_    yaml.c    schema-checked YAML mapping -> C struct (libfyaml)
 *   issue_  issue.c   issue file -> document model (front matter + md4c body)
 *   emph_   emph.c    emphasis by the CommonMark CJK-friendly rules, for issue.c
 *   layout_ layout.c  layout file -> immutable design (page, styles, numbering)
 *   fonts_  fonts.c   the only fontconfig user: the project's own font set
 *   tmpl_   tmpl.c    templates: {year} {number:02} {1:cn}; heading numbers
 *   hyph_   hyph.c    hyphenation points of Latin words (libhyphen dictionaries)
 *   compose_ compose.c a paragraph -> lines by the rules of Chinese text (clreq)
 *   text_   text.c    block + style + width -> shaped lines (Pango units)
 *   flow_   flow.c    shaped blocks -> pages of positioned boxes (points), placements
 *   doc_    flow.c    the laid-out document: pages, marks, numbering
 *   image_  image.c   image files: kind, size, limits, JPEG pass-through
 *   cover_  cover.c   issue metadata + layout -> the cover page's boxes
 *   assemble assemble.c parts (cover, TOC, bodies) -> the document; TOC passes
 *   tags_   tags.c    the document's logical structure (the PDF's tags)
 *   subset_ subset.c  the fonts cut to the glyphs drawn, for the PDF (hb-subset)
 *   paint_  paint.c   image files painted on cairo: PNG, JPEG pass-through, SVG in bounded time
 *   pdf_    pdf.c     pages -> PDF through cairo (the only cairo-pdf user)
 *   pdftags_ pdftags.c the structure tree (tags) written into the PDF (libqpdf)
 *   pdfstd_ pdfstd.c  PDF/A and PDF/UA: checks, XMP, output intent (libqpdf)
 *   pdftext_ pdftext.c ToUnicode maps repaired: ligatures (libqpdf)
 *   pdfobj_  pdfobj.c  dictionary keys and decoded streams, for the libqpdf passes
 *   pdfcmyk_ pdfcmyk.c the print profile's colours: palette inks, K-only text (libqpdf)
 *   dump_   dump.c    model, set blocks, pages -> text, for golden tests
 *   watch_  watch.c   wait for saved files (inotify), for watch mode
 *   serve_  serve.c   the live preview: pages and errors over HTTP (libmicrohttpd)
 *   print_  print.c   the print profile: bleed, crop marks
 *   preflight preflight.c  the checks of `bulletin check`
 *   init_   init.c    a new month's issue from the previous one (bulletin init)
 *   job_    job.c     one issue: read, number, set, compose (the stages in order)
 *   work_   work.c    independent tasks on the machine's cores (threads)
 *   batch_  batch.c   a batch's issues on N worker processes (render -j N)
 *
 * Units: the layout file and page boxes are in PostScript points (1/72 in),
 * as double.  Line breaking and vertical flow work in Pango units (int,
 * PANGO_SCALE per point) so that breaks are reproducible; conversion to
 * double happens once, when a line becomes a box on a page.
 */
#ifndef BULLETIN_H
#define BULLETIN_H

#include <stddef.h>
#include <stdio.h>

#define BULLETIN_VERSION "0.1.0"

/* ---- util.c ----------------------------------------------------------- */

void *xmalloc(size_t n);
/* An open-addressing table of *nslots ints (doubled, or `first` if 0), all
 * -1; slots (the old table) is freed: the caller puts the entries back. */
int *slots_grow(int *slots, int *nslots, int first);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer; always NUL-terminated after sbuf_init. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_init(struct sbuf *sb);
void sbuf_done(struct sbuf *sb);
void sbuf_add(struct sbuf *sb, const char *s, size_t n);
void sbuf_str(struct sbuf *sb, const char *s);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sbuf_take(struct sbuf *sb);	/* caller frees; sb is left empty, needing no sbuf_done */

enum severity { SEV_WARNING, SEV_ERROR };

/* A place in a source file; file is borrowed (from the issue or layout). */
struct srcpos {
	const char *file;
	int line, col;		/* 1-based; 0: unknown */
};

/* One finding about the input.  line and col are 1-based; 0 means unknown. */
struct diag {
	enum severity sev;
	char *file;
	int line, col;
	char *msg;
	char *hint;		/* "did you mean 'number'?", printed on its own line; or NULL */
	int count;		/* how many times it was found (identical findings are one) */
};

/* Diagnostics are data: library code appends, main prints.  A zeroed
 * struct is empty. */
struct diags {
	struct diag *v;
	int n, cap;
	int errors;		/* errors added, repeats included */
	int *slots, nslots;	/* hash of the findings, for merging repeats */
	int last;		/* index of the finding diag_add added or counted last */
};
void diag_add(struct diags *d, enum severity sev, const char *file, int line, int col,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Attaches a hint to the finding diag_add added last (replacing its hint):
 * "did you mean 'number'?".  Nothing if d is empty. */
void diag_hint(struct diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Each finding, rustc style: "file:line:col: error: msg" (with " (N times)"
 * for a repeated finding: this first line is the stable format scripts
 * read), then the source line read from the file and a caret under the
 * column (in display columns: a CJK character is two wide), then
 * "  = help: hint".  Bold and red/yellow when out is a terminal and
 * NO_COLOR is unset. */
void diag_print(const struct diags *d, FILE *out);
/* diag_print in colour or not, whatever out is (a batch's worker prints
 * into a buffer that goes to the terminal); diag_color: whether a
 * terminal stream is to get colour. */
void diag_print_as(const struct diags *d, FILE *out, int color);
int diag_color(FILE *terminal);
void diag_clear(struct diags *d);
int diag_warnings(const struct diags *d);	/* distinct warnings */

/* Reads a whole regular file (never a device, FIFO or folder; the open does
 * not block).  Returns NULL (and adds an error) when it cannot be read.
 * *len receives the length; the buffer is NUL-terminated; caller frees. */
char *file_load(const char *path, size_t *len, struct diags *d);

/* An arena: what a stage's value holds, allocated as it is built and freed
 * in one call.  A zeroed struct is empty; memory comes zeroed, aligned for
 * any type.  Out of memory aborts. */
struct arena {
	struct arena_chunk *head;
};
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);	/* NUL-terminated */
void arena_free(struct arena *a);

/* A list of distinct paths (files read or tried); a zeroed struct is empty.
 * paths_add ignores a NULL list. */
struct paths {
	char **v;
	int n;
};
void paths_add(struct paths *p, const char *path);
void paths_done(struct paths *p);

/* Paths.  path_dir: the folder part ("." if none).  path_relative: ref
 * resolved against the folder of the file `from` names (from NULL, or ref
 * absolute: ref itself).  Both return new strings. */
char *path_dir(const char *path);
char *path_relative(const char *from, const char *ref);
/* 1 if path, links resolved, is folder (resolved) or inside it. */
int path_under(const char *path, const char *folder);

/* The candidate nearest to key by edit distance if it is near enough to be
 * a likely typo (one edit for names up to 4 bytes, two for longer), else
 * NULL: the "did you mean" of messages. */
const char *name_nearest(const char *key, const char *const *cand, int n);
/* The entry of folder dir nearest to name (as name_nearest), among those
 * ending with suffix ("" for any), compared and returned without it; a new
 * string, or NULL: the "did you mean" of a file or layout not found. */
char *dir_nearest(const char *dir, const char *name, const char *suffix);

/* A short, printable quotation of s[0, len) for a message: at most
 * max_chars characters (then "…"), control, invisible and invalid bytes
 * escaped (\n, \x01, \u200b).  Caller frees. */
char *excerpt(const char *s, size_t len, int max_chars);
/* s[0, n) (n < 0: to its NUL) as a JSON string: UTF-8 kept, quotes,
 * backslashes and control characters escaped; NULL as null. */
void json_str(struct sbuf *out, const char *s, int n);
enum { EXCERPT_CHARS = 40 };

/* Checks UTF-8 text: well formed, no NUL, no noncharacter (U+FDD0-U+FDEF,
 * U+xxFFFE, U+xxFFFF: reserved for internal use, refused by the PDF layer).
 * On failure adds "file:line:col: ..." and returns -1. */
int utf8_check(const char *s, size_t len, const char *file, struct diags *d);
#define UTF8_NONCHAR_MSG "noncharacter U+%04X: Unicode reserves it for internal use; it cannot be printed"
int utf8_noncharacter(unsigned cp);
/* The length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
int utf8_seq_len(const char *s, size_t n);
/* Decodes one code point at s (valid UTF-8 assumed); returns its byte length. */
int utf8_decode(const char *s, unsigned *cp);
/* Line and column (1-based, column counted in characters) of offset in text. */
void text_position(const char *text, size_t offset, int *line, int *col);

/* A library loaded when it is first needed (poppler for diff, libmicrohttpd
 * for serve), its functions names[0, n) stored through slots[0, n).  NULL,
 * or why not (caller frees; package: the Debian package that has it). */
char *lib_open(const char *soname, const char *package, const char *const *names,
	       void **const *slots, int n);
#define LIB_NAME(f) #f,

/* ---- out.c: outputs written whole or not at all ---------------------- */

#include <sys/types.h>

/* The outputs of one render, staged then committed together.  Opaque. */
struct outset;
struct outset *out_new(void);
/* Stages data[0, len) as the new content of path ("-": standard output):
 * written to a temporary beside the file path names (a link's target),
 * checked, fsync'ed and closed; a character device or FIFO is written at
 * commit.  Returns 0, or -1 with an error naming path (a full disk, a
 * folder, a dangling link, two outputs naming one file). */
int out_stage(struct outset *o, const char *path, const void *data, size_t len,
	      struct diags *d);
/* Renames every staged temporary over its target.  0, or -1 with an error. */
int out_commit(struct outset *o, struct diags *d);
/* Removes what was staged and not committed; frees o (NULL is fine). */
void out_free(struct outset *o);
/* SIGINT, SIGTERM, SIGHUP: remove the registered temporaries, kill the
 * registered children, then die of the signal.  out_signals_default undoes
 * it (in a child process). */
void out_signals(void);
void out_signals_default(void);
/* mkostemp(templ) with the result registered for removal on a signal;
 * *slot names the registration for out_temp_remove.  -1 with errno. */
int out_temp(char *templ, int *slot);
void out_temp_remove(const char *path, int slot);
/* Forgets registration slot: its file was renamed to where it belongs. */
void out_temp_keep(int slot);
/* Writes all of data to fd, through short writes and EINTR.  0, or -1
 * with errno. */
int out_write_all(int fd, const char *data, size_t len);
/* Registers (add 1) or forgets (add 0) a child process to kill on a signal. */
/* fork() with the signals blocked across it, so that a signal finds the
 * child registered (out_child): in the parent the child's pid or -1, in
 * the child 0 with the signal mask restored and, unless handlers, the
 * default dispositions (a child with no temporaries of its own). */
pid_t out_fork(int handlers);
void out_child(pid_t pid, int add);

/* ---- yaml.c ----------------------------------------------------------- */

struct color {
	double r, g, b, a;	/* 0..1; a == 0 means "none" */
};

/* The registration colour of printer's marks, as the backend draws it: a
 * near-black no palette colour can be (its components differ below what
 * "#rrggbb" can say), which the print profile's CMYK rewrites as the
 * all-plates /Separation /All (pdfcmyk.c). */
#define REGISTRATION_R 0.0013
#define REGISTRATION_G 0.0007
#define REGISTRATION_B 0.0011

/* A schema says which keys a YAML mapping may have and where each value goes
 * in a C struct: a table of fields ending with a NULL key.  Reading only
 * writes the keys present, so a second document read over the same struct
 * overrides just its own keys (layout `extends:`).  Every error is a
 * diagnostic with the file, 1-based line and column, and what was expected. */
enum yml_type {
	YML_NUMBER,	/* double, a plain number */
	YML_INT,	/* int, a plain integer */
	YML_BOOL,	/* int 0/1, true or false */
	YML_STRING,	/* char *, owned: freed when overridden and by yml_free */
	YML_DIM,	/* double in pt: 12 (= pt), "12pt", "3mm", "1.5cm", "0.5in"; no em;
			   at most 14400pt (200in) either way */
	YML_LEN,	/* struct len: as YML_DIM, or "2em" (at most 100em) */
	YML_COLOR,	/* struct color: "#rrggbb", "#rgb", "#rrggbbaa", none (a = 0), or
			   a name of the palette being read with (yml_doc_read) */
	YML_ENUM,	/* int (or an int-sized enum): one of the names in .names */
	YML_MAP,	/* nested mapping: .sub's fields are relative to base + offset */
	YML_STRMAP,	/* struct yml_strmap: any keys, string values */
	YML_LIST,	/* struct yml_list: a sequence of mappings, each read by .sub into
			   an element of .elem_size bytes; a later document replaces it,
			   or merges into it by its elements' id: (read_list) */
	YML_PALETTE,	/* struct yml_palette: named colours (each a colour, or a mapping
			   with screen:, cmyk:, spot:); a later document adds to it and
			   overrides the names it repeats */
	YML_OTHER,	/* an allowed key that the caller reads itself (yml_doc_scalar) */
};

/* yml_field.flags */
enum {
	YML_REQUIRED = 1,	/* checked by yml_require, not while reading */
	YML_MIN = 2,		/* value >= min */
	YML_MAX = 4,		/* value <= max */
	YML_POSITIVE = 8,	/* value > 0 */
	YML_DEFAULT = 16,	/* YML_NUMBER, YML_DIM, YML_INT, YML_BOOL, YML_ENUM: .def when
				 * not given; YML_LEN: .def em */
	YML_EARLY = 32,		/* read by yml_doc_read_early, skipped by yml_doc_read */
};

struct yml_enum {
	const char *name;	/* a table ends with name == NULL */
	int value;
};

struct yml_schema;

/* One allowed key.  Ranges apply to numbers, integers and lengths: YML_DIM
 * in pt, YML_LEN to the number as written, in its own unit. */
struct yml_field {
	const char *key;		/* NULL ends the table */
	enum yml_type type;
	size_t offset;			/* offsetof the value in the struct */
	const struct yml_schema *sub;	/* YML_MAP */
	const struct yml_enum *names;	/* YML_ENUM */
	size_t elem_size;		/* YML_LIST */
	int flags;
	double min, max;
	double def;			/* YML_DEFAULT */
};

struct yml_schema {
	const char *name;		/* the top-level mapping in messages: "layout" */
	const struct yml_field *fields;
};

/* The elements of a YML_LIST; owned, each element's strings too.  ids[i]
 * is element i's id: (owned; NULL: none), by which a later document merges. */
struct yml_list {
	void *v;
	char **ids;
	int n;
};
void yml_list_done(const struct yml_field *f, struct yml_list *list);

/* The keys and values of a YML_STRMAP, in file order; all owned. */
struct yml_strmap {
	char **keys, **values;
	char **files;		/* where each entry's key was written */
	int *lines, *cols;
	int n;
};
const char *yml_strmap_lookup(const struct yml_strmap *m, const char *key);	/* borrowed or NULL */
void yml_strmap_done(struct yml_strmap *m);

/* One colour of a palette: how it shows on screen, and how it prints: a
 * CMYK build, or a spot colour (a named ink, /Separation) with its CMYK
 * alternate.  Neither: the print profile converts the screen colour. */
struct yml_ink {
	char *name;		/* its key; owned */
	struct color screen;
	double cmyk[4];		/* 0..1 each, when has_cmyk */
	int has_cmyk;
	char *spot;		/* the ink's name ("PANTONE 186 C"), or NULL; owned */
	const char *file;	/* where it was written (owned by the marks) */
	int line, col;
};
struct yml_palette {
	struct yml_ink *v;
	int n;
};
/* The palette's colour named name, NULL if none. */
const struct yml_ink *yml_palette_lookup(const struct yml_palette *p, const char *name);
/* The first colour of p with a print value (a build or a spot colour)
 * whose screen value is (r, g, b), within what "#rrggbb" can tell apart;
 * NULL if none (p may be NULL). */
const struct yml_ink *yml_palette_printed(const struct yml_palette *p, double r, double g,
					  double b);
void yml_palette_done(struct yml_palette *p);

/* Where each value that was read came from, by its address in the struct.
 * A zeroed struct is empty; the latest read of an address wins. */
struct yml_mark {
	const void *addr;		/* the value (YML_MAP: the sub-struct) */
	const struct yml_field *field;
	const char *file;		/* owned by the marks */
	int line, col;			/* of the value's first character */
	int prev;			/* index of the previous mark of addr, or -1 */
};
struct yml_marks {
	struct yml_mark *v;
	int n, cap;
	char **files;
	int nfiles;
	int *slots;			/* hash of addr -> its latest mark, -1 empty */
	int nslots;			/* a power of two, or 0 */
};
/* The mark of the scalar value stored at addr, NULL if no document set it
 * (or m is NULL). */
const struct yml_mark *yml_marks_lookup(const struct yml_marks *m, const void *addr);
/* The latest mark at addr of a scalar written under key: a list element
 * shares its address with its first member, whose key tells them apart. */
const struct yml_mark *yml_marks_lookup_key(const struct yml_marks *m, const void *addr,
					    const char *key);
void yml_marks_done(struct yml_marks *m);

/* A parsed YAML document.  Opaque. */
struct yml_doc;
/* Parses text (need not be NUL-terminated).  first_line is the line of text's
 * first byte in file, for messages (1 for a whole file).  Syntax errors,
 * duplicate keys and invalid UTF-8 are reported with their position; returns
 * NULL then.  An empty document is a valid empty mapping. */
struct yml_doc *yml_doc_parse(const char *file, const char *text, size_t len, int first_line,
			      struct diags *d);
struct yml_doc *yml_doc_load(const char *path, struct diags *d);
void yml_doc_free(struct yml_doc *doc);
const char *yml_doc_file(const struct yml_doc *doc);
/* Reads the top-level mapping into base by schema s, recording marks (may be
 * NULL).  Reports every problem; returns 0, or -1 if any error was added. */
int yml_doc_read(const struct yml_doc *doc, const struct yml_schema *s, void *base,
		 struct yml_marks *marks, const struct yml_palette *palette, struct diags *d);
/* Reads only the top-level keys of s marked YML_EARLY (a palette, before
 * the colours that name it), ignoring the others. */
int yml_doc_read_early(const struct yml_doc *doc, const struct yml_schema *s, void *base,
		       struct yml_marks *marks, struct diags *d);
/* The top-level key's scalar value as a new string (caller frees), NULL if the
 * key is absent; an error if it is not a scalar.  line/col may be NULL. */
char *yml_doc_scalar(const struct yml_doc *doc, const char *key, int *line, int *col,
		     struct diags *d);
/* Adds "missing required key 'width' in page" for each YML_REQUIRED field
 * without a mark: in nested mappings only when the mapping was given (a
 * missing required mapping is reported itself).  The error points at the
 * mapping's key, or at the document's start for top-level keys.  Returns 0,
 * or -1 if a key is missing. */
int yml_require(const struct yml_doc *doc, const struct yml_schema *s, const void *base,
		const struct yml_marks *marks, struct diags *d);
/* Stores the default (.def) of every YML_DEFAULT field of s in base, nested
 * mappings included: read before the documents, which override them. */
void yml_defaults(const struct yml_schema *s, void *base);
/* Frees the strings and string maps that schema s stores in base. */
void yml_free(const struct yml_schema *s, void *base);
/* The key among the schema's (one level) nearest to key by edit distance, or
 * NULL if none is close: the "did you mean" of unknown keys. */
const char *yml_suggest(const struct yml_schema *s, const char *key);

/* ---- image.c ---------------------------------------------------------- */

enum image_kind { IMAGE_NONE, IMAGE_PNG, IMAGE_JPEG, IMAGE_SVG };
struct image_info {
	enum image_kind kind;
	double width, height;	/* pixels (PNG, JPEG) or CSS px (SVG) */
	int components;		/* PNG, JPEG: colour components (1 grey ... 4 CMYK or RGBA) */
	int svg_raster;		/* SVG that may use filters (or cannot be searched):
				 * paint.c draws it from a raster made in bounded time */
};
/* Reads an image's kind and size from its headers (nothing is decoded).
 * Returns 0, or -1 with *why (caller frees): unreadable, not PNG, JPEG or
 * SVG, truncated, or a JPEG a PDF reader may not decode (12-bit, lossless,
 * arithmetic coding). */
int image_probe(const char *path, struct image_info *im, char **why);
int image_probe_data(const char *data, size_t n, struct image_info *im, char **why);
/* A JPEG as a PDF embeds it (DCTDecode, never recompressed): the start
 * marker, tables, frame, scans and end marker, with the JFIF, ICC and Adobe
 * segments; EXIF, XMP, thumbnails, comments and anything after the end
 * marker are dropped.  NULL with *why if it is not a complete JPEG. */
char *image_jpeg_clean(const char *data, size_t n, size_t *out_len, char **why);

/* What a render may spend on images (layout `images:`). */
struct image_limits {
	double max_megapixels;		/* per PNG or JPEG image */
	double max_total_megapixels;	/* all raster images of a render together */
	double svg_seconds;		/* drawing SVG rasters, all together */
	double svg_ppi;			/* resolution of SVG rasters in a PDF */
};
/* 0 if a raster image keeps the limits (and cairo's 32767 pixels a side);
 * else -1 with *why. */
int image_check_limits(const struct image_info *im, const struct image_limits *lim, char **why);
double image_megapixels(const struct image_info *im);	/* 0 for SVG */

/* ---- the document model (issue.c) ------------------------------------- */

/* Inline style flags of a span of text. */
enum {
	SPAN_BOLD = 1,
	SPAN_ITALIC = 2,
	SPAN_CODE = 4,
	SPAN_LINK = 8,
};

/* A styled byte range [start, end) of a block's text. */
struct span {
	int start, end;
	int flags;
	char *href;		/* SPAN_LINK: the target; "" when none or "#" */
};

enum block_kind {
	BLOCK_HEADING,		/* level 1 section, 2 entry, 3.. article headings */
	BLOCK_PARA,
	BLOCK_ITEM,		/* a list item's paragraph; marker says "1." or "•" */
	BLOCK_RULE,		/* thematic break */
	BLOCK_CODE,		/* code block, text verbatim */
	BLOCK_IMAGE,		/* an image on its own line: image, caption in text */
	BLOCK_CELL,		/* a table cell (th or td): its text */
	BLOCK_TABLE_CAPTION,	/* the paragraph right above a table that names it */
	BLOCK_NOTE,		/* a footnote's text ([^label]: ...), under a NODE_FOOTNOTE */
};

/* A footnote mark in a block's text ([^label], taken out of the text). */
struct noteref {
	int at;			/* byte offset in the block's text where the mark stands */
	int note;		/* the note's block (issue.blocks index) */
	int line, col;		/* where the mark was written */
};

/* The issue's structure: a tree of nodes.  Headings make the sections
 * and entries: a level-1 heading (#) opens a section that holds it and
 * everything up to the next one, a level-2 heading (##) an entry within
 * its section; deeper headings are blocks in their entry.  Block quotes,
 * lists and items hold what Markdown puts in them.  The leaves are the
 * blocks, each one struct block (its text); a leaf's `block` is its index
 * in issue.blocks, which lists the leaves in reading order.  Headings
 * inside a quote or list are blocks there and open nothing. */
enum node_kind {
	NODE_DOC,		/* the root */
	NODE_SECTION,		/* # and what follows it */
	NODE_ENTRY,		/* ## and what follows it */
	NODE_QUOTE,
	NODE_LIST,
	NODE_ITEM,
	NODE_HEADING,		/* leaves from here on */
	NODE_PARA,		/* a paragraph (in an item too) */
	NODE_CODE,
	NODE_IMAGE,
	NODE_RULE,
	/* to come: tables and footnotes */
	NODE_TABLE,
	NODE_ROW,
	NODE_CELL,
	NODE_FOOTNOTE,
};

/* One node; all of them are owned by the issue's arena. */
struct node {
	enum node_kind kind;
	struct srcpos at;	/* a leaf: its block's place; a container: its first leaf's */
	struct node *parent, *first, *last, *next;
	int block;		/* a leaf: index in issue.blocks; else -1 */
	int ordered, start;	/* NODE_LIST: numbered, from start */
	int cols, head_rows;	/* NODE_TABLE: columns; rows of its header */
	int header;		/* NODE_ROW: a header row */
};

/* One block of the issue body.  Strings are owned by the issue.
 * text holds the inline text with markup removed; a hard line break is '\n'.
 * For a heading, the source link (e.g. [政策原文](url)) is removed from text
 * and kept in source_label / source_href. */
struct block {
	enum block_kind kind;
	int level;		/* heading level 1-6 */
	int unnumbered;		/* heading marked {-} or {.unnumbered} */
	const struct node *node;	/* its leaf in the tree */
	int quote_depth;	/* how many block quotes enclose it (from the tree) */
	int list_depth;		/* how many lists enclose it (BLOCK_ITEM: >= 1) */
	char *marker;		/* BLOCK_ITEM on its first paragraph: "1." / "•"; else NULL */
	char *text;
	int len;
	struct span *spans;
	int nspans;
	char *source_label;	/* heading: the link's text, NULL if none */
	char *source_href;	/* heading: the link's target, "" when "#" or empty */
	int line, col;		/* where the block starts in the issue file */
	int *src_line;		/* optional: for each byte of text, its source line (len entries) */
	char *image;		/* BLOCK_IMAGE: the file, resolved from the issue's folder */
	double image_width, image_height;	/* BLOCK_IMAGE: pixels (SVG: CSS px) */
	int image_kind;		/* BLOCK_IMAGE: enum image_kind */
	int cell_row, cell_col;	/* BLOCK_CELL: its place in the table, from 0 */
	int header;		/* BLOCK_CELL: a header cell (th) */
	int align;		/* BLOCK_CELL: enum align, or -1 for the column's default */
	struct noteref *refs;	/* the footnote marks in its text, in order; owned */
	int nrefs;
	char *note_label;	/* BLOCK_NOTE: its label; owned */
};

/* The issue: front matter and body. */
struct issue {
	char *path;
	int year, month, number;
	char *layout;		/* layout name or file; NULL = default */
	int layout_line, layout_col;	/* where layout: was written */
	char *date;		/* "YYYY-MM-DD" or NULL */
	struct yml_strmap texts;	/* overrides of the layout's fixed texts, with places */
	struct block *blocks;	/* the leaves, in reading order */
	int nblocks;
	struct node *root;	/* NODE_DOC */
	struct arena nodes;	/* owns the tree */
};

/* Reads an issue file.  Returns NULL on error (details in d).  Every file
 * it reads or tries to (the issue, its images) is added to reads (may be
 * NULL), also when reading fails: watch mode waits for them. */
struct issue *issue_load(const char *path, struct paths *reads, struct diags *d);
/* The path "-" is standard input, read whole (at most ISSUE_STDIN_MAX
 * bytes), named ISSUE_STDIN in messages; relative paths in it (images,
 * layout:) start from the current folder. */
#define ISSUE_STDIN "<stdin>"
#define ISSUE_STDIN_MAX ((size_t)256 << 20)
/* The same from memory (tests, fuzzing); path names the source in messages. */
struct issue *issue_parse(const char *path, const char *data, size_t len, struct diags *d);
void issue_free(struct issue *is);
/* The text of an entry title's leading 【region】 tag (a level-2 heading's),
 * *len its bytes; NULL if it has none.  The one reading of the tag: the
 * composer's style, the index and query take it from here. */
const char *issue_region(const struct block *b, int *len);

/* ---- emph.c: emphasis in Chinese (the CommonMark CJK-friendly rules) ---- */

/* The bytes that stand for a '*' or '_' that may delimit emphasis, from
 * emph_mark to emph_resolve: bytes valid UTF-8 never holds. */
#define EMPH_STAR 0xFE
#define EMPH_UNDER 0xFF
/* Replaces, in place, each '*' and '_' of a Markdown body (valid UTF-8)
 * that could delimit emphasis by its placeholder: not escaped, not in a
 * tag or autolink, not in a run with whitespace on both sides (which never
 * delimits, and is all that block syntax uses). */
void emph_mark(char *s, size_t n);
void emph_unmark(char *s, size_t n);	/* placeholders back to '*' and '_' */
/* 1 if c is a CJK character as the amendment defines it. */
int emph_is_cjk(unsigned c);

/* A block's text as emph_resolve reads it. */
struct emph_text {
	const char *text;	/* with placeholders */
	int len;
	const unsigned char *code;	/* per byte: in a code span (opaque) */
	const int *scope;	/* per byte: 0, or the link (1, 2 ...) it is the text of */
	const int *breaks;	/* offsets where a source line ends (soft breaks) */
	int nbreaks;
};
struct emph_range {
	int start, end;		/* the emphasised bytes */
	int strong;		/* ** or __ (else * or _) */
};
struct emph_result {
	struct emph_range *v;
	int n;
	unsigned char *used;	/* per byte: a placeholder the emphasis took */
};
/* Matches the placeholders of x by CommonMark's algorithm (each scope
 * apart) with the CJK-friendly flanking rules.  Placeholders not used are
 * literal characters.  Free with emph_result_done. */
void emph_resolve(const struct emph_text *x, struct emph_result *r);
void emph_result_done(struct emph_result *r);

/* ---- the design (layout.c) -------------------------------------------- */

/* A length that may depend on the font size: value = pt + em * size. */
struct len {
	double pt, em;
};

enum align { ALIGN_LEFT, ALIGN_JUSTIFY, ALIGN_CENTER, ALIGN_RIGHT };

/* Parses a length as the layout does ("3mm", "8.5pt"; "2em" when em_ok);
 * yaml.c.  Returns 0, or -1 if s is not one. */
int yml_parse_length(const char *s, int em_ok, struct len *out);

/* The look of one role of text (body, a heading level, a label...). */
struct style {
	char *font;		/* family name, resolved through fonts/ */
	int bold, italic;
	double size;		/* pt */
	double line_height;	/* multiple of size */
	struct color color;
	struct color background;	/* drawn behind the block (or the label) */
	struct len space_before, space_after;
	struct len indent;	/* first-line indent */
	struct len margin_left;	/* whole block */
	struct len margin_right;	/* whole block, from the right margin */
	enum align align;
	char *number;		/* numbering template, e.g. "{1:cn}、" or "{1}.{2}、"; NULL none */
	double rule_below;	/* pt width of a rule under the block, 0 = none */
	struct color rule_color;
	double padding;		/* pt around text on a background */
	double tag_ascent, tag_descent;	/* a tag's background above and below the
					 * baseline, em of its own size (0.88, 0.12) */
	/* list items (styles.item) */
	char *bullet;		/* an unordered list's marker; NULL: the model's "•" */
	double bullet_size;	/* the bullet's size, em of the item's size (1) */
	struct len marker_gap;	/* between a list's widest marker and its text */
	enum align marker_align;	/* the marker in its hanging box (right) */
};

/* One element of the cover, placed in points from the page's top-left. */
enum cover_kind { COVER_TEXT, COVER_RECT, COVER_IMAGE };
struct cover_item {
	enum cover_kind kind;
	char *text;		/* COVER_TEXT: a template ({year} {month:02} {title} ...) */
	struct style style;	/* COVER_TEXT: its look; align within width */
	double x, y;		/* top-left */
	double width, height;	/* COVER_TEXT: measure (0: to the right margin) */
	struct color color;	/* COVER_RECT: fill */
	char *file;		/* COVER_IMAGE: as written; path: resolved from the layout's folder */
	char *path;		/* COVER_IMAGE: owned */
	struct srcpos at;	/* COVER_IMAGE: where the element was written */
	double image_w, image_h;	/* COVER_IMAGE: its pixels (SVG: CSS px) */
};

/* The table of contents. */
struct toc_design {
	int enabled;
	char *title;		/* e.g. "目录" */
	struct style title_style;
	struct len title_spacing;	/* added between the title's characters */
	int depth;		/* heading levels listed (2: sections and entries) */
	struct style entry[3];	/* by heading level 1..3 */
	char *leader;		/* the string repeated as the leader, e.g. "." */
	int show_labels;	/* show the entries' source labels (政策原文) */
	int page_digits;	/* the page column holds this many digits (4) ... */
	int min_leaders;	/* ... and at least this many leaders (3) */
	struct style label, region;	/* the source label and 【region】 tag in entries */
};

/* The index (索引) at the end of a volume or an issue: the 【region】 tags
 * of the entry titles, each with its entries, and the 《documents》 the
 * titles name, sorted in the layout's order, in columns. */
struct index_design {
	int volume, issue;	/* an index at the end of a volume / of a single issue */
	char *title;		/* e.g. "索　引" */
	char *regions_title, *documents_title;	/* its two parts' headings */
	int columns;		/* 1..4 */
	double gap;		/* pt between columns */
	int stroke;		/* order: stroke (else pinyin) */
	struct style title_style, heading, group, entry;
};

/* How tables look beyond their cells' styles (styles.table, .table_head). */
struct table_design {
	double padding;		/* pt around each cell's text */
	double rule_top, rule_header, rule_rows, rule_bottom;	/* pt; 0: none */
	struct color rule_color;
	struct color header_background, band_background;	/* none: a = 0 */
	double min_size;	/* pt: a table too wide is set smaller, down to this */
};

/* Footnotes: where they go, how they are numbered and marked. */
enum notes_place { NOTES_FOOT, NOTES_ENTRY };
enum notes_numbering { NOTES_BY_ISSUE, NOTES_BY_ENTRY };
struct note_design {
	enum notes_place place;		/* the page's foot, or after the entry */
	enum notes_numbering numbering;	/* 1, 2, 3 ... through the issue, or each entry */
	double mark_size;		/* the mark's size, em of the text's (0.6) */
	double mark_rise;		/* how far it is raised, em of the text's (0.35) */
	double rule_length;		/* the rule above the notes: share of the measure */
	double rule_width;		/* its thickness, pt; 0: none */
	struct color rule_color;
	double space;			/* pt above the rule */
};

/* A running head or footer: a templated line ({page} too) and a rule. */
struct furniture {
	char *text;
	struct style style;	/* align places it within the text measure */
	double y;		/* top of the text, pt from the page top */
	double rule_y;		/* pt from the page top; 0: no rule */
	double rule_width;
	struct color rule_color;
	int mirror;		/* on even (verso) pages, left and right alignment swap */
};

enum numbering_start { NUMBER_FROM_COVER, NUMBER_FROM_TOC, NUMBER_FROM_BODY };
/* How the pages before numbering starts are numbered: i ii, I II, 1 2. */
enum numerals { NUMERALS_ROMAN, NUMERALS_ROMAN_UPPER, NUMERALS_DECIMAL };

/* Chinese typography choices (compose.c); without typography: in the layout,
 * clreq's defaults (compose_opts_init). */
struct typography {
	int given;		/* the layout has a typography: group */
	int punct;		/* enum compose_punct */
	int pair_one_em;	/* adjacent marks compressed to 1 em (else 1.5 em) */
	int trim_line_start;	/* an opening mark at a line start loses its blank */
	struct len han_latin;	/* space between Han and Latin/digits; 0: none */
	int min_last_chars;	/* least characters on a paragraph's last line */
	int strict_start;	/* line_start: strict: —— …… never start a line */
	struct len label_gap;	/* before a heading's source label */
	/* typography.latin: English paragraphs; defaults even without the group */
	struct {
		struct len space_min, space_max;	/* word spaces of justified lines */
		struct len letter_space;	/* letter spacing, either way, at most */
		int hyphenate;
		char *dictionary;	/* as written, or NULL: the default */
		char *dictionary_path;	/* resolved from the layout's folder, or the
					 * default (HYPH_DEFAULT_DICT); owned */
		int min_word, min_left, min_right;	/* letters */
		int max_consecutive;	/* hyphenated lines in a row, at most */
	} latin;
};

/* The roles of the body's text, one line each: the role, its key under the
 * layout's styles:, its name in dumps (and the PDF's structure), the role
 * whose font, size, line_height and color it takes when it leaves them out,
 * which keys its style has (BODY: the required ones; HEADING: a number
 * template too; ITEM: the list markers' too), and whether it is a block or
 * a span inside one.  Adding a role is a line here plus the code that
 * gives text that role. */
#define ROLES(X)                                                                  \
	X(ROLE_BODY, "body", "p", ROLE_NONE, STYLE_BODY, ROLE_BLOCK)                \
	X(ROLE_H1, "section", "h1", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)           \
	X(ROLE_H2, "entry", "h2", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)             \
	X(ROLE_H3, "h3", "h3", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)                \
	X(ROLE_H4, "h4", "h4", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)                \
	X(ROLE_H5, "h5", "h5", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)                \
	X(ROLE_H6, "h6", "h6", ROLE_BODY, STYLE_HEADING, ROLE_BLOCK)                \
	X(ROLE_QUOTE, "quote", "p", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)             \
	X(ROLE_ITEM, "item", "item", ROLE_BODY, STYLE_ITEM, ROLE_BLOCK)             \
	X(ROLE_CODE, "code", "code", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)            \
	X(ROLE_SOURCE_LABEL, "source_label", "label", ROLE_H2, STYLE_PLAIN, ROLE_SPAN) \
	X(ROLE_REGION, "region", "region", ROLE_H2, STYLE_PLAIN, ROLE_SPAN)         \
	X(ROLE_LINK, "link", "link", ROLE_BODY, STYLE_PLAIN, ROLE_SPAN)             \
	X(ROLE_CAPTION, "caption", "caption", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)   \
	X(ROLE_RULE, "rule", "rule", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)                \
	X(ROLE_TABLE, "table", "td", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)              \
	X(ROLE_TABLE_HEAD, "table_head", "th", ROLE_TABLE, STYLE_PLAIN, ROLE_BLOCK)   \
	X(ROLE_TABLE_CAPTION, "table_caption", "caption", ROLE_CAPTION, STYLE_PLAIN, ROLE_BLOCK) \
	X(ROLE_NOTE, "note", "note", ROLE_BODY, STYLE_PLAIN, ROLE_BLOCK)

enum role_id {
#define ROLE_ID(id, key, dump, parent, keys, kind) id,
	ROLES(ROLE_ID)
#undef ROLE_ID
	ROLE_COUNT,
	ROLE_NONE = -1
};
enum role_keys { STYLE_BODY, STYLE_HEADING, STYLE_ITEM, STYLE_PLAIN };
enum role_kind { ROLE_BLOCK, ROLE_SPAN };
/* What the table says of a role. */
struct role_info {
	const char *key, *dump;
	enum role_id parent;
	enum role_keys keys;
	enum role_kind kind;
};
const struct role_info *role_info(enum role_id r);	/* layout.c */
/* The role of a heading of level 1-6 (clamped: the one place levels are). */
enum role_id role_heading(int level);
int heading_level(int level);	/* level clamped to 1-6 */

/* The design of one issue: page, fonts, the roles' styles, the generated
 * parts (cover, TOC, running heads), numbering. */
struct layout {
	char *path;		/* the file it came from */
	char **files;		/* every file read: the layouts it extends, then path */
	int nfiles;
	char *name;
	/* page geometry, pt */
	double page_width, page_height;
	double margin_top, margin_bottom, margin_left, margin_right;
	/* fonts */
	char *font_serif, *font_sans;	/* family names (styles may name these or "serif"/"sans") */
	/* the body's roles (ROLES): role[ROLE_SOURCE_LABEL] is the 政策原文
	 * label in headings, role[ROLE_REGION] the 【region】 tag that starts an
	 * entry title, role[ROLE_RULE]'s rule_below a thematic break (---) */
	struct style role[ROLE_COUNT];
	double image_min_ppi;		/* warn below this effective resolution; 0: never */
	double image_max_height;	/* an image's height at most, of the text block's (0.5) */
	struct image_limits images;	/* what a render may spend on images */
	int widows, orphans;	/* least lines of a paragraph after / before a page break */
	int keep_with_next;	/* lines of what follows a heading keeps on its page (2) */
	struct typography typo;
	struct yml_strmap texts;	/* the series' fixed texts; the front matter may override */
	struct yml_list cover;	/* struct cover_item, drawn in order on the first page */
	struct {
		struct yml_list cover;	/* struct cover_item: the volume's cover */
		char *toc_line;	/* template: an issue's line in the volume's TOC and outline */
		int per_issue;	/* folios: each issue numbered from 1 (else continuous) */
		int issue_start;	/* what opens each issue: 0 its cover, 1 the
					 * title page below, 2 nothing */
		struct yml_list title_page;	/* struct cover_item: an issue's title page */
		struct yml_strmap texts;	/* texts for the volume's own pages (its cover,
						 * its contents' running heads) */
	} volume;
	struct toc_design toc;
	struct index_design index;
	struct table_design table;
	struct note_design notes;
	struct furniture header, footer;	/* on every page but the cover */
	enum numbering_start numbering;	/* the page that is printed 1 */
	enum numerals front_numerals;	/* the pages before it */
	int recto;		/* page 1 on a right-hand page: a blank verso before
				 * it when it would fall on an even physical page */
	char *meta_title, *meta_subject, *meta_author;	/* PDF metadata templates */
	char *lang;		/* the documents' language, BCP 47 (metadata.lang; default zh-CN) */
	char *pdf_standard;	/* the PDF standards renders claim unless told otherwise */
	struct yml_palette palette;	/* colors: named colours, with their print inks */
	struct {
		double max_ink;		/* percent: the most ink a colour may put down (300) */
		double min_rule;	/* pt: thinner rules may break up in print (0.25) */
		double slug;		/* pt: the margin beyond the bleed for the marks (10mm) */
		int registration;	/* registration targets in the slug (true) */
		int pad;		/* pages padded to a multiple of this (4; 1: none) */
	double creep;		/* pt: imposed, the innermost sheet's shift (0) */
		char *profile;		/* the press's CMYK ICC profile, as written */
		char *condition;	/* its output condition identifier */
		char *profile_path;	/* profile resolved from the layout's folder, or the
					 * default (ghostscript's SWOP profile); owned */
		struct srcpos profile_at;	/* where profile is written (file: the marks') */
	} print;			/* the print profile: check's limits, PDF/X's press */
	unsigned pdf_standards;	/* pdf_standard parsed: PDF_A2B ... (pdfstd.c) */
	struct yml_marks marks;	/* where each value was read (file:line:col) */
};

/* Reads a layout: a path if the argument contains '/' or ends in .yaml
 * (.yml), else layouts_dir/NAME.yaml (layouts_dir NULL = "layouts").  The
 * result is complete: `extends:` is merged, every style has inherited the
 * font, size, line_height and color it does not set (source_label and region
 * from heading[1], the others from body), and "serif" / "sans" are replaced
 * by font_serif / font_sans.  Returns NULL on error (details in d). */
/* The layout of an issue that names none: layouts/default.yaml, which the
 * project links to its house design. */
#define LAYOUT_DEFAULT "default"
struct layout *layout_load(const char *name_or_path, const char *layouts_dir, struct diags *d);
/* A layout to look for: named on the command line (issue NULL), or by an
 * issue's front matter, written at `at`: a path is then relative to the
 * issue's folder, and the file, and every file it extends, must lie in
 * layouts_dir or the issue's folder (else an error at `at`: nothing of the
 * file is read or quoted).  Every file tried goes to reads (may be NULL),
 * whether or not it could be read. */
struct layout_ref {
	const char *ref;		/* a name in layouts_dir, or a path */
	const char *layouts_dir;
	const char *issue;		/* the issue's path, NULL: the command line */
	struct srcpos at;
	struct paths *reads;
};
struct layout *layout_find(const struct layout_ref *r, struct diags *d);
/* The same from memory (tests, fuzzing): data[0, len) is the file at path,
 * which names it in messages and is where its relative paths start. */
struct layout *layout_parse(const char *path, const char *data, size_t len,
			    const char *layouts_dir, struct diags *d);
void layout_free(struct layout *lo);
/* Where the value at addr (a member of lo) was written; the layout's own
 * path and line 0 when it was not written (inherited or absent). */
/* 1 if field f is a style's text colour (body, a role, a heading). */
int layout_text_color(const struct yml_field *f);
void layout_where(const struct layout *lo, const void *addr, const char **file, int *line,
		  int *col);
/* Every style of the layout (body roles, TOC, running heads, cover), up to
 * max; returns how many. */
int layout_styles(const struct layout *lo, const struct style **out, int max);

/* ---- fonts.c ----------------------------------------------------------- */

#include <pango/pango.h>

/* The project's font set and the Pango context that measures with it:
 * 72 dpi (1 pt = 1 Pango point), no hinting, unrounded glyph positions, so
 * that layout is exact and independent of any output surface. */
struct fonts;
/* conf: the project's fonts.conf.  Returns NULL (error in d) when it cannot be
 * loaded or has no font. */
struct fonts *fonts_new(const char *conf, struct diags *d);
/* The same with the fonts of each folder in dirs added for this process
 * (--font-path); an error if one is not a readable folder. */
struct fonts *fonts_new_with(const char *conf, const char *const *dirs, int ndirs,
			     struct diags *d);
void fonts_free(struct fonts *f);
PangoContext *fonts_context(struct fonts *f);	/* borrowed */
/* The table named name kept with ctx (made with g_hash_table_new_full of
 * hash, equal and the two frees when there is none yet): what was measured
 * or composed in ctx, dropped with it, and emptied should the context
 * change (its serial). */
GHashTable *fonts_context_table(PangoContext *ctx, const char *name, GHashFunc hash,
				GEqualFunc equal, GDestroyNotify key_free,
				GDestroyNotify value_free);
/* The cairo font options every font of the set is measured and drawn with
 * (set into fo): no hinting, unhinted metrics, grey antialiasing. */
#include <cairo.h>
void fonts_cairo_options(cairo_font_options_t *fo);
/* 1 if the family is in the project's font set. */
int fonts_has_family(struct fonts *f, const char *family);
/* The families of the project's font set, comma-separated; caller frees. */
char *fonts_families(struct fonts *f);
/* Every face of the set, by family: "Family\n    Style  file (face N)\n"...,
 * then a count; caller frees. */
char *fonts_list(struct fonts *f);
/* The OS/2 fsType of the face a family and weight resolve to: 0 means
 * installable embedding; bit 0x0002 forbids embedding.  -1 if unknown. */
int fonts_fstype(struct fonts *f, const char *family, int bold);

/* ---- tmpl.c ------------------------------------------------------------ */

/* A template variable: a string, or (str == NULL) a number. */
struct tvar {
	const char *name;
	const char *str;
	int num;
};
/* The variables of an issue that every template may use, into out (room
 * for TMPL_ISSUE_VARS): {year} {month} {number} {date}.  The one list of
 * them: the layout checks its templates against it.  Returns the count. */
enum { TMPL_ISSUE_VARS = 4 };
int tmpl_issue_vars(struct tvar *out, int year, int month, int number, const char *date);
/* A volume's variables besides its first issue's (room for
 * TMPL_VOLUME_VARS): {first} {last} (the first and last issues' numbers),
 * {last_year} {last_month}, {issues} (how many).  Returns the count. */
enum { TMPL_VOLUME_VARS = 5 };
int tmpl_volume_vars(struct tvar *out, int first, int last, int last_year, int last_month,
		     int issues);
/* Expands {NAME}, {NAME:02}, {NAME:cn} ({{ and }} are braces).  An unknown
 * name is kept as written.  Returns a new string. */
char *tmpl_expand(const char *tmpl, const struct tvar *vars, int n);
/* 0 if every placeholder names a variable and has a known format; else -1
 * and *why (caller frees) says what is wrong. */
int tmpl_check(const char *tmpl, const struct tvar *vars, int n, char **why);
/* Heading numbers: {1} {2} ... are the counters of heading levels 1, 2, ...;
 * counters[0] is level 1.  Returns a new string. */
char *number_format(const char *tmpl, const int *counters, int ncounters);
/* Writes n (1..9999) as a Chinese numeral (一, 十一, 一百零五) into buf. */
void number_cn(int n, char *buf, size_t size);

/* ---- hyph.c: hyphenation points of Latin words ------------------------- */

/* A hyphenation dictionary (libhyphen's .dic); opaque. */
struct hyph;
#define HYPH_DEFAULT_DICT "/usr/share/hyphen/hyph_en_US.dic"	/* Debian's hyphen-en-us */
/* The dictionary at path, loaded when a word is first hyphenated with it
 * and kept for the process: borrowed.  NULL when it cannot be read (a file
 * that is there but not a dictionary hyphenates nothing). */
const struct hyph *hyph_lookup(const char *path);
/* Whether the token s[0, len) (what lies between two spaces) may be
 * hyphenated: not when it has digits or looks like an address, a path or
 * code (@ / \ _ # = & ~, a dot or colon between letters). */
int hyph_token_ok(const char *s, int len);
/* The hyphenation points of the word s[0, len), ASCII letters only: sets
 * pts[j] to 1 when a hyphen may follow byte j, else 0 (pts has len bytes),
 * with at least left letters before and right letters after the hyphen.
 * Returns how many; 0 for a word of capitals only (an acronym), with
 * other characters, or too short or long. */
int hyph_word(const struct hyph *h, const char *s, int len, int left, int right, char *pts);

/* ---- compose.c: a paragraph set by the rules of Chinese text ------------ */

/* compose_ replaces PangoLayout's line breaking and justification with the
 * rules of W3C clreq and GB/T 15834: Chinese line-start/line-end
 * prohibitions, punctuation compression, 1/4 em between Han and Latin or
 * digits, clreq's order of justification and whole-paragraph (Knuth-Plass)
 * breaking with no single-character last line.  All lengths are Pango
 * units (int); nothing is rounded.  Spacing is glyph geometry only: the
 * glyph items keep their text and cluster mapping, so drawing them with
 * pango_cairo_show_glyph_item(cr, text, gi) keeps copy/paste text exact. */

enum compose_punct {
	COMPOSE_PUNCT_FULL,	/* full-width marks; compressed in pairs and at line edges */
	COMPOSE_PUNCT_KAIMING,	/* 、，。：；！？ full inside a line; other marks half */
	COMPOSE_PUNCT_HALF,	/* every full-width mark half-width */
};

/* (Every field is part of what compose.c keeps a composition by:
 * compose_key lists them.) */
struct compose_opts {
	int width;		/* the measure of every line but the first */
	int first_width;	/* the first line's measure; 0: width */
	int indent;		/* first line: > 0 indents it; < 0 hangs it (the
				 * other lines start at -indent); either way it
				 * narrows the lines it moves */
	enum align align;	/* ALIGN_JUSTIFY: all lines flush but the last */
	enum compose_punct punct;
	int pair_one_em;	/* two adjacent marks: 0 = 1.5 em (default), 1 = 1 em */
	int trim_line_start;	/* an opening mark at a line start loses its blank (1) */
	double han_latin_em;	/* between Han and Latin/digits (0.25); 0: none */
	int min_last_chars;	/* least Han characters (or words) on a last line (2) */
	int strict_start;	/* clreq's strict level: —— and …… never start a line
				 * but the paragraph's first (0) */
	int keep_start, keep_end;	/* bytes: an unbreakable box (a source label),
					 * not counted on a last line; keep_end <= keep_start:
					 * none */
	int keep_gap;		/* Pango units: the space before the box, from the ink
				 * of what precedes it; < 0: the space as it is */
	/* a Latin paragraph (English text): word spaces kept in a tolerance,
	 * hyphenation; the Chinese rules above still apply to its marks */
	int latin;
	double space_min, space_max;	/* word spaces on justified lines, em (0.25, 0.5) */
	double letter_space;	/* the most letters move apart or closer, em (0.03), when
				 * the word spaces alone cannot justify a line */
	const struct hyph *hyph;	/* NULL: no hyphenation */
	int hyph_min_word;	/* least letters of a word hyphenated (5) */
	int hyph_left, hyph_right;	/* least letters before / after a hyphen (2, 3) */
	int hyph_max_run;	/* most hyphenated lines in a row, 1..COMPOSE_MAX_RUN (2) */
};
#define COMPOSE_MAX_RUN 5
/* The defaults above for a measure of width. */
void compose_opts_init(struct compose_opts *o, int width);

/* Glyphs in one font on one line, starting x from the line's left edge. */
struct crun {
	PangoGlyphItem *gi;	/* owned; item->analysis has the font and extra_attrs */
	int x;
	const char *text;	/* NULL: gi refers to the paragraph's text; else to this
				 * static text of its own (the hyphen "-" a hyphenated
				 * line ends with), outside the paragraph's bytes */
};

struct cline {
	struct crun *runs;	/* in text order (no bidi reordering), owned */
	int nruns;
	int x;			/* left edge from the paragraph's left edge (indent, alignment) */
	int width;		/* set width; == the line's measure on justified lines */
	int measure;		/* the line's measure */
	int ascent, descent;	/* logical, from the fonts of its runs */
	int start, len;		/* byte range of the text: trailing spaces included
				 * (set 0 wide), a forced '\n' not */
	int overfull;		/* how much too wide (emergency break), else 0 */
	int hyphen;		/* it ends inside a word, with a hyphen run added */
	int spaces;		/* Latin paragraphs: word spaces between its words, */
	int space_min, space_max;	/* and their least and most width, 1/1000 em */
	int letter_space;	/* Latin: the most letter spacing its letters took, 1/1000
				 * em (< 0: closer); 0: none */
};

/* A character no font of the set can draw. */
struct cmissing {
	int offset;		/* byte offset in the text */
	unsigned cp;
};

struct cpara {
	struct cline *lines;
	int nlines;
	struct cmissing *missing;	/* every occurrence, in text order */
	int nmissing;
	long work;		/* candidate lines evaluated (a cost measure) */
};

/* Itemizes text[0, len) with attrs (may be NULL, as PangoLayout takes them)
 * over the font base (NULL: ctx's), shapes it and breaks it into lines by o.
 * A '\n' forces a break; the line it ends is not justified.  text must be
 * valid UTF-8; glyph items refer to it by offset, so draw them with the same
 * text.  Never fails for valid input: a run too long for the measure is
 * broken anywhere and its line flagged overfull if it still does not fit.
 * Returns 0; out is freed by compose_free. */
int compose_paragraph(struct cpara *out, PangoContext *ctx, const char *text, int len,
		      PangoAttrList *attrs, const PangoFontDescription *base,
		      const struct compose_opts *o);
void compose_free(struct cpara *p);
/* From now on at most bytes of compositions are kept for composing the
 * same again (default 2 MB: a render's passes; 0: none). */
void compose_keep(size_t bytes);

/* ---- text.c: blocks -> shaped lines ------------------------------------ */

/* A shaped line.  Geometry in Pango units, relative to the block's left edge
 * and the line's own baseline. */
struct tline {
	const struct cline *cl;	/* the composed line, borrowed from the block's part */
	const char *text;	/* the text its glyphs refer to: the part's */
	int x;			/* left edge of the line */
	int ascent, descent;	/* logical, from the baseline */
	int pitch;		/* distance to the next baseline */
	int start, len;		/* byte range in text */
	int joins;		/* set on the previous line's baseline, taking no height
				 * (a TOC entry's leader and page number) */
	int src_line;		/* the issue line its first character came from (0: generated) */
};

/* A link area on one line: x range relative to the block's left edge. */
struct tlink {
	int line;
	int x0, x1;
	int start, end;		/* the link's bytes of the text (all its lines) */
	const char *href;	/* borrowed from the issue */
};

/* A background behind part of a line (a tag such as 政策原文). */
struct tdeco {
	int line;
	int x0, x1;		/* relative to the block's left edge */
	int ascent, descent;	/* from the line's baseline */
	struct color color;
};

/* A composed paragraph and the text its glyphs refer to; owned. */
struct tpart {
	struct cpara para;
	char *text;
};

/* A block set in its style at a width: the text stage's value for one
 * block of the issue (or one generated text: cover, TOC entry, running
 * head).  Nothing later writes into it. */
struct tblock {
	const struct block *src;	/* borrowed; NULL for generated blocks */
	struct srcpos at;	/* where the block was written (file: the issue's path) */
	int id;			/* 1 + the block's index in the issue; 0 for generated text */
	const char *role;	/* "p", "h1".."h6", "item", "code", "caption"; "toc", "gen" */
	const struct style *style;	/* borrowed */
	struct tpart parts[2];	/* the block's text (number + title + label); a TOC
				 * entry's leader and page number */
	int nparts;
	int text_at;		/* where the block's own text starts in parts[0] */
	int width;		/* measure, Pango units */
	int left;		/* left margin of the block, Pango units */
	struct tline *lines;	/* the parts' lines in order */
	int nlines;
	struct tlink *links;
	int nlinks;
	struct tdeco *decos;
	int ndecos;
	int space_before, space_after;	/* Pango units */
	int keep_with_next;	/* headings: lines of the next block to keep with */
	int unbreakable;	/* never split across pages */
	int heading;		/* heading level, 0 for others */
	char *number;		/* the heading's number label ("1.1、"), or NULL; owned */
	char *plain;		/* heading title without number and label; owned */
	const char *image;	/* image blocks: the file (borrowed), drawn above the caption */
	int rule;		/* a thematic break: the style's rule across the measure */
	int image_w, image_h;	/* its size on the page, Pango units */
	const char *dest;	/* TOC entries: the destination every line links to; borrowed */
	int in_table;		/* a table's cell: flow places it with its table */
	struct tnote {		/* a footnote marked on one of its lines */
		int line;
		int note;	/* the note's block in the body */
	} *notes;
	int nnotes;
	int *after;		/* notes set after this block (the entry's last) */
	int nafter;
	struct tdest {		/* a destination on one of its lines (a mark, a note) */
		int line, x;
		char *name;	/* owned */
	} *dests;
	int ndests;
	char **hrefs;		/* link targets it made ("#fn3"), owned */
	int nhrefs;
	int is_note;		/* a footnote: placed at a page's foot or after its entry */
	struct ttable *table;	/* a table's first cell: the table's geometry; owned */
};

/* The footnotes' numbers (by note block) and which have had a mark. */
struct notes_seen {
	const int *number;
	unsigned char *marked;
};

/* A table set (table.c): its columns and rows in Pango units.  The cells
 * are the body blocks that follow the table's first cell, in reading
 * order (row by row); the first cell holds this. */
struct ttable {
	int ncols, nrows, head_rows;
	int ncells;		/* body blocks, from the first cell on */
	int *col_x, *col_w;	/* each column's left edge and width, padding included */
	int *row_h;		/* each row's height, padding included */
	int *cell;		/* [row * ncols + col]: the cell's block, from the first; -1 none */
	int width;		/* the table's width */
	int pad;		/* cell padding */
	/* the cells' styles by a column's alignment (enum align; [4]: the
	 * style's own), smaller when the table was too wide */
	struct style td[5], th[5];
};
/* Sets the table whose first cell is issue block `first` into blocks
 * (blocks[0] for that cell, one per cell after it); blocks[0].table gets
 * the geometry.  Returns how many blocks the cells take.  Errors at the
 * table's line when it cannot fit the measure. */
int table_set(struct tblock *blocks, PangoContext *ctx, const struct layout *lo,
	      const struct issue *is, int first, const struct notes_seen *ns, const char *file,
	      struct diags *d);
void table_free(struct ttable *t);

struct layout;
/* Sets one body block.  number is the heading label or NULL.  Warnings (for
 * instance characters without a glyph) go to d with the source position. */
void text_block(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct block *b, const char *number, const char *file,
		struct diags *d);
/* The hanging box of a list's markers (Pango units), which text_body
 * works out for each list: as wide as the list's widest marker as set
 * plus the item style's marker_gap; every item's text starts at its right
 * edge.  indent: where the box starts, from a top-level list's left edge
 * (a nested list's box starts at its item's text). */
struct tlist {
	int indent, box;
};
/* text_block for a block with footnote marks: numbers[i] is ref i's note
 * number (0: left out), first[i] 1 if it is its note's first mark (the
 * note links back to it); list (may be NULL: a box for the item's own
 * marker) the hanging box of a list item's list. */
void text_block_noted(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		      const struct block *b, const char *number, const int *numbers,
		      const int *first, const struct tlist *list, const char *file,
		      struct diags *d);
/* Sets a generated text (cover, running heads) in style st on a measure of
 * width Pango units. */
void text_plain(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
		const struct style *st, const char *text, int width, struct diags *d);
/* Spaces a set text's characters: the gap between two characters on a
 * line becomes spacing (Pango units) more than the font sets it; a blank
 * written between them (a space, U+3000) is the gap instead, spacing wide.
 * Each line keeps its style's alignment.  For a title such as 目 录. */
void text_letter_space(struct tblock *tb, int spacing);
/* Sets a TOC entry for a heading: number and title with a hanging indent, the
 * source label if show_label, then on the last line a leader of repeated
 * `leader` strings running to the right-aligned page number. */
void text_toc_entry(struct tblock *tb, PangoContext *ctx, const struct layout *lo, int measure,
		    const struct style *st, const struct block *heading, const char *number,
		    const char *page, const char *leader, int show_label, const char *dest);
/* Sets a table cell's text in style st on a measure (Pango units); its
 * role is td or th.  ns (may be NULL) numbers its footnote marks. */
void text_cell(struct tblock *tb, PangoContext *ctx, const struct layout *lo,
	       const struct block *b, const struct style *st, int measure, const struct notes_seen *ns,
	       const char *file, struct diags *d);
/* The width of s[0, len) in style st's font, Pango units. */
int text_span_width(PangoContext *ctx, const struct layout *lo, const struct style *st,
		    const char *s, int len);
void text_block_done(struct tblock *tb);

/* The text stage's value for an issue: every block of its body, numbered
 * by the layout's templates and set; freed in one call by text_body_done. */
struct body {
	struct tblock *blocks;	/* blocks[i] sets issue.blocks[i]; id i + 1 */
	int n;
};
void text_body(struct body *out, PangoContext *ctx, const struct layout *lo,
	       const struct issue *is, struct diags *d);
void text_body_done(struct body *b);

/* ---- flow.c: shaped blocks -> pages ------------------------------------- */

enum box_kind {
	BOX_LINE,		/* a shaped line drawn at (x, y = baseline) */
	BOX_RECT,		/* a filled rectangle */
	BOX_RULE,		/* a horizontal rule of height h */
	BOX_LINK,		/* a link area; href */
	BOX_DEST,		/* a named destination at (x, y) */
	BOX_IMAGE,		/* an image file (name) scaled into x, y, w, h */
	BOX_MARK,		/* a printer's mark (mark), printed on every plate */
};

enum mark_kind {
	MARK_CROP,		/* a crop mark: the line filling x, y, w, h */
	MARK_TARGET,		/* a registration target centred at x, y, w across */
	MARK_FOLD,		/* a fold mark: the dashed line filling x, y, w, h */
};

/* One thing on a page, in points, origin at the top-left of the page. */
struct box {
	enum box_kind kind;
	double x, y, w, h;
	struct color color;
	const struct cline *line;	/* BOX_LINE: borrowed from its tblock */
	const char *text;	/* BOX_LINE: the paragraph's text the glyphs refer to;
				 * BOX_LINK: the text linked (its annotation's description) */
	int text_start, text_len;	/* BOX_LINE: the line's own bytes of text; BOX_LINK: the link's */
	int block;		/* BOX_LINE: the tblock's id (0: generated text) */
	const char *role;	/* BOX_LINE: what the block is: "p", "h1".."h6", "item", "code", "caption" */
	char *name;		/* BOX_LINK: href or "#dest"; BOX_DEST: name; BOX_IMAGE: path; owned */
	struct srcpos at;	/* BOX_IMAGE: where the source put the image; BOX_LINE:
				 * the issue line its first character came from (col 0;
				 * line 0: generated text) */
	double image_w, image_h;	/* BOX_IMAGE: its pixels (SVG: CSS px) when read */
	int se;			/* the structure element it belongs to (doc.se); 0: an
				 * artifact (running heads, rules, grounds, leaders ...) */
	int label_se, label_len;	/* BOX_LINE: its first label_len bytes (a list
					 * marker) belong to element label_se (Lbl) */
	enum mark_kind mark;	/* BOX_MARK */
};

struct page {
	struct box *boxes;
	int nboxes, cap;
	char *label;		/* printed page number / PDF page label, or NULL; owned */
	/* A printer's spread (print.c): the pages its halves were, 1-based
	 * (0: not a spread), boxes [0, split) from the left.  Structure is
	 * read in the pages' order, not the spreads'. */
	int spread_of[2];
	int split;
};

/* A heading as navigation sees it: outline, TOC, links. */
struct mark {
	int level;
	char *title;		/* number + title, owned */
	char *dest;		/* destination name, owned */
	int page;		/* page index */
	double y;		/* pt */
};

/* Pages numbered alike from `first` on: numbers from 1 in `style`.  The
 * one statement of the page-label rule: the printed numbers, the TOC's,
 * {page} and the PDF's /PageLabels all come from a document's runs. */
enum { VOLUME_MAX_ISSUES = 120, LABEL_RUNS_MAX = VOLUME_MAX_ISSUES + 2 };
struct label_run {
	int first;		/* page index */
	enum numerals style;
};

/* The document's logical structure, for the PDF's tags: one line each, the
 * element and its standard PDF structure type. */
#define SE_TYPES(X)                                                                 \
	X(SE_DOCUMENT, "Document") X(SE_SECT, "Sect") X(SE_H1, "H1") X(SE_H2, "H2")    \
	X(SE_H3, "H3") X(SE_H4, "H4") X(SE_H5, "H5") X(SE_H6, "H6") X(SE_P, "P")        \
	X(SE_L, "L") X(SE_LI, "LI") X(SE_LBL, "Lbl") X(SE_LBODY, "LBody")                \
	X(SE_BLOCKQUOTE, "BlockQuote")                                                  \
	X(SE_CODE, "Code") X(SE_FIGURE, "Figure") X(SE_CAPTION, "Caption")              \
	X(SE_TABLE, "Table") X(SE_TR, "TR") X(SE_TH, "TH") X(SE_TD, "TD")               \
	X(SE_NOTE, "Note") X(SE_TOC, "TOC") X(SE_TOCI, "TOCI") X(SE_PART, "Part")     \
	X(SE_INDEX, "Index")
enum se_type {
#define SE_ID(id, name) id,
	SE_TYPES(SE_ID)
#undef SE_ID
	SE_NTYPES
};
const char *se_name(enum se_type t);	/* "Sect", "H1" ... (tags.c) */

/* One structure element.  Element 0 of a document is none (what is drawn
 * for it is an artifact); element 1 is the Document; each element's parent
 * comes before it, in reading order. */
struct selem {
	enum se_type type;
	int parent;
	char *alt;		/* SE_FIGURE: its alternate text; SE_PART (an issue of a
				 * volume): its title, /T; owned */
	int latin;		/* its text is Latin only: /Lang en */
	struct srcpos at;	/* where the source has it (file borrowed from the issue), for
				 * messages; 0 for generated text */
};

/* The laid-out document: pages of boxes, navigation, numbering, metadata.
 * Options of an output (bleed, colour, profile) are not here: they go to
 * the backend. */
struct doc {
	double width, height;	/* pt */
	struct page *pages;
	int npages;
	struct mark *marks;
	int nmarks;
	struct label_run runs[LABEL_RUNS_MAX];	/* front matter, then from the page
						 * printed 1 (a volume: one per issue) */
	int nruns;
	struct selem *se;	/* the structure (see struct selem) */
	int nse, capse;
	/* metadata */
	char *title, *subject, *author, *date;
	char *lang;		/* its language, BCP 47 ("zh-CN") */
};

void page_add(struct page *pg, const struct box *b);
/* Adds a box of kind over (x, y, w, h) to pg and returns it, for the caller
 * to set its colour or name.  Valid until the next page_add. */
struct box *page_area(struct page *pg, enum box_kind kind, double x, double y, double w,
		      double h);
int doc_new_page(struct doc *doc);	/* returns the new page's index */
/* The structure elements a block's boxes belong to (doc.se; 0: none, an
 * artifact): its lines', its image's, and its list marker's (Lbl). */
struct block_tags {
	int line, image, label;
};

/* Places all lines of tb on page: its left edge at x, its first line's top
 * at y (pt), as structure element se (0: an artifact). */
void flow_at(struct doc *doc, int page, const struct tblock *tb, double x, double y, int se);
/* Places blocks (set on the column's measure) in columns columns gap pt
 * apart, on new pages, the first page's columns starting top pt down
 * (the others' at the margin); a block with keep_with_next stays with the
 * next; se[i]: block i's structure element. */
void flow_columns(struct doc *doc, const struct tblock *blocks, int n, const struct layout *lo,
		  int columns, double gap, double top, const int *se);

/* Where a block of the body went: the page it starts on (-1: it has
 * nothing to place) and its top, pt from the page's top. */
struct placement {
	int page;
	double y;
};
/* Lays blocks out on new pages of doc, in the layout's text area; block i
 * gets destination number first_id + i (flow_dest) and its placement in
 * at[i].  The blocks are only read. */
void flow_blocks(struct doc *doc, const struct tblock *blocks, int n, int first_id,
		 const struct layout *lo, const struct block_tags *tags, struct placement *at,
		 struct diags *d);
/* The name of a destination: a heading's (block number id: "h12"), a
 * footnote's (note number: "fn3") or its mark's ("fnref3").  The one place
 * destinations are named. */
enum { FLOW_DEST_MAX = 24 };
enum dest_kind { DEST_HEADING, DEST_NOTE, DEST_NOTE_MARK, DEST_ISSUE };
void flow_dest(enum dest_kind kind, int id, char buf[FLOW_DEST_MAX]);
/* Drops pages, marks and numbering; keeps size and metadata. */
void doc_reset(struct doc *doc);
void doc_free(struct doc *doc);
/* A deep copy (freed with doc_free, then free). */
struct doc *doc_copy(const struct doc *doc);

/* ---- assemble.c: a document from parts -------------------------------- */

/* One part of a document, in order: a cover, a table of contents (of every
 * body part's headings), a body.  Each has its own template variables: a
 * running head shows its part's {year}, {month}, {number}. */
enum part_kind { PART_COVER, PART_TOC, PART_BODY, PART_INDEX };
struct part {
	enum part_kind kind;
	const struct tvar *vars;	/* borrowed */
	int nvars;
	const struct tblock *blocks;	/* PART_BODY: the set body, borrowed */
	int nblocks;
	int first_id;			/* PART_BODY: destination number of blocks[0] */
	int group;			/* a volume's issue this part belongs to (from 1);
					 * 0: none */
	const char *group_title;	/* PART_BODY in a group: its issue's line in the TOC
					 * and outline, its headings one level below */
	const struct yml_list *cover;	/* PART_COVER: its elements (NULL: the layout's
					 * cover) */
};

/* What the assembler made: the document and the generated texts its pages
 * draw (cover texts, TOC entries, running heads) with the destination names
 * the entries link to.  Freed by assembly_done. */
struct assembly {
	struct doc doc;
	struct tblock *gen;
	int ngen, capgen;
	char **dests;
	int ndests;
};
/* A zeroed generated block that a owns; valid until the next call. */
struct tblock *assembly_block(struct assembly *a);
/* Builds the document of parts into a (zeroed; metadata copied from meta):
 * pages, outline, page numbering, running heads; repaginates until the
 * TOC's page numbers hold (a bounded number of passes: a warning if they
 * have not settled). */
void assemble(struct assembly *a, const struct part *parts, int nparts, const struct doc *meta,
	      PangoContext *ctx, const struct layout *lo, struct diags *d);
void assembly_done(struct assembly *a);
/* The printed label of page index p under runs (caller frees). */
char *assemble_label(const struct doc *doc, int p);

/* ---- tags.c: the document's structure ---------------------------------- */

/* A new element of type under parent; returns its number (element 0, none,
 * is made with the first). */
int tags_add(struct doc *d, enum se_type type, int parent);
/* The elements of a set body under parent, from its model's tree, into
 * tags[i] for block i. */
void tags_body(struct doc *d, const struct tblock *blocks, int n, int parent,
	       struct block_tags *tags);
void tags_free(struct doc *d);
/* Whether s[0, len) is Latin only (letters of the Latin script, no CJK):
 * its element is marked /Lang en. */
int tags_latin(const char *s, int len);

/* ---- cover.c ----------------------------------------------------------- */

/* Appends a cover page: the elements items (the layout's cover or its
 * volume's), texts filled from
 * vars, each a P under parent (its images and rectangles are artifacts). */
void cover_page(struct assembly *a, PangoContext *ctx, const struct layout *lo,
		const struct yml_list *items, const struct tvar *vars, int nvars, int parent,
		struct diags *d);

/* ---- job.c: one issue typeset ------------------------------------------ */

/* Everything one typesetting of an issue made, stage by stage; freed by
 * job_done.  Each stage only reads what the ones before it made. */
struct job {
	struct issue *issue;	/* the model */
	struct layout *layout;
	struct tvar *vars;	/* template variables (year, month, texts ...) */
	char **var_text;	/* the strings vars point to */
	int nvars;
	struct body body;	/* the body set: one block per issue block */
	struct assembly out;	/* the document: cover, TOC, body */
	struct paths reads;	/* every file read or tried: issue, layouts, images */
};
/* Reads input and its layout (the name given, else the issue's layout:,
 * else LAYOUT_DEFAULT, from layouts_dir) and typesets it with fonts.  Returns 0, or
 * -1 when an error was added to d (j must still be freed by job_done). */
int job_run(struct job *j, struct fonts *fonts, const char *input, const char *layout,
	    const char *layouts_dir, struct diags *d);
/* The typesetting part of job_run, for j->issue and j->layout as they are
 * (the fuzzers give them from memory). */
int job_typeset(struct job *j, struct fonts *fonts, struct diags *d);
void job_done(struct job *j);

/* ---- pdfdiff.c: two PDFs compared page by page --------------------------- */

enum pdf_diff_kind { PDF_DIFF_SAME, PDF_DIFF_CHANGED, PDF_DIFF_MOVED, PDF_DIFF_ADDED,
		     PDF_DIFF_REMOVED };
struct pdf_diff_page {
	enum pdf_diff_kind kind;
	int old_page, new_page;	/* 0-based; -1: none (added, removed) */
	int regions;		/* PDF_DIFF_CHANGED: the changed regions */
	struct sbuf png;	/* CHANGED, ADDED, when asked: the picture (PNG) */
};
struct pdf_diff {
	struct pdf_diff_page *v;	/* the pages that differ, new pages in order, then
					 * the removed */
	int n;
	int old_pages, new_pages;
};
/* Compares the PDFs' pages rasterised at ppi: 0 identical, 1 they differ
 * (out lists how), -1 error (in d).  images: make each changed or added
 * page's picture, the old page beside the new one with the changes
 * outlined. */
struct pdf_source {
	const char *name;	/* for messages */
	const char *data;	/* the file's bytes (borrowed) */
	size_t len;
};
int pdf_diff(const struct pdf_source *old, const struct pdf_source *new, double ppi, int images,
	     struct pdf_diff *out, struct diags *d);
void pdf_diff_done(struct pdf_diff *p);

/* ---- collate.c: Chinese sort order (ICU) -------------------------------- */

struct collator;
/* A collator for Chinese in pinyin order, or by strokes; NULL (with an
 * error in d) if ICU has neither. */
struct collator *collator_new(int stroke, struct diags *d);
int collator_cmp(const struct collator *c, const char *a, const char *b);
void collator_free(struct collator *c);

/* ---- cache.c: files kept across processes (font subsets) ----------------- */

/* The entry of namespace ns made from key[0, klen): 0 and its data in out
 * (a new sbuf), or -1 (none, turned off, unreadable: all the same). */
int cache_get(const char *ns, const void *key, size_t klen, struct sbuf *out);
/* Keeps data[0, len) as ns's entry for key; failures are silent. */
void cache_put(const char *ns, const void *key, size_t klen, const void *data, size_t len);

/* ---- query.c ------------------------------------------------------------ */

/* Appends job j's issue, set, as one element of the "issues" array of
 * `bulletin query` (docs/query.md); with pages, each heading's page and
 * printed label. */
void query_issue(struct sbuf *out, const struct job *j, int pages);

/* ---- watch.c ------------------------------------------------------------ */

struct watcher;
struct watcher *watch_new(struct diags *d);	/* NULL on error */
void watch_free(struct watcher *w);
/* Watches path (its folder, for atomic saves); adding it twice is harmless. */
int watch_add(struct watcher *w, const char *path, struct diags *d);
/* Blocks until a watched file is written, replaced or removed (events since
 * the last call count), then for a short quiet period.  0, or -1 on error. */
int watch_wait(struct watcher *w, struct diags *d);

/* ---- serve.c ------------------------------------------------------------ */

/* The live preview's server: one page (page_html) that shows the pages as
 * PNG images, and is told of each new render by server-sent events.  It
 * listens on 127.0.0.1 only and answers its own routes only:
 *   /              page_html
 *   /events        text/event-stream: an event "state" per change
 *   /state.json    the same state: pages (a version each), the error, streams open
 *   /page/N.png    page N (from 1) of the last good render
 *   /lines/N.json  page N's set lines: box (pt) and issue line of each
 * anything else is 404.  HTTP is served by libmicrohttpd's threads; the
 * caller's thread renders (serve_show), so cairo and Pango stay on it. */
struct server;
struct pdf_opts;
/* Listens on port (0: a free one); page_html is copied.  NULL on error (d). */
struct server *serve_new(int port, const char *page_html, size_t len, struct diags *d);
int serve_port(const struct server *s);	/* the port listened on */
/* Shows doc's pages: each drawn at ppi and sent again only if its pixels
 * changed (*changed: how many were); clears an error shown.  0, or -1
 * (errors in d, the pages shown before kept). */
int serve_show(struct server *s, const struct doc *doc, const struct pdf_opts *o, double ppi,
	       double svg_seconds, int *changed, struct diags *d);
/* Shows e (its place, message and the source line there) over the last
 * good pages, until the next serve_show. */
void serve_fail(struct server *s, const struct diag *e);
void serve_free(struct server *s);	/* stops listening; closes every stream */

/* ---- print.c ------------------------------------------------------------ */

/* The print profile's geometry and marks (--bleed, the layout's print:). */
struct print_setup {
	double bleed;		/* pt, > 0 */
	double slug;		/* pt: the margin for marks beyond the bleed */
	int registration;	/* registration targets in the slug */
	int pad;		/* pages padded to a multiple of this (1: none) */
	int impose;		/* saddle-stitch spreads (a multiple of 4 pages) */
	double creep;		/* pt: the innermost sheet's content moved to the spine */
};
/* The print profile of laid-out pages, as a new document (freed with
 * doc_free, then free): pages padded, each grown by bleed + slug on every
 * side (the old page is the trim box), elements touching a trim edge run
 * into the bleed, crop marks and registration targets in the slug. */
struct doc *print_bleed(const struct doc *doc, const struct print_setup *ps);

/* ---- preflight.c ---------------------------------------------------------- */

/* The checks of `bulletin check` beyond what typesetting reports (missing
 * glyphs, overfull lines): links without a target, headings out of order,
 * fonts that forbid embedding, images under the print resolution. */
void preflight(const struct job *j, struct fonts *fonts, int print, struct diags *d);

/* ---- work.c: independent tasks on several threads --------------------- */

#define WORK_MAX_THREADS 16
/* The threads to use: $BULLETIN_THREADS, else the cores this process may
 * run on (1..WORK_MAX_THREADS). */
int work_threads(void);
/* The threads wanted before any limit ($BULLETIN_THREADS or the cores). */
int work_threads_wanted(void);
/* From now on this process uses at most n threads (0: no limit). */
void work_limit(int n);
/* Calls fn(arg, i) once for each i in [0, n), on up to threads threads
 * (the caller's included), and returns when every call has returned.  The
 * calls must not depend on each other's order. */
void work_run(int n, int threads, void (*fn)(void *arg, int i), void *arg);
/* The same, begun on up to threads new threads (0: none) while the caller
 * goes on; work_wait runs the calls not begun yet on the caller's thread,
 * returns when every call has returned, and frees a (NULL: nothing). */
struct work_async;
struct work_async *work_start(int n, int threads, void (*fn)(void *arg, int i), void *arg);
void work_wait(struct work_async *a);
/* Runs fn(arg) on a thread of its own and returns at once (on the
 * caller's thread, before returning, when work_threads() is 1): work
 * whose result nothing waits for, such as letting go of memory.
 * work_later_wait returns when every such call has returned: before a
 * fork, and before the process takes itself apart at exit. */
void work_later(void (*fn)(void *arg), void *arg);
void work_later_wait(void);

/* ---- lazylib.c: libqpdf, librsvg, gdk-pixbuf and ICU, loaded when used - */
/* (their functions: lazylib.h) Begins loading librsvg, gdk-pixbuf and
 * libqpdf on a thread of its own (work_later), for a process that may
 * write PDFs and draw images. */
void lazylib_prefetch(void);

/* ---- batch.c: a batch's issues on several processes ------------------- */

#define BATCH_MAX_JOBS 16
/* What rendering one issue of a batch gave: its exit status, figures and
 * diagnostics as printed (label and diags owned, NULL for none). */
struct batch_result {
	int rc, pages, warnings, errors, differ;
	double seconds;
	char *label, *diags;
};
typedef void (*batch_fn)(void *arg, int i, struct batch_result *r);
typedef void (*batch_report)(void *arg, int i, const struct batch_result *r);
/* Runs fn for each issue i in [0, n) — on jobs processes forked from this
 * one when jobs > 1, taking them in order[0, n) (NULL: 0, 1, ...), each
 * with its share of work_threads() — and
 * calls report (in this process) with each result as it comes.  Returns
 * 0, or -1 when a worker died (its issue is reported failed, with the
 * reason). */
int batch_run(int n, int jobs, const int *order, batch_fn fn, batch_report report, void *arg);

/* ---- subset.c: the fonts cut to the glyphs drawn, for pdf.c ------------ */

/* subset_ (subset.c) cuts each face the runs use down to the glyphs they
 * draw (hb-subset: desubroutinized, no layout tables), so that
 * cairo 1.16 embeds a few hundred KB of fonts instead of megabytes.  Use:
 * subset_add_run for every run to be drawn, subset_make once, then draw
 * each run with its subset_lookup.  Output depends only on the runs. */
#include <cairo.h>
#include <hb.h>

/* How to draw a font's glyphs from its cut face: scaled has the matrices
 * and options of Pango's scaled font for it; glyph ids go through gids. */
struct subset_font {
	cairo_scaled_font_t *scaled;
	const hb_map_t *gids;	/* Pango's glyph id -> id in the cut face */
};

struct subset;
struct subset *subset_new(void);
void subset_free(struct subset *s);
/* Notes the glyphs of gi (ignored after subset_make). */
void subset_add_run(struct subset *s, const PangoGlyphItem *gi);
/* Notes the glyphs of every line doc's pages draw. */
void subset_add_doc(struct subset *s, const struct doc *doc);

/* Cuts every face noted.  Returns 0, or -1 when a face could
 * not be cut: subset_lookup then has nothing for its fonts. */
int subset_make(struct subset *s);
/* From now on the process keeps the faces it cuts for its next renders
 * (watch: the same issue again); subset_forget lets go of them (at exit). */
void subset_keep(void);
void subset_forget(void);
/* Borrowed until subset_free; NULL before subset_make and for a font not cut
 * (not noted, synthetic bold, CFF2, variable, failed): Pango draws it. */
const struct subset_font *subset_lookup(struct subset *s, PangoFont *font);
/* face (CFF or TrueType) cut to glyphs: an OpenType file in memory with
 * .notdef, glyphs (and the odd glyph hb-subset adds) renumbered from 1 in
 * the order of their ids, and a cmap for the characters they have.  gids
 * (may be NULL) receives old id -> new id for each of glyphs.  Caller
 * destroys; NULL if it cannot be cut (no CFF or glyf outlines, variable). */
hb_blob_t *subset_blob_new(hb_face_t *face, const hb_set_t *glyphs, hb_map_t *gids);

/* ---- paint.c: image files painted on a cairo context ----------------- */

struct paint_opts {
	int raster;		/* the target is pixels (PNG pages), not a PDF */
	double ppi;		/* the target's resolution: SVG rasters, decoded JPEGs */
	const struct image_limits *limits;
	double *svg_seconds;	/* SVG drawing time left in this render; decreased */
	int cmyk;		/* the PDF prints in CMYK: RGB images are warned about */
};
/* Paints an image, data[0, n) as probed into im, over (0, 0, w, h) in cr's
 * user space (pt).  Returns 0, or -1 with *why (caller frees). */
int paint_image(cairo_t *cr, const char *data, size_t n, const struct image_info *im, double w,
		double h, const struct paint_opts *o, char **why);
/* Lets go of the SVGs kept as drawn within the time limit (at exit). */
void paint_forget(void);

/* ---- pdftags.c: the structure tree written into cairo's PDF ---------- */

#include <qpdf/qpdf-c.h>

/* One tag pdf.c drew at the top level of cairo's structure, in order: the
 * element's content on one page, an artifact, or a link annotation. */
enum tag_kind { TAG_CONTENT, TAG_ARTIFACT, TAG_LINK };
struct tag_leaf {
	enum tag_kind kind;
	int se;			/* doc.se: the element it belongs to (0: none) */
	int page, mcid;		/* where it is: page index, and its marked content's
				 * number there (cairo numbers each page's tags from 0) */
	int reading;		/* the page it is read on: page, or the page a spread's
				 * half was (the tree is built in this order) */
	char *actual;		/* TAG_CONTENT: its text as written, where the PDF's
				 * glyph positions would read otherwise (NULL); owned */
	char *contents;		/* TAG_LINK: the annotation's /Contents; owned */
};
/* Rebuilds q's structure tree from cairo's flat one (its root's kids are
 * leaves[0, n), in order) as doc.se says; marks the document tagged, in
 * language lang.  Returns 0, or -1 with *why (caller frees). */
int pdftags_write(qpdf_data q, const struct doc *doc, const struct tag_leaf *leaves, int n,
		  const char *lang, char **why);

/* ---- pdfobj.c: what the libqpdf passes share --------------------------- */

/* The keys of dict, copied (libqpdf's key iterator is one per qpdf_data:
 * a loop that calls into it again must not iterate); NULL, *n = 0 for
 * none or not a dictionary.  Freed with pdfobj_keys_free. */
char **pdfobj_keys(qpdf_data q, qpdf_oh dict, int *n);
void pdfobj_keys_free(char **keys, int n);
/* A stream's data with its filters undone (caller frees); NULL if it is
 * not a stream or does not decode. */
unsigned char *pdfobj_stream_data(qpdf_data q, qpdf_oh stream, size_t *len);
/* Calls fn for every XObject resources draws (an image or a form: its
 * stream and dictionary), each form's own XObjects after it, down to 16
 * forms deep. */
typedef void (*pdfobj_visit)(qpdf_data q, qpdf_oh stream, qpdf_oh dict, void *arg);
void pdfobj_each_xobject(qpdf_data q, qpdf_oh resources, pdfobj_visit fn, void *arg);
/* While on, zlib stores what this thread deflates (level 0): cairo's font
 * programs and images, compressed afterwards on every core (pdfobj.c). */
void pdfobj_store_only(int on);
/* Reads q's font programs once: makes each font subset's tag (the ABCDEF+
 * of its name) from its program and name, where cairo makes it from the
 * glyph ids of the face it cut the subset from (the same program has the
 * same name, whatever else the face held: subset.c draws with kept cuts
 * that hold more glyphs than are drawn), and begins deflating the stored
 * ones (pdfobj_store_only) on threads of their own, while libqpdf passes
 * that do not touch fonts run; pdfobj_compress takes them. */
struct pdfobj_fonts;
struct pdfobj_fonts *pdfobj_fonts_start(qpdf_data q);
/* Waits for fonts' work and lets it go, unused (NULL: nothing). */
void pdfobj_fonts_free(struct pdfobj_fonts *fonts);
/* Deflates every stream of q that has no filter (but the XMP metadata),
 * and every stored one, on work_threads() threads, as libqpdf's writer
 * would deflate it (zlib, its default level): the same bytes, sooner.
 * fonts (NULL: none) are finished first, their programs not read again,
 * and freed. */
void pdfobj_compress(qpdf_data q, struct pdfobj_fonts *fonts);
/* From now on the process keeps deflated streams for its next renders
 * (watch); pdfobj_forget lets go of them (at exit). */
void pdfobj_keep(void);
void pdfobj_forget(void);

/* ---- pdftext.c: ToUnicode maps that give the text as written ----------- */

/* Ligature glyphs map to their letters, not U+FB00-FB06. */
void pdftext_repair(qpdf_data q);

/* ---- pdfcmyk.c: the print profile's colours -------------------------- */

/* Rewrites q's colours (pages and the forms they draw) in the inks palette
 * gives their screen values: spot colours as /Separation, CMYK builds,
 * greys on the black plate, text never rich black; groups blend in CMYK. */
void pdfcmyk_convert(qpdf_data q, const struct yml_palette *palette);

/* ---- pdfstd.c: PDF/A and PDF/UA ---------------------------------------- */

/* The standards a render may claim (--pdf-standard, layout pdf_standard). */
enum { PDF_A2B = 1, PDF_A2U = 2, PDF_A3B = 4, PDF_UA1 = 8, PDF_X4 = 16 };
/* "a-2b", "ua-1", "a-2u,ua-1" ... into *flags (at most one PDF/A part).
 * Returns 0, or -1 with *why (caller frees). */
int pdfstd_parse(const char *s, unsigned *flags, char **why);
/* flags as a-2u,ua-1 into buf. */
void pdfstd_names(unsigned flags, char *buf, size_t size);
/* Whether doc can be written conforming to flags (a title, alternate text
 * on every image, no skipped heading levels for PDF/UA; a colour profile
 * for PDF/A; no --cmyk).  Returns 0, or -1 with errors in d at the source. */
struct pdf_opts;
int pdfstd_check(const struct doc *doc, const struct pdf_opts *o, struct diags *d);
/* Adds XMP metadata (always: from /Info as cairo wrote it, so that the two
 * agree) and what flags ask for: identification, the output intent,
 * PDF/A's repairs.  Returns 0, or -1 with *why (caller frees). */
int pdfstd_write(qpdf_data q, const struct doc *doc, const struct pdf_opts *o, char **why);

/* ---- pdf.c: pages -> PDF ---------------------------------------------- */

/* Output options: they go to the backend, never into the pages. */
struct pdf_opts {
	int print;		/* the print profile: no link annotations */
	double bleed;		/* pt; > 0: TrimBox and BleedBox (pages grown by print_bleed) */
	double slug;		/* pt: beyond the bleed box, when bleed > 0 */
	int cmyk;		/* print colours in the palette's inks (pdfcmyk.c) */
	const struct yml_palette *palette;	/* the layout's, for cmyk */
	unsigned standards;	/* PDF_A2B ...: what the file is to conform to */
	const char *press_profile;	/* PDF/X: the press's CMYK ICC profile (a file) */
	const char *press_condition;	/* PDF/X: its output condition ("CGATS TR 001") */
	struct srcpos press_at;	/* where the layout names the profile, for messages */
	const struct image_limits *limits;	/* the layout's */
};
/* Renders doc as a PDF into *out (initialised here; the caller frees it
 * with sbuf_done on success).  what names the output in messages.
 * Returns 0, or -1 with errors in d (then *out is untouched). */
int pdf_render(const struct doc *doc, const struct pdf_opts *o, const char *what,
	       struct sbuf *out, struct diags *d);
/* 0 if pages fit in a PNG at ppi; else -1 with an error saying what fits. */
int pdf_png_fits(const struct doc *doc, double ppi, struct diags *d);
/* Renders page index `page` as a PNG at ppi into *out, as pdf_render does;
 * *svg_seconds is the SVG time left, shared by the pages of one render. */
int pdf_render_png(const struct doc *doc, int page, double ppi, const struct pdf_opts *o,
		   double *svg_seconds, struct sbuf *out, struct diags *d);
/* The same, for a page shown again: with digest (not NULL), the pixels'
 * digest is compared with *digest and stored there; 1 if they are the
 * same (*out left empty, no PNG encoded), 0 if a new PNG is in *out, -1
 * on error. */
int pdf_page_png(const struct doc *doc, int page, double ppi, const struct pdf_opts *o,
		 double *svg_seconds, unsigned long long *digest, struct sbuf *out,
		 struct diags *d);

/* ---- dump.c: pages -> text --------------------------------------------- */

void dump_doc(const struct doc *doc, FILE *out);
void dump_model(const struct issue *is, FILE *out);
void dump_lines(const struct tblock *blocks, int n, FILE *out);

/* ---- init.c: a new month's issue --------------------------------------- */

/* "2022-09" -> 2022, 9: 0, or -1 if it is not YYYY-MM (1900-2999, 01-12). */
int init_parse_month(const char *s, int *year, int *month);
struct init_request {
	const char *dir;	/* the issues' folder: DIR/YYYY-MM/issue.md */
	int year, month;	/* the month to start */
	const char *from;	/* the previous issue: YYYY-MM in dir, or a path; NULL:
				 * the latest month before in dir (none: number 1) */
};
struct init_result {
	char *path;		/* the issue written */
	char *from;		/* the issue it follows, or NULL */
	int number, sections;
};
/* Writes DIR/YYYY-MM/issue.md: the front matter (year, month, the
 * previous issue's number + 1 in the same year, else 1, the month's last
 * day as date, the previous layout if named) and the previous issue's
 * level-1 headings as written, empty.  An existing folder is an error;
 * nothing is left behind on failure.  0, or -1 with errors in d; res is
 * freed by init_result_done. */
int init_issue(const struct init_request *rq, struct init_result *res, struct diags *d);
void init_result_done(struct init_result *res);

#endif
