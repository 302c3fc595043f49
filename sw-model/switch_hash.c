/* SPDX-License-Identifier: MIT */
/* The aggregate's flow hash and member choice (see switch_hash.h). */
#include <string.h>

#include "switch.h"
#include "switch_hash.h"

#define ETH_HDR        14u
#define ETHERTYPE_IPV4 0x0800u
#define IPPROTO_TCP_   6u
#define IPPROTO_UDP_   17u

/* What the hash reads, laid out canonically: the lower endpoint first, so
 * that both directions of a flow give the same bytes. */
struct flow_key {
	uint8_t kind;          /* 4: IPv4, 2: Ethernet */
	uint8_t proto;         /* IPv4 protocol, 0 for Ethernet */
	uint8_t ep_a[8];       /* address (4 or 6 bytes) + port (2) */
	uint8_t ep_b[8];
	uint8_t ethertype[2];  /* Ethernet only */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void key_endpoints(struct flow_key *k, const uint8_t *a,
			  const uint8_t *b)
{
	if (memcmp(a, b, sizeof(k->ep_a)) <= 0) {
		memcpy(k->ep_a, a, sizeof(k->ep_a));
		memcpy(k->ep_b, b, sizeof(k->ep_b));
	} else {
		memcpy(k->ep_a, b, sizeof(k->ep_a));
		memcpy(k->ep_b, a, sizeof(k->ep_b));
	}
}

/* IPv4 layer3+4 key; 0 if the frame is not a readable IPv4 packet. */
static int key_ipv4(struct flow_key *k, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HDR;
	uint8_t src[8] = { 0 }, dst[8] = { 0 };
	size_t ihl;
	int fragment;

	if (len < ETH_HDR + 20 || get16(f + 12) != ETHERTYPE_IPV4 ||
	    (ip[0] >> 4) != 4)
		return 0;
	ihl = 4u * (ip[0] & 0x0fu);
	if (ihl < 20 || len < ETH_HDR + ihl)
		return 0;
	k->kind = 4;
	k->proto = ip[9];
	memcpy(src, ip + 12, 4);
	memcpy(dst, ip + 16, 4);
	/* MF set or a fragment offset: only the first fragment has ports */
	fragment = (get16(ip + 6) & 0x3fffu) != 0;
	if (!fragment && (k->proto == IPPROTO_TCP_ || k->proto == IPPROTO_UDP_) &&
	    len >= ETH_HDR + ihl + 4) {
		memcpy(src + 4, ip + ihl, 2);
		memcpy(dst + 4, ip + ihl + 2, 2);
	}
	key_endpoints(k, src, dst);
	return 1;
}

static void key_ethernet(struct flow_key *k, const uint8_t *f)
{
	uint8_t dst[8] = { 0 }, src[8] = { 0 };

	k->kind = 2;
	memcpy(dst, f, 6);
	memcpy(src, f + 6, 6);
	key_endpoints(k, src, dst);
	memcpy(k->ethertype, f + 12, 2);
}

uint64_t switch_flow_hash(const struct tt_sipkey *key, const uint8_t *frame,
			  size_t len)
{
	struct flow_key k;

	memset(&k, 0, sizeof(k));
	if (!key_ipv4(&k, frame, len)) {
		memset(&k, 0, sizeof(k));
		key_ethernet(&k, frame);
	}
	return tt_siphash13(key, &k, sizeof(k));
}

/* splitmix64's finalizer: every input bit reaches every output bit, so
 * scores of one flow on different members are unrelated. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned int switch_lag_pick(int mode, uint64_t flow_hash, uint64_t salt,
			     const unsigned int *active, unsigned int n)
{
	unsigned int i, best = 0;
	uint64_t best_score = 0;

	if (mode == SWITCH_LAG_MODULO)
		return active[flow_hash % n];
	for (i = 0; i < n; i++) {
		uint64_t score = mix64(flow_hash ^ mix64(salt + active[i]));

		if (i == 0 || score > best_score) {
			best = i;
			best_score = score;
		}
	}
	return active[best];
}
