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
