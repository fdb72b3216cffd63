/* SPDX-License-Identifier: MIT */
/* Reset mode: the next boot on the QEMU of a session whose guest has reset itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "machine/session.h"
#include "machine/session_priv.h"
#include "system/clock.h"

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
	s->connect_timeout_ms = cfg->connect_timeout_ms;
	session_channel_init(s, cfg);
	session_result_init(s, cfg);
	s->res.connected = true;
	free(s->serial_tail);
	free(s->qemu_tail);
	s->serial_tail = s->qemu_tail = NULL;
	memcpy(s->req, cfg->request, len + 1);
	s->req_len = len;
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
