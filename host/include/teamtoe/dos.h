/* SPDX-License-Identifier: MIT */
/*
 * Denial-of-service detection (seed ¶35): per source (IPv4 + MAC), count
 * packets for unknown or non-offloaded connections and SYNs in windows of
 * window_ms; a source above a threshold is blocked — its packets dropped
 * at the host — for cooldown_ms. Packets of offloaded connections never
 * reach the host's software path and are not counted, so established
 * offloaded traffic is never affected; a legitimate source below the
 * thresholds always passes.
 *
 * Memory is fixed at creation: a 4-way set-associative table keyed by
 * SipHash-1-3 (random key). A new source takes an empty way, else evicts
 * the way with the fewest packets in the current window (least recent on
 * a tie), preferring sources that are not blocked. A flood of spoofed
 * sources therefore recycles entries and never grows memory; it cannot
 * block anyone (each spoofed source stays under the threshold), and it
 * can only evict a blocked source when all four ways of a set are
 * blocked.
 */
#ifndef TEAMTOE_DOS_H
#define TEAMTOE_DOS_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/siphash.h"

#define TT_DOS_DEF_THRESHOLD_PPS     10000u
#define TT_DOS_DEF_SYN_THRESHOLD_PPS 1000u
#define TT_DOS_DEF_COOLDOWN_MS       10000u
#define TT_DOS_DEF_WINDOW_MS         1000u
#define TT_DOS_DEF_ENTRIES           4096u
#define TT_DOS_WAYS                  4u

enum tt_dos_verdict {
	TT_DOS_PASS = 0,
	TT_DOS_DROP = 1,
};

struct tt_dos_params {
	uint32_t threshold_pps;     /* packets/s per source; above: blocked */
	uint32_t syn_threshold_pps; /* SYNs/s per source; above: blocked */
	uint32_t cooldown_ms;       /* how long a block lasts */
	uint32_t window_ms;         /* counting window */
	uint32_t entries;           /* sources tracked (rounded up to a
				       power of two, at least TT_DOS_WAYS) */
	const struct tt_sipkey *key;/* NULL: random */
};

struct tt_dos_stats {
	uint64_t packets;    /* counted packets */
	uint64_t syns;
	uint64_t dropped;    /* TT_DOS_DROP verdicts */
	uint64_t blocks;     /* times a source became blocked */
	uint64_t evictions;  /* a tracked source replaced by a new one */
	uint64_t blocked_evictions; /* ... while it was blocked */
	uint32_t tracked;    /* sources in the table now */
};

struct tt_dos;

void tt_dos_params_default(struct tt_dos_params *p);
/* Returns 0, TT_EINVAL or TT_ENOMEM. */
int tt_dos_new(struct tt_dos **dos, const struct tt_dos_params *p);
void tt_dos_free(struct tt_dos *dos);

/* Count one packet from (ip, mac) at now_ms; TT_DOS_DROP if the source is
 * blocked (or becomes blocked with this packet). */
int tt_dos_packet(struct tt_dos *dos, uint32_t ip, const uint8_t mac[6],
		  int is_syn, uint64_t now_ms);
/* Is the source blocked at now_ms? Counts nothing. */
int tt_dos_blocked(const struct tt_dos *dos, uint32_t ip, const uint8_t mac[6],
		   uint64_t now_ms);

void tt_dos_stats(const struct tt_dos *dos, struct tt_dos_stats *st);
/* Sources blocked at now_ms (walks the table: for reports, not per packet). */
uint32_t tt_dos_blocked_count(const struct tt_dos *dos, uint64_t now_ms);
/* Bytes allocated, fixed at creation. */
size_t tt_dos_bytes(const struct tt_dos *dos);

#endif
