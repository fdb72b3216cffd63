/* SPDX-License-Identifier: MIT */
/*
 * One boot's state machine (machine/session.c) driven by the shared poll
 * loop, with the fake guest (tests/tools/fake_guest) standing in for QEMU:
 * how each end is reached, what the result says, and that stopping a QEMU
 * that ignores SIGTERM is left to the loop instead of waited for.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/loop.h"
#include "machine/session.h"
#include "protocol/request.h"
#include "system/clock.h"
#include "system/signals.h"

/* No case needs this long; a session that does is stuck. */
#define CASE_LIMIT_MS 10000

static char fake[PATH_MAX], state_dir[64];
static struct qemu_cfg qcfg;
static int lines, starts, results;

static void on_line(void *ctx, const struct ktap_line *l)
{
	(void)ctx;
	lines++;
	starts += l->kind == KTAP_START;
	results += l->kind == KTAP_RESULT;
}

static int setup(void **state)
{
	const char *o = getenv("O");

	(void)state;
	snprintf(fake, sizeof(fake), "%s/tests/tools/fake_guest", o && *o ? o : "build");
	snprintf(state_dir, sizeof(state_dir), "/tmp/test_session.XXXXXX");
	if (!mkdtemp(state_dir) || signals_init())
		return -1;
	qcfg = (struct qemu_cfg){ .qemu = fake, .image = "unused.elf", .memory = "256M", .smp = 1 };
	return 0;
}

static int teardown(void **state)
{
	char marker[128];

	(void)state;
	snprintf(marker, sizeof(marker), "%s/sigterm", state_dir);
	unlink(marker);
	rmdir(state_dir);
	return 0;
}

static int reset(void **state)
{
	(void)state;
	lines = starts = results = 0;
	unsetenv("FAKE_GUEST");
	unsetenv("FAKE_TESTS");
	unsetenv("FAKE_STATE");
	/* the fake guest must be there: a missing build is a failure, not a skip */
	assert_int_equal(access(fake, X_OK), 0);
	return 0;
}

static struct session *start(enum session_mode mode, const char *request, unsigned long timeout_ms)
{
	struct session_cfg c = {
		.qemu = &qcfg,
		.mode = mode,
		.request = request,
		.timeout_ms = timeout_ms,
		.connect_timeout_ms = 5000,
		.on_line = on_line,
	};
	struct session *s = session_start(&c);

	assert_non_null(s);
	return s;
}

/* Poll until done; returns how long it took. */
static uint64_t run(struct session *s)
{
	uint64_t t0 = clock_now_ms();

	while (!session_done(s)) {
		assert_int_equal(machine_poll(&s, 1, NULL), 0);
		assert_true(clock_now_ms() - t0 < CASE_LIMIT_MS);
	}
	return clock_now_ms() - t0;
}

static void test_tests_mode_result(void **state)
{
	struct session *s;
	const struct session_result *r;

	(void)state;
	setenv("FAKE_TESTS", "t.one t.two t.skip", 1);
	s = start(SESSION_TESTS, "boottest t\n", 5000);
	run(s);
	r = session_result(s);
	assert_int_equal(r->end, END_RESULT);
	assert_true(r->connected);
	assert_true(r->got_result);
	assert_int_equal(r->status, PROTO_STATUS_PASS);
	assert_int_equal(r->ktap->plan, 3);
	assert_int_equal(r->ktap->results, 3);
	assert_int_equal(starts, 3);
	assert_int_equal(results, 3);
	assert_true(WIFEXITED(r->wstatus) && WEXITSTATUS(r->wstatus) == 0);
	/* a clean end reads no tails */
	assert_null(r->serial_tail);
	session_free(s);
}

static void test_os_mode_ends_with_qemu(void **state)
{
	struct session *s;
	const struct session_result *r;

	(void)state;
	/* the fake guest knows no secondary OS: it exits 1 after the request */
	s = start(SESSION_OS, REQUEST_SECONDARY_OS, 5000);
	run(s);
	r = session_result(s);
	assert_int_equal(r->end, END_EXITED);
	assert_true(r->connected);
	assert_false(r->got_result);
	assert_true(WIFEXITED(r->wstatus) && WEXITSTATUS(r->wstatus) == 1);
	assert_int_equal(lines, 0); /* no KTAP parsing in OS mode */
	session_free(s);
}

static void test_no_connect(void **state)
{
	struct session *s;
	const struct session_result *r;

	(void)state;
	setenv("FAKE_GUEST", "exit-early", 1);
	s = start(SESSION_TESTS, "boottest\n", 5000);
	run(s);
	r = session_result(s);
	assert_int_equal(r->end, END_NO_CONNECT);
	assert_false(r->connected);
	assert_non_null(strstr(r->err, "before the guest connected"));
	/* an infrastructure end keeps the serial console's end for the report */
	assert_non_null(r->serial_tail);
	assert_non_null(strstr(r->serial_tail, "fake guest: booting"));
	session_free(s);
}

static void test_start_failure_ends_at_once(void **state)
{
	struct qemu_cfg bad = qcfg;
	struct session_cfg c = { .qemu = &bad, .mode = SESSION_TESTS, .request = "boottest\n" };
	struct session *s;

	(void)state;
	bad.qemu = "/nonexistent/qemu";
	s = session_start(&c);
	assert_non_null(s);
	assert_true(session_done(s));
	assert_int_equal(session_result(s)->end, END_START);
	assert_non_null(strstr(session_result(s)->err, "cannot execute /nonexistent/qemu"));
	session_free(s);
}

static void test_stop_a_hanging_guest(void **state)
{
	struct session *s;

	(void)state;
	setenv("FAKE_GUEST", "hang", 1);
	s = start(SESSION_TESTS, "boottest\n", 0);
	while (!session_result(s)->connected)
		assert_int_equal(machine_poll(&s, 1, NULL), 0);
	session_stop(s);
	/* SIGTERM is enough for it: no need to wait out the kill grace */
	run(s);
	assert_int_equal(session_result(s)->end, END_STOPPED);
	assert_true(WIFSIGNALED(session_result(s)->wstatus));
	assert_int_equal(WTERMSIG(session_result(s)->wstatus), SIGTERM);
	session_free(s);
}

static void test_timeout_then_kill_is_the_loops_business(void **state)
{
	struct session *s;
	const struct session_result *r;
	uint64_t expired = 0, d;

	(void)state;
	setenv("FAKE_TESTS", "t.stubborn", 1);
	setenv("FAKE_STATE", state_dir, 1);
	s = start(SESSION_TESTS, "boottest t\n", 200);
	while (!session_done(s)) {
		assert_int_equal(machine_poll(&s, 1, NULL), 0);
		if (!expired && session_result(s)->end == END_TIMEOUT) {
			/* stopping: the session says when to come back, it does not wait */
			expired = clock_now_ms();
			d = session_deadline(s);
			assert_true(d > expired);
		}
	}
	r = session_result(s);
	assert_int_equal(r->end, END_TIMEOUT);
	assert_string_equal(r->timed_out, "t.stubborn");
	/* it ignored SIGTERM: SIGKILL ended it, after the grace */
	assert_true(WIFSIGNALED(r->wstatus));
	assert_int_equal(WTERMSIG(r->wstatus), SIGKILL);
	assert_true(expired && clock_now_ms() - expired >= 900);
	session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, reset)
	const struct CMUnitTest tests[] = {
		T(test_tests_mode_result),    T(test_os_mode_ends_with_qemu),
		T(test_no_connect),	      T(test_start_failure_ends_at_once),
		T(test_stop_a_hanging_guest), T(test_timeout_then_kill_is_the_loops_business),
	};
#undef T

	return cmocka_run_group_tests(tests, setup, teardown);
}
