/* SPDX-License-Identifier: MIT */
/* The merged KTAP document of a whole run (--ktap FILE). */
#ifndef HOST_REPORTS_KTAP_FILE_H
#define HOST_REPORTS_KTAP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scheduling/results.h"

/* A test's log line that is one of its own subtests' KTAP lines (indented by 4 per level). */
bool ktap_subtest_line(const char *p, size_t n);
/* Into @f. Returns 0 or -EIO. */
int ktap_write(FILE *f, const struct test_set *t);
/* Into @path, replaced whole. Returns 0 or -errno. */
int ktap_write_file(const char *path, const struct test_set *t);

#endif
