/* SPDX-License-Identifier: MIT */
/* The merged KTAP document of a whole run (--ktap FILE). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "reports/atomic_file.h"
#include "reports/ktap_file.h"

/* Starts with @word. */
static bool starts(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && !memcmp(p, word, w);
}

/*
 * A line of a test's own nested KTAP: indented by 4 spaces per level (the
 * KTAP spec's subtests), then a version line, a plan, a result or a
 * diagnostic. It stays where it is, a subtest of the test whose result
 * follows.
 */
bool ktap_subtest_line(const char *p, size_t n)
{
	size_t ind = 0;

	while (ind < n && p[ind] == ' ')
		ind++;
	if (ind == 0 || ind % 4)
		return false;
	p += ind;
	n -= ind;
	return starts(p, n, "KTAP version ") || starts(p, n, "1..") || starts(p, n, "ok ") ||
	       starts(p, n, "not ok ") || starts(p, n, "#");
}

int ktap_write(FILE *f, const struct test_set *t)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", t->n);
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];
		const char *p, *at = NULL;
		size_t n;

		fprintf(f, "# start %s\n", r->name);
		/* the test's own lines: its subtests as they are, the rest diagnostics */
		while ((p = test_log_line(r, &at, &n))) {
			const char *pre = (n && p[0] == '#') || ktap_subtest_line(p, n) ? "" : "# ";

			fprintf(f, "%s%.*s\n", pre, (int)n, p);
		}
		if (r->exception)
			fprintf(f, "# exception:%s\n", r->exception);
		if (r->backtrace)
			fprintf(f, "# backtrace:%s\n", r->backtrace);
		switch (r->state) {
		case TEST_PASS:
			fprintf(f, "ok %zu %s\n", i + 1, r->name);
			break;
		case TEST_SKIP:
			fprintf(f, "ok %zu %s # SKIP %s\n", i + 1, r->name,
				r->reason ? r->reason : "");
			break;
		case TEST_FAIL:
			fprintf(f, "not ok %zu %s\n", i + 1, r->name);
			break;
		case TEST_CRASH:
			fprintf(f, "not ok %zu %s # ERROR %s\n", i + 1, r->name,
				r->reason ? r->reason : "exception");
			break;
		case TEST_TIMEOUT:
			fprintf(f, "not ok %zu %s # TIMEOUT %s\n", i + 1, r->name,
				r->reason ? r->reason : "");
			break;
		case TEST_LOST:
		case TEST_PENDING:
			fprintf(f, "not ok %zu %s # ERROR %s\n", i + 1, r->name,
				r->state == TEST_LOST ? "no result" : "not run");
			break;
		}
	}
	return ferror(f) ? -EIO : 0;
}

static int write_ktap(FILE *f, const void *t)
{
	return ktap_write(f, t);
}

int ktap_write_file(const char *path, const struct test_set *t)
{
	return atomic_file_write(path, write_ktap, t);
}
