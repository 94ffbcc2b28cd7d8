#!/usr/bin/python3
"""text_order.py ISSUE.md PDF_TEXT: checks that every heading and paragraph of
an issue appears in the PDF's extracted text, in order.  Markup is removed
the way a reader sees it; whitespace is ignored on both sides (lines of CJK
text carry no spaces, and extraction adds some).  Prints each miss and the
counts; exits 1 on a miss."""
import re
import sys
import unicodedata


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def blocks(md):
    body = re.split(r"^---\s*$", md, maxsplit=2, flags=re.M)[2]
    for chunk in re.split(r"\n\s*\n", body):
        chunk = chunk.strip()
        if not chunk:
            continue
        heading = chunk.startswith("#")
        text = re.sub(r"^#+\s*", "", chunk)
        text = re.sub(r"\s*\{(-|\.unnumbered)\}\s*$", "", text)
        # a heading's source link is drawn as a label: check the title alone
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", "" if heading else r"\1", text)
        text = text.replace("**", "").replace("*", "")
        text = re.sub(r"^>\s*", "", text, flags=re.M)
        yield ("heading" if heading else "paragraph"), norm(text)


def main():
    md = open(sys.argv[1], encoding="utf-8").read()
    pdf = norm(open(sys.argv[2], encoding="utf-8").read())
    at = 0
    found = missing = 0
    for kind, text in blocks(md):
        i = pdf.find(text, at)
        if i < 0:
            missing += 1
            where = "out of order" if pdf.find(text) >= 0 else "missing"
            print(f"{kind} {where}: {text[:40]}")
        else:
            found += 1
            at = i + len(text)
    print(f"blocks found in order: {found}, missing: {missing}")
    sys.exit(1 if missing else 0)


main()
