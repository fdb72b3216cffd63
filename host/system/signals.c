/* SPDX-License-Identifier: MIT */
/* SIGCHLD and the signals that end a run (INT, TERM, HUP, QUIT, ALRM) through a self-pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "system/signals.h"

static int wake_pipe[2] = { -1, -1 };
/* Each ends the run the same way: boots stopped, directories removed, 128 + N. */
static const int ending[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM };
static volatile sig_atomic_t term_signal;

static void on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig != SIGCHLD && !term_signal)
		term_signal = sig;
	/* a full pipe already guarantees a wake-up */
	if (write(wake_pipe[1], &c, 1) < 0) {
	}
	errno = saved;
}

int signals_init(void)
{
	struct sigaction sa;

	if (wake_pipe[0] >= 0)
		return 0;
	if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC))
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL))
		return -errno;
	for (size_t i = 0; i < sizeof(ending) / sizeof(ending[0]); i++) {
		struct sigaction old;

		/* nohup's SIGHUP stays ignored: a closed terminal must not end that run */
		if (ending[i] == SIGHUP && !sigaction(SIGHUP, NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(ending[i], &sa, NULL))
			return -errno;
	}
	/* a closed stdout or a vanished guest is an error return, not a death */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int signals_wake_fd(void)
{
	return wake_pipe[0];
}

void signals_wake_drain(void)
{
	char buf[64];

	while (read(wake_pipe[0], buf, sizeof(buf)) > 0)
		;
}

int signals_term(void)
{
	return term_signal;
}

void signals_rearm(void)
{
	char c = 0;

	/* a full pipe already guarantees a wake-up */
	if (write(wake_pipe[1], &c, 1) < 0) {
	}
}
