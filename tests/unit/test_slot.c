/* SPDX-License-Identifier: MIT */
/*
 * One slot's boot, start to verdict (scheduling/slot.c), with the fake guest
 * (tests/tools/fake_guest) as QEMU: what each KTAP line makes of the test
 * records, what a crash or a timeout leaves on the queue, and which ends are
 * infrastructure errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/loop.h"
#include "scheduling/runner.h"
#include "scheduling/scheduler.h"
#include "sched_recorder.h"

static char fake[PATH_MAX];
static struct sched_cfg cfg;
static struct runner r;

static int setup(void **state)
{
	const char *o = getenv("O");

	(void)state;
	snprintf(fake, sizeof(fake), "%s/tests/tools/fake_guest", o && *o ? o : "build");
	/* the fake guest must be there: a missing build is a failure, not a skip */
	assert_int_equal(access(fake, X_OK), 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.qemu = (struct qemu_cfg){
		.qemu = fake, .image = "unused.elf", .memory = "256M", .smp = 1
	};
	cfg.jobs = 1;
	cfg.shard_index = cfg.shard_count = -1;
	cfg.timeout_ms = 2000;
	cfg.boot_timeout_ms = 5000;
	recorder_reset();
	unsetenv("FAKE_GUEST");
	setenv("FAKE_TESTS", "s.pass s.fail s.skip s.crash s.hang s.after", 1);
	return sched_init(&r, &cfg, &events);
}

static int teardown(void **state)
{
	(void)state;
	sched_fini(&r);
	return 0;
}

/*
 * Boot @j on slot 0 through the poll loop and let the slot judge it. The
 * guest's log, relayed to stdout, goes to /dev/null: stdout is our TAP.
 */
static void boot(struct job *j)
{
	struct slot *sl = &r.slots[0];
	int out = dup(1), null = open("/dev/null", O_WRONLY);

	assert_non_null(j);
	assert_true(out >= 0 && null >= 0);
	fflush(stdout);
	assert_true(dup2(null, 1) == 1);
	slot_start(&r, sl, j);
	while (sl->s && !session_done(sl->s))
		if (machine_poll(&sl->s, 1, NULL))
			break;
	if (sl->s)
		slot_done(&r, sl);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	close(null);
	assert_null(sl->s);
}

static struct job *job_of(const char *const *names, size_t n)
{
	struct job *j = job_new(names, n);

	for (size_t i = 0; i < n; i++)
		assert_non_null(tests_get(&r.tests, names[i]));
	return j;
}

static void test_results_become_records(void **state)
{
	const char *names[] = { "s.pass", "s.fail", "s.skip" };
	struct test_rec *t;

	(void)state;
	boot(job_of(names, 3));
	assert_int_equal(errors, 0);
	assert_int_equal(tests_reported, 3);
	assert_int_equal(tests_find(&r.tests, "s.pass")->state, TEST_PASS);
	assert_int_equal(tests_find(&r.tests, "s.skip")->state, TEST_SKIP);
	assert_string_equal(tests_find(&r.tests, "s.skip")->reason, "not on this machine");
	t = tests_find(&r.tests, "s.fail");
	assert_int_equal(t->state, TEST_FAIL);
	/* no reason on the result line: the test's last diagnostic says why */
	assert_non_null(strstr(t->reason, "EXPECT_EQ(a, b) failed"));
	/* a boot that ended with its result leaves nothing to run */
	assert_null(r.head);
}

static void test_crash_queues_the_rest(void **state)
{
	const char *names[] = { "s.pass", "s.crash", "s.after" };
	struct test_rec *t;

	(void)state;
	boot(job_of(names, 3));
	assert_int_equal(errors, 0);
	t = tests_find(&r.tests, "s.crash");
	assert_int_equal(t->state, TEST_CRASH);
	assert_non_null(strstr(t->exception, "ELR=0x40201234"));
	assert_non_null(strstr(t->backtrace, "0x40200abc"));
	assert_int_equal(tests_find(&r.tests, "s.after")->state, TEST_PENDING);
	/* the next boot runs what this one did not reach */
	assert_non_null(r.head);
	assert_int_equal(r.head->n, 1);
	assert_string_equal(r.head->sel[0], "s.after");
}

static void test_timeout_names_the_test(void **state)
{
	const char *names[] = { "s.hang", "s.after" };
	struct test_rec *t;

	(void)state;
	cfg.timeout_ms = 300;
	boot(job_of(names, 2));
	assert_int_equal(errors, 0);
	t = tests_find(&r.tests, "s.hang");
	assert_int_equal(t->state, TEST_TIMEOUT);
	assert_string_equal(t->reason, "no result within 0.3 s");
	assert_non_null(r.head);
	assert_string_equal(r.head->sel[0], "s.after");
}

static void test_guest_error_is_infrastructure(void **state)
{
	const char *names[] = { "no.such" };

	(void)state;
	boot(job_of(names, 1));
	assert_int_equal(errors, 1);
	assert_string_equal(last_error, "the guest reported an error: unknown test: no.such");
	assert_true(r.infra);
	assert_null(r.head);
}

static void test_listing_fills_the_catalogue(void **state)
{
	struct job *j = job_new(NULL, 0);

	(void)state;
	assert_non_null(j);
	j->list = true;
	boot(j);
	assert_int_equal(errors, 0);
	assert_true(r.have_cat);
	assert_int_equal(r.n_cat, 6);
	assert_string_equal(r.cat[0].name, "s.pass");
	assert_string_equal(r.cat[5].name, "s.after");
	assert_int_equal(tests_reported, 0);
}

static void list_boot(void)
{
	struct job *j = job_new(NULL, 0);

	assert_non_null(j);
	j->list = true;
	boot(j);
}

static void test_listing_reads_the_options(void **state)
{
	const struct cat_test *t;

	(void)state;
	setenv("FAKE_OPTIONS", "s.hang:timeout_s=7,cpus=2,manual=1", 1);
	list_boot();
	unsetenv("FAKE_OPTIONS");
	assert_int_equal(errors, 0);
	t = catalogue_find(&r, "s.hang");
	assert_non_null(t);
	assert_int_equal(t->timeout_s, 7);
	assert_int_equal(t->cpus, 2);
	assert_true(t->manual);
	assert_string_equal(t->file, "tests/tools/fake guest.c");
	t = catalogue_find(&r, "s.pass");
	assert_true(!t->timeout_s && !t->cpus && !t->manual);
}

static void test_listing_refuses_a_bad_catalogue_line(void **state)
{
	(void)state;
	setenv("FAKE_GUEST", "bad-catalogue", 1);
	list_boot();
	assert_int_equal(errors, 1);
	assert_non_null(strstr(last_error, "not the catalogue line of s.pass"));
	assert_true(r.infra);
}

/* The catalogue's timeout_s, not --timeout, times the test; the next one gets --timeout again. */
static void test_a_tests_own_timeout(void **state)
{
	const char *names[] = { "s.hang", "s.stall" };
	struct test_rec *t;

	(void)state;
	setenv("FAKE_TESTS", "s.hang s.stall", 1);
	setenv("FAKE_OPTIONS", "s.hang:timeout_s=1", 1);
	cfg.timeout_ms = 30000;
	list_boot();
	unsetenv("FAKE_OPTIONS");
	boot(job_of(names, 2));
	assert_int_equal(errors, 0);
	t = tests_find(&r.tests, "s.hang");
	assert_int_equal(t->state, TEST_TIMEOUT);
	assert_string_equal(t->reason, "no result within 1 s");
	/* s.stall has none of its own: --timeout */
	cfg.timeout_ms = 200;
	job_free(queue_pop(&r));
	boot(job_of(names + 1, 1));
	assert_string_equal(tests_find(&r.tests, "s.stall")->reason, "no result within 0.2 s");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_results_become_records),
		T(test_crash_queues_the_rest),
		T(test_timeout_names_the_test),
		T(test_guest_error_is_infrastructure),
		T(test_listing_fills_the_catalogue),
		T(test_listing_reads_the_options),
		T(test_listing_refuses_a_bad_catalogue_line),
		T(test_a_tests_own_timeout),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
