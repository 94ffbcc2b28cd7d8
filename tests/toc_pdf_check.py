#!/usr/bin/env python3
"""toc_pdf_check.py FILE.pdf FIRST LAST: a table of contents read back from
the PDF alone: on pages FIRST..LAST, every link annotation's number (the
digits that end the words inside its rectangle, as pdftotext places them)
must be the page label of the page its destination is on (qpdf's JSON:
named destinations, page labels).  A wrapped entry's links (one a line)
count where their line carries the number.  Prints the counts and each
mismatch; exits 1 on any, or when fewer than 10 numbers were read."""
import json
import re
import subprocess
import sys

pdf, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = lambda *a: subprocess.run(a, capture_output=True, text=True, check=True).stdout  # stderr kept apart
j = json.loads(run("qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf", pdf))
objs = j["qpdf"][1]
pages = j["pages"]
page_of = {p["object"]: p["pageposfrom1"] for p in pages}
names = {}
for o in objs.values():
    v = o.get("value")
    if isinstance(v, dict) and isinstance(v.get("/Names"), list):
        arr = v["/Names"]
        for k in range(0, len(arr) - 1, 2):
            if isinstance(arr[k + 1], list):
                names[arr[k][2:]] = page_of.get(arr[k + 1][0])


# the page labels' runs: a page's number counts on from its run's start
runs = json.loads(run("qpdf", "--json=2", "--json-key=pagelabels", pdf)).get("pagelabels", [])
def printed(pos):
    idx = pos - 1
    start, d = 0, {}
    for r in runs:
        if r["index"] <= idx:
            start, d = r["index"], r["label"]
    n = d.get("/St", 1) + idx - start
    return str(n) if d.get("/S", "/D") == "/D" else None


checked = bad = 0
for p in pages:
    pos = p["pageposfrom1"]
    if pos < first or pos > last:
        continue
    words = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                         run("pdftotext", "-f", str(pos), "-l", str(pos), "-bbox", pdf, "-")):
        words.append(tuple(map(float, m.groups()[:4])) + (m.group(5),))
    height = float(objs["obj:" + p["object"]]["value"]["/MediaBox"][3])
    for ref in objs["obj:" + p["object"]]["value"].get("/Annots", []):
        a = objs["obj:" + ref]["value"]
        if a.get("/Subtype") != "/Link" or "/Dest" not in a:
            continue
        x0, y0, x1, y1 = a["/Rect"]
        top, bottom = height - y1, height - y0
        inside = [w for w in words if top <= (w[1] + w[3]) / 2 <= bottom and x0 - 1 <= w[0] and w[2] <= x1 + 1]
        inside.sort(key=lambda w: w[0])
        m = re.search(r"(\d+)$", inside[-1][4]) if inside else None
        if not m:
            continue  # a line of a wrapped entry without its number
        target = names.get(a["/Dest"][2:])
        checked += 1
        if target is None or printed(target) != m.group(1):
            bad += 1
            print(f"page {pos}: '{' '.join(w[4] for w in inside)[:30]}' says {m.group(1)}, "
                  f"its link goes to page {target} labelled {printed(target) if target else None}")
print(f"{checked} numbers read, {bad} wrong")
sys.exit(1 if bad or checked < 10 else 0)
