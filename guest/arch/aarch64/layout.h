/* SPDX-License-Identifier: MIT */
/* Image layout constants shared by entry.S, C and (by hand) linker/guest.ld. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define ARCH_MAX_CPUS   9		/* boot CPU + up to 8 secondaries */
#define ARCH_STACK_SIZE 0x4000		/* per CPU, linker/guest.ld STACK_SIZE */

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
