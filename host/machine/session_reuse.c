/* SPDX-License-Identifier: MIT */
/*
 * Reset mode: a boot that ends in the guest's reset, the next boot on the
 * same QEMU, and the parts of a session every boot on it starts afresh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "machine/session.h"
#include "machine/session_priv.h"
#include "machine/processes.h"
#include "system/clock.h"

bool session_lost(struct session *s, const char *what)
{
	if (s->boots < 2 || s->ch.log_bytes || s->phase >= PHASE_STOPPING)
		return false;
	session_fail(s, END_LOST, "QEMU %s after reset %u instead of booting again", what,
		     s->boots - 1);
	return true;
}

/* The guest showed life: from now on, and per test, the per-test timeout. */
static void on_alive(void *ctx)
{
	struct session *s = ctx;

	session_set_deadline(s, s->timeout_ms);
}

void session_channel_init(struct session *s, const struct session_cfg *cfg)
{
	int fd = s->ch.fd;

	channel_init(
		&s->ch, cfg->mode == SESSION_TESTS, cfg->relay,
		&(struct channel_ops){
			.ctx = s, .alive = on_alive, .line = cfg->on_line, .line_ctx = cfg->ctx });
	relay_set_prefix(&s->ch.relay, cfg->relay_prefix);
	s->ch.fd = fd;
}

void session_result_init(struct session *s, const struct session_cfg *cfg)
{
	memset(&s->res, 0, sizeof(s->res));
	s->err[0] = s->timed_out[0] = '\0';
	s->res.timeout_ms = cfg->timeout_ms;
	s->res.dir = s->dir;
	s->res.err = s->err;
	s->res.timed_out = s->timed_out;
	s->res.last_line = s->ch.last_line;
	s->res.log_marks = &s->log_marks;
	s->res.ktap = &s->ch.ks;
}

/* Reset mode: an emulator that died cannot serve the next boot, and voids this one's verdicts. */
static bool emulator_gone(struct session *s)
{
	int check = 0;

	if (!processes_emulator_gone(&s->procs, &check, s->err, sizeof(s->err)))
		return false;
	if (check < 0)
		session_finish(s, END_RPMB);
	return true;
}

bool session_go_idle(struct session *s)
{
	if (emulator_gone(s))
		return s->phase >= PHASE_STOPPING;
	/* a failure while the emulator is going: seen dead in a moment, not a verdict */
	if (s->procs.have_emu && s->ch.fp.status != PROTO_STATUS_PASS && !s->emu_grace &&
	    emulator_exiting(&s->procs.emu)) {
		s->emu_grace = true;
		s->phase = PHASE_CLOSING;
		session_set_deadline(s, EMU_GRACE_MS);
		return true;
	}
	s->emu_grace = false;
	/* the guest resets itself: QEMU runs on for the next boot */
	s->res.end = END_RESULT;
	s->deadline = 0;
	s->phase = PHASE_IDLE;
	return true;
}

bool session_idle(const struct session *s)
{
	return s->phase == PHASE_IDLE;
}

/*
 * Whatever the last boot left in the channel: nothing from a guest that
 * keeps the protocol (the result frame is its last), but never part of the
 * next boot's stream. 0 once the socket is empty, -EPIPE at end of file.
 */
static int drop_stale(int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0)
			continue;
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	}
}

bool session_qmp_reset(struct session *s)
{
	struct qmp *q = &s->procs.qmp;

	if (!s->procs.running || s->ch.fd < 0 ||
	    processes_emulator_gone(&s->procs, &(int){ 0 }, s->err, sizeof(s->err)))
		return false;
	/*
	 * Paused first, so that the guest writes nothing more; then what it
	 * wrote is dropped. QEMU resets the machine in its main loop after
	 * answering system_reset and before reading the socket again (the
	 * virtio-serial port then holds the host's data for the next boot);
	 * the machine stays paused until cont.
	 */
	if (qmp_stop_cpus(q, QMP_TIMEOUT_MS) || drop_stale(s->ch.fd) ||
	    qmp_system_reset(q, QMP_TIMEOUT_MS) ||
	    qmp_call(q, "cont", NULL, NULL, QMP_TIMEOUT_MS) || drop_stale(s->ch.fd))
		return false;
	s->deadline = 0;
	s->phase = PHASE_IDLE;
	return true;
}

int session_next(struct session *s, const struct session_cfg *cfg)
{
	size_t len = strlen(cfg->request);
	ssize_t n;
	int ret;

	if (s->phase != PHASE_IDLE || len > PROTO_REQUEST_MAX)
		return -EINVAL;
	if (processes_reap_qemu(&s->procs))
		return -ECHILD;
	ret = drop_stale(s->ch.fd);
	if (ret)
		return ret;
	s->timeout_ms = cfg->timeout_ms;
	s->after_crash = cfg->reset_after_crash;
	s->connect_timeout_ms = cfg->connect_timeout_ms;
	session_channel_init(s, cfg);
	session_result_init(s, cfg);
	s->res.connected = true;
	free(s->serial_tail);
	free(s->qemu_tail);
	free(s->hang);
	s->serial_tail = s->qemu_tail = NULL;
	s->hang = NULL;
	memcpy(s->req, cfg->request, len + 1);
	s->req_len = len;
	boot_logs_mark(s->dir, &s->log_marks);
	s->boots++;
	s->started = clock_now_ms();
	/* the guest held its input before the result: this waits for the next boot */
	n = send(s->ch.fd, s->req, s->req_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)s->req_len)
		return n < 0 ? -errno : -EIO;
	s->phase = PHASE_RUNNING;
	session_set_deadline(s, session_silent_ms(s));
	return 0;
}
