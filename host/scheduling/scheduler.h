/* SPDX-License-Identifier: MIT */
/*
 * The harness's scheduler: turns selectors into boots (one boot, or one per
 * test, or N at a time), reboots after a crash or timeout to run the rest,
 * retries failures, and decides the exit code.
 */
#ifndef HOST_SCHEDULING_SCHEDULER_H
#define HOST_SCHEDULING_SCHEDULER_H

#include "scheduling/runner.h"

/* Set up @r for @cfg (both must outlive it). Returns 0 or -errno. */
int sched_init(struct runner *r, const struct sched_cfg *cfg,
	       const struct sched_events *ev);
/* Run the selected tests, retries included. */
void sched_run(struct runner *r);
/* Boot once for the image's catalogue: r->cat on success (r->have_cat). */
void sched_list(struct runner *r);
/* EXIT_PASS, EXIT_FAIL, EXIT_INFRA or EXIT_SIGNAL of what happened. */
int sched_exit_code(const struct runner *r);
void sched_free(struct runner *r);

#endif
