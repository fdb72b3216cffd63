/* SPDX-License-Identifier: MIT */
/*
 * The scheduler without QEMU: the catalogue, selection and sharding, how
 * tests are cut into jobs, what is queued after a crash, and the exit code.
 * Its reports go to fake events that record them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine/exit_codes.h"
#include "scheduling/runner.h"
#include "scheduling/scheduler.h"
#include "sched_recorder.h"

static struct sched_cfg cfg;
static struct runner r;

static void add(const char *names)
{
	char buf[1024], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", names);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		assert_true(catalogue_add(&r, t, strlen(t)));
}

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.jobs = 1;
	cfg.shard_index = cfg.shard_count = -1;
	cfg.qemu.image = "test.elf";
	recorder_reset();
	assert_int_equal(sched_init(&r, &cfg, &events), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sched_fini(&r);
	return 0;
}

/* "name name ..." of what catalogue_resolve selects. */
static const char *resolved(void)
{
	static char out[1024];
	const char **v;
	long n = catalogue_resolve(&r, &v);

	out[0] = '\0';
	if (n < 0)
		return NULL;
	for (long i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", v[i]);
	free(v);
	return out;
}

static void test_catalogue_takes_only_test_names(void **state)
{
	const char *bad[] = { "",    "nodot", "a.",   ".b",	     "a..b",
			      "a.*", "a b.c", "-a.b", "# start a.b", "KTAP version 1" };
	char longname[PROTO_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(catalogue_add(&r, bad[i], strlen(bad[i])));
	memset(longname, 'a', sizeof(longname));
	longname[1] = '.';
	assert_false(catalogue_add(&r, longname, PROTO_NAME_MAX));
	assert_true(catalogue_add(&r, longname, PROTO_NAME_MAX - 1));
	/* a line of the listing need not end in NUL */
	assert_true(catalogue_add(&r, "s.c-1_x trailing", 7));
	assert_int_equal(r.n_cat, 2);
	assert_string_equal(r.cat[1], "s.c-1_x");
	assert_int_equal(errors, 0);
}

static void test_selection_in_catalogue_order(void **state)
{
	const char *sel[] = { "b", "a.two", "fixture.*" };

	(void)state;
	add("a.one a.two b.one b.two fixture.pass fixture.hang");
	/* no selector: everything but the fixture suite */
	assert_string_equal(resolved(), "a.one a.two b.one b.two");
	cfg.selectors = sel;
	cfg.n_selectors = 3;
	assert_string_equal(resolved(), "a.two b.one b.two fixture.pass fixture.hang");
	/* round robin over the selected tests */
	cfg.shard_count = 2;
	cfg.shard_index = 1;
	assert_string_equal(resolved(), "b.one fixture.pass");
	assert_int_equal(errors, 0);
}

static void test_selector_matching_nothing_is_an_error(void **state)
{
	const char *sel[] = { "a", "nosuch" };

	(void)state;
	add("a.one");
	cfg.selectors = sel;
	cfg.n_selectors = 2;
	assert_null(resolved());
	assert_int_equal(errors, 1);
	assert_string_equal(last_error, "selector 'nosuch': matches no test in test.elf");
	assert_true(r.infra);
	assert_int_equal(sched_exit_code(&r), EXIT_INFRA);
}

/* The jobs on the queue, as "a.one a.two | b.one". */
static const char *queued(void)
{
	static char out[1024];

	out[0] = '\0';
	for (struct job *j = r.head; j; j = j->next) {
		if (j != r.head)
			strcat(out, " |");
		for (size_t i = 0; i < j->n; i++)
			snprintf(out + strlen(out), sizeof(out) - strlen(out), " %s", j->sel[i]);
	}
	return out[0] ? out + 1 : out;
}

static void test_jobs_split_for_parallel_and_isolated_runs(void **state)
{
	const char *names[] = { "s.a", "s.b", "s.c", "s.d", "s.e" };

	(void)state;
	cfg.jobs = 2;
	assert_int_equal(queue_tests(&r, names, 5), 0);
	assert_string_equal(queued(), "s.a s.b s.c | s.d s.e");
	assert_int_equal(r.tests.n, 5);
	assert_int_equal(r.total, 5);
	queue_drop(&r);
	cfg.jobs = 8; /* more slots than tests: one job each */
	assert_int_equal(queue_tests(&r, names, 2), 0);
	assert_string_equal(queued(), "s.a | s.b");
	queue_drop(&r);
	cfg.jobs = 1;
	cfg.isolate = true;
	assert_int_equal(queue_tests(&r, names, 3), 0);
	assert_string_equal(queued(), "s.a | s.b | s.c");
}

static void test_after_a_crash_the_rest_runs_first(void **state)
{
	const char *names[] = { "s.a", "s.b", "s.c", "s.d" };
	struct ktap_stream ks = { .plan = 4, .results = 2 };
	struct session_result res = { .end = END_RESULT, .ktap = &ks };
	struct job *j, *later;

	(void)state;
	assert_int_equal(queue_tests(&r, names, 4), 0);
	j = queue_pop(&r);
	later = job_new(names, 1, true);
	queue_push_back(&r, later);
	/* s.a passed, s.b crashed; s.c and s.d never ran */
	tests_find(&r.tests, "s.a")->state = TEST_PASS;
	tests_find(&r.tests, "s.b")->state = TEST_CRASH;
	queue_continue_after(&r, j, &res);
	assert_string_equal(queued(), "s.c s.d | s.a");
	job_free(j);
	assert_int_equal(errors, 0);
}

static void test_raw_boot_stopped_early_lists_first(void **state)
{
	struct ktap_stream ks = { .plan = 3, .results = 1 };
	struct session_result res = { .end = END_TIMEOUT, .ktap = &ks };
	struct job *j = job_new(NULL, 0, false);

	(void)state;
	/* the user's selectors went to the guest as they were: list, then resolve */
	queue_continue_after(&r, j, &res);
	assert_non_null(r.head);
	assert_true(r.head->list);
	assert_true(r.resolve_after_list);
	queue_drop(&r);
	/* every planned result arrived: nothing is left to run */
	ks.results = 3;
	r.resolve_after_list = false;
	queue_continue_after(&r, j, &res);
	assert_null(r.head);
	job_free(j);
}

static void test_exit_code(void **state)
{
	(void)state;
	assert_int_equal(sched_exit_code(&r), EXIT_PASS);
	tests_get(&r.tests, "s.a")->state = TEST_PASS;
	tests_get(&r.tests, "s.b")->state = TEST_SKIP;
	assert_int_equal(sched_exit_code(&r), EXIT_PASS);
	tests_get(&r.tests, "s.c")->state = TEST_TIMEOUT;
	assert_int_equal(sched_exit_code(&r), EXIT_FAIL);
	/* a selected test that never reported is no verdict at all */
	tests_get(&r.tests, "s.d");
	assert_int_equal(sched_exit_code(&r), EXIT_INFRA);
	r.term = 15;
	assert_int_equal(sched_exit_code(&r), 143);
}

static void test_setup_failures_say_why(void **state)
{
	(void)state;
	runner_errno(&r, "queueing the retries", -ENOMEM);
	assert_int_equal(errors, 1);
	assert_string_equal(last_error, "queueing the retries: Cannot allocate memory");
	assert_int_equal(sched_exit_code(&r), EXIT_INFRA);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_catalogue_takes_only_test_names),
		T(test_selection_in_catalogue_order),
		T(test_selector_matching_nothing_is_an_error),
		T(test_jobs_split_for_parallel_and_isolated_runs),
		T(test_after_a_crash_the_rest_runs_first),
		T(test_raw_boot_stopped_early_lists_first),
		T(test_exit_code),
		T(test_setup_failures_say_why),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
