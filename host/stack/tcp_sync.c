/* SPDX-License-Identifier: MIT */
/*
 * A segment of a connection in SYN-RECEIVED or a later state, in the
 * order of RFC 9293 3.10.7.4: sequence number, RST (RFC 5961 3.2: exact
 * match resets, otherwise a challenge ACK), SYN (RFC 5961 4.2: challenge
 * ACK), ACK (tcp_ack.c), text, FIN.
 */
#include "stack_int.h"

static int sync_acceptable(const struct ts_tcb *tcb, struct ts_seg *g,
			   uint32_t wnd);
static void sync_trim(struct tt_stack *s, struct ts_tcb *tcb,
		      struct ts_seg *g, uint32_t wnd);
static void sync_rst(struct tt_stack *s, struct ts_tcb *tcb);
static int sync_syn_received(struct tt_stack *s, struct ts_tcb *tcb,
			     const uint8_t *f, const uint8_t *ip,
			     const struct ts_seg *g);
static int sync_text(struct tt_stack *s, struct ts_tcb *tcb,
		     const struct ts_seg *g);
static void sync_fin(struct tt_stack *s, struct ts_tcb *tcb,
		     const struct ts_seg *g);

static int seq_in(uint32_t x, uint32_t lo, uint32_t wnd)
{
	return ts_geq(x, lo) && ts_lt(x, lo + wnd);
}

/* The four cases of RFC 9293 3.10.7.4's table. */
static int sync_acceptable(const struct ts_tcb *tcb, struct ts_seg *g,
			   uint32_t wnd)
{
	uint32_t seg_len = g->len + !!(g->flags & TS_SYN) +
			   !!(g->flags & TS_FIN);

	if (!seg_len)
		return wnd ? seq_in(g->seq, tcb->rcv_nxt, wnd) :
		       g->seq == tcb->rcv_nxt;
	if (!wnd)
		return 0;
	return seq_in(g->seq, tcb->rcv_nxt, wnd) ||
	       seq_in(g->seq + seg_len - 1, tcb->rcv_nxt, wnd);
}

/* Cut what lies before rcv_nxt or past the window. */
static void sync_trim(struct tt_stack *s, struct ts_tcb *tcb,
		      struct ts_seg *g, uint32_t wnd)
{
	uint32_t skip, room, limit, off;

	if (ts_lt(g->seq, tcb->rcv_nxt) && !(g->flags & TS_SYN)) {
		skip = tcb->rcv_nxt - g->seq;
		if (skip >= g->len) {
			g->len = 0;
		} else {
			g->data += skip;
			g->len -= skip;
		}
		g->seq = tcb->rcv_nxt;
	}
	/* the window never passes the ring; the ring bounds it all the
	 * same, whatever a card's context said */
	limit = ts_min32(wnd, ts_tcp_rcv_space(s, tcb));
	off = g->seq - tcb->rcv_nxt;
	room = ts_geq(g->seq, tcb->rcv_nxt) && off < limit ? limit - off : 0;
	if (g->len > room) {
		ts_count(s, TT_SCNT_DROP_TCP_WINDOW);
		g->len = room;
		g->flags &= (uint8_t)~TS_FIN;
		tcb->ack_now = 1;
	}
}

/* An exact RST: RFC 9293 says which error the application sees. */
static void sync_rst(struct tt_stack *s, struct ts_tcb *tcb)
{
	int err = TT_ECONNRESET;

	ts_count(s, TT_SCNT_TCP_RST_RX);
	switch (tcb->state) {
	case TT_SOCK_SYN_RECEIVED:
		/* passive: back to LISTEN (nobody holds it); active:
		 * "connection refused" */
		err = tcb->passive ? TT_ECONNRESET : TT_ECONNREFUSED;
		break;
	case TT_SOCK_CLOSING:
	case TT_SOCK_LAST_ACK:
	case TT_SOCK_TIME_WAIT:
		err = 0;
		break;
	default:
		break;
	}
	ts_tcb_close(s, tcb, err);
}

/* SYN-RECEIVED and an acceptable ACK: "enter ESTABLISHED state and
 * continue processing". Returns 0 when the segment is dropped. */
static int sync_syn_received(struct tt_stack *s, struct ts_tcb *tcb,
			     const uint8_t *f, const uint8_t *ip,
			     const struct ts_seg *g)
{
	if (!ts_gt(g->ack, tcb->snd_una) || ts_gt(g->ack, tcb->snd_high)) {
		/* "<SEQ=SEG.ACK><CTL=RST>" */
		ts_count(s, TT_SCNT_DROP_TCP_HANDSHAKE);
		ts_tcp_reset_reply(s, f, ip, g);
		return 0;
	}
	if (tcb->rtt_timing) {
		ts_cc_rtt_sample(s, tcb, (uint32_t)(s->now - tcb->rtt_start));
		tcb->rtt_timing = 0;
	}
	tcb->snd_una = g->ack;
	if (ts_lt(tcb->snd_nxt, g->ack))
		tcb->snd_nxt = g->ack;
	tcb->t_rexmt = TS_INF;
	ts_tcp_establish(s, tcb);
	tcb->snd_wnd = (uint32_t)g->wnd << tcb->snd_wscale;
	tcb->max_sndwnd = ts_max32(tcb->max_sndwnd, tcb->snd_wnd);
	tcb->snd_wl1 = g->seq;
	tcb->snd_wl2 = g->ack;
	return 1;
}

/* Returns 0 when the connection is gone. */
static int sync_text(struct tt_stack *s, struct ts_tcb *tcb,
		     const struct ts_seg *g)
{
	uint8_t had_ooo = tcb->n_ooo;
	int r;

	switch (tcb->state) {
	case TT_SOCK_ESTABLISHED:
	case TT_SOCK_FIN_WAIT_1:
	case TT_SOCK_FIN_WAIT_2:
		break;
	default:
		/* the peer's FIN came before: nothing may follow it */
		ts_count(s, TT_SCNT_DROP_TCP_TEXT_STATE);
		return 1;
	}
	if (tcb->app_closed) {
		/* nobody will read it: tell the peer (RFC 1122 4.2.2.13) */
		ts_count(s, TT_SCNT_DROP_TCP_AFTER_CLOSE);
		ts_tcp_send_rst(s, tcb);
		ts_tcb_close(s, tcb, TT_ECONNRESET);
		return 0;
	}
	r = ts_rcv_place(s, tcb, g->seq, g->data, g->len);
	if (r > 0) {
		ts_event(s, tcb, TT_EV_READABLE);
		if (tcb->segs_unacked < 255)
			tcb->segs_unacked++;
		/* RFC 5681 4.2: filling a hole is acknowledged at once; at
		 * least every second segment; else the delayed ACK */
		if (had_ooo || tcb->segs_unacked >= 2)
			tcb->ack_now = 1;
		else if (tcb->t_delack == TS_INF)
			tcb->t_delack = s->now + s->p.delack_ms;
	} else {
		/* out of order: an immediate duplicate ACK tells the
		 * sender (RFC 5681 4.2) */
		ts_count(s, r == 0 ? TT_SCNT_TCP_OOO_HELD :
			 TT_SCNT_DROP_TCP_OOO_FULL);
		tcb->ack_now = 1;
	}
	return 1;
}

static void sync_fin(struct tt_stack *s, struct ts_tcb *tcb,
		     const struct ts_seg *g)
{
	int ours_acked = tcb->fin_queued && ts_gt(tcb->snd_una, tcb->snd_end);

	if (tcb->rcv_fin) {
		if (tcb->state == TT_SOCK_TIME_WAIT) {
			tcb->t_close = s->now + s->p.time_wait_ms;
			tcb->ack_now = 1;
		} else {
			ts_count(s, TT_SCNT_DROP_TCP_TEXT_STATE);
		}
		return;
	}
	if (g->seq + g->len != tcb->rcv_nxt)
		return; /* after a hole: the peer sends it again */
	tcb->rcv_nxt++;
	tcb->rcv_fin = 1;
	tcb->ack_now = 1;
	ts_event(s, tcb, TT_EV_READABLE | TT_EV_EOF);
	if (tcb->state == TT_SOCK_ESTABLISHED) {
		ts_tcb_set_state(s, tcb, TT_SOCK_CLOSE_WAIT);
	} else if (tcb->state == TT_SOCK_FIN_WAIT_1 && !ours_acked) {
		ts_tcb_set_state(s, tcb, TT_SOCK_CLOSING);
	} else if (tcb->state == TT_SOCK_FIN_WAIT_1 ||
		   tcb->state == TT_SOCK_FIN_WAIT_2) {
		/* both FINs sent and acknowledged */
		ts_tcb_set_state(s, tcb, TT_SOCK_TIME_WAIT);
		ts_timer_time_wait(s, tcb);
		ts_event(s, tcb, TT_EV_CLOSED);
	}
}

void ts_tcp_sync_input(struct tt_stack *s, struct ts_tcb *tcb,
		       const uint8_t *f, const uint8_t *ip,
		       const struct ts_seg *g0)
{
	struct ts_seg g = *g0;
	uint32_t wnd;
	int established_now = 0;

	/* our SYN-ACK was lost and the peer's SYN came again: answer it
	 * (an ACK alone would leave the peer in SYN-SENT) */
	if (tcb->state == TT_SOCK_SYN_RECEIVED && g.seq == tcb->irs &&
	    (g.flags & (TS_SYN | TS_ACK | TS_RST)) == TS_SYN) {
		ts_count(s, TT_SCNT_TCP_RETRANSMITS);
		ts_tcp_send_syn(s, tcb);
		return;
	}

	/* first: the sequence number */
	wnd = ts_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
	if (!sync_acceptable(tcb, &g, wnd)) {
		if (!wnd && g.seq == tcb->rcv_nxt) {
			/* closed window: "special allowance should be made
			 * to accept valid ACKs, URGs, and RSTs"; the text
			 * (a probe) is dropped and answered */
			ts_count(s, TT_SCNT_DROP_TCP_WINDOW);
			g.len = 0;
			g.flags &= (uint8_t)~TS_FIN;
			tcb->ack_now = 1;
		} else if (g.flags & TS_RST) {
			ts_count(s, TT_SCNT_DROP_TCP_RST_SEQ);
			return;
		} else {
			ts_count(s, ts_leq(g.seq + g.len, tcb->rcv_nxt) ?
				 TT_SCNT_DROP_TCP_DUP_DATA : TT_SCNT_DROP_TCP_SEQ);
			if (tcb->state == TT_SOCK_TIME_WAIT &&
			    (g.flags & TS_FIN))
				tcb->t_close = s->now + s->p.time_wait_ms;
			ts_tcp_send_ack(s, tcb);
			return;
		}
	} else {
		sync_trim(s, tcb, &g, wnd);
	}

	/* second: RST */
	if (g.flags & TS_RST) {
		if (g0->seq == tcb->rcv_nxt)
			sync_rst(s, tcb);
		else
			ts_tcp_challenge_ack(s, tcb);
		return;
	}

	/* fourth: SYN */
	if (g.flags & TS_SYN) {
		ts_count(s, TT_SCNT_DROP_TCP_SYN);
		if (tcb->state == TT_SOCK_SYN_RECEIVED && tcb->passive)
			ts_tcb_close(s, tcb, TT_ECONNRESET); /* to LISTEN */
		else
			ts_tcp_challenge_ack(s, tcb);
		return;
	}

	/* fifth: ACK */
	if (!(g.flags & TS_ACK)) {
		ts_count(s, TT_SCNT_DROP_TCP_NO_ACK);
		return;
	}
	if (tcb->state == TT_SOCK_SYN_RECEIVED) {
		if (!sync_syn_received(s, tcb, f, ip, &g))
			return;
		established_now = 1;
	}
	if (!ts_tcp_ack(s, tcb, &g))
		return;

	/* seventh: text; eighth: FIN */
	if (g.len && !sync_text(s, tcb, &g))
		return;
	if (g.flags & TS_FIN)
		sync_fin(s, tcb, &g);

	ts_tcp_output(s, tcb);
	if (established_now)
		ts_offload_established(s, tcb);
}
