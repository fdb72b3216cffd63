/* SPDX-License-Identifier: MIT */
/* The run: jobs onto slots, the poll loop, retries and the exit code. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/exit_codes.h"
#include "machine/loop.h"
#include "scheduling/runner.h"
#include "scheduling/scheduler.h"
#include "system/clock.h"
#include "system/signals.h"
#include "system/status_line.h"

/* The layer above's descriptors, and the run's end as one more deadline. */
static int extra_pollfds(void *ctx, struct pollfd *pfd, int max, uint64_t *deadline)
{
	struct runner *r = ctx;
	int n = 0;

	*deadline = 0;
	if (r->ev.extra)
		n = r->ev.extra->pollfds(r->ev.extra->ctx, pfd, max, deadline);
	if (r->cfg->end_by_ms && !r->out_of_time && (!*deadline || r->cfg->end_by_ms < *deadline))
		*deadline = r->cfg->end_by_ms;
	return n;
}

static void extra_step(void *ctx, const struct pollfd *pfd, int n, uint64_t now)
{
	struct runner *r = ctx;

	if (r->ev.extra)
		r->ev.extra->step(r->ev.extra->ctx, pfd, n, now);
	if (r->cfg->end_by_ms && !r->out_of_time && now >= r->cfg->end_by_ms) {
		r->out_of_time = true;
		status_line_hide();
		fprintf(stderr, "testrunner-host: the run's time (TEST_TIMEOUT) is up: "
				"stopping, the tests not run yet are reported as not run\n");
		for (size_t i = 0; i < r->n_slots; i++)
			if (r->slots[i].job)
				slot_out_of_time(r, &r->slots[i]);
	}
}

/* Nothing more may start: an error, a signal, or no time left. */
static bool stopping(const struct runner *r)
{
	return r->infra || r->term || r->out_of_time;
}

/* Run the queue to completion (or abort). */
static void run_loop(struct runner *r)
{
	struct session *v[r->n_slots];
	int ret;

	for (;;) {
		size_t active = 0;

		for (size_t i = 0; i < r->n_slots && r->head && !stopping(r); i++)
			if (!r->slots[i].job)
				slot_start(r, &r->slots[i], queue_pop(r));
		for (size_t i = 0; i < r->n_slots; i++) {
			/* an idle QEMU (reset mode, no boot on it) is not polled */
			v[i] = r->slots[i].job ? r->slots[i].s : NULL;
			active += v[i] != NULL;
		}
		if (!active && (!r->head || stopping(r)))
			break;
		ret = machine_poll(v, r->n_slots, &r->extra);
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
			if (r->slots[i].job && r->slots[i].violation[0])
				session_stop(r->slots[i].s);
			if (r->slots[i].job && session_done(r->slots[i].s))
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
	r->extra = (struct loop_extra){ .ctx = r, .pollfds = extra_pollfds, .step = extra_step };
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

struct test_set *sched_tests_to_annotate(struct runner *r)
{
	return &r->tests;
}

const struct cat_test *sched_catalogue(const struct runner *r, size_t *n)
{
	*n = r->n_cat;
	return r->have_cat ? r->cat : NULL;
}

long sched_list_selected(struct runner *r, const struct cat_test ***out)
{
	const struct cat_test **v;
	const char **names;
	long n = catalogue_resolve(r, true, &names);

	if (n < 0)
		return n;
	v = calloc((size_t)n + 1, sizeof(*v));
	if (!v) {
		free(names);
		runner_errno(r, "selecting tests", -ENOMEM);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++)
		v[i] = catalogue_find(r, names[i]);
	free(names);
	*out = v;
	return n;
}

int sched_signal(const struct runner *r)
{
	return r->term;
}

void sched_fini(struct runner *r)
{
	queue_drop(r);
	for (size_t i = 0; r->slots && i < r->n_slots; i++) {
		session_free(r->slots[i].s);
		job_free(r->slots[i].job);
	}
	free(r->slots);
	for (size_t i = 0; i < r->n_cat; i++) {
		free(r->cat[i].name);
		free(r->cat[i].file);
	}
	free(r->cat);
	free(r->by_name);
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
	struct job *l;
	int ret = catalogue_from_image(r);

	if (ret != -ENOENT) {
		r->have_cat = !ret;
		return;
	}
	l = job_new(NULL, 0);
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
	/* out of time: a test timed out, whatever else did not run */
	if (r->out_of_time)
		return EXIT_FAIL;
	for (size_t i = 0; i < r->tests.n; i++)
		if (r->tests.v[i].state == TEST_PENDING)
			return EXIT_INFRA; /* selected, never reported */
	for (size_t i = 0; i < r->tests.n; i++)
		if (test_failed(&r->tests.v[i]))
			return EXIT_FAIL;
	return EXIT_PASS;
}

/*
 * The first round: a boot for the catalogue, whose options (each test's
 * timeout, CPUs, whether it is manual) decide the selection and the boots.
 */
static void first_round(struct runner *r)
{
	const struct sched_cfg *c = r->cfg;
	const char **names;
	long n;
	int ret;

	sched_list(r);
	if (!r->have_cat || (n = catalogue_resolve(r, false, &names)) < 0)
		return;
	if (!n && c->shard_count > 0) {
		/* exit 0 with no result frame: Bazel gives shards nothing to do */
		fprintf(stderr, "testrunner-host: shard %ld/%ld: no tests selected\n",
			c->shard_index, c->shard_count);
	} else if (!n && c->n_filters) {
		fprintf(stderr, "testrunner-host: the filter leaves no test selected\n");
	} else if (!n) {
		/* an image or a default set with no test is not a pass */
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "no test selected in %s: %s", c->qemu.image,
			 !r->n_cat	 ? "its catalogue is empty"
			 : c->n_excludes ? "--exclude leaves none"
					 : "every test is .manual (name one)");
		free(names);
		runner_infra_error(r, msg, NULL);
		return;
	}
	ret = queue_tests(r, names, (size_t)n);
	free(names);
	if (ret) {
		runner_errno(r, "queueing the selected tests", ret);
		return;
	}
	/* no selection but the guest's own, in one boot: it needs no names */
	if (!c->n_selectors && !c->n_filters && !c->n_excludes && c->shard_count <= 0 && r->head &&
	    !r->head->next && r->head->n == (size_t)n)
		r->head->default_set = true;
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
		ret = test_reset(&r->tests, t);
		if (ret) {
			runner_errno(r, "keeping a failed attempt", ret);
			free(again);
			return false;
		}
		t->failed_once = true;
		again[k++] = t->name;
	}
	if (k) {
		status_line_hide();
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
	return k && !stopping(r);
}

void sched_run(struct runner *r)
{
	int ret;

	first_round(r);
	for (unsigned int round = 0; round < r->cfg->retry && !stopping(r); round++)
		if (!retry_round(r, round))
			break;
	ret = catalogue_attach_files(r);
	if (ret)
		runner_errno(r, "naming the tests' sources", ret);
	if (r->out_of_time)
		for (size_t i = 0; i < r->tests.n; i++)
			if (r->tests.v[i].state == TEST_PENDING)
				test_set_reason(&r->tests.v[i], "not run: the run's time ran out");
}
