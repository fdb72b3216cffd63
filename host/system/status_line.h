/* SPDX-License-Identifier: MIT */
/*
 * The terminal's status line as the lower layers see it: whoever draws one
 * registers how to take it down and put it back, and whoever writes to the
 * terminal takes it down first, so it never shares a line with other text.
 */
#ifndef HOST_SYSTEM_STATUS_LINE_H
#define HOST_SYSTEM_STATUS_LINE_H

struct status_line_ops {
	void *ctx;
	void (*hide)(void *ctx);    /* erase it (no-op when none is shown) */
	void (*restore)(void *ctx); /* draw it again, after a whole line of other text */
};

/* Register @ops (NULL: none); they must outlive the registration. */
void status_line_register(const struct status_line_ops *ops);
/* Before writing to stdout or stderr. */
void status_line_hide(void);
/* After the text written ended a line. */
void status_line_restore(void);

#endif
