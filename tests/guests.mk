# Guest images used only by tests, added to the test-guests target.

# ---------------------------------------------------------------------------
# Secondary test image (tests/secondary/): a freestanding, position-independent
# arm64 Image the testrunner loads exactly like Linux (docs/secondary-os.md).
# It runs with the MMU off, so it brings its own byte-wise string functions
# instead of picolibc (whose headers it still uses).
SEC_SRCS   := $(sort $(wildcard tests/secondary/*.c tests/secondary/*.S))
SEC_OBJS   := $(patsubst %,$(O)/%.o,$(SEC_SRCS))
SEC_CFLAGS := --specs=picolibc.specs $(GUEST_ARCH_FLAGS) -std=gnu11 -Os -g \
	-Wall -Wextra -Werror -ffreestanding -fno-builtin -fPIE \
	-fno-stack-protector -fno-tree-loop-distribute-patterns \
	-isystem $(FDT_INC) -MMD -MP

$(O)/tests/secondary/%.c.o: tests/secondary/%.c $(FDT_INC)/.stamp
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(SEC_CFLAGS) -c $< -o $@

$(O)/tests/secondary/%.S.o: tests/secondary/%.S
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(SEC_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/tests/secondary/secondary.elf: $(SEC_OBJS) tests/secondary/image.ld
	$(quiet) LD $@
	$(Q)$(GCC_G) -nostdlib -static-pie -Wl,-T,tests/secondary/image.ld \
		-Wl,-z,notext -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(SEC_OBJS) $(FDT_LIB) -lgcc

$(O)/tests/secondary/Image: $(O)/tests/secondary/secondary.elf
	$(quiet) OBJCOPY $@
	$(Q)$(OBJCOPY_G) -O binary $< $@

test-guests:: $(O)/tests/secondary/Image

# ---------------------------------------------------------------------------
# A real distribution kernel through testrunner-host boot (not in make check:
# it fetches Debian's linux-image-*-arm64 once into $(O)/linux/).
.PHONY: check-linux
check-linux: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/linux/check-linux.sh

# ---------------------------------------------------------------------------
# Secure-monitor test double (tests/secure_monitor/): EL3 code that answers
# SMCs as TF-A with OP-TEE would, for tests/e2e/secure_monitor.sh. It runs
# with the MMU off: strict alignment, no library.
MON_SRCS   := $(sort $(wildcard tests/secure_monitor/*.c tests/secure_monitor/*.S))
MON_OBJS   := $(patsubst %,$(O)/%.o,$(MON_SRCS))
MON_CFLAGS := $(GUEST_ARCH_FLAGS) -mstrict-align -std=gnu11 -Os -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-pie -fno-stack-protector -Iguest -MMD -MP

$(O)/tests/secure_monitor/%.c.o: tests/secure_monitor/%.c
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(MON_CFLAGS) -c $< -o $@

$(O)/tests/secure_monitor/%.S.o: tests/secure_monitor/%.S
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(MON_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/tests/secure_monitor/monitor.elf: $(MON_OBJS) tests/secure_monitor/monitor.ld
	$(quiet) LD $@
	$(Q)$(GCC_G) -nostdlib -static -no-pie -Wl,-T,tests/secure_monitor/monitor.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(MON_OBJS)

test-guests:: $(O)/tests/secure_monitor/monitor.elf

# ---------------------------------------------------------------------------
# A stand-in for TF-A's BL33 hand-over (tests/firmware/bl1.S): loads bl33.bin
# from QEMU's working directory by semihosting and enters it as TF-A does.
$(O)/tests/firmware/bl1.elf: tests/firmware/bl1.S tests/firmware/bl1.ld
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) -nostdlib -static -Wl,-T,tests/firmware/bl1.ld -Wl,--build-id=none -o $@ $<

$(O)/tests/firmware/bl1.bin: $(O)/tests/firmware/bl1.elf
	$(quiet) OBJCOPY $@
	$(Q)$(OBJCOPY_G) -O binary $< $@

test-guests:: $(O)/tests/firmware/bl1.bin
