/* SPDX-License-Identifier: MIT */
/*
 * Platform services the runner and tests rely on. Every device address comes
 * from the device tree; see each implementation file.
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Bring up the platform from the boot register x0: find and validate the DTB
 * (x0 when it holds one, else the base of RAM), map all RAM from /memory,
 * start the PL011 console, find the PSCI conduit and the generic timer.
 * Returns 0 or a negative errno; on error the UART may be unavailable.
 */
int platform_init(uintptr_t boot_x0);

/* fdt.c: the DTB QEMU handed over, found and validated by platform_init. */
#include "platform/dt.h"
/* The memory range that holds the image. */
int dt_memory(uint64_t *base, uint64_t *size);
/* The DTB's extent [start, end), which free RAM never overlaps. */
void dt_extent(uintptr_t *start, uintptr_t *end);

/* uart.c: PL011 early console; silently does nothing before it is found. */
void uart_write(const char *buf, size_t len);
void uart_puts(const char *s);

/* psci.c */
void psci_system_off(void) __attribute__((noreturn));
uint32_t psci_version(void);
int psci_cpu_on(uint64_t target_mpidr, uintptr_t entry, uint64_t context_id);
/* Power this CPU down (secondaries, when done); returns only on failure. */
int psci_cpu_off(void);

/* timer.c: the generic timer (CNTVCT_EL0 / CNTFRQ_EL0). */
uint64_t timer_freq(void);
uint64_t timer_count(void);
uint64_t timer_now_us(void);
void timer_delay_us(uint64_t us);
/* The EL1 virtual timer: its GIC INTID from the DT (or -errno), arm, stop. */
int timer_virt_intid(void);
void timer_virt_arm(uint64_t ticks);
void timer_virt_stop(void);
uint64_t timer_virt_ctl(void);
#define CNTV_CTL_ENABLE  (1U << 0)
#define CNTV_CTL_IMASK   (1U << 1)
#define CNTV_CTL_ISTATUS (1U << 2)

/* Free RAM for tests (memory pattern test, buffers): [start, end). */
void ram_free_range(uintptr_t *start, uintptr_t *end);

#endif
