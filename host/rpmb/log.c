/* SPDX-License-Identifier: MIT */
/* Diagnostics of testrunner-rpmb-dev: "testrunner-rpmb-dev: <what>: <why>". */
#include "rpmb/log.h"

#include <stdarg.h>
#include <stdio.h>

bool rpmb_log_verbose;
bool rpmb_log_quiet;

static void vlog(const char *fmt, va_list ap)
{
	fputs("testrunner-rpmb-dev: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void rpmb_log(const char *fmt, ...)
{
	va_list ap;

	if (rpmb_log_quiet)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void rpmb_debug(const char *fmt, ...)
{
	va_list ap;

	if (rpmb_log_quiet || !rpmb_log_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
