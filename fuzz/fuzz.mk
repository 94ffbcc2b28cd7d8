# fuzz/fuzz.mk: libFuzzer harnesses, included by the Makefile; needs clang.
#   make fuzz [FUZZ_SECONDS=60]   builds build/fuzz/fuzz_issue, fuzz_layout,
#                                 fuzz_pages (an issue body through to pages)
#                                 and fuzz_image (image headers, JPEG
#                                 pass-through), ASan + UBSan, and runs each
#                                 for FUZZ_SECONDS
#   make fuzz-one FUZZER=pages    one of them
# Seeds: tests/hostile/, issues/, layouts/; the growing corpora and any crash
# (crash-*, leak-*, timeout-*) stay in build/fuzz/.  A crash found is fixed,
# then kept in tests/hostile/ where tests/e2e/hostile.sh replays it.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD    = build/fuzz
FUZZ_CFLAGS   = -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer
FUZZ_RUN      = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=$(FUZZ_BUILD)/ -print_final_stats=1

# The harnesses (built by the recursive make below, with BUILD=build/fuzz).
$(BUILD)/fuzz_%: fuzz/fuzz_%.c src/bulletin.h $(LIBOBJ)
	$(CC) $(ALLCFLAGS) -fsanitize=fuzzer -Isrc -DFUZZ_LAYOUTS='"$(CURDIR)/layouts"' \
	  -o $@ $< $(LIBOBJ) $(LDLIBS)

fuzz-build:
	@command -v $(FUZZ_CC) > /dev/null || \
	  { echo "make fuzz needs clang (libFuzzer): apt-get install -y clang" >&2; exit 1; }
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" \
	  $(FUZZ_BUILD)/fuzz_issue $(FUZZ_BUILD)/fuzz_layout $(FUZZ_BUILD)/fuzz_pages \
	  $(FUZZ_BUILD)/fuzz_image

# Each harness: its dictionary, its seeds (besides its growing corpus).
FUZZ_SEEDS_issue  = tests/hostile/issues issues/2022-08
FUZZ_SEEDS_layout = tests/hostile/layouts layouts
FUZZ_SEEDS_pages  = $(FUZZ_BUILD)/seeds/pages
FUZZ_SEEDS_image  = tests/hostile/images tests/data
FUZZ_DICT_issue   = -dict=fuzz/issue.dict
FUZZ_DICT_layout  = -dict=fuzz/layout.dict
FUZZ_DICT_pages   = -dict=fuzz/issue.dict
FUZZ_DICT_image   =

fuzz-one: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus/$(FUZZER) $(FUZZ_BUILD)/seeds/pages
	@# the pages harness takes bodies: the corpus issues without their front matter
	@for f in tests/hostile/issues/*.md issues/*/issue.md; do \
	  awk 'n >= 2 {print} /^---/ {n++}' "$$f" > "$(FUZZ_BUILD)/seeds/pages/$$(echo $$f | tr / _)"; done
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(FUZZ_BUILD)/fuzz_$(FUZZER) $(FUZZ_RUN) \
	  $(FUZZ_DICT_$(FUZZER)) $(FUZZ_BUILD)/corpus/$(FUZZER) $(FUZZ_SEEDS_$(FUZZER))

fuzz: fuzz-build
	for h in issue layout pages image; do $(MAKE) --no-print-directory fuzz-one FUZZER=$$h || exit 1; done

.PHONY: fuzz fuzz-build fuzz-one
