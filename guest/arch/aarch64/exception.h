/* SPDX-License-Identifier: MIT */
/* Exception entry: the saved context and the hook the runner installs. */
#ifndef ARCH_EXCEPTION_H
#define ARCH_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exc_regs {
	uint64_t x[31];		/* x0..x30; x29 is the frame pointer */
	uint64_t sp;		/* SP at the time of the exception */
	uint64_t elr, spsr, esr, far;
};

/*
 * Vector kinds passed to exc_dispatch (vectors.S): 4 * group + type, groups
 * current-EL/SP_EL0, current-EL/SP_ELx, lower-EL AArch64, lower-EL AArch32,
 * types sync, irq, fiq, serror. We always run on SP_EL1, so the interesting
 * ones are these two.
 */
#define EXC_KIND_SYNC 4
#define EXC_KIND_IRQ  5

/* ESR_EL1 exception classes used by tests and reports. */
#define ESR_EC(esr)        (((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN     0x00
#define ESR_EC_SVC64       0x15
#define ESR_EC_HVC64       0x16
#define ESR_EC_IABT_CUR    0x21
#define ESR_EC_PC_ALIGN    0x22
#define ESR_EC_DABT_CUR    0x25
#define ESR_EC_SP_ALIGN    0x26
#define ESR_EC_BRK64       0x3c

#define EXC_BACKTRACE_MAX 16

/*
 * Print `# exception: <kind> ESR=.. ELR=.. FAR=..` and `# backtrace: ELR pc..`
 * on the UART without the C library, for exceptions nobody handles.
 * arch_backtrace() below checks every frame record lies inside the per-CPU
 * stacks before reading it, and stops at fp 0, a zero LR or a frame that does
 * not move outwards; each stored pc is the call instruction (LR - 4).
 */
void exc_report(const struct exc_regs *regs, unsigned int kind);

/*
 * Called for every synchronous exception taken at EL1. Return to resume at
 * regs->elr (which the handler may change); an unhandled exception prints the
 * report on the UART and powers off.
 */
typedef void (*exc_sync_handler_t)(struct exc_regs *regs);
void exc_set_sync_handler(exc_sync_handler_t handler);

/* IRQ hook for the GIC driver / irq test. */
typedef void (*exc_irq_handler_t)(void);
void exc_set_irq_handler(exc_irq_handler_t handler);

/*
 * Walk the frame-pointer chain from @fp, storing up to @max return addresses
 * in @pcs; stops at the first frame pointer outside the stacks. Returns the
 * number stored.
 */
size_t arch_backtrace(uint64_t fp, uint64_t *pcs, size_t max);

#endif
