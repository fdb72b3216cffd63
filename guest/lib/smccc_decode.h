/* SPDX-License-Identifier: MIT */
/*
 * What the secure world's numbers mean: SMC Calling Convention (Arm DEN 0028),
 * PSCI (DEN 0022) and SMCCC TRNG (DEN 0098). Portable: unit-tested on the host.
 */
#ifndef LIB_SMCCC_DECODE_H
#define LIB_SMCCC_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SMCCC 1.2: x0-x17 carry the arguments in and the results out. */
#define SMCCC_NR_REGS 18

struct smccc_res {
	uint64_t x[SMCCC_NR_REGS];
};

/* The conduit: the instruction that reaches the firmware (DT "method"). */
enum smccc_conduit { SMCCC_CONDUIT_NONE, SMCCC_CONDUIT_HVC, SMCCC_CONDUIT_SMC };

/* "hvc" or "smc" (a DT method string) to its conduit; NONE for anything else. */
enum smccc_conduit smccc_conduit_parse(const char *method);
const char *smccc_conduit_name(enum smccc_conduit conduit);

/* --- Arm Architecture Calls (DEN 0028 7) ------------------------------------ */
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SMCCC_ARCH_SOC_ID	0x80000002U
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U

/* SMCCC return codes, signed 32-bit in w0. */
#define SMCCC_RET_SUCCESS	    0
#define SMCCC_RET_NOT_SUPPORTED	    (-1)
#define SMCCC_RET_NOT_REQUIRED	    (-2)
#define SMCCC_RET_INVALID_PARAMETER (-3)
/* ARCH_FEATURES of a workaround: this CPU does not need it. */
#define SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED 1
/* An unknown function ID answers w0 = 0xffffffff (-1), SMC32 and SMC64 alike. */
#define SMCCC_SMC_UNK 0xffffffffU

/* SMCCC_ARCH_SOC_ID's argument in w1. */
#define SMCCC_SOC_ID_VERSION  0
#define SMCCC_SOC_ID_REVISION 1

/*
 * The general queries every service range answers at function numbers
 * 0xff00..; these are the Trusted OS range's (owner 63).
 */
#define SMCCC_TOS_CALL_COUNT 0xbf00ff00U
#define SMCCC_TOS_CALL_UID   0xbf00ff01U
#define SMCCC_TOS_REVISION   0xbf00ff03U

/* OP-TEE's own fast call (optee_smc.h): major, minor, build id in w0-w2. */
#define OPTEE_SMC_GET_OS_REVISION 0xb2000001U

/* --- PSCI (DEN 0022): 0x84.. SMC32, 0xc4.. SMC64 ------------------------------ */
#define PSCI_VERSION			0x84000000U
#define PSCI_CPU_SUSPEND		0x84000001U
#define PSCI_CPU_SUSPEND_64		0xc4000001U
#define PSCI_CPU_OFF			0x84000002U
#define PSCI_CPU_ON			0x84000003U
#define PSCI_CPU_ON_64			0xc4000003U
#define PSCI_AFFINITY_INFO		0x84000004U
#define PSCI_AFFINITY_INFO_64		0xc4000004U
#define PSCI_MIGRATE			0x84000005U
#define PSCI_MIGRATE_64			0xc4000005U
#define PSCI_MIGRATE_INFO_TYPE		0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU	0x84000007U
#define PSCI_MIGRATE_INFO_UP_CPU_64	0xc4000007U
#define PSCI_SYSTEM_OFF			0x84000008U
#define PSCI_SYSTEM_RESET		0x84000009U
#define PSCI_FEATURES			0x8400000aU
#define PSCI_CPU_FREEZE			0x8400000bU
#define PSCI_CPU_DEFAULT_SUSPEND	0x8400000cU
#define PSCI_CPU_DEFAULT_SUSPEND_64	0xc400000cU
#define PSCI_NODE_HW_STATE		0x8400000dU
#define PSCI_NODE_HW_STATE_64		0xc400000dU
#define PSCI_SYSTEM_SUSPEND		0x8400000eU
#define PSCI_SYSTEM_SUSPEND_64		0xc400000eU
#define PSCI_SET_SUSPEND_MODE		0x8400000fU
#define PSCI_STAT_RESIDENCY		0x84000010U
#define PSCI_STAT_RESIDENCY_64		0xc4000010U
#define PSCI_STAT_COUNT			0x84000011U
#define PSCI_STAT_COUNT_64		0xc4000011U
#define PSCI_SYSTEM_RESET2		0x84000012U
#define PSCI_SYSTEM_RESET2_64		0xc4000012U
#define PSCI_MEM_PROTECT		0x84000013U
#define PSCI_MEM_PROTECT_CHECK_RANGE	0x84000014U
#define PSCI_MEM_PROTECT_CHECK_RANGE_64 0xc4000014U
#define PSCI_SYSTEM_OFF2		0x84000015U
#define PSCI_SYSTEM_OFF2_64		0xc4000015U

/* PSCI return codes (DEN 0022 5.2.2). */
#define PSCI_RET_SUCCESS	    0
#define PSCI_RET_NOT_SUPPORTED	    (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED		    (-3)
#define PSCI_RET_ALREADY_ON	    (-4)
#define PSCI_RET_ON_PENDING	    (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT	    (-7)
#define PSCI_RET_DISABLED	    (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

/* AFFINITY_INFO's answers. */
#define PSCI_AFFINITY_ON	 0
#define PSCI_AFFINITY_OFF	 1
#define PSCI_AFFINITY_ON_PENDING 2

/* PSCI_FEATURES(CPU_SUSPEND) flags; bits 31:2 are reserved, zero. */
#define PSCI_FEAT_SUSPEND_OS_INITIATED (1U << 0)
#define PSCI_FEAT_SUSPEND_EXT_STATE_ID (1U << 1)

/* --- SMCCC TRNG (DEN 0098) ------------------------------------------------------- */
#define TRNG_VERSION  0x84000050U
#define TRNG_FEATURES 0x84000051U
#define TRNG_GET_UUID 0x84000052U
#define TRNG_RND32    0x84000053U
#define TRNG_RND64    0xc4000053U

#define TRNG_RET_SUCCESS	    0
#define TRNG_RET_NOT_SUPPORTED	    (-1)
#define TRNG_RET_INVALID_PARAMETERS (-2)
#define TRNG_RET_NO_ENTROPY	    (-3)
/* TRNG_RND64 returns up to 192 bits in x1:x2:x3. */
#define TRNG_RND64_MAX_BITS 192

/* --- Decoding ---------------------------------------------------------------------- */

/* w0 as the signed 32-bit value SMCCC return codes are. */
int32_t smccc_w0(const struct smccc_res *res);
/* The callee did not know the function: w0 is SMC_UNK. */
bool smccc_is_unknown(const struct smccc_res *res);

struct smccc_version {
	uint32_t major, minor;
};

/*
 * A version word as SMCCC_VERSION, PSCI_VERSION and TRNG_VERSION answer it:
 * bit 31 zero, major in bits 30:16, minor in 15:0. 0 and *v filled;
 * -ENOTSUP for NOT_SUPPORTED; -EPROTO for any other negative value.
 */
int smccc_version_decode(uint32_t w0, struct smccc_version *v);
/* As above for SMCCC_VERSION itself: NOT_SUPPORTED means SMCCC 1.0. */
int smccc_smccc_version_decode(uint32_t w0, struct smccc_version *v);

/*
 * SMCCC_ARCH_FEATURES(@fn)'s answer @w0 in words, or NULL when DEN 0028
 * allows no such answer for @fn.
 */
const char *smccc_arch_feature_text(uint32_t fn, uint32_t w0);

/* SMCCC_ARCH_SOC_ID(version): JEP-106 bank and identity code, SoC ID. */
struct smccc_soc_id {
	uint32_t jep106_bank, jep106_id, soc_id;
};
/* 0, or -ENOTSUP / -EPROTO as smccc_version_decode. */
int smccc_soc_id_decode(uint32_t w0, struct smccc_soc_id *id);

/* A UID as SMCCC returns it in w0-w3: byte 0 of the UUID in w0 bits 7:0. */
struct smccc_uid {
	uint32_t w[4];
};
/* w0-w3 of @res; false when the callee answered SMC_UNK. */
bool smccc_uid_from_res(const struct smccc_res *res, struct smccc_uid *uid);
/* The UUID's 16 bytes, in SMCCC's order. */
void smccc_uid_bytes(const struct smccc_uid *uid, uint8_t bytes[16]);
/* RFC 4122 text ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx") of those bytes. */
#define SMCCC_UID_TEXT_SIZE 37
void smccc_uid_format(const struct smccc_uid *uid, char out[SMCCC_UID_TEXT_SIZE]);

/*
 * A Trusted OS known by its Call UID, that UID as its vendor writes it, and
 * its own OS revision call (major, minor, build id in w0-w2), 0 for none.
 */
struct smccc_tos_info {
	const char *name;
	struct smccc_uid uid;
	const char *uid_text;
	uint32_t os_revision_fn;
};
/* The Trusted OS answering @uid, or NULL when it is none this runner knows. */
const struct smccc_tos_info *smccc_tos_lookup(const struct smccc_uid *uid);

/*
 * A revision answered in w0 (major) and w1 (minor), as the Revision query
 * and OP-TEE's GET_OS_REVISION do: 0, or -ENOTSUP for SMC_UNK.
 */
int smccc_revision_decode(const struct smccc_res *res, struct smccc_version *v);

/* DEN 0022's name of a PSCI return code ("ALREADY_ON"), "unknown" for others. */
const char *psci_ret_name(int32_t ret);

/* One PSCI function: its ID, name, the PSCI version that added it, and
 * whether PSCI 1.0 and later make it mandatory. */
struct psci_fn_info {
	uint32_t id;
	const char *name;
	uint32_t since; /* PSCI_VERSION word: major << 16 | minor */
	bool mandatory;
};
/* Every function DEN 0022 defines (1.3), in ID order; *n is the count. */
const struct psci_fn_info *psci_functions(size_t *n);
/* The name of PSCI function @id, or NULL. */
const char *psci_fn_name(uint32_t id);

/*
 * PSCI_FEATURES(@fn)'s answer @w0: 0 with *flags when implemented,
 * -ENOTSUP when not, -EPROTO for a value DEN 0022 does not allow for @fn
 * (another negative code, or flags where only 0 is defined).
 */
int psci_features_decode(uint32_t fn, uint32_t w0, uint32_t *flags);
/* AFFINITY_INFO's answer in words ("ON", "OFF", "ON_PENDING"), else the error's name. */
const char *psci_affinity_name(int32_t ret);

/* DEN 0098's name of a TRNG return code, "unknown" for others. */
const char *trng_ret_name(int32_t ret);
/*
 * TRNG_RND64's result for a request of @bits bits: 0 and out[0..2] = x1..x3
 * (the entropy right-aligned in x1:x2:x3); -EAGAIN for NO_ENTROPY, -EINVAL
 * for INVALID_PARAMETERS, -ENOTSUP for NOT_SUPPORTED, -EPROTO for another
 * code or a bit set above the @bits asked for.
 */
int trng_rnd64_decode(const struct smccc_res *res, unsigned int bits, uint64_t out[3]);

#endif /* LIB_SMCCC_DECODE_H */
