/* SPDX-License-Identifier: MIT */
/*
 * Reference guest "semihosting": the channel Trusty used before testrunner0. Writes 4 MiB
 * to the semihosting console in 62-byte SYS_WRITE calls (Trusty's frame
 * payload size), then powers off.
 */
#define SYS_OPEN	0x01
#define SYS_WRITE	0x05
#define TOTAL		(4 * 1024 * 1024)
#define CHUNK		62

	.text
	.globl _start
_start:
	mov	w0, #SYS_OPEN
	adr	x1, open_block
	hlt	#0xf000
	adr	x1, write_block
	str	x0, [x1]		/* handle */
	ldr	x19, =TOTAL
1:	mov	x2, #CHUNK
	cmp	x19, x2
	csel	x2, x19, x2, lo
	str	x2, [x1, #16]		/* length */
	sub	x19, x19, x2
	mov	w0, #SYS_WRITE
	hlt	#0xf000
	adr	x1, write_block
	cbnz	x19, 1b
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc	#0
2:	wfe
	b	2b

	.data
	.balign 8
tt:	.asciz	":tt"
	.balign 8
open_block:
	.quad	tt, 4, 3		/* name, mode "w", strlen(":tt") */
write_block:
	.quad	0, payload, CHUNK	/* handle, buffer, length */
payload:
	.fill	CHUNK, 1, 'x'
