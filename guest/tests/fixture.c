// SPDX-License-Identifier: MIT
/*
 * The fixture suite: known outcomes for exercising runners and harnesses.
 * Never in the default set; run only when named.
 */
#include <stdint.h>

#include "runner/boottest.h"
#include "runner/framework.h"

/* fixture.flood sends exactly this much log payload: 65,536 lines of 64 bytes. */
#define FLOOD_BYTES (4u * 1024 * 1024)
#define FLOOD_LINE  64

/* Beyond the 39-bit input address range: a translation fault at level 0. */
#define UNMAPPED_ADDRESS 0x0000400000000000ULL

BOOT_TEST(fixture, pass)
{
	EXPECT_EQ(1 + 1, 2);
}

BOOT_TEST(fixture, fail)
{
	EXPECT_EQ(1 + 1, 3);
}

BOOT_TEST(fixture, crash)
{
	volatile uint64_t *p = (volatile uint64_t *)UNMAPPED_ADDRESS;

	(void)*p;
	bt_log("fixture.crash: the load above should have faulted");
}

BOOT_TEST(fixture, hang)
{
	for (;;)
		__asm__ volatile("wfe");
}

/*
 * Lines "# flood 0000abcd xxxx...x\n", numbered in hex so a host can check
 * that none was lost or reordered.
 */
BOOT_TEST(fixture, flood)
{
	static const char hex[] = "0123456789abcdef";
	char line[FLOOD_LINE];

	for (unsigned int i = 0; i < sizeof(line) - 1; i++)
		line[i] = 'x';
	line[FLOOD_LINE - 1] = '\n';
	__builtin_memcpy(line, "# flood ", 8);
	line[16] = ' ';
	for (uint32_t n = 0; n < FLOOD_BYTES / FLOOD_LINE; n++) {
		for (int d = 0; d < 8; d++)
			line[8 + d] = hex[(n >> (28 - 4 * d)) & 0xf];
		bt_log_raw(line, sizeof(line));
	}
}
