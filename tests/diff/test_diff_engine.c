/* SPDX-License-Identifier: MIT */
/*
 * Differential test, the engine (card revision 1.3 on the trace path:
 * the model follows every trace item of the RTL card, diffrun.h): an RTL
 * card and a model card get 50-500 random contexts through the context port
 * (sequence numbers near the 2^32 wrap, window scales 0..14, small and
 * large MSS, closed and tiny windows), then a seeded mix at full rate:
 * in-order segments (also in back-to-back bursts of one connection),
 * out of order, duplicates, partial overlaps, data beyond the window,
 * pure ACKs (advancing, duplicate, old, of unsent data), segments without
 * ACK or with SYN/FIN/RST/URG, TCP options and Ethernet padding, corrupt
 * checksums, unknown tuples, random frames of every kind, host raw TX,
 * imports / exports / snapshots in the middle (an exported record comes
 * back later, sometimes with another window, as a reload would bring it),
 * doorbells (forward, repeated, backwards, too far, for empty slots), DMA
 * read answers after a random latency (some made stale by an export),
 * link and enable flips at quiet points and host back-pressure. ACKs of
 * new data and duplicate ACKs leave follow-ups (congestion steps, fast
 * retransmits, ACKs after the step) that the RTL applies between frames.
 * Every stream (DMA writes, host and engine frames to the wire, ACKED,
 * RETRANS and LINK events, context results, trace items, DMA read
 * requests) and every counter must be equal, and the model must meet no
 * follow error.
 *
 * The peer side of each connection follows what the RTL card says (its
 * PAYLOAD writes and ACKs give rcv_nxt, its ACKED events snd_una, its
 * data segments snd_nxt), so that most segments are in order and the
 * rules are met in every state.
 *
 *   TT_SEED=n          replay a run
 *   TT_DIFF_EVENTS=n   frames + host frames + commands (default 200000)
 *   TT_DIFF_OUT=dir    where mismatch pcaps go (default build/diff)
 *   TT_DIFF_TICKS=n    TIMER_SCALE of the second run (default 1000)
 *
 * A second run, a tenth of the events, has the timer sweep tick every
 * TT_DIFF_TICKS cycles meanwhile (retransmission timeouts, delayed ACKs,
 * the sweep's hold beside the follow-ups: no tick between a segment and
 * its follow-up); the first has no ticks.
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

#define MAX_CONNS 2048
#define PEND_MAX  64

struct conn {
	struct conn_tuple k;
	int slot;               /* -1: not on the card */
	int parked;             /* exported: rec holds the record to bring back */
	uint8_t rec[TT_CTX_BYTES];
	uint32_t rcv_nxt;       /* the card's, as learnt */
	uint32_t peer_next;     /* the peer's next new byte */
	uint32_t snd_una, snd_nxt;
	uint32_t snd_end;       /* the host's send buffer end, as rung */
	uint16_t mss, peer_wnd;
	uint32_t window;        /* rcv_wnd << rcv_wscale */
};

static struct conn conns[MAX_CONNS];
static unsigned nconns;
static int conn_of_slot[1024];
static int conn_of_port[65536];         /* remote ports are unique */
static int pending[PEND_MAX];           /* conns index of imports in flight */
static unsigned pend_head, pend_count;
static uint8_t payload[9216];

static const char *outdir(void)
{
	return getenv("TT_DIFF_OUT") ? getenv("TT_DIFF_OUT") : "build/diff";
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* ------------------------------------------------ what the RTL card says */

static void learn_record(struct conn *c, const uint8_t rec[TT_CTX_BYTES])
{
	struct tt_ctx x;

	tt_ctx_unpack(rec, &x);
	c->rcv_nxt = x.rcv_nxt;
	c->snd_una = x.snd_una;
	c->snd_nxt = x.snd_nxt;
	c->snd_end = x.snd_max;
	c->mss = x.mss;
	c->window = (uint32_t)x.rcv_wnd << x.rcv_wscale;
}

static void on_result(struct diffrun *r, const struct tt_ctx_result *res)
{
	(void)r;
	if (res->op == TT_CTX_IMPORT && pend_count) {
		int i = pending[pend_head];
		pend_head = (pend_head + 1) % PEND_MAX;
		pend_count--;
		if (i >= 0 && res->status == TT_OK) {
			conns[i].slot = res->slot;
			conn_of_slot[res->slot] = i;
		} else if (i >= 0) {
			conns[i].parked = 1;   /* bucket full: try again later */
		}
	} else if (res->op == TT_CTX_EXPORT && res->status == TT_OK) {
		int i = conn_of_slot[res->slot];
		if (i >= 0) {
			memcpy(conns[i].rec, res->rec, TT_CTX_BYTES);
			learn_record(&conns[i], res->rec);
			conns[i].parked = 1;
			conn_of_slot[res->slot] = -1;
		}
	}
}

static void observe(void *arg, enum diff_stream st, const uint8_t *p, size_t len)
{
	(void)arg;
	if (st == DIFF_DMA_WRITE && p[0] == TT_DMA_PAYLOAD) {
		uint16_t slot = (uint16_t)(p[4] | p[5] << 8);
		int i = slot < 1024 ? conn_of_slot[slot] : -1;
		if (i >= 0)
			conns[i].rcv_nxt = le32(p + 6) + (uint32_t)(p[2] | p[3] << 8);
	} else if (st == DIFF_NET_TX_ENGINE && len >= 54) {
		int i = conn_of_port[p[36] << 8 | p[37]];
		uint32_t data = (uint32_t)(p[16] << 8 | p[17]) - 40;
		if (i >= 0) {
			conns[i].rcv_nxt = get32(p + 42);
			/* a data segment: the peer has data up to its end */
			if (data && data < 0x10000 &&
			    (int32_t)(get32(p + 38) + data - conns[i].snd_nxt) > 0)
				conns[i].snd_nxt = get32(p + 38) + data;
		}
	} else if (st == DIFF_EVENT && p[0] == TT_EVT_ACKED) {
		uint16_t slot = (uint16_t)(p[1] | p[2] << 8);
		int i = slot < 1024 ? conn_of_slot[slot] : -1;
		if (i >= 0)
			conns[i].snd_una = le32(p + 3);
	}
}

/* ------------------------------------------------ contexts */

/* Near the wrap a quarter of the time. */
static uint32_t random_seq(struct rng *g)
{
	return rng_below(g, 4) ? (uint32_t)rng_next(g) : 0u - rng_below(g, 200000);
}

static void random_window(struct rng *g, struct tt_ctx *x)
{
	switch (rng_below(g, 8)) {
	case 0:  x->rcv_wnd = 0; break;                                /* closed */
	case 1:  x->rcv_wnd = (uint16_t)(1 + rng_below(g, 600)); break; /* tiny */
	default: x->rcv_wnd = (uint16_t)rng_next(g); break;
	}
	x->rcv_wscale = (uint8_t)(rng_below(g, 3) ? rng_below(g, 15) : 0);
}

static void random_record(struct rng *g, const struct conn_tuple *k, struct tt_ctx *x)
{
	static const uint16_t mss[] = { 64, 88, 536, 1220, 1460, 1460, 8960 };

	memset(x, 0, sizeof(*x));
	x->version = TT_CTX_VERSION;
	x->flags = (uint8_t)(TT_CTXF_VALID | (rng_below(g, 4) ? 0 : TT_CTXF_ACK_PENDING));
	x->state = TT_TCP_ESTABLISHED;
	x->remote_ip = k->src_ip;
	x->local_ip = k->dst_ip;
	x->remote_port = k->src_port;
	x->local_port = k->dst_port;
	x->mss = mss[rng_below(g, 7)];
	x->peer_mac = rng_next(g) & 0xfffffffffffeull;
	x->snd_wscale = (uint8_t)rng_below(g, 15);
	x->retries = (uint8_t)rng_below(g, 4);
	x->snd_una = random_seq(g);
	x->snd_nxt = x->snd_una + (rng_below(g, 4) ? rng_below(g, 1u << 20) : 0);
	x->snd_max = x->snd_nxt + rng_below(g, 1u << 16);
	x->rcv_nxt = random_seq(g);
	x->recover = x->snd_una;
	x->cwnd = 1 + rng_below(g, 1u << 20);
	x->ssthresh = rng_below(g, 2) ? 0xffffffffu : (uint32_t)rng_next(g);
	x->snd_wnd = (uint16_t)rng_next(g);
	random_window(g, x);
	x->rto = (uint16_t)(1 + rng_below(g, 3000));
	x->timer = (uint16_t)rng_below(g, 100);
	x->ip_id = (uint16_t)rng_next(g);
	x->dupacks = (uint8_t)(rng_below(g, 8) ? rng_below(g, 4) : 250 + rng_below(g, 6));
}

static void random_tuple(struct rng *g, uint32_t ip, struct conn_tuple *k)
{
	do {
		k->src_ip = 0xc6120000u | rng_below(g, 0x20000);
		k->src_port = (uint16_t)rng_next(g);
	} while (conn_of_port[k->src_port] >= 0);
	k->dst_ip = ip;
	k->dst_port = (uint16_t)(rng_below(g, 2) ? 80 : 1 + rng_below(g, 65535));
}

static int import(struct diffrun *r, int i)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };

	if (pend_count == PEND_MAX)
		return diffrun_pump(r, 64, 100);
	memcpy(cmd.rec, conns[i].rec, TT_CTX_BYTES);
	learn_record(&conns[i], conns[i].rec);
	conns[i].peer_next = conns[i].rcv_nxt;
	conns[i].parked = 0;
	pending[(pend_head + pend_count++) % PEND_MAX] = i;
	return diffrun_ctx(r, &cmd);
}

static int new_conn(struct diffrun *r)
{
	struct conn *c = &conns[nconns];
	struct tt_ctx x;

	random_tuple(&r->rng, r->ip, &c->k);
	conn_of_port[c->k.src_port] = (int)nconns;
	random_record(&r->rng, &c->k, &x);
	tt_ctx_pack(&x, c->rec);
	c->slot = -1;
	c->peer_wnd = (uint16_t)rng_next(&r->rng);
	return import(r, (int)nconns++);
}

/* A parked connection (exported, or refused by a full bucket), from a
 * random place on; -1 if none. */
static int parked(struct rng *g)
{
	unsigned start = nconns ? rng_below(g, nconns) : 0;

	for (unsigned k = 0; k < nconns; k++) {
		unsigned i = (start + k) % nconns;
		if (conns[i].parked)
			return (int)i;
	}
	return -1;
}

/* Bring a parked record back, as a reload would. Meanwhile the host may
 * have opened or closed the window, and sent more (so that ACKs keep
 * finding data in flight). */
static int bring_back(struct diffrun *r, int i)
{
	struct tt_ctx x;

	tt_ctx_unpack(conns[i].rec, &x);
	if (rng_below(&r->rng, 3) == 0)
		random_window(&r->rng, &x);
	if (rng_below(&r->rng, 2)) {
		x.snd_nxt += rng_below(&r->rng, 100000);
		if ((int32_t)(x.snd_max - x.snd_nxt) < 0)
			x.snd_max = x.snd_nxt;
	}
	tt_ctx_pack(&x, conns[i].rec);
	return import(r, i);
}

/* A context command in the middle of the traffic: as many connections
 * come (new, or back) as go (exported), so most stay on the card. */
static int command(struct diffrun *r)
{
	struct tt_ctx_cmd cmd = { 0 };
	uint32_t what = rng_below(&r->rng, 16);
	unsigned i = nconns ? rng_below(&r->rng, nconns) : 0;
	int p;

	if (what < 7) {
		p = parked(&r->rng);
		if ((what < 3 || p < 0) && nconns < MAX_CONNS)
			return new_conn(r);
		if (p >= 0)
			return bring_back(r, p);
	}
	if (what < 8 && nconns) {                      /* duplicate: EXISTS */
		if (pend_count == PEND_MAX)
			return diffrun_pump(r, 64, 100);
		cmd.op = TT_CTX_IMPORT;
		memcpy(cmd.rec, conns[i].rec, TT_CTX_BYTES);
		pending[(pend_head + pend_count++) % PEND_MAX] = -1;
		return diffrun_ctx(r, &cmd);
	}
	cmd.op = what < 12 ? TT_CTX_EXPORT : TT_CTX_SNAPSHOT;
	if (nconns && conns[i].slot >= 0 && rng_below(&r->rng, 8)) {
		cmd.slot = (uint16_t)conns[i].slot;
		if (cmd.op == TT_CTX_EXPORT)
			conns[i].slot = -1;    /* its result parks the record */
	} else {
		cmd.slot = (uint16_t)rng_below(&r->rng, 1024);
		if (cmd.op == TT_CTX_EXPORT && conn_of_slot[cmd.slot] >= 0)
			conns[conn_of_slot[cmd.slot]].slot = -1;
	}
	return diffrun_ctx(r, &cmd);
}

/* ------------------------------------------------ segments */

static uint16_t data_len(struct rng *g, const struct conn *c)
{
	switch (rng_below(g, 20)) {
	case 0:  return (uint16_t)(1461 + rng_below(g, 7000));     /* jumbo */
	case 1: case 2: case 3: case 4:
		 return c->mss && c->mss <= 8960 ? c->mss : 1460;   /* full */
	case 5: case 6: case 7: case 8: case 9:
		 return (uint16_t)(1 + rng_below(g, 16));
	default: return (uint16_t)(1 + rng_below(g, 600));
	}
}

/* Write the segment into f; TCP options and Ethernet padding at times. */
static size_t build(struct diffrun *r, const struct conn *c, uint32_t seq,
		    uint32_t ack, uint8_t flags, uint16_t wnd, uint16_t len,
		    uint8_t *f)
{
	struct fg_tcp t = { 0 };
	size_t n;

	memcpy(t.dst_mac, r->mac, 6);
	t.src_mac[0] = 0x02;
	t.src_ip = c->k.src_ip;
	t.dst_ip = c->k.dst_ip;
	t.src_port = c->k.src_port;
	t.dst_port = c->k.dst_port;
	t.seq = seq;
	t.ack = ack;
	t.flags = flags;
	t.window = wnd;
	t.ip_id = (uint16_t)rng_next(&r->rng);
	for (uint16_t j = 0; j < len; j++)
		payload[j] = (uint8_t)rng_next(&r->rng);
	t.payload = payload;
	t.payload_len = len;
	n = fg_tcp_frame(f, &t);
	if (rng_below(&r->rng, 10) == 0 && n + 40 <= TT_MAX_FRAME) {
		/* 4..40 bytes of options (NOPs and an end) before the data */
		unsigned words = 1 + rng_below(&r->rng, 10);
		memmove(f + 54 + 4 * words, f + 54, len);
		memset(f + 54, 1, 4 * words);
		f[54 + 4 * words - 1] = 0;
		f[46] = (uint8_t)((5 + words) << 4);
		n += 4 * words;
		f[16] = (uint8_t)((n - 14) >> 8);
		f[17] = (uint8_t)(n - 14);
		fg_fix_ip_csum(f);
		fg_fix_tcp_csum(f);
	}
	if (n < 60 && rng_below(&r->rng, 2)) {
		/* Ethernet padding: not part of the datagram */
		size_t padded = 60 + rng_below(&r->rng, 8);
		for (size_t j = n; j < padded; j++)
			f[j] = (uint8_t)rng_next(&r->rng);
		n = padded;
	}
	return n;
}

enum seg_kind {
	SEG_NEW, SEG_RESYNC, SEG_OOO, SEG_DUP, SEG_OVERLAP, SEG_ACK_NEW,
	SEG_ACK_DUP, SEG_ACK_OLD, SEG_ACK_UNSENT, SEG_NO_ACK, SEG_FLAGS,
	SEG_BAD_CSUM, SEG_KINDS
};

static const char *const seg_names[SEG_KINDS] = {
	"new", "resync", "out_of_order", "duplicate", "overlap", "ack_new",
	"ack_dup", "ack_old", "ack_unsent", "no_ack", "syn_fin_rst_urg",
	"bad_csum",
};

static uint64_t seg_count[SEG_KINDS];

static enum seg_kind pick_kind(struct rng *g)
{
	static const uint8_t weight[SEG_KINDS] = { 40, 6, 5, 5, 5, 8, 8, 2, 3, 3, 3, 3 };
	uint32_t n = rng_below(g, 91), acc = 0;

	for (int k = 0; k < SEG_KINDS; k++) {
		acc += weight[k];
		if (n < acc)
			return (enum seg_kind)k;
	}
	return SEG_NEW;
}

/* One segment of an installed connection. */
static size_t segment(struct diffrun *r, struct conn *c, enum seg_kind k, uint8_t *f)
{
	struct rng *g = &r->rng;
	uint32_t inflight = c->snd_nxt - c->snd_una, seq, ack = c->snd_una;
	uint16_t len = data_len(g, c), wnd = c->peer_wnd;
	uint8_t flags = FG_TCP_ACK | (rng_below(g, 2) ? FG_TCP_PSH : 0);
	size_t n;

	if (rng_below(g, 8) == 0)
		wnd = c->peer_wnd = (uint16_t)rng_next(g);   /* window update */
	switch (k) {
	case SEG_RESYNC:                  /* the peer goes back to rcv_nxt */
		c->peer_next = c->rcv_nxt;
		/* fall through */
	case SEG_NEW:
	default:
		/* far ahead of the card (its data was dropped): go back, as a
		 * retransmission would */
		if ((int32_t)(c->peer_next - c->rcv_nxt) > 20000)
			c->peer_next = c->rcv_nxt;
		seq = c->peer_next;
		c->peer_next += len;
		break;
	case SEG_OOO:
		seq = c->peer_next + 1 + rng_below(g, 20000);
		break;
	case SEG_DUP:
		seq = c->rcv_nxt - len - rng_below(g, 3000);
		break;
	case SEG_OVERLAP:
		if (len < 2)
			len = 2;
		seq = c->rcv_nxt - 1 - rng_below(g, len - 1u);
		break;
	case SEG_ACK_NEW:
		len = rng_below(g, 3) ? 0 : len;
		seq = len ? c->peer_next : c->rcv_nxt;
		c->peer_next += len;
		ack = c->snd_una + (inflight ? 1 + rng_below(g, inflight) : 0);
		break;
	case SEG_ACK_DUP:
		len = 0;
		seq = c->rcv_nxt;
		break;
	case SEG_ACK_OLD:
		len = 0;
		seq = c->rcv_nxt;
		ack = c->snd_una - 1 - rng_below(g, 100000);
		break;
	case SEG_ACK_UNSENT:
		len = rng_below(g, 2) ? 0 : len;
		seq = c->rcv_nxt;
		ack = c->snd_nxt + 1 + rng_below(g, 100000);
		break;
	case SEG_NO_ACK:
		seq = c->peer_next;
		flags &= (uint8_t)~FG_TCP_ACK;
		break;
	case SEG_FLAGS:
		seq = c->peer_next;
		flags |= (uint8_t)(1u << (rng_below(g, 4) == 3 ? 5 : rng_below(g, 3)));
		break;
	case SEG_BAD_CSUM:
		seq = c->peer_next;
		break;
	}
	seg_count[k]++;
	n = build(r, c, seq, ack, flags, wnd, len, f);
	if (k == SEG_BAD_CSUM) {
		/* any byte of the TCP segment (not of the padding) */
		uint32_t tcp = (uint32_t)(f[16] << 8 | f[17]) - 20;
		f[34 + rng_below(g, tcp)] ^= (uint8_t)(1 + rng_below(g, 255));
	}
	return n;
}

/* ------------------------------------------------ doorbells */

static uint64_t db_count[4];

/* The host's send buffer grows (mostly), or a doorbell the card must
 * ignore: backwards, more than 2^30 past snd_una, an empty slot. */
static int doorbell(struct diffrun *r, int i)
{
	struct conn *c = &conns[i];
	uint32_t what = rng_below(&r->rng, 20), end;

	if (what < 15) {
		end = c->snd_end + (rng_below(&r->rng, 4) ? rng_below(&r->rng, 30000) : 0);
		c->snd_end = end;
		db_count[0]++;
	} else if (what < 17) {
		end = c->snd_end - 1 - rng_below(&r->rng, 1000);
		db_count[1]++;
	} else if (what < 19) {
		end = c->snd_una + (1u << 30) + 1 + rng_below(&r->rng, 1000);
		db_count[2]++;
	} else {
		uint16_t slot = (uint16_t)rng_below(&r->rng, 1024);
		db_count[3]++;
		/* empty for sure only with no import on its way (its slot
		 * is learnt from its result): else a random end could give a
		 * connection a buffer of up to 2^30 bytes to send */
		if (conn_of_slot[slot] < 0 && !pend_count)
			return diffrun_doorbell(r, slot, (uint32_t)rng_next(&r->rng));
		end = c->snd_end;
	}
	return diffrun_doorbell(r, (uint16_t)c->slot, end);
}

/* ------------------------------------------------ link / enable */

static uint32_t ticks;           /* TT_DIFF_TICKS */

/* (with ticks, retransmission timeouts keep the cards busy: the flip
 * waits for quiet with the ticks stopped) */
static int flip(struct diffrun *r, unsigned n, int down)
{
	if (ticks)
		diffrun_reg(r, TT_REG_TIMER_SCALE, 0);
	if (diffrun_quiesce(r))
		return -1;
	if (ticks)
		diffrun_reg(r, TT_REG_TIMER_SCALE, ticks);
	for (int side = 0; side < 2; side++) {
		struct tt_card *c = r->card[side];
		if (n % 2 == 0)
			tt_card_set_link(c, !down);
		else
			tt_card_reg_write(c, TT_REG_CTRL, down ? 2 : 3); /* trace stays on */
		tt_card_step(c, 16);
	}
	return 0;
}

/* ------------------------------------------------ the run */

static int installed(struct rng *g)
{
	for (int tries = 0; tries < 8 && nconns; tries++) {
		unsigned i = rng_below(g, nconns);
		if (conns[i].slot >= 0)
			return (int)i;
	}
	return -1;
}

static void run(const char *name, uint64_t events)
{
	static uint8_t frame[10000];
	static const unsigned pcts[] = { 100, 100, 60, 20, 5 };
	uint64_t n = 0;
	unsigned flips = 0, initial;
	int down = 0;
	struct diffrun r;

	assert_int_equal(diffrun_init(&r, name, outdir()), 0);
	diffrun_on_ctx_result = on_result;
	diffcmp_observe(r.cmp, observe, NULL);
	nconns = pend_head = pend_count = 0;
	memset(conn_of_slot, 0xff, sizeof(conn_of_slot));
	memset(conn_of_port, 0xff, sizeof(conn_of_port));
	memset(seg_count, 0, sizeof(seg_count));
	memset(db_count, 0, sizeof(db_count));
	for (int i = 0; i < 4; i++)
		diffrun_reg(&r, TT_REG_HASH_KEY0 + 4u * (uint32_t)i, (uint32_t)rng_next(&r.rng));
	assert_int_equal(diffrun_pump(&r, 300, 100), 0);  /* tables clear */

	initial = 50 + rng_below(&r.rng, 451);
	for (unsigned i = 0; i < initial; i++, n++)
		assert_int_equal(new_conn(&r), 0);
	assert_int_equal(diffrun_quiesce(&r), 0);
	printf("# %u contexts imported\n", initial);
	if (ticks) {
		printf("# TIMER_SCALE %u\n", ticks);
		diffrun_reg(&r, TT_REG_TIMER_SCALE, ticks);
	}

	for (; n < events; n++) {
		uint32_t what = rng_below(&r.rng, 100);
		size_t len = 0;
		int host = 0, i;

		if (n % 1000 == 0) {
			static const unsigned lat[] = { 0, 2, 8, 40 };
			r.ready_pct = pcts[rng_below(&r.rng, 5)];
			r.answer_latency = lat[rng_below(&r.rng, 4)];
		}
		/* link down (or the card disabled) for a few hundred events */
		if (n % 9973 == 9972 || (down && n % 9973 == 300)) {
			assert_int_equal(flip(&r, flips, !down), 0);
			flips += down;
			down = !down;
		}
		if (what < 2) {
			assert_int_equal(command(&r), 0);
		} else if (what < 3 && (i = installed(&r.rng)) >= 0) {
			assert_int_equal(doorbell(&r, i), 0);
		} else if (what < 4 && (i = installed(&r.rng)) >= 0) {
			/* a burst of small in-order segments, back to back */
			unsigned burst = 4 + rng_below(&r.rng, 28);
			struct conn *c = &conns[i];
			for (unsigned b = 0; b < burst && n < events; b++, n++) {
				uint16_t l = (uint16_t)rng_below(&r.rng, 7);
				len = build(&r, c, c->peer_next, c->snd_una, FG_TCP_ACK,
					    c->peer_wnd, l, frame);
				c->peer_next += l;
				seg_count[SEG_NEW]++;
				assert_int_equal(diffrun_push(&r, frame, len, 0), 0);
			}
			continue;
		} else if (what < 76 && (i = installed(&r.rng)) >= 0) {
			len = segment(&r, &conns[i], pick_kind(&r.rng), frame);
		} else if (what < 82 && nconns) {
			/* an unknown tuple, or a connection no longer on the card */
			struct conn c = conns[rng_below(&r.rng, nconns)];
			if (c.slot >= 0)
				random_tuple(&r.rng, r.ip, &c.k);
			len = build(&r, &c, (uint32_t)rng_next(&r.rng), c.snd_una,
				    FG_TCP_ACK, c.peer_wnd, data_len(&r.rng, &c), frame);
		} else if (what < 88) {
			/* the host's raw frames, beside the engine's ACKs */
			enum fg_kind k;
			len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
			host = len >= 14 && len <= TT_MAX_FRAME;
		} else {
			enum fg_kind k;
			len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
		}
		if (len)
			assert_int_equal(diffrun_push(&r, frame, len, host), 0);
		if (rng_below(&r.rng, 4) == 0)
			assert_int_equal(diffrun_pump(&r, rng_below(&r.rng, 100), r.ready_pct), 0);
		else
			for (int side = 0; side < 2; side++)
				assert_int_equal(diffrun_drain(&r, side, r.ready_pct), 0);
	}
	if (down)
		assert_int_equal(flip(&r, flips, 0), 0);
	if (ticks)
		diffrun_reg(&r, TT_REG_TIMER_SCALE, 0);
	assert_int_equal(diffrun_quiesce(&r), 0);
	assert_int_equal(diffcmp_finish(r.cmp), 0);
	assert_int_equal(model_card_follow_errors(r.card[1]), 0);

	printf("# %llu events: %llu DMA writes, %llu engine frames, %llu host frames, "
	       "%llu events, %llu context results equal; rtl %llu cycles\n",
	       (unsigned long long)events,
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_DMA_WRITE),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_NET_TX_ENGINE),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_NET_TX),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_EVENT),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_CTX),
	       (unsigned long long)tt_card_cycles(r.card[0]));
	printf("# %llu trace items, %llu DMA read requests equal; doorbells: "
	       "forward=%llu backwards=%llu too_far=%llu empty_slot=%llu\n",
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_TRACE),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_RD_REQ),
	       (unsigned long long)db_count[0], (unsigned long long)db_count[1],
	       (unsigned long long)db_count[2], (unsigned long long)db_count[3]);
	printf("# segments:");
	for (int k = 0; k < SEG_KINDS; k++)
		printf(" %s=%llu", seg_names[k], (unsigned long long)seg_count[k]);
	printf("\n# counters:");
	for (int i = 0; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i) && tt_card_counter(r.card[1], i))
			printf(" %s=%u", tt_counter_str(i), tt_card_counter(r.card[1], i));
	printf("\n");
	/* Every outcome of the engine happened (but the ACK gate, which only
	 * a link change between a segment and its ACK can reach) and the
	 * host's segments went to the host. */
	if (events >= 50000 && !ticks) {
		for (int i = TT_CNT_ENG_SEGMENTS; i <= TT_CNT_ENG_DUPACKS; i++)
			if (i != TT_CNT_ENG_ACKS_DROPPED)
				assert_true(tt_card_counter(r.card[1], i) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_EXC_UNHANDLED) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_EXC_TCP_FLAGS) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_DROP_BAD_TCP_CSUM) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_CTX_EXPORT) > 0);
		assert_true(diffcmp_count(r.cmp, DIFF_NET_TX) > 0);
		/* the transmit side and the congestion steps too */
		for (int i = TT_CNT_ENG_DOORBELLS; i <= TT_CNT_ENG_DATA_BYTES; i++)
			assert_true(tt_card_counter(r.card[1], i) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_ENG_FAST_RETRANS) > 0);
		assert_true(diffcmp_count(r.cmp, DIFF_TRACE) > 0);
	}
	/* with ticks, the sweep timed out and paid delayed ACKs */
	if (ticks) {
		assert_true(tt_card_counter(r.card[1], TT_CNT_ENG_RTO) > 0);
		assert_true(tt_card_counter(r.card[1], TT_CNT_ENG_DELACKS) > 0);
	}
	diffrun_on_ctx_result = NULL;
	diffrun_free(&r);
}

static void diff_engine(void **state)
{
	(void)state;
	ticks = 0;
	run("diff_engine", testenv_u64("TT_DIFF_EVENTS", 200000));
}

static void diff_engine_ticks(void **state)
{
	(void)state;
	ticks = (uint32_t)testenv_u64("TT_DIFF_TICKS", 1000);
	run("diff_engine_ticks", testenv_u64("TT_DIFF_EVENTS", 200000) / 10);
	ticks = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff_engine),
		cmocka_unit_test(diff_engine_ticks),
	};

	return cmocka_run_group_tests_name("diff_engine", tests, NULL, NULL);
}
