/* SPDX-License-Identifier: MIT */
/*
 * DoS detection: a fixed-size table of sources with windowed counters
 * (design in dos.h). Times are 32-bit milliseconds compared with serial
 * arithmetic: windows and cool-downs are far shorter than 2^31 ms.
 */
#include <stdlib.h>
#include <string.h>

#include "teamtoe/card.h"
#include "teamtoe/dos.h"

struct dos_ent {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t used;
	uint8_t blocked;
	uint32_t win_start;     /* ms */
	uint32_t pkts;          /* in the window */
	uint32_t syns;
	uint32_t blocked_until; /* ms */
	uint32_t last_seen;     /* ms */
};

struct tt_dos {
	struct tt_dos_params p;
	struct tt_sipkey key;
	uint32_t pkt_limit;     /* per window */
	uint32_t syn_limit;
	uint32_t set_mask;
	struct dos_ent *ent;    /* (set_mask + 1) * TT_DOS_WAYS */
	size_t bytes;
	struct tt_dos_stats stats;
};

static struct dos_ent *dos_set(const struct tt_dos *dos, uint32_t ip,
			       const uint8_t mac[6]);
static struct dos_ent *dos_find(struct dos_ent *set, uint32_t ip,
				const uint8_t mac[6]);
static struct dos_ent *dos_victim(struct tt_dos *dos, struct dos_ent *set,
				  uint32_t now);

static inline int dos_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void tt_dos_params_default(struct tt_dos_params *p)
{
	memset(p, 0, sizeof(*p));
	p->threshold_pps = TT_DOS_DEF_THRESHOLD_PPS;
	p->syn_threshold_pps = TT_DOS_DEF_SYN_THRESHOLD_PPS;
	p->cooldown_ms = TT_DOS_DEF_COOLDOWN_MS;
	p->window_ms = TT_DOS_DEF_WINDOW_MS;
	p->entries = TT_DOS_DEF_ENTRIES;
}

static uint32_t dos_limit(uint32_t pps, uint32_t window_ms)
{
	uint64_t n = ((uint64_t)pps * window_ms + 999) / 1000;

	return n > UINT32_MAX - 1 ? UINT32_MAX - 1 : (n ? (uint32_t)n : 1);
}

int tt_dos_new(struct tt_dos **out, const struct tt_dos_params *p)
{
	struct tt_dos *dos;
	uint32_t sets = 1;
	int r;

	*out = NULL;
	if (!p || !p->threshold_pps || !p->syn_threshold_pps ||
	    !p->cooldown_ms || p->cooldown_ms >= (1u << 30) ||
	    !p->window_ms || p->window_ms >= (1u << 30) ||
	    !p->entries || p->entries > (1u << 24))
		return TT_EINVAL;
	while (sets * TT_DOS_WAYS < p->entries)
		sets <<= 1;

	dos = calloc(1, sizeof(*dos));
	if (!dos)
		return TT_ENOMEM;
	dos->p = *p;
	dos->p.key = NULL;
	if (p->key) {
		dos->key = *p->key;
	} else {
		r = tt_sipkey_random(&dos->key);
		if (r < 0) {
			r = TT_EINVAL;
			goto err_dos;
		}
	}
	dos->pkt_limit = dos_limit(p->threshold_pps, p->window_ms);
	dos->syn_limit = dos_limit(p->syn_threshold_pps, p->window_ms);
	dos->set_mask = sets - 1;
	dos->ent = calloc((size_t)sets * TT_DOS_WAYS, sizeof(*dos->ent));
	if (!dos->ent) {
		r = TT_ENOMEM;
		goto err_dos;
	}
	dos->bytes = sizeof(*dos) + (size_t)sets * TT_DOS_WAYS * sizeof(*dos->ent);
	*out = dos;
	return 0;

err_dos:
	free(dos);
	return r;
}

void tt_dos_free(struct tt_dos *dos)
{
	if (!dos)
		return;
	free(dos->ent);
	free(dos);
}

size_t tt_dos_bytes(const struct tt_dos *dos)
{
	return dos->bytes;
}

static struct dos_ent *dos_set(const struct tt_dos *dos, uint32_t ip,
			       const uint8_t mac[6])
{
	uint8_t k[10];
	uint64_t h;

	k[0] = (uint8_t)(ip >> 24);
	k[1] = (uint8_t)(ip >> 16);
	k[2] = (uint8_t)(ip >> 8);
	k[3] = (uint8_t)ip;
	memcpy(k + 4, mac, 6);
	h = tt_siphash13(&dos->key, k, sizeof(k));
	return &dos->ent[(size_t)(h & dos->set_mask) * TT_DOS_WAYS];
}

static struct dos_ent *dos_find(struct dos_ent *set, uint32_t ip,
				const uint8_t mac[6])
{
	unsigned int w;

	for (w = 0; w < TT_DOS_WAYS; w++) {
		if (set[w].used && set[w].ip == ip &&
		    memcmp(set[w].mac, mac, 6) == 0)
			return &set[w];
	}
	return NULL;
}

/* An empty way; else the unblocked way with the fewest packets in its
 * current window, least recent first; else (all blocked) the block that
 * ends first. */
static struct dos_ent *dos_victim(struct tt_dos *dos, struct dos_ent *set,
				  uint32_t now)
{
	struct dos_ent *best = NULL;
	uint32_t best_pkts = 0;
	unsigned int w;

	for (w = 0; w < TT_DOS_WAYS; w++) {
		struct dos_ent *e = &set[w];
		uint32_t pkts;

		if (!e->used)
			return e;
		if (e->blocked && dos_before(now, e->blocked_until))
			continue;
		pkts = e->blocked || now - e->win_start >= dos->p.window_ms ?
		       0 : e->pkts;
		if (!best || pkts < best_pkts ||
		    (pkts == best_pkts && dos_before(e->last_seen, best->last_seen))) {
			best = e;
			best_pkts = pkts;
		}
	}
	if (best)
		return best;
	for (w = 0; w < TT_DOS_WAYS; w++) {
		if (!best || dos_before(set[w].blocked_until, best->blocked_until))
			best = &set[w];
	}
	dos->stats.blocked_evictions++;
	return best;
}

int tt_dos_packet(struct tt_dos *dos, uint32_t ip, const uint8_t mac[6],
		  int is_syn, uint64_t now_ms)
{
	struct dos_ent *set = dos_set(dos, ip, mac), *e;
	uint32_t now = (uint32_t)now_ms;

	dos->stats.packets++;
	if (is_syn)
		dos->stats.syns++;

	e = dos_find(set, ip, mac);
	if (e && e->blocked) {
		if (dos_before(now, e->blocked_until)) {
			dos->stats.dropped++;
			return TT_DOS_DROP;
		}
		e->blocked = 0;      /* cool-down over: start afresh */
		e->pkts = 0;
		e->syns = 0;
		e->win_start = now;
	}
	if (!e) {
		e = dos_victim(dos, set, now);
		if (e->used)
			dos->stats.evictions++;
		else
			dos->stats.tracked++;
		memset(e, 0, sizeof(*e));
		e->used = 1;
		e->ip = ip;
		memcpy(e->mac, mac, 6);
		e->win_start = now;
	}
	if (now - e->win_start >= dos->p.window_ms) {
		e->win_start = now;
		e->pkts = 0;
		e->syns = 0;
	}
	e->last_seen = now;
	e->pkts++;
	if (is_syn)
		e->syns++;
	if (e->pkts > dos->pkt_limit || e->syns > dos->syn_limit) {
		e->blocked = 1;
		e->blocked_until = now + dos->p.cooldown_ms;
		dos->stats.blocks++;
		dos->stats.dropped++;
		return TT_DOS_DROP;
	}
	return TT_DOS_PASS;
}

int tt_dos_blocked(const struct tt_dos *dos, uint32_t ip, const uint8_t mac[6],
		   uint64_t now_ms)
{
	struct dos_ent *e = dos_find(dos_set(dos, ip, mac), ip, mac);

	return e && e->blocked && dos_before((uint32_t)now_ms, e->blocked_until);
}

void tt_dos_stats(const struct tt_dos *dos, struct tt_dos_stats *st)
{
	*st = dos->stats;
}

uint32_t tt_dos_blocked_count(const struct tt_dos *dos, uint64_t now_ms)
{
	size_t i, n = (size_t)(dos->set_mask + 1) * TT_DOS_WAYS;
	uint32_t c = 0;

	for (i = 0; i < n; i++) {
		if (dos->ent[i].used && dos->ent[i].blocked &&
		    dos_before((uint32_t)now_ms, dos->ent[i].blocked_until))
			c++;
	}
	return c;
}
