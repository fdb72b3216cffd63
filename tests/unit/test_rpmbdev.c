/* SPDX-License-Identifier: MIT */
/*
 * The harness's RPMB plumbing: --rpmb-file/--no-rpmb parsing, the rpmb0 port
 * on QEMU's command line, and starting and stopping the real emulator
 * ($O/host/testrunner-rpmb-dev) around a socket we listen on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands/cli.h"
#include "system/clock.h"
#include "system/proc.h"
#include "system/signals.h"
#include "system/stop.h"
#include "system/tmpdir.h"
#include "system/unix_socket.h"
#include "machine/emulator.h"
#include "machine/qemu.h"
#include "machine/rpmbdev.h"

#include <testrunner/rpmb.h>

static struct options o;
static char err[512];

static int parse(enum cli_cmd cmd, ...)
{
	char *argv[32];
	const char *a;
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)(cmd == CLI_RUN ? "run" : "list");
	va_start(ap, cmd);
	while ((a = va_arg(ap, const char *)))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	cli_free(&o);
	return cli_parse(argc, argv, cmd, &o, err, sizeof(err));
}

static void test_options(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_RUN, NULL), 0);
	assert_null(o.rpmb_file);
	assert_false(o.no_rpmb);
	assert_int_equal(parse(CLI_RUN, "--rpmb-file", "dev.img", "rpmb", NULL), 0);
	assert_string_equal(o.rpmb_file, "dev.img");
	assert_int_equal(parse(CLI_RUN, "--no-rpmb", NULL), 0);
	assert_true(o.no_rpmb);
	/* -j 1 and --isolate boot one at a time: one file is fine */
	assert_int_equal(parse(CLI_RUN, "--rpmb-file", "d", "-j", "1", "--isolate", NULL), 0);

	assert_int_equal(parse(CLI_RUN, "--rpmb-file", "d", "-j", "2", NULL), -EINVAL);
	assert_non_null(strstr(err, "--rpmb-file: one device file cannot serve -j"));
	assert_int_equal(parse(CLI_RUN, "-j", "3", "--rpmb-file", "d", NULL), -EINVAL);
	assert_int_equal(parse(CLI_RUN, "--rpmb-file", "", NULL), -EINVAL);
	assert_string_equal(err, "--rpmb-file: empty path");
	assert_int_equal(parse(CLI_RUN, "--rpmb-file", "d", "--no-rpmb", NULL), -EINVAL);
	assert_string_equal(err, "--rpmb-file: contradicts --no-rpmb");
	assert_int_equal(parse(CLI_RUN, "--rpmb-file", NULL), -EINVAL);
	assert_int_equal(parse(CLI_LIST, "--rpmb-file", "d", NULL), -EINVAL);
	assert_string_equal(err, "--rpmb-file: only for run");
	cli_free(&o);
}

static size_t find(char **argv, const char *a)
{
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], a))
			return i;
	return SIZE_MAX;
}

static void test_qemu_argv(void **state)
{
	struct qemu_cfg cfg = { .qemu = "qemu", .image = "img", .memory = "256M", .smp = 1 };
	const char *extra[] = { "-global", "virtio-mmio.force-legacy=false" };
	char **argv;
	size_t tr, port, chr, x;

	(void)state;
	argv = qemu_argv(&cfg, "/tmp/d");
	assert_non_null(argv);
	for (size_t i = 0; argv[i]; i++)
		assert_null(strstr(argv[i], "rpmb"));
	qemu_argv_free(argv);

	cfg.rpmb_dev = "/x/testrunner-rpmb-dev";
	cfg.extra = extra;
	cfg.n_extra = 2;
	argv = qemu_argv(&cfg, "/tmp/a,b");
	assert_non_null(argv);
	tr = find(argv, "virtserialport,chardev=testrunner0,name=testrunner0");
	port = find(argv, "virtserialport,chardev=rpmb0,name=rpmb0");
	chr = find(argv, "socket,id=rpmb0,path=/tmp/a,,b/rpmb");
	x = find(argv, "-global");
	assert_int_not_equal(tr, SIZE_MAX);
	assert_int_not_equal(port, SIZE_MAX);
	assert_int_not_equal(chr, SIZE_MAX);
	/* one virtio-serial device carries both ports; the user's arguments come last */
	assert_int_equal(find(argv, "virtio-serial-device,max_ports=8") + 2, tr);
	assert_true(tr < port && port < chr && chr < x);
	assert_string_equal(argv[port - 1], "-device");
	assert_string_equal(argv[chr - 1], "-chardev");
	qemu_argv_free(argv);
}

/* "/tmp/test_rpmbdev.XXXXXX": short, so that the socket paths inside fit */
static char emu[PATH_MAX], dir[32];

static int setup(void **state)
{
	const char *b = getenv("O");

	(void)state;
	snprintf(emu, sizeof(emu), "%s/host/testrunner-rpmb-dev", b && *b ? b : "build");
	snprintf(dir, sizeof(dir), "/tmp/test_rpmbdev.XXXXXX");
	if (!mkdtemp(dir) || signals_init())
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	return 0;
}

/* The emulator's stop as a session takes it: no signal, @grace_ms, SIGKILL. */
static int stop_wait(pid_t pid, unsigned int grace_ms)
{
	struct child_stop c;

	stop_begin(&c, &proc_ops_real, pid, 0, grace_ms, clock_now_ms());
	while (!stop_step(&c, clock_now_ms())) {
		struct pollfd p = { .fd = signals_wake_fd(), .events = POLLIN };
		uint64_t now = clock_now_ms(), d = stop_deadline(&c);

		poll(&p, 1, d > now ? (int)(d - now) : 0);
		signals_wake_drain();
	}
	return c.wstatus;
}

static void need_emulator(void)
{
	if (access(emu, X_OK))
		skip();
}

static void test_prepare(void **state)
{
	char file[TMPDIR_PATH_MAX], bad[TMPDIR_PATH_MAX];
	uint8_t hdr[512];
	int fd;

	(void)state;
	need_emulator();
	snprintf(file, sizeof(file), "%s/dev.img", dir);
	assert_int_equal(rpmbdev_prepare(emu, file, 1, err, sizeof(err)), 0);
	/* Trusty's layout: le16 blocks-1 at 4, key programmed at 7, the key at 8 */
	fd = open(file, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, hdr, sizeof(hdr)), sizeof(hdr));
	close(fd);
	assert_int_equal(hdr[4] | hdr[5] << 8, 511);
	assert_int_equal(hdr[7], 1);
	assert_memory_equal(hdr + 8, RPMB_TEST_KEY, RPMB_KEY_MAC_SIZE);
	/* again: left alone */
	assert_int_equal(rpmbdev_prepare(emu, file, 1, err, sizeof(err)), 0);

	snprintf(bad, sizeof(bad), "%s/garbage", dir);
	fd = open(bad, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "not a device", 12), 12);
	close(fd);
	assert_int_equal(rpmbdev_prepare(emu, bad, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--status (exit status 2)"));
	assert_non_null(strstr(err, "not an RPMB device file"));

	snprintf(bad, sizeof(bad), "%s/no/such/dir/dev", dir);
	assert_int_equal(rpmbdev_prepare(emu, bad, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--init (exit status 2)"));
	assert_int_equal(rpmbdev_prepare("/nonexistent/emu", file, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/emu: No such file"));
}

/* A client of the socket @sock; a read waits at most 5 s, so no test hangs. */
static int connect_to(const char *sock)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	int c;

	assert_true(strlen(sock) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	assert_int_equal(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return c;
}

/* One counter read over @c: the device answers it. */
static void read_counter(int c)
{
	uint8_t req[4 + RPMB_FRAME_SIZE] = { 1, 0, 1, 0 }, resp[RPMB_FRAME_SIZE];
	size_t got = 0;

	req[4 + RPMB_REQ_RESP_OFF + 1] = RPMB_REQ_GET_COUNTER;
	assert_int_equal(write(c, req, sizeof(req)), sizeof(req));
	while (got < sizeof(resp)) {
		ssize_t n = read(c, resp + got, sizeof(resp) - got);

		assert_true(n > 0);
		got += (size_t)n;
	}
	assert_int_equal(resp[RPMB_REQ_RESP_OFF] << 8 | resp[RPMB_REQ_RESP_OFF + 1],
			 RPMB_RESP(RPMB_REQ_GET_COUNTER));
	assert_int_equal(resp[RPMB_RESULT_OFF + 1], RPMB_RES_OK);
}

/* Serve one client, which reads the counter; then the emulator exits by itself. */
static void test_serve_and_stop(void **state)
{
	char file[TMPDIR_PATH_MAX], sock[TMPDIR_PATH_MAX];
	int lfd, c, st;
	pid_t pid;

	(void)state;
	need_emulator();
	snprintf(file, sizeof(file), "%s/serve.img", dir);
	snprintf(sock, sizeof(sock), "%s/rpmb", dir);
	assert_int_equal(rpmbdev_prepare(emu, file, 0, err, sizeof(err)), 0);
	lfd = unix_listen(sock, false);
	assert_true(lfd >= 0);
	assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	/* the client connects before the emulator even runs: no race */
	c = connect_to(sock);
	assert_int_equal(rpmbdev_serve(emu, file, false, lfd, -1, &pid), 0);
	close(lfd);
	read_counter(c);
	close(c);
	st = stop_wait(pid, 5000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* A client that never comes: the grace runs out and SIGKILL ends it. */
static void test_stop_kills(void **state)
{
	char file[TMPDIR_PATH_MAX], sock[TMPDIR_PATH_MAX];
	uint64_t t0;
	int lfd, st;
	pid_t pid;

	(void)state;
	need_emulator();
	snprintf(file, sizeof(file), "%s/idle.img", dir);
	snprintf(sock, sizeof(sock), "%s/idle", dir);
	assert_int_equal(rpmbdev_prepare(emu, file, 0, err, sizeof(err)), 0);
	lfd = unix_listen(sock, false);
	assert_true(lfd >= 0);
	assert_int_equal(rpmbdev_serve(emu, file, false, lfd, -1, &pid), 0);
	close(lfd);
	t0 = clock_now_ms();
	st = stop_wait(pid, 100);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_true(clock_now_ms() - t0 < 2000);
	assert_int_equal(waitpid(pid, &st, WNOHANG), -1); /* reaped: no zombie */
}

/*
 * Exiting, not yet reaped: the emulator's death shows the moment its files
 * close, so a failure that follows needs no wait to be told from a verdict;
 * a serving one is not exiting.
 */
static void test_exiting_before_reaped(void **state)
{
	char own[TMPDIR_PATH_MAX];
	struct emulator e;
	struct pollfd p = { .fd = -1, .events = POLLIN };
	uint64_t end;
	pid_t pid;

	(void)state;
	need_emulator();
	snprintf(own, sizeof(own), "%s/exiting", dir); /* its own socket and device */
	assert_int_equal(mkdir(own, 0700), 0);
	assert_int_equal(emulator_listen(&e, emu, own, NULL, err, sizeof(err)), 0);
	assert_int_equal(emulator_start(&e, err, sizeof(err)), 0);
	pid = e.pid;
	assert_true(emulator_exiting(&e)); /* still making its device */
	for (end = clock_now_ms() + 5000; access(e.temp, F_OK) && clock_now_ms() < end;)
		poll(NULL, 0, 1);
	/* the process that made the device serves it: nothing to reap, nobody new */
	assert_int_equal(emulator_check(&e, true, err, sizeof(err)), 0);
	assert_true(e.running);
	assert_int_equal(e.pid, pid);
	assert_false(emulator_exiting(&e));
	/* stopped, so that it cannot exit until we say: nothing to reap meanwhile */
	assert_int_equal(kill(e.pid, SIGSTOP), 0);
	assert_false(emulator_exiting(&e));
	assert_int_equal(kill(e.pid, SIGKILL), 0);
	p.fd = e.alive_fd;
	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_true(emulator_exiting(&e));
	for (end = clock_now_ms() + 5000; e.running && clock_now_ms() < end;) {
		poll(NULL, 0, 1);
		emulator_check(&e, true, err, sizeof(err));
	}
	assert_true(e.lost);
	emulator_close(&e);
}

/* Does process @pid's command line hold the argument @arg? */
static bool has_arg(pid_t pid, const char *arg)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	for (char *a = buf; a < buf + n; a += strlen(a) + 1)
		if (!strcmp(a, arg))
			return true;
	return false;
}

/*
 * A boot's temporary device: one process makes it and serves QEMU's
 * connection, with no emulator_check in between; once the client has gone
 * it exits by itself, and nothing is lost.
 */
static void test_temp_one_process(void **state)
{
	char own[TMPDIR_PATH_MAX], sock[PATH_MAX];
	struct emulator e;
	uint64_t end;
	int c;

	(void)state;
	need_emulator();
	snprintf(own, sizeof(own), "%s/temp", dir);
	snprintf(sock, sizeof(sock), "%s/%s", own, QEMU_RPMB_SOCK_NAME);
	assert_int_equal(mkdir(own, 0700), 0);
	assert_int_equal(emulator_listen(&e, emu, own, NULL, err, sizeof(err)), 0);
	c = connect_to(sock); /* as QEMU does: before the emulator runs */
	assert_int_equal(emulator_start(&e, err, sizeof(err)), 0);
	assert_true(has_arg(e.pid, "--init"));
	read_counter(c);
	close(c);
	for (end = clock_now_ms() + 5000; e.running && clock_now_ms() < end;) {
		poll(NULL, 0, 1);
		assert_int_equal(emulator_check(&e, true, err, sizeof(err)), 0);
	}
	assert_false(e.running);
	assert_int_equal(emulator_lost(&e, err, sizeof(err)), 0);
	emulator_close(&e);
}

/*
 * Run @script as the emulator of a temporary device until it ends: the
 * error emulator_check reports, in err.
 */
static int fake_emulator(const char *name, const char *script)
{
	char own[TMPDIR_PATH_MAX], prog[PATH_MAX];
	struct emulator e;
	uint64_t end;
	int fd, ret = 0;

	snprintf(own, sizeof(own), "%s/%s", dir, name);
	snprintf(prog, sizeof(prog), "%s/emu", own);
	assert_int_equal(mkdir(own, 0700), 0);
	fd = open(prog, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
	close(fd);
	assert_int_equal(emulator_listen(&e, prog, own, NULL, err, sizeof(err)), 0);
	assert_int_equal(emulator_start(&e, err, sizeof(err)), 0);
	for (end = clock_now_ms() + 5000; e.running && !ret && clock_now_ms() < end;) {
		poll(NULL, 0, 1);
		ret = emulator_check(&e, true, err, sizeof(err));
	}
	assert_false(e.running);
	emulator_close(&e);
	return ret;
}

/*
 * An emulator that ends before its temporary device exists failed to make
 * it; one that made it and gave up is an emulator that stopped. Either way
 * the error names it and quotes its last line.
 */
static void test_init_failure_reported(void **state)
{
	(void)state;
	assert_int_equal(fake_emulator("initfail", "#!/bin/sh\n"
						   "echo 'testrunner-rpmb-dev: no room' >&2\n"
						   "exit 2\n"),
			 -EIO);
	assert_string_equal(err, "RPMB device: testrunner-rpmb-dev --init failed "
				 "(exit status 2): testrunner-rpmb-dev: no room");
	assert_int_equal(fake_emulator("servefail", "#!/bin/sh\n"
						    "while [ $# -gt 1 ]; do\n"
						    "  [ \"$1\" = --dev ] && : >\"$2\"\n"
						    "  shift\n"
						    "done\n"
						    "echo 'testrunner-rpmb-dev: gave up' >&2\n"
						    "exit 2\n"),
			 -EIO);
	assert_string_equal(err,
			    "RPMB emulator stopped (exit status 2): testrunner-rpmb-dev: gave up");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_qemu_argv),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_serve_and_stop),
		cmocka_unit_test(test_stop_kills),
		cmocka_unit_test(test_exiting_before_reaped),
		cmocka_unit_test(test_temp_one_process),
		cmocka_unit_test(test_init_failure_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
