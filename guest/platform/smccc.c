/* SPDX-License-Identifier: MIT */
/* SMCCC 1.2 calls (smc #0 / hvc #0, x0-x17 both ways) and their conduits. */
#include "platform/smccc.h"

#include <errno.h>
#include <string.h>

#include "platform/dt.h"

static enum smccc_conduit std_conduit;

enum smccc_conduit smccc_conduit(void)
{
	return std_conduit;
}

void smccc_set_conduit(enum smccc_conduit conduit)
{
	std_conduit = conduit;
}

int smccc_conduit_of(int node, enum smccc_conduit *conduit)
{
	enum smccc_conduit c = smccc_conduit_parse(dt_string(node, "method"));

	if (c == SMCCC_CONDUIT_NONE)
		return -EINVAL;
	*conduit = c;
	return 0;
}

int smccc_tos_conduit(enum smccc_conduit *conduit)
{
	int node = dt_blob() ? dt_find_compatible(-1, "linaro,optee-tz") : -1;
	int ret;

	if (node < 0) {
		*conduit = std_conduit;
		return 0;
	}
	ret = smccc_conduit_of(node, conduit);
	return ret < 0 ? ret : 1;
}

/*
 * SMCCC 1.2 (DEN 0028 2.7): x0-x17 are arguments and results; the callee
 * preserves x19-x30 and the stack pointers, so @out's pointer survives the
 * call in whatever register the compiler picks outside the clobbers. x18,
 * the platform register, is listed too, so that no pointer relies on it.
 */
#define SMCCC_ASM(insn, in, out)                                                              \
	__asm__ volatile("ldp x0, x1, [%0, #0]\n\t"                                           \
			 "ldp x2, x3, [%0, #16]\n\t"                                          \
			 "ldp x4, x5, [%0, #32]\n\t"                                          \
			 "ldp x6, x7, [%0, #48]\n\t"                                          \
			 "ldp x8, x9, [%0, #64]\n\t"                                          \
			 "ldp x10, x11, [%0, #80]\n\t"                                        \
			 "ldp x12, x13, [%0, #96]\n\t"                                        \
			 "ldp x14, x15, [%0, #112]\n\t"                                       \
			 "ldp x16, x17, [%0, #128]\n\t" insn " #0\n\t"                        \
			 "stp x0, x1, [%1, #0]\n\t"                                           \
			 "stp x2, x3, [%1, #16]\n\t"                                          \
			 "stp x4, x5, [%1, #32]\n\t"                                          \
			 "stp x6, x7, [%1, #48]\n\t"                                          \
			 "stp x8, x9, [%1, #64]\n\t"                                          \
			 "stp x10, x11, [%1, #80]\n\t"                                        \
			 "stp x12, x13, [%1, #96]\n\t"                                        \
			 "stp x14, x15, [%1, #112]\n\t"                                       \
			 "stp x16, x17, [%1, #128]"                                           \
			 :                                                                    \
			 : "r"(in), "r"(out)                                                  \
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", \
			   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "memory")

_Static_assert(SMCCC_NR_REGS == 18, "the asm moves x0-x17");

int smccc_invoke(enum smccc_conduit conduit, const struct smccc_args *in, struct smccc_res *out)
{
	if (conduit == SMCCC_CONDUIT_HVC) {
		SMCCC_ASM("hvc", in->x, out->x);
	} else if (conduit == SMCCC_CONDUIT_SMC) {
		SMCCC_ASM("smc", in->x, out->x);
	} else {
		memset(out, 0, sizeof(*out));
		out->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		return -ENODEV;
	}
	return 0;
}

int smccc_call(enum smccc_conduit conduit, uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
	       struct smccc_res *out)
{
	struct smccc_args in = { { fn, a1, a2, a3 } };

	return smccc_invoke(conduit, &in, out);
}

/* w0 of a standard service call with one argument. */
static int std_call_w0(uint32_t fn, uint64_t a1, uint32_t *w0)
{
	struct smccc_res r;
	int ret = smccc_call(std_conduit, fn, a1, 0, 0, &r);

	*w0 = (uint32_t)r.x[0];
	return ret;
}

int smccc_version(struct smccc_version *v)
{
	struct smccc_version psci;
	uint32_t w0, flags;
	int ret;

	ret = std_call_w0(PSCI_VERSION, 0, &w0);
	if (ret < 0)
		return ret;
	if (smccc_version_decode(w0, &psci) == 0 && psci.major >= 1) {
		ret = std_call_w0(PSCI_FEATURES, SMCCC_VERSION, &w0);
		if (ret < 0)
			return ret;
		ret = psci_features_decode(SMCCC_VERSION, w0, &flags);
		if (ret == -ENOTSUP) {
			v->major = 1;
			v->minor = 0;
			return 0;
		}
		if (ret < 0)
			return ret;
		ret = std_call_w0(SMCCC_VERSION, 0, &w0);
		if (ret < 0)
			return ret;
		/* claimed by PSCI_FEATURES: NOT_SUPPORTED is no answer now */
		return smccc_version_decode(w0, v) == 0 ? 0 : -EPROTO;
	}
	ret = std_call_w0(SMCCC_VERSION, 0, &w0);
	if (ret < 0)
		return ret;
	return smccc_smccc_version_decode(w0, v);
}
