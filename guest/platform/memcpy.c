/* SPDX-License-Identifier: MIT */
/*
 * memcpy for the guest. picolibc's -Os build copies byte by byte, and every
 * log byte is copied twice on its way into a frame and a virtqueue buffer:
 * that dominated fixture.flood (docs/performance.md). Eight bytes at a time,
 * unaligned: only ever called with the MMU on (entry.S), on normal memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

__attribute__((target("no-strict-align"))) void *memcpy(void *restrict dst,
							const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8) {
		uint64_t v;

		__builtin_memcpy(&v, s, 8);
		__builtin_memcpy(d, &v, 8);
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
