/* SPDX-License-Identifier: MIT */
/* The guest's RPMB session over the rpmb0 virtio-console port. */
#ifndef RPMB_CLIENT_H
#define RPMB_CLIENT_H

#include "rpmb/rpmb_proto.h"

/*
 * Open the rpmb0 port (once per boot) and set up the session with the test
 * key. -ENODEV when QEMU has no rpmb0 port, or another negative errno.
 */
int rpmb_client_open(struct rpmb_session **session);

#endif
