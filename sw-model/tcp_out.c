/* SPDX-License-Identifier: MIT */
/*
 * The transmit decision: RFC 9293 3.8.6 (the send window), RFC 5681
 * (cwnd bounds what is outstanding), RFC 9293 3.8.6.1 (zero-window
 * probes). See tcp_out.h for the go-back-N design.
 */
#include <string.h>

#include "tcp_out.h"
#include "tcp_timers.h"

static uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* RFC 9293 3.8.6.1: "The sending TCP must regularly transmit at least
 * one octet of new data (if available) ... even if the send window is
 * zero". The octet is the first unacknowledged one; the persist timer
 * decides when (TT_CTXF_PROBE). */
static void out_probe(const struct tt_ctx *c, struct tcp_out_seg *s)
{
	if ((c->flags & TT_CTXF_PROBE) && seq_lt(c->snd_una, c->snd_max)) {
		s->kind = TCP_OUT_PROBE;
		s->seq = c->snd_una;
		s->len = 1;
		return;
	}
	s->limit = TCP_OUT_BY_PERSIST;
}

void tcp_out_next(const struct tt_ctx *c, struct tcp_out_seg *s)
{
	uint32_t mss = tcp_out_mss(c), wnd, cwnd, flight, room, avail, len;

	memset(s, 0, sizeof(*s));
	if (!c->snd_wnd) {
		out_probe(c, s);
		return;
	}
	wnd = (uint32_t)c->snd_wnd << c->snd_wscale;
	cwnd = c->cwnd < mss ? mss : c->cwnd;
	/* a go-back may leave snd_nxt behind an ACK until the ACK's stage
	 * catches it up; nothing is outstanding then */
	flight = seq_lt(c->snd_una, c->snd_nxt) ? c->snd_nxt - c->snd_una : 0;
	avail = seq_lt(c->snd_nxt, c->snd_max) ? c->snd_max - c->snd_nxt : 0;
	if (flight >= wnd || flight >= cwnd) {
		s->limit = wnd <= cwnd ? TCP_OUT_BY_WINDOW : TCP_OUT_BY_CWND;
		return;
	}
	if (!avail) {
		s->limit = TCP_OUT_BY_DATA;
		return;
	}
	room = min32(wnd, cwnd) - flight;
	len = mss;
	s->limit = TCP_OUT_BY_MSS;
	if (avail < len) {
		len = avail;
		s->limit = TCP_OUT_BY_DATA;
	}
	if (room < len) {
		len = room;
		s->limit = wnd <= cwnd ? TCP_OUT_BY_WINDOW : TCP_OUT_BY_CWND;
	}
	s->kind = TCP_OUT_DATA;
	s->seq = c->snd_nxt;
	s->len = (uint16_t)len;
}

void tcp_out_ack(const struct tt_ctx *c, struct tcp_out_seg *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = TCP_OUT_ACK;
	s->seq = tcp_out_high(c);
}

void tcp_out_sent(struct tt_ctx *c, const struct tcp_out_seg *s)
{
	if (s->kind == TCP_OUT_NONE)
		return;
	/* RFC 1122 4.2.3.2: the ACK rides on whatever goes out */
	c->flags &= (uint8_t)~(TT_CTXF_ACK_PENDING | TT_CTXF_DELACK);
	if (s->kind == TCP_OUT_ACK)
		return;
	if (s->seq == c->snd_nxt)
		c->snd_nxt += s->len;
	if (s->kind == TCP_OUT_PROBE) {
		c->flags &= (uint8_t)~TT_CTXF_PROBE;
		if (!c->timer) {             /* the persist timer paces probes */
			c->flags |= TT_CTXF_PERSIST;
			c->timer = tcp_timer_rto(c);
		}
		return;
	}
	if (c->flags & TT_CTXF_PERSIST) {
		/* the window opened: from now on the timer guards data */
		c->flags &= (uint8_t)~(TT_CTXF_PERSIST | TT_CTXF_PROBE);
		c->retries = 0;
		c->timer = 0;
	}
	if (!c->timer)                       /* RFC 6298 5.1 */
		c->timer = tcp_timer_rto(c);
}

int tcp_out_doorbell(struct tt_ctx *c, uint32_t snd_end)
{
	if (seq_lt(snd_end, c->snd_max) ||
	    snd_end - c->snd_una > TCP_OUT_BUF_MAX)
		return -1;
	if (snd_end == c->snd_max)
		return 0;
	c->snd_max = snd_end;
	return 1;
}
