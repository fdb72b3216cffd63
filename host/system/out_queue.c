/* SPDX-License-Identifier: MIT */
/* The stdout queue: bytes leave only when poll() says fd 1 can take them. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/out_queue.h"
#include "system/signals.h"
#include "system/status_line.h"

/*
 * A pipe that poll() calls writable takes PIPE_BUF bytes without blocking;
 * up to this many such writes per wake-up.
 */
#define WRITES_PER_STEP 16

static char *buf;
static size_t head, tail, cap;
static int error;
static bool tty_mid_line; /* on a terminal, the last byte written was not '\n' */

void out_queue_write(const void *data, size_t len)
{
	if (error || !len)
		return;
	if (tail + len > cap && head) {
		memmove(buf, buf + head, tail - head);
		tail -= head;
		head = 0;
	}
	if (tail + len > cap) {
		size_t ncap = cap ? cap : 64 * 1024;
		char *p;

		while (ncap < tail + len)
			ncap *= 2;
		p = realloc(buf, ncap);
		if (!p) {
			error = -ENOMEM;
			return;
		}
		buf = p;
		cap = ncap;
	}
	memcpy(buf + tail, data, len);
	tail += len;
}

bool out_queue_congested(void)
{
	return tail - head > OUT_QUEUE_HIGH;
}

int out_queue_pollfd(struct pollfd *pfd)
{
	if (error || head == tail)
		return 0;
	*pfd = (struct pollfd){ .fd = STDOUT_FILENO, .events = POLLOUT };
	return 1;
}

/* A regular file never makes a write wait: it takes the whole queue at once. */
static bool stdout_is_file(void)
{
	static int known = -1;
	struct stat st;

	if (known < 0)
		known = !fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode);
	return known;
}

/* A terminal shares its lines with the status line on stderr. */
static bool stdout_is_tty(void)
{
	static int known = -1;

	if (known < 0)
		known = isatty(STDOUT_FILENO);
	return known;
}

/*
 * On a terminal: whole lines where there is a '\n' within @n, so that the
 * status line comes back between lines, never inside one.
 */
static size_t whole_lines(size_t n)
{
	const char *p = memrchr(buf + head, '\n', n);

	return p ? (size_t)(p - (buf + head)) + 1 : n;
}

/* One write (of at most PIPE_BUF bytes unless a file); false when fd 1 took nothing. */
static bool write_some(void)
{
	size_t n = tail - head;
	bool tty = stdout_is_tty();
	ssize_t w;

	if (n > PIPE_BUF && !stdout_is_file())
		n = PIPE_BUF;
	if (tty) {
		n = whole_lines(n);
		status_line_hide();
	}
	w = write(STDOUT_FILENO, buf + head, n);
	if (tty && w > 0) {
		tty_mid_line = buf[head + (size_t)w - 1] != '\n';
		if (!tty_mid_line)
			status_line_restore();
	}

	if (w < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return false;
		/* the real reason, kept for the user: ENOSPC, EPIPE, EBADF... */
		error = -errno;
		head = tail = 0;
		return false;
	}
	head += (size_t)w;
	if (head == tail)
		head = tail = 0;
	return w > 0;
}

/* Can fd 1 take bytes without blocking now? */
static bool ready(int wait_ms)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&pfd, 1, wait_ms) == 1 && pfd.revents;
}

void out_queue_step(const struct pollfd *pfd)
{
	if (!pfd->revents)
		return;
	for (int i = 0; i < WRITES_PER_STEP && head != tail && !error; i++)
		if (!write_some() || (head != tail && !ready(0)))
			break;
}

void out_queue_flush_ready(void)
{
	for (int i = 0; i < WRITES_PER_STEP && head != tail && !error && ready(0); i++)
		if (!write_some())
			break;
}

int out_queue_drain(void)
{
	while (head != tail && !error && !signals_term()) {
		struct pollfd pfd[2] = {
			{ .fd = STDOUT_FILENO, .events = POLLOUT },
			{ .fd = signals_wake_fd(), .events = POLLIN },
		};

		if (poll(pfd, pfd[1].fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			signals_wake_drain();
		if (pfd[0].revents)
			write_some();
	}
	free(buf);
	buf = NULL;
	head = tail = cap = 0;
	return error;
}

bool out_queue_mid_line(void)
{
	return tty_mid_line;
}

void out_queue_line_ended(void)
{
	tty_mid_line = false;
}

int out_queue_error(void)
{
	return error;
}
