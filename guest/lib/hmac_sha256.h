/* SPDX-License-Identifier: MIT */
/*
 * HMAC-SHA256 (RFC 2104, FIPS 198-1) over guest/lib/sha256, incremental so
 * that an RPMB MAC can cover bytes 228..511 of several frames.
 */
#ifndef LIB_HMAC_SHA256_H
#define LIB_HMAC_SHA256_H

#include <stdbool.h>

#include "sha256.h"

struct hmac_sha256_ctx {
	struct sha256_ctx inner;
	struct sha256_ctx outer;
};

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len);
void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t mac[SHA256_DIGEST_SIZE]);

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[SHA256_DIGEST_SIZE]);

/* Constant-time comparison, for checking a MAC without leaking where it differs. */
bool hmac_sha256_equal(const uint8_t a[SHA256_DIGEST_SIZE], const uint8_t b[SHA256_DIGEST_SIZE]);

#endif /* LIB_HMAC_SHA256_H */
