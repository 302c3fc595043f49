/* SPDX-License-Identifier: MIT */
/*
 * The transmit engine of card revision 1.3 (sw-model/ENGINE.md) on the
 * model card, through the card interface, section by section: doorbells,
 * the scheduler's DMA read requests, answers becoming data segments,
 * stale answers after an export, and the timer tick (delayed ACK, RTO
 * go-back-N with its RETRANS event, persist probe, RTO_LIMIT at
 * RETRY_LIMIT), fast retransmit on the third duplicate ACK; and follow
 * mode: a second model card fed the first one's trace items produces the
 * same outputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "model.h"
#include "parse.h"
#include "testenv.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u
#define PEER_IP 0xc6120202u
#define ISS     1000u  /* our first sequence number in the context */
#define RCV     0x7000u
#define SCALE   100000u /* TIMER_SCALE of the tests that tick: far more
			   than the cycles settle() adds meanwhile */
#define FOLLOW_SCALE 100u

struct env {
	struct tt_card *c;
	uint16_t slot;
};

static void settle(struct tt_card *c)
{
	for (int i = 0; i < 100 && !tt_card_idle(c); i++)
		tt_card_step(c, 16);
	tt_card_step(c, 16);
}

static struct tt_ctx_result run_cmd(struct tt_card *c, uint8_t op, uint16_t slot,
				    const struct tt_ctx *ctx)
{
	struct tt_ctx_cmd cmd = { .op = op, .slot = slot };
	struct tt_ctx_result res;

	if (ctx)
		tt_ctx_pack(ctx, cmd.rec);
	assert_int_equal(tt_card_ctx_cmd(c, &cmd), TT_OK);
	for (int i = 0; i < 100; i++) {
		tt_card_step(c, 4);
		if (tt_card_ctx_result(c, &res) == TT_OK)
			return res;
	}
	fail_msg("no context result");
	return res;
}

static struct tt_ctx base_ctx(void)
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.remote_ip = PEER_IP;
	c.local_ip = TEAM_IP;
	c.remote_port = 40000;
	c.local_port = 80;
	c.mss = 1000;
	c.peer_mac = 0x02000000445aull;  /* 5a:44:00:00:00:02 */
	c.snd_una = c.snd_nxt = c.snd_max = ISS;
	/* RFC 6582: the first fast retransmit needs an ACK above recover */
	c.recover = ISS - 1;
	c.snd_wnd = 60000;
	c.cwnd = 10000;
	c.ssthresh = 1u << 30;
	c.rcv_nxt = RCV;
	c.rcv_wnd = 8192;
	c.rto = 4;
	return c;
}

static struct env *make(struct tt_card *c, const struct tt_ctx *ctx)
{
	static struct env e[2];
	static int n;
	struct env *x = &e[n++ % 2];
	struct tt_ctx_result r;
	struct tt_event ev;

	x->c = c;
	tt_card_step(c, 512);
	while (tt_card_event(c, &ev) == TT_OK)
		;                              /* the link coming up */
	r = run_cmd(c, TT_CTX_IMPORT, 0, ctx);
	assert_int_equal(r.status, TT_OK);
	x->slot = r.slot;
	return x;
}

static int setup(void **state)
{
	struct tt_ctx ctx = base_ctx();

	*state = make(testenv_card("model", team_mac, TEAM_IP, 0), &ctx);
	return 0;
}

static int teardown(void **state)
{
	tt_card_free(((struct env *)*state)->c);
	return 0;
}

static struct tt_ctx snapshot(struct env *e)
{
	struct tt_ctx_result r = run_cmd(e->c, TT_CTX_SNAPSHOT, e->slot, NULL);
	struct tt_ctx x;

	assert_int_equal(r.status, TT_OK);
	tt_ctx_unpack(r.rec, &x);
	return x;
}

static uint8_t byte_at(uint32_t seq) { return (uint8_t)(seq * 13u + 5u); }

static struct tt_dma_read_req expect_read(struct env *e, uint32_t seq, uint16_t len)
{
	struct tt_dma_read_req r;

	assert_int_equal(tt_card_dma_read_req(e->c, &r), TT_OK);
	assert_int_equal(r.slot, e->slot);
	assert_int_equal(r.seq, seq);
	assert_int_equal(r.len, len);
	return r;
}

static void expect_no_read(struct env *e)
{
	struct tt_dma_read_req r;

	assert_int_equal(tt_card_dma_read_req(e->c, &r), TT_EAGAIN);
}

static void answer(struct tt_card *c, const struct tt_dma_read_req *r)
{
	uint8_t data[TT_MAX_FRAME];

	for (uint16_t i = 0; i < r->len; i++)
		data[i] = byte_at(r->seq + i);
	assert_int_equal(tt_card_dma_read_resp(c, r, data), TT_OK);
	settle(c);
}

/* The next frame on the wire: the engine's, parsed as the peer would. */
static struct parse_hdr expect_frame(struct env *e, uint32_t seq, uint16_t len)
{
	struct parse_cfg cfg = { .ip = PEER_IP, .link_up = 1, .enabled = 1 };
	uint8_t f[TT_MAX_FRAME];
	struct parse_hdr h;
	size_t n;
	int src;

	memcpy(cfg.mac, "\x5a\x44\x00\x00\x00\x02", 6);
	assert_int_equal(tt_card_net_tx_src(e->c, f, sizeof(f), &n, &src), TT_OK);
	assert_int_equal(src, TT_TX_SRC_ENGINE);
	assert_int_equal(parse_frame(&cfg, f, n, &h).reason, TT_EXC_NO_MATCH);
	assert_int_equal(h.seq, seq);
	assert_int_equal(h.payload_len, len);
	for (uint16_t i = 0; i < len; i++)
		assert_int_equal(f[h.payload_off + i], byte_at(seq + i));
	return h;
}

static void expect_no_frame(struct env *e)
{
	uint8_t f[TT_MAX_FRAME];
	size_t n;
	int src;

	assert_int_equal(tt_card_net_tx_src(e->c, f, sizeof(f), &n, &src), TT_EAGAIN);
}

static struct tt_event expect_event(struct env *e, uint8_t type, uint32_t value)
{
	struct tt_event ev;

	assert_int_equal(tt_card_event(e->c, &ev), TT_OK);
	assert_int_equal(ev.type, type);
	assert_int_equal(ev.slot, e->slot);
	assert_int_equal(ev.value, value);
	return ev;
}

static void expect_no_event(struct env *e)
{
	struct tt_event ev;

	assert_int_equal(tt_card_event(e->c, &ev), TT_EAGAIN);
}

static void peer_segment(struct env *e, uint32_t seq, uint32_t ack, uint16_t wnd,
			 uint16_t len)
{
	static uint8_t payload[1600];
	struct fg_tcp t = { 0 };
	uint8_t f[1700];

	memcpy(t.dst_mac, team_mac, 6);
	memcpy(t.src_mac, "\x5a\x44\x00\x00\x00\x02", 6);
	t.src_ip = PEER_IP;
	t.dst_ip = TEAM_IP;
	t.src_port = 40000;
	t.dst_port = 80;
	t.seq = seq;
	t.ack = ack;
	t.flags = FG_TCP_ACK;
	t.window = wnd;
	t.payload = payload;
	t.payload_len = len;
	assert_int_equal(tt_card_net_rx(e->c, f, fg_tcp_frame(f, &t)), TT_OK);
	settle(e->c);
}

static void doorbell(struct env *e, uint32_t end)
{
	assert_int_equal(tt_card_doorbell(e->c, e->slot, end), TT_OK);
	settle(e->c);
}

static void tick(struct env *e, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		tt_card_step(e->c, SCALE);
	settle(e->c);
}

/* ENGINE.md 2: a doorbell moves snd_max and kicks the slot; backwards,
 * too far, or for an empty slot it is counted ignored; a slot out of
 * range is refused at the call. */
static void doorbell_rules(void **state)
{
	struct env *e = *state;
	uint32_t version = 0;

	assert_int_equal(tt_card_reg_read(e->c, TT_REG_VERSION, &version), TT_OK);
	assert_int_equal(version, TT_CARD_VERSION_ENGINE_TX);
	assert_int_equal(tt_card_reg_read(e->c, TT_REG_RETRY_LIMIT, &version), TT_OK);
	assert_int_equal(version, 8);
	assert_int_equal(tt_card_doorbell(e->c, 1024, ISS + 10), TT_EINVAL);
	doorbell(e, ISS + 500);
	assert_int_equal(snapshot(e).snd_max, ISS + 500);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DOORBELLS), 1);
	expect_read(e, ISS, 500);
	doorbell(e, ISS + 400);                        /* backwards */
	doorbell(e, ISS + (1u << 30) + 1);             /* too far */
	assert_int_equal(tt_card_doorbell(e->c, (uint16_t)(e->slot ^ 1), 5), TT_OK);
	settle(e->c);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DB_IGNORED), 3);
	assert_int_equal(snapshot(e).snd_max, ISS + 500);
}

/* ENGINE.md 3-4: one read outstanding per slot; its answer goes out as a
 * data segment, snd_nxt moves, the timer starts, the next read follows. */
static void scheduler_and_answers(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;
	struct tt_ctx x;

	doorbell(e, ISS + 2500);
	r = expect_read(e, ISS, 1000);
	expect_no_read(e);                             /* one at a time */
	doorbell(e, ISS + 3000);
	expect_no_read(e);
	answer(e->c, &r);
	expect_frame(e, ISS, 1000);
	x = snapshot(e);
	assert_int_equal(x.snd_nxt, ISS + 1000);
	assert_int_equal(x.timer, 4);                  /* RFC 6298 5.1 */
	r = expect_read(e, ISS + 1000, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS + 1000, 1000);
	r = expect_read(e, ISS + 2000, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS + 2000, 1000);
	expect_no_read(e);                             /* all sent */
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_REQS), 3);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DATA_SEGS), 3);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DATA_BYTES), 3000);
	/* the peer acknowledges it all: ACKED, the timer stops */
	peer_segment(e, RCV, ISS + 3000, 60000, 0);
	expect_event(e, TT_EVT_ACKED, ISS + 3000);
	assert_int_equal(snapshot(e).timer, 0);
}

/* ENGINE.md 4.1: an answer for a slot exported since its request is
 * dropped and counted; nothing goes out for it. */
static void stale_answer_after_export(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;
	struct tt_ctx_result res;
	struct tt_ctx x;

	doorbell(e, ISS + 100);
	r = expect_read(e, ISS, 100);
	res = run_cmd(e->c, TT_CTX_EXPORT, e->slot, NULL);
	assert_int_equal(res.status, TT_OK);
	answer(e->c, &r);
	expect_no_frame(e);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_STALE), 1);
	/* back in: the old answer again is stale too, the connection
	 * sends when the next tick kicks it */
	tt_ctx_unpack(res.rec, &x);
	res = run_cmd(e->c, TT_CTX_IMPORT, 0, &x);
	assert_int_equal(res.status, TT_OK);
	e->slot = res.slot;
	answer(e->c, &r);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RD_STALE), 2);
	tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, SCALE);
	tick(e, 1);
	r = expect_read(e, ISS, 100);
	answer(e->c, &r);
	expect_frame(e, ISS, 100);
}

/* ENGINE.md 5, delayed ACK: the first tick marks it, the second sends. */
static void tick_sends_delayed_ack(void **state)
{
	struct env *e = *state;
	struct parse_hdr h;

	tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, SCALE);
	peer_segment(e, RCV, ISS, 60000, 1000);        /* full-sized: delayed */
	{
		uint8_t b[TT_MAX_FRAME];
		struct tt_dma_write d;

		assert_int_equal(tt_card_dma_write(e->c, &d, b, sizeof(b)), TT_OK);
		assert_int_equal(d.kind, TT_DMA_PAYLOAD);
	}
	expect_no_frame(e);
	tick(e, 1);
	expect_no_frame(e);
	tick(e, 1);
	h = expect_frame(e, ISS, 0);
	assert_int_equal(h.ack, RCV + 1000);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DELACKS), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_ACKS_SENT), 1);
}

/* ENGINE.md 5, RTO: after rto ticks without an ACK the engine goes back
 * to snd_una (RETRANS event), cwnd one MSS, and reads from there. */
static void tick_rto_goes_back(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;
	struct tt_ctx x;

	tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, SCALE);
	doorbell(e, ISS + 2000);
	r = expect_read(e, ISS, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS, 1000);
	r = expect_read(e, ISS + 1000, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS + 1000, 1000);
	tick(e, 3);
	expect_no_event(e);
	tick(e, 1);                                    /* rto = 4 */
	expect_event(e, TT_EVT_RETRANS, ISS);
	x = snapshot(e);
	assert_int_equal(x.snd_nxt, ISS);
	assert_int_equal(x.cwnd, 1000);
	assert_int_equal(x.retries, 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RTO), 1);
	r = expect_read(e, ISS, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS, 1000);
	expect_no_read(e);                             /* cwnd: one segment */
}

/* ENGINE.md 5, persist: a zero window with data waiting starts the
 * persist timer; its expiry owes a one-byte probe at snd_una. */
static void tick_persist_probe(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;

	tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, SCALE);
	peer_segment(e, RCV, ISS, 0, 0);               /* window closes */
	doorbell(e, ISS + 500);
	expect_no_read(e);
	tick(e, 1);                                    /* persist starts */
	assert_true(snapshot(e).flags & TT_CTXF_PERSIST);
	tick(e, 4);                                    /* expires */
	r = expect_read(e, ISS, 1);
	answer(e->c, &r);
	expect_frame(e, ISS, 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_PROBES), 1);
	expect_no_event(e);                            /* not a loss */
}

/* ENGINE.md 5.3: RTO_LIMIT once, when retries reaches RETRY_LIMIT; the
 * card keeps retransmitting. */
static void tick_rto_limit(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;
	struct tt_event ev;
	int limits = 0, retrans = 0;

	tt_card_reg_write(e->c, TT_REG_TIMER_SCALE, SCALE);
	assert_int_equal(tt_card_reg_write(e->c, TT_REG_RETRY_LIMIT, 2), TT_OK);
	doorbell(e, ISS + 10);
	r = expect_read(e, ISS, 10);
	answer(e->c, &r);
	expect_frame(e, ISS, 10);
	for (int t = 0; t < 4 + 8 + 16 + 32; t++) {
		tick(e, 1);
		while (tt_card_dma_read_req(e->c, &r) == TT_OK) {
			answer(e->c, &r);
			expect_frame(e, ISS, 10);
		}
	}
	while (tt_card_event(e->c, &ev) == TT_OK) {
		limits += ev.type == TT_EVT_RTO_LIMIT;
		retrans += ev.type == TT_EVT_RETRANS;
	}
	assert_int_equal(limits, 1);
	assert_int_equal(retrans, 4);                  /* 4, 8, 16, 32 ticks */
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_RTO_LIMIT), 1);
}

/* ENGINE.md 1.4: the third duplicate ACK goes back to snd_una (RETRANS,
 * ENG_FAST_RETRANS) and the scheduler reads from there. */
static void third_dup_ack_fast_retransmit(void **state)
{
	struct env *e = *state;
	struct tt_dma_read_req r;

	doorbell(e, ISS + 4000);
	for (uint32_t s = ISS; s < ISS + 4000; s += 1000) {
		r = expect_read(e, s, 1000);
		answer(e->c, &r);
		expect_frame(e, s, 1000);
	}
	for (int i = 0; i < 2; i++)
		peer_segment(e, RCV, ISS, 60000, 0);
	expect_no_event(e);
	peer_segment(e, RCV, ISS, 60000, 0);
	expect_event(e, TT_EVT_RETRANS, ISS);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_FAST_RETRANS), 1);
	assert_int_equal(tt_card_counter(e->c, TT_CNT_ENG_DUPACKS), 3);
	r = expect_read(e, ISS, 1000);
	answer(e->c, &r);
	expect_frame(e, ISS, 1000);
}

/* Follow mode: card B applies card A's trace items where A applied them,
 * so that both put out the same frames, read requests and events. */
static void follow_mode_replays_a_trace(void **state)
{
	(void)state;
	struct tt_ctx ctx = base_ctx();
	struct env *a = make(testenv_card("model", team_mac, TEAM_IP, 0), &ctx);
	struct env *b = make(testenv_card("model", team_mac, TEAM_IP, 0), &ctx);
	uint64_t rng = testenv_seed("tx_engine_follow");
	unsigned int items = 0;
	uint32_t sent = ISS, acked = ISS;

	assert_int_equal(model_card_follow(b->c, 1), TT_OK);
	for (int i = 0; i < 2; i++) {
		struct tt_card *c = i ? b->c : a->c;
		tt_card_reg_write(c, TT_REG_CTRL, 3);
		tt_card_reg_write(c, TT_REG_TIMER_SCALE, FOLLOW_SCALE);
	}
	for (int step = 0; step < 400; step++) {
		struct tt_dma_read_req ra, rb;
		struct tt_trace t;
		uint32_t rx;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		switch ((rng >> 33) % 4) {
		case 0:
			tt_card_doorbell(a->c, a->slot, ISS + 500u * (uint32_t)step);
			tt_card_doorbell(b->c, b->slot, ISS + 500u * (uint32_t)step);
			break;
		case 1: {
			/* an ACK somewhere in what was sent (often a
			 * duplicate), or a loss the timers must recover */
			uint32_t ack = acked + (uint32_t)(rng >> 40) % (sent - acked + 1);

			if ((rng >> 20) % 3 == 0)
				ack = acked;
			acked = ack;
			peer_segment(a, RCV, ack, 60000, 0);
			peer_segment(b, RCV, ack, 60000, 0);
			break;
		}
		default:
			break;
		}
		tt_card_step(a->c, 40);
		tt_card_step(a->c, 40);
		while (tt_card_dma_read_req(a->c, &ra) == TT_OK)
			answer(a->c, &ra), answer(b->c, &ra);
		rx = tt_card_counter(a->c, TT_CNT_RX_FRAMES);
		while (tt_card_trace(a->c, &t) == TT_OK) {
			assert_int_equal(model_card_follow_trace(b->c, &t), TT_OK);
			items++;
		}
		model_card_rx_limit(b->c, rx);
		settle(b->c);
		/* b traces what it applies too: take its items, so that its
		 * trace never fills (a full trace holds the card) */
		while (tt_card_trace(b->c, &t) == TT_OK)
			;
		while (tt_card_dma_read_req(b->c, &rb) == TT_OK)
			;                      /* compared through the frames */
		for (;;) {
			uint8_t fa[TT_MAX_FRAME], fb[TT_MAX_FRAME];
			size_t na, nb;
			int sa, sb;
			int ka = tt_card_net_tx_src(a->c, fa, sizeof(fa), &na, &sa);
			int kb = tt_card_net_tx_src(b->c, fb, sizeof(fb), &nb, &sb);

			assert_int_equal(ka, kb);
			if (ka != TT_OK)
				break;
			assert_int_equal(na, nb);
			assert_memory_equal(fa, fb, na);
			if (na > 54) {
				uint32_t seq = (uint32_t)fa[38] << 24 | (uint32_t)fa[39] << 16 |
					       (uint32_t)fa[40] << 8 | fa[41];
				if ((int32_t)(seq + (uint32_t)(na - 54) - sent) > 0)
					sent = seq + (uint32_t)(na - 54);
			}
		}
		for (;;) {
			struct tt_event ea, eb;
			int ka = tt_card_event(a->c, &ea), kb = tt_card_event(b->c, &eb);

			assert_int_equal(ka, kb);
			if (ka != TT_OK)
				break;
			assert_int_equal(ea.type, eb.type);
			assert_int_equal(ea.value, eb.value);
		}
	}
	assert_true(items > 100);
	assert_int_equal(model_card_follow_errors(b->c), 0);
	for (int i = 0; i < TT_COUNTER_COUNT; i++)
		assert_int_equal(tt_card_counter(a->c, i), tt_card_counter(b->c, i));
	tt_card_free(a->c);
	tt_card_free(b->c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(doorbell_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(scheduler_and_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_answer_after_export, setup, teardown),
		cmocka_unit_test_setup_teardown(tick_sends_delayed_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(tick_rto_goes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(tick_persist_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(tick_rto_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(third_dup_ack_fast_retransmit, setup, teardown),
		cmocka_unit_test(follow_mode_replays_a_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
