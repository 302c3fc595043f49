/* SPDX-License-Identifier: MIT */
/*
 * The connection pool: a fixed array of TCBs, a free list, a keyed hash
 * of the 4-tuple (SipHash-1-3, so that peers cannot choose collisions),
 * the list of TCBs in use for the timers, initial sequence numbers
 * (RFC 6528) and ephemeral ports.
 *
 * When the pool is empty, a connection in TIME-WAIT that no application
 * holds gives way (the oldest first): TIME-WAIT only guards against old
 * duplicates, a new connection is worth more (RFC 6191 reasons the same
 * way for reuse).
 */
#include <string.h>

#include "stack_int.h"

static uint32_t tcb_hash(const struct tt_stack *s, const struct tt_tuple *t);
static void tcb_unhash(struct tt_stack *s, struct ts_tcb *tcb);
static struct ts_tcb *tcb_recycle(struct tt_stack *s);

static uint32_t tcb_hash(const struct tt_stack *s, const struct tt_tuple *t)
{
	uint8_t b[12];

	ts_wr32(b, t->saddr);
	ts_wr32(b + 4, t->daddr);
	ts_wr16(b + 8, t->sport);
	ts_wr16(b + 10, t->dport);
	return (uint32_t)tt_siphash13(&s->key, b, sizeof(b)) & s->hash_mask;
}

struct ts_tcb *ts_tcb_lookup(struct tt_stack *s, const struct tt_tuple *t)
{
	int32_t i;

	for (i = s->hash[tcb_hash(s, t)]; i != TS_NIL; i = s->tcb[i].hnext) {
		const struct tt_tuple *u = &s->tcb[i].t;

		if (u->saddr == t->saddr && u->daddr == t->daddr &&
		    u->sport == t->sport && u->dport == t->dport)
			return &s->tcb[i];
	}
	return NULL;
}

static void tcb_unhash(struct tt_stack *s, struct ts_tcb *tcb)
{
	int32_t *pp = &s->hash[tcb_hash(s, &tcb->t)];
	int32_t me = ts_tcb_index(s, tcb);

	if (!tcb->hashed)
		return;
	tcb->hashed = 0;
	while (*pp != TS_NIL && *pp != me)
		pp = &s->tcb[*pp].hnext;
	if (*pp == me)
		*pp = tcb->hnext;
}

static struct ts_tcb *tcb_recycle(struct tt_stack *s)
{
	struct ts_tcb *best = NULL;
	int32_t i;

	for (i = s->active; i != TS_NIL; i = s->tcb[i].anext) {
		struct ts_tcb *c = &s->tcb[i];

		if (c->state == TT_SOCK_TIME_WAIT && !c->app_owned &&
		    (!best || c->t_close < best->t_close))
			best = c;
	}
	if (!best)
		return NULL;
	ts_count(s, TT_SCNT_TCP_TW_RECYCLED);
	ts_tcb_free(s, best);
	return best;
}

struct ts_tcb *ts_tcb_alloc(struct tt_stack *s, const struct tt_tuple *t)
{
	struct ts_tcb *tcb;
	uint8_t *sbuf, *rbuf;
	uint32_t h;
	uint16_t gen;
	int32_t i;

	if (s->free_head == TS_NIL && !tcb_recycle(s))
		return NULL;
	i = s->free_head;
	tcb = &s->tcb[i];
	s->free_head = tcb->hnext;
	sbuf = tcb->sbuf;
	rbuf = tcb->rbuf;
	gen = tcb->gen;
	memset(tcb, 0, sizeof(*tcb));
	tcb->sbuf = sbuf;
	tcb->rbuf = rbuf;
	tcb->gen = gen;
	tcb->in_use = 1;
	tcb->t = *t;
	tcb->listener = TS_NIL;
	tcb->qnext = TS_NIL;
	tcb->t_rexmt = tcb->t_persist = tcb->t_delack = tcb->t_close = TS_INF;
	tcb->t_gap = TS_INF;
	h = tcb_hash(s, t);
	tcb->hnext = s->hash[h];
	s->hash[h] = i;
	tcb->hashed = 1;
	tcb->aprev = TS_NIL;
	tcb->anext = s->active;
	if (s->active != TS_NIL)
		s->tcb[s->active].aprev = i;
	s->active = i;
	s->n_used++;
	return tcb;
}

void ts_tcb_free(struct tt_stack *s, struct ts_tcb *tcb)
{
	int32_t i = ts_tcb_index(s, tcb);

	if (!tcb->in_use)
		return;
	ts_listener_detach(s, tcb);
	ts_ready_remove(s, i);
	tcb_unhash(s, tcb);
	if (tcb->aprev != TS_NIL)
		s->tcb[tcb->aprev].anext = tcb->anext;
	else
		s->active = tcb->anext;
	if (tcb->anext != TS_NIL)
		s->tcb[tcb->anext].aprev = tcb->aprev;
	tcb->in_use = 0;
	tcb->state = TT_SOCK_CLOSED;
	/* a handle of the old connection must never name the next one */
	tcb->gen = (uint16_t)(tcb->gen % 0x7fffu + 1);
	tcb->hnext = s->free_head;
	s->free_head = i;
	s->n_used--;
}

void ts_tcb_release_if_done(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (tcb->in_use && tcb->state == TT_SOCK_CLOSED && !tcb->app_owned)
		ts_tcb_free(s, tcb);
}

void ts_tcb_set_state(struct tt_stack *s, struct ts_tcb *tcb, int state)
{
	if (state == TT_SOCK_ESTABLISHED &&
	    (tcb->state == TT_SOCK_SYN_SENT ||
	     tcb->state == TT_SOCK_SYN_RECEIVED))
		ts_count(s, TT_SCNT_TCP_OPENED);
	tcb->state = (uint8_t)state;
}

void ts_tcb_close(struct tt_stack *s, struct ts_tcb *tcb, int err)
{
	int was_open = tcb->state != TT_SOCK_CLOSED;

	ts_timer_stop_all(tcb);
	ts_listener_detach(s, tcb);
	/* the tuple is free for a new connection even while the
	 * application still holds this one's handle */
	tcb_unhash(s, tcb);
	tcb->state = TT_SOCK_CLOSED;
	tcb->offloaded = 0;
	if (err && !tcb->err)
		tcb->err = err;
	if (was_open) {
		if (err) {
			ts_event(s, tcb, TT_EV_RESET | TT_EV_READABLE);
		} else {
			ts_count(s, TT_SCNT_TCP_CLOSED);
			ts_event(s, tcb, TT_EV_CLOSED);
		}
	}
	ts_tcb_release_if_done(s, tcb);
}

uint32_t ts_tcb_isn(struct tt_stack *s, const struct tt_tuple *t)
{
	uint8_t b[12];

	if (s->p.isn)
		return s->p.isn(s->p.arg, t);
	/* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
	 * secretkey), M a timer that ticks every 4 microseconds */
	ts_wr32(b, t->daddr);
	ts_wr16(b + 4, t->dport);
	ts_wr32(b + 6, t->saddr);
	ts_wr16(b + 10, t->sport);
	return (uint32_t)(s->now * 250u) +
	       (uint32_t)tt_siphash24(&s->key, b, sizeof(b));
}

uint16_t ts_tcb_ephemeral(struct tt_stack *s, uint32_t ip, uint16_t port)
{
	const uint32_t span = 65536u - TS_EPHEMERAL_LO;
	struct tt_tuple t = { .saddr = ip, .daddr = s->p.ipv4, .sport = port };
	uint32_t k;

	for (k = 0; k < span; k++) {
		uint16_t p = s->next_port;

		s->next_port = (uint16_t)(p == 65535u ? TS_EPHEMERAL_LO : p + 1u);
		t.dport = p;
		if (!ts_tcb_lookup(s, &t) && ts_listener_find(s, p) < 0)
			return p;
	}
	return 0;
}
