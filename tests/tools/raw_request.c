/* SPDX-License-Identifier: MIT */
/*
 * raw_request: play the host's side of testrunner0 byte for byte, with no
 * harness in between, to see what the guest itself does with a request.
 *
 *   raw_request [-t MS] REQUEST QEMU [QEMU-ARGS...]
 *
 * Listens on a socket in a private directory, starts QEMU with the
 * testrunner0 port appended to its arguments, sends REQUEST exactly as given
 * (C escapes \n \0 \\ are decoded; no terminator is added), and reads frames
 * until the result frame. Prints the log as "# " lines, then
 *   result N
 *   request-to-result-ms X
 *   result-to-exit-ms Y     (QEMU's exit after the result frame)
 * The directory is under $TMPDIR (or /tmp) and removed at the end.
 * Exit: 0 a result frame arrived, 1 none within -t MS (default 5000; QEMU
 * is then killed), 2 setup or protocol error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <testrunner/protocol.h>

static char dir[80]; /* $TMPDIR/raw_request.XXXXXX, short enough for sun_path */
static char sock_path[sizeof(dir) + 8], serial_arg[sizeof(dir) + 24];
static pid_t qemu = -1;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void cleanup(void)
{
	int st;

	if (qemu > 0) {
		kill(qemu, SIGKILL);
		waitpid(qemu, &st, 0);
		qemu = -1;
	}
	unlink(sock_path);
	snprintf(serial_arg, sizeof(serial_arg), "%s/serial.log", dir);
	unlink(serial_arg);
	rmdir(dir);
}

static void die(const char *what)
{
	fprintf(stderr, "raw_request: %s: %s\n", what, strerror(errno));
	cleanup();
	exit(2);
}

/* "boottest x\n" on the command line means a real newline. */
static size_t unescape(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in && n < cap; in++) {
		char c = *in;

		if (c == '\\' && in[1]) {
			in++;
			c = *in == 'n' ? '\n' : *in == '0' ? '\0' : *in;
		}
		out[n++] = c;
	}
	return n;
}

/* Wait up to @ms for QEMU's exit: its time in ms, or -1. */
static double wait_exit(double ms)
{
	double end = now_ms() + ms;
	int st;

	while (now_ms() < end) {
		if (waitpid(qemu, &st, WNOHANG) == qemu) {
			qemu = -1;
			return now_ms();
		}
		usleep(1000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	static uint8_t buf[1 << 16];
	uint8_t frame[PROTO_FRAME_SIZE];
	char req[PROTO_REQUEST_MAX * 2], line[256];
	size_t req_len, fill = 0, line_len = 0;
	double timeout = 5000, sent, got = -1, exited;
	int lfd, cfd, opt, status = -1;
	/* static: the argv (and its asprintf strings) stay reachable, no leak report */
	static char **qargv;
	int qn = 0;

	while ((opt = getopt(argc, argv, "+t:")) != -1) {
		if (opt != 't')
			return 2;
		timeout = atof(optarg);
	}
	if (argc - optind < 2 || timeout <= 0) {
		fprintf(stderr, "usage: raw_request [-t MS] REQUEST QEMU [ARGS...]\n");
		return 2;
	}
	req_len = unescape(argv[optind], req, sizeof(req));
	if (!getenv("TMPDIR") || !*getenv("TMPDIR") ||
	    (size_t)snprintf(dir, sizeof(dir), "%s/raw_request.XXXXXX", getenv("TMPDIR")) >=
		    sizeof(dir))
		snprintf(dir, sizeof(dir), "/tmp/raw_request.XXXXXX");
	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(sock_path, sizeof(sock_path), "%s/sock", dir);
	memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) || listen(lfd, 1))
		die("listen");

	qargv = calloc((size_t)argc + 16, sizeof(*qargv));
	for (int i = optind + 1; i < argc; i++)
		qargv[qn++] = argv[i];
	snprintf(serial_arg, sizeof(serial_arg), "file:%s/serial.log", dir);
	qargv[qn++] = "-serial";
	qargv[qn++] = serial_arg;
	qargv[qn++] = "-device";
	qargv[qn++] = "virtio-serial-device";
	qargv[qn++] = "-device";
	qargv[qn++] = "virtserialport,chardev=testrunner0,name=testrunner0";
	qargv[qn++] = "-chardev";
	if (asprintf(&qargv[qn++], "socket,id=testrunner0,path=%s", sock_path) < 0)
		die("asprintf");
	qargv[qn] = NULL;

	qemu = fork();
	if (qemu < 0)
		die("fork");
	if (qemu == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execvp(qargv[0], qargv);
		_exit(127);
	}
	{
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		if (poll(&p, 1, 5000) != 1) {
			errno = ETIMEDOUT;
			die("QEMU did not connect");
		}
	}
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		die("accept");
	if (write(cfd, req, req_len) != (ssize_t)req_len)
		die("write");
	sent = now_ms();

	/* keep the connection open: a close would end the request too */
	while (got < 0) {
		struct pollfd p = { .fd = cfd, .events = POLLIN };
		double left = sent + timeout - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left + 1) == 0)
			break;
		n = read(cfd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && got < 0; i++) {
			frame[fill++] = buf[i];
			if (fill < sizeof(frame))
				continue;
			fill = 0;
			if (frame[0] == PROTO_FRAME_RESULT) {
				status = frame[1];
				got = now_ms();
			} else if (frame[0] == PROTO_FRAME_LOG && frame[1] <= PROTO_LOG_MAX) {
				for (int k = 0; k < frame[1]; k++) {
					char c = (char)frame[2 + k];

					if (c == '\n' || line_len == sizeof(line) - 1) {
						printf("# %.*s\n", (int)line_len, line);
						line_len = 0;
					}
					if (c != '\n')
						line[line_len++] = c;
				}
			} else {
				fprintf(stderr, "raw_request: bad frame type %u size %u\n",
					frame[0], frame[1]);
				cleanup();
				return 2;
			}
		}
	}
	if (line_len)
		printf("# %.*s\n", (int)line_len, line);
	if (got < 0) {
		printf("no result frame within %.0f ms\n", timeout);
		cleanup();
		return 1;
	}
	exited = wait_exit(5000);
	printf("result %d\nrequest-to-result-ms %.1f\n", status, got - sent);
	if (exited >= 0)
		printf("result-to-exit-ms %.1f\n", exited - got);
	else
		printf("result-to-exit-ms none (QEMU still running after 5 s)\n");
	close(cfd);
	close(lfd);
	cleanup();
	return 0;
}
