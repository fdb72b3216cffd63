/* SPDX-License-Identifier: MIT */
/* Data cache maintenance and the MMU-off hand-over to another OS image. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Clean and invalidate [start, start + len) to the Point of Coherency, by VA. */
void dcache_clean_inval_poc(uintptr_t start, size_t len);

/*
 * Leave for good: mask DAIF, turn the MMU and data cache off, clean and
 * invalidate every data cache level by set/way (so no dirty line of ours can
 * be evicted over the new OS later), invalidate the I-cache and TLB, and
 * branch to @entry with x0 = @dtb, x1 = x2 = x3 = 0 (booting.rst). The
 * caller must have cleaned the image, initrd and DTB by VA already, and this
 * code must be identity mapped.
 */
void arch_boot_kernel(uintptr_t entry, uintptr_t dtb) __attribute__((noreturn));

#endif
