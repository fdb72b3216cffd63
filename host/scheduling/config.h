/* SPDX-License-Identifier: MIT */
/* What a run is given (its parameters) and how it tells the layer above what happens. */
#ifndef HOST_SCHEDULING_CONFIG_H
#define HOST_SCHEDULING_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "machine/loop.h"
#include "machine/qemu.h"
#include "scheduling/results.h"

/* What the scheduler tells the layer above (the stderr report, in practice). */
struct sched_events {
	void *ctx;
	/* @running was announced; @done of @total results are in (total 0: unknown) */
	void (*progress)(void *ctx, const char *running, size_t done, size_t total);
	/* @t has its verdict */
	void (*test)(void *ctx, const struct test_rec *t);
	/* an infrastructure error ends the run; either tail may be NULL */
	void (*error)(void *ctx, const char *msg, const char *serial_tail, const char *qemu_tail);
	/* what the poll loop must also wait on for the layer above; may be NULL */
	const struct loop_extra *extra;
};

/* A run's parameters, from the command line. */
struct sched_cfg {
	struct qemu_cfg qemu;
	const char *const *selectors;
	size_t n_selectors;
	unsigned int jobs, retry;
	bool isolate;
	long shard_index, shard_count;		   /* -1: not sharded */
	unsigned long timeout_ms, boot_timeout_ms; /* 0: none (--debug) */
	bool capture;				   /* keep each test's log for the reports */
	bool debug;				   /* QEMU halted for gdb: say how to attach */
};

#endif
