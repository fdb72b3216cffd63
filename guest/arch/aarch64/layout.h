/* SPDX-License-Identifier: MIT */
/* Image layout constants shared by entry.S, C and (by hand) linker/guest.ld. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define ARCH_MAX_CPUS   9		/* boot CPU + up to 8 secondaries */

/*
 * Each CPU's stack slot, lowest address first: an unmapped guard page, the
 * exception stack (SP_EL1, used only by the vectors), another guard page,
 * the stack everything else runs on (SP_EL0). An overflow of either stack
 * faults on its guard page instead of writing over its neighbour (.bss below
 * CPU 0's slot), and the fault is handled on the other, intact stack.
 */
#define ARCH_GUARD_SIZE     0x1000
#define ARCH_EXC_STACK_SIZE 0x2000
#define ARCH_STACK_SIZE     0x4000	/* linker/guest.ld STACK_SIZE */
#define ARCH_EXC_STACK_OFF  ARCH_GUARD_SIZE
#define ARCH_STACK_OFF      (2 * ARCH_GUARD_SIZE + ARCH_EXC_STACK_SIZE)
#define ARCH_CPU_SLOT_SIZE  (ARCH_STACK_OFF + ARCH_STACK_SIZE)	/* linker/guest.ld */

/* Bytes of struct exc_regs (exception.h): x0-x30, sp, elr, spsr, esr, far. */
#define EXC_REGS_SIZE   288
#define EXC_REGS_SP     248
#define EXC_REGS_ELR    256
#define EXC_REGS_SPSR   264
#define EXC_REGS_ESR    272
#define EXC_REGS_FAR    280

#ifndef __ASSEMBLY__
#include <stdint.h>

extern char __image_start[], __image_end[];
extern char __stacks_start[], __stacks_end[];
extern char __tls_blocks[], __tls_stride[];
#endif

#endif
