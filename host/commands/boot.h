/* SPDX-License-Identifier: MIT */
/* `testrunner-host boot`: start a secondary OS (Linux Image) through the testrunner. */
#ifndef HOST_BOOT_H
#define HOST_BOOT_H

/* fw_cfg item names; the guest side is guest/runner/secondary.h. */
#define BOOT_FW_CFG_KERNEL "opt/testrunner/kernel"
#define BOOT_FW_CFG_INITRD "opt/testrunner/initrd"
#define BOOT_FW_CFG_CMDLINE "opt/testrunner/cmdline"

/* Exit codes (also in --help and docs/secondary-os.md). */
#define BOOT_EXIT_OK 0	    /* QEMU exited by itself with status 0 */
#define BOOT_EXIT_TIMEOUT 1 /* still running at --timeout: killed */
#define BOOT_EXIT_ERROR 2   /* bad input, QEMU failure, image refused */

/* argv[0] is "boot". Returns the process exit code. */
int cmd_boot(int argc, char **argv);

#endif
