/* SPDX-License-Identifier: MIT */
/*
 * Contained calls: a test, a suite hook or a cleanup runs under setjmp, and
 * an assertion, a skip or an unexpected exception on any CPU brings it back.
 */
#ifndef RUNNER_CONTAIN_H
#define RUNNER_CONTAIN_H

#include <stdbool.h>

#include "runner/frames.h"

enum contain_end {
	CONTAIN_RETURNED,
	CONTAIN_ABORTED, /* bt_abort: a failed ASSERT */
	CONTAIN_SKIPPED, /* bt_skip: contain_skip_reason() says why */
	CONTAIN_CRASHED, /* an unexpected exception, already reported */
};

/* Route reports into @fw and install the exception handler. */
void contain_init(struct frame_writer *fw);

/*
 * Call fn(arg) contained. An exception it takes (or one a secondary CPU took
 * meanwhile) is reported with ESR/ELR/FAR/LR and a backtrace before this
 * returns CONTAIN_CRASHED.
 */
enum contain_end contain_call(void (*fn)(void *), void *arg);

/* The reason the last CONTAIN_SKIPPED call gave. */
const char *contain_skip_reason(void);

/* Make the log visible to the host now (a test that hangs next said all). */
void contain_flush(void);

/* The runner itself went wrong: result 2 and power off. */
void contain_internal_error(void) __attribute__((noreturn));

/* Is a contained call running (bt_* calls are legal)? */
bool contain_active(void);

#endif
