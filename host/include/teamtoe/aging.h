/* SPDX-License-Identifier: MIT */
/*
 * Aging of connection records (seed ¶34): a record idle for longer than
 * the timeout of its state is removed, through a callback that lets the
 * caller upload or export an offloaded connection first.
 *
 * Timeouts default to Linux nf_conntrack's TCP defaults
 * (net/netfilter/nf_conntrack_proto_tcp.c): SYN_SENT 120 s, SYN_RECV 60 s,
 * ESTABLISHED 5 days, FIN_WAIT and TIME_WAIT 120 s, CLOSE_WAIT 60 s,
 * LAST_ACK 30 s, CLOSE 10 s; software-path flows the generic 600 s.
 *
 * Host time is milliseconds (uint64_t now_ms). The wheel turns in ticks
 * of tick_ms (default 1000): a record idle since L expires at the first
 * tick t with t * tick_ms >= L + timeout.
 *
 * The wheel is hierarchical (5 levels of 64 buckets, level l one bucket
 * per 64^l ticks) with intrusive doubly-linked lists in the records'
 * struct tt_rec_age, so arm, disarm and moves are O(1). A record sits in
 * the bucket of its deadline at the coarsest level whose span covers it;
 * when that bucket comes due the record is looked at once: expired, or
 * re-placed at a finer level, or (if it was touched since) at its new
 * deadline. Activity only writes last_seen (no list work on the packet
 * path). A tick therefore visits only the records due in that tick's
 * buckets, never the table: at most 5 lookups per record and deadline.
 */
#ifndef TEAMTOE_AGING_H
#define TEAMTOE_AGING_H

#include <stdint.h>

#include "teamtoe/records.h"

#define TT_AGING_LEVELS 5
#define TT_AGING_BITS   6
#define TT_AGING_SLOTS  (1u << TT_AGING_BITS)

struct tt_aging_params {
	uint32_t tick_ms;                        /* wheel resolution, >= 1 */
	uint32_t timeout_ms[TT_AGE_N_STATES];    /* each in 1 .. 2^31 - 1 */
};

/* Called for an expired record before it is removed. Return 0 to have it
 * removed, > 0 to keep it (it is touched: a full timeout again). It must
 * not insert or delete records. */
typedef int (*tt_aging_expire_fn)(void *arg, struct tt_records *tab,
				  struct tt_rec *rec);

struct tt_aging_stats {
	uint64_t ticks;       /* ticks processed */
	uint64_t visits;      /* records looked at in due buckets */
	uint64_t expired;     /* removed */
	uint64_t kept;        /* callback asked to keep */
	uint32_t max_visits;  /* most records looked at in one tick */
};

struct tt_aging {
	struct tt_records *tab;
	struct tt_aging_params p;
	tt_aging_expire_fn expire;
	void *arg;
	uint64_t cur;         /* last tick processed */
	uint32_t linked;      /* records in the wheel */
	uint32_t head[TT_AGING_LEVELS][TT_AGING_SLOTS];
	struct tt_aging_stats stats;
};

void tt_aging_params_default(struct tt_aging_params *p);
const char *tt_age_state_str(unsigned int state);

/* Attach a wheel to a table (at most one); records already in the table
 * are armed as last seen at now_ms. Returns 0, TT_EINVAL, TT_EBUSY (the
 * table has a wheel) or TT_ENOMEM. */
int tt_aging_new(struct tt_aging **ag, struct tt_records *tab,
		 const struct tt_aging_params *p, uint64_t now_ms,
		 tt_aging_expire_fn expire, void *arg);
/* Detach and free. */
void tt_aging_free(struct tt_aging *ag);

/* Process every tick up to now_ms. Returns the number removed. Call it
 * at least once a day (last-seen times are 32-bit milliseconds). */
unsigned int tt_aging_advance(struct tt_aging *ag, uint64_t now_ms);

/* The tick at which a record expires if it stays idle. */
uint64_t tt_aging_deadline(const struct tt_aging *ag, uint32_t pos,
			   uint64_t now_ms);

/* For records.c: keep the wheel in step with the table. */
void tt_aging_arm(struct tt_aging *ag, uint32_t pos, uint64_t now_ms);
void tt_aging_unlink(struct tt_aging *ag, uint32_t pos);
/* The entry at `from` now lives at `to` (already copied). */
void tt_aging_relocated(struct tt_aging *ag, uint32_t from, uint32_t to);

#endif
