/* SPDX-License-Identifier: MIT */
/*
 * What a run is given (its parameters), what the image's catalogue says of
 * each test, and how the run tells the layer above what happens.
 */
#ifndef HOST_SCHEDULING_CONFIG_H
#define HOST_SCHEDULING_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/boot_logs.h"
#include "machine/loop.h"
#include "machine/qemu.h"
#include "scheduling/results.h"

/* A test has been announced. */
struct sched_progress {
	const char *running;	  /* its name */
	unsigned int slot;	  /* the slot (1 to -j) whose boot runs it */
	unsigned long timeout_ms; /* its timeout; 0: none */
	size_t done, total;	  /* results in so far (total 0: unknown) */
};

/* What the scheduler tells the layer above (the stderr report, in practice). */
struct sched_events {
	void *ctx;
	void (*progress)(void *ctx, const struct sched_progress *p);
	/* cfg->show_console: bytes of the serial console of @slot's boot; NULL, 0 at its end */
	void (*console)(void *ctx, unsigned int slot, const char *data, size_t len);
	/* @t has its verdict */
	void (*test)(void *ctx, const struct test_rec *t);
	/* an infrastructure error ends the run; either tail may be NULL */
	void (*error)(void *ctx, const char *msg, const char *serial_tail, const char *qemu_tail);
	/* boot number @boot (1, 2, ...) has ended; its directory goes next; may be NULL */
	void (*boot_ended)(void *ctx, unsigned int boot, const char *dir,
			   const struct boot_log_marks *from);
	/* what the poll loop must also wait on for the layer above; may be NULL */
	const struct loop_extra *extra;
};

/* A test of the image's catalogue with the options its catalogue line gave. */
struct cat_test {
	char *name;
	char *file;	    /* its source file; NULL: an older guest did not say */
	uint32_t timeout_s; /* its own timeout; 0: the run's --timeout */
	uint32_t cpus;	    /* CPUs its boot needs; 0 or 1: any */
	bool manual;	    /* run only when selected by its exact name */
};

/* A run's parameters, from the command line. */
struct sched_cfg {
	struct qemu_cfg qemu;
	const char *const *selectors;
	size_t n_selectors;
	const char *const *excludes; /* --exclude: same grammar as selectors */
	size_t n_excludes;
	bool smp_explicit;	    /* --smp given: a test needing more CPUs is skipped */
	const char *const *filters; /* narrow the selection (--test_filter); none: no filter */
	size_t n_filters;
	unsigned int jobs, retry;
	bool isolate;
	long shard_index, shard_count;		   /* -1: not sharded */
	unsigned long timeout_ms, boot_timeout_ms; /* 0: none (--debug) */
	uint64_t end_by_ms;   /* clock_now_ms() by which the run is over (TEST_TIMEOUT); 0: none */
	const char *logs_dir; /* each boot's serial and QEMU logs kept here; NULL: none */
	bool source_files;    /* the reports name each test's source: read the catalogue first */
	bool capture;	      /* keep each test's log for the reports */
	bool debug;	      /* QEMU halted for gdb: say how to attach */
	const char *symbols;  /* the ELF with the image's symbols, or NULL */
	const char *log_dir;  /* --log-dir, or NULL */
	bool tag_log;	      /* the log on stdout: each line says its slot, "[2] " */
	bool show_console;    /* the serial consoles to the console event (qemu.serial_stdio) */
};

#endif
