/* SPDX-License-Identifier: MIT */
/*
 * The stack's side of TCP offload: what a card needs to take an
 * established connection over, and what the stack does with what the
 * card hands back (DESIGN §3, §4).
 *
 * While a card runs a connection, the stack keeps the connection's two
 * buffers and nothing else moves in software:
 *  - the send buffer is addressed by TCP sequence number: the card reads
 *    the bytes it sends (tt_stack_offl_read, the DMA read), the host
 *    frees them when the card reports them acknowledged
 *    (tt_stack_offl_acked, the ACKED event), and tt_send() rings the
 *    doorbell with the new end of the buffer;
 *  - in-order payload the card received (the PAYLOAD DMA write) is
 *    appended to the receive buffer the application reads
 *    (tt_stack_offl_payload).
 * When the context comes back (upload: FIN, RST, aging, no room on a
 * card), tt_stack_ctx_resume() continues the connection in software from
 * where the card left it.
 *
 * Connections are named by their tuple as the host sees it (s* = the
 * peer, d* = us), the key of the connection records.
 */
#ifndef TEAMTOE_STACK_OFFL_H
#define TEAMTOE_STACK_OFFL_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/ctx.h"
#include "teamtoe/records.h"
#include "teamtoe/stack.h"

/* The context's rto and timer fields count card timer ticks; the host
 * programs TIMER_SCALE so that a tick is this many ms. */
#define TT_STACK_CTX_TICK_MS 1u

struct tt_stack_offl_ops {
	/* A card may take the connection ctx describes. Returns 0 when it
	 * did (the stack stops running the connection's TCP), < 0 when the
	 * connection stays in software. */
	int (*offload)(void *arg, const struct tt_ctx *ctx);
	/* The send buffer of an offloaded connection now ends at snd_end
	 * (the card's doorbell). */
	void (*doorbell)(void *arg, const struct tt_tuple *t, uint32_t snd_end);
	/* The application closes or aborts an offloaded connection: bring
	 * its context back (the callee calls tt_stack_ctx_resume before it
	 * returns). Returns 0, or < 0 if the context could not come back. */
	int (*upload)(void *arg, const struct tt_tuple *t);
	void *arg;
};

/* Install the hooks; on_establish: offer every connection to
 * ops->offload as it becomes established (passive and active opens).
 * Off until this is called. */
void tt_stack_set_offload(struct tt_stack *s,
			  const struct tt_stack_offl_ops *ops,
			  int on_establish);

/* The context of connection t as a card needs it to take over (version,
 * VALID, tuple, peer MAC, MSS and scales, snd_una, snd_nxt = highest
 * sent, snd_max = end of the send buffer, rcv_nxt, windows as the
 * segments carry them, cwnd, ssthresh, recover, RTO and running timer in
 * ticks, IP ID, dup-ACK count, retries; ACK_PENDING for an owed delayed
 * ACK, RECOVERY in fast recovery). Returns 0, TT_ENOTFOUND, or TT_EINVAL
 * when the connection is not in a state a card can run (only
 * ESTABLISHED and CLOSE_WAIT, no FIN of ours queued). */
int tt_stack_ctx_fill(struct tt_stack *s, const struct tt_tuple *t,
		      struct tt_ctx *ctx);

/* Offer connection t to ops->offload now. Returns 0 (a card runs it),
 * TT_EAGAIN (the card declined: still in software), TT_EEXIST (already
 * offloaded), or tt_stack_ctx_fill()'s error. */
int tt_stack_offload(struct tt_stack *s, const struct tt_tuple *t);

/* The context of an offloaded connection is back (upload): take the
 * card's state (snd_una frees acknowledged data, snd_nxt, cwnd,
 * ssthresh, recover, windows, RTO, timer, IP ID, dup ACKs) and run the
 * connection in software again.
 *
 * The card may have acknowledged payload whose DMA writes the host has
 * not drained yet (they sit behind the export in the card's queue): if
 * ctx rcv_nxt is past the receive buffer's, the bytes between are a hole
 * that tt_stack_offl_payload() may still fill; software segments past it
 * are held out of order meanwhile. A hole still open after rto_max_ms
 * resets the connection (TT_ECONNRESET, counted in DROP_OFFL_CTX).
 *
 * Returns 0, TT_ENOTFOUND (no such offloaded connection, counted in
 * DROP_OFFL_CTX), or TT_EINVAL (bad version, or send sequence numbers
 * outside what the host queued: the connection is reset, counted). */
int tt_stack_ctx_resume(struct tt_stack *s, const struct tt_ctx *ctx);

/* In-order payload of an offloaded connection (or of the hole a resume
 * left), first byte at seq: appended to the receive buffer (bytes before
 * rcv_nxt are skipped). Returns the bytes appended (0 for a duplicate),
 * or TT_ENOTFOUND / TT_EINVAL (a gap before seq) / TT_EFULL (no room),
 * counted in DROP_OFFL_PAYLOAD: the card was given a window (ctx rcv_wnd)
 * the application has not made room for. */
int tt_stack_offl_payload(struct tt_stack *s, const struct tt_tuple *t,
			  uint32_t seq, const uint8_t *data, size_t len);

/* The card's DMA read: copy send-buffer bytes [seq, seq + len) into out.
 * Returns 0, TT_ENOTFOUND, or TT_EINVAL if the range is not in
 * [snd_una, snd_end). */
int tt_stack_offl_read(struct tt_stack *s, const struct tt_tuple *t,
		       uint32_t seq, size_t len, uint8_t *out);

/* The card's ACKED event: the peer acknowledged everything before
 * snd_una; that part of the send buffer is free (TT_EV_WRITABLE). An old
 * value is ignored. Returns 0, TT_ENOTFOUND or TT_EINVAL (acknowledges
 * data never queued). */
int tt_stack_offl_acked(struct tt_stack *s, const struct tt_tuple *t,
			uint32_t snd_una);

#endif
