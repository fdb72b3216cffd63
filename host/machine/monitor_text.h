/* SPDX-License-Identifier: MIT */
/*
 * QEMU's human monitor output read back: `info registers` of an AArch64
 * CPU and the words `x /Ngx ADDR` prints. QEMU is trusted no more than the
 * guest: a line that is not exactly what QEMU 7.2 prints is refused.
 */
#ifndef HOST_MACHINE_MONITOR_TEXT_H
#define HOST_MACHINE_MONITOR_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* The registers a hang report shows of one CPU. */
struct cpu_regs {
	int cpu; /* the "CPU#N" line */
	uint64_t pc, sp, pstate;
	uint64_t x29, x30; /* the frame pointer and the link register */
	char el[8];	   /* the mode as QEMU prints it: "EL1h", "EL0t" */
};

/*
 * `info registers` (AArch64: "CPU#N", " PC=... X00=...", "X29=... X30=...
 * SP=...", "PSTATE=... NZCV ELnx"): 0, or -EPROTO when a field is missing
 * or malformed (an AArch32 CPU, another QEMU's format, an error message).
 */
int monitor_parse_registers(const char *text, struct cpu_regs *r);
/*
 * `x /Ngx ADDR` output ("ADDR: 0xWORD 0xWORD" lines): the @n words from
 * @addr on into @w. 0, or -EFAULT when QEMU could not read them ("Cannot
 * access memory"), -EPROTO for anything else unexpected.
 */
int monitor_parse_words(const char *text, uint64_t addr, uint64_t *w, size_t n);

#endif
