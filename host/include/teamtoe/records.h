/* SPDX-License-Identifier: MIT */
/*
 * Connection records (seed Fig. 3): 4-tuple -> NID, offload flag, slot on
 * that card, last-seen time, and a shadow of what the host can know about
 * an offloaded connection (delivered rcv_nxt, acked snd_una, negotiated
 * options) so that it can be rebuilt when its card is dead.
 *
 * A Robin Hood open-addressing table (linear probing, backward-shift
 * deletion, no tombstones) keyed by SipHash-1-3 with a random key, so a
 * remote peer cannot choose colliding tuples. Every array is allocated in
 * tt_records_new(); nothing is allocated afterwards.
 *
 * Layout, per table slot (slots = capacity * 5/4, rounded up: load at
 * most 4/5, so probe runs stay short for misses too):
 *   struct tt_rec      12 B  peer address and both ports 8, card slot 2,
 *                            nid/offload/state 1, probe distance 1 (the
 *                            only array a lookup touches). The team has
 *                            one IPv4 address, the daddr of every record:
 *                            the table keeps it once (local_ip), not per
 *                            record.
 *   struct tt_rec_age  12 B  last-seen (ms, 32-bit serial), timer-wheel
 *                            links (aging.c)
 * plus one struct tt_shadow (16 B) per card slot of the team, indexed by
 * (NID, card slot): only offloaded connections have one, and a card slot
 * holds at most one connection. tt_records_bytes() is all of it.
 *
 * A record pointer stays valid until the next insert or delete (entries
 * move: Robin Hood displacement and backward shift).
 */
#ifndef TEAMTOE_RECORDS_H
#define TEAMTOE_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/siphash.h"

struct tt_team_config;
struct tt_aging;

#define TT_RECORDS_MAX_NIDS     16u          /* NID is 4 bits */
#define TT_RECORDS_MAX_CAPACITY (1u << 28)
#define TT_RECORDS_MAX_DIST     254u         /* longest probe distance */
#define TT_REC_NIL              0xffffffffu

/* The 4-tuple as the host sees it: s* = the peer (source of received
 * packets), d* = the team. Host byte order. Hashed as the 12 bytes
 * saddr, daddr, sport, dport, each little-endian. */
struct tt_tuple {
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
};

/* Aging states (aging.c gives each its idle timeout). */
enum tt_age_state {
	TT_AGE_SYN_SENT    = 0, /* we sent a SYN */
	TT_AGE_SYN_RECV    = 1, /* a SYN seen from the peer */
	TT_AGE_ESTABLISHED = 2,
	TT_AGE_FIN_WAIT    = 3, /* we sent FIN (also TIME_WAIT: same timeout) */
	TT_AGE_CLOSE_WAIT  = 4, /* the peer sent FIN */
	TT_AGE_LAST_ACK    = 5, /* both FINs, ours unacked */
	TT_AGE_CLOSE       = 6, /* RST seen */
	TT_AGE_SOFTWARE    = 7, /* not TCP-offload: a software-path flow */
	TT_AGE_N_STATES    = 8,
};

/* Hot part of a record: the only thing a lookup reads. */
struct tt_rec {
	uint32_t saddr;      /* the peer; daddr is the table's local_ip */
	uint16_t sport;
	uint16_t dport;
	uint16_t card_slot;  /* slot on card `nid`, if offloaded */
	uint8_t info;        /* bits 0-3 nid, bit 4 offloaded, bits 5-7 state */
	uint8_t dist;        /* 0: empty slot; else probe distance + 1 */
};

/* Cold part, parallel to the hot array. */
struct tt_rec_age {
	uint32_t last_seen;  /* ms, low 32 bits; compare with serial arithmetic */
	uint32_t next, prev; /* timer-wheel list; prev == TT_REC_NIL: unlinked */
};

/* Shadow of an offloaded connection. */
struct tt_shadow {
	uint32_t rcv_nxt;    /* delivered to the application up to here */
	uint32_t snd_una;    /* acked by the peer up to here */
	uint16_t mss;
	uint8_t snd_wscale;
	uint8_t rcv_wscale;
	uint8_t opts;        /* enum tt_shadow_opt */
	uint8_t pad[3];
};

enum tt_shadow_opt {
	TT_SHADOW_TS    = 1u << 0, /* timestamps negotiated */
	TT_SHADOW_SACK  = 1u << 1,
	TT_SHADOW_WSCALE = 1u << 2,
};

#define TT_REC_NID_MASK  0x0fu
#define TT_REC_OFFLOADED 0x10u
#define TT_REC_STATE_SHIFT 5

static inline unsigned int tt_rec_nid(const struct tt_rec *r)
{
	return r->info & TT_REC_NID_MASK;
}

static inline int tt_rec_offloaded(const struct tt_rec *r)
{
	return !!(r->info & TT_REC_OFFLOADED);
}

static inline unsigned int tt_rec_state(const struct tt_rec *r)
{
	return r->info >> TT_REC_STATE_SHIFT;
}

struct tt_records_params {
	uint32_t capacity;                         /* records (max_conns) */
	uint32_t local_ip;                         /* the team's IPv4 address */
	uint32_t nid_slots[TT_RECORDS_MAX_NIDS];   /* card slots per NID */
	const struct tt_sipkey *key;               /* NULL: random (getrandom) */
};

struct tt_records_stats {
	uint64_t inserts, deletes;
	uint64_t full;        /* inserts refused: table at capacity */
	uint64_t dist_full;   /* inserts refused: probe distance limit */
	uint32_t max_dist;    /* longest probe distance seen */
};

struct tt_records {
	struct tt_rec *rec;        /* nb slots */
	struct tt_rec_age *age;    /* nb slots */
	struct tt_shadow *shadow;  /* shadow_base[TT_RECORDS_MAX_NIDS] */
	uint32_t nb;               /* table slots */
	uint32_t local_ip;         /* daddr of every record */
	uint32_t capacity;
	uint32_t count;
	uint32_t shadow_base[TT_RECORDS_MAX_NIDS + 1];
	struct tt_sipkey key;
	struct tt_aging *aging;    /* attached by tt_aging_new(), or NULL */
	size_t bytes;              /* every byte tt_records_new() allocated */
	struct tt_records_stats stats;
};

/* The tuple of a record. */
static inline struct tt_tuple tt_rec_tuple(const struct tt_records *tab,
					   const struct tt_rec *r)
{
	struct tt_tuple t = {
		.saddr = r->saddr, .daddr = tab->local_ip,
		.sport = r->sport, .dport = r->dport,
	};

	return t;
}

/* Capacity from cfg->max_conns, local_ip from cfg->ipv4; NID i = member
 * i, with its conn_slots. */
void tt_records_params_from_team(const struct tt_team_config *cfg,
				 struct tt_records_params *p);

/* Returns 0, TT_EINVAL (capacity 0 or too large) or TT_ENOMEM. */
int tt_records_new(struct tt_records **tab, const struct tt_records_params *p);
void tt_records_free(struct tt_records *tab);

/* Memory per table, all arrays included. */
size_t tt_records_bytes(const struct tt_records *tab);

/* The keyed hash of a tuple (SipHash-1-3 over its 12 canonical bytes). */
uint64_t tt_records_hash(const struct tt_records *tab, const struct tt_tuple *t);

/* 402: the record of a tuple, or NULL (also when t->daddr is not the
 * table's local_ip). */
struct tt_rec *tt_records_lookup(struct tt_records *tab,
				 const struct tt_tuple *t);

/* n lookups at once (hashes first, then prefetch, then probe): the fast
 * path for a burst of packets. out[i] as tt_records_lookup(). */
void tt_records_lookup_bulk(struct tt_records *tab, const struct tt_tuple *t,
			    unsigned int n, struct tt_rec **out);

/* 404: a new record, not offloaded, on `nid`, in aging state `state`,
 * last seen now_ms. Returns 0 with *out set; TT_EEXIST with *out = the
 * existing record; TT_EFULL (capacity reached or probe distance limit,
 * counted in stats); TT_EINVAL (nid or state out of range, or t->daddr
 * not the table's local_ip). */
int tt_records_insert(struct tt_records *tab, const struct tt_tuple *t,
		      unsigned int nid, unsigned int state, uint64_t now_ms,
		      struct tt_rec **out);

/* FIN/RST, aging, faults: remove. TT_ENOTFOUND if absent. */
int tt_records_delete(struct tt_records *tab, const struct tt_tuple *t);
void tt_records_remove(struct tt_records *tab, struct tt_rec *rec);

/* Activity: last seen = now_ms (aging re-arms lazily from this). */
void tt_records_touch(struct tt_records *tab, struct tt_rec *rec,
		      uint64_t now_ms);
/* New aging state (and touch); the timer is re-armed at once. */
int tt_records_set_state(struct tt_records *tab, struct tt_rec *rec,
			 unsigned int state, uint64_t now_ms);

/* 410/412: a non-offloaded connection now arrives on `nid`. */
int tt_records_set_nid(struct tt_records *tab, struct tt_rec *rec,
		       unsigned int nid);

/* Offload to (nid, card_slot) with the given shadow. TT_EINVAL if the
 * NID or the slot is out of range, TT_EEXIST if already offloaded. */
int tt_records_offload(struct tt_records *tab, struct tt_rec *rec,
		       unsigned int nid, unsigned int card_slot,
		       const struct tt_shadow *sh);
/* 414 reload: now on (nid, card_slot); the shadow moves with it. */
int tt_records_move(struct tt_records *tab, struct tt_rec *rec,
		    unsigned int nid, unsigned int card_slot);
/* Upload back to software: clears the flag. */
int tt_records_upload(struct tt_records *tab, struct tt_rec *rec);
/* The shadow of an offloaded record, NULL if not offloaded. */
struct tt_shadow *tt_records_shadow(struct tt_records *tab,
				    const struct tt_rec *rec);

/* Iterate: *pos starts at 0; returns the next record or NULL. Do not
 * insert or delete while iterating (collect tuples first). */
struct tt_rec *tt_records_next(struct tt_records *tab, uint32_t *pos);

static inline uint32_t tt_records_pos(const struct tt_records *tab,
				      const struct tt_rec *rec)
{
	return (uint32_t)(rec - tab->rec);
}

#endif
