/* init.c: a new month's issue started from the previous one (bulletin init):
 * its folder and issue.md, with the front matter's next number and the
 * month's last day, the previous issue's layout name and its sections as
 * empty headings.  Nothing that exists is replaced. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin.h"

int init_parse_month(const char *s, int *year, int *month)
{
	int y, m, n = 0;
	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 || s[4] != '-' ||
	    y < 1900 || y > 2999 || m < 1 || m > 12)
		return -1;
	*year = y;
	*month = m;
	return 0;
}

static int last_day(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return days[month - 1] + (month == 2 && leap);
}

/* The latest folder YYYY-MM of dir, before year-month, that holds an
 * issue.md: its issue.md, or NULL. */
static char *latest_before(const char *dir, int year, int month)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	int best = 0;
	char *found = NULL;
	struct dirent *e;
	while ((e = readdir(dp))) {
		int y, m;
		if (init_parse_month(e->d_name, &y, &m) < 0 || y * 100 + m >= year * 100 + month ||
		    y * 100 + m <= best)
			continue;
		char *path = xasprintf("%s/%s/issue.md", dir, e->d_name);
		if (access(path, R_OK) == 0) {
			free(found);
			found = path;
			best = y * 100 + m;
		} else {
			free(path);
		}
	}
	closedir(dp);
	return found;
}

/* The level-1 headings of an issue's text, as written, one a line: the
 * front matter and fenced code are skipped (a `#` there is no heading). */
static void section_headings(const char *text, struct sbuf *out, int *n)
{
	const char *p = text;
	int line = 0;
	char fence = 0;
	size_t fence_len = 0;
	int front = !strncmp(text, "---\n", 4) || !strncmp(text, "---\r\n", 5);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		line++;
		size_t ind = 0;
		while (ind < len && ind < 4 && p[ind] == ' ')
			ind++;
		const char *s = p + ind;
		size_t rest = len - ind;
		if (front) {
			if (line > 1 && (rest == 3 && (!strncmp(s, "---", 3) || !strncmp(s, "...", 3))))
				front = 0;
		} else if (ind < 4 && rest >= 3 && (s[0] == '`' || s[0] == '~')) {
			size_t k = 0;
			while (k < rest && s[k] == s[0])
				k++;
			if (k >= 3) {
				if (!fence) {
					fence = s[0];
					fence_len = k;
				} else if (s[0] == fence && k >= fence_len && k == rest) {
					fence = 0;
				}
			}
		} else if (!fence && ind < 4 && rest >= 1 && s[0] == '#' &&
			   (rest == 1 || s[1] == ' ' || s[1] == '\t')) {
			sbuf_add(out, s, rest);
			sbuf_str(out, "\n\n");
			(*n)++;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

int init_issue(const struct init_request *rq, struct init_result *res, struct diags *d)
{
	memset(res, 0, sizeof(*res));
	char *prev = NULL;
	if (rq->from) {
		int y, m;
		if (init_parse_month(rq->from, &y, &m) == 0)
			prev = xasprintf("%s/%s/issue.md", rq->dir, rq->from);
		else
			prev = xstrdup(rq->from);
	} else {
		prev = latest_before(rq->dir, rq->year, rq->month);
	}
	char *folder = xasprintf("%s/%04d-%02d", rq->dir, rq->year, rq->month);
	char *path = xasprintf("%s/issue.md", folder);
	struct issue *is = NULL;
	char *text = NULL;
	int rc = -1, made_dir = 0;
	struct stat st;
	if (lstat(folder, &st) == 0) {
		diag_add(d, SEV_ERROR, folder, 0, 0,
			 "already exists; init starts a new month and replaces nothing");
		goto done;
	}
	struct sbuf body;
	sbuf_init(&body);
	int number = 1;
	if (prev) {
		size_t len;
		is = issue_load(prev, NULL, d);
		text = is ? file_load(prev, &len, d) : NULL;
		if (!text) {
			sbuf_done(&body);
			goto done;
		}
		if (is->year * 100 + is->month >= rq->year * 100 + rq->month) {
			diag_add(d, SEV_ERROR, prev, 0, 0,
				 "the issue of %04d-%02d does not come before %04d-%02d", is->year,
				 is->month, rq->year, rq->month);
			sbuf_done(&body);
			goto done;
		}
		/* the number counts the issues of a year */
		number = is->year == rq->year ? is->number + 1 : 1;
		if (number > 999) {
			diag_add(d, SEV_ERROR, prev, 0, 0, "number %d is the last (999)", is->number);
			sbuf_done(&body);
			goto done;
		}
		section_headings(text, &body, &res->sections);
	}
	struct sbuf sb;
	sbuf_init(&sb);
	sbuf_printf(&sb, "---\nyear: %d\nmonth: %d\nnumber: %d\ndate: %04d-%02d-%02d\n", rq->year,
		    rq->month, number, rq->year, rq->month, last_day(rq->year, rq->month));
	/* a layout by name carries over; a file is the old issue's folder's */
	if (is && is->layout && !strchr(is->layout, '/') && !strstr(is->layout, ".y"))
		sbuf_printf(&sb, "layout: %s\n", is->layout);
	sbuf_str(&sb, "---\n");
	if (body.len > 0)	/* each heading after a blank line, none at the end */
		sbuf_printf(&sb, "\n%.*s", (int)body.len - 1, body.s);
	sbuf_done(&body);
	if (mkdir(rq->dir, 0777) != 0 && errno != EEXIST) {
		diag_add(d, SEV_ERROR, rq->dir, 0, 0, "cannot make the folder: %s", strerror(errno));
		sbuf_done(&sb);
		goto done;
	}
	if (mkdir(folder, 0777) != 0) {
		diag_add(d, SEV_ERROR, folder, 0, 0, "cannot make the folder: %s", strerror(errno));
		sbuf_done(&sb);
		goto done;
	}
	made_dir = 1;
	struct outset *set = out_new();
	rc = out_stage(set, path, sb.s, sb.len, d);
	if (rc == 0)
		rc = out_commit(set, d);
	out_free(set);
	sbuf_done(&sb);
	if (rc == 0) {
		res->path = path;
		res->from = prev;
		res->number = number;
		path = prev = NULL;
	}
done:
	if (rc != 0 && made_dir)
		rmdir(folder);
	if (is)
		issue_free(is);
	free(text);
	free(prev);
	free(path);
	free(folder);
	return rc < 0 ? -1 : 0;
}

void init_result_done(struct init_result *res)
{
	free(res->path);
	free(res->from);
	memset(res, 0, sizeof(*res));
}
