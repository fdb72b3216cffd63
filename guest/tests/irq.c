/* SPDX-License-Identifier: MIT */
/* selftest.irq: the virtual timer's interrupt arrives through the GIC the DT names. */
#include "arch/aarch64/exception.h"
#include "arch/aarch64/io.h"
#include "platform/gic.h"
#include "platform/platform.h"
#include "runner/boottest.h"

#define WAIT_US 500000

static volatile unsigned int timer_irqs, other_irqs;
static volatile uint32_t last_intid;
static int timer_intid;

static void irq_handler(void)
{
	uint32_t intid = gic_ack();

	if (intid == GIC_SPURIOUS)
		return;
	last_intid = intid;
	if (intid == (uint32_t)timer_intid) {
		/* Level-triggered: silence the source before EOI. */
		timer_virt_stop();
		timer_irqs++;
	} else {
		other_irqs++;
	}
	gic_eoi(intid);
}

/* However the test ends: IRQs masked, the timer quiet, no handler left behind. */
static void irq_cleanup(void *arg)
{
	(void)arg;
	__asm__ volatile("msr daifset, #2" ::: "memory");
	timer_virt_stop();
	EXPECT_EQ(gic_ppi_enable((unsigned int)timer_intid, false), 0);
	exc_set_irq_handler(NULL);
}

BOOT_TEST(selftest, irq)
{
	uint64_t start;
	int ret;

	timer_intid = timer_virt_intid();
	ASSERT_GE(timer_intid, 16);
	ASSERT_TRUE(gic_version() == 2 || gic_version() == 3);
	bt_log("GICv%d, virtual timer INTID %d", gic_version(), timer_intid);

	timer_irqs = 0;
	other_irqs = 0;
	exc_set_irq_handler(irq_handler);
	bt_defer(irq_cleanup, NULL);
	ret = gic_ppi_enable((unsigned int)timer_intid, true);
	ASSERT_EQ(ret, 0);

	/* 1 ms from now, then unmask IRQs and wait for it. */
	timer_virt_arm(timer_freq() / 1000);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	start = timer_now_us();
	/*
	 * Spin, not wfi: an interrupt taken between the check and a wfi
	 * would leave nothing to wake us, and a missing one must fail the
	 * test, not hang it.
	 */
	while (!timer_irqs && timer_now_us() - start < WAIT_US)
		__asm__ volatile("yield");
	irq_cleanup(NULL);

	EXPECT_EQ(timer_irqs, 1);
	EXPECT_EQ(other_irqs, 0);
	EXPECT_EQ(last_intid, (uint32_t)timer_intid);
}
