/* SPDX-License-Identifier: MIT */
/*
 * The transmit engine of card revision 1.3 on the RTL card, through the
 * card interface: doorbell -> DMA read request -> answer -> data segment,
 * every byte of each segment against tcp_tx_build() (sw-model/tcp_tx.c);
 * MSS segmentation at the boundaries of the payload appender's lanes; an
 * answer made stale by an export (dropped and counted, nothing sent); the
 * trace items of each action, with their order; the timer sweep (ENGINE.md
 * 5): TICK items, delayed ACKs, a retransmission timeout and RTO_LIMIT
 * against tcp_timer_tick() of the followed records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_out.h"
#include "tcp_timers.h"
#include "tcp_tx.h"
#include "testenv.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u
#define PEER_IP 0xc6120202u
static const uint32_t key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d, 0x43a38fb0 };

struct env {
	struct tt_card *c;
	struct tt_ctx ctx;   /* the card's record, as the test follows it */
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

static int setup(void **state)
{
	static struct env e;
	uint8_t rec[TT_CTX_BYTES];
	struct tt_ctx *c = &e.ctx;

	memset(&e, 0, sizeof(e));
	e.c = testenv_card("rtl", team_mac, TEAM_IP, 0);
	for (uint32_t i = 0; i < 4; i++)
		tt_card_reg_write(e.c, TT_REG_HASH_KEY0 + 4 * i, key[i]);
	tt_card_reg_write(e.c, TT_REG_CTRL, 3); /* enable, trace on */
	tt_card_step(e.c, 512);
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	c->state = TT_TCP_ESTABLISHED;
	c->remote_ip = PEER_IP;
	c->local_ip = TEAM_IP;
	c->remote_port = 40000;
	c->local_port = 80;
	c->mss = 1460;
	c->peer_mac = 0x5a4400000002ull;
	c->snd_una = 0xffffff00u;       /* across the wrap */
	c->snd_nxt = c->snd_una;
	c->snd_max = c->snd_una;
	c->recover = c->snd_una;
	c->snd_wnd = 65535;
	c->snd_wscale = 4;
	c->cwnd = 1u << 24;
	c->ssthresh = 1u << 24;
	c->rto = 100;
	c->rcv_nxt = 0x7000u;
	c->rcv_wnd = 2048;
	c->ip_id = 0xfffe;
	tt_ctx_pack(c, rec);
	struct tt_ctx_result res = run_cmd(e.c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	e.slot = res.slot;
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	tt_card_free(((struct env *)*state)->c);
	return 0;
}

/* Send data byte for sequence s. */
static uint8_t byte_at(uint32_t s) { return (uint8_t)(s * 13 + (s >> 8)); }

static int next_req(struct tt_card *c, struct tt_dma_read_req *r)
{
	for (int i = 0; i < 400; i++) {
		if (tt_card_dma_read_req(c, r) == TT_OK)
			return 1;
		tt_card_step(c, 8);
	}
	return 0;
}

static void answer(struct tt_card *c, const struct tt_dma_read_req *r)
{
	uint8_t data[2048];

	for (unsigned i = 0; i < r->len; i++)
		data[i] = byte_at(r->seq + i);
	assert_int_equal(tt_card_dma_read_resp(c, r, data), TT_OK);
}

/* The next frame to the wire equals tcp_tx_build of the followed record. */
static void expect_segment(struct env *e, uint32_t seq, uint16_t len)
{
	uint8_t got[TT_MAX_FRAME], want[TT_MAX_FRAME], data[2048];
	size_t n = 0;
	int src = -1;

	for (unsigned i = 0; i < len; i++)
		data[i] = byte_at(seq + i);
	size_t wn = tcp_tx_build(&e->ctx, team_mac, 0, seq, data, len, want);
	for (int i = 0; i < 400 && tt_card_net_tx_src(e->c, got, sizeof(got), &n, &src); i++)
		tt_card_step(e->c, 8);
	assert_int_equal(n, wn);
	assert_int_equal(src, TT_TX_SRC_ENGINE);
	for (size_t i = 0; i < wn; i++)
		if (got[i] != want[i])
			fail_msg("segment seq %08x len %u: byte %zu is %02x, want %02x", seq,
				 len, i, got[i], want[i]);
}

/* One doorbell; the engine sends it all in MSS segments, each read and
 * answered. */
static void send_all(struct env *e, uint32_t bytes)
{
	struct tt_dma_read_req r;
	uint32_t end = e->ctx.snd_max + bytes;

	assert_int_equal(tt_card_doorbell(e->c, e->slot, end), TT_OK);
	e->ctx.snd_max = end;
	while (e->ctx.snd_nxt != end) {
		uint32_t want = end - e->ctx.snd_nxt < 1460 ? end - e->ctx.snd_nxt : 1460;
		assert_true(next_req(e->c, &r));
		assert_int_equal(r.slot, e->slot);
		assert_int_equal(r.seq, e->ctx.snd_nxt);
		assert_int_equal(r.len, want);
		answer(e->c, &r);
		expect_segment(e, r.seq, r.len);
		e->ctx.snd_nxt += r.len;
	}
	tt_card_step(e->c, 200);
	assert_int_equal(tt_card_dma_read_req(e->c, &r), TT_EAGAIN);
}

static void doorbell_read_answer_segment(void **state)
{
	struct env *e = *state;
	struct tt_trace t;
	uint32_t una = e->ctx.snd_una;

	send_all(e, 1000);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DOORBELLS), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_REQS), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DATA_SEGS), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DATA_BYTES), 1000);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_TX_BYTES), 1054);
	/* the import, then doorbell, read, answer; no frame came in */
	static const uint8_t kinds[] = { TT_TRACE_CTX, TT_TRACE_DOORBELL, TT_TRACE_TX_READ,
					 TT_TRACE_TX_ANSWER };
	static const uint32_t values[] = { TT_CTX_IMPORT, 1000, 0, 0 };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(tt_card_trace(e->c, &t), TT_OK);
		assert_int_equal(t.kind, kinds[i]);
		assert_int_equal(t.slot, e->slot);
		assert_int_equal(t.order, 0);
		if (i == 1)
			assert_int_equal(t.value, una + values[i]);
		else if (i)
			assert_int_equal(t.value, una);
	}
	assert_int_equal(tt_card_trace(e->c, &t), TT_EAGAIN);
}

/* Lengths around every lane boundary of the appender (the payload starts
 * at lane 6) and around the MSS. */
static void mss_segmentation_at_every_boundary(void **state)
{
	struct env *e = *state;
	static const uint32_t lens[] = { 1, 2, 3, 6, 7, 8, 9, 10, 11, 17, 18, 1458,
					 1459, 1460, 1461, 2920, 2921, 4479 };

	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		send_all(e, lens[i]);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_STALE), 0);
}

static void stale_answer_after_export(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;
	uint8_t got[TT_MAX_FRAME];
	size_t n;

	assert_int_equal(tt_card_doorbell(e->c, e->slot, e->ctx.snd_max + 500), TT_OK);
	assert_true(next_req(e->c, &r));
	struct tt_ctx_result res = run_cmd(e->c, TT_CTX_EXPORT, e->slot, NULL);
	assert_int_equal(res.status, TT_OK);
	answer(e->c, &r);
	tt_card_step(e->c, 400);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_STALE), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DATA_SEGS), 0);
	assert_int_not_equal(tt_card_net_tx(e->c, got, sizeof(got), &n), TT_OK);
}

/* ENGINE.md 5: every TIMER_SCALE cycles a TICK item and one sweep of the
 * valid slots in slot order; each record goes through tcp_timer_tick()
 * here too, and the card's frames, events and counters must follow. */
static void timer_sweep_follows_tcp_timer_tick(void **state)
{
	struct env *e = *state;
	struct tt_ctx ctx[2] = { e->ctx, e->ctx };
	uint16_t slot[2] = { e->slot, 0 };
	struct tcp_timer_cfg cfg = { .retry_limit = 3 };
	uint8_t rec[TT_CTX_BYTES];
	uint32_t delacks = 0, rtos = 0, limits = 0, acks_sent = 0;
	struct tt_trace t;

	/* a second connection: an owed ACK and 1000 bytes in flight whose
	 * timer runs out at the second tick */
	ctx[1].remote_port = 40001;
	ctx[1].flags |= TT_CTXF_ACK_PENDING;
	ctx[1].snd_nxt = ctx[1].snd_una + 1000;
	ctx[1].snd_max = ctx[1].snd_nxt;
	ctx[1].timer = 2;
	ctx[1].rto = 2;
	ctx[1].retries = 1;
	tt_ctx_pack(&ctx[1], rec);
	struct tt_ctx_result res = run_cmd(e->c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	slot[1] = res.slot;
	assert_int_not_equal(slot[0], slot[1]);
	while (tt_card_trace(e->c, &t) == TT_OK)
		;
	for (struct tt_event ev; tt_card_event(e->c, &ev) == TT_OK;)
		assert_int_equal(ev.type, TT_EVT_LINK);
	assert_int_equal(tt_card_reg_write(e->c, TT_REG_RETRY_LIMIT, cfg.retry_limit), TT_OK);
	assert_int_equal(tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, 400), TT_OK);
	for (uint32_t tick = 1; tick <= 12; tick++) {
		int seen = 0;

		for (int i = 0; i < 200 && !seen; i++) {
			tt_card_step(e->c, 8);
			while (tt_card_trace(e->c, &t) == TT_OK) {
				if (t.kind != TT_TRACE_TICK)
					continue;
				assert_int_equal(t.slot, TT_SLOT_NONE);
				assert_int_equal(t.value, tick);
				assert_int_equal(t.order, 0);
				seen = 1;
			}
		}
		assert_true(seen);
		tt_card_step(e->c, 100);            /* the sweep ends */
		for (int k = slot[0] < slot[1] ? 0 : 1, n = 0; n < 2; n++, k ^= 1) {
			struct tcp_timer_out o;
			struct tt_event ev;

			tcp_timer_tick(&ctx[k], &cfg, &o);
			if (o.send_ack) {
				uint8_t got[TT_MAX_FRAME], want[TCP_TX_HDR];
				struct tcp_out_seg s;
				size_t len, n_got = 0;
				int src = -1;

				tcp_out_ack(&ctx[k], &s);
				len = tcp_tx_build(&ctx[k], team_mac, 0, s.seq, NULL, 0, want);
				tcp_out_sent(&ctx[k], &s);
				assert_int_equal(tt_card_net_tx_src(e->c, got, sizeof(got), &n_got,
								    &src), TT_OK);
				assert_int_equal(src, TT_TX_SRC_ENGINE);
				assert_int_equal(n_got, len);
				assert_memory_equal(got, want, len);
				delacks++;
				acks_sent++;
			}
			if (o.what == TCP_TIMER_RTO)
				rtos++;
			if (o.retransmit) {
				assert_int_equal(tt_card_event(e->c, &ev), TT_OK);
				assert_int_equal(ev.type, TT_EVT_RETRANS);
				assert_int_equal(ev.slot, slot[k]);
				assert_int_equal(ev.value, o.seq);
			}
			if (o.rto_limit) {
				assert_int_equal(tt_card_event(e->c, &ev), TT_OK);
				assert_int_equal(ev.type, TT_EVT_RTO_LIMIT);
				assert_int_equal(ev.slot, slot[k]);
				assert_int_equal(ev.value, ctx[k].retries);
				limits++;
			}
		}
		uint8_t none[TT_MAX_FRAME];
		size_t n_none;
		struct tt_event ev;
		assert_int_not_equal(tt_card_net_tx(e->c, none, sizeof(none), &n_none), TT_OK);
		assert_int_equal(tt_card_event(e->c, &ev), TT_EAGAIN);
	}
	assert_int_equal(delacks, 1);
	assert_int_equal(rtos, 2);
	assert_int_equal(limits, 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DELACKS), delacks);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_ACKS_SENT), acks_sent);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RTO), rtos);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RTO_LIMIT), limits);
	/* the swept records are the followed ones */
	assert_int_equal(tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, 0), TT_OK);
	tt_card_step(e->c, 200);
	for (int k = 0; k < 2; k++) {
		res = run_cmd(e->c, TT_CTX_SNAPSHOT, slot[k], NULL);
		assert_int_equal(res.status, TT_OK);
		tt_ctx_pack(&ctx[k], rec);
		assert_memory_equal(res.rec, rec, TT_CTX_BYTES);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(doorbell_read_answer_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(mss_segmentation_at_every_boundary, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stale_answer_after_export, setup, teardown),
		cmocka_unit_test_setup_teardown(timer_sweep_follows_tcp_timer_tick, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("tx_rtl", tests, NULL, NULL);
}
