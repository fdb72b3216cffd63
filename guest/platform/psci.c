/* SPDX-License-Identifier: MIT */
/*
 * PSCI (ARM DEN 0022) through the conduit the DT's /psci node names: "hvc" on
 * plain `virt`, "smc" with virtualization=on or under TF-A. Only PSCI 0.2+
 * function IDs. With secure=on and no firmware there is no /psci node: no
 * conduit, every call answers NOT_SUPPORTED without trapping.
 */
#include <errno.h>
#include <libfdt.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "platform/smccc.h"

/* A PSCI call: return codes are 32-bit, SMC64 calls' too (DEN 0022 5.2.2). */
static int64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smccc_res res;

	if (smccc_call(smccc_conduit(), fn, a1, a2, a3, &res) < 0)
		return PSCI_RET_NOT_SUPPORTED; /* no conduit */
	return smccc_w0(&res);
}

int psci_init(void)
{
	const void *fdt = dt_blob();
	enum smccc_conduit conduit;
	int node, ret;

	if (!fdt)
		return -ENODEV;
	node = dt_path_offset("/psci");
	if (node < 0)
		return -ENODEV;
	/* PSCI 0.1 ("arm,psci" alone) has firmware-specific IDs and no SYSTEM_OFF. */
	if (dt_check_compatible(node, "arm,psci-0.2") != 0 &&
	    dt_check_compatible(node, "arm,psci-1.0") != 0)
		return -ENOTSUP;
	ret = smccc_conduit_of(node, &conduit);
	if (ret < 0)
		return ret;
	smccc_set_conduit(conduit);
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
	case PSCI_RET_SUCCESS:
		return 0;
	case PSCI_RET_ALREADY_ON:
	case PSCI_RET_ON_PENDING:
		return -EALREADY;
	case PSCI_RET_INVALID_PARAMETERS:
	case PSCI_RET_INVALID_ADDRESS:
		return -EINVAL;
	case PSCI_RET_NOT_SUPPORTED:
		return -ENOTSUP;
	case PSCI_RET_DENIED:
		return -EPERM;
	default:
		return -EIO;
	}
}

int psci_cpu_off(void)
{
	int64_t r = psci_call(PSCI_CPU_OFF, 0, 0, 0);

	return r == PSCI_RET_DENIED ? -EPERM : -EIO;
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

void psci_system_reset(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	psci_system_off();
}
