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
 * (x0 when it holds one, else the base of RAM), start the PL011 console, find
 * the PSCI conduit (none is not an error), map all RAM the DT describes, set
 * free RAM apart from the image, the DTB and the DT's reservations, find the
 * generic timer and the GIC. Returns 0 or a negative errno; on error the UART
 * may be unavailable.
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

/*
 * psci.c. psci_system_off() is the one way to power off: PSCI SYSTEM_OFF,
 * and without PSCI the DT's gpio-poweroff line (QEMU describes one for the
 * Secure state) or semihosting SYS_EXIT; it parks the CPU when none works.
 * psci_version() is 0 without PSCI.
 */
void psci_system_off(void) __attribute__((noreturn));
/*
 * PSCI SYSTEM_RESET: QEMU resets every CPU and device and reloads the image
 * (without -no-reboot; with it, QEMU exits). Without PSCI, or if the call
 * returns, psci_system_off(): a host that asked for a reset sees QEMU exit.
 */
void psci_system_reset(void) __attribute__((noreturn));
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
/*
 * Wait until the virtual timer has fired @rounds times one after another
 * (masked: no interrupt), each armed @us ahead. Under TCG, QEMU runs the
 * timer's callback in its main loop thread, so this waits for that many
 * main-loop iterations (host_main_loop_sync in runner/main.c). Returns 0, or
 * -ETIMEDOUT when one round takes over 1000 x @us.
 */
int timer_virt_rounds(unsigned int rounds, uint64_t us);
#define CNTV_CTL_ENABLE	 (1U << 0)
#define CNTV_CTL_IMASK	 (1U << 1)
#define CNTV_CTL_ISTATUS (1U << 2)

/*
 * Free RAM for tests and the secondary OS: the DT's RAM (mapped Normal)
 * minus the image, the DTB and every reservation, as ranges; the largest of
 * them as [start, end) (0, 0 when there is none).
 */
size_t ram_free_ranges(const struct mem_range **ranges);
void ram_free_range(uintptr_t *start, uintptr_t *end);
/* The DT's /memreserve/ and /reserved-memory ranges: nothing here writes them. */
#define RESERVATIONS_MAX 16
size_t ram_reservations(const struct dt_reservation **res);

#endif
