/* SPDX-License-Identifier: MIT */
/*
 * The harness's scheduler: turns selectors into boots (one boot, or one per
 * test, or N at a time), reboots after a crash or timeout to run the rest,
 * retries failures, and decides the exit code.
 */
#ifndef HOST_RUN_H
#define HOST_RUN_H

#include "commands/cli.h"

#define EXIT_PASS  0
#define EXIT_FAIL  1
#define EXIT_INFRA 2

/* `run`: @o already validated, with image and qemu resolved. Returns the exit code. */
int run_tests(const struct options *o);
/* `list`: prints the catalogue on stdout. Returns the exit code. */
int run_list(const struct options *o);

#endif
