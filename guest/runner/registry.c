/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* Test selection: selectors from the request matched against the catalogue. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "runner/registry.h"

int registry_full_name(const struct boot_test *t, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s.%s", t->suite, t->name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int registry_check(const struct boot_test *tests, size_t count)
{
	char prev[REGISTRY_NAME_MAX], cur[REGISTRY_NAME_MAX];

	if (count > REGISTRY_MAX_TESTS)
		return -EINVAL;
	for (size_t i = 0; i < count; i++) {
		if (registry_full_name(&tests[i], cur, sizeof(cur)))
			return -EINVAL;
		if (i && strcmp(prev, cur) >= 0)
			return -EINVAL;
		memcpy(prev, cur, sizeof(cur));
	}
	return 0;
}

int registry_select(const struct boot_test *tests, size_t count,
		    const char *const *selectors, size_t nr_selectors,
		    bool all_by_default, uint16_t *selected, const char **unknown)
{
	static uint8_t chosen[REGISTRY_MAX_TESTS];
	char name[REGISTRY_NAME_MAX];
	size_t nr = 0;

	*unknown = NULL;
	if (count > REGISTRY_MAX_TESTS)
		return -EINVAL;
	memset(chosen, 0, count);

	for (size_t s = 0; s < nr_selectors; s++) {
		bool matched = false;

		for (size_t i = 0; i < count; i++) {
			if (registry_full_name(&tests[i], name, sizeof(name)))
				return -EINVAL;
			if (proto_selector_match(selectors[s], name)) {
				chosen[i] = 1;
				matched = true;
			}
		}
		if (!matched) {
			*unknown = selectors[s];
			return -ENOENT;
		}
	}
	for (size_t i = 0; i < count; i++) {
		if (!nr_selectors) {
			if (registry_full_name(&tests[i], name, sizeof(name)))
				return -EINVAL;
			chosen[i] = all_by_default || proto_in_default_set(name);
		}
		if (chosen[i])
			selected[nr++] = (uint16_t)i;
	}
	return (int)nr;
}
