/* SPDX-License-Identifier: MIT */
/*
 * Bench-only: fixture.flood's lines formatted exactly as it does, 4 MiB of
 * them, but never sent. t(bench.flood_format) - t(fixture.pass) is the
 * formatting's share of the flood, t(fixture.flood) - t(bench.flood_format)
 * the channel's (frames, virtqueue, QEMU, harness).
 */
#include <stdint.h>

#include "runner/boottest.h"

#define FLOOD_BYTES (4u * 1024 * 1024)
#define FLOOD_LINE  64

BOOT_TEST(bench, flood_format, .manual = true)
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
		/* the line is used: the compiler keeps every store */
		__asm__ volatile("" : : "r"(line) : "memory");
	}
}
