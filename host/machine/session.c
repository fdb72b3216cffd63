/* SPDX-License-Identifier: MIT */
/* One QEMU boot driven by the poll loop: connect, request, frames, verdict, stop. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "machine/channel.h"
#include "machine/hang.h"
#include "machine/processes.h"
#include "machine/session.h"
#include "machine/session_priv.h"
#include "system/clock.h"
#include "system/out_queue.h"
#include "system/proc.h"
#include "system/tmpdir.h"
#include "system/unix_socket.h"

void session_set_deadline(struct session *s, unsigned long ms)
{
	s->deadline = ms ? clock_now_ms() + ms : 0;
}

/* Until the guest says anything, the shorter of the two timeouts applies. */
unsigned long session_silent_ms(const struct session *s)
{
	if (s->ch.log_bytes || !s->connect_timeout_ms)
		return s->timeout_ms;
	if (!s->timeout_ms || s->connect_timeout_ms < s->timeout_ms)
		return s->connect_timeout_ms;
	return s->timeout_ms;
}

/* Take the next stopping step; once everything is reaped, done. */
static void advance_stop(struct session *s, uint64_t now)
{
	if (!processes_stop_step(&s->procs, now))
		return;
	s->res.wstatus = s->procs.wstatus;
	if (s->res.end != END_RESULT && s->res.end != END_EXITED && s->dir[0]) {
		if (!s->serial_tail)
			s->serial_tail =
				tmpdir_read_tail(s->dir, QEMU_SERIAL_NAME, SERIAL_TAIL_BYTES);
		if (!s->qemu_tail)
			s->qemu_tail = tmpdir_read_tail(s->dir, QEMU_LOG_NAME, SERIAL_TAIL_BYTES);
		s->res.serial_tail = s->serial_tail;
		s->res.qemu_tail = s->qemu_tail;
	}
	/* the guest's RPMB failures were the emulator's death: not a verdict */
	if ((s->res.end == END_RESULT || s->res.end == END_TIMEOUT) &&
	    processes_lost(&s->procs, s->err, sizeof(s->err)))
		s->res.end = END_RPMB;
	/* QEMU is gone: its secure UART log is whole */
	if (s->show_secure_serial && s->dir[0])
		qemu_show_secure_serial(s->dir, stderr);
	s->phase = PHASE_DONE;
}

/* The end is known: stop QEMU (if it still runs) and the emulator. */
void session_finish(struct session *s, enum session_end end)
{
	uint64_t now = clock_now_ms();

	s->res.end = end;
	channel_finish(&s->ch);
	/* reset mode: a hung test's machine reset through QMP, not QEMU killed */
	if (end == END_TIMEOUT && s->reset && session_qmp_reset(s))
		return;
	s->phase = PHASE_STOPPING;
	processes_stop_begin(&s->procs, now);
	advance_stop(s, now);
}

/* Record how the boot ended (first reason wins) and stop it. */
void session_fail(struct session *s, enum session_end end, const char *fmt, ...)
{
	va_list ap;

	if (s->phase >= PHASE_STOPPING)
		return;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (end == END_TIMEOUT && s->procs.running)
		s->res.hang = s->hang = hang_take(&s->procs.qmp, &s->machine, s->ch.last_line);
	session_finish(s, end);
}

void session_set_test_timeout(struct session *s, unsigned long ms)
{
	s->timeout_ms = ms;
	s->res.timeout_ms = ms;
	if (s->phase == PHASE_RUNNING)
		session_set_deadline(s, ms);
}

static void start(struct session *s, const struct session_cfg *cfg)
{
	char path[TMPDIR_SOCK_MAX], log[TMPDIR_PATH_MAX];
	int ret;

	ret = tmpdir_make(s->dir, sizeof(s->dir));
	if (ret) {
		s->dir[0] = '\0';
		session_fail(s, END_START, "temporary directory: %s", strerror(-ret));
		return;
	}
	/* listening before QEMU starts: its chardev connects at once */
	ret = tmpdir_socket(path, sizeof(path), s->dir, QEMU_SOCK_NAME);
	if (!ret)
		ret = unix_listen(path, true);
	if (ret < 0) {
		session_fail(s, END_START, "socket %s: %s", path, strerror(-ret));
		return;
	}
	s->lfd = ret;
	if (processes_listen(&s->procs, cfg->qemu, s->dir, s->err, sizeof(s->err)) ||
	    processes_start(&s->procs, cfg->qemu, s->dir, s->mode == SESSION_OS || s->on_console,
			    &s->serial_fd, s->err, sizeof(s->err))) {
		session_finish(s, END_START);
		return;
	}
	/* the console relayed as it comes is kept as well, as the file QEMU writes otherwise */
	if (s->serial_fd >= 0 && !tmpdir_path(log, sizeof(log), s->dir, QEMU_SERIAL_NAME))
		s->serial_copy_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	session_set_deadline(s, session_silent_ms(s));
}

struct session *session_start(const struct session_cfg *cfg)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->mode = cfg->mode;
	s->timeout_ms = cfg->timeout_ms;
	s->after_crash = cfg->reset_after_crash;
	s->on_console = cfg->on_console;
	s->console_ctx = cfg->ctx;
	s->connect_timeout_ms = cfg->connect_timeout_ms;
	s->ch.fd = -1;
	session_channel_init(s, cfg);
	s->lfd = s->serial_fd = s->serial_copy_fd = -1;
	s->show_secure_serial = cfg->qemu->firmware && cfg->qemu->show_secure_serial;
	s->reset = cfg->qemu->reset && cfg->mode == SESSION_TESTS;
	s->boots = 1;
	s->machine = hang_machine_of(cfg->qemu);
	processes_init(&s->procs);
	s->phase = PHASE_CONNECTING;
	s->started = clock_now_ms();
	session_result_init(s, cfg);
	s->req_len = strlen(cfg->request);
	if (s->req_len > PROTO_REQUEST_MAX) {
		session_fail(s, END_START, "request longer than %d bytes", PROTO_REQUEST_MAX);
		return s;
	}
	memcpy(s->req, cfg->request, s->req_len + 1);
	start(s, cfg);
	return s;
}

int session_pollfds(const struct session *s, struct pollfd pfd[SESSION_POLLFDS_MAX])
{
	/* a stdout that does not keep up: what it would get waits (deadlines do not) */
	bool hold = out_queue_congested();
	int n = 0;

	if (s->phase == PHASE_CONNECTING && s->lfd >= 0)
		pfd[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
	if ((s->phase == PHASE_RUNNING || s->phase == PHASE_CLOSING) && !s->ch.eof &&
	    !(hold && s->ch.relay_on))
		pfd[n++] = (struct pollfd){ .fd = s->ch.fd, .events = POLLIN };
	if (s->serial_fd >= 0 && s->phase < PHASE_DONE && !hold)
		pfd[n++] = (struct pollfd){ .fd = s->serial_fd, .events = POLLIN };
	return n;
}

uint64_t session_deadline(const struct session *s)
{
	if (s->phase == PHASE_DONE || s->phase == PHASE_IDLE)
		return 0;
	return s->phase == PHASE_STOPPING ? processes_deadline(&s->procs) : s->deadline;
}

static void do_accept(struct session *s)
{
	char path[TMPDIR_SOCK_MAX];
	ssize_t n;

	s->ch.fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s->ch.fd < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		session_fail(s, END_START, "accept: %s", strerror(errno));
		return;
	}
	close(s->lfd);
	s->lfd = -1;
	if (!tmpdir_socket(path, sizeof(path), s->dir, QEMU_SOCK_NAME))
		unlink(path);
	s->res.connected = true;
	/* the guest reads it when its port opens; QEMU buffers it until then */
	n = send(s->ch.fd, s->req, s->req_len, MSG_NOSIGNAL);
	if (n != (ssize_t)s->req_len) {
		session_fail(s, END_CLOSED, "sending the request: %s",
			     n < 0 ? strerror(errno) : "short write");
		return;
	}
	s->phase = PHASE_RUNNING;
	if (s->mode == SESSION_OS)
		s->deadline = s->timeout_ms ? s->started + s->timeout_ms : 0;
	else
		session_set_deadline(s, session_silent_ms(s));
}

/*
 * Reset mode, --reset-after-crash: the guest powers off unless a crash
 * stopped its run before the last test (fewer results than its plan), the
 * guest's own rule; then QEMU's exit is waited for, as without reset mode.
 */
static bool powers_off(const struct session *s)
{
	const struct ktap_stream *ks = &s->ch.ks;

	return s->after_crash && !(ks->plan >= 0 && ks->results < (unsigned long)ks->plan);
}

/* TESTS: the guest has said all it will; wait for QEMU's own exit, or decide now. */
static void settle(struct session *s)
{
	char how[PROC_DESCRIBE_MAX];

	if (s->phase >= PHASE_STOPPING || s->mode == SESSION_OS)
		return;
	channel_finish(&s->ch);
	/* the emulator's grace runs to its end, even when QEMU's channel closes meanwhile */
	if (s->reset && s->ch.fp.done && s->procs.running && !s->emu_grace && !powers_off(s) &&
	    session_go_idle(s))
		return;
	if (s->procs.running) {
		if (s->phase != PHASE_CLOSING) {
			s->phase = PHASE_CLOSING;
			session_set_deadline(s, s->ch.fp.done ? EXIT_GRACE_MS : CLOSE_GRACE_MS);
		}
		return;
	}
	if (s->ch.fp.done) {
		session_finish(s, END_RESULT);
		return;
	}
	/* end of stream without a result: QEMU's fate tells why */
	proc_describe(s->res.wstatus, how, sizeof(how));
	if (WIFEXITED(s->res.wstatus) && WEXITSTATUS(s->res.wstatus) == 0)
		session_fail(s, END_CLOSED, "channel closed before the result frame%s%s%s",
			     s->ch.ks.running[0] ? " while " : "", s->ch.ks.running,
			     s->ch.ks.running[0] ? " ran" : "");
	else
		session_fail(s, END_QEMU_DIED, "QEMU died (%s)%s%s", how,
			     s->ch.ks.running[0] ? " while running " : " before the result frame",
			     s->ch.ks.running);
}

static void do_read(struct session *s)
{
	enum channel_event ev = channel_read(&s->ch);

	s->res.got_result = s->ch.fp.done;
	s->res.status = s->ch.fp.status;
	switch (ev) {
	case CHANNEL_MORE:
		break;
	case CHANNEL_RESULT:
		if (s->phase == PHASE_RUNNING)
			settle(s);
		break;
	case CHANNEL_EOF:
		if (session_lost(s, "closed the channel"))
			break;
		if (!s->ch.fp.done && frame_parser_mid_frame(&s->ch.fp))
			session_fail(s, END_CLOSED,
				     "channel closed in the middle of a frame (byte %llu)",
				     (unsigned long long)channel_offset(&s->ch));
		else
			settle(s);
		break;
	case CHANNEL_VIOLATION:
		session_fail(s, END_PROTOCOL, "protocol violation on " PROTO_PORT_NAME ": %s",
			     channel_violation(&s->ch));
		break;
	}
}

/* The UART as it comes: OS, relayed to stdout; TESTS, only watched. False at its end. */
static bool relay_serial(struct session *s)
{
	if (relay_fd(s->serial_fd, s->mode == SESSION_OS, s->serial_copy_fd, s->on_console,
		     s->console_ctx))
		return true;
	close(s->serial_fd);
	s->serial_fd = -1;
	return false;
}

/* QEMU's end is closed: what it sent is in the socket and the pipe, read it all. */
static void drain(struct session *s)
{
	while (s->serial_fd >= 0 && relay_serial(s))
		;
	while (s->ch.fd >= 0 && !s->ch.eof && s->phase < PHASE_STOPPING) {
		uint64_t before = channel_offset(&s->ch);

		do_read(s);
		if (!s->ch.eof && channel_offset(&s->ch) == before)
			break;
	}
}

static void reap(struct session *s)
{
	char how[PROC_DESCRIBE_MAX];

	if (s->phase >= PHASE_STOPPING || !processes_reap_qemu(&s->procs))
		return;
	s->res.wstatus = s->procs.wstatus;
	drain(s);
	if (s->phase >= PHASE_STOPPING || session_lost(s, "exited"))
		return;
	if (s->mode == SESSION_OS) {
		session_finish(s, END_EXITED);
	} else if (s->phase == PHASE_CONNECTING) {
		proc_describe(s->res.wstatus, how, sizeof(how));
		session_fail(s, END_NO_CONNECT, "QEMU exited (%s) before the guest connected", how);
	} else if (s->ch.eof) {
		settle(s);
	} else {
		session_set_deadline(s, CLOSE_GRACE_MS);
	}
}

static void expire(struct session *s)
{
	unsigned long silent = session_silent_ms(s);

	if (s->mode == SESSION_OS) {
		if (s->phase == PHASE_CONNECTING &&
		    (!s->timeout_ms || clock_now_ms() < s->started + s->timeout_ms))
			session_fail(s, END_NO_CONNECT,
				     "QEMU did not connect to " PROTO_PORT_NAME " within %.3g s",
				     s->connect_timeout_ms / 1000.0);
		else
			session_fail(s, END_TIMEOUT, "timeout after %.3g s: QEMU killed",
				     s->timeout_ms / 1000.0);
		return;
	}
	switch (s->phase) {
	case PHASE_CONNECTING:
		session_fail(s, END_NO_CONNECT, "the guest did not connect within %.3g s",
			     silent / 1000.0);
		break;
	case PHASE_RUNNING:
		if (session_lost(s, "stayed silent"))
			break;
		channel_finish(&s->ch);
		memcpy(s->timed_out, s->ch.ks.running, sizeof(s->timed_out));
		if (s->timed_out[0])
			session_fail(s, END_TIMEOUT, "%s: no result within %.3g s", s->timed_out,
				     s->timeout_ms / 1000.0);
		else
			session_fail(s, END_TIMEOUT, "no %s within %.3g s%s",
				     s->ch.ks.results  ? "result frame"
				     : s->ch.log_bytes ? "test started"
						       : "output from the guest",
				     silent / 1000.0,
				     !s->ch.log_bytes && silent == s->connect_timeout_ms
					     ? " (--boot-timeout)"
					     : "");
		break;
	case PHASE_CLOSING:
		/* the verdict is in; a QEMU that will not power off is just stopped */
		if (s->emu_grace && session_go_idle(s))
			break;
		if (s->ch.fp.done)
			session_finish(s, END_RESULT);
		else
			session_fail(s, END_CLOSED, "channel closed before the result frame%s%s",
				     s->ch.ks.running[0] ? " while running " : "",
				     s->ch.ks.running);
		break;
	default:
		break;
	}
}

void session_step(struct session *s, const struct pollfd *pfd, int n, uint64_t now)
{
	for (int i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == s->lfd && s->phase == PHASE_CONNECTING)
			do_accept(s);
		else if (pfd[i].fd == s->ch.fd && s->phase < PHASE_STOPPING && !s->ch.eof)
			do_read(s);
		else if (pfd[i].fd == s->serial_fd)
			relay_serial(s);
	}
	if (s->phase == PHASE_STOPPING) {
		advance_stop(s, now);
		return;
	}
	reap(s);
	if (s->phase < PHASE_STOPPING && processes_check(&s->procs, s->err, sizeof(s->err)))
		session_finish(s, END_RPMB);
	if (s->phase < PHASE_STOPPING && s->deadline && now >= s->deadline)
		expire(s);
}

void session_stop(struct session *s)
{
	if (s->phase < PHASE_STOPPING || s->phase == PHASE_IDLE) {
		snprintf(s->err, sizeof(s->err), "stopped");
		session_finish(s, END_STOPPED);
	}
}

bool session_done(const struct session *s)
{
	return s->phase == PHASE_DONE || s->phase == PHASE_IDLE;
}

const struct session_result *session_result(const struct session *s)
{
	return &s->res;
}

struct qmp *session_qmp(struct session *s)
{
	return &s->procs.qmp;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	processes_free(&s->procs);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->ch.fd >= 0)
		close(s->ch.fd);
	if (s->serial_fd >= 0)
		close(s->serial_fd);
	if (s->serial_copy_fd >= 0)
		close(s->serial_copy_fd);
	if (s->dir[0])
		tmpdir_remove(s->dir);
	free(s->serial_tail);
	free(s->qemu_tail);
	free(s->hang);
	free(s);
}
