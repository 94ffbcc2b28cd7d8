/* test_layout.c: layout.c: the epoint design, units, colours, styles and
 * their inheritance, number templates, extends, and every error with its
 * position.  Fixtures are written to a temporary folder. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"
#include "check.h"
#include "fixture.h"

/* The repository's layouts/, found from this file's own path. */
static char *layouts_dir(void)
{
	const char *me = __FILE__;	/* .../tests/unit/test_layout.c */
	const char *cut = strstr(me, "tests/unit/test_layout.c");
	return xasprintf("%.*slayouts", (int)(cut ? cut - me : 0), me);
}

static char tmpdir[] = "/tmp/test_layout_XXXXXX";
static char *written[64];
static int nwritten;

/* Writes tmpdir/name and returns its path (freed at exit). */
static const char *put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	for (int i = 0; i < nwritten; i++)
		if (!strcmp(written[i], path)) {
			free(path);
			return written[i];
		}
	written[nwritten++] = path;
	return path;
}


#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)
#define MM(x) ((x) * 72.0 / 25.4)

/* A minimal valid layout: what is required and nothing else. */
#define PAGE "page:\n  width: 210mm\n  height: 297mm\n" \
	     "  margin: {top: 20mm, bottom: 20mm, left: 20mm, right: 20mm}\n"
#define FONTS "fonts: {serif: Serif Family, sans: Sans Family}\n"
#define BODY "styles:\n  body: {font: serif, size: 10, line_height: 1.5, color: \"#102030\"}\n"
#define MINIMAL PAGE FONTS BODY

/* Loads a layout written from text; errors in d. */
static struct layout *load_text(const char *name, const char *text, struct diags *d)
{
	return layout_load(put(name, text), tmpdir, d);
}

/* ---- the shipped design ---- */

static void test_epoint(void)
{
	struct diags d = {0};
	char *dir = layouts_dir();
	struct layout *lo = layout_load("epoint", dir, &d);
	CHECK(lo != NULL);
	CHECK_INT(d.n, 0);
	if (!lo) {
		diag_print(&d, stderr);
		free(dir);
		return;
	}
	char *want = xasprintf("%s/epoint.yaml", dir);
	CHECK_STR(lo->path, want);
	free(want);
	CHECK_STR(lo->name, "epoint");
	CHECK(NEAR(lo->page_width, MM(210)) && NEAR(lo->page_height, MM(297)));
	CHECK(NEAR(lo->margin_top, MM(25)) && NEAR(lo->margin_bottom, MM(22)));
	CHECK(NEAR(lo->margin_left, MM(22)) && NEAR(lo->margin_right, MM(22)));
	CHECK_STR(lo->font_serif, "Noto Serif CJK SC");
	CHECK_STR(lo->font_sans, "Noto Sans CJK SC");
	CHECK_INT(lo->widows, 2);
	CHECK_INT(lo->orphans, 2);
	/* body: serif 10.5pt, 2-em indent, justified */
	CHECK_STR(lo->role[ROLE_BODY].font, "Noto Serif CJK SC");
	CHECK(NEAR(lo->role[ROLE_BODY].size, 10.5) && NEAR(lo->role[ROLE_BODY].line_height, 1.8));
	CHECK(NEAR(lo->role[ROLE_BODY].indent.em, 2) && NEAR(lo->role[ROLE_BODY].indent.pt, 0));
	CHECK_INT(lo->role[ROLE_BODY].align, ALIGN_JUSTIFY);
	/* section: a band of brand blue; entry: blue bold sans */
	struct style *sec = &lo->role[ROLE_H1 + 0], *ent = &lo->role[ROLE_H1 + 1];
	CHECK_STR(sec->font, "Noto Sans CJK SC");
	CHECK_INT(sec->bold, 1);
	CHECK(NEAR(sec->background.r, 0x0b / 255.0) && NEAR(sec->background.a, 1));
	CHECK(NEAR(sec->color.r, 1) && NEAR(sec->color.g, 1));
	CHECK_STR(sec->number, "{1:cn}、");
	CHECK_STR(ent->number, "{1}.{2}、");
	CHECK(NEAR(ent->color.b, 0xa2 / 255.0));
	CHECK(ent->rule_below > 0);
	CHECK(lo->role[ROLE_H1 + 2].number == NULL);
	/* source label and region sit in entry titles */
	CHECK_STR(lo->role[ROLE_SOURCE_LABEL].font, "Noto Sans CJK SC");
	CHECK(lo->role[ROLE_SOURCE_LABEL].background.a > 0);
	CHECK(NEAR(lo->role[ROLE_REGION].size, ent->size));	/* inherited from entry */
	CHECK_STR(lo->role[ROLE_REGION].font, "Noto Sans CJK SC");
	CHECK(NEAR(lo->role[ROLE_LINK].size, lo->role[ROLE_BODY].size));	/* inherited from body */
	/* quotes set apart: the Kai face, a size smaller, 2 em in from both sides */
	const struct style *q = &lo->role[ROLE_QUOTE];
	CHECK_STR(q->font, "AR PL UKai CN");
	CHECK(NEAR(q->size, 10) && NEAR(q->line_height, lo->role[ROLE_BODY].line_height));
	CHECK(NEAR(q->margin_left.em, 2) && NEAR(q->margin_right.em, 2));
	CHECK(q->space_before.pt > 0 && q->space_after.pt > 0);
	/* list markers: a half-size ●, numbers flush right, 0.5 em from the text */
	const struct style *it = &lo->role[ROLE_ITEM];
	CHECK_STR(it->bullet, "●");
	CHECK(NEAR(it->bullet_size, 0.5) && NEAR(it->marker_gap.em, 0.5));
	CHECK_INT(it->marker_align, ALIGN_RIGHT);
	CHECK(NEAR(lo->toc.title_spacing.em, 1));
	/* every style has what text.c needs */
	const struct style *all[] = {&lo->role[ROLE_BODY], &lo->role[ROLE_H1 + 0], &lo->role[ROLE_H1 + 1], &lo->role[ROLE_H1 + 2],
				     &lo->role[ROLE_H1 + 3], &lo->role[ROLE_H1 + 4], &lo->role[ROLE_H1 + 5], &lo->role[ROLE_QUOTE],
				     &lo->role[ROLE_ITEM], &lo->role[ROLE_CODE], &lo->role[ROLE_SOURCE_LABEL], &lo->role[ROLE_REGION],
				     &lo->role[ROLE_LINK]};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		CHECK(all[i]->font && all[i]->size > 0 && all[i]->line_height >= 0.5 &&
		      all[i]->color.a > 0);
	layout_free(lo);
	/* the same file by path */
	char *path = xasprintf("%s/epoint.yaml", dir);
	lo = layout_load(path, NULL, &d);
	CHECK(lo && !strcmp(lo->name, "epoint"));
	layout_free(lo);
	free(path);
	free(dir);
	diag_clear(&d);
}

/* ---- values ---- */

static void test_units_colors_enums(void)
{
	struct diags d = {0};
	struct layout *lo = load_text("units.yaml",
				      "page:\n  width: 8.5in\n  height: 27.94cm\n"
				      "  margin: {top: 72, bottom: 36pt, left: 1in, right: 25.4mm}\n"
				      FONTS
				      "styles:\n"
				      "  body: {font: My Font, size: 12pt, line_height: 2, color: \"#abc\",\n"
				      "         indent: 2em, space_before: 3mm, align: center}\n"
				      "  quote: {color: none, margin_left: 1.5em, align: right, rule_below: 0.5,\n"
				      "          rule_color: \"#11223380\", padding: 2pt, italic: true}\n",
				      &d);
	CHECK(lo != NULL);
	if (!lo) {
		diag_print(&d, stderr);
		return;
	}
	CHECK(NEAR(lo->page_width, 612) && NEAR(lo->page_height, 792));
	CHECK(NEAR(lo->margin_top, 72) && NEAR(lo->margin_bottom, 36));
	CHECK(NEAR(lo->margin_left, 72) && NEAR(lo->margin_right, 72));
	CHECK_STR(lo->role[ROLE_BODY].font, "My Font");	/* a family name as is */
	CHECK(NEAR(lo->role[ROLE_BODY].size, 12) && NEAR(lo->role[ROLE_BODY].line_height, 2));
	CHECK(NEAR(lo->role[ROLE_BODY].color.r, 0xaa / 255.0) && NEAR(lo->role[ROLE_BODY].color.b, 0xcc / 255.0));
	CHECK(NEAR(lo->role[ROLE_BODY].indent.em, 2));
	CHECK(NEAR(lo->role[ROLE_BODY].space_before.pt, MM(3)) && NEAR(lo->role[ROLE_BODY].space_before.em, 0));
	CHECK_INT(lo->role[ROLE_BODY].align, ALIGN_CENTER);
	CHECK(lo->role[ROLE_QUOTE].color.a == 0);
	CHECK(NEAR(lo->role[ROLE_QUOTE].margin_left.em, 1.5));
	CHECK_INT(lo->role[ROLE_QUOTE].align, ALIGN_RIGHT);
	CHECK(NEAR(lo->role[ROLE_QUOTE].rule_below, 0.5) && NEAR(lo->role[ROLE_QUOTE].rule_color.a, 0x80 / 255.0));
	CHECK(NEAR(lo->role[ROLE_QUOTE].padding, 2));
	CHECK_INT(lo->role[ROLE_QUOTE].italic, 1);
	CHECK_INT(lo->widows, 0);	/* not given: zero, flow's choice */
	CHECK_STR(lo->name, "units");	/* no name: the file's */
	layout_free(lo);
	CHECK_INT(d.n, 0);

	const char *p = put("enum.yaml", PAGE FONTS BODY "  entry: {align: middle, size: 0}\n"
					 "  h3: {line_height: 7, space_after: 2px, color: red}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 5);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 18,
		   "styles.entry.align: expected left, justify, center or right, got \"middle\"");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 32, "styles.entry.size must be > 0 and <= 1000pt, got 0");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 21, "styles.h3.line_height must be 0.5-5, got 7");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 49, "styles.h3.color: expected a color like \"#0b5aa2\", \"#rgb\", "
				 "\"#rrggbbaa\" or none, got \"red\"");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 37,
		   "styles.h3.space_after: expected a length like 12pt, 3mm, 1.5cm, 0.5in or 2em, got \"2px\"");
	diag_clear(&d);
}

/* ---- inheritance ---- */

static void test_inheritance(void)
{
	struct diags d = {0};
	struct layout *lo = load_text("inherit.yaml",
				      MINIMAL
				      "  section: {font: sans, bold: true}\n"
				      "  entry: {font: Entry Face, size: 14, color: \"#ff0000\"}\n"
				      "  region: {bold: true}\n"
				      "  source_label: {size: 8}\n"
				      "  code: {line_height: 1}\n",
				      &d);
	CHECK(lo != NULL);
	if (!lo) {
		diag_print(&d, stderr);
		return;
	}
	CHECK_STR(lo->role[ROLE_BODY].font, "Serif Family");	/* serif -> fonts.serif */
	CHECK_STR(lo->role[ROLE_H1 + 0].font, "Sans Family");
	CHECK(NEAR(lo->role[ROLE_H1 + 0].size, 10) && NEAR(lo->role[ROLE_H1 + 0].line_height, 1.5));
	CHECK(NEAR(lo->role[ROLE_H1 + 0].color.r, 0x10 / 255.0));	/* body's */
	CHECK_INT(lo->role[ROLE_H1 + 0].bold, 1);
	CHECK_INT(lo->role[ROLE_BODY].bold, 0);
	for (int i = 2; i < 6; i++)	/* not given: everything from body */
		CHECK(!strcmp(lo->role[ROLE_H1 + i].font, "Serif Family") && NEAR(lo->role[ROLE_H1 + i].size, 10));
	/* region and source_label come from entry */
	CHECK_STR(lo->role[ROLE_REGION].font, "Entry Face");
	CHECK(NEAR(lo->role[ROLE_REGION].size, 14) && NEAR(lo->role[ROLE_REGION].color.r, 1));
	CHECK(NEAR(lo->role[ROLE_SOURCE_LABEL].size, 8));
	CHECK_STR(lo->role[ROLE_SOURCE_LABEL].font, "Entry Face");
	CHECK(NEAR(lo->role[ROLE_CODE].line_height, 1) && NEAR(lo->role[ROLE_CODE].size, 10));
	/* keys that do not inherit stay zero */
	CHECK(lo->role[ROLE_H1 + 2].background.a == 0 && lo->role[ROLE_H1 + 2].number == NULL);
	CHECK(lo->role[ROLE_QUOTE].indent.em == 0 && lo->role[ROLE_QUOTE].align == ALIGN_LEFT);
	layout_free(lo);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

/* ---- number templates ---- */

static void test_number_templates(void)
{
	struct diags d = {0};
	struct layout *lo = load_text("num.yaml",
				      MINIMAL "  section: {number: \"第{1:cn}部分 {{x}}\"}\n"
				      "  entry: {number: \"{1:02}.{2}\"}\n"
				      "  h6: {number: \"{1}{2}{3}{4}{5}{6}\"}\n",
				      &d);
	CHECK(lo && !strcmp(lo->role[ROLE_H1 + 0].number, "第{1:cn}部分 {{x}}"));
	layout_free(lo);
	CHECK_INT(d.n, 0);

	const char *p = put("badnum.yaml", MINIMAL
			    "  section: {number: \"{1}.{2}\"}\n"
			    "  entry: {number: \"第{9}条\"}\n"
			    "  h3: {number: \"{1:xx}、\"}\n"
			    "  h4: {number: '{1'}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 4);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 26, "styles.section.number: unknown placeholder {2}; known: {1}");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 21, "styles.entry.number: unknown placeholder {9}; known: {1} {2}");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 10, 17,
		   "styles.h3.number: unknown format ':xx' in {1}; use :cn or a width like :02");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 11, 17, "styles.h4.number: '{' is not closed by '}' (write {{ for a brace)");
	diag_clear(&d);

	/* templates are for headings only */
	p = put("bodynum.yaml", MINIMAL "  quote: {number: \"{1}\"}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 11, "unknown key 'number' in styles.quote");
	diag_clear(&d);

	/* list markers' keys are for items only, checked */
	p = put("markers.yaml", MINIMAL "  quote: {bullet: x}\n"
				"  item: {marker_align: justify, bullet_size: 9, marker_gap: -1pt}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 4);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 11, "unknown key 'bullet' in styles.quote");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 24,
		      "styles.item.marker_align: expected left, center or right, got \"justify\"");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 46, "styles.item.bullet_size must be 0.2-3, got 9");
	diag_clear(&d);
}

/* ---- geometry ---- */

static void test_text_block(void)
{
	struct diags d = {0};
	const char *p = put("narrow.yaml",
			    "page:\n  width: 210mm\n  height: 297mm\n"
			    "  margin: {top: 20mm, bottom: 20mm, left: 100mm, right: 100mm}\n" FONTS BODY);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 4, 43,
		   "page.margin leaves a text block 28.3pt wide; it must be at least 50pt: on a page "
		   "595.3pt wide, left + right margins can be at most 545.3pt (now 566.9pt)");
	diag_clear(&d);
	p = put("short.yaml",
		"page:\n  width: 100\n  height: 100\n"
		"  margin: {top: 30, bottom: 30, left: 0, right: 0}\n" FONTS BODY);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 4, 17,
		   "page.margin leaves a text block 40.0pt tall; it must be at least 50pt: on a page "
		   "100.0pt tall, top + bottom margins can be at most 50.0pt (now 60.0pt)");
	diag_clear(&d);
	p = put("zero.yaml",
		"page:\n  width: 0\n  height: -1mm\n"
		"  margin: {top: -1, bottom: 0, left: 0, right: 0}\n" FONTS BODY);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 3);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 2, 10, "page.width must be > 0, got 0");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 3, 11, "page.height must be > 0, got -1mm");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 4, 17, "page.margin.top must be >= 0, got -1");
	diag_clear(&d);
}

/* ---- required and unknown keys ---- */

static void test_required(void)
{
	struct diags d = {0};
	const char *p = put("nopage.yaml", FONTS BODY);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 1, "missing required key 'page' in layout");
	diag_clear(&d);
	p = put("nobody.yaml", PAGE "fonts: {serif: S}\nstyles:\n  body: {size: 10, color: \"#000\"}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 3);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 5, 1, "missing required key 'sans' in fonts");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 7, 3, "missing required key 'font' in styles.body");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 7, 3, "missing required key 'line_height' in styles.body");
	diag_clear(&d);
	p = put("nomargin.yaml", "page: {width: 100, height: 100}\n" FONTS BODY);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 1, "missing required key 'margin' in page");
	diag_clear(&d);
	p = put("empty.yaml", "");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 3);	/* page, fonts, styles */
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 1, "missing required key 'styles' in layout");
	diag_clear(&d);
}

static void test_unknown_keys(void)
{
	struct diags d = {0};
	const char *p = put("typo.yaml",
			    "page:\n  width: 210mm\n  height: 297mm\n"
			    "  margn: {top: 20mm, bottom: 20mm, left: 20mm, right: 20mm}\n"
			    FONTS BODY "  h7: {size: 9}\n  entry: {colour: \"#fff\", sise: 3}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 4);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 4, 3, "unknown key 'margn' in page");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 3, "unknown key 'h7' in styles");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 11, "unknown key 'colour' in styles.entry");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 9, 27, "unknown key 'sise' in styles.entry");
	diag_clear(&d);
}

static void test_syntax_error(void)
{
	struct diags d = {0};
	const char *p = put("syntax.yaml", PAGE FONTS "styles:\n  body: {font: serif, size: 10\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 8, 1, "YAML: missing comma in flow mapping");
	diag_clear(&d);
}

/* ---- finding files ---- */

static void test_not_found(void)
{
	struct diags d = {0};
	CHECK(layout_load("nope", tmpdir, &d) == NULL);
	char *msg = xasprintf("layout 'nope' not found (looked for %s/nope.yaml)", tmpdir);
	CHECK_DIAG_IN(&d, SEV_ERROR, NULL, 0, 0, msg);
	free(msg);
	diag_clear(&d);
	CHECK(layout_load("/nonexistent/x.yaml", tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, "/nonexistent/x.yaml", 0, 0, "layout file not found");
	diag_clear(&d);
	CHECK(layout_load("", tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	diag_clear(&d);
	/* a bare name is looked up in the layouts folder */
	put("byname.yaml", MINIMAL "name: Named\n");
	struct layout *lo = layout_load("byname", tmpdir, &d);
	CHECK(lo && !strcmp(lo->name, "Named"));
	layout_free(lo);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

/* ---- extends ---- */

static void test_extends(void)
{
	struct diags d = {0};
	put("base.yaml", "name: base\n" MINIMAL "  section: {number: \"{1:cn}、\", bold: true}\n");
	/* by name: one key overridden, everything else from base */
	struct layout *lo = load_text("child.yaml",
				      "extends: base\n"
				      "styles:\n  body: {size: 12, color: \"#ff0000\"}\n",
				      &d);
	CHECK(lo != NULL);
	if (lo) {
		CHECK(NEAR(lo->role[ROLE_BODY].size, 12));
		CHECK(NEAR(lo->role[ROLE_BODY].line_height, 1.5));	/* from base */
		CHECK_STR(lo->role[ROLE_BODY].font, "Serif Family");
		CHECK(NEAR(lo->page_width, MM(210)));
		CHECK_STR(lo->role[ROLE_H1 + 0].number, "{1:cn}、");
		CHECK_INT(lo->role[ROLE_H1 + 0].bold, 1);
		/* inheritance sees the merged body */
		CHECK(NEAR(lo->role[ROLE_H1 + 0].size, 12) && NEAR(lo->role[ROLE_H1 + 0].color.r, 1));
		CHECK_STR(lo->name, "child");	/* not the parent's name */
		char *want = xasprintf("%s/child.yaml", tmpdir);
		CHECK_STR(lo->path, want);
		free(want);
	}
	layout_free(lo);
	CHECK_INT(d.n, 0);

	/* by relative path, two levels */
	put("mid.yaml", "extends: ./base.yaml\nname: mid\nwidows: 3\n");
	lo = load_text("leaf.yaml", "extends: mid.yaml\norphans: 4\n", &d);
	CHECK(lo && lo->widows == 3 && lo->orphans == 4 && !strcmp(lo->name, "leaf"));
	layout_free(lo);
	CHECK_INT(d.n, 0);

	/* errors in a parent name the parent's file */
	const char *bad = put("badbase.yaml", MINIMAL "  entry: {size: -1}\n");
	const char *p = put("badchild.yaml", "extends: badbase\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, bad, 8, 17, "styles.entry.size must be > 0 and <= 1000pt, got -1");
	diag_clear(&d);

	/* a required key may come from the parent, a missing one is still missing */
	put("partial.yaml", PAGE FONTS);
	p = put("needsbody.yaml", "extends: partial\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 1, "missing required key 'styles' in layout");
	diag_clear(&d);
}

/* colors: a palette named once, used by name, recoloured by a child */
static void test_palette(void)
{
	struct diags d = {0};
	put("pal_base.yaml", PAGE FONTS
	    "colors:\n  brand: {screen: \"#0b5aa2\", cmyk: \"100 60 0 10\"}\n"
	    "  red: {screen: \"#b5121b\", spot: PANTONE 186 C, cmyk: [0, 100, 81, 4]}\n"
	    "  grey: \"#777777\"\n"
	    "styles:\n  body: {font: serif, size: 10, line_height: 1.5, color: brand}\n"
	    "  section: {color: red, rule_color: grey}\n");
	struct layout *lo = layout_load("pal_base", tmpdir, &d);
	CHECK(lo != NULL);
	CHECK_INT(d.n, 0);
	if (lo) {
		CHECK_INT(lo->palette.n, 3);
		CHECK(NEAR(lo->role[ROLE_BODY].color.r, 0x0b / 255.0) &&
		      NEAR(lo->role[ROLE_BODY].color.b, 0xa2 / 255.0));
		const struct yml_ink *red = yml_palette_lookup(&lo->palette, "red");
		CHECK(red && red->spot && !strcmp(red->spot, "PANTONE 186 C") && red->has_cmyk &&
		      NEAR(red->cmyk[1], 1) && NEAR(red->cmyk[2], 0.81) && NEAR(red->cmyk[3], 0.04));
		CHECK(NEAR(lo->role[ROLE_H1].color.r, 0xb5 / 255.0));
		const struct yml_ink *grey = yml_palette_lookup(&lo->palette, "grey");
		CHECK(grey && !grey->has_cmyk && !grey->spot && grey->line == 9);
	}
	layout_free(lo);
	/* a child recolours a name: every use in the parent follows */
	lo = load_text("pal_child.yaml", "extends: pal_base\ncolors:\n  brand: \"#ff0000\"\n", &d);
	CHECK(lo && NEAR(lo->role[ROLE_BODY].color.r, 1) && NEAR(lo->role[ROLE_BODY].color.b, 0));
	CHECK(lo && yml_palette_lookup(&lo->palette, "brand") &&
	      !yml_palette_lookup(&lo->palette, "brand")->has_cmyk);
	layout_free(lo);
	CHECK_INT(d.n, 0);
	/* errors, each at its place */
	const char *p = put("pal_bad.yaml", MINIMAL
			    "colors:\n  brand: \"#0b5aa2\"\n"
			    "  spot: {screen: \"#ff0000\", spot: X}\n"
			    "  ink: {screen: \"#000\", cmyk: \"0 0 0\"}\n"
			    "  \"#abc\": \"#abcdef\"\n"
			    "  more: {scren: \"#000\"}\n"
			    "toc: {title: 目录, title_style: {color: brnad}}\n");
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 10, 3, "colors.spot: the spot colour X needs cmyk: its alternate, "
					       "for proofs and devices without the ink");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 11, 32, "colors.ink.cmyk: expected four percentages of cyan, "
						"magenta, yellow and black, like \"0 100 81 4\" or [0, 100, 81, 4], "
						"got \"0 0 0\"");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 12, 4, "colors: a colour's name is letters, digits, - and _ (not '#abc')");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 13, 10, "unknown key 'scren' in colors.more (a colour has screen, cmyk and spot)");
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 14, 39, "toc.title_style.color: expected a color like \"#0b5aa2\", a "
						 "name from colors:, or none, got \"brnad\"");
	diag_clear(&d);
}

static void test_extends_errors(void)
{
	struct diags d = {0};
	const char *a = put("cyc_a.yaml", "extends: cyc_b\n" MINIMAL);
	put("cyc_b.yaml", "extends: cyc_a\n");
	CHECK(layout_load("cyc_a", tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	char *ra = realpath(a, NULL), *rb = xasprintf("%.*s/cyc_b.yaml", (int)(strrchr(ra, '/') - ra), ra);
	char *msg = xasprintf("extends makes a cycle: %s -> %s -> %s", ra, rb, ra);
	CHECK(d.n == 1 && d.v[0].line == 1 && d.v[0].col == 10 && !strcmp(d.v[0].msg, msg));
	if (d.n)
		CHECK(strstr(d.v[0].file, "cyc_b.yaml") != NULL);
	free(msg);
	free(ra);
	free(rb);
	diag_clear(&d);

	const char *self = put("self.yaml", MINIMAL "extends: self\n");
	CHECK(layout_load(self, tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(d.n == 1 && d.v[0].line == 8 && d.v[0].col == 10 && strstr(d.v[0].msg, "cycle"));
	diag_clear(&d);

	/* depth: deep0 extends deep1 ... deep9 */
	char name[32], text[64];
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "deep%d.yaml", i);
		if (i < 9)
			snprintf(text, sizeof(text), "extends: deep%d\n", i + 1);
		else
			snprintf(text, sizeof(text), "widows: 2\n");
		put(name, text);
	}
	CHECK(layout_load("deep0", tmpdir, &d) == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(d.n == 1 && !strcmp(d.v[0].msg, "extends: more than 8 layouts in a chain"));
	diag_clear(&d);
	/* 8 files in a chain are fine (then page etc. are missing, nothing else) */
	put("deep7.yaml", MINIMAL);
	put("deep8.yaml", MINIMAL);
	struct layout *lo = layout_load("deep1", tmpdir, &d);
	CHECK(lo != NULL);
	CHECK_INT(d.n, 0);
	layout_free(lo);
	diag_clear(&d);

	const char *p = put("orphan.yaml", "extends: missing_parent\n" MINIMAL);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	msg = xasprintf("layout 'missing_parent' not found (looked for %s/missing_parent.yaml)", tmpdir);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 10, msg);
	free(msg);
	diag_clear(&d);
	p = put("extlist.yaml", "extends: [a]\n" MINIMAL);
	CHECK(layout_load(p, tmpdir, &d) == NULL);
	CHECK_DIAG_IN(&d, SEV_ERROR, p, 1, 1, "extends: expected a text, got a sequence");
	diag_clear(&d);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_epoint);
	RUN(test_units_colors_enums);
	RUN(test_inheritance);
	RUN(test_number_templates);
	RUN(test_text_block);
	RUN(test_required);
	RUN(test_unknown_keys);
	RUN(test_syntax_error);
	RUN(test_not_found);
	RUN(test_extends);
	RUN(test_extends_errors);
	RUN(test_palette);
	for (int i = 0; i < nwritten; i++) {
		remove(written[i]);
		free(written[i]);
	}
	rmdir(tmpdir);
	return check_report();
}
