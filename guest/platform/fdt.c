/* SPDX-License-Identifier: MIT */
/*
 * Finding the DTB whoever started us handed over and validating it before
 * any lookup (dt_lookup.c, which indexes it in one checked walk).
 */
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch/aarch64/exception.h"
#include "arch/aarch64/layout.h"
#include "arch/aarch64/mmu.h"
#include "platform/internal.h"
#include "platform/platform.h"

/* `virt`'s memory map (QEMU hw/arm/virt.c): RAM starts at 1 GiB. */
#define VIRT_RAM_BASE 0x40000000UL
/* Far more than any DTB QEMU builds (1 MiB); guards against a wild totalsize. */
#define DT_MAX_SIZE (16U << 20)
/* The MMU maps RAM Normal by 2 MiB blocks. */
#define BLOCK (2UL << 20)

void dt_extent(uintptr_t *start, uintptr_t *end)
{
	const void *blob = dt_blob();

	*start = (uintptr_t)blob;
	*end = blob ? (uintptr_t)blob + fdt_totalsize(blob) : 0;
}

/*
 * A DTB at @addr, which may be anything a loader left in x0: every read
 * before the checks pass is a probe that survives a fault (no RAM there).
 * Once the header and its last word read back, the blob is mapped Normal
 * (libfdt reads it unaligned) and libfdt checks the header. Never one that
 * overlaps our image.
 */
static bool dt_probe(uintptr_t addr)
{
	uint32_t magic, size, last;
	uintptr_t end, lo, hi;

	if (addr < VIRT_RAM_BASE || (addr & 7) != 0)
		return false;
	if (arch_probe_read32(addr, &magic) || fdt32_to_cpu(magic) != FDT_MAGIC)
		return false;
	if (arch_probe_read32(addr + 4, &size))
		return false;
	size = fdt32_to_cpu(size);
	end = addr + size;
	if (size < FDT_V1_SIZE || size > DT_MAX_SIZE || end < addr)
		return false;
	if (addr < (uintptr_t)__image_end && end > (uintptr_t)__image_start)
		return false;
	if (arch_probe_read32((end - 4) & ~(uintptr_t)3, &last))
		return false;
	lo = addr & ~(uintptr_t)(BLOCK - 1);
	hi = (end + BLOCK - 1) & ~(uintptr_t)(BLOCK - 1);
	if (mmu_map_normal(lo, hi - lo) < 0)
		return false;
	return fdt_check_header((const void *)addr) == 0;
}

/*
 * x0 holds the DTB when a Linux-style loader ran (QEMU's -kernel with an
 * Image, U-Boot's booti: anywhere in RAM); QEMU passes x0 = 0 for an ELF,
 * TF-A's BL33 hand-over and QEMU's generic loader leave x0 = 0 too, and the
 * DTB is then at the base of RAM. Nothing else says where RAM is before the
 * DT does, so that base is `virt`'s fixed one, and x0 must lie at or above it:
 * below are flash and devices, which a probe must not read.
 */
int dt_init(uintptr_t boot_x0, bool *from_x0)
{
	*from_x0 = dt_probe(boot_x0);
	if (*from_x0)
		dt_use((const void *)boot_x0);
	else if (dt_probe(VIRT_RAM_BASE))
		dt_use((const void *)VIRT_RAM_BASE);
	else
		return -ENODEV;
	return dt_blob() ? 0 : -ENODEV;
}
/* The memory range holding our image: that is where QEMU put us and the DTB. */
int dt_memory(uint64_t *base, uint64_t *size)
{
	return dt_memory_at((uintptr_t)__image_start, base, size);
}
