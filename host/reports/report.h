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
};

void report_init(struct reporter *r, FILE *f, bool tty, const char *image);
/* "[3/10] running suite.case" on a TTY, overwritten by the next line (total 0: unknown). */
void report_progress(struct reporter *r, const char *running, size_t done, size_t total);
void report_test(struct reporter *r, const struct test_rec *t);
/*
 * "testrunner-host: <what>", then the ends of QEMU's own output and of the
 * serial console (either may be NULL).
 */
void report_error(struct reporter *r, const char *msg, const char *serial_tail,
		  const char *qemu_tail);
/* "N passed, N failed, N skipped" (+ flaky, not run). */
void report_summary(struct reporter *r, const struct test_set *t);

#endif
