/* serve.c: the live preview's HTTP server (libmicrohttpd), the only file
 * that talks HTTP.
 *
 * Terms: a render is shown as a state: the pages (each a PNG and its set
 * lines, with a version, the digest of its pixels) and an error (or
 * none), numbered by a generation that grows with every change.  The
 * caller's thread makes states (serve_show, serve_fail); libmicrohttpd's
 * threads, one per connection, only copy them out under the lock.  A
 * stream (/events) waits on the condition for the next generation and
 * sends a comment every STREAM_BEAT_MS meanwhile, so that a closed tab's
 * connection fails its next write and ends: it holds nothing after that.
 *
 * libmicrohttpd is loaded when serve starts (dlopen), not with the program:
 * linked, it and GnuTLS with what that pulls in (p11-kit, nettle, GMP...)
 * cost every render their start-up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bulletin.h"

/* The libmicrohttpd functions used, typed by microhttpd.h's declarations. */
#define MHD_FUNCTIONS(X) \
	X(MHD_add_response_header) X(MHD_create_response_from_buffer) \
	X(MHD_create_response_from_callback) X(MHD_destroy_response) \
	X(MHD_lookup_connection_value) X(MHD_queue_response) X(MHD_start_daemon) \
	X(MHD_stop_daemon)
static struct {
#define FIELD(f) __typeof__(&f) f;
	MHD_FUNCTIONS(FIELD)
#undef FIELD
} mhd;
static char *mhd_error;	/* why libmicrohttpd could not be loaded; NULL if it was */
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void mhd_open(void)
{
#define SLOT(f) (void **)&mhd.f,
	static const char *const names[] = {MHD_FUNCTIONS(LIB_NAME)};
	void **const slots[] = {MHD_FUNCTIONS(SLOT)};
#undef SLOT
	mhd_error = lib_open(MHD_SONAME, "libmicrohttpd12", names, slots, (int)(sizeof(names) / sizeof(names[0])));
}

enum {
	STREAM_BEAT_MS = 1000,
	SERVE_CONNECTIONS = 64,	/* tabs and their requests at once */
	SERVE_IDLE_SECONDS = 60,	/* a connection that sends nothing is closed */
	SOURCE_LINE_MAX = 400,	/* bytes of the source line an error shows */
};

struct shown_page {
	struct sbuf png;
	struct sbuf lines;	/* JSON */
	unsigned long long digest;	/* of its pixels: its version */
};

struct server {
	struct MHD_Daemon *daemon;
	int port;
	char id[32];		/* this server among those that ran on its port */
	char *html;
	size_t html_len;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	/* under lock: */
	unsigned long generation;
	struct shown_page *pages;
	int npages;
	double width, height;	/* pt */
	struct sbuf error;	/* JSON object, empty: none */
	int streams;		/* /events connections open */
	int stopping;
};

/* One /events connection: what it has to send, and the generation sent. */
struct stream {
	struct server *srv;
	unsigned long sent;
	struct sbuf out;
	size_t at;
};

/* The state as JSON (one line, for an event's data); under lock. */
static void state_json(const struct server *s, struct sbuf *sb)
{
	sbuf_printf(sb, "{\"server\": \"%s\", \"generation\": %lu, \"width\": %.2f, "
		    "\"height\": %.2f, \"pages\": [", s->id, s->generation, s->width, s->height);
	for (int i = 0; i < s->npages; i++)
		sbuf_printf(sb, "%s\"%016llx\"", i ? ", " : "", s->pages[i].digest);
	sbuf_str(sb, "], \"error\": ");
	if (s->error.len)
		sbuf_add(sb, s->error.s, s->error.len);
	else
		sbuf_str(sb, "null");
	sbuf_printf(sb, ", \"streams\": %d}", s->streams);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct stream *st = cls;
	struct server *s = st->srv;
	pthread_mutex_lock(&s->lock);
	while (st->at == st->out.len) {
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		st->out.len = st->at = 0;
		if (st->sent != s->generation) {
			sbuf_str(&st->out, "event: state\ndata: ");
			state_json(s, &st->out);
			sbuf_str(&st->out, "\n\n");
			st->sent = s->generation;
			break;
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)STREAM_BEAT_MS % 1000 * 1000000L;
		until.tv_sec += STREAM_BEAT_MS / 1000 + until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		if (pthread_cond_timedwait(&s->changed, &s->lock, &until) == ETIMEDOUT &&
		    st->sent == s->generation && !s->stopping) {
			sbuf_str(&st->out, ": beat\n\n");
			break;
		}
	}
	size_t n = st->out.len - st->at < max ? st->out.len - st->at : max;
	memcpy(buf, st->out.s + st->at, n);
	st->at += n;
	pthread_mutex_unlock(&s->lock);
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;
	pthread_mutex_lock(&st->srv->lock);
	st->srv->streams--;
	pthread_mutex_unlock(&st->srv->lock);
	sbuf_done(&st->out);
	free(st);
}

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *type,
				  const void *data, size_t len)
{
	struct MHD_Response *r =
		mhd.MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result rc = mhd.MHD_queue_response(c, status, r);
	mhd.MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return send_bytes(c, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* "/page/" "12" ".png" -> 12: a page number written plainly (digits, no
 * leading zero) between prefix and suffix; else 0. */
static int page_number(const char *url, const char *prefix, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix), n = strlen(url);
	if (n <= np + ns || strncmp(url, prefix, np) || strcmp(url + n - ns, suffix))
		return 0;
	const char *d = url + np, *end = url + n - ns;
	if (*d == '0' || end - d > 6)
		return 0;
	int page = 0;
	for (; d < end; d++) {
		if (*d < '0' || *d > '9')
			return 0;
		page = page * 10 + (*d - '0');
	}
	return page;
}

/* The Host a browser on this machine sends: 127.0.0.1 or localhost with
 * our port (a page elsewhere that renamed its host to ours is refused). */
static int own_host(const struct server *s, const char *host)
{
	if (!host)
		return 0;
	char a[32], b[32];
	snprintf(a, sizeof(a), "127.0.0.1:%d", s->port);
	snprintf(b, sizeof(b), "localhost:%d", s->port);
	return !strcmp(host, a) || !strcmp(host, b);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_len, void **con_cls)
{
	(void)version, (void)upload, (void)con_cls;
	struct server *s = cls;
	if (*upload_len)
		return MHD_NO;	/* a body: no route takes one */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
	if (!own_host(s, mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
		return send_text(c, MHD_HTTP_FORBIDDEN, "not this server's host\n");
	if (!strcmp(url, "/"))
		return send_bytes(c, MHD_HTTP_OK, "text/html; charset=utf-8", s->html, s->html_len);
	if (!strcmp(url, "/events")) {
		struct stream *st = xcalloc(1, sizeof(*st));
		st->srv = s;
		sbuf_init(&st->out);
		sbuf_str(&st->out, "retry: 1000\n\n");
		pthread_mutex_lock(&s->lock);
		s->streams++;
		st->sent = s->generation - 1;	/* the state now, first */
		pthread_mutex_unlock(&s->lock);
		struct MHD_Response *r = mhd.MHD_create_response_from_callback(
			MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
		mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
		mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		enum MHD_Result rc = mhd.MHD_queue_response(c, MHD_HTTP_OK, r);
		mhd.MHD_destroy_response(r);
		return rc;
	}
	enum MHD_Result rc;
	pthread_mutex_lock(&s->lock);
	int png = page_number(url, "/page/", ".png"), lines = page_number(url, "/lines/", ".json");
	if (!strcmp(url, "/state.json")) {
		struct sbuf sb;
		sbuf_init(&sb);
		state_json(s, &sb);
		sbuf_str(&sb, "\n");
		rc = send_bytes(c, MHD_HTTP_OK, "application/json", sb.s, sb.len);
		sbuf_done(&sb);
	} else if (png > 0 && png <= s->npages) {
		const struct sbuf *b = &s->pages[png - 1].png;
		rc = send_bytes(c, MHD_HTTP_OK, "image/png", b->s, b->len);
	} else if (lines > 0 && lines <= s->npages) {
		const struct sbuf *b = &s->pages[lines - 1].lines;
		rc = send_bytes(c, MHD_HTTP_OK, "application/json", b->s, b->len);
	} else {
		rc = send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Paths are taken as sent, escapes not decoded: no route has one, so
 * "%2e%2e" or "%00" is never mistaken for another path's text (the route
 * "/" for "/%00"). */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

struct server *serve_new(int port, const char *page_html, size_t len, struct diags *d)
{
	pthread_once(&mhd_once, mhd_open);
	if (mhd_error) {
		diag_add(d, SEV_ERROR, NULL, 0, 0, "serve: %s", mhd_error);
		return NULL;
	}
	struct server *s = xcalloc(1, sizeof(*s));
	s->html = xmalloc(len + 1);
	memcpy(s->html, page_html, len);
	s->html_len = len;
	sbuf_init(&s->error);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->changed, NULL);
	s->generation = 1;
	/* bound here, so that the port is known before the first request */
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in at = {0};
	at.sin_family = AF_INET;
	at.sin_port = htons((uint16_t)port);
	at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t atlen = sizeof(at);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&at, sizeof(at)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&at, &atlen) < 0) {
		diag_add(d, SEV_ERROR, NULL, 0, 0, "serve: cannot listen on 127.0.0.1:%d: %s", port,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		serve_free(s);
		return NULL;
	}
	s->port = ntohs(at.sin_port);
	snprintf(s->id, sizeof(s->id), "%ld-%ld", (long)getpid(), (long)time(NULL));
	s->daemon = mhd.MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
		on_request, s, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_SECONDS,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_END);
	if (!s->daemon) {
		diag_add(d, SEV_ERROR, NULL, 0, 0, "serve: cannot serve on 127.0.0.1:%d", s->port);
		close(fd);
		serve_free(s);
		return NULL;
	}
	return s;
}

int serve_port(const struct server *s)
{
	return s->port;
}

/* The file the document's lines come from: the first a line names (a
 * TOC entry's line is its heading's, and names none). */
static const char *doc_file(const struct doc *doc)
{
	for (int i = 0; i < doc->npages; i++)
		for (int k = 0; k < doc->pages[i].nboxes; k++)
			if (doc->pages[i].boxes[k].kind == BOX_LINE && doc->pages[i].boxes[k].at.file)
				return doc->pages[i].boxes[k].at.file;
	return NULL;
}

/* Page pg's set lines as JSON: each line's box (pt: left, top, width,
 * height), its line in file and its text. */
static void lines_json(const struct page *pg, const char *file, struct sbuf *sb)
{
	sbuf_str(sb, "{\"file\": ");
	json_str(sb, file, -1);
	sbuf_str(sb, ", \"lines\": [");
	int n = 0;
	for (int k = 0; k < pg->nboxes; k++) {
		const struct box *b = &pg->boxes[k];
		if (b->kind != BOX_LINE || b->at.line <= 0 || !b->line)
			continue;
		double ascent = (double)b->line->ascent / PANGO_SCALE;
		sbuf_printf(sb, "%s\n[%.2f, %.2f, %.2f, %.2f, %d, ", n++ ? "," : "", b->x,
			    b->y - ascent, b->w, b->h, b->at.line);
		json_str(sb, b->text + b->text_start, b->text_len);
		sbuf_str(sb, "]");
	}
	sbuf_str(sb, "]}\n");
}

int serve_show(struct server *s, const struct doc *doc, const struct pdf_opts *o, double ppi,
	       double svg_seconds, int *changed, struct diags *d)
{
	/* drawn outside the lock: only this thread writes pages, so the old
	 * ones may be read here without it */
	int n = doc->npages;
	struct shown_page *now = xcalloc((size_t)n + 1, sizeof(*now));
	int errors = d->errors, fresh = 0;
	/* absolute, for an editor started elsewhere */
	const char *file = doc_file(doc);
	char *real = file ? realpath(file, NULL) : NULL;
	if (real)
		file = real;
	for (int i = 0; i < n; i++) {
		now[i].digest = i < s->npages ? s->pages[i].digest : 0;
		int same = pdf_page_png(doc, i, ppi, o, &svg_seconds, &now[i].digest, &now[i].png, d);
		if (same < 0)
			break;
		if (same) {
			sbuf_done(&now[i].png);
			now[i].png = s->pages[i].png;	/* moved below, under the lock */
		} else {
			fresh++;
		}
		sbuf_init(&now[i].lines);
		lines_json(&doc->pages[i], file, &now[i].lines);
	}
	free(real);
	if (d->errors > errors) {
		for (int i = 0; i < n; i++) {
			if (i >= s->npages || now[i].png.s != s->pages[i].png.s)
				sbuf_done(&now[i].png);
			sbuf_done(&now[i].lines);
		}
		free(now);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->npages; i++) {
		if (i >= n || now[i].png.s != s->pages[i].png.s)
			sbuf_done(&s->pages[i].png);
		sbuf_done(&s->pages[i].lines);
	}
	free(s->pages);
	s->pages = now;
	s->npages = n;
	s->width = doc->width;
	s->height = doc->height;
	s->error.len = 0;
	s->generation++;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	*changed = fresh;
	return 0;
}

/* Line `line` (from 1) of file, at most SOURCE_LINE_MAX bytes; NULL if it
 * cannot be read. */
static char *source_line(const char *file, int line)
{
	struct diags quiet = {0};
	size_t len;
	char *text = file && line > 0 ? file_load(file, &len, &quiet) : NULL;
	diag_clear(&quiet);
	if (!text)
		return NULL;
	const char *p = text, *end = text + len;
	for (int k = 1; k < line && p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	char *out = NULL;
	if (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n > SOURCE_LINE_MAX) {	/* cut at a character's start */
			n = SOURCE_LINE_MAX;
			while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
				n--;
		}
		out = xstrndup(p, n);
	}
	free(text);
	return out;
}

void serve_fail(struct server *s, const struct diag *e)
{
	struct sbuf sb;
	sbuf_init(&sb);
	char *src = e ? source_line(e->file, e->line) : NULL;
	sbuf_str(&sb, "{\"file\": ");
	json_str(&sb, e ? e->file : NULL, -1);
	sbuf_printf(&sb, ", \"line\": %d, \"col\": %d, \"message\": ", e ? e->line : 0,
		    e ? e->col : 0);
	json_str(&sb, e ? e->msg : "the render failed", -1);
	sbuf_str(&sb, ", \"source\": ");
	json_str(&sb, src, -1);
	sbuf_str(&sb, "}");
	free(src);
	pthread_mutex_lock(&s->lock);
	sbuf_done(&s->error);
	s->error = sb;
	s->generation++;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

void serve_free(struct server *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	if (s->daemon)
		mhd.MHD_stop_daemon(s->daemon);
	for (int i = 0; i < s->npages; i++) {
		sbuf_done(&s->pages[i].png);
		sbuf_done(&s->pages[i].lines);
	}
	free(s->pages);
	sbuf_done(&s->error);
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->lock);
	free(s->html);
	free(s);
}
