/* util.c: allocation, string buffers, diagnostics, files and UTF-8. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin.h"
#include "lazylib.h"

static void die_oom(void)
{
	fputs("bulletin: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void sbuf_init(struct sbuf *sb)
{
	sb->cap = 64;
	sb->len = 0;
	sb->s = xmalloc(sb->cap);
	sb->s[0] = '\0';
}

void sbuf_done(struct sbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void sbuf_add(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		if (sb->cap < 64)
			sb->cap = 64;
		while (sb->len + n + 1 > sb->cap)
			sb->cap *= 2;
		sb->s = xrealloc(sb->s, sb->cap);
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sbuf_str(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	sbuf_str(sb, s);
	free(s);
}

char *sbuf_take(struct sbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

/* Identical findings (same severity, place and message) are one diagnostic
 * with a count: a hash of them keeps thousands of warnings linear. */
static uint64_t diag_hash(enum severity sev, const char *file, int line, int col,
			  const char *msg)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)sev;
	for (const char *s = file; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	h = (h ^ (uint64_t)(unsigned)line) * 1099511628211u;
	h = (h ^ (uint64_t)(unsigned)col) * 1099511628211u;
	for (const char *s = msg; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int diag_same(const struct diag *g, enum severity sev, const char *file, int line,
		     int col, const char *msg)
{
	return g->sev == sev && g->line == line && g->col == col && !strcmp(g->file, file) &&
	       !strcmp(g->msg, msg);
}

int *slots_grow(int *slots, int *nslots, int first)
{
	free(slots);
	*nslots = *nslots ? *nslots * 2 : first;
	slots = xmalloc((size_t)*nslots * sizeof(*slots));
	for (int i = 0; i < *nslots; i++)
		slots[i] = -1;
	return slots;
}

static void diag_rehash(struct diags *d)
{
	d->slots = slots_grow(d->slots, &d->nslots, 64);
	for (int i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		size_t k = diag_hash(g->sev, g->file, g->line, g->col, g->msg) & (size_t)(d->nslots - 1);
		while (d->slots[k] >= 0)
			k = (k + 1) & (size_t)(d->nslots - 1);
		d->slots[k] = i;
	}
}

void diag_add(struct diags *d, enum severity sev, const char *file, int line, int col,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (!file)
		file = "bulletin";
	if (sev == SEV_ERROR)
		d->errors++;
	if (2 * (d->n + 1) > d->nslots)
		diag_rehash(d);
	size_t k = diag_hash(sev, file, line, col, msg) & (size_t)(d->nslots - 1);
	for (; d->slots[k] >= 0; k = (k + 1) & (size_t)(d->nslots - 1)) {
		struct diag *g = &d->v[d->slots[k]];
		if (diag_same(g, sev, file, line, col, msg)) {
			g->count++;
			d->last = d->slots[k];
			free(msg);
			return;
		}
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, (size_t)d->cap * sizeof(*d->v));
	}
	d->slots[k] = d->n;
	d->last = d->n;
	struct diag *g = &d->v[d->n++];
	g->sev = sev;
	g->file = xstrdup(file);
	g->line = line;
	g->col = col;
	g->msg = msg;
	g->hint = NULL;
	g->count = 1;
}

void diag_hint(struct diags *d, const char *fmt, ...)
{
	if (d->n == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *hint = xvasprintf(fmt, ap);
	va_end(ap);
	struct diag *g = &d->v[d->last];
	free(g->hint);
	g->hint = hint;
}

/* The source lines diag_print quotes: the file of the last finding printed,
 * loaded once for the findings that follow in it. */
struct source {
	char *file;
	char *text;		/* NULL: not loadable (or not text) */
	size_t len;
	size_t *starts;		/* the offset of each line; nlines of them */
	int nlines;
};

static void source_done(struct source *src)
{
	free(src->file);
	free(src->text);
	free(src->starts);
	memset(src, 0, sizeof(*src));
}

/* Line `line` of file (1-based) as [*start, *start + *len), without its
 * newline; 0 if there is no such line or it is not UTF-8 text. */
static int source_line(struct source *src, const char *file, int line, const char **start,
		       size_t *len)
{
	if (!src->file || strcmp(src->file, file)) {
		source_done(src);
		src->file = xstrdup(file);
		struct diags quiet = {0};
		src->text = file_load(file, &src->len, &quiet);
		diag_clear(&quiet);
		if (src->text && (src->len > ((size_t)16 << 20) || memchr(src->text, '\0', src->len))) {
			free(src->text);
			src->text = NULL;
		}
		int cap = 0;
		for (size_t i = 0; src->text && i <= src->len; i++) {
			if (i == 0 || src->text[i - 1] == '\n') {
				if (i == src->len && i > 0)
					break;	/* the newline that ends the last line */
				if (src->nlines == cap) {
					cap = cap ? 2 * cap : 256;
					src->starts = xrealloc(src->starts, (size_t)cap * sizeof(*src->starts));
				}
				src->starts[src->nlines++] = i;
			}
		}
	}
	if (!src->text || line < 1 || line > src->nlines)
		return 0;
	const char *p = src->text + src->starts[line - 1], *end = src->text + src->len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p);
	if (n && p[n - 1] == '\r')
		n--;
	for (size_t i = 0; i < n;) {
		int k = utf8_seq_len(p + i, n - i);
		if (!k)
			return 0;
		i += (size_t)k;
	}
	*start = p;
	*len = n;
	return 1;
}

/* Columns a terminal gives cp: 2 for East Asian wide and fullwidth, 0 for
 * combining marks and invisible format characters, else 1. */
static int display_width(unsigned cp)
{
	if (icu_load())	/* no ICU: the CJK blocks are wide, the rest narrow */
		return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd)
			   ? 2
			   : 1;
	int ea = icu.u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
	if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH)
		return 2;
	int gc = icu.u_charType((UChar32)cp);
	if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR)
		return 0;
	return 1;
}

/* At most this many characters of a source line are quoted: a window
 * around the column, "..." marking what is cut. */
enum { SOURCE_WINDOW = 80 };

/* Prints " LINE | text" and the caret line under column col (1-based, in
 * characters).  Control characters print as a space (a tab as itself, so
 * the caret line keeps the terminal's tab stops). */
static void print_source(FILE *out, int line, int col, const char *text, size_t len,
			 const char *caret_on, const char *blue, const char *off)
{
	char num[16];
	int w = snprintf(num, sizeof(num), "%d", line);
	int nchars = 0;
	for (size_t i = 0; i < len; nchars++)
		i += (size_t)utf8_seq_len(text + i, len - i);
	int first = 1, last = nchars;	/* the characters shown, 1-based */
	if (nchars > SOURCE_WINDOW) {
		first = col > SOURCE_WINDOW / 2 ? col - SOURCE_WINDOW / 2 : 1;
		if (first + SOURCE_WINDOW - 1 > nchars)
			first = nchars - SOURCE_WINDOW + 1;
		last = first + SOURCE_WINDOW - 1;
	}
	fprintf(out, "%s%*s |%s\n", blue, w, "", off);
	fprintf(out, "%s%s |%s ", blue, num, off);
	struct sbuf pad = {0};
	if (first > 1) {
		fputs("...", out);
		sbuf_add(&pad, "   ", 3);
	}
	int c = 1;
	for (size_t i = 0; i < len; c++) {
		unsigned cp;
		int k = utf8_decode(text + i, &cp);
		i += (size_t)k;
		if (c < first || c > last)
			continue;
		int width = display_width(cp);
		int control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
		if (cp == '\t')
			fputc('\t', out);
		else if (control)
			fputc(' ', out);
		else
			fwrite(text + i - k, 1, (size_t)k, out);
		if (c < col) {
			if (cp == '\t')
				sbuf_add(&pad, "\t", 1);
			else
				for (int j = 0; j < (control ? 1 : width); j++)
					sbuf_add(&pad, " ", 1);
		}
	}
	if (last < nchars)
		fputs("...", out);
	fputc('\n', out);
	fprintf(out, "%s%*s |%s %s%s^%s\n", blue, w, "", off, pad.s ? pad.s : "", caret_on, off);
	sbuf_done(&pad);
}

int diag_color(FILE *terminal)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fileno(terminal)) && !(nc && *nc);
}

void diag_print(const struct diags *d, FILE *out)
{
	diag_print_as(d, out, diag_color(out));
}

void diag_print_as(const struct diags *d, FILE *out, int color)
{
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	const char *blue = color ? "\033[1;34m" : "";
	struct source src = {0};
	for (int i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		const char *sev = g->sev == SEV_ERROR ? "error" : "warning";
		const char *hue = !color ? "" : g->sev == SEV_ERROR ? "\033[1;31m" : "\033[1;33m";
		fputs(bold, out);
		if (g->line > 0 && g->col > 0)
			fprintf(out, "%s:%d:%d: ", g->file, g->line, g->col);
		else if (g->line > 0)
			fprintf(out, "%s:%d: ", g->file, g->line);
		else
			fprintf(out, "%s: ", g->file);
		fprintf(out, "%s%s%s:%s%s %s", off, hue, sev, off, bold, g->msg);
		if (g->count > 1)
			fprintf(out, " (%d times)", g->count);
		fprintf(out, "%s\n", off);
		const char *text;
		size_t len;
		if (g->line > 0 && g->col > 0 && source_line(&src, g->file, g->line, &text, &len))
			print_source(out, g->line, g->col, text, len, hue, blue, off);
		if (g->hint)
			fprintf(out, "  %s=%s %shelp:%s %s\n", blue, off, bold, off, g->hint);
	}
	source_done(&src);
}

void diag_clear(struct diags *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
		free(d->v[i].hint);
	}
	free(d->v);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

int diag_warnings(const struct diags *d)
{
	int n = 0;
	for (int i = 0; i < d->n; i++)
		n += d->v[i].sev == SEV_WARNING;
	return n;
}

/* Only regular files are read: a device (/dev/zero), a FIFO or a folder is
 * refused, and the open never blocks (O_NONBLOCK: a FIFO without a writer
 * would wait for ever).  No file may be larger than FILE_MAX: an endless
 * input must not eat memory. */
#define FILE_MAX ((size_t)256 << 20)

char *file_load(const char *path, size_t *len, struct diags *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: %s",
			 S_ISDIR(st.st_mode)    ? "it is a folder"
			 : S_ISFIFO(st.st_mode) ? "it is a FIFO, not a regular file"
						: "not a regular file");
		close(fd);
		return NULL;
	}
	if ((size_t)st.st_size > FILE_MAX) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: larger than %zu MiB", FILE_MAX >> 20);
		close(fd);
		return NULL;
	}
	struct sbuf sb;
	sbuf_init(&sb);
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			sbuf_done(&sb);
			return NULL;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > FILE_MAX) {	/* it grew while being read */
			diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: larger than %zu MiB",
				 FILE_MAX >> 20);
			close(fd);
			sbuf_done(&sb);
			return NULL;
		}
		sbuf_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	*len = sb.len;
	return sb.s;
}

/* An arena: chunks of at least ARENA_CHUNK bytes, each used from the
 * start; a request larger than a chunk gets a chunk of its own. */
enum { ARENA_CHUNK = 64 * 1024 };

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	return d;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

void paths_add(struct paths *p, const char *path)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->v[i], path))
			return;
	p->v = xrealloc(p->v, (size_t)(p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = xstrdup(path);
}

void paths_done(struct paths *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *path_relative(const char *from, const char *ref)
{
	const char *slash = from ? strrchr(from, '/') : NULL;
	if (ref[0] == '/' || !slash)
		return xstrdup(ref);
	return xasprintf("%.*s/%s", (int)(slash - from), from, ref);
}

int path_under(const char *path, const char *folder)
{
	char *real = realpath(path, NULL), *root = realpath(folder, NULL);
	int in = 0;
	if (real && root) {
		size_t n = strlen(root);
		in = !strncmp(real, root, n) &&
		     (real[n] == '/' || real[n] == '\0' || (n == 1 && root[0] == '/'));
	}
	free(real);
	free(root);
	return in;
}

char *excerpt(const char *s, size_t len, int max_chars)
{
	struct sbuf sb;
	sbuf_init(&sb);
	size_t i = 0;
	int chars = 0;
	while (i < len && chars < max_chars) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (c == '\n')
				sbuf_str(&sb, "\\n");
			else if (c == '\t')
				sbuf_str(&sb, "\\t");
			else
				sbuf_printf(&sb, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			sbuf_add(&sb, s + i, 1);
			i++;
		} else {
			int n = utf8_seq_len(s + i, len - i);
			if (n == 0) {
				sbuf_printf(&sb, "\\x%02x", c);
				i++;
			} else {
				unsigned cp;
				utf8_decode(s + i, &cp);
				/* invisible and bidi controls would hide what is there */
				if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
				    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0x80 && cp < 0xa0))
					sbuf_printf(&sb, "\\u%04x", cp);
				else
					sbuf_add(&sb, s + i, (size_t)n);
				i += (size_t)n;
			}
		}
		chars++;
	}
	if (i < len)
		sbuf_str(&sb, "\u2026");
	return sbuf_take(&sb);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static int utf8_valid_len(const unsigned char *s, size_t n, unsigned *out)
{
	unsigned c = s[0];
	int len;
	unsigned min;
	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if ((size_t)len > n)
		return 0;
	unsigned cp = c & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*out = cp;
	return len;
}

int utf8_seq_len(const char *s, size_t n)
{
	unsigned cp;
	return utf8_valid_len((const unsigned char *)s, n, &cp);
}

int utf8_noncharacter(unsigned cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

int utf8_check(const char *s, size_t len, const char *file, struct diags *d)
{
	size_t i = 0;
	while (i < len) {
		unsigned cp = 0;
		int n = utf8_valid_len((const unsigned char *)s + i, len - i, &cp);
		if (n == 0 || cp == 0 || utf8_noncharacter(cp)) {
			int line, col;
			text_position(s, i, &line, &col);
			if (n == 0)
				diag_add(d, SEV_ERROR, file, line, col,
					 "invalid UTF-8 (byte 0x%02x); the file must be UTF-8 text",
					 (unsigned char)s[i]);
			else if (cp == 0)
				diag_add(d, SEV_ERROR, file, line, col,
					 "NUL byte; the file must be UTF-8 text");
			else
				diag_add(d, SEV_ERROR, file, line, col, UTF8_NONCHAR_MSG, cp);
			return -1;
		}
		i += (size_t)n;
	}
	return 0;
}

int utf8_decode(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	int len = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
	unsigned c = u[0] & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {	/* defensive: treat as one byte */
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*cp = c;
	return len;
}

void text_position(const char *text, size_t offset, int *line, int *col)
{
	int ln = 1, cl = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			ln++;
			cl = 1;
		} else if ((c & 0xc0) != 0x80) {
			cl++;
		}
	}
	*line = ln;
	*col = cl;
}

/* ---- suggestions ---- */

/* Optimal string alignment distance (edits: insert, delete, substitute,
 * swap two neighbours), on bytes, capped at 99 for long strings. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The candidate nearest to key, if near enough to be a likely typo: one
 * edit for keys up to 4 bytes, two for longer ones, and fewer edits than
 * the key has bytes. */
const char *name_nearest(const char *key, const char *const *cand, int n)
{
	int klen = (int)strlen(key);
	int limit = klen <= 4 ? 1 : 2;
	const char *best = NULL;
	int bestd = limit + 1;
	for (int i = 0; i < n; i++) {
		int dist = edit_distance(key, cand[i]);
		if (dist < bestd && dist < klen) {
			bestd = dist;
			best = cand[i];
		}
	}
	return best;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *dir_nearest(const char *dir, const char *name, const char *suffix)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return NULL;
	size_t sl = strlen(suffix);
	char **cand = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL && n < 4096) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= sl || strcmp(e->d_name + len - sl, suffix))
			continue;
		cand = xrealloc(cand, (size_t)(n + 1) * sizeof(*cand));
		cand[n++] = xstrndup(e->d_name, len - sl);
	}
	closedir(dh);
	qsort(cand, (size_t)n, sizeof(*cand), str_cmp);	/* ties: the same answer everywhere */
	const char *near = name_nearest(name, (const char *const *)cand, n);
	char *res = near ? xstrdup(near) : NULL;
	for (int i = 0; i < n; i++)
		free(cand[i]);
	free(cand);
	return res;
}


/* s[0, n) as a JSON string (UTF-8 kept; quotes, backslashes and control
 * characters escaped); NULL as null. */
void json_str(struct sbuf *out, const char *s, int n)
{
	if (!s) {
		sbuf_str(out, "null");
		return;
	}
	if (n < 0)
		n = (int)strlen(s);
	sbuf_str(out, "\"");
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sbuf_printf(out, "\\%c", c);
		else if (c < 0x20)
			sbuf_printf(out, "\\u%04x", c);
		else
			sbuf_add(out, (const char *)&c, 1);
	}
	sbuf_str(out, "\"");
}

char *lib_open(const char *soname, const char *package, const char *const *names,
	       void **const *slots, int n)
{
	void *lib = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
	if (!lib)
		return xasprintf("cannot load %s (Debian: %s): %s", soname, package, dlerror());
	for (int i = 0; i < n; i++)
		if (!(*slots[i] = dlsym(lib, names[i])))
			return xasprintf("%s has no %s", soname, names[i]);
	return NULL;
}
