/* SPDX-License-Identifier: MIT */
/* Initialisation steps platform_init() runs in order; not for other layers. */
#ifndef PLATFORM_INTERNAL_H
#define PLATFORM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

/* Find the DTB (x0, else the base of RAM); *from_x0 says which. */
int dt_init(uintptr_t boot_x0, bool *from_x0);
int uart_init(void);
/* PSCI from /psci: 0, or a negative errno when there is none (no conduit). */
int psci_init(void);
/* Power off without PSCI (poweroff.c): returns only when no way worked. */
void poweroff_without_psci(void);
int timer_init(void);

#endif
