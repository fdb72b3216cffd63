/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the memory map the guest reads from the DT (guest/platform/
 * dt_memory.c): RAM ranges by status and secure-status, and reservations
 * from /memreserve/ and /reserved-memory, on trees built with libfdt.
 */
#include <errno.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/dt.h"

#define TREE_SIZE (64 * 1024)
#define CHECK(x)  assert_int_equal((x), 0)

static void reg64(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

static void memory(void *fdt, const char *name, uint64_t base, uint64_t size, const char *status,
		   const char *secure_status)
{
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	reg64(fdt, base, size);
	if (status)
		CHECK(fdt_property_string(fdt, "status", status));
	if (secure_status)
		CHECK(fdt_property_string(fdt, "secure-status", secure_status));
	CHECK(fdt_end_node(fdt));
}

/*
 * QEMU virt with secure=on: RAM, the secure-only secram; plus what OP-TEE's
 * DT adds (optee_shm, no-map), a disabled and a dynamic reservation, and
 * one /memreserve/ entry (U-Boot's ramdisk).
 */
static void *tree(bool with_reserved_memory)
{
	void *fdt = calloc(1, TREE_SIZE);

	assert_non_null(fdt);
	CHECK(fdt_create(fdt, TREE_SIZE));
	CHECK(fdt_add_reservemap_entry(fdt, 0xbdd9e000, 0x13f90));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	CHECK(fdt_property_u32(fdt, "#address-cells", 2));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	memory(fdt, "memory@40000000", 0x40000000, 0x80000000, NULL, NULL);
	memory(fdt, "secram@e000000", 0x0e000000, 0x01000000, "disabled", "okay");
	memory(fdt, "memory@200000000", 0x200000000ULL, 0x1000, "disabled", NULL);
	if (with_reserved_memory) {
		CHECK(fdt_begin_node(fdt, "reserved-memory"));
		CHECK(fdt_property_u32(fdt, "#address-cells", 2));
		CHECK(fdt_property_u32(fdt, "#size-cells", 2));
		CHECK(fdt_property(fdt, "ranges", NULL, 0));
		CHECK(fdt_begin_node(fdt, "optee_shm@42000000"));
		reg64(fdt, 0x42000000, 0x200000);
		CHECK(fdt_property(fdt, "no-map", NULL, 0));
		CHECK(fdt_end_node(fdt));
		CHECK(fdt_begin_node(fdt, "old@50000000"));
		reg64(fdt, 0x50000000, 0x100000);
		CHECK(fdt_property_string(fdt, "status", "disabled"));
		CHECK(fdt_end_node(fdt));
		CHECK(fdt_begin_node(fdt, "cma"));
		CHECK(fdt_property_u64(fdt, "size", 0x4000000));
		CHECK(fdt_end_node(fdt));
		CHECK(fdt_end_node(fdt));
	}
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));
	dt_use(fdt);
	return fdt;
}

static void test_memory_ranges(void **state)
{
	struct mem_range r[4];
	void *fdt = tree(false);

	(void)state;
	/* non-secure: secram and the disabled node are not ours */
	assert_int_equal(dt_memory_ranges(r, 4, false), 1);
	assert_int_equal(r[0].start, 0x40000000);
	assert_int_equal(r[0].end, 0xc0000000);
	/* secure: secure-status decides over status */
	assert_int_equal(dt_memory_ranges(r, 4, true), 2);
	assert_int_equal(r[1].start, 0x0e000000);
	assert_int_equal(r[1].end, 0x0f000000);
	assert_int_equal(dt_memory_ranges(r, 1, true), -E2BIG);
	free(fdt);
}

static void test_reservations(void **state)
{
	struct dt_reservation res[4];
	void *fdt = tree(true);

	(void)state;
	/* the disabled one and the dynamic one (no reg) take nothing fixed */
	assert_int_equal(dt_reservations(res, 4), 2);
	assert_string_equal(res[0].name, "/memreserve/");
	assert_int_equal(res[0].range.start, 0xbdd9e000);
	assert_int_equal(res[0].range.end, 0xbddb1f90);
	assert_string_equal(res[1].name, "optee_shm@42000000");
	assert_int_equal(res[1].range.start, 0x42000000);
	assert_int_equal(res[1].range.end, 0x42200000);
	assert_int_equal(dt_reservations(res, 1), -E2BIG);
	free(fdt);

	fdt = tree(false);
	assert_int_equal(dt_reservations(res, 4), 1);
	free(fdt);
	dt_use(NULL);
	assert_int_equal(dt_reservations(res, 4), -ENODEV);
	assert_int_equal(dt_memory_ranges((struct mem_range *)res, 4, false), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_ranges),
		cmocka_unit_test(test_reservations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
