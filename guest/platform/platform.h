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

/* fdt.c: the validated DTB (read-only), and its location. */
const void *dt_blob(void);
int dt_reg(int node, int index, uint64_t *base, uint64_t *size);
/*
 * fdt_parent_offset, fdt_node_offset_by_compatible, fdt_node_offset_by_phandle,
 * fdt_path_offset without a walk from the root on every call (same arguments
 * and returns).
 */
int dt_parent(int node);
int dt_path_offset(const char *path);
int dt_find_compatible(int from, const char *compat);
int dt_find_phandle(uint32_t phandle);
int dt_memory(uint64_t *base, uint64_t *size);
/* A string property NUL-terminated within its length, else NULL. */
const char *dt_string(int node, const char *name);
/* The DTB's extent [start, end), which free RAM never overlaps. */
void dt_extent(uintptr_t *start, uintptr_t *end);
/* @node's interrupt parent (inherited from ancestors), or a negative errno. */
int dt_interrupt_parent(int node);
/* #interrupt-cells of @node's interrupt parent, or a negative errno. */
int dt_interrupt_cells(int node);
/* MPIDR affinity fields (Aff3..Aff0) as they appear in /cpus reg. */
#define DT_MPIDR_AFF_MASK 0xff00ffffffULL
/*
 * Fill @mpidrs with the reg of every /cpus/cpu node, boot CPU included.
 * Returns the count (CPUs beyond @max are not listed) or a negative errno.
 */
int dt_cpus(uint64_t *mpidrs, size_t max);

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
