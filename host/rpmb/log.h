/* SPDX-License-Identifier: MIT */
/* One-line diagnostics of testrunner-rpmb-dev on stderr. */
#ifndef RPMB_LOG_H
#define RPMB_LOG_H

#include <stdbool.h>

extern bool rpmb_log_verbose; /* also log every request */
extern bool rpmb_log_quiet;   /* unit tests: say nothing */

void rpmb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rpmb_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
