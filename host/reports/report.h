/* SPDX-License-Identifier: MIT */
/* What the user sees on stderr: a line per test, progress, summary, errors. */
#ifndef HOST_REPORT_H
#define HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "scheduling/results.h"

struct reporter {
	FILE *f;
	bool tty;		/* colour and progress line */
	const char *image;	/* for symbolizing crashes */
	bool progress_shown;
	size_t done, total;	/* total 0: unknown */
};

void report_init(struct reporter *r, FILE *f, bool tty, const char *image);
/* "[3/10] running suite.case" on a TTY, overwritten by the next line. */
void report_progress(struct reporter *r, const char *running);
void report_test(struct reporter *r, const struct test_rec *t);
/* "testrunner-host: <what>", then the ends of the serial console and of QEMU's own output (either may be NULL). */
void report_error(struct reporter *r, const char *msg, const char *serial_tail,
		  const char *qemu_tail);
/* "N passed, N failed, N skipped" (+ flaky, not run). */
void report_summary(struct reporter *r, const struct test_set *t);

/*
 * Write @path whole or not at all: @write(f, @ctx) fills a temporary file
 * beside it, which is then renamed over @path. Returns 0 or -errno.
 */
int report_write_atomic(const char *path, int (*write)(FILE *f, const void *ctx),
			const void *ctx);

/* The merged KTAP document of the whole run. Returns 0 or -errno. */
int ktap_write_file(const char *path, const struct test_set *t);
int ktap_write(FILE *f, const struct test_set *t);

#endif
