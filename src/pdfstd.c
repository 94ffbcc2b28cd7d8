/* pdfstd.c: the PDF standards a render may claim (PDF/A-2b, -2u, -3b,
 * PDF/UA-1) and what they add to cairo's PDF through libqpdf: XMP
 * metadata made from the /Info cairo wrote (so the two always agree),
 * PDF/A's identification and sRGB output intent, PDF/UA's
 * identification, and the repairs PDF/A needs of cairo's objects
 * (images that ask to be interpolated, annotations without the print
 * flag, dates without the D: prefix).  What a standard asks of the
 * content itself (tags, alternate text, heading order) is checked before
 * drawing by pdfstd_check: a request that cannot be met is an error,
 * never a file that claims what it lacks.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletin.h"
#include "lazylib.h"

static const struct {
	unsigned flag;
	const char *name;
} standards[] = {
	{PDF_A2B, "a-2b"},
	{PDF_A2U, "a-2u"},
	{PDF_A3B, "a-3b"},
	{PDF_UA1, "ua-1"},
	{PDF_X4, "x-4"},
};
#define PDF_A (PDF_A2B | PDF_A2U | PDF_A3B)
#define NSTANDARDS (int)(sizeof(standards) / sizeof(standards[0]))

int pdfstd_parse(const char *s, unsigned *flags, char **why)
{
	*flags = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < NSTANDARDS; i++)
			if (strlen(standards[i].name) == n && !strncmp(p, standards[i].name, n))
				found = i;
		if (found < 0) {
			char *q = excerpt(p, n, 20);
			*why = xasprintf("%s is not a PDF standard bulletin writes; expected a-2b, a-2u, "
					 "a-3b, ua-1 or x-4, or a combination such as a-2u,ua-1",
					 n ? q : "an empty name");
			free(q);
			return -1;
		}
		*flags |= standards[found].flag;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*flags) {
		*why = xstrdup("no standard named; expected a-2b, a-2u, a-3b, ua-1 or x-4");
		return -1;
	}
	int parts = !!(*flags & PDF_A2B) + !!(*flags & PDF_A2U) + !!(*flags & PDF_A3B);
	if (parts > 1) {
		*why = xstrdup("a PDF conforms to one part and level of PDF/A at a time; "
			       "choose one of a-2b, a-2u and a-3b");
		return -1;
	}
	if (parts && (*flags & PDF_X4)) {
		*why = xstrdup("PDF/A (for screens, an sRGB output intent) and PDF/X-4 (for the "
			       "press, a CMYK one) are separate files; choose one");
		return -1;
	}
	return 0;
}

void pdfstd_names(unsigned flags, char *buf, size_t size)
{
	buf[0] = 0;
	for (int i = 0; i < NSTANDARDS; i++)
		if (flags & standards[i].flag) {
			size_t n = strlen(buf);
			snprintf(buf + n, size - n, "%s%s", n ? "," : "", standards[i].name);
		}
}

/* The sRGB profile of the output intent: the first of these that exists
 * (Debian's icc-profiles-free, colord, ghostscript). */
static const char *const srgb_profiles[] = {
	"/usr/share/color/icc/sRGB.icc",
	"/usr/share/color/icc/colord/sRGB.icc",
	"/usr/share/color/icc/ghostscript/srgb.icc",
};

static const char *srgb_profile(void)
{
	const char *env = getenv("BULLETIN_SRGB_PROFILE");	/* for tests */
	if (env)
		return *env && access(env, R_OK) == 0 ? env : NULL;
	for (size_t i = 0; i < sizeof(srgb_profiles) / sizeof(srgb_profiles[0]); i++)
		if (access(srgb_profiles[i], R_OK) == 0)
			return srgb_profiles[i];
	return NULL;
}

/* A press profile: a readable ICC profile of an output device in CMYK.
 * NULL, or why not (caller frees). */
static char *press_profile_problem(const char *path)
{
	struct diags rd = {0};
	size_t n = 0;
	char *icc = path ? file_load(path, &n, &rd) : NULL;
	char *why = NULL;
	if (!icc)
		why = xstrdup(rd.n ? rd.v[0].msg : "no CMYK profile is installed (apt-get install "
						   "libgs-common, or name one in the layout's print.profile)");
	else if (n < 128 || memcmp(icc + 36, "acsp", 4))
		why = xasprintf("%s is not an ICC profile", path);
	else if (memcmp(icc + 16, "CMYK", 4) || memcmp(icc + 12, "prtr", 4))
		why = xasprintf("%s is not a CMYK printer profile", path);
	diag_clear(&rd);
	free(icc);
	return why;
}

int pdfstd_check(const struct doc *doc, const struct pdf_opts *o, struct diags *d)
{
	int errors = d->errors;
	unsigned flags = o->standards;
	int cmyk = o->cmyk;
	char names[64];
	pdfstd_names(flags, names, sizeof(names));
	if (!flags)
		return 0;
	if ((flags & PDF_X4) && !o->print)
		diag_add(d, SEV_ERROR, NULL, 0, 0,
			 "--pdf-standard %s: PDF/X is for the press; render the print profile with "
			 "--bleed (e.g. --bleed 3mm), which has the trim and bleed boxes and no links",
			 names);
	char *why = flags & PDF_X4 ? press_profile_problem(o->press_profile) : NULL;
	if (why)
		diag_add(d, SEV_ERROR, o->press_at.file, o->press_at.line, o->press_at.col,
			 "--pdf-standard %s: PDF/X needs the press's characterisation: %s", names, why);
	free(why);
	if ((flags & PDF_X4) && !srgb_profile())
		diag_add(d, SEV_ERROR, NULL, 0, 0,
			 "--pdf-standard %s: PDF/X-4 tags RGB images with sRGB and none is installed "
			 "(apt-get install icc-profiles-free)", names);
	if (cmyk && (flags & PDF_A))
		diag_add(d, SEV_ERROR, NULL, 0, 0,
			 "--pdf-standard %s with --cmyk: PDF/A's output intent here is sRGB, and "
			 "CMYK colours would need a CMYK one; write PDF/A for screens, or leave "
			 "--pdf-standard out of the print profile", names);
	if ((flags & (PDF_A2B | PDF_A2U | PDF_A3B)) && !srgb_profile())
		diag_add(d, SEV_ERROR, NULL, 0, 0,
			 "--pdf-standard %s: PDF/A needs an sRGB ICC profile for its output intent and "
			 "none is installed (apt-get install icc-profiles-free)", names);
	if (!(flags & PDF_UA1))
		return d->errors > errors ? -1 : 0;
	if (!doc->title || !*doc->title)
		diag_add(d, SEV_ERROR, NULL, 0, 0,
			 "--pdf-standard ua-1: PDF/UA needs a document title; the layout has no "
			 "metadata.title");
	int prev = 0;
	for (int i = 1; i < doc->nse; i++) {
		const struct selem *e = &doc->se[i];
		if (e->type == SE_FIGURE && (!e->alt || !*e->alt))
			diag_add(d, SEV_ERROR, e->at.file, e->at.line, e->at.col,
				 "--pdf-standard ua-1: this image has no alternate text; write it "
				 "between the brackets: ![what it shows](file)");
		if (e->type >= SE_H1 && e->type <= SE_H6) {
			int level = (int)(e->type - SE_H1) + 1;
			char after[32] = "before any level-1 one";
			if (prev)
				snprintf(after, sizeof(after), "after a level-%d one", prev);
			if (level > prev + 1)
				diag_add(d, SEV_ERROR, e->at.file, e->at.line, e->at.col,
					 "--pdf-standard ua-1: a level-%d heading %s; PDF/UA does not "
					 "skip heading levels", level, after);
			prev = level;
		}
	}
	return d->errors > errors ? -1 : 0;
}

/* ---- writing ---- */

static void xml_text(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sbuf_str(out, "&amp;"); break;
		case '<': sbuf_str(out, "&lt;"); break;
		case '>': sbuf_str(out, "&gt;"); break;
		case '"': sbuf_str(out, "&quot;"); break;
		default: sbuf_add(out, s, 1);
		}
	}
}

/* An /Info text string as UTF-8 (caller frees), NULL if absent. */
static char *info_text(qpdf_data q, qpdf_oh info, const char *key)
{
	qpdf_oh v = qpdfl.qpdf_oh_get_key(q, info, key);
	if (!qpdfl.qpdf_oh_is_string(q, v))
		return NULL;
	return xstrdup(qpdfl.qpdf_oh_get_utf8_value(q, v));
}

/* A PDF date, with or without the D: prefix cairo 1.16 leaves out, as
 * XMP writes dates; and the same date with the prefix into pdfdate. */
static int dates(const char *s, char *xmp, size_t nx, char *pdfdate, size_t np)
{
	if (!strncmp(s, "D:", 2))
		s += 2;
	if (strspn(s, "0123456789") < 14)
		return -1;
	const char *tz = s + 14;
	char zone[8] = "Z";
	if ((*tz == '+' || *tz == '-') && strspn(tz + 1, "0123456789'") >= 4) {
		char digits[5] = {0};
		int k = 0;
		for (const char *p = tz + 1; *p && k < 4; p++)
			if (*p != '\'')
				digits[k++] = *p;
		snprintf(zone, sizeof(zone), "%c%.2s:%.2s", *tz, digits, digits + 2);
	}
	snprintf(xmp, nx, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", s, s + 4, s + 6, s + 8, s + 10, s + 12,
		 zone);
	if (zone[0] == 'Z')
		snprintf(pdfdate, np, "D:%.14sZ", s);
	else
		snprintf(pdfdate, np, "D:%.14s%c%.2s'%.2s'", s, zone[0], zone + 1, zone + 4);
	return 0;
}

/* The XMP packet: /Info's entries, the document's language and the
 * standards' identification. */
static void xmp_packet(struct sbuf *x, qpdf_data q, qpdf_oh info, const struct doc *doc,
		       unsigned flags)
{
	int pdfa = flags & (PDF_A2B | PDF_A2U | PDF_A3B);
	sbuf_str(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		    "  <rdf:Description rdf:about=\"\"\n"
		    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
	if (pdfa)
		sbuf_str(x, "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
	if (flags & PDF_UA1)
		sbuf_str(x, "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
	if (flags & PDF_X4)
		sbuf_str(x, "\n    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"");
	if (pdfa && (flags & PDF_UA1))
		sbuf_str(x, "\n    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
			    "\n    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
			    "\n    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"");
	sbuf_str(x, ">\n   <dc:format>application/pdf</dc:format>\n");
	static const struct {
		const char *key, *open, *close;
	} texts[] = {
		{"/Title", "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
		 "</rdf:li></rdf:Alt></dc:title>\n"},
		{"/Author", "   <dc:creator><rdf:Seq><rdf:li>", "</rdf:li></rdf:Seq></dc:creator>\n"},
		{"/Subject", "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
		 "</rdf:li></rdf:Alt></dc:description>\n"},
		{"/Keywords", "   <pdf:Keywords>", "</pdf:Keywords>\n"},
		{"/Creator", "   <xmp:CreatorTool>", "</xmp:CreatorTool>\n"},
		{"/Producer", "   <pdf:Producer>", "</pdf:Producer>\n"},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *v = info_text(q, info, texts[i].key);
		if (v) {
			sbuf_str(x, texts[i].open);
			xml_text(x, v);
			sbuf_str(x, texts[i].close);
		}
		free(v);
	}
	if (doc->lang) {
		sbuf_str(x, "   <dc:language><rdf:Bag><rdf:li>");
		xml_text(x, doc->lang);
		sbuf_str(x, "</rdf:li></rdf:Bag></dc:language>\n");
	}
	static const struct {
		const char *key, *name;
	} when[] = {{"/CreationDate", "CreateDate"}, {"/ModDate", "ModifyDate"}};
	for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		char *v = info_text(q, info, when[i].key);
		char xd[40], pd[40];
		if (v && dates(v, xd, sizeof(xd), pd, sizeof(pd)) == 0) {
			/* the prefix, which cairo 1.16 leaves out */
			qpdfl.qpdf_oh_replace_key(q, info, when[i].key, qpdfl.qpdf_oh_new_string(q, pd));
			sbuf_printf(x, "   <xmp:%s>%s</xmp:%s>\n", when[i].name, xd, when[i].name);
			if (i == 1)
				sbuf_printf(x, "   <xmp:MetadataDate>%s</xmp:MetadataDate>\n", xd);
		}
		free(v);
	}
	if (pdfa)
		sbuf_printf(x, "   <pdfaid:part>%c</pdfaid:part>\n   <pdfaid:conformance>%c</pdfaid:conformance>\n",
			    flags & PDF_A3B ? '3' : '2', flags & PDF_A2U ? 'U' : 'B');
	if (flags & PDF_UA1)
		sbuf_str(x, "   <pdfuaid:part>1</pdfuaid:part>\n");
	if (flags & PDF_X4)	/* /Info says the same (pdfstd_write) */
		sbuf_str(x, "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
			    "   <pdf:Trapped>False</pdf:Trapped>\n");
	if (pdfa && (flags & PDF_UA1))	/* PDF/A knows pdfuaid only if told */
		sbuf_str(x, "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
			    "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
			    "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
			    "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
			    "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
			    "     <pdfaProperty:name>part</pdfaProperty:name>\n"
			    "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
			    "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
			    "     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n"
			    "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
			    "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n");
	sbuf_str(x, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
	/* room to edit the packet in place, as XMP recommends */
	for (int i = 0; i < 8; i++)
		sbuf_str(x, "                                                                               \n");
	sbuf_str(x, "<?xpacket end=\"w\"?>");
}

/* Images never interpolated (PDF/A-2 6.2.8), in the page's resources and
 * those of the forms it draws (a pdfobj_visit). */
static void no_interpolation(qpdf_data q, qpdf_oh stream, qpdf_oh dict, void *arg)
{
	(void)stream, (void)arg;
	if (!qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Subtype"), "/Image"))
		return;
	if (qpdfl.qpdf_oh_has_key(q, dict, "/Interpolate"))
		qpdfl.qpdf_oh_replace_key(q, dict, "/Interpolate", qpdfl.qpdf_oh_new_bool(q, 0));
	qpdf_oh mask = qpdfl.qpdf_oh_get_key(q, dict, "/SMask");
	if (qpdfl.qpdf_oh_is_stream(q, mask) && qpdfl.qpdf_oh_has_key(q, qpdfl.qpdf_oh_get_dict(q, mask), "/Interpolate"))
		qpdfl.qpdf_oh_replace_key(q, qpdfl.qpdf_oh_get_dict(q, mask), "/Interpolate", qpdfl.qpdf_oh_new_bool(q, 0));
}

/* An ICC profile file as a stream of n components; 0 (NULL) if unusable. */
static qpdf_oh icc_stream(qpdf_data q, const char *path, int n, char **why)
{
	struct diags rd = {0};
	size_t len = 0;
	char *icc = path ? file_load(path, &len, &rd) : NULL;
	diag_clear(&rd);
	if (!icc || len < 128 || memcmp(icc + 36, "acsp", 4) ||
	    memcmp(icc + 16, n == 4 ? "CMYK" : "RGB ", 4)) {
		*why = xasprintf("no usable %s ICC profile (%s)", n == 4 ? "CMYK" : "sRGB",
				 path ? path : "none installed");
		free(icc);
		return 0;
	}
	qpdf_oh profile = qpdfl.qpdf_oh_new_stream(q);
	qpdfl.qpdf_oh_replace_stream_data(q, profile, (const unsigned char *)icc, len, qpdfl.qpdf_oh_new_null(q),
				    qpdfl.qpdf_oh_new_null(q));
	qpdfl.qpdf_oh_replace_key(q, qpdfl.qpdf_oh_get_dict(q, profile), "/N", qpdfl.qpdf_oh_new_integer(q, n));
	free(icc);
	return profile;
}

/* The output intent: PDF/A's sRGB (GTS_PDFA1), or PDF/X's press (GTS_PDFX). */
static int output_intent(qpdf_data q, const struct pdf_opts *o, char **why)
{
	int x = (o->standards & PDF_X4) != 0;
	qpdf_oh profile = icc_stream(q, x ? o->press_profile : srgb_profile(), x ? 4 : 3, why);
	if (!profile)
		return -1;
	qpdf_oh oi;
	if (x) {
		oi = qpdfl.qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFX "
				      "/RegistryName (http://www.color.org) >>");
		const char *cond = o->press_condition ? o->press_condition : "CGATS TR 001";
		qpdfl.qpdf_oh_replace_key(q, oi, "/OutputConditionIdentifier", qpdfl.qpdf_oh_new_unicode_string(q, cond));
		qpdfl.qpdf_oh_replace_key(q, oi, "/Info", qpdfl.qpdf_oh_new_unicode_string(q, cond));
	} else {
		oi = qpdfl.qpdf_oh_parse(q, "<< /Type /OutputIntent /S /GTS_PDFA1 "
				      "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
				      "/Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) >>");
	}
	qpdfl.qpdf_oh_replace_key(q, oi, "/DestOutputProfile", profile);
	qpdf_oh arr = qpdfl.qpdf_oh_new_array(q);
	qpdfl.qpdf_oh_append_item(q, arr, oi);
	qpdfl.qpdf_oh_replace_key(q, qpdfl.qpdf_get_root(q), "/OutputIntents", arr);
	return 0;
}

/* PDF/X-4: RGB images device-independent, tagged sRGB (ICCBased), in the
 * page's resources and its forms' (a pdfobj_visit; arg: the sRGB stream). */
static void rgb_images_srgb(qpdf_data q, qpdf_oh stream, qpdf_oh dict, void *arg)
{
	(void)stream;
	if (!qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/Subtype"), "/Image") ||
	    !qpdfl.qpdf_oh_is_name_and_equals(q, qpdfl.qpdf_oh_get_key(q, dict, "/ColorSpace"), "/DeviceRGB"))
		return;
	qpdf_oh cs = qpdfl.qpdf_oh_new_array(q);
	qpdfl.qpdf_oh_append_item(q, cs, qpdfl.qpdf_oh_new_name(q, "/ICCBased"));
	qpdfl.qpdf_oh_append_item(q, cs, *(const qpdf_oh *)arg);
	qpdfl.qpdf_oh_replace_key(q, dict, "/ColorSpace", cs);
}

int pdfstd_write(qpdf_data q, const struct doc *doc, const struct pdf_opts *o, char **why)
{
	unsigned flags = o->standards;
	qpdf_oh catalog = qpdfl.qpdf_get_root(q);
	qpdf_oh info = qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_trailer(q), "/Info");
	if (!qpdfl.qpdf_oh_is_dictionary(q, info)) {
		info = qpdfl.qpdf_make_indirect_object(q, qpdfl.qpdf_oh_new_dictionary(q));
		qpdfl.qpdf_oh_replace_key(q, qpdfl.qpdf_get_trailer(q), "/Info", info);
	}
	if (flags & PDF_X4) {
		qpdfl.qpdf_oh_replace_key(q, info, "/GTS_PDFXVersion", qpdfl.qpdf_oh_new_string(q, "PDF/X-4"));
		qpdfl.qpdf_oh_replace_key(q, info, "/Trapped", qpdfl.qpdf_oh_new_name(q, "/False"));
	}
	struct sbuf x;
	sbuf_init(&x);
	xmp_packet(&x, q, info, doc, flags);
	qpdf_oh meta = qpdfl.qpdf_oh_new_stream(q);
	qpdfl.qpdf_oh_replace_stream_data(q, meta, (const unsigned char *)x.s, x.len, qpdfl.qpdf_oh_new_null(q),
				    qpdfl.qpdf_oh_new_null(q));
	qpdf_oh md = qpdfl.qpdf_oh_get_dict(q, meta);
	qpdfl.qpdf_oh_replace_key(q, md, "/Type", qpdfl.qpdf_oh_new_name(q, "/Metadata"));
	qpdfl.qpdf_oh_replace_key(q, md, "/Subtype", qpdfl.qpdf_oh_new_name(q, "/XML"));
	qpdfl.qpdf_oh_replace_key(q, catalog, "/Metadata", meta);
	sbuf_done(&x);

	/* the annotations' print flag is set with their structure (pdftags.c) */
	int n = qpdfl.qpdf_get_num_pages(q);
	for (int i = 0; i < n && (flags & PDF_A); i++)
		pdfobj_each_xobject(q, qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_page_n(q, (size_t)i), "/Resources"),
				    no_interpolation, NULL);
	int rc = 0;
	if ((flags & (PDF_A | PDF_X4)) && output_intent(q, o, why) < 0)
		rc = -1;
	qpdf_oh srgb = rc == 0 && (flags & PDF_X4) ? icc_stream(q, srgb_profile(), 3, why) : 0;
	if (rc == 0 && (flags & PDF_X4) && !srgb)
		rc = -1;
	for (int i = 0; srgb && i < n; i++)
		pdfobj_each_xobject(q, qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_page_n(q, (size_t)i), "/Resources"),
				    rgb_images_srgb, &srgb);
	qpdfl.qpdf_oh_release_all(q);
	return rc;
}
