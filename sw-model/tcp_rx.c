/* SPDX-License-Identifier: MIT */
/*
 * One acceptable segment of an ESTABLISHED offloaded connection, in the
 * order RFC 9293 section 3.10.7.4 processes it: the ACK field first, then
 * the segment text. SYN, FIN, RST and URG never reach this function (the
 * card hands such segments to the host).
 */
#include <string.h>

#include "tcp_out.h"
#include "tcp_rx.h"

#define TCP_ACK 0x10

/* RFC 9293: "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK"
 * and update the send window; "If the ACK acks something not yet sent
 * (SEG.ACK > SND.NXT) then send an ACK, drop the segment"; a duplicate
 * (SEG.ACK < SND.UNA) is ignored. RFC 5681 section 2: a duplicate ACK
 * acknowledges SND.UNA with outstanding data, carries no data, and does
 * not change the advertised window. Returns 0 if the segment is dropped.
 *
 * RFC 9293's SND.NXT is "the highest sequence sent" here, tcp_out_high():
 * after a go-back-N retransmission snd_nxt lies below data that was sent
 * and may have arrived, and the peer's honest ACK of it must be taken
 * (ENGINE.md 1.2); likewise data is outstanding up to tcp_out_high(). */
static int rx_ack(struct tt_ctx *c, const struct tcp_rx_seg *s,
		  struct tcp_rx_out *o)
{
	uint32_t high = tcp_out_high(c);

	if (seq_lt(high, s->ack)) {
		o->note = TCP_RX_ACK_UNSENT;
		o->send_ack = 1;
		return 0;
	}
	if (seq_lt(c->snd_una, s->ack)) {
		c->snd_una = s->ack;
		c->dupacks = 0;
		c->snd_wnd = s->wnd;
		o->acked = 1;
	} else if (s->ack == c->snd_una) {
		if (s->len == 0 && s->wnd == c->snd_wnd && c->snd_una != high) {
			o->dupack = 1;
			if (c->dupacks != 0xff)
				c->dupacks++;
		}
		c->snd_wnd = s->wnd;
	}
	return 1;
}

static uint32_t rcv_window(const struct tt_ctx *c)
{
	return (uint32_t)c->rcv_wnd << c->rcv_wscale;
}

/* RFC 9293 segment text: deliver what is in order and inside the window;
 * anything else is dropped and answered with an immediate ACK (RFC 5681
 * section 4.2: "an out-of-order segment arrives ... an immediate ACK").
 * RFC 1122 4.2.3.2: an ACK at least for every second full-sized segment,
 * the rest on the delayed-ACK timer (TT_CTXF_ACK_PENDING). */
static void rx_text(struct tt_ctx *c, const struct tcp_rx_seg *s,
		    struct tcp_rx_out *o)
{
	uint32_t end = s->seq + s->len, win = rcv_window(c), skip, n;

	if (!s->len)
		return;
	if (seq_leq(end, c->rcv_nxt)) {
		o->note = TCP_RX_DUPLICATE;
		o->send_ack = 1;
		return;
	}
	if (seq_lt(c->rcv_nxt, s->seq)) {
		o->note = TCP_RX_OUT_OF_ORDER;
		o->send_ack = 1;
		return;
	}
	if (!win) {
		o->note = TCP_RX_ZERO_WINDOW;
		o->send_ack = 1;
		return;
	}
	skip = c->rcv_nxt - s->seq;          /* partial overlap: trim the head */
	n = s->len - skip;
	if (n > win) {                       /* beyond the window: trim the tail */
		n = win;
		o->note = TCP_RX_WINDOW_TRIM;
	}
	o->off = (uint16_t)skip;
	o->len = (uint16_t)n;
	o->seq = c->rcv_nxt;
	c->rcv_nxt += n;
	if (o->note == TCP_RX_WINDOW_TRIM || (c->flags & TT_CTXF_ACK_PENDING) ||
	    n < c->mss) {
		/* a second segment, a short one (it may be the last of a
		 * burst) or a trimmed one: acknowledge now */
		o->send_ack = 1;
	}
	if (o->send_ack)
		c->flags &= (uint8_t)~TT_CTXF_ACK_PENDING;
	else
		c->flags |= TT_CTXF_ACK_PENDING;
}

void tcp_rx_segment(struct tt_ctx *c, const struct tcp_rx_seg *s,
		    struct tcp_rx_out *o)
{
	memset(o, 0, sizeof(*o));
	if (!(s->flags & TCP_ACK)) {
		o->note = TCP_RX_NO_ACK;
		return;
	}
	if (rx_ack(c, s, o))
		rx_text(c, s, o);
	/* Any ACK sent now carries rcv_nxt: it also pays a delayed one
	 * (that includes the ACK answering an ACK of unsent data). */
	if (o->send_ack)
		c->flags &= (uint8_t)~TT_CTXF_ACK_PENDING;
}
