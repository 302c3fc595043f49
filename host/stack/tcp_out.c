/* SPDX-License-Identifier: MIT */
/*
 * TCP output: building segments, deciding what to send (windows, sender
 * SWS avoidance, FIN, zero-window probes), the window we advertise
 * (receiver SWS avoidance), RSTs and RFC 5961 challenge ACKs.
 *
 *  TCP +0 src port | +2 dst port | +4 seq | +8 ack | +12 data offset |
 *      +13 flags | +14 window | +16 checksum | +18 urgent | +20 options
 */
#include <string.h>

#include "stack_int.h"

static int out_can_send_data(const struct ts_tcb *tcb);
static uint32_t out_sws_threshold(const struct tt_stack *s,
				  const struct ts_tcb *tcb);

uint32_t ts_tcp_rcv_space(const struct tt_stack *s, const struct ts_tcb *tcb)
{
	uint32_t limit = tcb->rcv_read + s->p.rcvbuf;

	return ts_gt(limit, tcb->rcv_nxt) ? limit - tcb->rcv_nxt : 0;
}

/* RFC 9293 3.8.6.2.2: move the right edge only by a worthwhile amount,
 * min(half the buffer, one MSS). */
static uint32_t out_sws_threshold(const struct tt_stack *s,
				  const struct ts_tcb *tcb)
{
	return ts_min32(s->p.rcvbuf / 2, tcb->mss);
}

/*
 * The window field of the next segment. Invariants: the edge we
 * advertise (rcv_nxt + field << scale) never passes rcv_read + rcvbuf,
 * so whatever the peer sends inside it fits the ring; and rcv_adv, the
 * edge the acceptability test uses, never moves left (RFC 9293 3.8.6:
 * shrinking the window is "strongly discouraged"). When rounding to the
 * scale would pass the buffer, the field is rounded down and the peer
 * sees the edge up to 2^scale - 1 bytes short of rcv_adv, which RFC 7323
 * 2.4 allows for.
 */
uint16_t ts_tcp_rcv_window(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t space = ts_tcp_rcv_space(s, tcb);
	uint32_t cur = ts_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
		       tcb->rcv_adv - tcb->rcv_nxt : 0;
	uint32_t win = space, unit = 1u << tcb->rcv_wscale, field;

	if (win > cur && win - cur < out_sws_threshold(s, tcb))
		win = cur;
	if (win < cur)
		win = cur;
	if (win > (65535u << tcb->rcv_wscale))
		win = 65535u << tcb->rcv_wscale;
	field = (win + unit - 1) >> tcb->rcv_wscale;
	if ((uint64_t)field << tcb->rcv_wscale > space)
		field = win >> tcb->rcv_wscale;
	if (ts_gt(tcb->rcv_nxt + (field << tcb->rcv_wscale), tcb->rcv_adv))
		tcb->rcv_adv = tcb->rcv_nxt + (field << tcb->rcv_wscale);
	return (uint16_t)field;
}

void ts_tcp_send(struct tt_stack *s, struct ts_tcb *tcb, uint32_t seq,
		 uint32_t len, uint8_t flags)
{
	uint8_t *f = s->tx, *tcp;
	size_t hdr, opt_len = 0, tcp_len;
	uint16_t win;
	int ws = -1;

	hdr = TS_ETH_HDR + TS_IP_HDR;
	tcp = f + hdr;
	if (flags & TS_SYN) {
		/* we offer a scale in our SYN; in a SYN-ACK only if the
		 * peer offered one (RFC 7323 1.3) */
		if (tcb->state == TT_SOCK_SYN_SENT || tcb->ws_ok)
			ws = s->rcv_wscale;
		opt_len = ts_tcp_opt_syn(tcp + TS_TCP_HDR, s->p.mss, ws);
		/* RFC 7323 2.2: the window of a SYN is never scaled */
		win = (uint16_t)ts_min32(ts_tcp_rcv_space(s, tcb), 65535u);
		if (ts_gt(tcb->rcv_nxt + win, tcb->rcv_adv))
			tcb->rcv_adv = tcb->rcv_nxt + win;
	} else {
		win = ts_tcp_rcv_window(s, tcb);
	}
	tcp_len = TS_TCP_HDR + opt_len + len;
	ts_ip_header(s, f, tcb->mac_known ? tcb->peer_mac : NULL,
		     tcb->t.saddr, 6, tcb->ip_id++, tcp_len);
	ts_wr16(tcp, tcb->t.dport);
	ts_wr16(tcp + 2, tcb->t.sport);
	ts_wr32(tcp + 4, seq);
	ts_wr32(tcp + 8, (flags & TS_ACK) ? tcb->rcv_nxt : 0);
	tcp[12] = (uint8_t)(((TS_TCP_HDR + opt_len) / 4) << 4);
	tcp[13] = flags;
	ts_wr16(tcp + 14, win);
	ts_wr16(tcp + 16, 0);
	ts_wr16(tcp + 18, 0);
	if (len)
		ts_snd_copy(s, tcb, seq, len, tcp + TS_TCP_HDR + opt_len);
	ts_wr16(tcp + 16, (uint16_t)~ts_csum_fold(ts_csum_add(
		ts_csum_pseudo(s->p.ipv4, tcb->t.saddr, 6, (uint16_t)tcp_len),
		tcp, tcp_len)));
	if (flags & TS_ACK) {
		tcb->ack_now = 0;
		tcb->segs_unacked = 0;
		tcb->t_delack = TS_INF;
	}
	ts_count(s, TT_SCNT_TCP_TX_SEGS);
	if (tcb->mac_known)
		ts_output(s, f, hdr + tcp_len, &tcb->t);
	else
		ts_arp_send(s, f, hdr + tcp_len, tcb->t.saddr, &tcb->t);
}

/* A pure ACK (and an RST) carries RFC 9293's SND.NXT, the highest
 * sequence sent: our snd_nxt may be back at snd_una for a go-back-N, and
 * the peer, which received more than that, would find the segment
 * unacceptable and answer with an ACK we would find unacceptable too. */
/* A pure ACK carries the highest sequence sent, but never past the right
 * edge of the peer's window: a receiver whose window is closed accepts
 * only seq == RCV.NXT (RFC 9293 3.10.7.4), and after a refused probe byte
 * snd_high is one past it. Closed windows at both ends would otherwise
 * refuse each other's ACKs, window updates included, forever. */
void ts_tcp_send_ack(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t seq = tcb->snd_high, edge = tcb->snd_una + tcb->snd_wnd;

	if (ts_lt(edge, seq))
		seq = edge;
	ts_tcp_send(s, tcb, seq, 0, TS_ACK);
}

void ts_tcp_send_syn(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint8_t flags = TS_SYN;

	if (tcb->state == TT_SOCK_SYN_RECEIVED)
		flags |= TS_ACK;
	/* Karn: time the first SYN only */
	if (!tcb->retries && tcb->snd_high == tcb->iss) {
		tcb->rtt_timing = 1;
		tcb->rtt_seq = tcb->iss;
		tcb->rtt_start = s->now;
	}
	ts_tcp_send(s, tcb, tcb->iss, 0, flags);
	tcb->snd_nxt = tcb->iss + 1;
	tcb->snd_high = tcb->iss + 1;
	if (tcb->t_rexmt == TS_INF)
		ts_timer_rexmt_start(s, tcb);
}

void ts_tcp_send_rst(struct tt_stack *s, struct ts_tcb *tcb)
{
	ts_count(s, TT_SCNT_TCP_RST_SENT);
	ts_tcp_send(s, tcb, tcb->snd_high, 0, TS_RST | TS_ACK);
}

/* RFC 9293 3.10.7.1: "If the ACK bit is off, sequence number zero is
 * used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. If the ACK bit is on,
 * <SEQ=SEG.ACK><CTL=RST>." To the Ethernet and IPv4 source. */
void ts_tcp_reset_reply(struct tt_stack *s, const uint8_t *f,
			const uint8_t *ip, const struct ts_seg *g)
{
	uint8_t *out = s->tx, *tcp;
	uint32_t src = ts_rd32(ip + 12), seg_len;
	const uint8_t *in_tcp = ip + (ip[0] & 15) * 4;
	size_t hdr;

	if (g->flags & TS_RST)
		return;
	hdr = ts_ip_header(s, out, f + 6, src, 6, s->ip_id++, TS_TCP_HDR);
	tcp = out + hdr;
	memset(tcp, 0, TS_TCP_HDR);
	memcpy(tcp, in_tcp + 2, 2);     /* our port: their destination */
	memcpy(tcp + 2, in_tcp, 2);
	if (g->flags & TS_ACK) {
		ts_wr32(tcp + 4, g->ack);
		tcp[13] = TS_RST;
	} else {
		seg_len = g->len + !!(g->flags & TS_SYN) + !!(g->flags & TS_FIN);
		ts_wr32(tcp + 8, g->seq + seg_len);
		tcp[13] = TS_RST | TS_ACK;
	}
	tcp[12] = 5 << 4;
	ts_wr16(tcp + 16, (uint16_t)~ts_csum_fold(ts_csum_add(
		ts_csum_pseudo(s->p.ipv4, src, 6, TS_TCP_HDR), tcp,
		TS_TCP_HDR)));
	ts_count(s, TT_SCNT_TCP_RST_SENT);
	ts_count(s, TT_SCNT_TCP_TX_SEGS);
	ts_output(s, out, hdr + TS_TCP_HDR, NULL);
}

/* RFC 5961 section 7: at most challenge_per_s challenge ACKs a second,
 * for the whole stack, so that they cannot be used to flood. */
void ts_tcp_challenge_ack(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint64_t sec = s->now / 1000u;

	if (sec != s->chal_sec) {
		s->chal_sec = sec;
		s->chal_count = 0;
	}
	if (s->chal_count >= s->p.challenge_per_s) {
		ts_count(s, TT_SCNT_DROP_TCP_CHALLENGE_LIMIT);
		return;
	}
	s->chal_count++;
	ts_count(s, TT_SCNT_TCP_CHALLENGE_ACKS);
	ts_tcp_send_ack(s, tcb);
}

void ts_tcp_retransmit_first(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t seq = tcb->snd_una, len = 0;
	uint8_t flags = TS_ACK;

	if (seq == tcb->iss) {
		ts_tcp_send_syn(s, tcb);
		return;
	}
	if (ts_gt(tcb->snd_end, seq))
		len = ts_min32(tcb->snd_end - seq, tcb->mss);
	if (tcb->fin_queued && seq + len == tcb->snd_end &&
	    ts_gt(tcb->snd_high, tcb->snd_end))
		flags |= TS_FIN;
	if (!len && !(flags & TS_FIN))
		return;
	tcb->rtt_timing = 0; /* Karn */
	ts_count(s, TT_SCNT_TCP_RETRANSMITS);
	ts_tcp_send(s, tcb, seq, len, flags);
}

static int out_can_send_data(const struct ts_tcb *tcb)
{
	switch (tcb->state) {
	case TT_SOCK_ESTABLISHED:
	case TT_SOCK_CLOSE_WAIT:
	case TT_SOCK_FIN_WAIT_1:
	case TT_SOCK_CLOSING:
	case TT_SOCK_LAST_ACK:
		return 1;
	default:
		return 0;
	}
}

void ts_tcp_output(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t win, flight, usable, avail, len;
	int sent = 0, fin, probe, waiting;
	uint8_t flags;

	if (tcb->offloaded || tcb->state == TT_SOCK_CLOSED)
		return;
	if (tcb->state == TT_SOCK_SYN_SENT ||
	    tcb->state == TT_SOCK_SYN_RECEIVED)
		return; /* the handshake's segments go by ts_tcp_send_syn */
	while (out_can_send_data(tcb)) {
		probe = tcb->force_probe && tcb->snd_wnd == 0;
		win = probe ? 1 : ts_min32(tcb->snd_wnd, ts_cc_send_window(tcb));
		flight = tcb->snd_nxt - tcb->snd_una;
		usable = win > flight ? win - flight : 0;
		avail = ts_gt(tcb->snd_end, tcb->snd_nxt) ?
			tcb->snd_end - tcb->snd_nxt : 0;
		len = ts_min32(ts_min32(avail, usable), tcb->mss);
		/* the FIN goes with the last byte, or alone once every
		 * byte is out; it needs no window of its own */
		fin = tcb->fin_queued && len == avail &&
		      ts_leq(tcb->snd_nxt, tcb->snd_end);
		if (!len && !fin)
			break;
		/* RFC 9293 3.8.6.2.1, sender SWS avoidance: a short segment
		 * only if it empties the buffer or nothing is in flight */
		if (len < tcb->mss && len < avail && flight && !probe)
			break;
		flags = TS_ACK;
		if (fin)
			flags |= TS_FIN;
		if (len && len == avail)
			flags |= TS_PSH;
		if (tcb->snd_nxt == tcb->snd_high && !tcb->rtt_timing) {
			tcb->rtt_timing = 1;
			tcb->rtt_seq = tcb->snd_nxt;
			tcb->rtt_start = s->now;
		} else if (ts_lt(tcb->snd_nxt, tcb->snd_high)) {
			ts_count(s, TT_SCNT_TCP_RETRANSMITS);
			if (ts_leq(tcb->snd_nxt, tcb->rtt_seq))
				tcb->rtt_timing = 0; /* Karn */
		}
		ts_tcp_send(s, tcb, tcb->snd_nxt, len, flags);
		tcb->snd_nxt += len + (uint32_t)fin;
		if (ts_gt(tcb->snd_nxt, tcb->snd_high))
			tcb->snd_high = tcb->snd_nxt;
		sent = 1;
		if (probe) {
			ts_count(s, TT_SCNT_TCP_PERSIST_PROBES);
			break;
		}
		if (tcb->t_rexmt == TS_INF)
			ts_timer_rexmt_start(s, tcb);
		if (fin)
			break;
	}
	if (!sent && (tcb->ack_now || tcb->segs_unacked >= 2))
		ts_tcp_send_ack(s, tcb);
	/* RFC 9293 3.8.6.1: a closed window with data waiting and nothing
	 * to retransmit: probe it */
	waiting = ts_gt(tcb->snd_end, tcb->snd_nxt) ||
		  (tcb->fin_queued && ts_leq(tcb->snd_nxt, tcb->snd_end));
	if (out_can_send_data(tcb) && tcb->snd_wnd == 0 && waiting &&
	    tcb->t_rexmt == TS_INF && tcb->t_persist == TS_INF)
		tcb->t_persist = s->now + ts_max32(tcb->rto, s->p.rto_min_ms);
}
