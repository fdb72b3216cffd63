/* SPDX-License-Identifier: MIT */
/*
 * fixture.flood's log: exactly FLOOD_BYTES of lines "# flood 0000abcd
 * xxxx...x\n", numbered in hex so a host can check that none was lost or
 * reordered, each handed to @emit. Inline, so that with a constant @emit the
 * loop is the same as if written out; make bench's bench.flood_format
 * (tests/bench/flood_format.c) formats the same lines and sends none.
 */
#ifndef TESTS_FLOOD_H
#define TESTS_FLOOD_H

#include <stddef.h>
#include <stdint.h>

/* 65,536 lines of 64 bytes. */
#define FLOOD_BYTES (4u * 1024 * 1024)
#define FLOOD_LINE  64

static inline __attribute__((always_inline)) void flood_lines(void (*emit)(const char *, size_t))
{
	static const char hex[] = "0123456789abcdef";
	char line[FLOOD_LINE];

	for (unsigned int i = 0; i < sizeof(line) - 1; i++)
		line[i] = 'x';
	line[FLOOD_LINE - 1] = '\n';
	__builtin_memcpy(line, "# flood ", 8);
	line[16] = ' ';
	for (uint32_t n = 0; n < FLOOD_BYTES / FLOOD_LINE; n++) {
		for (int d = 0; d < 8; d++)
			line[8 + d] = hex[(n >> (28 - 4 * d)) & 0xf];
		emit(line, sizeof(line));
	}
}

#endif
