/* SPDX-License-Identifier: MIT */
/*
 * A test-only stand-in for TF-A's hand-over to BL33 on QEMU `virt`, run as
 * `-bios bl1.bin -semihosting-config enable=on,target=native` with QEMU's
 * working directory holding bl33.bin. It loads bl33.bin by semihosting to
 * BL33_BASE and enters its first byte the way TF-A PLAT=qemu does: at EL2h
 * (from EL3 when QEMU starts there, secure=on; EL1h when the CPU has no EL2),
 * non-secure, DAIF masked, x0-x3 = 0,
 * SP = 0, the DTB left where QEMU put it (the base of RAM). It provides no
 * PSCI: QEMU's own (secure=off,virtualization=on: /psci method "smc", as
 * TF-A's BL2 writes it), or none at all with secure=on. On any failure it
 * says why by semihosting and makes QEMU exit with status 1. From EL3 it
 * also says on the secure UART which of TF-A's other images (bl2.bin,
 * bl31.bin, bl32.bin, bl32_extra1.bin, bl32_extra2.bin) semihosting finds,
 * so a test can tell what QEMU's working directory held.
 */

#define BL33_BASE	0x60000000
/* Parameter blocks for semihosting calls, in RAM just below BL33. */
#define SCRATCH		(BL33_BASE - 0x100)

/* Semihosting (ARM IHI 0056) operations and exit reasons. */
#define SYS_OPEN	0x01
#define SYS_CLOSE	0x02
#define SYS_WRITE0	0x04
#define SYS_READ	0x06
#define SYS_FLEN	0x0c
#define SYS_EXIT	0x18
#define OPEN_MODE_RB	1
#define ADP_RUNTIME_ERROR 0x20023

/* SCR_EL3: NS, RES1 bits 5:4, SMC undefined (no monitor), HVC enabled, lower ELs AArch64. */
#define SCR_EL3_NS	((1 << 0) | (3 << 4) | (1 << 7) | (1 << 8) | (1 << 10))
#define SPSR_EL2H_DAIF	0x3c9
#define SPSR_EL1H_DAIF	0x3c5
#define PFR0_EL2_SHIFT	8

/* virt's secure-only PL011 (secure=on; ARM DDI 0183: data register, TX FIFO full flag). */
#define SECURE_UART	0x09040000
#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF_BIT 5

/*
 * QEMU virt's GIC (hw/arm/virt.c memory map, as TF-A's qemu platform_def.h
 * hard-codes it): from EL3 every interrupt is made non-secure Group 1, as
 * TF-A's BL31 leaves it, so the normal world can use them. Registers from
 * ARM IHI 0048 (v2) and IHI 0069 (v3).
 */
#define GICD_BASE	0x08000000
#define GICC_BASE	0x08010000
#define GICR_SGI_BASE	(0x080a0000 + 0x10000)	/* CPU 0's redistributor, SGI frame */
#define GICC_PMR	0x004
#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_IGROUPR	0x080
#define GICD_CTLR_V2_GRP0_GRP1	0x3
#define GICD_CTLR_V3_NS		((1 << 1) | (1 << 4) | (1 << 5))	/* Grp1NS, ARE_S, ARE_NS */
#define ICC_SRE_ALL	0xf
#define PFR0_GIC_SHIFT	24

.macro semihost op, arg
	mov	w0, #\op
	mov	x1, \arg
	hlt	#0xf000
.endm

	.section .text, "ax"
	.global	_start
_start:
	msr	daifset, #0xf
	ldr	x20, =SCRATCH

	/* handle = SYS_OPEN("bl33.bin", "rb") */
	adr	x2, name
	mov	x3, #OPEN_MODE_RB
	mov	x4, #(name_end - name)
	stp	x2, x3, [x20]
	str	x4, [x20, #16]
	semihost SYS_OPEN, x20
	cmn	x0, #1
	adr	x21, no_file
	b.eq	fail
	mov	x22, x0

	/* length = SYS_FLEN(handle) */
	str	x22, [x20]
	semihost SYS_FLEN, x20
	adr	x21, no_length
	cmp	x0, #0
	b.le	fail
	mov	x23, x0

	/* SYS_READ(handle, BL33_BASE, length) returns the bytes it did not read */
	ldr	x24, =BL33_BASE
	stp	x22, x24, [x20]
	str	x23, [x20, #16]
	semihost SYS_READ, x20
	adr	x21, short_read
	cbnz	x0, fail
	str	x22, [x20]
	semihost SYS_CLOSE, x20

	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #3
	b.ne	enter_at_el2

	/* EL3: the secure UART exists; name each other image semihosting finds */
	adr	x0, loaded
	bl	secure_puts
	adr	x26, optional
3:	ldrb	w0, [x26]
	cbz	w0, 6f
	mov	x4, xzr			/* x4 = strlen(x26) */
4:	ldrb	w0, [x26, x4]
	cbz	w0, 5f
	add	x4, x4, #1
	b	4b
5:	add	x27, x26, x4
	add	x27, x27, #1		/* the next name */
	mov	x3, #OPEN_MODE_RB
	stp	x26, x3, [x20]
	str	x4, [x20, #16]
	semihost SYS_OPEN, x20
	cmn	x0, #1
	b.eq	7f
	str	x0, [x20]
	semihost SYS_CLOSE, x20
	adr	x0, found
	bl	secure_puts
	mov	x0, x26
	bl	secure_puts
	adr	x0, newline
	bl	secure_puts
7:	mov	x26, x27
	b	3b
6:

	/* EL3: to non-secure EL2 (EL1 without EL2), GIC system registers usable. */
	mov	x0, #SCR_EL3_NS
	msr	scr_el3, x0
	msr	cptr_el3, xzr
	bl	gic_to_nonsecure
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #PFR0_EL2_SHIFT, #4
	mov	x1, #SPSR_EL1H_DAIF
	cbz	x0, 2f
	msr	sp_el2, xzr
	mov	x1, #SPSR_EL2H_DAIF
2:	msr	sp_el1, xzr
	msr	spsr_el3, x1
	msr	elr_el3, x24
	mov	x0, xzr
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	isb
	eret

enter_at_el2:
	mov	x0, xzr
	mov	sp, x0
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x24

/*
 * Every interrupt non-secure Group 1: IGROUPR all ones in the distributor
 * (SPIs; SGIs and PPIs too on v2, where they are banked per CPU) and, on v3
 * (GIC system registers implemented), in CPU 0's redistributor. On v2 the
 * priority mask too: a non-secure write cannot raise it from its reset value
 * 0 (IHI 0048B 4.4.2), so TF-A opens it. x0-x4.
 */
gic_to_nonsecure:
	ldr	x1, =GICD_BASE
	ldr	w2, [x1, #GICD_TYPER]
	and	w2, w2, #0x1f		/* ITLinesNumber: 32 * (N + 1) INTIDs */
	add	x3, x1, #GICD_IGROUPR
	mov	w4, #-1
1:	str	w4, [x3], #4
	subs	w2, w2, #1
	b.ge	1b
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #PFR0_GIC_SHIFT, #4
	cbnz	x0, 2f
	mov	w0, #GICD_CTLR_V2_GRP0_GRP1
	str	w0, [x1, #GICD_CTLR]
	ldr	x1, =GICC_BASE
	mov	w0, #0xff
	str	w0, [x1, #GICC_PMR]
	ret
2:	mov	x0, #ICC_SRE_ALL
	msr	S3_6_C12_C12_5, x0	/* ICC_SRE_EL3 */
	isb
	ldr	w0, [x1, #GICD_CTLR]
	mov	w2, #GICD_CTLR_V3_NS
	orr	w0, w0, w2
	str	w0, [x1, #GICD_CTLR]
	ldr	x1, =GICR_SGI_BASE
	str	w4, [x1, #GICD_IGROUPR]
	ret

/* x0 = NUL-terminated string, to the secure UART. x0-x3. */
secure_puts:
	ldr	x1, =SECURE_UART
1:	ldrb	w2, [x0], #1
	cbz	w2, 3f
2:	ldr	w3, [x1, #UART_FR]
	tbnz	w3, #UART_FR_TXFF_BIT, 2b
	str	w2, [x1, #UART_DR]
	b	1b
3:	ret

/* x21 = message: print it, then make QEMU exit with status 1. */
fail:
	adr	x25, prefix
	semihost SYS_WRITE0, x25
	semihost SYS_WRITE0, x21
	ldr	x2, =ADP_RUNTIME_ERROR
	mov	x3, #1
	stp	x2, x3, [x20]
	semihost SYS_EXIT, x20
1:	wfi
	b	1b

	.ltorg
name:	.ascii	"bl33.bin"
name_end:
	.byte	0
prefix:	.asciz	"bl1: "
loaded:	.asciz	"bl1: test stand-in at EL3: bl33.bin loaded to 0x60000000\n"
found:	.asciz	"bl1: found "
newline: .asciz	"\n"
/* TF-A's other images, each NUL-terminated; an empty name ends the list */
optional: .asciz "bl2.bin"
	.asciz	"bl31.bin"
	.asciz	"bl32.bin"
	.asciz	"bl32_extra1.bin"
	.asciz	"bl32_extra2.bin"
	.byte	0
no_file: .asciz	"cannot open bl33.bin in QEMU's working directory\n"
no_length: .asciz "bl33.bin is empty or its length unreadable\n"
short_read: .asciz "bl33.bin could not be read whole to 0x60000000 (is RAM at least 1 GiB?)\n"
