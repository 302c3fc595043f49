/* SPDX-License-Identifier: MIT */
/*
 * Listeners: a port, a backlog, and the connections it opened that the
 * application has not accepted yet. A connection belongs to its listener
 * (tcb->listener) from its SYN until tt_accept: while in SYN-RECEIVED it
 * counts as half-open, afterwards it waits in the accept queue (a list
 * through tcb->qnext). Both count against the backlog.
 */
#include "stack_int.h"

int ts_listener_find(struct tt_stack *s, uint16_t port)
{
	uint32_t i;

	for (i = 0; i < s->p.max_listeners; i++)
		if (s->lis[i].in_use && s->lis[i].port == port)
			return (int)i;
	return -1;
}

void ts_listener_established(struct tt_stack *s, struct ts_tcb *tcb)
{
	struct ts_listener *l;
	int32_t me = ts_tcb_index(s, tcb);

	if (tcb->listener == TS_NIL || tcb->state != TT_SOCK_SYN_RECEIVED)
		return;
	l = &s->lis[tcb->listener];
	l->half_open--;
	tcb->qnext = TS_NIL;
	if (l->q_tail == TS_NIL)
		l->q_head = me;
	else
		s->tcb[l->q_tail].qnext = me;
	l->q_tail = me;
	l->q_count++;
	ts_listener_event(s, tcb->listener, TT_EV_ACCEPT);
}

void ts_listener_detach(struct tt_stack *s, struct ts_tcb *tcb)
{
	struct ts_listener *l;
	int32_t me = ts_tcb_index(s, tcb), prev = TS_NIL, i;

	if (tcb->listener == TS_NIL)
		return;
	l = &s->lis[tcb->listener];
	tcb->listener = TS_NIL;
	if (tcb->state == TT_SOCK_SYN_RECEIVED) {
		l->half_open--;
		return;
	}
	for (i = l->q_head; i != TS_NIL && i != me; i = s->tcb[i].qnext)
		prev = i;
	if (i != me)
		return;
	if (prev == TS_NIL)
		l->q_head = tcb->qnext;
	else
		s->tcb[prev].qnext = tcb->qnext;
	if (l->q_tail == me)
		l->q_tail = prev;
	l->q_count--;
	tcb->qnext = TS_NIL;
}

int32_t ts_listener_pop(struct tt_stack *s, int li)
{
	struct ts_listener *l = &s->lis[li];
	int32_t i = l->q_head;

	if (i == TS_NIL)
		return TS_NIL;
	l->q_head = s->tcb[i].qnext;
	if (l->q_head == TS_NIL)
		l->q_tail = TS_NIL;
	l->q_count--;
	s->tcb[i].qnext = TS_NIL;
	s->tcb[i].listener = TS_NIL;
	return i;
}
