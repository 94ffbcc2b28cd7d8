/* layout.c: a layout file -> the immutable design (page, fonts, styles).
 *
 * The schema tables below are the whole file format: adding a key is one
 * line here (and a member in struct layout).  Every design value comes from
 * the file; the code holds no fallback values.  What the renderer cannot do
 * without is required (page size and margins, the two font families, the
 * body style's font, size, line_height and color); other keys left out are
 * zero, which means "none" (no background, no rule, no number, no space).
 *
 * Inheritance, resolved after loading: a style that does not set font,
 * size, line_height or color takes them from its parent: headings, quote,
 * item, code and link from body; source_label and region (which sit inside
 * entry titles) from entry.  Then font "serif" / "sans" become the families
 * of fonts:.
 *
 * extends: NAME (or a path) loads that layout first and applies this file's
 * keys over it; chains are at most 8 deep and must not loop.  Inheritance
 * and validation see the merged result. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bulletin.h"

#define LAYOUT_MAX_EXTENDS 8
#define LAYOUT_MIN_BLOCK 50.0	/* pt: the least text block width and height */

_Static_assert(sizeof(enum align) == sizeof(int), "YML_ENUM stores an int");
_Static_assert(sizeof(enum cover_kind) == sizeof(int), "YML_ENUM stores an int");
_Static_assert(sizeof(enum numbering_start) == sizeof(int), "YML_ENUM stores an int");
_Static_assert(sizeof(enum numerals) == sizeof(int), "YML_ENUM stores an int");
_Static_assert(sizeof(enum notes_place) == sizeof(int), "YML_ENUM stores an int");
_Static_assert(sizeof(enum notes_numbering) == sizeof(int), "YML_ENUM stores an int");

/* ---- the schema ---- */

#define SF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct style, member), __VA_ARGS__}
#define LF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, member), __VA_ARGS__}
/* A nested group whose members are fields of struct layout itself. */
#define GROUP(k, schema, ...) {.key = k, .type = YML_MAP, .offset = 0, .sub = &schema, __VA_ARGS__}

static const struct yml_enum align_names[] = {
	{"left", ALIGN_LEFT},
	{"justify", ALIGN_JUSTIFY},
	{"center", ALIGN_CENTER},
	{"right", ALIGN_RIGHT},
	{NULL, 0},
};

/* The keys of every style; req is YML_REQUIRED for body's inherited keys. */
#define STYLE_FIELDS(req)                                                                  \
	SF("font", YML_STRING, font, .flags = (req)),                                      \
	SF("size", YML_DIM, size, .flags = (req) | YML_POSITIVE | YML_MAX, .max = 1000),   \
	SF("line_height", YML_NUMBER, line_height, .flags = (req) | YML_MIN | YML_MAX,     \
	   .min = 0.5, .max = 5),                                                          \
	SF("color", YML_COLOR, color, .flags = (req)),                                     \
	SF("bold", YML_BOOL, bold),                                                        \
	SF("italic", YML_BOOL, italic),                                                    \
	SF("background", YML_COLOR, background),                                           \
	SF("space_before", YML_LEN, space_before),                                         \
	SF("space_after", YML_LEN, space_after),                                           \
	SF("indent", YML_LEN, indent),                                                     \
	SF("margin_left", YML_LEN, margin_left),                                           \
	SF("margin_right", YML_LEN, margin_right),                                         \
	SF("align", YML_ENUM, align, .names = align_names),                                \
	SF("rule_below", YML_DIM, rule_below, .flags = YML_MIN, .min = 0),                 \
	SF("rule_color", YML_COLOR, rule_color),                                           \
	SF("padding", YML_DIM, padding, .flags = YML_MIN, .min = 0),                      \
	SF("tag_ascent", YML_NUMBER, tag_ascent, .flags = YML_MIN | YML_MAX | YML_DEFAULT, \
	   .min = 0, .max = 3, .def = 0.88),                                               \
	SF("tag_descent", YML_NUMBER, tag_descent, .flags = YML_MIN | YML_MAX | YML_DEFAULT, \
	   .min = 0, .max = 3, .def = 0.12)

/* Where a list marker sits in its hanging box. */
static const struct yml_enum marker_align_names[] = {
	{"left", ALIGN_LEFT},
	{"center", ALIGN_CENTER},
	{"right", ALIGN_RIGHT},
	{NULL, 0},
};

static const struct yml_field body_fields[] = {STYLE_FIELDS(YML_REQUIRED), {0}};
static const struct yml_field role_fields[] = {STYLE_FIELDS(0), {0}};
/* List items: the markers' hanging box (text.c, text_lists). */
static const struct yml_field item_fields[] = {
	STYLE_FIELDS(0),
	SF("bullet", YML_STRING, bullet),
	SF("bullet_size", YML_NUMBER, bullet_size, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 0.2, .max = 3, .def = 1),
	SF("marker_gap", YML_LEN, marker_gap, .flags = YML_MIN | YML_MAX, .min = 0, .max = 10),
	SF("marker_align", YML_ENUM, marker_align, .names = marker_align_names,
	   .flags = YML_DEFAULT, .def = ALIGN_RIGHT),
	{0},
};
static const struct yml_field heading_fields[] = {
	STYLE_FIELDS(0),
	SF("number", YML_STRING, number),	/* checked by check_number */
	{0},
};
static const struct yml_schema body_schema = {"body", body_fields};
static const struct yml_schema role_schema = {"style", role_fields};
static const struct yml_schema heading_schema = {"heading", heading_fields};
static const struct yml_schema item_schema = {"item", item_fields};

int layout_text_color(const struct yml_field *f)
{
	const struct yml_field *tables[] = {body_fields, role_fields, heading_fields, item_fields};
	for (int i = 0; i < 4; i++)
		for (const struct yml_field *g = tables[i]; g->key; g++)
			if (g == f)
				return f->type == YML_COLOR && !strcmp(f->key, "color");
	return 0;
}


static const struct role_info roles[ROLE_COUNT] = {
#define ROLE_INFO(id, key, dump, parent, keys, kind) [id] = {key, dump, parent, keys, kind},
	ROLES(ROLE_INFO)
#undef ROLE_INFO
};

const struct role_info *role_info(enum role_id r)
{
	return &roles[r];
}

int heading_level(int level)
{
	return level < 1 ? 1 : level > 6 ? 6 : level;
}

enum role_id role_heading(int level)
{
	return ROLE_H1 + heading_level(level) - 1;
}

static const struct yml_field styles_fields[] = {
#define ROLE_FIELD(id, key, dump, parent, keys, kind)                                       \
	LF(key, YML_MAP, role[id],                                                           \
	   .sub = (keys) == STYLE_BODY ? &body_schema                                        \
		  : (keys) == STYLE_HEADING ? &heading_schema                                 \
		  : (keys) == STYLE_ITEM ? &item_schema : &role_schema,                      \
	   .flags = id == ROLE_BODY ? YML_REQUIRED : 0),
	ROLES(ROLE_FIELD)
#undef ROLE_FIELD
	{0},
};
static const struct yml_schema styles_schema = {"styles", styles_fields};

static const struct yml_field margin_fields[] = {
	LF("top", YML_DIM, margin_top, .flags = YML_REQUIRED | YML_MIN, .min = 0),
	LF("bottom", YML_DIM, margin_bottom, .flags = YML_REQUIRED | YML_MIN, .min = 0),
	LF("left", YML_DIM, margin_left, .flags = YML_REQUIRED | YML_MIN, .min = 0),
	LF("right", YML_DIM, margin_right, .flags = YML_REQUIRED | YML_MIN, .min = 0),
	{0},
};
static const struct yml_schema margin_schema = {"margin", margin_fields};

static const struct yml_field page_fields[] = {
	LF("width", YML_DIM, page_width, .flags = YML_REQUIRED | YML_POSITIVE),
	LF("height", YML_DIM, page_height, .flags = YML_REQUIRED | YML_POSITIVE),
	GROUP("margin", margin_schema, .flags = YML_REQUIRED),
	{0},
};
static const struct yml_schema page_schema = {"page", page_fields};

static const struct yml_field fonts_fields[] = {
	LF("serif", YML_STRING, font_serif, .flags = YML_REQUIRED),
	LF("sans", YML_STRING, font_sans, .flags = YML_REQUIRED),
	{0},
};
static const struct yml_schema fonts_schema = {"fonts", fonts_fields};

/* The cover: a list of elements. */
#define CF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct cover_item, member), __VA_ARGS__}
static const struct yml_enum cover_kinds[] = {
	{"text", COVER_TEXT},
	{"rect", COVER_RECT},
	{"image", COVER_IMAGE},
	{NULL, 0},
};
static const struct yml_field cover_fields[] = {
	CF("kind", YML_ENUM, kind, .names = cover_kinds, .flags = YML_REQUIRED),
	CF("text", YML_STRING, text),
	CF("style", YML_MAP, style, .sub = &role_schema),
	CF("x", YML_DIM, x),
	CF("y", YML_DIM, y),
	CF("width", YML_DIM, width, .flags = YML_MIN, .min = 0),
	CF("height", YML_DIM, height, .flags = YML_MIN, .min = 0),
	CF("color", YML_COLOR, color),
	CF("file", YML_STRING, file),
	{0},
};
static const struct yml_schema cover_schema = {"cover item", cover_fields};

/* The index (索引). */
static const struct yml_enum order_names[] = {
	{"pinyin", 0},
	{"stroke", 1},
	{NULL, 0},
};
#define XF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, index.member), __VA_ARGS__}
static const struct yml_field index_fields[] = {
	XF("volume", YML_BOOL, volume, .flags = YML_DEFAULT, .def = 0),
	XF("issue", YML_BOOL, issue, .flags = YML_DEFAULT, .def = 0),
	XF("title", YML_STRING, title),
	XF("regions_title", YML_STRING, regions_title),
	XF("documents_title", YML_STRING, documents_title),
	XF("columns", YML_INT, columns, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 1, .max = 4,
	   .def = 2),
	XF("gap", YML_DIM, gap, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 72,
	   .def = 6 * 72 / 25.4),
	XF("order", YML_ENUM, stroke, .names = order_names, .flags = YML_DEFAULT, .def = 0),
	XF("title_style", YML_MAP, title_style, .sub = &role_schema),
	XF("heading", YML_MAP, heading, .sub = &role_schema),
	XF("group", YML_MAP, group, .sub = &role_schema),
	XF("entry", YML_MAP, entry, .sub = &role_schema),
	{0},
};
static const struct yml_schema index_schema = {"index", index_fields};

/* The annual volume (bulletin volume). */
static const struct yml_enum folio_names[] = {
	{"continuous", 0},
	{"per_issue", 1},
	{NULL, 0},
};
static const struct yml_enum issue_start_names[] = {
	{"cover", 0},
	{"title_page", 1},
	{"none", 2},
	{NULL, 0},
};
#define VF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, volume.member), __VA_ARGS__}
static const struct yml_field volume_fields[] = {
	VF("cover", YML_LIST, cover, .sub = &cover_schema, .elem_size = sizeof(struct cover_item)),
	VF("toc_line", YML_STRING, toc_line),
	VF("folios", YML_ENUM, per_issue, .names = folio_names, .flags = YML_DEFAULT, .def = 0),
	VF("issue_start", YML_ENUM, issue_start, .names = issue_start_names, .flags = YML_DEFAULT,
	   .def = 0),
	VF("title_page", YML_LIST, title_page, .sub = &cover_schema,
	   .elem_size = sizeof(struct cover_item)),
	VF("texts", YML_STRMAP, texts),
	{0},
};
static const struct yml_schema volume_schema = {"volume", volume_fields};

#define TF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, toc.member), __VA_ARGS__}
static const struct yml_field toc_fields[] = {
	TF("title", YML_STRING, title, .flags = YML_REQUIRED),
	TF("title_style", YML_MAP, title_style, .sub = &role_schema),
	TF("title_letter_spacing", YML_LEN, title_spacing, .flags = YML_MIN | YML_MAX, .min = 0,
	   .max = 10),
	TF("depth", YML_INT, depth, .flags = YML_REQUIRED | YML_MIN | YML_MAX, .min = 1, .max = 3),
	TF("leader", YML_STRING, leader, .flags = YML_REQUIRED),
	TF("show_labels", YML_BOOL, show_labels),
	TF("page_digits", YML_INT, page_digits, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 1,
	   .max = 9, .def = 4),
	TF("min_leaders", YML_INT, min_leaders, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 20, .def = 3),
	TF("level1", YML_MAP, entry[0], .sub = &role_schema),
	TF("level2", YML_MAP, entry[1], .sub = &role_schema),
	TF("level3", YML_MAP, entry[2], .sub = &role_schema),
	TF("label", YML_MAP, label, .sub = &role_schema),
	TF("region", YML_MAP, region, .sub = &role_schema),
	{0},
};
static const struct yml_schema toc_schema = {"toc", toc_fields};

/* Running head and footer share one shape. */
#define FF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct furniture, member), __VA_ARGS__}
static const struct yml_field furniture_fields[] = {
	FF("text", YML_STRING, text),
	FF("style", YML_MAP, style, .sub = &role_schema),
	FF("y", YML_DIM, y, .flags = YML_MIN, .min = 0),
	FF("rule_y", YML_DIM, rule_y, .flags = YML_MIN, .min = 0),
	FF("rule_width", YML_DIM, rule_width, .flags = YML_MIN, .min = 0),
	FF("rule_color", YML_COLOR, rule_color),
	FF("mirror", YML_BOOL, mirror),
	{0},
};
static const struct yml_schema furniture_schema = {"furniture", furniture_fields};

static const struct yml_enum numbering_names[] = {
	{"cover", NUMBER_FROM_COVER},
	{"toc", NUMBER_FROM_TOC},
	{"body", NUMBER_FROM_BODY},
	{NULL, 0},
};
static const struct yml_enum numeral_names[] = {
	{"roman", NUMERALS_ROMAN},
	{"Roman", NUMERALS_ROMAN_UPPER},
	{"decimal", NUMERALS_DECIMAL},
	{NULL, 0},
};
static const struct yml_field page_numbers_fields[] = {
	LF("start", YML_ENUM, numbering, .names = numbering_names, .flags = YML_REQUIRED),
	LF("front", YML_ENUM, front_numerals, .names = numeral_names, .flags = YML_DEFAULT,
	   .def = NUMERALS_ROMAN),
	LF("recto", YML_BOOL, recto, .flags = YML_DEFAULT, .def = 1),
	{0},
};
static const struct yml_schema page_numbers_schema = {"page_numbers", page_numbers_fields};

static const struct yml_field metadata_fields[] = {
	LF("title", YML_STRING, meta_title),
	LF("subject", YML_STRING, meta_subject),
	LF("author", YML_STRING, meta_author),
	LF("lang", YML_STRING, lang),
	{0},
};
static const struct yml_schema metadata_schema = {"metadata", metadata_fields};

static const struct yml_enum punct_names[] = {
	{"full", COMPOSE_PUNCT_FULL},
	{"kaiming", COMPOSE_PUNCT_KAIMING},
	{"half", COMPOSE_PUNCT_HALF},
	{NULL, 0},
};
static const struct yml_enum pair_names[] = {
	{"1.5em", 0},
	{"1em", 1},
	{NULL, 0},
};
static const struct yml_enum line_start_names[] = {
	{"normal", 0},
	{"strict", 1},
	{NULL, 0},
};
#define YF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, typo.member), __VA_ARGS__}
static const struct yml_field latin_fields[] = {
	YF("word_space_min", YML_LEN, latin.space_min, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 0, .max = 2, .def = 0.25),
	YF("word_space_max", YML_LEN, latin.space_max, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 0, .max = 4, .def = 0.5),
	YF("letter_spacing_max", YML_LEN, latin.letter_space, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 0, .max = 0.1, .def = 0.03),
	YF("hyphenate", YML_BOOL, latin.hyphenate, .flags = YML_DEFAULT, .def = 1),
	YF("dictionary", YML_STRING, latin.dictionary),
	YF("hyphen_min_word", YML_INT, latin.min_word, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 2, .max = 30, .def = 5),
	YF("hyphen_min_left", YML_INT, latin.min_left, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 1, .max = 10, .def = 2),
	YF("hyphen_min_right", YML_INT, latin.min_right, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 1, .max = 10, .def = 3),
	YF("hyphen_max_consecutive", YML_INT, latin.max_consecutive,
	   .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 1, .max = COMPOSE_MAX_RUN, .def = 2),
	{0},
};
static const struct yml_schema latin_schema = {"typography.latin", latin_fields};

static const struct yml_field typography_fields[] = {
	YF("punctuation", YML_ENUM, punct, .names = punct_names, .flags = YML_REQUIRED),
	YF("pair_width", YML_ENUM, pair_one_em, .names = pair_names, .flags = YML_REQUIRED),
	YF("trim_line_start", YML_BOOL, trim_line_start, .flags = YML_REQUIRED),
	YF("han_latin_space", YML_LEN, han_latin, .flags = YML_REQUIRED | YML_MIN | YML_MAX,
	   .min = 0, .max = 1),
	YF("min_last_chars", YML_INT, min_last_chars, .flags = YML_REQUIRED | YML_MIN | YML_MAX,
	   .min = 1, .max = 10),
	YF("line_start", YML_ENUM, strict_start, .names = line_start_names, .flags = YML_DEFAULT,
	   .def = 0),
	YF("label_gap", YML_LEN, label_gap, .flags = YML_DEFAULT | YML_MIN | YML_MAX, .min = 0,
	   .max = 4, .def = 0.5),
	GROUP("latin", latin_schema),
	{0},
};
static const struct yml_schema typography_schema = {"typography", typography_fields};

#define IF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, images.member), __VA_ARGS__}
static const struct yml_field images_fields[] = {
	LF("min_ppi", YML_NUMBER, image_min_ppi, .flags = YML_MIN | YML_MAX, .min = 0, .max = 4800),
	LF("max_height", YML_NUMBER, image_max_height,
	   .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0.05, .max = 1, .def = 0.5),
	IF("max_megapixels", YML_NUMBER, max_megapixels,
	   .flags = YML_POSITIVE | YML_MAX | YML_DEFAULT, .max = 1000, .def = 100),
	IF("max_total_megapixels", YML_NUMBER, max_total_megapixels,
	   .flags = YML_POSITIVE | YML_MAX | YML_DEFAULT, .max = 10000, .def = 400),
	IF("svg_time_limit", YML_NUMBER, svg_seconds,
	   .flags = YML_POSITIVE | YML_MAX | YML_DEFAULT, .max = 600, .def = 5),
	IF("svg_raster_ppi", YML_NUMBER, svg_ppi,
	   .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 36, .max = 1200, .def = 300),
	{0},
};
static const struct yml_schema images_schema = {"images", images_fields};

#define BF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, table.member), __VA_ARGS__}
static const struct yml_field table_fields[] = {
	BF("padding", YML_DIM, padding, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 72,
	   .def = 3),
	BF("rule_top", YML_DIM, rule_top, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 20,
	   .def = 0.75),
	BF("rule_header", YML_DIM, rule_header, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 20, .def = 0.5),
	BF("rule_rows", YML_DIM, rule_rows, .flags = YML_MIN | YML_MAX, .min = 0, .max = 20),
	BF("rule_bottom", YML_DIM, rule_bottom, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 20, .def = 0.75),
	BF("rule_color", YML_COLOR, rule_color),
	BF("header_background", YML_COLOR, header_background),
	BF("band_background", YML_COLOR, band_background),
	BF("min_size", YML_DIM, min_size, .flags = YML_POSITIVE | YML_MAX | YML_DEFAULT, .max = 100,
	   .def = 7),
	{0},
};
static const struct yml_schema table_schema = {"table", table_fields};

static const struct yml_enum notes_places[] = {
	{"foot", NOTES_FOOT},
	{"entry", NOTES_ENTRY},
	{NULL, 0},
};
static const struct yml_enum notes_numberings[] = {
	{"issue", NOTES_BY_ISSUE},
	{"entry", NOTES_BY_ENTRY},
	{NULL, 0},
};
#define NF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, notes.member), __VA_ARGS__}
static const struct yml_field notes_fields[] = {
	NF("place", YML_ENUM, place, .names = notes_places, .flags = YML_DEFAULT, .def = NOTES_FOOT),
	NF("numbering", YML_ENUM, numbering, .names = notes_numberings, .flags = YML_DEFAULT,
	   .def = NOTES_BY_ISSUE),
	NF("mark_size", YML_NUMBER, mark_size, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0.3,
	   .max = 1, .def = 0.6),
	NF("mark_rise", YML_NUMBER, mark_rise, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 1, .def = 0.35),
	NF("rule_length", YML_NUMBER, rule_length, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 1, .def = 0.3),
	NF("rule_width", YML_DIM, rule_width, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 20, .def = 0.5),
	NF("rule_color", YML_COLOR, rule_color),
	NF("space", YML_DIM, space, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 200,
	   .def = 6),
	{0},
};
static const struct yml_schema notes_schema = {"notes", notes_fields};

static const struct yml_enum pad_names[] = {
	{"1", 1}, {"2", 2}, {"4", 4}, {"8", 8}, {"16", 16}, {"32", 32}, {NULL, 0},
};
#define PF(k, t, member, ...) {.key = k, .type = t, .offset = offsetof(struct layout, print.member), __VA_ARGS__}
static const struct yml_field print_fields[] = {
	PF("max_ink", YML_NUMBER, max_ink, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 100,
	   .max = 400, .def = 300),
	PF("min_rule", YML_DIM, min_rule, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0,
	   .max = 5, .def = 0.25),
	PF("slug", YML_DIM, slug, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 72,
	   .def = 10 * 72 / 25.4),
	PF("registration", YML_BOOL, registration, .flags = YML_DEFAULT, .def = 1),
	PF("pad", YML_ENUM, pad, .names = pad_names, .flags = YML_DEFAULT, .def = 4),
	PF("creep", YML_DIM, creep, .flags = YML_MIN | YML_MAX | YML_DEFAULT, .min = 0, .max = 10,
	   .def = 0),
	PF("profile", YML_STRING, profile),
	PF("condition", YML_STRING, condition),
	{0},
};
static const struct yml_schema print_schema = {"print", print_fields};

static const struct yml_field layout_fields[] = {
	{.key = "extends", .type = YML_OTHER},	/* read by load_chain */
	{.key = "replace", .type = YML_OTHER},	/* read by yml_doc_read: lists replaced whole */
	GROUP("print", print_schema),
	LF("name", YML_STRING, name),
	LF("pdf_standard", YML_STRING, pdf_standard),
	LF("colors", YML_PALETTE, palette, .flags = YML_EARLY),
	GROUP("page", page_schema, .flags = YML_REQUIRED),
	GROUP("fonts", fonts_schema, .flags = YML_REQUIRED),
	LF("widows", YML_INT, widows, .flags = YML_MIN | YML_MAX, .min = 1, .max = 9),
	LF("orphans", YML_INT, orphans, .flags = YML_MIN | YML_MAX, .min = 1, .max = 9),
	LF("keep_with_next", YML_INT, keep_with_next, .flags = YML_MIN | YML_MAX | YML_DEFAULT,
	   .min = 0, .max = 9, .def = 2),
	GROUP("styles", styles_schema, .flags = YML_REQUIRED),
	GROUP("typography", typography_schema),
	GROUP("images", images_schema),
	LF("texts", YML_STRMAP, texts),
	GROUP("metadata", metadata_schema),
	LF("cover", YML_LIST, cover, .sub = &cover_schema, .elem_size = sizeof(struct cover_item)),
	GROUP("toc", toc_schema),
	GROUP("table", table_schema),
	GROUP("notes", notes_schema),
	LF("header", YML_MAP, header, .sub = &furniture_schema),
	LF("footer", YML_MAP, footer, .sub = &furniture_schema),
	GROUP("page_numbers", page_numbers_schema),
	GROUP("volume", volume_schema),
	GROUP("index", index_schema),
	{0},
};
static const struct yml_schema layout_schema = {"layout", layout_fields};

/* ---- finding files ---- */

static int is_path(const char *ref)
{
	size_t n = strlen(ref);
	return strchr(ref, '/') || (n > 5 && !strcmp(ref + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(ref + n - 4, ".yml"));
}

/* The file a layout reference names: a path, relative to the folder of
 * `from` (the file that names it: the issue, or the layout that extends
 * it; NULL: the working folder), or a name in layouts_dir.  Caller frees. */
static char *layout_file(const char *ref, const char *layouts_dir, const char *from)
{
	if (!is_path(ref))
		return xasprintf("%s/%s.yaml", layouts_dir ? layouts_dir : "layouts", ref);
	return path_relative(from, ref);
}

/* "did you mean 'epoint'?" after a layout ref not found at path: the
 * nearest layout name in layouts/ (a name), or file in its folder (a path). */
static void hint_layout(const char *ref, const char *path, struct diags *d)
{
	char *dir = path_dir(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *near = is_path(ref) ? dir_nearest(dir, base, "") : dir_nearest(dir, ref, ".yaml");
	if (near && is_path(ref) && strrchr(ref, '/'))
		diag_hint(d, "did you mean '%.*s%s'?", (int)(strrchr(ref, '/') + 1 - ref), ref, near);
	else if (near)
		diag_hint(d, "did you mean '%s'?", near);
	free(near);
	free(dir);
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* How a layout is looked for and where its files may be. */
struct finder {
	const char *layouts_dir;
	const char *issue_dir;	/* NULL: none */
	char *top_dir;		/* the command line's layout's folder, or NULL */
	int trusted;		/* the top file was named on the command line */
	struct paths *reads;	/* every file tried; may be NULL */
};

/* 0 if path may be read as a layout: the top file given on the command
 * line, or a file in the project's layouts folder, the issue's folder or
 * the command line layout's folder.  Else an error at (file, line, col),
 * which names what refers to it. */
static int allowed(const struct finder *f, const char *path, int depth, const char *file,
		   int line, int col, const char *ref, struct diags *d)
{
	if (depth == 0 && f->trusted)
		return 0;
	const char *roots[] = {f->layouts_dir ? f->layouts_dir : "layouts", f->issue_dir, f->top_dir};
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (roots[i] && path_under(path, roots[i]))
			return 0;
	char *q = excerpt(ref, strlen(ref), 80);
	diag_add(d, SEV_ERROR, file, line, col,
		 "layout '%s' is outside the project's layouts folder%s%s; a layout from "
		 "elsewhere must be given on the command line (--layout)",
		 q, f->issue_dir ? " and the issue's folder" : "",
		 f->top_dir ? " and the command line layout's folder" : "");
	free(q);
	return -1;
}

/* The documents of a layout and those it extends, the furthest first. */
struct chain_docs {
	struct yml_doc *v[LAYOUT_MAX_EXTENDS + 1];
	int n;
};

/* Parses path (or, if text is not NULL, text[0, len) as the file path) and
 * (first) the layouts it extends, appending their documents to docs and
 * their paths to lo->files.  chain holds the real paths of the files that
 * extend this one.  Returns 0, or -1 when a file cannot be used. */
static int load_chain(struct layout *lo, const char *path, const char *text, size_t len,
		      const struct finder *fd, struct yml_marks *marks, char **chain, int depth,
		      struct chain_docs *docs, struct diags *d)
{
	int rc = -1;
	char *real = NULL, *parent = NULL, *ppath = NULL;
	struct yml_doc *doc = text ? yml_doc_parse(path, text, len, 1, d) : yml_doc_load(path, d);
	if (!doc)
		goto out;
	real = realpath(path, NULL);
	if (!real)
		real = xstrdup(path);
	chain[depth] = real;

	int line = 0, col = 0;
	int errors = d->errors;
	parent = yml_doc_scalar(doc, "extends", &line, &col, d);
	if (d->errors > errors)
		goto out;
	if (parent) {
		ppath = layout_file(parent, fd->layouts_dir, path);
		paths_add(fd->reads, ppath);
		if (!file_exists(ppath)) {
			char *q = excerpt(parent, strlen(parent), 80);
			diag_add(d, SEV_ERROR, path, line, col, "layout '%s' not found (looked for %s)",
				 q, ppath);
			hint_layout(parent, ppath, d);
			free(q);
			goto out;
		}
		if (allowed(fd, ppath, depth + 1, path, line, col, parent, d) < 0)
			goto out;
		char *preal = realpath(ppath, NULL);
		for (int i = 0; preal && i <= depth; i++) {
			if (strcmp(chain[i], preal) == 0) {
				struct sbuf sb;
				sbuf_init(&sb);
				for (int j = i; j <= depth; j++)
					sbuf_printf(&sb, "%s -> ", chain[j]);
				sbuf_str(&sb, preal);
				diag_add(d, SEV_ERROR, path, line, col, "extends makes a cycle: %s", sb.s);
				sbuf_done(&sb);
				free(preal);
				goto out;
			}
		}
		free(preal);
		if (depth + 1 >= LAYOUT_MAX_EXTENDS) {
			diag_add(d, SEV_ERROR, path, line, col,
				 "extends: more than %d layouts in a chain", LAYOUT_MAX_EXTENDS);
			goto out;
		}
		if (load_chain(lo, ppath, NULL, 0, fd, marks, chain, depth + 1, docs, d) < 0)
			goto out;
	}
	lo->files = xrealloc(lo->files, (size_t)(lo->nfiles + 1) * sizeof(*lo->files));
	lo->files[lo->nfiles++] = xstrdup(path);
	docs->v[docs->n++] = doc;
	doc = NULL;
	rc = 0;
out:
	yml_doc_free(doc);
	chain[depth] = NULL;
	free(real);
	free(parent);
	free(ppath);
	return rc;
}

/* ---- after loading ---- */

/* Copies font, size, line_height and color that st does not set from parent. */
static void inherit(struct style *st, const struct style *parent, const struct yml_marks *marks)
{
	if (!yml_marks_lookup(marks, &st->font)) {
		free(st->font);
		st->font = parent->font ? xstrdup(parent->font) : NULL;
	}
	if (!yml_marks_lookup(marks, &st->size))
		st->size = parent->size;
	if (!yml_marks_lookup(marks, &st->line_height))
		st->line_height = parent->line_height;
	if (!yml_marks_lookup(marks, &st->color))
		st->color = parent->color;
}

/* "serif" and "sans" stand for the families of fonts:. */
static void resolve_font(struct style *st, const struct layout *lo)
{
	const char *family = NULL;
	if (st->font && !strcmp(st->font, "serif"))
		family = lo->font_serif;
	else if (st->font && !strcmp(st->font, "sans"))
		family = lo->font_sans;
	if (family) {
		free(st->font);
		st->font = xstrdup(family);
	}
}

/* Checks a heading's number template: each {N} or {N:FORMAT} must name the
 * counter of level 1..level and a format tmpl.c knows.  Errors point at the
 * placeholder (exact for single-line values without escapes). */
static int check_number(const char *tmpl, int level, const char *role,
			const struct yml_mark *m, struct diags *d)
{
	static const char *names[] = {"1", "2", "3", "4", "5", "6"};
	struct tvar vars[6];
	for (int i = 0; i < level; i++)
		vars[i] = (struct tvar){names[i], NULL, 1};
	int rc = 0, col = m->col;
	for (const char *p = tmpl; *p;) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p += 2, col += 2;
			continue;
		}
		if (*p != '{') {
			if (((unsigned char)*p & 0xc0) != 0x80)
				col++;
			p++;
			continue;
		}
		const char *end = strchr(p, '}');
		size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
		char *one = xstrndup(p, n);
		char *why = NULL;
		if (tmpl_check(one, vars, level, &why) < 0) {
			diag_add(d, SEV_ERROR, m->file, m->line, col, "styles.%s.number: %s", role, why);
			rc = -1;
		}
		free(why);
		for (size_t i = 0; i < n; i++)
			if (((unsigned char)p[i] & 0xc0) != 0x80)
				col++;
		free(one);
		p += n;
	}
	return rc;
}

/* The text block (page minus margins) must be at least LAYOUT_MIN_BLOCK
 * each way. */
static int check_block(const struct layout *lo, const struct yml_marks *marks, struct diags *d)
{
	double w = lo->page_width - lo->margin_left - lo->margin_right;
	double h = lo->page_height - lo->margin_top - lo->margin_bottom;
	if (w >= LAYOUT_MIN_BLOCK && h >= LAYOUT_MIN_BLOCK)
		return 0;
	const void *which = w < LAYOUT_MIN_BLOCK ? (const void *)&lo->margin_left
						 : (const void *)&lo->margin_top;
	const struct yml_mark *m = yml_marks_lookup(marks, which);
	const char *file = m ? m->file : lo->path;
	int line = m ? m->line : 0, col = m ? m->col : 0;
	if (w < LAYOUT_MIN_BLOCK)
		diag_add(d, SEV_ERROR, file, line, col,
			 "page.margin leaves a text block %.1fpt wide; it must be at least %gpt: "
			 "on a page %.1fpt wide, left + right margins can be at most %.1fpt (now %.1fpt)",
			 w, LAYOUT_MIN_BLOCK, lo->page_width, lo->page_width - LAYOUT_MIN_BLOCK,
			 lo->margin_left + lo->margin_right);
	else
		diag_add(d, SEV_ERROR, file, line, col,
			 "page.margin leaves a text block %.1fpt tall; it must be at least %gpt: "
			 "on a page %.1fpt tall, top + bottom margins can be at most %.1fpt (now %.1fpt)",
			 h, LAYOUT_MIN_BLOCK, lo->page_height, lo->page_height - LAYOUT_MIN_BLOCK,
			 lo->margin_top + lo->margin_bottom);
	return -1;
}

/* Every template of the layout (at addr) must name a known variable: the
 * issue's (tmpl_issue_vars), the series' texts and, in running heads, {page}. */
static void check_template(const char *tmpl, const char *what, const void *addr, int page,
			   const struct layout *lo, const struct yml_marks *marks, struct diags *d)
{
	if (!tmpl)
		return;
	struct tvar *vars = xcalloc((size_t)lo->texts.n + TMPL_ISSUE_VARS + TMPL_VOLUME_VARS + 1,
				    sizeof(*vars));
	int n = tmpl_issue_vars(vars, 1, 1, 1, "");
	if (page == 2)	/* the volume's cover: its variables too */
		n += tmpl_volume_vars(vars + n, 1, 1, 1, 1, 1);
	else if (page)
		vars[n++] = (struct tvar){"page", "1", 0};
	for (int i = 0; i < lo->texts.n; i++)
		vars[n++] = (struct tvar){lo->texts.keys[i], "", 0};
	char *why = NULL;
	if (tmpl_check(tmpl, vars, n, &why) < 0) {
		const struct yml_mark *m = yml_marks_lookup(marks, addr);
		diag_add(d, SEV_ERROR, m ? m->file : lo->path, m ? m->line : 0, m ? m->col : 0,
			 "%s: %s", what, why);
		free(why);
	}
	free(vars);
}

static void check_templates(struct layout *lo, const struct yml_marks *marks, struct diags *d)
{
	struct tvar issue[TMPL_ISSUE_VARS];
	tmpl_issue_vars(issue, 1, 1, 1, "");
	for (int i = 0; i < lo->texts.n; i++) {
		char *why = NULL;
		if (tmpl_check(lo->texts.values[i], issue, TMPL_ISSUE_VARS, &why) < 0) {
			/* a text may use only the issue's numbers, not other texts */
			diag_add(d, SEV_ERROR, lo->texts.files[i], lo->texts.lines[i],
				 lo->texts.cols[i], "texts.%s: %s", lo->texts.keys[i], why);
			free(why);
		}
	}
	check_template(lo->meta_title, "metadata.title", &lo->meta_title, 0, lo, marks, d);
	check_template(lo->meta_subject, "metadata.subject", &lo->meta_subject, 0, lo, marks, d);
	check_template(lo->meta_author, "metadata.author", &lo->meta_author, 0, lo, marks, d);
	check_template(lo->header.text, "header.text", &lo->header.text, 1, lo, marks, d);
	check_template(lo->footer.text, "footer.text", &lo->footer.text, 1, lo, marks, d);
	struct cover_item *items = lo->cover.v;
	for (int i = 0; i < lo->cover.n; i++) {
		char *what = xasprintf("cover[%d].text", i + 1);
		check_template(items[i].text, what, &items[i].text, 0, lo, marks, d);
		free(what);
	}
	items = lo->volume.cover.v;
	for (int i = 0; i < lo->volume.cover.n; i++) {
		char *what = xasprintf("volume.cover[%d].text", i + 1);
		check_template(items[i].text, what, &items[i].text, 2, lo, marks, d);
		free(what);
	}
	items = lo->volume.title_page.v;
	for (int i = 0; i < lo->volume.title_page.n; i++) {
		char *what = xasprintf("volume.title_page[%d].text", i + 1);
		check_template(items[i].text, what, &items[i].text, 0, lo, marks, d);
		free(what);
	}
	check_template(lo->volume.toc_line, "volume.toc_line", &lo->volume.toc_line, 0, lo, marks, d);
	for (int i = 0; i < lo->volume.texts.n; i++) {
		char *what = xasprintf("volume.texts.%s", lo->volume.texts.keys[i]);
		if (!yml_strmap_lookup(&lo->texts, lo->volume.texts.keys[i]))
			diag_add(d, SEV_ERROR, lo->volume.texts.files[i], lo->volume.texts.lines[i],
				 lo->volume.texts.cols[i], "%s: the layout has no text of that name", what);
		check_template(lo->volume.texts.values[i], what, &lo->volume.texts.values[i], 2, lo, marks,
			       d);
		free(what);
	}
}

/* metadata.lang: a language tag as BCP 47 writes them (zh-CN, en,
 * zh-Hans-CN): subtags of letters and digits joined by hyphens, the first
 * 2-3 letters. */
static void check_lang(const struct layout *lo, const struct yml_marks *marks, struct diags *d)
{
	const char *s = lo->lang;
	if (!s)
		return;
	size_t first = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	int ok = first >= 2 && first <= 3 && strlen(s) <= 35;
	for (const char *p = s + first; ok && *p; p++)
		ok = (*p == '-' && p[1] && p[1] != '-') ||
		     (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
	if (ok)
		return;
	const struct yml_mark *m = yml_marks_lookup(marks, &lo->lang);
	char *q = excerpt(s, strlen(s), 40);
	diag_add(d, SEV_ERROR, m ? m->file : lo->path, m ? m->line : 0, m ? m->col : 0,
		 "metadata.lang: %s is not a language tag; expected one such as zh-CN or en", q);
	free(q);
}

/* An image element: its file, relative to the layout file that names it
 * and inside that file's folder, must be a PNG, JPEG or SVG within the
 * image limits; a height left out keeps its proportions. */
static void check_image(struct cover_item *it, int i, const char *file, int line, int col,
			const struct image_limits *lim, struct diags *d)
{
	if (!it->file || it->width <= 0) {
		diag_add(d, SEV_ERROR, file, line, col,
			 "cover[%d]: an image needs file: and a width above 0", i + 1);
		return;
	}
	free(it->path);
	it->path = path_relative(file, it->file);
	it->at = (struct srcpos){file, line, col};
	char *dir = path_dir(file);
	struct image_info im;
	char *why = NULL;
	if (access(it->path, F_OK) == 0 && !path_under(it->path, dir))
		why = xasprintf("it is outside the layout's folder %s; a layout's images must be "
				"in its folder or below", dir);
	else if (image_probe(it->path, &im, &why) == 0)
		image_check_limits(&im, lim, &why);
	free(dir);
	if (why) {
		char *q = excerpt(it->file, strlen(it->file), 80);
		diag_add(d, SEV_ERROR, file, line, col, "cover[%d]: image %s: %s", i + 1, q, why);
		free(q);
		free(why);
		return;
	}
	it->image_w = im.width;
	it->image_h = im.height;
	if (it->height <= 0)
		it->height = it->width * im.height / im.width;
}

/* Cover elements: styles inherit from body; a text needs its text, a
 * rectangle its size. */
static void check_cover(struct layout *lo, struct yml_list *list, const struct yml_marks *marks,
			struct diags *d)
{
	struct cover_item *items = list->v;
	for (int i = 0; i < list->n; i++) {
		struct cover_item *it = &items[i];
		const struct yml_mark *m = yml_marks_lookup(marks, it);
		const char *file = m ? m->file : lo->path;
		int line = m ? m->line : 0, col = m ? m->col : 0;
		/* kind shares the element's address: its own mark names the key
		 * (the element's is later when a child changed it by id) */
		const struct yml_mark *km = yml_marks_lookup_key(marks, &it->kind, "kind");
		if (!km)
			diag_add(d, SEV_ERROR, file, line, col,
				 "cover[%d]: missing required key 'kind' (text, rect or image)", i + 1);
		else if (it->kind == COVER_TEXT && !it->text)
			diag_add(d, SEV_ERROR, file, line, col, "cover[%d]: a text element needs text:",
				 i + 1);
		else if (it->kind == COVER_RECT && (it->width <= 0 || it->height <= 0))
			diag_add(d, SEV_ERROR, file, line, col,
				 "cover[%d]: a rect needs a width and a height above 0", i + 1);
		else if (it->kind == COVER_IMAGE) {
			/* file: is relative to the layout that wrote it, which may
			 * be a child that changed the element by id */
			const struct yml_mark *fm = yml_marks_lookup(marks, &it->file);
			if (fm && strcmp(fm->file, file)) {
				file = fm->file;
				line = fm->line;
				col = fm->col;
			}
			check_image(it, i, file, line, col, &lo->images, d);
		}
		inherit(&it->style, &lo->role[ROLE_BODY], marks);
		resolve_font(&it->style, lo);
	}
}

/* typography.latin: word spaces as lengths of one unit, the least below
 * the most; the hyphenation dictionary found from the layout's folder and
 * readable (else a warning: Latin paragraphs are not hyphenated). */
static void check_latin(struct layout *lo, const struct yml_marks *marks, struct diags *d)
{
	const struct len *a = &lo->typo.latin.space_min, *b = &lo->typo.latin.space_max;
	const struct yml_mark *m = yml_marks_lookup(marks, b);
	if (!m)
		m = yml_marks_lookup(marks, a);
	const char *file = m ? m->file : lo->path;
	if ((a->pt != 0 && a->em != 0) || (b->pt != 0 && b->em != 0) ||
	    ((a->pt != 0 || b->pt != 0) && (a->em != 0 || b->em != 0)))
		diag_add(d, SEV_ERROR, file, m ? m->line : 0, m ? m->col : 0,
			 "typography.latin: word_space_min and word_space_max must both be in em "
			 "or both in points");
	else if (a->pt + a->em >= b->pt + b->em)
		diag_add(d, SEV_ERROR, file, m ? m->line : 0, m ? m->col : 0,
			 "typography.latin: word_space_min (%g%s) must be less than word_space_max "
			 "(%g%s)", a->em ? a->em : a->pt, a->em ? "em" : "pt", b->em ? b->em : b->pt,
			 b->em ? "em" : "pt");
	const struct yml_mark *dm = yml_marks_lookup(marks, &lo->typo.latin.dictionary);
	free(lo->typo.latin.dictionary_path);
	lo->typo.latin.dictionary_path = lo->typo.latin.dictionary && dm
		? path_relative(dm->file, lo->typo.latin.dictionary)
		: xstrdup(HYPH_DEFAULT_DICT);
	if (lo->typo.latin.hyphenate && !hyph_lookup(lo->typo.latin.dictionary_path))
		diag_add(d, SEV_WARNING, dm ? dm->file : lo->path, dm ? dm->line : 0, dm ? dm->col : 0,
			 "typography.latin: cannot read the hyphenation dictionary %s (Debian: "
			 "hyphen-en-us); Latin paragraphs are not hyphenated",
			 lo->typo.latin.dictionary_path);
}

static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *dot = strrchr(b, '.');
	return dot && dot != b ? xstrndup(b, (size_t)(dot - b)) : xstrdup(b);
}

/* Reads the layout file lo->path, or text[0, len) standing for it, into lo,
 * then completes and checks it.  Returns lo, or NULL (lo freed). */
static struct layout *load(struct layout *lo, const char *text, size_t len,
			   const struct finder *fd, struct diags *d)
{
	struct yml_marks marks = {0};
	struct yml_doc *top = NULL;
	struct chain_docs docs = {{0}, 0};
	char *chain[LAYOUT_MAX_EXTENDS + 1] = {0};
	int errors = d->errors;

	yml_defaults(&layout_schema, lo);
	int loaded = load_chain(lo, lo->path, text, len, fd, &marks, chain, 0, &docs, d);
	/* the whole chain's palette first: a colour named anywhere in it is
	 * the one its last layout gives (a child recolours its parents) */
	for (int i = 0; loaded == 0 && i < docs.n; i++)
		yml_doc_read_early(docs.v[i], &layout_schema, lo, &marks, d);
	for (int i = 0; loaded == 0 && i < docs.n; i++)	/* errors counted below */
		yml_doc_read(docs.v[i], &layout_schema, lo, &marks, &lo->palette, d);
	top = docs.n ? docs.v[docs.n - 1] : NULL;
	for (int i = 0; i + 1 < docs.n; i++)
		yml_doc_free(docs.v[i]);
	if (loaded < 0 || d->errors > errors)
		goto fail;
	if (yml_require(top, &layout_schema, lo, &marks, d) < 0)
		goto fail;

	/* parents come before their children in ROLES */
	for (int r = 0; r < ROLE_COUNT; r++)
		if (roles[r].parent != ROLE_NONE)
			inherit(&lo->role[r], &lo->role[roles[r].parent], &marks);
	for (int r = 0; r < ROLE_COUNT; r++)
		resolve_font(&lo->role[r], lo);
	/* generated texts (TOC, running heads, cover) take what they leave out from body */
	struct style *gen[] = {&lo->toc.title_style, &lo->toc.entry[0], &lo->toc.entry[1],
			       &lo->toc.entry[2], &lo->header.style, &lo->footer.style,
			       &lo->index.title_style, &lo->index.heading, &lo->index.group,
			       &lo->index.entry};
	for (size_t i = 0; i < sizeof(gen) / sizeof(gen[0]); i++) {
		inherit(gen[i], &lo->role[ROLE_BODY], &marks);
		resolve_font(gen[i], lo);
	}
	inherit(&lo->toc.label, &lo->toc.entry[1], &marks);
	inherit(&lo->toc.region, &lo->toc.entry[1], &marks);
	resolve_font(&lo->toc.label, lo);
	resolve_font(&lo->toc.region, lo);
	lo->toc.enabled = yml_marks_lookup(&marks, &lo->toc.title) != NULL;
	if (!yml_marks_lookup(&marks, &lo->table.rule_color))	/* rules in the text's colour */
		lo->table.rule_color = lo->role[ROLE_TABLE].color;
	if (!yml_marks_lookup(&marks, &lo->notes.rule_color))
		lo->notes.rule_color = lo->role[ROLE_NOTE].color;
	lo->typo.given = yml_marks_lookup(&marks, &lo->typo.punct) != NULL;
	check_latin(lo, &marks, d);
	check_cover(lo, &lo->cover, &marks, d);
	check_cover(lo, &lo->volume.cover, &marks, d);
	check_cover(lo, &lo->volume.title_page, &marks, d);
	check_templates(lo, &marks, d);
	check_lang(lo, &marks, d);
	/* the press profile: a file beside the layout that names it, else
	 * ghostscript's SWOP characterisation (Debian's libgs-common) */
	const struct yml_mark *pm = yml_marks_lookup(&marks, &lo->print.profile);
	if (lo->print.profile && pm) {
		lo->print.profile_path = path_relative(pm->file, lo->print.profile);
		lo->print.profile_at = (struct srcpos){pm->file, pm->line, pm->col};
		char *dir = path_dir(pm->file);
		if (access(lo->print.profile_path, F_OK) == 0 && !path_under(lo->print.profile_path, dir))
			diag_add(d, SEV_ERROR, pm->file, pm->line, pm->col,
				 "print.profile: it is outside the layout's folder %s; a layout's files "
				 "must be in its folder or below", dir);
		free(dir);
	} else {
		lo->print.profile_path = xstrdup("/usr/share/color/icc/ghostscript/default_cmyk.icc");
		if (!lo->print.condition)
			lo->print.condition = xstrdup("CGATS TR 001");
	}
	if (lo->pdf_standard) {
		char *why = NULL;
		if (pdfstd_parse(lo->pdf_standard, &lo->pdf_standards, &why) < 0) {
			const struct yml_mark *m = yml_marks_lookup(&marks, &lo->pdf_standard);
			diag_add(d, SEV_ERROR, m ? m->file : lo->path, m ? m->line : 0, m ? m->col : 0,
				 "pdf_standard: %s", why);
			free(why);
		}
	}

	/* The name: this file's name:, else its file name (not a parent's). */
	const struct yml_mark *nm = yml_marks_lookup(&marks, &lo->name);
	if (!nm || strcmp(nm->file, lo->path) != 0) {
		free(lo->name);
		lo->name = base_name(lo->path);
	}

	check_block(lo, &marks, d);
	for (int i = 1; i <= 6; i++) {
		const struct style *st = &lo->role[role_heading(i)];
		const struct yml_mark *m = yml_marks_lookup(&marks, &st->number);
		if (st->number && m)
			check_number(st->number, i, roles[role_heading(i)].key, m, d);
	}
	if (d->errors > errors)
		goto fail;
	yml_doc_free(top);
	lo->marks = marks;	/* where each value came from, for later checks */
	return lo;
fail:
	yml_doc_free(top);
	yml_marks_done(&marks);
	layout_free(lo);
	return NULL;
}

/* Loads the layout ref names, looked for as fd says; at is where ref was
 * written (NULL: the command line). */
static struct layout *find_and_load(const char *ref, struct finder *fd, const char *from,
				    const struct srcpos *at, struct diags *d)
{
	const char *file = at ? at->file : NULL;
	int line = at ? at->line : 0, col = at ? at->col : 0;
	if (!ref || !*ref) {
		diag_add(d, SEV_ERROR, file, line, col, "no layout named");
		return NULL;
	}
	struct layout *lo = xcalloc(1, sizeof(*lo));
	lo->path = layout_file(ref, fd->layouts_dir, from);
	paths_add(fd->reads, lo->path);
	char *q = excerpt(ref, strlen(ref), 80);
	struct layout *res = NULL;
	if (!file_exists(lo->path)) {
		if (is_path(ref) && !at)
			diag_add(d, SEV_ERROR, lo->path, 0, 0, "layout file not found");
		else
			diag_add(d, SEV_ERROR, file, line, col, "layout '%s' not found (looked for %s)",
				 q, lo->path);
		hint_layout(ref, lo->path, d);
		layout_free(lo);
	} else if (allowed(fd, lo->path, 0, file, line, col, ref, d) < 0) {
		layout_free(lo);
	} else {
		if (fd->trusted)
			fd->top_dir = path_dir(lo->path);
		res = load(lo, NULL, 0, fd, d);
	}
	free(q);
	free(fd->top_dir);
	fd->top_dir = NULL;
	return res;
}

struct layout *layout_load(const char *name_or_path, const char *layouts_dir, struct diags *d)
{
	struct layout_ref r = {name_or_path, layouts_dir, NULL, {NULL, 0, 0}, NULL};
	return layout_find(&r, d);
}

struct layout *layout_find(const struct layout_ref *r, struct diags *d)
{
	char *dir = r->issue ? path_dir(r->issue) : NULL;
	struct finder fd = {r->layouts_dir, dir, NULL, r->issue == NULL, r->reads};
	struct layout *lo = find_and_load(r->ref, &fd, r->issue, r->issue ? &r->at : NULL, d);
	free(dir);
	return lo;
}

struct layout *layout_parse(const char *path, const char *data, size_t len,
			    const char *layouts_dir, struct diags *d)
{
	struct layout *lo = xcalloc(1, sizeof(*lo));
	lo->path = xstrdup(path);
	struct finder fd = {layouts_dir, NULL, path_dir(path), 1, NULL};
	lo = load(lo, data, len, &fd, d);
	free(fd.top_dir);
	return lo;
}

void layout_free(struct layout *lo)
{
	if (!lo)
		return;
	struct cover_item *items = lo->cover.v;
	for (int i = 0; i < lo->cover.n; i++)
		free(items[i].path);
	items = lo->volume.cover.v;
	for (int i = 0; i < lo->volume.cover.n; i++)
		free(items[i].path);
	items = lo->volume.title_page.v;
	for (int i = 0; i < lo->volume.title_page.n; i++)
		free(items[i].path);
	yml_free(&layout_schema, lo);
	free(lo->print.profile_path);
	free(lo->typo.latin.dictionary_path);
	yml_marks_done(&lo->marks);
	for (int i = 0; i < lo->nfiles; i++)
		free(lo->files[i]);
	free(lo->files);
	free(lo->path);
	free(lo);
}

void layout_where(const struct layout *lo, const void *addr, const char **file, int *line,
		  int *col)
{
	const struct yml_mark *m = yml_marks_lookup(&lo->marks, addr);
	*file = m ? m->file : lo->path;
	*line = m ? m->line : 0;
	*col = m ? m->col : 0;
}

int layout_styles(const struct layout *lo, const struct style **out, int max)
{
	int n = 0;
#define ADD(st) do { if (n < max) out[n++] = (st); } while (0)
	for (int r = 0; r < ROLE_COUNT; r++)
		ADD(&lo->role[r]);
	ADD(&lo->toc.title_style);
	for (int i = 0; i < 3; i++)
		ADD(&lo->toc.entry[i]);
	ADD(&lo->toc.label);
	ADD(&lo->toc.region);
	ADD(&lo->header.style);
	ADD(&lo->footer.style);
	const struct cover_item *items = lo->cover.v;
	for (int i = 0; i < lo->cover.n; i++)
		ADD(&items[i].style);
#undef ADD
	return n;
}
