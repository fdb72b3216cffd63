/* SPDX-License-Identifier: MIT */
/* Device-tree lookups (dt_lookup.c, portable) over the DTB given to dt_use(). */
#ifndef PLATFORM_DT_H
#define PLATFORM_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Use @fdt for every lookup below (NULL: none), indexed at once. A blob with
 * a bad header, or one libfdt's walk would never get through, is refused:
 * dt_blob() is NULL then.
 */
void dt_use(const void *fdt);
/* The DTB in use (read-only), or NULL. */
const void *dt_blob(void);
/* False when the tree is too big or deep for the index: libfdt answers. */
bool dt_index_in_use(void);

int dt_reg(int node, int index, uint64_t *base, uint64_t *size);
/*
 * fdt_parent_offset, fdt_node_offset_by_compatible, fdt_node_offset_by_phandle,
 * fdt_path_offset without a walk from the root on every call (same arguments
 * and returns).
 */
int dt_parent(int node);
int dt_path_offset(const char *path);
int dt_find_compatible(int from, const char *compat);
int dt_find_phandle(uint32_t phandle);
/* fdt_getprop, fdt_node_check_compatible, fdt_address_cells, fdt_size_cells. */
const void *dt_getprop(int node, const char *name, int *lenp);
int dt_check_compatible(int node, const char *compat);
int dt_address_cells(int node);
int dt_size_cells(int node);
/* The next node after @from with device_type = "memory" (fdt_* errors). */
int dt_find_memory(int from);
/* A string property NUL-terminated within its length, else NULL. */
const char *dt_string(int node, const char *name);
/* @node's interrupt parent (inherited from ancestors), or a negative errno. */
int dt_interrupt_parent(int node);
/* #interrupt-cells of @node's interrupt parent, or a negative errno. */
int dt_interrupt_cells(int node);
/* MPIDR affinity fields (Aff3..Aff0) as they appear in /cpus reg. */
#define DT_MPIDR_AFF_MASK 0xff00ffffffULL
/*
 * Fill @mpidrs with the reg of every /cpus/cpu node, boot CPU included.
 * Returns the count (CPUs beyond @max are not listed) or a negative errno.
 */
int dt_cpus(uint64_t *mpidrs, size_t max);

/* dt_memory.c: the memory map (portable too). */
#include "lib/mem_ranges.h"

/*
 * First range of the device_type = "memory" nodes; with several, the one
 * that holds @addr. 0, -ENOENT (none) or -EINVAL.
 */
int dt_memory_at(uint64_t addr, uint64_t *base, uint64_t *size);
/*
 * Whether @node is in use: its "status" is absent, "okay" or "ok"; for a
 * program in the Secure state "secure-status", when present, decides.
 */
bool dt_available(int node, bool secure);
/*
 * Every reg range of every available memory node into @out. Returns the
 * count, -E2BIG when there are more than @max, or -EINVAL for a bad reg.
 */
int dt_memory_ranges(struct mem_range *out, size_t max, bool secure);

/* Memory the DT keeps from us: /memreserve/ entries and /reserved-memory nodes. */
struct dt_reservation {
	struct mem_range range;
	const char *name; /* "/memreserve/" or the /reserved-memory child's name */
};
/*
 * Every static reservation (those with a reg; a dynamic one is placed by the
 * OS that allocates it) into @out. Returns the count, -E2BIG when there are
 * more than @max, or -EINVAL for a malformed one.
 */
int dt_reservations(struct dt_reservation *out, size_t max);

#endif
