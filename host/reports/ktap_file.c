/* SPDX-License-Identifier: MIT */
/* The merged KTAP document of a whole run (--ktap FILE). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reports/atomic_file.h"
#include "reports/ktap_file.h"

int ktap_write(FILE *f, const struct test_set *t)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", t->n);
	for (size_t i = 0; i < t->n; i++) {
		const struct test_rec *r = &t->v[i];
		const char *p = r->log, *end = r->log + r->log_len;

		fprintf(f, "# start %s\n", r->name);
		/* the test's own lines, each kept a KTAP diagnostic */
		while (p && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			fprintf(f, "%s%.*s\n", n && p[0] == '#' ? "" : "# ", (int)n, p);
			p += n + 1;
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
