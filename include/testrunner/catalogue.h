/* SPDX-License-Identifier: MIT */
/*
 * The catalogue a `boottest --list` request returns (docs/protocol.md): each
 * test's "suite.case" line is followed by a diagnostic with its options and
 * source file, which a host that reads only names skips like any diagnostic.
 */
#ifndef TESTRUNNER_CATALOGUE_H
#define TESTRUNNER_CATALOGUE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <testrunner/protocol.h>

/*
 * "# test suite.case timeout_s=N cpus=N manual=0|1 file=PATH"
 *
 * Fields after the name are key=value, one space apart. A reader ignores keys
 * it does not know (a later guest may add some before file=); file= is the
 * last field and runs to the end of the line, so a path may hold spaces.
 * timeout_s=0: the harness's default timeout; cpus=0 or 1: any machine.
 */
#define PROTO_CATALOGUE_PREFIX	  "# test "
#define PROTO_CATALOGUE_FILE_MAX  255  /* longest source path a guest sends */
#define PROTO_CATALOGUE_LINE_MAX  400  /* a line with the longest name and path fits */
#define PROTO_CATALOGUE_TESTS_MAX 1024 /* tests an image may hold */

struct proto_test_info {
	const char *name; /* "suite.case", not NUL-terminated: name_len bytes */
	size_t name_len;
	const char *file; /* not NUL-terminated: file_len bytes; NULL if absent */
	size_t file_len;
	uint32_t timeout_s;
	uint32_t cpus;
	bool manual;
};

/*
 * Does @selector pick the test @name? A manual test is picked only by its
 * exact name, never by its suite or a glob (as Bazel's "manual" tag keeps a
 * target out of wildcards), so no pattern can start one by accident.
 */
static inline bool proto_selector_picks(const char *selector, const char *name, bool manual)
{
	return manual ? strcmp(selector, name) == 0 : proto_selector_match(selector, name);
}

/*
 * Format the catalogue line (no '\n') of one test into @buf. Returns its
 * length, or -ENAMETOOLONG when it does not fit @size.
 */
static inline int proto_catalogue_format(char *buf, size_t size, const char *suite,
					 const char *name, uint32_t timeout_s, uint32_t cpus,
					 bool manual, const char *file)
{
	int n = snprintf(buf, size,
			 PROTO_CATALOGUE_PREFIX "%s.%s timeout_s=%lu cpus=%lu "
						"manual=%d file=%s",
			 suite, name, (unsigned long)timeout_s, (unsigned long)cpus, manual ? 1 : 0,
			 file);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

/* Decimal [p, end) into *out, at most UINT32_MAX; false when it is not one. */
static inline bool proto_catalogue_u32(const char *p, const char *end, uint32_t *out)
{
	uint64_t v = 0;

	if (p == end)
		return false;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/*
 * Parse one catalogue line (@len bytes, no '\n'). Returns 0 with @out filled
 * (absent keys: 0, false, NULL), or -EINVAL when the line is not a catalogue
 * line or a known key has a bad value. The name is not validated here.
 */
static inline int proto_catalogue_parse(const char *line, size_t len, struct proto_test_info *out)
{
	const size_t plen = sizeof(PROTO_CATALOGUE_PREFIX) - 1;
	const char *end = line + len, *p, *sp;

	memset(out, 0, sizeof(*out));
	if (len <= plen || memcmp(line, PROTO_CATALOGUE_PREFIX, plen))
		return -EINVAL;
	p = line + plen;
	sp = memchr(p, ' ', (size_t)(end - p));
	out->name = p;
	out->name_len = (size_t)((sp ? sp : end) - p);
	if (!out->name_len)
		return -EINVAL;
	while (sp) {
		const char *key = sp + 1, *eq, *val;
		size_t klen;

		if (key < end && (size_t)(end - key) >= 5 && !memcmp(key, "file=", 5)) {
			out->file = key + 5;
			out->file_len = (size_t)(end - out->file);
			return 0;
		}
		sp = memchr(key, ' ', (size_t)(end - key));
		eq = memchr(key, '=', (size_t)((sp ? sp : end) - key));
		if (!eq)
			return -EINVAL;
		klen = (size_t)(eq - key);
		val = eq + 1;
		if (klen == 9 && !memcmp(key, "timeout_s", 9)) {
			if (!proto_catalogue_u32(val, sp ? sp : end, &out->timeout_s))
				return -EINVAL;
		} else if (klen == 4 && !memcmp(key, "cpus", 4)) {
			if (!proto_catalogue_u32(val, sp ? sp : end, &out->cpus))
				return -EINVAL;
		} else if (klen == 6 && !memcmp(key, "manual", 6)) {
			uint32_t m;

			if (!proto_catalogue_u32(val, sp ? sp : end, &m) || m > 1)
				return -EINVAL;
			out->manual = m;
		}
	}
	return 0;
}

/*
 * The catalogue in the image's ELF file, so that a harness can read it there
 * instead of booting the image for `boottest --list`. The section
 * PROTO_ELF_LAYOUT_SECTION, not loaded (no byte of the image), describes the
 * test descriptors: PROTO_ELF_TESTS_SECTION is an array of @entry_size-byte
 * entries, each holding at the given offsets the link-time addresses (8
 * bytes) of the NUL-terminated suite, case and source file names, which lie
 * in loaded sections, and the test's options: timeout_s (4 bytes), cpus (2)
 * and manual (1). Little-endian, like the guest.
 */
#define PROTO_ELF_LAYOUT_SECTION ".testrunner.catalogue"
#define PROTO_ELF_TESTS_SECTION	 ".boot_tests"
#define PROTO_ELF_LAYOUT_MAGIC	 "TRCATLG"
#define PROTO_ELF_LAYOUT_VERSION 1

struct proto_elf_layout {
	char magic[8]; /* PROTO_ELF_LAYOUT_MAGIC, NUL-padded */
	uint32_t version;
	uint32_t entry_size;
	uint32_t suite, name, file; /* offsets of the addresses */
	uint32_t timeout_s, cpus, manual;
};

#endif /* TESTRUNNER_CATALOGUE_H */
