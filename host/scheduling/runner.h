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
	const char **sel; /* test names from the catalogue */
	size_t n;
	bool list;	  /* "boottest --list" */
	bool default_set; /* sel is the image's default set: a bare "boottest" asks for it */
	unsigned int smp; /* CPUs of its boot; 0: the run's --smp */
	struct job *next;
};

struct runner;

struct slot {
	struct session *s; /* NULL: no QEMU; kept idle between boots in reset mode */
	unsigned int smp;  /* the CPUs of its QEMU */
	struct runner *run;
	struct job *job;     /* NULL: no boot running */
	long cur;	     /* index of the announced test, -1 none */
	unsigned int boot;   /* its boot's number in the run, from 1; its tests carry it */
	char violation[300]; /* what the guest reported that it must not; "" none */
	uint64_t test_start;
	char last_diag[200];
	char test_diag[200]; /* last diagnostic of the running test */
	char tag[16];	     /* "[N] " before its boot's log lines (cfg->tag_log) */
};

struct runner {
	const struct sched_cfg *cfg;
	struct sched_events ev;
	struct test_set tests;
	size_t done, total;   /* results reported in this round; total 0: unknown */
	struct cat_test *cat; /* the image's catalogue, in its order */
	size_t n_cat, cap_cat;
	const struct cat_test **by_name; /* the catalogue sorted by name, for lookups */
	size_t n_by_name;		 /* the n_cat it was sorted for */
	bool have_cat;
	struct job *head;
	struct slot *slots;
	size_t n_slots;
	bool infra;	  /* an infrastructure error was reported */
	bool out_of_time; /* cfg->end_by_ms passed: the running tests timed out, the rest not run */
	unsigned int boots;	  /* boots started, to name their kept logs */
	unsigned int qemu_starts; /* QEMU processes started (reset mode: fewer than boots) */
	struct loop_extra extra;  /* the layer above's, and the run's own deadline */
	int term;		  /* SIGINT/SIGTERM */
};

/* scheduler.c: sched_new and sched_free in place (tests use one on the stack). */
int sched_init(struct runner *r, const struct sched_cfg *cfg, const struct sched_events *ev);
void sched_fini(struct runner *r);

/* queue.c */
struct job *job_new(const char *const *sel, size_t n);
/* A job of @n names from @sel for a boot like @like's (its CPUs). */
struct job *job_like(const struct job *like, const char *const *sel, size_t n);
void job_free(struct job *j);
void queue_push_back(struct runner *r, struct job *j);
void queue_push_front(struct runner *r, struct job *j);
/* The next job, taken off the queue; NULL when empty. */
struct job *queue_pop(struct runner *r);
void queue_drop(struct runner *r);
/*
 * Queue @names for running, grouped by the CPUs they need (a boot per group),
 * each group in one boot, one boot per test (--isolate), or one part per
 * parallel instance; a test that needs more CPUs than an explicit --smp
 * gives is skipped here, saying why.
 */
int queue_tests(struct runner *r, const char **names, size_t n);
/* A boot ended early (crash, timeout): run what it did not get to. */
void queue_continue_after(struct runner *r, struct job *job);

/* An infrastructure error: reported once, the queue dropped, every boot stopped. */
void runner_infra_error(struct runner *r, const char *msg, const struct session_result *res);
/* "testrunner-host: <what>: <why>" for an errno: the same, for setup failures. */
void runner_errno(struct runner *r, const char *what, int err);

/* catalogue.c */
/* A line of the image's `--list` output; false if it is not a test name. */
bool catalogue_add(struct runner *r, const char *name, size_t len);
/*
 * The catalogue read out of the image file, when it is an ELF of ours: 0,
 * -ENOENT when the guest must be asked instead, or another error (reported).
 */
int catalogue_from_image(struct runner *r);
/* Each test record gets its source file from the catalogue. 0 or -ENOMEM. */
int catalogue_attach_files(struct runner *r);
/*
 * A diagnostic of the `--list` output: a catalogue line gives the options of
 * the test just named (testrunner/catalogue.h). 0 (other diagnostics too),
 * or a negative errno after reporting a line that is not the one expected.
 */
int catalogue_add_options(struct runner *r, const char *line, size_t len);
/* A test's own timeout from the catalogue, else --timeout (0, none, stays none). */
unsigned long catalogue_timeout_ms(const struct runner *r, const char *name);
/* The catalogue's test called @name, or NULL. */
const struct cat_test *catalogue_find(const struct runner *r, const char *name);
/*
 * The catalogue names the user's selectors choose, less --exclude (and what
 * this shard runs), in catalogue order, into *out (malloc'd). No selector:
 * every test when @all_by_default, else every test not .manual. Returns the
 * count, or a negative errno after reporting why (a selector or exclusion
 * that matches nothing, or only manual tests: -ENOENT).
 */
long catalogue_resolve(struct runner *r, bool all_by_default, const char ***out);

/* slot.c */
/* Record @t's verdict and tell the layer above. */
void slot_finish_test(struct runner *r, struct test_rec *t, enum test_state st, const char *reason,
		      double secs);
/* Start @j on the idle slot @sl (or report why it cannot start). */
void slot_start(struct runner *r, struct slot *sl, struct job *j);
/* The run's time is up: the test running on @sl timed out, its boot is stopped. */
void slot_out_of_time(struct runner *r, struct slot *sl);
/* The boot on @sl has ended: record its verdicts, queue what remains, free the slot. */
void slot_done(struct runner *r, struct slot *sl);

#endif
