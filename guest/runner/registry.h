/* SPDX-License-Identifier: MIT */
/* Test selection over the catalogue of registered boot tests. Portable. */
#ifndef RUNNER_REGISTRY_H
#define RUNNER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "runner/boottest.h"

/* Upper bound on registered tests; selection state is static. */
#define REGISTRY_MAX_TESTS PROTO_CATALOGUE_TESTS_MAX
#define REGISTRY_NAME_MAX  PROTO_NAME_MAX /* "suite.case" including the NUL */

/* "suite.case" of @t into @buf; returns -ENAMETOOLONG when it does not fit. */
int registry_full_name(const struct boot_test *t, char *buf, size_t size);

/*
 * Check the catalogue: at most REGISTRY_MAX_TESTS, names and source paths fit,
 * sorted and unique (the linker sorts sections by name). Returns 0, or
 * -EINVAL with a sentence naming the offending test in @why ("a.b is defined
 * twice: x.c, y.c").
 */
int registry_check(const struct boot_test *tests, size_t count, char *why, size_t whylen);

/*
 * Test @t's line of the catalogue (testrunner/catalogue.h) into @buf; returns
 * its length or -ENAMETOOLONG (registry_check guarantees a
 * PROTO_CATALOGUE_LINE_MAX buffer suffices).
 */
int registry_describe(const struct boot_test *t, char *buf, size_t size);

/*
 * Select tests in catalogue order, each once. With no selector: the default
 * set, every test not marked .manual (or everything, when @all_by_default).
 * A manual test is picked only by its exact name (proto_selector_picks).
 * Returns the number selected, or -ENOENT with *unknown set to the first
 * selector that matches no test, or -EPERM when it matches only manual tests.
 */
int registry_select(const struct boot_test *tests, size_t count, const char *const *selectors,
		    size_t nr_selectors, bool all_by_default, uint16_t *selected,
		    const char **unknown);

#endif
