/* SPDX-License-Identifier: MIT */
/*
 * SMCCC 1.2 calls for boot tests: x0-x17 in and out through the conduit the
 * DT names. Function IDs, return codes and decoders: lib/smccc_decode.h.
 */
#ifndef PLATFORM_SMCCC_H
#define PLATFORM_SMCCC_H

#include <stdint.h>

#include "lib/smccc_decode.h"

/* x0 = function ID, x1..x17 its arguments. */
struct smccc_args {
	uint64_t x[SMCCC_NR_REGS];
};

/*
 * The conduit of the standard services (PSCI, SMCCC, TRNG): /psci's
 * method, as psci_init() found it; NONE without a usable /psci (EL3).
 */
enum smccc_conduit smccc_conduit(void);
/* For psci_init(): the conduit /psci names. */
void smccc_set_conduit(enum smccc_conduit conduit);
/* The conduit a DT node's "method" names: 0, or -EINVAL (absent or unknown). */
int smccc_conduit_of(int node, enum smccc_conduit *conduit);

/*
 * The conduit of Trusted OS calls: the method of the DT's OP-TEE node
 * (/firmware/optee, "linaro,optee-tz") when there is one, else the standard
 * conduit. Returns 1 when the DT names a Trusted OS, 0 when it does not,
 * -EINVAL when its node has no usable method.
 */
int smccc_tos_conduit(enum smccc_conduit *conduit);

/*
 * One call: @in's x0-x17 go in, all of x0-x17 come back in @out. Returns 0,
 * or -ENODEV for SMCCC_CONDUIT_NONE (then out->x[0] is NOT_SUPPORTED).
 */
int smccc_invoke(enum smccc_conduit conduit, const struct smccc_args *in, struct smccc_res *out);
/* The same with three arguments (x4-x17 zero). */
int smccc_call(enum smccc_conduit conduit, uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3,
	       struct smccc_res *out);

/*
 * The SMCCC version, found as DEN 0028 says: with PSCI 1.0 or later,
 * PSCI_FEATURES(SMCCC_VERSION) says whether SMCCC_VERSION exists; without
 * it the answer is 1.0. 0, -ENODEV (no conduit), -EPROTO (an answer the
 * spec does not allow).
 */
int smccc_version(struct smccc_version *v);

#endif
