/* SPDX-License-Identifier: MIT */
/* The registered status line, hidden and restored for those who write around it. */
#include <stddef.h>

#include "system/status_line.h"

static const struct status_line_ops *cur;

void status_line_register(const struct status_line_ops *ops)
{
	cur = ops;
}

void status_line_hide(void)
{
	if (cur)
		cur->hide(cur->ctx);
}

void status_line_restore(void)
{
	if (cur)
		cur->restore(cur->ctx);
}
