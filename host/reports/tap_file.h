/* SPDX-License-Identifier: MIT */
/* The run as TAP version 13 (--tap FILE), for TAP consumers that do not read KTAP. */
#ifndef HOST_REPORTS_TAP_FILE_H
#define HOST_REPORTS_TAP_FILE_H

#include <stdio.h>

#include "scheduling/results.h"

/*
 * "TAP version 13", the plan, "ok N - NAME" per test ("# SKIP why" for a
 * skip); a failure's kind (ERROR, TIMEOUT, not run) and reason go on a
 * diagnostic line after it, never into the name. Returns 0 or -EIO.
 */
int tap_write(FILE *f, const struct test_set *t);
/* Into @path, replaced whole. Returns 0 or -errno. */
int tap_write_file(const char *path, const struct test_set *t);

#endif
