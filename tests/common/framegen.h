/* SPDX-License-Identifier: MIT */
/*
 * Test frame crafting: well-formed Ethernet/IPv4/TCP frames with given
 * fields (lwIP's tcp_helper shape), and a seeded random generator of good
 * and broken frames for the differential tests.
 */
#ifndef TT_TEST_FRAMEGEN_H
#define TT_TEST_FRAMEGEN_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: small, seedable, identical everywhere. */
struct rng {
	uint64_t s;
};
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
uint32_t rng_below(struct rng *r, uint32_t n);

struct fg_tcp {
	uint8_t dst_mac[6], src_mac[6];
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;          /* TCP flags byte */
	uint16_t window;
	uint16_t ip_id;
	const uint8_t *payload;
	size_t payload_len;
};

#define FG_TCP_FIN 0x01
#define FG_TCP_SYN 0x02
#define FG_TCP_RST 0x04
#define FG_TCP_PSH 0x08
#define FG_TCP_ACK 0x10
#define FG_TCP_URG 0x20

/* Write a frame with correct checksums; returns its length. */
size_t fg_tcp_frame(uint8_t *buf, const struct fg_tcp *t);
/* Recompute the IPv4 header checksum of the frame in place. */
void fg_fix_ip_csum(uint8_t *f);
/* Recompute the TCP checksum (IHL 5 assumed). */
void fg_fix_tcp_csum(uint8_t *f);

/* Kinds of frame the random generator makes. */
enum fg_kind {
	FG_VALID_TCP, FG_ZERO_PAYLOAD, FG_BAD_IP_CSUM, FG_BAD_TCP_CSUM,
	FG_TRUNCATED, FG_WRONG_MAC, FG_WRONG_IP, FG_BROADCAST, FG_ARP, FG_IPV6,
	FG_IP_OPTIONS, FG_FRAGMENT, FG_UDP, FG_BAD_VERSION, FG_BAD_IHL,
	FG_BAD_TOTLEN, FG_BAD_DOFF, FG_PADDED, FG_MAX_1518, FG_JUMBO_9018,
	FG_OVERSIZE, FG_RUNT, FG_GARBAGE, FG_KIND_COUNT
};
extern const char *const fg_kind_names[FG_KIND_COUNT];

/* A random frame of a random kind addressed to team (mac, ip) from a
 * random peer. buf must hold 10000 bytes. Returns the length; *kind says
 * which kind it made. */
size_t fg_random_frame(struct rng *r, const uint8_t team_mac[6],
		       uint32_t team_ip, uint8_t *buf, enum fg_kind *kind);

#endif
