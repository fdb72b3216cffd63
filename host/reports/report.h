/* SPDX-License-Identifier: MIT */
/* What the user sees on stderr: a line per test, progress, summary, errors. */
#ifndef HOST_REPORT_H
#define HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "machine/loop.h"
#include "scheduling/results.h"

struct pending_crash;

struct reporter {
	FILE *f;
	bool tty;	   /* colour and progress line */
	const char *image; /* for symbolizing crashes */
	bool progress_shown;
	struct pending_crash *pending; /* crash reports waiting for addr2line */
	size_t n_pending;	       /* ...of which addr2line still runs */
	struct loop_extra extra;
};

void report_init(struct reporter *r, FILE *f, bool tty, const char *image);
/* "[3/10] running suite.case" on a TTY, overwritten by the next line (total 0: unknown). */
void report_progress(struct reporter *r, const char *running, size_t done, size_t total);
/*
 * The test's line; a crash's report is symbolized in the background and
 * printed whole when addr2line is done (the poll loop drives it through
 * report_loop_extra).
 */
void report_test(struct reporter *r, const struct test_rec *t);
/* What the poll loop must wait on for the crash reports in progress. */
const struct loop_extra *report_loop_extra(struct reporter *r);
/* Finish the crash reports in progress (SIGINT/SIGTERM: unsymbolized). */
void report_wait(struct reporter *r);
/*
 * "testrunner-host: <what>", then the ends of QEMU's own output and of the
 * serial console (either may be NULL).
 */
void report_error(struct reporter *r, const char *msg, const char *serial_tail,
		  const char *qemu_tail);
/* report_wait, then "N passed, N failed, N skipped" (+ flaky, not run). */
void report_summary(struct reporter *r, const struct test_set *t);

#endif
