/* SPDX-License-Identifier: MIT */
/* The image's catalogue (`boottest --list`), selection and sharding over it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testrunner/catalogue.h>
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
		char **f = v ? realloc(r->cat_file, cap * sizeof(*f)) : NULL;

		if (v)
			r->cat = v;
		if (!f) {
			runner_errno(r, "reading the catalogue", -ENOMEM);
			return false;
		}
		r->cat_file = f;
		r->cap_cat = cap;
	}
	copy = strndup(name, len);
	if (!copy) {
		runner_errno(r, "reading the catalogue", -ENOMEM);
		return false;
	}
	r->cat_file[r->n_cat] = NULL;
	r->cat[r->n_cat++] = copy;
	return true;
}

void catalogue_add_info(struct runner *r, const char *line, size_t len)
{
	struct proto_test_info info;
	const char *last = r->n_cat ? r->cat[r->n_cat - 1] : NULL;

	/* the line that describes a test follows its name; anything else is a comment */
	if (!last || proto_catalogue_parse(line, len, &info) || !info.file || !info.file_len ||
	    info.name_len != strlen(last) || memcmp(info.name, last, info.name_len) ||
	    r->cat_file[r->n_cat - 1])
		return;
	r->cat_file[r->n_cat - 1] = strndup(info.file, info.file_len);
	if (!r->cat_file[r->n_cat - 1])
		runner_errno(r, "reading the catalogue", -ENOMEM);
}

int catalogue_attach_files(struct runner *r)
{
	for (size_t i = 0; i < r->n_cat; i++) {
		struct test_rec *t = r->cat_file[i] ? tests_find(&r->tests, r->cat[i]) : NULL;

		if (!t || t->file)
			continue;
		t->file = strdup(r->cat_file[i]);
		if (!t->file)
			return -ENOMEM;
	}
	return 0;
}

static bool any_match(const char *const *sel, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (proto_selector_match(sel[i], name))
			return true;
	return false;
}

/* Picked by the selectors (or the default set), and by a filter when there are some. */
static bool selected(const struct sched_cfg *c, const char *name)
{
	if (c->n_filters && !any_match(c->filters, c->n_filters, name))
		return false;
	if (!c->n_selectors)
		return proto_in_default_set(name);
	return any_match(c->selectors, c->n_selectors, name);
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
