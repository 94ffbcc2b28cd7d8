/* work.c: independent tasks run on the machine's cores.
 *
 * A render has pieces of work that do not depend on each other: the faces
 * to cut, the PDF streams to compress, the issues of a batch.  work_run
 * hands tasks 0..n-1 to up to `threads` threads (the caller's among them),
 * each task taking the next index; it returns when all are done.  A task
 * writes only its own result, so what comes out does not depend on how
 * many threads ran or in which order the tasks finished: the bytes of a
 * render are the same with one thread and with eight.
 *
 * How many threads: work_threads(), which is $BULLETIN_THREADS when set
 * (1 runs everything on the caller's thread, for comparison), else the
 * cores this process may use, at most WORK_MAX_THREADS — and at most
 * work_limit's (a batch's worker takes its share of the cores: the other
 * workers have the rest).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "bulletin.h"

struct work {
	void (*fn)(void *arg, int i);
	void *arg;
	int n;
	atomic_int next;
};

static void *worker(void *p)
{
	struct work *w = p;
	for (;;) {
		int i = atomic_fetch_add(&w->next, 1);
		if (i >= w->n)
			break;
		w->fn(w->arg, i);
	}
	return NULL;
}

static int limit;	/* work_limit: at most this many (0: none) */

void work_limit(int n)
{
	limit = n;
}

int work_threads(void)
{
	int n = work_threads_wanted();
	return limit > 0 && n > limit ? limit : n;
}

static int wanted;	/* work_threads_wanted's answer, once found */

int work_threads_wanted(void)
{
	if (wanted)
		return wanted;
	const char *env = getenv("BULLETIN_THREADS");
	if (env && *env) {
		char *end;
		long n = strtol(env, &end, 10);
		if (*end == '\0' && n >= 1)
			return wanted = n > WORK_MAX_THREADS ? WORK_MAX_THREADS : (int)n;
	}
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
	return wanted = n < 1 ? 1 : n > WORK_MAX_THREADS ? WORK_MAX_THREADS : n;
}

/* Tasks under way on threads of their own while the caller goes on. */
struct work_async {
	struct work w;
	pthread_t t[WORK_MAX_THREADS];
	int started;
};

struct work_async *work_start(int n, int threads, void (*fn)(void *arg, int i), void *arg)
{
	struct work_async *a = xcalloc(1, sizeof(*a));
	a->w = (struct work){fn, arg, n, 0};
	if (threads > n)
		threads = n;
	if (threads > WORK_MAX_THREADS)
		threads = WORK_MAX_THREADS;
	for (int k = 0; k < threads; k++)
		if (pthread_create(&a->t[a->started], NULL, worker, &a->w) == 0)
			a->started++;	/* a thread that cannot start: the others do its share */
	return a;
}

void work_wait(struct work_async *a)
{
	if (!a)
		return;
	worker(&a->w);	/* the tasks not taken yet, on the caller's thread */
	for (int k = 0; k < a->started; k++)
		pthread_join(a->t[k], NULL);
	free(a);
}

void work_run(int n, int threads, void (*fn)(void *arg, int i), void *arg)
{
	work_wait(work_start(n, threads - 1, fn, arg));
}

/* work_later's tasks under way, each on a thread of its own. */
static struct later {
	void (*fn)(void *arg);
	void *arg;
	pthread_t t;
	int running;
} later[4];
static pthread_mutex_t later_lock = PTHREAD_MUTEX_INITIALIZER;

static void *later_run(void *p)
{
	struct later *l = p;
	l->fn(l->arg);
	return NULL;
}

void work_later(void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&later_lock);
	struct later *l = NULL;
	for (int i = 0; i < 4 && !l; i++)
		if (!later[i].running)
			l = &later[i];
	if (!l) {	/* all four busy: the oldest is done first */
		pthread_join(later[0].t, NULL);
		later[0].running = 0;
		l = &later[0];
	}
	*l = (struct later){fn, arg, 0, 0};
	if (work_threads() > 1 && pthread_create(&l->t, NULL, later_run, l) == 0)
		l->running = 1;
	pthread_mutex_unlock(&later_lock);
	if (!l->running)
		fn(arg);	/* one thread wanted, or none to be had */
}

void work_later_wait(void)
{
	pthread_mutex_lock(&later_lock);
	for (int i = 0; i < 4; i++) {
		if (later[i].running)
			pthread_join(later[i].t, NULL);
		later[i].running = 0;
	}
	pthread_mutex_unlock(&later_lock);
}
