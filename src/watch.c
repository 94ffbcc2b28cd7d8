/* watch.c: wait until one of a set of files is saved (inotify).
 *
 * Editors save atomically (write a temporary file, rename it over the
 * original), which replaces the inode: so the directories are watched, not
 * the files, and an event counts when its name is one of the files'.  A
 * save that is complete (the rename over the file, or a close after
 * writing) is taken at once, with what follows it within WATCH_SETTLE_MS
 * (an editor's chmod after its rename); a save still in flight (a file
 * created or removed, not yet closed) is gathered for WATCH_QUIET_MS of
 * quiet.  Events that come while the caller renders stay queued, so a save
 * during a render is not lost.
 */
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "bulletin.h"

enum { WATCH_QUIET_MS = 100, WATCH_SETTLE_MS = 2 };

struct watched {
	char *path, *base;
	int wd;
};

struct watcher {
	int fd;
	struct watched *v;
	int n;
};

static int watch_one(struct watcher *w, const char *path, struct diags *d);

struct watcher *watch_new(struct diags *d)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		diag_add(d, SEV_ERROR, NULL, 0, 0, "cannot watch files: %s", strerror(errno));
		return NULL;
	}
	struct watcher *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	return w;
}

void watch_free(struct watcher *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->n; i++) {
		free(w->v[i].path);
		free(w->v[i].base);
	}
	free(w->v);
	close(w->fd);
	free(w);
}

/* Watches path; a symbolic link's target too (layouts/default.yaml names
 * the house design). */
int watch_add(struct watcher *w, const char *path, struct diags *d)
{
	char *real = realpath(path, NULL);
	int rc = watch_one(w, path, d);
	if (real && strcmp(real, path) && rc == 0)
		rc = watch_one(w, real, d);
	free(real);
	return rc;
}

static int watch_one(struct watcher *w, const char *path, struct diags *d)
{
	for (int i = 0; i < w->n; i++)
		if (!strcmp(w->v[i].path, path))
			return 0;
	char *a = xstrdup(path), *b = xstrdup(path);
	int wd = inotify_add_watch(w->fd, dirname(a),
				   IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB);
	if (wd < 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot watch its folder: %s", strerror(errno));
		free(a);
		free(b);
		return -1;
	}
	w->v = xrealloc(w->v, (size_t)(w->n + 1) * sizeof(*w->v));
	w->v[w->n++] = (struct watched){xstrdup(path), xstrdup(basename(b)), wd};
	free(a);
	free(b);
	return 0;
}

/* Reads the events waiting; returns 0 if none named a watched file, else
 * 1 if the last that did completed a save (IN_MOVED_TO, IN_CLOSE_WRITE), 2
 * if it left one in flight; -1 on error. */
static int drain(struct watcher *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		if (len < 0)
			return errno == EAGAIN ? hit : -1;
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			for (int i = 0; ev->len && i < w->n; i++)
				if (w->v[i].wd == ev->wd && !strcmp(w->v[i].base, ev->name))
					hit = ev->mask & (IN_MOVED_TO | IN_CLOSE_WRITE) ? 1
					      : ev->mask & IN_ATTRIB && hit == 1 ? 1
										 : 2;
			p += sizeof(*ev) + ev->len;
		}
	}
}

int watch_wait(struct watcher *w, struct diags *d)
{
	struct pollfd p = {w->fd, POLLIN, 0};
	int changed = 0;	/* 0 nothing yet, 1 a complete save, 2 one in flight */
	for (;;) {
		/* block until a matching event; then a moment for what follows a
		 * complete save, or quiet for one in flight */
		int r = poll(&p, 1, changed == 1 ? WATCH_SETTLE_MS : changed ? WATCH_QUIET_MS : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_add(d, SEV_ERROR, NULL, 0, 0, "watch: %s", strerror(errno));
			return -1;
		}
		if (r == 0)
			return 0;
		int hit = drain(w);
		if (hit < 0) {
			diag_add(d, SEV_ERROR, NULL, 0, 0, "watch: %s", strerror(errno));
			return -1;
		}
		if (hit)
			changed = hit;
	}
}
