/* SPDX-License-Identifier: MIT */
/*
 * The boot-test framework: one test's life (its suite's setup, the CPU count
 * it needs, its body, its cleanups, its suite's teardown) and its KTAP result.
 * Every step runs contained (contain.c); a crash ends the run (the harness
 * reboots and continues with the remaining tests) after the cleanups ran.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/contain.h"
#include "runner/framework.h"
#include "runner/ktap.h"
#include "runner/registry.h"

struct cleanup {
	void (*fn)(void *);
	void *arg;
};

static struct {
	struct frame_writer *fw;
	bool failed;
	/* cleanups: the suite's (deferred by its setup) below suite_mark */
	struct cleanup cleanups[BT_DEFER_MAX];
	size_t nr_cleanups, suite_mark;
	/* the suite whose tests this boot is running, and how its setup went */
	const char *suite;
	enum contain_end setup_end;
	bool setup_failed;
	/* why this test skipped: its own bt_skip, its suite's setup's, or CPUs */
	char skip_reason[KTAP_LINE_MAX];
} fw;

/* Bulk text: batched into full frames, visible at the next flush. */
void bt_log_raw(const char *text, size_t len)
{
	frames_log(fw.fw, text, len);
}

void bt_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vdiag(fw.fw, fmt, ap);
	va_end(ap);
	contain_flush();
}

void bt_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[KTAP_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap_diag(fw.fw, "%s:%d: %s", file, line, msg);
	contain_flush();
	fw.failed = true;
}

void bt_defer(void (*fn)(void *), void *arg)
{
	if (!contain_active()) {
		ktap_diag(fw.fw, "bt_defer outside a test");
		contain_internal_error();
	}
	if (fw.nr_cleanups == BT_DEFER_MAX) {
		/* undo now what could not wait, then stop the test */
		ktap_diag(fw.fw, "bt_defer: more than %d cleanups deferred", BT_DEFER_MAX);
		fw.failed = true;
		fn(arg);
		bt_abort();
	}
	fw.cleanups[fw.nr_cleanups++] = (struct cleanup){ fn, arg };
}

static void call_void(void *fn)
{
	(*(void (*const *)(void))fn)();
}

/*
 * Run a hook or cleanup contained: an assertion fails the test, an exception
 * crashes it (already reported). A skip is no way to end one: it fails too.
 */
static void run_contained(void (*fn)(void *), void *arg, const char *what, enum contain_end *worst)
{
	enum contain_end end = contain_call(fn, arg);

	if (end == CONTAIN_SKIPPED) {
		ktap_diag(fw.fw, "bt_skip in %s: %s", what, contain_skip_reason());
		fw.failed = true;
	}
	if (end == CONTAIN_CRASHED) {
		ktap_diag(fw.fw, "the exception above was in %s", what);
		*worst = CONTAIN_CRASHED;
	}
}

/* Cleanups deferred since @mark, last first; one a cleanup defers runs next. */
static void run_cleanups(size_t mark, enum contain_end *worst)
{
	while (fw.nr_cleanups > mark) {
		struct cleanup c = fw.cleanups[--fw.nr_cleanups];

		run_contained(c.fn, c.arg, "a cleanup", worst);
	}
}

/* The first test of its suite in this boot: the suite's setup, contained. */
static void suite_begin(const struct boot_test *test)
{
	const struct boot_suite *hooks = test->hooks;

	fw.suite = test->suite;
	fw.setup_failed = false;
	fw.setup_end = CONTAIN_RETURNED;
	fw.nr_cleanups = fw.suite_mark = 0;
	if (!hooks || !hooks->setup)
		return;
	fw.setup_end = contain_call(call_void, (void *)&hooks->setup);
	fw.suite_mark = fw.nr_cleanups;
	if (fw.setup_end == CONTAIN_SKIPPED)
		snprintf(fw.skip_reason, sizeof(fw.skip_reason), "%s", contain_skip_reason());
	fw.setup_failed = fw.failed || fw.setup_end != CONTAIN_RETURNED;
	if (fw.setup_end == CONTAIN_CRASHED)
		ktap_diag(fw.fw, "the exception above was in the setup of suite %s", fw.suite);
}

/* The last test of its suite in this boot: teardown, then the suite's cleanups. */
static void suite_end(const struct boot_test *test, enum contain_end *worst)
{
	const struct boot_suite *hooks = test->hooks;

	if (hooks && hooks->teardown && !fw.setup_failed)
		run_contained(call_void, (void *)&hooks->teardown, "the suite's teardown", worst);
	run_cleanups(0, worst);
	fw.suite = NULL;
}

static unsigned int cpu_count(void)
{
	uint64_t mpidrs[SMP_MAX_CPUS];
	int n = dt_cpus(mpidrs, SMP_MAX_CPUS);

	return n > 0 ? (unsigned int)n : 1;
}

/* The test's own part: its body, or why it does not run; then its cleanups. */
static enum contain_end run_body(const struct boot_test *test)
{
	enum contain_end end;
	unsigned int cpus;

	if (fw.setup_end == CONTAIN_CRASHED)
		return CONTAIN_CRASHED;
	if (fw.setup_end == CONTAIN_SKIPPED)
		return CONTAIN_SKIPPED;
	if (fw.setup_failed) {
		ktap_diag(fw.fw, "the setup of suite %s failed: test not run", fw.suite);
		fw.failed = true;
		return CONTAIN_ABORTED;
	}
	/* the DT is asked only for a test that needs more than the boot CPU */
	cpus = test->cpus > 1 ? cpu_count() : 1;
	if (test->cpus > cpus) {
		snprintf(fw.skip_reason, sizeof(fw.skip_reason),
			 "needs %u CPUs, the machine has %u", (unsigned int)test->cpus, cpus);
		return CONTAIN_SKIPPED;
	}
	end = contain_call(call_void, (void *)&test->fn);
	if (end == CONTAIN_SKIPPED)
		snprintf(fw.skip_reason, sizeof(fw.skip_reason), "%s", contain_skip_reason());
	run_cleanups(fw.suite_mark, &end);
	return end;
}

void framework_init(struct frame_writer *writer)
{
	fw.fw = writer;
	contain_init(writer);
}

enum bt_outcome framework_run(const struct boot_test *test, const struct boot_test *next,
			      unsigned int number)
{
	char name[REGISTRY_NAME_MAX], line[KTAP_LINE_MAX];
	enum ktap_outcome ktap;
	enum bt_outcome outcome;
	enum contain_end end;
	const char *reason = NULL;
	size_t len;

	if (registry_full_name(test, name, sizeof(name)))
		memcpy(name, "?", 2);
	frames_log(fw.fw, PROTO_KTAP_START, strlen(PROTO_KTAP_START));
	frames_log(fw.fw, name, strlen(name));
	frames_log(fw.fw, "\n", 1);
	/* the host must know which test runs before it can hang */
	frames_flush(fw.fw);

	fw.failed = false;
	if (!fw.suite || strcmp(fw.suite, test->suite))
		suite_begin(test);
	end = run_body(test);
	/* a crash ends the run: whatever the suite holds is released first */
	if (!next || strcmp(next->suite, test->suite) || end == CONTAIN_CRASHED)
		suite_end(test, &end);

	if (end == CONTAIN_CRASHED) {
		outcome = BT_CRASHED;
		ktap = KTAP_ERROR;
		reason = "exception";
	} else if (fw.failed) {
		outcome = BT_FAILED;
		ktap = KTAP_FAIL;
	} else if (end == CONTAIN_SKIPPED) {
		outcome = BT_SKIPPED;
		ktap = KTAP_SKIP;
		reason = fw.skip_reason;
	} else {
		outcome = BT_PASSED;
		ktap = KTAP_PASS;
	}
	len = ktap_result(fw.fw, number, name, ktap, reason, line, sizeof(line));
	uart_write(line, len);
	return outcome;
}
