/* batch.c: the issues of a batch (`render A B C --out-dir D -j N`) on N
 * processes.
 *
 * The batch's process has loaded the font set; the workers are forked from
 * it, so they share its pages (fonts, fontconfig's cache, the libraries)
 * and start at once.  Each takes the next issue from a counter in shared
 * memory (in the caller's order: the largest issues first, so that no
 * worker is left with a long one at the end), renders it as the batch alone would (its outputs committed
 * whole, by the worker) and sends its result back on a pipe of its own:
 * the issue, whether it failed, and its diagnostics as printed.  The batch
 * reports each result as it comes.  Processes, not threads: an SVG is
 * drawn in a forked child (paint.c, for its time limit), and a fork while
 * other threads are inside cairo or fontconfig could leave their locks
 * held in the child.
 *
 * A worker that dies (a signal, a crash) fails the issue it had taken,
 * with the reason; the others go on.  A signal to the batch reaches the
 * workers (out.c), which remove their temporary files before they die.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bulletin.h"

/* A result on the wire: the header, then label and diags (their lengths). */
struct wire {
	int kind;		/* 'S' started issue, 'R' its result */
	int issue;
	int rc, pages, warnings, errors, differ;
	double seconds;
	unsigned label_len, diags_len;
};

struct worker {
	pid_t pid;
	int fd;			/* its results; -1 when it has closed them */
	int issue;		/* the issue it took and has not reported; -1 */
	struct sbuf in;		/* bytes read, not yet a whole record */
};

static int send_record(int fd, const struct wire *w, const char *label, const char *diags)
{
	struct sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, (const char *)w, sizeof(*w));
	if (w->label_len)
		sbuf_add(&b, label, w->label_len);
	if (w->diags_len)
		sbuf_add(&b, diags, w->diags_len);
	int rc = out_write_all(fd, b.s, b.len);
	sbuf_done(&b);
	return rc;
}

static void __attribute__((noreturn)) work(int fd, atomic_int *next, int n, const int *order,
					   int cores_each, batch_fn fn, void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	out_signals();	/* this process's temporaries, removed if it is stopped */
	work_limit(cores_each);	/* the other workers have the other cores */
	for (;;) {
		int k = atomic_fetch_add(next, 1);
		if (k >= n)
			break;
		int i = order ? order[k] : k;
		struct wire w = {'S', i, 0, 0, 0, 0, 0, 0, 0, 0};
		if (send_record(fd, &w, NULL, NULL) < 0)
			break;
		struct batch_result r = {0};
		fn(arg, i, &r);
		w = (struct wire){'R', i, r.rc, r.pages, r.warnings, r.errors, r.differ, r.seconds,
				  r.label ? (unsigned)strlen(r.label) : 0,
				  r.diags ? (unsigned)strlen(r.diags) : 0};
		int sent = send_record(fd, &w, r.label, r.diags);
		free(r.label);
		free(r.diags);
		if (sent < 0)
			break;
	}
	close(fd);
	_exit(0);
}

/* The caller's report, each issue's noted. */
struct tally {
	batch_report report;
	void *arg;
	char *reported;
};

static void tallied(void *arg, int i, const struct batch_result *r)
{
	struct tally *t = arg;
	t->reported[i] = 1;
	t->report(t->arg, i, r);
}

/* Takes the whole records in wk->in: reports results.  -1 on a record
 * that makes no sense. */
static int take_records(struct worker *wk, batch_report report, void *arg, int n)
{
	size_t at = 0;
	int rc = 0;
	while (wk->in.len - at >= sizeof(struct wire)) {
		struct wire w;
		memcpy(&w, wk->in.s + at, sizeof(w));
		size_t whole = sizeof(w) + (size_t)w.label_len + w.diags_len;
		if (w.issue < 0 || w.issue >= n || w.label_len > 1u << 20 || w.diags_len > 1u << 26) {
			rc = -1;
			break;
		}
		if (wk->in.len - at < whole)
			break;
		if (w.kind == 'S') {
			wk->issue = w.issue;
		} else {
			const char *p = wk->in.s + at + sizeof(w);
			struct batch_result r = {w.rc, w.pages, w.warnings, w.errors, w.differ,
						 w.seconds, xstrndup(p, w.label_len),
						 xstrndup(p + w.label_len, w.diags_len)};
			report(arg, w.issue, &r);
			free(r.label);
			free(r.diags);
			wk->issue = -1;
		}
		at += whole;
	}
	memmove(wk->in.s, wk->in.s + at, wk->in.len - at);
	wk->in.len -= at;
	return rc;
}

int batch_run(int n, int jobs, const int *order, batch_fn fn, batch_report report, void *arg)
{
	if (jobs > n)
		jobs = n;
	if (jobs > BATCH_MAX_JOBS)
		jobs = BATCH_MAX_JOBS;
	if (jobs <= 1) {
		for (int i = 0; i < n; i++) {
			struct batch_result r = {0};
			fn(arg, i, &r);
			report(arg, i, &r);
			free(r.label);
			free(r.diags);
		}
		return 0;
	}
	atomic_int *next = mmap(NULL, sizeof(*next), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (next == MAP_FAILED)
		return batch_run(n, 1, NULL, fn, report, arg);
	atomic_init(next, 0);
	struct worker wk[BATCH_MAX_JOBS];
	int nw = 0;
	int cores_each = work_threads() / jobs;	/* of what work_limit left */
	if (cores_each < 1)
		cores_each = 1;
	fflush(stdout);
	fflush(stderr);
	for (int k = 0; k < jobs; k++) {
		int fds[2];
		if (pipe(fds) != 0)
			break;
		pid_t pid = out_fork(1);
		if (pid == 0) {
			for (int m = 0; m < nw; m++)
				close(wk[m].fd);
			close(fds[0]);
			work(fds[1], next, n, order, cores_each, fn, arg);
		}
		close(fds[1]);
		if (pid < 0) {
			close(fds[0]);
			break;
		}
		wk[nw] = (struct worker){pid, fds[0], -1, {0}};
		sbuf_init(&wk[nw].in);
		nw++;
	}
	char *reported = xcalloc((size_t)n, 1);
	struct tally t = {report, arg, reported};
	int open = nw;
	while (open > 0) {
		struct pollfd p[BATCH_MAX_JOBS];
		for (int k = 0; k < nw; k++)
			p[k] = (struct pollfd){wk[k].fd, POLLIN, 0};
		if (poll(p, (nfds_t)nw, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < nw; k++) {
			if (wk[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[65536];
			ssize_t got = read(wk[k].fd, buf, sizeof(buf));
			if (got < 0 && errno == EINTR)
				continue;
			if (got > 0) {
				sbuf_add(&wk[k].in, buf, (size_t)got);
				if (take_records(&wk[k], tallied, &t, n) == 0)
					continue;
			}
			close(wk[k].fd);
			wk[k].fd = -1;
			open--;
		}
	}
	int rc = 0;
	for (int k = 0; k < nw; k++) {
		int st = 0;
		while (waitpid(wk[k].pid, &st, 0) < 0 && errno == EINTR)
			;
		out_child(wk[k].pid, 0);
		if (wk[k].issue >= 0) {	/* it died with an issue in hand */
			struct batch_result r = {-1, 0, 0, 1, 0, 0, NULL, NULL};
			r.diags = WIFSIGNALED(st)
				? xasprintf("the render of this issue stopped: its process was killed by "
					    "signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)))
				: xasprintf("the render of this issue stopped: its process exited "
					    "with status %d\n", WEXITSTATUS(st));
			tallied(&t, wk[k].issue, &r);
			free(r.diags);
			rc = -1;
		}
		sbuf_done(&wk[k].in);
	}
	/* issues no worker reported (every worker gone early) */
	for (int i = 0; i < n; i++) {
		if (reported[i])
			continue;
		struct batch_result r = {-1, 0, 0, 1, 0, 0, NULL,
					 xstrdup("not rendered: the batch's processes stopped\n")};
		report(arg, i, &r);
		free(r.diags);
		rc = -1;
	}
	free(reported);
	munmap(next, sizeof(*next));
	return rc;
}
