/* util.c: allocation, string buffers, diagnostics, files and UTF-8. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bulletin.h"

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

void diag_add(struct diags *d, enum severity sev, const char *file, int line, int col,
	      const char *fmt, ...)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, (size_t)d->cap * sizeof(*d->v));
	}
	va_list ap;
	va_start(ap, fmt);
	struct diag *g = &d->v[d->n++];
	g->sev = sev;
	g->file = xstrdup(file ? file : "bulletin");
	g->line = line;
	g->col = col;
	g->msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (sev == SEV_ERROR)
		d->errors++;
}

void diag_print(const struct diags *d, FILE *out)
{
	for (int i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		const char *sev = g->sev == SEV_ERROR ? "error" : "warning";
		if (g->line > 0 && g->col > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", g->file, g->line, g->col, sev, g->msg);
		else if (g->line > 0)
			fprintf(out, "%s:%d: %s: %s\n", g->file, g->line, sev, g->msg);
		else
			fprintf(out, "%s: %s: %s\n", g->file, sev, g->msg);
	}
}

void diag_clear(struct diags *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Devices (/dev/zero, /dev/urandom) and folders are refused, and no file
 * may be larger than FILE_MAX: an endless input must not eat memory. */
#define FILE_MAX ((size_t)256 << 20)

char *file_load(const char *path, size_t *len, struct diags *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: %s",
			 S_ISDIR(st.st_mode) ? "it is a folder" : "not a regular file");
		fclose(f);
		return NULL;
	}
	struct sbuf sb;
	sbuf_init(&sb);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb.len + n > FILE_MAX) {
			diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: larger than %zu MiB",
				 FILE_MAX >> 20);
			fclose(f);
			sbuf_done(&sb);
			return NULL;
		}
		sbuf_add(&sb, chunk, n);
	}
	if (ferror(f)) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		sbuf_done(&sb);
		return NULL;
	}
	fclose(f);
	*len = sb.len;
	return sb.s;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static int utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	int len;
	unsigned min;
	if (c < 0x80)
		return 1;
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
	return len;
}

int utf8_check(const char *s, size_t len, const char *file, struct diags *d)
{
	size_t i = 0;
	while (i < len) {
		int n = utf8_valid_len((const unsigned char *)s + i, len - i);
		if (n == 0 || (n == 1 && s[i] == '\0')) {
			int line, col;
			text_position(s, i, &line, &col);
			if (n == 0)
				diag_add(d, SEV_ERROR, file, line, col,
					 "invalid UTF-8 (byte 0x%02x); the file must be UTF-8 text",
					 (unsigned char)s[i]);
			else
				diag_add(d, SEV_ERROR, file, line, col,
					 "NUL byte; the file must be UTF-8 text");
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
