/* SPDX-License-Identifier: MIT */
/* `run` and `list`: options to a scheduled run, its reports and its exit code. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands/ci_env.h"
#include "commands/cli.h"
#include "commands/locate.h"
#include "commands/run.h"
#include "machine/exit_codes.h"
#include "machine/rpmbdev.h"
#include "reports/json_file.h"
#include "reports/junit.h"
#include "reports/ktap_file.h"
#include "reports/log_dir.h"
#include "reports/report.h"
#include "reports/tap_file.h"
#include "scheduling/scheduler.h"
#include "system/clock.h"
#include "system/proc.h"
#include "system/out_queue.h"
#include "system/signals.h"
#include "system/status_line.h"
#include "system/tmpdir.h"
#include "system/tcp_port.h"

#define RPMB_EMULATOR "testrunner-rpmb-dev"

/* Everything a command resolved: the options and the files they name. */
struct run_setup {
	struct options o;
	char image[PATH_MAX], qemu[PATH_MAX], rpmb[PATH_MAX], symbols[PATH_MAX];
	struct firmware_paths fw;
};

static const char *env(const char *name)
{
	return getenv(name);
}

/* --rerun-failed FILE: what failed there is the selection. 0, or an exit code. */
static int rerun_selection(struct options *o)
{
	char err[300], **names;
	long n = json_read_failed(o->rerun_failed, &names, err, sizeof(err));
	const char **sel;

	if (n < 0) {
		fprintf(stderr, "testrunner-host: --rerun-failed %s: %s\n", o->rerun_failed, err);
		return EXIT_INFRA;
	}
	if (!n) {
		fprintf(stderr, "testrunner-host: --rerun-failed %s: no test failed there\n",
			o->rerun_failed);
		return -1;
	}
	sel = realloc(o->selectors, ((size_t)n + 1) * sizeof(*sel));
	if (!sel) {
		json_names_free(names, (size_t)n);
		fprintf(stderr, "testrunner-host: --rerun-failed: %s\n", strerror(ENOMEM));
		return EXIT_INFRA;
	}
	o->selectors = sel;
	o->owned_names = names;
	o->n_owned_names = (size_t)n;
	for (long i = 0; i < n; i++)
		sel[i] = names[i];
	o->n_selectors = (size_t)n;
	return 0;
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
	if (ret == 0)
		ret = ci_env_apply(o, env, err, sizeof(err));
	if (ret == CLI_HELP) {
		cli_usage(stdout);
		return -1;
	}
	if (ret) {
		fprintf(stderr, "testrunner-host: %s\n", err);
		return EXIT_INFRA;
	}
	if (o->rerun_failed && (ret = rerun_selection(o)))
		return ret;
	if (locate_image(&o->image, su->image, sizeof(su->image)) ||
	    locate_qemu(&o->qemu, su->qemu, sizeof(su->qemu)) || locate_firmware(o, &su->fw))
		return EXIT_INFRA;
	o->symbols = locate_symbols(o->image, su->symbols, sizeof(su->symbols));
	if (o->debug && !o->gdb_port) {
		ret = tcp_free_port(&o->gdb_port);
		if (ret) {
			fprintf(stderr, "testrunner-host: --debug: no free TCP port: %s\n",
				strerror(-ret));
			return EXIT_INFRA;
		}
	}
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
	c->qemu.firmware = o->firmware;
	c->qemu.bl33 = o->bl33;
	c->qemu.show_secure_serial = o->verbose;
	c->qemu.memory = o->memory;
	c->qemu.smp = o->smp;
	c->qemu.serial_stdio = o->verbose;
	/*
	 * One QEMU per slot, reset between boots (the catalogue's, --isolate's,
	 * the reboots after a crash, retries); not under TF-A (untested) or gdb.
	 */
	c->qemu.reset = o->cmd == CLI_RUN && !o->firmware && !o->debug;
	c->qemu.debug = o->debug;
	c->qemu.gdb_port = o->gdb_port;
	c->qemu.rpmb_dev = o->cmd == CLI_RUN && !o->no_rpmb ? o->rpmb_dev : NULL;
	c->qemu.rpmb_file = o->rpmb_file;
	c->qemu.extra = o->qemu_args;
	c->qemu.n_extra = o->n_qemu_args;
	c->selectors = o->selectors;
	c->n_selectors = o->n_selectors;
	c->excludes = o->excludes;
	c->n_excludes = o->n_excludes;
	c->smp_explicit = o->smp_explicit;
	c->filters = o->filters;
	c->n_filters = o->n_filters;
	c->jobs = o->jobs;
	c->retry = o->retry;
	c->isolate = o->isolate;
	c->shard_index = o->shard_index;
	c->shard_count = o->shard_count;
	/* halted for gdb: no timeout can be right */
	c->timeout_ms = o->debug ? 0 : o->timeout_ms;
	c->boot_timeout_ms = o->debug ? 0 : o->boot_timeout_ms;
	c->logs_dir = o->outputs_dir;
	c->source_files = o->junit != NULL;
	c->capture = o->junit || o->ktap || o->tap || o->log_dir;
	c->debug = o->debug;
	c->symbols = o->symbols;
	c->log_dir = o->log_dir;
	/* on a terminal, -j's boots say whose each line is; a pipe gets the log as it came */
	c->tag_log = c->jobs > 1 && isatty(STDOUT_FILENO);
	c->show_console = o->verbose;
}

/* The scheduler's events, told on stderr. */
static void on_progress(void *ctx, const struct sched_progress *p)
{
	report_progress(ctx, p->slot, p->running, p->timeout_ms, p->done, p->total);
}

static void on_console(void *ctx, unsigned int slot, const char *data, size_t len)
{
	report_console(ctx, slot, data, len);
}

static void on_test(void *ctx, const struct test_rec *t)
{
	report_test(ctx, t);
}

static void on_error(void *ctx, const char *msg, const char *serial_tail, const char *qemu_tail)
{
	report_error(ctx, msg, serial_tail, qemu_tail);
}

/* --log-dir: a boot's console and QEMU's output, kept before its directory goes. */
static void on_boot_ended(void *ctx, unsigned int boot, const char *dir,
			  const struct boot_log_marks *from)
{
	struct reporter *rep = ctx;
	int ret = log_dir_save_boot(rep->log_dir, boot, dir, from);

	if (!ret)
		return;
	status_line_hide();
	fprintf(stderr, "testrunner-host: --log-dir %s: boot %u: %s\n", rep->log_dir, boot,
		strerror(-ret));
}

/*
 * The terminal view: a status line when stderr is a terminal that can take
 * one, colour as --color and NO_COLOR say.
 */
static int report_start(struct reporter *rep, const struct sched_cfg *c, const struct options *o)
{
	const char *term = getenv("TERM");
	bool tty = isatty(STDERR_FILENO);
	int ret;

	ret = report_init(rep, stderr, c->symbols ? c->symbols : c->qemu.image, c->jobs,
			  term_status_wanted(tty, term),
			  term_colour_wanted(o->colour, tty, getenv("NO_COLOR"), term));
	if (ret)
		fprintf(stderr, "testrunner-host: setup: %s\n", strerror(-ret));
	return ret;
}

static struct runner *start(struct reporter *rep, const struct sched_cfg *c,
			    const struct options *o)
{
	struct runner *r;
	struct sched_events ev = {
		.ctx = rep,
		.progress = on_progress,
		.console = on_console,
		.test = on_test,
		.error = on_error,
		.boot_ended = c->log_dir ? on_boot_ended : NULL,
	};
	int ret;

	if (report_start(rep, c, o))
		return NULL;
	rep->log_dir = c->log_dir;
	ev.extra = report_loop_extra(rep);
	r = sched_new(c, &ev, &ret);
	if (!r) {
		fprintf(stderr, "testrunner-host: setup: %s\n", strerror(-ret));
		report_free(rep);
	}
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

/*
 * Bazel: touching TEST_SHARD_STATUS_FILE says "this test runner shards";
 * TEST_PREMATURE_EXIT_FILE says "killed before it finished" until removed.
 */
static int touch(const char *var, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "testrunner-host: %s %s: %s\n", var, path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* What the environment chose, said once: a CI log shows why a job ran what it ran. */
static void tell_environment(const struct options *o)
{
	if (o->shard_from[0])
		fprintf(stderr, "testrunner-host: shard %ld of %ld (from 0) chosen by %s\n",
			o->shard_index, o->shard_count, o->shard_from);
	/* its warning before any boot; a failure shows again, as each boot's own */
	(void)tmpdir_sockets_init();
}

/* The report files carry the crash reports as stderr showed them. */
static void annotate(const struct reporter *rep, struct test_set *tests)
{
	for (size_t i = 0; i < tests->n; i++) {
		struct test_rec *t = &tests->v[i];

		if (t->exception || t->state == TEST_CRASH || t->hang)
			test_set_str(&t->crash_report, report_crash_details(rep, t->name));
	}
}

static int run_and_report(const struct options *o)

{
	uint64_t t0 = clock_now_ms();
	time_t started = time(NULL);
	const struct test_set *tests;
	char host[256];
	struct sched_cfg c;
	struct reporter rep;
	struct runner *r;
	char err[400];
	int code, sig, ret;

	sched_cfg_from(&c, o);
	if (o->budget_ms)
		c.end_by_ms = t0 + o->budget_ms;
	if (o->log_dir && (ret = log_dir_create(o->log_dir))) {
		fprintf(stderr, "testrunner-host: --log-dir %s: %s\n", o->log_dir, strerror(-ret));
		return EXIT_INFRA;
	}
	r = start(&rep, &c, o);
	if (!r)
		return EXIT_INFRA;
	if (o->shard_status_file && touch("TEST_SHARD_STATUS_FILE", o->shard_status_file)) {
		sched_free(r);
		report_free(&rep);
		return EXIT_INFRA;
	}
	tell_environment(o);
	/* once per run: a bad or busy file is one clear error, not N failed boots */
	if (c.qemu.rpmb_dev && o->rpmb_file &&
	    rpmbdev_prepare(c.qemu.rpmb_dev, o->rpmb_file, 1, err, sizeof(err))) {
		fprintf(stderr, "testrunner-host: --rpmb-file %s: %s\n", o->rpmb_file, err);
		sched_free(r);
		report_free(&rep);
		return signals_term() ? EXIT_SIGNAL(signals_term()) : EXIT_INFRA;
	}
	sched_run(r);
	code = sched_exit_code(r);
	sig = sched_signal(r);
	report_wait(&rep);
	annotate(&rep, sched_tests_to_annotate(r));
	tests = sched_tests(r);
	if (o->junit) {
		struct junit_run jr = {
			.name = "testrunner",
			.secs = (double)(clock_now_ms() - t0) / 1000,
			.started = started,
			.hostname = gethostname(host, sizeof(host)) ? NULL : host,
			.no_case_file = o->junit_no_file,
		};

		host[sizeof(host) - 1] = '\0';
		code = write_report(o->junit, junit_write_file(o->junit, tests, &jr), code);
	}
	if (o->ktap)
		code = write_report(o->ktap, ktap_write_file(o->ktap, tests), code);
	if (o->tap)
		code = write_report(o->tap, tap_write_file(o->tap, tests), code);
	if (o->json)
		code = write_report(o->json, json_write_file(o->json, tests, o->outputs_dir), code);
	if (o->log_dir)
		code = write_report(o->log_dir, log_dir_write_tests(o->log_dir, tests), code);
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
	report_free(&rep);
	return code;
}

/* list --long: "NAME timeout_s=N cpus=N manual=0|1 file=PATH" (docs/harness.md). */
static void print_long(const struct cat_test *t)
{
	printf("%s timeout_s=%lu cpus=%lu manual=%d file=%s\n", t->name,
	       (unsigned long)t->timeout_s, (unsigned long)t->cpus, t->manual ? 1 : 0,
	       t->file ? t->file : "");
}

/* The run, inside TEST_PREMATURE_EXIT_FILE's life when Bazel gives one. */
static int run_tests(const struct options *o)
{
	const char *premature = o->premature_exit_file;
	int code;

	if (premature && touch("TEST_PREMATURE_EXIT_FILE", premature))
		return EXIT_INFRA;
	code = run_and_report(o);
	if (premature && unlink(premature) && errno != ENOENT) {
		fprintf(stderr, "testrunner-host: TEST_PREMATURE_EXIT_FILE %s: %s\n", premature,
			strerror(errno));
		code = EXIT_INFRA;
	}
	return code;
}

static int list_tests(const struct options *o)
{
	const struct cat_test **tests;
	struct sched_cfg c;
	struct reporter rep;
	struct runner *r;
	size_t n_cat;
	long n = -1;
	int code;

	sched_cfg_from(&c, o);
	r = start(&rep, &c, o);
	if (!r)
		return EXIT_INFRA;
	sched_list(r);
	if (sched_catalogue(r, &n_cat))
		n = sched_list_selected(r, &tests);
	if (sched_signal(r)) {
		code = EXIT_SIGNAL(sched_signal(r));
	} else if (n < 0) {
		code = EXIT_INFRA;
	} else {
		for (long i = 0; i < n; i++) {
			if (o->list_long)
				print_long(tests[i]);
			else
				printf("%s\n", tests[i]->name);
		}
		code = fflush(stdout) ? EXIT_INFRA : EXIT_PASS;
	}
	if (n >= 0)
		free(tests);
	sched_free(r);
	report_free(&rep);
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
		ret = EXIT_PASS; /* --help, or nothing to rerun */
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
