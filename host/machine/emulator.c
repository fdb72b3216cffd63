/* SPDX-License-Identifier: MIT */
/* The RPMB emulator of one boot: socket, one process making and serving its device, stop. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "machine/emulator.h"
#include "machine/qemu.h"
#include "machine/rpmbdev.h"
#include "system/proc.h"
#include "system/unix_socket.h"

/* Enough of the emulator's log for its last line. */
#define EMU_LOG_TAIL_BYTES 2048

static int log_fd(const struct emulator *e, bool append)
{
	char path[TMPDIR_PATH_MAX];

	if (tmpdir_path(path, sizeof(path), e->dir, QEMU_RPMB_LOG_NAME))
		return -1;
	return open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
}

int emulator_listen(struct emulator *e, const char *program, const char *dir, const char *file,
		    char *err, size_t errlen)
{
	char sock[TMPDIR_SOCK_MAX];
	int ret;

	memset(e, 0, sizeof(*e));
	e->lfd = e->alive_fd = -1;
	e->program = program;
	e->dir = dir;
	e->file = file;
	if (!file) {
		ret = tmpdir_path(e->temp, sizeof(e->temp), dir, QEMU_RPMB_DEV_NAME);
		if (ret) {
			snprintf(err, errlen, "RPMB device in %s: %s", dir, strerror(-ret));
			return ret;
		}
		e->file = e->temp;
	}
	ret = tmpdir_socket(sock, sizeof(sock), dir, QEMU_RPMB_SOCK_NAME);
	/*
	 * We listen, the emulator accepts: no ready line to wait for. Blocking,
	 * as the emulator's accept() expects; close-on-exec, so that only the
	 * emulator inherits it (proc_spawn_keep).
	 */
	if (!ret)
		ret = unix_listen(sock, false);
	if (ret < 0) {
		snprintf(err, errlen, "RPMB socket %s: %s", sock, strerror(-ret));
		return ret;
	}
	e->lfd = ret;
	return 0;
}

/* A temporary device not made yet: the emulator is not known to be serving. */
static bool initialising(const struct emulator *e)
{
	/* --init links the device into place whole: it exists once made */
	return e->running && e->file == e->temp && access(e->temp, F_OK) != 0;
}

/*
 * Started after QEMU, so that it costs the boot nothing: QEMU's connection
 * waits on the socket meanwhile. One process, given rpmb0's listening socket,
 * serves e->file (making it first when it is a temporary device); it also
 * gets the write end of a pipe that only it holds: the pipe hangs up when its
 * files close, as its rpmb0 connection does, before the guest can report the
 * failures that follow (emulator_exiting).
 */
int emulator_start(struct emulator *e, char *err, size_t errlen)
{
	bool temp = e->file == e->temp;
	int logfd = log_fd(e, !temp), alive[2] = { -1, -1 }, ret = 0;

	if (pipe2(alive, O_CLOEXEC) || fcntl(alive[1], F_SETFD, 0))
		ret = -errno;
	if (!ret)
		ret = rpmbdev_serve(e->program, e->file, temp, e->lfd, logfd, &e->pid);
	if (logfd >= 0)
		close(logfd);
	close(e->lfd);
	e->lfd = -1;
	if (alive[1] >= 0)
		close(alive[1]);
	if (ret) {
		if (alive[0] >= 0)
			close(alive[0]);
		snprintf(err, errlen, "%s: %s", e->program, strerror(-ret));
		return ret;
	}
	e->alive_fd = alive[0];
	e->running = true;
	return 0;
}

/* "<what> (<how it ended>): <the emulator's last line>" */
static int failed(struct emulator *e, const char *what, int st, char *err, size_t errlen)
{
	char how[PROC_DESCRIBE_MAX], *line = NULL;
	char *tail = tmpdir_read_tail(e->dir, QEMU_RPMB_LOG_NAME, EMU_LOG_TAIL_BYTES);

	if (tail) {
		line = tail + strlen(tail);
		while (line > tail && line[-1] == '\n')
			*--line = '\0';
		while (line > tail && line[-1] != '\n')
			line--;
	}
	proc_describe(st, how, sizeof(how));
	snprintf(err, errlen, "%s (%s)%s%s", what, how, line && *line ? ": " : "",
		 line ? line : "");
	free(tail);
	return -EIO;
}

int emulator_check(struct emulator *e, bool qemu_running, char *err, size_t errlen)
{
	int st;

	if (!e->running || e->stopping || proc_reap(e->pid, &st) != 1)
		return 0;
	/* gone before its temporary device was made: however it ended, --init failed */
	if (initialising(e)) {
		e->running = false;
		return failed(e, "RPMB device: testrunner-rpmb-dev --init failed", st, err, errlen);
	}
	e->running = false;
	/* exit 2: device missing, invalid or locked; any other end is QEMU closing */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2 && qemu_running)
		return failed(e, "RPMB emulator stopped", st, err, errlen);
	/*
	 * A kill we did not send: the boot goes on, QEMU's own end may explain
	 * more. Also when QEMU is gone already: its exit (a guest that powered
	 * off just after its result) can be reaped first, and ends no emulator
	 * by a signal.
	 */
	if (WIFSIGNALED(st)) {
		e->lost = true;
		e->lost_status = st;
	}
	return 0;
}

int emulator_lost(struct emulator *e, char *err, size_t errlen)
{
	/* dead already when the stop began (it raced the guest's last frames) */
	if (!e->lost && e->stopping && e->stop.reaped && !e->stop.killed &&
	    WIFSIGNALED(e->stop.wstatus)) {
		e->lost = true;
		e->lost_status = e->stop.wstatus;
	}
	return e->lost ? failed(e, "RPMB emulator stopped", e->lost_status, err, errlen) : 0;
}

void emulator_stop_begin(struct emulator *e, bool graceful, uint64_t now)
{
	if (!e->running || e->stopping)
		return;
	e->stopping = true;
	/* its device is crash-safe: a kill at any instant loses no acknowledged write */
	stop_begin(&e->stop, &proc_ops_real, e->pid, 0,
		   graceful && !initialising(e) ? RPMBDEV_GRACE_MS : 0, now);
}

bool emulator_stop_step(struct emulator *e, uint64_t now)
{
	if (!e->running)
		return true;
	if (!e->stopping || !stop_step(&e->stop, now))
		return false;
	e->running = false;
	return true;
}

bool emulator_exiting(const struct emulator *e)
{
	struct pollfd p = { .fd = e->alive_fd, .events = POLLIN };

	if (!e->running || initialising(e))
		return e->running;
	return e->alive_fd < 0 || poll(&p, 1, 0) != 0;
}

uint64_t emulator_deadline(const struct emulator *e)
{
	return e->running && e->stopping ? stop_deadline(&e->stop) : 0;
}

void emulator_close(struct emulator *e)
{
	if (e->running) {
		kill(e->pid, SIGKILL);
		while (waitpid(e->pid, NULL, 0) < 0 && errno == EINTR)
			;
		e->running = false;
	}
	if (e->lfd >= 0)
		close(e->lfd);
	if (e->alive_fd >= 0)
		close(e->alive_fd);
	e->lfd = e->alive_fd = -1;
}
