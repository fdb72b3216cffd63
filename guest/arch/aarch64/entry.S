/* SPDX-License-Identifier: MIT */
/*
 * Boot entry for the boot CPU (_start) and for secondaries started by PSCI
 * CPU_ON (secondary_entry): reach EL1, stack, vectors, FP/SIMD, BSS, MMU and
 * caches, TLS; only then C code that may make unaligned accesses.
 */
#include "arch/aarch64/layout.h"
#include "arch/aarch64/sysreg.h"

#define CPACR_FPEN_EL0EL1 (3 << 20)
#define HCR_EL2_RW        (1 << 31)
#define SPSR_EL1H_DAIF    0x3c5	/* EL1h, D/A/I/F masked */

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0			/* DTB pointer when a Linux-style loader ran */
	bl	el1_setup
	cbnz	x0, fail_el

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
2:
	/* Built with -mstrict-align and no libc: safe with the MMU off. */
	bl	mmu_build_boot_tables
	bl	mmu_enable

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
	cbnz	x0, halt
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
 * Reach EL1 (drop from EL2 when QEMU runs with virtualization=on), mask
 * interrupts, install the vectors and enable FP/SIMD, which picolibc's
 * libc.a may use. Returns 0, or -1 at an EL we cannot handle (EL3).
 * Clobbers x0-x2; uses no stack.
 */
el1_setup:
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #1
	b.eq	3f
	cmp	x0, #2
	b.ne	4f
	/* EL2 -> EL1: AArch64 EL1, counters accessible, no virtual offset. */
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff		/* CPTR_EL2: no FP/SIMD traps (RES1 bits) */
	msr	cptr_el2, x0
	ldr	x0, =SCTLR_RES1		/* MMU off */
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	adr	x0, 3f
	msr	elr_el2, x0
	isb
	eret
3:	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	mov	x0, #CPACR_FPEN_EL0EL1
	msr	cpacr_el1, x0
	isb
	mov	x0, #0
	ret
4:	mov	x0, #-1
	ret

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

/* x0 = CPU index: give it its own TLS block (errno) and point TPIDR_EL0 at it. */
cpu_tls_setup:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	adrp	x1, __tls_blocks
	add	x1, x1, :lo12:__tls_blocks
	ldr	x2, =__tls_stride
	madd	x19, x0, x2, x1
	mov	x0, x19
	bl	_init_tls
	mov	x0, x19
	bl	_set_tls
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret

/* Before any console exists there is nobody to tell: stop quietly. */
fail_el:
halt:
	msr	daifset, #0xf
5:	wfi
	b	5b

	.ltorg
