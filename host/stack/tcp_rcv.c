/* SPDX-License-Identifier: MIT */
/*
 * The receive buffer: a ring of rcvbuf bytes addressed by sequence number
 * (byte q at rbuf[q & mask]). [rcv_read, rcv_nxt) is in order and waits
 * for the application; past rcv_nxt, up to TT_STACK_OOO_RANGES ranges of
 * out-of-order data wait for the hole before them to fill. The window we
 * advertise never reaches past rcv_read + rcvbuf, so nothing overwrites
 * unread data.
 */
#include <string.h>

#include "stack_int.h"

static void rcv_merge_ranges(struct ts_tcb *tcb);
static int rcv_hold(struct ts_tcb *tcb, uint32_t start, uint32_t end);

uint32_t ts_rcv_ready(const struct ts_tcb *tcb)
{
	return tcb->rcv_nxt - tcb->rcv_read - tcb->rcv_fin;
}

/* rcv_nxt moved: ranges it reached are in order now. */
static void rcv_merge_ranges(struct ts_tcb *tcb)
{
	int moved = 1;
	uint8_t i;

	while (moved) {
		moved = 0;
		for (i = 0; i < tcb->n_ooo; i++) {
			struct ts_range *r = &tcb->ooo[i];

			if (ts_gt(r->start, tcb->rcv_nxt))
				continue;
			if (ts_gt(r->end, tcb->rcv_nxt))
				tcb->rcv_nxt = r->end;
			*r = tcb->ooo[--tcb->n_ooo];
			moved = 1;
			break;
		}
	}
}

/* Note [start, end) as held, merged with the ranges it touches. Returns 0,
 * or -1 when it touches none and every range is taken. */
static int rcv_hold(struct ts_tcb *tcb, uint32_t start, uint32_t end)
{
	int merged = 1;
	uint8_t i;

	while (merged) {
		merged = 0;
		for (i = 0; i < tcb->n_ooo; i++) {
			struct ts_range *r = &tcb->ooo[i];

			if (ts_gt(start, r->end) || ts_gt(r->start, end))
				continue;
			if (ts_lt(r->start, start))
				start = r->start;
			if (ts_gt(r->end, end))
				end = r->end;
			*r = tcb->ooo[--tcb->n_ooo];
			merged = 1;
			break;
		}
	}
	if (tcb->n_ooo == TT_STACK_OOO_RANGES)
		return -1;
	tcb->ooo[tcb->n_ooo].start = start;
	tcb->ooo[tcb->n_ooo].end = end;
	tcb->n_ooo++;
	return 0;
}

int ts_rcv_place(struct tt_stack *s, struct ts_tcb *tcb, uint32_t seq,
		 const uint8_t *data, uint32_t len)
{
	uint32_t off, first;

	if (!len)
		return 0;
	/* out of order: held only if a range is free for it */
	if (seq != tcb->rcv_nxt && rcv_hold(tcb, seq, seq + len) < 0)
		return -1;
	off = seq & s->rbuf_mask;
	first = s->rbuf_mask + 1 - off;
	if (first > len)
		first = len;
	memcpy(tcb->rbuf + off, data, first);
	memcpy(tcb->rbuf, data + first, len - first);
	if (seq != tcb->rcv_nxt)
		return 0;
	tcb->rcv_nxt += len;
	rcv_merge_ranges(tcb);
	return 1;
}

uint32_t ts_rcv_read(struct tt_stack *s, struct ts_tcb *tcb, uint8_t *out,
		     uint32_t len)
{
	uint32_t n = ts_min32(len, ts_rcv_ready(tcb));
	uint32_t off = tcb->rcv_read & s->rbuf_mask;
	uint32_t first = s->rbuf_mask + 1 - off;

	if (first > n)
		first = n;
	memcpy(out, tcb->rbuf + off, first);
	memcpy(out + first, tcb->rbuf, n - first);
	tcb->rcv_read += n;
	return n;
}
