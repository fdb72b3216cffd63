/* SPDX-License-Identifier: MIT */
/* Exception entry: the saved context and the hooks the layers above install. */
#ifndef ARCH_EXCEPTION_H
#define ARCH_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/layout.h"

struct exc_regs {
	uint64_t x[31]; /* x0..x30; x29 is the frame pointer, x30 LR */
	uint64_t sp;	/* SP at the time of the exception */
	uint64_t elr, spsr, esr, far;
};

/* vectors.S saves and restores the frame by layout.h's offsets. */
_Static_assert(sizeof(struct exc_regs) == EXC_REGS_SIZE, "EXC_REGS_SIZE");
_Static_assert(offsetof(struct exc_regs, sp) == EXC_REGS_SP, "EXC_REGS_SP");
_Static_assert(offsetof(struct exc_regs, elr) == EXC_REGS_ELR, "EXC_REGS_ELR");
_Static_assert(offsetof(struct exc_regs, spsr) == EXC_REGS_SPSR, "EXC_REGS_SPSR");
_Static_assert(offsetof(struct exc_regs, esr) == EXC_REGS_ESR, "EXC_REGS_ESR");
_Static_assert(offsetof(struct exc_regs, far) == EXC_REGS_FAR, "EXC_REGS_FAR");

/*
 * Vector kinds passed to exc_dispatch (vectors.S): 4 * group + type, groups
 * current-EL/SP_EL0, current-EL/SP_ELx, lower-EL AArch64, lower-EL AArch32,
 * types sync, irq, fiq, serror. All our code runs on SP_EL0 (entry.S), so
 * the first group is where exceptions arrive; the second means an exception
 * while handling one (on the exception stack), never returned from.
 */
#define EXC_KIND_SYNC	      0
#define EXC_KIND_IRQ	      1
#define EXC_KIND_FIQ	      2
#define EXC_KIND_SERROR	      3
#define EXC_KIND_NESTED(kind) ((kind) / 4 == 1)

/* ESR_EL1 exception classes used by tests and reports. */
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN	0x00
#define ESR_EC_SVC64	0x15
#define ESR_EC_HVC64	0x16
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_BRK64	0x3c

#define EXC_BACKTRACE_MAX 16

/* "sync", "irq", "fiq", "serror", with the group for the unusual ones. */
const char *exc_kind_name(unsigned int kind);

/*
 * Called for every exception not consumed by the IRQ hook (synchronous ones,
 * IRQs nobody expects, FIQ, SError), on the exception stack of the CPU that
 * took it. Return to resume at regs->elr with regs->sp and regs->spsr (all
 * of which the handler may change). Without a handler, and for nested
 * exceptions, the fallback report below is printed and the machine stopped.
 */
typedef void (*exc_handler_t)(struct exc_regs *regs, unsigned int kind);
void exc_set_handler(exc_handler_t handler);

/* IRQ hook for the GIC driver / irq test. */
typedef void (*exc_irq_handler_t)(void);
void exc_set_irq_handler(exc_irq_handler_t handler);

/*
 * Where the fallback report goes and how to stop: the platform registers its
 * UART and power-off (arch calls nothing above it). Before that, or when
 * @off returns, the CPU stops with interrupts masked.
 */
void exc_set_fallback(void (*write)(const char *buf, size_t len), void (*off)(void));

/*
 * Accesses that may fault (probe.S): a synchronous exception on one resumes
 * at its fixup, whatever handler is installed, and the call fails.
 * arch_probe_read32: 0 with *val read, or -1 when there is nothing at @addr.
 * arch_semihost: 0 with the call's result in *ret, or -1 when semihosting is
 * off (its HLT is then an undefined instruction).
 */
int arch_probe_read32(uintptr_t addr, uint32_t *val);
int arch_semihost(uint64_t op, uint64_t arg, uint64_t *ret);

/*
 * Walk the frame-pointer chain from @fp, storing up to @max return addresses
 * in @pcs; every frame record must lie inside one per-CPU stack (checked
 * before reading it). Stops at fp 0, a zero LR or a frame that does not move
 * outwards; each stored pc is the call instruction (LR - 4).
 */
size_t arch_backtrace(uint64_t fp, uint64_t *pcs, size_t max);

#endif
