/* SPDX-License-Identifier: MIT */
/*
 * Signals without sleeping: a self-pipe wakes poll() on SIGCHLD and on the
 * signals that end a run (SIGINT, SIGTERM, SIGHUP unless ignored by nohup,
 * SIGQUIT, SIGALRM); a closed stdout or socket is an error return (SIGPIPE
 * ignored).
 */
#ifndef HOST_SYSTEM_SIGNALS_H
#define HOST_SYSTEM_SIGNALS_H

/* Install the handlers and the self-pipe. Returns 0 or -errno. */
int signals_init(void);
/* The read end of the self-pipe, to poll for POLLIN. */
int signals_wake_fd(void);
/* Empty the self-pipe (signals stay recorded, see signals_term). */
void signals_wake_drain(void);
/* Make the next poll() on the self-pipe return at once. */
void signals_rearm(void);
/* The first signal that ends the run if one arrived, else 0. Sticky. */
int signals_term(void);

/* The exit code of a program ended by @sig (SIGINT: 130, SIGTERM: 143). */
#define SIGNALS_EXIT_CODE(sig) (128 + (sig))

#endif
