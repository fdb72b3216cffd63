/* SPDX-License-Identifier: MIT */
/* Packing selectors into boottest requests within the guest's limits. */
#include <string.h>

#include "protocol/request.h"

/* "boottest" and the reset option asked for: where the selectors start. */
static size_t head(char *buf, enum proto_reset reset)
{
	static const char boottest[] = "boottest";
	const char *opt = reset == PROTO_RESET_ALWAYS	     ? " " PROTO_RESET_OPTION
			  : reset == PROTO_RESET_AFTER_CRASH ? " " PROTO_RESET_AFTER_CRASH_OPTION
							     : "";
	size_t l = sizeof(boottest) - 1;

	memcpy(buf, boottest, l);
	memcpy(buf + l, opt, strlen(opt));
	return l + strlen(opt);
}

size_t request_build(char *buf, const char *const *sel, size_t n, enum proto_reset reset,
		     size_t *len)
{
	size_t l = head(buf, reset), taken = 0;

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

size_t request_build_list(char *buf, enum proto_reset reset)
{
	static const char list[] = " " PROTO_LIST_OPTION "\n";
	size_t l = head(buf, reset);

	memcpy(buf + l, list, sizeof(list));
	return l + sizeof(list) - 1;
}
