/* SPDX-License-Identifier: MIT */
/* What a session (machine/session.h) is given and what it reports: its configuration and result. */
#ifndef HOST_MACHINE_SESSION_TYPES_H
#define HOST_MACHINE_SESSION_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "machine/boot_logs.h"
#include "machine/hang.h"
#include "machine/qemu.h"
#include "protocol/ktap.h"

enum session_mode {
	SESSION_TESTS, /* boot tests: KTAP on testrunner0, ends at the result */
	SESSION_OS,    /* secondary OS: the UART relayed, ends when QEMU does */
};

enum session_end {
	END_RESULT,	/* a result frame arrived (see status) */
	END_TIMEOUT,	/* a deadline passed; QEMU was killed */
	END_QEMU_DIED,	/* QEMU exited abnormally before the result */
	END_CLOSED,	/* channel closed before the result frame */
	END_PROTOCOL,	/* the guest broke the frame protocol */
	END_NO_CONNECT, /* QEMU exited or timed out before connecting */
	END_START,	/* could not even start (dir, socket, exec) */
	END_RPMB,	/* the RPMB emulator could not serve its device */
	END_EXITED,	/* SESSION_OS: QEMU exited by itself (see wstatus) */
	END_STOPPED,	/* session_stop: interrupted, or the run gave up */
	END_LOST,	/* after a reset, QEMU exited or stayed silent: start another */
};

typedef void (*session_line_fn)(void *ctx, const struct ktap_line *l);
typedef void (*session_console_fn)(void *ctx, const char *data, size_t len);

struct session_cfg {
	const struct qemu_cfg *qemu; /* only read by session_start */
	enum session_mode mode;
	const char *request; /* with its terminating '\n' */
	/*
	 * SESSION_TESTS: per test, restarted by each test line; SESSION_OS: the
	 * whole boot. 0: none.
	 */
	unsigned long timeout_ms;
	/* TESTS: QEMU start to the guest's first output; OS: to QEMU's connection */
	unsigned long connect_timeout_ms;
	bool relay; /* TESTS: copy the guest's log to stdout */
	/* reset mode: the request says --reset-after-crash (the guest may power off) */
	bool reset_after_crash;
	const char *relay_prefix;      /* TESTS: ...each line after this (NULL: none) */
	session_line_fn on_line;       /* TESTS: each KTAP line */
	session_console_fn on_console; /* the UART's bytes (OS: as relayed; TESTS: only here) */
	void *ctx;		       /* for both */
};

/* How a boot ended: final once session_done(). */
struct session_result {
	enum session_end end;
	bool connected;			/* QEMU's chardev connected */
	bool got_result;		/* a result frame arrived... */
	int status;			/* ...with this status */
	int wstatus;			/* QEMU's wait status once reaped */
	const char *err;		/* one line for an end other than END_RESULT/END_EXITED */
	const char *timed_out;		/* END_TIMEOUT: the test running then, "" if none */
	const char *serial_tail;	/* end of the serial console on failures; may be NULL */
	const char *qemu_tail;		/* end of what QEMU itself printed; may be NULL */
	const char *last_line;		/* the guest's last complete log line */
	const struct ktap_stream *ktap; /* TESTS: the KTAP document's bookkeeping */
	unsigned long timeout_ms;
	/* the boot's private directory (serial.log, qemu.log; "" if none) until freed: keep its logs with machine/boot_logs.h */
	const char *dir;
	/* where this boot's part of each log in @dir begins */
	const struct boot_log_marks *log_marks;
	const struct hang_state *hang; /* END_TIMEOUT: every CPU read over QMP; NULL: none */
};

/* The most descriptors one session polls at a time (channel, serial pipe). */
#define SESSION_POLLFDS_MAX 2

#endif
