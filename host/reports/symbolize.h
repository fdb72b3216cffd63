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
#include <sys/types.h>

#include "system/stop.h"

/* Addresses one job symbolizes (a crash: ELR, LR and the guest's frames). */
#define SYMBOLIZE_ADDRS_MAX 40
/* A stuck addr2line is given up on after this long. */
#define SYMBOLIZE_TIMEOUT_MS 5000
#define SYMBOLIZE_OUT_MAX    8192

struct symbolize_job {
	unsigned long long addrs[SYMBOLIZE_ADDRS_MAX];
	size_t n;
	pid_t pid;
	int fd; /* addr2line's stdout until its end, else -1 */
	bool stopping;
	bool done;
	struct child_stop stop;
	uint64_t deadline;
	char out[SYMBOLIZE_OUT_MAX];
	size_t got;
	const char *lines[SYMBOLIZE_ADDRS_MAX]; /* into out, once done */
};

/*
 * Collect the 0x... numbers of @text into @addrs (at most @max); with
 * @key (e.g. "ELR=") only the one after it. Returns how many.
 */
size_t symbolize_addresses(const char *text, const char *key, unsigned long long *addrs,
			   size_t max);

/*
 * Start addr2line on @image for @n addresses (at most SYMBOLIZE_ADDRS_MAX).
 * Returns 0, -ENOENT when there is nothing to symbolize, or -errno when
 * addr2line cannot run.
 */
int symbolize_start(struct symbolize_job *j, const char *image, const unsigned long long *addrs,
		    size_t n, uint64_t now);
/* Its descriptor to poll (0 or 1 filled) and deadline (0: none). */
int symbolize_pollfd(const struct symbolize_job *j, struct pollfd *pfd, uint64_t *deadline);
/* Read what is there, stop it at the deadline; true once finished. */
bool symbolize_step(struct symbolize_job *j, short revents, uint64_t now);
/* Once done: "f at file:line" for address @i, or NULL when addr2line said nothing. */
const char *symbolize_line(const struct symbolize_job *j, size_t i);
/*
 * The address @image (an ELF) is linked at: its lowest PT_LOAD's vaddr,
 * for an image that runs elsewhere (loaded raw). 0 or -errno (-ENOEXEC:
 * not a 64-bit ELF).
 */
int symbolize_link_base(const char *image, uint64_t *base);
/* Teardown: a child still running is killed and reaped. */
void symbolize_free(struct symbolize_job *j);

#endif
