/* SPDX-License-Identifier: MIT */
/* Test selection over the catalogue of registered boot tests. Portable. */
#ifndef RUNNER_REGISTRY_H
#define RUNNER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <testrunner/protocol.h>

#include "runner/boottest.h"

/* Upper bound on registered tests; selection state is static. */
#define REGISTRY_MAX_TESTS 1024
#define REGISTRY_NAME_MAX  PROTO_NAME_MAX	/* "suite.case" including the NUL */

/* "suite.case" of @t into @buf; returns -ENAMETOOLONG when it does not fit. */
int registry_full_name(const struct boot_test *t, char *buf, size_t size);

/*
 * Check the catalogue: at most REGISTRY_MAX_TESTS, names fit, sorted and
 * unique (the linker sorts sections by name). Returns 0 or -EINVAL.
 */
int registry_check(const struct boot_test *tests, size_t count);

/*
 * Select tests in catalogue order, each once. With no selector: the default
 * set (or everything, when @all_by_default). Returns the number selected, or
 * -ENOENT with *unknown set to the first selector that matches no test.
 */
int registry_select(const struct boot_test *tests, size_t count,
		    const char *const *selectors, size_t nr_selectors,
		    bool all_by_default, uint16_t *selected, const char **unknown);

#endif
