# make bench: reference guests and the figures measured against them.
BENCH_REFS := $(O)/tests/bench/ref_poweroff.elf $(O)/tests/bench/ref_semihost_flood.elf

$(O)/tests/bench/%.elf: tests/bench/%.S tests/bench/ref.ld
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) -nostdlib -static -Wl,-T,tests/bench/ref.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $<

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_REFS)
	$(Q)O=$(O) tests/bench/run.sh

# The bench-only image: the testrunner plus tests/bench/many_tests.c (200
# trivial tests), so the shipped image keeps its size and default set.
$(O)/tests/bench/many_tests.c.o: tests/bench/many_tests.c $(FDT_INC)/.stamp
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(GUEST_CFLAGS) -c $< -o $@

$(O)/tests/bench/testrunner-bench.elf: $(GUEST_OBJS) $(O)/tests/bench/many_tests.c.o $(GUEST_LDS)
	$(quiet) LD $@
	$(Q)$(GCC_G) $(GUEST_LDFLAGS:$(O)/guest/testrunner.map=$(O)/tests/bench/testrunner-bench.map) \
		-o $@ $(GUEST_OBJS) $(O)/tests/bench/many_tests.c.o $(FDT_LIB)

BENCH_REFS += $(O)/tests/bench/testrunner-bench.elf
