/* tmpl.c: text templates ("{title} · {year}年第{number:02}期", "{1}.{2}、").
 *
 * A placeholder is {NAME} or {NAME:FORMAT}.  FORMAT is a zero-padded width
 * ("02") or "cn" for a Chinese numeral (一, 十一, 二十).  "{{" and "}}" stand
 * for literal braces.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"

static const char *cn_digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

void number_cn(int n, char *buf, size_t size)
{
	struct sbuf sb;
	sbuf_init(&sb);
	if (n <= 0 || n > 9999) {
		sbuf_printf(&sb, "%d", n);
	} else {
		static const char *unit[] = {"千", "百", "十", ""};
		static const int div[] = {1000, 100, 10, 1};
		int started = 0, zero = 0;
		for (int i = 0; i < 4; i++) {
			int dgt = (n / div[i]) % 10;
			if (dgt == 0) {
				zero = started;
				continue;
			}
			if (zero)
				sbuf_str(&sb, cn_digit[0]);
			zero = 0;
			/* 十一, not 一十一, when the number starts with its tens */
			if (!(i == 2 && dgt == 1 && !started))
				sbuf_str(&sb, cn_digit[dgt]);
			sbuf_str(&sb, unit[i]);
			started = 1;
		}
	}
	snprintf(buf, size, "%s", sb.s);
	sbuf_done(&sb);
}

static const struct tvar *tvar_find(const struct tvar *vars, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(vars[i].name) == len && !strncmp(vars[i].name, name, len))
			return &vars[i];
	return NULL;
}

/* Parses the placeholder starting at p ('{'): name and format ranges, and
 * the position after '}'.  Returns 0 when it is not closed. */
static int tmpl_field(const char *p, const char **name, size_t *nlen, const char **fmt,
		      size_t *flen, const char **next)
{
	const char *end = strchr(p, '}');
	if (!end)
		return 0;
	const char *colon = memchr(p, ':', (size_t)(end - p));
	*name = p + 1;
	*nlen = (size_t)((colon ? colon : end) - *name);
	*fmt = colon ? colon + 1 : end;
	*flen = (size_t)(end - *fmt);
	*next = end + 1;
	return 1;
}

static int format_ok(const char *fmt, size_t flen)
{
	if (flen == 0 || (flen == 2 && !strncmp(fmt, "cn", 2)))
		return 1;
	for (size_t i = 0; i < flen; i++)
		if (fmt[i] < '0' || fmt[i] > '9')
			return 0;
	return flen <= 2;
}

int tmpl_check(const char *tmpl, const struct tvar *vars, int n, char **why)
{
	for (const char *p = tmpl; *p;) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p += 2;
			continue;
		}
		if (*p != '{') {
			p++;
			continue;
		}
		const char *name, *fmt, *next;
		size_t nlen, flen;
		if (!tmpl_field(p, &name, &nlen, &fmt, &flen, &next)) {
			*why = xstrdup("'{' is not closed by '}' (write {{ for a brace)");
			return -1;
		}
		if (!tvar_find(vars, n, name, nlen)) {
			struct sbuf sb;
			sbuf_init(&sb);
			char *key = xstrndup(name, nlen);
			const char **cand = xcalloc((size_t)n + 1, sizeof(*cand));
			for (int i = 0; i < n; i++)
				cand[i] = vars[i].name;
			const char *near = name_nearest(key, cand, n);
			sbuf_printf(&sb, "unknown placeholder {%.*s}", (int)nlen, name);
			if (near)
				sbuf_printf(&sb, " (did you mean {%s}?)", near);
			sbuf_str(&sb, "; known:");
			for (int i = 0; i < n; i++)
				sbuf_printf(&sb, " {%s}", vars[i].name);
			free(cand);
			free(key);
			*why = sbuf_take(&sb);
			return -1;
		}
		if (!format_ok(fmt, flen)) {
			*why = xasprintf("unknown format ':%.*s' in {%.*s}; use :cn or a width like :02",
					 (int)flen, fmt, (int)nlen, name);
			return -1;
		}
		p = next;
	}
	return 0;
}

char *tmpl_expand(const char *tmpl, const struct tvar *vars, int n)
{
	struct sbuf sb;
	sbuf_init(&sb);
	for (const char *p = tmpl; *p;) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			sbuf_add(&sb, p, 1);
			p += 2;
			continue;
		}
		const char *name, *fmt, *next;
		size_t nlen, flen;
		if (*p != '{' || !tmpl_field(p, &name, &nlen, &fmt, &flen, &next)) {
			sbuf_add(&sb, p, 1);
			p++;
			continue;
		}
		const struct tvar *v = tvar_find(vars, n, name, nlen);
		if (!v) {
			sbuf_add(&sb, p, (size_t)(next - p));	/* unknown: kept as written */
		} else if (v->str) {
			sbuf_str(&sb, v->str);
		} else if (flen == 2 && !strncmp(fmt, "cn", 2)) {
			char cn[64];
			number_cn(v->num, cn, sizeof(cn));
			sbuf_str(&sb, cn);
		} else {
			int width = flen ? atoi(fmt) : 0;
			sbuf_printf(&sb, "%0*d", width, v->num);
		}
		p = next;
	}
	return sbuf_take(&sb);
}

char *number_format(const char *tmpl, const int *counters, int ncounters)
{
	static const char *names[] = {"1", "2", "3", "4", "5", "6"};
	struct tvar vars[6];
	int n = ncounters < 6 ? ncounters : 6;
	for (int i = 0; i < n; i++)
		vars[i] = (struct tvar){names[i], NULL, counters[i]};
	return tmpl_expand(tmpl, vars, n);
}

int tmpl_issue_vars(struct tvar *out, int year, int month, int number, const char *date)
{
	out[0] = (struct tvar){"year", NULL, year};
	out[1] = (struct tvar){"month", NULL, month};
	out[2] = (struct tvar){"number", NULL, number};
	out[3] = (struct tvar){"date", date ? date : "", 0};
	return TMPL_ISSUE_VARS;
}

int tmpl_volume_vars(struct tvar *out, int first, int last, int last_year, int last_month,
		     int issues)
{
	out[0] = (struct tvar){"first", NULL, first};
	out[1] = (struct tvar){"last", NULL, last};
	out[2] = (struct tvar){"last_year", NULL, last_year};
	out[3] = (struct tvar){"last_month", NULL, last_month};
	out[4] = (struct tvar){"issues", NULL, issues};
	return TMPL_VOLUME_VARS;
}
