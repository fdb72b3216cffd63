/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/*
 * Decoding of SMCCC, PSCI and SMCCC TRNG answers. No hardware access: the
 * guest's secure suite and the host unit tests share this file.
 */
#include <errno.h>
#include <string.h>

#include "lib/smccc_decode.h"

#define VERSION_MAJOR(w) (((w) >> 16) & 0x7fffU)
#define VERSION_MINOR(w) ((w)&0xffffU)
#define V(major, minor)	 ((uint32_t)(major) << 16 | (minor))

enum smccc_conduit smccc_conduit_parse(const char *method)
{
	if (method && strcmp(method, "hvc") == 0)
		return SMCCC_CONDUIT_HVC;
	if (method && strcmp(method, "smc") == 0)
		return SMCCC_CONDUIT_SMC;
	return SMCCC_CONDUIT_NONE;
}

const char *smccc_conduit_name(enum smccc_conduit conduit)
{
	switch (conduit) {
	case SMCCC_CONDUIT_HVC:
		return "hvc";
	case SMCCC_CONDUIT_SMC:
		return "smc";
	default:
		return "none";
	}
}

int32_t smccc_w0(const struct smccc_res *res)
{
	return (int32_t)(uint32_t)res->x[0];
}

/* SMC32 results leave x0's upper half unspecified: SMC_UNK is judged on w0. */
bool smccc_is_unknown(const struct smccc_res *res)
{
	return (uint32_t)res->x[0] == SMCCC_SMC_UNK;
}

int smccc_version_decode(uint32_t w0, struct smccc_version *v)
{
	if ((int32_t)w0 == SMCCC_RET_NOT_SUPPORTED)
		return -ENOTSUP;
	if (w0 & 0x80000000U)
		return -EPROTO;
	v->major = VERSION_MAJOR(w0);
	v->minor = VERSION_MINOR(w0);
	return 0;
}

/* DEN 0028: a caller that gets NOT_SUPPORTED from SMCCC_VERSION assumes 1.0. */
int smccc_smccc_version_decode(uint32_t w0, struct smccc_version *v)
{
	int ret = smccc_version_decode(w0, v);

	if (ret == -ENOTSUP) {
		v->major = 1;
		v->minor = 0;
		return 0;
	}
	return ret;
}

/*
 * The workarounds answer 0 (call it: this CPU needs it), 1 (this CPU does
 * not), NOT_SUPPORTED; WORKAROUND_2 also NOT_REQUIRED (no CPU needs a call,
 * the mitigation is permanent or absent by design). Any other function:
 * implemented (>= 0, its flags) or NOT_SUPPORTED.
 */
const char *smccc_arch_feature_text(uint32_t fn, uint32_t w0)
{
	int32_t r = (int32_t)w0;

	if (r == SMCCC_RET_NOT_SUPPORTED)
		return "not implemented";
	switch (fn) {
	case SMCCC_ARCH_WORKAROUND_2:
		if (r == SMCCC_RET_NOT_REQUIRED)
			return "not required";
		/* fall through */
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_3:
		if (r == SMCCC_RET_SUCCESS)
			return "implemented, needed on this CPU";
		if (r == SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED)
			return "implemented, not needed on this CPU";
		return NULL;
	default:
		return r >= 0 ? "implemented" : NULL;
	}
}

int smccc_soc_id_decode(uint32_t w0, struct smccc_soc_id *id)
{
	if ((int32_t)w0 == SMCCC_RET_NOT_SUPPORTED)
		return -ENOTSUP;
	if (w0 & 0x80000000U)
		return -EPROTO;
	id->jep106_bank = (w0 >> 24) & 0x7fU;
	id->jep106_id = (w0 >> 16) & 0xffU;
	id->soc_id = w0 & 0xffffU;
	return 0;
}

bool smccc_uid_from_res(const struct smccc_res *res, struct smccc_uid *uid)
{
	if (smccc_is_unknown(res))
		return false;
	for (int i = 0; i < 4; i++)
		uid->w[i] = (uint32_t)res->x[i];
	return true;
}

void smccc_uid_bytes(const struct smccc_uid *uid, uint8_t bytes[16])
{
	for (int i = 0; i < 16; i++)
		bytes[i] = (uint8_t)(uid->w[i / 4] >> (8 * (i % 4)));
}

void smccc_uid_format(const struct smccc_uid *uid, char out[SMCCC_UID_TEXT_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	char *p = out;

	smccc_uid_bytes(uid, b);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 0xf];
	}
	*p = '\0';
}

/*
 * OP-TEE's UIDs predate SMCCC's byte order: its optee_msg.h writes them as
 * the four words, most significant byte first (w0 = 0x384fb3e0 is the
 * "384fb3e0" that starts 384fb3e0-e7f8-11e3-af63-0002a5d5c51b).
 */
static const struct smccc_tos_info known_tos[] = {
	{ "OP-TEE",
	  { { 0x384fb3e0, 0xe7f811e3, 0xaf630002, 0xa5d5c51b } },
	  "384fb3e0-e7f8-11e3-af63-0002a5d5c51b",
	  OPTEE_SMC_GET_OS_REVISION },
	/* OP-TEE not yet loaded: TF-A's image-loading service answers for it. */
	{ "TF-A OP-TEE image loader",
	  { { 0xa3fbeab1, 0x1246315d, 0xc7c406b9, 0xc03cbea4 } },
	  "a3fbeab1-1246-315d-c7c4-06b9c03cbea4",
	  0 },
};

const struct smccc_tos_info *smccc_tos_lookup(const struct smccc_uid *uid)
{
	for (size_t i = 0; i < sizeof(known_tos) / sizeof(known_tos[0]); i++)
		if (memcmp(known_tos[i].uid.w, uid->w, sizeof(uid->w)) == 0)
			return &known_tos[i];
	return NULL;
}

int smccc_revision_decode(const struct smccc_res *res, struct smccc_version *v)
{
	if (smccc_is_unknown(res))
		return -ENOTSUP;
	v->major = (uint32_t)res->x[0];
	v->minor = (uint32_t)res->x[1];
	return 0;
}

const char *psci_ret_name(int32_t ret)
{
	static const char *const names[] = {
		"SUCCESS",    "NOT_SUPPORTED",	 "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING",	 "INTERNAL_FAILURE",   "NOT_PRESENT",
		"DISABLED",   "INVALID_ADDRESS",
	};

	if (ret <= 0 && -(int64_t)ret < (int64_t)(sizeof(names) / sizeof(names[0])))
		return names[-ret];
	return "unknown";
}

static const struct psci_fn_info psci_fns[] = {
	{ PSCI_VERSION, "PSCI_VERSION", V(0, 2), true },
	{ PSCI_CPU_SUSPEND, "CPU_SUSPEND", V(0, 2), true },
	{ PSCI_CPU_OFF, "CPU_OFF", V(0, 2), true },
	{ PSCI_CPU_ON, "CPU_ON", V(0, 2), true },
	{ PSCI_AFFINITY_INFO, "AFFINITY_INFO", V(0, 2), true },
	{ PSCI_MIGRATE, "MIGRATE", V(0, 2), false },
	{ PSCI_MIGRATE_INFO_TYPE, "MIGRATE_INFO_TYPE", V(0, 2), false },
	{ PSCI_MIGRATE_INFO_UP_CPU, "MIGRATE_INFO_UP_CPU", V(0, 2), false },
	{ PSCI_SYSTEM_OFF, "SYSTEM_OFF", V(0, 2), true },
	{ PSCI_SYSTEM_RESET, "SYSTEM_RESET", V(0, 2), true },
	{ PSCI_FEATURES, "PSCI_FEATURES", V(1, 0), true },
	{ PSCI_CPU_FREEZE, "CPU_FREEZE", V(1, 0), false },
	{ PSCI_CPU_DEFAULT_SUSPEND, "CPU_DEFAULT_SUSPEND", V(1, 0), false },
	{ PSCI_NODE_HW_STATE, "NODE_HW_STATE", V(1, 0), false },
	{ PSCI_SYSTEM_SUSPEND, "SYSTEM_SUSPEND", V(1, 0), false },
	{ PSCI_SET_SUSPEND_MODE, "PSCI_SET_SUSPEND_MODE", V(1, 0), false },
	{ PSCI_STAT_RESIDENCY, "PSCI_STAT_RESIDENCY", V(1, 0), false },
	{ PSCI_STAT_COUNT, "PSCI_STAT_COUNT", V(1, 0), false },
	{ PSCI_SYSTEM_RESET2, "SYSTEM_RESET2", V(1, 1), false },
	{ PSCI_MEM_PROTECT, "MEM_PROTECT", V(1, 1), false },
	{ PSCI_MEM_PROTECT_CHECK_RANGE, "MEM_PROTECT_CHECK_RANGE", V(1, 1), false },
	{ PSCI_SYSTEM_OFF2, "SYSTEM_OFF2", V(1, 3), false },
	{ PSCI_CPU_SUSPEND_64, "CPU_SUSPEND_64", V(0, 2), true },
	{ PSCI_CPU_ON_64, "CPU_ON_64", V(0, 2), true },
	{ PSCI_AFFINITY_INFO_64, "AFFINITY_INFO_64", V(0, 2), true },
	{ PSCI_MIGRATE_64, "MIGRATE_64", V(0, 2), false },
	{ PSCI_MIGRATE_INFO_UP_CPU_64, "MIGRATE_INFO_UP_CPU_64", V(0, 2), false },
	{ PSCI_CPU_DEFAULT_SUSPEND_64, "CPU_DEFAULT_SUSPEND_64", V(1, 0), false },
	{ PSCI_NODE_HW_STATE_64, "NODE_HW_STATE_64", V(1, 0), false },
	{ PSCI_SYSTEM_SUSPEND_64, "SYSTEM_SUSPEND_64", V(1, 0), false },
	{ PSCI_STAT_RESIDENCY_64, "PSCI_STAT_RESIDENCY_64", V(1, 0), false },
	{ PSCI_STAT_COUNT_64, "PSCI_STAT_COUNT_64", V(1, 0), false },
	{ PSCI_SYSTEM_RESET2_64, "SYSTEM_RESET2_64", V(1, 1), false },
	{ PSCI_MEM_PROTECT_CHECK_RANGE_64, "MEM_PROTECT_CHECK_RANGE_64", V(1, 1), false },
	{ PSCI_SYSTEM_OFF2_64, "SYSTEM_OFF2_64", V(1, 3), false },
};

const struct psci_fn_info *psci_functions(size_t *n)
{
	*n = sizeof(psci_fns) / sizeof(psci_fns[0]);
	return psci_fns;
}

const char *psci_fn_name(uint32_t id)
{
	for (size_t i = 0; i < sizeof(psci_fns) / sizeof(psci_fns[0]); i++)
		if (psci_fns[i].id == id)
			return psci_fns[i].name;
	return NULL;
}

/*
 * Flags exist only for CPU_SUSPEND (bits 1:0) and SYSTEM_OFF2 (the
 * supported hibernate types); every other implemented function answers 0.
 */
int psci_features_decode(uint32_t fn, uint32_t w0, uint32_t *flags)
{
	int32_t r = (int32_t)w0;

	if (r == PSCI_RET_NOT_SUPPORTED)
		return -ENOTSUP;
	if (r < 0)
		return -EPROTO;
	switch (fn) {
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_64:
		if (w0 & ~(PSCI_FEAT_SUSPEND_OS_INITIATED | PSCI_FEAT_SUSPEND_EXT_STATE_ID))
			return -EPROTO;
		break;
	case PSCI_SYSTEM_OFF2:
	case PSCI_SYSTEM_OFF2_64:
		break;
	default:
		if (w0 != 0)
			return -EPROTO;
	}
	*flags = w0;
	return 0;
}

const char *psci_affinity_name(int32_t ret)
{
	switch (ret) {
	case PSCI_AFFINITY_ON:
		return "ON";
	case PSCI_AFFINITY_OFF:
		return "OFF";
	case PSCI_AFFINITY_ON_PENDING:
		return "ON_PENDING";
	default:
		return psci_ret_name(ret);
	}
}

const char *trng_ret_name(int32_t ret)
{
	switch (ret) {
	case TRNG_RET_SUCCESS:
		return "SUCCESS";
	case TRNG_RET_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case TRNG_RET_INVALID_PARAMETERS:
		return "INVALID_PARAMETERS";
	case TRNG_RET_NO_ENTROPY:
		return "NO_ENTROPY";
	default:
		return "unknown";
	}
}

int trng_rnd64_decode(const struct smccc_res *res, unsigned int bits, uint64_t out[3])
{
	uint64_t mask[3] = { 0, 0, 0 };

	switch (smccc_w0(res)) {
	case TRNG_RET_SUCCESS:
		break;
	case TRNG_RET_NO_ENTROPY:
		return -EAGAIN;
	case TRNG_RET_INVALID_PARAMETERS:
		return -EINVAL;
	case TRNG_RET_NOT_SUPPORTED:
		return -ENOTSUP;
	default:
		return -EPROTO;
	}
	if (bits == 0 || bits > TRNG_RND64_MAX_BITS)
		return -EPROTO; /* success for a request the spec makes invalid */
	/* The bits asked for, right-aligned: x3 holds bits 63:0, x1 bits 191:128. */
	for (int i = 2; i >= 0 && bits > 0; i--) {
		unsigned int take = bits < 64 ? bits : 64;

		mask[i] = take == 64 ? ~0ULL : (1ULL << take) - 1;
		bits -= take;
	}
	for (int i = 0; i < 3; i++) {
		if (res->x[i + 1] & ~mask[i])
			return -EPROTO;
		out[i] = res->x[i + 1];
	}
	return 0;
}
