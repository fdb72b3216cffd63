/* SPDX-License-Identifier: MIT */
/*
 * The harness's scheduler: turns selectors into boots (one boot, or one per
 * test, or N at a time), reboots after a crash or timeout to run the rest,
 * retries failures, and decides the exit code.
 */
#ifndef HOST_SCHEDULING_SCHEDULER_H
#define HOST_SCHEDULING_SCHEDULER_H

#include <stddef.h>

#include "scheduling/config.h"
#include "scheduling/results.h"

struct runner;

/* A scheduler for @cfg (@cfg must outlive it); NULL with *err (-errno). */
struct runner *sched_new(const struct sched_cfg *cfg, const struct sched_events *ev, int *err);
/* Run the selected tests, retries included. */
void sched_run(struct runner *r);
/*
 * The image's catalogue, read out of its ELF file or else booted for:
 * r->cat on success (r->have_cat).
 */
void sched_list(struct runner *r);
/* EXIT_PASS, EXIT_FAIL, EXIT_INFRA or EXIT_SIGNAL of what happened. */
int sched_exit_code(const struct runner *r);
/* The test records of the run so far. */
const struct test_set *sched_tests(const struct runner *r);
/* The image's catalogue after sched_list, or NULL when there is none. */
const struct cat_test *sched_catalogue(const struct runner *r, size_t *n);
/*
 * After sched_list: the tests `run` with the same selectors, --exclude and
 * shard would run, but every test when there is no selector (`list`), into
 * *out (malloc'd). Returns the count, or a negative errno after reporting it.
 */
long sched_list_selected(struct runner *r, const struct cat_test ***out);
/* The same records, for the reports to add what they found out once the run is over. */
struct test_set *sched_tests_to_annotate(struct runner *r);
/* SIGINT or SIGTERM if one ended the run, else 0. */
int sched_signal(const struct runner *r);
void sched_free(struct runner *r);

#endif
