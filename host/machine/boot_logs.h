/* SPDX-License-Identifier: MIT */
/* A boot's own logs (serial console, QEMU, RPMB emulator) kept after its directory goes. */
#ifndef HOST_MACHINE_BOOT_LOGS_H
#define HOST_MACHINE_BOOT_LOGS_H

#include <sys/types.h>

#define BOOT_LOGS_N 4

/*
 * Where each of the logs stood when a boot began: in reset mode one QEMU's
 * files hold the boots before it too.
 */
struct boot_log_marks {
	off_t at[BOOT_LOGS_N];
};

/*
 * A new boot begins: where each log in @boot_dir stands now into @m, which
 * holds where the boot before began (0 for a log not there).
 */
void boot_logs_mark(const char *boot_dir, struct boot_log_marks *m);

/*
 * Copy the logs a boot left in @boot_dir, each from where @from marks its
 * start (NULL: whole), to "<to_dir>/<prefix>.serial.log", "<prefix>.qemu.log",
 * "<prefix>.rpmb.log" and "<prefix>.qmp.log" (those it has). Returns 0, or
 * -errno for the first copy that failed.
 */
int boot_logs_keep(const char *boot_dir, const char *to_dir, const char *prefix,
		   const struct boot_log_marks *from);

#endif
