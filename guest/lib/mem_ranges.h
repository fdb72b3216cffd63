/* SPDX-License-Identifier: MIT */
/* Sets of physical address ranges: RAM minus what is taken. Portable. */
#ifndef LIB_MEM_RANGES_H
#define LIB_MEM_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* [start, end); empty when end <= start. */
struct mem_range {
	uint64_t start, end;
};

/*
 * Take [start, end) out of the @*n ranges in @r (room for @max), splitting a
 * range in two where the hole falls inside it. Returns 0, or -ENOSPC when a
 * split needs more room than @max (@r is then unchanged).
 */
int mem_ranges_remove(struct mem_range *r, size_t *n, size_t max, uint64_t start, uint64_t end);

/* Shrink every range inwards to multiples of @align (a power of two); drop empty ones. */
void mem_ranges_align(struct mem_range *r, size_t *n, uint64_t align);

/* True when [start, end) overlaps any of the @n ranges. */
bool mem_ranges_overlap(const struct mem_range *r, size_t n, uint64_t start, uint64_t end);

/* Index of the largest range, or -1 when there is none. */
int mem_ranges_largest(const struct mem_range *r, size_t n);

#endif
