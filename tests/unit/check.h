/* check.h: the unit tests' harness.  Each test program includes it once,
 * calls CHECK/CHECK_STR in test functions run through RUN(), and returns
 * check_report() from main; it prints "N passed, N failed" for tests/run. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_case_failed;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
			check_case_failed = 1;                                   \
		}                                                                \
	} while (0)

#define CHECK_STR(got, want)                                                     \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		if (!g_ || strcmp(g_, w_) != 0) {                                \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",      \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_);     \
			check_case_failed = 1;                                   \
		}                                                                \
	} while (0)

#define CHECK_INT(got, want)                                                     \
	do {                                                                     \
		long g_ = (long)(got), w_ = (long)(want);                        \
		if (g_ != w_) {                                                  \
			fprintf(stderr, "%s:%d: %s is %ld, want %ld\n", __FILE__,\
				__LINE__, #got, g_, w_);                         \
			check_case_failed = 1;                                   \
		}                                                                \
	} while (0)

#define RUN(fn)                                                                  \
	do {                                                                     \
		check_case_failed = 0;                                           \
		fn();                                                            \
		if (check_case_failed) {                                         \
			check_failed++;                                          \
			fprintf(stderr, "FAIL %s\n", #fn);                       \
		} else {                                                         \
			check_passed++;                                          \
		}                                                                \
	} while (0)

static inline int check_report(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}
#endif
