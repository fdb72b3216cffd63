/* SPDX-License-Identifier: MIT */
/*
 * The fixture suite: known outcomes for exercising runners and harnesses.
 * Every test is .manual: never in the default set, run only when selected.
 */
#include <stdint.h>

#include "arch/aarch64/io.h"
#include "platform/gic.h"
#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/boottest.h"
#include "runner/framework.h"
#include "tests/flood.h"

/* Beyond the 39-bit input address range: a translation fault at level 0. */
#define UNMAPPED_ADDRESS 0x0000400000000000ULL

BOOT_TEST(fixture, pass, .manual = true)
{
	EXPECT_EQ(1 + 1, 2);
}

BOOT_TEST(fixture, fail, .manual = true)
{
	EXPECT_EQ(1 + 1, 3);
}

/* Two failed assertions: both must be reported, not only the last. */
BOOT_TEST(fixture, fail_twice, .manual = true)
{
	EXPECT_EQ(1 + 1, 3);
	EXPECT_TRUE(2 < 1);
}

BOOT_TEST(fixture, crash, .manual = true)
{
	volatile uint64_t *p = (volatile uint64_t *)UNMAPPED_ADDRESS;

	(void)*p;
	bt_log("fixture.crash: the load above should have faulted");
}

/* The line must reach the host although the test never ends. */
BOOT_TEST(fixture, hang, .manual = true)
{
	bt_log("fixture.hang: last words before hanging");
	for (;;)
		__asm__ volatile("wfe");
}

/* Each level keeps 1 KiB live on the stack: 100 levels are 100 KiB. */
static unsigned int recurse(unsigned int depth)
{
	volatile uint8_t buf[1024];

	buf[0] = (uint8_t)depth;
	buf[sizeof(buf) - 1] = (uint8_t)depth;
	if (depth == 0)
		return buf[0];
	return recurse(depth - 1) + buf[sizeof(buf) - 1];
}

/* Far deeper than the 16 KiB stack: must fault on the guard page below it. */
BOOT_TEST(fixture, stack_overflow, .manual = true)
{
	unsigned int r = recurse(100);

	bt_log("fixture.stack_overflow: 100 KiB of stack used without a fault (%u)", r);
}

/* The virtual timer's interrupt with no handler installed: must end the run. */
BOOT_TEST(fixture, unhandled_irq, .manual = true)
{
	int intid = timer_virt_intid();

	ASSERT_GE(intid, 16);
	ASSERT_EQ(gic_ppi_enable((unsigned int)intid, true), 0);
	timer_virt_arm(timer_freq() / 1000);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	timer_delay_us(500000);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	timer_virt_stop();
	bt_log("fixture.unhandled_irq: no interrupt within 500 ms");
}

static void load_unmapped(unsigned int cpu, void *arg)
{
	(void)cpu;
	*(volatile uint64_t *)arg = *(volatile uint64_t *)UNMAPPED_ADDRESS;
}

/* A fault on a secondary CPU: reported by the boot CPU, never longjmp'd to. */
BOOT_TEST(fixture, secondary_crash, .manual = true, .cpus = 2)
{
	uint64_t mpidrs[SMP_MAX_CPUS], boot = smp_this_mpidr(), sink = 0;
	int n = dt_cpus(mpidrs, SMP_MAX_CPUS), i;

	for (i = 0; i < n && mpidrs[i] == boot; i++)
		;
	ASSERT_LT(i, n);
	if (!psci_version())
		bt_skip("no PSCI to start a second CPU with");
	ASSERT_EQ(smp_start(1, mpidrs[i], load_unmapped, &sink), 0);
	bt_log("fixture.secondary_crash: CPU 1 done: %d", smp_wait_done(1, 2000000));
}

/* Lines "# flood 0000abcd xxxx...x\n", FLOOD_BYTES of them (tests/flood.h). */
BOOT_TEST(fixture, flood, .manual = true)
{
	flood_lines(bt_log_raw);
}
