/* SPDX-License-Identifier: MIT */
/*
 * The receive engine of card revision 1.2 through the card interface, on
 * both backends: in-order payload as PAYLOAD DMA writes (headers, TCP
 * options and Ethernet padding never delivered), the delayed ACK and the
 * pure ACK frame the engine sends (checked field by field as the peer
 * would parse it), ACKED events, the host's segments (ACK clear,
 * SYN/FIN/RST/URG) still exceptions, the counters, the context written
 * back, and export atomicity: once an EXPORT result is out, every output
 * of the segments before it is out too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "csum.h"
#include "framegen.h"
#include "parse.h"
#include "testenv.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u
#define PEER_IP 0xc6120202u
#define PEER_MAC 0x5a4400000002ull
static const uint32_t key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d, 0x43a38fb0 };

struct env {
	struct tt_card *c;
	struct tt_ctx ctx;   /* as imported */
	uint16_t slot;
};

static struct tt_ctx_result run_cmd(struct tt_card *c, uint8_t op, uint16_t slot,
				    const uint8_t *rec)
{
	struct tt_ctx_cmd cmd = { .op = op, .slot = slot };
	struct tt_ctx_result res;

	if (rec)
		memcpy(cmd.rec, rec, TT_CTX_BYTES);
	assert_int_equal(tt_card_ctx_cmd(c, &cmd), TT_OK);
	for (int i = 0; i < 1000; i++) {
		tt_card_step(c, 4);
		if (tt_card_ctx_result(c, &res) == TT_OK)
			return res;
	}
	fail_msg("no context result");
	return res;
}

static int setup(void **state, const char *backend)
{
	static struct env e;
	uint8_t rec[TT_CTX_BYTES];
	struct tt_ctx *c = &e.ctx;

	memset(&e, 0, sizeof(e));
	e.c = testenv_card(backend, team_mac, TEAM_IP, 0);
	for (uint32_t i = 0; i < 4; i++)
		tt_card_reg_write(e.c, TT_REG_HASH_KEY0 + 4 * i, key[i]);
	tt_card_step(e.c, 512); /* the table clears itself after reset */
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	c->state = TT_TCP_ESTABLISHED;
	c->remote_ip = PEER_IP;
	c->local_ip = TEAM_IP;
	c->remote_port = 40000;
	c->local_port = 80;
	c->mss = 1460;
	c->peer_mac = PEER_MAC;
	c->snd_una = 0xfffffff0u;       /* 0x30 bytes in flight, across the wrap */
	c->snd_nxt = 0x20u;
	c->snd_max = 0x20u;
	c->snd_wnd = 1000;
	c->rcv_nxt = 0x7000u;
	c->rcv_wnd = 2048;
	c->rcv_wscale = 2;              /* 8192 bytes */
	c->ip_id = 0xfffe;
	tt_ctx_pack(c, rec);
	struct tt_ctx_result res = run_cmd(e.c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	e.slot = res.slot;
	*state = &e;
	return 0;
}
static int setup_rtl(void **state) { return setup(state, "rtl"); }
static int setup_model(void **state) { return setup(state, "model"); }
static int teardown(void **state)
{
	tt_card_free(((struct env *)*state)->c);
	return 0;
}

/* A segment from the peer; the payload byte i is (seq + i) * 7 so that any
 * byte delivered can be checked against its sequence number. */
static size_t segment(uint8_t *f, uint32_t seq, uint32_t ack, uint16_t wnd,
		      uint8_t flags, uint16_t len)
{
	static uint8_t payload[1600];
	struct fg_tcp t = { 0 };

	for (uint16_t i = 0; i < len; i++)
		payload[i] = (uint8_t)((seq + i) * 7);
	memcpy(t.dst_mac, team_mac, 6);
	memcpy(t.src_mac, "\x5a\x44\x00\x00\x00\x02", 6);
	t.src_ip = PEER_IP;
	t.dst_ip = TEAM_IP;
	t.src_port = 40000;
	t.dst_port = 80;
	t.seq = seq;
	t.ack = ack;
	t.flags = flags;
	t.window = wnd;
	t.payload = payload;
	t.payload_len = len;
	return fg_tcp_frame(f, &t);
}

static void rx(struct tt_card *c, const uint8_t *f, size_t len)
{
	assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
	for (int i = 0; i < 100 && !tt_card_idle(c); i++)
		tt_card_step(c, 16);
	tt_card_step(c, 64);
	assert_true(tt_card_idle(c));
}

static void expect_payload(struct tt_card *c, uint16_t slot, uint32_t seq, uint16_t len)
{
	uint8_t buf[TT_MAX_FRAME];
	struct tt_dma_write d;

	assert_int_equal(tt_card_dma_write(c, &d, buf, sizeof(buf)), TT_OK);
	assert_int_equal(d.kind, TT_DMA_PAYLOAD);
	assert_int_equal(d.reason, 0);
	assert_int_equal(d.slot, slot);
	assert_int_equal(d.seq, seq);
	assert_int_equal(d.len, len);
	for (uint16_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)((seq + i) * 7))
			fail_msg("payload byte %u (seq %u) is 0x%02x", i, seq + i, buf[i]);
}

static void expect_no_dma(struct tt_card *c)
{
	uint8_t buf[TT_MAX_FRAME];
	struct tt_dma_write d;

	assert_int_equal(tt_card_dma_write(c, &d, buf, sizeof(buf)), TT_EAGAIN);
}

static struct tt_ctx snapshot(struct env *e)
{
	struct tt_ctx_result res = run_cmd(e->c, TT_CTX_SNAPSHOT, e->slot, NULL);
	struct tt_ctx x;

	assert_int_equal(res.status, TT_OK);
	tt_ctx_unpack(res.rec, &x);
	return x;
}

/* The pure ACK as the peer parses it. */
static void expect_ack(struct env *e, uint32_t seq, uint32_t ack, uint16_t ip_id)
{
	uint8_t f[TT_MAX_FRAME], peer_mac[6];
	struct parse_cfg cfg = { .ip = PEER_IP, .link_up = 1, .enabled = 1 };
	struct parse_hdr h;
	struct parse_verdict v;
	size_t len = 0;
	int src = -1;

	for (int i = 0; i < 6; i++)
		peer_mac[i] = (uint8_t)(PEER_MAC >> (8 * i));
	memcpy(cfg.mac, peer_mac, 6);
	assert_int_equal(tt_card_net_tx_src(e->c, f, sizeof(f), &len, &src), TT_OK);
	assert_int_equal(src, TT_TX_SRC_ENGINE);
	assert_int_equal(len, 54);
	v = parse_frame(&cfg, f, len, &h);
	/* both checksums good: the parser reaches its last row */
	assert_int_equal(v.kind, PARSE_EXCEPTION);
	assert_int_equal(v.reason, TT_EXC_NO_MATCH);
	assert_memory_equal(f + 6, team_mac, 6);
	assert_int_equal(h.src_ip, TEAM_IP);
	assert_int_equal(h.src_port, 80);
	assert_int_equal(h.dst_port, 40000);
	assert_int_equal(h.seq, seq);
	assert_int_equal(h.ack, ack);
	assert_int_equal(h.flags, 0x10);
	assert_int_equal(h.window, e->ctx.rcv_wnd);
	assert_int_equal(h.payload_len, 0);
	assert_int_equal(f[18] << 8 | f[19], ip_id);
}

static void expect_no_frame(struct tt_card *c)
{
	uint8_t f[TT_MAX_FRAME];
	size_t len;

	assert_int_equal(tt_card_net_tx(c, f, sizeof(f), &len), TT_EAGAIN);
}

/* In order: delivered at once; the first full segment owes a delayed ACK,
 * the second is acknowledged now with a pure ACK of the new rcv_nxt,
 * which takes the next IP ID (here across its wrap). */
static void in_order_and_ack_every_second(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	uint32_t r = e->ctx.rcv_nxt, una = e->ctx.snd_una;
	uint8_t f[1600];
	size_t len;

	len = segment(f, r, una, 1000, FG_TCP_ACK, 1460);
	rx(c, f, len);
	expect_payload(c, e->slot, r, 1460);
	expect_no_frame(c);
	assert_true(snapshot(e).flags & TT_CTXF_ACK_PENDING);
	len = segment(f, r + 1460, una, 1000, FG_TCP_ACK | FG_TCP_PSH, 1460);
	rx(c, f, len);
	expect_payload(c, e->slot, r + 1460, 1460);
	expect_ack(e, e->ctx.snd_nxt, r + 2920, 0xfffe);
	len = segment(f, r + 2920, una, 1000, FG_TCP_ACK, 10);  /* short: now */
	rx(c, f, len);
	expect_payload(c, e->slot, r + 2920, 10);
	expect_ack(e, e->ctx.snd_nxt, r + 2930, 0xffff);
	struct tt_ctx x = snapshot(e);
	assert_int_equal(x.rcv_nxt, r + 2930);
	assert_int_equal(x.ip_id, 0);
	assert_false(x.flags & TT_CTXF_ACK_PENDING);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_SEGMENTS), 3);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_PAYLOADS), 3);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_PAYLOAD_BYTES), 2930);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_ACKS_SENT), 2);
	assert_int_equal(tt_card_counter(c, TT_CNT_TX_FRAMES), 2);
	assert_int_equal(tt_card_counter(c, TT_CNT_TX_BYTES), 108);
	assert_int_equal(tt_card_counter(c, TT_CNT_EXC_UNHANDLED), 0);
}

/* Only bytes [14 + 20 + 4 * data offset, 14 + total length) are payload:
 * TCP options and Ethernet padding never reach the host. */
static void options_and_padding_are_not_payload(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	uint32_t r = e->ctx.rcv_nxt;
	uint8_t f[1600], g[1600];
	size_t len = segment(f, r, e->ctx.snd_una, 1000, FG_TCP_ACK, 3);

	/* 12 bytes of options (NOP, NOP, timestamps) after the header */
	memcpy(g, f, 54);
	memcpy(g + 54, "\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02", 12);
	memcpy(g + 66, f + 54, 3);
	g[46] = 8 << 4;
	g[16] = 0;
	g[17] = 20 + 32 + 3;
	memset(g + 69, 0xee, 11);       /* Ethernet padding up to 80 bytes */
	fg_fix_ip_csum(g);
	fg_fix_tcp_csum(g);
	(void)len;
	rx(c, g, 80);
	expect_payload(c, e->slot, r, 3);
	expect_no_dma(c);
	expect_ack(e, e->ctx.snd_nxt, r + 3, 0xfffe);
}

/* Out of order, duplicate, partial overlap, beyond the window and a
 * closed window: what is delivered, what is counted, the ACKs. */
static void drops_trims_and_overlaps(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	uint32_t r = e->ctx.rcv_nxt, una = e->ctx.snd_una;
	uint8_t f[1600];
	uint16_t id = 0xfffe;

	rx(c, f, segment(f, r + 100, una, 1000, FG_TCP_ACK, 100));   /* gap */
	expect_no_dma(c);
	expect_ack(e, e->ctx.snd_nxt, r, id++);
	rx(c, f, segment(f, r - 100, una, 1000, FG_TCP_ACK, 100));   /* old */
	expect_no_dma(c);
	expect_ack(e, e->ctx.snd_nxt, r, id++);
	rx(c, f, segment(f, r - 40, una, 1000, FG_TCP_ACK, 100));    /* 40 old */
	expect_payload(c, e->slot, r, 60);
	expect_ack(e, e->ctx.snd_nxt, r + 60, id++);                 /* short */
	r += 60;
	/* a full segment: delivered, its ACK delayed */
	rx(c, f, segment(f, r, una, 1000, FG_TCP_ACK, 1460));
	expect_payload(c, e->slot, r, 1460);
	expect_no_frame(c);
	r += 1460;
	assert_int_equal(snapshot(e).rcv_nxt, r);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_OUT_OF_ORDER), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_DUPLICATE), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_WINDOW_TRIM), 0);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_ACKS_SENT), 3);
	/* the window closed: data dropped, the ACK repeats rcv_nxt */
	struct tt_ctx x = snapshot(e);
	x.rcv_wnd = 0;
	uint8_t rec[TT_CTX_BYTES];
	tt_ctx_pack(&x, rec);
	assert_int_equal(run_cmd(c, TT_CTX_EXPORT, e->slot, NULL).status, TT_OK);
	struct tt_ctx_result res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	e->slot = res.slot;
	e->ctx.rcv_wnd = 0;
	rx(c, f, segment(f, r, una, 1000, FG_TCP_ACK, 10));
	expect_no_dma(c);
	expect_ack(e, e->ctx.snd_nxt, r, id++);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_ZERO_WINDOW), 1);
	/* a window of 3 bytes (scale 0): the tail is cut, ACK at once */
	x.rcv_wnd = 3;
	x.rcv_wscale = 0;
	tt_ctx_pack(&x, rec);
	assert_int_equal(run_cmd(c, TT_CTX_EXPORT, e->slot, NULL).status, TT_OK);
	res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
	e->slot = res.slot;
	e->ctx.rcv_wnd = 3;
	rx(c, f, segment(f, r, una, 1000, FG_TCP_ACK, 10));
	expect_payload(c, e->slot, r, 3);
	expect_ack(e, e->ctx.snd_nxt, r + 3, x.ip_id);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_WINDOW_TRIM), 1);
}

/* ACKs: advancing (ACKED event with the new snd_una), duplicate (counted,
 * RFC 5681), of unsent data (dropped, answered). */
static void acks_and_events(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	uint32_t r = e->ctx.rcv_nxt;
	struct tt_event ev;
	uint8_t f[1600];

	while (tt_card_event(c, &ev) == TT_OK)
		;
	rx(c, f, segment(f, r, 0x8, 1000, FG_TCP_ACK, 0));    /* 0x18 bytes acked */
	assert_int_equal(tt_card_event(c, &ev), TT_OK);
	assert_int_equal(ev.type, TT_EVT_ACKED);
	assert_int_equal(ev.slot, e->slot);
	assert_int_equal(ev.value, 0x8);
	expect_no_frame(c);
	uint32_t version = 0;

	for (int i = 0; i < 3; i++)
		rx(c, f, segment(f, r, 0x8, 1000, FG_TCP_ACK, 0));   /* dup ACKs */
	assert_int_equal(tt_card_reg_read(c, TT_REG_VERSION, &version), TT_OK);
	/* revision 1.3: the third is a fast retransmit from snd_una */
	if (version >= TT_CARD_VERSION_ENGINE_TX) {
		assert_int_equal(tt_card_event(c, &ev), TT_OK);
		assert_int_equal(ev.type, TT_EVT_RETRANS);
		assert_int_equal(ev.value, 0x8);
		assert_int_equal(tt_card_counter(c, TT_CNT_ENG_FAST_RETRANS), 1);
	}
	assert_int_equal(tt_card_event(c, &ev), TT_EAGAIN);
	assert_int_equal(snapshot(e).dupacks, 3);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_DUPACKS), 3);
	rx(c, f, segment(f, r, 0x21, 1000, FG_TCP_ACK, 5));          /* unsent */
	expect_no_dma(c);
	expect_ack(e, e->ctx.snd_nxt, r, 0xfffe);
	struct tt_ctx x = snapshot(e);
	assert_int_equal(x.snd_una, 0x8);
	assert_int_equal(x.rcv_nxt, r);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_ACK_UNSENT), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_ACKED), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_SEGMENTS), 5);
}

/* Segments the host keeps: ACK clear (UNHANDLED) and SYN/FIN/RST/URG
 * (TCP_FLAGS), whole, with the slot; the context does not move. */
static void host_segments_stay_exceptions(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	static const struct { uint8_t flags; int reason; } cases[] = {
		{ 0, TT_EXC_UNHANDLED },
		{ FG_TCP_PSH, TT_EXC_UNHANDLED },
		{ FG_TCP_ACK | FG_TCP_FIN, TT_EXC_TCP_FLAGS },
		{ FG_TCP_ACK | FG_TCP_RST, TT_EXC_TCP_FLAGS },
		{ FG_TCP_ACK | FG_TCP_URG, TT_EXC_TCP_FLAGS },
		{ FG_TCP_SYN, TT_EXC_TCP_FLAGS },
	};
	uint8_t f[1600], buf[TT_MAX_FRAME], before[TT_CTX_BYTES];
	struct tt_dma_write d;

	tt_ctx_pack(&e->ctx, before);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = segment(f, e->ctx.rcv_nxt, 0x8, 1000, cases[i].flags, 20);
		rx(c, f, len);
		assert_int_equal(tt_card_dma_write(c, &d, buf, sizeof(buf)), TT_OK);
		assert_int_equal(d.kind, TT_DMA_EXCEPTION);
		assert_int_equal(d.reason, cases[i].reason);
		assert_int_equal(d.slot, e->slot);
		assert_int_equal(d.len, len);
		assert_memory_equal(buf, f, len);
		expect_no_frame(c);
	}
	assert_int_equal(run_cmd(c, TT_CTX_SNAPSHOT, e->slot, NULL).status, TT_OK);
	assert_memory_equal(run_cmd(c, TT_CTX_SNAPSHOT, e->slot, NULL).rec, before,
			    TT_CTX_BYTES);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_SEGMENTS), 0);
}

/* Export atomicity: segments stream in, an EXPORT follows without the
 * host taking anything; once its result is out, the payload of every
 * segment the record counts is out too, and nothing follows it. */
static void export_is_atomic(void **state)
{
	struct env *e = *state;
	struct tt_card *c = e->c;
	struct tt_ctx_cmd cmd = { .op = TT_CTX_EXPORT, .slot = e->slot };
	struct tt_ctx_result res;
	uint32_t r = e->ctx.rcv_nxt, got = e->ctx.rcv_nxt;
	uint8_t f[1600], buf[TT_MAX_FRAME];
	struct tt_dma_write d;
	struct tt_ctx x;
	int have = 0;

	for (int i = 0; i < 20; i++) {
		size_t len = segment(f, r, e->ctx.snd_una, 1000, FG_TCP_ACK, 100);
		r += 100;
		assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
	}
	tt_card_step(c, 40);
	assert_int_equal(tt_card_ctx_cmd(c, &cmd), TT_OK);
	for (int i = 0; i < 4000 && !have; i++) {
		tt_card_step(c, 1);
		have = tt_card_ctx_result(c, &res) == TT_OK;
	}
	assert_true(have);
	assert_int_equal(res.status, TT_OK);
	tt_ctx_unpack(res.rec, &x);
	assert_true(x.rcv_nxt != e->ctx.rcv_nxt);      /* some came first */
	/* everything up to the record's rcv_nxt is already there */
	while (got != x.rcv_nxt) {
		assert_int_equal(tt_card_dma_write(c, &d, buf, sizeof(buf)), TT_OK);
		if (d.kind != TT_DMA_PAYLOAD)
			continue;
		assert_int_equal(d.seq, got);
		got += d.len;
	}
	/* and nothing for the connection after it */
	for (int i = 0; i < 100; i++)
		tt_card_step(c, 16);
	while (tt_card_dma_write(c, &d, buf, sizeof(buf)) == TT_OK)
		assert_int_not_equal(d.kind, TT_DMA_PAYLOAD);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_PAYLOADS),
			 (x.rcv_nxt - e->ctx.rcv_nxt) / 100);
}

#define BOTH(fn) TESTENV_BOTH(fn, setup_rtl, setup_model, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(in_order_and_ack_every_second),
		BOTH(options_and_padding_are_not_payload),
		BOTH(drops_trims_and_overlaps),
		BOTH(acks_and_events),
		BOTH(host_segments_stay_exceptions),
		BOTH(export_is_atomic),
	};

	return cmocka_run_group_tests_name("rx_engine", tests, NULL, NULL);
}
