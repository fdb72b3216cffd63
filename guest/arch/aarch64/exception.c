/* SPDX-License-Identifier: MIT */
/*
 * Exception dispatch (called from vectors.S), the crash report on the UART,
 * and the frame-pointer backtrace the runner reuses for its own reports.
 */
#include "arch/aarch64/exception.h"

#include <stddef.h>

#include "arch/aarch64/layout.h"
#include "platform/platform.h"

static volatile exc_sync_handler_t sync_handler;
static volatile exc_irq_handler_t irq_handler;

void exc_set_sync_handler(exc_sync_handler_t handler)
{
	sync_handler = handler;
}

void exc_set_irq_handler(exc_irq_handler_t handler)
{
	irq_handler = handler;
}

/* True when the 16-byte frame record at @fp lies wholly inside one CPU stack. */
static bool frame_in_stack(uint64_t fp)
{
	uint64_t lo = (uintptr_t)__stacks_start, hi = (uintptr_t)__stacks_end;

	return fp >= lo && fp < hi - 16 && (fp & 7) == 0 &&
	       (fp - lo) / ARCH_STACK_SIZE == (fp + 15 - lo) / ARCH_STACK_SIZE;
}

size_t arch_backtrace(uint64_t fp, uint64_t *pcs, size_t max)
{
	size_t n = 0;

	while (n < max && frame_in_stack(fp)) {
		const uint64_t *rec = (const uint64_t *)(uintptr_t)fp;
		uint64_t next = rec[0], lr = rec[1];

		if (lr == 0)
			break;
		/* lr points after the bl; report the call itself. */
		pcs[n++] = lr - 4;
		/* Frames grow towards higher addresses as we unwind: stops loops. */
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

/* Crash output without printf: the C library's state may be what broke. */
static void put_str(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	uart_write(s, n);
}

static void put_hex(uint64_t v)
{
	char buf[18];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	/* Drop leading zeros but keep at least one digit. */
	for (i = 2; i < 17 && buf[i] == '0'; i++)
		;
	uart_write(buf, 2);
	uart_write(buf + i, 18 - i);
}

static const char *const kind_names[16] = {
	"sync (SP_EL0)", "irq (SP_EL0)", "fiq (SP_EL0)", "serror (SP_EL0)",
	"sync", "irq", "fiq", "serror",
	"sync (lower EL)", "irq (lower EL)", "fiq (lower EL)", "serror (lower EL)",
	"sync (AArch32)", "irq (AArch32)", "fiq (AArch32)", "serror (AArch32)",
};

void exc_report(const struct exc_regs *regs, unsigned int kind)
{
	uint64_t pcs[EXC_BACKTRACE_MAX];
	size_t i, n;

	put_str("# exception: ");
	put_str(kind_names[kind & 15]);
	put_str(" ESR=");
	put_hex(regs->esr);
	put_str(" ELR=");
	put_hex(regs->elr);
	put_str(" FAR=");
	put_hex(regs->far);
	put_str("\n# backtrace: ");
	put_hex(regs->elr);
	n = arch_backtrace(regs->x[29], pcs, EXC_BACKTRACE_MAX);
	for (i = 0; i < n; i++) {
		put_str(" ");
		put_hex(pcs[i]);
	}
	put_str("\n");
}

void exc_dispatch(struct exc_regs *regs, unsigned int kind);

void exc_dispatch(struct exc_regs *regs, unsigned int kind)
{
	exc_sync_handler_t sync = sync_handler;
	exc_irq_handler_t irq = irq_handler;

	if (kind == EXC_KIND_SYNC && sync) {
		sync(regs);
		return;
	}
	if (kind == EXC_KIND_IRQ && irq) {
		irq();
		return;
	}
	exc_report(regs, kind);
	put_str("# unhandled exception: powering off\n");
	psci_system_off();
}
