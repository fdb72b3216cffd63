/* SPDX-License-Identifier: MIT */
/* Cache maintenance by VA and by set/way, and the MMU-off jump to a kernel. */
#include "arch/aarch64/sysreg.h"

#define CLIDR_LOC_SHIFT	24
#define MMFR2_CCIDX_SHIFT 20

	.text

/* void dcache_clean_inval_poc(uintptr_t start, size_t len) */
	.global	dcache_clean_inval_poc
	.type	dcache_clean_inval_poc, %function
dcache_clean_inval_poc:
	cbz	x1, 2f
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) of the smallest line */
	mov	x2, #4
	lsl	x2, x2, x3
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
2:	ret
	.size	dcache_clean_inval_poc, . - dcache_clean_inval_poc

/*
 * Clean and invalidate every data or unified cache level up to the LoC by
 * set/way. Uses x0-x12 only and no memory: it runs with the MMU off, where
 * the stack would be Device memory.
 */
	.type	dcache_clean_inval_all, %function
dcache_clean_inval_all:
	mrs	x12, id_aa64mmfr2_el1
	ubfx	x12, x12, #MMFR2_CCIDX_SHIFT, #4	/* 1: 64-bit CCSIDR layout */
	mrs	x0, clidr_el1
	ubfx	x3, x0, #CLIDR_LOC_SHIFT, #3
	cbz	x3, 6f
	mov	x10, #0				/* level << 1, the CSSELR/DC SW layout */
1:	add	x2, x10, x10, lsr #1		/* 3 * level: Ctype field of CLIDR */
	lsr	x1, x0, x2
	and	x1, x1, #7
	cmp	x1, #2				/* 2 data, 3 separate, 4 unified */
	b.lt	5f
	msr	csselr_el1, x10
	isb
	mrs	x1, ccsidr_el1
	and	x2, x1, #7
	add	x2, x2, #4			/* log2(line bytes) */
	cbnz	x12, 2f
	ubfx	x4, x1, #3, #10			/* associativity - 1 */
	ubfx	x7, x1, #13, #15		/* number of sets - 1 */
	b	3f
2:	ubfx	x4, x1, #3, #21
	ubfx	x7, x1, #32, #24
3:	clz	w5, w4				/* way goes in the top bits */
	cmp	x4, #0
	csel	x5, xzr, x5, eq			/* direct mapped: no way field */
4:	mov	x9, x4
41:	lsl	x6, x9, x5
	orr	x11, x10, x6
	lsl	x6, x7, x2
	orr	x11, x11, x6
	dc	cisw, x11
	subs	x9, x9, #1
	b.ge	41b
	subs	x7, x7, #1
	b.ge	4b
5:	add	x10, x10, #2
	cmp	x3, x10, lsr #1
	b.gt	1b
6:	msr	csselr_el1, xzr
	dsb	sy
	isb
	ret
	.size	dcache_clean_inval_all, . - dcache_clean_inval_all

/* void arch_boot_kernel(uintptr_t entry, uintptr_t dtb), never returns */
	.global	arch_boot_kernel
	.type	arch_boot_kernel, %function
arch_boot_kernel:
	msr	daifset, #0xf
	mov	x19, x0
	mov	x20, x1
	dsb	sy
	mrs	x0, sctlr_el1
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	msr	sctlr_el1, x0
	isb
	bl	dcache_clean_inval_all
	ic	iallu
	tlbi	vmalle1
	dsb	nsh
	isb
	/* Hand over on SP_EL1 (EL1h), the state a kernel is entered in elsewhere. */
	msr	spsel, #1
	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x19
	.size	arch_boot_kernel, . - arch_boot_kernel
