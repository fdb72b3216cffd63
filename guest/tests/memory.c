/* SPDX-License-Identifier: MIT */
/*
 * selftest.memory: address/pattern test over a sample of the free RAM range:
 * at most BUDGET bytes in evenly spaced chunks, first and last included, and
 * fewer when the time cap stops it (TCG on a loaded host), so it stays well
 * under half a second. The log states the coverage it reached.
 */
#include "arch/aarch64/cache.h"
#include "arch/aarch64/layout.h"
#include "platform/platform.h"
#include "runner/boottest.h"

#define CHUNK       (64u * 1024)
#define BUDGET      (4u * 1024 * 1024)	/* bytes tested at most */
/* Stop sampling after this long: TCG on a loaded 2-core host varies ~10x. */
#define TIME_CAP_US 300000

/* Each word holds its own address XOR @seed; returns the first bad address or 0. */
static uintptr_t test_chunk(uintptr_t start, size_t len, uint64_t seed)
{
	volatile uint64_t *w = (volatile uint64_t *)start;
	size_t i, n = len / sizeof(uint64_t);

	for (i = 0; i < n; i++)
		w[i] = (uint64_t)(uintptr_t)&w[i] ^ seed;
	/* out to memory and dropped, so the read-back is not the cache's */
	dcache_clean_inval_poc(start, len);
	for (i = 0; i < n; i++)
		if (w[i] != ((uint64_t)(uintptr_t)&w[i] ^ seed))
			return (uintptr_t)&w[i];
	return 0;
}

BOOT_TEST(selftest, memory)
{
	uintptr_t start, end, dt_start, dt_end, chunk, bad = 0;
	size_t range, n, i, stride, tested = 0;
	uint64_t t0, us;
	bool capped = false;

	ram_free_range(&start, &end);
	ASSERT_LT(start, end);
	/* Free RAM must not overlap the image (stacks included) or the DTB. */
	EXPECT_GE(start, (uintptr_t)__image_end);
	dt_extent(&dt_start, &dt_end);
	EXPECT_TRUE(dt_end <= start || dt_start >= end);
	range = end - start;
	ASSERT_GE(range, CHUNK);
	bt_log("free RAM 0x%lx-0x%lx (%lu MiB)", (unsigned long)start,
	       (unsigned long)end, (unsigned long)(range >> 20));

	n = range / CHUNK;
	if (n > BUDGET / CHUNK)
		n = BUDGET / CHUNK;
	stride = n > 1 ? ((range - CHUNK) / (n - 1)) & ~(size_t)4095 : 0;

	t0 = timer_now_us();
	for (i = 0; i < n && !bad; i++) {
		/* First and last chunk first, so the ends are always covered. */
		if (i == 0)
			chunk = start;
		else if (i == 1)
			chunk = end - CHUNK;
		else
			chunk = start + (i - 1) * stride;
		if (i >= 2 && timer_now_us() - t0 > TIME_CAP_US) {
			capped = true;
			break;
		}
		bad = test_chunk(chunk, CHUNK, 0);
		if (!bad)
			bad = test_chunk(chunk, CHUNK, ~0ULL);
		if (!bad)
			bad = test_chunk(chunk, CHUNK, 0x5555aaaa5555aaaaULL);
		tested += CHUNK;
	}
	us = timer_now_us() - t0;
	EXPECT_EQ(bad, 0);
	EXPECT_GE(tested, 2 * CHUNK);
	/* A sample, never the whole range: say how much of it, and why less. */
	bt_log("coverage: %lu of %lu KiB free RAM (%lu of %lu planned %lu KiB chunks), %lu ms%s",
	       (unsigned long)(tested >> 10), (unsigned long)(range >> 10),
	       (unsigned long)(tested / CHUNK), (unsigned long)n,
	       (unsigned long)(CHUNK >> 10), (unsigned long)(us / 1000),
	       capped ? "; time cap reached: sample cut short" : "");
}
