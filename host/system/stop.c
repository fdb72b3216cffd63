/* SPDX-License-Identifier: MIT */
/* A child stopped in steps driven by the poll loop: signal, grace, SIGKILL, reap. */
#include <signal.h>

#include "system/proc.h"
#include "system/stop.h"

const struct proc_ops proc_ops_real = {
	.kill = kill,
	.reap = proc_reap,
};

/* The child's whole process group (proc_spawn makes one per child). */
static int kill_group(pid_t pid, int sig)
{
	return kill(-pid, sig);
}

const struct proc_ops proc_ops_group = {
	.kill = kill_group,
	.reap = proc_reap,
};

void stop_begin(struct child_stop *c, const struct proc_ops *ops, pid_t pid, int first_sig,
		unsigned int grace_ms, uint64_t now)
{
	c->ops = ops;
	c->pid = pid;
	c->killed = false;
	c->reaped = false;
	c->wstatus = 0;
	c->deadline = now + grace_ms;
	if (first_sig)
		ops->kill(pid, first_sig);
	stop_step(c, now);
}

bool stop_step(struct child_stop *c, uint64_t now)
{
	int r;

	if (c->reaped)
		return true;
	r = c->ops->reap(c->pid, &c->wstatus);
	if (r != 0) {
		/* -ECHILD: someone reaped it already; it is gone either way */
		if (r < 0)
			c->wstatus = 0;
		c->reaped = true;
		return true;
	}
	if (now >= c->deadline) {
		if (!c->killed)
			c->ops->kill(c->pid, SIGKILL);
		c->killed = true;
		c->deadline = now + STOP_REAP_RETRY_MS;
	}
	return false;
}

uint64_t stop_deadline(const struct child_stop *c)
{
	return c->reaped ? 0 : c->deadline;
}
