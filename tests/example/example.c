/* SPDX-License-Identifier: MIT */
/*
 * An out-of-tree boot-test suite, as an OS repository would keep it: built
 * into an image by `make EXTRA_TESTS=tests/example` and by the SDK (Makefile
 * and CMakeLists.txt here), run by tests/e2e/out_of_tree.sh.
 */
#include <stdint.h>

#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/boottest.h"

/* What the suite's setup prepares for every test of the suite. */
static uint32_t prepared;

static void example_setup(void)
{
	prepared = 0x600d;
	bt_log("example: setup");
}

static void example_teardown(void)
{
	bt_log("example: teardown");
}

BOOT_SUITE(example, .setup = example_setup, .teardown = example_teardown);

BOOT_TEST(example, passes)
{
	EXPECT_EQ(prepared, 0x600d);
}

static void release(void *what)
{
	bt_log("example: released %s", (const char *)what);
}

/* Whatever a test takes, it gives back through a cleanup, however it ends. */
BOOT_TEST(example, cleans_up)
{
	bt_defer(release, "the buffer");
	ASSERT_TRUE(prepared != 0);
}

static void count_on(unsigned int cpu, void *arg)
{
	(void)cpu;
	__atomic_fetch_add((uint32_t *)arg, 1, __ATOMIC_RELEASE);
}

/* Runs on a second CPU; on a machine with one it skips saying so. */
BOOT_TEST(example, second_cpu, .cpus = 2)
{
	uint64_t mpidrs[SMP_MAX_CPUS], boot = smp_this_mpidr();
	uint32_t ran = 0;
	int n = dt_cpus(mpidrs, SMP_MAX_CPUS), i;

	for (i = 0; i < n && mpidrs[i] == boot; i++)
		;
	ASSERT_LT(i, n);
	ASSERT_EQ(smp_start(1, mpidrs[i], count_on, &ran), 0);
	ASSERT_EQ(smp_wait_done(1, 1000000), 0);
	EXPECT_EQ(__atomic_load_n(&ran, __ATOMIC_ACQUIRE), 1);
}

/*
 * Never in the default set; when selected by name it hangs until a timeout
 * stops it: its own 2 s, for a harness that reads the catalogue's options.
 */
BOOT_TEST(example, hangs, .manual = true, .timeout_s = 2)
{
	bt_log("example.hangs: waiting forever");
	for (;;)
		__asm__ volatile("wfe");
}
