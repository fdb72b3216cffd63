/* SPDX-License-Identifier: MIT */
/* A boot's own logs (serial console, QEMU, RPMB emulator) kept after its directory goes. */
#ifndef HOST_MACHINE_BOOT_LOGS_H
#define HOST_MACHINE_BOOT_LOGS_H

/*
 * Copy the logs a boot left in @boot_dir to "<to_dir>/<prefix>.serial.log",
 * "<prefix>.qemu.log", "<prefix>.rpmb.log" and "<prefix>.qmp.log" (those it has). Returns 0, or
 * -errno for the first copy that failed.
 */
int boot_logs_keep(const char *boot_dir, const char *to_dir, const char *prefix);

#endif
