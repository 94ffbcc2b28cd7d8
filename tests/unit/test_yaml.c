/* test_yaml.c: yaml.c's schema reader: every type, unit, error and its
 * position, merging, marks and required keys. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

/* ---- helpers ---- */


#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* ---- the schema under test ---- */

enum shape { SHAPE_ROUND = 1, SHAPE_SQUARE = 2, SHAPE_CENTER = 3 };

struct inner {
	double top, left;
};

struct rec {
	double num;
	int count;
	int flag;
	char *title;
	double dim;
	struct len len;
	struct color color;
	int shape;
	struct inner margin;
	struct yml_strmap texts;
	double width;
	int month;
	double ratio;
};

static const struct yml_enum shape_names[] = {
	{"round", SHAPE_ROUND}, {"square", SHAPE_SQUARE}, {"center", SHAPE_CENTER}, {NULL, 0},
};

#define IF(k, t, m, ...) {.key = k, .type = t, .offset = offsetof(struct inner, m), __VA_ARGS__}
static const struct yml_field inner_fields[] = {
	IF("top", YML_DIM, top, .flags = YML_REQUIRED),
	IF("left", YML_DIM, left, .flags = YML_MIN, .min = 0),
	{0},
};
static const struct yml_schema inner_schema = {"margin", inner_fields};

#define RF(k, t, m, ...) {.key = k, .type = t, .offset = offsetof(struct rec, m), __VA_ARGS__}
static const struct yml_field page_fields[] = {
	RF("width", YML_DIM, width, .flags = YML_REQUIRED | YML_POSITIVE),
	RF("margin", YML_MAP, margin, .sub = &inner_schema),
	{0},
};
static const struct yml_schema page_schema = {"page", page_fields};

static const struct yml_field rec_fields[] = {
	RF("num", YML_NUMBER, num),
	RF("count", YML_INT, count),
	RF("flag", YML_BOOL, flag),
	RF("title", YML_STRING, title),
	RF("dim", YML_DIM, dim),
	RF("len", YML_LEN, len),
	RF("color", YML_COLOR, color),
	RF("shape", YML_ENUM, shape, .names = shape_names),
	{.key = "page", .type = YML_MAP, .offset = 0, .sub = &page_schema},
	RF("texts", YML_STRMAP, texts),
	RF("month", YML_INT, month, .flags = YML_REQUIRED | YML_MIN | YML_MAX, .min = 1, .max = 12),
	RF("ratio", YML_NUMBER, ratio, .flags = YML_MIN | YML_MAX, .min = 0.5, .max = 5),
	{.key = "extends", .type = YML_OTHER},
	{0},
};
static const struct yml_schema rec_schema = {"record", rec_fields};

/* Parses text (first line at first_line) and reads it into r. */
static int read_text(const char *text, int first_line, struct rec *r, struct yml_marks *m,
		     struct diags *d)
{
	struct yml_doc *doc = yml_doc_parse("t.yaml", text, strlen(text), first_line, d);
	if (!doc)
		return -2;
	int rc = yml_doc_read(doc, &rec_schema, r, m, NULL, d);
	yml_doc_free(doc);
	return rc;
}

/* ---- values ---- */

static void test_all_types(void)
{
	struct rec r = {0};
	struct diags d = {0};
	struct yml_marks m = {0};
	const char *y = "num: -2.5e1\n"
			"count: 42\n"
			"flag: true\n"
			"title: 数字政府动态\n"
			"dim: 3mm\n"
			"len: 2em\n"
			"color: \"#0b5aa2\"\n"
			"shape: square\n"
			"page: {width: 210mm, margin: {top: 1in, left: 0}}\n"
			"texts: {cover: 封面, slogan: \"a: b\"}\n"
			"month: 12\n"
			"ratio: 1.8\n";
	CHECK_INT(read_text(y, 1, &r, &m, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK(NEAR(r.num, -25));
	CHECK_INT(r.count, 42);
	CHECK_INT(r.flag, 1);
	CHECK_STR(r.title, "数字政府动态");
	CHECK(NEAR(r.dim, 3 * 72 / 25.4));
	CHECK(NEAR(r.len.pt, 0) && NEAR(r.len.em, 2));
	CHECK(NEAR(r.color.r, 0x0b / 255.0) && NEAR(r.color.g, 0x5a / 255.0) &&
	      NEAR(r.color.b, 0xa2 / 255.0) && NEAR(r.color.a, 1));
	CHECK_INT(r.shape, SHAPE_SQUARE);
	CHECK(NEAR(r.width, 210 * 72 / 25.4));
	CHECK(NEAR(r.margin.top, 72) && NEAR(r.margin.left, 0));
	CHECK_INT(r.texts.n, 2);
	CHECK_STR(yml_strmap_lookup(&r.texts, "cover"), "封面");
	CHECK_STR(yml_strmap_lookup(&r.texts, "slogan"), "a: b");
	CHECK(yml_strmap_lookup(&r.texts, "nope") == NULL);
	CHECK_INT(r.month, 12);
	CHECK(r.ratio == 1.8);	/* exactly what strtod would give */
	/* marks: positions of values, 1-based */
	const struct yml_mark *k = yml_marks_lookup(&m, &r.count);
	CHECK(k && k->line == 2 && k->col == 8);
	CHECK(k && !strcmp(k->file, "t.yaml"));
	k = yml_marks_lookup(&m, &r.color);	/* quoted: the first character inside */
	CHECK(k && k->line == 7 && k->col == 9);
	k = yml_marks_lookup(&m, &r.margin.top);
	CHECK(k && k->line == 9 && k->col == 36);
	CHECK(yml_marks_lookup(&m, &r.flag) != NULL);
	CHECK(yml_marks_lookup(&m, &r.margin) == NULL || yml_marks_lookup(&m, &r.margin) ==
	      yml_marks_lookup(&m, &r.margin.top));	/* maps are not scalar marks */
	yml_free(&rec_schema, &r);
	CHECK(r.title == NULL && r.texts.n == 0);
	yml_marks_done(&m);
	diag_clear(&d);
}

static void test_units(void)
{
	static const struct {
		const char *text;
		double pt, em;
	} cases[] = {
		{"len: 12", 12, 0},       {"len: 10.5", 10.5, 0},  {"len: 12pt", 12, 0},
		{"len: 3mm", 3 * 72 / 25.4, 0}, {"len: 1.5cm", 1.5 * 72 / 2.54, 0},
		{"len: 0.5in", 36, 0},    {"len: 2em", 0, 2},     {"len: \"4 pt\"", 4, 0},
		{"len: -1em", 0, -1},     {"len: .5em", 0, 0.5},  {"len: 0", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r = {0};
		struct diags d = {0};
		CHECK_INT(read_text(cases[i].text, 1, &r, NULL, &d), 0);
		if (!NEAR(r.len.pt, cases[i].pt) || !NEAR(r.len.em, cases[i].em)) {
			fprintf(stderr, "%s: got %g pt %g em\n", cases[i].text, r.len.pt, r.len.em);
			check_case_failed = 1;
		}
		diag_clear(&d);
	}
}

static void test_colors(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("color: \"#fff\"", 1, &r, NULL, &d), 0);
	CHECK(NEAR(r.color.r, 1) && NEAR(r.color.g, 1) && NEAR(r.color.b, 1) && NEAR(r.color.a, 1));
	CHECK_INT(read_text("color: '#11223344'", 1, &r, NULL, &d), 0);
	CHECK(NEAR(r.color.r, 0x11 / 255.0) && NEAR(r.color.a, 0x44 / 255.0));
	CHECK_INT(read_text("color: none", 1, &r, NULL, &d), 0);
	CHECK(r.color.a == 0);
	CHECK_INT(d.n, 0);

	CHECK_INT(read_text("color: \"#12\"", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 9,
		   "color: expected a color like \"#0b5aa2\", \"#rgb\", \"#rrggbbaa\" or none, got \"#12\"");
	CHECK_INT(read_text("color: blue", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8,
		   "color: expected a color like \"#0b5aa2\", \"#rgb\", \"#rrggbbaa\" or none, got \"blue\"");
	/* unquoted: YAML reads a comment, so the value is empty */
	CHECK_INT(read_text("color: #0b5aa2", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1,
		   "color: expected a color like \"#0b5aa2\" or none, got nothing");
	diag_clear(&d);
}

static void test_enum_bool(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("shape: center\nflag: false", 1, &r, NULL, &d), 0);
	CHECK_INT(r.shape, SHAPE_CENTER);
	CHECK_INT(r.flag, 0);
	CHECK_INT(read_text("shape: centre", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8,
		   "shape: expected round, square or center, got \"centre\"");
	CHECK_INT(read_text("shape: triangle", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8, "shape: expected round, square or center, got \"triangle\"");
	CHECK_INT(read_text("flag: yes", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 7, "flag: expected true or false, got \"yes\"");
	CHECK_INT(r.shape, SHAPE_CENTER);	/* errors leave values alone */
	diag_clear(&d);
}

static void test_wrong_types(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("num: abc\ncount: 1.5\ntitle: {a: 1}\ndim: 2em\nlen: 12px\n"
			    "count: \"12\"x\n", 1, &r, NULL, &d), -2);	/* syntax first */
	diag_clear(&d);

	CHECK_INT(read_text("num: abc\ncount: 1.5\ntitle: {a: 1}\ndim: 2em\nlen: 12px\n", 1, &r,
			    NULL, &d), -1);
	CHECK_INT(d.errors, 5);
	CHECK_DIAG(&d, SEV_ERROR, 1, 6, "num: expected a number, got \"abc\"");
	CHECK_DIAG(&d, SEV_ERROR, 2, 8, "count: expected an integer, got \"1.5\"");
	CHECK_DIAG(&d, SEV_ERROR, 3, 1, "title: expected a text, got a mapping");
	CHECK_DIAG(&d, SEV_ERROR, 4, 6,
		   "dim: expected a length like 12pt, 3mm, 1.5cm or 0.5in, got \"2em\"");
	CHECK_DIAG(&d, SEV_ERROR, 5, 6,
		   "len: expected a length like 12pt, 3mm, 1.5cm, 0.5in or 2em, got \"12px\"");
	diag_clear(&d);

	/* numbers must be plain: a quoted "12" is a text */
	CHECK_INT(read_text("count: \"12\"\nnum: [1]\npage: 3\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 9, "count: expected an integer, got \"12\"");
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "num: expected a single value, got a sequence");
	CHECK_DIAG(&d, SEV_ERROR, 3, 7, "page: expected a mapping (key: value lines), got \"3\"");
	diag_clear(&d);

	CHECK_INT(read_text("title:\nnum: ~\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1, "title: expected a text, got nothing");
	CHECK_DIAG(&d, SEV_ERROR, 2, 6, "num: expected a number, got nothing");
	diag_clear(&d);

	CHECK_INT(read_text("title: \"a\\0b\"\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 9, "title: expected a text, got \"a\\x00b\"");
	CHECK(r.title == NULL);
	diag_clear(&d);

	CHECK_INT(read_text("title: &x abc\nextends: *x\nnum: *x\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 3, 6, "num: aliases (*name) are not supported");
	CHECK_INT(d.errors, 1);	/* extends is YML_OTHER: not looked at */
	yml_free(&rec_schema, &r);
	diag_clear(&d);
}

static void test_ranges(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("month: 13\nratio: 7\npage: {width: 0}\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8, "month must be 1-12, got 13");
	CHECK_DIAG(&d, SEV_ERROR, 2, 8, "ratio must be 0.5-5, got 7");
	CHECK_DIAG(&d, SEV_ERROR, 3, 15, "page.width must be > 0, got 0");
	diag_clear(&d);
	CHECK_INT(read_text("month: 0\npage:\n  margin:\n    left: -2mm\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8, "month must be 1-12, got 0");
	CHECK_DIAG(&d, SEV_ERROR, 4, 11, "page.margin.left must be >= 0, got -2mm");
	CHECK_INT(read_text("month: 99999999999999\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 8, "month must be 1-12, got 99999999999999");
	CHECK_INT(r.month, 0);
	diag_clear(&d);
	/* lengths are bounded, so that Pango units (int) cannot overflow */
	CHECK_INT(read_text("dim: 1e300\nlen: 101em\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 6,
		   "dim: 1e300 is out of range: a length is at most 14400pt (200in) or 100em");
	CHECK_DIAG(&d, SEV_ERROR, 2, 6,
		   "len: 101em is out of range: a length is at most 14400pt (200in) or 100em");
	diag_clear(&d);
	CHECK_INT(read_text("dim: -200in\nlen: -100em\n", 1, &r, NULL, &d), 0);
	CHECK(r.dim == -14400 && r.len.em == -100);
	diag_clear(&d);
}

static void test_unknown_keys(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("titel: x\nzzz: 1\npage:\n  margn: {top: 1}\n  width: 1\n", 1, &r, NULL,
			    &d),
		  -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1, "unknown key 'titel' in record");
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "unknown key 'zzz' in record");
	CHECK_DIAG(&d, SEV_ERROR, 4, 3, "unknown key 'margn' in page");
	/* the suggestion is the finding's hint, printed on its own line */
	CHECK(d.n >= 3 && d.v[0].hint && !strcmp(d.v[0].hint, "did you mean 'title'?"));
	CHECK(!d.v[1].hint);
	CHECK(NEAR(r.width, 1));	/* the rest is still read */
	diag_clear(&d);
	CHECK_STR(yml_suggest(&rec_schema, "colour"), "color");
	CHECK_STR(yml_suggest(&rec_schema, "cuont"), "count");	/* a swap is one edit */
	CHECK(yml_suggest(&rec_schema, "x") == NULL);
	CHECK(yml_suggest(&rec_schema, "background") == NULL);
}

static void test_syntax_errors(void)
{
	struct diags d = {0};
	struct yml_doc *doc = yml_doc_parse("t.yaml", "a: 1\nb: [1, 2\n", 13, 1, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 1, "YAML: flow sequence without a closing bracket");
	diag_clear(&d);

	/* first_line shifts every line: the front matter of an issue */
	doc = yml_doc_parse("i.md", "year: 2022\nmonth: 'x\n", 21, 2, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 9, "YAML: single-quoted scalar without closing quote");
	diag_clear(&d);

	doc = yml_doc_parse("t.yaml", "a: 1\nb: 2\na: 3\n", 15, 10, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 12, 1, "YAML: duplicate key");
	diag_clear(&d);

	doc = yml_doc_parse("t.yaml", "a: 1\n---\nb: 2\n", 14, 1, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 3, 1, "a second YAML document ('---'); only one is allowed");
	diag_clear(&d);

	/* explicit keys are refused before libfyaml sees them (it crashes on some) */
	doc = yml_doc_parse("t.yaml", "a: 1\n  - ? ::\t|\n", 15, 1, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 2, 5, "YAML: explicit keys ('? ') are not supported; write 'key: value'");
	diag_clear(&d);
	doc = yml_doc_parse("t.yaml", "a: \"? x\"\nb: what? no\n", 21, 1, &d);
	CHECK(doc != NULL);	/* a ? inside a value is fine */
	yml_doc_free(doc);
	CHECK_INT(d.n, 0);

	doc = yml_doc_parse("t.yaml", "a: 1\nb: \xff\n", 10, 5, &d);
	CHECK(doc == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 6, 4, "invalid UTF-8 (byte 0xff); the file must be UTF-8 text");
	diag_clear(&d);
}

static void test_empty_and_root(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("", 1, &r, NULL, &d), 0);
	CHECK_INT(read_text("# only a comment\n", 1, &r, NULL, &d), 0);
	CHECK_INT(read_text("---\n", 1, &r, NULL, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_INT(read_text("- a\n- b\n", 4, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 4, 3, "the record must be a mapping (key: value lines), got a sequence");
	diag_clear(&d);
}

static void test_merge(void)
{
	struct rec r = {0};
	struct diags d = {0};
	struct yml_marks m = {0};
	CHECK_INT(read_text("num: 1\ntitle: first\ntexts: {a: A, b: B}\npage: {width: 10}\n", 1, &r,
			    &m, &d),
		  0);
	struct yml_doc *doc = yml_doc_parse("second.yaml", "title: second\ntexts: {b: BB, c: C}\n",
					    34, 1, &d);
	CHECK(doc != NULL);
	CHECK_INT(yml_doc_read(doc, &rec_schema, &r, &m, NULL, &d), 0);
	yml_doc_free(doc);
	CHECK(NEAR(r.num, 1));		/* kept */
	CHECK(NEAR(r.width, 10));	/* kept */
	CHECK_STR(r.title, "second");	/* overridden (the old one freed) */
	CHECK_INT(r.texts.n, 3);
	CHECK_STR(yml_strmap_lookup(&r.texts, "a"), "A");
	CHECK_STR(yml_strmap_lookup(&r.texts, "b"), "BB");
	CHECK_STR(yml_strmap_lookup(&r.texts, "c"), "C");
	const struct yml_mark *k = yml_marks_lookup(&m, &r.title);
	CHECK(k && !strcmp(k->file, "second.yaml") && k->line == 1 && k->col == 8);
	k = yml_marks_lookup(&m, &r.num);
	CHECK(k && !strcmp(k->file, "t.yaml"));
	yml_free(&rec_schema, &r);
	yml_marks_done(&m);
	diag_clear(&d);
}

static void test_strmap_errors(void)
{
	struct rec r = {0};
	struct diags d = {0};
	CHECK_INT(read_text("texts:\n  a: [1]\n  b:\n  c: ok\n  d: \"x\\0\"\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 5, 7, "texts.d: expected a text, got \"x\\x00\"");
	CHECK_DIAG(&d, SEV_ERROR, 2, 3, "texts.a: expected a text, got a sequence");
	CHECK_DIAG(&d, SEV_ERROR, 3, 3, "texts.b: expected a text, got nothing");
	CHECK_STR(yml_strmap_lookup(&r.texts, "c"), "ok");
	CHECK_INT(read_text("texts: [a]\n", 1, &r, NULL, &d), -1);
	CHECK_DIAG(&d, SEV_ERROR, 1, 1, "texts: expected a mapping (key: value lines), got a sequence");
	yml_free(&rec_schema, &r);
	diag_clear(&d);
}

static void test_require(void)
{
	struct diags d = {0};
	struct yml_marks m = {0};
	struct rec r = {0};
	const char *y = "num: 1\npage:\n  margin: {left: 1}\n";
	struct yml_doc *doc = yml_doc_parse("t.yaml", y, strlen(y), 3, &d);
	CHECK_INT(yml_doc_read(doc, &rec_schema, &r, &m, NULL, &d), 0);
	CHECK_INT(yml_require(doc, &rec_schema, &r, &m, &d), -1);
	CHECK_INT(d.errors, 3);
	CHECK_DIAG(&d, SEV_ERROR, 3, 1, "missing required key 'month' in record");
	CHECK_DIAG(&d, SEV_ERROR, 4, 1, "missing required key 'width' in page");
	CHECK_DIAG(&d, SEV_ERROR, 5, 3, "missing required key 'top' in page.margin");
	yml_doc_free(doc);
	diag_clear(&d);

	/* an empty document: every required key, at its start */
	doc = yml_doc_parse("t.yaml", "", 0, 2, &d);
	CHECK_INT(yml_require(doc, &rec_schema, &r, &m, &d), -1);	/* marks from before */
	diag_clear(&d);
	struct yml_marks none = {0};
	CHECK_INT(yml_require(doc, &rec_schema, &r, &none, &d), -1);
	CHECK_INT(d.errors, 1);	/* page is optional, so its keys are not asked for */
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "missing required key 'month' in record");
	yml_doc_free(doc);
	yml_marks_done(&m);
	diag_clear(&d);
}

static void test_doc_scalar(void)
{
	struct diags d = {0};
	const char *y = "extends: base\nname: [x]\n";
	struct yml_doc *doc = yml_doc_parse("t.yaml", y, strlen(y), 1, &d);
	int line = 0, col = 0;
	char *s = yml_doc_scalar(doc, "extends", &line, &col, &d);
	CHECK_STR(s, "base");
	CHECK_INT(line, 1);
	CHECK_INT(col, 10);
	free(s);
	CHECK(yml_doc_scalar(doc, "absent", NULL, NULL, &d) == NULL);
	CHECK_INT(d.n, 0);
	CHECK(yml_doc_scalar(doc, "name", NULL, NULL, &d) == NULL);
	CHECK_DIAG(&d, SEV_ERROR, 2, 1, "name: expected a text, got a sequence");
	CHECK_STR(yml_doc_file(doc), "t.yaml");
	yml_doc_free(doc);
	diag_clear(&d);
}

static void test_load_file(void)
{
	struct diags d = {0};
	char path[] = "/tmp/test_yaml_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("num: 3\ncount: x\n", f);
	fclose(f);
	struct yml_doc *doc = yml_doc_load(path, &d);
	CHECK(doc != NULL);
	struct rec r = {0};
	CHECK_INT(yml_doc_read(doc, &rec_schema, &r, NULL, NULL, &d), -1);
	CHECK(d.n == 1 && !strcmp(d.v[0].file, path) && d.v[0].line == 2 && d.v[0].col == 8);
	yml_doc_free(doc);
	remove(path);
	diag_clear(&d);
	CHECK(yml_doc_load("/nonexistent/x.yaml", &d) == NULL);
	CHECK_INT(d.errors, 1);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_all_types);
	RUN(test_units);
	RUN(test_colors);
	RUN(test_enum_bool);
	RUN(test_wrong_types);
	RUN(test_ranges);
	RUN(test_unknown_keys);
	RUN(test_syntax_errors);
	RUN(test_empty_and_root);
	RUN(test_merge);
	RUN(test_strmap_errors);
	RUN(test_require);
	RUN(test_doc_scalar);
	RUN(test_load_file);
	return check_report();
}
