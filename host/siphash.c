/* SPDX-License-Identifier: MIT */
/*
 * SipHash-c-d, written from the algorithm in the SipHash paper
 * (Aumasson, Bernstein, 2012, section 2): four 64-bit words of state
 * initialised from the key and the constants "somepseudorandomlygenerated
 * bytes", each little-endian 8-byte block m XORed into v3, c SipRounds,
 * XORed into v0; the last block carries the message length modulo 256 in
 * its top byte; then v2 ^= 0xff, d SipRounds, and v0 ^ v1 ^ v2 ^ v3.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "teamtoe/siphash.h"

#define SIP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline uint64_t sip_load64_le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	       (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip_state *s)
{
	s->v0 += s->v1; s->v1 = SIP_ROTL(s->v1, 13); s->v1 ^= s->v0;
	s->v0 = SIP_ROTL(s->v0, 32);
	s->v2 += s->v3; s->v3 = SIP_ROTL(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = SIP_ROTL(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = SIP_ROTL(s->v1, 17); s->v1 ^= s->v2;
	s->v2 = SIP_ROTL(s->v2, 32);
}

struct tt_sipkey tt_sipkey_from_bytes(const uint8_t key[16])
{
	struct tt_sipkey k = {
		.k0 = sip_load64_le(key),
		.k1 = sip_load64_le(key + 8),
	};
	return k;
}

int tt_sipkey_random(struct tt_sipkey *key)
{
	uint8_t buf[16];
	size_t got = 0;
	ssize_t r;

	while (got < sizeof(buf)) {
		r = getrandom(buf + got, sizeof(buf) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	*key = tt_sipkey_from_bytes(buf);
	memset(buf, 0, sizeof(buf));
	return 0;
}

uint64_t tt_siphash(const struct tt_sipkey *key, const void *data, size_t len,
		    unsigned int c, unsigned int d)
{
	const uint8_t *p = data;
	struct sip_state s = {
		.v0 = key->k0 ^ 0x736f6d6570736575ull,
		.v1 = key->k1 ^ 0x646f72616e646f6dull,
		.v2 = key->k0 ^ 0x6c7967656e657261ull,
		.v3 = key->k1 ^ 0x7465646279746573ull,
	};
	size_t left = len;
	uint64_t m;
	unsigned int i;

	for (; left >= 8; left -= 8, p += 8) {
		m = sip_load64_le(p);
		s.v3 ^= m;
		for (i = 0; i < c; i++)
			sip_round(&s);
		s.v0 ^= m;
	}
	m = (uint64_t)(len & 0xff) << 56;
	for (i = 0; i < left; i++)
		m |= (uint64_t)p[i] << (8 * i);
	s.v3 ^= m;
	for (i = 0; i < c; i++)
		sip_round(&s);
	s.v0 ^= m;

	s.v2 ^= 0xff;
	for (i = 0; i < d; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t tt_siphash24(const struct tt_sipkey *key, const void *data, size_t len)
{
	return tt_siphash(key, data, len, 2, 4);
}

uint64_t tt_siphash13(const struct tt_sipkey *key, const void *data, size_t len)
{
	return tt_siphash(key, data, len, 1, 3);
}
