/* SPDX-License-Identifier: MIT */
/* portable: no arch headers; also built and unit-tested on the host */
/* HMAC-SHA256 (RFC 2104) on top of the portable SHA-256. */
#include "hmac_sha256.h"

#include <string.h>

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len)
{
	uint8_t block[SHA256_BLOCK_SIZE];
	size_t i;

	/* RFC 2104 section 2: a key longer than the block is hashed first. */
	memset(block, 0, sizeof(block));
	if (key_len > SHA256_BLOCK_SIZE)
		sha256(key, key_len, block);
	else if (key_len)
		memcpy(block, key, key_len);

	for (i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36;
	sha256_init(&ctx->inner);
	sha256_update(&ctx->inner, block, sizeof(block));

	/* 0x36 ^ 0x5c turns the ipad block into the opad block. */
	for (i = 0; i < sizeof(block); i++)
		block[i] ^= 0x36 ^ 0x5c;
	sha256_init(&ctx->outer);
	sha256_update(&ctx->outer, block, sizeof(block));
	memset(block, 0, sizeof(block));
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t mac[SHA256_DIGEST_SIZE])
{
	uint8_t inner[SHA256_DIGEST_SIZE];

	sha256_final(&ctx->inner, inner);
	sha256_update(&ctx->outer, inner, sizeof(inner));
	sha256_final(&ctx->outer, mac);
	memset(inner, 0, sizeof(inner));
}

void hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		 uint8_t mac[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_init(&ctx, key, key_len);
	hmac_sha256_update(&ctx, data, len);
	hmac_sha256_final(&ctx, mac);
}

bool hmac_sha256_equal(const uint8_t a[SHA256_DIGEST_SIZE], const uint8_t b[SHA256_DIGEST_SIZE])
{
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}
