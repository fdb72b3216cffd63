/* SPDX-License-Identifier: MIT */
/*
 * Exception dispatch (called from vectors.S), the fallback crash report for
 * exceptions nobody handles, and the frame-pointer backtrace the runner
 * reuses for its own reports.
 */
#include "arch/aarch64/exception.h"

#include <stddef.h>

#include "arch/aarch64/layout.h"
#include "arch/aarch64/sysreg.h"

static volatile exc_handler_t handler;
static volatile exc_irq_handler_t irq_handler;
static void (*fallback_write)(const char *buf, size_t len);
static void (*fallback_off)(void);

void exc_set_handler(exc_handler_t h)
{
	handler = h;
}

void exc_set_irq_handler(exc_irq_handler_t h)
{
	irq_handler = h;
}

void exc_set_fallback(void (*write)(const char *buf, size_t len), void (*off)(void))
{
	fallback_write = write;
	fallback_off = off;
}

const char *exc_kind_name(unsigned int kind)
{
	static const char *const names[16] = {
		"sync",
		"irq",
		"fiq",
		"serror",
		"nested sync",
		"nested irq",
		"nested fiq",
		"nested serror",
		"sync (lower EL)",
		"irq (lower EL)",
		"fiq (lower EL)",
		"serror (lower EL)",
		"sync (AArch32)",
		"irq (AArch32)",
		"fiq (AArch32)",
		"serror (AArch32)",
	};

	return names[kind & 15];
}

/* The stack (0) or exception stack (1) region holding @addr, or -1. */
static int stack_region(uint64_t addr)
{
	uint64_t lo = (uintptr_t)__stacks_start, off;

	if (addr < lo || addr >= (uintptr_t)__stacks_end)
		return -1;
	off = (addr - lo) % ARCH_CPU_SLOT_SIZE;
	if (off >= ARCH_STACK_OFF)
		return 0;
	if (off >= ARCH_EXC_STACK_OFF && off < ARCH_EXC_STACK_OFF + ARCH_EXC_STACK_SIZE)
		return 1;
	return -1;
}

/* True when the 16-byte frame record at @fp lies wholly inside one stack. */
static bool frame_in_stack(uint64_t fp)
{
	int r = stack_region(fp);

	return r >= 0 && (fp & 7) == 0 && stack_region(fp + 15) == r &&
	       (fp - (uintptr_t)__stacks_start) / ARCH_CPU_SLOT_SIZE ==
		       (fp + 15 - (uintptr_t)__stacks_start) / ARCH_CPU_SLOT_SIZE;
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
struct out {
	char buf[512];
	size_t len;
};

static void put_str(struct out *o, const char *s)
{
	while (*s && o->len < sizeof(o->buf))
		o->buf[o->len++] = *s++;
}

static void put_hex(struct out *o, uint64_t v)
{
	int i = 60;

	put_str(o, "0x");
	/* Drop leading zeros but keep at least one digit. */
	while (i > 0 && !((v >> i) & 0xf))
		i -= 4;
	for (; i >= 0 && o->len < sizeof(o->buf); i -= 4)
		o->buf[o->len++] = "0123456789abcdef"[(v >> i) & 0xf];
}

/*
 * The same lines the runner sends for a crash (docs/protocol.md), with the
 * kind and CPU, on the fallback output.
 */
static void fallback_report(const struct exc_regs *regs, unsigned int kind)
{
	uint64_t pcs[EXC_BACKTRACE_MAX];
	struct out o = { .len = 0 };
	size_t i, n;

	put_str(&o, "# exception: ESR=");
	put_hex(&o, regs->esr);
	put_str(&o, " ELR=");
	put_hex(&o, regs->elr);
	put_str(&o, " FAR=");
	put_hex(&o, regs->far);
	put_str(&o, " LR=");
	put_hex(&o, regs->x[30]);
	put_str(&o, " ");
	put_str(&o, exc_kind_name(kind));
	put_str(&o, " cpu ");
	put_hex(&o, arch_cpu_index());
	put_str(&o, "\n# backtrace: ");
	put_hex(&o, regs->elr);
	n = arch_backtrace(regs->x[29], pcs, EXC_BACKTRACE_MAX);
	for (i = 0; i < n; i++) {
		put_str(&o, " ");
		put_hex(&o, pcs[i]);
	}
	put_str(&o, "\n# unhandled exception: stopping\n");
	if (fallback_write)
		fallback_write(o.buf, o.len);
}

/* probe.S: pairs of (instruction that may fault, where to resume instead). */
extern const uintptr_t arch_probe_fixups[], arch_probe_fixups_end[];

static bool probe_fixup(struct exc_regs *regs, unsigned int kind)
{
	const uintptr_t *f;

	if (kind != EXC_KIND_SYNC)
		return false;
	for (f = arch_probe_fixups; f < arch_probe_fixups_end; f += 2) {
		if (regs->elr == f[0]) {
			regs->elr = f[1];
			return true;
		}
	}
	return false;
}

void exc_dispatch(struct exc_regs *regs, unsigned int kind);

void exc_dispatch(struct exc_regs *regs, unsigned int kind)
{
	exc_handler_t h = handler;
	exc_irq_handler_t irq = irq_handler;

	if (probe_fixup(regs, kind))
		return;
	if (kind == EXC_KIND_IRQ && irq) {
		irq();
		return;
	}
	if (h && !EXC_KIND_NESTED(kind)) {
		h(regs, kind);
		return;
	}
	fallback_report(regs, kind);
	if (fallback_off)
		fallback_off();
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}
