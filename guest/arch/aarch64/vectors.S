/* SPDX-License-Identifier: MIT */
/*
 * EL1 exception vector table. All our code runs on SP_EL0 (entry.S), so an
 * exception arrives at the "current EL, SP_EL0" group on SP_EL1, the CPU's
 * exception stack: every entry saves a struct exc_regs there and calls
 * exc_dispatch(regs, kind); on return the (possibly changed) ELR, SPSR,
 * SP_EL0 and general registers are restored. An exception taken while
 * handling one (group "current EL, SP_ELx") is never returned from.
 */
#include "arch/aarch64/layout.h"

.macro ventry kind
	.balign	0x80
	sub	sp, sp, #EXC_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exc_entry
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global exception_vectors
exception_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_ELx: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

exc_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	/* The interrupted SP: SP_EL0, or SP_EL1 above this frame if nested. */
	mrs	x1, sp_el0
	sub	x2, x0, #4
	cmp	x2, #4
	b.hs	1f
	add	x1, sp, #EXC_REGS_SIZE
1:	stp	x30, x1, [sp, #(EXC_REGS_SP - 8)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #EXC_REGS_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #EXC_REGS_ESR]

	mov	x1, x0
	mov	x0, sp
	bl	exc_dispatch

	ldp	x2, x3, [sp, #EXC_REGS_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #EXC_REGS_SP - 8]
	mov	x30, x0
	/* The handler may move SP (resuming in an outer frame). */
	msr	sp_el0, x1
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #EXC_REGS_SIZE
	eret
