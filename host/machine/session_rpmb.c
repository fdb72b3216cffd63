// SPDX-License-Identifier: MIT
/* The boot's own testrunner-rpmb-dev: its socket, --init of a temporary device, serving, failures. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system/proc.h"
#include "machine/rpmbdev.h"
#include "machine/session_rpmb.h"

static int rpmb_log_fd(const struct session *s, bool append)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/" QEMU_RPMB_LOG_NAME, s->dir);
	return open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC),
		    0600);
}

/* Hand rpmb0's listening socket to an emulator serving s->rpmb_file. */
static int serve_rpmb(struct session *s)
{
	int logfd = rpmb_log_fd(s, true), ret;

	ret = rpmbdev_serve(s->emu, s->rpmb_file, s->rfd, logfd, &s->emu_pid);
	if (logfd >= 0)
		close(logfd);
	close(s->rfd);
	s->rfd = -1;
	if (ret) {
		session_fail(s, END_START, "%s: %s", s->emu, strerror(-ret));
		return -1;
	}
	s->emu_running = true;
	s->emu_init = false;
	return 0;
}

/* rpmb0's socket, listening before QEMU starts so that its chardev connects. */
int session_rpmb_listen(struct session *s, const struct qemu_cfg *cfg)
{
	char sock[PATH_MAX + 16], err[sizeof(s->err) - 16];

	s->emu = cfg->rpmb_dev;
	if (cfg->rpmb_file)
		snprintf(s->rpmb_file, sizeof(s->rpmb_file), "%s", cfg->rpmb_file);
	else
		snprintf(s->rpmb_file, sizeof(s->rpmb_file), "%s/" QEMU_RPMB_DEV_NAME,
			 s->dir);
	snprintf(sock, sizeof(sock), "%s/" QEMU_RPMB_SOCK_NAME, s->dir);
	s->rfd = rpmbdev_listen(sock, err, sizeof(err));
	if (s->rfd < 0) {
		s->rfd = -1;
		session_fail(s, END_START, "%s", err);
		return -1;
	}
	return 0;
}

/*
 * The boot's own emulator, started after QEMU so that it costs the boot
 * nothing: QEMU's connection waits on the socket meanwhile. A temporary
 * device is made first by `--init`; the emulator proper follows when that
 * is done (check_rpmb).
 */
int session_rpmb_start(struct session *s, bool temporary)
{
	int logfd, ret;

	if (!temporary)
		return serve_rpmb(s);
	logfd = rpmb_log_fd(s, false);
	ret = rpmbdev_spawn_init(s->emu, s->rpmb_file, logfd, &s->emu_pid);
	if (logfd >= 0)
		close(logfd);
	if (ret) {
		session_fail(s, END_START, "%s: %s", s->emu, strerror(-ret));
		return -1;
	}
	s->emu_running = s->emu_init = true;
	return 0;
}

/* The last line the emulator wrote, for an error message. */
static void rpmb_failed(struct session *s, const char *what, int st)
{
	char how[96], *tail = session_read_tail(s->dir, QEMU_RPMB_LOG_NAME), *line = NULL;

	if (tail) {
		line = tail + strlen(tail);
		while (line > tail && line[-1] == '\n')
			*--line = '\0';
		while (line > tail && line[-1] != '\n')
			line--;
	}
	proc_describe(st, how, sizeof(how));
	session_fail(s, END_RPMB, "%s (%s)%s%s", what, how, line && *line ? ": " : "",
	     line ? line : "");
	free(tail);
}

/* Move the emulator on: device made -> serve; given up on its device -> fail. */
void session_rpmb_check(struct session *s)
{
	int st;

	if (!s->emu_running || proc_reap(s->emu_pid, &st) != 1)
		return;
	s->emu_running = false;
	if (s->emu_init) {
		s->emu_init = false;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rpmb_failed(s, "RPMB device: testrunner-rpmb-dev --init failed", st);
		else if (s->phase != SESSION_DONE)
			serve_rpmb(s);
		return;
	}
	/* exit 2: device missing, invalid or locked; any other end is QEMU closing */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2 && s->running)
		rpmb_failed(s, "RPMB emulator stopped", st);
}
