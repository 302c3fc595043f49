/* SPDX-License-Identifier: MIT */
/*
 * The engine's stages together make a working TCP: two connection
 * contexts, A and B, each the mirror of the other's sequence space, run
 * tcp_rx_segment, tcp_out, tcp_cc and tcp_timers against each other over
 * a seeded channel that loses, duplicates and reorders segments. C
 * buffers stand for the host: a send buffer per side (the DMA read takes
 * a segment's payload from it by sequence number, the doorbell announces
 * more as the peer acknowledges), a receive buffer per side (the DMA
 * write appends delivered payload, checked byte for byte against the
 * peer's send buffer), and an application that reads in bursts and now
 * and then stops reading long enough to close the window.
 *
 * Both streams (TT_LOOPBACK_BYTES, default 10 MiB each way) must arrive
 * intact within a bounded number of simulated ticks (TT_LOOPBACK_MAX_TICKS
 * overrides the bound), with progress at least every STALL_TICKS. Replay
 * a run with TT_SEED; the first wrong byte is printed on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_cc.h"
#include "tcp_out.h"
#include "tcp_rx.h"
#include "tcp_timers.h"
#include "testenv.h"

#define ACK_FLAG       0x10
#define STEPS_PER_TICK 10        /* channel steps per timer tick */
#define DELAY          20        /* one-way delay, steps (RTT 40) */
#define REORDER_EXTRA  40        /* a reordered segment is late by up to this */
#define BURST          2         /* segments a side may send per step */
#define RTO_TICKS      12        /* base timeout: 120 steps, 3 RTTs */
#define RETRY_LIMIT    8
#define SNDBUF         (512u << 10) /* host send buffer ahead of snd_una */
#define RCVBUF         (64u << 10)  /* receive buffer behind the window */
#define WSCALE         3
#define READ_PERIOD    20        /* the application reads every 20 steps */
#define CHAN_SLOTS     8192      /* segments in flight, both directions */
#define MAX_MSS        1460
/* Longest quiet spell allowed: the longest backed-off timeout is
 * RTO_TICKS << 6 = 768 ticks, an application stall at most 180 ticks. */
#define STALL_TICKS    3000

struct pkt {
	uint64_t at, order;       /* arrival step; tie-break keeps send order */
	int to;                   /* receiving side */
	struct tcp_rx_seg h;
	uint8_t data[MAX_MSS];
};

/* The channel: a binary min-heap of segments by arrival step. */
struct chan {
	struct pkt *pool;
	int heap[CHAN_SLOTS], free_ids[CHAN_SLOTS];
	int n, nfree;
	uint64_t order;
	unsigned int loss, dup, reorder; /* per mille */
	uint64_t lost, duplicated, reordered, overflow;
};

struct side {
	const char *name;
	struct tt_ctx c;
	const uint8_t *tx;        /* host send buffer: the whole stream */
	uint32_t isn;             /* sequence number of tx[0] */
	uint32_t written;         /* bytes announced by doorbell */
	uint8_t *rx;              /* host receive buffer: the whole stream */
	uint32_t irs;             /* sequence number of the peer's tx[0] */
	uint32_t delivered, app_read;
	uint64_t stall_until;
	uint64_t segs, bytes, acks, probes, rtos, fast_rtx, rto_limits,
		 stalls, bad_doorbells;
};

struct run {
	uint64_t rng, now;
	uint32_t total;
	struct chan ch;
	struct side s[2];
	struct tcp_timer_cfg cfg;
	int failed;
};

static uint64_t rnd(struct run *r)
{
	uint64_t z = (r->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rnd_below(struct run *r, unsigned int n)
{
	return (unsigned int)(rnd(r) % n);
}

/* ------------------------------------------------------------ channel */

static int heap_before(const struct chan *ch, int a, int b)
{
	const struct pkt *x = &ch->pool[a], *y = &ch->pool[b];

	return x->at < y->at || (x->at == y->at && x->order < y->order);
}

static void heap_push(struct chan *ch, int id)
{
	int i = ch->n++;

	while (i && heap_before(ch, id, ch->heap[(i - 1) / 2])) {
		ch->heap[i] = ch->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	ch->heap[i] = id;
}

static int heap_pop(struct chan *ch)
{
	int top = ch->heap[0], last = ch->heap[--ch->n], i = 0;

	for (;;) {
		int k = 2 * i + 1;

		if (k >= ch->n)
			break;
		if (k + 1 < ch->n && heap_before(ch, ch->heap[k + 1], ch->heap[k]))
			k++;
		if (!heap_before(ch, ch->heap[k], last))
			break;
		ch->heap[i] = ch->heap[k];
		i = k;
	}
	if (ch->n)
		ch->heap[i] = last;
	return top;
}

static void chan_put(struct run *r, const struct pkt *p, uint64_t delay)
{
	struct chan *ch = &r->ch;
	int id;

	if (!ch->nfree) {            /* a full channel loses the segment */
		ch->overflow++;
		return;
	}
	id = ch->free_ids[--ch->nfree];
	ch->pool[id] = *p;
	ch->pool[id].at = r->now + delay;
	ch->pool[id].order = ch->order++;
	heap_push(ch, id);
}

/* Send one segment over the lossy channel. */
static void chan_send(struct run *r, const struct pkt *p)
{
	struct chan *ch = &r->ch;
	uint64_t delay = DELAY;

	if (rnd_below(r, 1000) < ch->loss) {
		ch->lost++;
		return;
	}
	if (rnd_below(r, 1000) < ch->reorder) {
		delay += 1 + rnd_below(r, REORDER_EXTRA);
		ch->reordered++;
	}
	chan_put(r, p, delay);
	if (rnd_below(r, 1000) < ch->dup) {
		chan_put(r, p, delay + rnd_below(r, REORDER_EXTRA));
		ch->duplicated++;
	}
}

/* ------------------------------------------------------------ one side */

static void check_ctx(struct run *r, const struct side *s, const char *where)
{
	const struct tt_ctx *c = &s->c;

	if (seq_leq(c->snd_una, c->snd_nxt) && seq_leq(c->snd_nxt, c->snd_max) &&
	    seq_leq(tcp_out_high(c), c->snd_max) && c->cwnd >= c->mss &&
	    c->cwnd <= TCP_CC_CWND_MAX)
		return;
	if (!r->failed)
		printf("# %s after %s at step %llu: snd_una %u snd_nxt %u "
		       "high %u snd_max %u cwnd %u\n", s->name, where,
		       (unsigned long long)r->now, c->snd_una, c->snd_nxt,
		       tcp_out_high(c), c->snd_max, c->cwnd);
	r->failed = 1;
}

/* Put a segment on the wire: header fields as tcp_tx_build() would
 * write them (rcv_nxt, rcv_wnd), payload read from the host buffer. */
static void side_emit(struct run *r, struct side *s, const struct tcp_out_seg *seg)
{
	struct pkt p;

	p.to = s == &r->s[0];
	p.h.seq = seg->seq;
	p.h.ack = s->c.rcv_nxt;
	p.h.wnd = s->c.rcv_wnd;
	p.h.flags = ACK_FLAG;
	p.h.len = seg->len;
	if (seg->len)                 /* the DMA read, by sequence number */
		memcpy(p.data, s->tx + (uint32_t)(seg->seq - s->isn), seg->len);
	tcp_out_sent(&s->c, seg);
	if (seg->kind == TCP_OUT_ACK)
		s->acks++;
	else if (seg->kind == TCP_OUT_PROBE)
		s->probes++;
	else {
		s->segs++;
		s->bytes += seg->len;
	}
	chan_send(r, &p);
	check_ctx(r, s, "send");
}

static void side_ack_now(struct run *r, struct side *s)
{
	struct tcp_out_seg seg;

	tcp_out_ack(&s->c, &seg);
	side_emit(r, s, &seg);
}

/* The host: the ACKED event frees send buffer; the application writes
 * more and rings the doorbell. Now and then a stale doorbell (one that
 * would move the end backwards) checks that it is refused. */
static void host_acked(struct run *r, struct side *s)
{
	uint32_t acked = s->c.snd_una - s->isn;
	uint32_t want = acked + SNDBUF < r->total ? acked + SNDBUF : r->total;

	if (want != s->written) {
		s->written = want;
		if (tcp_out_doorbell(&s->c, s->isn + want) != 1)
			r->failed = 1;
	}
	if (rnd_below(r, 64) == 0 && s->written > 1) {
		uint32_t end = s->c.snd_max;

		if (tcp_out_doorbell(&s->c, s->isn + s->written - 1) != -1 ||
		    s->c.snd_max != end)
			r->failed = 1;
		s->bad_doorbells++;
	}
}

/* The host's DMA write: in-order payload, checked against the peer's
 * send buffer. */
static void host_deliver(struct run *r, struct side *s, const struct pkt *p,
			 const struct tcp_rx_out *o)
{
	const struct side *peer = &r->s[s == &r->s[0]];
	uint32_t at = o->seq - s->irs;

	if (at != s->delivered || (uint64_t)at + o->len > r->total) {
		if (!r->failed)
			printf("# %s: payload at stream offset %u, expected %u\n",
			       s->name, at, s->delivered);
		r->failed = 1;
		return;
	}
	for (uint32_t i = 0; i < o->len; i++) {
		if (p->data[o->off + i] == peer->tx[at + i])
			continue;
		if (!r->failed)
			printf("# %s: first wrong byte at stream offset %u: "
			       "got 0x%02x, sent 0x%02x (step %llu)\n", s->name,
			       at + i, p->data[o->off + i], peer->tx[at + i],
			       (unsigned long long)r->now);
		r->failed = 1;
		return;
	}
	memcpy(s->rx + at, p->data + o->off, o->len);
	s->delivered += o->len;
}

/* A segment arrives: the engine's RX event in the order ENGINE.md gives. */
static void side_receive(struct run *r, struct side *s, const struct pkt *p)
{
	uint32_t una = s->c.snd_una;
	struct tcp_rx_out o;
	struct tcp_cc_out cc;

	tcp_rx_segment(&s->c, &p->h, &o);
	if (o.acked) {
		tcp_cc_new_ack(&s->c, s->c.snd_una - una, &cc);
		tcp_timer_ack(&s->c);
		host_acked(r, s);
	}
	if (o.dupack) {
		tcp_cc_dup_ack(&s->c, &cc);
		if (cc.what == TCP_CC_FAST_RETRANSMIT)
			s->fast_rtx++;
	}
	if (o.len)
		host_deliver(r, s, p, &o);
	if (o.send_ack)
		side_ack_now(r, s);
	check_ctx(r, s, "receive");
}

/* The application reads what was delivered, in bursts; now and then it
 * stops reading for a while (the window closes, persist must open it). */
static void side_app(struct run *r, struct side *s)
{
	uint32_t queued, free;

	if (r->now % READ_PERIOD == 0 && r->now >= s->stall_until) {
		s->app_read = s->delivered;
		if (rnd_below(r, 150) == 0) {
			s->stall_until = r->now + 300 + rnd_below(r, 1500);
			s->stalls++;
		}
	}
	queued = s->delivered - s->app_read;
	free = queued < RCVBUF ? RCVBUF - queued : 0;
	s->c.rcv_wnd = (uint16_t)((free >> WSCALE) < 0xffff ? free >> WSCALE : 0xffff);
}

static void side_tick(struct run *r, struct side *s)
{
	struct tcp_timer_out o;

	tcp_timer_tick(&s->c, &r->cfg, &o);
	if (o.what == TCP_TIMER_RTO)
		s->rtos++;
	if (o.rto_limit)
		s->rto_limits++;
	if (o.send_ack)
		side_ack_now(r, s);
	check_ctx(r, s, "tick");
}

static void side_transmit(struct run *r, struct side *s)
{
	struct tcp_out_seg seg;

	for (int n = 0; n < BURST; n++) {
		tcp_out_next(&s->c, &seg);
		if (seg.kind == TCP_OUT_NONE)
			break;
		side_emit(r, s, &seg);
	}
}

/* ------------------------------------------------------------ set-up */

static void side_init(struct run *r, struct side *s, const char *name,
		      uint32_t isn, uint32_t irs, uint16_t mss)
{
	uint8_t *tx = malloc(r->total);

	assert_non_null(tx);
	for (uint32_t i = 0; i < r->total; i += 8) {
		uint64_t v = rnd(r);

		memcpy(tx + i, &v, r->total - i < 8 ? r->total - i : 8);
	}
	s->name = name;
	s->tx = tx;
	s->rx = malloc(r->total);
	assert_non_null(s->rx);
	s->isn = isn;
	s->irs = irs;
	s->written = r->total < SNDBUF ? r->total : SNDBUF;
	memset(&s->c, 0, sizeof(s->c));
	s->c.version = TT_CTX_VERSION;
	s->c.flags = TT_CTXF_VALID;
	s->c.state = TT_TCP_ESTABLISHED;
	s->c.mss = mss;
	s->c.snd_wscale = WSCALE;
	s->c.rcv_wscale = WSCALE;
	s->c.snd_una = s->c.snd_nxt = isn;
	s->c.snd_max = isn + s->written;
	s->c.recover = isn;
	s->c.rcv_nxt = irs;
	s->c.snd_wnd = (uint16_t)(RCVBUF >> WSCALE);
	s->c.rcv_wnd = (uint16_t)(RCVBUF >> WSCALE);
	s->c.cwnd = 10u * mss;            /* RFC 6928 initial window */
	s->c.ssthresh = 0xffffffffu;
	s->c.rto = RTO_TICKS;
}

static int side_done(const struct run *r, const struct side *s)
{
	return s->delivered == r->total && s->c.snd_una == s->isn + r->total;
}

/* Bytes acknowledged plus bytes delivered, both ways: grows while the
 * connection works. */
static uint64_t progress(const struct run *r)
{
	uint64_t p = 0;

	for (int i = 0; i < 2; i++)
		p += (uint64_t)(uint32_t)(r->s[i].c.snd_una - r->s[i].isn) +
		     r->s[i].delivered;
	return p;
}

static void report(const struct run *r, uint64_t ticks)
{
	printf("# %llu ticks, channel: %llu lost, %llu duplicated, %llu "
	       "reordered, %llu overflowed\n", (unsigned long long)ticks,
	       (unsigned long long)r->ch.lost,
	       (unsigned long long)r->ch.duplicated,
	       (unsigned long long)r->ch.reordered,
	       (unsigned long long)r->ch.overflow);
	for (int i = 0; i < 2; i++) {
		const struct side *s = &r->s[i];

		printf("# %s: delivered %u/%u, sent %llu segments (%llu bytes), "
		       "%llu pure ACKs, %llu probes, %llu timeouts, %llu fast "
		       "retransmits, %llu stalls, snd_una-isn %u, cwnd %u\n",
		       s->name, s->delivered, r->total,
		       (unsigned long long)s->segs, (unsigned long long)s->bytes,
		       (unsigned long long)s->acks, (unsigned long long)s->probes,
		       (unsigned long long)s->rtos,
		       (unsigned long long)s->fast_rtx,
		       (unsigned long long)s->stalls, s->c.snd_una - s->isn,
		       s->c.cwnd);
	}
}

static void streams_arrive_intact(void **state)
{
	static const uint16_t msses[] = { 1460, 1448, 1000, 536 };
	struct run *r = calloc(1, sizeof(*r));
	uint64_t max_ticks, ticks, last_progress = 0, last_progress_step = 0;

	(void)state;
	assert_non_null(r);
	r->rng = testenv_seed("tcp_loopback");
	r->total = (uint32_t)testenv_u64("TT_LOOPBACK_BYTES", 10u << 20);
	r->cfg.retry_limit = RETRY_LIMIT;
	r->ch.loss = 10 + rnd_below(r, 21);       /* 1-3 % each */
	r->ch.dup = 10 + rnd_below(r, 21);
	r->ch.reorder = 10 + rnd_below(r, 21);
	r->ch.pool = calloc(CHAN_SLOTS, sizeof(*r->ch.pool));
	assert_non_null(r->ch.pool);
	for (int i = 0; i < CHAN_SLOTS; i++)
		r->ch.free_ids[r->ch.nfree++] = CHAN_SLOTS - 1 - i;
	{
		/* A's stream wraps 2^32 early; B's crosses 2^31 */
		uint32_t isn_a = 0u - 200000u - rnd_below(r, 100000);
		uint32_t isn_b = 0x7fff0000u + rnd_below(r, 100000);
		uint16_t mss = msses[rnd_below(r, 4)];

		side_init(r, &r->s[0], "A->B", isn_a, isn_b, mss);
		side_init(r, &r->s[1], "B->A", isn_b, isn_a, mss);
		printf("# mss %u, loss %u, dup %u, reorder %u per mille, "
		       "%u bytes each way\n", mss, r->ch.loss, r->ch.dup,
		       r->ch.reorder, r->total);
	}
	/* At full rate a stream takes total / (BURST * mss) steps. Timeouts
	 * dominate at these loss rates (a reordered segment is a lost one
	 * too: the receive stage keeps no out-of-order data): seeds 100-400
	 * took up to 37 times that, so allow 50 times plus a margin. */
	max_ticks = testenv_u64("TT_LOOPBACK_MAX_TICKS",
				50ull * r->total / (BURST * r->s[0].c.mss) /
				STEPS_PER_TICK + 20000);

	for (r->now = 0; !r->failed; r->now++) {
		if (side_done(r, &r->s[0]) && side_done(r, &r->s[1]))
			break;
		if (r->now / STEPS_PER_TICK > max_ticks) {
			printf("# not done after %llu ticks\n",
			       (unsigned long long)max_ticks);
			r->failed = 1;
			break;
		}
		if (progress(r) != last_progress) {
			last_progress = progress(r);
			last_progress_step = r->now;
		} else if (r->now - last_progress_step > STALL_TICKS * STEPS_PER_TICK) {
			printf("# no progress for %u ticks at tick %llu\n",
			       STALL_TICKS, (unsigned long long)(r->now / STEPS_PER_TICK));
			r->failed = 1;
			break;
		}
		while (r->ch.n && r->ch.pool[r->ch.heap[0]].at <= r->now) {
			int id = heap_pop(&r->ch);

			side_receive(r, &r->s[r->ch.pool[id].to], &r->ch.pool[id]);
			r->ch.free_ids[r->ch.nfree++] = id;
		}
		for (int i = 0; i < 2; i++)
			side_app(r, &r->s[i]);
		if (r->now % STEPS_PER_TICK == 0)
			for (int i = 0; i < 2; i++)
				side_tick(r, &r->s[i]);
		for (int i = 0; i < 2; i++)
			side_transmit(r, &r->s[i]);
	}
	ticks = r->now / STEPS_PER_TICK;
	report(r, ticks);
	for (int i = 0; i < 2; i++) {
		struct side *s = &r->s[i];
		const struct side *peer = &r->s[!i];

		assert_int_equal(s->delivered, r->total);
		assert_memory_equal(s->rx, peer->tx, r->total);
		assert_int_equal(s->rto_limits, 0);
		assert_true(s->bad_doorbells > 0);
	}
	assert_false(r->failed);
	assert_true(ticks <= max_ticks);
	if (r->total >= (1u << 20)) {
		/* a run this long has been through every mechanism */
		assert_true(r->s[0].probes + r->s[1].probes > 0);
		assert_true(r->s[0].rtos + r->s[1].rtos > 0);
		assert_true(r->s[0].fast_rtx + r->s[1].fast_rtx > 0);
	}
	for (int i = 0; i < 2; i++) {
		free((void *)r->s[i].tx);
		free(r->s[i].rx);
	}
	free(r->ch.pool);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(streams_arrive_intact),
	};

	return cmocka_run_group_tests_name("tcp_loopback", tests, NULL, NULL);
}
