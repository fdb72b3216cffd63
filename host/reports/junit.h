/* SPDX-License-Identifier: MIT */
/* JUnit XML as GitLab and Jenkins read it, and the XML escaping it needs. */
#ifndef HOST_JUNIT_H
#define HOST_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include "scheduling/results.h"

/*
 * Write @len bytes of untrusted text as XML 1.0 character data or attribute
 * value: markup characters escaped, characters XML cannot carry at all
 * (controls other than tab/LF/CR, U+FFFE/U+FFFF, surrogates) and invalid
 * UTF-8 replaced by U+FFFD. Returns 0 or -EIO.
 */
int xml_write_escaped(FILE *f, const char *s, size_t len);

/*
 * One <testsuite> per suite, one <testcase> per test with its time, a
 * <failure>/<error>/<skipped> element and its log as <system-out>.
 * Returns 0 or -EIO.
 */
int junit_write(FILE *f, const struct test_set *t, const char *name, double total_secs);

/* junit_write() into @path (written to a temporary name, then renamed). */
int junit_write_file(const char *path, const struct test_set *t, const char *name,
		     double total_secs);

#endif
