/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the guest's DT lookups (guest/platform/dt_lookup.c), index and
 * libfdt fallback alike, checked against libfdt's own answers on trees built
 * here with libfdt's sequential-write API.
 */
#include <errno.h>

#include "dt_trees.h"

/* Every lookup agrees with libfdt's, at every node and at fixed paths (aliases too). */
static void agree_with_libfdt(const void *fdt)
{
	static const char *const paths[] = {
		"/",	   "/a",      "/a@1",	   "/a/deep/deeper", "/cpus/cpu@2", "/cpus//cpu@3",
		"/memory", "/nosuch", "/a/nosuch", "serial0",	     "/cpus/cpu",   "",
	};

	assert_true(agree_at_nodes(fdt) > 1);
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		assert_int_equal(dt_path_offset(paths[p]), fdt_path_offset(fdt, paths[p]));
}

static void test_index_agrees(void **state)
{
	void *fdt = virt_like_tree(32);
	(void)state;

	dt_use(fdt);
	assert_true(dt_index_in_use());
	agree_with_libfdt(fdt);
	dt_use(NULL);
	free(fdt);
}

static void test_fallback_too_many_nodes(void **state)
{
	void *fdt = virt_like_tree(300);
	(void)state;

	dt_use(fdt);
	assert_false(dt_index_in_use());
	agree_with_libfdt(fdt);
	dt_use(NULL);
	free(fdt);
}

static void test_fallback_too_deep(void **state)
{
	void *fdt = deep_tree(40);
	(void)state;

	dt_use(fdt);
	assert_false(dt_index_in_use());
	agree_with_libfdt(fdt);
	free(fdt);

	/* a new tree rebuilds the index: a shallow one uses it again */
	fdt = deep_tree(3);
	dt_use(fdt);
	assert_true(dt_index_in_use());
	agree_with_libfdt(fdt);
	dt_use(NULL);
	free(fdt);
}

static void test_values(void **state)
{
	void *fdt = virt_like_tree(4);
	uint64_t mpidrs[8], base, size;
	int uart, timer;
	(void)state;

	dt_use(fdt);
	uart = dt_path_offset("/pl011@9000000");
	assert_true(uart > 0);
	CHECK(dt_reg(uart, 0, &base, &size));
	assert_int_equal(base, 0x9000000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(dt_reg(uart, 1, &base, &size), -ENOENT);
	assert_int_equal(dt_reg(uart, -1, &base, &size), -ENODEV);
	assert_string_equal(dt_string(0, "model"), "linux,dummy-virt");
	assert_null(dt_string(uart, "bad-string"));
	assert_null(dt_string(uart, "nosuch"));

	/* the memory range holding the address, else the first */
	CHECK(dt_memory_at(0x40200000, &base, &size));
	assert_int_equal(base, 0x40000000);
	CHECK(dt_memory_at(0x120000000ULL, &base, &size));
	assert_int_equal(base, 0x100000000ULL);
	assert_int_equal(size, 0x40000000);
	CHECK(dt_memory_at(0, &base, &size));
	assert_int_equal(base, 0x40000000);

	/* cpu-map is no CPU */
	assert_int_equal(dt_cpus(mpidrs, 8), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(mpidrs[i], (uint64_t)i);
	assert_int_equal(dt_cpus(mpidrs, 2), 2);

	/* interrupt-parent inherited from the root */
	timer = dt_find_compatible(-1, "arm,armv8-timer");
	assert_true(timer > 0);
	assert_int_equal(dt_interrupt_parent(timer), dt_find_phandle(1));
	assert_int_equal(dt_interrupt_cells(timer), 3);
	dt_use(NULL);
	free(fdt);
}

static void test_no_tree(void **state)
{
	uint64_t base, size, mpidrs[1];
	(void)state;

	dt_use(NULL);
	assert_null(dt_blob());
	assert_true(dt_parent(0) < 0);
	assert_true(dt_path_offset("/") < 0);
	assert_true(dt_find_compatible(-1, "virtio,mmio") < 0);
	assert_true(dt_find_phandle(1) < 0);
	assert_true(dt_reg(0, 0, &base, &size) < 0);
	assert_true(dt_memory_at(0, &base, &size) < 0);
	assert_null(dt_string(0, "model"));
	assert_true(dt_cpus(mpidrs, 1) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_agrees),
		cmocka_unit_test(test_fallback_too_many_nodes),
		cmocka_unit_test(test_fallback_too_deep),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_no_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
