/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * Device-tree lookups over the validated DTB (portable: also built and
 * unit-tested against libfdt's own answers). An index built in one walk
 * (dt_index.c) answers the by-parent, by-compatible, by-phandle and by-path
 * questions and reads properties (dt_getprop); a tree it does not cover is
 * left to libfdt's public API, whose answers the index gives.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "platform/dt.h"
#include "platform/dt_index.h"

static const void *blob;
/*
 * libfdt answers fdt_parent_offset, fdt_node_offset_by_compatible/_by_phandle/
 * _by_prop_value by walking the tree from the root on every call; in TCG,
 * with libfdt's bytewise loads, a walk costs ~0.3 ms and boot made dozens
 * (probing 32 virtio-mmio nodes alone took ~3 ms): docs/performance.md. The
 * blob is never modified in place. A tree the index does not cover falls
 * back to libfdt.
 */
static struct dt_index dti[DT_INDEX_MAX];
static int dti_n = DT_WALK_LIBFDT; /* the node count, or DT_WALK_LIBFDT */

static bool dt_indexed(void)
{
	return dti_n >= 0;
}

/* The index entry for @node, or NULL (entries ascend by offset). */
static const struct dt_index *dt_entry(int node)
{
	int lo = 0, hi = dti_n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (dti[mid].node == node)
			return &dti[mid];
		if (dti[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int dt_parent(int node)
{
	const struct dt_index *e;

	if (!blob)
		return -FDT_ERR_BADSTATE;
	if (!dt_indexed())
		return fdt_parent_offset(blob, node);
	e = dt_entry(node);
	return e ? e->parent : -FDT_ERR_BADOFFSET;
}

int dt_find_compatible(int from, const char *compat)
{
	if (!blob)
		return -FDT_ERR_BADSTATE;
	if (!dt_indexed())
		return fdt_node_offset_by_compatible(blob, from, compat);
	for (int i = 0; i < dti_n; i++)
		if (dti[i].node > from && dti[i].compat_len > 0 &&
		    fdt_stringlist_contains(dti[i].compat, dti[i].compat_len, compat))
			return dti[i].node;
	return -FDT_ERR_NOTFOUND;
}

int dt_find_phandle(uint32_t phandle)
{
	if (!blob)
		return -FDT_ERR_BADSTATE;
	if (phandle == 0 || phandle == (uint32_t)-1)
		return -FDT_ERR_BADPHANDLE;
	if (!dt_indexed())
		return fdt_node_offset_by_phandle(blob, phandle);
	for (int i = 0; i < dti_n; i++)
		if (dti[i].phandle == phandle)
			return dti[i].node;
	return -FDT_ERR_NOTFOUND;
}

/* libfdt's rule: "name" also matches a node named "name@unit". */
static bool dt_name_eq(const struct dt_index *e, const char *want, size_t len)
{
	const char *name = (const char *)blob + fdt_off_dt_struct(blob) + e->node + FDT_TAGSIZE;
	size_t l = (size_t)e->namelen;

	if (l < len || memcmp(name, want, len))
		return false;
	return l == len || (!memchr(want, '@', len) && name[len] == '@');
}

/* fdt_subnode_offset_namelen. */
static int dt_child(int node, const char *name, size_t len)
{
	if (!dt_indexed())
		return fdt_subnode_offset_namelen(blob, node, name, (int)len);
	for (int i = 0; i < dti_n; i++)
		if (dti[i].parent == node && dt_name_eq(&dti[i], name, len))
			return dti[i].node;
	return -FDT_ERR_NOTFOUND;
}

/* The node at the '/'-separated @path below @node, as fdt_path_offset walks it. */
static int dt_path_below(int node, const char *path)
{
	while (*path && node >= 0) {
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		len = strcspn(path, "/");
		node = dt_child(node, path, len);
		path += len;
	}
	return node;
}

static const void *dt_getprop_namelen(int node, const char *name, size_t n, int *lenp)
{
	if (!dt_indexed())
		return fdt_getprop_namelen(blob, node, name, (int)n, lenp);
	if (!dt_entry(node)) {
		if (lenp)
			*lenp = -FDT_ERR_BADOFFSET;
		return NULL;
	}
	return dt_index_getprop(blob, node, name, n, lenp);
}

/*
 * "alias/rest", the alias resolved as libfdt does since dtc 79b9e32: its
 * value an absolute path, NUL-terminated. libfdt 1.6.1 follows an alias to
 * itself until the stack overflows and reads an unterminated one past its
 * end; this holds when the index is not in use too.
 */
static int dt_alias_path(const char *path)
{
	size_t n = strcspn(path, "/");
	int aliases = dt_path_below(0, "/aliases"), len, node;
	const char *v;

	if (aliases < 0 || n == 0)
		return -FDT_ERR_BADPATH;
	v = dt_getprop_namelen(aliases, path, n, &len);
	if (!v || len <= 0 || v[len - 1] != '\0' || v[0] != '/')
		return -FDT_ERR_BADPATH;
	node = dt_path_below(0, v);
	return node < 0 ? node : dt_path_below(node, path + n);
}

int dt_path_offset(const char *path)
{
	if (!blob)
		return -FDT_ERR_BADSTATE;
	return path[0] == '/' ? dt_path_below(0, path) : dt_alias_path(path);
}

int dt_find_memory(int from)
{
	if (!blob)
		return -FDT_ERR_BADSTATE;
	if (!dt_indexed())
		return fdt_node_offset_by_prop_value(blob, from, "device_type", "memory",
						     sizeof("memory"));
	for (int i = 0; i < dti_n; i++)
		if (dti[i].node > from && dti[i].memory)
			return dti[i].node;
	return -FDT_ERR_NOTFOUND;
}

const void *dt_getprop(int node, const char *name, int *lenp)
{
	if (!blob) {
		if (lenp)
			*lenp = -FDT_ERR_BADSTATE;
		return NULL;
	}
	if (!dt_indexed())
		return fdt_getprop(blob, node, name, lenp);
	if (!dt_entry(node)) {
		if (lenp)
			*lenp = -FDT_ERR_BADOFFSET;
		return NULL;
	}
	return dt_index_getprop(blob, node, name, strlen(name), lenp);
}

int dt_check_compatible(int node, const char *compat)
{
	const struct dt_index *e;

	if (!blob)
		return -FDT_ERR_BADSTATE;
	if (!dt_indexed())
		return fdt_node_check_compatible(blob, node, compat);
	e = dt_entry(node);
	if (!e)
		return -FDT_ERR_BADOFFSET;
	if (e->compat_len < 0)
		return -FDT_ERR_NOTFOUND;
	return !fdt_stringlist_contains(e->compat, e->compat_len, compat);
}

/* libfdt's fdt_cells (fdt_addresses.c), through dt_getprop. */
static int dt_cells(int node, const char *name)
{
	const fdt32_t *c;
	uint32_t val;
	int len;

	c = dt_getprop(node, name, &len);
	if (!c)
		return len;
	if (len != sizeof(*c))
		return -FDT_ERR_BADNCELLS;
	val = fdt32_to_cpu(*c);
	return val > FDT_MAX_NCELLS ? -FDT_ERR_BADNCELLS : (int)val;
}

int dt_address_cells(int node)
{
	int val = dt_cells(node, "#address-cells");

	if (val == 0)
		return -FDT_ERR_BADNCELLS;
	return val == -FDT_ERR_NOTFOUND ? 2 : val;
}

int dt_size_cells(int node)
{
	int val = dt_cells(node, "#size-cells");

	return val == -FDT_ERR_NOTFOUND ? 1 : val;
}

static int read_cells(const fdt32_t *cells, int n, uint64_t *out)
{
	uint64_t v = 0;
	int i;

	if (n < 0 || n > 2)
		return -EINVAL;
	for (i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(cells[i]);
	*out = v;
	return 0;
}

int dt_reg(int node, int index, uint64_t *base, uint64_t *size)
{
	const fdt32_t *reg;
	int parent, ac, sc, len, ret;

	if (!blob || index < 0)
		return -ENODEV;
	parent = dt_parent(node);
	if (parent < 0)
		return -EINVAL;
	ac = dt_address_cells(parent);
	sc = dt_size_cells(parent);
	if (ac < 0 || sc < 0)
		return -EINVAL;
	if (ac < 1 || ac > 2 || sc > 2)
		return -EINVAL;
	reg = dt_getprop(node, "reg", &len);
	if (!reg)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	if (len < 0 || (size_t)len < (size_t)(index + 1) * (ac + sc) * sizeof(*reg))
		return -ENOENT;
	reg += index * (ac + sc);
	ret = read_cells(reg, ac, base);
	if (ret < 0)
		return ret;
	if (sc == 0) {
		*size = 0;
		return 0;
	}
	return read_cells(reg + ac, sc, size);
}

void dt_use(const void *fdt)
{
	blob = fdt;
	dti_n = fdt ? dt_index_build(fdt, dti, DT_INDEX_MAX) : DT_WALK_LIBFDT;
	if (dti_n == DT_WALK_UNSAFE) {
		blob = NULL;
		dti_n = DT_WALK_LIBFDT;
	}
}

const void *dt_blob(void)
{
	return blob;
}

bool dt_index_in_use(void)
{
	return dt_indexed();
}

/* A string property that is NUL-terminated within its length, or NULL. */
const char *dt_string(int node, const char *name)
{
	const char *s;
	int len;

	if (!blob)
		return NULL;
	s = dt_getprop(node, name, &len);
	if (!s || len <= 0 || strnlen(s, len) >= (size_t)len)
		return NULL;
	return s;
}

int dt_interrupt_parent(int node)
{
	const fdt32_t *ph;
	int len, depth = 0;

	/* interrupt-parent is inherited from the nearest ancestor that has it. */
	while (node >= 0 && depth++ < 64) {
		ph = dt_getprop(node, "interrupt-parent", &len);
		if (ph) {
			if (len != sizeof(*ph))
				return -EINVAL;
			node = dt_find_phandle(fdt32_to_cpu(*ph));
			return node < 0 ? -ENOENT : node;
		}
		if (node == 0)
			break;
		node = dt_parent(node);
	}
	return -ENOENT;
}

int dt_interrupt_cells(int node)
{
	const fdt32_t *c;
	int parent, len;

	parent = dt_interrupt_parent(node);
	if (parent < 0)
		return parent;
	c = dt_getprop(parent, "#interrupt-cells", &len);
	if (!c || len != sizeof(*c))
		return -EINVAL;
	len = (int)fdt32_to_cpu(*c);
	return len >= 1 && len <= 4 ? len : -EINVAL;
}

/*
 * The reg (MPIDR affinity) of every /cpus node whose device_type is "cpu",
 * boot CPU included; /cpus also holds cpu-map and other non-CPU nodes.
 */
int dt_cpus(uint64_t *mpidrs, size_t max)
{
	int cpus, node, ret;
	size_t n = 0;

	if (!blob)
		return -ENODEV;
	cpus = dt_path_offset("/cpus");
	if (cpus < 0)
		return -ENODEV;
	fdt_for_each_subnode(node, blob, cpus)
	{
		const char *type = dt_string(node, "device_type");
		uint64_t reg, size;

		if (!type || strcmp(type, "cpu") != 0)
			continue;
		ret = dt_reg(node, 0, &reg, &size);
		if (ret < 0)
			return ret;
		if (n < max)
			mpidrs[n] = reg & DT_MPIDR_AFF_MASK;
		n++;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return n > max ? (int)max : (int)n;
}
