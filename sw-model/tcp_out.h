/* SPDX-License-Identifier: MIT */
/*
 * Transmit decision of an offloaded connection: which segment the card
 * sends next, what sending it does to the context, and the host's
 * doorbell. Pure functions of the context, like tcp_rx.c, so that they
 * can be tested alone and rtl/tcp_tx.v (revision 1.3) has one exact twin.
 * The card fetches the payload of a segment by DMA read and builds the
 * frame with tcp_tx_build(); this stage only chooses sequence and length.
 *
 * Retransmission is go-back-N: the timer and congestion-control stages
 * retransmit by moving snd_nxt back to snd_una, and tcp_out_next() sends
 * again from there. The card keeps no send data (DESIGN §3: the host
 * answers every DMA read from its buffer), and the receive stage keeps
 * no out-of-order data, so after a loss the peer needs everything from
 * the hole on anyway. The highest sequence sent before the last go-back
 * is kept in `recover` (RFC 6582 sets it to exactly that on fast
 * retransmit and on a timeout), so no record field is added for it.
 */
#ifndef TT_MODEL_TCP_OUT_H
#define TT_MODEL_TCP_OUT_H

#include <stdint.h>

#include "teamtoe/ctx.h"
#include "tcp_rx.h"

#define TCP_OUT_DEFAULT_MSS 536u /* RFC 9293 3.7.1, if the record has 0 */

enum tcp_out_kind {
	TCP_OUT_NONE = 0, /* nothing to send now (see limit) */
	TCP_OUT_DATA,     /* payload [seq, seq + len) from the host buffer */
	TCP_OUT_PROBE,    /* zero-window probe: the byte at snd_una */
	TCP_OUT_ACK,      /* pure ACK: no payload */
};

/* What bounded a data segment's length, or why nothing was sent. */
enum tcp_out_limit {
	TCP_OUT_BY_MSS = 0,  /* a full-sized segment */
	TCP_OUT_BY_DATA,     /* the end of the host's send buffer (snd_max) */
	TCP_OUT_BY_WINDOW,   /* the peer's advertised window */
	TCP_OUT_BY_CWND,     /* the congestion window */
	TCP_OUT_BY_PERSIST,  /* window zero, no probe owed yet */
};

struct tcp_out_seg {
	enum tcp_out_kind kind;
	enum tcp_out_limit limit;
	uint32_t seq;
	uint16_t len;
};

/* The sender's MSS: the record's, or the RFC 9293 default if it is 0. */
static inline uint32_t tcp_out_mss(const struct tt_ctx *c)
{
	return c->mss ? c->mss : TCP_OUT_DEFAULT_MSS;
}

/* `recover` marks data still outstanding from the last go-back while it
 * lies in [snd_una, snd_max]; anything else is a spent or never-set value
 * (an imported record may carry any). */
static inline int tcp_out_recover_live(const struct tt_ctx *c)
{
	return seq_leq(c->snd_una, c->recover) && seq_leq(c->recover, c->snd_max);
}

/* One past the highest sequence ever sent: snd_nxt, or `recover` while a
 * go-back-N retransmission has not yet caught up with it. An ACK up to
 * here acknowledges data that was sent. */
static inline uint32_t tcp_out_high(const struct tt_ctx *c)
{
	if (tcp_out_recover_live(c) && seq_lt(c->snd_nxt, c->recover))
		return c->recover;
	return c->snd_nxt;
}

/* The next segment to send, without changing the context:
 * - peer window open: data from snd_nxt, at most one MSS, within
 *   min(snd_wnd << snd_wscale, cwnd) bytes beyond snd_una (cwnd taken as
 *   at least one MSS, RFC 5681's loss window) and below snd_max;
 * - peer window zero: a 1-byte probe at snd_una when TT_CTXF_PROBE is set
 *   (the persist timer sets it) and the host buffer has that byte;
 * - else TCP_OUT_NONE with the reason in limit. */
void tcp_out_next(const struct tt_ctx *c, struct tcp_out_seg *s);

/* A pure ACK (rcv_nxt and window come from the context when the frame is
 * built). Its sequence is tcp_out_high(): after a go-back snd_nxt may lie
 * below what the peer has received, and an ACK there would be outside
 * the peer's window (RFC 9293 3.10.7.4) and dropped. */
void tcp_out_ack(const struct tt_ctx *c, struct tcp_out_seg *s);

/* The segment s (from tcp_out_next or tcp_out_ack) went out:
 * - every segment carries rcv_nxt, so no ACK is owed any more;
 * - snd_nxt advances by len if the segment starts at snd_nxt (one that
 *   does not was chosen before a go-back and is an extra copy);
 * - data: RFC 6298 5.1, start the retransmission timer at the current
 *   timeout if it is not running; if it was the persist timer, the window
 *   has opened: it becomes the retransmission timer, retries restart;
 * - probe: the probe owed is paid (the persist timer keeps running). */
void tcp_out_sent(struct tt_ctx *c, const struct tcp_out_seg *s);

/* Doorbell "the send buffer now ends at sequence snd_end". The host's
 * buffer only grows: a doorbell before the current snd_max is ignored
 * (the card may already have sent those bytes, and the host cannot take
 * them back), and so is one more than TCP_OUT_BUF_MAX beyond snd_una
 * (serial arithmetic on sequence numbers needs the buffer well inside
 * 2^31; no window reaches past 2^30, RFC 7323). Returns 1 if snd_max
 * moved, 0 if it is unchanged, -1 if the doorbell was ignored (the card
 * counts it). */
#define TCP_OUT_BUF_MAX (1u << 30)
int tcp_out_doorbell(struct tt_ctx *c, uint32_t snd_end);

#endif
