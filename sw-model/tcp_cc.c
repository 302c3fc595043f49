/* SPDX-License-Identifier: MIT */
/*
 * NewReno: RFC 5681 slow start, congestion avoidance, fast retransmit
 * and fast recovery, with RFC 6582's partial ACKs. Rules in tcp_cc.h.
 */
#include <string.h>

#include "tcp_cc.h"
#include "tcp_out.h"

static uint32_t cc_cap(uint64_t cwnd)
{
	return cwnd > TCP_CC_CWND_MAX ? TCP_CC_CWND_MAX : (uint32_t)cwnd;
}

/* RFC 6582 3.2 step 3 (full ACK) and step 5 (partial ACK). */
static void cc_recovery_ack(struct tt_ctx *c, uint32_t acked, int caught_up,
			    struct tcp_cc_out *o)
{
	uint32_t mss = tcp_out_mss(c), flight, cwnd;

	if (seq_leq(c->recover, c->snd_una)) {
		flight = tcp_out_high(c) - c->snd_una;
		cwnd = (flight > mss ? flight : mss) + mss;
		c->cwnd = cwnd < c->ssthresh ? cwnd : c->ssthresh;
		c->flags &= (uint8_t)~TT_CTXF_RECOVERY;
		o->what = TCP_CC_FULL;
		return;
	}
	cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
	if (acked >= mss)
		cwnd += mss;
	c->cwnd = cwnd > mss ? cwnd : mss;
	o->what = TCP_CC_PARTIAL;
	if (caught_up) {         /* the first unacked segment goes next */
		o->retransmit = 1;
		o->seq = c->snd_una;
	}
}

void tcp_cc_new_ack(struct tt_ctx *c, uint32_t acked, struct tcp_cc_out *o)
{
	uint32_t mss = tcp_out_mss(c);
	int caught_up = 0;

	memset(o, 0, sizeof(*o));
	if (seq_lt(c->snd_nxt, c->snd_una)) {
		c->snd_nxt = c->snd_una;
		caught_up = 1;
	}
	if (c->flags & TT_CTXF_RECOVERY) {
		cc_recovery_ack(c, acked, caught_up, o);
	} else if (c->cwnd < c->ssthresh) {
		c->cwnd = cc_cap((uint64_t)c->cwnd + (acked < mss ? acked : mss));
		o->what = TCP_CC_SLOW_START;
	} else {
		uint64_t inc = (uint64_t)mss * acked / (c->cwnd ? c->cwnd : 1);

		c->cwnd = cc_cap((uint64_t)c->cwnd + (inc ? inc : 1));
		o->what = TCP_CC_AVOIDANCE;
	}
	/* A spent recovery point moves along just behind snd_una, so that it
	 * can never look ahead again after 2^31 bytes (serial arithmetic)
	 * and still lets the next third dup ACK through. */
	if (!tcp_out_recover_live(c))
		c->recover = c->snd_una - 1;
}

void tcp_cc_dup_ack(struct tt_ctx *c, struct tcp_cc_out *o)
{
	uint32_t mss = tcp_out_mss(c), high, flight;

	memset(o, 0, sizeof(*o));
	if (!c->snd_wnd) {
		c->dupacks = 0;
		o->what = TCP_CC_DUP_ZERO_WINDOW;
		return;
	}
	if (c->flags & TT_CTXF_RECOVERY) {
		c->cwnd = cc_cap((uint64_t)c->cwnd + mss);
		o->what = TCP_CC_INFLATE;
		return;
	}
	if (c->dupacks != 3) {
		o->what = TCP_CC_DUP_COUNTED;
		return;
	}
	if (tcp_out_recover_live(c)) {
		o->what = TCP_CC_DUP_AFTER_RTO;
		return;
	}
	high = tcp_out_high(c);
	flight = high - c->snd_una;
	c->ssthresh = flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
	c->recover = high;
	c->snd_nxt = c->snd_una;
	c->cwnd = cc_cap((uint64_t)c->ssthresh + 3 * mss);
	c->flags |= TT_CTXF_RECOVERY;
	o->what = TCP_CC_FAST_RETRANSMIT;
	o->retransmit = 1;
	o->seq = c->snd_una;
}
