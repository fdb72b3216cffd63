/* SPDX-License-Identifier: MIT */
/* Work splitting arithmetic (shards, -j parts). */

#include "scheduling/shard.h"

size_t shard_part(size_t n, size_t parts, size_t part, size_t *start)
{
	size_t base, extra;

	if (!parts || part >= parts) {
		*start = n;
		return 0;
	}
	base = n / parts;
	extra = n % parts;
	/* the first @extra parts take one more */
	*start = part * base + (part < extra ? part : extra);
	return base + (part < extra ? 1 : 0);
}
