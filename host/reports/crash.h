/* SPDX-License-Identifier: MIT */
/*
 * A guest crash report: the "# exception:" and "# backtrace:" lines parsed,
 * the syndrome decoded, the registers laid out, the frames symbolized.
 */
#ifndef HOST_REPORTS_CRASH_H
#define HOST_REPORTS_CRASH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "reports/symbolize.h"

/* Frames of a backtrace kept (the guest sends at most 16, ELR first). */
#define CRASH_FRAMES_MAX 32

struct crash_info {
	bool have_esr; /* the ESR line was there */
	uint64_t esr, elr, far, lr;
	char kind[32]; /* "sync", "irq", "nested sync"... */
	unsigned int cpu;
	uint64_t x[31], sp, spsr;
	uint32_t have_x; /* bit i: x[i] was sent */
	bool have_sp, have_spsr;
	bool guard;				     /* FAR in a stack guard page */
	unsigned long long frames[CRASH_FRAMES_MAX]; /* the backtrace, ELR first */
	size_t nframes;
};

/*
 * Parse the test's exception text (its "# exception:" lines, newline
 * separated, each without the prefix) and backtrace text (either may be
 * NULL). Unknown words are ignored: an older or newer guest still parses.
 */
void crash_parse(struct crash_info *c, const char *exception, const char *backtrace);

/* The syndrome in words, the CPU, SPSR and the registers, "    "-indented. */
void crash_print_decoded(FILE *f, const struct crash_info *c);

/*
 * The addresses to symbolize: ELR, LR - 4 (the call in the caller of a
 * leaf), then the frames after the first. Returns how many (at most @max).
 */
size_t crash_addresses(const struct crash_info *c, unsigned long long *addrs, size_t max);

/*
 * The frames, symbolized by @j (started on crash_addresses; its lines may
 * be missing): ELR, LR when the fault is in a leaf, then the frame chain
 * with repeated frames folded.
 */
void crash_print_frames(FILE *f, const struct crash_info *c, const struct symbolize_job *j);

#endif
