/* SPDX-License-Identifier: MIT */
/*
 * Splitting a list of tests: across CI shards, across parallel QEMU
 * instances, and into requests that fit the guest's 255-byte limit.
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

/* Most selectors one request may carry (the guest's REQUEST_MAX_SELECTORS). */
#define REQUEST_SELECTORS_MAX 64

/*
 * Build "boottest SEL SEL ...\n" into @buf (at least PROTO_REQUEST_MAX + 2
 * bytes) from as many of @sel[0..n) as fit in PROTO_REQUEST_MAX bytes
 * including the newline. Returns how many were taken (at least 1 if n > 0
 * and the first fits), or 0 when n == 0 or @sel[0] alone does not fit.
 * With n == 0 the request is "boottest\n" (the default set).
 */
size_t request_build(char *buf, const char *const *sel, size_t n, size_t *len);

#endif
