/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's private state, shared by run.c (the poll loop, retries and
 * the exit code), queue.c (jobs, the catalogue, selection and sharding) and
 * slot.c (one boot on one slot: its lines and how it ended).
 */
#ifndef HOST_RUNNER_H
#define HOST_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands/cli.h"
#include "machine/qemu.h"
#include "reports/report.h"
#include "scheduling/results.h"
#include "machine/session.h"

struct job {
	const char **sel;	/* test names, or the user's raw selectors */
	size_t n;
	bool resolved;		/* names from the catalogue */
	bool list;		/* "boottest --list" */
	struct job *next;
};

struct runner;

struct slot {
	struct session s;
	struct runner *run;
	struct job *job;
	bool busy;
	long cur;		/* index of the announced test, -1 none */
	uint64_t test_start;
	char last_diag[200];
	char test_diag[200];	/* last diagnostic of the running test */
};

struct runner {
	const struct options *o;
	struct qemu_cfg qcfg;
	struct test_set tests;
	struct reporter rep;
	char **cat;		/* the image's catalogue, in its order */
	size_t n_cat, cap_cat;
	bool have_cat;
	bool resolve_after_list;	/* a raw boot stopped early */
	struct job *head;
	struct slot *slots;
	size_t n_slots;
	bool infra, capture, printed_infra;
	int term;
};

/* queue.c */
struct job *job_new(const char *const *sel, size_t n, bool resolved);
void job_free(struct job *j);
void queue_push_back(struct runner *r, struct job *j);
void queue_push_front(struct runner *r, struct job *j);
void queue_drop(struct runner *r);
/* An infrastructure error: reported once, the queue dropped, every boot stopped. */
void runner_infra_error(struct runner *r, const char *msg, const struct session *s);
/* A line of the image's `--list` output; false if it is not a test name. */
bool catalogue_add(struct runner *r, const char *name, size_t len);
/* The selected names of this shard, in catalogue order (see queue.c). */
long catalogue_resolve(struct runner *r, const char ***out);
int queue_tests(struct runner *r, const char **names, size_t n);
void queue_remaining_resolved(struct runner *r);
void queue_continue_after(struct runner *r, struct job *job, const struct session *s);

/* slot.c */
/* Start @j on the idle slot @sl (or report why it cannot start). */
void slot_start(struct runner *r, struct slot *sl, struct job *j);
/* The boot on @sl has ended: record its verdicts, queue what remains, free the slot. */
void slot_done(struct runner *r, struct slot *sl);

#endif
