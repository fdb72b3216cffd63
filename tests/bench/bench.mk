# make bench (issue 6): reference guests and the figures measured against them.
BENCH_REFS := $(O)/tests/bench/ref_poweroff.elf $(O)/tests/bench/ref_semihost_flood.elf

$(O)/tests/bench/%.elf: tests/bench/%.S tests/bench/ref.ld
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) -nostdlib -static -Wl,-T,tests/bench/ref.ld -Wl,--build-id=none -o $@ $<

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_REFS)
	$(Q)O=$(O) tests/bench/run.sh
