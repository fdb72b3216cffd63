/* SPDX-License-Identifier: MIT */
/*
 * The few C library functions the secondary test image and libfdt need,
 * byte by byte: the image runs with the MMU off, where every data access is
 * Device memory and must be naturally aligned (no picolibc, whose string
 * routines use wide unaligned loads and DC ZVA).
 */
#include <stddef.h>
#include <stdint.h>

#include "sec.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *p, int c, size_t n)
{
	const uint8_t *s = p;

	for (; n; n--, s++)
		if (*s == (uint8_t)c)
			return (void *)s;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

/* Big-endian cell reads that never make a wide access. */
uint32_t be32_at(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t cells_at(const void *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | be32_at((const uint8_t *)p + 4 * i);
	return v;
}

/* POSIX cksum(1): CRC-32 (poly 0x04C11DB7, MSB first) over data, then length. */
static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
	crc ^= (uint32_t)b << 24;
	for (int i = 0; i < 8; i++)
		crc = crc & 0x80000000u ? crc << 1 ^ 0x04C11DB7u : crc << 1;
	return crc;
}

uint32_t posix_cksum(const uint8_t *p, uint64_t len)
{
	uint32_t crc = 0;

	for (uint64_t i = 0; i < len; i++)
		crc = crc_byte(crc, p[i]);
	for (uint64_t n = len; n; n >>= 8)
		crc = crc_byte(crc, (uint8_t)n);
	return ~crc;
}

/* libfdt.a is built with -fstack-protector: give it a guard and a way out. */
uintptr_t __stack_chk_guard = 0x5ec0da7a5ec0da7aull;

void __attribute__((noreturn)) __stack_chk_fail(void)
{
	for (;;)
		__asm__ volatile("wfi");
}
