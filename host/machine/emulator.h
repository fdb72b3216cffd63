/* SPDX-License-Identifier: MIT */
/*
 * The RPMB emulator of one boot: rpmb0's socket listening before QEMU
 * starts, one process that makes a temporary device and serves, its stop. Errors come
 * back as -errno with one line in the caller's buffer; the session reports.
 */
#ifndef HOST_MACHINE_EMULATOR_H
#define HOST_MACHINE_EMULATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "system/stop.h"
#include "system/tmpdir.h"

struct emulator {
	const char *program; /* testrunner-rpmb-dev */
	const char *dir;     /* the boot's directory: socket, log, temporary device */
	const char *file;    /* the device: the user's, or @temp */
	char temp[TMPDIR_PATH_MAX];
	int lfd;      /* rpmb0's listening socket until the emulator has it */
	int alive_fd; /* hangs up when the serving emulator's files close */
	pid_t pid;
	bool running; /* started, not reaped */
	bool stopping;
	bool lost; /* killed by a signal nobody here sent, QEMU running */
	int lost_status;
	struct child_stop stop;
};

/*
 * Listen on rpmb0's socket in @dir, for @program serving @file (NULL: a new
 * temporary device in @dir). Returns 0 or -errno with @err.
 */
int emulator_listen(struct emulator *e, const char *program, const char *dir, const char *file,
		    char *err, size_t errlen);
/*
 * After QEMU started: the emulator, which first makes a temporary device
 * (`--init`) and then serves it. 0 or -errno.
 */
int emulator_start(struct emulator *e, char *err, size_t errlen);
/*
 * Non-blocking: the emulator ended before its temporary device was made, or
 * gave up on its device (exit 2) while QEMU runs -> -EIO with its last line.
 */
int emulator_check(struct emulator *e, bool qemu_running, char *err, size_t errlen);
/*
 * Stop it once QEMU is gone: @graceful gives it RPMBDEV_GRACE_MS to end by
 * itself (it does when QEMU's connection closes), else SIGKILL at once.
 */
/*
 * Once stopped: did it die of a signal the boot did not send (the OOM
 * killer, a stray kill) while QEMU ran? Then every RPMB failure the guest
 * reported was the emulator's: -EIO with @err.
 */
int emulator_lost(struct emulator *e, char *err, size_t errlen);
void emulator_stop_begin(struct emulator *e, bool graceful, uint64_t now);
/* True once it is gone (or never ran). */
bool emulator_stop_step(struct emulator *e, uint64_t now);
/*
 * Not known to be serving: still making its device, or its files closed
 * (it is exiting, killed perhaps, and not yet reaped). Non-blocking.
 */
bool emulator_exiting(const struct emulator *e);
uint64_t emulator_deadline(const struct emulator *e);
/* Teardown: close its socket; a child still running is killed and reaped. */
void emulator_close(struct emulator *e);

#endif
