/* SPDX-License-Identifier: MIT */
/* Shared declarations of the secondary test image (tests/secondary/). */
#ifndef SEC_H
#define SEC_H

#include <stdint.h>

uint32_t be32_at(const void *p);
uint64_t cells_at(const void *p, int cells);
uint32_t posix_cksum(const uint8_t *p, uint64_t len);
void __stack_chk_fail(void);

#endif
