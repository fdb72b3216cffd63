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

#include "test_rpmbdev_util.h"

static struct options o;

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),	   cmocka_unit_test(test_qemu_argv),
		cmocka_unit_test(test_prepare),	   cmocka_unit_test(test_serve_and_stop),
		cmocka_unit_test(test_stop_kills),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
