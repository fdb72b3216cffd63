/* SPDX-License-Identifier: MIT */
/*
 * make BOOT_TIMES=1 only (guest/arch/aarch64/boot_times.h): the recorded start-up
 * steps, logged in microseconds from the first instruction. An empty object
 * otherwise.
 */
#include "arch/aarch64/boot_times.h"

#if BOOT_TIMES
#include "arch/aarch64/sysreg.h"
#include "runner/ktap.h"

uint64_t boot_times[BOOT_T_STEPS];

static const char *const step_names[BOOT_T_STEPS] = {
	[BOOT_T_ENTRY] = "entry",
	[BOOT_T_RELOCATED] = "relocated",
	[BOOT_T_BSS] = "bss-cleared",
	[BOOT_T_MMU] = "mmu-on",
	[BOOT_T_DT] = "dt-parsed",
	[BOOT_T_UART] = "uart-up",
	[BOOT_T_PLATFORM] = "platform-ready",
	[BOOT_T_BANNER] = "banner-printed",
	[BOOT_T_VCONS] = "virtio-console-ready",
	[BOOT_T_PORT_FOUND] = "port-found",
	[BOOT_T_PORT_OPEN] = "port-open",
	[BOOT_T_REQUEST] = "request-received",
	[BOOT_T_FIRST_TEST] = "first-test-start",
	[BOOT_T_DONE] = "tests-done",
};

void boot_time_mark(unsigned int step)
{
	if (step < BOOT_T_STEPS && !boot_times[step])
		boot_times[step] = read_sysreg(cntvct_el0);
}

void boot_times_report(struct frame_writer *fw)
{
	uint64_t freq = read_sysreg(cntfrq_el0) & 0xffffffffULL, t0 = boot_times[BOOT_T_ENTRY];

	boot_time_mark(BOOT_T_DONE);
	if (!freq)
		return;
	/* the counter at the first instruction: QEMU's start-up before the guest */
	ktap_diag(fw, "boot-time counter-at-entry %llu", (unsigned long long)(t0 * 1000000 / freq));
	for (unsigned int i = 0; i < BOOT_T_STEPS; i++)
		if (boot_times[i])
			ktap_diag(fw, "boot-time %s %llu", step_names[i],
				  (unsigned long long)((boot_times[i] - t0) * 1000000 / freq));
}
#endif
