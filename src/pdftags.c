/* pdftags.c: the PDF's logical structure, written into cairo's PDF with
 * libqpdf.  cairo 1.16 nests structure elements as their tags nest while
 * drawing, which cannot follow a document whose elements are drawn out of
 * order (a footnote at the foot of the page, table cells line by line,
 * paragraphs across pages) and cannot write artifacts, /Lang, attributes
 * or /Alt.  So pdf.c draws every piece of content inside a tag of its own
 * at the top level (a leaf, struct tag_leaf), and this pass builds the
 * document's tree (doc.se) from them:
 *   - a content leaf's marked content goes into its element's /K, in the
 *     order drawn, and the ParentTree points its MCIDs there;
 *   - an artifact leaf's marked content becomes /Artifact BMC;
 *   - a link leaf (cairo's Link element, with its annotation's OBJR)
 *     moves under its element; the annotation gets /Contents;
 *   - elements that draw nothing are left out; each element's children
 *     come in the order their content is first drawn.
 * Then the catalog's /MarkInfo, /Lang and /ViewerPreferences and the
 * pages' /Tabs.
 */
#include <stdlib.h>
#include <string.h>

#include "bulletin.h"
#include "lazylib.h"

struct mc {
	int se;			/* -1 untouched (a link's), 0 an artifact, else its element */
	const char *actual;	/* its /ActualText (the leaf's), or NULL */
	qpdf_oh owner;		/* the element the ParentTree names (0: null) */
};

struct tagpass {
	qpdf_data q;
	const struct doc *doc;
	qpdf_oh root;		/* the StructTreeRoot */
	qpdf_oh root_k;		/* its new /K */
	qpdf_oh *elem;		/* per doc.se: the element, 0 until it is needed */
	int *pg;		/* per doc.se: the page of its /Pg, -1 none yet */
	int npages;
	qpdf_oh *page;		/* page i's handle */
	struct mc **mcid;	/* per page, per MCID: what it becomes */
	int *nmcid;
	int *ids;		/* elements given an /ID (notes: PDF/UA 7.9) */
	int nids;
	/* object numbers of cairo's leaf elements, which nothing will refer
	 * to: the elements are made in them (a new indirect object costs
	 * libqpdf a walk over every object of the file) */
	int *spare;
	int nspare;
};

/* The element of se, made (with its ancestors) when first needed.  An
 * element's place among its parent's kids is where it is first needed:
 * the order its content is drawn. */
static qpdf_oh element(struct tagpass *t, int se)
{
	if (t->elem[se])
		return t->elem[se];
	/* the chain up to the first ancestor that exists (iteratively: quotes
	 * may nest deeply) */
	int top = se;
	while (t->doc->se[top].parent > 0 && !t->elem[t->doc->se[top].parent])
		top = t->doc->se[top].parent;
	int depth = 0;
	for (int s = se; s != top; s = t->doc->se[s].parent)
		depth++;
	int *chain = xmalloc((size_t)(depth + 1) * sizeof(*chain));
	for (int s = se, k = depth; k >= 0; s = t->doc->se[s].parent, k--)
		chain[k] = s;
	qpdf_data q = t->q;
	for (int k = 0; k <= depth; k++) {
		int s = chain[k];
		const struct selem *e = &t->doc->se[s];
		qpdf_oh parent = e->parent > 0 ? t->elem[e->parent] : t->root;
		char name[16];
		snprintf(name, sizeof(name), "/%s", se_name(e->type));
		qpdf_oh d = qpdfl.qpdf_oh_new_dictionary(q);
		qpdfl.qpdf_oh_replace_key(q, d, "/Type", qpdfl.qpdf_oh_new_name(q, "/StructElem"));
		qpdfl.qpdf_oh_replace_key(q, d, "/S", qpdfl.qpdf_oh_new_name(q, name));
		qpdfl.qpdf_oh_replace_key(q, d, "/P", parent);
		qpdfl.qpdf_oh_replace_key(q, d, "/K", qpdfl.qpdf_oh_new_array(q));
		if (e->type == SE_FIGURE)
			qpdfl.qpdf_oh_replace_key(q, d, "/Alt", qpdfl.qpdf_oh_new_unicode_string(q, e->alt ? e->alt : ""));
		if (e->type == SE_PART && e->alt)
			qpdfl.qpdf_oh_replace_key(q, d, "/T", qpdfl.qpdf_oh_new_unicode_string(q, e->alt));
		if (e->latin)
			qpdfl.qpdf_oh_replace_key(q, d, "/Lang", qpdfl.qpdf_oh_new_unicode_string(q, "en"));
		if (e->type == SE_TH)
			qpdfl.qpdf_oh_replace_key(q, d, "/A", qpdfl.qpdf_oh_parse(q, "<< /O /Table /Scope /Column >>"));
		if (e->type == SE_NOTE) {
			char id[24];
			snprintf(id, sizeof(id), "note%08d", s);	/* sorts as it counts */
			qpdfl.qpdf_oh_replace_key(q, d, "/ID", qpdfl.qpdf_oh_new_string(q, id));
			t->ids = xrealloc(t->ids, (size_t)(t->nids + 1) * sizeof(*t->ids));
			t->ids[t->nids++] = s;
		}
		qpdf_oh obj;
		if (t->nspare) {
			int id = t->spare[--t->nspare];
			qpdfl.qpdf_replace_object(q, id, 0, d);
			obj = qpdfl.qpdf_get_object_by_id(q, id, 0);
		} else {
			obj = qpdfl.qpdf_make_indirect_object(q, d);
		}
		qpdfl.qpdf_oh_append_item(q, e->parent > 0 ? qpdfl.qpdf_oh_get_key(q, parent, "/K") : t->root_k, obj);
		t->elem[s] = obj;
	}
	free(chain);
	return t->elem[se];
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* MCID mcid of page p: room made. */
static struct mc *mc_at(struct tagpass *t, int p, int mcid)
{
	if (mcid >= t->nmcid[p]) {
		t->mcid[p] = xrealloc(t->mcid[p], (size_t)(mcid + 1) * sizeof(**t->mcid));
		for (int i = t->nmcid[p]; i <= mcid; i++)
			t->mcid[p][i] = (struct mc){-1, NULL, 0};
		t->nmcid[p] = mcid + 1;
	}
	return &t->mcid[p][mcid];
}

/* s as a PDF hex string in UTF-16BE with its byte-order mark. */
static void hex_utf16(struct sbuf *out, const char *s)
{
	static const char digits[] = "0123456789ABCDEF";
	sbuf_str(out, "<FEFF");
	for (const char *p = s; *p;) {
		unsigned cp, units[2];
		p += utf8_decode(p, &cp);
		int n = 1;
		units[0] = cp;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = 0xD800 + (cp >> 10), units[1] = 0xDC00 + (cp & 0x3FF), n = 2;
		}
		for (int i = 0; i < n; i++) {
			char h[4] = {digits[units[i] >> 12 & 15], digits[units[i] >> 8 & 15],
				     digits[units[i] >> 4 & 15], digits[units[i] & 15]};
			sbuf_add(out, h, 4);
		}
	}
	sbuf_str(out, ">");
}

/* One content stream with its marked content renamed: cairo's
 * "/Span << /MCID n >> BDC" becomes the element's type (a Span still
 * where it carries the leaf's /ActualText), "/Private << /MCID n >> BDC"
 * "/Artifact BMC".  cairo writes these operators exactly so, and its text as hex strings, so the
 * pattern cannot occur inside a string. */
static void rename_marks(struct tagpass *t, qpdf_oh stream, int page)
{
	qpdf_data q = t->q;
	size_t len = 0;
	unsigned char *buf = pdfobj_stream_data(q, stream, &len);
	if (!buf)
		return;
	struct sbuf out;
	sbuf_init(&out);
	const char *s = (const char *)buf, *end = s + len, *copied = s;
	static const char key[] = " << /MCID ";
	for (const char *p = s; p < end;) {
		const char *hit = memmem(p, (size_t)(end - p), key, sizeof(key) - 1);
		if (!hit)
			break;
		const char *name = hit;
		while (name > s && name[-1] != '/' && name[-1] != '\n' && name[-1] != ' ')
			name--;
		if (name > s && name[-1] == '/')
			name--;
		const char *num = hit + sizeof(key) - 1;
		char *after;
		long mcid = strtol(num, &after, 10);
		static const char tail[] = " >> BDC";
		p = hit + sizeof(key) - 1;
		if (*name != '/' || after == num || (size_t)(end - after) < sizeof(tail) - 1 ||
		    memcmp(after, tail, sizeof(tail) - 1) != 0 || mcid < 0 || mcid >= t->nmcid[page] ||
		    t->mcid[page][mcid].se < 0)
			continue;
		sbuf_add(&out, copied, (size_t)(name - copied));
		int se = t->mcid[page][mcid].se;
		const char *actual = t->mcid[page][mcid].actual;
		if (se == 0) {
			sbuf_str(&out, "/Artifact BMC");
		} else {
			/* poppler reads /ActualText only on a Span */
			sbuf_printf(&out, "/%s << /MCID %ld",
				    actual ? "Span" : se_name(t->doc->se[se].type), mcid);
			if (actual) {
				sbuf_str(&out, " /ActualText ");
				hex_utf16(&out, actual);
			}
			sbuf_str(&out, " >> BDC");
		}
		copied = p = after + sizeof(tail) - 1;
	}
	sbuf_add(&out, copied, (size_t)(end - copied));
	qpdfl.qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out.s, out.len,
				    qpdfl.qpdf_oh_new_null(q), qpdfl.qpdf_oh_new_null(q));
	sbuf_done(&out);
	free(buf);
}

/* A link leaf: cairo's Link element (its annotation's OBJR in its /K)
 * under its element; the annotation described. */
static void link_leaf(struct tagpass *t, qpdf_oh kid, const struct tag_leaf *lf)
{
	qpdf_data q = t->q;
	/* a link drawn over an artifact still belongs to the structure: the
	 * Document's */
	qpdf_oh parent = element(t, lf->se > 0 ? lf->se : 1);
	qpdfl.qpdf_oh_replace_key(q, kid, "/P", parent);
	qpdfl.qpdf_oh_append_item(q, qpdfl.qpdf_oh_get_key(q, parent, "/K"), kid);
	mc_at(t, lf->page, lf->mcid)->owner = kid;
	qpdf_oh k = qpdfl.qpdf_oh_get_key(q, kid, "/K");
	int items = qpdfl.qpdf_oh_is_array(q, k) ? qpdfl.qpdf_oh_get_array_n_items(q, k) : 0;
	for (int i = 0; i < items; i++) {
		qpdf_oh it = qpdfl.qpdf_oh_get_array_item(q, k, i);
		if (!qpdfl.qpdf_oh_is_dictionary(q, it) || !qpdfl.qpdf_oh_has_key(q, it, "/Obj"))
			continue;
		qpdf_oh annot = qpdfl.qpdf_oh_get_key(q, it, "/Obj");
		if (lf->contents)
			qpdfl.qpdf_oh_replace_key(q, annot, "/Contents",
					    qpdfl.qpdf_oh_new_unicode_string(q, lf->contents));
		/* printed as shown (PDF/A-2 6.3.2 wants the Print flag) */
		qpdfl.qpdf_oh_replace_key(q, annot, "/F", qpdfl.qpdf_oh_new_integer(q, 4));
	}
}

/* A content leaf: its marked content into its element's /K.  An MCID of
 * the element's page (its /Pg, the first it is on) is a number there, one
 * of another page a marked-content reference. */
static void content_leaf(struct tagpass *t, int se, const struct tag_leaf *lf)
{
	qpdf_data q = t->q;
	qpdf_oh e = element(t, se);
	if (t->pg[se] < 0) {
		t->pg[se] = lf->page;
		qpdfl.qpdf_oh_replace_key(q, e, "/Pg", t->page[lf->page]);
	}
	qpdf_oh k = qpdfl.qpdf_oh_get_key(q, e, "/K");
	if (t->pg[se] == lf->page) {
		qpdfl.qpdf_oh_append_item(q, k, qpdfl.qpdf_oh_new_integer(q, lf->mcid));
	} else {
		qpdf_oh mcr = qpdfl.qpdf_oh_new_dictionary(q);
		qpdfl.qpdf_oh_replace_key(q, mcr, "/Type", qpdfl.qpdf_oh_new_name(q, "/MCR"));
		qpdfl.qpdf_oh_replace_key(q, mcr, "/Pg", t->page[lf->page]);
		qpdfl.qpdf_oh_replace_key(q, mcr, "/MCID", qpdfl.qpdf_oh_new_integer(q, lf->mcid));
		qpdfl.qpdf_oh_append_item(q, k, mcr);
	}
	*mc_at(t, lf->page, lf->mcid) = (struct mc){se, lf->actual, e};
}

/* The ParentTree: each page's array made anew from what its MCIDs became;
 * the annotations' entries (their Link elements) as cairo wrote them. */
static void parent_tree(struct tagpass *t)
{
	qpdf_data q = t->q;
	qpdf_oh nums = qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_oh_get_key(q, t->root, "/ParentTree"), "/Nums");
	int n = qpdfl.qpdf_oh_is_array(q, nums) ? qpdfl.qpdf_oh_get_array_n_items(q, nums) : 0;
	/* the keys once (a lookup per page would take a handle per key per
	 * page: quadratic in a volume's hundreds of pages) */
	int *keys = xmalloc((size_t)(n / 2 + 1) * sizeof(*keys));
	int next = 0;
	for (int i = 0; i + 1 < n; i += 2) {
		qpdf_oh h = qpdfl.qpdf_oh_get_array_item(q, nums, i);
		keys[i / 2] = qpdfl.qpdf_oh_get_int_value_as_int(q, h);
		qpdfl.qpdf_oh_release(q, h);
		next = keys[i / 2] >= next ? keys[i / 2] + 1 : next;
	}
	for (int p = 0; p < t->npages; p++) {
		int key;
		qpdf_oh sp = qpdfl.qpdf_oh_get_key(q, t->page[p], "/StructParents");
		int has = qpdfl.qpdf_oh_get_value_as_int(q, sp, &key);
		qpdfl.qpdf_oh_release(q, sp);
		if (!has)
			continue;
		qpdf_oh arr = qpdfl.qpdf_oh_new_array(q);
		for (int m = 0; m < t->nmcid[p]; m++) {
			qpdf_oh v = t->mcid[p][m].owner ? t->mcid[p][m].owner : qpdfl.qpdf_oh_new_null(q);
			qpdfl.qpdf_oh_append_item(q, arr, v);
			if (!t->mcid[p][m].owner)
				qpdfl.qpdf_oh_release(q, v);
		}
		for (int i = 0; i + 1 < n; i += 2)
			if (keys[i / 2] == key)
				qpdfl.qpdf_oh_set_array_item(q, nums, i + 1, arr);
		qpdfl.qpdf_oh_release(q, arr);
	}
	free(keys);
	qpdfl.qpdf_oh_replace_key(q, t->root, "/ParentTreeNextKey", qpdfl.qpdf_oh_new_integer(q, next));
}

/* The elements' IDs, a name tree of one node, in order. */
static void id_tree(struct tagpass *t)
{
	qpdf_data q = t->q;
	if (!t->nids)
		return;
	qsort(t->ids, (size_t)t->nids, sizeof(*t->ids), cmp_int);
	qpdf_oh names = qpdfl.qpdf_oh_new_array(q);
	for (int i = 0; i < t->nids; i++) {
		char id[24];
		snprintf(id, sizeof(id), "note%08d", t->ids[i]);
		qpdfl.qpdf_oh_append_item(q, names, qpdfl.qpdf_oh_new_string(q, id));
		qpdfl.qpdf_oh_append_item(q, names, t->elem[t->ids[i]]);
	}
	qpdf_oh node = qpdfl.qpdf_oh_new_dictionary(q);
	qpdfl.qpdf_oh_replace_key(q, node, "/Names", names);
	qpdfl.qpdf_oh_replace_key(q, t->root, "/IDTree", node);
}

static void catalog_keys(qpdf_data q, const char *lang)
{
	qpdf_oh catalog = qpdfl.qpdf_get_root(q);
	qpdfl.qpdf_oh_replace_key(q, catalog, "/MarkInfo", qpdfl.qpdf_oh_parse(q, "<< /Marked true >>"));
	if (lang && *lang)
		qpdfl.qpdf_oh_replace_key(q, catalog, "/Lang", qpdfl.qpdf_oh_new_unicode_string(q, lang));
	qpdf_oh vp = qpdfl.qpdf_oh_get_key(q, catalog, "/ViewerPreferences");
	if (!qpdfl.qpdf_oh_is_dictionary(q, vp)) {
		vp = qpdfl.qpdf_oh_new_dictionary(q);
		qpdfl.qpdf_oh_replace_key(q, catalog, "/ViewerPreferences", vp);
	}
	qpdfl.qpdf_oh_replace_key(q, vp, "/DisplayDocTitle", qpdfl.qpdf_oh_new_bool(q, 1));
}

/* The leaves' indices by the page each is read on, in the order drawn
 * within a page (a stable counting sort); caller frees. */
static int *reading_order(const struct tag_leaf *leaves, int n)
{
	int max = 0;
	for (int i = 0; i < n; i++)
		if (leaves[i].reading > max)
			max = leaves[i].reading;
	int *start = xcalloc((size_t)max + 2, sizeof(*start));
	for (int i = 0; i < n; i++)
		start[(leaves[i].reading < 0 ? 0 : leaves[i].reading) + 1]++;
	for (int r = 0; r <= max; r++)
		start[r + 1] += start[r];
	int *order = xmalloc((size_t)(n ? n : 1) * sizeof(*order));
	for (int i = 0; i < n; i++)
		order[start[leaves[i].reading < 0 ? 0 : leaves[i].reading]++] = i;
	free(start);
	return order;
}

int pdftags_write(qpdf_data q, const struct doc *doc, const struct tag_leaf *leaves, int n,
		  const char *lang, char **why)
{
	struct tagpass t = {0};
	t.q = q;
	t.doc = doc;
	t.root = qpdfl.qpdf_oh_get_key(q, qpdfl.qpdf_get_root(q), "/StructTreeRoot");
	if (n == 0 || doc->nse == 0)
		return 0;
	/* cairo's elements, one per leaf in the order drawn; only the links'
	 * are read (the others' MCIDs are known: cairo counts from 0 on each
	 * page, one per tag, as the leaves record) */
	qpdf_oh kids = qpdfl.qpdf_oh_get_key(q, t.root, "/K");
	int nkids = qpdfl.qpdf_oh_is_array(q, kids) ? qpdfl.qpdf_oh_get_array_n_items(q, kids) : 0;
	t.npages = qpdfl.qpdf_get_num_pages(q);
	if (nkids != n || (n && leaves[n - 1].page >= t.npages)) {
		*why = xasprintf("cairo wrote %d structure elements for %d tags", nkids, n);
		return -1;
	}
	t.page = xcalloc((size_t)t.npages + 1, sizeof(*t.page));
	t.mcid = xcalloc((size_t)t.npages + 1, sizeof(*t.mcid));
	t.nmcid = xcalloc((size_t)t.npages + 1, sizeof(int));
	t.elem = xcalloc((size_t)doc->nse, sizeof(qpdf_oh));
	t.pg = xmalloc((size_t)doc->nse * sizeof(int));
	for (int i = 0; i < doc->nse; i++)
		t.pg[i] = -1;
	t.spare = xcalloc((size_t)n + 1, sizeof(int));
	t.root_k = qpdfl.qpdf_oh_new_array(q);
	for (int i = 0; i < t.npages; i++)
		t.page[i] = qpdfl.qpdf_get_page_n(q, (size_t)i);
	for (int i = 0; i < n; i++)
		if (leaves[i].kind != TAG_LINK)
			t.spare[t.nspare++] = qpdfl.qpdf_oh_get_object_id(q, qpdfl.qpdf_oh_get_array_item(q, kids, i));

	/* in reading order: a printer's spread draws pages out of it */
	int *order = reading_order(leaves, n);
	for (int j = 0; j < n; j++) {
		int i = order[j];
		const struct tag_leaf *lf = &leaves[i];
		int se = lf->se > 0 && lf->se < doc->nse ? lf->se : 0;
		if (lf->kind == TAG_LINK) {
			link_leaf(&t, qpdfl.qpdf_oh_get_array_item(q, kids, i), lf);
		} else if (lf->kind == TAG_ARTIFACT || !se) {
			*mc_at(&t, lf->page, lf->mcid) = (struct mc){0, NULL, 0};
		} else {
			content_leaf(&t, se, lf);
		}
	}
	qpdfl.qpdf_oh_replace_key(q, t.root, "/K", t.root_k);
	parent_tree(&t);
	id_tree(&t);
	for (int i = 0; i < t.npages; i++) {
		if (t.nmcid[i]) {
			qpdf_oh c = qpdfl.qpdf_oh_get_key(q, t.page[i], "/Contents");
			if (qpdfl.qpdf_oh_is_stream(q, c)) {
				rename_marks(&t, c, i);
			} else if (qpdfl.qpdf_oh_is_array(q, c)) {
				for (int k = 0; k < qpdfl.qpdf_oh_get_array_n_items(q, c); k++)
					rename_marks(&t, qpdfl.qpdf_oh_get_array_item(q, c, k), i);
			}
		}
		if (qpdfl.qpdf_oh_has_key(q, t.page[i], "/Annots"))
			qpdfl.qpdf_oh_replace_key(q, t.page[i], "/Tabs", qpdfl.qpdf_oh_new_name(q, "/S"));
	}
	catalog_keys(q, lang);
	for (int i = 0; i < t.npages; i++)
		free(t.mcid[i]);
	free(t.mcid);
	free(t.nmcid);
	free(t.page);
	free(t.elem);
	free(t.pg);
	free(t.ids);
	free(t.spare);
	free(order);
	qpdfl.qpdf_oh_release_all(q);
	return 0;
}
