/* SPDX-License-Identifier: MIT */
/* Unit tests for ESR and PSTATE in words, on syndromes worked out from the Arm ARM's layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reports/arm_decode.h"

static void is(uint64_t esr, const char *want)
{
	char buf[256];
	int n = esr_describe(esr, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_data_aborts(void **state)
{
	(void)state;
	is(0x96000004, "data abort taken without a change in EL (EC 0x25): "
		       "translation fault, level 0; read; FAR valid");
	is(0x96000047, "data abort taken without a change in EL (EC 0x25): "
		       "translation fault, level 3; write; FAR valid");
	is(0x9600004f, "data abort taken without a change in EL (EC 0x25): "
		       "permission fault, level 3; write; FAR valid");
	is(0x92000009, "data abort from a lower EL (EC 0x24): access flag fault, level 1; "
		       "read; FAR valid");
	is(0x96000000, "data abort taken without a change in EL (EC 0x25): "
		       "address size fault, level 0; read; FAR valid");
	is(0x96000021, "data abort taken without a change in EL (EC 0x25): alignment fault; "
		       "read; FAR valid");
	/* FnV, EA: a synchronous external abort without a valid FAR */
	is(0x96000610, "data abort taken without a change in EL (EC 0x25): "
		       "synchronous external abort; read; external abort; FAR not valid");
	/* CM reports as a write; WnR is not a direction then */
	is(0x96000144, "data abort taken without a change in EL (EC 0x25): "
		       "translation fault, level 0; cache maintenance; FAR valid");
	is(0x960000c7, "data abort taken without a change in EL (EC 0x25): "
		       "translation fault, level 3; write; on the stage 1 translation table walk; "
		       "FAR valid");
	/* ISV: an 8-byte load into x1 */
	is(0x93c18004, "data abort from a lower EL (EC 0x24): translation fault, level 0; read; "
		       "8-byte access, register x1; FAR valid");
	is(0x96000015, "data abort taken without a change in EL (EC 0x25): "
		       "synchronous external abort on a translation table walk, level 1; read; "
		       "FAR valid");
}

static void test_instruction_aborts(void **state)
{
	(void)state;
	/* no WnR for a fetch */
	is(0x86000004, "instruction abort taken without a change in EL (EC 0x21): "
		       "translation fault, level 0; FAR valid");
	is(0x8200000f, "instruction abort from a lower EL (EC 0x20): permission fault, level 3; "
		       "FAR valid");
}

static void test_other_classes(void **state)
{
	(void)state;
	is(0x02000000, "undefined instruction (unknown reason) (EC 0x00)");
	is(0xf2000042, "BRK in AArch64 (EC 0x3c): immediate 0x42");
	is(0x56000010, "SVC in AArch64 (EC 0x15): immediate 0x10");
	is(0x5e000000, "SMC in AArch64 (EC 0x17): immediate 0x0");
	is(0x62300441, "trapped MSR, MRS or system instruction (EC 0x18): MRS S3_0_C1_C0_0, x2");
	is(0x62300440, "trapped MSR, MRS or system instruction (EC 0x18): MSR S3_0_C1_C0_0, x2");
	is(0x06000000, "trapped WFI or WFE (EC 0x01): WFI");
	is(0x06000001, "trapped WFI or WFE (EC 0x01): WFE");
	is(0xbe000011, "SError interrupt (EC 0x2f): asynchronous SError, error type 0");
	is(0xbf000001, "SError interrupt (EC 0x2f): implementation defined syndrome 0x1");
	is(0x8a000000, "PC alignment fault (EC 0x22)");
	is(0x9a000000, "SP alignment fault (EC 0x26)");
	is(0xd6000040, "watchpoint taken without a change in EL (EC 0x35): write");
	is(0xfe000000, "exception class 0x3f");
	is(0x4e000000, "exception class 0x13");
	is(0x1e000000, "trapped SVE, SIMD or floating-point access (EC 0x07)");
}

static void fsc_is(unsigned int fsc, const char *want)
{
	char buf[96];

	esr_fault_status(fsc, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_fault_status_codes(void **state)
{
	(void)state;
	fsc_is(0x0e, "permission fault, level 2");
	fsc_is(0x2b, "translation fault, level -1");
	fsc_is(0x30, "TLB conflict abort");
	fsc_is(0x3f, "fault status 0x3f");
}

static void test_truncation(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	n = esr_describe(0x96000004, buf, sizeof(buf));
	assert_string_equal(buf, "data ab");
	assert_true(n > (int)sizeof(buf));
	assert_int_equal(esr_describe(0x96000004, NULL, 0), n);
}

static void pstate_is(uint64_t pstate, const char *want)
{
	char buf[96];

	pstate_describe(pstate, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_pstate(void **state)
{
	(void)state;
	pstate_is(0x3c5, "EL1h, NZCV 0000, masked D A I F");
	pstate_is(0x800003c4, "EL1t, NZCV 1000, masked D A I F");
	pstate_is(0x60000009, "EL2h, NZCV 0110");
	pstate_is(0x1d3, "AArch32 mode 0x13, NZCV 0000, masked A I F");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_aborts),   cmocka_unit_test(test_instruction_aborts),
		cmocka_unit_test(test_other_classes), cmocka_unit_test(test_fault_status_codes),
		cmocka_unit_test(test_truncation),    cmocka_unit_test(test_pstate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
