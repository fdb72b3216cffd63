/* SPDX-License-Identifier: MIT */
/*
 * testrunner-rpmb-dev as the harness uses it: create a device with the
 * fixed test key, check it, and serve one QEMU boot on a socket we listen on.
 */
#ifndef HOST_RPMBDEV_H
#define HOST_RPMBDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Size of the devices the harness creates (Trusty's rpmb_dev default). */
#define RPMBDEV_BLOCKS "512"
/* How long the emulator gets to exit by itself once QEMU is gone. */
#define RPMBDEV_GRACE_MS 500

/*
 * Create @file with the test key unless it exists (`--init`), then, when
 * @check, make sure it is a device nobody else serves (`--status`). Both
 * run to completion. Returns 0, or -1 with one line in @err.
 */
int rpmbdev_prepare(const char *emu, const char *file, int check, char *err, size_t errlen);

/*
 * Start `@emu --dev @file --sock-fd @lfd` (stdout, stderr to @log_fd); it
 * serves the connection waiting on @lfd. With @temp, @file is a temporary
 * device: the same process first creates it (`--init`: one process per boot,
 * not two) and never syncs it (`--no-sync`). Returns 0 with *pid or -errno.
 */
int rpmbdev_serve(const char *emu, const char *file, bool temp, int lfd, int log_fd, pid_t *pid);

#endif
