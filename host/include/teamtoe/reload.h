/* SPDX-License-Identifier: MIT */
/*
 * Offload, reload and upload: all three are the context port (DESIGN §3).
 *
 *   offload = IMPORT into a card, offload flag set (seed ¶32)
 *   reload  = EXPORT from the former card + IMPORT into the receiving one
 *             (seed block 414); if the former card cannot be read, the
 *             context is rebuilt from the record's shadow (go-back-N)
 *   upload  = EXPORT, flag cleared; the context goes to ops.upload
 *
 * An import the card refuses (bucket full, card dead or hung) leaves the
 * connection in software and is counted: offload and reload never fail a
 * connection, they only decline to accelerate it.
 *
 * Every context command is synchronous: submitted, then every live card
 * is stepped (time passes for all of them while the host waits) until
 * the result arrives or ctx_timeout_cycles have passed; meanwhile the
 * card's outputs are taken (tt_host_flush), since a card of revision 1.2
 * gives a result only after every output of the frames before it.
 *
 * Export atomicity (card revision 1.2): when an EXPORT result is out,
 * every PAYLOAD write, ACKED event and ACK of the exported connection is
 * already in the card's streams, and nothing more for it follows. The
 * reload relies on it: right after the EXPORT it flushes the former card,
 * so the connection's payload reaches the stack, and its shadow is up to
 * date, before the connection runs anywhere else.
 */
#ifndef TEAMTOE_RELOAD_H
#define TEAMTOE_RELOAD_H

#include <stdint.h>

#include "teamtoe/host.h"

enum tt_offload_result {
	TT_OFFLOAD_OK       = 0, /* installed on a card, flag set */
	TT_OFFLOAD_SOFTWARE = 1, /* left in software (counted) */
};

/* Run one context command on card `nid` and wait for its result.
 * Returns the result's status (TT_OK, TT_ENOTFOUND, TT_EFULL, TT_EEXIST,
 * TT_EINVAL) with *res filled, or TT_EBUSY when the card is marked dead
 * or no result came within the bound. *cycles (if not NULL) gets the
 * card cycles it took. A result that comes after its timeout is dropped
 * later (a late successful IMPORT is exported back at once). */
int tt_ctx_sync(struct tt_host *h, unsigned int nid,
		const struct tt_ctx_cmd *cmd, struct tt_ctx_result *res,
		uint64_t *cycles);

/* A context result nobody waits for (its command timed out): dropped;
 * a late successful IMPORT is exported back (fire and forget) so that no
 * card runs a connection the host thinks is in software. For host.c. */
void tt_ctx_stale(struct tt_host *h, unsigned int nid,
		  const struct tt_ctx_result *res);

/* The card the team policy picks for a new offload, skipping `except`
 * (-1: none), dead cards, cards whose link is down and full cards.
 * Returns a NID or -1. */
int tt_reload_pick(struct tt_host *h, int except);

/* Offload request (seed ¶32) for the connection ctx describes (its
 * version must be TT_CTX_VERSION). Returns enum tt_offload_result, or
 * TT_EINVAL (bad record) / TT_EEXIST (already offloaded). */
int tt_offload(struct tt_host *h, const struct tt_ctx *ctx);

/* Block 414: move the offloaded connection of rec onto card `to`.
 * Returns TT_OFFLOAD_OK (rec now on `to`, new slot) or
 * TT_OFFLOAD_SOFTWARE (import refused: rec not offloaded, NID = to, the
 * context went to ops.upload), or TT_EINVAL if rec is not offloaded.
 * Logged in h->rlog with its latency. rec stays valid. */
int tt_reload(struct tt_host *h, struct tt_rec *rec, unsigned int to);

/* Back to software: export (or rebuild), flag cleared, context to
 * ops.upload with `why`. TT_EINVAL if not offloaded. rec stays valid. */
int tt_upload(struct tt_host *h, struct tt_rec *rec, int why);

/* The context of an offloaded connection as the host can rebuild it
 * without its card: the last imported record with the shadow's rcv_nxt
 * and snd_una, snd_nxt = snd_una (go-back-N), loss-window cwnd. */
void tt_reload_rebuild(struct tt_host *h, const struct tt_rec *rec,
		       struct tt_ctx *ctx);

#endif
