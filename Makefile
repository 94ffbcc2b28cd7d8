# bulletin: `make` installs what is missing, builds, renders the reference issue;
# `make check` builds and runs every test (plain, then under ASan + UBSan).
PKGS    = cairo poppler-glib icu-i18n icu-uc pangocairo pangoft2 harfbuzz harfbuzz-subset freetype2 fontconfig md4c libfyaml libqpdf librsvg-2.0 gdk-pixbuf-2.0 libmicrohttpd
CFLAGS ?= -O2 -g
# kept apart from CFLAGS, which `make CFLAGS=...` (the sanitizer build) replaces
STDFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow
ALLCFLAGS = $(STDFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libhyphen (hyphenation) has no pkg-config file on Debian bookworm
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhyphen -lm
BUILD  ?= build

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

clean:
	rm -rf build out

.PHONY: all check units sanunits clean golden
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
