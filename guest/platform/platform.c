/* SPDX-License-Identifier: MIT */
/* platform_init(): bring up DT, console, PSCI, RAM mapping and timer in order. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <testrunner/protocol.h>

#include "arch/aarch64/boot_times.h"
#include "arch/aarch64/exception.h"
#include "arch/aarch64/layout.h"
#include "arch/aarch64/mmu.h"
#include "arch/aarch64/sysreg.h"
#include "platform/gic.h"
#include "platform/internal.h"
#include "platform/platform.h"

#define RAM_RANGES_MAX 16
/* Room for every RAM range split by the image, the DTB and each reservation. */
#define FREE_RANGES_MAX (RAM_RANGES_MAX + 2 + RESERVATIONS_MAX)
#define BLOCK		(2ULL << 20) /* RAM is mapped Normal by 2 MiB blocks (mmu.c) */
#define PAGE		4096ULL

static struct mem_range free_ram[FREE_RANGES_MAX];
static size_t free_n;
static struct dt_reservation reserved[RESERVATIONS_MAX];
static size_t reserved_n;

size_t ram_free_ranges(const struct mem_range **ranges)
{
	*ranges = free_ram;
	return free_n;
}

void ram_free_range(uintptr_t *start, uintptr_t *end)
{
	int i = mem_ranges_largest(free_ram, free_n);

	*start = i < 0 ? 0 : (uintptr_t)free_ram[i].start;
	*end = i < 0 ? 0 : (uintptr_t)free_ram[i].end;
}

size_t ram_reservations(const struct dt_reservation **res)
{
	*res = reserved;
	return reserved_n;
}

/* Say so when whoever loaded us put the image or the DTB on a reservation. */
static void warn_reserved(const char *what, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < reserved_n; i++)
		if (mem_ranges_overlap(&reserved[i].range, 1, start, end))
			printf("# platform: warning: the %s 0x%llx-0x%llx overlaps reserved "
			       "0x%llx-0x%llx (%s)\n",
			       what, (unsigned long long)start, (unsigned long long)end,
			       (unsigned long long)reserved[i].range.start,
			       (unsigned long long)reserved[i].range.end, reserved[i].name);
}

/*
 * Map every RAM range the DT describes Normal, then free RAM: that RAM in
 * whole 2 MiB blocks (what the MMU maps Normal), minus the image, the DTB
 * and every reservation, by pages.
 */
static int map_ram(void)
{
	uint64_t img_start = (uintptr_t)__image_start, img_end = (uintptr_t)__image_end;
	uintptr_t dt_start, dt_end;
	int n, ret;

	n = dt_memory_ranges(free_ram, RAM_RANGES_MAX, arch_secure_state());
	if (n <= 0) {
		printf("# platform: no usable memory node (%d)\n", n);
		return n < 0 ? n : -ENOENT;
	}
	free_n = (size_t)n;
	for (size_t i = 0; i < free_n; i++) {
		ret = mmu_map_normal(free_ram[i].start, free_ram[i].end - free_ram[i].start);
		if (ret < 0) {
			printf("# platform: cannot map RAM 0x%llx-0x%llx (%d)\n",
			       (unsigned long long)free_ram[i].start,
			       (unsigned long long)free_ram[i].end, ret);
			return ret;
		}
	}
	n = dt_reservations(reserved, RESERVATIONS_MAX);
	if (n < 0) {
		printf("# platform: unreadable reserved memory in the DT (%d)\n", n);
		return n;
	}
	reserved_n = (size_t)n;
	dt_extent(&dt_start, &dt_end);
	warn_reserved("image", img_start, img_end);
	warn_reserved("DTB", dt_start, dt_end);

	mem_ranges_align(free_ram, &free_n, BLOCK);
	ret = mem_ranges_remove(free_ram, &free_n, FREE_RANGES_MAX, img_start, img_end);
	if (ret == 0)
		ret = mem_ranges_remove(free_ram, &free_n, FREE_RANGES_MAX, dt_start, dt_end);
	for (size_t i = 0; ret == 0 && i < reserved_n; i++)
		ret = mem_ranges_remove(free_ram, &free_n, FREE_RANGES_MAX, reserved[i].range.start,
					reserved[i].range.end);
	mem_ranges_align(free_ram, &free_n, PAGE);
	return ret;
}

int platform_init(uintptr_t boot_x0)
{
	uint64_t base, size;
	bool from_x0;
	int ret;

	ret = dt_init(boot_x0, &from_x0);
	BOOT_TIME(BOOT_T_DT);
	if (ret < 0)
		return ret;
	/* Without a console there is nobody to report the error to. */
	ret = uart_init();
	BOOT_TIME(BOOT_T_UART);
	if (ret < 0)
		return ret;
	printf(PROTO_UART_FIRST_LINE
	       "DT at 0x%lx (%u bytes) from %s (x0 = 0x%lx); entered at EL%u, "
	       "running at %s EL1; image at 0x%lx (linked at 0x%x)\n",
	       (unsigned long)(uintptr_t)dt_blob(), (unsigned int)fdt_totalsize(dt_blob()),
	       from_x0 ? "x0" : "the base of RAM", (unsigned long)boot_x0,
	       (unsigned int)arch_entry_el, arch_secure_state() ? "secure" : "non-secure",
	       (unsigned long)(uintptr_t)__image_start, ARCH_LINK_BASE);
	ret = psci_init();
	if (ret < 0)
		printf("# platform: no PSCI (no usable /psci node: %d): tests that need it "
		       "skip; power off by gpio-poweroff or semihosting\n",
		       ret);
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
		       (unsigned long)(uintptr_t)__image_end, (unsigned long long)base,
		       (unsigned long long)size);
		return -EINVAL;
	}
	ret = map_ram();
	if (ret < 0) {
		printf("# platform: cannot compute free RAM (%d)\n", ret);
		return ret;
	}
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
