/* SPDX-License-Identifier: MIT */
/* Starting and stopping testrunner-rpmb-dev around a QEMU boot. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system/proc.h"
#include "system/signals.h"
#include "machine/rpmbdev.h"

#include <testrunner/rpmb.h>

/* --init and --status take milliseconds; this only bounds a stuck disk. */
#define PREPARE_TIMEOUT_MS 10000
#define PREPARE_SLICE_MS   100

/* Run @argv to completion; its output (the last line of it) explains a failure. */
static int run_sync(char *const argv[], char *err, size_t errlen)
{
	char out[1024], how[PROC_DESCRIBE_MAX], *line;
	int p[2], status = 0, ret;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	ret = proc_spawn(argv, p[1], p[1], &pid);
	close(p[1]);
	if (ret) {
		close(p[0]);
		snprintf(err, errlen, "%s: %s", argv[0], strerror(-ret));
		return -1;
	}
	/* in slices, so that SIGINT/SIGTERM end the wait at once */
	for (unsigned int waited = 0;; waited += PREPARE_SLICE_MS) {
		if (proc_wait_for(pid, PREPARE_SLICE_MS, &status) == 1)
			break;
		if (signals_term() || waited + PREPARE_SLICE_MS >= PREPARE_TIMEOUT_MS) {
			proc_kill_wait(pid, 0);
			close(p[0]);
			if (signals_term())
				snprintf(err, errlen, "%s %s: interrupted", argv[0], argv[1]);
			else
				snprintf(err, errlen, "%s %s: did not finish within %d s", argv[0],
					 argv[1], PREPARE_TIMEOUT_MS / 1000);
			return -1;
		}
	}
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	out[n > 0 ? n : 0] = '\0';
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	line = strrchr(out, '\n');
	line = line ? line + 1 : out;
	proc_describe(status, how, sizeof(how));
	snprintf(err, errlen, "%s %s (%s)%s%s", argv[0], argv[1], how, *line ? ": " : "", line);
	return -1;
}

#define INIT_ARGV(emu, file)                                                                \
	{                                                                                   \
		(char *)(emu), "--init", "--dev", (char *)(file), "--size", RPMBDEV_BLOCKS, \
			"--key", RPMB_TEST_KEY_HEX, NULL                                    \
	}

int rpmbdev_prepare(const char *emu, const char *file, int check, char *err, size_t errlen)
{
	char *init[] = INIT_ARGV(emu, file);
	char *status[] = { (char *)emu, "--status",	   "--dev", (char *)file,
			   "--key",	RPMB_TEST_KEY_HEX, NULL };

	if (run_sync(init, err, errlen))
		return -1;
	/* a shared lock fails while another emulator serves the file */
	if (check && run_sync(status, err, errlen))
		return -1;
	return 0;
}

int rpmbdev_serve(const char *emu, const char *file, bool temp, int lfd, int log_fd, pid_t *pid)
{
	char fdarg[16];
	/*
	 * A temporary device: made by the process that serves it, and never
	 * synced, since it is deleted with the boot.
	 */
	char *argv[] = { (char *)emu,	 "--dev",  (char *)file,      "--sock-fd",
			 fdarg,		 "--init", "--no-sync",	      "--size",
			 RPMBDEV_BLOCKS, "--key",  RPMB_TEST_KEY_HEX, NULL };

	/* a user's file: made by rpmbdev_prepare, and crash-safe */
	if (!temp)
		argv[5] = NULL;
	snprintf(fdarg, sizeof(fdarg), "%d", lfd);
	return proc_spawn_keep(argv, log_fd, log_fd, lfd, pid);
}
