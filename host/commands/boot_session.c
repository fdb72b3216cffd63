// SPDX-License-Identifier: MIT
/*
 * One `testrunner-host boot` session: QEMU started with fork/exec, its serial
 * console relayed, the testrunner0 channel served, QEMU stopped on any end.
 * Processes, signals and frames come from proc.c and frames.c, as for `run`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commands/boot.h"
#include "commands/boot_session.h"
#include "system/proc.h"

#define CONNECT_TIMEOUT_MS 10000 /* QEMU connects while it starts up */
#define KILL_GRACE_MS 2000	 /* between SIGTERM and SIGKILL */

/* QEMU's stdout is a pipe we relay: the guest's PL011 with -serial stdio. */
int boot_start_qemu(struct boot_run *r, char **argv)
{
	int out[2], ret;

	if (pipe2(out, O_CLOEXEC) < 0)
		return boot_err("boot: pipe: %s", strerror(errno));
	ret = proc_spawn(argv, out[1], -1, &r->qemu);
	close(out[1]);
	if (ret) {
		close(out[0]);
		r->qemu = -1;
		return boot_err("boot: cannot execute %s: %s", argv[0], strerror(-ret));
	}
	r->serial_fd = out[0];
	return 0;
}

/* Returns false at end of file. */
static bool relay(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	return true;
}

/*
 * Log payload duplicates what the guest prints on its UART (relayed to
 * stdout), so it is not echoed: only the last complete line is kept, for the
 * verdict.
 */
static void keep_log(void *ctx, const char *text, size_t len)
{
	struct boot_run *r = ctx;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			memcpy(r->last_line, r->log_line, r->log_len);
			r->last_line[r->log_len] = '\0';
			r->log_len = 0;
		} else if (r->log_len < sizeof(r->log_line) - 1) {
			r->log_line[r->log_len++] = text[i];
		}
	}
}

/* Frames from the channel, reassembled across any chunking. -1: closed. */
static int read_channel(struct boot_run *r)
{
	uint8_t buf[4096];
	ssize_t n = read(r->conn_fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	if (frame_feed(&r->fp, buf, (size_t)n, keep_log, r) < 0)
		r->protocol_error = true;
	return 0;
}

void boot_stop_qemu(struct boot_run *r, int *status)
{
	if (r->qemu <= 0)
		return;
	*status = proc_kill_wait(r->qemu, KILL_GRACE_MS);
	r->qemu = -1;
}

static int accept_channel(struct boot_run *r)
{
	static const char request[] = PROTO_SECONDARY_OS "\n";

	/* non-blocking: the drain after QEMU's exit must never wait */
	r->conn_fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (r->conn_fd < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	close(r->listen_fd);
	r->listen_fd = -1;
	/* the guest reads it when it is ready: sending early loses nothing */
	if (write(r->conn_fd, request, sizeof(request) - 1) != (ssize_t)sizeof(request) - 1) {
		boot_err("boot: sending the request: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* What QEMU wrote before it exited is still in the pipe and the socket. */
static void drain(struct boot_run *r, bool serial_open)
{
	while (serial_open && relay(r->serial_fd))
		;
	while (r->conn_fd >= 0 && !r->protocol_error) {
		struct pollfd c = {.fd = r->conn_fd, .events = POLLIN};

		if (poll(&c, 1, 0) <= 0 || read_channel(r) < 0)
			break;
	}
}

enum boot_end boot_supervise(struct boot_run *r, long timeout_s, int *status)
{
	uint64_t start = proc_now_ms(), deadline = start + (uint64_t)timeout_s * 1000;
	bool serial_open = true;

	for (;;) {
		struct pollfd pfd[3] = {
			{.fd = serial_open ? r->serial_fd : -1, .events = POLLIN},
			{.fd = r->conn_fd >= 0 ? r->conn_fd : r->listen_fd, .events = POLLIN},
			{.fd = proc_wake_fd(), .events = POLLIN},
		};
		uint64_t now = proc_now_ms(), until = deadline;

		if (proc_term_signal())
			return BOOT_END_SIGNAL;
		if (r->protocol_error)
			return BOOT_END_PROTOCOL;
		if (proc_reap(r->qemu, status) == 1) {
			r->qemu = -1;
			drain(r, serial_open);
			return BOOT_END_EXITED;
		}
		if (r->conn_fd == -1 && start + CONNECT_TIMEOUT_MS < until)
			until = start + CONNECT_TIMEOUT_MS;
		if (now >= until) {
			if (now >= deadline)
				return BOOT_END_TIMEOUT;
			boot_err("boot: QEMU did not connect to %s within %d s", r->sock,
				 CONNECT_TIMEOUT_MS / 1000);
			return BOOT_END_PROTOCOL;
		}
		/* SIGCHLD and SIGINT/SIGTERM wake us through the self-pipe */
		if (poll(pfd, 3, (int)(until - now)) < 0 && errno != EINTR)
			return BOOT_END_PROTOCOL;
		if (pfd[2].revents)
			proc_wake_drain();
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			serial_open = relay(r->serial_fd);
		if (r->conn_fd == -1 && (pfd[1].revents & POLLIN)) {
			if (accept_channel(r) < 0)
				return BOOT_END_PROTOCOL;
		} else if (r->conn_fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			if (read_channel(r) < 0) {
				close(r->conn_fd);
				r->conn_fd = -2; /* closed: stop polling it */
			}
		}
	}
}
