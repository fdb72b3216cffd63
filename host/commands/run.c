/* SPDX-License-Identifier: MIT */
/* `run` and `list`: options to a scheduled run, its reports and its exit code. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands/cli.h"
#include "commands/locate.h"
#include "commands/run.h"
#include "machine/exit_codes.h"
#include "machine/rpmbdev.h"
#include "reports/junit.h"
#include "reports/ktap_file.h"
#include "reports/report.h"
#include "scheduling/scheduler.h"
#include "system/clock.h"
#include "system/proc.h"
#include "system/out_queue.h"
#include "system/signals.h"

#define RPMB_EMULATOR "testrunner-rpmb-dev"

/* Everything a command resolved: the options and the files they name. */
struct run_setup {
	struct options o;
	char image[PATH_MAX], qemu[PATH_MAX], rpmb[PATH_MAX];
};

static const char *env(const char *name)
{
	return getenv(name);
}

/* Options, environment, image, QEMU, emulator. 0, or an exit code to return. */
static int setup(struct run_setup *su, int argc, char **argv, enum cli_cmd cmd)
{
	struct options *o = &su->o;
	char err[512];
	int ret;

	ret = cli_parse(argc, argv, cmd, o, err, sizeof(err));
	if (ret == 0)
		ret = cli_apply_env(o, env, err, sizeof(err));
	if (ret == CLI_HELP) {
		cli_usage(stdout);
		return -1;
	}
	if (ret) {
		fprintf(stderr, "testrunner-host: %s\n", err);
		return EXIT_INFRA;
	}
	if (locate_image(&o->image, su->image, sizeof(su->image)) ||
	    locate_qemu(&o->qemu, su->qemu, sizeof(su->qemu)))
		return EXIT_INFRA;
	if (cmd == CLI_RUN && !o->no_rpmb) {
		/* the rpmb suite needs one: a missing emulator is an error, not a skip */
		ret = proc_exe_relative(RPMB_EMULATOR, su->rpmb, sizeof(su->rpmb));
		if (ret)
			snprintf(su->rpmb, sizeof(su->rpmb), RPMB_EMULATOR);
		else if (access(su->rpmb, X_OK))
			ret = -errno;
		if (ret) {
			fprintf(stderr,
				"testrunner-host: RPMB emulator: %s: %s (or run with --no-rpmb)\n",
				su->rpmb, strerror(-ret));
			return EXIT_INFRA;
		}
		o->rpmb_dev = su->rpmb;
	}
	return 0;
}

static void sched_cfg_from(struct sched_cfg *c, const struct options *o)
{
	memset(c, 0, sizeof(*c));
	c->qemu.qemu = o->qemu;
	c->qemu.image = o->image;
	c->qemu.memory = o->memory;
	c->qemu.smp = o->smp;
	c->qemu.serial_stdio = o->verbose;
	c->qemu.debug = o->debug;
	c->qemu.rpmb_dev = o->cmd == CLI_RUN && !o->no_rpmb ? o->rpmb_dev : NULL;
	c->qemu.rpmb_file = o->rpmb_file;
	c->qemu.extra = o->qemu_args;
	c->qemu.n_extra = o->n_qemu_args;
	c->selectors = o->selectors;
	c->n_selectors = o->n_selectors;
	c->jobs = o->jobs;
	c->retry = o->retry;
	c->isolate = o->isolate;
	c->shard_index = o->shard_index;
	c->shard_count = o->shard_count;
	/* halted for gdb: no timeout can be right */
	c->timeout_ms = o->debug ? 0 : o->timeout_ms;
	c->boot_timeout_ms = o->debug ? 0 : o->boot_timeout_ms;
	c->capture = o->junit || o->ktap;
	c->debug = o->debug;
}

/* The scheduler's events, told on stderr. */
static void on_progress(void *ctx, const char *running, size_t done, size_t total)
{
	report_progress(ctx, running, done, total);
}

static void on_test(void *ctx, const struct test_rec *t)
{
	report_test(ctx, t);
}

static void on_error(void *ctx, const char *msg, const char *serial_tail, const char *qemu_tail)
{
	report_error(ctx, msg, serial_tail, qemu_tail);
}

static struct runner *start(struct reporter *rep, const struct sched_cfg *c)
{
	const char *term = getenv("TERM");
	struct runner *r;
	struct sched_events ev = {
		.ctx = rep,
		.progress = on_progress,
		.test = on_test,
		.error = on_error,
	};
	int ret;

	report_init(rep, stderr,
		    isatty(2) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb")),
		    c->qemu.image);
	ev.extra = report_loop_extra(rep);
	r = sched_new(c, &ev, &ret);
	if (!r)
		fprintf(stderr, "testrunner-host: setup: %s\n", strerror(-ret));
	return r;
}

/* A report file that cannot be written turns a verdict into an error. */
static int write_report(const char *path, int ret, int code)
{
	if (!ret)
		return code;
	fprintf(stderr, "testrunner-host: %s: %s\n", path, strerror(-ret));
	return code == EXIT_PASS || code == EXIT_FAIL ? EXIT_INFRA : code;
}

/* Bazel: touching TEST_SHARD_STATUS_FILE says "this test runner shards". */
static int touch_shard_status(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "testrunner-host: TEST_SHARD_STATUS_FILE %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int run_tests(const struct options *o)
{
	uint64_t t0 = clock_now_ms();
	const struct test_set *tests;
	struct sched_cfg c;
	struct reporter rep;
	struct runner *r;
	char err[400];
	int code, sig, ret;

	sched_cfg_from(&c, o);
	r = start(&rep, &c);
	if (!r)
		return EXIT_INFRA;
	if (o->shard_status_file && touch_shard_status(o->shard_status_file)) {
		sched_free(r);
		return EXIT_INFRA;
	}
	/* once per run: a bad or busy file is one clear error, not N failed boots */
	if (c.qemu.rpmb_dev && o->rpmb_file &&
	    rpmbdev_prepare(c.qemu.rpmb_dev, o->rpmb_file, 1, err, sizeof(err))) {
		fprintf(stderr, "testrunner-host: --rpmb-file %s: %s\n", o->rpmb_file, err);
		sched_free(r);
		return signals_term() ? EXIT_SIGNAL(signals_term()) : EXIT_INFRA;
	}
	sched_run(r);
	code = sched_exit_code(r);
	sig = sched_signal(r);
	tests = sched_tests(r);
	if (o->junit)
		code = write_report(o->junit,
				    junit_write_file(o->junit, tests, "testrunner",
						     (double)(clock_now_ms() - t0) / 1000),
				    code);
	if (o->ktap)
		code = write_report(o->ktap, ktap_write_file(o->ktap, tests), code);
	report_summary(&rep, tests);
	/* the relayed log is part of the result: a lost stdout is not a pass */
	ret = out_queue_drain();
	if (ret && !sig && !signals_term()) {
		fprintf(stderr, "testrunner-host: writing the log to stdout: %s\n", strerror(-ret));
		code = EXIT_INFRA;
	}
	/* a signal while the log still waited for its reader wins too */
	if (!sig)
		sig = signals_term();
	if (sig) {
		fprintf(stderr, "testrunner-host: interrupted by %s\n", strsignal(sig));
		code = EXIT_SIGNAL(sig);
	}
	sched_free(r);
	return code;
}

static int list_tests(const struct options *o)
{
	const char *const *names;
	struct sched_cfg c;
	struct reporter rep;
	struct runner *r;
	size_t n;
	int code;

	sched_cfg_from(&c, o);
	r = start(&rep, &c);
	if (!r)
		return EXIT_INFRA;
	sched_list(r);
	names = sched_catalogue(r, &n);
	if (sched_signal(r)) {
		code = EXIT_SIGNAL(sched_signal(r));
	} else if (!names) {
		code = EXIT_INFRA;
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", names[i]);
		code = fflush(stdout) ? EXIT_INFRA : EXIT_PASS;
	}
	sched_free(r);
	return code;
}

static int run_or_list(int argc, char **argv, enum cli_cmd cmd)
{
	struct run_setup *su = calloc(1, sizeof(*su));
	int ret;

	if (!su) {
		fprintf(stderr, "testrunner-host: setup: %s\n", strerror(ENOMEM));
		return EXIT_INFRA;
	}
	ret = setup(su, argc, argv, cmd);
	if (ret == 0)
		ret = cmd == CLI_LIST ? list_tests(&su->o) : run_tests(&su->o);
	else if (ret < 0)
		ret = EXIT_PASS; /* --help */
	cli_free(&su->o);
	free(su);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	return run_or_list(argc, argv, CLI_RUN);
}

int cmd_list(int argc, char **argv)
{
	return run_or_list(argc, argv, CLI_LIST);
}
