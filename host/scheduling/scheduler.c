/* SPDX-License-Identifier: MIT */
/* The run: jobs onto slots, the poll loop, retries and the exit code. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/exit_codes.h"
#include "machine/loop.h"
#include "protocol/request.h"
#include "scheduling/runner.h"
#include "scheduling/scheduler.h"
#include "system/signals.h"

/* Run the queue to completion (or abort). */
static void run_loop(struct runner *r)
{
	struct session *v[r->n_slots];
	int ret;

	for (;;) {
		size_t active = 0;

		for (size_t i = 0; i < r->n_slots && r->head && !r->infra && !r->term; i++)
			if (!r->slots[i].s)
				slot_start(r, &r->slots[i], queue_pop(r));
		for (size_t i = 0; i < r->n_slots; i++) {
			v[i] = r->slots[i].s;
			active += v[i] != NULL;
		}
		if (!active && (!r->head || r->infra || r->term))
			break;
		ret = machine_poll(v, r->n_slots, r->ev.extra);
		if (ret) {
			/* without poll() no boot can be driven further: end them here */
			runner_errno(r, "poll", ret);
			for (size_t i = 0; i < r->n_slots; i++) {
				session_free(r->slots[i].s);
				r->slots[i].s = NULL;
				job_free(r->slots[i].job);
				r->slots[i].job = NULL;
			}
			break;
		}
		if (signals_term())
			r->term = signals_term();
		for (size_t i = 0; i < r->n_slots; i++) {
			/* a boot that broke the rules is stopped: nothing it says counts */
			if (r->slots[i].s && r->slots[i].violation[0])
				session_stop(r->slots[i].s);
			if (r->slots[i].s && session_done(r->slots[i].s))
				slot_done(r, &r->slots[i]);
		}
	}
	fflush(stdout);
}

int sched_init(struct runner *r, const struct sched_cfg *cfg, const struct sched_events *ev)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->ev = *ev;
	tests_init(&r->tests);
	r->n_slots = cfg->jobs ? cfg->jobs : 1;
	r->slots = calloc(r->n_slots, sizeof(*r->slots));
	if (!r->slots)
		return -ENOMEM;
	return signals_init();
}

struct runner *sched_new(const struct sched_cfg *cfg, const struct sched_events *ev, int *err)
{
	struct runner *r = malloc(sizeof(*r));

	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = sched_init(r, cfg, ev);
	if (*err) {
		sched_free(r);
		return NULL;
	}
	return r;
}

const struct test_set *sched_tests(const struct runner *r)
{
	return &r->tests;
}

const char *const *sched_catalogue(const struct runner *r, size_t *n)
{
	*n = r->n_cat;
	return r->have_cat ? (const char *const *)r->cat : NULL;
}

int sched_signal(const struct runner *r)
{
	return r->term;
}

void sched_fini(struct runner *r)
{
	queue_drop(r);
	for (size_t i = 0; r->slots && i < r->n_slots; i++)
		if (r->slots[i].s) {
			session_free(r->slots[i].s);
			job_free(r->slots[i].job);
		}
	free(r->slots);
	for (size_t i = 0; i < r->n_cat; i++)
		free(r->cat[i]);
	free(r->cat);
	tests_free(&r->tests);
}

void sched_free(struct runner *r)
{
	if (r) {
		sched_fini(r);
		free(r);
	}
}

void sched_list(struct runner *r)
{
	struct job *l = job_new(NULL, 0, false);

	if (!l) {
		runner_errno(r, "queueing the catalogue boot", -ENOMEM);
		return;
	}
	l->list = true;
	queue_push_back(r, l);
	run_loop(r);
}

int sched_exit_code(const struct runner *r)
{
	if (r->term)
		return EXIT_SIGNAL(r->term);
	if (r->infra)
		return EXIT_INFRA;
	for (size_t i = 0; i < r->tests.n; i++)
		if (r->tests.v[i].state == TEST_PENDING)
			return EXIT_INFRA; /* selected, never reported */
	for (size_t i = 0; i < r->tests.n; i++)
		if (test_failed(&r->tests.v[i]))
			return EXIT_FAIL;
	return EXIT_PASS;
}

/* The first round: by catalogue when the work must be split, else one raw boot. */
static void first_round(struct runner *r)
{
	const struct sched_cfg *c = r->cfg;
	char req[REQUEST_BUF_SIZE];
	const char **names;
	size_t len;
	long n;
	int ret;

	if (c->isolate || c->jobs > 1 || c->shard_count > 0 ||
	    request_build(req, c->selectors, c->n_selectors, &len) < c->n_selectors) {
		sched_list(r);
		if (!r->have_cat || (n = catalogue_resolve(r, &names)) < 0)
			return;
		/* exit 0 with no result frame: Bazel gives shards nothing to do */
		if (!n && c->shard_count > 0) {
			fprintf(stderr, "testrunner-host: shard %ld/%ld: no tests selected\n",
				c->shard_index, c->shard_count);
		} else if (!n) {
			/* an image or a default set with no test is not a pass */
			char msg[PATH_MAX + 64];

			snprintf(msg, sizeof(msg), "no tests selected in %s", c->qemu.image);
			runner_infra_error(r, msg, NULL);
			free(names);
			return;
		}
		ret = queue_tests(r, names, (size_t)n);
		free(names);
		if (ret) {
			runner_errno(r, "queueing the selected tests", ret);
			return;
		}
	} else {
		struct job *j = job_new(c->selectors, c->n_selectors, false);

		if (!j) {
			runner_errno(r, "queueing the boot", -ENOMEM);
			return;
		}
		queue_push_back(r, j);
	}
	run_loop(r);
}

/* Rerun what failed; false when nothing did (or it could not be queued). */
static bool retry_round(struct runner *r, unsigned int round)
{
	const char **again = calloc(r->tests.n + 1, sizeof(*again));
	size_t k = 0;
	int ret;

	if (!again) {
		runner_errno(r, "queueing the retries", -ENOMEM);
		return false;
	}
	for (size_t i = 0; i < r->tests.n; i++) {
		struct test_rec *t = &r->tests.v[i];

		if (!test_failed(t))
			continue;
		t->failed_once = true;
		test_reset(&r->tests, t);
		again[k++] = t->name;
	}
	if (k) {
		fprintf(stderr, "testrunner-host: retrying %zu failed test(s), round %u of %u\n", k,
			round + 1, r->cfg->retry);
		r->done = r->total = 0;
		ret = queue_tests(r, again, k);
		if (ret)
			runner_errno(r, "queueing the retries", ret);
		else
			run_loop(r);
	}
	free(again);
	return k && !r->infra;
}

void sched_run(struct runner *r)
{
	first_round(r);
	for (unsigned int round = 0; round < r->cfg->retry && !r->infra && !r->term; round++)
		if (!retry_round(r, round))
			break;
}
