/* SPDX-License-Identifier: MIT */
/* `testrunner-host boot`: start a secondary OS (Linux Image) through the testrunner. */
#ifndef HOST_COMMANDS_BOOT_H
#define HOST_COMMANDS_BOOT_H

#include "machine/exit_codes.h"

/* Exit codes (also in --help and docs/secondary-os.md). */
#define BOOT_EXIT_OK	  EXIT_PASS  /* QEMU exited by itself with status 0 */
#define BOOT_EXIT_TIMEOUT EXIT_FAIL  /* still running at --timeout: killed */
#define BOOT_EXIT_ERROR	  EXIT_INFRA /* bad input, QEMU failure, image refused */

/* argv[0] is "boot". Returns the process exit code. */
int cmd_boot(int argc, char **argv);

#endif
