/* SPDX-License-Identifier: MIT */
/* Initialisation steps platform_init() runs in order; not for other layers. */
#ifndef PLATFORM_INTERNAL_H
#define PLATFORM_INTERNAL_H

#include <stdint.h>

int dt_init(uintptr_t boot_x0);
int uart_init(void);
int psci_init(void);
int timer_init(void);

/* The DTB's extent, to keep it out of the free RAM range. */
void dt_extent(uintptr_t *start, uintptr_t *end);

#endif
