/* SPDX-License-Identifier: MIT */
/* Unit tests for the decoding of SMCCC, PSCI and SMCCC TRNG answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/smccc_decode.h"

/* A result as the firmware leaves it: @x0 in x0, the rest as given, others 0. */
static struct smccc_res res4(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct smccc_res r;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	return r;
}

/* -1 sign-extended to 64 bits, as an SMC64 callee returns it */
#define X0_MINUS_1 0xffffffffffffffffULL

static void test_conduit(void **state)
{
	(void)state;
	assert_int_equal(smccc_conduit_parse("hvc"), SMCCC_CONDUIT_HVC);
	assert_int_equal(smccc_conduit_parse("smc"), SMCCC_CONDUIT_SMC);
	assert_int_equal(smccc_conduit_parse("SMC"), SMCCC_CONDUIT_NONE);
	assert_int_equal(smccc_conduit_parse("smc "), SMCCC_CONDUIT_NONE);
	assert_int_equal(smccc_conduit_parse(""), SMCCC_CONDUIT_NONE);
	assert_int_equal(smccc_conduit_parse(NULL), SMCCC_CONDUIT_NONE);
	assert_string_equal(smccc_conduit_name(SMCCC_CONDUIT_HVC), "hvc");
	assert_string_equal(smccc_conduit_name(SMCCC_CONDUIT_SMC), "smc");
	assert_string_equal(smccc_conduit_name(SMCCC_CONDUIT_NONE), "none");
}

static void test_smc_unk(void **state)
{
	struct smccc_res r;

	(void)state;
	/* SMC32: only w0 counts; x0's upper half is whatever the callee left */
	r = res4(0xffffffffULL, 0, 0, 0);
	assert_true(smccc_is_unknown(&r));
	r = res4(X0_MINUS_1, 0, 0, 0);
	assert_true(smccc_is_unknown(&r));
	r = res4(0x12345678ffffffffULL, 0, 0, 0);
	assert_true(smccc_is_unknown(&r));
	assert_int_equal(smccc_w0(&r), -1);
	r = res4(0xfffffffeULL, 0, 0, 0);
	assert_false(smccc_is_unknown(&r));
	assert_int_equal(smccc_w0(&r), -2);
	r = res4(0xffffffff00000000ULL, 0, 0, 0);
	assert_false(smccc_is_unknown(&r));
	assert_int_equal(smccc_w0(&r), 0);
}

static void test_version(void **state)
{
	struct smccc_version v = { 99, 99 };

	(void)state;
	/* TF-A v2.12: SMCCC_VERSION 0x10005 */
	assert_int_equal(smccc_version_decode(0x10005, &v), 0);
	assert_int_equal(v.major, 1);
	assert_int_equal(v.minor, 5);
	/* PSCI 0.2 and 1.1 as PSCI_VERSION words */
	assert_int_equal(smccc_version_decode(0x2, &v), 0);
	assert_int_equal(v.major, 0);
	assert_int_equal(v.minor, 2);
	assert_int_equal(smccc_version_decode(0x10001, &v), 0);
	assert_int_equal(v.major, 1);
	assert_int_equal(v.minor, 1);
	/* the widest major bit 31 leaves */
	assert_int_equal(smccc_version_decode(0x7fffffff, &v), 0);
	assert_int_equal(v.major, 0x7fff);
	assert_int_equal(v.minor, 0xffff);

	v.major = v.minor = 99;
	assert_int_equal(smccc_version_decode(0xffffffff, &v), -ENOTSUP);
	assert_int_equal(v.major, 99);
	assert_int_equal(smccc_version_decode(0xfffffffd, &v), -EPROTO);
	assert_int_equal(smccc_version_decode(0x80010000, &v), -EPROTO);

	/* SMCCC_VERSION NOT_SUPPORTED: SMCCC 1.0 (what QEMU 7.2's PSCI answers) */
	assert_int_equal(smccc_smccc_version_decode(0xffffffff, &v), 0);
	assert_int_equal(v.major, 1);
	assert_int_equal(v.minor, 0);
	assert_int_equal(smccc_smccc_version_decode(0x10002, &v), 0);
	assert_int_equal(v.minor, 2);
	assert_int_equal(smccc_smccc_version_decode(0xfffffffe, &v), -EPROTO);
}

static void test_arch_features(void **state)
{
	(void)state;
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_SOC_ID, 0), "implemented");
	assert_string_equal(smccc_arch_feature_text(SMCCC_VERSION, 0), "implemented");
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_SOC_ID, 0xffffffff),
			    "not implemented");
	/* flags are the function's own business */
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_FEATURES, 5), "implemented");
	assert_null(smccc_arch_feature_text(SMCCC_ARCH_SOC_ID, 0xfffffffe));

	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_1, 0),
			    "implemented, needed on this CPU");
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_1, 1),
			    "implemented, not needed on this CPU");
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_3, 0xffffffff),
			    "not implemented");
	assert_null(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_1, 2));
	/* NOT_REQUIRED is WORKAROUND_2's alone */
	assert_null(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_1, 0xfffffffe));
	assert_null(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_3, 0xfffffffe));
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_2, 0xfffffffe),
			    "not required");
	assert_string_equal(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_2, 1),
			    "implemented, not needed on this CPU");
	assert_null(smccc_arch_feature_text(SMCCC_ARCH_WORKAROUND_2, 0xfffffffd));
}

static void test_soc_id(void **state)
{
	struct smccc_soc_id id;

	(void)state;
	/* Arm Ltd is JEP-106 bank 5 (index 4), code 0x3b */
	assert_int_equal(smccc_soc_id_decode(0x043b1234, &id), 0);
	assert_int_equal(id.jep106_bank, 4);
	assert_int_equal(id.jep106_id, 0x3b);
	assert_int_equal(id.soc_id, 0x1234);
	assert_int_equal(smccc_soc_id_decode(0xffffffff, &id), -ENOTSUP);
	assert_int_equal(smccc_soc_id_decode(0x843b1234, &id), -EPROTO);
}

/* OP-TEE's answer to Call UID 0xbf00ff01, w0-w3 (measured under TF-A + OP-TEE 4.5). */
static const struct smccc_uid optee = { { 0x384fb3e0, 0xe7f811e3, 0xaf630002, 0xa5d5c51b } };

static void test_uid_bytes_and_text(void **state)
{
	/* KVM's hypervisor UID, w0-w3 as Linux's KVM returns them */
	const struct smccc_uid kvm = { { 0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d } };
	uint8_t b[16];
	char text[SMCCC_UID_TEXT_SIZE];

	(void)state;
	/* SMCCC: byte 0 of the UUID in w0 bits 7:0 */
	smccc_uid_bytes(&kvm, b);
	assert_int_equal(b[0], 0x28);
	assert_int_equal(b[3], 0xb6);
	assert_int_equal(b[4], 0x2e);
	assert_int_equal(b[15], 0x74);
	memset(text, 'x', sizeof(text));
	smccc_uid_format(&kvm, text);
	assert_string_equal(text, "28b46fb6-2ec5-11e9-a9ca-4b564d003a74");

	/* OP-TEE's words in SMCCC's byte order are not how OP-TEE writes them */
	smccc_uid_format(&optee, text);
	assert_string_equal(text, "e0b34f38-e311-f8e7-0200-63af1bc5d5a5");
	assert_int_equal(strlen(text), SMCCC_UID_TEXT_SIZE - 1);
}

static void test_uid_from_res(void **state)
{
	struct smccc_res r = res4(0xffffffffULL, 1, 2, 3);
	struct smccc_uid uid = { { 7, 7, 7, 7 } };

	(void)state;
	assert_false(smccc_uid_from_res(&r, &uid));
	assert_int_equal(uid.w[0], 7);
	/* w registers: the upper halves of x0-x3 are not part of the UID */
	r = res4(0xdead0000384fb3e0ULL, 0xe7f811e3, 0xbeef0000af630002ULL, 0xa5d5c51b);
	assert_true(smccc_uid_from_res(&r, &uid));
	assert_memory_equal(uid.w, optee.w, sizeof(uid.w));
}

static void test_tos_lookup(void **state)
{
	const struct smccc_tos_info *tos;
	struct smccc_uid u = optee;
	char text[SMCCC_UID_TEXT_SIZE];

	(void)state;
	tos = smccc_tos_lookup(&optee);
	assert_non_null(tos);
	assert_string_equal(tos->name, "OP-TEE");
	assert_string_equal(tos->uid_text, "384fb3e0-e7f8-11e3-af63-0002a5d5c51b");
	assert_int_equal(tos->os_revision_fn, OPTEE_SMC_GET_OS_REVISION);
	assert_int_equal(OPTEE_SMC_GET_OS_REVISION, 0xb2000001);

	/* one bit off, or the words in another order: not OP-TEE */
	u.w[3] ^= 1;
	assert_null(smccc_tos_lookup(&u));
	u = (struct smccc_uid){ { optee.w[3], optee.w[2], optee.w[1], optee.w[0] } };
	assert_null(smccc_tos_lookup(&u));
	/* each word byte-swapped: what decoding in SMCCC order and re-reading gives */
	for (int i = 0; i < 4; i++)
		u.w[i] = __builtin_bswap32(optee.w[i]);
	assert_null(smccc_tos_lookup(&u));

	/* the other OP-TEE UID: TF-A's loader answering before OP-TEE runs */
	u = (struct smccc_uid){ { 0xa3fbeab1, 0x1246315d, 0xc7c406b9, 0xc03cbea4 } };
	tos = smccc_tos_lookup(&u);
	assert_non_null(tos);
	assert_int_equal(tos->os_revision_fn, 0);

	/* every known vendor text spells the words most significant byte first */
	for (int k = 0; k < 2; k++) {
		tos = smccc_tos_lookup(k ? &u : &optee);
		snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%04x%08x", tos->uid.w[0],
			 tos->uid.w[1] >> 16, tos->uid.w[1] & 0xffff, tos->uid.w[2] >> 16,
			 tos->uid.w[2] & 0xffff, tos->uid.w[3]);
		assert_string_equal(text, tos->uid_text);
	}
}

static void test_revision(void **state)
{
	struct smccc_version v;
	struct smccc_res r;

	(void)state;
	/* OP-TEE: API revision 2.0, OS revision 4.5 */
	r = res4(2, 0, 0, 0);
	assert_int_equal(smccc_revision_decode(&r, &v), 0);
	assert_int_equal(v.major, 2);
	assert_int_equal(v.minor, 0);
	r = res4(4, 5, 0xabcd, 0);
	assert_int_equal(smccc_revision_decode(&r, &v), 0);
	assert_int_equal(v.major, 4);
	assert_int_equal(v.minor, 5);
	r = res4(X0_MINUS_1, 0, 0, 0);
	assert_int_equal(smccc_revision_decode(&r, &v), -ENOTSUP);
}

static void test_psci_ret_names(void **state)
{
	(void)state;
	assert_string_equal(psci_ret_name(PSCI_RET_SUCCESS), "SUCCESS");
	assert_string_equal(psci_ret_name(-1), "NOT_SUPPORTED");
	assert_string_equal(psci_ret_name(-2), "INVALID_PARAMETERS");
	assert_string_equal(psci_ret_name(-3), "DENIED");
	assert_string_equal(psci_ret_name(PSCI_RET_ALREADY_ON), "ALREADY_ON");
	assert_string_equal(psci_ret_name(-5), "ON_PENDING");
	assert_string_equal(psci_ret_name(-6), "INTERNAL_FAILURE");
	assert_string_equal(psci_ret_name(-7), "NOT_PRESENT");
	assert_string_equal(psci_ret_name(-8), "DISABLED");
	assert_string_equal(psci_ret_name(PSCI_RET_INVALID_ADDRESS), "INVALID_ADDRESS");
	assert_string_equal(psci_ret_name(-10), "unknown");
	assert_string_equal(psci_ret_name(1), "unknown");
	assert_string_equal(psci_ret_name(INT32_MIN), "unknown");
	assert_string_equal(psci_ret_name(INT32_MAX), "unknown");

	assert_string_equal(psci_affinity_name(0), "ON");
	assert_string_equal(psci_affinity_name(1), "OFF");
	assert_string_equal(psci_affinity_name(2), "ON_PENDING");
	assert_string_equal(psci_affinity_name(-2), "INVALID_PARAMETERS");
	assert_string_equal(psci_affinity_name(3), "unknown");
}

static void test_psci_functions(void **state)
{
	const struct psci_fn_info *fns;
	size_t n, mandatory = 0;

	(void)state;
	fns = psci_functions(&n);
	assert_int_equal(n, 35);
	for (size_t i = 0; i < n; i++) {
		/* standard service range, fast call; SMC64 has bit 30 */
		assert_int_equal(fns[i].id & 0xbfff0000U, 0x84000000U);
		assert_true((fns[i].id & 0xffff) <= 0x15);
		assert_string_equal(psci_fn_name(fns[i].id), fns[i].name);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(fns[i].id, fns[j].id);
		mandatory += fns[i].mandatory;
	}
	/* PSCI 1.0: VERSION, CPU_SUSPEND x2, CPU_OFF, CPU_ON x2, AFFINITY_INFO x2,
	 * SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES */
	assert_int_equal(mandatory, 11);
	assert_string_equal(psci_fn_name(0xc4000003), "CPU_ON_64");
	assert_string_equal(psci_fn_name(0x8400000a), "PSCI_FEATURES");
	assert_string_equal(psci_fn_name(0x84000015), "SYSTEM_OFF2");
	assert_null(psci_fn_name(0x84000016));
	assert_null(psci_fn_name(0xc4000002)); /* CPU_OFF has no SMC64 form */
}

static void test_psci_features(void **state)
{
	uint32_t flags = 77;

	(void)state;
	/* QEMU 7.2 answers 0 for CPU_SUSPEND */
	assert_int_equal(psci_features_decode(PSCI_CPU_SUSPEND, 0, &flags), 0);
	assert_int_equal(flags, 0);
	/* TF-A: extended StateID and OS-initiated mode */
	assert_int_equal(psci_features_decode(PSCI_CPU_SUSPEND_64, 3, &flags), 0);
	assert_int_equal(flags, PSCI_FEAT_SUSPEND_OS_INITIATED | PSCI_FEAT_SUSPEND_EXT_STATE_ID);
	assert_int_equal(psci_features_decode(PSCI_CPU_SUSPEND_64, 4, &flags), -EPROTO);
	assert_int_equal(psci_features_decode(PSCI_SYSTEM_OFF2, 1, &flags), 0);
	assert_int_equal(flags, 1);
	/* everything else answers exactly 0 when implemented */
	assert_int_equal(psci_features_decode(PSCI_CPU_ON_64, 0, &flags), 0);
	assert_int_equal(psci_features_decode(PSCI_CPU_ON_64, 1, &flags), -EPROTO);
	assert_int_equal(psci_features_decode(SMCCC_VERSION, 0, &flags), 0);
	flags = 77;
	assert_int_equal(psci_features_decode(PSCI_MIGRATE, 0xffffffff, &flags), -ENOTSUP);
	assert_int_equal(flags, 77);
	assert_int_equal(psci_features_decode(PSCI_MIGRATE, 0xfffffffe, &flags), -EPROTO);
	assert_int_equal(psci_features_decode(PSCI_CPU_SUSPEND, 0x80000000, &flags), -EPROTO);
}

static void test_trng_names(void **state)
{
	(void)state;
	assert_int_equal(TRNG_VERSION, 0x84000050);
	assert_int_equal(TRNG_RND64, 0xc4000053);
	assert_string_equal(trng_ret_name(0), "SUCCESS");
	assert_string_equal(trng_ret_name(-1), "NOT_SUPPORTED");
	assert_string_equal(trng_ret_name(-2), "INVALID_PARAMETERS");
	assert_string_equal(trng_ret_name(-3), "NO_ENTROPY");
	assert_string_equal(trng_ret_name(-4), "unknown");
}

static void test_trng_rnd64(void **state)
{
	uint64_t out[3] = { 9, 9, 9 };
	struct smccc_res r;

	(void)state;
	/* 64 bits: all of x3, x1 and x2 zero */
	r = res4(0, 0, 0, 0x0123456789abcdefULL);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0x0123456789abcdefULL);
	/* 65 bits: one bit of x2 */
	r = res4(0, 0, 1, ~0ULL);
	assert_int_equal(trng_rnd64_decode(&r, 65, out), 0);
	r = res4(0, 0, 2, ~0ULL);
	assert_int_equal(trng_rnd64_decode(&r, 65, out), -EPROTO);
	/* 192 bits: everything */
	r = res4(0, ~0ULL, ~0ULL, ~0ULL);
	assert_int_equal(trng_rnd64_decode(&r, 192, out), 0);
	assert_int_equal(out[0], ~0ULL);
	/* 1 bit, and a bit above it */
	r = res4(0, 0, 0, 1);
	assert_int_equal(trng_rnd64_decode(&r, 1, out), 0);
	r = res4(0, 0, 0, 3);
	assert_int_equal(trng_rnd64_decode(&r, 1, out), -EPROTO);
	/* 64 bits with something in x1 */
	r = res4(0, 1, 0, 5);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), -EPROTO);
	/* success for a request the spec refuses */
	r = res4(0, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 0, out), -EPROTO);
	assert_int_equal(trng_rnd64_decode(&r, 193, out), -EPROTO);

	/* error codes, as SMC64 answers them (sign-extended) */
	r = res4((uint64_t)(int64_t)TRNG_RET_NO_ENTROPY, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), -EAGAIN);
	r = res4((uint64_t)(int64_t)TRNG_RET_INVALID_PARAMETERS, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 0, out), -EINVAL);
	r = res4(X0_MINUS_1, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), -ENOTSUP);
	r = res4((uint64_t)-4, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), -EPROTO);
	r = res4(1, 0, 0, 0);
	assert_int_equal(trng_rnd64_decode(&r, 64, out), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conduit),	       cmocka_unit_test(test_smc_unk),
		cmocka_unit_test(test_version),	       cmocka_unit_test(test_arch_features),
		cmocka_unit_test(test_soc_id),	       cmocka_unit_test(test_uid_bytes_and_text),
		cmocka_unit_test(test_uid_from_res),   cmocka_unit_test(test_tos_lookup),
		cmocka_unit_test(test_revision),       cmocka_unit_test(test_psci_ret_names),
		cmocka_unit_test(test_psci_functions), cmocka_unit_test(test_psci_features),
		cmocka_unit_test(test_trng_names),     cmocka_unit_test(test_trng_rnd64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
