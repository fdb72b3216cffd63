/* SPDX-License-Identifier: MIT */
/*
 * Known outcomes of the framework's hooks (tests/e2e/test_hooks.sh): cleanups
 * after an ASSERT and after a crash, a suite whose setup fails and one whose
 * setup skips. All manual.
 */
#include <stdint.h>

#include "runner/boottest.h"

/* Beyond the 39-bit input address range: a translation fault at level 0. */
#define UNMAPPED_ADDRESS 0x0000400000000000ULL

static void say(void *what)
{
	bt_log("cleanup: %s", (const char *)what);
}

/* Cleanups run last first after the ASSERT that stops the test. */
BOOT_TEST(fixture, cleanup_assert, .manual = true)
{
	bt_defer(say, "deferred first");
	bt_defer(say, "deferred second");
	ASSERT_EQ(1 + 1, 3);
	bt_log("fixture.cleanup_assert: went on past the ASSERT");
}

/* A crash ends the run, but only after the test's cleanups. */
BOOT_TEST(fixture, cleanup_crash, .manual = true)
{
	bt_defer(say, "after the crash");
	(void)*(volatile uint64_t *)UNMAPPED_ADDRESS;
	bt_log("fixture.cleanup_crash: the load above should have faulted");
}

/* One more cleanup than the framework holds: the test fails, none is lost. */
BOOT_TEST(fixture, cleanup_overflow, .manual = true)
{
	for (int i = 0; i <= BT_DEFER_MAX; i++)
		bt_defer(say, "one of many");
	bt_log("fixture.cleanup_overflow: went on past a full cleanup stack");
}

static void setup_fails(void)
{
	bt_defer(say, "of the failed setup");
	ASSERT_TRUE(!"setup fails on purpose");
}

static void teardown_never(void)
{
	bt_log("fixture_setup_fails: teardown ran after a failed setup");
}

/* The suite's tests fail without running; its teardown never runs. */
BOOT_SUITE(fixture_setup_fails, .setup = setup_fails, .teardown = teardown_never);

BOOT_TEST(fixture_setup_fails, first, .manual = true)
{
	bt_log("fixture_setup_fails.first: ran");
}

BOOT_TEST(fixture_setup_fails, second, .manual = true)
{
	bt_log("fixture_setup_fails.second: ran");
}

static void setup_skips(void)
{
	bt_skip("the suite's setup skips it");
}

/* Every test of the suite skips with its setup's reason. */
BOOT_SUITE(fixture_setup_skips, .setup = setup_skips);

BOOT_TEST(fixture_setup_skips, only, .manual = true)
{
	bt_log("fixture_setup_skips.only: ran");
}
