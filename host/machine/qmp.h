/* SPDX-License-Identifier: MIT */
/*
 * The QMP client of one QEMU: we listen on <boot dir>/qmp before QEMU
 * starts, QEMU's `-chardev socket` connects (a control monitor on it), and
 * nothing more happens until a command is needed. Then: accept, greeting,
 * qmp_capabilities, the command; each exchange bounded in time, events
 * skipped, both directions logged to <boot dir>/qmp.log.
 */
#ifndef HOST_MACHINE_QMP_H
#define HOST_MACHINE_QMP_H

#include <stdbool.h>
#include <stddef.h>

#include "system/tmpdir.h"

#define QMP_SOCK_NAME "qmp"
#define QMP_LOG_NAME  "qmp.log"
/* The chardev's id on QEMU's command line. */
#define QMP_CHARDEV_ID "qmp"

/* What a command gets by default: QEMU answers in well under a millisecond. */
#define QMP_TIMEOUT_MS 1000
/* One message from QEMU longer than this (info registers is ~1.5 KiB) is refused. */
#define QMP_MSG_MAX (256 * 1024)

struct qmp {
	int lfd;		   /* listening until QEMU's connection is taken */
	int fd;			   /* the connection, -1 before */
	int log_fd;		   /* qmp.log, opened at the first exchange */
	bool negotiated;	   /* greeting read, capabilities accepted */
	bool broken;		   /* a timeout or garbage: the stream is out of step for good */
	bool quit_sent;		   /* qmp_quit_begin wrote `quit` */
	unsigned int id;	   /* of the last command sent */
	unsigned int timeout_ms;   /* of the call in progress */
	char dir[TMPDIR_PATH_MAX]; /* the boot's directory */
	char *buf;		   /* what QEMU sent that is not consumed yet */
	size_t fill, cap;
	char err[256]; /* why the last call failed, one line */
};

void qmp_init(struct qmp *q);
/* Listen on <dir>/qmp (before QEMU is started). 0 or -errno. */
int qmp_listen(struct qmp *q, const char *dir);
/*
 * Run one command: @execute with @args (a JSON object's text, or NULL),
 * within @timeout_ms (negotiation included, the first time). 0 with the
 * "return" value's JSON text in *@ret (malloc'd; @ret may be NULL);
 * -EREMOTEIO when QEMU answered with an error; -ETIMEDOUT, -EPROTO,
 * -ENOTCONN or another -errno. qmp_error() has the line to show.
 */
int qmp_call(struct qmp *q, const char *execute, const char *args, char **ret,
	     unsigned int timeout_ms);
/*
 * A human monitor command (`info registers`, `x /2gx ADDR`) run on CPU
 * @cpu (-1: the monitor's default): its text output in *@out (malloc'd).
 */
int qmp_hmp(struct qmp *q, const char *cmdline, int cpu, char **out, unsigned int timeout_ms);
/* `system_reset`: the machine reset as if by its reset line. */
int qmp_system_reset(struct qmp *q, unsigned int timeout_ms);
/* `stop`: every CPU paused (the state stays readable). */
int qmp_stop_cpus(struct qmp *q, unsigned int timeout_ms);
/*
 * Ask QEMU to quit without waiting for anything: only when QEMU is known
 * to talk QMP (negotiated, or its greeting already waits in the socket),
 * so that a QEMU that never will gets its signal at once. 0 when `quit`
 * was written, else -errno (send a signal instead).
 */
int qmp_quit_begin(struct qmp *q);
/* Whatever QEMU still said goes to the log; descriptors closed. */
void qmp_close(struct qmp *q);
const char *qmp_error(const struct qmp *q);

#endif
