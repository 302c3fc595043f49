/* SPDX-License-Identifier: MIT */
/*
 * The switch's forwarding database: which port (or the link aggregate) a
 * unicast MAC address was last seen on. Bounded and aging, like a
 * hardware MAC table: FDB_WAYS-way buckets under a keyed hash, so that a
 * station flooding the switch with made-up source addresses can fill only
 * the buckets it hits, and a full bucket refuses to learn (the switch then
 * floods that destination) instead of evicting a live entry.
 *
 * Internal to the switch model (sw-model/switch*.c).
 */
#ifndef TT_MODEL_SWITCH_FDB_H
#define TT_MODEL_SWITCH_FDB_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/siphash.h"

#define FDB_WAYS 4u

/* Where a learned address lives: a port number, or FDB_TARGET_LAG for the
 * link aggregate as a whole (never one of its members). */
#define FDB_TARGET_LAG 0xffffu

struct fdb_entry {
	uint8_t mac[6];
	uint16_t target;    /* port or FDB_TARGET_LAG */
	uint8_t valid;
	uint64_t last_seen; /* switch cycle of the last frame from mac */
};

struct fdb {
	struct fdb_entry *e;
	uint32_t buckets;   /* power of two */
	uint64_t age;       /* cycles an entry lives without traffic, 0: for ever */
	struct tt_sipkey key;
};

enum fdb_learn_result {
	FDB_LEARN_REFRESHED = 0, /* known, same target */
	FDB_LEARN_NEW       = 1,
	FDB_LEARN_MOVED     = 2, /* known, now on another target */
	FDB_LEARN_FULL      = -1, /* bucket full of live entries: not learned */
};

/* entries is rounded up to a power of two, at least FDB_WAYS. Returns 0 or
 * -1 (out of memory, or entries of 0). */
int fdb_init(struct fdb *t, uint32_t entries, uint64_t age_cycles,
	     const struct tt_sipkey *key);
void fdb_free(struct fdb *t);

/* Record that mac was seen on target at time now. */
int fdb_learn(struct fdb *t, const uint8_t mac[6], uint16_t target,
	      uint64_t now);
/* The target of mac, or -1 if unknown or aged out at time now. */
int fdb_lookup(const struct fdb *t, const uint8_t mac[6], uint64_t now);
/* Forget every entry pointing at target (its link went down); returns how
 * many were forgotten. */
unsigned int fdb_flush_target(struct fdb *t, uint16_t target);
/* Live entries at time now. */
unsigned int fdb_count(const struct fdb *t, uint64_t now);

#endif
