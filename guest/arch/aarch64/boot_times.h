/* SPDX-License-Identifier: MIT */
/*
 * make BOOT_TIMES=1: the virtual counter (CNTVCT_EL0) at each start-up step,
 * logged as "# boot-time STEP MICROSECONDS" lines at the end of the boot
 * (microseconds from the first instruction, through CNTFRQ_EL0; make bench's
 * boot-times scenario). Without BOOT_TIMES every hook is empty: no code, no
 * data, the shipped image is byte for byte the same.
 */
#ifndef ARCH_BOOT_TIMES_H
#define ARCH_BOOT_TIMES_H

/* Steps in boot order; entry.S records the first four (slot numbers). */
#define BOOT_T_ENTRY	  0  /* the first instruction of _start */
#define BOOT_T_RELOCATED  1  /* EL1 reached, relocations applied */
#define BOOT_T_BSS	  2  /* stack set, .bss cleared */
#define BOOT_T_MMU	  3  /* boot page tables built, MMU and caches on */
#define BOOT_T_DT	  4  /* DT found and indexed (dt_init) */
#define BOOT_T_UART	  5  /* UART up */
#define BOOT_T_PLATFORM	  6  /* PSCI, /memory, RAM map, timer, GIC */
#define BOOT_T_BANNER	  7  /* banner printed on the UART */
#define BOOT_T_VCONS	  8  /* virtio consoles found and ready (DRIVER_OK, ports) */
#define BOOT_T_PORT_FOUND 9  /* testrunner0 found */
#define BOOT_T_PORT_OPEN  10 /* testrunner0 opened */
#define BOOT_T_REQUEST	  11 /* the host's request read */
#define BOOT_T_FIRST_TEST 12 /* the first test about to start */
#define BOOT_T_DONE	  13 /* every test run, before the result frame */
#define BOOT_T_STEPS	  14

/* clang-format off */
#if BOOT_TIMES
#ifdef __ASSEMBLY__
/* Into \reg: the counter now (before .bss is cleared, kept in a register). */
.macro BOOT_TIME_KEEP reg
	mrs	\reg, cntvct_el0
.endm
/* Slot \slot = \reg, or the counter now when no register is given. Clobbers x0, x1. */
.macro BOOT_TIME_STORE slot, reg=
	adrp	x0, boot_times
	add	x0, x0, :lo12:boot_times
.ifb \reg
	mrs	x1, cntvct_el0
	str	x1, [x0, #(8 * \slot)]
.else
	str	\reg, [x0, #(8 * \slot)]
.endif
.endm
/* clang-format on */
#else
#include <stdint.h>

struct frame_writer;

extern uint64_t boot_times[BOOT_T_STEPS];
/* Record @step's time, the first time only (a loop may pass it again). */
void boot_time_mark(unsigned int step);
/* Every recorded step as a "# boot-time" line to the host. */
void boot_times_report(struct frame_writer *fw);
#define BOOT_TIME(step)	      boot_time_mark(step)
#define BOOT_TIMES_REPORT(fw) boot_times_report(fw)
#endif
#else /* !BOOT_TIMES */
#ifdef __ASSEMBLY__
/* clang-format off */
.macro BOOT_TIME_KEEP reg
.endm
.macro BOOT_TIME_STORE slot, reg=
.endm
/* clang-format on */
#else
#define BOOT_TIME(step)	      ((void)0)
#define BOOT_TIMES_REPORT(fw) ((void)(fw))
#endif
#endif

#endif
