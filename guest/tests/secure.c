/* SPDX-License-Identifier: MIT */
/*
 * secure.*: what the firmware and the secure world answer over SMCCC: the
 * SMCCC version and architecture features, the Trusted OS's standard calls,
 * and the SMCCC TRNG. (PSCI conformance: secure_psci.c.)
 */
#include <errno.h>

#include "platform/smccc.h"
#include "runner/boottest.h"
#include "tests/secure.h"

#define TRNG_NO_ENTROPY_RETRIES 100

enum smccc_conduit secure_need_conduit(void)
{
	enum smccc_conduit c = smccc_conduit();

	if (c == SMCCC_CONDUIT_NONE)
		bt_skip("no SMCCC conduit: the DT has no usable /psci node");
	return c;
}

uint32_t secure_call_w0(enum smccc_conduit c, uint32_t fn, uint64_t a1)
{
	struct smccc_res r;
	int ret = smccc_call(c, fn, a1, 0, 0, &r);

	ASSERT_EQ(ret, 0);
	return (uint32_t)r.x[0];
}

BOOT_TEST(secure, smccc_version)
{
	enum smccc_conduit c = secure_need_conduit();
	struct smccc_version psci, v, found;
	uint32_t w0, flags;
	int claimed = -ENOTSUP, ret;

	bt_log("conduit %s (/psci method)", smccc_conduit_name(c));
	ASSERT_EQ(smccc_version_decode(secure_call_w0(c, PSCI_VERSION, 0), &psci), 0);
	if (psci.major >= 1) {
		/* PSCI 1.0+ is where a caller learns whether SMCCC_VERSION exists. */
		w0 = secure_call_w0(c, PSCI_FEATURES, SMCCC_VERSION);
		claimed = psci_features_decode(SMCCC_VERSION, w0, &flags);
		EXPECT_NE(claimed, -EPROTO);
		bt_log("PSCI %u.%u: PSCI_FEATURES(SMCCC_VERSION) = %d (%s)", psci.major, psci.minor,
		       (int)(int32_t)w0, psci_ret_name((int32_t)w0));
	}
	w0 = secure_call_w0(c, SMCCC_VERSION, 0);
	ret = smccc_version_decode(w0, &v);
	EXPECT_NE(ret, -EPROTO);
	if (ret == 0) {
		bt_log("SMCCC_VERSION: %u.%u (0x%x)", v.major, v.minor, (unsigned int)w0);
		/* SMCCC_VERSION itself arrived with 1.1 */
		EXPECT_TRUE(v.major > 1 || (v.major == 1 && v.minor >= 1));
		if (psci.major >= 1)
			EXPECT_EQ(claimed, 0);
	} else {
		bt_log("SMCCC_VERSION: NOT_SUPPORTED, so SMCCC 1.0");
		EXPECT_NE(claimed, 0);
	}
	ASSERT_EQ(smccc_version(&found), 0);
	EXPECT_EQ(found.major, ret == 0 ? v.major : 1);
	EXPECT_EQ(found.minor, ret == 0 ? v.minor : 0);
}

/* SMCCC 1.1 or later, else a skip. */
static enum smccc_conduit need_smccc_1_1(const char *what)
{
	enum smccc_conduit c = secure_need_conduit();
	struct smccc_version v;

	ASSERT_EQ(smccc_version(&v), 0);
	if (v.major == 1 && v.minor == 0)
		bt_skip("SMCCC 1.0: no %s", what);
	return c;
}

BOOT_TEST(secure, arch_features)
{
	static const struct {
		uint32_t fn;
		const char *name;
	} queries[] = {
		{ SMCCC_VERSION, "SMCCC_VERSION" },
		{ SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES" },
		{ SMCCC_ARCH_SOC_ID, "SMCCC_ARCH_SOC_ID" },
		{ SMCCC_ARCH_WORKAROUND_1, "SMCCC_ARCH_WORKAROUND_1" },
		{ SMCCC_ARCH_WORKAROUND_2, "SMCCC_ARCH_WORKAROUND_2" },
		{ SMCCC_ARCH_WORKAROUND_3, "SMCCC_ARCH_WORKAROUND_3" },
	};
	enum smccc_conduit c = need_smccc_1_1("SMCCC_ARCH_FEATURES");
	struct smccc_soc_id id;
	uint32_t w0;

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const char *text;

		w0 = secure_call_w0(c, SMCCC_ARCH_FEATURES, queries[i].fn);
		text = smccc_arch_feature_text(queries[i].fn, w0);
		bt_log("ARCH_FEATURES(%s) = %d: %s", queries[i].name, (int)(int32_t)w0,
		       text ? text : "not an answer SMCCC allows");
		EXPECT_TRUE(text != NULL);
	}
	if ((int32_t)secure_call_w0(c, SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID) < 0)
		return;
	w0 = secure_call_w0(c, SMCCC_ARCH_SOC_ID, SMCCC_SOC_ID_VERSION);
	EXPECT_EQ(smccc_soc_id_decode(w0, &id), 0);
	bt_log("SOC_ID version 0x%x: JEP-106 bank %u code 0x%02x, SoC 0x%04x", (unsigned int)w0,
	       id.jep106_bank + 1, id.jep106_id, id.soc_id);
	w0 = secure_call_w0(c, SMCCC_ARCH_SOC_ID, SMCCC_SOC_ID_REVISION);
	EXPECT_EQ(w0 & 0x80000000U, 0);
	bt_log("SOC_ID revision 0x%x", (unsigned int)w0);
}

/*
 * SMCCC 1.1 and later: a call preserves x4-x17 unless its function returns
 * results there (SMCCC_VERSION answers in x0 alone). Also the whole x0-x17
 * path of smccc_invoke(), both ways.
 */
BOOT_TEST(secure, smccc_preserves_regs)
{
	enum smccc_conduit c = need_smccc_1_1("promise that x4-x17 survive a call");
	struct smccc_args in = { { SMCCC_VERSION } };
	struct smccc_res out;
	int kept = 0;

	for (int i = 4; i < SMCCC_NR_REGS; i++)
		in.x[i] = 0x5a5a000000000000ULL | (uint64_t)i << 32 | (uint32_t)~i;
	ASSERT_EQ(smccc_invoke(c, &in, &out), 0);
	for (int i = 4; i < SMCCC_NR_REGS; i++) {
		if (out.x[i] == in.x[i])
			kept++;
		else
			bt_fail(__FILE__, __LINE__, "x%d: 0x%llx in, 0x%llx out", i,
				(unsigned long long)in.x[i], (unsigned long long)out.x[i]);
	}
	bt_log("SMCCC_VERSION 0x%x; x4-x17: %d of %d preserved", (unsigned int)out.x[0], kept,
	       SMCCC_NR_REGS - 4);
}

BOOT_TEST(secure, trusted_os)
{
	enum smccc_conduit c;
	const struct smccc_tos_info *tos;
	struct smccc_version rev;
	struct smccc_res r;
	struct smccc_uid uid;
	char text[SMCCC_UID_TEXT_SIZE];
	int in_dt;

	secure_need_conduit();
	in_dt = smccc_tos_conduit(&c);
	ASSERT_GE(in_dt, 0);
	bt_log("Trusted OS conduit %s (%s)", smccc_conduit_name(c),
	       in_dt ? "the DT's OP-TEE node" : "/psci: the DT names no Trusted OS");
	ASSERT_EQ(smccc_call(c, SMCCC_TOS_CALL_UID, 0, 0, 0, &r), 0);
	if (!smccc_uid_from_res(&r, &uid)) {
		if (in_dt) {
			/* the DT promised one: nobody answering is a failure, not a skip */
			bt_fail(__FILE__, __LINE__,
				"the DT names OP-TEE, but Call UID 0x%x returned SMC_UNK",
				SMCCC_TOS_CALL_UID);
			bt_abort();
		}
		bt_skip("no trusted OS answers (Call UID 0x%x: SMC_UNK)", SMCCC_TOS_CALL_UID);
	}
	tos = smccc_tos_lookup(&uid);
	smccc_uid_format(&uid, text);
	bt_log("Trusted OS UID w0-w3 %08x %08x %08x %08x: %s %s", (unsigned int)uid.w[0],
	       (unsigned int)uid.w[1], (unsigned int)uid.w[2], (unsigned int)uid.w[3],
	       tos ? tos->name : "unknown, UUID", tos ? tos->uid_text : text);
	if (in_dt)
		EXPECT_TRUE(tos != NULL);

	ASSERT_EQ(smccc_call(c, SMCCC_TOS_REVISION, 0, 0, 0, &r), 0);
	EXPECT_EQ(smccc_revision_decode(&r, &rev), 0);
	if (!smccc_is_unknown(&r))
		bt_log("Trusted OS API revision %u.%u", rev.major, rev.minor);

	ASSERT_EQ(smccc_call(c, SMCCC_TOS_CALL_COUNT, 0, 0, 0, &r), 0);
	if (smccc_is_unknown(&r))
		bt_log("Call Count: SMC_UNK");
	else
		bt_log("Call Count: %u", (unsigned int)r.x[0]);

	if (!tos || !tos->os_revision_fn)
		return;
	ASSERT_EQ(smccc_call(c, tos->os_revision_fn, 0, 0, 0, &r), 0);
	EXPECT_EQ(smccc_revision_decode(&r, &rev), 0);
	if (!smccc_is_unknown(&r))
		bt_log("%s OS revision %u.%u, build id 0x%x", tos->name, rev.major, rev.minor,
		       (unsigned int)r.x[2]);
}

/* TRNG_RND64 of @bits bits, retrying while the source has no entropy yet. */
static int rnd64(enum smccc_conduit c, unsigned int bits, uint64_t out[3])
{
	struct smccc_res r;
	int ret = -EAGAIN;

	for (int i = 0; i < TRNG_NO_ENTROPY_RETRIES && ret == -EAGAIN; i++) {
		ASSERT_EQ(smccc_call(c, TRNG_RND64, bits, 0, 0, &r), 0);
		ret = trng_rnd64_decode(&r, bits, out);
	}
	return ret;
}

BOOT_TEST(secure, trng)
{
	static const uint32_t fns[] = { TRNG_VERSION, TRNG_FEATURES, TRNG_GET_UUID, TRNG_RND64 };
	enum smccc_conduit c = secure_need_conduit();
	struct smccc_version v, smccc;
	struct smccc_res r;
	struct smccc_uid uid;
	uint64_t a[3], b[3];
	char text[SMCCC_UID_TEXT_SIZE];
	uint32_t w0;
	int ret;

	w0 = secure_call_w0(c, TRNG_VERSION, 0);
	ret = smccc_version_decode(w0, &v);
	EXPECT_NE(ret, -EPROTO);
	if (ret < 0)
		bt_skip("no SMCCC TRNG (TRNG_VERSION: %d, %s)", (int)(int32_t)w0,
			trng_ret_name((int32_t)w0));
	bt_log("TRNG %u.%u", v.major, v.minor);
	/* the TRNG interface needs SMCCC 1.1 or later */
	ASSERT_EQ(smccc_version(&smccc), 0);
	EXPECT_TRUE(smccc.major > 1 || smccc.minor >= 1);
	EXPECT_GE(v.major, 1);
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		w0 = secure_call_w0(c, TRNG_FEATURES, fns[i]);
		bt_log("TRNG_FEATURES(0x%x) = %d", (unsigned int)fns[i], (int)(int32_t)w0);
		EXPECT_GE((int32_t)w0, 0);
	}

	ASSERT_EQ(smccc_call(c, TRNG_GET_UUID, 0, 0, 0, &r), 0);
	ASSERT_TRUE(smccc_uid_from_res(&r, &uid));
	smccc_uid_format(&uid, text);
	bt_log("TRNG UUID %s", text);
	EXPECT_TRUE(uid.w[0] | uid.w[1] | uid.w[2] | uid.w[3]);

	ASSERT_EQ(rnd64(c, 64, a), 0);
	ASSERT_EQ(rnd64(c, 64, b), 0);
	/* 64 bits twice alike: a 2^-64 chance for a true source */
	EXPECT_NE(a[2], b[2]);
	ASSERT_EQ(rnd64(c, TRNG_RND64_MAX_BITS, a), 0);
	/* the 128 bits above the low 64 all zero: a 2^-128 chance */
	EXPECT_TRUE(a[0] | a[1]);
	EXPECT_EQ(rnd64(c, 0, a), -EINVAL);
	EXPECT_EQ(rnd64(c, TRNG_RND64_MAX_BITS + 1, a), -EINVAL);
}
