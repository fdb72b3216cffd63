/* SPDX-License-Identifier: MIT */
/* The DT index (dt_index.c, portable): every node from one walk of the structure block. */
#ifndef PLATFORM_DT_INDEX_H
#define PLATFORM_DT_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A tree with more nodes, or nested deeper (the root counts), is left to libfdt. */
#define DT_INDEX_MAX 256
#define DT_DEPTH_MAX 32

struct dt_index {
	int node, parent; /* libfdt's offsets; the root's parent -FDT_ERR_NOTFOUND */
	uint32_t phandle; /* fdt_get_phandle's answer: 0 for none */
	int compat_len;	  /* < 0: no compatible property */
	const char *compat;
	int namelen; /* the name follows the node's FDT_BEGIN_NODE tag */
	bool memory; /* device_type = "memory" */
};

/* dt_index_build's answers other than a node count. */
#define DT_WALK_LIBFDT (-1) /* not indexed (too big, too deep, malformed): ask libfdt */
#define DT_WALK_UNSAFE (-2) /* bad header, or libfdt's walk would never end: refuse it */

/*
 * Index every node of @fdt into @out (@max entries): the node count, or
 * DT_WALK_LIBFDT / DT_WALK_UNSAFE. Reads nothing outside the header's
 * structure and strings blocks.
 */
int dt_index_build(const void *fdt, struct dt_index *out, int max);
/* fdt_getprop_namelen for @node of a tree dt_index_build indexed. */
const void *dt_index_getprop(const void *fdt, int node, const char *name, size_t n, int *lenp);

#endif
