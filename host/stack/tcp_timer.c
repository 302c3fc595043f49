/* SPDX-License-Identifier: MIT */
/*
 * The timers of a connection, each a deadline in ms (TS_INF: off):
 *
 *   t_rexmt    retransmission (RFC 6298 5): the SYN, or go-back-N from
 *              snd_una with a loss window; gives up after the retry limit
 *   t_persist  zero-window probe (RFC 9293 3.8.6.1), backing off like
 *              the RTO; never gives up while the peer answers
 *   t_delack   delayed ACK (RFC 9293 3.8.6.3, under 0.5 s)
 *   t_close    end of TIME-WAIT, or of an orphaned FIN-WAIT-2
 *   t_gap      end of the wait for a card's late payload (offload.c)
 */
#include "stack_int.h"

static void timer_rexmt(struct tt_stack *s, struct ts_tcb *tcb);
static void timer_persist(struct tt_stack *s, struct ts_tcb *tcb);

void ts_timer_rexmt_start(struct tt_stack *s, struct ts_tcb *tcb)
{
	tcb->t_rexmt = s->now + tcb->rto;
}

void ts_timer_stop_all(struct ts_tcb *tcb)
{
	tcb->t_rexmt = tcb->t_persist = tcb->t_delack = tcb->t_close = TS_INF;
	tcb->t_gap = TS_INF;
}

void ts_timer_time_wait(struct tt_stack *s, struct ts_tcb *tcb)
{
	ts_timer_stop_all(tcb);
	tcb->t_close = s->now + s->p.time_wait_ms;
}

static void timer_rexmt(struct tt_stack *s, struct ts_tcb *tcb)
{
	int handshake = tcb->state == TT_SOCK_SYN_SENT ||
			tcb->state == TT_SOCK_SYN_RECEIVED;
	uint32_t limit = handshake ? s->p.syn_retries : s->p.data_retries;

	tcb->t_rexmt = TS_INF;
	if (tcb->retries >= limit) {
		ts_count(s, TT_SCNT_TCP_TIMEOUT_ABORTS);
		ts_tcb_close(s, tcb, TT_ETIMEDOUT);
		return;
	}
	ts_count(s, TT_SCNT_TCP_RTO);
	if (!handshake && tcb->snd_wnd == 0) {
		/* nothing was lost: the window closed under data in
		 * flight. Probe it instead, without a congestion penalty. */
		tcb->snd_nxt = tcb->snd_una;
		tcb->t_persist = s->now + tcb->rto;
		return;
	}
	if (handshake) {
		ts_cc_backoff(s, tcb);
		tcb->retries++;
		ts_count(s, TT_SCNT_TCP_RETRANSMITS);
		ts_tcp_send_syn(s, tcb);
		return;
	}
	ts_cc_timeout(s, tcb);
	tcb->retries++;
	/* go-back-N from the oldest unacknowledged byte (RFC 5681 3.1:
	 * cwnd is one segment, so this sends one) */
	tcb->snd_nxt = tcb->snd_una;
	ts_tcp_output(s, tcb);
	if (tcb->t_rexmt == TS_INF && tcb->snd_una != tcb->snd_high)
		ts_timer_rexmt_start(s, tcb);
}

static void timer_persist(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint64_t next;

	tcb->t_persist = TS_INF;
	if (tcb->snd_wnd) {
		ts_tcp_output(s, tcb);
		return;
	}
	/* the probe byte goes again each time: snd_una is where it is */
	tcb->snd_nxt = tcb->snd_una;
	tcb->force_probe = 1;
	ts_tcp_output(s, tcb);
	tcb->force_probe = 0;
	if (tcb->persist_shift < 16)
		tcb->persist_shift++;
	next = (uint64_t)ts_max32(tcb->rto, s->p.rto_min_ms) << tcb->persist_shift;
	if (next > s->p.rto_max_ms)
		next = s->p.rto_max_ms;
	if (tcb->state != TT_SOCK_CLOSED && tcb->snd_wnd == 0)
		tcb->t_persist = s->now + next;
}

void ts_tcp_timers(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint64_t now = s->now;

	if (tcb->offloaded) {
		ts_offload_timer(s, tcb);
		return;
	}
	if (tcb->t_close <= now) {
		tcb->t_close = TS_INF;
		ts_tcb_close(s, tcb, 0);
		return;
	}
	if (tcb->t_gap <= now) {
		/* the card's payload never came: the stream has a hole */
		ts_count(s, TT_SCNT_DROP_OFFL_CTX);
		ts_tcp_send_rst(s, tcb);
		ts_tcb_close(s, tcb, TT_ECONNRESET);
		return;
	}
	if (tcb->t_rexmt <= now) {
		timer_rexmt(s, tcb);
		if (!tcb->in_use || tcb->state == TT_SOCK_CLOSED)
			return;
	}
	if (tcb->t_persist <= now)
		timer_persist(s, tcb);
	if (tcb->t_delack <= now) {
		tcb->t_delack = TS_INF;
		tcb->ack_now = 1;
		ts_count(s, TT_SCNT_TCP_DELAYED_ACKS);
		ts_tcp_output(s, tcb);
	}
}

uint64_t ts_tcp_next_timer(const struct ts_tcb *tcb)
{
	uint64_t t = tcb->t_rexmt;

	if (tcb->offloaded)
		return TS_INF;
	if (tcb->t_persist < t)
		t = tcb->t_persist;
	if (tcb->t_delack < t)
		t = tcb->t_delack;
	if (tcb->t_close < t)
		t = tcb->t_close;
	if (tcb->t_gap < t)
		t = tcb->t_gap;
	return t;
}
