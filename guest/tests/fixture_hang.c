/* SPDX-License-Identifier: MIT */
/*
 * Fixtures that hang in a known place, for the host's hang report: on the
 * boot CPU a few named frames deep, and on a secondary CPU while the boot
 * CPU waits for it.
 */
#include <errno.h>
#include <stdint.h>

#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/boottest.h"
#include "runner/framework.h"

/*
 * noipa: neither inlined nor seen through (a function that never returns
 * would otherwise become a noreturn tail call and its caller's frame would
 * vanish); the counter after each call keeps the calls real calls.
 */
#define HANG_FN __attribute__((noinline, noipa))

static volatile unsigned int hang_depth;

/* The loop on one line: wherever in it the CPU is stopped, the report names that line. */
#define SPIN_FOR_EVER() __asm__ volatile("1: wfe\n\tb 1b" ::: "memory")

/* A leaf (no frame record of its own): its caller is found in LR. */
HANG_FN static void hang_spin(void)
{
	SPIN_FOR_EVER(); /* fixture.hang_deep spins here */
	__builtin_unreachable();
}

HANG_FN static void hang_level2(void)
{
	hang_spin();
	hang_depth++;
}

HANG_FN static void hang_level1(void)
{
	hang_level2();
	hang_depth++;
}

/* Three frames below the test: hang_spin <- hang_level2 <- hang_level1 <- the test. */
BOOT_TEST(fixture, hang_deep, .manual = true)
{
	bt_log("fixture.hang_deep: going three frames down to spin");
	hang_level1();
	hang_depth++;
}

HANG_FN static void hang_secondary_spin(void)
{
	SPIN_FOR_EVER(); /* fixture.hang_secondary's CPU 1 spins here */
	__builtin_unreachable();
}

static void hang_secondary_work(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	hang_secondary_spin();
	hang_depth++;
}

/* The work hangs on CPU 1; the boot CPU waits for it for ever. */
BOOT_TEST(fixture, hang_secondary, .manual = true, .cpus = 2)
{
	uint64_t mpidrs[SMP_MAX_CPUS], boot = smp_this_mpidr();
	int n = dt_cpus(mpidrs, SMP_MAX_CPUS), i, ret;

	for (i = 0; i < n && mpidrs[i] == boot; i++)
		;
	ASSERT_LT(i, n);
	if (!psci_version())
		bt_skip("no PSCI to start a second CPU with");
	ASSERT_EQ(smp_start(1, mpidrs[i], hang_secondary_work, NULL), 0);
	bt_log("fixture.hang_secondary: CPU 1 started, waiting for it");
	do
		ret = smp_wait_done(1, 1000000);
	while (ret == -ETIMEDOUT);
	bt_log("fixture.hang_secondary: CPU 1 done: %d", ret);
}
