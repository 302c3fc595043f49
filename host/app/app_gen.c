/* SPDX-License-Identifier: MIT */
/* Test streams and SHA-256 digests (app_gen.h). */
#include <string.h>

#include "app_gen.h"

/* splitmix64 of one 8-byte block of the stream */
static uint64_t gen_block(uint64_t seed, uint64_t block)
{
	uint64_t z = seed + (block + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void app_gen(uint64_t seed, uint64_t off, uint8_t *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint64_t pos = off + i, v = gen_block(seed, pos >> 3);
		unsigned int b = (unsigned int)(pos & 7);

		for (; b < 8 && i < len; b++, i++)
			buf[i] = (uint8_t)(v >> (8 * b));
	}
}

long long app_gen_check(uint64_t seed, uint64_t off, const uint8_t *buf,
			size_t len)
{
	uint8_t tmp[512];
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < sizeof(tmp) ? len - done : sizeof(tmp);

		app_gen(seed, off + done, tmp, n);
		if (memcmp(tmp, buf + done, n) != 0)
			for (size_t i = 0; i < n; i++)
				if (tmp[i] != buf[done + i])
					return (long long)(done + i);
		done += n;
	}
	return -1;
}

void app_digest_init(struct app_digest *d)
{
	sha256_init(&d->sha);
	d->bytes = 0;
}

void app_digest_add(struct app_digest *d, const uint8_t *buf, size_t len)
{
	sha256_update(&d->sha, len, buf);
	d->bytes += len;
}

void app_digest_end(struct app_digest *d, uint8_t out[APP_DIGEST_LEN])
{
	sha256_digest(&d->sha, APP_DIGEST_LEN, out);
	d->bytes = 0;
}

void app_gen_digest(uint64_t seed, uint64_t len, uint8_t out[APP_DIGEST_LEN])
{
	struct app_digest d;
	uint8_t buf[4096];
	uint64_t off = 0;

	app_digest_init(&d);
	while (off < len) {
		size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);

		app_gen(seed, off, buf, n);
		app_digest_add(&d, buf, n);
		off += n;
	}
	app_digest_end(&d, out);
}

void app_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

void app_put64(uint8_t *p, uint64_t v)
{
	app_put32(p, (uint32_t)(v >> 32));
	app_put32(p + 4, (uint32_t)v);
}

uint32_t app_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint64_t app_get64(const uint8_t *p)
{
	return (uint64_t)app_get32(p) << 32 | app_get32(p + 4);
}
