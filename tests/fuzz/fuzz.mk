# libFuzzer targets: tests/fuzz/fuzz_<name>.c, each run from its seed
# corpus tests/fuzz/corpus/<name>/ for FUZZ_SECONDS. Built with clang and
# ASan+UBSan; the code under test is compiled again with coverage.
FUZZ_CC     ?= clang
FUZZ_CFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -DTR_HOST_BUILD \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-Iinclude -Ihost -Iguest
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB_OBJS := $(patsubst %,$(O)/fuzzobj/%.o,$(GUEST_PORTABLE) $(HOST_LIB_SRCS) \
	$(filter-out $(RPMB_MAIN),$(RPMB_SRCS)))

$(O)/fuzzobj/%.c.o: %.c
	$(quiet) FUZZCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(O)/fuzz/libfuzzed.a: $(FUZZ_LIB_OBJS) $(O)/lists/fuzz.list
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@) && rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(O)/fuzz/libfuzzed.a
	$(quiet) FUZZLD $@
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/fuzz/libfuzzed.a \
		-lcrypto -lz $(HOST_FDT_LIB)

# Seeds made from the build rather than committed: the image's catalogue
# sections alone (a few KiB of a real ELF, not the whole image).
FUZZ_SEEDS := $(O)/fuzz/seeds/elf_catalogue/testrunner.elf

$(O)/fuzz/seeds/elf_catalogue/testrunner.elf: $(O)/guest/testrunner.elf
	$(quiet) OBJCOPY $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(OBJCOPY_G) -j .rodata -j .boot_tests -j .testrunner.catalogue --strip-all $< $@ 2>/dev/null

fuzz-build: deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS) $(FUZZ_SEEDS)

# Each target works on a copy of its seeds so the committed corpus stays small.
# Every target runs even when an earlier one crashed; the run fails at the end.
fuzz: fuzz-build
	$(Q)failed=""; for bin in $(FUZZ_BINS); do \
		name=$${bin##*/fuzz_}; work=$(O)/fuzz/corpus/$$name; \
		mkdir -p $$work; cp -n tests/fuzz/corpus/$$name/* $(O)/fuzz/seeds/$$name/* \
			$$work/ 2>/dev/null || true; \
		echo "== fuzz_$$name ($(FUZZ_SECONDS) s)"; \
		if ! $$bin -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix=$(O)/fuzz/crash-$$name- $$work 2>$(O)/fuzz/$$name.log; then \
			tail -40 $(O)/fuzz/$$name.log; failed="$$failed $$name"; continue; \
		fi; \
		grep -E '^Done [0-9]+ runs' $(O)/fuzz/$$name.log; \
		echo "   exec/s $$(sed -n 's/^stat::average_exec_per_sec: *//p' $(O)/fuzz/$$name.log)," \
			"corpus $$(ls $$work | wc -l) files" \
			"$$(cat $$work/* | wc -c) bytes," \
			"$$(grep -oE 'cov: [0-9]+ ft: [0-9]+' $(O)/fuzz/$$name.log | tail -1)"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed (inputs in $(O)/fuzz/crash-*)"; exit 1; fi

.PHONY: fuzz-build
