/* SPDX-License-Identifier: MIT */
/* CI engines' variables: each engine's shard, conflicts, Bazel's test protocol. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "commands/ci_env.h"
#include "commands/cli.h"

#define ENV_MAX 12

static const char *env_vals[ENV_MAX + 1][2];
static struct options o;
static char err[256];

static const char *fake_env(const char *name)
{
	for (int i = 0; i < ENV_MAX && env_vals[i][0]; i++)
		if (!strcmp(env_vals[i][0], name))
			return env_vals[i][1];
	return NULL;
}

/* env("K=V", ...): the whole environment, NULL-terminated; "K=V" strings stay static. */
static void env(const char *first, ...)
{
	static char kv[ENV_MAX][128];
	va_list ap;
	int i = 0;

	va_start(ap, first);
	for (const char *a = first; a && i < ENV_MAX; a = va_arg(ap, const char *), i++) {
		char *eq;

		snprintf(kv[i], sizeof(kv[i]), "%s", a);
		eq = strchr(kv[i], '=');
		*eq = '\0';
		env_vals[i][0] = kv[i];
		env_vals[i][1] = eq + 1;
	}
	va_end(ap);
	env_vals[i][0] = NULL;
}

/* Parse `run ARGS...` and apply the environment set with env(). */
static int apply(const char *first, ...)
{
	char *argv[16];
	int argc = 0, ret;
	va_list ap;

	argv[argc++] = (char *)"run";
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	cli_free(&o);
	err[0] = '\0';
	ret = cli_parse(argc, argv, CLI_RUN, &o, err, sizeof(err));
	assert_int_equal(ret, 0);
	return ci_env_apply(&o, fake_env, err, sizeof(err));
}

static void expect_shard(long index, long count, const char *from)
{
	assert_int_equal(o.shard_index, index);
	assert_int_equal(o.shard_count, count);
	assert_string_equal(o.shard_from, from);
}

static void expect_error(int ret, const char *want)
{
	assert_int_equal(ret, -EINVAL);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_each_engine(void **state)
{
	(void)state;
	env("TEST_SHARD_INDEX=2", "TEST_TOTAL_SHARDS=5", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(2, 5, "Bazel (TEST_SHARD_INDEX=2 TEST_TOTAL_SHARDS=5)");
	/* GitLab counts from 1 */
	env("CI_NODE_INDEX=3", "CI_NODE_TOTAL=3", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(2, 3, "GitLab (CI_NODE_INDEX=3 CI_NODE_TOTAL=3)");
	env("CIRCLE_NODE_INDEX=0", "CIRCLE_NODE_TOTAL=4", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(0, 4, "CircleCI (CIRCLE_NODE_INDEX=0 CIRCLE_NODE_TOTAL=4)");
	env("BUILDKITE_PARALLEL_JOB=1", "BUILDKITE_PARALLEL_JOB_COUNT=2", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(1, 2, "Buildkite (BUILDKITE_PARALLEL_JOB=1 BUILDKITE_PARALLEL_JOB_COUNT=2)");
}

static void test_not_sharded(void **state)
{
	(void)state;
	env("X=y", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(-1, -1, "");
	/* GitLab's CI_NODE_TOTAL=1 on a job that is not parallel, CircleCI's 0 of 1 */
	env("CI_NODE_TOTAL=1", "CIRCLE_NODE_INDEX=0", "CIRCLE_NODE_TOTAL=1", NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(-1, -1, "");
}

static void test_options_win(void **state)
{
	(void)state;
	env("CI_NODE_INDEX=9", "CI_NODE_TOTAL=2", "CIRCLE_NODE_INDEX=0", "CIRCLE_NODE_TOTAL=3",
	    NULL);
	assert_int_equal(apply("--shard-index", "1", "--shard-count", "2", NULL), 0);
	expect_shard(1, 2, "");
}

static void test_bad_and_conflicting(void **state)
{
	(void)state;
	env("CI_NODE_INDEX=0", "CI_NODE_TOTAL=3", NULL);
	expect_error(apply(NULL), "CI_NODE_INDEX: expected 1..3");
	env("CI_NODE_INDEX=4", "CI_NODE_TOTAL=3", NULL);
	expect_error(apply(NULL), "CI_NODE_INDEX: expected 1..3");
	env("TEST_SHARD_INDEX=5", "TEST_TOTAL_SHARDS=5", NULL);
	expect_error(apply(NULL), "TEST_SHARD_INDEX: expected 0..4");
	env("TEST_TOTAL_SHARDS=zero", "TEST_SHARD_INDEX=0", NULL);
	expect_error(apply(NULL), "TEST_TOTAL_SHARDS: expected a number >= 1");
	env("BUILDKITE_PARALLEL_JOB=1", NULL);
	expect_error(apply(NULL), "BUILDKITE_PARALLEL_JOB_COUNT: expected a number >= 1");
	env("CIRCLE_NODE_TOTAL=2", NULL);
	expect_error(apply(NULL), "CIRCLE_NODE_INDEX: not set");
	env("TEST_SHARD_INDEX=1", "TEST_TOTAL_SHARDS=3", "CI_NODE_INDEX=1", "CI_NODE_TOTAL=3",
	    NULL);
	expect_error(apply(NULL), "TEST_SHARD_INDEX and CI_NODE_INDEX: two engines' shard "
				  "variables disagree");
	/* two engines that agree are one shard */
	env("TEST_SHARD_INDEX=1", "TEST_TOTAL_SHARDS=3", "CI_NODE_INDEX=2", "CI_NODE_TOTAL=3",
	    NULL);
	assert_int_equal(apply(NULL), 0);
	expect_shard(1, 3, "Bazel (TEST_SHARD_INDEX=1 TEST_TOTAL_SHARDS=3)");
}

static void test_bazel_protocol(void **state)
{
	(void)state;
	env("XML_OUTPUT_FILE=/o/test.xml", "TEST_UNDECLARED_OUTPUTS_DIR=/o/outs",
	    "TEST_PREMATURE_EXIT_FILE=/o/premature", "TEST_TIMEOUT=300",
	    "TESTBRIDGE_TEST_ONLY=a.b,c.*", NULL);
	assert_int_equal(apply(NULL), 0);
	assert_string_equal(o.junit, "/o/test.xml");
	assert_string_equal(o.ktap, "/o/outs/testrunner.ktap");
	assert_string_equal(o.outputs_dir, "/o/outs");
	assert_string_equal(o.premature_exit_file, "/o/premature");
	assert_int_equal(o.budget_ms, ci_budget_ms(300));
	assert_int_equal(o.n_selectors, 2);
	assert_string_equal(o.selectors[0], "a.b");
	assert_string_equal(o.selectors[1], "c.*");

	/* the command line wins; beside its selectors the filter narrows them */
	assert_int_equal(apply("--junit", "j.xml", "--ktap", "k.ktap", "x.y", NULL), 0);
	assert_string_equal(o.junit, "j.xml");
	assert_string_equal(o.ktap, "k.ktap");
	assert_int_equal(o.n_selectors, 1);
	assert_string_equal(o.selectors[0], "x.y");
	assert_int_equal(o.n_filters, 2);
	assert_string_equal(o.filters[0], "a.b");
	assert_string_equal(o.filters[1], "c.*");

	env("TESTBRIDGE_TEST_ONLY=a.b c;d", NULL);
	expect_error(apply(NULL), "TESTBRIDGE_TEST_ONLY: selector 'c;d'");
	env("TESTBRIDGE_TEST_ONLY=, ,", NULL);
	expect_error(apply(NULL), "TESTBRIDGE_TEST_ONLY: no selector");
	env("TEST_TIMEOUT=soon", NULL);
	expect_error(apply(NULL), "TEST_TIMEOUT: expected seconds");
	env("TEST_TIMEOUT=0", NULL);
	expect_error(apply(NULL), "TEST_TIMEOUT: expected seconds");
}

/* Jenkins' JUnit schemas reject <testcase file>: JENKINS_URL drops it, GitLab keeps it. */
static void test_jenkins(void **state)
{
	(void)state;
	env("JENKINS_URL=https://ci.example/", NULL);
	assert_int_equal(apply(NULL), 0);
	assert_true(o.junit_no_file);
	env("GITLAB_CI=true", NULL);
	assert_int_equal(apply(NULL), 0);
	assert_false(o.junit_no_file);
}

/* The budget leaves room to stop QEMU and write the reports, and is never all of it. */
static void test_budget(void **state)
{
	(void)state;
	assert_int_equal(ci_budget_ms(300), 270000);   /* 10% */
	assert_int_equal(ci_budget_ms(5), 3000);       /* at least 2 s kept */
	assert_int_equal(ci_budget_ms(3), 1500);       /* never more than half */
	assert_int_equal(ci_budget_ms(3600), 3570000); /* at most 30 s kept */
}

static int teardown(void **state)
{
	(void)state;
	cli_free(&o);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_engine),    cmocka_unit_test(test_not_sharded),
		cmocka_unit_test(test_options_win),    cmocka_unit_test(test_bad_and_conflicting),
		cmocka_unit_test(test_bazel_protocol), cmocka_unit_test(test_budget),
		cmocka_unit_test(test_jenkins),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
