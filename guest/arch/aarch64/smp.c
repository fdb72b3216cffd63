/* SPDX-License-Identifier: MIT */
/* Secondary CPUs: DT enumeration, PSCI CPU_ON into entry.S, run one function. */
#include "arch/aarch64/smp.h"

#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <string.h>

#include "arch/aarch64/io.h"
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"

extern char secondary_entry[];

/* Written by the boot CPU before CPU_ON, read by the secondary. */
static struct {
	smp_fn_t fn;
	void *arg;
	volatile uint32_t state;
} slots[SMP_MAX_CPUS];

enum { SLOT_IDLE, SLOT_STARTING, SLOT_DONE };

uint64_t smp_this_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

int smp_dt_cpus(uint64_t *mpidrs, size_t max)
{
	const void *fdt = dt_blob();
	int cpus, node, ret;
	size_t n = 0;

	if (!fdt)
		return -ENODEV;
	cpus = dt_path_offset("/cpus");
	if (cpus < 0)
		return -ENODEV;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = dt_string(node, "device_type");
		uint64_t reg, size;

		/* /cpus also holds cpu-map and other non-CPU nodes. */
		if (!type || strcmp(type, "cpu") != 0)
			continue;
		ret = dt_reg(node, 0, &reg, &size);
		if (ret < 0)
			return ret;
		if (n < max)
			mpidrs[n] = reg & MPIDR_AFF_MASK;
		n++;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	return n > max ? (int)max : (int)n;
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
	/* CPU_OFF does not return on success; park if it failed. */
	(void)ret;
	for (;;)
		__asm__ volatile("wfe");
}

int smp_start(unsigned int cpu, uint64_t mpidr, smp_fn_t fn, void *arg)
{
	int ret;

	if (cpu == 0 || cpu >= SMP_MAX_CPUS || !fn)
		return -EINVAL;
	if (slots[cpu].state == SLOT_STARTING)
		return -EBUSY;
	slots[cpu].fn = fn;
	slots[cpu].arg = arg;
	slots[cpu].state = SLOT_STARTING;
	/*
	 * The secondary reads its slot only after entry.S turned its MMU on,
	 * through the same cacheable, inner-shareable mapping: a barrier is enough.
	 */
	dsb(ish);
	ret = psci_cpu_on(mpidr, (uintptr_t)secondary_entry, cpu);
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
		if (timer_now_us() - start > timeout_us)
			return -ETIMEDOUT;
	}
	dmb(ish);
	slots[cpu].state = SLOT_IDLE;
	return 0;
}
