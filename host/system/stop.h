/* SPDX-License-Identifier: MIT */
/*
 * Stopping a child without waiting for it: a first signal (or none), a grace
 * period, SIGKILL, each step taken when the poll loop comes back (SIGCHLD or
 * the deadline), so that one stuck child never stalls the others.
 */
#ifndef HOST_SYSTEM_STOP_H
#define HOST_SYSTEM_STOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The process calls a stop makes; tests pass fakes. */
struct proc_ops {
	int (*kill)(pid_t pid, int sig);
	/* proc_reap's contract: 1 exited (*status), 0 running, -errno */
	int (*reap)(pid_t pid, int *status);
};

extern const struct proc_ops proc_ops_real;
/*
 * Signals go to the child's process group: a wrapper script that does not
 * exec its program is stopped together with it.
 */
extern const struct proc_ops proc_ops_group;

/* After SIGKILL the kernel reaps at once; look again this often until it has. */
#define STOP_REAP_RETRY_MS 20

struct child_stop {
	const struct proc_ops *ops;
	pid_t pid;
	bool killed; /* SIGKILL sent */
	bool reaped;
	uint64_t deadline; /* ms: the next step is due; see stop_deadline */
	int wstatus;	   /* once reaped */
};

/*
 * Begin stopping @pid at @now: send @first_sig (0: none, let it end by
 * itself), allow @grace_ms, then SIGKILL. Takes one step at once, so a child
 * that is already gone is reaped here.
 */
void stop_begin(struct child_stop *c, const struct proc_ops *ops, pid_t pid, int first_sig,
		unsigned int grace_ms, uint64_t now);
/* Reap if it has exited, SIGKILL once the grace is over. True once reaped. */
bool stop_step(struct child_stop *c, uint64_t now);
/* When stop_step must run again at the latest (0 once reaped). */
uint64_t stop_deadline(const struct child_stop *c);

#endif
