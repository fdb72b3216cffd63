/* SPDX-License-Identifier: MIT */
/* Packing selectors into boottest requests within the guest's limits. */
#include <string.h>

#include "protocol/request.h"

size_t request_build(char *buf, const char *const *sel, size_t n, size_t *len)
{
	static const char head[] = "boottest";
	size_t l = sizeof(head) - 1, taken = 0;

	memcpy(buf, head, l);
	while (taken < n && taken < PROTO_SELECTORS_MAX) {
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
