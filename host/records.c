/* SPDX-License-Identifier: MIT */
/*
 * Connection records: a Robin Hood hash table (see records.h for the
 * layout). Invariants, for every occupied slot i with home h(i):
 *  - rec[i].dist == (i - h(i)) mod nb + 1;
 *  - along a run, homes never decrease (mod nb), so a lookup may stop at
 *    the first entry closer to its home than the key would be: the key
 *    would have displaced it.
 * Insert shifts the tail of the run right by one slot; delete shifts the
 * entries behind the hole back by one (backward shift), so there are no
 * tombstones and probe lengths do not degrade under churn.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "teamtoe/aging.h"
#include "teamtoe/card.h"
#include "teamtoe/records.h"
#include "teamtoe/team.h"

#define REC_BULK 32

static void *rec_alloc(size_t bytes, size_t *got);
static void rec_free(void *p, size_t bytes);
static inline uint32_t rec_home(const struct tt_records *tab, uint64_t h);
static inline int rec_eq(const struct tt_rec *e, const struct tt_tuple *t);
static inline struct tt_rec *rec_probe(struct tt_records *tab,
				       const struct tt_tuple *t, uint64_t h);
static void rec_relocate(struct tt_records *tab, uint32_t from, uint32_t to);
static int rec_shadow_index(const struct tt_records *tab, unsigned int nid,
			    unsigned int slot, uint32_t *idx);

/* Large arrays straight from mmap (page-rounded, zeroed) with
 * transparent huge pages requested: a lookup is one random access into
 * tens of MB, and a TLB miss per lookup would cost as much as the cache
 * miss. Small ones from aligned_alloc. *got counts what we asked for. */
#define REC_BIG (1u << 21)

static void *rec_alloc(size_t bytes, size_t *got)
{
	size_t n;
	void *p;

	if (bytes >= REC_BIG) {
		n = (bytes + 4095) & ~(size_t)4095;
		p = mmap(NULL, n, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		(void)madvise(p, n, MADV_HUGEPAGE);
	} else {
		n = (bytes + 63) & ~(size_t)63;
		p = aligned_alloc(64, n ? n : 64);
		if (!p)
			return NULL;
		memset(p, 0, n);
	}
	*got += n;
	return p;
}

static void rec_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes >= REC_BIG)
		munmap(p, (bytes + 4095) & ~(size_t)4095);
	else
		free(p);
}

/* SipHash-1-3 of the 12 canonical bytes, unrolled: block 1 is saddr and
 * daddr, the final block sport, dport and the length 12 in its top byte.
 * tests/unit/test_records.c checks it against tt_siphash13(). */
#define REC_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define REC_SIPROUND do {						\
	v0 += v1; v1 = REC_ROTL(v1, 13); v1 ^= v0; v0 = REC_ROTL(v0, 32); \
	v2 += v3; v3 = REC_ROTL(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = REC_ROTL(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = REC_ROTL(v1, 17); v1 ^= v2; v2 = REC_ROTL(v2, 32); \
} while (0)

static inline uint64_t rec_hash(const struct tt_sipkey *key,
				const struct tt_tuple *t)
{
	uint64_t v0 = key->k0 ^ 0x736f6d6570736575ull;
	uint64_t v1 = key->k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = key->k0 ^ 0x6c7967656e657261ull;
	uint64_t v3 = key->k1 ^ 0x7465646279746573ull;
	uint64_t m0 = (uint64_t)t->saddr | (uint64_t)t->daddr << 32;
	uint64_t m1 = (uint64_t)t->sport | (uint64_t)t->dport << 16 |
		      (uint64_t)12 << 56;

	v3 ^= m0;
	REC_SIPROUND;
	v0 ^= m0;
	v3 ^= m1;
	REC_SIPROUND;
	v0 ^= m1;
	v2 ^= 0xff;
	REC_SIPROUND;
	REC_SIPROUND;
	REC_SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t tt_records_hash(const struct tt_records *tab, const struct tt_tuple *t)
{
	return rec_hash(&tab->key, t);
}

/* Home slot: the hash's top 32 bits scaled onto [0, nb) (Lemire's
 * multiply-shift), so nb need not be a power of two. */
static inline uint32_t rec_home(const struct tt_records *tab, uint64_t h)
{
	return (uint32_t)(((h >> 32) * (uint64_t)tab->nb) >> 32);
}

/* The entry holds the tuple t (whose daddr the caller checked). */
static inline int rec_eq(const struct tt_rec *e, const struct tt_tuple *t)
{
	return e->saddr == t->saddr && e->sport == t->sport &&
	       e->dport == t->dport;
}

static inline uint32_t rec_next(const struct tt_records *tab, uint32_t i)
{
	return ++i == tab->nb ? 0 : i;
}

void tt_records_params_from_team(const struct tt_team_config *cfg,
				 struct tt_records_params *p)
{
	unsigned int i, nid = 0;

	memset(p, 0, sizeof(*p));
	p->capacity = cfg->max_conns;
	p->local_ip = cfg->ipv4;
	/* NID = position in the team's member list, which holds the enabled
	 * cards only (tt_team_open skips disabled ones). */
	for (i = 0; i < cfg->n_cards && nid < TT_RECORDS_MAX_NIDS; i++)
		if (cfg->cards[i].enabled)
			p->nid_slots[nid++] = cfg->cards[i].conn_slots;
}

int tt_records_new(struct tt_records **out, const struct tt_records_params *p)
{
	struct tt_records *tab;
	uint64_t nb, shadow = 0;
	size_t bytes = 0;
	unsigned int i;
	int r;

	*out = NULL;
	if (!p || p->capacity == 0 || p->capacity > TT_RECORDS_MAX_CAPACITY)
		return TT_EINVAL;
	for (i = 0; i < TT_RECORDS_MAX_NIDS; i++) {
		if (p->nid_slots[i] > 65536u)
			return TT_EINVAL;
		shadow += p->nid_slots[i];
	}
	/* load factor at most 4/5 */
	nb = (uint64_t)p->capacity + ((uint64_t)p->capacity + 3) / 4;

	tab = calloc(1, sizeof(*tab));
	if (!tab)
		return TT_ENOMEM;
	bytes += sizeof(*tab);
	tab->nb = (uint32_t)nb;
	tab->capacity = p->capacity;
	tab->local_ip = p->local_ip;
	for (i = 0; i < TT_RECORDS_MAX_NIDS; i++)
		tab->shadow_base[i + 1] = tab->shadow_base[i] + p->nid_slots[i];

	if (p->key) {
		tab->key = *p->key;
	} else {
		r = tt_sipkey_random(&tab->key);
		if (r < 0) {
			r = TT_EINVAL;
			goto err_tab;
		}
	}

	r = TT_ENOMEM;
	tab->rec = rec_alloc(nb * sizeof(*tab->rec), &bytes);
	if (!tab->rec)
		goto err_tab;
	tab->age = rec_alloc(nb * sizeof(*tab->age), &bytes);
	if (!tab->age)
		goto err_rec;
	if (shadow) {
		tab->shadow = rec_alloc(shadow * sizeof(*tab->shadow), &bytes);
		if (!tab->shadow)
			goto err_age;
	}
	/* rec[] is zero (all slots empty); unlinked is next = prev = NIL */
	memset(tab->age, 0xff, nb * sizeof(*tab->age));
	tab->bytes = bytes;
	*out = tab;
	return 0;

err_age:
	rec_free(tab->age, nb * sizeof(*tab->age));
err_rec:
	rec_free(tab->rec, nb * sizeof(*tab->rec));
err_tab:
	free(tab);
	return r;
}

void tt_records_free(struct tt_records *tab)
{
	if (!tab)
		return;
	assert(!tab->aging && "tt_records_free: free the aging wheel first");
	rec_free(tab->shadow, (size_t)tab->shadow_base[TT_RECORDS_MAX_NIDS] *
		 sizeof(*tab->shadow));
	rec_free(tab->age, (size_t)tab->nb * sizeof(*tab->age));
	rec_free(tab->rec, (size_t)tab->nb * sizeof(*tab->rec));
	free(tab);
}

size_t tt_records_bytes(const struct tt_records *tab)
{
	return tab->bytes;
}

static inline struct tt_rec *rec_probe(struct tt_records *tab,
				       const struct tt_tuple *t, uint64_t h)
{
	uint32_t i = rec_home(tab, h);
	unsigned int d;

	if (t->daddr != tab->local_ip)
		return NULL;
	for (d = 1;; d++) {
		struct tt_rec *e = &tab->rec[i];

		if (e->dist < d)      /* empty, or closer to home than we'd be */
			return NULL;
		if (rec_eq(e, t))
			return e;
		i = rec_next(tab, i);
	}
}

struct tt_rec *tt_records_lookup(struct tt_records *tab,
				 const struct tt_tuple *t)
{
	return rec_probe(tab, t, rec_hash(&tab->key, t));
}

void tt_records_lookup_bulk(struct tt_records *tab, const struct tt_tuple *t,
			    unsigned int n, struct tt_rec **out)
{
	uint64_t h[REC_BULK];
	unsigned int i, k, m;

	for (i = 0; i < n; i += m) {
		m = n - i < REC_BULK ? n - i : REC_BULK;
		for (k = 0; k < m; k++) {
			h[k] = rec_hash(&tab->key, &t[i + k]);
			/* the home slot and the next: runs average ~5 slots */
			__builtin_prefetch(&tab->rec[rec_home(tab, h[k])]);
			__builtin_prefetch(&tab->rec[rec_home(tab, h[k])] + 4);
		}
		for (k = 0; k < m; k++)
			out[i + k] = rec_probe(tab, &t[i + k], h[k]);
	}
}

/* Move the entry at `from` to `to` (both arrays) and tell the wheel. */
static void rec_relocate(struct tt_records *tab, uint32_t from, uint32_t to)
{
	tab->rec[to] = tab->rec[from];
	tab->age[to] = tab->age[from];
	if (tab->aging)
		tt_aging_relocated(tab->aging, from, to);
}

int tt_records_insert(struct tt_records *tab, const struct tt_tuple *t,
		      unsigned int nid, unsigned int state, uint64_t now_ms,
		      struct tt_rec **out)
{
	uint32_t i, p, j, k;
	unsigned int d;
	uint64_t h;

	if (out)
		*out = NULL;
	if (nid >= TT_RECORDS_MAX_NIDS || state >= TT_AGE_N_STATES ||
	    t->daddr != tab->local_ip)
		return TT_EINVAL;

	h = rec_hash(&tab->key, t);
	i = rec_home(tab, h);
	for (d = 1;; d++) {
		struct tt_rec *e = &tab->rec[i];

		if (e->dist < d)
			break;
		if (rec_eq(e, t)) {
			if (out)
				*out = e;
			return TT_EEXIST;
		}
		i = rec_next(tab, i);
	}
	if (tab->count >= tab->capacity) {
		tab->stats.full++;
		return TT_EFULL;
	}
	if (d > TT_RECORDS_MAX_DIST + 1)
		goto err_dist;

	/* i is where the new entry goes; the run from i to the first empty
	 * slot j moves right by one, each one slot further from home. */
	p = i;
	for (j = p; tab->rec[j].dist; j = rec_next(tab, j)) {
		if (tab->rec[j].dist > TT_RECORDS_MAX_DIST)
			goto err_dist;
	}
	for (k = j; k != p; k = (k == 0 ? tab->nb - 1 : k - 1)) {
		uint32_t from = k == 0 ? tab->nb - 1 : k - 1;

		rec_relocate(tab, from, k);
		tab->rec[k].dist++;
		if (tab->rec[k].dist - 1u > tab->stats.max_dist)
			tab->stats.max_dist = tab->rec[k].dist - 1u;
	}

	tab->rec[p].saddr = t->saddr;
	tab->rec[p].sport = t->sport;
	tab->rec[p].dport = t->dport;
	tab->rec[p].card_slot = TT_SLOT_NONE;
	tab->rec[p].info = (uint8_t)(nid | state << TT_REC_STATE_SHIFT);
	tab->rec[p].dist = (uint8_t)d;
	tab->age[p].last_seen = (uint32_t)now_ms;
	tab->age[p].next = TT_REC_NIL;
	tab->age[p].prev = TT_REC_NIL;
	if (d - 1u > tab->stats.max_dist)
		tab->stats.max_dist = d - 1u;
	tab->count++;
	tab->stats.inserts++;
	if (tab->aging)
		tt_aging_arm(tab->aging, p, now_ms);
	if (out)
		*out = &tab->rec[p];
	return 0;

err_dist:
	tab->stats.dist_full++;
	return TT_EFULL;
}

void tt_records_remove(struct tt_records *tab, struct tt_rec *rec)
{
	uint32_t i = tt_records_pos(tab, rec), j;

	assert(i < tab->nb && rec->dist && "tt_records_remove: not a record");
	if (tab->aging)
		tt_aging_unlink(tab->aging, i);
	for (j = rec_next(tab, i); tab->rec[j].dist > 1; j = rec_next(tab, j)) {
		rec_relocate(tab, j, i);
		tab->rec[i].dist--;
		i = j;
	}
	memset(&tab->rec[i], 0, sizeof(tab->rec[i]));
	tab->age[i].next = TT_REC_NIL;
	tab->age[i].prev = TT_REC_NIL;
	tab->count--;
	tab->stats.deletes++;
}

int tt_records_delete(struct tt_records *tab, const struct tt_tuple *t)
{
	struct tt_rec *rec = tt_records_lookup(tab, t);

	if (!rec)
		return TT_ENOTFOUND;
	tt_records_remove(tab, rec);
	return 0;
}

void tt_records_touch(struct tt_records *tab, struct tt_rec *rec,
		      uint64_t now_ms)
{
	tab->age[tt_records_pos(tab, rec)].last_seen = (uint32_t)now_ms;
}

int tt_records_set_state(struct tt_records *tab, struct tt_rec *rec,
			 unsigned int state, uint64_t now_ms)
{
	uint32_t pos = tt_records_pos(tab, rec);

	if (state >= TT_AGE_N_STATES)
		return TT_EINVAL;
	rec->info = (uint8_t)((rec->info & ~(7u << TT_REC_STATE_SHIFT)) |
			      state << TT_REC_STATE_SHIFT);
	tab->age[pos].last_seen = (uint32_t)now_ms;
	if (tab->aging) {
		tt_aging_unlink(tab->aging, pos);
		tt_aging_arm(tab->aging, pos, now_ms);
	}
	return 0;
}

int tt_records_set_nid(struct tt_records *tab, struct tt_rec *rec,
		       unsigned int nid)
{
	(void)tab;
	if (nid >= TT_RECORDS_MAX_NIDS || tt_rec_offloaded(rec))
		return TT_EINVAL;
	rec->info = (uint8_t)((rec->info & ~TT_REC_NID_MASK) | nid);
	return 0;
}

static int rec_shadow_index(const struct tt_records *tab, unsigned int nid,
			    unsigned int slot, uint32_t *idx)
{
	if (nid >= TT_RECORDS_MAX_NIDS ||
	    slot >= tab->shadow_base[nid + 1] - tab->shadow_base[nid])
		return TT_EINVAL;
	*idx = tab->shadow_base[nid] + slot;
	return 0;
}

int tt_records_offload(struct tt_records *tab, struct tt_rec *rec,
		       unsigned int nid, unsigned int card_slot,
		       const struct tt_shadow *sh)
{
	uint32_t idx;

	if (tt_rec_offloaded(rec))
		return TT_EEXIST;
	if (rec_shadow_index(tab, nid, card_slot, &idx))
		return TT_EINVAL;
	if (sh)
		tab->shadow[idx] = *sh;
	else
		memset(&tab->shadow[idx], 0, sizeof(tab->shadow[idx]));
	rec->info = (uint8_t)((rec->info & ~TT_REC_NID_MASK) | nid |
			      TT_REC_OFFLOADED);
	rec->card_slot = (uint16_t)card_slot;
	return 0;
}

int tt_records_move(struct tt_records *tab, struct tt_rec *rec,
		    unsigned int nid, unsigned int card_slot)
{
	uint32_t from, to;

	if (!tt_rec_offloaded(rec))
		return TT_EINVAL;
	if (rec_shadow_index(tab, nid, card_slot, &to) ||
	    rec_shadow_index(tab, tt_rec_nid(rec), rec->card_slot, &from))
		return TT_EINVAL;
	tab->shadow[to] = tab->shadow[from];
	rec->info = (uint8_t)((rec->info & ~TT_REC_NID_MASK) | nid);
	rec->card_slot = (uint16_t)card_slot;
	return 0;
}

int tt_records_upload(struct tt_records *tab, struct tt_rec *rec)
{
	(void)tab;
	if (!tt_rec_offloaded(rec))
		return TT_EINVAL;
	rec->info &= (uint8_t)~TT_REC_OFFLOADED;
	rec->card_slot = TT_SLOT_NONE;
	return 0;
}

struct tt_shadow *tt_records_shadow(struct tt_records *tab,
				    const struct tt_rec *rec)
{
	uint32_t idx;

	if (!tt_rec_offloaded(rec) ||
	    rec_shadow_index(tab, tt_rec_nid(rec), rec->card_slot, &idx))
		return NULL;
	return &tab->shadow[idx];
}

struct tt_rec *tt_records_next(struct tt_records *tab, uint32_t *pos)
{
	for (; *pos < tab->nb; (*pos)++) {
		if (tab->rec[*pos].dist)
			return &tab->rec[(*pos)++];
	}
	return NULL;
}
