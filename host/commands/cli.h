/* SPDX-License-Identifier: MIT */
/* Command line and environment of testrunner-host. */
#ifndef HOST_CLI_H
#define HOST_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reports/terminal.h"

enum cli_cmd {
	CLI_RUN,
	CLI_LIST,
	CLI_BOOT,
};

struct options {
	enum cli_cmd cmd;
	const char *image;  /* NULL: found relative to the executable */
	const char *qemu;   /* NULL: $TESTRUNNER_QEMU or qemu-system-aarch64 */
	const char *memory; /* QEMU -m */
	const char *junit, *ktap, *tap, *json;
	const char *rerun_failed; /* an earlier --json FILE: its failures are the selection */
	const char *rpmb_file;	  /* --rpmb-file; NULL: a temporary device per boot */
	const char *rpmb_dev;	  /* the emulator (set by main); NULL with --no-rpmb */
	const char *log_dir;	  /* --log-dir: per-test and per-boot logs */
	const char *symbols;	  /* run: the image's ELF (set by main); boot: --symbols; or NULL */
	bool no_rpmb;
	unsigned long timeout_ms;      /* per test; boot: the whole boot */
	unsigned long boot_timeout_ms; /* QEMU start to the guest's first output */
	unsigned int smp, jobs, retry;
	long shard_index, shard_count;	 /* -1: not sharded */
	const char *shard_status_file;	 /* Bazel: touched to say we shard */
	char shard_from[224];		 /* the CI engine whose variables chose the shard */
	const char *outputs_dir;	 /* Bazel: each boot's logs are kept here */
	const char *premature_exit_file; /* Bazel: exists until a clean exit */
	bool junit_no_file;		 /* Jenkins (JENKINS_URL): no <testcase file> */
	unsigned long budget_ms;	 /* the whole run (TEST_TIMEOUT); 0: none */
	char *owned_filter, *owned_ktap; /* made from the environment; cli_free frees */
	bool smp_explicit;		 /* --smp given: tests needing more CPUs are skipped */
	char **owned_names;		 /* --rerun-failed's selection; cli_free frees */
	size_t n_owned_names;
	bool isolate, verbose, debug;
	enum term_colour_mode colour; /* --color=auto|always|never */
	bool list_long;		      /* list --long: each test with its options and file */
	unsigned int gdb_port;	      /* --gdb-port; 0: a free one is picked */
	const char **qemu_args;
	size_t n_qemu_args;
	const char **selectors;
	size_t n_selectors;
	const char **excludes; /* --exclude GLOB, repeatable */
	size_t n_excludes;
	const char **filters; /* TESTBRIDGE_TEST_ONLY beside selectors: narrows them */
	size_t n_filters;
	const char *kernel, *initrd, *append; /* boot */
	const char *firmware; /* --firmware DIR (made absolute by locate_firmware) */
	const char *bl33;     /* with it: the raw image TF-A loads (set by locate_firmware) */
	const char *expect;   /* boot: a console line that must appear */
	const char *fail_on;  /* boot: one that must not ("": none) */
};

#define CLI_HELP 1 /* cli_parse: --help was asked for */

/* A test's two minutes; `boot`'s whole boot gets as long. */
#define CLI_DEFAULT_TIMEOUT_MS 120000
/* A firmware that never speaks costs this, not a whole test timeout. */
#define CLI_DEFAULT_BOOT_TIMEOUT_MS 30000
#define CLI_SMP_MAX		    512

/*
 * Parse "run", "list" or "boot" options (argv[0] is the subcommand): one
 * parser, each option valid for the commands it means something to. Returns
 * 0, CLI_HELP, or -EINVAL with "<what>: <why>" in @err. cli_free() after.
 */
int cli_parse(int argc, char **argv, enum cli_cmd cmd, struct options *o, char *err, size_t errlen);
void cli_free(struct options *o);

/*
 * Fill what the command line left unset from the environment
 * (TESTRUNNER_QEMU, TEST_SHARD_STATUS_FILE) through @get (getenv in
 * production); CI engines' variables are commands/ci_env.h's.
 * Returns 0 or -EINVAL with @err.
 */
int cli_apply_env(struct options *o, const char *(*get)(const char *), char *err, size_t errlen);

/* A selector the guest accepts (proto_selector_valid) that fits a request. */
bool cli_selector_valid(const char *s, const char **why);
/* A decimal in [min, max], the whole string (no sign, no space) into *out. */
bool cli_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);
/* A QEMU -m size: digits and an optional k/M/G/T suffix. */
bool cli_memory_valid(const char *s);
/* A size cli_memory_valid accepts, in MiB (rounded down). */
uint64_t cli_memory_mib(const char *s);
/* --smp: 1..CLI_SMP_MAX into *smp; false if not. */
bool cli_smp_parse(const char *s, unsigned int *smp);

void cli_usage(FILE *f);

#endif
