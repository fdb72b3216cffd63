/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the guest's DT lookups (guest/platform/dt_lookup.c), index and
 * libfdt fallback alike, checked against libfdt's own answers on trees built
 * here with libfdt's sequential-write API.
 */
#include <errno.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/dt.h"

#define TREE_SIZE (256 * 1024)
#define CHECK(x)  assert_int_equal((x), 0)

static void prop_u32(void *fdt, const char *name, uint32_t v)
{
	CHECK(fdt_property_u32(fdt, name, v));
}

static void prop_reg64(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

/* A tree shaped like QEMU's virt DTB, with the corner cases lookups must get right. */
static void *virt_like_tree(int nr_virtio)
{
	void *fdt = calloc(1, TREE_SIZE);
	char name[64];

	assert_non_null(fdt);
	CHECK(fdt_create(fdt, TREE_SIZE));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 2);
	prop_u32(fdt, "interrupt-parent", 1);
	CHECK(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	CHECK(fdt_property_string(fdt, "model", "linux,dummy-virt"));

	CHECK(fdt_begin_node(fdt, "aliases"));
	CHECK(fdt_property_string(fdt, "serial0", "/pl011@9000000"));
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_begin_node(fdt, "memory@40000000"));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	prop_reg64(fdt, 0x40000000, 0x10000000);
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_begin_node(fdt, "memory@100000000"));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	prop_reg64(fdt, 0x100000000ULL, 0x40000000);
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_begin_node(fdt, "cpus"));
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 0);
	CHECK(fdt_begin_node(fdt, "cpu-map"));
	CHECK(fdt_end_node(fdt));
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "cpu@%d", i);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "device_type", "cpu"));
		prop_u32(fdt, "reg", (uint32_t)i);
		CHECK(fdt_end_node(fdt));
	}
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_begin_node(fdt, "intc@8000000"));
	CHECK(fdt_property(fdt, "compatible", "arm,cortex-a15-gic\0arm,gic-400",
			   sizeof("arm,cortex-a15-gic\0arm,gic-400")));
	prop_u32(fdt, "#interrupt-cells", 3);
	prop_u32(fdt, "phandle", 1);
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_begin_node(fdt, "pl011@9000000"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,pl011"));
	prop_reg64(fdt, 0x9000000, 0x1000);
	/* not NUL-terminated within its length: dt_string must refuse it */
	CHECK(fdt_property(fdt, "bad-string", "abc", 3));
	CHECK(fdt_end_node(fdt));

	/* "a" and "a@1": a path "/a" names the first, "/a@1" the second */
	CHECK(fdt_begin_node(fdt, "a@1"));
	prop_u32(fdt, "linux,phandle", 7);
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_begin_node(fdt, "a"));
	prop_u32(fdt, "phandle", 8);
	CHECK(fdt_begin_node(fdt, "deep"));
	CHECK(fdt_begin_node(fdt, "deeper"));
	CHECK(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_end_node(fdt));

	for (int i = 0; i < nr_virtio; i++) {
		snprintf(name, sizeof(name), "virtio_mmio@%x", 0xa000000 + 0x200 * i);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "compatible", "virtio,mmio"));
		prop_reg64(fdt, 0xa000000 + 0x200 * (uint64_t)i, 0x200);
		CHECK(fdt_end_node(fdt));
	}

	CHECK(fdt_begin_node(fdt, "timer"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));
	CHECK(fdt_check_header(fdt));
	return fdt;
}

/* A chain of @depth nested nodes under the root. */
static void *deep_tree(int depth)
{
	void *fdt = calloc(1, TREE_SIZE);

	assert_non_null(fdt);
	CHECK(fdt_create(fdt, TREE_SIZE));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	for (int i = 0; i < depth; i++)
		CHECK(fdt_begin_node(fdt, "n"));
	CHECK(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	for (int i = 0; i <= depth; i++)
		CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));
	return fdt;
}

/* Every lookup agrees with libfdt's, node by node. */
static void agree_with_libfdt(const void *fdt)
{
	static const char *const compats[] = {
		"virtio,mmio",	    "arm,gic-400", "arm,cortex-a15-gic",
		"linux,dummy-virt", "arm,pl011",   "no,such-device",
	};
	static const char *const paths[] = {
		"/",	   "/a",      "/a@1",	   "/a/deep/deeper", "/cpus/cpu@2", "/cpus//cpu@3",
		"/memory", "/nosuch", "/a/nosuch", "serial0",	     "/cpus/cpu",   "",
	};
	char path[256];
	int node, depth = 0, count = 0;

	/* from the root at depth 0: leaving the root makes depth negative */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		count++;
		assert_int_equal(dt_parent(node), fdt_parent_offset(fdt, node));
		CHECK(fdt_get_path(fdt, node, path, sizeof(path)));
		/* not always @node: "/a" names "a@1" when that comes first */
		assert_int_equal(dt_path_offset(path), fdt_path_offset(fdt, path));
		for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
			assert_int_equal(dt_find_compatible(node, compats[c]),
					 fdt_node_offset_by_compatible(fdt, node, compats[c]));
	}
	assert_true(count > 1);
	for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
		assert_int_equal(dt_find_compatible(-1, compats[c]),
				 fdt_node_offset_by_compatible(fdt, -1, compats[c]));
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		assert_int_equal(dt_path_offset(paths[p]), fdt_path_offset(fdt, paths[p]));
	for (uint32_t ph = 1; ph < 12; ph++)
		assert_int_equal(dt_find_phandle(ph), fdt_node_offset_by_phandle(fdt, ph));
	assert_int_equal(dt_find_phandle(0), -FDT_ERR_BADPHANDLE);
	assert_int_equal(dt_find_phandle(UINT32_MAX), -FDT_ERR_BADPHANDLE);
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
