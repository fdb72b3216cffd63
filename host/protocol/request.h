/* SPDX-License-Identifier: MIT */
/* The host's requests on testrunner0: run these tests, list them, boot the OS. */
#ifndef HOST_PROTOCOL_REQUEST_H
#define HOST_PROTOCOL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <testrunner/protocol.h>

/* A request buffer: PROTO_REQUEST_MAX bytes, the '\n' included, and a NUL. */
#define REQUEST_BUF_SIZE (PROTO_REQUEST_MAX + 1)

/*
 * Build "boottest SEL SEL ...\n" into @buf (REQUEST_BUF_SIZE bytes) from as
 * many of @sel[0..n) as fit in PROTO_REQUEST_MAX bytes including the newline
 * and at most PROTO_SELECTORS_MAX. Returns how many were taken (at least 1
 * if n > 0 and the first fits), or 0 when n == 0 or @sel[0] alone does not
 * fit. With n == 0 the request is "boottest\n" (the default set). @reset
 * adds its option ("boottest --reset ..."): the guest ends in SYSTEM_RESET,
 * always or after a crash, ready for the next request on the same QEMU
 * (never sent without a reset-mode QEMU).
 */
size_t request_build(char *buf, const char *const *sel, size_t n, enum proto_reset reset,
		     size_t *len);

/* "boottest --list\n" (the image's catalogue), with @reset's option before "--list". */
size_t request_build_list(char *buf, enum proto_reset reset);
/* Anything but a boottest request boots the secondary OS. */
#define REQUEST_SECONDARY_OS PROTO_SECONDARY_OS "\n"

#endif
