/* SPDX-License-Identifier: MIT */
/*
 * Link map of the guest image, run through the C preprocessor so that the
 * layout constants come from arch/aarch64/layout.h. A position-independent
 * executable linked at ARCH_LINK_BASE (where QEMU's ELF loader puts it, room
 * left below for the DTB at the RAM base); entry.S applies its relocations
 * from .relr wherever it was loaded. The raw image (.bin) starts with an
 * arm64 Image header and ends with .relr.
 */
#include "arch/aarch64/layout.h"

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
	tls PT_TLS;
}

SECTIONS
{
	. = ARCH_LINK_BASE;
	__image_start = .;

	/*
	 * The Image header (its first word branches to _start) and the code that
	 * runs with the MMU off first, filling the room below the 2 KiB-aligned
	 * vector table (alignment padding otherwise: past 0x800 it costs 2 KiB).
	 */
	.text : {
		KEEP(*(.text.head))
		KEEP(*(.text.boot))
		*arch/aarch64/mmu.c.o(.text .text.*)
		KEEP(*(.text.vectors))
		*(.text.unlikely .text.unlikely.*)
		*(.text.startup .text.startup.*)
		*(.text .text.*)
	} :text

	.rodata : ALIGN(16) {
		*(.rodata .rodata.*)
		*(.srodata .srodata.*)
		*(.data.rel.ro .data.rel.ro.*)
	} :text

	/* picolibc's objects reach link-time constants through the GOT. */
	.got : ALIGN(8) {
		*(.got .got.*)
	} :text


	/* Boot-test descriptors, sorted by "suite.case" (runner/boottest.h). */
	.boot_tests : ALIGN(8) {
		__boot_tests_start = .;
		KEEP(*(SORT_BY_NAME(.boot_tests.*)))
		__boot_tests_end = .;
	} :text

	/* Unused by our C, but picolibc's init code may reference the arrays. */
	.init_array : ALIGN(8) {
		PROVIDE_HIDDEN(__preinit_array_start = .);
		KEEP(*(.preinit_array))
		PROVIDE_HIDDEN(__preinit_array_end = .);
		PROVIDE_HIDDEN(__init_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.init_array.*)))
		KEEP(*(.init_array))
		PROVIDE_HIDDEN(__init_array_end = .);
		PROVIDE_HIDDEN(__fini_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.fini_array.*)))
		KEEP(*(.fini_array))
		PROVIDE_HIDDEN(__fini_array_end = .);
	} :text

	.data : ALIGN(16) {
		__data_start = .;
		*(.data .data.*)
		*(.sdata .sdata.*)
	} :data

	/*
	 * TLS template (picolibc keeps errno in TLS). Each CPU gets its own block
	 * in .tls_blocks below, initialised from this template by _init_tls().
	 */
	.tdata : ALIGN(16) {
		*(.tdata .tdata.*)
	} :data :tls
	.tbss : ALIGN(16) {
		*(.tbss .tbss.*)
		*(.tcommon)
	} :data :tls

	__tls_base = ADDR(.tdata);
	__tdata_source = LOADADDR(.tdata);
	/*
	 * Sizes and offsets, not addresses: ABSOLUTE, or the PIE link gives
	 * their GOT entries a relocation and entry.S would add the load offset.
	 */
	__tdata_size = ABSOLUTE(SIZEOF(.tdata));
	__tbss_offset = ABSOLUTE(ADDR(.tbss) - ADDR(.tdata));
	__tbss_size = ABSOLUTE(SIZEOF(.tbss));
	__tls_size = ABSOLUTE(__tbss_offset + __tbss_size);
	__tls_align = ABSOLUTE(MAX(ALIGNOF(.tdata), ALIGNOF(.tbss)));
	__arm64_tls_tcb_offset = ABSOLUTE(MAX(16, __tls_align));
	/* One block per CPU; 64-byte alignment covers __tls_align (asserted). */
	__tls_stride = ABSOLUTE(ALIGN(__tls_size, 64) + 64);

	/*
	 * Every absolute address in the image, as the link wrote it (.rela.dyn,
	 * 24 bytes each), then packed (.relr, 8 bytes for up to 63 of them) by
	 * linker/relr.sh after the link into the room reserved here: entry.S
	 * applies .relr, the .bin ends with it and leaves .rela.dyn out.
	 */
	.relr : ALIGN(8) {
		__relr_start = .;
		QUAD(0)
		. = __relr_start + ARCH_RELR_MAX;
		__relr_end = .;
	} :data
	.rela.dyn : ALIGN(8) {
		*(.rela.dyn .rela.*)
	} :data

	/* .tbss takes no room in the image; .bss starts after the template. */
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.sbss .sbss.*)
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} :data

	/*
	 * Per-CPU stack slots (index 0 = boot CPU; layout in arch/aarch64/
	 * layout.h), outside .bss: not cleared. Their guard pages are left
	 * unmapped by mmu.c.
	 */
	.stacks (NOLOAD) : ALIGN(4096) {
		__stacks_start = .;
		. += ARCH_MAX_CPUS * ARCH_CPU_SLOT_SIZE;
		__stacks_end = .;
	} :data

	/*
	 * Big buffers their owner initialises before use (the virtqueue ring
	 * pool): left out of .bss, whose clearing with the MMU off cost ~0.4 ms.
	 */
	.noinit (NOLOAD) : ALIGN(4096) {
		*(.noinit .noinit.*)
	} :data

	.tls_blocks (NOLOAD) : ALIGN(64) {
		__tls_blocks = .;
		. += ARCH_MAX_CPUS * __tls_stride;
	} :data

	. = ALIGN(4096);
	__image_end = .;
	PROVIDE(end = .);
	/* The Image header's image_size: everything a loader must leave to us. */
	__image_size = ABSOLUTE(__image_end - __image_start);

	/DISCARD/ : {
		*(.note .note.*)
		*(.eh_frame .eh_frame.*)
		*(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
	}

	/* How .boot_tests reads from this file (testrunner/catalogue.h): not loaded. */
	.testrunner.catalogue 0 (INFO) : { KEEP(*(.testrunner.catalogue)) }
	.comment 0 : { *(.comment) }
	.debug 0 : { *(.debug) }
	.debug_aranges 0 : { *(.debug_aranges) }
	.debug_info 0 : { *(.debug_info .gnu.linkonce.wi.*) }
	.debug_abbrev 0 : { *(.debug_abbrev) }
	.debug_line 0 : { *(.debug_line .debug_line.* .debug_line_end) }
	.debug_frame 0 : { *(.debug_frame) }
	.debug_str 0 : { *(.debug_str) }
	.debug_loc 0 : { *(.debug_loc) }
	.debug_ranges 0 : { *(.debug_ranges) }
	.debug_addr 0 : { *(.debug_addr) }
	.debug_line_str 0 : { *(.debug_line_str) }
	.debug_loclists 0 : { *(.debug_loclists) }
	.debug_rnglists 0 : { *(.debug_rnglists) }
	.debug_str_offsets 0 : { *(.debug_str_offsets) }
	.debug_macro 0 : { *(.debug_macro) }
	.gnu.attributes 0 : { KEEP(*(.gnu.attributes)) }
}

ASSERT(__tls_align <= 64, "TLS alignment exceeds the per-CPU block alignment")
ASSERT(__image_start == ARCH_LINK_BASE, "image must start at ARCH_LINK_BASE")
ASSERT(__image_size <= ARCH_IMAGE_MAX, "image larger than ARCH_IMAGE_MAX (layout.h)")
ASSERT(__stacks_start % 4096 == 0, "stack slots must be page aligned (guard pages)")
ASSERT(exception_vectors % 0x800 == 0, "VBAR_EL1 needs a 2 KiB-aligned vector table")
