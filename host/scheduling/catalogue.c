/* SPDX-License-Identifier: MIT */
/* The image's catalogue (`boottest --list`): its tests and options, selection, shards. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testrunner/catalogue.h>
#include <testrunner/protocol.h>

#include "protocol/elf_catalogue.h"
#include "scheduling/runner.h"
#include "scheduling/shard.h"

bool catalogue_add(struct runner *r, const char *name, size_t len)
{
	char *copy;

	if (!proto_test_name_valid(name, len))
		return false;
	if (r->n_cat == r->cap_cat) {
		size_t cap = r->cap_cat ? r->cap_cat * 2 : 64;
		struct cat_test *v = realloc(r->cat, cap * sizeof(*v));

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
	r->cat[r->n_cat++] = (struct cat_test){ .name = copy };
	return true;
}

int catalogue_add_options(struct runner *r, const char *line, size_t len)
{
	struct proto_test_info info;
	struct cat_test *t = r->n_cat ? &r->cat[r->n_cat - 1] : NULL;
	char msg[PROTO_CATALOGUE_LINE_MAX + 80];
	int shown = len > 120 ? 120 : (int)len;

	if (len < sizeof(PROTO_CATALOGUE_PREFIX) - 1 ||
	    memcmp(line, PROTO_CATALOGUE_PREFIX, sizeof(PROTO_CATALOGUE_PREFIX) - 1))
		return 0; /* another diagnostic */
	/* the guest's word decides how long a test may run: a line we misread is an error */
	if (proto_catalogue_parse(line, len, &info) || !t || t->file ||
	    info.name_len != strlen(t->name) || memcmp(info.name, t->name, info.name_len) ||
	    info.file_len > PROTO_CATALOGUE_FILE_MAX) {
		snprintf(msg, sizeof(msg), "listing tests: not the catalogue line of %s: %.*s",
			 t ? t->name : "a test", shown, line);
		runner_infra_error(r, msg, NULL);
		return -EPROTO;
	}
	t->file = strndup(info.file ? info.file : "", info.file_len);
	if (!t->file) {
		runner_errno(r, "reading the catalogue", -ENOMEM);
		return -ENOMEM;
	}
	t->timeout_s = info.timeout_s;
	t->cpus = info.cpus;
	t->manual = info.manual;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct cat_test *const *)a)->name,
		      (*(const struct cat_test *const *)b)->name);
}

/* The catalogue sorted by name, so that a run of many tests looks each up in log time. */
static int sort_by_name(struct runner *r)
{
	const struct cat_test **v = realloc(r->by_name, (r->n_cat + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_cat; i++)
		v[i] = &r->cat[i];
	qsort(v, r->n_cat, sizeof(*v), by_name);
	r->by_name = v;
	r->n_by_name = r->n_cat;
	return 0;
}

const struct cat_test *catalogue_find(const struct runner *r, const char *name)
{
	const struct cat_test key = { .name = (char *)name }, *k = &key, *const * hit;

	if (r->by_name && r->n_by_name == r->n_cat) {
		hit = bsearch(&k, r->by_name, r->n_cat, sizeof(*r->by_name), by_name);
		return hit ? *hit : NULL;
	}
	for (size_t i = 0; i < r->n_cat; i++)
		if (!strcmp(r->cat[i].name, name))
			return &r->cat[i];
	return NULL;
}

unsigned long catalogue_timeout_ms(const struct runner *r, const char *name)
{
	const struct cat_test *c = catalogue_find(r, name);

	if (!r->cfg->timeout_ms || !c || !c->timeout_s)
		return r->cfg->timeout_ms;
	return c->timeout_s * 1000UL;
}

int catalogue_attach_files(struct runner *r)
{
	for (size_t i = 0; i < r->n_cat; i++) {
		const struct cat_test *c = &r->cat[i];
		struct test_rec *t = c->file && *c->file ? tests_find(&r->tests, c->name) : NULL;

		if (!t || t->file)
			continue;
		t->file = strdup(c->file);
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

static bool excluded(const struct sched_cfg *c, const char *name)
{
	return any_match(c->excludes, c->n_excludes, name);
}

/*
 * Manual unless a filter (--test_filter) names it: a test named there runs, as one named
 * as a selector does; a glob does not name it.
 */
static bool manual_here(const struct sched_cfg *c, const struct cat_test *t)
{
	for (size_t i = 0; t->manual && i < c->n_filters; i++)
		if (!strcmp(c->filters[i], t->name))
			return false;
	return t->manual;
}

static bool selected(const struct sched_cfg *c, const struct cat_test *t, bool all_by_default)
{
	if (excluded(c, t->name))
		return false;
	if (c->n_filters && !any_match(c->filters, c->n_filters, t->name))
		return false;
	if (!c->n_selectors)
		return all_by_default || !t->manual;
	for (size_t i = 0; i < c->n_selectors; i++)
		if (proto_selector_picks(c->selectors[i], t->name, manual_here(c, t)))
			return true;
	return false;
}

/* Every selector and exclusion names a test; else report which does not. */
static int check_patterns(struct runner *r)
{
	const struct sched_cfg *c = r->cfg;
	char msg[300];

	for (size_t s = 0; s < c->n_selectors; s++) {
		bool picks = false, matches = false;

		for (size_t i = 0; i < r->n_cat && !picks; i++) {
			picks = proto_selector_picks(c->selectors[s], r->cat[i].name,
						     manual_here(c, &r->cat[i]));
			matches |= proto_selector_match(c->selectors[s], r->cat[i].name);
		}
		if (picks)
			continue;
		/* the guest's own sentence (docs/protocol.md) */
		if (matches)
			snprintf(msg, sizeof(msg),
				 "test selector %s picks only manual tests: name each one "
				 "(suite.case)",
				 c->selectors[s]);
		else
			snprintf(msg, sizeof(msg), "selector '%s': matches no test in %s",
				 c->selectors[s], c->qemu.image);
		runner_infra_error(r, msg, NULL);
		return -ENOENT;
	}
	for (size_t s = 0; s < c->n_excludes; s++) {
		bool any = false;

		for (size_t i = 0; i < r->n_cat && !any; i++)
			any = proto_selector_match(c->excludes[s], r->cat[i].name);
		if (!any) {
			snprintf(msg, sizeof(msg), "--exclude '%s': matches no test in %s",
				 c->excludes[s], c->qemu.image);
			runner_infra_error(r, msg, NULL);
			return -ENOENT;
		}
	}
	return 0;
}

long catalogue_resolve(struct runner *r, bool all_by_default, const char ***out)
{
	const struct sched_cfg *c = r->cfg;
	const char **v;
	size_t n = 0, k = 0;
	int ret = check_patterns(r);

	if (ret)
		return ret;
	ret = sort_by_name(r);
	if (ret) {
		runner_errno(r, "selecting tests", ret);
		return ret;
	}
	v = calloc(r->n_cat + 1, sizeof(*v));
	if (!v) {
		runner_errno(r, "selecting tests", -ENOMEM);
		return -ENOMEM;
	}
	for (size_t i = 0; i < r->n_cat; i++) {
		if (!selected(c, &r->cat[i], all_by_default))
			continue;
		if (c->shard_count > 0 && !shard_selects(k++, (unsigned long)c->shard_index,
							 (unsigned long)c->shard_count))
			continue;
		v[n++] = r->cat[i].name;
	}
	*out = v;
	return (long)n;
}

static int pread_all(void *ctx, uint64_t off, void *buf, size_t len)
{
	int fd = *(const int *)ctx;

	if (off > (uint64_t)INT64_MAX - len)
		return -ENODATA;
	for (size_t done = 0; done < len;) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ENODATA;
		done += (size_t)n;
	}
	return 0;
}

/* One test of the ELF's catalogue, taken in as the guest's `--list` lines would be. */
static int add_elf_test(void *ctx, const struct elf_test *t)
{
	struct runner *r = ctx;
	char line[PROTO_CATALOGUE_LINE_MAX];
	int len = proto_catalogue_format(line, sizeof(line), t->suite, t->test_case, t->timeout_s,
					 t->cpus, t->manual, t->file);

	if (len < 0)
		return len;
	if (!proto_test_name_valid(t->name, strlen(t->name)))
		return -EINVAL;
	if (!catalogue_add(r, t->name, strlen(t->name)))
		return -ENOMEM; /* reported */
	return catalogue_add_options(r, line, (size_t)len);
}

int catalogue_from_image(struct runner *r)
{
	const char *image = r->cfg->qemu.image;
	char why[ELF_CATALOGUE_WHY_MAX], msg[PATH_MAX + ELF_CATALOGUE_WHY_MAX + 40];
	int fd = open(image, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -ENOENT; /* said when QEMU cannot load it either */
	ret = elf_catalogue_read(pread_all, &fd, add_elf_test, r, why, sizeof(why));
	close(fd);
	if (ret == -ENOENT)
		return ret;
	if (ret == -EINVAL || ret == -ENAMETOOLONG)
		snprintf(why, sizeof(why), "a test name or source path the guest could not send");
	if (ret == -ENOEXEC || ret == -EINVAL || ret == -ENAMETOOLONG) {
		snprintf(msg, sizeof(msg), "reading the catalogue of %s: %s", image, why);
		runner_infra_error(r, msg, NULL);
	} else if (ret && !r->infra) {
		/* the reader's own failure (a line it added reported itself) */
		runner_errno(r, "reading the catalogue", ret);
	}
	if (!ret && (ret = sort_by_name(r)))
		runner_errno(r, "reading the catalogue", ret);
	return ret;
}
