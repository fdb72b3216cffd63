/* SPDX-License-Identifier: MIT */
/* The job queue: what is still to boot, and reboot-and-continue after a crash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduling/runner.h"
#include "scheduling/shard.h"

struct job *job_new(const char *const *sel, size_t n)
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
	return j;
}

struct job *job_like(const struct job *like, const char *const *sel, size_t n)
{
	struct job *j = job_new(sel, n);

	if (j)
		j->smp = like->smp;
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
		if (r->slots[i].s && r->slots[i].job)
			session_stop(r->slots[i].s);
}

void runner_errno(struct runner *r, const char *what, int err)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(-err));
	runner_infra_error(r, msg, NULL);
}

/* The CPUs the boot that runs @name needs: --smp, or more when the test asks. */
static unsigned int smp_for(const struct runner *r, const char *name)
{
	const struct cat_test *t = catalogue_find(r, name);

	return t && t->cpus > r->cfg->qemu.smp ? t->cpus : r->cfg->qemu.smp;
}

/* Cut the @n names of one group into boots of @smp CPUs. */
static int queue_group(struct runner *r, const char **names, size_t n, unsigned int smp)
{
	size_t parts = r->cfg->isolate ? n : r->cfg->jobs;

	if (parts > n)
		parts = n;
	for (size_t p = 0; p < parts; p++) {
		size_t start, len = shard_part(n, parts, p, &start);
		struct job *j = job_new(names + start, len);

		if (!j)
			return -ENOMEM;
		j->smp = smp;
		queue_push_back(r, j);
	}
	return 0;
}

/* A test the user's --smp leaves too few CPUs: skipped, not booted. */
static int skip_for_cpus(struct runner *r, const char *name, unsigned int cpus)
{
	struct test_rec *t = tests_get(&r->tests, name);
	char why[64];

	if (!t)
		return -ENOMEM;
	snprintf(why, sizeof(why), "needs %u CPUs, --smp is %u", cpus, r->cfg->qemu.smp);
	slot_finish_test(r, t, TEST_SKIP, why, 0);
	return 0;
}

int queue_tests(struct runner *r, const char **names, size_t n)
{
	const char **group = calloc(n + 1, sizeof(*group));
	bool *queued = calloc(n + 1, sizeof(*queued));
	int ret = group && queued ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && !ret; i++)
		if (!tests_get(&r->tests, names[i]))
			ret = -ENOMEM;
	r->total = r->done + n;
	/* one group per distinct need, in catalogue order of their first test */
	for (size_t i = 0; i < n && !ret; i++) {
		unsigned int smp = smp_for(r, names[i]);
		size_t k = 0;

		if (queued[i])
			continue;
		if (smp > r->cfg->qemu.smp && r->cfg->smp_explicit) {
			queued[i] = true;
			ret = skip_for_cpus(r, names[i], smp);
			continue;
		}
		for (size_t m = i; m < n; m++)
			if (!queued[m] && smp_for(r, names[m]) == smp) {
				queued[m] = true;
				group[k++] = names[m];
			}
		ret = queue_group(r, group, k, smp);
	}
	free(group);
	free(queued);
	return ret;
}

/* A job of the @k names in @rest for a boot like @like's, first in line; reports a failure. */
static void queue_first(struct runner *r, const struct job *like, const char **rest, size_t k)
{
	struct job *j = job_like(like, rest, k);

	if (!j) {
		runner_errno(r, "queueing the tests left to run", -ENOMEM);
		return;
	}
	queue_push_front(r, j);
}

void queue_continue_after(struct runner *r, struct job *job)
{
	const char **rest;
	size_t k = 0;

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
		queue_first(r, job, rest, k);
	free(rest);
}
