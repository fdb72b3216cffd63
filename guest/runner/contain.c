/* SPDX-License-Identifier: MIT */
/*
 * Contained calls: runs a test, hook or cleanup under setjmp and turns
 * assertions, skips and exceptions into a return. An unexpected exception of
 * any kind, on any CPU, is reported with ESR/ELR/FAR/LR and a backtrace.
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
#include "runner/boottest.h"
#include "runner/contain.h"
#include "runner/ktap.h"

#define BACKTRACE_MAX 16

enum { JUMP_ABORT = 1, JUMP_SKIP, JUMP_CRASH };

/*
 * An unexpected exception as the handler saw it. The backtrace is taken
 * there: once the boot CPU is back in contain_call its own calls overwrite
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
	bool active;
	jmp_buf call_jmp;
	char skip_reason[KTAP_LINE_MAX];
	/* expected fault in progress (bt_expect_fault) */
	jmp_buf *fault_jmp;
	struct bt_fault *fault;
	/* unexpected exception taken by the contained call */
	struct crash crash;
	/* SP for crash_landing: below contain_call's frame, whatever the call did */
	uintptr_t landing_sp;
	/* an exception on a secondary CPU, recorded there for the boot CPU */
	int sec_claimed, sec_crashed;
	bool sec_reported;
	struct crash sec_crash;
	int flush_error;
} run;

/*
 * A broken channel is said once on the UART (the frame writer drops later
 * text and main reports the result frame's error).
 */
void contain_flush(void)
{
	int rc = frames_flush(run.fw);

	if (rc && !run.flush_error) {
		run.flush_error = rc;
		printf("testrunner: sending the log: error %d\n", rc);
	}
}

void contain_internal_error(void)
{
	int rc = frames_result(run.fw, PROTO_STATUS_ERROR);

	if (rc)
		printf("testrunner: sending the result: error %d\n", rc);
	psci_system_off();
}

bool contain_active(void)
{
	return run.active;
}

const char *contain_skip_reason(void)
{
	return run.skip_reason;
}

void bt_abort(void)
{
	if (run.active)
		longjmp(run.call_jmp, JUMP_ABORT);
	ktap_diag(run.fw, "bt_abort outside a test");
	contain_internal_error();
}

void bt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run.skip_reason, sizeof(run.skip_reason), fmt, ap);
	va_end(ap);
	if (run.active)
		longjmp(run.call_jmp, JUMP_SKIP);
	ktap_diag(run.fw, "bt_skip outside a test: %s", run.skip_reason);
	contain_internal_error();
}

/* Exception return lands here, on the faulting context's stack. */
static void fault_landing(void)
{
	longjmp(*run.fault_jmp, 1);
}

static void crash_landing(void)
{
	longjmp(run.call_jmp, JUMP_CRASH);
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
	contain_flush();
}

/*
 * On a secondary CPU: record the first such exception for the boot CPU
 * (contain_call reports it) and park; never longjmp onto another CPU's
 * stack.
 */
static void __attribute__((noreturn))
secondary_crash(const struct exc_regs *r, unsigned int kind, unsigned int cpu)
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
	if (run.active) {
		crash_record(&run.crash, r, kind, 0);
		run.active = false;
		r->elr = (uintptr_t)crash_landing;
		/* the call's stack may be what overflowed (a guard-page fault) */
		r->sp = run.landing_sp;
		/* an IRQ nobody acknowledges would be taken again at once */
		r->spsr |= DAIF_MASK_ALL;
		return;
	}
	/* outside any contained call: an internal error of the runner itself */
	crash_record(&run.crash, r, kind, cpu);
	report_exception(&run.crash);
	contain_internal_error();
}

void contain_init(struct frame_writer *fw)
{
	run.fw = fw;
	exc_set_handler(exc_handler);
}

enum contain_end contain_call(void (*fn)(void *), void *arg)
{
	uintptr_t sp;
	int jump;

	run.skip_reason[0] = '\0';
	run.fault_jmp = NULL;
	/* nothing below this SP belongs to us once the call has crashed */
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	run.landing_sp = sp;
	jump = setjmp(run.call_jmp);
	if (!jump) {
		run.active = true;
		fn(arg);
	}
	run.active = false;
	run.fault_jmp = NULL;

	if (jump == JUMP_CRASH) {
		report_exception(&run.crash);
		return CONTAIN_CRASHED;
	}
	/* reported once: the CPU stays parked, the run is over */
	if (__atomic_load_n(&run.sec_crashed, __ATOMIC_ACQUIRE) && !run.sec_reported) {
		run.sec_reported = true;
		report_exception(&run.sec_crash);
		return CONTAIN_CRASHED;
	}
	if (jump == JUMP_SKIP)
		return CONTAIN_SKIPPED;
	return jump == JUMP_ABORT ? CONTAIN_ABORTED : CONTAIN_RETURNED;
}
