/* SPDX-License-Identifier: MIT */
/*
 * The boot-test framework: runs a test under setjmp, turns assertions, skips
 * and exceptions into KTAP results. An unexpected exception of any kind, on
 * any CPU, is reported with ESR/ELR/FAR/LR and a backtrace, and ends the run
 * (the harness reboots and continues with the remaining tests).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arch/aarch64/exception.h"
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/framework.h"
#include "runner/ktap.h"
#include "runner/registry.h"

#define BACKTRACE_MAX 16

enum { JUMP_ABORT = 1, JUMP_SKIP, JUMP_CRASH };

/*
 * An unexpected exception as the handler saw it. The backtrace is taken
 * there: once the boot CPU is back in framework_run its own calls overwrite
 * the dead test frames the chain runs through.
 */
struct crash {
	struct exc_regs regs;
	unsigned int kind, cpu;
	uint64_t pcs[BACKTRACE_MAX];
	size_t npcs;
};

static void crash_record(struct crash *c, const struct exc_regs *r, unsigned int kind,
			 unsigned int cpu)
{
	c->regs = *r;
	c->kind = kind;
	c->cpu = cpu;
	c->npcs = arch_backtrace(r->x[29], c->pcs, BACKTRACE_MAX);
}

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
	struct crash crash;
	/* SP for crash_landing: below framework_run's frame, whatever the test did */
	uintptr_t landing_sp;
	/* an exception on a secondary CPU, recorded there for the boot CPU */
	int sec_claimed, sec_crashed;
	struct crash sec_crash;
	int flush_error;
} run;

/*
 * Make the log visible to the host now, so that a test that hangs next has
 * said everything it logged. A broken channel is said once on the UART (the
 * frame writer drops later text and main reports the result frame's error).
 */
static void flush_log(void)
{
	int rc = frames_flush(run.fw);

	if (rc && !run.flush_error) {
		run.flush_error = rc;
		printf("testrunner: sending the log: error %d\n", rc);
	}
}

/* Bulk text: batched into full frames, visible at the next flush. */
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
	flush_log();
}

void bt_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[KTAP_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ktap_diag(run.fw, "%s:%d: %s", file, line, msg);
	flush_log();
	run.failed = true;
}

/* The runner itself went wrong: result 2 and power off. */
static void __attribute__((noreturn)) internal_error(void)
{
	int rc = frames_result(run.fw, PROTO_STATUS_ERROR);

	if (rc)
		printf("testrunner: sending the result: error %d\n", rc);
	psci_system_off();
}

void bt_abort(void)
{
	if (run.in_test)
		longjmp(run.test_jmp, JUMP_ABORT);
	ktap_diag(run.fw, "bt_abort outside a test");
	internal_error();
}

void bt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run.skip_reason, sizeof(run.skip_reason), fmt, ap);
	va_end(ap);
	if (run.in_test)
		longjmp(run.test_jmp, JUMP_SKIP);
	ktap_diag(run.fw, "bt_skip outside a test: %s", run.skip_reason);
	internal_error();
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

static void report_exception(const struct crash *c)
{
	const struct exc_regs *r = &c->regs;
	char line[KTAP_LINE_MAX], where[32] = "";
	size_t len = 0;

	/* sync on the boot CPU is the common case: no suffix */
	if (c->kind != EXC_KIND_SYNC || c->cpu)
		snprintf(where, sizeof(where), " %s cpu %u", exc_kind_name(c->kind), c->cpu);
	ktap_diag(run.fw, "exception: ESR=0x%llx ELR=0x%llx FAR=0x%llx LR=0x%llx%s",
		  (unsigned long long)r->esr, (unsigned long long)r->elr,
		  (unsigned long long)r->far, (unsigned long long)r->x[30], where);
	for (size_t i = 0; i < c->npcs && len < sizeof(line) - 20; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " 0x%llx",
					(unsigned long long)c->pcs[i]);
	line[len] = '\0';
	ktap_diag(run.fw, "backtrace: 0x%llx%s", (unsigned long long)r->elr, line);
	flush_log();
}

/*
 * On a secondary CPU: record the first such exception for the boot CPU
 * (framework_run reports it) and park; never longjmp onto another CPU's
 * stack.
 */
static void __attribute__((noreturn)) secondary_crash(const struct exc_regs *r,
						     unsigned int kind, unsigned int cpu)
{
	if (!__atomic_exchange_n(&run.sec_claimed, 1, __ATOMIC_ACQ_REL)) {
		crash_record(&run.sec_crash, r, kind, cpu);
		__atomic_store_n(&run.sec_crashed, 1, __ATOMIC_RELEASE);
	}
	smp_park_crashed();
}

static void exc_handler(struct exc_regs *r, unsigned int kind)
{
	unsigned int cpu = arch_cpu_index();

	if (cpu != 0)
		secondary_crash(r, kind, cpu);
	if (kind == EXC_KIND_SYNC && run.fault_jmp) {
		run.fault->esr = r->esr;
		run.fault->elr = r->elr;
		run.fault->far = r->far;
		r->elr = (uintptr_t)fault_landing;
		return;
	}
	if (run.in_test) {
		crash_record(&run.crash, r, kind, 0);
		run.in_test = false;
		r->elr = (uintptr_t)crash_landing;
		/* the test's stack may be what overflowed (a guard-page fault) */
		r->sp = run.landing_sp;
		/* an IRQ nobody acknowledges would be taken again at once */
		r->spsr |= DAIF_MASK_ALL;
		return;
	}
	/* outside any test: an internal error of the runner itself */
	crash_record(&run.crash, r, kind, cpu);
	report_exception(&run.crash);
	internal_error();
}

void framework_init(struct frame_writer *fw)
{
	run.fw = fw;
	exc_set_handler(exc_handler);
}

enum bt_outcome framework_run(const struct boot_test *test, unsigned int number)
{
	char name[REGISTRY_NAME_MAX], line[KTAP_LINE_MAX];
	enum ktap_outcome ktap;
	enum bt_outcome outcome;
	/* assigned after setjmp returns; volatile keeps longjmp from clobbering it */
	const char *volatile reason = NULL;
	uintptr_t sp;
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
	/* nothing below this SP belongs to us once the test has crashed */
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	run.landing_sp = sp;
	jump = setjmp(run.test_jmp);
	if (!jump) {
		run.in_test = true;
		test->fn();
	}
	run.in_test = false;
	run.fault_jmp = NULL;

	if (jump != JUMP_CRASH && __atomic_load_n(&run.sec_crashed, __ATOMIC_ACQUIRE)) {
		run.crash = run.sec_crash;
		jump = JUMP_CRASH;
	}
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
