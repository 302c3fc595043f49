/* SPDX-License-Identifier: MIT */
/*
 * One timer tick of one connection: delayed ACK, then the retransmission
 * or persist timer. The rules and the RFCs they follow are in
 * tcp_timers.h.
 */
#include <string.h>

#include "tcp_out.h"
#include "tcp_timers.h"

#define PERSIST_FLAGS (TT_CTXF_PERSIST | TT_CTXF_PROBE)

uint16_t tcp_timer_rto(const struct tt_ctx *c)
{
	unsigned int shift = c->retries < TCP_TIMER_BACKOFF_MAX ?
			     c->retries : TCP_TIMER_BACKOFF_MAX;
	uint32_t t = (uint32_t)(c->rto ? c->rto : 1) << shift;

	return (uint16_t)(t < TCP_TIMER_MAX ? t : TCP_TIMER_MAX);
}

/* RFC 6298 5.5: back the timer off. Counts toward the retry limit only
 * when the timeout guards data (not a probe). */
static void timer_backoff(struct tt_ctx *c, const struct tcp_timer_cfg *cfg,
			  int counts, struct tcp_timer_out *o)
{
	if (c->retries != 0xff)
		c->retries++;
	if (counts && cfg->retry_limit && c->retries == cfg->retry_limit)
		o->rto_limit = 1;
	c->timer = tcp_timer_rto(c);
}

/* Everything after snd_una is sent again; the highest sequence sent so
 * far is kept in recover (RFC 6582 section 3.2 step 4). */
static void timer_go_back(struct tt_ctx *c)
{
	c->recover = tcp_out_high(c);
	c->snd_nxt = c->snd_una;
	c->dupacks = 0;
	c->flags &= (uint8_t)~TT_CTXF_RECOVERY;
}

/* RFC 6298 5.4-5.6 with RFC 5681 3.1 and RFC 6582. */
static void timer_rto(struct tt_ctx *c, const struct tcp_timer_cfg *cfg,
		      struct tcp_timer_out *o)
{
	uint32_t mss = tcp_out_mss(c), flight = tcp_out_high(c) - c->snd_una;

	if (!flight) {                 /* nothing outstanding: just stop */
		o->what = TCP_TIMER_STOPPED;
		return;
	}
	if (!c->snd_wnd) {             /* the peer's window is shut: persist */
		timer_go_back(c);
		c->flags |= PERSIST_FLAGS;
		timer_backoff(c, cfg, 0, o);
		o->what = TCP_TIMER_PROBE_DUE;
		return;
	}
	/* RFC 5681 3.1: "when a TCP sender detects segment loss using the
	 * retransmission timer and the given segment has already been
	 * retransmitted by way of the retransmission timer at least once,
	 * the value of ssthresh is held constant" */
	if (!c->retries)
		c->ssthresh = flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
	c->cwnd = mss;
	timer_go_back(c);
	timer_backoff(c, cfg, 1, o);
	o->what = TCP_TIMER_RTO;
	o->retransmit = 1;
	o->seq = c->snd_una;
}

/* The persist timer expired: probe if the window is still shut. */
static void timer_persist(struct tt_ctx *c, const struct tcp_timer_cfg *cfg,
			  struct tcp_timer_out *o)
{
	if (c->snd_wnd || !seq_lt(c->snd_una, c->snd_max)) {
		c->flags &= (uint8_t)~PERSIST_FLAGS;
		o->what = TCP_TIMER_PERSIST_END;
		return;
	}
	c->flags |= TT_CTXF_PROBE;
	timer_backoff(c, cfg, 0, o);
	o->what = TCP_TIMER_PROBE_DUE;
}

/* A stopped timer starts if data is outstanding (an imported record may
 * come with it stopped), or as the persist timer when the peer's window
 * is shut and the host has data waiting. */
static void timer_stopped(struct tt_ctx *c, struct tcp_timer_out *o)
{
	if (tcp_out_high(c) != c->snd_una) {
		c->flags &= (uint8_t)~PERSIST_FLAGS;
		c->timer = tcp_timer_rto(c);
		o->what = TCP_TIMER_STARTED;
	} else if (!c->snd_wnd && seq_lt(c->snd_una, c->snd_max)) {
		c->flags = (uint8_t)((c->flags & ~TT_CTXF_PROBE) | TT_CTXF_PERSIST);
		c->timer = tcp_timer_rto(c);
		o->what = TCP_TIMER_PERSIST_START;
	}
}

static void timer_delack(struct tt_ctx *c, struct tcp_timer_out *o)
{
	if (!(c->flags & TT_CTXF_ACK_PENDING)) {
		c->flags &= (uint8_t)~TT_CTXF_DELACK;
	} else if (c->flags & TT_CTXF_DELACK) {
		c->flags &= (uint8_t)~(TT_CTXF_ACK_PENDING | TT_CTXF_DELACK);
		o->send_ack = 1;
	} else {
		c->flags |= TT_CTXF_DELACK;
	}
}

void tcp_timer_tick(struct tt_ctx *c, const struct tcp_timer_cfg *cfg,
		    struct tcp_timer_out *o)
{
	memset(o, 0, sizeof(*o));
	timer_delack(c, o);
	if (c->timer) {
		o->what = TCP_TIMER_RUNNING;
		if (--c->timer)
			return;
		if (c->flags & TT_CTXF_PERSIST)
			timer_persist(c, cfg, o);
		else
			timer_rto(c, cfg, o);
	}
	if (!c->timer)
		timer_stopped(c, o);
}

void tcp_timer_ack(struct tt_ctx *c)
{
	c->retries = 0;
	c->flags &= (uint8_t)~PERSIST_FLAGS;
	c->timer = c->snd_una == tcp_out_high(c) ? 0 : tcp_timer_rto(c);
}
