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

#include <testrunner/catalogue.h>

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

/* A catalogue line after the test it describes, as `boottest --list` sends it. */
static int describe(const char *name, const char *fields)
{
	char line[PROTO_CATALOGUE_LINE_MAX];

	snprintf(line, sizeof(line), PROTO_CATALOGUE_PREFIX "%s %s", name, fields);
	return catalogue_add_options(&r, line, strlen(line));
}

/* @names, with the fixture suite .manual as the real guest says. */
static void add_described(const char *names)
{
	char buf[1024], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", names);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		assert_true(catalogue_add(&r, t, strlen(t)));
		assert_int_equal(describe(t, strncmp(t, "fixture.", 8)
						     ? "timeout_s=0 cpus=0 manual=0 file=a.c"
						     : "timeout_s=0 cpus=0 manual=1 file=f.c"),
				 0);
	}
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
	long n = catalogue_resolve(&r, false, &v);

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
	assert_string_equal(r.cat[1].name, "s.c-1_x");
	assert_int_equal(errors, 0);
}

static void test_catalogue_lines_give_the_options(void **state)
{
	const struct cat_test *t;

	(void)state;
	add("a.one");
	/* an older guest sends no catalogue lines: the defaults */
	t = catalogue_find(&r, "a.one");
	assert_non_null(t);
	assert_true(!t->timeout_s && !t->cpus && !t->manual && !t->file);
	add("a.two");
	assert_int_equal(describe("a.two", "timeout_s=3 cpus=2 manual=1 later=x file=my dir/a.c"),
			 0);
	t = catalogue_find(&r, "a.two");
	assert_int_equal(t->timeout_s, 3);
	assert_int_equal(t->cpus, 2);
	assert_true(t->manual);
	assert_string_equal(t->file, "my dir/a.c");
	/* other diagnostics of the listing are not catalogue lines */
	assert_int_equal(catalogue_add_options(&r, "# hello", 7), 0);
	assert_null(catalogue_find(&r, "a.three"));
	assert_int_equal(errors, 0);
}

static void test_a_bad_catalogue_line_is_an_error(void **state)
{
	(void)state;
	add("a.one");
	assert_int_equal(describe("a.one", "timeout_s=x file=a.c"), -EPROTO);
	assert_int_equal(errors, 1);
	assert_string_equal(last_error, "listing tests: not the catalogue line of a.one: "
					"# test a.one timeout_s=x file=a.c");
	recorder_reset();
	add("a.two");
	/* the options of another test than the one just named */
	assert_int_equal(describe("a.one", "cpus=2 file=a.c"), -EPROTO);
	assert_int_equal(errors, 1);
	recorder_reset();
	/* twice for the same test */
	assert_int_equal(describe("a.two", "cpus=2 file=a.c"), 0);
	assert_int_equal(describe("a.two", "cpus=2 file=a.c"), -EPROTO);
	assert_int_equal(errors, 1);
	assert_true(r.infra);
}

static void test_selection_in_catalogue_order(void **state)
{
	const char *sel[] = { "b", "fixture.pass", "*a*" };
	const char **v;

	(void)state;
	add_described("a.one a.two b.one b.two fixture.pass fixture.hang");
	/* no selector: every test not .manual (the fixture suite is) */
	assert_string_equal(resolved(), "a.one a.two b.one b.two");
	/* list: every test */
	assert_int_equal(catalogue_resolve(&r, true, &v), 6);
	free(v);
	/* a manual test only by its exact name, never by a glob or its suite */
	cfg.selectors = sel;
	cfg.n_selectors = 3;
	assert_string_equal(resolved(), "a.one a.two b.one b.two fixture.pass");
	/* round robin over the selected tests */
	cfg.shard_count = 2;
	cfg.shard_index = 1;
	assert_string_equal(resolved(), "a.two b.two");
	assert_int_equal(errors, 0);
}

static void test_selector_of_only_manual_tests_is_refused(void **state)
{
	const char *sel[] = { "a", "fixture" };

	(void)state;
	add_described("a.one fixture.pass fixture.hang");
	cfg.selectors = sel;
	cfg.n_selectors = 2;
	assert_null(resolved());
	assert_int_equal(errors, 1);
	/* the guest's own sentence */
	assert_string_equal(last_error, "test selector fixture picks only manual tests: "
					"name each one (suite.case)");
	assert_int_equal(sched_exit_code(&r), EXIT_INFRA);
}

static void test_exclusion(void **state)
{
	const char *sel[] = { "a", "fixture.pass" }, *ex[] = { "*.two", "fixture" };

	(void)state;
	add_described("a.one a.two a.three b.two fixture.pass");
	cfg.excludes = ex;
	cfg.n_excludes = 1;
	assert_string_equal(resolved(), "a.one a.three");
	/* an exclusion wins over a selector, even an exact name */
	cfg.n_excludes = 2;
	cfg.selectors = sel;
	cfg.n_selectors = 2;
	assert_string_equal(resolved(), "a.one a.three");
	assert_int_equal(errors, 0);
	/* one that matches nothing is a typo, like a selector */
	ex[1] = "nosuch";
	assert_null(resolved());
	assert_string_equal(last_error, "--exclude 'nosuch': matches no test in test.elf");
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

/* The jobs on the queue with their CPUs, as "2: a.one a.two | 0: b.one". */
static const char *queued_smp(void)
{
	static char out[1024];

	out[0] = '\0';
	for (struct job *j = r.head; j; j = j->next) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out),
			 "%s%u:", j == r.head ? "" : " | ", j->smp);
		for (size_t i = 0; i < j->n; i++)
			snprintf(out + strlen(out), sizeof(out) - strlen(out), " %s", j->sel[i]);
	}
	return out;
}

static void test_boots_grouped_by_the_cpus_tests_need(void **state)
{
	const char *names[] = { "s.a", "s.two", "s.b", "s.four", "s.two_too", "s.c" };

	(void)state;
	cfg.qemu.smp = 1;
	add("s.a s.two");
	assert_int_equal(describe("s.two", "cpus=2 file=s.c"), 0);
	add("s.b s.four");
	assert_int_equal(describe("s.four", "cpus=4 file=s.c"), 0);
	add("s.two_too");
	assert_int_equal(describe("s.two_too", "cpus=2 file=s.c"), 0);
	add("s.c");
	assert_int_equal(queue_tests(&r, names, 6), 0);
	assert_string_equal(queued_smp(), "1: s.a s.b s.c | 2: s.two s.two_too | 4: s.four");
	queue_drop(&r);
	/* -j: each group split over the instances */
	cfg.jobs = 2;
	assert_int_equal(queue_tests(&r, names, 6), 0);
	assert_string_equal(queued_smp(),
			    "1: s.a s.b | 1: s.c | 2: s.two | 2: s.two_too | 4: s.four");
	queue_drop(&r);
	/* --isolate: a boot per test, each on the CPUs of its group */
	cfg.jobs = 1;
	cfg.isolate = true;
	assert_int_equal(queue_tests(&r, names, 6), 0);
	assert_string_equal(queued_smp(),
			    "1: s.a | 1: s.b | 1: s.c | 2: s.two | 2: s.two_too | 4: s.four");
	queue_drop(&r);
	cfg.isolate = false;
	/* --smp 2 is enough for the .cpus = 2 tests: one boot of 2 for them and the rest */
	cfg.qemu.smp = 2;
	assert_int_equal(queue_tests(&r, names, 6), 0);
	assert_string_equal(queued_smp(), "2: s.a s.two s.b s.two_too s.c | 4: s.four");
	assert_int_equal(tests_reported, 0);
	queue_drop(&r);
	/* given explicitly, --smp is the user's word: what needs more is skipped, saying why */
	cfg.smp_explicit = true;
	assert_int_equal(queue_tests(&r, names, 6), 0);
	assert_string_equal(queued_smp(), "2: s.a s.two s.b s.two_too s.c");
	assert_int_equal(tests_reported, 1);
	assert_int_equal(tests_find(&r.tests, "s.four")->state, TEST_SKIP);
	assert_string_equal(tests_find(&r.tests, "s.four")->reason, "needs 4 CPUs, --smp is 2");
	assert_int_equal(r.total, r.done + 5);
	assert_int_equal(errors, 0);
}

static void test_after_a_crash_the_rest_runs_first(void **state)
{
	const char *names[] = { "s.a", "s.b", "s.c", "s.d" };
	struct job *j, *later;

	(void)state;
	assert_int_equal(queue_tests(&r, names, 4), 0);
	j = queue_pop(&r);
	later = job_new(names, 1);
	queue_push_back(&r, later);
	/* s.a passed, s.b crashed; s.c and s.d never ran */
	tests_find(&r.tests, "s.a")->state = TEST_PASS;
	tests_find(&r.tests, "s.b")->state = TEST_CRASH;
	j->smp = 2;
	queue_continue_after(&r, j);
	assert_string_equal(queued(), "s.c s.d | s.a");
	/* on as many CPUs as the boot that crashed */
	assert_int_equal(r.head->smp, 2);
	job_free(j);
	assert_int_equal(errors, 0);
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
		T(test_catalogue_lines_give_the_options),
		T(test_a_bad_catalogue_line_is_an_error),
		T(test_selection_in_catalogue_order),
		T(test_selector_of_only_manual_tests_is_refused),
		T(test_exclusion),
		T(test_boots_grouped_by_the_cpus_tests_need),
		T(test_selector_matching_nothing_is_an_error),
		T(test_jobs_split_for_parallel_and_isolated_runs),
		T(test_after_a_crash_the_rest_runs_first),
		T(test_exit_code),
		T(test_setup_failures_say_why),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
