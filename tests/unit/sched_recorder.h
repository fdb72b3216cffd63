/* SPDX-License-Identifier: MIT */
/*
 * Scheduler events recorded for the scheduling tests (included by one test
 * file each): how many tests were reported, how many errors, the last one.
 */
#ifndef TESTS_UNIT_SCHED_RECORDER_H
#define TESTS_UNIT_SCHED_RECORDER_H

#include <stdio.h>

#include "scheduling/config.h"

static char last_error[512];
static int errors, tests_reported;

static void ev_progress(void *ctx, const struct sched_progress *p)
{
	(void)ctx, (void)p;
}

static void ev_test(void *ctx, const struct test_rec *t)
{
	(void)ctx, (void)t;
	tests_reported++;
}

static void ev_error(void *ctx, const char *msg, const char *serial, const char *qemu)
{
	(void)ctx, (void)serial, (void)qemu;
	snprintf(last_error, sizeof(last_error), "%s", msg);
	errors++;
}

static const struct sched_events events = {
	.progress = ev_progress,
	.test = ev_test,
	.error = ev_error,
};

static void recorder_reset(void)
{
	errors = tests_reported = 0;
	last_error[0] = '\0';
}

#endif
