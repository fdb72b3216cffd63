/* SPDX-License-Identifier: MIT */
/*
 * The RPMB emulator of one boot (host/machine/emulator.c) with the real
 * testrunner-rpmb-dev: one process making and serving a temporary device,
 * a user's file left crash-safe, exiting seen before it is reaped, and the
 * errors that name a failed --init or a stopped emulator.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/emulator.h"
#include "machine/qemu.h"
#include "machine/rpmbdev.h"
#include "system/clock.h"

#include "test_rpmbdev_util.h"

/*
 * Exiting, not yet reaped: the emulator's death shows the moment its files
 * close, so a failure that follows needs no wait to be told from a verdict;
 * a serving one is not exiting.
 */
static void test_exiting_before_reaped(void **state)
{
	char own[256];
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
	char own[256], sock[PATH_MAX];
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
	assert_true(has_arg(e.pid, "--no-sync")); /* deleted with the boot: no fsync */
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

/* A user's --rpmb-file: made beforehand (rpmbdev_prepare), and always synced. */
static void test_user_file_synced(void **state)
{
	char own[256], file[TMPDIR_PATH_MAX];
	struct emulator e;

	(void)state;
	need_emulator();
	snprintf(own, sizeof(own), "%s/user", dir);
	snprintf(file, sizeof(file), "%s/user.img", dir);
	assert_int_equal(mkdir(own, 0700), 0);
	assert_int_equal(rpmbdev_prepare(emu, file, 1, err, sizeof(err)), 0);
	assert_int_equal(emulator_listen(&e, emu, own, file, err, sizeof(err)), 0);
	assert_int_equal(emulator_start(&e, err, sizeof(err)), 0);
	assert_true(has_arg(e.pid, file));
	assert_false(has_arg(e.pid, "--no-sync"));
	assert_false(has_arg(e.pid, "--init"));
	emulator_close(&e);
}

/* Start @script as the emulator of a temporary device in its own directory @name. */
static void fake_start(struct emulator *e, const char *name, const char *script)
{
	/* static: the emulator keeps this directory's name after we return */
	static char own[256];
	char prog[TMPDIR_PATH_MAX + 8];
	int fd;

	snprintf(own, sizeof(own), "%s/%s", dir, name);
	snprintf(prog, sizeof(prog), "%s/emu", own);
	assert_int_equal(mkdir(own, 0700), 0);
	fd = open(prog, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
	close(fd);
	/* a copy: the emulator keeps the pointer, the caller frees it */
	assert_int_equal(emulator_listen(e, strdup(prog), own, NULL, err, sizeof(err)), 0);
	assert_int_equal(emulator_start(e, err, sizeof(err)), 0);
}

/* Run @script as the emulator of a temporary device until it ends: emulator_check's error. */
static int fake_emulator(const char *name, const char *script)
{
	struct emulator e;
	uint64_t end;
	int ret = 0;

	fake_start(&e, name, script);
	for (end = clock_now_ms() + 5000; e.running && !ret && clock_now_ms() < end;) {
		poll(NULL, 0, 1);
		ret = emulator_check(&e, true, err, sizeof(err));
	}
	assert_false(e.running);
	free((char *)e.program);
	emulator_close(&e);
	return ret;
}

/*
 * Until its temporary device exists the emulator is not known to be
 * serving (exiting, to reset mode), though its files are open; from then
 * on it is.
 */
static void test_not_serving_until_made(void **state)
{
	struct emulator e;

	(void)state;
	fake_start(&e, "making", "#!/bin/sh\nexec sleep 10\n");
	assert_true(emulator_exiting(&e));
	assert_int_equal(emulator_check(&e, true, err, sizeof(err)), 0);
	assert_true(e.running);
	close(open(e.temp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); /* as --init links it */
	assert_false(emulator_exiting(&e));
	free((char *)e.program);
	emulator_close(&e);
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
		cmocka_unit_test(test_exiting_before_reaped),
		cmocka_unit_test(test_not_serving_until_made),
		cmocka_unit_test(test_temp_one_process),
		cmocka_unit_test(test_user_file_synced),
		cmocka_unit_test(test_init_failure_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
