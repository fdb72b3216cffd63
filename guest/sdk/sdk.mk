# make sdk: $(O)/sdk, a kit for linking boot-test images from another tree's
# build (make, CMake, pkg-config) without this one: the framework and
# platform as one static library, the headers, the linker script, the flags.
# The flags are the image's own (GUEST_CFLAGS, GUEST_LDFLAGS) minus what
# names this tree; the kit needs the same Debian toolchain packages.
.PHONY: sdk
SDK_DIR  := $(O)/sdk
comma    := ,
# Everything the image links but its own tests.
SDK_OBJS := $(patsubst %,$(O)/%.o,$(filter-out guest/tests/%,$(GUEST_SRCS)))
SDK_HDRS := $(sort $(shell find -L guest include -name '*.h' -not -path 'guest/tests/*'))
# The linker script is generated from linker/guest.ld.S (layout.h's numbers).
SDK_LDSCRIPT = $(GUEST_LDS)
SDK_CFLAGS = $(filter-out -Iinclude -Iguest -isystem $(FDT_INC) -MMD -MP,$(GUEST_CFLAGS))
SDK_LDFLAGS = $(filter-out -T $(SDK_LDSCRIPT) -T$(SDK_LDSCRIPT) -Wl$(comma)-Map$(comma)%,\
	$(GUEST_LDFLAGS))
# One word per flag for the CMake and pkg-config consumers, which may reorder.
sdk_words = $(subst --param ,--param=,$(1))

SDK_GENERATED := testrunner.mk lib/pkgconfig/testrunner.pc \
	lib/cmake/testrunner/testrunner-config.cmake lib/cmake/testrunner/toolchain.cmake
SDK_FILES := $(SDK_DIR)/lib/libtestrunner.a $(SDK_DIR)/lib/libfdt.a \
	$(SDK_DIR)/lib/testrunner.ld $(SDK_DIR)/bin/boottest-names \
	$(SDK_DIR)/include/.stamp $(addprefix $(SDK_DIR)/,$(SDK_GENERATED))

sdk: $(SDK_FILES)

$(SDK_DIR)/lib/libtestrunner.a: $(SDK_OBJS) $(O)/lists/sdk.list
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@) && rm -f $@ && $(CROSS_COMPILE)gcc-ar rcs $@ $(SDK_OBJS)

LIST_sdk = $(SDK_OBJS) $(SDK_HDRS)

$(SDK_DIR)/lib/libfdt.a: $(FDT_LIB)
	$(Q)mkdir -p $(dir $@) && cp $< $@

$(SDK_DIR)/lib/testrunner.ld: $(SDK_LDSCRIPT) Makefile
	$(Q)mkdir -p $(dir $@) && cp $< $@

$(SDK_DIR)/bin/boottest-names: guest/sdk/boottest-names.sh
	$(Q)mkdir -p $(dir $@) && cp $< $@

# guest/X/y.h and include/X/y.h as include/X/y.h, libfdt's as include/fdt/.
$(SDK_DIR)/include/.stamp: $(SDK_HDRS) $(FDT_INC)/.stamp $(O)/lists/sdk.list
	$(quiet) HEADERS $(dir $@)
	$(Q)rm -rf $(dir $@) && mkdir -p $(dir $@)fdt
	$(Q)for h in $(SDK_HDRS); do d=$(dir $@)$${h#*/}; mkdir -p $${d%/*}; cp $$h $$d; done
	$(Q)cp -L $(FDT_INC)/*.h $(dir $@)fdt/
	$(Q)touch $@

# Templates in guest/sdk/: @CC@, @NM@, @CFLAGS@, @LDFLAGS@ filled in from this build.
$(foreach f,$(SDK_GENERATED),$(eval $(SDK_DIR)/$(f): guest/sdk/$(notdir $(f)).in Makefile guest/sdk/sdk.mk))
$(addprefix $(SDK_DIR)/,$(SDK_GENERATED)):
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)sed -e 's|@CC@|$(GCC_G)|g' -e 's|@NM@|$(NM_G)|g' \
		-e 's|@CFLAGS@|$(strip $(call sdk_words,$(SDK_CFLAGS)))|g' \
		-e 's|@LDFLAGS@|$(strip $(call sdk_words,$(SDK_LDFLAGS)))|g' $< >$@
