// SPDX-License-Identifier: MIT
/* One QEMU boot driven by a poll() loop: connect, request, frames, verdict. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system/proc.h"
#include "machine/rpmbdev.h"
#include "machine/session.h"
#include "machine/session_rpmb.h"

/* How long QEMU gets to exit by itself once the guest has said its last word. */
#define EXIT_GRACE_MS  5000
/* How long QEMU gets to exit after SIGTERM before SIGKILL. */
#define KILL_GRACE_MS  1000
/* After the channel closed without a result: how long to wait for QEMU's exit. */
#define CLOSE_GRACE_MS 1000
#define SERIAL_TAIL_BYTES 2048

static uint8_t rxbuf[64 * 1024];

static void set_deadline(struct session *s, unsigned long ms)
{
	s->deadline = ms ? proc_now_ms() + ms : 0;
}

/* Until the guest says anything, the shorter of the two timeouts applies. */
static unsigned long silent_ms(const struct session *s)
{
	if (s->log_bytes || !s->boot_timeout_ms)
		return s->timeout_ms;
	if (!s->timeout_ms || s->boot_timeout_ms < s->timeout_ms)
		return s->boot_timeout_ms;
	return s->timeout_ms;
}

char *session_read_tail(const char *dir, const char *name)
{
	char path[PATH_MAX + 16], *buf;
	struct stat st;
	ssize_t n;
	off_t off;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc(SERIAL_TAIL_BYTES + 1))) {
		close(fd);
		return NULL;
	}
	off = st.st_size > SERIAL_TAIL_BYTES ? st.st_size - SERIAL_TAIL_BYTES : 0;
	n = pread(fd, buf, SERIAL_TAIL_BYTES, off);
	close(fd);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static void read_serial_tail(struct session *s)
{
	if (!s->dir[0])
		return;
	if (!s->serial_tail)
		s->serial_tail = session_read_tail(s->dir, QEMU_SERIAL_NAME);
	if (!s->qemu_tail)
		s->qemu_tail = session_read_tail(s->dir, QEMU_LOG_NAME);
}

void session_fail(struct session *s, enum session_end end, const char *fmt, ...)
{
	va_list ap;

	if (s->phase == SESSION_DONE)
		return;
	s->end = end;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (s->running) {
		s->wstatus = proc_kill_wait(s->pid, KILL_GRACE_MS);
		s->running = false;
	}
	read_serial_tail(s);
	s->phase = SESSION_DONE;
}

static void relay(struct session *s, const char *data, size_t len)
{
	const char *nl;

	if (!s->relay)
		return;
	/*
	 * Hand over whole lines only: parallel boots share stdout, and the
	 * per-test lines on stderr must not land inside a log line.
	 */
	while (len) {
		size_t n;

		nl = memchr(data, '\n', len);
		n = nl ? (size_t)(nl - data) + 1 : len;
		if (s->relay_len + n > sizeof(s->relay_buf)) {
			fwrite(s->relay_buf, 1, s->relay_len, stdout);
			s->relay_len = 0;
		}
		if (n > sizeof(s->relay_buf)) {
			fwrite(data, 1, n, stdout);
		} else {
			memcpy(s->relay_buf + s->relay_len, data, n);
			s->relay_len += n;
		}
		if (nl) {
			fwrite(s->relay_buf, 1, s->relay_len, stdout);
			s->relay_len = 0;
		}
		data += n;
		len -= n;
	}
}

static void relay_flush(struct session *s)
{
	if (s->relay_len) {
		fwrite(s->relay_buf, 1, s->relay_len, stdout);
		s->relay_len = 0;
	}
}

static void on_log(void *ctx, const char *data, size_t len)
{
	struct session *s = ctx;

	/* the guest is alive: from now on the per-test timeout */
	if (!s->log_bytes && len)
		set_deadline(s, s->timeout_ms);
	s->log_bytes += len;
	/* line by line, so a test's PASS/FAIL line follows its KTAP line */
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		relay(s, data, n);
		ktap_stream_feed(&s->ks, data, n);
		data += n;
		len -= n;
	}
}

static void on_ktap(void *ctx, const struct ktap_line *l)
{
	struct session *s = ctx;

	/* the timeout is per test: each announcement and result restarts it */
	if (l->kind == KTAP_START || l->kind == KTAP_RESULT)
		set_deadline(s, s->timeout_ms);

	if (s->on_line)
		s->on_line(s->ctx, s, l);
}

int session_start(struct session *s, const struct qemu_cfg *cfg,
		  const char *request, unsigned long timeout_ms)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char **argv;
	int ret, logfd = -1;

	s->lfd = s->cfd = s->rfd = -1;
	s->running = false;
	s->phase = SESSION_CONNECTING;
	s->timeout_ms = timeout_ms;
	s->started = proc_now_ms();
	frame_parser_init(&s->fp);
	ktap_stream_init(&s->ks, on_ktap, s);
	s->req_len = strlen(request);
	memcpy(s->req, request, s->req_len + 1);

	ret = tmpdir_make(s->dir, sizeof(s->dir));
	if (ret) {
		s->dir[0] = '\0';
		session_fail(s, END_START, "temporary directory: %s", strerror(-ret));
		return -1;
	}
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/" QEMU_SOCK_NAME,
			     s->dir) >= sizeof(sun.sun_path)) {
		session_fail(s, END_START, "socket path: too long");
		return -1;
	}
	/* listening before QEMU starts: its chardev connects at once (the seed's race) */
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(s->lfd, 1)) {
		session_fail(s, END_START, "socket %s: %s", sun.sun_path, strerror(errno));
		return -1;
	}
	if (cfg->rpmb_dev && session_rpmb_listen(s, cfg))
		return -1;
	argv = qemu_argv(cfg, s->dir);
	if (!argv) {
		session_fail(s, END_START, "QEMU command line: out of memory");
		return -1;
	}
	if (!cfg->serial_stdio) {
		char path[PATH_MAX + 16];

		/* QEMU's own messages: shown with an infrastructure error, not mixed in */
		snprintf(path, sizeof(path), "%s/" QEMU_LOG_NAME, s->dir);
		logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	}
	ret = proc_spawn(argv, logfd, logfd, &s->pid);
	if (logfd >= 0)
		close(logfd);
	qemu_argv_free(argv);
	if (ret) {
		session_fail(s, END_START, "%s: %s", cfg->qemu, strerror(-ret));
		return -1;
	}
	s->running = true;
	s->qemu_started = true;
	if (cfg->rpmb_dev && session_rpmb_start(s, !cfg->rpmb_file))
		return -1;
	set_deadline(s, silent_ms(s));
	return 0;
}

int session_pollfd(const struct session *s, short *events)
{
	*events = POLLIN;
	if (s->phase == SESSION_CONNECTING)
		return s->lfd;
	if ((s->phase == SESSION_RUNNING || s->phase == SESSION_CLOSING) && !s->eof)
		return s->cfd;
	return -1;
}

static void do_accept(struct session *s)
{
	char path[PATH_MAX + 8];
	ssize_t n;

	s->cfd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s->cfd < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		session_fail(s, END_START, "accept: %s", strerror(errno));
		return;
	}
	close(s->lfd);
	s->lfd = -1;
	snprintf(path, sizeof(path), "%s/" QEMU_SOCK_NAME, s->dir);
	unlink(path);
	s->connected = proc_now_ms();
	/* the guest reads it when its port opens; QEMU buffers it until then */
	n = send(s->cfd, s->req, s->req_len, MSG_NOSIGNAL);
	if (n != (ssize_t)s->req_len) {
		session_fail(s, END_CLOSED, "sending the request: %s",
		     n < 0 ? strerror(errno) : "short write");
		return;
	}
	s->phase = SESSION_RUNNING;
	set_deadline(s, silent_ms(s));
}

/* The guest has said all it will; wait for QEMU's own exit, or decide now. */
static void settle(struct session *s)
{
	char how[96];

	if (s->phase == SESSION_DONE)
		return;
	ktap_stream_finish(&s->ks);
	relay_flush(s);
	if (s->fp.done) {
		if (s->running) {
			if (s->phase != SESSION_CLOSING) {
				s->phase = SESSION_CLOSING;
				set_deadline(s, EXIT_GRACE_MS);
			}
			return;
		}
		s->end = END_RESULT;
		s->status = s->fp.status;
		s->phase = SESSION_DONE;
		return;
	}
	/* end of stream without a result: QEMU's fate tells why */
	if (s->running) {
		if (s->phase != SESSION_CLOSING) {
			s->phase = SESSION_CLOSING;
			set_deadline(s, CLOSE_GRACE_MS);
		}
		return;
	}
	proc_describe(s->wstatus, how, sizeof(how));
	if (WIFEXITED(s->wstatus) && WEXITSTATUS(s->wstatus) == 0)
		session_fail(s, END_CLOSED, "channel closed before the result frame%s%s%s",
		     s->ks.running[0] ? " while " : "", s->ks.running,
		     s->ks.running[0] ? " ran" : "");
	else
		session_fail(s, END_QEMU_DIED, "QEMU died (%s)%s%s", how,
		     s->ks.running[0] ? " while running " : " before the result frame",
		     s->ks.running);
}

static void do_read(struct session *s)
{
	/* bounded so that parallel boots take turns */
	for (int i = 0; i < 16; i++) {
		ssize_t n = read(s->cfd, rxbuf, sizeof(rxbuf));
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* a reset connection is a close */
			n = 0;
		}
		if (n == 0) {
			s->eof = true;
			if (!s->fp.done && frame_parser_mid_frame(&s->fp))
				session_fail(s, END_CLOSED,
				     "channel closed in the middle of a frame (byte %llu)",
				     (unsigned long long)(s->fp.offset + s->fp.fill));
			else
				settle(s);
			return;
		}
		ret = frame_feed(&s->fp, rxbuf, (size_t)n, on_log, s);
		if (ret < 0 || s->ks.bad_version) {
			ktap_stream_finish(&s->ks);
			relay_flush(s);
			session_fail(s, END_PROTOCOL, "protocol violation: %s", ret < 0 ? s->fp.why :
			     "the log is not 'KTAP version 1' (the only version understood)");
			return;
		}
		if (ret == 1 && s->phase == SESSION_RUNNING)
			settle(s);
	}
}

static void reap(struct session *s)
{
	char how[96];
	int r;

	if (!s->running)
		return;
	r = proc_reap(s->pid, &s->wstatus);
	if (r == 0)
		return;
	s->running = false;
	if (r < 0)
		s->wstatus = 0;
	switch (s->phase) {
	case SESSION_CONNECTING:
		proc_describe(s->wstatus, how, sizeof(how));
		session_fail(s, END_NO_CONNECT, "QEMU exited (%s) before the guest connected",
		     how);
		break;
	case SESSION_RUNNING:
	case SESSION_CLOSING:
		/* QEMU's end is closed: what it sent is in our socket, read it all */
		if (!s->eof) {
			while (!s->eof && s->phase != SESSION_DONE) {
				size_t before = s->fp.offset + s->fp.fill;

				do_read(s);
				if (!s->eof && s->fp.offset + s->fp.fill == before)
					break;
			}
		}
		if (s->eof && s->phase != SESSION_DONE)
			settle(s);
		else if (s->phase != SESSION_DONE)
			set_deadline(s, CLOSE_GRACE_MS);
		break;
	case SESSION_DONE:
		break;
	}
}

void session_step(struct session *s, short revents)
{
	if (s->phase == SESSION_CONNECTING && (revents & POLLIN))
		do_accept(s);
	if ((s->phase == SESSION_RUNNING || s->phase == SESSION_CLOSING) &&
	    !s->eof && (revents & (POLLIN | POLLHUP | POLLERR)))
		do_read(s);
	reap(s);
	session_rpmb_check(s);
}

void session_expire(struct session *s)
{
	switch (s->phase) {
	case SESSION_CONNECTING:
		session_fail(s, END_NO_CONNECT, "the guest did not connect within %.3g s",
		     silent_ms(s) / 1000.0);
		break;
	case SESSION_RUNNING:
		ktap_stream_finish(&s->ks);
		relay_flush(s);
		memcpy(s->timed_out, s->ks.running, sizeof(s->timed_out));
		if (s->timed_out[0])
			session_fail(s, END_TIMEOUT, "%s: no result within %.3g s",
			     s->timed_out, s->timeout_ms / 1000.0);
		else
			session_fail(s, END_TIMEOUT, "no %s within %.3g s%s",
			     s->ks.results ? "result frame" :
			     s->log_bytes ? "test started" : "output from the guest",
			     silent_ms(s) / 1000.0,
			     !s->log_bytes && silent_ms(s) == s->boot_timeout_ms ?
			     " (--boot-timeout)" : "");
		break;
	case SESSION_CLOSING:
		if (s->fp.done) {
			/* the verdict is in; a QEMU that will not power off is just stopped */
			s->wstatus = proc_kill_wait(s->pid, KILL_GRACE_MS);
			s->running = false;
			settle(s);
		} else {
			session_fail(s, END_CLOSED, "channel closed before the result frame%s%s",
			     s->ks.running[0] ? " while running " : "", s->ks.running);
		}
		break;
	case SESSION_DONE:
		break;
	}
}

void session_kill(struct session *s)
{
	if (s->running) {
		s->wstatus = proc_kill_wait(s->pid, KILL_GRACE_MS);
		s->running = false;
	}
	s->phase = SESSION_DONE;
}

void session_cleanup(struct session *s)
{
	session_kill(s);
	/* QEMU is gone: the emulator's client has closed, so it is ending too */
	if (s->emu_running)
		rpmbdev_stop(s->emu_pid, s->qemu_started && !s->emu_init ?
			     RPMBDEV_GRACE_MS : 0);
	s->emu_running = false;
	if (s->rfd >= 0)
		close(s->rfd);
	s->rfd = -1;
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->cfd >= 0)
		close(s->cfd);
	s->lfd = s->cfd = -1;
	if (s->dir[0])
		tmpdir_remove(s->dir);
	s->dir[0] = '\0';
	free(s->serial_tail);
	free(s->qemu_tail);
	s->serial_tail = NULL;
	s->qemu_tail = NULL;
}
