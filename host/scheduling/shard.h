/* SPDX-License-Identifier: MIT */
/*
 * Splitting a list of tests: across CI shards and across parallel QEMU
 * instances.
 */
#ifndef HOST_SHARD_H
#define HOST_SHARD_H

#include <stdbool.h>
#include <stddef.h>

/* Does shard @index of @count run the @i-th selected test? (round robin) */
static inline bool shard_selects(size_t i, unsigned long index, unsigned long count)
{
	return count <= 1 || i % count == index;
}

/*
 * Part @part of @n items cut into @parts contiguous runs whose sizes differ
 * by at most one: sets *start and returns the length.
 */
size_t shard_part(size_t n, size_t parts, size_t part, size_t *start);

#endif
