/* SPDX-License-Identifier: MIT */
/*
 * One QEMU boot: private directory, listening socket, QEMU child, the
 * request, the frame stream and its KTAP, deadlines, and how it ended.
 * Driven by the caller's poll() loop; never sleeps.
 */
#ifndef HOST_SESSION_H
#define HOST_SESSION_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/frames.h"
#include "protocol/ktap.h"
#include "machine/qemu.h"

enum session_phase {
	SESSION_CONNECTING,	/* QEMU started, waiting for its chardev to connect */
	SESSION_RUNNING,	/* request sent, frames flowing */
	SESSION_CLOSING,	/* result or end of stream seen, waiting for QEMU to exit */
	SESSION_DONE,
};

enum session_end {
	END_RESULT,		/* a result frame arrived (see status) */
	END_TIMEOUT,		/* a deadline passed; QEMU was killed */
	END_QEMU_DIED,		/* QEMU exited abnormally before the result */
	END_CLOSED,		/* channel closed before the result frame */
	END_PROTOCOL,		/* the guest broke the frame protocol */
	END_NO_CONNECT,		/* QEMU exited before connecting */
	END_START,		/* could not even start (dir, socket, exec) */
	END_RPMB,		/* the RPMB emulator could not serve its device */
};

struct session;
typedef void (*session_line_fn)(void *ctx, struct session *s,
				const struct ktap_line *l);

struct session {
	char dir[PATH_MAX];
	int lfd, cfd;
	pid_t pid;
	bool running;		/* QEMU not reaped yet */
	pid_t emu_pid;		/* testrunner-rpmb-dev for this boot */
	bool emu_running;	/* ...not reaped yet */
	bool emu_init;		/* ...still making the temporary device */
	int rfd;		/* rpmb0's listening socket until the emulator has it */
	const char *emu;	/* cfg->rpmb_dev */
	char rpmb_file[PATH_MAX + 16];
	bool qemu_started;
	int wstatus;
	enum session_phase phase;
	enum session_end end;
	char err[320];		/* one line for an END_* other than END_RESULT */
	unsigned long timeout_ms;
	unsigned long boot_timeout_ms;	/* until the guest's first output; 0 none */
	uint64_t deadline;	/* ms, proc_now_ms() clock; 0 none */
	uint64_t started, connected;

	char req[PROTO_REQUEST_MAX + 2];
	size_t req_len;
	struct frame_parser fp;
	struct ktap_stream ks;
	bool eof;
	int status;		/* result frame status when end == END_RESULT */
	uint64_t log_bytes;

	bool relay;		/* copy log payload to stdout */
	char relay_buf[4096];
	size_t relay_len;

	char timed_out[KTAP_NAME_MAX];	/* test running at the timeout */
	char *serial_tail;	/* end of serial.log on infrastructure errors */
	char *qemu_tail;	/* end of what QEMU itself printed */

	session_line_fn on_line;
	void *ctx;
	void *job;		/* the caller's */
};

/* Create the directory, listen, start QEMU. Returns 0 or an END_START error. */
int session_start(struct session *s, const struct qemu_cfg *cfg,
		  const char *request, unsigned long timeout_ms);
/* The fd to poll and its events, or -1. */
int session_pollfd(const struct session *s, short *events);
/* After poll(): @revents for session_pollfd's fd (0 when none). */
void session_step(struct session *s, short revents);
/* The deadline passed (called when proc_now_ms() >= s->deadline). */
void session_expire(struct session *s);
/* Kill QEMU now (interrupt): SIGTERM then SIGKILL. */
void session_kill(struct session *s);
/* Release everything, directory included. Safe on any phase. */
void session_cleanup(struct session *s);

/* Has the run lasted beyond its deadline? */
static inline bool session_done(const struct session *s)
{
	return s->phase == SESSION_DONE;
}

#endif
