/* SPDX-License-Identifier: MIT */
/* The image's catalogue (`boottest --list`), selection and sharding over it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/protocol.h>

#include "scheduling/runner.h"
#include "scheduling/shard.h"

bool catalogue_add(struct runner *r, const char *name, size_t len)
{
	char *copy;

	if (!proto_test_name_valid(name, len))
		return false;
	if (r->n_cat == r->cap_cat) {
		size_t cap = r->cap_cat ? r->cap_cat * 2 : 64;
		char **v = realloc(r->cat, cap * sizeof(*v));

		if (!v) {
			runner_errno(r, "reading the catalogue", -ENOMEM);
			return false;
		}
		r->cat = v;
		r->cap_cat = cap;
	}
	copy = strndup(name, len);
	if (!copy) {
		runner_errno(r, "reading the catalogue", -ENOMEM);
		return false;
	}
	r->cat[r->n_cat++] = copy;
	return true;
}

static bool selected(const struct sched_cfg *c, const char *name)
{
	if (!c->n_selectors)
		return proto_in_default_set(name);
	for (size_t i = 0; i < c->n_selectors; i++)
		if (proto_selector_match(c->selectors[i], name))
			return true;
	return false;
}

long catalogue_resolve(struct runner *r, const char ***out)
{
	const struct sched_cfg *c = r->cfg;
	const char **v;
	size_t n = 0, k = 0;

	for (size_t s = 0; s < c->n_selectors; s++) {
		bool any = false;

		for (size_t i = 0; i < r->n_cat && !any; i++)
			any = proto_selector_match(c->selectors[s], r->cat[i]);
		if (!any) {
			char msg[300];

			snprintf(msg, sizeof(msg), "selector '%s': matches no test in %s",
				 c->selectors[s], c->qemu.image);
			runner_infra_error(r, msg, NULL);
			return -ENOENT;
		}
	}
	v = calloc(r->n_cat + 1, sizeof(*v));
	if (!v) {
		runner_errno(r, "selecting tests", -ENOMEM);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->n_cat; i++) {
		if (!selected(c, r->cat[i]))
			continue;
		if (c->shard_count > 0 && !shard_selects(k++, (unsigned long)c->shard_index,
							 (unsigned long)c->shard_count))
			continue;
		v[n++] = r->cat[i];
	}
	*out = v;
	return (long)n;
}
