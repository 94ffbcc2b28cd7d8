#!/usr/bin/python3
"""nav_check.py PDF DUMP: checks a rendered issue's navigation as a reader
would: the TOC's page numbers against the page each heading lands on (from
the engine's dump and from the PDF's own text and page labels), leaders,
TOC links and outline targets, page labels against printed numbers.
Uses poppler's pdftotext and qpdf's JSON only.  Prints each problem and a
summary; exits 1 on any problem."""
import json
import re
import subprocess
import sys
import unicodedata

pdf, dump_path = sys.argv[1], sys.argv[2]
problems = []


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


LEADER = r"(?:[.·…‧•⋯．][ \u00a0]*){3,}"


def run(*args):
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


# ---- the engine's records
labels, marks, tails = [], [], []
page = 0
for line in open(dump_path, encoding="utf-8"):
    if line.startswith("page "):
        page = int(line.split()[1])
        labels.append(line.split("label=")[1].strip())
    elif line.startswith("mark "):
        m = re.match(r'mark (\d+) (\d+) "(.*)" (\S+)$', line.rstrip("\n"))
        marks.append({"level": int(m.group(1)), "page": int(m.group(2)), "title": m.group(3),
                      "dest": m.group(4)})
    else:
        m = re.match(r'\s+line \S+ \S+ \S+ #\d+:\w+ s\d+ "' + LEADER + r'([^".·]+)"$', line.rstrip("\n"))
        if m:
            tails.append((page, m.group(1)))
listed = [m for m in marks if m["level"] <= 2]
if len(tails) != len(listed):
    problems.append(f"dump: {len(tails)} TOC entries with leaders, {len(listed)} headings to list")
for (tpage, number), m in zip(tails, listed):
    if number != labels[m["page"] - 1]:
        problems.append(f"dump: TOC says {number} for '{m['title'][:20]}', "
                        f"it is on page labelled {labels[m['page'] - 1]}")

# ---- the PDF's text: TOC numbers, printed page numbers, headings
npages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
texts, printed = [], []
for p in range(1, npages + 1):
    body = run("pdftotext", "-enc", "UTF-8", "-f", str(p), "-l", str(p), "-x", "0", "-y", "60",
               "-W", "596", "-H", "720", pdf, "-")
    # the running head and footer zones: the printed number stands alone on its line
    edges = run("pdftotext", "-enc", "UTF-8", "-f", str(p), "-l", str(p), "-x", "0", "-y", "780",
                "-W", "596", "-H", "62", pdf, "-") + run(
        "pdftotext", "-enc", "UTF-8", "-f", str(p), "-l", str(p), "-x", "0", "-y", "0",
        "-W", "596", "-H", "60", pdf, "-")
    texts.append(body)
    m = re.search(r"^\s*(\d+)\s*$", edges, re.M)
    printed.append(m.group(1) if m else None)
toc_pages = [i for i, t in enumerate(texts) if len(re.findall(LEADER + r"\s*\d+\s*$", t, re.M)) >= 3]
toc_numbers = []
for i in toc_pages:
    toc_numbers += re.findall(LEADER + r"\s*(\d+)\s*$", texts[i], re.M)
if len(toc_numbers) != len(listed):
    problems.append(f"pdf: {len(toc_numbers)} TOC numbers after leaders, {len(listed)} headings")
body_start = toc_pages[-1] + 1 if toc_pages else 1
for number, m in zip(toc_numbers, listed):
    key = norm(m["title"])[:14]  # with its number: the heading, not a mention
    hit = next((i for i in range(body_start, npages) if key in norm(texts[i])), None)
    if hit is None:
        problems.append(f"pdf: heading '{m['title'][:20]}' not found in the body")
    elif printed[hit] != number:
        problems.append(f"pdf: TOC says {number} for '{m['title'][:20]}', "
                        f"the page it is on prints {printed[hit]}")
    if hit is not None and hit + 1 != m["page"]:
        problems.append(f"pdf: '{m['title'][:20]}' is on page {hit + 1}, the dump says {m['page']}")
for i in range(1, npages):
    blank = not run("pdftotext", "-enc", "UTF-8", "-f", str(i + 1), "-l", str(i + 1), pdf, "-").strip()
    if printed[i] is None and blank:
        continue  # a blank verso (page 1 on a recto) or a padding page prints nothing
    if printed[i] is None:
        problems.append(f"pdf: page {i + 1} prints no page number")
    elif printed[i] != labels[i]:
        problems.append(f"pdf: page {i + 1} prints {printed[i]}, its label is {labels[i]}")

# ---- outline, links, page labels (qpdf's JSON)
j = json.loads(run("qpdf", "--json=2", "--json-key=outlines", "--json-key=pages",
                   "--json-key=qpdf", "--json-key=pagelabels", pdf))
outline = []


def walk(items):
    for it in items:
        outline.append(it)
        walk(it["kids"])


walk(j["outlines"])
if len(outline) < len(marks):
    problems.append(f"outline: {len(outline)} entries, {len(marks)} headings")
for it, m in zip(outline, marks):
    if it["destpageposfrom1"] != m["page"] or norm(it["title"]) != norm(m["title"]):
        problems.append(f"outline: '{it['title'][:20]}' -> page {it['destpageposfrom1']}, "
                        f"heading '{m['title'][:20]}' is on {m['page']}")
objs = j["qpdf"][1]
page_of = {p["object"]: p["pageposfrom1"] for p in j["pages"]}
names = {}
for o in objs.values():
    v = o.get("value")
    if isinstance(v, dict) and "/Names" in v and isinstance(v["/Names"], list):
        arr = v["/Names"]
        for k in range(0, len(arr) - 1, 2):
            if isinstance(arr[k + 1], list):
                names[arr[k][2:]] = page_of.get(arr[k + 1][0])
dest_page = {m["dest"]: m["page"] for m in marks}
toc_links = 0
for p in j["pages"]:
    if p["pageposfrom1"] - 1 not in toc_pages:
        continue
    page_obj = objs["obj:" + p["object"]]["value"]
    for ref in page_obj.get("/Annots", []):
        a = objs["obj:" + ref]["value"]
        if a.get("/Subtype") == "/Link" and "/Dest" in a:
            d = a["/Dest"][2:]
            toc_links += 1
            if names.get(d) != dest_page.get(d):
                problems.append(f"link: {d} goes to page {names.get(d)}, heading on {dest_page.get(d)}")
# a wrapped entry has one link per line: at least one per entry
if toc_links < len(listed):
    problems.append(f"links: {toc_links} on the TOC pages, {len(listed)} entries")
pl = j.get("pagelabels", [])
if not pl or "/S" not in pl[0]["label"]:
    problems.append(f"page labels: missing or without a numbering style: {pl}")

for p in problems:
    print(p)
print(f"toc entries {len(toc_numbers)}, headings {len(listed)}, outline {len(outline)}, "
      f"toc links {toc_links}, problems {len(problems)}")
sys.exit(1 if problems else 0)
