/* SPDX-License-Identifier: MIT */
/* Serving one socket connection in Trusty rpmb_dev's framing. */
#ifndef RPMB_CONN_H
#define RPMB_CONN_H

#include "rpmb/dev.h"

/*
 * Serve transactions on connected socket @fd until the peer closes it.
 * Returns 0 on a close between transactions, -EPROTO on malformed input (a
 * bad frame count, a close mid-transaction; logged, nothing written to the
 * device), or another -errno from the socket.
 */
int rpmb_conn_serve(struct rpmb_dev *dev, int fd);

#endif
