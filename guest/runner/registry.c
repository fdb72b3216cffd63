/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* The catalogue: its checks, its lines for `list`, and test selection. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "runner/registry.h"

/*
 * Where a harness finds each test's names and options in the ELF file, to
 * read the catalogue without a boot. Not loaded (linker/guest.ld.S).
 */
static const struct proto_elf_layout elf_layout
	__attribute__((used, section(PROTO_ELF_LAYOUT_SECTION))) = {
		.magic = PROTO_ELF_LAYOUT_MAGIC,
		.version = PROTO_ELF_LAYOUT_VERSION,
		.entry_size = sizeof(struct boot_test),
		.suite = offsetof(struct boot_test, suite),
		.name = offsetof(struct boot_test, name),
		.file = offsetof(struct boot_test, file),
		.timeout_s = offsetof(struct boot_test, timeout_s),
		.cpus = offsetof(struct boot_test, cpus),
		.manual = offsetof(struct boot_test, manual),
	};
_Static_assert(sizeof(((struct boot_test *)0)->timeout_s) == 4 &&
		       sizeof(((struct boot_test *)0)->cpus) == 2 &&
		       sizeof(((struct boot_test *)0)->manual) == 1 && sizeof(void *) == 8,
	       "struct boot_test no longer matches PROTO_ELF_LAYOUT_VERSION");

/* Every boot names each test at least twice (checks, selection): no printf for that. */
int registry_full_name(const struct boot_test *t, char *buf, size_t size)
{
	size_t s = strlen(t->suite), n = strlen(t->name);

	if (s + 1 + n >= size) {
		if (size)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	memcpy(buf, t->suite, s);
	buf[s] = '.';
	memcpy(buf + s + 1, t->name, n + 1);
	return 0;
}

int registry_check(const struct boot_test *tests, size_t count, char *why, size_t whylen)
{
	char prev[REGISTRY_NAME_MAX], cur[REGISTRY_NAME_MAX];
	int order;

	if (count > REGISTRY_MAX_TESTS) {
		snprintf(why, whylen, "%zu boot tests, more than the %d a catalogue holds", count,
			 REGISTRY_MAX_TESTS);
		return -EINVAL;
	}
	for (size_t i = 0; i < count; i++) {
		const struct boot_test *t = &tests[i];

		if (registry_full_name(t, cur, sizeof(cur))) {
			snprintf(why, whylen, "%s.%s: name longer than %d bytes", t->suite, t->name,
				 REGISTRY_NAME_MAX - 1);
			return -EINVAL;
		}
		if (strlen(t->file) > PROTO_CATALOGUE_FILE_MAX) {
			snprintf(why, whylen, "%s: source path longer than %d bytes", cur,
				 PROTO_CATALOGUE_FILE_MAX);
			return -EINVAL;
		}
		order = i ? strcmp(prev, cur) : -1;
		if (order == 0) {
			snprintf(why, whylen, "%s is defined twice: %s, %s", cur, tests[i - 1].file,
				 t->file);
			return -EINVAL;
		}
		if (order > 0) {
			snprintf(why, whylen, "test catalogue is not sorted: %s after %s", cur,
				 prev);
			return -EINVAL;
		}
		memcpy(prev, cur, sizeof(cur));
	}
	return 0;
}

int registry_describe(const struct boot_test *t, char *buf, size_t size)
{
	return proto_catalogue_format(buf, size, t->suite, t->name, t->timeout_s, t->cpus,
				      t->manual, t->file);
}

int registry_select(const struct boot_test *tests, size_t count, const char *const *selectors,
		    size_t nr_selectors, bool all_by_default, uint16_t *selected,
		    const char **unknown)
{
	static uint8_t chosen[REGISTRY_MAX_TESTS];
	char name[REGISTRY_NAME_MAX];
	size_t nr = 0;

	*unknown = NULL;
	if (count > REGISTRY_MAX_TESTS)
		return -EINVAL;
	memset(chosen, 0, count);

	for (size_t s = 0; s < nr_selectors; s++) {
		bool matched = false, matched_manual = false;

		for (size_t i = 0; i < count; i++) {
			if (registry_full_name(&tests[i], name, sizeof(name)))
				return -EINVAL;
			if (proto_selector_picks(selectors[s], name, tests[i].manual)) {
				chosen[i] = 1;
				matched = true;
			} else if (proto_selector_match(selectors[s], name)) {
				matched_manual = true;
			}
		}
		if (!matched) {
			*unknown = selectors[s];
			return matched_manual ? -EPERM : -ENOENT;
		}
	}
	for (size_t i = 0; i < count; i++) {
		if (!nr_selectors)
			chosen[i] = all_by_default || !tests[i].manual;
		if (chosen[i])
			selected[nr++] = (uint16_t)i;
	}
	return (int)nr;
}
