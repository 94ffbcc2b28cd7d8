#!/usr/bin/env python3
"""ink_check.py RGB.pdf CMYK.pdf [DPI]: black stays on the black plate.

Ghostscript rasterises the trimmed pages of the screen-colour PDF (RGB) and
of the same issue printed with --cmyk (CMYK plates), page by page.  Every
pixel that is neutral in the RGB raster (black text, black and grey rules,
greys, white) must carry no cyan, magenta or yellow in the CMYK raster: no
rich black, no coloured fringe.  Prints the pages and pixels looked at and
the offending ones; exits 1 on any, or when nothing dark was seen (a test
of two blank rasters must fail).
"""
import os
import subprocess
import sys
import tempfile


def raster(pdf, device, dpi, folder):
    out = os.path.join(folder, device + "-%03d")
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseTrimBox",
                    "-sDEVICE=" + device, "-r%d" % dpi, "-o", out, pdf], check=True)
    pages = []
    for name in sorted(os.listdir(folder)):
        if name.startswith(device + "-"):
            pages.append(read_pnm(os.path.join(folder, name)))
    return pages


def read_pnm(path):
    """A binary PPM (P6) or PAM (P7): (width, height, channels, bytes)."""
    data = open(path, "rb").read()
    if data[:2] == b"P6":
        fields, pos = [], 2
        while len(fields) < 3:
            while data[pos:pos + 1].isspace() or data[pos:pos + 1] == b"#":
                if data[pos:pos + 1] == b"#":  # a comment to the end of its line
                    pos = data.index(b"\n", pos)
                pos += 1
            start = pos
            while not data[pos:pos + 1].isspace():
                pos += 1
            fields.append(int(data[start:pos]))
        w, h, _ = fields
        return w, h, 3, data[pos + 1:]
    head, pos = {}, 0
    while True:
        end = data.index(b"\n", pos)
        line = data[pos:end].decode()
        pos = end + 1
        if line == "ENDHDR":
            break
        parts = line.split()
        if len(parts) == 2:
            head[parts[0]] = parts[1]
    return int(head["WIDTH"]), int(head["HEIGHT"]), int(head["DEPTH"]), data[pos:]


def main():
    rgb_pdf, cmyk_pdf = sys.argv[1], sys.argv[2]
    dpi = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    with tempfile.TemporaryDirectory() as folder:
        os.mkdir(os.path.join(folder, "r"))
        os.mkdir(os.path.join(folder, "c"))
        rgb = raster(rgb_pdf, "ppmraw", dpi, os.path.join(folder, "r"))
        cmyk = raster(cmyk_pdf, "pamcmyk32", dpi, os.path.join(folder, "c"))
    if len(rgb) != len(cmyk) or not rgb:
        print(f"{len(rgb)} RGB pages, {len(cmyk)} CMYK pages")
        return 1
    dark = bad = 0
    worst = []
    for n, ((w, h, _, px), (cw, ch, _, cx)) in enumerate(zip(rgb, cmyk), 1):
        if (w, h) != (cw, ch):
            print(f"page {n}: {w}x{h} RGB, {cw}x{ch} CMYK")
            return 1
        page_bad = 0
        for i in range(w * h):
            r, g, b = px[3 * i], px[3 * i + 1], px[3 * i + 2]
            if max(r, g, b) - min(r, g, b) > 2:
                continue  # a colour: its build is the palette's business
            if r < 128:
                dark += 1
            c, m, y = cx[4 * i], cx[4 * i + 1], cx[4 * i + 2]
            if c or m or y:
                page_bad += 1
        if page_bad:
            worst.append(f"page {n}: {page_bad}")
        bad += page_bad
    print(f"{len(rgb)} pages at {dpi} dpi, {dark} dark neutral pixels, "
          f"{bad} neutral pixels with C, M or Y" + (" (" + ", ".join(worst) + ")" if worst else ""))
    return 1 if bad or not dark else 0


if __name__ == "__main__":
    sys.exit(main())
