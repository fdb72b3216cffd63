/* SPDX-License-Identifier: MIT */
/*
 * Secure-monitor test double, EL3 side: stack, vectors, SCR_EL3, then an
 * exception return to the testrunner at EL2h with x0 = the DTB. Every SMC
 * from below comes back through lower_sync into monitor_smc().
 */
#define SCR_NS   (1 << 0)
#define SCR_RES1 ((1 << 4) | (1 << 5))
#define SCR_HCE  (1 << 8)	/* HVC enabled; SMD (bit 7) clear: SMC enabled */
#define SCR_RW   (1 << 10)	/* lower levels are AArch64 */
#define SPSR_EL2H_DAIF 0x3c9
#define DTB_BASE 0x40000000
#define FRAME    160		/* x0-x18, x30 */

	.section .text.entry, "ax"
	.global	_start
_start:
	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	adr	x0, vectors
	msr	vbar_el3, x0
	mov	x0, #(SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW)
	msr	scr_el3, x0
	msr	cptr_el3, xzr		/* no FP/SIMD traps */
	isb
	bl	monitor_init		/* the testrunner's entry point */
	msr	elr_el3, x0
	mov	x0, #SPSR_EL2H_DAIF
	msr	spsr_el3, x0
	mov	x0, #DTB_BASE
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	eret

/* x0-x17 in and out; monitor_trap (C) itself preserves x19-x29 */
lower_sync:
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mov	x0, sp
	bl	monitor_trap
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #FRAME
	eret

unexpected:
	mov	x0, #3
	b	monitor_exit

.macro	vector target
	.balign	0x80
	b	\target
.endm

	.balign	0x800
vectors:
	.rept	8		/* from EL3 itself: never expected */
	vector	unexpected
	.endr
	vector	lower_sync	/* lower EL, AArch64, synchronous: SMC */
	.rept	7
	vector	unexpected
	.endr
