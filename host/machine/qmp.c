/* SPDX-License-Identifier: MIT */
/* A QMP client for the QEMU of one boot: lazy negotiation, bounded exchanges, a log of both sides. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "machine/qmp.h"
#include "protocol/qmp_json.h"
#include "system/clock.h"
#include "system/unix_socket.h"

/* Room read at once; the buffer grows to QMP_MSG_MAX plus this. */
#define READ_CHUNK 4096

void qmp_init(struct qmp *q)
{
	memset(q, 0, sizeof(*q));
	q->lfd = q->fd = q->log_fd = -1;
}

/* Say why in q->err; returns @err. */
__attribute__((format(printf, 3, 4))) static int failf(struct qmp *q, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->err, sizeof(q->err), fmt, ap);
	va_end(ap);
	return err;
}

const char *qmp_error(const struct qmp *q)
{
	return q->err[0] ? q->err : "no error";
}

int qmp_listen(struct qmp *q, const char *dir)
{
	char path[TMPDIR_SOCK_MAX];
	int ret;

	if ((size_t)snprintf(q->dir, sizeof(q->dir), "%s", dir) >= sizeof(q->dir))
		return -ENAMETOOLONG;
	ret = tmpdir_socket(path, sizeof(path), dir, QMP_SOCK_NAME);
	if (!ret)
		ret = unix_listen(path, true);
	if (ret < 0)
		return ret;
	q->lfd = ret;
	return 0;
}

/* "-> " what we sent, "<- " what QEMU sent, "!! " what went wrong; one line each. */
static void log_line(struct qmp *q, const char *dir, const char *text, size_t len)
{
	char path[TMPDIR_PATH_MAX];

	if (q->log_fd < 0 && q->dir[0] && !tmpdir_path(path, sizeof(path), q->dir, QMP_LOG_NAME))
		q->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (q->log_fd < 0)
		return;
	/* a log is best effort: a full disk must not fail the exchange */
	if (dprintf(q->log_fd, "%s%.*s\n", dir, (int)len, text) < 0)
		return;
}

static void log_note(struct qmp *q, const char *why)
{
	log_line(q, "!! ", why, strlen(why));
}

static int remaining(uint64_t deadline)
{
	uint64_t now = clock_now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* QEMU's connection: it connected while starting, so it waits in the backlog. */
static int take_connection(struct qmp *q, uint64_t deadline, bool wait)
{
	struct pollfd pfd;

	if (q->fd >= 0)
		return 0;
	if (q->lfd < 0)
		return failf(q, -ENOTCONN, "QMP: no socket");
	for (;;) {
		q->fd = accept4(q->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (q->fd >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || !wait)
			return failf(q, -ENOTCONN, "QMP: QEMU did not connect");
		pfd = (struct pollfd){ .fd = q->lfd, .events = POLLIN };
		if (poll(&pfd, 1, remaining(deadline)) == 0)
			return failf(q, -ENOTCONN, "QMP: QEMU did not connect");
	}
	close(q->lfd);
	q->lfd = -1;
	return 0;
}

/* Read what is there into q->buf: 1 read something, 0 nothing yet, <0 end or error. */
static int read_some(struct qmp *q)
{
	ssize_t n;

	if (q->cap - q->fill < READ_CHUNK) {
		size_t cap = q->fill + READ_CHUNK * 4;
		char *b = realloc(q->buf, cap);

		if (!b)
			return -ENOMEM;
		q->buf = b;
		q->cap = cap;
	}
	n = recv(q->fd, q->buf + q->fill, q->cap - q->fill, MSG_DONTWAIT);
	if (n > 0) {
		q->fill += (size_t)n;
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n == 0 ? -ECONNRESET : -errno;
}

/*
 * The next message (a line) within @deadline: its length in *@len (the
 * '\n' and a '\r' before it not counted); consume it with drop_msg.
 */
static int next_msg(struct qmp *q, uint64_t deadline, size_t *len)
{
	for (;;) {
		char *nl = q->fill ? memchr(q->buf, '\n', q->fill) : NULL;
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		int ret, r;

		if (nl) {
			*len = (size_t)(nl - q->buf);
			if (*len && q->buf[*len - 1] == '\r')
				(*len)--;
			return 0;
		}
		if (q->fill > QMP_MSG_MAX) {
			q->broken = true;
			return failf(q, -EPROTO, "QMP: a message longer than %d bytes",
				     QMP_MSG_MAX);
		}
		ret = read_some(q);
		if (ret > 0)
			continue;
		if (ret < 0) {
			q->broken = true;
			return failf(q, ret, "QMP: %s",
				     ret == -ECONNRESET ? "QEMU closed the connection"
							: strerror(-ret));
		}
		r = remaining(deadline);
		if (!r || poll(&pfd, 1, r) == 0)
			return failf(q, -ETIMEDOUT, "QMP: no answer within %.3g s",
				     q->timeout_ms / 1000.0);
	}
}

static void drop_msg(struct qmp *q)
{
	char *nl = memchr(q->buf, '\n', q->fill);
	size_t n = (size_t)(nl - q->buf) + 1;

	memmove(q->buf, q->buf + n, q->fill - n);
	q->fill -= n;
}

static int send_text(struct qmp *q, const char *text, uint64_t deadline)
{
	size_t len = strlen(text), done = 0;

	while (done < len) {
		ssize_t n = send(q->fd, text + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		struct pollfd pfd = { .fd = q->fd, .events = POLLOUT };
		int r;

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			int e = errno;

			q->broken = true;
			return failf(q, -e, "QMP: sending: %s", strerror(e));
		}
		r = remaining(deadline);
		if (!r || poll(&pfd, 1, r) == 0) {
			q->broken = true;
			return failf(q, -ETIMEDOUT, "QMP: QEMU does not read its socket");
		}
	}
	log_line(q, "-> ", text, len - 1);
	return 0;
}

/* "error": {"class": C, "desc": D} as one line. */
static void remote_error(struct qmp *q, const char *msg, size_t len)
{
	struct qmp_json_span e, cls = { "\"?\"", 3 }, desc = { "\"?\"", 3 };
	char *c = NULL, *d = NULL;

	if (qmp_json_member(msg, len, "error", &e) == 1) {
		qmp_json_member(e.p, e.len, "class", &cls);
		qmp_json_member(e.p, e.len, "desc", &desc);
	}
	if (qmp_json_string(&cls, &c) || qmp_json_string(&desc, &d))
		failf(q, 0, "QMP: an error QEMU did not describe");
	else
		failf(q, 0, "QMP: %s: %s", c, d);
	free(c);
	free(d);
}

/*
 * Wait for the answer to command @id: events and answers to earlier
 * commands (one given up on) are skipped. *@ret: the "return" value's text.
 */
static int wait_reply(struct qmp *q, unsigned int id, uint64_t deadline, char **ret)
{
	char want[16];

	snprintf(want, sizeof(want), "%u", id);
	for (;;) {
		struct qmp_json_span v, idv;
		size_t len;
		int r = next_msg(q, deadline, &len), has_id;

		if (r)
			return r;
		log_line(q, "<- ", q->buf, len);
		if (qmp_json_check(q->buf, len)) {
			q->broken = true;
			drop_msg(q);
			return failf(q, -EPROTO, "QMP: not a JSON object from QEMU");
		}
		has_id = qmp_json_member(q->buf, len, "id", &idv);
		if (qmp_json_member(q->buf, len, "event", &v) == 1 ||
		    qmp_json_member(q->buf, len, "QMP", &v) == 1 ||
		    (has_id == 1 && (idv.len != strlen(want) || memcmp(idv.p, want, idv.len)))) {
			drop_msg(q);
			continue;
		}
		if (qmp_json_member(q->buf, len, "return", &v) == 1) {
			r = 0;
			if (ret && !(*ret = strndup(v.p, v.len)))
				r = -ENOMEM;
			drop_msg(q);
			return r;
		}
		if (qmp_json_member(q->buf, len, "error", &v) == 1) {
			remote_error(q, q->buf, len);
			drop_msg(q);
			return -EREMOTEIO;
		}
		/* neither an answer nor an event: from a newer QEMU, ignored */
		drop_msg(q);
	}
}

/* The greeting {"QMP": ...}, the first thing QEMU says. */
static int read_greeting(struct qmp *q, uint64_t deadline)
{
	struct qmp_json_span v;
	size_t len;
	int r = next_msg(q, deadline, &len);

	if (r) {
		if (r == -ETIMEDOUT)
			failf(q, r, "QMP: no greeting from QEMU within %.3g s",
			      q->timeout_ms / 1000.0);
		q->broken = true;
		return r;
	}
	log_line(q, "<- ", q->buf, len);
	if (qmp_json_check(q->buf, len) || qmp_json_member(q->buf, len, "QMP", &v) != 1) {
		q->broken = true;
		drop_msg(q);
		return failf(q, -EPROTO, "QMP: QEMU's first message is not a greeting");
	}
	drop_msg(q);
	return 0;
}

static int execute(struct qmp *q, const char *cmd, const char *args, uint64_t deadline, char **ret)
{
	char *text;
	int r;

	q->id++;
	if (asprintf(&text, "{\"execute\":\"%s\"%s%s,\"id\":%u}\n", cmd,
		     args ? ",\"arguments\":" : "", args ? args : "", q->id) < 0)
		return -ENOMEM;
	r = send_text(q, text, deadline);
	free(text);
	return r ? r : wait_reply(q, q->id, deadline, ret);
}

static int negotiate(struct qmp *q, uint64_t deadline)
{
	int r;

	if (q->negotiated)
		return 0;
	r = take_connection(q, deadline, true);
	if (!r)
		r = read_greeting(q, deadline);
	if (!r)
		r = execute(q, "qmp_capabilities", NULL, deadline, NULL);
	if (r) {
		q->broken = true;
		return r;
	}
	q->negotiated = true;
	return 0;
}

int qmp_call(struct qmp *q, const char *cmd, const char *args, char **ret, unsigned int timeout_ms)
{
	uint64_t deadline = clock_now_ms() + timeout_ms;
	int r;

	if (ret)
		*ret = NULL;
	q->timeout_ms = timeout_ms;
	if (q->broken)
		return -EPIPE; /* q->err still says why */
	q->err[0] = '\0';
	r = negotiate(q, deadline);
	if (!r)
		r = execute(q, cmd, args, deadline, ret);
	if (r && r != -EREMOTEIO)
		log_note(q, q->err);
	return r;
}

int qmp_hmp(struct qmp *q, const char *cmdline, int cpu, char **out, unsigned int timeout_ms)
{
	char *quoted = qmp_json_quote(cmdline), *args = NULL, *ret = NULL;
	struct qmp_json_span v;
	int r = -ENOMEM;

	*out = NULL;
	if (quoted &&
	    (cpu >= 0 ? asprintf(&args, "{\"command-line\":%s,\"cpu-index\":%d}", quoted, cpu)
		      : asprintf(&args, "{\"command-line\":%s}", quoted)) < 0)
		args = NULL;
	if (args)
		r = qmp_call(q, "human-monitor-command", args, &ret, timeout_ms);
	if (!r) {
		v = (struct qmp_json_span){ ret, strlen(ret) };
		r = qmp_json_string(&v, out);
		if (r == -EPROTO)
			failf(q, r, "QMP: human-monitor-command did not return text");
	}
	free(quoted);
	free(args);
	free(ret);
	return r;
}

int qmp_system_reset(struct qmp *q, unsigned int timeout_ms)
{
	return qmp_call(q, "system_reset", NULL, NULL, timeout_ms);
}

int qmp_stop_cpus(struct qmp *q, unsigned int timeout_ms)
{
	return qmp_call(q, "stop", NULL, NULL, timeout_ms);
}

int qmp_quit_begin(struct qmp *q)
{
	uint64_t now = clock_now_ms();
	char text[96];

	if (q->quit_sent)
		return 0;
	if (!q->negotiated) {
		/* without waiting: QEMU greets as soon as it has started */
		if (q->broken || take_connection(q, now, false))
			return -ENOTCONN;
		while (read_some(q) > 0)
			;
		if (!q->fill || !memchr(q->buf, '\n', q->fill) || read_greeting(q, now))
			return -ENOTCONN;
		q->id++;
		snprintf(text, sizeof(text), "{\"execute\":\"qmp_capabilities\",\"id\":%u}\n",
			 q->id);
		if (send_text(q, text, now))
			return -EPIPE;
		q->negotiated = true;
	}
	q->id++;
	snprintf(text, sizeof(text), "{\"execute\":\"quit\",\"id\":%u}\n", q->id);
	if (send_text(q, text, now))
		return -EPIPE;
	q->quit_sent = true;
	return 0;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0) {
		/* QEMU's last words (quit's answer, SHUTDOWN) for the log */
		while (!q->broken && read_some(q) > 0)
			;
		for (char *nl; q->fill && (nl = memchr(q->buf, '\n', q->fill));) {
			size_t len = (size_t)(nl - q->buf);

			log_line(q, "<- ", q->buf, len && nl[-1] == '\r' ? len - 1 : len);
			drop_msg(q);
		}
		close(q->fd);
	}
	if (q->lfd >= 0)
		close(q->lfd);
	if (q->log_fd >= 0)
		close(q->log_fd);
	free(q->buf);
	qmp_init(q);
}
