/* SPDX-License-Identifier: MIT */
/* Fixtures that crash in one known way each, for the host's decoded crash reports. */
#include <stdint.h>

#include "runner/boottest.h"

/* Beyond the 39-bit input address range: a translation fault at level 0. */
#define UNMAPPED_ADDRESS 0x0000400000000000ULL

/* Fetching from nothing: an instruction abort, LR in the caller. */
BOOT_TEST(fixture, instruction_abort, .manual = true)
{
	void (*volatile nowhere)(void) = (void (*)(void))(uintptr_t)UNMAPPED_ADDRESS;

	nowhere();
	bt_log("fixture.instruction_abort: the call above should have faulted");
}

/* Exclusive loads must be aligned whatever SCTLR.A says: an alignment fault. */
BOOT_TEST(fixture, alignment_fault, .manual = true)
{
	static uint64_t words[2];
	uintptr_t odd = (uintptr_t)words + 1;
	uint64_t v;

	__asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(odd) : "memory");
	bt_log("fixture.alignment_fault: the load above should have faulted (%llu)",
	       (unsigned long long)v);
}

BOOT_TEST(fixture, undefined_instruction, .manual = true)
{
	__asm__ volatile("udf #0x1234");
	bt_log("fixture.undefined_instruction: the UDF above should have trapped");
}
