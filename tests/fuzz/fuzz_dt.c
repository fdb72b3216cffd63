/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the guest's DT index (guest/platform/dt_index.c, through
 * dt_lookup.c) on a fuzzer-chosen blob, its totalsize set to the input's
 * size as a loader's header check would demand. A bad header or a walk
 * libfdt could not finish must be refused; otherwise every lookup at every
 * node libfdt's walk finds, and every property read, must give libfdt's own
 * answer.
 */
#include <libfdt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/dt.h"

#define check(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

static const char *const compats[] = { "virtio,mmio", "arm,pl011", "a", "" };

static void agree_props(const void *fdt, int node)
{
	static const char *const names[] = { "reg", "compatible", "#address-cells", "" };
	int prop, l1, l2;

	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *name;

		if (fdt_getprop_by_offset(fdt, prop, &name, NULL) && name)
			check(dt_getprop(node, name, &l1) == fdt_getprop(fdt, node, name, &l2) &&
			      l1 == l2);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check(dt_getprop(node, names[i], &l1) == fdt_getprop(fdt, node, names[i], &l2) &&
		      l1 == l2);
	for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
		check(dt_check_compatible(node, compats[c]) ==
		      fdt_node_check_compatible(fdt, node, compats[c]));
	check(dt_address_cells(node) == fdt_address_cells(fdt, node));
	check(dt_size_cells(node) == fdt_size_cells(fdt, node));
}

static void agree(const void *fdt)
{
	char path[512];
	int node, depth = 0;

	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		uint32_t ph = fdt_get_phandle(fdt, node);

		check(dt_parent(node) == fdt_parent_offset(fdt, node));
		/* only absolute paths: libfdt 1.6.1 follows an alias to itself for ever */
		if (fdt_get_path(fdt, node, path, sizeof(path)) == 0 && path[0] == '/')
			check(dt_path_offset(path) == fdt_path_offset(fdt, path));
		for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
			check(dt_find_compatible(node, compats[c]) ==
			      fdt_node_offset_by_compatible(fdt, node, compats[c]));
		agree_props(fdt, node);
		check(dt_find_memory(node) ==
		      fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7));
		if (ph != 0 && ph != UINT32_MAX)
			check(dt_find_phandle(ph) == fdt_node_offset_by_phandle(fdt, ph));
	}
	for (size_t c = 0; c < sizeof(compats) / sizeof(compats[0]); c++)
		check(dt_find_compatible(-1, compats[c]) ==
		      fdt_node_offset_by_compatible(fdt, -1, compats[c]));
	for (uint32_t ph = 1; ph < 4; ph++)
		check(dt_find_phandle(ph) == fdt_node_offset_by_phandle(fdt, ph));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt_header *h;
	void *fdt;

	if (size < sizeof(*h) || size > 65536)
		return 0;
	fdt = malloc(size); /* exactly the blob: ASan sees any read past it */
	if (!fdt)
		return 0;
	memcpy(fdt, data, size);
	h = fdt;
	h->totalsize = cpu_to_fdt32((uint32_t)size);
	dt_use(fdt);
	if (fdt_check_header(fdt) != 0)
		check(!dt_blob());
	if (dt_blob())
		agree(fdt);
	dt_use(NULL);
	free(fdt);
	return 0;
}
