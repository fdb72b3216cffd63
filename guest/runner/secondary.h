/* SPDX-License-Identifier: MIT */
/*
 * Secondary OS: instead of running boot tests, load the arm64 Linux Image the
 * host attached through fw_cfg and start it by the kernel's boot protocol.
 * docs/secondary-os.md describes the whole path.
 */
#ifndef RUNNER_SECONDARY_H
#define RUNNER_SECONDARY_H

#include <testrunner/protocol.h>

/* fw_cfg item names the host fills (testrunner-host boot). */
#define SECONDARY_KERNEL_FILE  PROTO_FW_CFG_KERNEL
#define SECONDARY_INITRD_FILE  PROTO_FW_CFG_INITRD
#define SECONDARY_CMDLINE_FILE PROTO_FW_CFG_CMDLINE

/* arm64 COMMAND_LINE_SIZE, terminating NUL included. */
#define SECONDARY_CMDLINE_MAX 2048

/*
 * Load and start the secondary OS. Only returns on error, with a negative
 * errno, after saying why on the UART and as a log frame on testrunner0; the
 * caller then sends result 2 and powers off. Must run after platform_init()
 * and vcons_init().
 */
int secondary_boot(void);

#endif
