// SPDX-License-Identifier: MIT
/*
 * One `testrunner-host boot` session: QEMU started with fork/exec, its serial
 * console relayed, the testrunner0 channel served, QEMU stopped on any end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "boot_session.h"

#define CONNECT_TIMEOUT_MS 10000 /* QEMU connects while it starts up */
#define KILL_GRACE_MS 2000	 /* between SIGTERM and SIGKILL */
#define POLL_MS 100

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * fork/exec QEMU with stdin /dev/null, stdout a pipe we relay (the guest's
 * PL011 with -serial stdio) and stderr ours. An exec failure comes back over
 * a close-on-exec pipe so it is reported as such, not as an exit status.
 */
int boot_start_qemu(struct boot_run *r, char **argv)
{
	int out[2], errp[2], child_errno = 0;
	ssize_t n;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		return boot_err("boot: pipe: %s", strerror(errno));
	r->qemu = fork();
	if (r->qemu < 0)
		return boot_err("boot: fork: %s", strerror(errno));
	if (r->qemu == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		int e;

		/* own process group: a terminal's ^C reaches us, and we stop QEMU */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out[1], 1) < 0) {
			e = errno;
		} else {
			execvp(argv[0], argv);
			e = errno;
		}
		n = write(errp[1], &e, sizeof(e));
		_exit(127 + 0 * (int)n);
	}
	close(out[1]);
	close(errp[1]);
	r->serial_fd = out[0];
	do {
		n = read(errp[0], &child_errno, sizeof(child_errno));
	} while (n < 0 && errno == EINTR);
	close(errp[0]);
	if (n == sizeof(child_errno)) {
		waitpid(r->qemu, NULL, 0);
		r->qemu = -1;
		return boot_err("boot: cannot execute %s: %s", argv[0], strerror(child_errno));
	}
	return 0;
}

static void relay(int fd, FILE *to)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		fwrite(buf, 1, (size_t)n, to);
		fflush(to);
	}
}

/*
 * Log payload duplicates what the guest prints on its UART (relayed to
 * stdout), so it is not echoed: only the last complete line is kept, for the
 * verdict.
 */
static void keep_log(struct boot_run *r, const uint8_t *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			memcpy(r->last_line, r->log_line, r->log_len);
			r->last_line[r->log_len] = '\0';
			r->log_len = 0;
		} else if (r->log_len < sizeof(r->log_line) - 1) {
			r->log_line[r->log_len++] = (char)text[i];
		}
	}
}

/* Take frames from the channel, reassembled across any chunking. */
static int read_channel(struct boot_run *r)
{
	uint8_t buf[4096];
	ssize_t n = read(r->conn_fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1; /* closed */
	for (ssize_t i = 0; i < n; i++) {
		r->frame[r->frame_len++] = buf[i];
		if (r->frame_len < PROTO_FRAME_SIZE)
			continue;
		r->frame_len = 0;
		if (r->result >= 0) {
			r->protocol_error = true; /* nothing may follow the result */
		} else if (r->frame[0] == PROTO_FRAME_LOG && r->frame[1] <= PROTO_LOG_MAX) {
			keep_log(r, r->frame + 2, r->frame[1]);
		} else if (r->frame[0] == PROTO_FRAME_RESULT) {
			r->result = r->frame[1];
		} else {
			r->protocol_error = true;
		}
	}
	return 0;
}

void boot_stop_qemu(struct boot_run *r, int *status)
{
	long deadline;

	if (r->qemu <= 0)
		return;
	kill(r->qemu, SIGTERM);
	deadline = now_ms() + KILL_GRACE_MS;
	while (waitpid(r->qemu, status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			kill(r->qemu, SIGKILL);
			waitpid(r->qemu, status, 0);
			break;
		}
		usleep(10000);
	}
	r->qemu = -1;
}

enum boot_end boot_supervise(struct boot_run *r, long timeout_s, int *status)
{
	static const char request[] = PROTO_SECONDARY_OS "\n";
	long start = now_ms(), deadline = start + timeout_s * 1000L;
	bool serial_open = true;

	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = serial_open ? r->serial_fd : -1, .events = POLLIN},
			{.fd = r->conn_fd >= 0 ? r->conn_fd : r->listen_fd, .events = POLLIN},
		};
		pid_t w;

		if (boot_got_signal)
			return BOOT_END_SIGNAL;
		if (r->protocol_error)
			return BOOT_END_PROTOCOL;
		if (now_ms() >= deadline)
			return BOOT_END_TIMEOUT;
		if (poll(pfd, 2, POLL_MS) < 0 && errno != EINTR)
			return BOOT_END_PROTOCOL;

		if (pfd[0].revents & POLLIN)
			relay(r->serial_fd, stdout);
		else if (pfd[0].revents & (POLLHUP | POLLERR))
			serial_open = false;

		if (r->conn_fd < 0 && r->listen_fd >= 0 && (pfd[1].revents & POLLIN)) {
			/* non-blocking: the drain after QEMU's exit must never wait */
			r->conn_fd =
				accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (r->conn_fd >= 0) {
				close(r->listen_fd);
				r->listen_fd = -1;
				/* the guest reads it when it is ready: sending early loses nothing
				 */
				if (write(r->conn_fd, request, sizeof(request) - 1) !=
				    (ssize_t)sizeof(request) - 1) {
					boot_err("boot: sending the request: %s", strerror(errno));
					return BOOT_END_PROTOCOL;
				}
			}
		} else if (r->conn_fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			if (read_channel(r) < 0) {
				close(r->conn_fd);
				r->conn_fd = -2; /* closed: stop polling it */
			}
		}
		if (r->conn_fd == -1 && now_ms() - start > CONNECT_TIMEOUT_MS) {
			boot_err("boot: QEMU did not connect to %s within %d s", r->sock,
				 CONNECT_TIMEOUT_MS / 1000);
			return BOOT_END_PROTOCOL;
		}

		w = waitpid(r->qemu, status, WNOHANG);
		if (w == r->qemu) {
			r->qemu = -1;
			/* what QEMU wrote before it exited is still in the pipe */
			while (serial_open) {
				char buf[4096];
				ssize_t n = read(r->serial_fd, buf, sizeof(buf));

				if (n <= 0)
					break;
				fwrite(buf, 1, (size_t)n, stdout);
			}
			fflush(stdout);
			while (r->conn_fd >= 0 && read_channel(r) == 0 && !r->protocol_error) {
				struct pollfd c = {.fd = r->conn_fd, .events = POLLIN};

				if (poll(&c, 1, 0) <= 0)
					break;
			}
			return BOOT_END_EXITED;
		}
	}
}
