/* SPDX-License-Identifier: MIT */
/*
 * Device trees for the DT unit tests (test_dt_lookup.c, test_dt_index.c),
 * built with libfdt's sequential-write API, and the check that every lookup
 * answers as libfdt does.
 */
#ifndef TEST_DT_TREES_H
#define TEST_DT_TREES_H

#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/dt.h"

#define TREE_SIZE (256 * 1024)
#define CHECK(x)  assert_int_equal((x), 0)

static inline void prop_u32(void *fdt, const char *name, uint32_t v)
{
	CHECK(fdt_property_u32(fdt, name, v));
}

static inline void prop_reg64(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

/* A tree shaped like QEMU's virt DTB, with the corner cases lookups must get right. */
static inline void *virt_like_tree(int nr_virtio)
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
static inline void *deep_tree(int depth)
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

/* A copy of @fdt in a buffer of exactly its totalsize: ASan sees a read past it. */
static inline void *exact_copy(const void *fdt)
{
	void *copy = malloc(fdt_totalsize(fdt));

	assert_non_null(copy);
	memcpy(copy, fdt, fdt_totalsize(fdt));
	return copy;
}

/* The structure-block word at @off. */
static inline fdt32_t *word_at(void *fdt, int off)
{
	return (fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + off);
}

/* The offset of property @name of the node at @path. */
static inline int prop_at(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path), prop;

	assert_true(node >= 0);
	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *n;

		if (fdt_getprop_by_offset(fdt, prop, &n, NULL) && !strcmp(n, name))
			return prop;
	}
	fail_msg("no %s in %s", name, path);
	return -1;
}

static inline int agree_at_nodes(const void *fdt);

/* @fdt in use: indexed or not as @indexed says, answers as libfdt's. */
static inline void check_tree(const void *fdt, bool indexed)
{
	dt_use(fdt);
	assert_ptr_equal(dt_blob(), fdt);
	assert_int_equal(dt_index_in_use(), indexed);
	agree_at_nodes(fdt);
	dt_use(NULL);
}

static const char *const compats[] = {
	"virtio,mmio", "arm,gic-400",	  "arm,cortex-a15-gic", "linux,dummy-virt", "arm,pl011",
	"arm,pl061",   "arm,armv8-timer", "qemu,fw-cfg-mmio",	"no,such-device",
};

/* dt_getprop and the helpers on it agree with libfdt at @node. */
static inline void agree_props(const void *fdt, int node)
{
	static const char *const absent[] = { "nosuch", "", "reg", "#size-cells", "phandl" };
	int prop, l1, l2;

	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *name;

		if (!fdt_getprop_by_offset(fdt, prop, &name, NULL) || !name)
			continue;
		assert_ptr_equal(dt_getprop(node, name, &l1), fdt_getprop(fdt, node, name, &l2));
		assert_int_equal(l1, l2);
	}
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_ptr_equal(dt_getprop(node, absent[i], &l1),
				 fdt_getprop(fdt, node, absent[i], &l2));
		assert_int_equal(l1, l2);
	}
	for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
		assert_int_equal(dt_check_compatible(node, compats[c]),
				 fdt_node_check_compatible(fdt, node, compats[c]));
	assert_int_equal(dt_address_cells(node), fdt_address_cells(fdt, node));
	assert_int_equal(dt_size_cells(node), fdt_size_cells(fdt, node));
}

/*
 * Every lookup agrees with libfdt's at each node libfdt's own walk finds,
 * however malformed the tree: the number of nodes.
 */
static inline int agree_at_nodes(const void *fdt)
{
	char path[256];
	int node, depth = 0, count = 0;

	/* from the root at depth 0: leaving the root makes depth negative */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		uint32_t ph = fdt_get_phandle(fdt, node);

		count++;
		assert_int_equal(dt_parent(node), fdt_parent_offset(fdt, node));
		/* not always @node: "/a" names "a@1" when that comes first */
		if (fdt_get_path(fdt, node, path, sizeof(path)) == 0)
			assert_int_equal(dt_path_offset(path), fdt_path_offset(fdt, path));
		for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
			assert_int_equal(dt_find_compatible(node, compats[c]),
					 fdt_node_offset_by_compatible(fdt, node, compats[c]));
		agree_props(fdt, node);
		assert_int_equal(dt_find_memory(node),
				 fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
							       sizeof("memory")));
		if (ph != 0 && ph != UINT32_MAX) {
			assert_int_equal(dt_find_phandle(ph), fdt_node_offset_by_phandle(fdt, ph));
			assert_int_equal(dt_find_phandle(ph + 1),
					 fdt_node_offset_by_phandle(fdt, ph + 1));
		}
	}
	/* offsets that are no node's */
	for (int bad = -1; bad < 6; bad += 3) {
		int l1, l2;

		assert_ptr_equal(dt_getprop(bad, "reg", &l1), fdt_getprop(fdt, bad, "reg", &l2));
		assert_int_equal(l1, l2);
	}
	for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
		assert_int_equal(dt_find_compatible(-1, compats[c]),
				 fdt_node_offset_by_compatible(fdt, -1, compats[c]));
	assert_int_equal(
		dt_find_memory(-1),
		fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory")));
	for (uint32_t ph = 1; ph < 12; ph++)
		assert_int_equal(dt_find_phandle(ph), fdt_node_offset_by_phandle(fdt, ph));
	assert_int_equal(dt_find_phandle(0), -FDT_ERR_BADPHANDLE);
	assert_int_equal(dt_find_phandle(UINT32_MAX), -FDT_ERR_BADPHANDLE);
	return count;
}

#endif
