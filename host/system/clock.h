/* SPDX-License-Identifier: MIT */
/* The monotonic clock every deadline of the host is measured on. */
#ifndef HOST_SYSTEM_CLOCK_H
#define HOST_SYSTEM_CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds. */
uint64_t clock_now_ms(void);

#endif
