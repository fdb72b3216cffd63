/* SPDX-License-Identifier: MIT */
/*
 * Bench-only: fixture.flood's lines formatted exactly as it does
 * (guest/tests/flood.h), 4 MiB of them, but never sent.
 * t(bench.flood_format) - t(fixture.pass) is the formatting's share of the
 * flood, t(fixture.flood) - t(bench.flood_format) the channel's (frames,
 * virtqueue, QEMU, harness).
 */
#include "runner/boottest.h"
#include "tests/flood.h"

/* Takes the line and does nothing with it: the compiler keeps every store. */
static void discard(const char *line, size_t len)
{
	__asm__ volatile("" : : "r"(line), "r"(len) : "memory");
}

BOOT_TEST(bench, flood_format, .manual = true)
{
	flood_lines(discard);
}
