/* SPDX-License-Identifier: MIT */
/*
 * secure.psci_*: PSCI conformance where it is safe to ask: what
 * PSCI_FEATURES claims, CPU_ON of a CPU that is on, AFFINITY_INFO of every
 * CPU, and CPU_OFF/CPU_ON cycles of a secondary.
 */
#include <errno.h>

#include "arch/aarch64/io.h"
#include "platform/smccc.h"
#include "platform/smp.h"
#include "runner/boottest.h"
#include "tests/secure.h"

/* Reserved for future PSCI functions in PSCI 1.3. */
#define PSCI_RESERVED_FN 0x8400001fU
#define POWER_TIMEOUT_US 2000000 /* per CPU; TCG is slow to start a vCPU */
#define OFF_ON_CYCLES	 3

static int32_t psci3(enum smccc_conduit c, uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smccc_res r;

	ASSERT_EQ(smccc_call(c, fn, a1, a2, a3, &r), 0);
	return smccc_w0(&r);
}

/* PSCI 1.0 or later (PSCI_FEATURES), else a skip. */
static void need_psci_1_0(enum smccc_conduit c, struct smccc_version *v)
{
	ASSERT_EQ(smccc_version_decode(secure_call_w0(c, PSCI_VERSION, 0), v), 0);
	if (v->major < 1)
		bt_skip("PSCI %u.%u: PSCI_FEATURES arrived with 1.0", v->major, v->minor);
}

BOOT_TEST(secure, psci_features)
{
	enum smccc_conduit c = secure_need_conduit();
	const struct psci_fn_info *fns;
	struct smccc_version v;
	uint32_t flags, version;
	size_t n, claimed = 0;
	int32_t type;

	need_psci_1_0(c, &v);
	version = v.major << 16 | v.minor;
	fns = psci_functions(&n);
	for (size_t i = 0; i < n; i++) {
		uint32_t w0 = secure_call_w0(c, PSCI_FEATURES, fns[i].id);
		int ret = psci_features_decode(fns[i].id, w0, &flags);

		if (ret == -EPROTO)
			bt_fail(__FILE__, __LINE__,
				"PSCI_FEATURES(%s) = 0x%x: not an answer PSCI allows", fns[i].name,
				(unsigned int)w0);
		if (ret == 0) {
			claimed++;
			bt_log("%s: implemented, flags 0x%x%s", fns[i].name, (unsigned int)flags,
			       fns[i].since > version ? " (newer than the PSCI version)" : "");
		}
		if (fns[i].mandatory && ret != 0)
			bt_fail(__FILE__, __LINE__, "PSCI %u.%u: mandatory %s not implemented (%d)",
				v.major, v.minor, fns[i].name, (int)(int32_t)w0);
	}
	bt_log("PSCI %u.%u: %zu of %zu functions implemented", v.major, v.minor, claimed, n);
	EXPECT_EQ(psci3(c, PSCI_FEATURES, PSCI_RESERVED_FN, 0, 0), PSCI_RET_NOT_SUPPORTED);

	/* The implemented functions that are safe to call answer as claimed. */
	EXPECT_EQ((uint32_t)psci3(c, PSCI_VERSION, 0, 0, 0), version);
	if (psci_features_decode(PSCI_MIGRATE_INFO_TYPE,
				 secure_call_w0(c, PSCI_FEATURES, PSCI_MIGRATE_INFO_TYPE),
				 &flags) < 0)
		return;
	/* 0, 1: a uniprocessor Trusted OS that does (not) migrate; 2: none or MP */
	type = psci3(c, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	bt_log("MIGRATE_INFO_TYPE = %d", (int)type);
	EXPECT_TRUE(type >= 0 && type <= 2);
}

BOOT_TEST(secure, psci_cpu_on_already_on)
{
	enum smccc_conduit c = secure_need_conduit();
	uint64_t boot = smp_this_mpidr();
	int32_t r = psci3(c, PSCI_CPU_ON_64, boot, smp_entry_point(), 0);

	bt_log("CPU_ON of this CPU (0x%llx): %s", (unsigned long long)boot, psci_ret_name(r));
	EXPECT_EQ(r, PSCI_RET_ALREADY_ON);
}

/* AFFINITY_INFO(@mpidr, level 0), waiting up to @timeout_us for @want. */
static int32_t affinity_wait(enum smccc_conduit c, uint64_t mpidr, int32_t want,
			     uint64_t timeout_us)
{
	uint64_t start = timer_now_us();
	int32_t r;

	do
		r = psci3(c, PSCI_AFFINITY_INFO_64, mpidr, 0, 0);
	while (r != want && timer_now_us() - start < timeout_us);
	return r;
}

/* An MPIDR no CPU in @mpidrs has (Aff2 0xfe and up: no QEMU or TF-A layout uses it). */
static uint64_t absent_mpidr(const uint64_t *mpidrs, int n)
{
	uint64_t m = 0xfe0000;

	for (int i = 0; i < n; i++)
		if (mpidrs[i] == m) {
			m += 0x10000;
			i = -1;
		}
	return m;
}

BOOT_TEST(secure, psci_affinity_info)
{
	enum smccc_conduit c = secure_need_conduit();
	uint64_t mpidrs[SMP_MAX_CPUS + 8], boot = smp_this_mpidr(), nobody;
	int n = dt_cpus(mpidrs, sizeof(mpidrs) / sizeof(mpidrs[0]));
	int32_t r;

	ASSERT_GT(n, 0);
	for (int i = 0; i < n; i++) {
		bool self = mpidrs[i] == boot;

		/* an earlier test's secondary may still be on its way down */
		r = affinity_wait(c, mpidrs[i], self ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF,
				  self ? 0 : POWER_TIMEOUT_US);
		bt_log("AFFINITY_INFO(0x%llx)%s: %s", (unsigned long long)mpidrs[i],
		       self ? " (this CPU)" : "", psci_affinity_name(r));
		EXPECT_EQ(r, self ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF);
	}
	nobody = absent_mpidr(mpidrs, n);
	r = psci3(c, PSCI_AFFINITY_INFO_64, nobody, 0, 0);
	bt_log("AFFINITY_INFO(0x%llx), no such CPU: %s", (unsigned long long)nobody,
	       psci_affinity_name(r));
	EXPECT_EQ(r, PSCI_RET_INVALID_PARAMETERS);
}

enum { HOLD_IDLE, HOLD_RUNNING, HOLD_RELEASED };
static volatile uint32_t hold_state;
static volatile uint64_t hold_mpidr;

/* On the secondary: say where it runs, then wait (bounded) to be released. */
static void hold(unsigned int cpu, void *arg)
{
	uint64_t start = timer_now_us();

	(void)cpu;
	(void)arg;
	hold_mpidr = smp_this_mpidr();
	dsb(ish);
	hold_state = HOLD_RUNNING;
	while (hold_state != HOLD_RELEASED && timer_now_us() - start < 2 * POWER_TIMEOUT_US)
		__asm__ volatile("yield");
}

static bool wait_running(void)
{
	uint64_t start = timer_now_us();

	while (hold_state != HOLD_RUNNING)
		if (timer_now_us() - start > POWER_TIMEOUT_US)
			return false;
	dmb(ish);
	return true;
}

/* One cycle: CPU_ON, it runs and is ON, a second CPU_ON is refused, CPU_OFF. */
static void off_on_cycle(enum smccc_conduit c, uint64_t mpidr)
{
	bool running;

	hold_state = HOLD_IDLE;
	hold_mpidr = 0;
	dsb(ish);
	ASSERT_EQ(smp_start(1, mpidr, hold, NULL), 0);
	running = wait_running();
	EXPECT_TRUE(running);
	EXPECT_EQ(hold_mpidr, mpidr);
	EXPECT_EQ(psci3(c, PSCI_AFFINITY_INFO_64, mpidr, 0, 0), PSCI_AFFINITY_ON);
	EXPECT_EQ(psci3(c, PSCI_CPU_ON_64, mpidr, smp_entry_point(), 1), PSCI_RET_ALREADY_ON);
	hold_state = HOLD_RELEASED;
	dsb(ish);
	ASSERT_EQ(smp_wait_done(1, 2 * POWER_TIMEOUT_US), 0);
	/* smp_wait_done returns before the secondary's own CPU_OFF */
	EXPECT_EQ(affinity_wait(c, mpidr, PSCI_AFFINITY_OFF, POWER_TIMEOUT_US), PSCI_AFFINITY_OFF);
}

BOOT_TEST(secure, psci_cpu_off_on)
{
	enum smccc_conduit c = secure_need_conduit();
	uint64_t mpidrs[SMP_MAX_CPUS + 8], boot = smp_this_mpidr(), second = 0;
	int n = dt_cpus(mpidrs, sizeof(mpidrs) / sizeof(mpidrs[0]));
	bool found = false;

	ASSERT_GT(n, 0);
	for (int i = 0; i < n && !found; i++)
		if (mpidrs[i] != boot) {
			second = mpidrs[i];
			found = true;
		}
	if (!found)
		bt_skip("one CPU: no secondary for CPU_OFF/CPU_ON cycles");
	/* it may still be going down after an earlier test */
	ASSERT_EQ(affinity_wait(c, second, PSCI_AFFINITY_OFF, POWER_TIMEOUT_US), PSCI_AFFINITY_OFF);
	for (int i = 0; i < OFF_ON_CYCLES; i++)
		off_on_cycle(c, second);
	bt_log("%d CPU_ON/CPU_OFF cycles of CPU 0x%llx", OFF_ON_CYCLES, (unsigned long long)second);
}
