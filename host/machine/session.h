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

#include "machine/session_types.h"

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
/*
 * QEMU's QMP client (machine/qmp.h), for commands beyond what the session
 * does itself (a reset); valid until QEMU is reaped.
 */
struct qmp *session_qmp(struct session *s);
/* Release everything, directory included (a session not done is killed). */
void session_free(struct session *s);

#endif
