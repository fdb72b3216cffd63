/* SPDX-License-Identifier: MIT */
/* Helpers the secure.* tests share (secure.c). */
#ifndef TESTS_SECURE_H
#define TESTS_SECURE_H

#include <stdint.h>

#include "lib/smccc_decode.h"

/* The standard conduit, or a skip saying why there is none. */
enum smccc_conduit secure_need_conduit(void);
/* w0 of a call with one argument; the test stops if there is no conduit. */
uint32_t secure_call_w0(enum smccc_conduit c, uint32_t fn, uint64_t a1);

#endif
