/* SPDX-License-Identifier: MIT */
/* The values options take: numbers, memory sizes, CPU counts, selectors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "commands/cli.h"

#define MEMORY_DIGITS_MAX 9

bool cli_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool cli_memory_valid(const char *s)
{
	size_t i = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i > MEMORY_DIGITS_MAX)
		return false;
	if (!s[i])
		return true;
	return strchr("kKmMgGtT", s[i]) && !s[i + 1];
}

uint64_t cli_memory_mib(const char *s)
{
	uint64_t v = strtoull(s, NULL, 10);

	/* QEMU's -m: MiB without a suffix */
	switch (s[strspn(s, "0123456789")]) {
	case 'k':
	case 'K':
		return v / 1024;
	case 'g':
	case 'G':
		return v << 10;
	case 't':
	case 'T':
		return v << 20;
	default:
		return v;
	}
}

bool cli_smp_parse(const char *s, unsigned int *smp)
{
	unsigned long v;

	if (!cli_parse_ulong(s, 1, CLI_SMP_MAX, &v))
		return false;
	*smp = (unsigned int)v;
	return true;
}

bool cli_selector_valid(const char *s, const char **why)
{
	/* "boottest SEL\n" must fit one request */
	if (strlen(s) > PROTO_REQUEST_MAX - sizeof(PROTO_BOOTTEST_PREFIX)) {
		if (why)
			*why = "too long for a request";
		return false;
	}
	return proto_selector_valid(s, strlen(s), why);
}
