/* SPDX-License-Identifier: MIT */
/* Secondary CPUs: started by PSCI CPU_ON into entry.S, then parked here. */
#include <stdint.h>

void smp_secondary_main(uint64_t cpu);

void smp_secondary_main(uint64_t cpu)
{
	(void)cpu;
	for (;;)
		__asm__ volatile("wfe");
}
