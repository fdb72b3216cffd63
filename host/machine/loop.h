/* SPDX-License-Identifier: MIT */
/*
 * The one poll loop every command drives its boots with: the sessions'
 * descriptors, the signal self-pipe and the nearest deadline; SIGINT and
 * SIGTERM stop every boot.
 */
#ifndef HOST_MACHINE_LOOP_H
#define HOST_MACHINE_LOOP_H

#include <stddef.h>

#include "machine/session.h"

/*
 * Wait until a descriptor is ready, a signal arrives or the nearest deadline
 * passes, then step every session in @v (NULL entries are skipped). Returns
 * 0, or -errno when poll() itself failed.
 */
int machine_poll(struct session *const *v, size_t n);

#endif
