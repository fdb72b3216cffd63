// SPDX-License-Identifier: MIT
/* Work splitting arithmetic (shards, -j parts, request packing). */
#include <string.h>

#include "scheduling/shard.h"

#include <testrunner/protocol.h>

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

size_t request_build(char *buf, const char *const *sel, size_t n, size_t *len)
{
	static const char head[] = "boottest";
	size_t l = sizeof(head) - 1, taken = 0;

	memcpy(buf, head, l);
	while (taken < n && taken < REQUEST_SELECTORS_MAX) {
		size_t s = strlen(sel[taken]);

		/* " SEL" plus the final '\n' must stay within the limit */
		if (l + 1 + s + 1 > PROTO_REQUEST_MAX)
			break;
		buf[l++] = ' ';
		memcpy(buf + l, sel[taken], s);
		l += s;
		taken++;
	}
	buf[l++] = '\n';
	buf[l] = '\0';
	*len = l;
	return taken;
}
