/* SPDX-License-Identifier: MIT */
/* virtio-rng (virtio 1.x section 5.4, DeviceID 4): polled entropy source. */
#ifndef VIRTIO_RNG_H
#define VIRTIO_RNG_H

#include <stddef.h>

/*
 * Fill @buf with @len bytes from the first virtio-rng device in the DT
 * (probed on first use). Returns 0, -ENODEV when there is none, -EIO on a
 * device error, -ETIMEDOUT when it stops delivering.
 */
int vrng_read(void *buf, size_t len);

#endif
