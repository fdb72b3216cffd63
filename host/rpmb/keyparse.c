/* SPDX-License-Identifier: MIT */
/* Key parsing for --key: contiguous hex or separated bytes, exactly 32 of them. */
#include "rpmb/keyparse.h"

#include <errno.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ':' || c == ',';
}

int rpmb_parse_key(const char *text, uint8_t key[RPMB_KEY_MAC_SIZE])
{
	unsigned int n = 0;

	for (;;) {
		int hi, lo;

		while (is_sep(*text))
			text++;
		if (!*text)
			break;
		hi = hexval(*text++);
		if (hi < 0 || n == RPMB_KEY_MAC_SIZE)
			return -EINVAL;
		lo = hexval(*text);
		if (lo >= 0) {
			text++;
			key[n++] = (uint8_t)(hi << 4 | lo);
		} else if (!*text || is_sep(*text)) {
			key[n++] = (uint8_t)hi; /* a one-digit byte, as Trusty's strtol reads */
		} else {
			return -EINVAL;
		}
	}
	return n == RPMB_KEY_MAC_SIZE ? 0 : -EINVAL;
}
