/* SPDX-License-Identifier: MIT */
/* Secondary CPUs: PSCI CPU_ON into entry.S, run one function, CPU_OFF. */
#include "platform/smp.h"

#include <errno.h>
#include <stdbool.h>

#include "arch/aarch64/io.h"
#include "arch/aarch64/sysreg.h"

extern char secondary_entry[];

/* Written by the boot CPU before CPU_ON, read by the secondary. */
static struct {
	smp_fn_t fn;
	void *arg;
	volatile uint32_t state;
	/* what CPU_OFF returned when it failed (the CPU is parked, still on) */
	volatile int off_error;
} slots[SMP_MAX_CPUS];

enum { SLOT_IDLE, SLOT_STARTING, SLOT_DONE, SLOT_CRASHED };

uint64_t smp_this_mpidr(void)
{
	return read_sysreg(mpidr_el1) & DT_MPIDR_AFF_MASK;
}

uintptr_t smp_entry_point(void)
{
	return (uintptr_t)secondary_entry;
}

static void __attribute__((noreturn)) park(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ volatile("wfe");
}

/* Called by entry.S on the new CPU with its own stack, MMU on and TLS set. */
void smp_secondary_main(uint64_t cpu);

void smp_secondary_main(uint64_t cpu)
{
	int ret;

	/* entry.S checked cpu < ARCH_MAX_CPUS. */
	dmb(ish);
	slots[cpu].fn((unsigned int)cpu, slots[cpu].arg);
	dmb(ish);
	slots[cpu].state = SLOT_DONE;
	dsb(ish);
	__asm__ volatile("sev");
	ret = psci_cpu_off();
	/* CPU_OFF does not return on success: record why for smp_start(). */
	slots[cpu].off_error = ret < 0 ? ret : -EIO;
	dsb(ish);
	park();
}

void smp_park_crashed(void)
{
	unsigned int cpu = arch_cpu_index();

	if (cpu > 0 && cpu < SMP_MAX_CPUS) {
		slots[cpu].state = SLOT_CRASHED;
		dsb(ish);
		__asm__ volatile("sev");
	}
	park();
}

int smp_start(unsigned int cpu, uint64_t mpidr, smp_fn_t fn, void *arg)
{
	int ret;

	if (cpu == 0 || cpu >= SMP_MAX_CPUS || !fn)
		return -EINVAL;
	if (slots[cpu].state == SLOT_STARTING || slots[cpu].state == SLOT_CRASHED)
		return -EBUSY;
	if (slots[cpu].off_error)
		return slots[cpu].off_error;
	slots[cpu].fn = fn;
	slots[cpu].arg = arg;
	slots[cpu].state = SLOT_STARTING;
	/*
	 * The secondary reads its slot only after entry.S turned its MMU on,
	 * through the same cacheable, inner-shareable mapping: a barrier is enough.
	 */
	dsb(ish);
	ret = psci_cpu_on(mpidr, smp_entry_point(), cpu);
	if (ret < 0)
		slots[cpu].state = SLOT_IDLE;
	return ret;
}

int smp_wait_done(unsigned int cpu, uint64_t timeout_us)
{
	uint64_t start = timer_now_us();

	if (cpu == 0 || cpu >= SMP_MAX_CPUS)
		return -EINVAL;
	while (slots[cpu].state != SLOT_DONE) {
		if (slots[cpu].state == SLOT_CRASHED)
			return -EFAULT;
		if (timer_now_us() - start > timeout_us)
			return -ETIMEDOUT;
	}
	dmb(ish);
	slots[cpu].state = SLOT_IDLE;
	return 0;
}
