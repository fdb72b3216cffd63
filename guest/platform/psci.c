/* SPDX-License-Identifier: MIT */
/*
 * PSCI (ARM DEN 0022) through the conduit the DT's /psci node names: "hvc" on
 * plain `virt`, "smc" with virtualization=on or under TF-A. Only PSCI 0.2+
 * function IDs. With secure=on and no firmware there is no /psci node: no
 * conduit, every call answers NOT_SUPPORTED without trapping.
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "platform/internal.h"
#include "platform/platform.h"

#define PSCI_VERSION       0x84000000U
#define PSCI_CPU_OFF       0x84000002U
#define PSCI_CPU_ON_64     0xc4000003U
#define PSCI_SYSTEM_OFF    0x84000008U

/* PSCI return codes (DEN 0022 5.2.2). */
#define PSCI_SUCCESS        0
#define PSCI_NOT_SUPPORTED  -1
#define PSCI_INVALID_PARAMS -2
#define PSCI_DENIED         -3
#define PSCI_ALREADY_ON     -4
#define PSCI_ON_PENDING     -5
#define PSCI_INTERNAL       -6
#define PSCI_NOT_PRESENT    -7
#define PSCI_DISABLED       -8
#define PSCI_INVALID_ADDR   -9

enum conduit { CONDUIT_NONE, CONDUIT_HVC, CONDUIT_SMC };

static enum conduit conduit;

static int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.0 lets the callee clobber x4-x17. */
	if (conduit == CONDUIT_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				   "x13", "x14", "x15", "x16", "x17", "memory");
	else if (conduit == CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				   "x13", "x14", "x15", "x16", "x17", "memory");
	else
		return PSCI_NOT_SUPPORTED;
	return (int64_t)x0;
}

int psci_init(void)
{
	const void *fdt = dt_blob();
	const char *method;
	int node;

	if (!fdt)
		return -ENODEV;
	node = dt_path_offset("/psci");
	if (node < 0)
		return -ENODEV;
	/* PSCI 0.1 ("arm,psci" alone) has firmware-specific IDs and no SYSTEM_OFF. */
	if (fdt_node_check_compatible(fdt, node, "arm,psci-0.2") != 0 &&
	    fdt_node_check_compatible(fdt, node, "arm,psci-1.0") != 0)
		return -ENOTSUP;
	method = dt_string(node, "method");
	if (!method)
		return -EINVAL;
	if (strcmp(method, "hvc") == 0)
		conduit = CONDUIT_HVC;
	else if (strcmp(method, "smc") == 0)
		conduit = CONDUIT_SMC;
	else
		return -EINVAL;
	return 0;
}

uint32_t psci_version(void)
{
	int64_t v = psci_call(PSCI_VERSION, 0, 0, 0);

	return v < 0 ? 0 : (uint32_t)v;
}

int psci_cpu_on(uint64_t target_mpidr, uintptr_t entry, uint64_t context_id)
{
	int64_t r = psci_call(PSCI_CPU_ON_64, target_mpidr, entry, context_id);

	switch (r) {
	case PSCI_SUCCESS:
		return 0;
	case PSCI_ALREADY_ON:
	case PSCI_ON_PENDING:
		return -EALREADY;
	case PSCI_INVALID_PARAMS:
	case PSCI_INVALID_ADDR:
		return -EINVAL;
	case PSCI_NOT_SUPPORTED:
		return -ENOTSUP;
	case PSCI_DENIED:
		return -EPERM;
	default:
		return -EIO;
	}
}

int psci_cpu_off(void)
{
	int64_t r = psci_call(PSCI_CPU_OFF, 0, 0, 0);

	return r == PSCI_DENIED ? -EPERM : -EIO;
}

void psci_system_off(void)
{
	static const char no_off[] = "# power off: no PSCI, gpio-poweroff or semihosting; "
				     "halting\n";

	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	poweroff_without_psci();
	/* Nothing worked: park; the host's timeout ends the run. */
	uart_write(no_off, sizeof(no_off) - 1);
	for (;;)
		__asm__ volatile("msr daifset, #0xf\n\twfi" ::: "memory");
}
