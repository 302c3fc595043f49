/* SPDX-License-Identifier: MIT */
/*
 * Receive engine of an offloaded connection: what one acceptable segment
 * (no SYN/FIN/RST/URG) does to the context. A pure function of the
 * context and the segment, so that it can be tested alone (lwIP's tcp_in
 * cases) and so that rtl/tcp_rx.v has one exact twin.
 *
 * Card revision 1.2 applies it to every segment of an offloaded
 * connection that has no SYN/FIN/RST/URG (sw-model/rx_engine.c, and
 * rtl/tcp_rx.v in the card).
 */
#ifndef TT_MODEL_TCP_RX_H
#define TT_MODEL_TCP_RX_H

#include <stdint.h>

#include "teamtoe/ctx.h"

/* The header fields of a segment that the engine reads. */
struct tcp_rx_seg {
	uint32_t seq, ack;
	uint16_t wnd;       /* as received, unscaled */
	uint8_t flags;      /* TCP flags byte */
	uint16_t len;       /* payload bytes */
};

/* Why a segment's data was not (all) delivered. */
enum tcp_rx_note {
	TCP_RX_OK = 0,
	TCP_RX_NO_ACK,       /* ACK flag clear: the host's, context untouched */
	TCP_RX_ACK_UNSENT,   /* acknowledges data never sent: ACK, drop */
	TCP_RX_OUT_OF_ORDER, /* starts past rcv_nxt: dropped, dup ACK asks again */
	TCP_RX_DUPLICATE,    /* all of it already received: dropped, ACK */
	TCP_RX_WINDOW_TRIM,  /* part of it beyond the window: tail dropped */
	TCP_RX_ZERO_WINDOW,  /* data while the window is closed: dropped, ACK */
};

struct tcp_rx_out {
	enum tcp_rx_note note;
	/* deliver payload bytes [off, off + len) at sequence seq */
	uint16_t off, len;
	uint32_t seq;
	int acked;       /* snd_una advanced: event ACKED with the new value */
	int send_ack;    /* send a pure ACK (rcv_nxt, window) now */
	int dupack;      /* counted as a duplicate ACK (RFC 5681 definition) */
};

/* Process one segment; updates c and says what to do. */
void tcp_rx_segment(struct tt_ctx *c, const struct tcp_rx_seg *s,
		    struct tcp_rx_out *o);

/* Serial-number comparisons on 32-bit sequence numbers (RFC 1982). */
static inline int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

#endif
