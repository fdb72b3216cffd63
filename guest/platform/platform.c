/* SPDX-License-Identifier: MIT */
/* platform_init(): bring up DT, console, PSCI, RAM mapping and timer in order. */
#include <errno.h>
#include <stdio.h>

#include "arch/aarch64/exception.h"
#include "arch/aarch64/layout.h"
#include "arch/aarch64/mmu.h"
#include "platform/gic.h"
#include "platform/internal.h"
#include "platform/platform.h"

static uintptr_t free_start, free_end;

static uintptr_t max_uptr(uintptr_t a, uintptr_t b)
{
	return a > b ? a : b;
}

/*
 * Free RAM is what follows both the image and the DTB (QEMU puts the DTB
 * below the image, but x0 may point elsewhere) up to the end of the RAM
 * range that is mapped Normal (2 MiB granularity, see mmu.c).
 */
static void compute_free_ram(uint64_t base, uint64_t size)
{
	uintptr_t dt_start, dt_end, start;
	uint64_t end = (base + size) & ~((1ULL << 21) - 1);

	dt_extent(&dt_start, &dt_end);
	start = (uintptr_t)__image_end;
	if (dt_start >= start && dt_start < end)
		start = max_uptr(start, dt_end);
	start = (start + 4095) & ~(uintptr_t)4095;
	if (start >= end) {
		free_start = free_end = 0;
		return;
	}
	free_start = start;
	free_end = end;
}

void ram_free_range(uintptr_t *start, uintptr_t *end)
{
	*start = free_start;
	*end = free_end;
}

int platform_init(uintptr_t boot_x0)
{
	uint64_t base, size;
	int ret;

	ret = dt_init(boot_x0);
	if (ret < 0)
		return ret;
	/* Without a console there is nobody to report the error to. */
	ret = uart_init();
	if (ret < 0)
		return ret;
	ret = psci_init();
	if (ret < 0) {
		printf("# platform: no usable /psci node (%d)\n", ret);
		return ret;
	}
	/* Exceptions nobody handles are reported on the UART, then power off. */
	exc_set_fallback(uart_write, psci_system_off);
	ret = dt_memory(&base, &size);
	if (ret < 0) {
		printf("# platform: no /memory node (%d)\n", ret);
		return ret;
	}
	if ((uintptr_t)__image_start < base || (uintptr_t)__image_end > base + size) {
		printf("# platform: image 0x%lx-0x%lx outside RAM 0x%llx+0x%llx\n",
		       (unsigned long)(uintptr_t)__image_start,
		       (unsigned long)(uintptr_t)__image_end,
		       (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	ret = mmu_map_normal(base, size);
	if (ret < 0) {
		printf("# platform: cannot map RAM 0x%llx+0x%llx (%d)\n",
		       (unsigned long long)base, (unsigned long long)size, ret);
		return ret;
	}
	compute_free_ram(base, size);
	ret = timer_init();
	if (ret < 0) {
		printf("# platform: generic timer unusable (CNTFRQ_EL0 = 0)\n");
		return ret;
	}
	/* Nothing but the irq test needs interrupts: report and carry on. */
	ret = gic_init();
	if (ret < 0)
		printf("# platform: no usable interrupt controller (%d)\n", ret);
	return 0;
}
