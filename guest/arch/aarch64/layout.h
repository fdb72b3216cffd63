/* SPDX-License-Identifier: MIT */
/*
 * Image layout constants shared by entry.S, C and linker/guest.ld.S (which
 * includes this file through the preprocessor: plain #defines only above the
 * C part).
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/*
 * Link address: where QEMU's ELF loader puts the ELF, 2 MiB above the RAM
 * base of `virt`, so that its 1 MiB DTB fits below. The image is position
 * independent (entry.S relocates it), so it runs wherever it is loaded.
 */
#define ARCH_LINK_BASE 0x40200000
/* Room for the packed relocations (linker/relr.sh fails the build past it). */
#define ARCH_RELR_MAX 128
/* The boot page tables cover an image spanning at most two 1 GiB blocks. */
#define ARCH_IMAGE_MAX 0x40000000

#define ARCH_MAX_CPUS 9 /* boot CPU + up to 8 secondaries */

/*
 * Each CPU's stack slot, lowest address first: an unmapped guard page, the
 * exception stack (SP_EL1, used only by the vectors), another guard page,
 * the stack everything else runs on (SP_EL0). An overflow of either stack
 * faults on its guard page instead of writing over its neighbour (.bss below
 * CPU 0's slot), and the fault is handled on the other, intact stack.
 */
#define ARCH_GUARD_SIZE	    0x1000
#define ARCH_EXC_STACK_SIZE 0x2000
#define ARCH_STACK_SIZE	    0x4000
#define ARCH_EXC_STACK_OFF  ARCH_GUARD_SIZE
#define ARCH_STACK_OFF	    (2 * ARCH_GUARD_SIZE + ARCH_EXC_STACK_SIZE)
#define ARCH_CPU_SLOT_SIZE  (ARCH_STACK_OFF + ARCH_STACK_SIZE)

/*
 * Bytes of struct exc_regs (exception.h): x0-x30, sp, elr, spsr, esr, far,
 * for vectors.S; exception.h checks them against the struct.
 */
#define EXC_REGS_SIZE 288
#define EXC_REGS_SP   248
#define EXC_REGS_ELR  256
#define EXC_REGS_SPSR 264
#define EXC_REGS_ESR  272
#define EXC_REGS_FAR  280

#ifndef __ASSEMBLY__
#include <stdint.h>

extern char __image_start[], __image_end[];
extern char __stacks_start[], __stacks_end[];
extern char __tls_blocks[], __tls_stride[];
#endif

#endif
