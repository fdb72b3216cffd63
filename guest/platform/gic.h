/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller the DT names: GICv2 ("arm,cortex-a15-gic",
 * "arm,gic-400") or GICv3 ("arm,gic-v3"). Enough for polled tests and the
 * timer interrupt: per-CPU (PPI) enable, acknowledge, end of interrupt.
 */
#ifndef PLATFORM_GIC_H
#define PLATFORM_GIC_H

#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>

#define GIC_SPURIOUS 1023

/*
 * Find the interrupt controller (the /timer node's interrupt parent, else the
 * first GIC node), set up its distributor and this CPU's interface. Returns
 * 0, -ENODEV when there is none we drive, or another negative errno.
 */
int gic_init(void);

/* 2 or 3 once gic_init() succeeded, else 0. */
int gic_version(void);

/* Enable or disable private interrupt @intid (16..31) on this CPU. */
int gic_ppi_enable(unsigned int intid, bool enable);

/* Acknowledge the highest-priority pending interrupt: its INTID (or 1023). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

/* INTID from a GIC interrupt specifier <type number flags>, or -EINVAL. */
int gic_dt_intid(const fdt32_t *spec, int cells);

#endif
