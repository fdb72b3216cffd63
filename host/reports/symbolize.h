/* SPDX-License-Identifier: MIT */
/* Guest addresses to "function at file:line" with aarch64-linux-gnu-addr2line. */
#ifndef HOST_SYMBOLIZE_H
#define HOST_SYMBOLIZE_H

#include <stdio.h>

/*
 * Print the crash report of one test to @f: the raw "# exception:" and
 * "# backtrace:" texts (either may be NULL) and, when addr2line is
 * installed, one symbolized line per address (ELR first, then the frames).
 */
void symbolize_crash(FILE *f, const char *image, const char *exception,
		     const char *backtrace);

/*
 * Collect the 0x... numbers of @text into @addrs (at most @max); with
 * @key (e.g. "ELR=") only the one after it. Returns how many.
 */
size_t symbolize_addresses(const char *text, const char *key,
			   unsigned long long *addrs, size_t max);

#endif
