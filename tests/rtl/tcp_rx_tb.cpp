// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/tcp_rx.v, the receive rules, against their C twin
 * tcp_rx_segment() (sw-model/tcp_rx.c, built into this program): the
 * rules case by case (in order, ACK every second full segment, duplicate,
 * out of order, partial overlap, window trim, zero window, ACK of unsent
 * data, duplicate ACKs counted and saturating, sequence wrap), then random
 * segments against random contexts, one a cycle through the pipeline.
 * Every output field is compared. Prints TAP lines and "N passed,
 * N failed"; exits non-zero on any failure. The seed of the random part
 * is printed and can be given as the first argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include "Vtcp_rx.h"

extern "C" {
#include "tcp_rx.h"
}

#define ACK 0x10
#define LATENCY 3 // cycles from s_valid to m_valid

static int n_case, n_fail;
static Vtcp_rx *m;

static void tap(int ok, const char *name)
{
	n_case++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_case, name);
}

static void tick(void)
{
	m->clk = 1;
	m->eval();
	m->clk = 0;
	m->eval();
}

static void drive(const struct tt_ctx *c, const struct tcp_rx_seg *s)
{
	m->s_valid = 1;
	m->s_seq = s->seq;
	m->s_ack = s->ack;
	m->s_wnd = s->wnd;
	m->s_len = s->len;
	m->s_snd_una = c->snd_una;
	m->s_snd_nxt = c->snd_nxt;
	m->s_snd_max = c->snd_max;
	m->s_recover = c->recover;
	m->s_snd_wnd = c->snd_wnd;
	m->s_dupacks = c->dupacks;
	m->s_rcv_nxt = c->rcv_nxt;
	m->s_rcv_wnd = c->rcv_wnd;
	m->s_rcv_wscale = c->rcv_wscale;
	m->s_mss = c->mss;
	m->s_ack_pending = (c->flags & TT_CTXF_ACK_PENDING) != 0;
}

struct expect {
	struct tt_ctx after;
	struct tcp_rx_out out;
};

/* The C rules on a copy of c. */
static struct expect model(const struct tt_ctx *c, const struct tcp_rx_seg *s)
{
	struct expect e;

	e.after = *c;
	tcp_rx_segment(&e.after, s, &e.out);
	return e;
}

/* The outputs now against e; prints the first difference. */
static int same(const struct expect *e, const char *what)
{
	const struct tcp_rx_out *o = &e->out;
	const struct tt_ctx *a = &e->after;
	int ok = m->m_valid && m->m_note == (unsigned)o->note && m->m_acked == (o->acked != 0) &&
		 m->m_send_ack == (o->send_ack != 0) && m->m_dupack == (o->dupack != 0) &&
		 m->m_off == o->off && m->m_len == o->len && m->m_seq == o->seq &&
		 m->m_snd_una == a->snd_una && m->m_snd_wnd == a->snd_wnd &&
		 m->m_dupacks == a->dupacks && m->m_rcv_nxt == a->rcv_nxt &&
		 m->m_ack_pending == ((a->flags & TT_CTXF_ACK_PENDING) != 0);

	if (!ok)
		printf("# %s: rtl note %u acked %u send_ack %u dupack %u off %u len %u seq %08x "
		       "una %08x wnd %u dupacks %u rcv_nxt %08x pending %u\n"
		       "#   C note %u acked %u send_ack %u dupack %u off %u len %u seq %08x "
		       "una %08x wnd %u dupacks %u rcv_nxt %08x pending %u\n", what,
		       m->m_note, m->m_acked, m->m_send_ack, m->m_dupack, m->m_off, m->m_len,
		       m->m_seq, m->m_snd_una, m->m_snd_wnd, m->m_dupacks, m->m_rcv_nxt,
		       m->m_ack_pending, o->note, o->acked, o->send_ack, o->dupack, o->off,
		       o->len, o->seq, a->snd_una, a->snd_wnd, a->dupacks, a->rcv_nxt,
		       (a->flags & TT_CTXF_ACK_PENDING) != 0);
	return ok;
}

/* One segment alone through the pipeline; the context follows the C
 * result (the card writes the RTL's back: they must be equal). */
static int one(struct tt_ctx *c, uint32_t seq, uint32_t ack, uint16_t wnd, uint16_t len,
	       const char *what, struct tcp_rx_out *out = NULL)
{
	struct tcp_rx_seg s = { seq, ack, wnd, ACK, len };
	struct expect e = model(c, &s);
	int ok;

	drive(c, &s);
	tick();
	m->s_valid = 0;
	for (int i = 1; i < LATENCY; i++)
		tick();
	ok = same(&e, what);
	*c = e.after;
	if (out)
		*out = e.out;
	return ok;
}

static struct tt_ctx conn(uint32_t rcv_nxt, uint32_t snd_una, uint32_t snd_nxt)
{
	struct tt_ctx c;

	memset(&c, 0, sizeof(c));
	c.version = TT_CTX_VERSION;
	c.mss = 1460;
	c.rcv_nxt = rcv_nxt;
	c.rcv_wnd = 65535;
	c.snd_una = snd_una;
	c.snd_nxt = snd_nxt;
	c.snd_max = snd_nxt;
	c.recover = snd_una;
	c.snd_wnd = 1000;
	return c;
}

static void cases(void)
{
	struct tcp_rx_out o;
	struct tt_ctx c;
	int ok;

	c = conn(1000, 5, 5);
	ok = one(&c, 1000, 5, 1000, 1460, "first full segment", &o) && o.len == 1460 && !o.send_ack;
	ok = ok && one(&c, 2460, 5, 1000, 1460, "second", &o) && o.send_ack;
	ok = ok && one(&c, 3920, 5, 1000, 100, "short", &o) && o.send_ack && c.rcv_nxt == 4020;
	tap(ok, "in order: delivered; ACK every second full segment and on a short one");

	c = conn(1000, 5, 5);
	ok = one(&c, 500, 5, 1000, 500, "ends at rcv_nxt", &o) && o.note == TCP_RX_DUPLICATE &&
	     o.send_ack && o.len == 0;
	ok = ok && one(&c, 0, 5, 1000, 100, "all old", &o) && o.note == TCP_RX_DUPLICATE;
	tap(ok, "duplicate: dropped, ACK now");

	c = conn(1000, 5, 5);
	ok = one(&c, 1001, 5, 1000, 10, "one past", &o) && o.note == TCP_RX_OUT_OF_ORDER &&
	     o.send_ack && c.rcv_nxt == 1000;
	tap(ok, "out of order: dropped, ACK now");

	c = conn(1000, 5, 5);
	ok = one(&c, 900, 5, 1000, 300, "100 old, 200 new", &o) && o.off == 100 && o.len == 200 &&
	     o.seq == 1000 && c.rcv_nxt == 1200;
	ok = ok && one(&c, 1199, 5, 1000, 2, "one old, one new", &o) && o.off == 1 && o.len == 1;
	tap(ok, "partial overlap: the head trimmed");

	c = conn(1000, 5, 5);
	c.rcv_wnd = 4;
	c.rcv_wscale = 7;
	ok = one(&c, 1000, 5, 1000, 1460, "512-byte window", &o) && o.note == TCP_RX_WINDOW_TRIM &&
	     o.len == 512 && o.send_ack && c.rcv_nxt == 1512;
	c.rcv_wnd = 1;
	c.rcv_wscale = 14;
	ok = ok && one(&c, 1412, 5, 1000, 9000, "16 KiB window, overlap", &o) &&
	     o.note == TCP_RX_OK && o.off == 100 && o.len == 8900;
	c.rcv_wnd = 0xffff;
	c.rcv_wscale = 0;
	ok = ok && one(&c, c.rcv_nxt, 5, 1000, 0xffff, "65535 in 65535", &o) && o.note == TCP_RX_OK;
	tap(ok, "window trim: the tail beyond rcv_wnd << wscale dropped, ACK now");

	c = conn(1000, 5, 5);
	c.rcv_wnd = 0;
	c.rcv_wscale = 9;
	ok = one(&c, 1000, 5, 1000, 10, "closed", &o) && o.note == TCP_RX_ZERO_WINDOW &&
	     o.send_ack && o.len == 0;
	ok = ok && one(&c, 1000, 5, 1000, 0, "a pure ACK is fine", &o) && o.note == TCP_RX_OK &&
	     !o.send_ack;
	tap(ok, "zero window: data dropped, ACK now");

	c = conn(1000, 100, 500);
	c.flags = TT_CTXF_ACK_PENDING;
	ok = one(&c, 1000, 501, 2000, 10, "acks 501 of 500", &o) && o.note == TCP_RX_ACK_UNSENT &&
	     o.send_ack && o.len == 0 && c.snd_una == 100 && !(c.flags & TT_CTXF_ACK_PENDING);
	ok = ok && one(&c, 1000, 500, 2000, 0, "acks all", &o) && o.acked && c.snd_una == 500;
	tap(ok, "ACK of unsent data: dropped, ACK now; then an ACK of all");

	c = conn(1000, 100, 500);
	ok = 1;
	for (int i = 1; i <= 3; i++)
		ok = ok && one(&c, 1000, 100, 1000, 0, "dup", &o) && o.dupack && c.dupacks == i;
	ok = ok && one(&c, 1000, 100, 1000, 10, "with data", &o) && !o.dupack;
	ok = ok && one(&c, 1010, 100, 1200, 0, "window moved", &o) && !o.dupack;
	c.dupacks = 254;
	ok = ok && one(&c, 1010, 100, 1200, 0, "254", &o) && c.dupacks == 255;
	ok = ok && one(&c, 1010, 100, 1200, 0, "255", &o) && o.dupack && c.dupacks == 255;
	ok = ok && one(&c, 1010, 200, 1200, 0, "new data acked", &o) && o.acked && c.dupacks == 0;
	tap(ok, "duplicate ACKs (RFC 5681) counted, saturating at 255, cleared by a new ACK");

	c = conn(0xfffffe00u, 0xfffffff0u, 0x10u);
	ok = one(&c, 0xfffffe00u, 0x8u, 1000, 1460, "across the wrap", &o) && o.acked &&
	     c.snd_una == 0x8 && c.rcv_nxt == 0x3b4;
	ok = ok && one(&c, 0x00000400u, 0x8u, 1000, 10, "past", &o) &&
	     o.note == TCP_RX_OUT_OF_ORDER;
	tap(ok, "sequence numbers across 2^32");

	/* after a go-back-N: snd_nxt back at snd_una, recover the highest
	 * sequence sent (ENGINE.md 1.2) */
	c = conn(1000, 100, 100);
	c.snd_max = 900;
	c.recover = 700;
	ok = one(&c, 1000, 100, 1000, 0, "dup after go-back", &o) && o.dupack && c.dupacks == 1;
	ok = ok && one(&c, 1000, 700, 1000, 0, "honest ACK of all sent", &o) && o.acked &&
	     c.snd_una == 700 && o.note == TCP_RX_OK;
	c = conn(1000, 100, 100);
	c.snd_max = 900;
	c.recover = 700;
	ok = ok && one(&c, 1000, 701, 1000, 0, "past recover", &o) &&
	     o.note == TCP_RX_ACK_UNSENT && c.snd_una == 100;
	c.recover = 950; /* beyond snd_max: not live, snd_nxt is the highest */
	ok = ok && one(&c, 1000, 101, 1000, 0, "recover not live", &o) &&
	     o.note == TCP_RX_ACK_UNSENT;
	tap(ok, "ACKs judged against tcp_out_high: honest ACKs after a go-back taken");
}

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

/* A value near base most of the time, anywhere at times. */
static uint32_t near(uint32_t base, uint32_t span)
{
	switch (rand() % 6) {
	case 0:  return rnd32();
	case 1:  return base;
	case 2:  return base - (uint32_t)(rand() % (span + 1));
	default: return base + (uint32_t)(rand() % (span + 1));
	}
}

static void random_pipeline(void)
{
	static struct expect q[LATENCY + 1];
	int n = 200000, bad = 0;

	m->s_valid = 0;
	tick();
	for (int i = 0; i < n + LATENCY; i++) {
		if (i >= LATENCY && !bad && !same(&q[(i - LATENCY) % (LATENCY + 1)], "random"))
			bad = 1;
		if (i < n) {
			struct tt_ctx c;
			struct tcp_rx_seg s;

			memset(&c, 0, sizeof(c));
			c.snd_una = rnd32();
			c.snd_nxt = rand() % 4 ? c.snd_una + (uint32_t)(rand() % 5000) : c.snd_una;
			c.snd_max = c.snd_nxt + (uint32_t)(rand() % 3 ? rand() % 4000 : rand());
			/* after a go-back recover lies ahead of snd_nxt (the
			 * highest sequence sent); else anywhere */
			c.recover = rand() % 2 ? c.snd_nxt + (uint32_t)(rand() % 4000) :
				    near(c.snd_una, 6000);
			c.snd_wnd = (uint16_t)(rand() % 3 ? 1000 : rand());
			c.dupacks = (uint8_t)(rand() % 4 ? rand() % 4 : 250 + rand() % 6);
			c.rcv_nxt = rnd32();
			c.rcv_wnd = (uint16_t)(rand() % 5 == 0 ? 0 : rand() % 3 ? rand() % 700 : rand());
			c.rcv_wscale = (uint8_t)(rand() % 16);
			c.mss = (uint16_t)(rand() % 3 ? 1460 : rand());
			c.flags = (uint8_t)(rand() % 2 ? TT_CTXF_ACK_PENDING : 0);
			s.seq = near(c.rcv_nxt, 3000);
			s.ack = near(rand() % 3 == 0 ? c.snd_una : rand() % 2 ? c.snd_nxt : c.recover, 3000);
			s.wnd = (uint16_t)(rand() % 2 ? c.snd_wnd : rand());
			s.flags = ACK;
			s.len = (uint16_t)(rand() % 4 == 0 ? 0 : rand() % 8 ? rand() % 1500 : rand());
			q[i % (LATENCY + 1)] = model(&c, &s);
			drive(&c, &s);
		} else {
			m->s_valid = 0;
		}
		tick();
	}
	tap(!bad, "200000 random segments, one a cycle: every output equals the C rules");
}

int main(int argc, char **argv)
{
	VerilatedContext *ctx = new VerilatedContext;
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;

	ctx->commandArgs(argc, argv);
	m = new Vtcp_rx{ctx};
	printf("# tcp_rx seed %u\n", seed);
	srand(seed);
	m->rst = 1;
	tick();
	tick();
	m->rst = 0;
	tick();

	cases();
	random_pipeline();

	m->final();
	delete m;
	delete ctx;
	printf("%d passed, %d failed\n", n_case - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
