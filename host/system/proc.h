/* SPDX-License-Identifier: MIT */
/*
 * Child processes: started with fork/exec (never a shell), die with us,
 * reaped without blocking; the few blocking waits are for setup only.
 */
#ifndef HOST_SYSTEM_PROC_H
#define HOST_SYSTEM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "exit status 3" / "killed by signal 9 (Killed)": room for the longest. */
#define PROC_DESCRIBE_MAX 96

/*
 * fork/exec @argv[0] (searched in PATH when it has no '/'), stdin from
 * /dev/null, stdout to @out_fd and stderr to @err_fd (-1: our stderr), in its own process
 * group and killed if we die. Returns 0 with *pid, or -errno when the exec
 * failed (the child is already reaped then).
 */
int proc_spawn(char *const argv[], int out_fd, int err_fd, pid_t *pid);
/* The same, and @keep_fd (if >= 0) stays open across the exec. */
int proc_spawn_keep(char *const argv[], int out_fd, int err_fd, int keep_fd, pid_t *pid);
/* The same as proc_spawn, run in the directory @cwd (a relative argv[0] is then found there). */
int proc_spawn_in(char *const argv[], const char *cwd, int out_fd, int err_fd, pid_t *pid);

/* Non-blocking reap: 1 exited (*status set), 0 still running, -errno. */
int proc_reap(pid_t pid, int *status);

/*
 * Blocking, for setup and teardown outside the poll loop only: SIGTERM, up
 * to @grace_ms for it to exit, then SIGKILL; always reaps. Returns its wait
 * status.
 */
int proc_kill_wait(pid_t pid, unsigned int grace_ms);

/* Blocking: wait up to @ms for @pid to exit by itself: 1 exited (*status), 0 not yet. */
int proc_wait_for(pid_t pid, unsigned int ms, int *status);

/* "exit status 3" / "killed by signal 9 (Killed)" */
void proc_describe(int status, char *buf, size_t len);

/*
 * A path relative to the directory of our own executable, e.g. the build's
 * image "../guest/testrunner.elf" next to build/host/. Returns 0 or -errno.
 */
int proc_exe_relative(const char *rel, char *out, size_t len);

/* Resolve a program like execvp would: 0 with @out set, or -ENOENT/-EACCES. */
int proc_find_program(const char *name, char *out, size_t len);

#endif
