/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs: the CPUs the DT lists under /cpus, started one at a time
 * with PSCI CPU_ON on their own stack and TLS block, with the boot CPU's MMU
 * tables. A started CPU runs one function, then powers itself off.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/layout.h"

#define SMP_MAX_CPUS ARCH_MAX_CPUS	/* boot CPU included */

/* MPIDR affinity fields (Aff3..Aff0) as they appear in /cpus reg. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

/*
 * Fill @mpidrs with the reg of every /cpus/cpu node, boot CPU included.
 * Returns the count (CPUs beyond @max are not listed) or a negative errno.
 */
int smp_dt_cpus(uint64_t *mpidrs, size_t max);

/* This CPU's MPIDR affinity. */
uint64_t smp_this_mpidr(void);

typedef void (*smp_fn_t)(unsigned int cpu, void *arg);

/*
 * Start the CPU with @mpidr as logical CPU @cpu (1..SMP_MAX_CPUS-1) running
 * fn(cpu, arg), then CPU_OFF. Returns 0 once CPU_ON accepted it, or a
 * negative errno. smp_wait_off() waits (bounded) for fn to return.
 */
int smp_start(unsigned int cpu, uint64_t mpidr, smp_fn_t fn, void *arg);
int smp_wait_done(unsigned int cpu, uint64_t timeout_us);

#endif
