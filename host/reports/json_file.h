/* SPDX-License-Identifier: MIT */
/* The run as JSON Lines (--json FILE), and reading one back (--rerun-failed FILE). */
#ifndef HOST_REPORTS_JSON_FILE_H
#define HOST_REPORTS_JSON_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "scheduling/results.h"

/*
 * One object per line and per test:
 * {"name":"suite.case","status":"FAIL","time":0.012,"reason":"...","log":PATH,"tries":N}
 * status is test_state_name(); reason and log may be null; log is the
 * serial log its boot left in @logs_dir (NULL: none kept). Returns 0 or -EIO.
 */
int json_write(FILE *f, const struct test_set *t, const char *logs_dir);
int json_write_file(const char *path, const struct test_set *t, const char *logs_dir);

/*
 * The names of the tests that did not pass or skip in a file json_write()
 * wrote, into *@names (malloc'd, each malloc'd; json_names_free after).
 * Returns the count, or a negative errno with "<why>" in @err (a line that
 * is not such a record: "line N: ...").
 */
long json_read_failed(const char *path, char ***names, char *err, size_t errlen);
void json_names_free(char **names, size_t n);

#endif
