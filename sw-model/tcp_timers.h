/* SPDX-License-Identifier: MIT */
/*
 * Timers of an offloaded connection, one tick at a time: the delayed ACK,
 * the retransmission timer and the zero-window persist timer. A pure
 * function of the context like tcp_rx.c; the card calls it for every
 * valid slot once per timer tick (TIMER_SCALE cycles), and
 * rtl/tcp_timers.v (revision 1.3) is its twin.
 *
 * "RFC 6298 style" without RTT measurement: the record has no room for
 * srtt and rttvar (every bit of its 64 bytes is used), and the host,
 * which sees the handshake and the connection's history, knows an RTT
 * better than one card that holds the connection for a while. So:
 * - `rto` is the base timeout in ticks, set by the host on import (it
 *   plays the part of RFC 6298's computed RTO; 0 counts as 1);
 * - the current timeout is rto << min(retries, TCP_TIMER_BACKOFF_MAX),
 *   at most 0xffff ticks (the `timer` field): 5.5, doubling per expiry,
 *   bounded (with rto at RFC 6298's 1 s minimum the bound is 64 s, above
 *   the 60 s maximum that 2.5 allows);
 * - `timer` counts ticks down, 0 = stopped; it starts when data goes out
 *   and it is stopped (5.1, in tcp_out_sent), restarts on every ACK of
 *   new data and stops when everything sent is acknowledged (5.2, 5.3:
 *   tcp_timer_ack), and an ACK of new data ends the backoff (retries = 0);
 * - on expiry (5.4-5.6): go back to snd_una (see tcp_out.h), RFC 5681 3.1
 *   ssthresh = max(FlightSize / 2, 2 * SMSS) on the first expiry for this
 *   data (held on later ones), cwnd = 1 SMSS (the loss window), RFC 6582
 *   recover = highest sequence sent and fast recovery ends, retries + 1,
 *   the doubled timeout starts; RTO_LIMIT goes to the host once, when
 *   retries reaches cfg->retry_limit (the card keeps retransmitting; the
 *   host decides what to do with the connection).
 *
 * Persist (RFC 9293 3.8.6.1, RFC 1122 4.2.2.17): when the peer's window
 * is zero, nothing is outstanding and the host buffer holds data, the
 * stopped timer starts as the persist timer (TT_CTXF_PERSIST). Each
 * expiry owes one probe (TT_CTXF_PROBE: tcp_out_next sends the byte at
 * snd_una) and backs off like the retransmission timer, but never counts
 * toward the retry limit: the connection stays open as long as the peer
 * is there to answer, and the card does not tell an answered probe from
 * a lost one. A timeout with data outstanding and the window zero is a
 * persist expiry too (go back to snd_una, probe): the peer dropped what
 * lay beyond its window, which says nothing about congestion. When the
 * window opens, the next data segment turns the persist timer into the
 * retransmission timer (tcp_out_sent).
 *
 * Delayed ACK (RFC 1122 4.2.3.2, at most 500 ms): the receive stage sets
 * TT_CTXF_ACK_PENDING. The first tick that sees it sets TT_CTXF_DELACK,
 * the next one sends the ACK: an owed ACK goes out less than 2 ticks
 * after it was first owed, and at least one tick boundary later unless
 * an earlier ACK left DELACK set (then it may go at the first tick).
 * Any segment sent meanwhile pays the ACK (tcp_out_sent clears both).
 * The host chooses TIMER_SCALE so that 2 ticks stay under 500 ms.
 */
#ifndef TT_MODEL_TCP_TIMERS_H
#define TT_MODEL_TCP_TIMERS_H

#include <stdint.h>

#include "teamtoe/ctx.h"

#define TCP_TIMER_BACKOFF_MAX 6      /* timeout at most rto << 6 */
#define TCP_TIMER_MAX         0xffffu /* width of `timer` */

/* Per-card configuration (card registers in revision 1.3). */
struct tcp_timer_cfg {
	uint8_t retry_limit; /* RTO_LIMIT when retries reaches it; 0 = never */
};

/* What the retransmission/persist timer did in a tick. */
enum tcp_timer_what {
	TCP_TIMER_STOPPED = 0,   /* not running, nothing to start */
	TCP_TIMER_RUNNING,       /* counted one tick down */
	TCP_TIMER_STARTED,       /* found stopped with data outstanding */
	TCP_TIMER_RTO,           /* retransmission timeout: went back */
	TCP_TIMER_PERSIST_START, /* window zero, data waiting: persist */
	TCP_TIMER_PROBE_DUE,     /* persist expiry: a probe is owed */
	TCP_TIMER_PERSIST_END,   /* persist expiry with the window open */
};

struct tcp_timer_out {
	enum tcp_timer_what what;
	int send_ack;   /* the delayed ACK is due: send a pure ACK now */
	int retransmit; /* went back to snd_una: event RETRANS, value seq */
	uint32_t seq;
	int rto_limit;  /* retries just reached the limit: event RTO_LIMIT */
};

/* The current timeout in ticks: rto << min(retries, BACKOFF_MAX), capped
 * at TCP_TIMER_MAX, never 0. */
uint16_t tcp_timer_rto(const struct tt_ctx *c);

/* One timer tick for one connection. */
void tcp_timer_tick(struct tt_ctx *c, const struct tcp_timer_cfg *cfg,
		    struct tcp_timer_out *o);

/* An ACK of new data arrived (call after tcp_cc_new_ack): RFC 6298 5.2
 * and 5.3, and the end of backoff and of persist. */
void tcp_timer_ack(struct tt_ctx *c);

#endif
