/* SPDX-License-Identifier: MIT */
/*
 * Aging of connection records: a hierarchical timer wheel over the
 * records' intrusive links (design in aging.h).
 *
 * Level l has 64 buckets of 64^l ticks each. A record with deadline D,
 * placed at tick `cur`, goes to the smallest level l with D - cur < 64^(l+1),
 * bucket (D >> 6l) & 63. That bucket comes due at tick (D >> 6l) << 6l,
 * which is > cur (because D - cur >= 64^l for l >= 1) and <= D, and no
 * other deadline in reach aliases to it before then. Due records are
 * re-placed finer, or expire when their deadline (recomputed from
 * last_seen, so activity re-arms lazily) has come.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "teamtoe/aging.h"
#include "teamtoe/card.h"

#define AGE_HEAD 0x80000000u   /* prev of a list's first entry: head index */

static const char *const age_state_names[TT_AGE_N_STATES] = {
	[TT_AGE_SYN_SENT]    = "SYN_SENT",
	[TT_AGE_SYN_RECV]    = "SYN_RECV",
	[TT_AGE_ESTABLISHED] = "ESTABLISHED",
	[TT_AGE_FIN_WAIT]    = "FIN_WAIT",
	[TT_AGE_CLOSE_WAIT]  = "CLOSE_WAIT",
	[TT_AGE_LAST_ACK]    = "LAST_ACK",
	[TT_AGE_CLOSE]       = "CLOSE",
	[TT_AGE_SOFTWARE]    = "SOFTWARE",
};

static void age_link(struct tt_aging *ag, uint32_t pos, unsigned int level,
		     unsigned int slot);
static void age_place(struct tt_aging *ag, uint32_t pos, uint64_t deadline);
static uint64_t age_deadline(const struct tt_aging *ag, uint32_t pos,
			     uint64_t ref_ms);
static unsigned int age_tick(struct tt_aging *ag, uint64_t now_ms);

const char *tt_age_state_str(unsigned int state)
{
	return state < TT_AGE_N_STATES ? age_state_names[state] : "?";
}

void tt_aging_params_default(struct tt_aging_params *p)
{
	memset(p, 0, sizeof(*p));
	p->tick_ms = 1000;
	p->timeout_ms[TT_AGE_SYN_SENT]    = 120u * 1000;
	p->timeout_ms[TT_AGE_SYN_RECV]    = 60u * 1000;
	p->timeout_ms[TT_AGE_ESTABLISHED] = 432000u * 1000;  /* 5 days */
	p->timeout_ms[TT_AGE_FIN_WAIT]    = 120u * 1000;
	p->timeout_ms[TT_AGE_CLOSE_WAIT]  = 60u * 1000;
	p->timeout_ms[TT_AGE_LAST_ACK]    = 30u * 1000;
	p->timeout_ms[TT_AGE_CLOSE]       = 10u * 1000;
	p->timeout_ms[TT_AGE_SOFTWARE]    = 600u * 1000;
}

int tt_aging_new(struct tt_aging **out, struct tt_records *tab,
		 const struct tt_aging_params *p, uint64_t now_ms,
		 tt_aging_expire_fn expire, void *arg)
{
	struct tt_aging *ag;
	struct tt_rec *rec;
	uint32_t pos = 0;
	unsigned int i;

	*out = NULL;
	if (!tab || !p || p->tick_ms == 0)
		return TT_EINVAL;
	for (i = 0; i < TT_AGE_N_STATES; i++) {
		if (p->timeout_ms[i] == 0 || p->timeout_ms[i] >= (1u << 31))
			return TT_EINVAL;
	}
	if (tab->aging)
		return TT_EBUSY;
	ag = calloc(1, sizeof(*ag));
	if (!ag)
		return TT_ENOMEM;
	ag->tab = tab;
	ag->p = *p;
	ag->expire = expire;
	ag->arg = arg;
	ag->cur = now_ms / p->tick_ms;
	memset(ag->head, 0xff, sizeof(ag->head));
	tab->aging = ag;
	while ((rec = tt_records_next(tab, &pos)) != NULL) {
		uint32_t at = tt_records_pos(tab, rec);

		tab->age[at].last_seen = (uint32_t)now_ms;
		tt_aging_arm(ag, at, now_ms);
	}
	*out = ag;
	return 0;
}

void tt_aging_free(struct tt_aging *ag)
{
	struct tt_records *tab;
	uint32_t i;

	if (!ag)
		return;
	tab = ag->tab;
	for (i = 0; i < tab->nb; i++) {
		tab->age[i].next = TT_REC_NIL;
		tab->age[i].prev = TT_REC_NIL;
	}
	tab->aging = NULL;
	free(ag);
}

static void age_link(struct tt_aging *ag, uint32_t pos, unsigned int level,
		     unsigned int slot)
{
	struct tt_rec_age *age = ag->tab->age;
	uint32_t *head = &ag->head[level][slot];

	age[pos].next = *head;
	age[pos].prev = AGE_HEAD | (level << TT_AGING_BITS | slot);
	if (*head != TT_REC_NIL)
		age[*head].prev = pos;
	*head = pos;
	ag->linked++;
}

void tt_aging_unlink(struct tt_aging *ag, uint32_t pos)
{
	struct tt_rec_age *age = ag->tab->age, *a = &age[pos];

	if (a->prev == TT_REC_NIL)
		return;
	if (a->prev & AGE_HEAD)
		(&ag->head[0][0])[a->prev & ~AGE_HEAD] = a->next;
	else
		age[a->prev].next = a->next;
	if (a->next != TT_REC_NIL)
		age[a->next].prev = a->prev;
	a->next = TT_REC_NIL;
	a->prev = TT_REC_NIL;
	ag->linked--;
}

void tt_aging_relocated(struct tt_aging *ag, uint32_t from, uint32_t to)
{
	struct tt_rec_age *age = ag->tab->age, *a = &age[to];

	(void)from;
	if (a->prev == TT_REC_NIL)
		return;
	if (a->prev & AGE_HEAD)
		(&ag->head[0][0])[a->prev & ~AGE_HEAD] = to;
	else
		age[a->prev].next = to;
	if (a->next != TT_REC_NIL)
		age[a->next].prev = to;
}

/* Deadline tick of the record at pos: the first tick at or after
 * last_seen + timeout. last_seen is the low 32 bits of a time within
 * +-2^31 ms of ref_ms (serial arithmetic). */
static uint64_t age_deadline(const struct tt_aging *ag, uint32_t pos,
			     uint64_t ref_ms)
{
	const struct tt_records *tab = ag->tab;
	int32_t ago = (int32_t)((uint32_t)ref_ms - tab->age[pos].last_seen);
	int64_t last = (int64_t)ref_ms - ago;
	uint64_t dl;

	if (last < 0)
		last = 0;
	dl = (uint64_t)last + ag->p.timeout_ms[tt_rec_state(&tab->rec[pos])];
	return (dl + ag->p.tick_ms - 1) / ag->p.tick_ms;
}

uint64_t tt_aging_deadline(const struct tt_aging *ag, uint32_t pos,
			   uint64_t now_ms)
{
	return age_deadline(ag, pos, now_ms);
}

static void age_place(struct tt_aging *ag, uint32_t pos, uint64_t deadline)
{
	uint64_t delta;
	unsigned int l;

	if (deadline <= ag->cur)
		deadline = ag->cur + 1;
	delta = deadline - ag->cur;
	for (l = 0; l < TT_AGING_LEVELS - 1; l++) {
		if (delta < (uint64_t)1 << (TT_AGING_BITS * (l + 1)))
			break;
	}
	if (delta >= (uint64_t)1 << (TT_AGING_BITS * TT_AGING_LEVELS))
		deadline = ag->cur +
			   ((uint64_t)1 << (TT_AGING_BITS * TT_AGING_LEVELS)) - 1;
	age_link(ag, pos, l,
		 (unsigned int)(deadline >> (TT_AGING_BITS * l)) &
		 (TT_AGING_SLOTS - 1));
}

void tt_aging_arm(struct tt_aging *ag, uint32_t pos, uint64_t now_ms)
{
	age_place(ag, pos, age_deadline(ag, pos, now_ms));
}

/* One tick: every level whose bucket boundary it is, coarse to fine. */
static unsigned int age_tick(struct tt_aging *ag, uint64_t now_ms)
{
	struct tt_records *tab = ag->tab;
	uint64_t t = ag->cur, ref = t * ag->p.tick_ms;
	unsigned int removed = 0, visits = 0;
	int l;

	for (l = TT_AGING_LEVELS - 1; l >= 0; l--) {
		unsigned int sh = TT_AGING_BITS * (unsigned int)l;
		uint32_t *head;

		if (t & (((uint64_t)1 << sh) - 1))
			continue;
		head = &ag->head[l][(t >> sh) & (TT_AGING_SLOTS - 1)];
		while (*head != TT_REC_NIL) {
			uint32_t pos = *head;
			uint64_t dl;

			tt_aging_unlink(ag, pos);
			visits++;
			dl = age_deadline(ag, pos, ref);
			if (dl > t) {
				age_place(ag, pos, dl);
				continue;
			}
			if (ag->expire &&
			    ag->expire(ag->arg, tab, &tab->rec[pos]) > 0) {
				ag->stats.kept++;
				tab->age[pos].last_seen = (uint32_t)now_ms;
				tt_aging_arm(ag, pos, now_ms);
				continue;
			}
			tt_records_remove(tab, &tab->rec[pos]);
			ag->stats.expired++;
			removed++;
		}
	}
	ag->stats.ticks++;
	ag->stats.visits += visits;
	if (visits > ag->stats.max_visits)
		ag->stats.max_visits = visits;
	return removed;
}

unsigned int tt_aging_advance(struct tt_aging *ag, uint64_t now_ms)
{
	uint64_t target = now_ms / ag->p.tick_ms;
	unsigned int removed = 0;

	while (ag->cur < target) {
		if (ag->linked == 0) {
			ag->cur = target;
			break;
		}
		ag->cur++;
		removed += age_tick(ag, now_ms);
	}
	return removed;
}
