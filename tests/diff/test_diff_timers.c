/* SPDX-License-Identifier: MIT */
/*
 * Differential test, timer sweep (card revision 1.3, ENGINE.md 5): an RTL
 * card and a model card at revision 1.3 in follow mode (model.h: every
 * trace item of the RTL card is handed to the model, RX_FRAMES read
 * first). Each run picks TIMER_SCALE (200..2000 cycles, so that sweeps
 * sometimes fall due faster than they run) and RETRY_LIMIT, imports
 * 100-500 contexts with random timer states (timers about to expire,
 * retries near the limit and at 255, DELACK / ACK_PENDING / PERSIST /
 * PROBE / RECOVERY, data in flight, shut windows, rto 0) and then mixes,
 * between the ticks: doorbells and the DMA read answers they lead to
 * (data segments; answers late or never), exports and imports (records
 * brought back with another timer state), snapshots, frames from the
 * wire that are no connection's (exceptions: they move RX_FRAMES, the
 * order of the trace items), host back-pressure and, at quiet points, a
 * new RETRY_LIMIT. No segment of an offloaded connection is sent (the
 * receive engine's ACK steps are not this test's).
 *
 * Compared: frames to the wire (the sweep's pure ACKs, data segments),
 * DMA writes, events (RETRANS, RTO_LIMIT), context results, DMA read
 * requests, the model's own trace items against the RTL's, a final
 * SNAPSHOT of every slot and every counter; model_card_follow_errors
 * must stay 0. A mismatch prints the stream, index, byte offset, both
 * values and the seed.
 *
 *   TT_SEED=n          replay a run (each of the RUNS runs prints its seed)
 *   TT_DIFF_EVENTS=n   slot ticks per run (default 120000)
 *   TT_DIFF_OUT=dir    where mismatch pcaps go (default build/diff)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conn_table.h"
#include "diffrun.h"
#include "model.h"
#include "testenv.h"

#define SLOTS      1024
#define MAX_CONNS  1024
#define PEND_MAX   64
#define RD_MAX     4096   /* DMA read requests remembered */
#define TRACE_MAX  16384  /* RTL trace items the model has not emitted yet */

struct conn {
	struct conn_tuple k;
	int slot;                 /* -1: not on the card */
	int parked;               /* exported (or refused): rec comes back */
	uint8_t rec[TT_CTX_BYTES];
	uint32_t snd_end;         /* the last doorbell's */
};

struct run {
	struct diffrun d;
	struct conn conns[MAX_CONNS];
	unsigned nconns;
	int conn_of_slot[SLOTS];
	unsigned installed;
	int pending[PEND_MAX];    /* conns index of imports in flight, -1 dup */
	unsigned pend_head, pend_count;
	/* the RTL's DMA read requests: to compare with the model's, and to
	 * answer */
	struct tt_dma_read_req rd[RD_MAX];
	uint64_t rd_rtl, rd_model, rd_answered;
	/* the RTL's trace items, to compare with the model's own */
	struct tt_trace tr[TRACE_MAX];
	uint64_t tr_rtl, tr_model;
	uint64_t ticks, slot_ticks, frames;
	unsigned pct;
};

static const char *outdir(void)
{
	return getenv("TT_DIFF_OUT") ? getenv("TT_DIFF_OUT") : "build/diff";
}

static struct tt_card *rtl(struct run *t) { return t->d.card[0]; }
static struct tt_card *mdl(struct run *t) { return t->d.card[1]; }

static int mismatch(struct run *t, const char *stream, uint64_t index,
		    const char *field, uint64_t a, uint64_t b)
{
	fprintf(stderr, "diff: MISMATCH seed=%llu stream=%s index=%llu field=%s: "
		"rtl=0x%llx model=0x%llx\n", (unsigned long long)t->d.seed, stream,
		(unsigned long long)index, field, (unsigned long long)a,
		(unsigned long long)b);
	fprintf(stderr, "diff: replay with TT_SEED=%llu\n", (unsigned long long)t->d.seed);
	return -1;
}

/* ------------------------------------------------ what the RTL card says */

static void on_result(struct run *t, const struct tt_ctx_result *res)
{
	if (res->op == TT_CTX_IMPORT && t->pend_count) {
		int i = t->pending[t->pend_head];

		t->pend_head = (t->pend_head + 1) % PEND_MAX;
		t->pend_count--;
		if (i >= 0 && res->status == TT_OK) {
			t->conns[i].slot = res->slot;
			t->conn_of_slot[res->slot] = i;
			t->installed++;
		} else if (i >= 0) {
			t->conns[i].parked = 1;      /* bucket full: later */
		}
	} else if (res->op == TT_CTX_EXPORT && res->status == TT_OK) {
		int i = t->conn_of_slot[res->slot];

		if (i >= 0) {
			memcpy(t->conns[i].rec, res->rec, TT_CTX_BYTES);
			t->conns[i].parked = 1;
			t->conns[i].slot = -1;
			t->conn_of_slot[res->slot] = -1;
			t->installed--;
		}
	}
}

static int drain_ctx(struct run *t, int side)
{
	struct tt_ctx_result res;
	uint8_t b[8 + TT_CTX_BYTES];

	while (tt_card_ctx_result(t->d.card[side], &res) == TT_OK) {
		if (side == 0)
			on_result(t, &res);
		b[0] = res.op;
		b[1] = (uint8_t)res.status;
		b[2] = (uint8_t)res.slot;
		b[3] = (uint8_t)(res.slot >> 8);
		for (int i = 0; i < 4; i++)
			b[4 + i] = (uint8_t)(res.order >> (8 * i));
		memcpy(b + 8, res.rec, TT_CTX_BYTES);
		if (diffcmp_add(t->d.cmp, side, DIFF_CTX, b, sizeof(b)))
			return -1;
	}
	return 0;
}

static int drain_reads(struct run *t, int side)
{
	struct tt_dma_read_req q;

	while (tt_card_dma_read_req(t->d.card[side], &q) == TT_OK) {
		if (side == 0) {
			if (t->rd_rtl - t->rd_answered == RD_MAX ||
			    t->rd_rtl - t->rd_model == RD_MAX) {
				fprintf(stderr, "diff: too many DMA read requests waiting\n");
				return -1;
			}
			t->rd[t->rd_rtl++ % RD_MAX] = q;
			continue;
		}
		if (t->rd_model == t->rd_rtl)
			return mismatch(t, "DMA read request", t->rd_model, "count",
					t->rd_rtl, t->rd_model + 1);
		const struct tt_dma_read_req *p = &t->rd[t->rd_model % RD_MAX];
		if (p->slot != q.slot)
			return mismatch(t, "DMA read request", t->rd_model, "slot",
					p->slot, q.slot);
		if (p->seq != q.seq)
			return mismatch(t, "DMA read request", t->rd_model, "seq", p->seq,
					q.seq);
		if (p->len != q.len)
			return mismatch(t, "DMA read request", t->rd_model, "len", p->len,
					q.len);
		t->rd_model++;
	}
	return 0;
}

/* The model emits the trace items of what it applied: the RTL's, in the
 * RTL's order. */
static int drain_model_trace(struct run *t)
{
	struct tt_trace m;

	while (tt_card_trace(mdl(t), &m) == TT_OK) {
		if (t->tr_model == t->tr_rtl)
			return mismatch(t, "trace", t->tr_model, "count", t->tr_rtl,
					t->tr_model + 1);
		const struct tt_trace *r = &t->tr[t->tr_model % TRACE_MAX];
		if (r->kind != m.kind)
			return mismatch(t, "trace", t->tr_model, "kind", r->kind, m.kind);
		if (r->slot != m.slot)
			return mismatch(t, "trace", t->tr_model, "slot", r->slot, m.slot);
		if (r->order != m.order)
			return mismatch(t, "trace", t->tr_model, "order", r->order, m.order);
		if (r->value != m.value)
			return mismatch(t, "trace", t->tr_model, "value", r->value, m.value);
		t->tr_model++;
	}
	return 0;
}

static int drain(struct run *t, int side)
{
	if (drain_ctx(t, side) || drain_reads(t, side) ||
	    diffcmp_drain(t->d.cmp, side, t->d.card[side], &t->d.bp_state, t->pct))
		return -1;
	return side ? drain_model_trace(t) : 0;
}

/* Step the RTL card, hand its trace to the model (RX_FRAMES first), step
 * the model; take both cards' outputs. */
static int pump(struct run *t, uint64_t cycles)
{
	uint32_t rx;
	struct tt_trace it;

	tt_card_step(rtl(t), cycles);
	rx = tt_card_counter(rtl(t), TT_CNT_RX_FRAMES);
	while (tt_card_trace(rtl(t), &it) == TT_OK) {
		if (t->tr_rtl - t->tr_model == TRACE_MAX) {
			fprintf(stderr, "diff: the model is %d trace items behind\n",
				TRACE_MAX);
			return -1;
		}
		t->tr[t->tr_rtl++ % TRACE_MAX] = it;
		if (it.kind == TT_TRACE_TICK) {
			t->ticks++;
			t->slot_ticks += t->installed;
		}
		for (int tries = 0;; tries++) {
			int rc = model_card_follow_trace(mdl(t), &it);

			if (rc == TT_OK)
				break;
			if (rc != TT_EAGAIN || tries > 100000) {
				fprintf(stderr, "diff: follow: %s\n", tt_status_str(rc));
				return -1;
			}
			tt_card_step(mdl(t), 64);
			if (drain(t, 1))
				return -1;
		}
	}
	model_card_rx_limit(mdl(t), rx);
	if (drain(t, 0))
		return -1;
	tt_card_step(mdl(t), cycles);
	return drain(t, 1);
}

/* Both cards get the same input; pump while one has no room. */
static int both(struct run *t, int (*give)(struct tt_card *c, const void *arg),
		const void *arg)
{
	for (int side = 1; side >= 0; side--) {
		for (int tries = 0;; tries++) {
			int rc = give(t->d.card[side], arg);

			if (rc == TT_OK)
				break;
			if (rc != TT_EAGAIN || tries > 100000) {
				fprintf(stderr, "diff: %s card: %s\n",
					tt_card_backend(t->d.card[side]), tt_status_str(rc));
				return -1;
			}
			/* the host must not starve a card for ever */
			if (tries > 16)
				t->pct = 100;
			if (pump(t, 32))
				return -1;
		}
	}
	return 0;
}

static int give_cmd(struct tt_card *c, const void *arg)
{
	return tt_card_ctx_cmd(c, arg);
}

struct doorbell { uint16_t slot; uint32_t snd_end; };

static int give_doorbell(struct tt_card *c, const void *arg)
{
	const struct doorbell *d = arg;

	return tt_card_doorbell(c, d->slot, d->snd_end);
}

struct frame { const uint8_t *p; size_t len; };

static int give_frame(struct tt_card *c, const void *arg)
{
	const struct frame *f = arg;

	return tt_card_net_rx(c, f->p, f->len);
}

/* Send data byte for sequence s. */
static uint8_t byte_at(uint32_t s) { return (uint8_t)(s * 29 + (s >> 11)); }

static int give_answer(struct tt_card *c, const void *arg)
{
	static uint8_t data[TT_MAX_FRAME];
	const struct tt_dma_read_req *q = arg;

	for (unsigned i = 0; i < q->len; i++)
		data[i] = byte_at(q->seq + i);
	return tt_card_dma_read_resp(c, q, data);
}

/* Answer the oldest requests of the RTL card (to both cards); a few are
 * never answered: their slot keeps its read outstanding. */
static int answer(struct run *t, unsigned n)
{
	while (n-- && t->rd_answered < t->rd_rtl) {
		const struct tt_dma_read_req *q = &t->rd[t->rd_answered++ % RD_MAX];

		if (rng_below(&t->d.rng, 50) == 0)
			continue;
		if (both(t, give_answer, q))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------ contexts */

/* A timer state worth ticking: about to expire, retries near the limit,
 * every flag the timers look at. */
static void random_timers(struct rng *g, uint8_t retry_limit, struct tt_ctx *x)
{
	static const uint8_t flag_bits[] = { TT_CTXF_ACK_PENDING, TT_CTXF_DELACK,
					     TT_CTXF_PERSIST, TT_CTXF_PROBE,
					     TT_CTXF_RECOVERY };
	uint32_t flight;

	x->flags = TT_CTXF_VALID;
	for (unsigned i = 0; i < sizeof(flag_bits); i++)
		if (rng_below(g, 3) == 0)
			x->flags |= flag_bits[i];
	switch (rng_below(g, 6)) {
	case 0:  flight = 0; break;
	case 1:  flight = 1 + rng_below(g, 8); break;
	default: flight = 1 + rng_below(g, 200000); break;
	}
	x->snd_max = x->snd_una + flight + (rng_below(g, 3) ? 0 : rng_below(g, 100000));
	x->snd_nxt = x->snd_una + (flight ? rng_below(g, flight + 1) : 0);
	switch (rng_below(g, 4)) {
	case 0:  x->recover = x->snd_una; break;
	case 1:  x->recover = x->snd_una + flight; break;
	case 2:  x->recover = x->snd_nxt + rng_below(g, 5000); break;
	default: x->recover = (uint32_t)rng_next(g); break;
	}
	x->snd_wnd = rng_below(g, 4) ? (uint16_t)rng_next(g) : 0;
	x->rto = (uint16_t)(rng_below(g, 8) ? rng_below(g, 7) : rng_below(g, 3000));
	switch (rng_below(g, 4)) {
	case 0:  x->timer = 0; break;
	case 1:  x->timer = (uint16_t)rng_below(g, 0x10000); break;
	default: x->timer = (uint16_t)(1 + rng_below(g, 6)); break;
	}
	switch (rng_below(g, 5)) {
	case 0:  x->retries = (uint8_t)(250 + rng_below(g, 6)); break;
	case 1:  x->retries = (uint8_t)rng_below(g, 3); break;
	default: x->retries = (uint8_t)(retry_limit + rng_below(g, 4) - 2); break;
	}
	x->dupacks = (uint8_t)rng_below(g, 5);
	x->cwnd = rng_below(g, 4) ? 1 + rng_below(g, 1u << 20) : (uint32_t)rng_next(g);
	x->ssthresh = rng_below(g, 2) ? 0xffffffffu : (uint32_t)rng_next(g);
}

static void random_record(struct rng *g, const struct conn_tuple *k,
			  uint8_t retry_limit, struct tt_ctx *x)
{
	/* at most 8192: the RTL's segment buffer (PAY_ADDR_W) holds no
	 * more, a jumbo MSS of 8960 is not this test's */
	static const uint16_t mss[] = { 0, 64, 536, 1220, 1460, 1460, 8192 };

	memset(x, 0, sizeof(*x));
	x->version = TT_CTX_VERSION;
	x->state = TT_TCP_ESTABLISHED;
	x->remote_ip = k->src_ip;
	x->local_ip = k->dst_ip;
	x->remote_port = k->src_port;
	x->local_port = k->dst_port;
	x->mss = mss[rng_below(g, 7)];
	x->peer_mac = rng_next(g) & 0xfffffffffffeull;
	x->snd_wscale = (uint8_t)rng_below(g, 15);
	x->rcv_wscale = (uint8_t)rng_below(g, 15);
	x->snd_una = rng_below(g, 4) ? (uint32_t)rng_next(g) : 0u - rng_below(g, 100000);
	x->rcv_nxt = (uint32_t)rng_next(g);
	x->rcv_wnd = (uint16_t)rng_next(g);
	x->ip_id = (uint16_t)rng_next(g);
	random_timers(g, retry_limit, x);
}

static int import(struct run *t, int i)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };

	while (t->pend_count == PEND_MAX)
		if (pump(t, 64))
			return -1;
	memcpy(cmd.rec, t->conns[i].rec, TT_CTX_BYTES);
	t->conns[i].parked = 0;
	t->pending[(t->pend_head + t->pend_count++) % PEND_MAX] = i;
	return both(t, give_cmd, &cmd);
}

static int new_conn(struct run *t, uint8_t retry_limit)
{
	struct conn *c = &t->conns[t->nconns];
	struct tt_ctx x;

	c->k.src_ip = 0xc6130000u | rng_below(&t->d.rng, 0x10000);
	c->k.dst_ip = t->d.ip;
	c->k.src_port = (uint16_t)(1024 + t->nconns);    /* unique */
	c->k.dst_port = (uint16_t)(rng_below(&t->d.rng, 2) ? 80 : rng_next(&t->d.rng));
	random_record(&t->d.rng, &c->k, retry_limit, &x);
	tt_ctx_pack(&x, c->rec);
	c->snd_end = x.snd_max;
	c->slot = -1;
	return import(t, (int)t->nconns++);
}

/* A parked record back, sometimes with another timer state (as a host
 * would bring it after its own timers ran). */
static int bring_back(struct run *t, int i, uint8_t retry_limit)
{
	struct tt_ctx x;

	tt_ctx_unpack(t->conns[i].rec, &x);
	if (rng_below(&t->d.rng, 2)) {
		uint32_t una = x.snd_una;
		random_timers(&t->d.rng, retry_limit, &x);
		x.snd_una = una;
	}
	tt_ctx_pack(&x, t->conns[i].rec);
	t->conns[i].snd_end = x.snd_max;
	return import(t, i);
}

static int parked(struct run *t)
{
	unsigned start = t->nconns ? rng_below(&t->d.rng, t->nconns) : 0;

	for (unsigned k = 0; k < t->nconns; k++) {
		unsigned i = (start + k) % t->nconns;
		if (t->conns[i].parked)
			return (int)i;
	}
	return -1;
}

static int on_card(struct run *t)
{
	unsigned start = t->nconns ? rng_below(&t->d.rng, t->nconns) : 0;

	for (unsigned k = 0; k < t->nconns; k++) {
		unsigned i = (start + k) % t->nconns;
		if (t->conns[i].slot >= 0)
			return (int)i;
	}
	return -1;
}

static int command(struct run *t, uint8_t retry_limit)
{
	struct tt_ctx_cmd cmd = { 0 };
	uint32_t what = rng_below(&t->d.rng, 10);
	int i;

	if (what < 4) {
		if ((i = parked(t)) >= 0)
			return bring_back(t, i, retry_limit);
		if (t->nconns < MAX_CONNS)
			return new_conn(t, retry_limit);
	}
	cmd.op = what < 7 ? TT_CTX_EXPORT : TT_CTX_SNAPSHOT;
	i = on_card(t);
	if (i >= 0 && rng_below(&t->d.rng, 8))
		cmd.slot = (uint16_t)t->conns[i].slot;
	else
		cmd.slot = (uint16_t)rng_below(&t->d.rng, SLOTS);
	return both(t, give_cmd, &cmd);
}

/* A doorbell: more data, now and then a backwards one or one for an
 * empty slot. */
static int ring(struct run *t)
{
	struct doorbell d;
	int i = on_card(t);

	if (i < 0 || rng_below(&t->d.rng, 20) == 0) {
		d.slot = (uint16_t)rng_below(&t->d.rng, SLOTS);
		d.snd_end = (uint32_t)rng_next(&t->d.rng);
	} else {
		struct conn *c = &t->conns[i];
		d.slot = (uint16_t)c->slot;
		d.snd_end = c->snd_end + rng_below(&t->d.rng, 6000);
		if (rng_below(&t->d.rng, 30) == 0)
			d.snd_end = c->snd_end - 1 - rng_below(&t->d.rng, 100);
		else
			c->snd_end = d.snd_end;
	}
	return both(t, give_doorbell, &d);
}

/* Until both cards are idle, everything asked answered, every trace item
 * applied and no tick has come for a while. */
static int settle(struct run *t)
{
	unsigned quiet = 0;

	for (int i = 0; i < 20000; i++) {
		uint64_t before = t->tr_rtl;

		if (answer(t, RD_MAX) || pump(t, 256))
			return -1;
		if (t->tr_rtl == before && t->rd_answered == t->rd_rtl &&
		    t->tr_model == t->tr_rtl && t->rd_model == t->rd_rtl &&
		    tt_card_idle(rtl(t)) && tt_card_idle(mdl(t))) {
			if (++quiet == 8)
				return 0;
		} else {
			quiet = 0;
		}
	}
	fprintf(stderr, "diff: the cards never settled\n");
	return -1;
}

static int set_both(struct run *t, uint32_t addr, uint32_t val)
{
	return tt_card_reg_write(rtl(t), addr, val) || tt_card_reg_write(mdl(t), addr, val);
}

/* ------------------------------------------------ the run */

static void one_run(void)
{
	static const uint8_t limits[] = { 0, 1, 2, 3, 5, 8, 8, 255 };
	/* 0: the host takes nothing for a while; the sweeps stop on full
	 * outputs */
	static const unsigned pcts[] = { 100, 100, 100, 60, 20, 0 };
	static uint8_t frame[10000];
	static struct run t;
	uint64_t target = testenv_u64("TT_DIFF_EVENTS", 120000);
	uint8_t retry_limit;
	uint32_t scale;
	unsigned initial, limit_changes = 0;

	memset(&t, 0, sizeof(t));
	assert_int_equal(diffrun_init(&t.d, "diff_timers", outdir()), 0);
	assert_int_equal(model_card_revision(mdl(&t), TT_CARD_VERSION_ENGINE_TX), TT_OK);
	memset(t.conn_of_slot, 0xff, sizeof(t.conn_of_slot));
	t.pct = 100;
	for (int i = 0; i < 4; i++)
		assert_int_equal(set_both(&t, TT_REG_HASH_KEY0 + 4u * (uint32_t)i,
					  (uint32_t)rng_next(&t.d.rng)), 0);
	assert_int_equal(set_both(&t, TT_REG_CTRL, 3), 0);   /* enable, trace */
	retry_limit = limits[rng_below(&t.d.rng, sizeof(limits))];
	scale = 200 + rng_below(&t.d.rng, 1801);
	assert_int_equal(set_both(&t, TT_REG_RETRY_LIMIT, retry_limit), 0);
	assert_int_equal(pump(&t, 300), 0);                   /* tables clear */

	initial = 100 + rng_below(&t.d.rng, 401);
	for (unsigned i = 0; i < initial; i++)
		assert_int_equal(new_conn(&t, retry_limit), 0);
	assert_int_equal(settle(&t), 0);
	printf("# %u contexts on the card of %u imported; TIMER_SCALE %u, RETRY_LIMIT %u\n",
	       t.installed, initial, scale, retry_limit);
	assert_int_equal(set_both(&t, TT_REG_TIMER_SCALE, scale), 0);

	for (uint64_t n = 0; t.slot_ticks < target; n++) {
		uint32_t what = rng_below(&t.d.rng, 100);

		if (n % 500 == 0)
			t.pct = pcts[rng_below(&t.d.rng, 6)];
		/* a new retry limit at a quiet point: the sweeps before it
		 * must have run with the old one on both cards */
		if (n % 3000 == 2999 && limit_changes < 3) {
			assert_int_equal(set_both(&t, TT_REG_TIMER_SCALE, 0), 0);
			t.pct = 100;
			assert_int_equal(settle(&t), 0);
			retry_limit = limits[rng_below(&t.d.rng, sizeof(limits))];
			assert_int_equal(set_both(&t, TT_REG_RETRY_LIMIT, retry_limit), 0);
			assert_int_equal(set_both(&t, TT_REG_TIMER_SCALE, scale), 0);
			limit_changes++;
		}
		if (what < 4) {
			assert_int_equal(command(&t, retry_limit), 0);
		} else if (what < 24) {
			assert_int_equal(ring(&t), 0);
		} else if (what < 30) {
			enum fg_kind k;
			struct frame f = { frame, 0 };

			f.len = fg_random_frame(&t.d.rng, t.d.mac, t.d.ip, frame, &k);
			if (f.len) {
				assert_int_equal(both(&t, give_frame, &f), 0);
				t.frames++;
			}
		}
		if (rng_below(&t.d.rng, 3))
			assert_int_equal(answer(&t, 1 + rng_below(&t.d.rng, 4)), 0);
		assert_int_equal(pump(&t, 16 + rng_below(&t.d.rng, 200)), 0);
	}

	/* the end: no more ticks; every slot's record */
	assert_int_equal(set_both(&t, TT_REG_TIMER_SCALE, 0), 0);
	t.pct = 100;
	assert_int_equal(settle(&t), 0);
	for (unsigned s = 0; s < SLOTS; s++) {
		struct tt_ctx_cmd cmd = { .op = TT_CTX_SNAPSHOT, .slot = (uint16_t)s };
		assert_int_equal(both(&t, give_cmd, &cmd), 0);
	}
	assert_int_equal(settle(&t), 0);
	assert_int_equal(diffcmp_counters(t.d.cmp, t.d.card), 0);
	assert_int_equal(diffcmp_finish(t.d.cmp), 0);
	assert_int_equal(model_card_follow_errors(mdl(&t)), 0);
	assert_true(t.tr_model == t.tr_rtl);
	assert_true(t.rd_model == t.rd_rtl);

	printf("# %llu ticks, %llu slot ticks; %llu engine frames, %llu events, "
	       "%llu context results, %llu DMA read requests, %llu trace items, "
	       "%llu DMA writes (%llu frames in) equal; rtl %llu cycles\n",
	       (unsigned long long)t.ticks, (unsigned long long)t.slot_ticks,
	       (unsigned long long)diffcmp_count(t.d.cmp, DIFF_NET_TX_ENGINE),
	       (unsigned long long)diffcmp_count(t.d.cmp, DIFF_EVENT),
	       (unsigned long long)diffcmp_count(t.d.cmp, DIFF_CTX),
	       (unsigned long long)t.rd_model, (unsigned long long)t.tr_model,
	       (unsigned long long)diffcmp_count(t.d.cmp, DIFF_DMA_WRITE),
	       (unsigned long long)t.frames,
	       (unsigned long long)tt_card_cycles(rtl(&t)));
	printf("# counters:");
	for (int i = TT_CNT_ENG_ACKS_SENT; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i) && tt_card_counter(mdl(&t), i))
			printf(" %s=%u", tt_counter_str(i), tt_card_counter(mdl(&t), i));
	printf("\n");
	/* the sweep did what it is there for */
	if (target >= 20000) {
		assert_true(tt_card_counter(mdl(&t), TT_CNT_ENG_DELACKS) > 0);
		assert_true(tt_card_counter(mdl(&t), TT_CNT_ENG_RTO) > 0);
		assert_true(diffcmp_count(t.d.cmp, DIFF_EVENT) > 0);
	}
	diffrun_free(&t.d);
}

/* Three runs, three seeds (with TT_SEED, three times the one). */
static void diff_timers_run1(void **state) { (void)state; one_run(); }
static void diff_timers_run2(void **state) { (void)state; one_run(); }
static void diff_timers_run3(void **state) { (void)state; one_run(); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff_timers_run1),
		cmocka_unit_test(diff_timers_run2),
		cmocka_unit_test(diff_timers_run3),
	};

	return cmocka_run_group_tests_name("diff_timers", tests, NULL, NULL);
}
