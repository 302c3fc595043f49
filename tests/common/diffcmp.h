/* SPDX-License-Identifier: MIT */
/*
 * Differential comparison of two cards' output streams. Each backend's
 * items are queued per stream and compared in order as soon as both sides
 * have produced item k; the first divergence stops the run with its stream,
 * index, byte offset, both values and the seed, and both streams' recent
 * items are written as pcap files for a human to open.
 */
#ifndef TT_TEST_DIFFCMP_H
#define TT_TEST_DIFFCMP_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"

/* Frames to the wire are two streams, the host's raw frames and the TCP
 * engine's, and events two, LINK and the engine's (ACKED, RETRANS):
 * within each the order is the inputs', across them the card's
 * arbitration decides. Trace items (revision 1.3) are a stream of their
 * own, added by the caller (diffrun). */
enum diff_stream {
	DIFF_NET_TX, DIFF_DMA_WRITE, DIFF_EVENT, DIFF_CTX, DIFF_COUNTERS,
	DIFF_NET_TX_ENGINE, DIFF_EVENT_LINK, DIFF_TRACE, DIFF_RD_REQ, DIFF_STREAMS
};

struct diffcmp;

/* names[0], names[1]: the two sides ("rtl", "model"). outdir receives the
 * pcap files on a mismatch. */
struct diffcmp *diffcmp_new(const char *names[2], uint64_t seed, const char *outdir);
void diffcmp_free(struct diffcmp *d);

/* Drain every output of card c (side 0 or 1) into the comparer. With
 * probability ready_pct per stream (0..100) the host takes outputs this
 * time; below 100 this is back-pressure. Returns 0, or -1 on mismatch. */
int diffcmp_drain(struct diffcmp *d, int side, struct tt_card *c,
		  uint64_t *rng_state, unsigned ready_pct);

/* Add one item of a stream from one side; compares at once when the
 * other side has item k too. Returns 0, or -1 on mismatch. */
int diffcmp_add(struct diffcmp *d, int side, enum diff_stream s,
		const uint8_t *p, size_t len);

/* A DMA write as compared: this many descriptor bytes (kind, reason,
 * len LE16, slot LE16, seq LE32, 2 zero), then its data. An event: type,
 * slot LE16, value LE32. A trace item: kind, slot LE16, order LE32, value
 * LE32. A DMA read request: slot LE16, len LE16, seq LE32. */
#define DIFFCMP_DESC_BYTES 12

/* Watch side 0's items as they are added (a test learning what the card
 * did); fn NULL stops it. */
void diffcmp_observe(struct diffcmp *d,
		     void (*fn)(void *arg, enum diff_stream st,
				const uint8_t *p, size_t len),
		     void *arg);

/* Compare all counters of both cards (reads registers). */
int diffcmp_counters(struct diffcmp *d, struct tt_card *c[2]);

/* After both cards are idle and drained: every stream must be exhausted on
 * both sides. Returns 0 or -1. */
int diffcmp_finish(struct diffcmp *d);

/* Items compared so far on a stream. */
uint64_t diffcmp_count(const struct diffcmp *d, enum diff_stream s);

#endif
