/* out.c: outputs written whole or not at all, and what an interrupt leaves.
 *
 * A render's outputs (PDF or PNG pages, dump, dependencies) are staged
 * first: each file's bytes go to a temporary beside its target, checked at
 * every write, flushed to the disk (fsync) and closed.  Only when every
 * output is staged are they renamed over their targets, so a full disk, a
 * failed write or an error in a later output leaves every earlier file as
 * it was.  A target that is a symbolic link has its target replaced (the
 * link stays); a character device or FIFO (/dev/null, a pipe, "-" for
 * standard output) is written directly, at commit.
 *
 * Temporaries and child processes are registered while they exist; on
 * SIGINT, SIGTERM or SIGHUP the handler removes the temporaries, ends the
 * children and re-raises the signal (exit status 128 + signal).  The
 * registry is fixed-size and written with the signals blocked, so the
 * handler sees it whole and needs only async-signal-safe calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pthread.h>

#include "bulletin.h"

enum { OUT_MAX_TEMPS = 64, OUT_MAX_CHILDREN = 32 };

static char temp_names[OUT_MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[OUT_MAX_TEMPS];	/* 1: slot i names a temporary */
static volatile pid_t children[OUT_MAX_CHILDREN];
static volatile pid_t owner;	/* the process whose temporaries these are */
/* Threads (a batch's renders, cache writes) claim slots one at a time;
 * the signal handler only reads them. */
static pthread_mutex_t temps_lock = PTHREAD_MUTEX_INITIALIZER;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

static void on_signal(int sig)
{
	if (getpid() == owner) {
		for (int i = 0; i < OUT_MAX_CHILDREN; i++)
			if (children[i] > 0) {
				/* a batch's workers remove their own temporaries */
				kill(children[i], SIGTERM);
				waitpid(children[i], NULL, 0);
			}
		for (int i = 0; i < OUT_MAX_TEMPS; i++)
			if (temp_used[i])
				unlink(temp_names[i]);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void out_signals(void)
{
	owner = getpid();
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
}

void out_signals_default(void)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		signal(caught[i], SIG_DFL);
}

/* Unregisters slot i; signals must be blocked. */
static void temp_forget(int i)
{
	if (i >= 0 && i < OUT_MAX_TEMPS) {
		pthread_mutex_lock(&temps_lock);
		temp_used[i] = 0;
		pthread_mutex_unlock(&temps_lock);
	}
}

/* A free registry slot for name, made by make (mkostemp) with
 * the signals blocked, so that a signal sees the registration whole.
 * Returns make's result (-1: failed, errno set); *slot the slot or -1. */
static int temp_register(char *name, int (*make)(char *), int *slot)
{
	sigset_t old;
	block(&old);
	pthread_mutex_lock(&temps_lock);
	int i, rc = -1;
	for (i = 0; i < OUT_MAX_TEMPS && temp_used[i]; i++)
		;
	if (i < OUT_MAX_TEMPS && strlen(name) < PATH_MAX) {
		rc = make(name);
		if (rc >= 0) {
			strcpy(temp_names[i], name);
			temp_used[i] = 1;
		}
	} else {
		errno = EMFILE;
	}
	*slot = rc >= 0 ? i : -1;
	pthread_mutex_unlock(&temps_lock);
	unblock(&old);
	return rc;
}

static int make_file(char *name)
{
	return mkostemp(name, O_CLOEXEC);
}

int out_temp(char *templ, int *slot)
{
	return temp_register(templ, make_file, slot);
}

void out_temp_remove(const char *path, int slot)
{
	sigset_t old;
	block(&old);
	unlink(path);
	temp_forget(slot);
	unblock(&old);
}

void out_temp_keep(int slot)
{
	sigset_t old;
	block(&old);
	temp_forget(slot);
	unblock(&old);
}

pid_t out_fork(int handlers)
{
	work_later_wait();	/* no thread of ours is midway through anything */
	sigset_t all, old;	/* registered before a signal can miss it */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t pid = fork();
	if (pid == 0 && !handlers)
		out_signals_default();
	if (pid > 0)
		out_child(pid, 1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

void out_child(pid_t pid, int add)
{
	sigset_t old;
	block(&old);
	for (int i = 0; i < OUT_MAX_CHILDREN; i++) {
		if (add && children[i] <= 0) {
			children[i] = pid;
			break;
		}
		if (!add && children[i] == pid) {
			children[i] = 0;
			break;
		}
	}
	unblock(&old);
}

int out_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One staged output. */
struct staged {
	char *path;		/* as given, for messages */
	char *target;		/* what is replaced: path, or a link's target */
	char *temp;		/* the temporary beside target; NULL: written at commit */
	int slot;		/* temp's registry slot */
	char *data;		/* direct outputs: the bytes to write at commit */
	size_t len;
	int fd;			/* direct outputs: standard output's 1, else -1 */
};

struct outset {
	struct staged *v;
	int n;
};

struct outset *out_new(void)
{
	return xcalloc(1, sizeof(struct outset));
}

/* The file a write to path replaces: path, or (a symbolic link) the file it
 * points to.  Sets *direct for a character device or FIFO.  NULL with an
 * error if it cannot be written. */
static char *out_target(const char *path, int *direct, struct diags *d)
{
	struct stat st;
	*direct = 0;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return xstrdup(path);
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		return NULL;
	}
	char *target = xstrdup(path);
	if (S_ISLNK(st.st_mode)) {
		free(target);
		target = realpath(path, NULL);
		if (!target || stat(target, &st) != 0) {
			diag_add(d, SEV_ERROR, path, 0, 0,
				 "cannot write: it is a symbolic link to a file that does not exist");
			free(target);
			return NULL;
		}
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
		*direct = 1;
	} else if (S_ISDIR(st.st_mode)) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: it is a folder");
		free(target);
		return NULL;
	} else if (!S_ISREG(st.st_mode)) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: not a regular file");
		free(target);
		return NULL;
	}
	return target;
}

static const struct staged *find_target(const struct outset *o, const char *target)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].target, target))
			return &o->v[i];
	return NULL;
}

/* The mode the new file gets: an existing file's own, else 0666 less the
 * umask, as a plain open(2) would make it. */
static mode_t new_mode(const char *target)
{
	struct stat st;
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int out_stage(struct outset *o, const char *path, const void *data, size_t len,
	      struct diags *d)
{
	int direct = !strcmp(path, "-");
	char *target = direct ? xstrdup("-") : out_target(path, &direct, d);
	if (!target)
		return -1;
	const struct staged *dup = find_target(o, target);
	if (dup) {
		diag_add(d, SEV_ERROR, path, 0, 0, "two outputs name the same file (%s and %s)",
			 dup->path, path);
		free(target);
		return -1;
	}
	o->v = xrealloc(o->v, (size_t)(o->n + 1) * sizeof(*o->v));
	struct staged *s = &o->v[o->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	s->target = target;
	s->slot = -1;
	s->fd = -1;
	if (direct) {
		s->fd = !strcmp(path, "-") ? 1 : -1;
		s->data = xmalloc(len ? len : 1);
		memcpy(s->data, data, len);
		s->len = len;
		return 0;
	}
	s->temp = xasprintf("%s.XXXXXX", target);
	int fd = out_temp(s->temp, &s->slot);
	if (fd < 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		free(s->temp);
		s->temp = NULL;
		return -1;
	}
	int rc = fchmod(fd, new_mode(target));
	if (rc == 0)
		rc = out_write_all(fd, data, len);
	if (rc == 0)
		rc = fsync(fd);
	int err = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		diag_add(d, SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
		out_temp_remove(s->temp, s->slot);
		free(s->temp);
		s->temp = NULL;
		s->slot = -1;
		return -1;
	}
	return 0;
}

/* Flushes the folder of path, so that a rename survives a crash. */
static void sync_dir(const char *path)
{
	char *dir = path_dir(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int out_commit(struct outset *o, struct diags *d)
{
	int rc = 0;
	/* devices and pipes first: a failure there still leaves every file as it was */
	for (int i = 0; i < o->n && rc == 0; i++) {
		struct staged *s = &o->v[i];
		if (s->temp)
			continue;
		int fd = s->fd >= 0 ? s->fd : open(s->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || out_write_all(fd, s->data, s->len) != 0) {
			diag_add(d, SEV_ERROR, s->path, 0, 0, "cannot write: %s", strerror(errno));
			rc = -1;
		}
		if (fd >= 0 && fd != s->fd)
			close(fd);
	}
	for (int i = 0; i < o->n && rc == 0; i++) {
		struct staged *s = &o->v[i];
		if (!s->temp)
			continue;
		sigset_t old;
		block(&old);
		if (rename(s->temp, s->target) != 0) {
			int err = errno;
			unblock(&old);
			diag_add(d, SEV_ERROR, s->path, 0, 0, "cannot write: %s", strerror(err));
			rc = -1;
			break;
		}
		temp_forget(s->slot);
		unblock(&old);
		free(s->temp);
		s->temp = NULL;
		sync_dir(s->target);
	}
	return rc;
}

void out_free(struct outset *o)
{
	if (!o)
		return;
	for (int i = 0; i < o->n; i++) {
		struct staged *s = &o->v[i];
		if (s->temp)
			out_temp_remove(s->temp, s->slot);
		free(s->temp);
		free(s->path);
		free(s->target);
		free(s->data);
	}
	free(o->v);
	free(o);
}
