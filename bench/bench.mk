# make bench: the benchmark table (bench/run.sh); not a test.
$(BUILD)/compose_bench: bench/compose_bench.c $(LIBOBJ)
	$(CC) $(ALLCFLAGS) -Isrc -o $@ $< $(LIBOBJ) $(LDLIBS)

bench: $(BUILD)/bulletin $(BUILD)/compose_bench
	sh bench/run.sh $(BUILD)

.PHONY: bench
