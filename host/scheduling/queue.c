// SPDX-License-Identifier: MIT
/* The job queue, the image's catalogue, selection and sharding, reboot-and-continue. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduling/runner.h"
#include "scheduling/shard.h"

#include <testrunner/protocol.h>

/* ---- jobs ---------------------------------------------------------------- */

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

void queue_drop(struct runner *r)
{
	while (r->head) {
		struct job *j = r->head;

		r->head = j->next;
		job_free(j);
	}
}

/* ---- errors -------------------------------------------------------------- */

void runner_infra_error(struct runner *r, const char *msg, const struct session *s)
{
	r->infra = true;
	report_error(&r->rep, msg, s ? s->serial_tail : NULL, s ? s->qemu_tail : NULL);
	/* one broken boot makes every verdict after it suspect: stop */
	queue_drop(r);
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].busy)
			session_kill(&r->slots[i].s);
}

/* ---- the catalogue and selection ----------------------------------------- */

bool catalogue_add(struct runner *r, const char *name, size_t len)
{
	char buf[KTAP_NAME_MAX];

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (!cli_selector_valid(buf, NULL) || strchr(buf, '*') || !strchr(buf, '.'))
		return false;
	if (r->n_cat == r->cap_cat) {
		size_t cap = r->cap_cat ? r->cap_cat * 2 : 64;
		char **v = realloc(r->cat, cap * sizeof(*v));

		if (!v)
			return false;
		r->cat = v;
		r->cap_cat = cap;
	}
	r->cat[r->n_cat] = strdup(buf);
	if (!r->cat[r->n_cat])
		return false;
	r->n_cat++;
	return true;
}

static bool selected(const struct options *o, const char *name)
{
	if (!o->n_selectors)
		return proto_in_default_set(name);
	for (size_t i = 0; i < o->n_selectors; i++)
		if (proto_selector_match(o->selectors[i], name))
			return true;
	return false;
}

/*
 * The catalogue names the user's selectors choose (and this shard runs), in
 * catalogue order. Returns the count, or -1 after reporting a selector that
 * matches nothing.
 */
long catalogue_resolve(struct runner *r, const char ***out)
{
	const struct options *o = r->o;
	const char **v = calloc(r->n_cat + 1, sizeof(*v));
	size_t n = 0, k = 0;

	if (!v)
		return -1;
	for (size_t s = 0; s < o->n_selectors; s++) {
		bool any = false;

		for (size_t i = 0; i < r->n_cat && !any; i++)
			any = proto_selector_match(o->selectors[s], r->cat[i]);
		if (!any) {
			char msg[300];

			snprintf(msg, sizeof(msg), "selector '%s': matches no test in %s",
				 o->selectors[s], r->qcfg.image);
			runner_infra_error(r, msg, NULL);
			free(v);
			return -1;
		}
	}
	for (size_t i = 0; i < r->n_cat; i++) {
		if (!selected(o, r->cat[i]))
			continue;
		if (o->shard_count > 0 &&
		    !shard_selects(k++, (unsigned long)o->shard_index,
				   (unsigned long)o->shard_count))
			continue;
		v[n++] = r->cat[i];
	}
	*out = v;
	return (long)n;
}

/* Queue @names for running: one boot each, or one part per parallel instance. */
int queue_tests(struct runner *r, const char **names, size_t n)
{
	size_t parts = r->o->isolate ? n : r->o->jobs;

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
	r->rep.total = r->rep.done;
	for (size_t i = 0; i < n; i++)
		r->rep.total++;
	return 0;
}

/* After a raw boot stopped early: everything selected that has no result yet. */
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
		return;
	}
	for (long i = 0; i < n; i++) {
		struct test_rec *t = tests_find(&r->tests, names[i]);

		if (!t || t->state == TEST_PENDING)
			rest[k++] = names[i];
	}
	if (k) {
		struct job *j = job_new(rest, k, true);

		for (size_t i = 0; i < k; i++)
			tests_get(&r->tests, rest[i]);
		if (j)
			queue_push_front(r, j);
	}
	r->rep.total = r->rep.done + k;
	free(rest);
	free(names);
}

/* A boot ended early (crash, timeout): run what it did not get to. */
void queue_continue_after(struct runner *r, struct job *job,
			   const struct session *s)
{
	const char **rest;
	size_t k = 0;

	if (!job->resolved) {
		/* every planned test reported: nothing left, no need to list */
		if (s->ks.plan >= 0 && s->ks.results >= (unsigned long)s->ks.plan)
			return;
		if (r->have_cat) {
			queue_remaining_resolved(r);
		} else {
			struct job *l = job_new(NULL, 0, false);

			if (!l)
				return;
			l->list = true;
			r->resolve_after_list = true;
			queue_push_front(r, l);
		}
		return;
	}
	rest = calloc(job->n + 1, sizeof(*rest));
	if (!rest)
		return;
	for (size_t i = 0; i < job->n; i++) {
		struct test_rec *t = tests_find(&r->tests, job->sel[i]);

		if (t && t->state == TEST_PENDING)
			rest[k++] = job->sel[i];
	}
	if (k) {
		struct job *j = job_new(rest, k, true);

		if (j)
			queue_push_front(r, j);
	}
	free(rest);
}
