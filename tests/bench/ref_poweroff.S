/* SPDX-License-Identifier: MIT */
/* Reference guest "floor": power off with PSCI at once (QEMU start -> exit). */
	.text
	.globl _start
_start:
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc	#0
1:	wfe
	b	1b
