/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * The memory map the device tree describes: RAM (memory nodes) and what it
 * reserves (/memreserve/ and /reserved-memory), through libfdt's public API.
 * Portable: also built for the host and unit-tested.
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "platform/dt.h"

int dt_memory_at(uint64_t addr, uint64_t *base, uint64_t *size)
{
	int node, ret, found = 0;

	if (!dt_blob())
		return -ENODEV;
	for (node = dt_find_memory(-1); node >= 0; node = dt_find_memory(node)) {
		uint64_t b, s;

		ret = dt_reg(node, 0, &b, &s);
		if (ret < 0)
			return ret;
		if (!found || (addr >= b && addr - b < s)) {
			*base = b;
			*size = s;
			found = 1;
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return found ? 0 : -ENOENT;
}

bool dt_available(int node, bool secure)
{
	const char *prop =
		secure && dt_getprop(node, "secure-status", NULL) ? "secure-status" : "status";
	const char *s;

	if (!dt_getprop(node, prop, NULL))
		return true;
	s = dt_string(node, prop);
	return s && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

/* Append every reg range of @node to @out[*n]; -E2BIG past @max. */
static int add_reg_ranges(int node, struct mem_range *out, size_t *n, size_t max)
{
	uint64_t base, size;
	int i, ret;

	for (i = 0; (ret = dt_reg(node, i, &base, &size)) == 0; i++) {
		if (size == 0)
			continue;
		if (base + size < base)
			return -EINVAL;
		if (*n == max)
			return -E2BIG;
		out[*n].start = base;
		out[*n].end = base + size;
		(*n)++;
	}
	return ret == -ENOENT ? 0 : ret;
}

int dt_memory_ranges(struct mem_range *out, size_t max, bool secure)
{
	size_t n = 0;
	int node, ret;

	if (!dt_blob())
		return -ENODEV;
	for (node = dt_find_memory(-1); node >= 0; node = dt_find_memory(node)) {
		if (!dt_available(node, secure))
			continue;
		ret = add_reg_ranges(node, out, &n, max);
		if (ret < 0)
			return ret;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return (int)n;
}

int dt_reservations(struct dt_reservation *out, size_t max)
{
	const void *fdt = dt_blob();
	struct mem_range r[8];
	size_t n = 0;
	int i, rsv, node, parent;

	if (!fdt)
		return -ENODEV;
	rsv = fdt_num_mem_rsv(fdt);
	if (rsv < 0)
		return -EINVAL;
	for (i = 0; i < rsv; i++) {
		uint64_t addr, size;

		if (fdt_get_mem_rsv(fdt, i, &addr, &size) < 0 || addr + size < addr)
			return -EINVAL;
		if (size == 0)
			continue;
		if (n == max)
			return -E2BIG;
		out[n].range.start = addr;
		out[n].range.end = addr + size;
		out[n++].name = "/memreserve/";
	}
	parent = dt_path_offset("/reserved-memory");
	if (parent == -FDT_ERR_NOTFOUND)
		return (int)n;
	if (parent < 0)
		return -EINVAL;
	fdt_for_each_subnode(node, fdt, parent)
	{
		size_t k = 0;
		int ret;

		if (!dt_available(node, false))
			continue;
		ret = add_reg_ranges(node, r, &k, sizeof(r) / sizeof(r[0]));
		if (ret < 0)
			return ret;
		for (i = 0; i < (int)k; i++) {
			if (n == max)
				return -E2BIG;
			out[n].range = r[i];
			out[n++].name = fdt_get_name(fdt, node, NULL);
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return (int)n;
}
