/* SPDX-License-Identifier: MIT */
/* Initialisation steps platform_init() runs in order; not for other layers. */
#ifndef PLATFORM_INTERNAL_H
#define PLATFORM_INTERNAL_H

#include <stdint.h>

int dt_init(uintptr_t boot_x0);
int uart_init(void);
int psci_init(void);
int timer_init(void);

#endif
