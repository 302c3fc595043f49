/* SPDX-License-Identifier: MIT */
/*
 * ARP (RFC 826) for Ethernet and IPv4: reply to requests for our
 * address; a small cache of on-link neighbours learned from requests and
 * replies (RFC 826 "packet reception": refresh a known sender, add one
 * that asked us); frames to a neighbour not in the cache wait in a
 * bounded queue behind a broadcast request, retried every second and
 * dropped (counted) after three unanswered requests.
 *
 *  Ethernet 14 bytes, then
 *  +0 htype 1 | +2 ptype 0x0800 | +4 hlen 6 | +5 plen 4 | +6 oper |
 *  +8 sha | +14 spa | +18 tha | +24 tpa        (28 bytes)
 */
#include <string.h>

#include "stack_int.h"

#define ARP_LEN         28u
#define ARP_REQUEST     1
#define ARP_REPLY       2
#define ARP_RETRY_MS    1000u
#define ARP_TRIES       3u

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct ts_arp_entry *arp_find(struct tt_stack *s, uint32_t ip);
static void arp_learn(struct tt_stack *s, uint32_t ip, const uint8_t mac[6]);
static void arp_flush(struct tt_stack *s, uint32_t ip, const uint8_t mac[6]);
static void arp_send(struct tt_stack *s, int oper, const uint8_t eth_dst[6],
		     const uint8_t tha[6], uint32_t tpa);

static struct ts_arp_entry *arp_find(struct tt_stack *s, uint32_t ip)
{
	uint32_t i;

	for (i = 0; i < s->p.arp_entries; i++)
		if (s->arp[i].ip == ip)
			return &s->arp[i];
	return NULL;
}

const uint8_t *ts_arp_lookup(struct tt_stack *s, uint32_t ip)
{
	struct ts_arp_entry *e = arp_find(s, ip);

	if (!e || s->now - e->updated >= s->p.arp_ttl_ms)
		return NULL;
	return e->mac;
}

/* Refresh or add ip -> mac; a full cache gives up its stalest entry. */
static void arp_learn(struct tt_stack *s, uint32_t ip, const uint8_t mac[6])
{
	struct ts_arp_entry *e = arp_find(s, ip), *old = NULL;
	uint32_t i;

	if (!e) {
		for (i = 0; i < s->p.arp_entries && !e; i++) {
			if (!s->arp[i].ip)
				e = &s->arp[i];
			else if (!old || s->arp[i].updated < old->updated)
				old = &s->arp[i];
		}
		if (!e) {
			e = old;
			ts_count(s, TT_SCNT_ARP_EVICTED);
		}
		e->ip = ip;
	}
	memcpy(e->mac, mac, 6);
	e->updated = s->now;
	ts_count(s, TT_SCNT_ARP_LEARNED);
	arp_flush(s, ip, mac);
}

/* Send every frame waiting for ip, oldest first. */
static void arp_flush(struct tt_stack *s, uint32_t ip, const uint8_t mac[6])
{
	struct ts_arp_wait *w, *oldest;
	uint32_t i;

	for (;;) {
		oldest = NULL;
		for (i = 0; i < s->p.arp_queue; i++) {
			w = &s->arpq[i];
			if (w->ip == ip && (!oldest || w->since < oldest->since))
				oldest = w;
		}
		if (!oldest)
			return;
		memcpy(oldest->frame, mac, 6);
		oldest->ip = 0;
		ts_output(s, oldest->frame, oldest->len,
			  oldest->has_tuple ? &oldest->t : NULL);
	}
}

static void arp_send(struct tt_stack *s, int oper, const uint8_t eth_dst[6],
		     const uint8_t tha[6], uint32_t tpa)
{
	uint8_t f[TS_ETH_HDR + ARP_LEN];
	uint8_t *a = f + TS_ETH_HDR;

	memcpy(f, eth_dst, 6);
	memcpy(f + 6, s->p.mac, 6);
	ts_wr16(f + 12, 0x0806);
	ts_wr16(a, 1);
	ts_wr16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	ts_wr16(a + 6, (uint32_t)oper);
	memcpy(a + 8, s->p.mac, 6);
	ts_wr32(a + 14, s->p.ipv4);
	memcpy(a + 18, tha, 6);
	ts_wr32(a + 24, tpa);
	ts_count(s, oper == ARP_REPLY ? TT_SCNT_ARP_REPLIES :
		 TT_SCNT_ARP_REQUESTS);
	ts_output(s, f, sizeof(f), NULL);
}

void ts_arp_input(struct tt_stack *s, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + TS_ETH_HDR;
	uint32_t spa, tpa;
	int oper;

	ts_count(s, TT_SCNT_ARP_RX);
	if (len < TS_ETH_HDR + ARP_LEN || ts_rd16(a) != 1 ||
	    ts_rd16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4) {
		ts_count(s, TT_SCNT_DROP_ARP_BAD);
		return;
	}
	oper = ts_rd16(a + 6);
	spa = ts_rd32(a + 14);
	tpa = ts_rd32(a + 24);
	if ((oper != ARP_REQUEST && oper != ARP_REPLY) || (a[8] & 1)) {
		ts_count(s, TT_SCNT_DROP_ARP_BAD);
		return;
	}
	/* "merge": a sender we know (not an address probe, spa 0) is
	 * refreshed whoever the packet is for */
	if (spa && spa != s->p.ipv4 && arp_find(s, spa) && tpa != s->p.ipv4)
		arp_learn(s, spa, a + 8);
	if (tpa != s->p.ipv4) {
		ts_count(s, TT_SCNT_DROP_ARP_NOT_FOR_US);
		return;
	}
	if (spa && spa != s->p.ipv4)
		arp_learn(s, spa, a + 8);
	if (oper == ARP_REQUEST)
		arp_send(s, ARP_REPLY, a + 8, a + 8, spa);
}

void ts_arp_send(struct tt_stack *s, uint8_t *f, size_t len, uint32_t ip,
		 const struct tt_tuple *t)
{
	static const uint8_t zero[6];
	const uint8_t *mac = ts_arp_lookup(s, ip);
	struct ts_arp_wait *w = NULL;
	int asked = 0;
	uint32_t i;

	if (mac) {
		memcpy(f, mac, 6);
		ts_output(s, f, len, t);
		return;
	}
	for (i = 0; i < s->p.arp_queue; i++) {
		if (!s->arpq[i].ip && !w)
			w = &s->arpq[i];
		else if (s->arpq[i].ip == ip)
			asked = 1;
	}
	if (!w || len > TS_FRAME_MAX) {
		ts_count(s, TT_SCNT_DROP_ARP_QUEUE_FULL);
		return;
	}
	w->ip = ip;
	w->since = s->now;
	w->retry_at = s->now + ARP_RETRY_MS;
	w->tries = 1;
	w->has_tuple = t != NULL;
	if (t)
		w->t = *t;
	w->len = len;
	memcpy(w->frame, f, len);
	/* one request per neighbour: a frame that joins a pending
	 * resolution takes the existing one's retry schedule */
	for (i = 0; asked && i < s->p.arp_queue; i++) {
		if (&s->arpq[i] != w && s->arpq[i].ip == ip) {
			w->retry_at = s->arpq[i].retry_at;
			w->tries = s->arpq[i].tries;
			break;
		}
	}
	if (!asked)
		arp_send(s, ARP_REQUEST, bcast, zero, ip);
}

void ts_arp_timer(struct tt_stack *s)
{
	static const uint8_t zero[6];
	struct ts_arp_wait *w;
	uint32_t i, j, ip;

	for (i = 0; i < s->p.arp_queue; i++) {
		w = &s->arpq[i];
		if (!w->ip || s->now < w->retry_at)
			continue;
		ip = w->ip;
		if (w->tries >= ARP_TRIES) {
			for (j = 0; j < s->p.arp_queue; j++) {
				if (s->arpq[j].ip == ip) {
					s->arpq[j].ip = 0;
					ts_count(s, TT_SCNT_DROP_ARP_UNRESOLVED);
				}
			}
			continue;
		}
		for (j = 0; j < s->p.arp_queue; j++) {
			if (s->arpq[j].ip == ip) {
				s->arpq[j].tries++;
				s->arpq[j].retry_at = s->now + ARP_RETRY_MS;
			}
		}
		arp_send(s, ARP_REQUEST, bcast, zero, ip);
	}
}

uint64_t ts_arp_next_timer(const struct tt_stack *s)
{
	uint64_t t = TS_INF;
	uint32_t i;

	for (i = 0; i < s->p.arp_queue; i++)
		if (s->arpq[i].ip && s->arpq[i].retry_at < t)
			t = s->arpq[i].retry_at;
	return t;
}
