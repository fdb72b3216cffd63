/* SPDX-License-Identifier: MIT */
/*
 * Identity-mapped MMU: 4 KiB granule, 39-bit VA, level-1 1 GiB blocks, with
 * 2 MiB level-2 blocks where a RAM range does not fill a whole GiB, and
 * 4 KiB pages around the per-CPU stacks, whose guard pages are unmapped.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

/*
 * entry.S, MMU off: Device everywhere, Normal for the GiB(s) holding the image
 * wherever it was loaded, except the stack guard pages (arch/aarch64/layout.h),
 * which stay unmapped.
 */
void mmu_build_boot_tables(void);
/* entry.S, on every CPU: load the tables and turn on MMU and caches. */
void mmu_enable(void);

/*
 * Map [base, base + size) as Normal write-back cacheable memory; parts that
 * are not 2 MiB aligned stay Device (never touched by us). Returns 0,
 * -EINVAL beyond the 39-bit range, or -ENOMEM when the level-2 pool is used up.
 */
int mmu_map_normal(uint64_t base, uint64_t size);

/* Attributes of the mapping holding @addr, for tests: true when Normal WB. */
int mmu_is_normal(uint64_t addr);
/* True when @addr is mapped at all (false for a stack guard page). */
int mmu_is_mapped(uint64_t addr);

#endif
