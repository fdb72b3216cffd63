// SPDX-License-Identifier: MIT
/* Starting and stopping testrunner-rpmb-dev around a QEMU boot. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system/proc.h"
#include "machine/rpmbdev.h"

#include <testrunner/rpmb.h>

/* --init and --status take milliseconds; this only bounds a stuck disk. */
#define PREPARE_TIMEOUT_MS 10000
#define PREPARE_SLICE_MS 100

/* Run @argv to completion; its output (the last line of it) explains a failure. */
static int run_sync(char *const argv[], char *err, size_t errlen)
{
	char out[1024], how[96], *line;
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
		if (proc_term_signal() || waited + PREPARE_SLICE_MS >= PREPARE_TIMEOUT_MS) {
			proc_kill_wait(pid, 0);
			close(p[0]);
			if (proc_term_signal())
				snprintf(err, errlen, "%s %s: interrupted", argv[0], argv[1]);
			else
				snprintf(err, errlen, "%s %s: did not finish within %d s",
					 argv[0], argv[1], PREPARE_TIMEOUT_MS / 1000);
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
	snprintf(err, errlen, "%s %s (%s)%s%s", argv[0], argv[1], how,
		 *line ? ": " : "", line);
	return -1;
}

#define INIT_ARGV(emu, file)                                                   \
	{ (char *)(emu), "--init", "--dev", (char *)(file), "--size",          \
	  RPMBDEV_BLOCKS, "--key", RPMB_TEST_KEY_HEX, NULL }

int rpmbdev_prepare(const char *emu, const char *file, int check, char *err,
		    size_t errlen)
{
	char *init[] = INIT_ARGV(emu, file);
	char *status[] = { (char *)emu, "--status", "--dev", (char *)file, NULL };

	if (run_sync(init, err, errlen))
		return -1;
	/* a shared lock fails while another emulator serves the file */
	if (check && run_sync(status, err, errlen))
		return -1;
	return 0;
}

int rpmbdev_spawn_init(const char *emu, const char *file, int log_fd, pid_t *pid)
{
	char *argv[] = INIT_ARGV(emu, file);

	return proc_spawn(argv, log_fd, log_fd, pid);
}

int rpmbdev_listen(const char *sock_path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ret;

	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path) >=
	    sizeof(sun.sun_path)) {
		snprintf(err, errlen, "RPMB socket %s: path too long", sock_path);
		return -ENAMETOOLONG;
	}
	/*
	 * We listen, the emulator accepts: no ready line to wait for. Blocking,
	 * as the emulator's accept() expects; close-on-exec, so that only the
	 * emulator inherits it (proc_spawn_keep).
	 */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 1)) {
		ret = -errno;
		snprintf(err, errlen, "RPMB socket %s: %s", sock_path, strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	return fd;
}

int rpmbdev_serve(const char *emu, const char *file, int lfd, int log_fd, pid_t *pid)
{
	char fdarg[16];
	char *argv[] = { (char *)emu, "--dev", (char *)file, "--sock-fd", fdarg, NULL };

	snprintf(fdarg, sizeof(fdarg), "%d", lfd);
	return proc_spawn_keep(argv, log_fd, log_fd, lfd, pid);
}

int rpmbdev_stop(pid_t pid, unsigned int grace_ms)
{
	int status = 0;

	/* its device is crash-safe: a kill at any instant loses no acknowledged write */
	if (grace_ms && proc_wait_for(pid, grace_ms, &status) == 1)
		return status;
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}
