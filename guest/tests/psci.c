/* SPDX-License-Identifier: MIT */
/* selftest.psci: PSCI >= 0.2, and every secondary CPU in /cpus starts and checks in. */
#include <errno.h>

#include "arch/aarch64/io.h"
#include "platform/platform.h"
#include "platform/smp.h"
#include "runner/boottest.h"

#define CHECKIN_TIMEOUT_US 2000000 /* per CPU; TCG is slow to start a vCPU */

static volatile uint64_t checked_in[SMP_MAX_CPUS];

static void check_in(unsigned int cpu, void *arg)
{
	(void)arg;
	/* Prove we run on the CPU asked for, on our own stack. */
	checked_in[cpu] = smp_this_mpidr() | 1ULL << 63;
}

BOOT_TEST(selftest, psci)
{
	uint64_t mpidrs[SMP_MAX_CPUS + 8], boot = smp_this_mpidr();
	uint32_t version = psci_version();
	unsigned int cpu = 0;
	int n, i, ret, boot_seen = 0;

	/* secure=on without firmware: nobody to ask, nothing to start CPUs with */
	if (!version)
		bt_skip("no PSCI: the DT has no usable /psci node");
	bt_log("PSCI %u.%u", version >> 16, version & 0xffff);
	EXPECT_GE(version, 0x00000002);

	n = dt_cpus(mpidrs, sizeof(mpidrs) / sizeof(mpidrs[0]));
	ASSERT_GT(n, 0);
	for (i = 0; i < n; i++)
		boot_seen += mpidrs[i] == boot;
	EXPECT_EQ(boot_seen, 1);
	/* with one CPU the version and the /cpus check above are the whole test */
	if (n > SMP_MAX_CPUS)
		bt_log("%d CPUs; starting the first %d secondaries", n, SMP_MAX_CPUS - 1);

	for (i = 0; i < n && cpu < SMP_MAX_CPUS - 1; i++) {
		if (mpidrs[i] == boot)
			continue;
		cpu++;
		checked_in[cpu] = 0;
		dsb(ish);
		ret = smp_start(cpu, mpidrs[i], check_in, NULL);
		EXPECT_EQ(ret, 0);
		if (ret)
			continue;
		ret = smp_wait_done(cpu, CHECKIN_TIMEOUT_US);
		EXPECT_EQ(ret, 0);
		EXPECT_EQ(checked_in[cpu], mpidrs[i] | 1ULL << 63);
	}
	bt_log("%u secondary CPUs checked in", cpu);
}
