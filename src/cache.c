/* cache.c: a content-addressed cache of files made from inputs that do
 * not change (font subsets), kept across processes in the user's cache
 * folder: $BULLETIN_CACHE_DIR, else $XDG_CACHE_HOME/bulletin, else
 * ~/.cache/bulletin ("off" turns it off).  An entry's name is a hash of its
 * key; the file holds the whole key, checked on every read, so a hash
 * collision or a damaged file is a miss, never a wrong answer.  Writers
 * write a temporary and rename it (safe with concurrent processes); every
 * failure is a miss and says nothing.  The folder is kept under
 * CACHE_MAX_BYTES by removing the entries used longest ago.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin.h"

#define CACHE_MAGIC "bulletin-cache-1\n"
#define CACHE_MAX_BYTES (64L * 1024 * 1024)

static char *dir_of(const char *ns)
{
	const char *env = getenv("BULLETIN_CACHE_DIR");
	if (env && !strcmp(env, "off"))
		return NULL;
	char *base;
	if (env && *env)
		base = xstrdup(env);
	else if (getenv("XDG_CACHE_HOME") && *getenv("XDG_CACHE_HOME") == '/')
		base = xasprintf("%s/bulletin", getenv("XDG_CACHE_HOME"));
	else if (getenv("HOME") && *getenv("HOME") == '/')
		base = xasprintf("%s/.cache/bulletin", getenv("HOME"));
	else
		return NULL;
	char *dir = xasprintf("%s/%s", base, ns);
	free(base);
	return dir;
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static char *entry_path(const char *dir, const void *key, size_t klen)
{
	return xasprintf("%s/%016llx", dir, (unsigned long long)fnv(key, klen));
}

int cache_get(const char *ns, const void *key, size_t klen, struct sbuf *out)
{
	char *dir = dir_of(ns);
	if (!dir)
		return -1;
	char *path = entry_path(dir, key, klen);
	free(dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	int rc = -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1L << 30)) {
		size_t n = (size_t)st.st_size, got = 0;
		char *buf = xmalloc(n + 1);
		while (got < n) {
			ssize_t r = read(fd, buf + got, n - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		size_t head = strlen(CACHE_MAGIC) + sizeof(uint64_t);
		uint64_t stored = 0;
		if (got == n && n >= head)
			memcpy(&stored, buf + strlen(CACHE_MAGIC), sizeof(stored));
		if (got == n && n >= head && !memcmp(buf, CACHE_MAGIC, strlen(CACHE_MAGIC)) &&
		    stored == klen && n - head >= klen && !memcmp(buf + head, key, klen)) {
			sbuf_init(out);
			sbuf_add(out, buf + head + klen, n - head - klen);
			rc = 0;
			futimens(fd, NULL);	/* used now: kept longest */
		}
		free(buf);
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static int mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0700);
			*s = '/';
		}
	int rc = mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
	free(p);
	return rc;
}

struct entry {
	char *path;
	long size;
	long long used;
};

static int cmp_used(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (x->used > y->used) - (x->used < y->used);
}

/* Removes the entries used longest ago until dir holds at most max bytes. */
static void prune(const char *dir, long max)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct entry *v = NULL;
	int n = 0;
	long total = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			v = xrealloc(v, (size_t)(n + 1) * sizeof(*v));
			v[n++] = (struct entry){path, (long)st.st_size,
						(long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
			total += (long)st.st_size;
		} else {
			free(path);
		}
	}
	closedir(d);
	if (total > max && n > 0) {
		qsort(v, (size_t)n, sizeof(*v), cmp_used);
		for (int i = 0; i < n && total > max; i++)
			if (unlink(v[i].path) == 0)
				total -= v[i].size;
	}
	for (int i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void cache_put(const char *ns, const void *key, size_t klen, const void *data, size_t len)
{
	char *dir = dir_of(ns);
	if (!dir)
		return;
	if (mkdirs(dir) < 0) {
		free(dir);
		return;
	}
	char *path = entry_path(dir, key, klen);
	char *tmp = xasprintf("%s/.tmp-XXXXXX", dir);
	int slot = -1, fd = out_temp(tmp, &slot);
	if (fd >= 0) {
		uint64_t k = klen;
		int ok = out_write_all(fd, CACHE_MAGIC, strlen(CACHE_MAGIC)) == 0 &&
			 out_write_all(fd, (const char *)&k, sizeof(k)) == 0 &&
			 out_write_all(fd, key, klen) == 0 && out_write_all(fd, data, len) == 0;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, path) != 0) {
			out_temp_remove(tmp, slot);
			ok = 0;
		} else {
			out_temp_keep(slot);
		}
		if (ok)
			prune(dir, CACHE_MAX_BYTES);
	}
	free(tmp);
	free(path);
	free(dir);
}
