# bulletin: `make` installs what is missing, builds, renders the reference issue;
# `make check` builds and runs every test (plain, then under ASan + UBSan).
PKGS    = cairo zlib pangocairo pangoft2 harfbuzz harfbuzz-subset freetype2 fontconfig md4c libfyaml
# poppler (`diff`, `render --compare`), libmicrohttpd (`serve`), libqpdf
# (the PDF's last pass), librsvg and gdk-pixbuf (SVG and JPEG images) and
# ICU (the index's collation, characters' widths in messages) are
# compiled against but loaded only when used (src/pdfdiff.c, src/serve.c,
# src/lazylib.c): not linked, they cost no process its start-up; their
# sonames are read off the libraries
DLPKGS  = poppler-glib libmicrohttpd libqpdf librsvg-2.0 gdk-pixbuf-2.0 icu-uc icu-i18n
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2).so 2>/dev/null | sed -n 's/^ *SONAME *//p')
POPPLER_SONAME = $(call soname,poppler-glib,libpoppler-glib)
MHD_SONAME = $(call soname,libmicrohttpd,libmicrohttpd)
QPDF_SONAME = $(call soname,libqpdf,libqpdf)
RSVG_SONAME = $(call soname,librsvg-2.0,librsvg-2)
PIXBUF_SONAME = $(call soname,gdk-pixbuf-2.0,libgdk_pixbuf-2.0)
ICUUC_SONAME = $(call soname,icu-uc,libicuuc)
ICUI18N_SONAME = $(call soname,icu-i18n,libicui18n)
CFLAGS ?= -O2 -g
# kept apart from CFLAGS, which `make CFLAGS=...` (the sanitizer build) replaces
STDFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow
ALLCFLAGS = $(STDFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) $(DLPKGS) 2>/dev/null) \
	    -DPOPPLER_GLIB_SONAME='"$(or $(POPPLER_SONAME),libpoppler-glib.so.8)"' \
	    -DMHD_SONAME='"$(or $(MHD_SONAME),libmicrohttpd.so.12)"' \
	    -DQPDF_SONAME='"$(or $(QPDF_SONAME),libqpdf.so.29)"' \
	    -DRSVG_SONAME='"$(or $(RSVG_SONAME),librsvg-2.so.2)"' \
	    -DPIXBUF_SONAME='"$(or $(PIXBUF_SONAME),libgdk_pixbuf-2.0.so.0)"' \
	    -DICUUC_SONAME='"$(or $(ICUUC_SONAME),libicuuc.so.72)"' \
	    -DICUI18N_SONAME='"$(or $(ICUI18N_SONAME),libicui18n.so.72)"'
# libhyphen (hyphenation) has no pkg-config file on Debian bookworm
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhyphen -lm -ldl -pthread
BUILD  ?= build
# make install: PREFIX/bin/bulletin, PREFIX/share/bulletin/{layouts,fonts},
# man pages, bash and zsh completion; DESTDIR stages it (packages).
PREFIX ?= /usr/local
DESTDIR ?=
DATADIR = $(PREFIX)/share/bulletin
MANDIR  = $(PREFIX)/share/man/man1

SRC     = $(wildcard src/*.c)
OBJ     = $(SRC:src/%.c=$(BUILD)/%.o)
LIBOBJ  = $(filter-out $(BUILD)/main.o,$(OBJ))
UNITS   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

all: $(BUILD)/.deps $(BUILD)/bulletin out/2022-08.pdf

$(BUILD)/.deps: .ci/deps
	@mkdir -p $(BUILD)
	sh .ci/deps
	@touch $@

$(BUILD)/%.o: src/%.c src/bulletin.h $(BUILD)/.deps
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# The installed data folder, compiled into main.o only: the last place the
# program looks (first: BULLETIN_DATA, then above the executable, where an
# installed PREFIX/bin/bulletin finds PREFIX/share/bulletin wherever PREFIX
# is, so `make install` never needs a rebuild).
$(BUILD)/main.o: ALLCFLAGS += -DBULLETIN_DATADIR='"$(DATADIR)"'

$(BUILD)/bulletin: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h tests/unit/fixture.h $(LIBOBJ)
	@mkdir -p $(BUILD)/tests
	$(CC) $(ALLCFLAGS) -Isrc -o $@ $< $(LIBOBJ) $(LDLIBS)

out/%.pdf: issues/%/issue.md $(BUILD)/bulletin fonts/fonts.conf
	@mkdir -p out
	$(BUILD)/bulletin render $< -o $@ --deps out/$*.d

units: $(UNITS)

# The whole suite, then again under AddressSanitizer and UBSan in build/asan,
# with use-after-return detection and leak checking (tests/lsan.supp: the
# libraries' own process-long caches).
SANOPTS = ASAN_OPTIONS=detect_stack_use_after_return=1:detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
check: $(BUILD)/.deps $(BUILD)/bulletin units
	sh tests/run $(BUILD)
	$(MAKE) --no-print-directory BUILD=build/asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build/asan/bulletin sanunits
	$(SANOPTS) sh tests/run build/asan

sanunits: $(UNITS)

# Writes the golden dumps (tests/golden) anew from this build: after a
# change that is meant to move something; the commit says why.
golden: $(BUILD)/.deps $(BUILD)/bulletin
	GOLDEN_UPDATE=1 BULLETIN=$(CURDIR)/$(BUILD)/bulletin sh tests/e2e/golden.sh

MANPAGES = $(wildcard docs/man/*.1)
# the binary installed (tests/e2e/install.sh: the one under test, as built)
BIN ?= $(BUILD)/bulletin
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/layouts $(DESTDIR)$(DATADIR)/fonts \
	  $(DESTDIR)$(MANDIR) $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bulletin
	cp -P layouts/*.yaml layouts/*.svg $(DESTDIR)$(DATADIR)/layouts/
	install -m 644 fonts/* $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/
	install -m 644 completion/bulletin.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/bulletin
	install -m 644 completion/_bulletin $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_bulletin

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/bulletin \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/bulletin \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_bulletin \
	  $(patsubst docs/man/%,$(DESTDIR)$(MANDIR)/%,$(MANPAGES))
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build out

.PHONY: all check units sanunits clean golden install uninstall
.SECONDARY:

# libFuzzer harnesses (clang): see fuzz/fuzz.mk
-include fuzz/fuzz.mk

# Every issue in issues/ to out/<YYYY-MM>.pdf, incrementally: a render
# writes its own make rules (--deps), so an issue is rendered again only
# when the issue, its layouts, an image it uses, the fonts configuration
# or the program changed.  Honours -j.  A failed render leaves no PDF
# (nor .d) that make would take as up to date.
ISSUE_PDFS = $(patsubst issues/%/issue.md,out/%.pdf,$(wildcard issues/*/issue.md))
issues: $(ISSUE_PDFS)
-include $(wildcard out/*.d)

# benchmarks (not tests): see bench/bench.mk
-include bench/bench.mk

.PHONY: issues
