/* SPDX-License-Identifier: MIT */
/*
 * Where every CPU is when a test hangs: at the timeout, before QEMU is
 * stopped, QMP pauses the machine, `info registers` is read for each CPU
 * and the frame chain of each CPU inside RAM is walked in guest memory.
 */
#ifndef HOST_MACHINE_HANG_H
#define HOST_MACHINE_HANG_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/frame_walk.h"
#include "machine/monitor_text.h"
#include "machine/qemu.h"
#include "machine/qmp.h"

/* CPUs read at most (the guest starts up to 9). */
#define HANG_CPUS_MAX 16
/* The whole collection: QEMU answers in microseconds unless it is wedged. */
#define HANG_BUDGET_MS 3000
/* The virt machine's RAM starts at 1 GiB (hw/arm/virt.c, VIRT_MEM). */
#define HANG_RAM_BASE 0x40000000ULL

struct hang_cpu {
	bool have; /* its registers were read */
	struct cpu_regs regs;
	uint64_t frames[FRAME_WALK_MAX]; /* return addresses of the frame chain */
	size_t nframes;
	const char *chain_end; /* why the walk stopped; NULL: not walked */
};

/* What the machine is, for the checks: from the boot's QEMU options. */
struct hang_machine {
	unsigned int ncpus;
	uint64_t ram_bytes;
	uint64_t load_addr; /* the image loaded raw here (--firmware's BL33); 0: as linked */
};

struct hang_state {
	unsigned int ncpus; /* CPUs whose registers were read */
	struct hang_cpu cpu[HANG_CPUS_MAX];
	uint64_t load_addr;
	char err[256];	     /* why QMP failed, one line; "" when everything was read */
	char last_line[256]; /* the guest's last log line */
};

/* QEMU's -m value ("256M", "1G", a bare number is MiB) in bytes; 0 when unreadable. */
uint64_t hang_ram_bytes(const char *memory);
/* The machine @cfg describes. */
struct hang_machine hang_machine_of(const struct qemu_cfg *cfg);
/*
 * Pause the machine and read each CPU (bounded by HANG_BUDGET_MS in all).
 * @h is filled as far as QMP allowed; h->err says where it stopped.
 */
void hang_collect(struct qmp *q, const struct hang_machine *m, struct hang_state *h);
/* A malloc'd copy of @h (NULL for NULL, or out of memory). */
struct hang_state *hang_copy(const struct hang_state *h);
/* hang_collect into a new state (free() it) with the guest's @last_line; NULL: no memory. */
struct hang_state *hang_take(struct qmp *q, const struct hang_machine *m, const char *last_line);

#endif
