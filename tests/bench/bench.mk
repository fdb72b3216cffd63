# make bench: reference guests and the figures measured against them
# (tests/bench/run.sh; BENCH_ONLY=group,... BENCH_RUNS=N: docs/performance.md).
BENCH_REFS := $(O)/tests/bench/ref_poweroff.elf $(O)/tests/bench/ref_semihost_flood.elf \
	$(O)/tests/bench/ref_semihost_tt.elf $(O)/tests/bench/ref_semihost_file.elf

$(O)/tests/bench/%.elf: tests/bench/%.S tests/bench/ref.ld
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) -nostdlib -static -Wl,-T,tests/bench/ref.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $<

# The C semihosting reference, to the console (:tt) and to a host file.
BENCH_REF_CFLAGS := $(GUEST_ARCH_FLAGS) -mstrict-align -std=gnu11 -O2 -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pie -no-pie \
	-fno-stack-protector -nostdlib -static -Wl,-T,tests/bench/ref.ld -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments
$(O)/tests/bench/ref_semihost_tt.elf: tests/bench/ref_semihost.c tests/bench/ref.ld
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(BENCH_REF_CFLAGS) -o $@ $<
$(O)/tests/bench/ref_semihost_file.elf: tests/bench/ref_semihost.c tests/bench/ref.ld
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(BENCH_REF_CFLAGS) -DSEMI_PATH='"/dev/null"' -o $@ $<

# stamp: each line of the harness's log with its arrival time (the crash
# figure); built with the test tools, as the bench's smoke test uses it.
# raw_request (a test tool): the boot-times scenario's cold boots.
$(O)/tests/bench/stamp: tests/bench/stamp.c
	$(quiet) HOSTCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $<
tests: $(O)/tests/bench/stamp
BENCH_REFS += $(O)/tests/bench/stamp $(O)/tests/tools/raw_request

# The boot-times image (make BOOT_TIMES=1) in a build directory of its own,
# so this build is untouched; only when the bench asks for that scenario.
BENCH_BOOT_TIMES_O := $(O)/boot-times
bench_comma := ,
BENCH_WANTS_BOOT_TIMES := $(if $(BENCH_ONLY),$(filter boot-times,$(subst $(bench_comma), ,$(BENCH_ONLY))),boot-times)

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_REFS)
	$(Q)$(if $(BENCH_WANTS_BOOT_TIMES),$(MAKE) --no-print-directory BOOT_TIMES=1 O=$(BENCH_BOOT_TIMES_O) guest)
	$(Q)O=$(O) BOOT_TIMES_IMG=$(BENCH_BOOT_TIMES_O)/guest/testrunner.elf tests/bench/run.sh

# The bench-only image: the testrunner plus tests/bench/many_tests.c (200
# trivial tests) and flood_format.c, so the shipped image keeps its size and
# default set.
BENCH_GUEST_SRCS := tests/bench/many_tests.c tests/bench/flood_format.c
BENCH_GUEST_OBJS := $(patsubst %,$(O)/%.o,$(BENCH_GUEST_SRCS))
$(O)/tests/bench/%.c.o: tests/bench/%.c $(FDT_INC)/.stamp
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(GUEST_CFLAGS) -c $< -o $@

$(O)/tests/bench/testrunner-bench.elf: $(GUEST_OBJS) $(BENCH_GUEST_OBJS) $(GUEST_LDS)
	$(quiet) LD $@
	$(Q)$(GCC_G) $(GUEST_LDFLAGS:$(O)/guest/testrunner.map=$(O)/tests/bench/testrunner-bench.map) \
		-o $@ $(GUEST_OBJS) $(BENCH_GUEST_OBJS) $(FDT_LIB)

BENCH_REFS += $(O)/tests/bench/testrunner-bench.elf
