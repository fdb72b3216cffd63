/* SPDX-License-Identifier: MIT */
/*
 * Instructions that may fault, each with a fixup exc_dispatch resumes at:
 * reading a word where a DTB might be (x0 can be anything), and semihosting,
 * which is an undefined instruction when QEMU has it turned off.
 */
	.text

/* int arch_probe_read32(uintptr_t addr, uint32_t *val): 0, or -1 when it faulted */
	.global	arch_probe_read32
	.type	arch_probe_read32, %function
arch_probe_read32:
.Lread:	ldr	w2, [x0]
	str	w2, [x1]
	mov	x0, #0
	ret
.Lread_fault:
	mov	x0, #-1
	ret
	.size	arch_probe_read32, . - arch_probe_read32

/*
 * int arch_semihost(uint64_t op, uint64_t arg, uint64_t *ret): 0 with the
 * call's x0 in *ret, or -1 when semihosting is off (HLT trapped).
 */
	.global	arch_semihost
	.type	arch_semihost, %function
arch_semihost:
	mov	x3, x2
.Lhlt:	hlt	#0xf000
	str	x0, [x3]
	mov	x0, #0
	ret
.Lhlt_fault:
	mov	x0, #-1
	ret
	.size	arch_semihost, . - arch_semihost

	.section .rodata.probe_fixups, "a"
	.balign	8
	.global	arch_probe_fixups, arch_probe_fixups_end
arch_probe_fixups:
	.quad	.Lread, .Lread_fault
	.quad	.Lhlt, .Lhlt_fault
arch_probe_fixups_end:
