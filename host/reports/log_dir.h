/* SPDX-License-Identifier: MIT */
/*
 * A directory of logs for a run (--log-dir, or a CI system's outputs
 * directory): one file per test, the serial console and QEMU's output per boot.
 */
#ifndef HOST_REPORTS_LOG_DIR_H
#define HOST_REPORTS_LOG_DIR_H

#include <stddef.h>

#include "machine/boot_logs.h"
#include "scheduling/results.h"

/* Create @dir (one level; an existing directory is used as it is). 0 or -errno. */
int log_dir_create(const char *dir);
/*
 * Keep boot @boot's part (from @from on) of the serial console, QEMU's
 * output, the RPMB emulator's and the QMP exchange in its private directory
 * @boot_dir as DIR/boot-N.serial.log, .qemu.log, .rpmb.log and .qmp.log (a
 * file the boot did not write is skipped). 0 or -errno.
 */
int log_dir_save_boot(const char *dir, unsigned int boot, const char *boot_dir,
		      const struct boot_log_marks *from);
/* DIR/<test>.log for @t into @buf: its KTAP lines and diagnostics. */
int log_dir_test_path(const char *dir, const struct test_rec *t, char *buf, size_t len);
/* Every test of @t into its file (replaced whole). 0 or the first -errno. */
int log_dir_write_tests(const char *dir, const struct test_set *t);

#endif
