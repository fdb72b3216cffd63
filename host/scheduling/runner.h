/* SPDX-License-Identifier: MIT */
/*
 * Inside the scheduler (the layers above see scheduler.h only): its state,
 * shared by scheduler.c (the poll loop, retries and the verdict), queue.c
 * (jobs), catalogue.c (the image's tests, selection, sharding) and slot.c
 * (one boot on one slot: its lines and how it ended).
 */
#ifndef HOST_SCHEDULING_RUNNER_H
#define HOST_SCHEDULING_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/loop.h"
#include "machine/qemu.h"
#include "machine/session.h"
#include "scheduling/results.h"
#include "scheduling/config.h"

struct job {
	const char **sel; /* test names, or the user's raw selectors */
	size_t n;
	bool resolved; /* names from the catalogue */
	bool list;     /* "boottest --list" */
	struct job *next;
};

struct runner;

struct slot {
	struct session *s; /* NULL: idle */
	struct runner *run;
	struct job *job;
	long cur;	     /* index of the announced test, -1 none */
	unsigned long boot;  /* this boot's number: the tests it may report carry it */
	char violation[300]; /* what the guest reported that it must not; "" none */
	uint64_t test_start;
	char last_diag[200];
	char test_diag[200]; /* last diagnostic of the running test */
};

struct runner {
	const struct sched_cfg *cfg;
	struct sched_events ev;
	struct test_set tests;
	size_t done, total; /* results reported in this round; total 0: unknown */
	char **cat;	    /* the image's catalogue, in its order */
	size_t n_cat, cap_cat;
	bool have_cat;
	bool resolve_after_list; /* a raw boot stopped early */
	unsigned long boots;	 /* test boots started */
	struct job *head;
	struct slot *slots;
	size_t n_slots;
	bool infra; /* an infrastructure error was reported */
	int term;   /* SIGINT/SIGTERM */
};

/* scheduler.c: sched_new and sched_free in place (tests use one on the stack). */
int sched_init(struct runner *r, const struct sched_cfg *cfg, const struct sched_events *ev);
void sched_fini(struct runner *r);

/* queue.c */
struct job *job_new(const char *const *sel, size_t n, bool resolved);
void job_free(struct job *j);
void queue_push_back(struct runner *r, struct job *j);
void queue_push_front(struct runner *r, struct job *j);
/* The next job, taken off the queue; NULL when empty. */
struct job *queue_pop(struct runner *r);
void queue_drop(struct runner *r);
/* Queue @names for running: one boot each, or one part per parallel instance. */
int queue_tests(struct runner *r, const char **names, size_t n);
/* After a raw boot stopped early: everything selected that has no result yet. */
void queue_remaining_resolved(struct runner *r);
/* A boot ended early (crash, timeout): run what it did not get to. */
void queue_continue_after(struct runner *r, struct job *job, const struct session_result *res);

/* An infrastructure error: reported once, the queue dropped, every boot stopped. */
void runner_infra_error(struct runner *r, const char *msg, const struct session_result *res);
/* "testrunner-host: <what>: <why>" for an errno: the same, for setup failures. */
void runner_errno(struct runner *r, const char *what, int err);

/* catalogue.c */
/* A line of the image's `--list` output; false if it is not a test name. */
bool catalogue_add(struct runner *r, const char *name, size_t len);
/*
 * The catalogue names the user's selectors choose (and this shard runs), in
 * catalogue order, into *out (malloc'd). Returns the count, or a negative
 * errno after reporting why (a selector that matches nothing: -ENOENT).
 */
long catalogue_resolve(struct runner *r, const char ***out);

/* slot.c */
/* Start @j on the idle slot @sl (or report why it cannot start). */
void slot_start(struct runner *r, struct slot *sl, struct job *j);
/* The boot on @sl has ended: record its verdicts, queue what remains, free the slot. */
void slot_done(struct runner *r, struct slot *sl);

#endif
