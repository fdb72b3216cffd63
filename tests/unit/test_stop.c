/* SPDX-License-Identifier: MIT */
/* Stopping a child in steps (system/stop.c) with a fake clock and fake processes. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "system/stop.h"

/* One fake child: which signals it got, whether it has exited. */
static struct {
	int sigs[8];
	int nsigs;
	bool dies_on_term; /* exits at SIGTERM (else only SIGKILL ends it) */
	bool slow_death;   /* SIGKILL takes effect only when the test says so */
	bool exited;
	bool gone; /* reaped by someone else: -ECHILD */
	int reaps;
} child;

static int fake_kill(pid_t pid, int sig)
{
	assert_int_equal(pid, 42);
	child.sigs[child.nsigs++] = sig;
	if ((sig == SIGKILL && !child.slow_death) || (sig == SIGTERM && child.dies_on_term))
		child.exited = true;
	return 0;
}

static int fake_reap(pid_t pid, int *status)
{
	assert_int_equal(pid, 42);
	child.reaps++;
	if (child.gone)
		return -ECHILD;
	if (!child.exited)
		return 0;
	*status = child.sigs[child.nsigs - 1]; /* stands for the wait status */
	return 1;
}

static const struct proc_ops fake = { .kill = fake_kill, .reap = fake_reap };

static int reset(void **state)
{
	(void)state;
	memset(&child, 0, sizeof(child));
	return 0;
}

static void test_term_is_enough(void **state)
{
	struct child_stop c;

	(void)state;
	child.dies_on_term = true;
	stop_begin(&c, &fake, 42, SIGTERM, 1000, 5000);
	/* reaped in the first step, no SIGKILL, nothing left to wait for */
	assert_true(c.reaped);
	assert_int_equal(child.nsigs, 1);
	assert_int_equal(child.sigs[0], SIGTERM);
	assert_int_equal(stop_deadline(&c), 0);
	assert_true(stop_step(&c, 5001));
	assert_int_equal(child.nsigs, 1);
}

static void test_kill_after_the_grace(void **state)
{
	struct child_stop c;

	(void)state;
	stop_begin(&c, &fake, 42, SIGTERM, 1000, 5000);
	assert_false(c.reaped);
	/* the loop is told when to come back: the end of the grace */
	assert_int_equal(stop_deadline(&c), 6000);
	assert_false(stop_step(&c, 5500));
	assert_false(stop_step(&c, 5999));
	assert_int_equal(child.nsigs, 1);
	/* grace over: SIGKILL (after a reap that found it alive); reaped next */
	assert_false(stop_step(&c, 6000));
	assert_int_equal(child.nsigs, 2);
	assert_int_equal(child.sigs[1], SIGKILL);
	assert_true(stop_step(&c, 6001));
	assert_int_equal(c.wstatus, SIGKILL);
	assert_int_equal(child.nsigs, 2);
}

static void test_kill_is_sent_once(void **state)
{
	struct child_stop c;

	(void)state;
	child.slow_death = true;
	stop_begin(&c, &fake, 42, SIGTERM, 100, 0);
	assert_false(stop_step(&c, 100));
	assert_int_equal(child.nsigs, 2);
	/* not gone yet: looked at again soon, never signalled again */
	assert_int_equal(stop_deadline(&c), 100 + STOP_REAP_RETRY_MS);
	assert_false(stop_step(&c, 100 + STOP_REAP_RETRY_MS));
	assert_false(stop_step(&c, 500));
	assert_int_equal(child.nsigs, 2);
	child.exited = true;
	assert_true(stop_step(&c, 510));
	assert_int_equal(stop_deadline(&c), 0);
}

static void test_no_signal_then_kill(void **state)
{
	struct child_stop c;

	(void)state;
	/* the RPMB emulator: no signal, it ends by itself when QEMU is gone */
	stop_begin(&c, &fake, 42, 0, 500, 0);
	assert_int_equal(child.nsigs, 0);
	child.exited = true;
	child.sigs[child.nsigs++] = 0; /* its exit status */
	assert_true(stop_step(&c, 10));
	/* and with no grace at all, SIGKILL at once */
	reset(NULL);
	stop_begin(&c, &fake, 42, 0, 0, 0);
	assert_int_equal(child.nsigs, 1);
	assert_int_equal(child.sigs[0], SIGKILL);
	assert_true(stop_step(&c, 0));
}

static void test_already_reaped(void **state)
{
	struct child_stop c;

	(void)state;
	child.gone = true;
	stop_begin(&c, &fake, 42, SIGTERM, 1000, 0);
	assert_true(c.reaped);
	assert_int_equal(c.wstatus, 0);
	assert_int_equal(stop_deadline(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_term_is_enough, reset),
		cmocka_unit_test_setup(test_kill_after_the_grace, reset),
		cmocka_unit_test_setup(test_kill_is_sent_once, reset),
		cmocka_unit_test_setup(test_no_signal_then_kill, reset),
		cmocka_unit_test_setup(test_already_reaped, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
