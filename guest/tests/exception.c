/* SPDX-License-Identifier: MIT */
/* selftest.exception: expected faults are caught, classified and recovered from. */
#include "arch/aarch64/exception.h"
#include "runner/boottest.h"

/* Above the 39-bit input address range: translation fault at level 0. */
#define UNMAPPED 0x0000010000000000ULL

static void load_unmapped(void *arg)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)UNMAPPED;

	*(volatile uint64_t *)arg = *p;
}

static void breakpoint(void *arg)
{
	(void)arg;
	__asm__ volatile("brk #0x42");
}

static void no_fault(void *arg)
{
	*(volatile int *)arg = 1;
}

BOOT_TEST(selftest, exception)
{
	struct bt_fault f = { 0, 0, 0 };
	uint64_t sink = 0;
	volatile int ran = 0;

	ASSERT_TRUE(bt_expect_fault(load_unmapped, &sink, &f));
	EXPECT_EQ(ESR_EC(f.esr), ESR_EC_DABT_CUR);
	EXPECT_EQ(f.far, UNMAPPED);
	EXPECT_NE(f.elr, 0);

	f.esr = 0;
	ASSERT_TRUE(bt_expect_fault(breakpoint, NULL, &f));
	EXPECT_EQ(ESR_EC(f.esr), ESR_EC_BRK64);
	EXPECT_EQ(f.esr & 0xffff, 0x42);

	/* No fault: the function runs to completion and nothing is reported. */
	EXPECT_TRUE(!bt_expect_fault(no_fault, (void *)&ran, &f));
	EXPECT_EQ(ran, 1);

	/* Still alive and still catching after recovering twice. */
	EXPECT_TRUE(bt_expect_fault(load_unmapped, &sink, &f));
}
