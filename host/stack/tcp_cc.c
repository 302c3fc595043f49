/* SPDX-License-Identifier: MIT */
/*
 * Round-trip time and congestion control of one connection.
 *
 * RTO (RFC 6298): SRTT and RTTVAR in fixed point (SRTT * 8, RTTVAR * 4,
 * in ms), one segment timed at a time, never a retransmitted one (Karn,
 * tcp_out.c), RTO = SRTT + max(G, 4 * RTTVAR) with G = 1 ms, clamped to
 * [rto_min_ms, rto_max_ms], doubled per timeout (5.5). The default
 * minimum is 200 ms, not the RFC's 1 s (2.4 "SHOULD"): on the links this
 * stack runs on (one switch, or a simulation) a 1 s floor only makes
 * every loss cost a second; Linux made the same choice.
 *
 * Congestion control (RFC 5681): initial window by MSS (3.1), slow start
 * below ssthresh (cwnd += min(acked, SMSS) per ACK), congestion avoidance
 * above (cwnd += SMSS*SMSS/cwnd per ACK), fast retransmit on the third
 * duplicate ACK and NewReno fast recovery (RFC 6582: partial ACKs send
 * the next hole at once; recovery ends when `recover` is acknowledged),
 * loss window after a timeout. Two additions the RFCs recommend for
 * small windows, where a lost segment would otherwise wait for the RTO:
 * limited transmit (RFC 3042: a new segment for each of the first two
 * duplicate ACKs) and the ACK heuristic of RFC 6582 4.1 (duplicates of
 * exactly `recover` still start fast retransmit when the last ACK moved
 * the window by at most four segments: a fresh loss, not the echo of a
 * retransmission).
 */
#include "stack_int.h"

#define CC_CWND_MAX (1u << 30)

static uint32_t cc_rto_clamp(const struct tt_stack *s, uint64_t rto);

uint32_t ts_cc_flight(const struct ts_tcb *tcb)
{
	return tcb->snd_high - tcb->snd_una;
}

static uint32_t cc_rto_clamp(const struct tt_stack *s, uint64_t rto)
{
	if (rto < s->p.rto_min_ms)
		rto = s->p.rto_min_ms;
	if (rto > s->p.rto_max_ms)
		rto = s->p.rto_max_ms;
	return (uint32_t)rto;
}

void ts_cc_init(struct tt_stack *s, struct ts_tcb *tcb)
{
	tcb->cwnd = tcb->mss;
	tcb->ssthresh = CC_CWND_MAX;
	tcb->recover = tcb->iss;
	tcb->in_recovery = 0;
	tcb->dupacks = 0;
	tcb->rto = cc_rto_clamp(s, s->p.rto_init_ms);
	tcb->rtt_seen = 0;
}

void ts_cc_established(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t mss = tcb->mss;

	(void)s;
	/* RFC 5681 3.1, equation 1; one segment if the SYN or SYN-ACK had
	 * to be sent again */
	if (tcb->retries)
		tcb->cwnd = mss;
	else if (mss > 2190)
		tcb->cwnd = 2 * mss;
	else if (mss > 1095)
		tcb->cwnd = 3 * mss;
	else
		tcb->cwnd = 4 * mss;
	tcb->recover = tcb->iss; /* RFC 6582 3.2 step 1 */
	tcb->retries = 0;
}

void ts_cc_backoff(struct tt_stack *s, struct ts_tcb *tcb)
{
	tcb->rtt_timing = 0;
	/* RFC 6298 5.5 */
	tcb->rto = cc_rto_clamp(s, (uint64_t)tcb->rto * 2);
}

void ts_cc_rtt_sample(struct tt_stack *s, struct ts_tcb *tcb, uint32_t rtt)
{
	int32_t delta;

	if (!tcb->rtt_seen) {
		/* 2.2: SRTT <- R, RTTVAR <- R/2 */
		tcb->srtt8 = rtt << 3;
		tcb->rttvar4 = rtt << 1;
		tcb->rtt_seen = 1;
	} else {
		/* 2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|,
		 *      SRTT <- 7/8 SRTT + 1/8 R' */
		delta = (int32_t)rtt - (int32_t)(tcb->srtt8 >> 3);
		tcb->srtt8 = (uint32_t)((int32_t)tcb->srtt8 + delta);
		if (delta < 0)
			delta = -delta;
		delta -= (int32_t)(tcb->rttvar4 >> 2);
		tcb->rttvar4 = (uint32_t)((int32_t)tcb->rttvar4 + delta);
	}
	tcb->rto = cc_rto_clamp(s, (uint64_t)(tcb->srtt8 >> 3) +
				(tcb->rttvar4 > 1 ? tcb->rttvar4 : 1));
}

int ts_cc_ack(struct tt_stack *s, struct ts_tcb *tcb, uint32_t ack,
	      uint32_t acked)
{
	uint32_t mss = tcb->mss, flight;

	(void)s;
	if (tcb->in_recovery) {
		if (ts_geq(ack, tcb->recover)) {
			/* full ACK: RFC 6582 3.2 step 3, option (1) */
			flight = ts_cc_flight(tcb);
			tcb->cwnd = ts_min32(tcb->ssthresh,
					     ts_max32(flight, mss) + mss);
			tcb->in_recovery = 0;
			tcb->dupacks = 0;
			return 0;
		}
		/* partial ACK: deflate by what it acknowledged, add back one
		 * SMSS if that was at least one, send the next hole */
		tcb->cwnd = tcb->cwnd > acked ? tcb->cwnd - acked : 0;
		if (acked >= mss)
			tcb->cwnd += mss;
		if (tcb->cwnd < mss)
			tcb->cwnd = mss;
		return 1;
	}
	tcb->dupacks = 0;
	if (tcb->cwnd < tcb->ssthresh)
		tcb->cwnd += ts_min32(acked, mss);
	else
		tcb->cwnd += ts_max32(1, mss * mss / tcb->cwnd);
	if (tcb->cwnd > CC_CWND_MAX)
		tcb->cwnd = CC_CWND_MAX;
	return 0;
}

int ts_cc_dupack(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t mss = tcb->mss;

	(void)s;
	if (tcb->dupacks < 255)
		tcb->dupacks++;
	if (tcb->in_recovery) {
		/* RFC 5681 3.2 step 4: each further duplicate means a
		 * segment left the network */
		tcb->cwnd += mss;
		return 0;
	}
	/* RFC 6582 3.2 step 2: only if the ACK covers more than recover,
	 * so one loss episode does not halve the window twice; 4.1: or if
	 * the ACK heuristic says the loss is new */
	if (tcb->dupacks != 3)
		return 0;
	if (!ts_gt(tcb->snd_una, tcb->recover) &&
	    !(tcb->cwnd > mss && tcb->snd_una - tcb->prev_una <= 4 * mss))
		return 0;
	tcb->ssthresh = ts_max32(ts_cc_flight(tcb) / 2, 2 * mss);
	tcb->recover = tcb->snd_high;
	tcb->cwnd = tcb->ssthresh + 3 * mss;
	tcb->in_recovery = 1;
	return 1;
}

uint32_t ts_cc_send_window(const struct ts_tcb *tcb)
{
	if (!tcb->in_recovery && tcb->dupacks && tcb->dupacks < 3)
		return tcb->cwnd + tcb->dupacks * (uint32_t)tcb->mss;
	return tcb->cwnd;
}

void ts_cc_timeout(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t mss = tcb->mss;

	/* RFC 5681 equation 4, once per loss: a segment retransmitted
	 * again leaves ssthresh where it is */
	if (!tcb->retries)
		tcb->ssthresh = ts_max32(ts_cc_flight(tcb) / 2, 2 * mss);
	tcb->cwnd = mss;
	tcb->in_recovery = 0;
	tcb->dupacks = 0;
	tcb->recover = tcb->snd_high;
	ts_cc_backoff(s, tcb);
}
