/* SPDX-License-Identifier: MIT */
/*
 * Secure-monitor test double: answers SMCs the way TF-A with OP-TEE as
 * BL32 documents them (PSCI 1.1 for one CPU, SMCCC 1.2, the TRNG, OP-TEE's
 * UID and revisions), so the secure suite's positive paths run in QEMU
 * without either. Not a firmware: no secure world, no second CPU.
 */
#include <stdint.h>

#include "lib/smccc_decode.h"

/* Written by QEMU's generic loader before the CPU starts (monitor.ld). */
#define MAILBOX	      ((volatile const uint64_t *)0x401ff000)
#define MAILBOX_ENTRY 0
#define MAILBOX_FLAGS 1
#define FLAG_NO_TOS   (1U << 0) /* the Trusted OS calls answer SMC_UNK */
#define FLAG_CLOBBER  (1U << 1) /* x9 comes back zero, against SMCCC 1.1 */

#define ESR_EC_SMC64 0x17
#define MPIDR_AFF    0xff00ffffffULL

/* semihosting SYS_EXIT, ADP_Stopped_ApplicationExit: QEMU exits with @code */
#define SEMIHOSTING_SYS_EXIT 0x18
#define ADP_STOPPED_APP_EXIT 0x20026

void monitor_exit(uint64_t code) __attribute__((noreturn));
uint64_t monitor_init(void);
void monitor_trap(uint64_t *x);

static uint64_t flags, rng_state;

void monitor_exit(uint64_t code)
{
	volatile uint64_t block[2] = { ADP_STOPPED_APP_EXIT, code };
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}

uint64_t monitor_init(void)
{
	uint64_t entry = MAILBOX[MAILBOX_ENTRY];

	if (!entry)
		monitor_exit(4);
	flags = MAILBOX[MAILBOX_FLAGS];
	__asm__ volatile("mrs %0, cntpct_el0" : "=r"(rng_state));
	rng_state |= 1;
	return entry;
}

static uint64_t self_mpidr(void)
{
	uint64_t m;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(m));
	return m & MPIDR_AFF;
}

/* xorshift64*: distinct 64-bit words, enough for a double of a TRNG */
static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void ret1(uint64_t *x, int64_t r0)
{
	x[0] = (uint64_t)r0;
	x[1] = x[2] = x[3] = 0;
}

static void ret4(uint64_t *x, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3)
{
	x[0] = r0;
	x[1] = r1;
	x[2] = r2;
	x[3] = r3;
}

/* PSCI_FEATURES: what TF-A claims for one CPU, CPU_SUSPEND with the extended StateID */
static int32_t psci_features(uint32_t fn)
{
	switch (fn) {
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_64:
		return PSCI_FEAT_SUSPEND_EXT_STATE_ID;
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return PSCI_RET_SUCCESS;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

static void psci(uint32_t fn, uint64_t *x)
{
	bool self = (x[1] & MPIDR_AFF) == self_mpidr();

	switch (fn) {
	case PSCI_VERSION:
		ret1(x, 0x10001);
		break;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_64:
		ret1(x, PSCI_RET_SUCCESS); /* a standby that wakes at once */
		break;
	case PSCI_CPU_OFF:
		ret1(x, PSCI_RET_DENIED); /* the only CPU */
		break;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		ret1(x, self ? PSCI_RET_ALREADY_ON : PSCI_RET_INVALID_PARAMETERS);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
		ret1(x, self && x[2] == 0 ? PSCI_AFFINITY_ON : PSCI_RET_INVALID_PARAMETERS);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret1(x, 2); /* no Trusted OS that needs migrating */
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		monitor_exit(0);
	case PSCI_FEATURES:
		ret1(x, psci_features((uint32_t)x[1]));
		break;
	default:
		ret1(x, PSCI_RET_NOT_SUPPORTED);
	}
}

static void arch(uint32_t fn, uint64_t *x)
{
	switch (fn) {
	case SMCCC_VERSION:
		ret1(x, 0x10002);
		break;
	case SMCCC_ARCH_FEATURES:
		switch ((uint32_t)x[1]) {
		case SMCCC_VERSION:
		case SMCCC_ARCH_FEATURES:
		case SMCCC_ARCH_SOC_ID:
			ret1(x, SMCCC_RET_SUCCESS);
			break;
		case SMCCC_ARCH_WORKAROUND_1:
			ret1(x, SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED);
			break;
		case SMCCC_ARCH_WORKAROUND_2:
			ret1(x, SMCCC_RET_NOT_REQUIRED);
			break;
		default:
			ret1(x, SMCCC_RET_NOT_SUPPORTED);
		}
		break;
	case SMCCC_ARCH_SOC_ID:
		/* Arm Ltd: JEP-106 bank 5 (index 4), code 0x3b; SoC 0x0001, revision 2 */
		if (x[1] == SMCCC_SOC_ID_VERSION)
			ret1(x, 0x043b0001);
		else if (x[1] == SMCCC_SOC_ID_REVISION)
			ret1(x, 2);
		else
			ret1(x, SMCCC_RET_INVALID_PARAMETER);
		break;
	default:
		ret1(x, (int32_t)SMCCC_SMC_UNK);
	}
}

static void trng(uint32_t fn, uint64_t *x)
{
	uint64_t mask, bits = (uint32_t)x[1];

	switch (fn) {
	case TRNG_VERSION:
		ret1(x, 0x10000);
		break;
	case TRNG_FEATURES:
		switch ((uint32_t)x[1]) {
		case TRNG_VERSION:
		case TRNG_FEATURES:
		case TRNG_GET_UUID:
		case TRNG_RND64:
			ret1(x, TRNG_RET_SUCCESS);
			break;
		default:
			ret1(x, TRNG_RET_NOT_SUPPORTED);
		}
		break;
	case TRNG_GET_UUID:
		/* this double's own UUID, 6e2f1a0c-54b3-4d7e-9a41-0c5f2d8e7b13 */
		ret4(x, 0x0c1a2f6e, 0x7e4db354, 0x5f0c419a, 0x137b8e2d);
		break;
	case TRNG_RND64:
		if (bits == 0 || bits > TRNG_RND64_MAX_BITS) {
			ret1(x, TRNG_RET_INVALID_PARAMETERS);
			break;
		}
		/* right-aligned in x1:x2:x3, nothing above the bits asked for */
		mask = bits % 64 ? (1ULL << (bits % 64)) - 1 : ~0ULL;
		ret4(x, TRNG_RET_SUCCESS, bits > 128 ? rng_next() & mask : 0,
		     bits > 128	 ? rng_next()
		     : bits > 64 ? rng_next() & mask
				 : 0,
		     bits > 64 ? rng_next() : rng_next() & mask);
		break;
	default:
		ret1(x, TRNG_RET_NOT_SUPPORTED);
	}
}

/* OP-TEE as BL32: its UID, API revision 2.0 and OS revision 4.5 */
static void trusted_os(uint32_t fn, uint64_t *x)
{
	if (flags & FLAG_NO_TOS) {
		ret1(x, (int32_t)SMCCC_SMC_UNK);
		return;
	}
	switch (fn) {
	case SMCCC_TOS_CALL_UID:
		ret4(x, 0x384fb3e0, 0xe7f811e3, 0xaf630002, 0xa5d5c51b);
		break;
	case SMCCC_TOS_REVISION:
		ret4(x, 2, 0, 0, 0);
		break;
	case OPTEE_SMC_GET_OS_REVISION:
		ret4(x, 4, 5, 0x1234abcd, 0);
		break;
	default:
		ret1(x, (int32_t)SMCCC_SMC_UNK);
	}
}

void monitor_trap(uint64_t *x)
{
	uint64_t esr;
	uint32_t fn = (uint32_t)x[0];

	__asm__ volatile("mrs %0, esr_el3" : "=r"(esr));
	if ((esr >> 26) != ESR_EC_SMC64)
		monitor_exit(3);
	if ((fn & 0xbfffffe0U) == 0x84000000U)
		psci(fn, x);
	else if ((fn & 0xbfffffe0U) == 0x84000040U)
		trng(fn, x);
	else if ((fn & 0xbfff0000U) == 0x80000000U)
		arch(fn, x);
	else if ((fn >> 24) >= 0xb2 && (fn >> 24) <= 0xbf)
		trusted_os(fn, x);
	else
		ret1(x, (int32_t)SMCCC_SMC_UNK);
	if (flags & FLAG_CLOBBER)
		x[9] = 0;
}
