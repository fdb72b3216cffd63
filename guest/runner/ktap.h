/* SPDX-License-Identifier: MIT */
/*
 * KTAP version 1 output (Linux Documentation/dev-tools/ktap.rst) into a
 * frame writer. Portable.
 */
#ifndef RUNNER_KTAP_H
#define RUNNER_KTAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "runner/frames.h"

/* Longest line ktap_diag formats; longer text is cut and marked "...". */
#define KTAP_LINE_MAX 240

enum ktap_outcome {
	KTAP_PASS,
	KTAP_FAIL,
	KTAP_SKIP,  /* "ok N name # SKIP reason" */
	KTAP_ERROR, /* "not ok N name # ERROR reason" */
};

void ktap_header(struct frame_writer *fw, unsigned int plan);

/* "# text" diagnostic lines; every line of a multi-line text gets the "# ". */
void ktap_diag(struct frame_writer *fw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ktap_vdiag(struct frame_writer *fw, const char *fmt, va_list ap);

/*
 * Result line for test @number. @reason goes after the directive (SKIP,
 * ERROR); newlines in it are replaced so the line stays one line.
 * Returns the length of the line written into @line (for mirroring).
 */
size_t ktap_result(struct frame_writer *fw, unsigned int number, const char *name,
		   enum ktap_outcome outcome, const char *reason, char *line, size_t line_size);

#endif
