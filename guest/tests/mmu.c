/* SPDX-License-Identifier: MIT */
/*
 * selftest.mmu: MMU and caches on, RAM Normal (unaligned access works), MMIO
 * Device, stack guard pages unmapped.
 */
#include <libfdt.h>

#include "arch/aarch64/layout.h"
#include "arch/aarch64/mmu.h"
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"
#include "runner/boottest.h"

/* An explicit unaligned 64-bit load: the compiler never emits one (-mstrict-align). */
static void unaligned_load(void *arg)
{
	volatile uint64_t *out = arg;
	static uint8_t buf[32] __attribute__((aligned(16)));
	uint64_t v;
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(buf + 3) : "memory");
	*out = v;
}

BOOT_TEST(selftest, mmu)
{
	uint64_t sctlr = read_sysreg(sctlr_el1), v = 0, base, size;
	uintptr_t start, end;
	struct bt_fault fault;
	int uart;

	EXPECT_EQ(sctlr & SCTLR_M, SCTLR_M);
	EXPECT_EQ(sctlr & SCTLR_C, SCTLR_C);
	EXPECT_EQ(sctlr & SCTLR_I, SCTLR_I);
	EXPECT_EQ(sctlr & SCTLR_A, 0);

	/* Bytes 3..10 of 0, 1, 2, ... read little-endian. */
	EXPECT_TRUE(!bt_expect_fault(unaligned_load, (void *)&v, &fault));
	EXPECT_EQ(v, 0x0a09080706050403ULL);

	ram_free_range(&start, &end);
	ASSERT_LT(start, end);
	EXPECT_TRUE(mmu_is_normal((uintptr_t)&v));
	EXPECT_TRUE(mmu_is_normal(start));
	EXPECT_TRUE(mmu_is_normal(end - 1));
	ASSERT_EQ(dt_memory(&base, &size), 0);
	EXPECT_TRUE(mmu_is_normal(base));

	/*
	 * Every CPU's stack slot: guard, exception stack, guard, stack; the
	 * guards unmapped (an overflow faults), the stacks mapped Normal.
	 */
	for (uintptr_t slot = (uintptr_t)__stacks_start; slot < (uintptr_t)__stacks_end;
	     slot += ARCH_CPU_SLOT_SIZE) {
		EXPECT_TRUE(!mmu_is_mapped(slot));
		EXPECT_TRUE(mmu_is_normal(slot + ARCH_EXC_STACK_OFF));
		EXPECT_TRUE(!mmu_is_mapped(slot + ARCH_STACK_OFF - 1));
		EXPECT_TRUE(mmu_is_normal(slot + ARCH_STACK_OFF));
		EXPECT_TRUE(mmu_is_normal(slot + ARCH_CPU_SLOT_SIZE - 1));
	}
	/* We run on SP_EL0 (SPSel 0) in the boot CPU's stack; SP_EL1 is for exceptions. */
	EXPECT_EQ(read_sysreg(spsel), 0);
	EXPECT_GE((uintptr_t)&v, (uintptr_t)__stacks_start + ARCH_STACK_OFF);
	EXPECT_LT((uintptr_t)&v, (uintptr_t)__stacks_start + ARCH_CPU_SLOT_SIZE);
	EXPECT_TRUE(mmu_is_normal((uintptr_t)__image_start));

	/* Device memory stays Device: the UART is not Normal. */
	uart = fdt_node_offset_by_compatible(dt_blob(), -1, "arm,pl011");
	if (uart >= 0 && dt_reg(uart, 0, &base, &size) == 0)
		EXPECT_TRUE(!mmu_is_normal(base));
}
