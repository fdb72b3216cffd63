/* SPDX-License-Identifier: MIT */
/* Unit tests for the free-RAM range arithmetic (guest/lib/mem_ranges.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/mem_ranges.h"

#define MiB	 (1ull << 20)
#define RAM_BASE 0x40000000ull

/* RAM 256 MiB at the virt base; the image, the DTB and OP-TEE's shm taken out. */
static void test_remove_image_dtb_reservation(void **state)
{
	struct mem_range r[4] = { { RAM_BASE, RAM_BASE + 256 * MiB } };
	size_t n = 1;

	(void)state;
	assert_int_equal(mem_ranges_remove(r, &n, 4, RAM_BASE, RAM_BASE + MiB), 0); /* DTB */
	assert_int_equal(mem_ranges_remove(r, &n, 4, 0x48000000, 0x48190000), 0);   /* image */
	assert_int_equal(mem_ranges_remove(r, &n, 4, 0x42000000, 0x42200000), 0);   /* shm */
	assert_int_equal(n, 3);
	assert_int_equal(r[0].start, RAM_BASE + MiB);
	assert_int_equal(r[0].end, 0x42000000);
	assert_int_equal(r[1].start, 0x42200000);
	assert_int_equal(r[1].end, 0x48000000);
	assert_int_equal(r[2].start, 0x48190000);
	assert_int_equal(r[2].end, RAM_BASE + 256 * MiB);
	assert_int_equal(mem_ranges_largest(r, n), 2);
	assert_true(mem_ranges_overlap(r, n, 0x41ffffff, 0x42000001));
	assert_false(mem_ranges_overlap(r, n, 0x42000000, 0x42200000));
	assert_false(mem_ranges_overlap(r, n, 0x48000000, 0x48190000));
}

static void test_remove_edges_and_whole(void **state)
{
	struct mem_range r[2] = { { 0x1000, 0x5000 }, { 0x8000, 0x9000 } };
	size_t n = 2;

	(void)state;
	/* overlapping the start, then the end, then a whole range, then nothing */
	assert_int_equal(mem_ranges_remove(r, &n, 2, 0, 0x2000), 0);
	assert_int_equal(mem_ranges_remove(r, &n, 2, 0x4000, 0x8800), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].start, 0x2000);
	assert_int_equal(r[0].end, 0x4000);
	assert_int_equal(r[1].start, 0x8800);
	assert_int_equal(mem_ranges_remove(r, &n, 2, 0x8000, 0x10000), 0);
	assert_int_equal(n, 1);
	assert_int_equal(mem_ranges_remove(r, &n, 2, 0x3000, 0x3000), 0);
	assert_int_equal(n, 1);
	assert_int_equal(mem_ranges_remove(r, &n, 2, 0, UINT64_MAX), 0);
	assert_int_equal(n, 0);
	assert_int_equal(mem_ranges_largest(r, n), -1);
}

/* A split that does not fit fails and leaves the set as it was. */
static void test_remove_no_room(void **state)
{
	struct mem_range r[1] = { { 0x1000, 0x9000 } };
	size_t n = 1;

	(void)state;
	assert_int_equal(mem_ranges_remove(r, &n, 1, 0x2000, 0x3000), -ENOSPC);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, 0x1000);
	assert_int_equal(r[0].end, 0x9000);
}

static void test_align(void **state)
{
	struct mem_range r[3] = {
		{ 0x40001000, 0x40600000 },
		{ 0x40700000, 0x40710000 },
		{ UINT64_MAX - 0x1000, UINT64_MAX },
	};
	size_t n = 3;

	(void)state;
	mem_ranges_align(r, &n, 2 * MiB);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, 0x40200000);
	assert_int_equal(r[0].end, 0x40600000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove_image_dtb_reservation),
		cmocka_unit_test(test_remove_edges_and_whole),
		cmocka_unit_test(test_remove_no_room),
		cmocka_unit_test(test_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
