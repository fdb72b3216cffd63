/* SPDX-License-Identifier: MIT */
/* selftest.exception: expected faults are caught, classified and recovered from. */
#include "arch/aarch64/exception.h"
#include "runner/boottest.h"

/* Above the 39-bit input address range: translation fault at level 0. */
#define UNMAPPED 0x0000010000000000ULL
/* Semihosting SYS_ERRNO: harmless, answered whenever semihosting is on. */
#define SEMIHOST_SYS_ERRNO 0x13

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

	/*
	 * Probes (probe.S) fail instead of faulting, under the test's own
	 * handler too: nothing mapped, and semihosting whether QEMU has it on
	 * (the call answers) or off (its HLT traps and the call fails).
	 */
	volatile uint32_t here = 0x5aa5c33c;
	uint32_t word = 0;
	uint64_t ret;
	int sh;

	EXPECT_EQ(arch_probe_read32(UNMAPPED, &word), -1);
	EXPECT_EQ(arch_probe_read32((uintptr_t)&here, &word), 0);
	EXPECT_EQ(word, 0x5aa5c33c);
	sh = arch_semihost(SEMIHOST_SYS_ERRNO, 0, &ret);
	EXPECT_TRUE(sh == 0 || sh == -1);
	bt_log("semihosting %s", sh ? "off: its HLT trapped and the call failed" : "on");
}
