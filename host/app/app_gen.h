/* SPDX-License-Identifier: MIT */
/*
 * Test streams and their digests, for the applications of host/app/.
 *
 * A stream is named by a 64-bit seed; byte i of it is a function of the
 * seed and i alone (one splitmix64 value per 8 bytes), so any part can be
 * generated or checked without the rest, and two ends that share a seed
 * agree on every byte without talking.
 *
 * Digests are SHA-256 (nettle): what one end sent against what the other
 * received.
 */
#ifndef TT_APP_GEN_H
#define TT_APP_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#define APP_DIGEST_LEN SHA256_DIGEST_SIZE /* 32 */

/* Bytes [off, off + len) of stream `seed` into buf. */
void app_gen(uint64_t seed, uint64_t off, uint8_t *buf, size_t len);
/* Offset (from 0) of the first byte of buf that differs from stream
 * `seed` at off, or -1 if all len bytes match. */
long long app_gen_check(uint64_t seed, uint64_t off, const uint8_t *buf,
			size_t len);

struct app_digest {
	struct sha256_ctx sha;
	uint64_t bytes;
};

void app_digest_init(struct app_digest *d);
void app_digest_add(struct app_digest *d, const uint8_t *buf, size_t len);
/* The digest (APP_DIGEST_LEN bytes) of what was added; d starts again. */
void app_digest_end(struct app_digest *d, uint8_t out[APP_DIGEST_LEN]);
/* The digest of stream `seed`'s first len bytes. */
void app_gen_digest(uint64_t seed, uint64_t len, uint8_t out[APP_DIGEST_LEN]);

/* Big-endian fields of the protocols. */
void app_put32(uint8_t *p, uint32_t v);
void app_put64(uint8_t *p, uint64_t v);
uint32_t app_get32(const uint8_t *p);
uint64_t app_get64(const uint8_t *p);

#endif
