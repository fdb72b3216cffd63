/* SPDX-License-Identifier: MIT */
/* Child processes: fork/exec without a shell, reaping, stopping, finding programs. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "system/clock.h"
#include "system/proc.h"
#include "system/signals.h"

static int spawn(char *const argv[], const char *cwd, int out_fd, int err_fd, int keep_fd,
		 pid_t *pid)
{
	int errpipe[2], err = 0, status;
	pid_t parent = getpid(), p;
	ssize_t n;

	if (pipe2(errpipe, O_CLOEXEC))
		return -errno;
	p = fork();
	if (p < 0) {
		err = -errno;
		close(errpipe[0]);
		close(errpipe[1]);
		return err;
	}
	if (p == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		sigset_t none;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Ctrl-C is ours to handle; QEMU must not die behind our back */
		setpgid(0, 0);
		/* no QEMU outlives the harness, even a SIGKILLed one */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd >= 0 ? out_fd : 2, 1) < 0 ||
		    (err_fd >= 0 && dup2(err_fd, 2) < 0) ||
		    (keep_fd >= 0 && fcntl(keep_fd, F_SETFD, 0) < 0) || (cwd && chdir(cwd) < 0))
			goto fail;
		execvp(argv[0], argv);
fail:
		err = errno;
		if (write(errpipe[1], &err, sizeof(err)) < 0) {
		}
		_exit(127);
	}
	close(errpipe[1]);
	do
		n = read(errpipe[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == sizeof(err)) {
		while (waitpid(p, &status, 0) < 0 && errno == EINTR)
			;
		return -err;
	}
	*pid = p;
	return 0;
}

int proc_spawn(char *const argv[], int out_fd, int err_fd, pid_t *pid)
{
	return spawn(argv, NULL, out_fd, err_fd, -1, pid);
}

int proc_spawn_keep(char *const argv[], int out_fd, int err_fd, int keep_fd, pid_t *pid)
{
	return spawn(argv, NULL, out_fd, err_fd, keep_fd, pid);
}

int proc_spawn_in(char *const argv[], const char *cwd, int out_fd, int err_fd, pid_t *pid)
{
	return spawn(argv, cwd, out_fd, err_fd, -1, pid);
}

int proc_reap(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	if (r < 0)
		return -errno;
	return r == pid;
}

int proc_wait_for(pid_t pid, unsigned int ms, int *status)
{
	uint64_t end = clock_now_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = signals_wake_fd(), .events = POLLIN };
		uint64_t now;
		int r = proc_reap(pid, status);

		if (r || (now = clock_now_ms()) >= end) {
			/* we may have eaten wake-ups meant for the main loop */
			signals_rearm();
			return r < 0 ? r : r ? 1 : 0;
		}
		/* SIGCHLD writes to the pipe: this wakes the moment it exits */
		poll(&pfd, 1, (int)(end - now));
		signals_wake_drain();
	}
}

int proc_kill_wait(pid_t pid, unsigned int grace_ms)
{
	int status = 0;

	kill(pid, SIGTERM);
	if (proc_wait_for(pid, grace_ms, &status) == 1)
		return status;
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

void proc_describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status 0x%x", status);
}

int proc_exe_relative(const char *rel, char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(out, len, "%s/%s", slash ? exe : ".", rel) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int proc_find_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	int err = -ENOENT;

	if (strchr(name, '/')) {
		struct stat st;

		if (stat(name, &st))
			return -errno;
		if (!S_ISREG(st.st_mode) || access(name, X_OK))
			return -EACCES;
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t dl = end ? (size_t)(end - path) : strlen(path);
		struct stat st;

		snprintf(out, len, "%.*s%s%s", (int)dl, path, dl ? "/" : "", name);
		if (!stat(out, &st) && S_ISREG(st.st_mode)) {
			if (!access(out, X_OK))
				return 0;
			err = -EACCES;
		}
		path += dl;
		if (*path == ':')
			path++;
	}
	return err;
}
