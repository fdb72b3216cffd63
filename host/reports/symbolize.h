/* SPDX-License-Identifier: MIT */
/*
 * Guest addresses to "function at file:line" with aarch64-linux-gnu-addr2line,
 * run as a child the poll loop waits on (never a blocking wait of its own).
 */
#ifndef HOST_REPORTS_SYMBOLIZE_H
#define HOST_REPORTS_SYMBOLIZE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "system/stop.h"

/* Frames of a backtrace symbolized (the guest sends at most this many). */
#define SYMBOLIZE_FRAMES_MAX 32
/* A stuck addr2line is given up on after this long. */
#define SYMBOLIZE_TIMEOUT_MS 5000
#define SYMBOLIZE_OUT_MAX    8192

struct symbolize_job {
	unsigned long long addrs[SYMBOLIZE_FRAMES_MAX + 1];
	size_t n, nelr; /* addresses; the first @nelr from ELR= */
	pid_t pid;
	int fd; /* addr2line's stdout until its end, else -1 */
	bool stopping;
	bool done;
	struct child_stop stop;
	uint64_t deadline;
	char out[SYMBOLIZE_OUT_MAX];
	size_t got;
};

/*
 * Collect the 0x... numbers of @text into @addrs (at most @max); with
 * @key (e.g. "ELR=") only the one after it. Returns how many.
 */
size_t symbolize_addresses(const char *text, const char *key, unsigned long long *addrs,
			   size_t max);

/*
 * Start addr2line on @image for the ELR in @exception and the frames in
 * @backtrace (either may be NULL). Returns 0, -ENOENT when there is nothing
 * to symbolize, or -errno when addr2line cannot run.
 */
int symbolize_start(struct symbolize_job *j, const char *image, const char *exception,
		    const char *backtrace, uint64_t now);
/* Its descriptor to poll (0 or 1 filled) and deadline (0: none). */
int symbolize_pollfd(const struct symbolize_job *j, struct pollfd *pfd, uint64_t *deadline);
/* Read what is there, stop it at the deadline; true once finished. */
bool symbolize_step(struct symbolize_job *j, short revents, uint64_t now);
/* One line per address it named: "    ELR 0x..: f at file:line", "    #0 ...". */
void symbolize_print(FILE *f, struct symbolize_job *j);
/* Teardown: a child still running is killed and reaped. */
void symbolize_free(struct symbolize_job *j);

/* The raw crash texts, as the test reported them (either may be NULL). */
void symbolize_print_raw(FILE *f, const char *exception, const char *backtrace);

#endif
