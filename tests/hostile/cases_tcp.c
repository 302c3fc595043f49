/* SPDX-License-Identifier: MIT */
/*
 * Hostile cases, TCP on offloaded connections: segments that an attacker
 * (or a broken peer) sends to a connection the card runs. The card's
 * engine must answer as RFC 9293 / 5681 / 5961 say — or hand the segment
 * to the host, context untouched — and count it; other connections go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hostile.h"
#include "hostile_cases.h"

#define T0 HOSTILE_HEALTHY          /* the first target connection */
#define N  50                       /* hostile segments per case */

static size_t seg(struct hostile_env *e, unsigned int i, uint8_t *f,
		  uint8_t flags, uint32_t seq, uint32_t ack, size_t n, uint8_t fill)
{
	static uint8_t payload[1500];
	struct fg_tcp t;

	memset(payload, fill, n);
	hostile_seg(e, i, &t);
	t.flags = flags;
	t.seq = seq;
	t.ack = ack;
	t.payload = payload;
	t.payload_len = n;
	return fg_tcp_frame(f, &t);
}

static void send_n(struct hostile_env *e, unsigned int i, uint8_t flags,
		   int32_t seq_off, int32_t ack_off, size_t n)
{
	uint8_t f[1600];
	const struct tt_ctx *c = &e->conn[i].ctx;

	for (int k = 0; k < N; k++)
		assert_int_equal(hostile_send(e, f, seg(e, i, f, flags,
				 e->conn[i].next_seq + (uint32_t)seq_off,
				 c->snd_una + (uint32_t)ack_off, n, (uint8_t)k)),
				 TT_OK);
}

/* The target's context on the victim equals the control's (which never
 * saw the hostile segments): the segments changed nothing. */
static void expect_untouched(struct hostile_env *e, unsigned int i)
{
	struct tt_ctx v, c;
	uint8_t rv[TT_CTX_BYTES], rc[TT_CTX_BYTES];

	hostile_snapshot(e, 0, i, &v);
	hostile_snapshot(e, 1, i, &c);
	tt_ctx_pack(&v, rv);
	tt_ctx_pack(&c, rc);
	assert_memory_equal(rv, rc, TT_CTX_BYTES);
}

static void flags_to_host(void **state, uint8_t flags, int32_t seq_off)
{
	struct hostile_env *e = *state;

	send_n(e, T0, flags, seq_off, 0, 10);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_EXC_TCP_FLAGS), N);
	assert_int_equal(hostile_count(e, 0, T0, 'd', TT_DMA_EXCEPTION), N);
	expect_untouched(e, T0);
}

/* RFC 5961 §3: an RST in the window but not at rcv_nxt must not reset the
 * connection blindly: the card hands it to the host (which sends the
 * challenge ACK), the context untouched. */
void hostile_rst_in_window_inexact(void **state)
{
	flags_to_host(state, FG_TCP_RST | FG_TCP_ACK, 1000);
}

/* An exact RST goes to the host too: closing is the host's. */
void hostile_rst_exact(void **state)
{
	flags_to_host(state, FG_TCP_RST, 0);
}

/* Duplicate SYNs on an established connection (RFC 5961 §4). */
void hostile_duplicate_syn(void **state)
{
	flags_to_host(state, FG_TCP_SYN, -1);
}

/* FIN and URG: never the engine's. */
void hostile_fin_urg(void **state)
{
	struct hostile_env *e = *state;

	send_n(e, T0, FG_TCP_FIN | FG_TCP_ACK, 0, 0, 0);
	send_n(e, T0 + 1, FG_TCP_URG | FG_TCP_ACK, 0, 0, 20);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_EXC_TCP_FLAGS), 2 * N);
	expect_untouched(e, T0);
	expect_untouched(e, T0 + 1);
}

/* Segments without ACK on an offloaded connection: the host's. */
void hostile_no_ack_flag(void **state)
{
	struct hostile_env *e = *state;

	send_n(e, T0, FG_TCP_PSH, 0, 0, 30);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_EXC_UNHANDLED), N);
	expect_untouched(e, T0);
}

/* RFC 9293: an ACK of data never sent is answered with an ACK and the
 * segment dropped: nothing delivered, snd_una unchanged. */
void hostile_ack_of_unsent_data(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx v;

	send_n(e, T0, FG_TCP_ACK, 0, 1000, 40);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACK_UNSENT), N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACKS_SENT), N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 0);
	assert_int_equal(hostile_count(e, 0, T0, 't', 0), N);
	hostile_snapshot(e, 0, T0, &v);
	assert_int_equal(v.snd_una, e->conn[T0].ctx.snd_una);
	assert_int_equal(v.rcv_nxt, e->conn[T0].ctx.rcv_nxt);
}

/* An ACK half the sequence space away reads as an old one: ignored, no
 * state change beyond the data it carries. */
void hostile_ack_far_away(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx v;

	send_n(e, T0, FG_TCP_ACK, 0, (int32_t)0x80000005u, 0);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACKED), 0);
	hostile_snapshot(e, 0, T0, &v);
	assert_int_equal(v.snd_una, e->conn[T0].ctx.snd_una);
}

/* Old duplicates (all before rcv_nxt) and segments far ahead of it: each
 * dropped and answered with an ACK (RFC 5681 §4.2: the immediate ACK is
 * what asks the peer to retransmit); nothing delivered. */
void hostile_old_and_future_segments(void **state)
{
	struct hostile_env *e = *state;

	send_n(e, T0, FG_TCP_ACK, -20000, 0, 100);
	send_n(e, T0 + 1, FG_TCP_ACK, 5000, 0, 100);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_DUPLICATE), N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_OUT_OF_ORDER), N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACKS_SENT), 2 * N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 0);
}

/* In-order data across the 2^32 wrap: delivered whole, in order. */
void hostile_sequence_wrap(void **state)
{
	struct hostile_env *e = *state;
	const unsigned int i = T0 + 1;   /* odd: rcv_nxt just below 2^32 */
	uint8_t f[1600];
	uint32_t start = e->conn[i].next_seq, seq = start;

	assert_true(start > 0xffffff00u);
	for (int k = 0; k < N; k++) {
		assert_int_equal(hostile_send(e, f, seg(e, i, f, FG_TCP_ACK, seq,
				 e->conn[i].ctx.snd_una, 100, (uint8_t)k)), TT_OK);
		seq += 100;
	}
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 100 * N);
	seq = start;
	for (size_t k = 0; k < e->cap[0].n; k++) {
		const struct hostile_item *it = &e->cap[0].item[k];

		if (it->conn != i || it->stream != 'd' || it->kind != TT_DMA_PAYLOAD)
			continue;
		assert_int_equal(it->seq, seq);
		seq += it->len;
	}
	assert_int_equal(seq, start + 100u * N);
}

/* A receive window held at zero while the peer keeps sending: every
 * segment dropped and answered, nothing delivered, no hang. */
void hostile_zero_window_forever(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx c;
	int i;

	hostile_conn_like(e, &c);
	c.rcv_wnd = 0;
	i = hostile_add_conn(e, &c, 1);
	assert_true(i >= 0);
	for (int round = 0; round < 4; round++)
		send_n(e, (unsigned int)i, FG_TCP_ACK, 0, 0, 200);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ZERO_WINDOW), 4 * N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 0);
}

/* Data beyond a small window: the tail cut, the head delivered. */
void hostile_beyond_window(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx c;
	int i;

	hostile_conn_like(e, &c);
	c.rcv_wnd = 10;
	c.rcv_wscale = 0;
	i = hostile_add_conn(e, &c, 1);
	assert_true(i >= 0);
	/* N copies of one 100-byte segment: each copy delivers the next 10
	 * bytes the window admits (the window the host advertised does not
	 * shrink on the card), so 9 copies are cut, the tenth fits, and the
	 * rest are duplicates */
	send_n(e, (unsigned int)i, FG_TCP_ACK, 0, 0, 100);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_WINDOW_TRIM), 9);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 100);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_DUPLICATE), N - 10);
}

/* A tiny MSS (1 byte): every segment counts as full-sized, an ACK for
 * every second one; the data still arrives whole. */
void hostile_tiny_mss(void **state)
{
	struct hostile_env *e = *state;
	uint8_t f[1600];
	struct tt_ctx c;
	uint32_t seq;
	int i;

	hostile_conn_like(e, &c);
	c.mss = 1;
	i = hostile_add_conn(e, &c, 1);
	assert_true(i >= 0);
	seq = c.rcv_nxt;
	for (int k = 0; k < N; k++) {
		assert_int_equal(hostile_send(e, f, seg(e, (unsigned int)i, f,
				 FG_TCP_ACK, seq, c.snd_una, 64, (uint8_t)k)), TT_OK);
		seq += 64;
	}
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 64 * N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACKS_SENT), N / 2);
}

/* Overlapping retransmissions with different bytes: what was delivered
 * stays delivered; only the new tail of the overlapping copy is taken. */
void hostile_overlap_different_bytes(void **state)
{
	struct hostile_env *e = *state;
	const unsigned int i = T0 + 2;
	uint8_t f[1600], tail[50];
	uint32_t start = e->conn[i].next_seq;
	uint64_t h;
	size_t k, found = 0;

	assert_int_equal(hostile_send(e, f, seg(e, i, f, FG_TCP_ACK, start,
			 e->conn[i].ctx.snd_una, 100, 'a')), TT_OK);
	assert_int_equal(hostile_send(e, f, seg(e, i, f, FG_TCP_ACK, start + 50,
			 e->conn[i].ctx.snd_una, 100, 'b')), TT_OK);
	hostile_finish(e);
	memset(tail, 'b', sizeof(tail));
	h = hostile_hash(tail, sizeof(tail));
	for (k = 0; k < e->cap[0].n; k++) {
		const struct hostile_item *it = &e->cap[0].item[k];

		if (it->conn != i || it->kind != TT_DMA_PAYLOAD || it->stream != 'd')
			continue;
		if (found++ == 1) {
			assert_int_equal(it->seq, start + 100);
			assert_int_equal(it->len, 50);
			assert_true(it->hash == h);
		}
	}
	assert_int_equal(found, 2);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_PAYLOAD_BYTES), 150);
}

/* A flood of duplicate ACKs while data is outstanding: each counted
 * (RFC 5681 definition), the connection's data path unaffected. */
void hostile_dup_ack_flood(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx c;
	int i;

	hostile_conn_like(e, &c);
	c.snd_nxt = c.snd_max = c.snd_una + 5000;
	c.recover = c.snd_una;
	i = hostile_add_conn(e, &c, 1);
	assert_true(i >= 0);
	for (int round = 0; round < 6; round++)
		send_n(e, (unsigned int)i, FG_TCP_ACK, 0, 0, 0);
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_DUPACKS), 6 * N);
	assert_int_equal(hostile_delta(e, TT_CNT_ENG_ACKED), 0);
}
