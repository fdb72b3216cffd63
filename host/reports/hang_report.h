/* SPDX-License-Identifier: MIT */
/*
 * A hang report laid out for people: each CPU's PC, LR, SP, exception
 * level and PSTATE, its frame chain, every address symbolized.
 */
#ifndef HOST_REPORTS_HANG_REPORT_H
#define HOST_REPORTS_HANG_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/hang.h"
#include "reports/symbolize.h"

/*
 * The addresses to symbolize, CPU by CPU (PC, LR - 4, each return address
 * - 4: the call, not the instruction after it), moved back by @offset (the
 * image's load address minus its link address). How many, at most @max.
 */
size_t hang_addresses(const struct hang_state *h, uint64_t offset, unsigned long long *addrs,
		      size_t max);
/*
 * The report's lines after the test line, "    "-indented, with @j's
 * symbols (started on hang_addresses; its lines may be missing); @cpu0
 * is said of CPU 0 (" (boot CPU, runs the test)").
 */
void hang_print(FILE *f, const struct hang_state *h, const struct symbolize_job *j,
		const char *cpu0);
/* The offset for hang_addresses: 0 unless h->load_addr differs from @image's link address. */
uint64_t hang_load_offset(const struct hang_state *h, const char *image);

#endif
