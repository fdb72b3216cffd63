# testrunner: guest firmware (aarch64, freestanding) and host harness (POSIX).
#
#   make            build guest image and host programs into $(O)
#   make run        run the default boot-test suite in QEMU through the harness
#                   (ARGS='...': selectors and options for it)
#   make sdk        $(O)/sdk: a kit to link boot-test images from another build
#   make check      every test: host unit tests (cmocka) and end-to-end tests in QEMU
#   make bench      performance figures against reference guests (not part of check)
#   make fuzz       libFuzzer targets for every parser, FUZZ_SECONDS each
#   make stress     200 fixture.pass + 20 fixture.flood runs, nothing lost
#   make deps       install missing Debian packages (run by run/check/bench/fuzz)
#
# Variables: O=build dir, V=1 verbose, CROSS_COMPILE=aarch64-linux-gnu-,
#            SANITIZE=1 (ASan+UBSan for everything built for the host),
#            DEBUG=1 (a guest for gdb: -Og, no LTO, in build/debug),
#            EXTRA_TESTS="DIR..." (boot tests from elsewhere linked into the image),
#            BOOT_TIMES=1 (a guest that logs the time of each start-up step, in
#            build/boot-times; guest/arch/aarch64/boot_times.h).

SANITIZE      ?= 0
DEBUG         ?= 0
BOOT_TIMES    ?= 0
ifeq ($(SANITIZE),1)
O             ?= build/sanitize
else ifeq ($(DEBUG),1)
O             ?= build/debug
else ifeq ($(BOOT_TIMES),1)
O             ?= build/boot-times
else
O             ?= build
endif
CROSS_COMPILE ?= aarch64-linux-gnu-
V             ?= 0
FUZZ_SECONDS  ?= 10

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

.DEFAULT_GOAL := all
.PHONY: all guest host tests run check bench fuzz stress deps clean FORCE

# ---------------------------------------------------------------------------
# Dependencies: Debian packages only, installed when missing.
# gcc and libc6-dev: a minimal Debian has no native compiler (cc would be clang).
DEB_PACKAGES := gcc libc6-dev qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	device-tree-compiler picolibc-aarch64-linux-gnu libfdt-dev:arm64 libfdt1 ipxe-qemu \
	libcmocka-dev clang clang-format libclang-rt-14-dev libssl-dev zlib1g-dev libxml2-utils time procps iproute2 cpio \
	cmake pkgconf u-boot-qemu python3-tap tappy bsdutils strace
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
			|| echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS    installing:" $$missing; \
		if ! dpkg --print-foreign-architectures | grep -qx arm64; then \
			$(SUDO) dpkg --add-architecture arm64; fi; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
			--no-install-recommends $$missing; \
	fi

# ---------------------------------------------------------------------------
# Guest: freestanding aarch64 firmware linked with picolibc and libfdt.
GCC_G     := $(CROSS_COMPILE)gcc
OBJCOPY_G := $(CROSS_COMPILE)objcopy
READELF_G := $(CROSS_COMPILE)readelf
NM_G      := $(CROSS_COMPILE)gcc-nm
FDT_LIB   ?= /usr/lib/aarch64-linux-gnu/libfdt.a
FDT_INC   := $(O)/guest/fdt-include

# The A53 erratum 843419 workaround is for silicon, never QEMU, and its linker
# stubs come with a 4 KiB alignment gap.
GUEST_ARCH_FLAGS := -mcpu=cortex-a53 -mgeneral-regs-only -mno-fix-cortex-a53-843419
# Integer-only printf (no %f anywhere in the guest): 5 KiB less than the default.
GUEST_PRINTF := -DPICOLIBC_INTEGER_PRINTF_SCANF
# Link-time optimisation: 2.8 KiB smaller (inlining across files, dead code).
ifeq ($(DEBUG),1)
# For gdb: LTO moves code across files (breakpoints land in the wrong one),
# -Os folds and reorders lines; -Og keeps each line where it was written.
GUEST_OPT := -Og
# unoptimised code keeps more absolute addresses: more relocations
GUEST_LAYOUT := -DARCH_RELR_MAX=512
else
GUEST_OPT := -Os -flto
endif
# Start-up step times in the log (make bench's boot-times); without it the
# hooks compile to nothing.
ifeq ($(BOOT_TIMES),1)
GUEST_OPT += -DBOOT_TIMES=1
endif
# A frame larger than the 4 KiB stack guard page must not jump over it: probe it.
GUEST_OPT += -fstack-clash-protection --param stack-clash-protection-guard-size=12
GUEST_CFLAGS := --specs=picolibc.specs $(GUEST_PRINTF) $(GUEST_ARCH_FLAGS) -std=gnu11 $(GUEST_OPT) -g \
	-Wall -Wextra -Werror -ffreestanding -fno-builtin-memset \
	-ffunction-sections -fdata-sections -fno-omit-frame-pointer -momit-leaf-frame-pointer \
	-fno-stack-protector -fno-pie -fno-tree-loop-distribute-patterns \
	-Iinclude -Iguest -isystem $(FDT_INC) -MMD -MP $(GUEST_LAYOUT)
# Position independent (-static-pie): entry.S applies the relocations for
# wherever the image was loaded. The objects need no -fpie: the small code
# model reaches code and data PC-relative (adrp), and absolute addresses in
# data become the link's relocations; -fpie only adds GOT loads (0.9 KiB).
GUEST_LDS := $(O)/guest/guest.ld
GUEST_LDFLAGS := --specs=picolibc.specs $(GUEST_PRINTF) $(GUEST_OPT) $(GUEST_ARCH_FLAGS) -nostartfiles \
	-static-pie -Wl,-z,notext -Wl,--gc-sections -T $(GUEST_LDS) -Wl,-Map,$(O)/guest/testrunner.map \
	-Wl,--no-warn-rwx-segments

# Code that runs with the MMU off (all memory Device: unaligned accesses fault)
# is kept out of LTO and compiled for strictly aligned accesses; with -fpie it
# is smaller and fits below the vector table (linker/guest.ld.S).
GUEST_MMU_OFF := guest/arch/aarch64/mmu.c
$(patsubst %,$(O)/%.o,$(GUEST_MMU_OFF)): GUEST_CFLAGS += -mstrict-align -fno-lto -fpie

# Every .c and .S under the directories $(1), following directory symbolic
# links; a broken link or a link loop is an error, never a silently missing
# test. Dot files and directories (editor lock files, .git) are skipped.
guest_find = find -L $(1) -mindepth 1 -name '.*' -prune -o
define guest_sources
$(strip $(if $(1),$(eval guest_find_errors := $(shell $(guest_find) -type l \
	-printf '%p: broken symbolic link; ' 2>&1))$(if $(guest_find_errors),\
	$(error finding sources: $(guest_find_errors)))$(sort $(shell $(guest_find) -type f \
	\( -name '*.c' -o -name '*.S' \) -print))))
endef

GUEST_SRCS := $(call guest_sources,guest)
GUEST_OBJS := $(patsubst %,$(O)/%.o,$(GUEST_SRCS))

# ---------------------------------------------------------------------------
# Boot tests from outside this tree: make EXTRA_TESTS="DIR ..." (with O= for a
# build directory of its own) links every .c and .S under those directories
# into the image, compiled like guest/'s own.
EXTRA_TESTS ?=
EXTRA_DIRS := $(patsubst %/,%,$(EXTRA_TESTS))
$(foreach d,$(EXTRA_DIRS),$(if $(wildcard $(d)/.),,\
	$(error EXTRA_TESTS: $(d): not a directory)))
EXTRA_SRCS := $(call guest_sources,$(EXTRA_DIRS))
$(foreach d,$(EXTRA_DIRS),$(if $(filter $(d)/%,$(EXTRA_SRCS)),,\
	$(error EXTRA_TESTS: $(d): no .c or .S file in it)))
# Objects by absolute path (any directory may be given); the compiler sees the
# path as given, which is what __FILE__ and the catalogue report.
extra_obj = $(O)/extra$(abspath $(1)).o
EXTRA_OBJS := $(foreach s,$(EXTRA_SRCS),$(call extra_obj,$(s)))
define extra_rule
$(call extra_obj,$(1)): $(1) $(FDT_INC)/.stamp
	$$(quiet) CC $(1)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(GCC_G) $$(GUEST_CFLAGS) $(if $(filter %.S,$(1)),-D__ASSEMBLY__) -c $(1) -o $$@
endef
$(foreach s,$(EXTRA_SRCS),$(eval $(call extra_rule,$(s))))
GUEST_OBJS += $(EXTRA_OBJS)

# Every test name once in the image, said before the linker's own
# "multiple definition" (boottest.h gives each test a symbol).
$(O)/guest/testrunner.names: $(GUEST_OBJS) guest/sdk/boottest-names.sh
	$(quiet) NAMES $@
	$(Q)guest/sdk/boottest-names.sh $(NM_G) $(GUEST_OBJS) >$@.tmp && mv $@.tmp $@
$(O)/guest/testrunner.elf: $(O)/guest/testrunner.names
# ---------------------------------------------------------------------------

# Hardware-free guest code, marked by a "/* portable: ... */" line: also
# compiled for the host and unit-tested there.
GUEST_PORTABLE := $(sort $(shell grep -l '^/\* portable: ' $(filter %.c,$(GUEST_SRCS))))

guest: $(O)/guest/testrunner.elf $(O)/guest/testrunner.bin

# libfdt's headers live in /usr/include, which the cross compiler must not search
# wholesale (it would find glibc's); expose just those three.
$(FDT_INC)/.stamp:
	$(Q)mkdir -p $(FDT_INC)
	$(Q)for h in libfdt.h fdt.h libfdt_env.h; do ln -sf /usr/include/$$h $(FDT_INC)/$$h; done
	$(Q)touch $@

$(O)/guest/%.c.o: guest/%.c $(FDT_INC)/.stamp
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(GUEST_CFLAGS) -c $< -o $@

$(O)/guest/%.S.o: guest/%.S
	$(quiet) AS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# The linker script takes its layout constants from arch/aarch64/layout.h.
$(GUEST_LDS): linker/guest.ld.S
	$(quiet) CPP $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GCC_G) -E -P -undef -D__ASSEMBLY__ $(GUEST_LAYOUT) -Iguest -x c -MMD -MP -MT $@ -MF $@.d $< -o $@

# GNU ld writes every absolute address as it stands at the link address and
# lists them in .rela.dyn; linker/relr.sh checks them and packs them into
# .relr, which entry.S applies (booting at other addresses tests it).
$(O)/guest/testrunner.elf: $(GUEST_OBJS) $(GUEST_LDS) linker/relr.sh $(O)/lists/guest.list
	$(quiet) LD $@
	$(Q)$(GCC_G) $(GUEST_LDFLAGS) -o $@.tmp $(GUEST_OBJS) $(FDT_LIB)
	$(Q)$(READELF_G) -W -r $@.tmp | linker/relr.sh \
		$$($(NM_G) -n $@.tmp | awk '$$3 == "__image_start" || $$3 == "__image_end" { print $$1 }') \
		>$(O)/guest/relr.S
	$(Q)$(GCC_G) -Iguest -D__ASSEMBLY__ $(GUEST_LAYOUT) -c $(O)/guest/relr.S -o $(O)/guest/relr.o
	$(Q)$(OBJCOPY_G) -O binary -j .data $(O)/guest/relr.o $(O)/guest/relr.bin
	$(Q)$(OBJCOPY_G) --update-section .relr=$(O)/guest/relr.bin $@.tmp
	$(Q)mv $@.tmp $@

# .rela.dyn, the last section with contents, is only the link's list.
$(O)/guest/testrunner.bin: $(O)/guest/testrunner.elf
	$(quiet) OBJCOPY $@
	$(Q)$(OBJCOPY_G) -O binary -R .rela.dyn $< $@

# ---------------------------------------------------------------------------
# Host: testrunner-host, testrunner-rpmb-dev, and unit tests.
HOSTCC ?= cc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-Iinclude -Ihost -MMD -MP
ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HOST_LDFLAGS += -fsanitize=address,undefined
endif

# host/<layer>/*.c and host/main.c; host/rpmb/ is the emulator, a program of its own.
HOST_SRCS      := $(sort $(shell find host -path host/rpmb -prune -o -name '*.c' -print))
HOST_MAIN      := host/main.c
HOST_LIB_SRCS  := $(filter-out $(HOST_MAIN),$(HOST_SRCS))
HOST_LIB_OBJS  := $(patsubst %,$(O)/hostobj/%.o,$(HOST_LIB_SRCS))
RPMB_SRCS      := $(sort $(wildcard host/rpmb/*.c))
RPMB_MAIN      := host/rpmb/main.c
RPMB_LIB_OBJS  := $(patsubst %,$(O)/hostobj/%.o,$(filter-out $(RPMB_MAIN),$(RPMB_SRCS)))
PORTABLE_OBJS  := $(patsubst %,$(O)/hostobj/%.o,$(GUEST_PORTABLE))

HOST_PROGS := $(O)/host/testrunner-host $(O)/host/testrunner-rpmb-dev

host: $(HOST_PROGS)

$(O)/hostobj/host/%.c.o: host/%.c
	$(quiet) HOSTCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

# Guest portable code built for the host: same source, no arch headers.
$(O)/hostobj/guest/%.c.o: guest/%.c
	$(quiet) HOSTCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iguest -DTR_HOST_BUILD -c $< -o $@

$(O)/hostobj/libhost.a: $(HOST_LIB_OBJS) $(O)/lists/host.list
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@) && rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(O)/hostobj/libportable.a: $(PORTABLE_OBJS) $(O)/lists/portable.list
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@) && rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(O)/hostobj/librpmb.a: $(RPMB_LIB_OBJS) $(O)/lists/rpmb.list
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@) && rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(O)/host/testrunner-host: $(O)/hostobj/$(HOST_MAIN).o $(O)/hostobj/libhost.a
	$(quiet) LINK $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lz

$(O)/host/testrunner-rpmb-dev: $(O)/hostobj/$(RPMB_MAIN).o $(O)/hostobj/librpmb.a
	$(quiet) LINK $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lcrypto

# Unit tests: tests/unit/test_*.c, each linked against every host-built library
# (the archives pull in only what a test uses).
# The host's libfdt for unit tests of the guest's DT code: Debian's
# libfdt-dev:arm64 (the guest's) conflicts with the native libfdt-dev, but the
# native shared library co-installs and the headers are the same.
HOST_FDT_LIB := /usr/lib/$(shell $(HOSTCC) -print-multiarch)/libfdt.so.1

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))
UNIT_LIBS := $(O)/hostobj/libhost.a $(O)/hostobj/libportable.a $(O)/hostobj/librpmb.a

$(O)/tests/unit/%.o: tests/unit/%.c
	$(quiet) HOSTCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iguest -Itests/unit -DTR_HOST_BUILD -c $< -o $@

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(UNIT_LIBS)
	$(quiet) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $< $(UNIT_LIBS) -lcmocka -lz -lcrypto $(HOST_FDT_LIB)

# Small helper programs for end-to-end tests (fake guests, reference guests).
TEST_TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TEST_TOOLS := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,$(TEST_TOOL_SRCS))

$(O)/tests/tools/%: tests/tools/%.c $(O)/hostobj/libportable.a
	$(quiet) HOSTCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iguest -DTR_HOST_BUILD $(HOST_LDFLAGS) -o $@ $< $(O)/hostobj/libportable.a

tests: $(UNIT_BINS) $(TEST_TOOLS)

# Guest images used only by tests (secondary OS, reference guests): added by
# tests/guests.mk as further test-guests:: rules.
test-guests::

all: guest host

-include tests/guests.mk
include guest/sdk/sdk.mk

# Object lists: each file changes only when its list does, so deleting or
# renaming a source relinks what contained it (timestamps alone would not).
LIST_guest    = $(GUEST_OBJS)
LIST_host     = $(HOST_LIB_OBJS)
LIST_portable = $(PORTABLE_OBJS)
LIST_rpmb     = $(RPMB_LIB_OBJS)
LIST_fuzz     = $(FUZZ_LIB_OBJS)

$(O)/lists/%.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LIST_$*)' | cmp -s - $@ || echo '$(LIST_$*)' >$@

# ---------------------------------------------------------------------------
# Running.
# ARGS: selectors and options for the harness (make run ARGS='-j 2 selftest').
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(O)/host/testrunner-host run --image $(O)/guest/testrunner.elf $(ARGS)

# With SANITIZE=1 an ASan report goes to a file and any report aborts the
# program, so a test that expects exit 1 or 2 cannot mistake one for its own
# verdict; tests/sanitize/reports.sh, run last, fails on any such file.
ifeq ($(SANITIZE),1)
SANITIZER_LOGS := $(abspath $(O))/sanitizer
CHECK_ENV := SANITIZER_LOG_DIR=$(SANITIZER_LOGS) \
	ASAN_OPTIONS=log_path=$(SANITIZER_LOGS)/asan:abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1
CHECK_LAST := tests/sanitize/reports.sh
endif

check: deps
	$(Q)$(MAKE) --no-print-directory all tests test-guests sdk
	$(Q)$(if $(SANITIZER_LOGS),rm -rf $(SANITIZER_LOGS) && mkdir -p $(SANITIZER_LOGS))
	$(Q)O=$(O) $(CHECK_ENV) tests/check.sh $(UNIT_BINS) $(wildcard tests/lint/*.sh) \
		$(sort $(filter-out tests/e2e/lib.sh,$(wildcard tests/e2e/*.sh))) \
		$(CHECK_LAST)

# testrunner_test (tests/bazel/testrunner.bzl) under Debian's real Bazel, offline
# (not in make check: it installs bazel-bootstrap and starts a Bazel server).
.PHONY: check-bazel
check-bazel: deps
	$(Q)command -v bazel >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
		bazel-bootstrap; }
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/check.sh tests/bazel/check-bazel.sh

# The kernel's own KTAP parser (kunit.py parse from Debian's linux-source-6.1,
# unpacked into $(O)/kunit/) on --ktap of real runs (not in make check: it
# installs the 130 MB kernel source package).
.PHONY: check-ktap-parser
check-ktap-parser: deps
	$(Q)[ -f /usr/src/linux-source-6.1.tar.xz ] || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
		linux-source-6.1; }
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)O=$(O) tests/check.sh tests/ci/check-ktap-parser.sh

-include tests/bench/bench.mk
-include tests/fuzz/fuzz.mk
-include tests/stress/stress.mk

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Keep intermediate objects (unit-test .o files) so rebuilds stay incremental.
.SECONDARY:
