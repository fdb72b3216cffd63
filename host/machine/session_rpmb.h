/* SPDX-License-Identifier: MIT */
/*
 * Inside a session (session.c and session_rpmb.c only): the RPMB emulator
 * that serves rpmb0 for one boot, and the helpers both halves use.
 */
#ifndef HOST_SESSION_RPMB_H
#define HOST_SESSION_RPMB_H

#include "machine/session.h"

/* Record how the boot ended (first reason wins), stop QEMU, finish. */
void session_fail(struct session *s, enum session_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The last bytes of <dir>/<name>, NUL-terminated and malloc'd; NULL if none. */
char *session_read_tail(const char *dir, const char *name);

/* rpmb0's socket, listening before QEMU starts so that its chardev connects. */
int session_rpmb_listen(struct session *s, const struct qemu_cfg *cfg);
/* After QEMU started: the emulator, or first `--init` for a temporary device. */
int session_rpmb_start(struct session *s, bool temporary);
/* Move the emulator on: device made -> serve; given up on its device -> fail. */
void session_rpmb_check(struct session *s);

#endif
