/* SPDX-License-Identifier: MIT */
/*
 * Handles and the ready list of the application API (api.h).
 *
 * A handle is gen << 16 | socket: socket i < n_tcb is TCB i, socket
 * n_tcb + j is listener j; gen (1..32767) changes every time the slot is
 * freed, so a stale handle never names a new socket.
 *
 * The ready list links sockets through s->rnext / s->rprev; each socket is
 * on it at most once, with the events raised since the application last
 * popped it. A connection the application does not own yet (waiting for
 * tt_accept) keeps its events until it is accepted.
 */
#include "stack_int.h"

int ts_handle(const struct tt_stack *s, int32_t index, uint16_t gen)
{
	(void)s;
	return (int)((uint32_t)gen << 16 | (uint32_t)index);
}

struct ts_tcb *ts_handle_tcb(struct tt_stack *s, int h)
{
	uint32_t i = (uint32_t)h & 0xffffu;
	struct ts_tcb *tcb;

	if (h <= 0 || i >= s->n_tcb)
		return NULL;
	tcb = &s->tcb[i];
	if (!tcb->in_use || !tcb->app_owned || tcb->gen != (uint32_t)h >> 16)
		return NULL;
	return tcb;
}

int ts_handle_listener(struct tt_stack *s, int h)
{
	uint32_t i = (uint32_t)h & 0xffffu;
	struct ts_listener *l;

	if (h <= 0 || i < s->n_tcb || i >= s->n_tcb + s->p.max_listeners)
		return -1;
	l = &s->lis[i - s->n_tcb];
	if (!l->in_use || l->gen != (uint32_t)h >> 16)
		return -1;
	return (int)(i - s->n_tcb);
}

void ts_ready_add(struct tt_stack *s, int32_t i)
{
	int was_empty = s->ready_head == TS_NIL;

	if (s->rnext[i] != TS_UNLISTED)
		return;
	s->rnext[i] = TS_NIL;
	s->rprev[i] = s->ready_tail;
	if (s->ready_tail == TS_NIL)
		s->ready_head = i;
	else
		s->rnext[s->ready_tail] = i;
	s->ready_tail = i;
	if (was_empty && s->p.notify)
		s->p.notify(s->p.arg);
}

void ts_ready_remove(struct tt_stack *s, int32_t i)
{
	if (s->rnext[i] == TS_UNLISTED)
		return;
	if (s->rprev[i] == TS_NIL)
		s->ready_head = s->rnext[i];
	else
		s->rnext[s->rprev[i]] = s->rnext[i];
	if (s->rnext[i] == TS_NIL)
		s->ready_tail = s->rprev[i];
	else
		s->rprev[s->rnext[i]] = s->rprev[i];
	s->rnext[i] = s->rprev[i] = TS_UNLISTED;
}

void ts_event(struct tt_stack *s, struct ts_tcb *tcb, unsigned int ev)
{
	tcb->ev |= ev;
	if (tcb->app_owned && !tcb->app_closed)
		ts_ready_add(s, ts_tcb_index(s, tcb));
}

void ts_listener_event(struct tt_stack *s, int li, unsigned int ev)
{
	s->lis[li].ev |= ev;
	ts_ready_add(s, (int32_t)(s->n_tcb + (uint32_t)li));
}

int tt_next_event(struct tt_stack *s, struct tt_sock_event *ev)
{
	int32_t i = s->ready_head;

	if (i == TS_NIL)
		return 0;
	ts_ready_remove(s, i);
	if ((uint32_t)i < s->n_tcb) {
		struct ts_tcb *tcb = &s->tcb[i];

		ev->handle = ts_handle(s, i, tcb->gen);
		ev->events = tcb->ev;
		tcb->ev = 0;
	} else {
		struct ts_listener *l = &s->lis[(uint32_t)i - s->n_tcb];

		ev->handle = ts_handle(s, i, l->gen);
		ev->events = l->ev;
		l->ev = 0;
	}
	return 1;
}
