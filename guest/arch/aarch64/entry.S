/* SPDX-License-Identifier: MIT */
/*
 * Boot entry for the boot CPU (_start, behind the Image header) and for
 * secondaries started by PSCI CPU_ON (secondary_entry): reach EL1, relocate,
 * stack, vectors, FP/SIMD, BSS, MMU and caches, TLS; only then C code that
 * may make unaligned accesses.
 */
#include "arch/aarch64/layout.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/boot_times.h"

#define CPACR_FPEN_EL0EL1 (3 << 20)
#define HCR_EL2_RW        (1 << 31)
#define SPSR_EL1H_DAIF    0x3c5	/* EL1h, D/A/I/F masked */
/* SCR_EL3: lower levels AArch64 (RW), SMC undefined (SMD), RES1 bits 5:4; NS = 0. */
#define SCR_EL3_SECURE_EL1 ((1 << 10) | (1 << 7) | (3 << 4))
#define ICC_SRE_ALL       0xf	/* SRE, DFB, DIB, Enable: GIC system registers below */
#define PFR0_GIC_SHIFT    24
/* Image header flags: little endian, 4 KiB pages (1 << 1), base anywhere (1 << 3). */
#define IMAGE_FLAGS       ((1 << 1) | (1 << 3))

/*
 * The arm64 Linux Image header (Documentation/arch/arm64/booting.rst), the
 * first bytes of testrunner.bin: QEMU's -kernel, U-Boot's booti and any
 * loader that jumps to the first byte (TF-A's BL33 hand-over) all start here.
 */
	.section .text.head, "ax"
	.global _head
_head:
	b	_start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: anywhere 2 MiB aligned */
	.quad	__image_size		/* image_size: .bss, stacks, .noinit included */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

	.section .text.boot, "ax"
	.global _start
_start:
	BOOT_TIME_KEEP x21
	mov	x19, x0			/* DTB pointer when a Linux-style loader ran */
	/*
	 * Only the boot CPU (affinity 0) goes on: without PSCI (EL3 and no
	 * firmware) QEMU starts every CPU here, and the others must wait.
	 */
	mrs	x0, mpidr_el1
	tst	x0, #0xffffff
	b.ne	halt
	tst	x0, #0xff00000000
	b.ne	halt
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	bl	el1_setup
	bl	relocate
	BOOT_TIME_KEEP x22

	/* Boot CPU: index 0, stack slot 0. */
	mov	x0, #0
	bl	cpu_stacks_setup
	mov	x29, #0			/* end of the frame-pointer chain */
	mov	x30, #0

	/* BSS: 16-byte aligned by the linker script. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	adrp	x0, arch_entry_el
	str	w20, [x0, :lo12:arch_entry_el]
	BOOT_TIME_STORE BOOT_T_ENTRY, x21
	BOOT_TIME_STORE BOOT_T_RELOCATED, x22
	BOOT_TIME_STORE BOOT_T_BSS

	/* Built with -mstrict-align and no libc: safe with the MMU off. */
	bl	mmu_build_boot_tables
	bl	mmu_enable
	BOOT_TIME_STORE BOOT_T_MMU

	mov	x0, #0
	bl	cpu_tls_setup

	mov	x0, x19
	bl	boot_main
	/* boot_main powers off and never returns; stop if it ever does. */
	b	halt

/*
 * Secondary CPUs, entered by PSCI CPU_ON with x0 = context_id = CPU index.
 * The MMU uses the boot CPU's tables.
 */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	el1_setup
	cmp	x19, #ARCH_MAX_CPUS
	b.hs	halt
	mov	x0, x19
	bl	cpu_stacks_setup
	mov	x29, #0
	mov	x30, #0
	bl	mmu_enable
	mov	x0, x19
	bl	cpu_tls_setup
	mov	x0, x19
	bl	smp_secondary_main
	b	halt

/*
 * From EL2 or EL3 to EL1h at el1_ready, MMU off, DAIF masked, with the GIC
 * system registers enabled for the levels below when the CPU has them.
 */
.macro eret_to_el1 icc_sre, spsr, elr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #PFR0_GIC_SHIFT, #4
	cbz	x0, 1f
	mov	x0, #ICC_SRE_ALL
	msr	\icc_sre, x0
1:	ldr	x0, =SCTLR_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	\spsr, x0
	adr	x0, el1_ready
	msr	\elr, x0
	isb
	eret
.endm

/*
 * Reach EL1, mask interrupts, install the vectors and enable FP/SIMD, which
 * picolibc's libc.a may use. From EL2 (virtualization=on, or TF-A's BL33
 * hand-over) drop to non-secure EL1. From EL3 with no firmware (secure=on)
 * stay in the Secure state and drop to secure EL1: the devices QEMU gives
 * only the secure world (the gpio-poweroff line) stay reachable, and SMC is
 * made undefined, since no monitor would answer it. Clobbers x0; no stack.
 */
el1_setup:
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.lo	el1_ready
	b.eq	from_el2
	mov	x0, #SCR_EL3_SECURE_EL1
	msr	scr_el3, x0
	msr	cptr_el3, xzr		/* no FP/SIMD traps */
	eret_to_el1 S3_6_C12_C12_5, spsr_el3, elr_el3	/* ICC_SRE_EL3 */
	/* EL2 -> EL1: AArch64 EL1, counters accessible, no virtual offset. */
from_el2:
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff		/* CPTR_EL2: no FP/SIMD traps (RES1 bits) */
	msr	cptr_el2, x0
	eret_to_el1 S3_4_C12_C9_5, spsr_el2, elr_el2	/* ICC_SRE_EL2 */
el1_ready:
	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	mov	x0, #CPACR_FPEN_EL0EL1
	msr	cpacr_el1, x0
	isb
	ret

/*
 * Position independence: the image is linked at ARCH_LINK_BASE and may run
 * anywhere (4 KiB aligned: adrp). Every absolute address in it (pointers in
 * data, GOT entries) holds its link-time value and is listed in .relr
 * (linker/relr.sh; RELR packing): add the load offset to each. An even word
 * is the link address of one such word, and starts a run; an odd word is a
 * bitmap for the 63 words after the run so far, bit i for the (i-1)-th.
 * Zero ends the list. Runs once per load, with the MMU off: aligned 8-byte
 * accesses only. Clobbers x0-x7.
 */
relocate:
	adrp	x0, __image_start
	add	x0, x0, :lo12:__image_start
	ldr	x1, =ARCH_LINK_BASE
	subs	x0, x0, x1		/* load offset */
	b.eq	5f
	adrp	x2, __relr_start
	add	x2, x2, :lo12:__relr_start
	adrp	x3, __relr_end
	add	x3, x3, :lo12:__relr_end
1:	cmp	x2, x3
	b.hs	5f
	ldr	x4, [x2], #8
	cbz	x4, 5f
	tbnz	x4, #0, 2f
	add	x5, x4, x0		/* where the word is now */
	ldr	x6, [x5]
	add	x6, x6, x0
	str	x6, [x5], #8
	b	1b
2:	mov	x6, x5
3:	lsr	x4, x4, #1
	cbz	x4, 4f
	add	x6, x6, #8
	tbz	x4, #0, 3b
	ldr	x7, [x6, #-8]
	add	x7, x7, x0
	str	x7, [x6, #-8]
	b	3b
4:	add	x5, x5, #(63 * 8)
	b	1b
5:	ret

/*
 * x0 = CPU index, running on SP_EL1 (EL1h, as every entry leaves us): point
 * SP_EL1 at the CPU's exception stack and SP_EL0 at its stack, switch to
 * SP_EL0 for good and keep the index in TPIDR_EL1. Exceptions then arrive at
 * the "current EL, SP_EL0" vectors on the exception stack, so a fault on an
 * overflowed stack can still be reported. Clobbers x1, x2.
 */
cpu_stacks_setup:
	msr	tpidr_el1, x0
	mov	x1, #ARCH_CPU_SLOT_SIZE
	adrp	x2, __stacks_start
	add	x2, x2, :lo12:__stacks_start
	madd	x2, x0, x1, x2
	add	x1, x2, #(ARCH_EXC_STACK_OFF + ARCH_EXC_STACK_SIZE)
	mov	sp, x1
	add	x1, x2, #ARCH_CPU_SLOT_SIZE
	msr	sp_el0, x1
	msr	spsel, #0
	ret

/*
 * x0 = CPU index: give it its own TLS block (picolibc keeps errno there),
 * initialised from the .tdata/.tbss template, and point TPIDR_EL0 at it
 * (AArch64 TLS variant 1: the block starts __arm64_tls_tcb_offset above).
 * picolibc's _init_tls and _set_tls do the same but read these sizes through
 * GOT entries, which the PIE link relocates like addresses: literal pools
 * keep them constants. Byte loops: the template is a few bytes. Clobbers
 * x1-x6.
 */
cpu_tls_setup:
	adrp	x1, __tls_blocks
	add	x1, x1, :lo12:__tls_blocks
	ldr	x2, =__tls_stride
	madd	x1, x0, x2, x1
	adrp	x3, __tdata_source
	add	x3, x3, :lo12:__tdata_source
	ldr	x4, =__tdata_size
	mov	x5, x1
1:	cbz	x4, 2f
	ldrb	w6, [x3], #1
	strb	w6, [x5], #1
	sub	x4, x4, #1
	b	1b
2:	ldr	x4, =__tbss_offset
	add	x5, x1, x4
	ldr	x4, =__tbss_size
3:	cbz	x4, 4f
	strb	wzr, [x5], #1
	sub	x4, x4, #1
	b	3b
4:	ldr	x4, =__arm64_tls_tcb_offset
	sub	x1, x1, x4
	msr	tpidr_el0, x1
	ret

/* Before any console exists there is nobody to tell: stop quietly. */
halt:
	msr	daifset, #0xf
5:	wfi
	b	5b

	.ltorg

	.bss
	.balign	4
	.global	arch_entry_el
arch_entry_el:
	.word	0
