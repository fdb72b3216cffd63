/* SPDX-License-Identifier: MIT */
/* JUnit XML as GitLab and Jenkins read it, and the XML escaping it needs. */
#ifndef HOST_JUNIT_H
#define HOST_JUNIT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "scheduling/results.h"

/* Length of a valid UTF-8 sequence at @s that XML (and so JSON) can carry, or 0. */
size_t text_utf8_len(const unsigned char *s, size_t len);

/*
 * Write @len bytes of untrusted text as XML 1.0 character data or attribute
 * value: markup characters escaped, characters XML cannot carry at all
 * (controls other than tab/LF/CR, U+FFFE/U+FFFF, surrogates) and invalid
 * UTF-8 replaced by U+FFFD. Returns 0 or -EIO.
 */
int xml_write_escaped(FILE *f, const char *s, size_t len);

/* What the report says about the run as a whole. */
struct junit_run {
	const char *name;     /* <testsuites name> */
	double secs;	      /* the run's wall-clock time */
	time_t started;	      /* each <testsuite timestamp>, in UTC */
	const char *hostname; /* each <testsuite hostname>; NULL: not written */
	bool no_case_file;    /* no <testcase file> (Jenkins' schemas reject it) */
};

/*
 * One <testsuite> per suite, one <testcase> per test with its time and
 * source file, a <failure>/<error>/<skipped> element, each earlier attempt
 * of a retried test as <flakyFailure>/<flakyError> (it passed in the end) or
 * <rerunFailure>/<rerunError>, and its log as <system-out>. Only attributes
 * the Jenkins JUnit schemas know. Returns 0 or -EIO.
 */
int junit_write(FILE *f, const struct test_set *t, const struct junit_run *run);

/* junit_write() into @path (written to a temporary name, then renamed). */
int junit_write_file(const char *path, const struct test_set *t, const struct junit_run *run);

#endif
