// SPDX-License-Identifier: MIT
/*
 * The boot-test framework: runs a test under setjmp, turns assertions, skips
 * and synchronous exceptions into KTAP results. An unexpected exception is
 * reported with ESR/ELR/FAR and a backtrace, and ends the run (the harness
 * reboots and continues with the remaining tests).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arch/aarch64/exception.h"
#include "platform/platform.h"
#include "runner/framework.h"
#include "runner/ktap.h"
#include "runner/registry.h"

#define BACKTRACE_MAX 16

enum { JUMP_ABORT = 1, JUMP_SKIP, JUMP_CRASH };

static struct {
	struct frame_writer *fw;
	bool in_test;
	bool failed;
	jmp_buf test_jmp;
	char skip_reason[KTAP_LINE_MAX];
	/* expected fault in progress (bt_expect_fault) */
	jmp_buf *fault_jmp;
	struct bt_fault *fault;
	/* unexpected exception taken by the running test */
	struct exc_regs crash;
} run;

void bt_log_raw(const char *text, size_t len)
{
	frames_log(run.fw, text, len);
}

void bt_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vdiag(run.fw, fmt, ap);
	va_end(ap);
}

void bt_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[KTAP_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap_diag(run.fw, "%s:%d: %s", file, line, msg);
	run.failed = true;
}

void bt_abort(void)
{
	if (run.in_test)
		longjmp(run.test_jmp, JUMP_ABORT);
	ktap_diag(run.fw, "bt_abort outside a test");
	frames_result(run.fw, PROTO_STATUS_ERROR);
	psci_system_off();
}

void bt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run.skip_reason, sizeof(run.skip_reason), fmt, ap);
	va_end(ap);
	if (run.in_test)
		longjmp(run.test_jmp, JUMP_SKIP);
	psci_system_off();
}

/* Exception return lands here, on the faulting context's stack. */
static void fault_landing(void)
{
	longjmp(*run.fault_jmp, 1);
}

static void crash_landing(void)
{
	longjmp(run.test_jmp, JUMP_CRASH);
}

bool bt_expect_fault(void (*fn)(void *), void *arg, struct bt_fault *fault)
{
	jmp_buf jb;
	jmp_buf *outer = run.fault_jmp;

	if (setjmp(jb)) {
		run.fault_jmp = outer;
		return true;
	}
	run.fault = fault;
	run.fault_jmp = &jb;
	fn(arg);
	run.fault_jmp = outer;
	return false;
}

static void report_exception(const struct exc_regs *r)
{
	uint64_t pcs[BACKTRACE_MAX];
	char line[KTAP_LINE_MAX];
	size_t n, len = 0;

	ktap_diag(run.fw, "exception: ESR=0x%llx ELR=0x%llx FAR=0x%llx",
		  (unsigned long long)r->esr, (unsigned long long)r->elr,
		  (unsigned long long)r->far);
	n = arch_backtrace(r->x[29], pcs, BACKTRACE_MAX);
	for (size_t i = 0; i < n && len < sizeof(line) - 20; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " 0x%llx",
					(unsigned long long)pcs[i]);
	line[len] = '\0';
	ktap_diag(run.fw, "backtrace: 0x%llx%s", (unsigned long long)r->elr, line);
}

static void sync_handler(struct exc_regs *r)
{
	if (run.fault_jmp) {
		run.fault->esr = r->esr;
		run.fault->elr = r->elr;
		run.fault->far = r->far;
		r->elr = (uintptr_t)fault_landing;
		return;
	}
	if (run.in_test) {
		run.crash = *r;
		run.in_test = false;
		r->elr = (uintptr_t)crash_landing;
		return;
	}
	/* outside any test: an internal error of the runner itself */
	report_exception(r);
	frames_result(run.fw, PROTO_STATUS_ERROR);
	psci_system_off();
}

void framework_init(struct frame_writer *fw)
{
	run.fw = fw;
	exc_set_sync_handler(sync_handler);
}

enum bt_outcome framework_run(const struct boot_test *test, unsigned int number)
{
	char name[REGISTRY_NAME_MAX], line[KTAP_LINE_MAX];
	enum ktap_outcome ktap;
	enum bt_outcome outcome;
	/* assigned after setjmp returns; volatile keeps longjmp from clobbering it */
	const char *volatile reason = NULL;
	size_t len;
	int jump;

	if (registry_full_name(test, name, sizeof(name)))
		memcpy(name, "?", 2);
	frames_log(run.fw, PROTO_KTAP_START, strlen(PROTO_KTAP_START));
	frames_log(run.fw, name, strlen(name));
	frames_log(run.fw, "\n", 1);
	/* the host must know which test runs before it can hang */
	frames_flush(run.fw);

	run.failed = false;
	run.skip_reason[0] = '\0';
	run.fault_jmp = NULL;
	jump = setjmp(run.test_jmp);
	if (!jump) {
		run.in_test = true;
		test->fn();
	}
	run.in_test = false;
	run.fault_jmp = NULL;

	if (jump == JUMP_CRASH) {
		report_exception(&run.crash);
		outcome = BT_CRASHED;
		ktap = KTAP_ERROR;
		reason = "exception";
	} else if (jump == JUMP_SKIP) {
		outcome = BT_SKIPPED;
		ktap = KTAP_SKIP;
		reason = run.skip_reason;
	} else if (run.failed) {
		outcome = BT_FAILED;
		ktap = KTAP_FAIL;
	} else {
		outcome = BT_PASSED;
		ktap = KTAP_PASS;
	}
	len = ktap_result(run.fw, number, name, ktap, reason, line, sizeof(line));
	uart_write(line, len);
	return outcome;
}
