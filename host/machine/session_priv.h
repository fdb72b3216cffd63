/* SPDX-License-Identifier: MIT */
/* The session's insides, shared by session.c (one boot) and session_reuse.c (the next boot). */
#ifndef HOST_MACHINE_SESSION_PRIV_H
#define HOST_MACHINE_SESSION_PRIV_H

#include <poll.h>
#include <stdint.h>

#include "machine/channel.h"
#include "machine/hang.h"
#include "machine/processes.h"
#include "machine/session_types.h"
#include "system/tmpdir.h"

/* How long QEMU gets to exit by itself once the guest has said its last word. */
#define EXIT_GRACE_MS 5000
/* After the channel closed without a result: how long to wait for QEMU's exit. */
#define CLOSE_GRACE_MS	  1000
#define SERIAL_TAIL_BYTES 2048
/*
 * Reset mode: before a failed boot's QEMU goes idle, how long an RPMB
 * emulator that is exiting (emulator_exiting: killed, its connection
 * already closed) gets to be seen dead: the guest's RPMB failure was its
 * death, not a verdict.
 */
#define EMU_GRACE_MS 20

enum session_phase {
	PHASE_CONNECTING, /* QEMU started, waiting for its chardev to connect */
	PHASE_RUNNING,	  /* request sent, frames flowing */
	PHASE_CLOSING,	  /* result or end of stream seen, waiting for QEMU to exit */
	PHASE_STOPPING,	  /* the end is known; QEMU and the emulator being stopped */
	PHASE_DONE,
	PHASE_IDLE, /* reset mode: the boot is over, QEMU runs on for session_next */
};

struct session {
	enum session_mode mode;
	enum session_phase phase;
	unsigned long timeout_ms, connect_timeout_ms;
	char dir[TMPDIR_PATH_MAX];
	int lfd, serial_fd, serial_copy_fd; /* serial_copy_fd: serial.log when relayed */
	bool show_secure_serial;
	struct channel ch;
	struct boot_processes procs;

	uint64_t started;  /* ms, clock_now_ms() */
	uint64_t deadline; /* 0: none */
	char req[PROTO_REQUEST_MAX + 1];
	size_t req_len;

	struct session_result res;
	char err[320];
	char timed_out[KTAP_NAME_MAX];
	char *serial_tail, *qemu_tail;
	session_console_fn on_console;
	void *console_ctx;
	bool reset;	    /* cfg->reset: boots end in a guest reset, QEMU runs on */
	bool after_crash;   /* this boot's request: reset only after a crash */
	unsigned int boots; /* boots on this QEMU so far, this one included */
	struct hang_machine machine;
	struct hang_state *hang; /* a timeout's: every CPU, read before QEMU is stopped */
	bool emu_grace; /* reset mode: a failure's end waits EMU_GRACE_MS for the emulator */
	struct boot_log_marks log_marks; /* the logs' sizes when this boot began */
};

/* Arm the silence deadline @ms from now (0: none). */
void session_set_deadline(struct session *s, unsigned long ms);
/* The shorter of the boot and test timeouts until the guest says anything. */
unsigned long session_silent_ms(const struct session *s);
/* The channel of a new boot on @s (its descriptor kept): reads @cfg's callbacks. */
void session_channel_init(struct session *s, const struct session_cfg *cfg);
/* The per-boot result of a new boot on @s: fields pointing into @s, the rest zero. */
void session_result_init(struct session *s, const struct session_cfg *cfg);
/*
 * A boot after a reset that has not said a word yet: a QEMU that exits,
 * closes the channel or stays silent is lost (END_LOST). True if so.
 */
bool session_lost(struct session *s, const char *what);
/* The end is known: stop QEMU (if it still runs) and the emulator. */
void session_finish(struct session *s, enum session_end end);
/* Record how the boot ended (first reason wins) and stop it. */
__attribute__((format(printf, 3, 4))) void session_fail(struct session *s, enum session_end end,
							const char *fmt, ...);
/*
 * Reset mode, the result in: idle (QEMU runs on), or stopped when the RPMB
 * emulator gave up. False: stop as without reset mode (a lost emulator).
 */
bool session_go_idle(struct session *s);
/*
 * Reset mode, a test timed out: pause the CPUs, drop what the hung boot
 * sent, reset the machine and let it run, all through QMP; idle on success.
 * False when QMP failed (then QEMU is stopped the usual way).
 */
bool session_qmp_reset(struct session *s);

#endif
