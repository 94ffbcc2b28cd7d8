# fuzz/fuzz.mk: libFuzzer harnesses, included by the Makefile; needs clang.
#   make fuzz [FUZZ_SECONDS=60]   builds build/fuzz/fuzz_issue and fuzz_layout
#                                 (ASan + UBSan) and runs each for FUZZ_SECONDS
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
	  $(FUZZ_BUILD)/fuzz_issue $(FUZZ_BUILD)/fuzz_layout

fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus/issue $(FUZZ_BUILD)/corpus/layout
	LSAN_OPTIONS=suppressions=fuzz/lsan.supp $(FUZZ_BUILD)/fuzz_issue $(FUZZ_RUN) -dict=fuzz/issue.dict \
	  $(FUZZ_BUILD)/corpus/issue tests/hostile/issues issues/2022-08
	LSAN_OPTIONS=suppressions=fuzz/lsan.supp $(FUZZ_BUILD)/fuzz_layout $(FUZZ_RUN) -dict=fuzz/layout.dict \
	  $(FUZZ_BUILD)/corpus/layout tests/hostile/layouts layouts

.PHONY: fuzz fuzz-build
