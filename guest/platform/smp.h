/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs: the CPUs the DT lists under /cpus (dt_cpus()), started one
 * at a time with PSCI CPU_ON into arch/aarch64/entry.S on their own stacks
 * and TLS block, with the boot CPU's MMU tables. A started CPU runs one
 * function, then powers itself off.
 */
#ifndef PLATFORM_SMP_H
#define PLATFORM_SMP_H

#include <stdint.h>

#include "arch/aarch64/layout.h"
#include "platform/platform.h"

#define SMP_MAX_CPUS ARCH_MAX_CPUS /* boot CPU included */

/* This CPU's MPIDR affinity, comparable with dt_cpus()'s. */
uint64_t smp_this_mpidr(void);

/* Where smp_start() has CPU_ON send a secondary (context ID: its logical number). */
uintptr_t smp_entry_point(void);

typedef void (*smp_fn_t)(unsigned int cpu, void *arg);

/*
 * Start the CPU with @mpidr as logical CPU @cpu (1..SMP_MAX_CPUS-1) running
 * fn(cpu, arg), then CPU_OFF. Returns 0 once CPU_ON accepted it, or a
 * negative errno: -EBUSY while it runs or after it crashed (parked), or the
 * error its last CPU_OFF returned (it is parked, still on).
 */
int smp_start(unsigned int cpu, uint64_t mpidr, smp_fn_t fn, void *arg);

/*
 * Wait (bounded) for fn to return on @cpu: 0, -ETIMEDOUT, or -EFAULT when
 * the CPU took an exception and was parked by smp_park_crashed().
 */
int smp_wait_done(unsigned int cpu, uint64_t timeout_us);

/*
 * For the exception handler on a secondary CPU: mark this CPU crashed (so
 * smp_wait_done() returns -EFAULT at once) and park it for good.
 */
void smp_park_crashed(void) __attribute__((noreturn));

#endif
