/* SPDX-License-Identifier: MIT */
/* QEMU and its RPMB emulator for one boot: started in order, stopped in steps. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "machine/processes.h"
#include "system/proc.h"

void processes_init(struct boot_processes *p)
{
	memset(p, 0, sizeof(*p));
	p->emu.lfd = -1;
	qmp_init(&p->qmp);
}

int processes_listen(struct boot_processes *p, const struct qemu_cfg *cfg, const char *dir,
		     char *err, size_t errlen)
{
	int ret = qmp_listen(&p->qmp, dir);

	if (ret) {
		snprintf(err, errlen, "QMP socket in %s: %s", dir, strerror(-ret));
		return ret;
	}
	if (!cfg->rpmb_dev)
		return 0;
	ret = emulator_listen(&p->emu, cfg->rpmb_dev, dir, cfg->rpmb_file, err, errlen);
	if (ret)
		return ret;
	p->have_emu = true;
	return 0;
}

int processes_start(struct boot_processes *p, const struct qemu_cfg *cfg, const char *dir,
		    bool serial_pipe, int *serial_fd, char *err, size_t errlen)
{
	int ret = qemu_start(cfg, dir, serial_pipe, &p->qemu, serial_fd);

	if (ret) {
		snprintf(err, errlen, "QEMU: cannot execute %s: %s", cfg->qemu, strerror(-ret));
		return ret;
	}
	p->running = p->started = true;
	/* after QEMU, so that it costs the boot nothing: the connection waits on the socket */
	return p->have_emu ? emulator_start(&p->emu, err, errlen) : 0;
}

bool processes_reap_qemu(struct boot_processes *p)
{
	int r;

	if (!p->running || p->stopping)
		return false;
	r = proc_reap(p->qemu, &p->wstatus);
	if (r == 0)
		return false;
	if (r < 0)
		p->wstatus = 0;
	p->running = false;
	qmp_close(&p->qmp);
	return true;
}

int processes_check(struct boot_processes *p, char *err, size_t errlen)
{
	return p->have_emu ? emulator_check(&p->emu, p->running, err, errlen) : 0;
}

bool processes_emulator_gone(struct boot_processes *p, int *check, char *err, size_t errlen)
{
	if (!p->have_emu)
		return false;
	*check = processes_check(p, err, errlen);
	return *check < 0 || p->emu.lost || !p->emu.running;
}

int processes_lost(struct boot_processes *p, char *err, size_t errlen)
{
	return p->have_emu ? emulator_lost(&p->emu, err, errlen) : 0;
}

void processes_stop_begin(struct boot_processes *p, uint64_t now)
{
	if (p->stopping)
		return;
	p->stopping = true;
	/* `quit` is QEMU's clean exit; a QEMU that does not talk QMP gets SIGTERM */
	if (p->running)
		stop_begin(&p->stop, &proc_ops_group, p->qemu,
			   qmp_quit_begin(&p->qmp) ? SIGTERM : 0, PROCESSES_KILL_GRACE_MS, now);
}

bool processes_stop_step(struct boot_processes *p, uint64_t now)
{
	if (p->running) {
		if (!stop_step(&p->stop, now))
			return false;
		p->running = false;
		p->wstatus = p->stop.wstatus;
	}
	qmp_close(&p->qmp);
	/* whatever a --qemu wrapper left of its group goes with it */
	if (p->started)
		kill(-p->qemu, SIGKILL);
	if (!p->have_emu)
		return true;
	/* QEMU is gone: the emulator's client has closed, so it is ending too */
	emulator_stop_begin(&p->emu, p->started, now);
	return emulator_stop_step(&p->emu, now);
}

uint64_t processes_deadline(const struct boot_processes *p)
{
	if (p->running)
		return p->stopping ? stop_deadline(&p->stop) : 0;
	return p->have_emu ? emulator_deadline(&p->emu) : 0;
}

void processes_free(struct boot_processes *p)
{
	/*
	 * A QEMU still running here is one reset mode kept idle for a next boot
	 * that never came: it gets `quit` as in processes_stop_begin, signals
	 * only if it does not talk QMP or does not go.
	 */
	if (p->running && (qmp_quit_begin(&p->qmp) ||
			   proc_wait_for(p->qemu, PROCESSES_KILL_GRACE_MS, &(int){ 0 }) != 1))
		proc_kill_wait(p->qemu, 0);
	if (p->started)
		kill(-p->qemu, SIGKILL);
	p->running = false;
	qmp_close(&p->qmp);
	if (p->have_emu)
		emulator_close(&p->emu);
}
