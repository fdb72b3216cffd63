/* SPDX-License-Identifier: MIT */
/*
 * Finding the DTB QEMU handed over and validating it before any lookup
 * (dt_lookup.c), which then only reads it through libfdt's public API.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch/aarch64/layout.h"
#include "platform/internal.h"
#include "platform/platform.h"

#define GIB (1ULL << 30)
/* Far more than any DTB QEMU builds (1 MiB); guards against a wild totalsize. */
#define DT_MAX_SIZE (16U << 20)

void dt_extent(uintptr_t *start, uintptr_t *end)
{
	const void *blob = dt_blob();

	*start = (uintptr_t)blob;
	*end = blob ? (uintptr_t)blob + fdt_totalsize(blob) : 0;
}

/* A DTB we accept: magic, sane size, libfdt's header check, not in our image. */
static bool dt_valid(uintptr_t addr)
{
	const void *fdt = (const void *)addr;
	uintptr_t end;

	if (addr == 0 || (addr & 7) != 0)
		return false;
	if (fdt_magic(fdt) != FDT_MAGIC)
		return false;
	if (fdt_totalsize(fdt) > DT_MAX_SIZE)
		return false;
	end = addr + fdt_totalsize(fdt);
	if (addr < (uintptr_t)__image_end && end > (uintptr_t)__image_start)
		return false;
	return fdt_check_header(fdt) == 0;
}

/*
 * x0 holds the DTB when a Linux-style loader ran; for an ELF QEMU passes
 * x0 = 0 and puts the DTB at the base of RAM. We do not know the RAM base
 * before reading the DTB, so we take the start of the 1 GiB block the image
 * was loaded into: on `virt` RAM starts at 0x40000000 and the image is linked
 * 2 MiB above it (linker/guest.ld), so that block starts at the RAM base.
 * Only these addresses are mapped Normal at this point, so reading at the
 * image's GiB base is safe; x0 is first checked to be inside that GiB.
 */
int dt_init(uintptr_t boot_x0)
{
	uintptr_t gib_base = (uintptr_t)__image_start & ~(uintptr_t)(GIB - 1);

	if (boot_x0 >= gib_base && boot_x0 < gib_base + GIB && dt_valid(boot_x0))
		dt_use((const void *)boot_x0);
	else if (dt_valid(gib_base))
		dt_use((const void *)gib_base);
	else
		return -ENODEV;
	return 0;
}

/* The memory range holding our image: that is where QEMU put us and the DTB. */
int dt_memory(uint64_t *base, uint64_t *size)
{
	return dt_memory_at((uintptr_t)__image_start, base, size);
}
