/* SPDX-License-Identifier: MIT */
/* The exit codes of every command (also in --help, README and docs/harness.md). */
#ifndef HOST_MACHINE_EXIT_CODES_H
#define HOST_MACHINE_EXIT_CODES_H

#include "system/signals.h"

#define EXIT_PASS  0 /* run: all selected tests passed; boot: QEMU exited 0 */
#define EXIT_FAIL  1 /* run: a test failed, crashed or timed out; boot: timeout */
#define EXIT_INFRA 2 /* usage, QEMU, image, channel or protocol error */
/* Interrupted by SIGINT or SIGTERM: 130 or 143. */
#define EXIT_SIGNAL(sig) SIGNALS_EXIT_CODE(sig)

#endif
