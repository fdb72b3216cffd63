/* SPDX-License-Identifier: MIT */
/* What the user sees on stderr: a line per test, progress, summary, errors. */
#ifndef HOST_REPORT_H
#define HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "machine/loop.h"
#include "reports/terminal.h"
#include "scheduling/results.h"
#include "system/status_line.h"

struct pending_crash;

struct reporter {
	FILE *f;
	struct term term;		/* the status line, console lines, colour */
	struct status_line_ops hooks;	/* the status line, for whoever writes beside it */
	const char *image;		/* for symbolizing crashes */
	struct pending_crash *pending;	/* crash reports waiting for addr2line */
	size_t n_pending;		/* ...of which addr2line still runs */
	struct pending_crash *finished; /* printed, kept for the report files */
	const char *log_dir;		/* --log-dir: named for each test that did not pass */
	struct loop_extra extra;
};

/*
 * Report on @f for a run of @n_slots slots (-j); @status: a status line
 * (stderr is a terminal), @colour: colour. 0, or -ENOMEM.
 */
int report_init(struct reporter *r, FILE *f, const char *image, size_t n_slots, bool status,
		bool colour);
/* Test @running was announced on @slot: the status line shows it with its time. */
void report_progress(struct reporter *r, unsigned int slot, const char *running,
		     unsigned long timeout_ms, size_t done, size_t total);
/* --verbose: serial console bytes of @slot's boot (NULL: it ended), a line at a time. */
void report_console(struct reporter *r, unsigned int slot, const char *data, size_t len);
/*
 * The test's line; a crash's report is symbolized in the background and
 * printed whole when addr2line is done (the poll loop drives it through
 * report_loop_extra).
 */
void report_test(struct reporter *r, const struct test_rec *t);
/*
 * Once printed: the crash report of test @name after its test line
 * (decoded syndrome, registers, symbolized frames), or NULL.
 */
const char *report_crash_details(const struct reporter *r, const char *name);
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
/*
 * report_wait, then each test that did not pass (its verdict, its reason,
 * its file in r->log_dir), then "N passed, N failed, N skipped" (+ flaky,
 * not run).
 */
void report_summary(struct reporter *r, const struct test_set *t);
/* report_wait, then free what the reporter kept. */
void report_free(struct reporter *r);

#endif
