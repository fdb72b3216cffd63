/* SPDX-License-Identifier: MIT */
/* CI engines' environment: which shard this job is, and Bazel's test protocol. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/ci_env.h"

#define SHARDS_MAX	   1000000
#define TEST_TIMEOUT_MAX_S (7 * 86400)
#define KTAP_OUTPUT_NAME   "testrunner.ktap"

/* One engine's pair of variables; @base is what its first shard is called. */
struct engine {
	const char *name, *index_var, *count_var;
	long base;
};

static const struct engine engines[] = {
	{ "Bazel", "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS", 0 },
	{ "GitLab", "CI_NODE_INDEX", "CI_NODE_TOTAL", 1 },
	{ "CircleCI", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0 },
	{ "Buildkite", "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0 },
};

static int bad(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -EINVAL;
}

/* A decimal in [min, max], the whole string. */
static bool number(const char *s, long min, long max, long *out)
{
	unsigned long v;

	if (!s || !cli_parse_ulong(s, (unsigned long)min, (unsigned long)max, &v))
		return false;
	*out = (long)v;
	return true;
}

static const char *set(ci_getenv_fn get, const char *name)
{
	const char *v = get(name);

	return v && *v ? v : NULL;
}

/* One engine's shard: 1 if it shards this job, 0 if not, or -EINVAL. */
static int engine_shard(const struct engine *e, ci_getenv_fn get, long *index, long *count,
			char *err, size_t errlen)
{
	const char *is = set(get, e->index_var), *cs = set(get, e->count_var);

	if (!is && !cs)
		return 0;
	if (!cs || !number(cs, 1, SHARDS_MAX, count))
		return bad(err, errlen, "%s: expected a number >= 1 (%s is set)", e->count_var,
			   is ? e->index_var : e->count_var);
	if (!is) {
		/* GitLab sets CI_NODE_TOTAL=1 on every job that is not parallel */
		if (*count == 1)
			return 0;
		return bad(err, errlen, "%s: not set, but %s is", e->index_var, e->count_var);
	}
	if (!number(is, e->base, *count - 1 + e->base, index)) {
		snprintf(err, errlen, "%s: expected %ld..%ld (%s=%s)", e->index_var, e->base,
			 *count - 1 + e->base, e->count_var, cs);
		return -EINVAL;
	}
	*index -= e->base;
	return *count > 1;
}

int ci_env_shard(ci_getenv_fn get, struct ci_shard *sh, char *err, size_t errlen)
{
	const struct engine *first = NULL;
	long index, count;
	int ret;

	memset(sh, 0, sizeof(*sh));
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		const struct engine *e = &engines[i];

		ret = engine_shard(e, get, &index, &count, err, errlen);
		if (ret <= 0) {
			if (ret < 0)
				return ret;
			continue;
		}
		if (!first) {
			first = e;
			sh->index = index;
			sh->count = count;
			continue;
		}
		if (index != sh->index || count != sh->count) {
			snprintf(err, errlen,
				 "%s and %s: two engines' shard variables disagree (%s=%s %s=%s, "
				 "%s=%s %s=%s)",
				 first->index_var, e->index_var, first->index_var,
				 get(first->index_var), first->count_var, get(first->count_var),
				 e->index_var, get(e->index_var), e->count_var, get(e->count_var));
			return -EINVAL;
		}
	}
	if (first) {
		sh->engine = first->name;
		snprintf(sh->vars_buf, sizeof(sh->vars_buf), "%s=%s %s=%s", first->index_var,
			 get(first->index_var), first->count_var, get(first->count_var));
		sh->vars = sh->vars_buf;
	}
	return 0;
}

unsigned long ci_budget_ms(unsigned long test_timeout_s)
{
	unsigned long ms = test_timeout_s * 1000, reserve = ms / 10;

	/* stopping QEMU takes up to a second's grace; reports and exit the rest */
	if (reserve < 2000)
		reserve = 2000;
	if (reserve > 30000)
		reserve = 30000;
	return reserve < ms / 2 ? ms - reserve : ms / 2;
}

/*
 * TESTBRIDGE_TEST_ONLY: "a.b,c.*" or "a.b c", each checked: the selection
 * when the command line gives none, else a filter that narrows it.
 */
static int filter_selectors(struct options *o, const char *filter, char *err, size_t errlen)
{
	size_t max = strlen(filter) / 2 + 1, *count;
	const char **sel, ***to;
	char *buf = strdup(filter), *tok, *save = NULL;
	const char *why;

	if (o->n_selectors) {
		to = &o->filters;
		count = &o->n_filters;
		sel = calloc(max + 1, sizeof(*sel));
	} else {
		to = &o->selectors;
		count = &o->n_selectors;
		sel = realloc(o->selectors, (max + 1) * sizeof(*sel));
	}
	if (sel)
		*to = sel;
	if (!sel || !buf) {
		free(buf);
		snprintf(err, errlen, "TESTBRIDGE_TEST_ONLY: out of memory");
		return -ENOMEM;
	}
	o->owned_filter = buf;
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (!cli_selector_valid(tok, &why)) {
			snprintf(err, errlen, "TESTBRIDGE_TEST_ONLY: selector '%.64s': %s", tok,
				 why);
			return -EINVAL;
		}
		sel[(*count)++] = tok;
	}
	if (!*count)
		return bad(err, errlen, "TESTBRIDGE_TEST_ONLY: %s%s", "no selector in it", "");
	return 0;
}

int ci_env_bazel(struct options *o, ci_getenv_fn get, char *err, size_t errlen)
{
	const char *xml = set(get, "XML_OUTPUT_FILE");
	const char *outs = set(get, "TEST_UNDECLARED_OUTPUTS_DIR");
	const char *premature = set(get, "TEST_PREMATURE_EXIT_FILE");
	const char *timeout = set(get, "TEST_TIMEOUT");
	const char *filter = set(get, "TESTBRIDGE_TEST_ONLY");
	long secs;

	if (o->cmd != CLI_RUN)
		return 0;
	if (!o->junit)
		o->junit = xml;
	o->outputs_dir = outs;
	if (outs && !o->ktap) {
		size_t n = strlen(outs) + sizeof(KTAP_OUTPUT_NAME) + 1;

		o->owned_ktap = malloc(n);
		if (!o->owned_ktap) {
			snprintf(err, errlen, "TEST_UNDECLARED_OUTPUTS_DIR: out of memory");
			return -ENOMEM;
		}
		snprintf(o->owned_ktap, n, "%s/%s", outs, KTAP_OUTPUT_NAME);
		o->ktap = o->owned_ktap;
	}
	o->premature_exit_file = premature;
	if (timeout) {
		if (!number(timeout, 1, TEST_TIMEOUT_MAX_S, &secs))
			return bad(err, errlen, "TEST_TIMEOUT: expected seconds >= 1, not '%s'%s",
				   timeout, "");
		o->budget_ms = ci_budget_ms((unsigned long)secs);
	}
	if (filter)
		return filter_selectors(o, filter, err, errlen);
	return 0;
}

int ci_env_apply(struct options *o, ci_getenv_fn get, char *err, size_t errlen)
{
	struct ci_shard sh;
	int ret;

	if (o->cmd != CLI_RUN)
		return 0;
	if (o->shard_count < 0) {
		ret = ci_env_shard(get, &sh, err, errlen);
		if (ret)
			return ret;
		if (sh.engine) {
			o->shard_index = sh.index;
			o->shard_count = sh.count;
			snprintf(o->shard_from, sizeof(o->shard_from), "%s (%s)", sh.engine,
				 sh.vars);
		}
	}
	/* Jenkins' JUnit schemas reject <testcase file>; GitLab links it */
	o->junit_no_file = set(get, "JENKINS_URL") != NULL;
	return ci_env_bazel(o, get, err, errlen);
}
