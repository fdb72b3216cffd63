/* SPDX-License-Identifier: MIT */
/* selftest.mmu: MMU and caches on, RAM Normal (unaligned access works), MMIO Device. */
#include <libfdt.h>

#include "arch/aarch64/mmu.h"
#include "arch/aarch64/sysreg.h"
#include "platform/platform.h"
#include "runner/boottest.h"

#define SCTLR_M (1ULL << 0)
#define SCTLR_A (1ULL << 1)
#define SCTLR_C (1ULL << 2)
#define SCTLR_I (1ULL << 12)

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

	/* Device memory stays Device: the UART is not Normal. */
	uart = fdt_node_offset_by_compatible(dt_blob(), -1, "arm,pl011");
	if (uart >= 0 && dt_reg(uart, 0, &base, &size) == 0)
		EXPECT_TRUE(!mmu_is_normal(base));
}
