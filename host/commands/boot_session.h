/* SPDX-License-Identifier: MIT */
/* Internals of `testrunner-host boot` shared by boot.c and boot_session.c. */
#ifndef HOST_BOOT_SESSION_H
#define HOST_BOOT_SESSION_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <testrunner/protocol.h>

#include "protocol/frames.h"

/* Everything that must be undone on every exit path. */
struct boot_run {
	char dir[PATH_MAX - 16]; /* room for the file names below */
	char sock[PATH_MAX], kernel[PATH_MAX], cmdline[PATH_MAX];
	bool have_dir, have_kernel, have_cmdline;
	int listen_fd, conn_fd, serial_fd;
	pid_t qemu;
	struct frame_parser fp;	/* the testrunner0 channel */
	bool protocol_error;
	/* the guest's last log line: the reason when it refuses the image */
	char log_line[256];
	size_t log_len;
	char last_line[256];
};

enum boot_end { BOOT_END_EXITED, BOOT_END_TIMEOUT, BOOT_END_SIGNAL, BOOT_END_PROTOCOL };

/* "testrunner-host: <message>" on stderr; returns BOOT_EXIT_ERROR. */
int boot_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fork/exec QEMU (argv[0]); 0 or BOOT_EXIT_ERROR after saying why. */
int boot_start_qemu(struct boot_run *r, char **argv);

/*
 * Accept QEMU's connection, send the request, relay serial output and read
 * frames until QEMU exits, the timeout, a signal or a protocol error.
 */
enum boot_end boot_supervise(struct boot_run *r, long timeout_s, int *status);

/* SIGTERM, then SIGKILL after a grace period; reaps QEMU. No-op if gone. */
void boot_stop_qemu(struct boot_run *r, int *status);

#endif
