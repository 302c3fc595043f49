/* SPDX-License-Identifier: MIT */
/*
 * Congestion control of an offloaded connection: NewReno (RFC 5681 with
 * RFC 6582), as two functions the ACK handling calls after
 * tcp_rx_segment(): one for an ACK of new data (tcp_rx_out.acked), one
 * for a duplicate ACK (tcp_rx_out.dupack). Pure functions of the
 * context, twinned by the ACK path of rtl/tcp_rx.v (revision 1.3).
 *
 * "Retransmit" means go-back-N (see tcp_out.h): snd_nxt = snd_una, and
 * the transmit stage sends everything from there again as the windows
 * allow, each segment re-read from the host by DMA. The issue allows it,
 * the card holds no send data to pick single segments from, and the
 * receive stage drops out-of-order data, so a peer like ourselves needs
 * all of it. A peer that kept out-of-order data acknowledges past what
 * we re-sent, and the ACK's snd_nxt catch-up skips what it already has.
 *
 * Rules, in the words of the RFCs:
 * - new ACK outside recovery: slow start while cwnd < ssthresh, cwnd +=
 *   min(acked, SMSS) (RFC 5681 eq. 2); else congestion avoidance counted
 *   in bytes, cwnd += max(1, SMSS * acked / cwnd), which adds one SMSS per
 *   cwnd of acknowledged bytes without a byte counter in the record
 *   (RFC 5681 eq. 3 scaled by the bytes an ACK covers, in the spirit of
 *   RFC 3465);
 * - third duplicate ACK (not the second), not in recovery, and the ACK
 *   covers more than `recover` (RFC 6582 3.2 step 1; otherwise the
 *   duplicates likely answer a timeout's retransmissions): ssthresh =
 *   max(FlightSize / 2, 2 * SMSS), recover = highest sequence sent, go
 *   back to snd_una, cwnd = ssthresh + 3 * SMSS, enter recovery;
 * - further duplicate ACKs in recovery: cwnd += SMSS;
 * - duplicate ACKs while the peer's window is zero answer probes, not
 *   losses: the count is reset, nothing else happens;
 * - new ACK in recovery covering recover (full ACK): leave recovery, cwnd
 *   = min(ssthresh, max(FlightSize, SMSS) + SMSS) (RFC 6582 step 3,
 *   the option that avoids a burst);
 * - new ACK in recovery below recover (partial ACK): deflate cwnd by the
 *   bytes acknowledged, add back SMSS if that was at least SMSS (never
 *   below 1 SMSS), stay in recovery. "Retransmit the first unacknowledged
 *   segment" is what the go-back already does: if snd_nxt is past the
 *   ACK, that segment was re-sent since the go-back and is in flight; if
 *   the ACK is past snd_nxt, snd_nxt catches up and the segment at
 *   snd_una goes next (reported as a retransmission).
 * cwnd never exceeds TCP_CC_CWND_MAX, the largest window TCP can offer.
 */
#ifndef TT_MODEL_TCP_CC_H
#define TT_MODEL_TCP_CC_H

#include <stdint.h>

#include "teamtoe/ctx.h"

#define TCP_CC_CWND_MAX (1u << 30) /* RFC 7323: 65535 << 14 < 2^30 */

enum tcp_cc_what {
	TCP_CC_SLOW_START = 1,   /* new ACK, cwnd < ssthresh */
	TCP_CC_AVOIDANCE,        /* new ACK, cwnd >= ssthresh */
	TCP_CC_PARTIAL,          /* new ACK in recovery, below recover */
	TCP_CC_FULL,             /* new ACK in recovery, recovery over */
	TCP_CC_DUP_COUNTED,      /* first, second (or later, see below) dup */
	TCP_CC_FAST_RETRANSMIT,  /* third dup: went back, in recovery */
	TCP_CC_DUP_AFTER_RTO,    /* third dup, ACK not past recover: ignored */
	TCP_CC_INFLATE,          /* dup in recovery: cwnd += SMSS */
	TCP_CC_DUP_ZERO_WINDOW,  /* dup under a zero window: not a loss */
};

struct tcp_cc_out {
	enum tcp_cc_what what;
	int retransmit; /* snd_una goes out again: event RETRANS, value seq */
	uint32_t seq;
};

/* An ACK of new data: snd_una has just advanced by `acked` bytes. Also
 * catches snd_nxt up with snd_una after a go-back (the ACK covered data
 * sent before it). */
void tcp_cc_new_ack(struct tt_ctx *c, uint32_t acked, struct tcp_cc_out *o);

/* A duplicate ACK (RFC 5681 definition, counted in c->dupacks by the
 * receive stage). */
void tcp_cc_dup_ack(struct tt_ctx *c, struct tcp_cc_out *o);

#endif
