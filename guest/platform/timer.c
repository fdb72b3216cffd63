/* SPDX-License-Identifier: MIT */
/*
 * The ARM generic timer seen from EL1: the virtual counter (CNTVCT_EL0) for
 * time, and the virtual timer's PPI from the DT's /timer node for interrupts.
 */
#include <errno.h>
#include <libfdt.h>

#include "arch/aarch64/io.h"
#include "arch/aarch64/sysreg.h"
#include "platform/gic.h"
#include "platform/internal.h"
#include "platform/platform.h"

/* The DT binding (arm,arch_timer.yaml) lists secure, non-secure, virtual, hyp. */
#define TIMER_IRQ_VIRT 2

static uint64_t freq;
static int virt_intid = -ENODEV;

/* ISB so the read is not hoisted above earlier instructions (ARM ARM D11.2.2). */
uint64_t timer_count(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t timer_freq(void)
{
	return freq;
}

uint64_t timer_now_us(void)
{
	uint64_t c = timer_count();

	if (!freq)
		return 0;
	/* Split to avoid overflowing c * 1e6 (after ~5 min at 62.5 MHz). */
	return (c / freq) * 1000000ULL + (c % freq) * 1000000ULL / freq;
}

void timer_delay_us(uint64_t us)
{
	uint64_t start = timer_count();
	uint64_t ticks = freq / 1000000ULL * us + (freq % 1000000ULL) * us / 1000000ULL;

	while (timer_count() - start < ticks)
		;
}

int timer_virt_intid(void)
{
	return virt_intid;
}

/* The virtual timer's PPI, from /timer's interrupts property. */
static int find_virt_intid(void)
{
	const fdt32_t *irqs;
	int node, len, cells;

	node = dt_find_compatible(-1, "arm,armv8-timer");
	if (node < 0)
		node = dt_find_compatible(-1, "arm,armv7-timer");
	if (node < 0)
		return -ENODEV;
	cells = dt_interrupt_cells(node);
	if (cells < 0)
		return cells;
	irqs = dt_getprop(node, "interrupts", &len);
	if (!irqs || len < 0)
		return -ENOENT;
	if ((size_t)len < (size_t)(TIMER_IRQ_VIRT + 1) * cells * sizeof(*irqs))
		return -EINVAL;
	return gic_dt_intid(irqs + TIMER_IRQ_VIRT * cells, cells);
}

int timer_init(void)
{
	freq = read_sysreg(cntfrq_el0) & 0xffffffffULL;
	if (freq == 0)
		return -ENODEV;
	/* A missing timer interrupt only matters to the irq test. */
	virt_intid = find_virt_intid();
	return 0;
}

void timer_virt_arm(uint64_t ticks)
{
	write_sysreg(cntv_tval_el0, ticks);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_virt_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

uint64_t timer_virt_ctl(void)
{
	return read_sysreg(cntv_ctl_el0);
}

int timer_virt_rounds(unsigned int rounds, uint64_t us)
{
	uint64_t ticks = us * freq / 1000000 + 1;

	for (unsigned int i = 0; i < rounds; i++) {
		uint64_t start = timer_now_us();

		write_sysreg(cntv_tval_el0, ticks);
		write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
		isb();
		while (!(read_sysreg(cntv_ctl_el0) & CNTV_CTL_ISTATUS)) {
			if (timer_now_us() - start > 1000 * us) {
				timer_virt_stop();
				return -ETIMEDOUT;
			}
		}
	}
	timer_virt_stop();
	return 0;
}
