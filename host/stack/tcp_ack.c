/* SPDX-License-Identifier: MIT */
/*
 * The ACK field of an acceptable segment, ESTABLISHED and later (RFC 9293
 * 3.10.7.4, fifth check): RFC 5961 5.2 acceptability, snd_una, the RTT
 * sample, congestion control, the retransmission timer, the send window
 * (SND.WL1/WL2 rule), leaving persist, and the states our acknowledged
 * FIN moves us to.
 */
#include "stack_int.h"

static void ack_new(struct tt_stack *s, struct ts_tcb *tcb, uint32_t ack);
static void ack_window(struct tt_stack *s, struct ts_tcb *tcb,
		       const struct ts_seg *g, uint32_t wnd);

/* snd_una advances to ack. */
static void ack_new(struct tt_stack *s, struct ts_tcb *tcb, uint32_t ack)
{
	uint32_t acked = ack - tcb->snd_una;
	int hole;

	if (tcb->rtt_timing && ts_gt(ack, tcb->rtt_seq)) {
		ts_cc_rtt_sample(s, tcb, (uint32_t)(s->now - tcb->rtt_start));
		tcb->rtt_timing = 0;
	}
	tcb->prev_una = tcb->snd_una;
	tcb->snd_una = ack;
	if (ts_lt(tcb->snd_nxt, ack))
		tcb->snd_nxt = ack;
	tcb->retries = 0;
	hole = ts_cc_ack(s, tcb, ack, acked);
	/* RFC 6298 5.2 / 5.3 */
	if (tcb->snd_una == tcb->snd_high)
		tcb->t_rexmt = TS_INF;
	else
		ts_timer_rexmt_start(s, tcb);
	if (hole)
		ts_tcp_retransmit_first(s, tcb);
	if (tcb->blocked && ts_snd_space(s, tcb)) {
		tcb->blocked = 0;
		ts_event(s, tcb, TT_EV_WRITABLE);
	}
}

/* RFC 9293: "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =<
 * SEG.ACK), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set
 * SND.WL2 <- SEG.ACK", so an old segment cannot shrink the window. */
static void ack_window(struct tt_stack *s, struct ts_tcb *tcb,
		       const struct ts_seg *g, uint32_t wnd)
{
	(void)s;
	if (!(ts_lt(tcb->snd_wl1, g->seq) ||
	      (tcb->snd_wl1 == g->seq && ts_leq(tcb->snd_wl2, g->ack))))
		return;
	tcb->snd_wnd = wnd;
	tcb->snd_wl1 = g->seq;
	tcb->snd_wl2 = g->ack;
	if (wnd > tcb->max_sndwnd)
		tcb->max_sndwnd = wnd;
	if (wnd && tcb->t_persist != TS_INF) {
		/* the window opened: the probe byte, if unacknowledged, goes
		 * again as ordinary data */
		tcb->t_persist = TS_INF;
		tcb->persist_shift = 0;
		if (tcb->t_rexmt == TS_INF)
			tcb->snd_nxt = tcb->snd_una;
	}
}

int ts_tcp_ack(struct tt_stack *s, struct ts_tcb *tcb, const struct ts_seg *g)
{
	uint32_t ack = g->ack, wnd = (uint32_t)g->wnd << tcb->snd_wscale;
	int fin_acked;

	if (ts_gt(ack, tcb->snd_high)) {
		ts_count(s, TT_SCNT_DROP_TCP_ACK_UNSENT);
		ts_tcp_send_ack(s, tcb);
		return 0;
	}
	if (ts_lt(ack, tcb->snd_una - tcb->max_sndwnd)) {
		/* RFC 5961 5.2: discard, and answer (rate limited) */
		ts_count(s, TT_SCNT_DROP_TCP_ACK_OLD);
		ts_tcp_challenge_ack(s, tcb);
		return 0;
	}
	if (ts_gt(ack, tcb->snd_una)) {
		ack_new(s, tcb, ack);
	} else if (ack == tcb->snd_una && g->len == 0 &&
		   !(g->flags & (TS_SYN | TS_FIN)) && wnd == tcb->snd_wnd &&
		   wnd && tcb->snd_high != tcb->snd_una) {
		/* RFC 5681 2 "DUPLICATE ACKNOWLEDGMENT" (a closed window's
		 * answers to probes are not: nothing was lost) */
		ts_count(s, TT_SCNT_TCP_DUPACKS);
		if (ts_cc_dupack(s, tcb)) {
			ts_count(s, TT_SCNT_TCP_FAST_RETRANSMITS);
			ts_tcp_retransmit_first(s, tcb);
		}
	}
	if (ts_geq(ack, tcb->snd_una))
		ack_window(s, tcb, g, wnd);

	fin_acked = tcb->fin_queued && ts_gt(tcb->snd_una, tcb->snd_end);
	if (!fin_acked)
		return 1;
	switch (tcb->state) {
	case TT_SOCK_FIN_WAIT_1:
		ts_tcb_set_state(s, tcb, TT_SOCK_FIN_WAIT_2);
		if (tcb->app_closed)
			tcb->t_close = s->now + s->p.fin_wait2_ms;
		break;
	case TT_SOCK_CLOSING:
		ts_tcb_set_state(s, tcb, TT_SOCK_TIME_WAIT);
		ts_timer_time_wait(s, tcb);
		ts_event(s, tcb, TT_EV_CLOSED);
		break;
	case TT_SOCK_LAST_ACK:
		ts_tcb_close(s, tcb, 0);
		return 0;
	default:
		break;
	}
	return 1;
}
