/* SPDX-License-Identifier: MIT */
/*
 * One QEMU boot: private directory, listening socket, QEMU child, the
 * request, the frame stream and its KTAP, deadlines, and how it ended.
 * Driven by the poll loop (machine/loop.h); never sleeps, stopping included.
 */
#ifndef HOST_MACHINE_SESSION_H
#define HOST_MACHINE_SESSION_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	bool relay;		       /* TESTS: copy the guest's log to stdout */
	session_line_fn on_line;       /* TESTS: each KTAP line */
	session_console_fn on_console; /* OS: the UART's bytes as they are relayed */
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
	const char *dir; /* the boot's private directory (serial.log, qemu.log) until freed */
};

/* The most descriptors one session polls at a time (channel, serial pipe). */
#define SESSION_POLLFDS_MAX 2

/*
 * Create the directory, listen, start QEMU (and the RPMB emulator). NULL
 * only when out of memory; a failure to start is a session that ends at
 * once with END_START.
 */
struct session *session_start(const struct session_cfg *cfg);
/*
 * TESTS: the running test's own timeout (the scheduler knows it from the
 * catalogue), counted from now and used until the next call; 0: none.
 */
void session_set_test_timeout(struct session *s, unsigned long ms);
/* The descriptors to poll now: fills @pfd, returns how many. */
int session_pollfds(const struct session *s, struct pollfd pfd[SESSION_POLLFDS_MAX]);
/* When session_step must run again at the latest; 0: no deadline. */
uint64_t session_deadline(const struct session *s);
/* After poll(): @pfd as filled by session_pollfds (revents set), at @now. */
void session_step(struct session *s, const struct pollfd *pfd, int n, uint64_t now);
/* End it without waiting: SIGTERM, then SIGKILL after the grace (END_STOPPED). */
void session_stop(struct session *s);
/* QEMU and the emulator are reaped, or idle: the result is final. */
bool session_done(const struct session *s);
/*
 * Reset mode (qemu_cfg.reset): the boot ended with its result and the guest
 * resets itself; QEMU runs on, ready for session_next.
 */
bool session_idle(const struct session *s);
/*
 * The next boot on an idle session's QEMU: what the last boot left unread is
 * dropped, @cfg's request sent (cfg->qemu and cfg->mode are the first
 * boot's). 0, or -errno when QEMU is gone (the session stays idle: free it).
 */
int session_next(struct session *s, const struct session_cfg *cfg);
const struct session_result *session_result(const struct session *s);
/* Copy the boot's logs to "<to_dir>/<prefix>.*" (machine/boot_logs.h) before it is freed. */
int session_keep_logs(const struct session *s, const char *to_dir, const char *prefix);
/* Release everything, directory included (a session not done is killed). */
void session_free(struct session *s);

#endif
