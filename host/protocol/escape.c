/* SPDX-License-Identifier: MIT */
/* Control characters from the guest shown as \xHH. */
#include <stdbool.h>
#include <stdio.h>

#include "protocol/escape.h"

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

size_t escape_text(char *dst, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *o = dst;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (is_control(c)) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	return (size_t)(o - dst);
}

void escape_fputs(FILE *f, const char *s, size_t len)
{
	char buf[ESCAPE_GROWTH * 256 + 1];

	while (len) {
		size_t n = len < 256 ? len : 256;

		fwrite(buf, 1, escape_text(buf, s, n), f);
		s += n;
		len -= n;
	}
}
