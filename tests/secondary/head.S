/* SPDX-License-Identifier: MIT */
/*
 * Secondary test image: an arm64 Image header (booting.rst) so the
 * testrunner loads it exactly like Linux, then a position-independent start:
 * apply our own R_AARCH64_RELATIVE relocations, clear BSS, set a stack and
 * call sec_main(x0, x1, x2, x3, load address) with the MMU still off.
 */

#define R_AARCH64_RELATIVE	1027
/* flags: little endian, 4K pages (1 << 1), 2 MiB base anywhere (1 << 3) */
#define IMAGE_FLAGS		((1 << 1) | (1 << 3))

	.section .head.text, "ax"
	.global	_head
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size, linker-computed constant */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

	.text
start:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	adrp	x23, _head
	add	x23, x23, :lo12:_head

	/* linked at 0: every RELATIVE entry gets the load address added */
	adrp	x10, __rela_start
	add	x10, x10, :lo12:__rela_start
	adrp	x11, __rela_end
	add	x11, x11, :lo12:__rela_end
1:	cmp	x10, x11
	b.hs	2f
	ldp	x12, x13, [x10], #16	/* r_offset, r_info */
	ldr	x14, [x10], #8		/* r_addend */
	cmp	w13, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x14, x14, x23
	str	x14, [x23, x12]
	b	1b

2:	adrp	x10, __bss_start
	add	x10, x10, :lo12:__bss_start
	adrp	x11, __bss_end
	add	x11, x11, :lo12:__bss_end
3:	cmp	x10, x11
	b.hs	4f
	stp	xzr, xzr, [x10], #16
	b	3b

4:	adrp	x10, __stack_top
	add	x10, x10, :lo12:__stack_top
	mov	sp, x10
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	mov	x4, x23
	bl	sec_main
5:	wfi
	b	5b
