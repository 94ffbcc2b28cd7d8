#!/usr/bin/env python3
"""pdfcheck.py FILE.pdf [--standard a-2b,ua-1,x-4] [--find TEXT ...] [--absent TEXT ...]
                    [--tree] [--glyphs] [--quiet]

Reads a PDF back (through `qpdf --json`) and checks the clauses of tagged
PDF, PDF/A-2/3 (b, u) and PDF/UA-1 that bulletin implements; no validator
such as veraPDF can be installed where bulletin is built, so this is ours.
One line per finding; exit 1 if any.

Always (every bulletin PDF is tagged):
  - the catalog: /MarkInfo /Marked true, /Lang, /StructTreeRoot with a
    ParentTree, /ViewerPreferences /DisplayDocTitle true
  - the structure tree: standard types, /P pointing back, no cycles;
    every marked-content sequence of the pages (MCID) is in exactly one
    element and the ParentTree maps it there, and every MCID an element
    names exists; every painting operator (text, paths, images,
    shadings, XObjects) lies inside a structure element's marked
    content or an /Artifact
  - headings: H1..H6 never skip a level going down, and their levels
    and texts follow the outline in order
  - every link annotation has /StructParent, a Link element holding its
    /OBJR, /Contents; pages with annotations have /Tabs /S
  - every font has a ToUnicode map and every code shown maps to text
--standard a-2b|a-2u|a-3b|ua-1 (comma-separated) adds:
  - PDF/A: version 1.7 at most, a binary header comment, an /ID, no
    encryption, JavaScript, launch actions, embedded files (A-2) or
    /AA; XMP metadata present, unfiltered, parseable, with pdfaid:part
    and conformance, and dc:title, dc:creator, dc:description,
    xmp:CreatorTool, pdf:Producer, xmp:CreateDate and xmp:ModifyDate
    matching /Info; an OutputIntent /GTS_PDFA1 with an RGB ICC profile
    embedded (/N 3); every font embedded; annotations printable and not
    hidden
  - PDF/UA: pdfuaid:part 1, dc:title, /Alt on every Figure, /ID on every Note
  - PDF/X-4: PDF 1.6 at most; an OutputIntent /GTS_PDFX with a CMYK
    printer profile (/N 4) and its condition; pdfxid:GTS_PDFXVersion
    PDF/X-4 and /Info /Trapped (True or False) matching XMP pdf:Trapped;
    TrimBox inside BleedBox inside MediaBox on every page; no DeviceRGB
    (rg/RG, colour spaces, groups, images); no annotation but printer's
    marks; every font embedded
--find TEXT: TEXT occurs in the text of the structure (marked content
  read with its /ActualText, in structure order), spaces as written;
--absent TEXT: it does not (an artifact's text is no element's).
--glyphs: the text as the fonts' ToUnicode maps give it, /ActualText
  ignored (as MuPDF reads).
--tree prints the structure: a line per element, two spaces a level,
  TYPE [lang=L] [alt="A"] [id=I] "its own text".
"""
import base64
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

STANDARD_TYPES = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure
Formula Form""".split())
PAINT_OPS = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "BI"}

findings = []
GLYPHS_ONLY = False


def fail(msg):
    findings.append(msg)


# ---- reading qpdf's JSON ----

class Pdf:
    def __init__(self, path):
        out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                              "--decode-level=generalized", path],
                             capture_output=True, check=False)
        if out.returncode not in (0, 3):
            raise SystemExit("pdfcheck: qpdf cannot read %s: %s" % (path, out.stderr.decode()))
        j = json.loads(out.stdout)
        self.objs = j["qpdf"][1]
        self.trailer = self.objs["trailer"]["value"]
        with open(path, "rb") as f:
            self.head = f.read(64)

    def get(self, v):
        """The value of v, following a reference; streams give their dict."""
        while isinstance(v, str) and v.endswith(" R"):
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            v = o["stream"]["dict"] if "stream" in o else o.get("value")
        return v

    def stream(self, v):
        o = self.objs.get("obj:" + v) if isinstance(v, str) else None
        if not o or "stream" not in o:
            return None, None
        data = o["stream"].get("data")
        return o["stream"]["dict"], base64.b64decode(data) if data is not None else b""


def text_of(v):
    """A PDF string from qpdf's JSON ("u:..." text, "b:..." hex bytes)."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        raw = bytes.fromhex(v[2:])
        if raw[:2] == b"\xfe\xff":
            return raw[2:].decode("utf-16-be", "replace")
        return raw.decode("latin-1")
    return None


def as_list(v):
    return v if isinstance(v, list) else [] if v is None else [v]


def tree_items(pdf, node, key, depth=0):
    """The (key, value) pairs of a number tree (key "/Nums") or a name
    tree ("/Names"), leaves in order."""
    node = pdf.get(node) or {}
    n = as_list(node.get(key))
    out = [(n[k], n[k + 1]) for k in range(0, len(n) - 1, 2)]
    for kid in as_list(node.get("/Kids")):
        if depth < 32:
            out += tree_items(pdf, kid, key, depth + 1)
    return out


# ---- content streams ----

TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+) |
    (?P<comment>%[^\r\n]*) |
    (?P<hex><[0-9A-Fa-f\s]*>) |
    (?P<dopen><<) | (?P<dclose>>>) |
    (?P<aopen>\[) | (?P<aclose>\]) |
    (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*) |
    (?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])) |
    (?P<lit>\() |
    (?P<op>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
""", re.X)


def literal(data, i):
    """The literal string starting after '(' at i: (bytes, next index)."""
    out, depth = bytearray(), 1
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            c = data[i]
            if c in esc:
                out.append(esc[c])
            elif 0x30 <= c <= 0x37:
                j = i
                while j < i + 3 and j < len(data) and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 0xFF)
                i = j - 1
            elif c in (10, 13):
                pass
            else:
                out.append(c)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def operations(data):
    """(operator, operands) of a content stream; strings as bytes, names
    as str with '/', dicts as dict, arrays as list."""
    stack, ops, i = [[]], [], 0
    while i < len(data):
        m = TOKEN.match(data, i)
        if not m:
            i += 1
            continue
        kind, tok = m.lastgroup, m.group()
        i = m.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "hex":
            stack[-1].append(bytes.fromhex(re.sub(rb"\s", b"", tok[1:-1]).decode() +
                                           ("0" if len(re.sub(rb"\s", b"", tok[1:-1])) % 2 else "")))
        elif kind == "lit":
            s, i = literal(data, i)
            stack[-1].append(s)
        elif kind == "name":
            stack[-1].append(tok.decode("latin-1"))
        elif kind == "num":
            stack[-1].append(float(tok))
        elif kind in ("dopen", "aopen"):
            stack.append([kind])
        elif kind in ("dclose", "aclose"):
            if len(stack) > 1:
                items = stack.pop()
                if items[0] == "dopen":
                    vals = items[1:]
                    stack[-1].append({vals[k]: vals[k + 1] for k in range(0, len(vals) - 1, 2)})
                else:
                    stack[-1].append(items[1:])
        else:
            op = tok.decode("latin-1")
            if op == "BI":  # an inline image: skip to EI
                end = re.compile(rb"\sEI(?=[\s]|$)").search(data, i)
                i = end.end() if end else len(data)
            if op in ("true", "false", "null"):
                stack[-1].append(op)
                continue
            ops.append((op, stack[-1]))
            stack = [[]]
    return ops


class Font:
    def __init__(self, pdf, ref):
        d = pdf.get(ref) or {}
        self.name = str(d.get("/BaseFont", ref))
        self.two_bytes = d.get("/Subtype") == "/Type0"
        self.type3 = d.get("/Subtype") == "/Type3"
        self.map = {}
        self.has_tounicode = "/ToUnicode" in d
        if self.has_tounicode:
            _, cmap = pdf.stream(d["/ToUnicode"])
            self.read_cmap(cmap or b"")
        desc = d
        if self.two_bytes:
            desc = pdf.get(as_list(d.get("/DescendantFonts"))[0]) if d.get("/DescendantFonts") else {}
        fd = pdf.get((desc or {}).get("/FontDescriptor")) or {}
        self.embedded = self.type3 or any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def read_cmap(self, data):
        def u(h):
            return bytes.fromhex(h.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                self.map[int(src, 16)] = u(dst)
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
                lo, hi = int(lo, 16), int(hi, 16)
                if rest.startswith(b"["):
                    for k, h in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", rest)):
                        self.map[lo + k] = u(h)
                else:
                    base = bytes.fromhex(rest[1:-1].decode())
                    for k in range(hi - lo + 1):
                        last = int.from_bytes(base[-2:], "big") + k
                        self.map[lo + k] = (base[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", "replace")

    def decode(self, s, where):
        codes = [int.from_bytes(s[k:k + 2], "big") for k in range(0, len(s) - 1, 2)] \
            if self.two_bytes else list(s)
        out = []
        for c in codes:
            t = self.map.get(c)
            if t is None or t in ("", "\x00", "\ufeff", "\ufffe"):
                fail("%s: font %s: code %d maps to no text (ToUnicode)" % (where, self.name, c))
                t = "\ufffd"
            out.append(t)
        return "".join(out)


class Page:
    """A page's marked content: which MCIDs it has, their text, and paint
    operations outside marked content."""

    def __init__(self, pdf, index, page, fonts):
        self.index = index
        self.mcids = {}      # mcid -> text (ActualText if given)
        self.where = "page %d" % (index + 1)
        res = pdf.get(page.get("/Resources")) or {}
        data = b""
        for c in as_list(page.get("/Contents")):
            _, d = pdf.stream(c)
            data += (d or b"") + b"\n"
        self.untagged = 0
        self.first_untagged = None
        self.device_rgb = 0
        self.run(pdf, data, res, fonts, [])

    def run(self, pdf, data, res, fonts, outer):
        fontres = pdf.get(res.get("/Font")) or {}
        xobjects = pdf.get(res.get("/XObject")) or {}
        stack = list(outer)   # marked content: (mcid or None, artifact?, actual)
        font = None
        for op, args in operations(data):
            if op == "BDC" and len(args) >= 2:
                props = args[1] if isinstance(args[1], dict) else {}
                mcid = props.get("/MCID")
                actual = props.get("/ActualText")
                if GLYPHS_ONLY:
                    actual = None
                if isinstance(actual, bytes):
                    actual = actual[2:].decode("utf-16-be", "replace") if actual[:2] == b"\xfe\xff" \
                        else actual.decode("latin-1")
                if mcid is None and actual is not None and not any(t is not None for _, _, t in stack):
                    # a span of replacement text (cairo writes them for
                    # clusters) inside an MCID: its text is the MCID's
                    inner = next((m for m, _, _ in reversed(stack) if m is not None), None)
                    if inner is not None:
                        self.mcids[inner] += actual
                stack.append((int(mcid) if mcid is not None else None, args[0] == "/Artifact", actual))
                if mcid is not None:
                    if int(mcid) in self.mcids:
                        fail("%s: MCID %d used twice" % (self.where, int(mcid)))
                    self.mcids[int(mcid)] = actual if actual is not None else ""
                continue
            if op == "BMC":
                stack.append((None, bool(args) and args[0] == "/Artifact", None))
                continue
            if op == "EMC":
                if len(stack) > len(outer):
                    stack.pop()
                else:
                    fail("%s: EMC without a BDC or BMC" % self.where)
                continue
            if op == "Tf" and args:
                ref = fontres.get(args[0])
                if ref is not None:
                    key = ref if isinstance(ref, str) else json.dumps(ref)
                    if key not in fonts:
                        fonts[key] = Font(pdf, ref)
                    font = fonts[key]
                continue
            if op in ("rg", "RG") or (op in ("cs", "CS") and args and args[-1] == "/DeviceRGB"):
                self.device_rgb += 1
            if op not in PAINT_OPS:
                continue
            tagged = any(m is not None or a for m, a, _ in stack)
            if not tagged:
                self.untagged += 1
                if self.first_untagged is None:
                    self.first_untagged = op
            if op == "Do" and args:
                xo = xobjects.get(args[0])
                d, xdata = pdf.stream(xo) if isinstance(xo, str) else (None, None)
                if d and d.get("/Subtype") == "/Form":
                    self.run(pdf, xdata, pdf.get(d.get("/Resources")) or res, fonts, stack)
                continue
            if op in ("Tj", "TJ", "'", '"') and font:
                strings = [a for a in (args[-1] if op == "TJ" and args and isinstance(args[-1], list)
                                       else args[-1:]) if isinstance(a, bytes)]
                text = "".join(font.decode(s, self.where) for s in strings)
                inner = next(((m, a, t) for m, a, t in reversed(stack) if m is not None), None)
                # the text of the innermost MCID, unless an ActualText on
                # the way (innermost first) replaces it
                if inner is not None and not any(t is not None for _, _, t in stack):
                    self.mcids[inner[0]] += text


# ---- the checks ----

def check_structure(pdf, catalog, pages):
    root = pdf.get(catalog.get("/StructTreeRoot"))
    if not isinstance(root, dict):
        fail("catalog: no /StructTreeRoot (untagged)")
        return [], {}
    mark = pdf.get(catalog.get("/MarkInfo")) or {}
    if mark.get("/Marked") is not True:
        fail("catalog: /MarkInfo /Marked is not true")
    if not text_of(catalog.get("/Lang")):
        fail("catalog: no /Lang")
    vp = pdf.get(catalog.get("/ViewerPreferences")) or {}
    if vp.get("/DisplayDocTitle") is not True:
        fail("catalog: /ViewerPreferences /DisplayDocTitle is not true")
    rolemap = pdf.get(root.get("/RoleMap")) or {}

    page_index = {}
    for i, ref in enumerate(pdf.page_refs):
        page_index[ref] = i
    owner = {}         # (page, mcid) -> element ref
    objr = {}          # annotation ref -> element ref
    elems = []         # (ref, type, depth) in preorder
    seen = set()

    def walk(ref, parent_ref, depth):
        if ref in seen:
            fail("structure: element %s reached twice (a cycle or a shared kid)" % ref)
            return
        seen.add(ref)
        e = pdf.get(ref)
        if not isinstance(e, dict):
            fail("structure: %s is not a dictionary" % ref)
            return
        s = e.get("/S", "")[1:]
        t = s if s in STANDARD_TYPES else (rolemap.get("/" + s, "/")[1:])
        if t not in STANDARD_TYPES:
            fail("structure: %s has type %s, neither standard nor in the RoleMap" % (ref, s))
        if e.get("/P") != parent_ref:
            fail("structure: %s (%s): /P is %s, its parent is %s" % (ref, s, e.get("/P"), parent_ref))
        elems.append((ref, t, depth, e))
        pg = e.get("/Pg")
        for k in as_list(e.get("/K")):
            if isinstance(k, (int, float)):
                key = (page_index.get(pg), int(k))
                if key[0] is None:
                    fail("structure: %s (%s) names an MCID without a page" % (ref, s))
                if key in owner:
                    fail("structure: MCID %d of page %s is in two elements" % (key[1], key[0]))
                owner[key] = ref
                continue
            kd = pdf.get(k)
            if not isinstance(kd, dict):
                continue
            if kd.get("/Type") == "/MCR":
                key = (page_index.get(kd.get("/Pg", pg)), int(kd.get("/MCID", -1)))
                if key in owner:
                    fail("structure: MCID %d of page %s is in two elements" % (key[1], key[0]))
                owner[key] = ref
            elif kd.get("/Type") == "/OBJR":
                objr[kd.get("/Obj")] = ref
            else:
                walk(k, ref, depth + 1)

    for k in as_list(root.get("/K")):
        walk(k, catalog.get("/StructTreeRoot"), 0)
    if not elems:
        fail("structure: the tree is empty")

    tree = {int(k): v for k, v in tree_items(pdf, root.get("/ParentTree"), "/Nums")}

    content = set()
    for i, (ref, page) in enumerate(zip(pdf.page_refs, pages)):
        pd = pdf.get(ref)
        pg = page["content"]
        if pg.untagged:
            fail("page %d: %d painting operators (first: %s) outside structure and artifacts"
                 % (i + 1, pg.untagged, pg.first_untagged))
        arr = None
        if "/StructParents" in pd:
            arr = pdf.get(tree.get(int(pd["/StructParents"])))
        for mcid in pg.mcids:
            content.add((i, mcid))
            want = owner.get((i, mcid))
            if want is None:
                fail("page %d: MCID %d is in no structure element" % (i + 1, mcid))
            elif not isinstance(arr, list) or mcid >= len(arr) or arr[mcid] != want:
                fail("page %d: the ParentTree does not map MCID %d to its element %s"
                     % (i + 1, mcid, want))
        annots = as_list(pdf.get(pd.get("/Annots")))
        if annots and pd.get("/Tabs") != "/S":
            fail("page %d: annotations but no /Tabs /S" % (i + 1))
        for a in annots:
            ad = pdf.get(a) or {}
            if ad.get("/Subtype") != "/Link":
                continue
            el = objr.get(a)
            if el is None:
                fail("page %d: link annotation %s has no OBJR in the structure" % (i + 1, a))
            elif (pdf.get(el) or {}).get("/S") != "/Link":
                fail("page %d: link annotation %s sits in a %s, not a Link" % (i + 1, a, pdf.get(el).get("/S")))
            sp = ad.get("/StructParent")
            if sp is None or tree.get(int(sp)) != el:
                fail("page %d: link annotation %s: /StructParent does not lead to its Link" % (i + 1, a))
            if not text_of(ad.get("/Contents")):
                fail("page %d: link annotation %s has no /Contents" % (i + 1, a))
    for key in owner:
        if key not in content:
            fail("structure: element %s names MCID %d of page %s, which the page lacks"
                 % (owner[key], key[1], key[0]))
    return elems, owner


def element_text(pdf, e, pages):
    """The text of an element and its kids, in /K order."""
    out = []
    pg = e.get("/Pg")
    for k in as_list(e.get("/K")):
        if isinstance(k, (int, float)):
            out.append(pages[pdf.page_refs.index(pg)]["content"].mcids.get(int(k), ""))
            continue
        kd = pdf.get(k) or {}
        if kd.get("/Type") == "/MCR":
            p = pdf.page_refs.index(kd.get("/Pg", pg))
            out.append(pages[p]["content"].mcids.get(int(kd["/MCID"]), ""))
        elif kd.get("/Type") == "/StructElem" or "/S" in kd:
            out.append(element_text(pdf, kd, pages))
    return "".join(out)


def check_headings(pdf, catalog, elems, pages):
    # headings, and the titled Parts a volume's issues are (a level above)
    heads = [(int(t[1]) if t != "Part" else 0,
              element_text(pdf, e, pages) if t != "Part" else text_of(e.get("/T")) or "")
             for _, t, _, e in elems if re.fullmatch(r"H[1-6]", t) or (t == "Part" and e.get("/T"))]
    prev = 0
    for level, text in heads:
        if level == 0:
            prev = 0  # a Part: its headings start again at H1
            continue
        if level > prev + 1:
            fail("headings: H%d %r follows H%d (a level skipped)" % (level, text[:30], prev))
        prev = level
    outline = []

    def items(first, depth):
        ref, n = first, 0
        while ref and n < 100000:
            it = pdf.get(ref) or {}
            outline.append((depth, text_of(it.get("/Title")) or ""))
            if it.get("/First"):
                items(it["/First"], depth + 1)
            ref = it.get("/Next")
            n += 1
    ol = pdf.get(catalog.get("/Outlines")) or {}
    if ol.get("/First"):
        items(ol["/First"], 1)
    if not outline:
        return heads
    squash = lambda s: re.sub(r"\s+", "", s)
    # the TOC's entries are headings, in order
    tocis = [squash(element_text(pdf, e, pages)) for _, t, _, e in elems if t == "TOCI"]
    k = 0
    for entry in tocis:
        while k < len(heads) and entry not in squash(heads[k][1]):
            k += 1
        if k == len(heads):
            fail("headings: the TOC entry %r is no heading after the one before it" % entry[:30])
            break
        k += 1
    if len(outline) != len(heads):
        fail("headings: %d in the structure, %d in the outline" % (len(heads), len(outline)))
    base = heads[0][0] if heads else 1
    for (depth, title), (level, text) in zip(outline, heads):
        if squash(title) not in squash(text):
            fail("headings: the outline's %r is not the heading's text %r" % (title[:30], text[:30]))
            break
    return heads


def pdf_date(s):
    """D:YYYYMMDDHHmmSS(Z|+hh'mm') -> (YYYY-MM-DDTHH:mm:SS, tz)."""
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?", s or "")
    if not m:
        return None
    y, mo, d, h, mi, se, tz = m.groups()
    tz = "Z" if tz in (None, "Z") else tz[:3] + ":" + tz[-3:-1] if "'" in tz else tz
    return "%s-%s-%sT%s:%s:%s%s" % (y, mo or "01", d or "01", h or "00", mi or "00", se or "00",
                                     "Z" if tz in ("Z", "+00:00", "-00:00") else tz)


def xmp_date(s):
    m = re.match(r"(\d{4})-?(\d{2})?-?(\d{2})?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", s or "")
    if not m:
        return None
    y, mo, d, h, mi, se, tz = m.groups()
    return "%s-%s-%sT%s:%s:%s%s" % (y, mo or "01", d or "01", h or "00", mi or "00", se or "00",
                                     "Z" if tz in (None, "Z", "+00:00", "-00:00") else tz)


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def xmp_props(xml):
    """The XMP packet's properties: {(ns, name): value or [values]}."""
    root = ET.fromstring(xml)
    props = {}
    for desc in root.iter("{%s}Description" % NS["rdf"]):
        for k, v in desc.attrib.items():
            if k.startswith("{"):
                ns, name = k[1:].split("}")
                props[(ns, name)] = v
        for child in desc:
            ns, name = child.tag[1:].split("}")
            lis = [li.text or "" for li in child.iter("{%s}li" % NS["rdf"])]
            props[(ns, name)] = lis if lis else (child.text or "").strip()
    return props


def check_metadata(pdf, catalog, stds):
    info = pdf.get(pdf.trailer.get("/Info")) or {}
    ref = catalog.get("/Metadata")
    d, xml = pdf.stream(ref) if isinstance(ref, str) else (None, None)
    if d is None:
        fail("catalog: no XMP /Metadata stream")
        return
    if d.get("/Type") != "/Metadata" or d.get("/Subtype") != "/XML":
        fail("metadata: the stream is not /Type /Metadata /Subtype /XML")
    raw = pdf.objs["obj:" + ref]["stream"]["dict"]
    if "/Filter" in raw and any(s.startswith("a-") for s in stds):
        fail("metadata: the XMP stream is filtered (%s); PDF/A wants it plain" % raw["/Filter"])
    if not xml.lstrip().startswith(b"<?xpacket begin="):
        fail("metadata: no <?xpacket begin= ...?> header")
    try:
        props = xmp_props(xml)
    except ET.ParseError as e:
        fail("metadata: the XMP does not parse: %s" % e)
        return

    def one(ns, name):
        v = props.get((NS[ns], name))
        return v[0] if isinstance(v, list) and v else v if isinstance(v, str) else None
    pairs = [("/Title", "dc", "title"), ("/Author", "dc", "creator"),
             ("/Subject", "dc", "description"), ("/Creator", "xmp", "CreatorTool"),
             ("/Producer", "pdf", "Producer"), ("/Keywords", "pdf", "Keywords")]
    for key, ns, name in pairs:
        a, b = text_of(info.get(key)), one(ns, name)
        if a is not None and a != b:
            fail("metadata: /Info %s %r but XMP %s:%s %r" % (key, a, ns, name, b))
        if a is None and b is not None and key != "/Keywords":
            fail("metadata: XMP %s:%s %r but no /Info %s" % (ns, name, b, key))
    for key, name in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        a, b = pdf_date(text_of(info.get(key))), xmp_date(one("xmp", name))
        if a != b:
            fail("metadata: /Info %s %s but XMP xmp:%s %s" % (key, a, name, b))
    for s in stds:
        if s.startswith("a-"):
            part, conf = s[2], s[3].upper()
            if one("pdfaid", "part") != part or (one("pdfaid", "conformance") or "").upper() != conf:
                fail("metadata: %s wants pdfaid:part %s conformance %s; the XMP says %s %s"
                     % (s, part, conf, one("pdfaid", "part"), one("pdfaid", "conformance")))
        if s == "ua-1":
            if one("pdfuaid", "part") != "1":
                fail("metadata: ua-1 wants pdfuaid:part 1; the XMP says %s" % one("pdfuaid", "part"))
            if not one("dc", "title"):
                fail("metadata: ua-1 wants a dc:title")
    if not any(s.startswith("a-") for s in stds) and one("pdfaid", "part"):
        fail("metadata: claims PDF/A part %s, which was not asked for" % one("pdfaid", "part"))
    if "ua-1" not in stds and one("pdfuaid", "part"):
        fail("metadata: claims PDF/UA, which was not asked for")
    if "x-4" not in stds and props.get(("http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion")):
        fail("metadata: claims PDF/X, which was not asked for")


def check_pdfa(pdf, catalog, stds, fonts):
    m = re.match(rb"%PDF-(\d)\.(\d)", pdf.head)
    if not m or (int(m.group(1)), int(m.group(2))) > (1, 7):
        fail("header: %r; PDF/A-2 and -3 are PDF 1.7 at most" % pdf.head[:8])
    nl = pdf.head.find(b"\n")
    second = pdf.head[nl + 1:nl + 6]
    if not (second.startswith(b"%") and len(second) >= 5 and all(c > 127 for c in second[1:5])):
        fail("header: no comment of four bytes above 127 on the second line")
    if "/ID" not in pdf.trailer:
        fail("trailer: no /ID")
    if "/Encrypt" in pdf.trailer:
        fail("trailer: encrypted")
    ois = [pdf.get(o) or {} for o in as_list(pdf.get(catalog.get("/OutputIntents")))]
    gts = [o for o in ois if o.get("/S") == "/GTS_PDFA1"]
    if not gts:
        fail("catalog: no /OutputIntents entry /GTS_PDFA1")
    for o in gts:
        d, icc = pdf.stream(o.get("/DestOutputProfile"))
        if d is None:
            fail("output intent: no /DestOutputProfile ICC stream")
            continue
        if icc[36:40] != b"acsp":
            fail("output intent: the profile is not ICC (no acsp signature)")
        if d.get("/N") != 3 or icc[16:20] != b"RGB ":
            fail("output intent: the profile is not RGB with /N 3")
        if not text_of(o.get("/OutputConditionIdentifier")):
            fail("output intent: no /OutputConditionIdentifier")
    names = pdf.get(catalog.get("/Names")) or {}
    if "/JavaScript" in names:
        fail("catalog: JavaScript in /Names")
    if "/EmbeddedFiles" in names and not "a-3b" in stds:
        fail("catalog: embedded files (PDF/A-2 allows only PDF/A ones)")
    if "/AA" in catalog:
        fail("catalog: /AA (additional actions)")
    for key, o in pdf.objs.items():
        v = o.get("value") if isinstance(o, dict) else None
        if isinstance(v, dict):
            if v.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/ResetForm", "/Hide"):
                fail("%s: a %s action" % (key, v["/S"]))
    for i, ref in enumerate(pdf.page_refs):
        pd = pdf.get(ref)
        if "/AA" in pd:
            fail("page %d: /AA" % (i + 1))
        for a in as_list(pdf.get(pd.get("/Annots"))):
            ad = pdf.get(a) or {}
            f = int(ad.get("/F", 0))
            if not f & 4 or f & (1 | 2 | 32):
                fail("page %d: annotation %s: flags %d (PDF/A wants Print set, Hidden, Invisible, NoView clear)" % (i + 1, a, f))
    for font in fonts.values():
        if not font.embedded:
            fail("font %s: not embedded" % font.name)


def check_pdfx(pdf, catalog, fonts, pages):
    m = re.match(rb"%PDF-(\d)\.(\d)", pdf.head)
    if not m or (int(m.group(1)), int(m.group(2))) > (1, 6):
        fail("header: %r; PDF/X-4 is PDF 1.6 at most" % pdf.head[:8])
    ois = [pdf.get(o) or {} for o in as_list(pdf.get(catalog.get("/OutputIntents")))]
    gts = [o for o in ois if o.get("/S") == "/GTS_PDFX"]
    if len(gts) != 1:
        fail("catalog: %d /OutputIntents entries /GTS_PDFX, PDF/X wants one" % len(gts))
    for o in gts:
        d, icc = pdf.stream(o.get("/DestOutputProfile"))
        if d is None or icc[36:40] != b"acsp":
            fail("output intent: no ICC /DestOutputProfile")
        elif d.get("/N") != 4 or icc[16:20] != b"CMYK" or icc[12:16] != b"prtr":
            fail("output intent: the profile is not a CMYK printer profile with /N 4")
        if not text_of(o.get("/OutputConditionIdentifier")):
            fail("output intent: no /OutputConditionIdentifier")
    info = pdf.get(pdf.trailer.get("/Info")) or {}
    trapped = info.get("/Trapped")
    if trapped not in ("/True", "/False"):
        fail("/Info: /Trapped is %s; PDF/X wants /True or /False" % trapped)
    ref = catalog.get("/Metadata")
    _, xml = pdf.stream(ref) if isinstance(ref, str) else (None, None)
    try:
        props = xmp_props(xml) if xml else {}
    except ET.ParseError:
        props = {}
    ver = props.get(("http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion"))
    if not (isinstance(ver, str) and ver.startswith("PDF/X-4")):
        fail("metadata: pdfxid:GTS_PDFXVersion is %r, not PDF/X-4" % ver)
    xt = props.get((NS["pdf"], "Trapped"))
    if trapped in ("/True", "/False") and xt != trapped[1:]:
        fail("metadata: pdf:Trapped %r but /Info /Trapped %s" % (xt, trapped))
    if "/Encrypt" in pdf.trailer:
        fail("trailer: encrypted")

    def box(pd, key, default):
        b = pd.get(key, default)
        return [float(x) for x in b] if isinstance(b, list) and len(b) == 4 else None

    def inside(a, b):
        return a and b and a[0] >= b[0] - 0.01 and a[1] >= b[1] - 0.01 and a[2] <= b[2] + 0.01 and a[3] <= b[3] + 0.01
    for i, ref in enumerate(pdf.page_refs):
        pd = pdf.get(ref)
        media = box(pd, "/MediaBox", None)
        trim = box(pd, "/TrimBox", None)
        bleed = box(pd, "/BleedBox", media)
        if not trim:
            fail("page %d: no TrimBox" % (i + 1))
        elif not (inside(trim, bleed) and inside(bleed, media)):
            fail("page %d: TrimBox %s, BleedBox %s, MediaBox %s not nested" % (i + 1, trim, bleed, media))
        g = pdf.get(pd.get("/Group")) or {}
        if g.get("/CS") == "/DeviceRGB":
            fail("page %d: a DeviceRGB transparency group" % (i + 1))
        for a in as_list(pdf.get(pd.get("/Annots"))):
            if (pdf.get(a) or {}).get("/Subtype") not in ("/PrinterMark", "/TrapNet"):
                fail("page %d: annotation %s (PDF/X allows printer's marks only)" % (i + 1, a))
        if pages[i]["content"].device_rgb:
            fail("page %d: %d DeviceRGB colour operators" % (i + 1, pages[i]["content"].device_rgb))
    for key, o in pdf.objs.items():
        d = o.get("stream", {}).get("dict") if isinstance(o, dict) else None
        if d and d.get("/Subtype") == "/Image" and d.get("/ColorSpace") == "/DeviceRGB":
            fail("%s: a DeviceRGB image" % key)
    for font in fonts.values():
        if not font.embedded:
            fail("font %s: not embedded" % font.name)


def main():
    args = sys.argv[1:]
    stds, finds, absent, path, quiet, tree = [], [], [], None, False, False
    while args:
        a = args.pop(0)
        if a == "--standard":
            stds = [s for s in args.pop(0).split(",") if s]
        elif a == "--find":
            finds.append(args.pop(0))
        elif a == "--absent":
            absent.append(args.pop(0))
        elif a == "--tree":
            tree = True
        elif a == "--glyphs":
            global GLYPHS_ONLY
            GLYPHS_ONLY = True
        elif a == "--quiet":
            quiet = True
        else:
            path = a
    if not path:
        raise SystemExit(__doc__)
    for s in stds:
        if s not in ("a-2b", "a-2u", "a-3b", "ua-1", "x-4"):
            raise SystemExit("pdfcheck: unknown standard %s" % s)
    pdf = Pdf(path)
    catalog = pdf.get(pdf.trailer["/Root"])

    def page_refs(node, out, depth=0):
        nd = pdf.get(node) or {}
        if nd.get("/Type") == "/Pages":
            for k in as_list(nd.get("/Kids")):
                if depth < 64:
                    page_refs(k, out, depth + 1)
        else:
            out.append(node)
        return out
    pdf.page_refs = page_refs(catalog["/Pages"], [])
    fonts = {}
    pages = [{"content": Page(pdf, i, pdf.get(r), fonts)} for i, r in enumerate(pdf.page_refs)]
    for f in fonts.values():
        if not f.has_tounicode and not f.type3:
            fail("font %s: no ToUnicode map" % f.name)
    elems, _ = check_structure(pdf, catalog, pages)
    check_headings(pdf, catalog, elems, pages)
    if stds or "/Metadata" in catalog:
        check_metadata(pdf, catalog, stds)
    if any(s.startswith("a-") for s in stds):
        check_pdfa(pdf, catalog, stds, fonts)
    if "x-4" in stds:
        check_pdfx(pdf, catalog, fonts, pages)
    if "ua-1" in stds:
        for ref, t, _, e in elems:
            if t == "Figure" and not text_of(e.get("/Alt")):
                fail("structure: Figure %s has no /Alt" % ref)
    if finds or absent:
        text = "\n".join(element_text(pdf, e, pages) for _, t, depth, e in elems if depth == 0)
        for f in finds:
            if f not in text:
                fail("text: %r is not in the structure's text" % f)
        for f in absent:
            if f in text:
                fail("text: %r is in the structure's text" % f)
    if "ua-1" in stds:
        ids = {}
        root = pdf.get(catalog.get("/StructTreeRoot")) or {}
        idtree = {text_of(k): v for k, v in tree_items(pdf, root.get("/IDTree"), "/Names")}
        for ref, t, _, e in elems:
            if t != "Note":
                continue
            i = text_of(e.get("/ID"))
            if not i:
                fail("structure: Note %s has no /ID (PDF/UA 7.9)" % ref)
            elif i in ids:
                fail("structure: Notes %s and %s share the /ID %r" % (ids[i], ref, i))
            elif idtree.get(i) != ref:
                fail("structure: the IDTree does not map %r to its Note %s" % (i, ref))
            ids[i] = ref
    if tree:
        for ref, t, depth, e in elems:
            own = "".join(pages[pdf.page_refs.index(pdf.get(k).get("/Pg", e.get("/Pg")) if isinstance(pdf.get(k), dict) else e.get("/Pg"))]["content"].mcids.get(
                int(k) if isinstance(k, (int, float)) else int(pdf.get(k).get("/MCID", -1)), "")
                for k in as_list(e.get("/K"))
                if isinstance(k, (int, float)) or (pdf.get(k) or {}).get("/Type") == "/MCR")
            extra = "".join([" lang=%s" % text_of(e["/Lang"]) if "/Lang" in e else "",
                             " alt=%s" % json.dumps(text_of(e["/Alt"]), ensure_ascii=False) if "/Alt" in e else "",
                             " id=%s" % text_of(e["/ID"]) if "/ID" in e else ""])
            print("%s%s%s %s" % ("  " * depth, t, extra, json.dumps(own, ensure_ascii=False)))
    seen = set()
    for f in findings:
        if f not in seen:
            print(f)
            seen.add(f)
    if not quiet:
        print("%s: %d structure elements, %d pages, %s%s" % (
            path, len(elems), len(pages), ", ".join(stds) or "tagged",
            ": ok" if not findings else ": %d findings" % len(seen)))
    sys.exit(1 if findings else 0)


main()
