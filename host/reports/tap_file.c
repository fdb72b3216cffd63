/* SPDX-License-Identifier: MIT */
/* TAP version 13 of a whole run (--tap FILE): prove, tappy and other TAP consumers. */
#include <errno.h>
#include <stdio.h>

#include "reports/atomic_file.h"
#include "reports/tap_file.h"

/* What a TAP reader is told about a test that did not pass, beside its "not ok". */
static const char *failure_kind(enum test_state s)
{
	switch (s) {
	case TEST_CRASH:
		return "ERROR";
	case TEST_TIMEOUT:
		return "TIMEOUT";
	case TEST_LOST:
		return "ERROR no result";
	case TEST_PENDING:
		return "not run";
	default:
		return "FAIL";
	}
}

int tap_write(FILE *f, const struct test_set *t)
{
	fprintf(f, "TAP version 13\n1..%zu\n", t->n);
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];
		const char *p, *at = NULL;
		size_t n;

		/* the test's own lines, every one a comment: TAP 13 has no subtests */
		while ((p = test_log_line(r, &at, &n)))
			fprintf(f, "# %.*s\n", (int)n, p);
		if (r->state == TEST_PASS) {
			fprintf(f, "ok %zu - %s\n", i + 1, r->name);
		} else if (r->state == TEST_SKIP) {
			fprintf(f, "ok %zu - %s # SKIP %s\n", i + 1, r->name,
				r->reason ? r->reason : "");
		} else {
			fprintf(f, "not ok %zu - %s\n", i + 1, r->name);
			fprintf(f, "# %s: %s%s%s\n", r->name, failure_kind(r->state),
				r->reason ? ": " : "", r->reason ? r->reason : "");
		}
		if (r->flaky)
			fprintf(f, "# %s: flaky, passed on attempt %u\n", r->name, r->attempts);
	}
	return ferror(f) ? -EIO : 0;
}

static int write_tap(FILE *f, const void *t)
{
	return tap_write(f, t);
}

int tap_write_file(const char *path, const struct test_set *t)
{
	return atomic_file_write(path, write_tap, t);
}
