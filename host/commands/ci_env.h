/* SPDX-License-Identifier: MIT */
/* What CI engines tell a test through the environment: shards, Bazel's test protocol. */
#ifndef HOST_COMMANDS_CI_ENV_H
#define HOST_COMMANDS_CI_ENV_H

#include <stddef.h>

#include "commands/cli.h"

typedef const char *(*ci_getenv_fn)(const char *name);

/* A shard chosen by an engine's variables: 0-based index of count. */
struct ci_shard {
	const char *engine; /* "Bazel", "GitLab", ...; NULL: no engine shards this job */
	const char *vars;   /* the variables read, "CI_NODE_INDEX=2 CI_NODE_TOTAL=3" */
	long index, count;
	char vars_buf[160];
};

/*
 * The shard the environment asks for: Bazel's TEST_SHARD_INDEX and
 * TEST_TOTAL_SHARDS, GitLab's CI_NODE_INDEX (1-based) and CI_NODE_TOTAL,
 * CircleCI's CIRCLE_NODE_INDEX and CIRCLE_NODE_TOTAL, Buildkite's
 * BUILDKITE_PARALLEL_JOB and BUILDKITE_PARALLEL_JOB_COUNT. A count of 1 is
 * no sharding (GitLab and CircleCI always set theirs). Returns 0, or
 * -EINVAL with @err for a bad value, a half-set pair, or two engines that
 * disagree.
 */
int ci_env_shard(ci_getenv_fn get, struct ci_shard *sh, char *err, size_t errlen);

/*
 * Bazel's test protocol (only what the command line left unset):
 * XML_OUTPUT_FILE as --junit, TEST_UNDECLARED_OUTPUTS_DIR for the KTAP
 * document and each boot's logs, TEST_PREMATURE_EXIT_FILE, TEST_TIMEOUT as
 * the run's budget, TESTBRIDGE_TEST_ONLY (--test_filter: selectors separated
 * by commas or spaces) when no selector was given. Returns 0, or -EINVAL
 * (-ENOMEM) with @err.
 */
int ci_env_bazel(struct options *o, ci_getenv_fn get, char *err, size_t errlen);

/*
 * Both of the above for `run` (explicit options win): the shard, with
 * o->shard_from saying which engine chose it, and Bazel's protocol.
 */
int ci_env_apply(struct options *o, ci_getenv_fn get, char *err, size_t errlen);

/* The run's budget from TEST_TIMEOUT seconds: room kept to stop and write reports. */
unsigned long ci_budget_ms(unsigned long test_timeout_s);

#endif
