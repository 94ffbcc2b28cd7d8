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

struct tagpass {
	qpdf_data q;
	const struct doc *doc;
	qpdf_oh root;		/* the StructTreeRoot */
	qpdf_oh root_k;		/* its new /K */
	qpdf_oh *elem;		/* per doc.se: the element, 0 until it is needed */
	int npages;
	int *page_of_id;	/* page index by object id (-1: not a page) */
	int nids;
	/* per page: what each MCID becomes (-1 untouched, 0 artifact, else
	 * the content leaf's element) and its actual text (owned by the leaf) */
	int **mcid_se;
	const char ***mcid_actual;
	int *nmcid;
	qpdf_oh *parent_arr;	/* per page: its ParentTree array (or 0) */
	int *ids;		/* elements given an /ID (notes: PDF/UA 7.9), in order */
	int nids_elem;
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
		qpdf_oh d = qpdf_oh_new_dictionary(q);
		qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/StructElem"));
		qpdf_oh_replace_key(q, d, "/S", qpdf_oh_new_name(q, name));
		qpdf_oh_replace_key(q, d, "/P", parent);
		qpdf_oh_replace_key(q, d, "/K", qpdf_oh_new_array(q));
		if (e->type == SE_FIGURE)
			qpdf_oh_replace_key(q, d, "/Alt", qpdf_oh_new_unicode_string(q, e->alt ? e->alt : ""));
		if (e->latin)
			qpdf_oh_replace_key(q, d, "/Lang", qpdf_oh_new_unicode_string(q, "en"));
		if (e->type == SE_TH)
			qpdf_oh_replace_key(q, d, "/A", qpdf_oh_parse(q, "<< /O /Table /Scope /Column >>"));
		if (e->type == SE_NOTE) {
			char id[24];
			snprintf(id, sizeof(id), "note%08d", s);	/* sorts as it counts */
			qpdf_oh_replace_key(q, d, "/ID", qpdf_oh_new_string(q, id));
			t->ids = xrealloc(t->ids, (size_t)(t->nids_elem + 1) * sizeof(*t->ids));
			t->ids[t->nids_elem++] = s;
		}
		qpdf_oh obj = qpdf_make_indirect_object(q, d);
		qpdf_oh_append_item(q, e->parent > 0 ? qpdf_oh_get_key(q, parent, "/K") : t->root_k, obj);
		t->elem[s] = obj;
	}
	free(chain);
	return t->elem[se];
}

static int page_of(const struct tagpass *t, qpdf_oh pg)
{
	int id = qpdf_oh_get_object_id(t->q, pg);
	return id > 0 && id < t->nids ? t->page_of_id[id] : -1;
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* The ParentTree's number tree flattened: value of key k into v[k]. */
static void number_tree(qpdf_data q, qpdf_oh node, qpdf_oh **v, int *nv, int depth)
{
	if (depth > 32)
		return;
	qpdf_oh nums = qpdf_oh_get_key(q, node, "/Nums");
	int n = qpdf_oh_is_array(q, nums) ? qpdf_oh_get_array_n_items(q, nums) : 0;
	for (int i = 0; i + 1 < n; i += 2) {
		int key = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_array_item(q, nums, i));
		if (key < 0 || key > 10000000)
			continue;
		if (key >= *nv) {
			*v = xrealloc(*v, (size_t)(key + 1) * sizeof(**v));
			memset(*v + *nv, 0, (size_t)(key + 1 - *nv) * sizeof(**v));
			*nv = key + 1;
		}
		(*v)[key] = qpdf_oh_get_array_item(q, nums, i + 1);
	}
	qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
	n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
	for (int i = 0; i < n; i++)
		number_tree(q, qpdf_oh_get_array_item(q, kids, i), v, nv, depth + 1);
}

static void note_mcid(struct tagpass *t, int page, int mcid, int se, const char *actual)
{
	if (page < 0 || mcid < 0 || mcid > 10000000)
		return;
	if (mcid >= t->nmcid[page]) {
		int n = mcid + 1;
		t->mcid_se[page] = xrealloc(t->mcid_se[page], (size_t)n * sizeof(int));
		t->mcid_actual[page] = xrealloc(t->mcid_actual[page], (size_t)n * sizeof(char *));
		for (int i = t->nmcid[page]; i < n; i++) {
			t->mcid_se[page][i] = -1;
			t->mcid_actual[page][i] = NULL;
		}
		t->nmcid[page] = n;
	}
	t->mcid_se[page][mcid] = se;
	t->mcid_actual[page][mcid] = actual;
}

/* s as a PDF hex string in UTF-16BE with its byte-order mark. */
static void hex_utf16(struct sbuf *out, const char *s)
{
	sbuf_str(out, "<FEFF");
	for (const char *p = s; *p;) {
		unsigned cp;
		p += utf8_decode(p, &cp);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			sbuf_printf(out, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
		} else {
			sbuf_printf(out, "%04X", cp);
		}
	}
	sbuf_str(out, ">");
}

/* One content stream with its marked content renamed: cairo's
 * "/Span << /MCID n >> BDC" becomes the element's type (a Span still
 * where it carries the leaf's /ActualText), "/Private << /MCID n >> BDC" "/Artifact BMC".  cairo
 * writes these operators exactly so, and its text as hex strings, so the
 * pattern cannot occur inside a string. */
static void rename_marks(struct tagpass *t, qpdf_oh stream, int page)
{
	qpdf_data q = t->q;
	unsigned char *buf = NULL;
	size_t len = 0;
	QPDF_BOOL filtered = 0;
	if ((qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, &len) &
	     QPDF_ERRORS) || !filtered) {
		free(buf);
		return;
	}
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
		    t->mcid_se[page][mcid] < 0)
			continue;
		sbuf_add(&out, copied, (size_t)(name - copied));
		int se = t->mcid_se[page][mcid];
		if (se == 0) {
			sbuf_str(&out, "/Artifact BMC");
		} else {
			/* poppler reads /ActualText only on a Span */
			sbuf_printf(&out, "/%s << /MCID %ld",
				    t->mcid_actual[page][mcid] ? "Span" : se_name(t->doc->se[se].type), mcid);
			if (t->mcid_actual[page][mcid]) {
				sbuf_str(&out, " /ActualText ");
				hex_utf16(&out, t->mcid_actual[page][mcid]);
			}
			sbuf_str(&out, " >> BDC");
		}
		copied = p = after + sizeof(tail) - 1;
	}
	sbuf_add(&out, copied, (size_t)(end - copied));
	qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)out.s, out.len,
				    qpdf_oh_new_null(q), qpdf_oh_new_null(q));
	sbuf_done(&out);
	free(buf);
}

/* The MCIDs of a cairo leaf element's /K: an integer, or an array of
 * integers and OBJR dictionaries (its annotation, into *objr). */
static int leaf_mcids(qpdf_data q, qpdf_oh k, int *mcid, int max, qpdf_oh *objr)
{
	int n = 0;
	if (qpdf_oh_is_integer(q, k))
		return (mcid[0] = qpdf_oh_get_int_value_as_int(q, k)), 1;
	int items = qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_n_items(q, k) : 0;
	for (int i = 0; i < items; i++) {
		qpdf_oh it = qpdf_oh_get_array_item(q, k, i);
		if (qpdf_oh_is_integer(q, it) && n < max)
			mcid[n++] = qpdf_oh_get_int_value_as_int(q, it);
		else if (qpdf_oh_is_dictionary(q, it) && qpdf_oh_has_key(q, it, "/Obj"))
			*objr = qpdf_oh_get_key(q, it, "/Obj");
	}
	return n;
}

int pdftags_write(qpdf_data q, const struct doc *doc, const struct tag_leaf *leaves, int n,
		  const char *lang, char **why)
{
	qpdf_oh catalog = qpdf_get_root(q);
	struct tagpass t = {0};
	t.q = q;
	t.doc = doc;
	t.root = qpdf_oh_get_key(q, catalog, "/StructTreeRoot");
	if (n == 0 || doc->nse == 0)
		return 0;
	qpdf_oh kids = qpdf_oh_get_key(q, t.root, "/K");
	int nkids = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids)
			 : qpdf_oh_is_dictionary(q, kids) ? 1 : 0;
	if (nkids != n) {
		*why = xasprintf("cairo wrote %d structure elements for %d tags", nkids, n);
		return -1;
	}
	t.npages = qpdf_get_num_pages(q);
	t.mcid_se = xcalloc((size_t)t.npages + 1, sizeof(*t.mcid_se));
	t.mcid_actual = xcalloc((size_t)t.npages + 1, sizeof(*t.mcid_actual));
	t.nmcid = xcalloc((size_t)t.npages + 1, sizeof(int));
	t.parent_arr = xcalloc((size_t)t.npages + 1, sizeof(qpdf_oh));
	t.elem = xcalloc((size_t)doc->nse, sizeof(qpdf_oh));
	t.root_k = qpdf_oh_new_array(q);

	qpdf_oh *tree = NULL;
	int ntree = 0;
	number_tree(q, qpdf_oh_get_key(q, t.root, "/ParentTree"), &tree, &ntree, 0);
	for (int i = 0; i < t.npages; i++) {
		int id = qpdf_oh_get_object_id(q, qpdf_get_page_n(q, (size_t)i));
		if (id >= t.nids && id < 100000000) {
			t.page_of_id = xrealloc(t.page_of_id, (size_t)(id + 1) * sizeof(int));
			for (int k = t.nids; k <= id; k++)
				t.page_of_id[k] = -1;
			t.nids = id + 1;
		}
		if (id > 0 && id < t.nids)
			t.page_of_id[id] = i;
	}
	for (int i = 0; i < t.npages; i++) {
		qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
		int key;
		if (qpdf_oh_get_value_as_int(q, qpdf_oh_get_key(q, pg, "/StructParents"), &key) &&
		    key >= 0 && key < ntree && tree[key] && qpdf_oh_is_array(q, tree[key]))
			t.parent_arr[i] = tree[key];
	}

	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		const struct tag_leaf *lf = &leaves[i];
		qpdf_oh kid = nkids == 1 && !qpdf_oh_is_array(q, kids) ? kids
			      : qpdf_oh_get_array_item(q, kids, i);
		int page = page_of(&t, qpdf_oh_get_key(q, kid, "/Pg"));
		int mcid[4];
		qpdf_oh objr = 0;
		int nm = leaf_mcids(q, qpdf_oh_get_key(q, kid, "/K"), mcid, 4, &objr);
		int se = lf->se > 0 && lf->se < doc->nse ? lf->se : 0;
		if (page < 0) {
			*why = xasprintf("structure element %d is on no page", i);
			rc = -1;
		} else if (lf->kind == TAG_LINK) {
			/* a link drawn over an artifact still belongs to the
			 * structure: the Document's */
			qpdf_oh parent = element(&t, se ? se : 1);
			qpdf_oh_replace_key(q, kid, "/P", parent);
			qpdf_oh_append_item(q, qpdf_oh_get_key(q, parent, "/K"), kid);
			if (objr && lf->contents)
				qpdf_oh_replace_key(q, objr, "/Contents",
						    qpdf_oh_new_unicode_string(q, lf->contents));
		} else if (lf->kind == TAG_ARTIFACT || !se) {
			for (int k = 0; k < nm; k++) {
				note_mcid(&t, page, mcid[k], 0, NULL);
				if (t.parent_arr[page] && mcid[k] < qpdf_oh_get_array_n_items(q, t.parent_arr[page]))
					qpdf_oh_set_array_item(q, t.parent_arr[page], mcid[k], qpdf_oh_new_null(q));
			}
		} else {
			qpdf_oh e = element(&t, se);
			qpdf_oh ek = qpdf_oh_get_key(q, e, "/K");
			for (int k = 0; k < nm; k++) {
				qpdf_oh mcr = qpdf_oh_new_dictionary(q);
				qpdf_oh_replace_key(q, mcr, "/Type", qpdf_oh_new_name(q, "/MCR"));
				qpdf_oh_replace_key(q, mcr, "/Pg", qpdf_get_page_n(q, (size_t)page));
				qpdf_oh_replace_key(q, mcr, "/MCID", qpdf_oh_new_integer(q, mcid[k]));
				qpdf_oh_append_item(q, ek, mcr);
				note_mcid(&t, page, mcid[k], se, lf->actual);
				if (t.parent_arr[page] && mcid[k] < qpdf_oh_get_array_n_items(q, t.parent_arr[page]))
					qpdf_oh_set_array_item(q, t.parent_arr[page], mcid[k], e);
			}
		}
	}
	if (rc == 0) {
		qpdf_oh_replace_key(q, t.root, "/K", t.root_k);
		if (t.nids_elem) {	/* the elements' IDs, a name tree of one node, in order */
			qsort(t.ids, (size_t)t.nids_elem, sizeof(*t.ids), cmp_int);
			qpdf_oh names = qpdf_oh_new_array(q);
			for (int i = 0; i < t.nids_elem; i++) {
				char id[24];
				snprintf(id, sizeof(id), "note%08d", t.ids[i]);
				qpdf_oh_append_item(q, names, qpdf_oh_new_string(q, id));
				qpdf_oh_append_item(q, names, t.elem[t.ids[i]]);
			}
			qpdf_oh tree_node = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, tree_node, "/Names", names);
			qpdf_oh_replace_key(q, t.root, "/IDTree", qpdf_make_indirect_object(q, tree_node));
		}
		qpdf_oh_replace_key(q, t.root, "/ParentTreeNextKey", qpdf_oh_new_integer(q, ntree));
		for (int i = 0; i < t.npages; i++) {
			qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
			if (t.nmcid[i]) {
				qpdf_oh c = qpdf_oh_get_key(q, pg, "/Contents");
				if (qpdf_oh_is_stream(q, c)) {
					rename_marks(&t, c, i);
				} else if (qpdf_oh_is_array(q, c)) {
					for (int k = 0; k < qpdf_oh_get_array_n_items(q, c); k++)
						rename_marks(&t, qpdf_oh_get_array_item(q, c, k), i);
				}
			}
			if (qpdf_oh_has_key(q, pg, "/Annots"))
				qpdf_oh_replace_key(q, pg, "/Tabs", qpdf_oh_new_name(q, "/S"));
		}
		qpdf_oh_replace_key(q, catalog, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
		if (lang && *lang)
			qpdf_oh_replace_key(q, catalog, "/Lang", qpdf_oh_new_unicode_string(q, lang));
		qpdf_oh vp = qpdf_oh_get_key(q, catalog, "/ViewerPreferences");
		if (!qpdf_oh_is_dictionary(q, vp)) {
			vp = qpdf_oh_new_dictionary(q);
			qpdf_oh_replace_key(q, catalog, "/ViewerPreferences", vp);
		}
		qpdf_oh_replace_key(q, vp, "/DisplayDocTitle", qpdf_oh_new_bool(q, 1));
	}
	for (int i = 0; i < t.npages; i++) {
		free(t.mcid_se[i]);
		free(t.mcid_actual[i]);
	}
	free(t.mcid_se);
	free(t.mcid_actual);
	free(t.nmcid);
	free(t.parent_arr);
	free(t.page_of_id);
	free(t.elem);
	free(t.ids);
	free(tree);
	qpdf_oh_release_all(q);
	return rc;
}
