/* SPDX-License-Identifier: MIT */
/* The switch's MAC learning table (see switch_fdb.h). */
#include <stdlib.h>
#include <string.h>

#include "switch_fdb.h"

static int fdb_live(const struct fdb *t, const struct fdb_entry *e,
		    uint64_t now)
{
	if (!e->valid)
		return 0;
	return t->age == 0 || now - e->last_seen < t->age;
}

static struct fdb_entry *fdb_bucket(const struct fdb *t, const uint8_t mac[6])
{
	uint64_t h = tt_siphash13(&t->key, mac, 6);

	return &t->e[(h & (t->buckets - 1)) * FDB_WAYS];
}

int fdb_init(struct fdb *t, uint32_t entries, uint64_t age_cycles,
	     const struct tt_sipkey *key)
{
	uint32_t buckets = 1;

	memset(t, 0, sizeof(*t));
	if (entries == 0 || entries > (1u << 24))
		return -1;
	while (buckets * FDB_WAYS < entries)
		buckets <<= 1;
	t->e = calloc((size_t)buckets * FDB_WAYS, sizeof(*t->e));
	if (!t->e)
		return -1;
	t->buckets = buckets;
	t->age = age_cycles;
	t->key = *key;
	return 0;
}

void fdb_free(struct fdb *t)
{
	free(t->e);
	t->e = NULL;
}

int fdb_learn(struct fdb *t, const uint8_t mac[6], uint16_t target,
	      uint64_t now)
{
	struct fdb_entry *b = fdb_bucket(t, mac), *free_way = NULL;
	unsigned int i;

	for (i = 0; i < FDB_WAYS; i++) {
		struct fdb_entry *e = &b[i];

		if (fdb_live(t, e, now) && memcmp(e->mac, mac, 6) == 0) {
			int moved = e->target != target;

			e->target = target;
			e->last_seen = now;
			return moved ? FDB_LEARN_MOVED : FDB_LEARN_REFRESHED;
		}
		if (!free_way && !fdb_live(t, e, now))
			free_way = e;
	}
	if (!free_way)
		return FDB_LEARN_FULL;
	memcpy(free_way->mac, mac, 6);
	free_way->target = target;
	free_way->valid = 1;
	free_way->last_seen = now;
	return FDB_LEARN_NEW;
}

int fdb_lookup(const struct fdb *t, const uint8_t mac[6], uint64_t now)
{
	const struct fdb_entry *b = fdb_bucket(t, mac);
	unsigned int i;

	for (i = 0; i < FDB_WAYS; i++)
		if (fdb_live(t, &b[i], now) && memcmp(b[i].mac, mac, 6) == 0)
			return b[i].target;
	return -1;
}

unsigned int fdb_flush_target(struct fdb *t, uint16_t target)
{
	size_t i, n = (size_t)t->buckets * FDB_WAYS;
	unsigned int flushed = 0;

	for (i = 0; i < n; i++) {
		if (t->e[i].valid && t->e[i].target == target) {
			t->e[i].valid = 0;
			flushed++;
		}
	}
	return flushed;
}

unsigned int fdb_count(const struct fdb *t, uint64_t now)
{
	size_t i, n = (size_t)t->buckets * FDB_WAYS;
	unsigned int live = 0;

	for (i = 0; i < n; i++)
		live += (unsigned int)fdb_live(t, &t->e[i], now);
	return live;
}
