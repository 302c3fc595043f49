/* SPDX-License-Identifier: MIT */
/*
 * Hostile cases, malformed frames: everything the parser must refuse with a
 * counted drop (rtl/README.md, verdict table) or hand to the host as an
 * exception, while the healthy connections go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hostile.h"
#include "hostile_cases.h"

#define ROUNDS 40 /* hostile frames of each shape per case */

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* A valid segment of target connection i with n payload bytes. */
static size_t target_seg(struct hostile_env *e, unsigned int i, uint8_t *f,
			 size_t n)
{
	static uint8_t payload[TT_MAX_FRAME];

	for (size_t k = 0; k < n; k++)
		payload[k] = (uint8_t)rng_next(&e->rng);
	return hostile_seg_frame(e, HOSTILE_HEALTHY + i, f, FG_TCP_ACK,
				 e->conn[HOSTILE_HEALTHY + i].next_seq, payload, n);
}

/* A valid segment for a connection nobody installed. */
static size_t stranger_seg(struct hostile_env *e, uint8_t *f, size_t n)
{
	static uint8_t payload[TT_MAX_FRAME];
	struct fg_tcp t;

	hostile_seg(e, 0, &t);
	t.src_ip = 0xc6130000u | (uint32_t)rng_below(&e->rng, 0xffff);
	t.src_port = (uint16_t)(1024 + rng_below(&e->rng, 60000));
	for (size_t k = 0; k < n; k++)
		payload[k] = (uint8_t)rng_next(&e->rng);
	t.payload = payload;
	t.payload_len = n;
	return fg_tcp_frame(f, &t);
}

static void expect_only(struct hostile_env *e, int counter, int64_t n)
{
	assert_int_equal(hostile_delta(e, counter), n);
}

/* Frames of 1..13 bytes, and IPv4 frames that end inside a header. */
void hostile_runt_frames(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[64];
	unsigned int n = 0;

	for (size_t len = 1; len < 54; len++) {
		target_seg(e, 0, f, 0);      /* 54 bytes; only len of them sent */
		assert_int_equal(hostile_send(e, f, len), TT_OK);
		n++;
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_TRUNCATED, n);
}

/* A frame of length 0 is refused by the card interface itself. */
void hostile_zero_length(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[64] = { 0 };

	for (int k = 0; k < ROUNDS; k++)
		assert_int_equal(hostile_send(e, f, 0), TT_EINVAL);
	hostile_finish(e);
	assert_int_equal(e->refused, ROUNDS);
	expect_only(e, TT_CNT_RX_FRAMES, 0);
}

/* Longer than TT_MAX_FRAME, up to what the interface carries (64 KiB). */
void hostile_oversize(void **state)
{
	struct hostile_env *e = *state;
	static uint8_t f[65535];
	const size_t lens[] = { TT_MAX_FRAME + 1, TT_MAX_FRAME + 7,
				TT_MAX_FRAME + 8, 12000, 32768, 65535 };

	for (unsigned int k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		memset(f, (int)k, lens[k]);
		target_seg(e, 1, f, 100);
		assert_int_equal(hostile_send(e, f, lens[k]), TT_OK);
	}
	/* and one byte more than the interface allows */
	assert_int_equal(hostile_send(e, f, 65536), TT_EINVAL);
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_OVERSIZE, sizeof(lens) / sizeof(lens[0]));
}

/* The longest frame a card takes is a frame like any other. */
void hostile_max_jumbo(void **state)
{
	struct hostile_env *e = *state;
	static uint8_t f[TT_MAX_FRAME];

	for (int k = 0; k < 4; k++) {
		size_t len = stranger_seg(e, f, TT_MAX_FRAME - 54);

		assert_int_equal(len, TT_MAX_FRAME);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_NO_MATCH, 4);
}

/* IPv4 total length longer than the frame. */
void hostile_ip_length_beyond_frame(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, k % HOSTILE_TARGETS, f, 1 + k * 10);

		put16(f + 16, (uint32_t)(len - 14 + 1 + rng_below(&e->rng, 1000)));
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_TRUNCATED, ROUNDS);
}

/* IPv4 total length shorter than its own header. */
void hostile_ip_length_below_header(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 0, f, 20);

		put16(f + 16, (uint32_t)rng_below(&e->rng, 20));
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_IP_HDR, ROUNDS);
}

/* IPv4 total length that leaves less than a TCP header. */
void hostile_ip_length_below_tcp(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 1, f, 20);

		put16(f + 16, (uint32_t)(20 + rng_below(&e->rng, 20)));
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_TCP_HDR, ROUNDS);
}

/* TCP data offset below 5 words. */
void hostile_tcp_offset_below_5(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 2, f, 40);

		f[46] = (uint8_t)(rng_below(&e->rng, 5) << 4);
		fg_fix_tcp_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_TCP_HDR, ROUNDS);
}

/* TCP data offset pointing past the end of the segment. */
void hostile_tcp_offset_past_segment(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t n = rng_below(&e->rng, 20);
		size_t len = target_seg(e, 3, f, n);
		unsigned int words = (unsigned int)(20 + n) / 4 + 1;

		f[46] = (uint8_t)((words + rng_below(&e->rng, 16 - words)) << 4);
		fg_fix_tcp_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_TCP_HDR, ROUNDS);
}

/* IP version other than 4, and IHL below 5, under the IPv4 ethertype. */
void hostile_bad_ip_header(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 0, f, 10);

		if (k & 1) {                       /* any version but 4 */
			uint32_t v = rng_below(&e->rng, 15);
			f[14] = (uint8_t)((v >= 4 ? v + 1 : v) << 4 | 5);
		} else {                           /* IHL 0..4 */
			f[14] = (uint8_t)(0x40 | rng_below(&e->rng, 5));
		}
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_IP_HDR, ROUNDS);
}

/* Healthy connections' own next segments, with a wrong IPv4 or TCP
 * checksum: dropped and counted; the good copy that follows is taken. */
void hostile_bad_checksums(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600], payload[300];

	for (int k = 0; k < ROUNDS; k++) {
		unsigned int i = k % HOSTILE_HEALTHY;
		size_t n = 1 + rng_below(&e->rng, sizeof(payload)), len;

		for (size_t b = 0; b < n; b++)
			payload[b] = (uint8_t)rng_next(&e->rng);
		len = hostile_seg_frame(e, i, f, FG_TCP_ACK, e->conn[i].next_seq,
					payload, n);
		if (k & 1)
			f[24] ^= 0x40;                    /* IPv4 checksum */
		else
			f[54 + rng_below(&e->rng, (uint32_t)n)] ^= 0x10; /* payload */
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_BAD_IP_CSUM, ROUNDS / 2);
	expect_only(e, TT_CNT_DROP_BAD_TCP_CSUM, ROUNDS / 2);
}

/* Fragments of an offloaded connection go to the host whole. */
void hostile_fragments(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 1, f, 100);

		put16(f + 20, k & 1 ? 0x2000 : (uint32_t)(1 + rng_below(&e->rng, 0x1fff)));
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_FRAGMENT, ROUNDS);
	assert_int_equal(hostile_count(e, 0, HOSTILE_HEALTHY + 1, 'd', TT_DMA_EXCEPTION),
			 ROUNDS);
}

/* IPv4 options on an offloaded connection's segments go to the host. */
void hostile_ip_options(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1700], g[1700];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 2, f, 64);
		unsigned int opt = 4 * (1 + rng_below(&e->rng, 10));

		memcpy(g, f, 34);
		memset(g + 34, 1, opt);                   /* NOP options */
		memcpy(g + 34 + opt, f + 34, len - 34);
		g[14] = (uint8_t)(0x40 | (20 + opt) / 4);
		put16(g + 16, (uint32_t)(len - 14 + opt));
		fg_fix_ip_csum(g);
		assert_int_equal(hostile_send(e, g, len + opt), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_IP_OPTIONS, ROUNDS);
}

/* Frames for another MAC or another IPv4 address. */
void hostile_not_for_us(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 3, f, 50);

		if (k & 1) {
			f[5] ^= (uint8_t)(1 + rng_below(&e->rng, 255));
		} else {
			f[33] ^= (uint8_t)(1 + rng_below(&e->rng, 255));
			fg_fix_ip_csum(f);
			fg_fix_tcp_csum(f);
		}
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_DROP_NOT_FOR_US, ROUNDS);
}

/* VLAN-tagged, IPv6, ARP: not IPv4, to the host. */
void hostile_not_ipv4(void **state)
{
	struct hostile_env *e = *state;
	static const uint16_t types[] = { 0x8100, 0x86dd, 0x0806, 0x88cc, 0x0000, 0xffff };
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 0, f, 30);

		put16(f + 12, types[k % 6]);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_NOT_IPV4, ROUNDS);
}

/* UDP, ICMP and unknown protocols with an offloaded connection's
 * addresses: not TCP, to the host. */
void hostile_not_tcp(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = target_seg(e, 1, f, 30);

		f[23] = (uint8_t)(k % 3 == 0 ? 17 : k % 3 == 1 ? 1 : 7 + k);
		fg_fix_ip_csum(f);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_NOT_TCP, ROUNDS);
}

/* Broadcast destination MAC with a TCP segment for the team: accepted
 * like unicast (the MAC filter passes broadcast), no match. */
void hostile_broadcast_tcp(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];

	for (int k = 0; k < ROUNDS; k++) {
		size_t len = stranger_seg(e, f, 10);

		memset(f, 0xff, 6);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_NO_MATCH, ROUNDS);
}

/* Random bytes with the team's MAC: every frame ends in exactly one drop
 * or exception counter. */
void hostile_garbage(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[2000];
	int64_t sum = 0;

	for (int k = 0; k < 4 * ROUNDS; k++) {
		size_t len = 1 + rng_below(&e->rng, sizeof(f));

		for (size_t b = 0; b < len; b++)
			f[b] = (uint8_t)rng_next(&e->rng);
		if (len >= 6)
			memcpy(f, e->mac, 6);
		if (len >= 14 && (k & 1))
			put16(f + 12, 0x0800);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	for (int r = 0; r <= TT_DROP_BAD_TCP_CSUM; r++)
		sum += hostile_delta(e, TT_COUNTER_DROP_BASE + r);
	for (int r = 1; r < TT_EXC_COUNT; r++)
		sum += hostile_delta(e, TT_COUNTER_EXC_BASE + r);
	assert_int_equal(sum, 4 * ROUNDS);
}

/* A storm of exceptions while the host takes none: the card stops taking
 * frames (back-pressure on the wire) instead of losing any; once the host
 * drains, every frame it took arrives whole and counted. */
void hostile_exception_storm(void **state)
{
	struct hostile_env *e = *state;
	struct tt_card *v = e->card[0];
	uint8_t f[1600], buf[16384];
	unsigned int took = 0, got = 0, k;
	struct tt_dma_write d;

	for (k = 0; k < 20000; k++) {
		size_t len = stranger_seg(e, f, 1400);

		if (tt_card_net_rx(v, f, len) != TT_OK) {
			tt_card_step(v, 256);         /* no draining */
			if (tt_card_net_rx(v, f, len) != TT_OK)
				break;
		}
		took++;
	}
	assert_true(k < 20000);                   /* back-pressure came */
	for (k = 0; k < 2000000 && got < took; k++) {
		tt_card_step(v, 64);
		while (tt_card_dma_write(v, &d, buf, sizeof(buf)) == TT_OK) {
			assert_int_equal(d.kind, TT_DMA_EXCEPTION);
			assert_int_equal(d.reason, TT_EXC_NO_MATCH);
			got++;
		}
	}
	assert_int_equal(got, took);
	e->sent += took;
	hostile_finish(e);
	expect_only(e, TT_CNT_EXC_NO_MATCH, took);
}

/* Raw frames from the host that the card interface must refuse. */
void hostile_host_tx_malformed(void **state)
{
	struct hostile_env *e = *state;
	static uint8_t f[TT_MAX_FRAME + 100];

	memset(f, 0xab, sizeof(f));
	for (size_t len = 0; len < 14; len++)
		assert_int_equal(tt_card_host_tx(e->card[0], f, len), TT_EINVAL);
	assert_int_equal(tt_card_host_tx(e->card[0], f, TT_MAX_FRAME + 1), TT_EINVAL);
	assert_int_equal(tt_card_host_tx(e->card[0], NULL, 60), TT_EINVAL);
	/* the shortest and the longest legal ones go out */
	assert_int_equal(tt_card_host_tx(e->card[0], f, 14), TT_OK);
	assert_int_equal(tt_card_host_tx(e->card[0], f, TT_MAX_FRAME), TT_OK);
	hostile_finish(e);
	expect_only(e, TT_CNT_TX_FRAMES, 2);
	expect_only(e, TT_CNT_TX_BYTES, 14 + TT_MAX_FRAME);
}
