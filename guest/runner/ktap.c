/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* KTAP v1 document writer over the frame stream (portable). */
#include <stdio.h>
#include <string.h>

#include "runner/ktap.h"

void ktap_header(struct frame_writer *fw, unsigned int plan)
{
	char line[48];
	int n = snprintf(line, sizeof(line), "KTAP version 1\n1..%u\n", plan);

	frames_log(fw, line, (size_t)n);
}

void ktap_vdiag(struct frame_writer *fw, const char *fmt, va_list ap)
{
	char text[KTAP_LINE_MAX + 1];
	const char *p = text;
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n > KTAP_LINE_MAX)
		memcpy(text + KTAP_LINE_MAX - 3, "...", 4);
	do {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		frames_log(fw, "# ", 2);
		frames_log(fw, p, len);
		frames_log(fw, "\n", 1);
		p = nl ? nl + 1 : p + len;
	} while (*p);
}

void ktap_diag(struct frame_writer *fw, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vdiag(fw, fmt, ap);
	va_end(ap);
}

size_t ktap_result(struct frame_writer *fw, unsigned int number, const char *name,
		   enum ktap_outcome outcome, const char *reason, char *line, size_t line_size)
{
	static const char *const directive[] = {
		[KTAP_PASS] = NULL,
		[KTAP_FAIL] = NULL,
		[KTAP_SKIP] = "SKIP",
		[KTAP_ERROR] = "ERROR",
	};
	bool ok = outcome == KTAP_PASS || outcome == KTAP_SKIP;
	int n;

	if (directive[outcome])
		n = snprintf(line, line_size, "%s %u %s # %s%s%s\n", ok ? "ok" : "not ok", number,
			     name, directive[outcome], reason && *reason ? " " : "",
			     reason ? reason : "");
	else
		n = snprintf(line, line_size, "%s %u %s\n", ok ? "ok" : "not ok", number, name);
	if (n < 0)
		return 0;
	if ((size_t)n >= line_size) {
		n = (int)line_size - 1;
		line[n - 1] = '\n';
	}
	/* a reason with a newline must not break the one-line result */
	for (int i = 0; i < n - 1; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	frames_log(fw, line, (size_t)n);
	return (size_t)n;
}
