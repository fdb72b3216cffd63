/* SPDX-License-Identifier: MIT */
/* The job queue: what is still to boot, and reboot-and-continue after a crash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduling/runner.h"
#include "scheduling/shard.h"

struct job *job_new(const char *const *sel, size_t n, bool resolved)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->sel = calloc(n ? n : 1, sizeof(*j->sel));
	if (!j->sel) {
		free(j);
		return NULL;
	}
	if (n)
		memcpy(j->sel, sel, n * sizeof(*sel));
	j->n = n;
	j->resolved = resolved;
	return j;
}

void job_free(struct job *j)
{
	if (j) {
		free(j->sel);
		free(j);
	}
}

void queue_push_back(struct runner *r, struct job *j)
{
	struct job **p = &r->head;

	while (*p)
		p = &(*p)->next;
	*p = j;
}

void queue_push_front(struct runner *r, struct job *j)
{
	j->next = r->head;
	r->head = j;
}

struct job *queue_pop(struct runner *r)
{
	struct job *j = r->head;

	if (j) {
		r->head = j->next;
		j->next = NULL;
	}
	return j;
}

void queue_drop(struct runner *r)
{
	while (r->head)
		job_free(queue_pop(r));
}

void runner_infra_error(struct runner *r, const char *msg, const struct session_result *res)
{
	r->infra = true;
	r->ev.error(r->ev.ctx, msg, res ? res->serial_tail : NULL, res ? res->qemu_tail : NULL);
	/* one broken boot makes every verdict after it suspect: stop */
	queue_drop(r);
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].s)
			session_stop(r->slots[i].s);
}

void runner_errno(struct runner *r, const char *what, int err)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(-err));
	runner_infra_error(r, msg, NULL);
}

int queue_tests(struct runner *r, const char **names, size_t n)
{
	size_t parts = r->cfg->isolate ? n : r->cfg->jobs;

	if (parts > n)
		parts = n;
	for (size_t p = 0; p < parts; p++) {
		size_t start, len = shard_part(n, parts, p, &start);
		struct job *j = job_new(names + start, len, true);

		if (!j)
			return -ENOMEM;
		queue_push_back(r, j);
	}
	for (size_t i = 0; i < n; i++)
		if (!tests_get(&r->tests, names[i]))
			return -ENOMEM;
	r->total = r->done + n;
	return 0;
}

/* A job of the @k names in @rest, first in line; reports a failure. */
static void queue_first(struct runner *r, const char **rest, size_t k)
{
	struct job *j = job_new(rest, k, true);

	if (!j) {
		runner_errno(r, "queueing the tests left to run", -ENOMEM);
		return;
	}
	queue_push_front(r, j);
}

void queue_remaining_resolved(struct runner *r)
{
	const char **names, **rest;
	long n = catalogue_resolve(r, &names);
	size_t k = 0;

	if (n < 0)
		return;
	rest = calloc((size_t)n + 1, sizeof(*rest));
	if (!rest) {
		free(names);
		runner_errno(r, "queueing the tests left to run", -ENOMEM);
		return;
	}
	for (long i = 0; i < n; i++) {
		struct test_rec *t = tests_find(&r->tests, names[i]);

		if (!t || t->state == TEST_PENDING)
			rest[k++] = names[i];
	}
	for (size_t i = 0; i < k && !r->infra; i++)
		if (!tests_get(&r->tests, rest[i]))
			runner_errno(r, "recording the tests left to run", -ENOMEM);
	if (k && !r->infra)
		queue_first(r, rest, k);
	r->total = r->done + k;
	free(rest);
	free(names);
}

void queue_continue_after(struct runner *r, struct job *job, const struct session_result *res)
{
	const char **rest;
	size_t k = 0;

	if (!job->resolved) {
		/* every planned test reported: nothing left, no need to list */
		if (res->ktap->plan >= 0 && res->ktap->results >= (unsigned long)res->ktap->plan)
			return;
		if (r->have_cat) {
			queue_remaining_resolved(r);
		} else {
			struct job *l = job_new(NULL, 0, false);

			if (!l) {
				runner_errno(r, "queueing the catalogue boot", -ENOMEM);
				return;
			}
			l->list = true;
			r->resolve_after_list = true;
			queue_push_front(r, l);
		}
		return;
	}
	rest = calloc(job->n + 1, sizeof(*rest));
	if (!rest) {
		runner_errno(r, "queueing the tests left to run", -ENOMEM);
		return;
	}
	for (size_t i = 0; i < job->n; i++) {
		struct test_rec *t = tests_find(&r->tests, job->sel[i]);

		if (t && t->state == TEST_PENDING)
			rest[k++] = job->sel[i];
	}
	if (k)
		queue_first(r, rest, k);
	free(rest);
}
