/* SPDX-License-Identifier: MIT */
/* Running boot tests: one test at a time, with its hooks, contained. */
#ifndef RUNNER_FRAMEWORK_H
#define RUNNER_FRAMEWORK_H

#include <stddef.h>
#include <stdint.h>

#include "runner/boottest.h"
#include "runner/frames.h"

enum bt_outcome {
	BT_PASSED,
	BT_FAILED,
	BT_SKIPPED,
	BT_CRASHED, /* unexpected exception: the run must end */
};

/* Route framework output (KTAP, diagnostics) into @fw; install the handler. */
void framework_init(struct frame_writer *fw);

/*
 * Emit the start diagnostic, run test @number, emit its KTAP result line.
 * @next is the test the boot runs after it (NULL: none): where a suite ends,
 * its teardown runs.
 */
enum bt_outcome framework_run(const struct boot_test *test, const struct boot_test *next,
			      unsigned int number);

/* Raw log output for tests that produce bulk text (fixture.flood). */
void bt_log_raw(const char *text, size_t len);

#endif
