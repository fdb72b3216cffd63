/* SPDX-License-Identifier: MIT */
/*
 * selftest.memory: address/pattern test over a sample of free RAM: both ends
 * of every free range first (they border the image, the DTB and the DT's
 * reservations), then evenly spaced chunks of the largest, at most BUDGET
 * bytes in all, and fewer when the time cap stops it (TCG on a loaded host),
 * so it stays well under half a second. The log names every reserved range it
 * kept out of and the coverage it reached.
 */
#include "arch/aarch64/cache.h"
#include "arch/aarch64/layout.h"
#include "platform/platform.h"
#include "runner/boottest.h"

#define CHUNK  (64u * 1024)
#define BUDGET (4u * 1024 * 1024) /* bytes tested at most */
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

/* Test one chunk, after checking it keeps off the image, the DTB and the DT's reservations. */
static uintptr_t test_one(uintptr_t chunk)
{
	struct dt_reservation res[RESERVATIONS_MAX];
	uintptr_t dt_start, dt_end, bad;
	int n = dt_reservations(res, RESERVATIONS_MAX);

	/* the DT read afresh: free RAM must agree with it, not just with itself */
	ASSERT_GE(n, 0);
	for (int i = 0; i < n; i++)
		ASSERT_TRUE(!mem_ranges_overlap(&res[i].range, 1, chunk, chunk + CHUNK));
	ASSERT_TRUE(chunk + CHUNK <= (uintptr_t)__image_start || chunk >= (uintptr_t)__image_end);
	dt_extent(&dt_start, &dt_end);
	ASSERT_TRUE(chunk + CHUNK <= dt_start || chunk >= dt_end);
	bad = test_chunk(chunk, CHUNK, 0);
	if (!bad)
		bad = test_chunk(chunk, CHUNK, ~0ULL);
	if (!bad)
		bad = test_chunk(chunk, CHUNK, 0x5555aaaa5555aaaaULL);
	return bad;
}

BOOT_TEST(selftest, memory)
{
	const struct dt_reservation *res;
	const struct mem_range *free;
	size_t nfree = ram_free_ranges(&free), nres = ram_reservations(&res);
	size_t i, n, ends = 0, stride, tested = 0, total = 0;
	uintptr_t start, end, bad = 0;
	uint64_t t0, us;
	bool capped = false;

	for (i = 0; i < nres; i++)
		bt_log("reserved 0x%llx-0x%llx (%s): not tested",
		       (unsigned long long)res[i].range.start, (unsigned long long)res[i].range.end,
		       res[i].name);
	ASSERT_GT(nfree, 0);
	for (i = 0; i < nfree; i++) {
		bt_log("free RAM 0x%llx-0x%llx (%llu KiB)", (unsigned long long)free[i].start,
		       (unsigned long long)free[i].end,
		       (unsigned long long)((free[i].end - free[i].start) >> 10));
		total += free[i].end - free[i].start;
	}

	t0 = timer_now_us();
	/* Both ends of every range big enough, whatever the time cap says. */
	for (i = 0; i < nfree && !bad; i++) {
		if (free[i].end - free[i].start < CHUNK)
			continue;
		bad = test_one(free[i].start);
		if (!bad && free[i].end - free[i].start >= 2 * CHUNK)
			bad = test_one(free[i].end - CHUNK);
		ends++;
		tested += free[i].end - free[i].start >= 2 * CHUNK ? 2 * CHUNK : CHUNK;
	}
	ASSERT_GT(ends, 0);

	/* Then evenly spaced chunks of the largest range, its ends already done. */
	ram_free_range(&start, &end);
	n = (end - start) / CHUNK;
	if (n > (BUDGET - tested) / CHUNK)
		n = (BUDGET - tested) / CHUNK;
	stride = ((end - start) / (n + 1)) & ~(size_t)4095;
	for (i = 1; i <= n && !bad && stride >= CHUNK; i++) {
		if (timer_now_us() - t0 > TIME_CAP_US) {
			capped = true;
			break;
		}
		bad = test_one(start + i * stride);
		tested += CHUNK;
	}
	us = timer_now_us() - t0;
	EXPECT_EQ(bad, 0);
	/* A sample, never the whole range: say how much of it, and why less. */
	bt_log("coverage: %lu of %lu KiB free RAM in %lu ranges (%lu KiB chunks), %lu ms%s",
	       (unsigned long)(tested >> 10), (unsigned long)(total >> 10), (unsigned long)nfree,
	       (unsigned long)(CHUNK >> 10), (unsigned long)(us / 1000),
	       capped ? "; time cap reached: sample cut short" : "");
}
