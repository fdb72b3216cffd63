/* SPDX-License-Identifier: MIT */
/*
 * Proves guest/lib/sha256 and hmac_sha256: FIPS 180-4 example vectors,
 * RFC 4231 test cases 1-7, and agreement with OpenSSL on random inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "lib/hmac_sha256.h"
#include "lib/sha256.h"

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t i;

	assert_int_equal(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		unsigned int v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_digest(const uint8_t *got, const char *hex, size_t len)
{
	uint8_t want[SHA256_DIGEST_SIZE];

	unhex(hex, want, len);
	assert_memory_equal(got, want, len);
}

/* FIPS 180-4 / NIST CSRC examples: one block, two blocks, and a long message. */
static void test_sha256_abc(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)state;
	sha256("abc", 3, d);
	assert_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 32);
}

static void test_sha256_448bit(void **state)
{
	static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)state;
	assert_int_equal(strlen(msg) * 8, 448);
	sha256(msg, strlen(msg), d);
	assert_digest(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", 32);
}

static void test_sha256_million_a(void **state)
{
	struct sha256_ctx ctx;
	uint8_t chunk[1000];
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&ctx);
	for (i = 0; i < 1000; i++)
		sha256_update(&ctx, chunk, sizeof(chunk));
	sha256_final(&ctx, d);
	assert_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", 32);
}

static void test_sha256_empty(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)state;
	sha256("", 0, d);
	assert_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 32);
}

struct rfc4231_case {
	const char *key_hex; /* NULL: key is key_byte repeated key_len times */
	uint8_t key_byte;
	size_t key_len;
	const char *data;
	uint8_t data_byte; /* data NULL: data_byte repeated data_len times */
	size_t data_len;
	const char *mac_hex;
	size_t mac_len; /* test case 5 truncates to 128 bits */
};

static const struct rfc4231_case rfc4231[] = {
	{ NULL, 0x0b, 20, "Hi There", 0, 0,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
	{ "4a656665", 0, 4, "what do ya want for nothing?", 0, 0,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
	{ NULL, 0xaa, 20, NULL, 0xdd, 50,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 25, NULL, 0xcd, 50,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
	{ NULL, 0x0c, 20, "Test With Truncation", 0, 0, "a3b6167473100ee06e0c796c2955552b", 16 },
	{ NULL, 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32 },
	{ NULL, 0xaa, 131,
	  "This is a test using a larger than block-size key and a larger than "
	  "block-size data. The key needs to be hashed before being used by the "
	  "HMAC algorithm.",
	  0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32 },
};

static void test_hmac_rfc4231(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
		const struct rfc4231_case *tc = &rfc4231[i];
		uint8_t key[131], data[200], mac[SHA256_DIGEST_SIZE];
		size_t data_len;

		if (tc->key_hex)
			unhex(tc->key_hex, key, tc->key_len);
		else
			memset(key, tc->key_byte, tc->key_len);
		if (tc->data) {
			data_len = strlen(tc->data);
			memcpy(data, tc->data, data_len);
		} else {
			data_len = tc->data_len;
			memset(data, tc->data_byte, data_len);
		}
		print_message("# RFC 4231 test case %zu\n", i + 1);
		hmac_sha256(key, tc->key_len, data, data_len, mac);
		assert_digest(mac, tc->mac_hex, tc->mac_len);
	}
}

/* Incremental updates split at every offset must equal the one-shot result. */
static void test_hmac_split_updates(void **state)
{
	uint8_t key[32], data[300], one[32], split[32];
	size_t cut;

	(void)state;
	memset(key, 0x5a, sizeof(key));
	for (cut = 0; cut < sizeof(data); cut++)
		data[cut] = (uint8_t)(cut * 7);
	hmac_sha256(key, sizeof(key), data, sizeof(data), one);
	for (cut = 0; cut <= sizeof(data); cut++) {
		struct hmac_sha256_ctx ctx;

		hmac_sha256_init(&ctx, key, sizeof(key));
		hmac_sha256_update(&ctx, data, cut);
		hmac_sha256_update(&ctx, data + cut, sizeof(data) - cut);
		hmac_sha256_final(&ctx, split);
		assert_memory_equal(one, split, sizeof(one));
	}
}

static void test_against_openssl(void **state)
{
	uint8_t key[200], data[1001], ours[32], theirs[EVP_MAX_MD_SIZE];
	unsigned int theirs_len;
	int iter;

	(void)state;
	srand(4231);
	for (iter = 0; iter < 2000; iter++) {
		size_t len = (size_t)rand() % 1001;	       /* 0..1000 */
		size_t key_len = (size_t)rand() % sizeof(key); /* 0..199: below, at and above 64 */
		size_t i;

		if (iter < 200)
			len = (size_t)iter; /* every length around the padding boundaries */
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)rand();
		for (i = 0; i < key_len; i++)
			key[i] = (uint8_t)rand();

		sha256(data, len, ours);
		SHA256(data, len, theirs);
		assert_memory_equal(ours, theirs, 32);

		hmac_sha256(key, key_len, data, len, ours);
		assert_non_null(
			HMAC(EVP_sha256(), key, (int)key_len, data, len, theirs, &theirs_len));
		assert_int_equal(theirs_len, 32);
		assert_memory_equal(ours, theirs, 32);
	}
}

static void test_equal(void **state)
{
	uint8_t a[32], b[32];
	int i;

	(void)state;
	memset(a, 0x11, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_true(hmac_sha256_equal(a, b));
	for (i = 0; i < 32; i++) {
		b[i] ^= 0x80;
		assert_false(hmac_sha256_equal(a, b));
		b[i] ^= 0x80;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_abc),	 cmocka_unit_test(test_sha256_448bit),
		cmocka_unit_test(test_sha256_million_a), cmocka_unit_test(test_sha256_empty),
		cmocka_unit_test(test_hmac_rfc4231),	 cmocka_unit_test(test_hmac_split_updates),
		cmocka_unit_test(test_against_openssl),	 cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
