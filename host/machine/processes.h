/* SPDX-License-Identifier: MIT */
/*
 * The processes of one boot: QEMU and, when rpmb0 is served, its RPMB
 * emulator; started in order and stopped in steps, QEMU first (SIGTERM,
 * the kill grace, SIGKILL), then the emulator.
 */
#ifndef HOST_MACHINE_PROCESSES_H
#define HOST_MACHINE_PROCESSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "machine/emulator.h"
#include "machine/qmp.h"
#include "machine/qemu.h"
#include "system/stop.h"

/* How long QEMU gets to exit after SIGTERM before SIGKILL (run, list and boot). */
#define PROCESSES_KILL_GRACE_MS 1000

struct boot_processes {
	pid_t qemu;
	bool running; /* QEMU started and not reaped */
	bool started; /* QEMU was started at all */
	bool stopping;
	struct child_stop stop;
	int wstatus; /* QEMU's, once reaped */
	bool have_emu;
	struct emulator emu;
	struct qmp qmp; /* QEMU's control socket (closed once QEMU is reaped) */
};

void processes_init(struct boot_processes *p);
/*
 * Before QEMU: the QMP socket and rpmb0's (cfg->rpmb_dev set) in @dir, so
 * that QEMU's chardevs can connect at once. 0 or -errno with @err.
 */
int processes_listen(struct boot_processes *p, const struct qemu_cfg *cfg, const char *dir,
		     char *err, size_t errlen);
/* QEMU (qemu_start's @serial_pipe and @serial_fd), then the emulator. 0 or -errno with @err. */
int processes_start(struct boot_processes *p, const struct qemu_cfg *cfg, const char *dir,
		    bool serial_pipe, int *serial_fd, char *err, size_t errlen);
/* Non-blocking: true once QEMU has exited by itself (p->wstatus). */
bool processes_reap_qemu(struct boot_processes *p);
/* Non-blocking: the emulator's progress; -EIO with @err when it gave up on its device. */
int processes_check(struct boot_processes *p, char *err, size_t errlen);
/*
 * Reset mode, at a boot's end: has the emulator died or given up (it must
 * serve the next boot too)? True also when processes_check failed (@err).
 */
bool processes_emulator_gone(struct boot_processes *p, int *check, char *err, size_t errlen);
/* Once stopped: see emulator_lost (0 without an emulator). */
int processes_lost(struct boot_processes *p, char *err, size_t errlen);
/*
 * Begin stopping everything at @now: QMP `quit` when QEMU talks QMP, else
 * SIGTERM; SIGKILL after the grace. Each later step by processes_stop_step.
 */
void processes_stop_begin(struct boot_processes *p, uint64_t now);
/* One step; true once QEMU and the emulator are reaped. */
bool processes_stop_step(struct boot_processes *p, uint64_t now);
/* When the next stop step is due (0: none). */
uint64_t processes_deadline(const struct boot_processes *p);
/* Teardown: anything still running is killed and reaped (blocking). */
void processes_free(struct boot_processes *p);

#endif
