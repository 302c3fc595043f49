/* SPDX-License-Identifier: MIT */
/* Held card outputs, a FIFO each; see held.h. */
#include <stdlib.h>
#include <string.h>

#include "teamtoe/held.h"

struct tt_held_item {
	struct tt_held_item *next;
	struct tt_event ev;
	struct tt_dma_write d;
	uint8_t data[];
};

static int held_append(struct tt_held *q, struct tt_held_item *it)
{
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->count++;
	return TT_OK;
}

static void held_drop_head(struct tt_held *q)
{
	struct tt_held_item *it = q->head;

	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	free(it);
}

int tt_held_push_event(struct tt_held *q, const struct tt_event *ev)
{
	struct tt_held_item *it = calloc(1, sizeof(*it));

	if (!it)
		return TT_ENOMEM;
	it->ev = *ev;
	return held_append(q, it);
}

int tt_held_push_dma(struct tt_held *q, const struct tt_dma_write *d,
		     const uint8_t *data)
{
	struct tt_held_item *it = calloc(1, sizeof(*it) + d->len);

	if (!it)
		return TT_ENOMEM;
	it->d = *d;
	memcpy(it->data, data, d->len);
	return held_append(q, it);
}

int tt_held_pop_event(struct tt_held *q, struct tt_event *ev)
{
	if (!q->head)
		return TT_EAGAIN;
	*ev = q->head->ev;
	held_drop_head(q);
	return TT_OK;
}

int tt_held_pop_dma(struct tt_held *q, struct tt_dma_write *d, uint8_t *buf,
		    size_t cap)
{
	if (!q->head)
		return TT_EAGAIN;
	*d = q->head->d;
	if (d->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, q->head->data, d->len);
	held_drop_head(q);
	return TT_OK;
}

int tt_held_has_payload(const struct tt_held *q, uint16_t slot)
{
	const struct tt_held_item *it;

	for (it = q->head; it; it = it->next)
		if (it->d.kind == TT_DMA_PAYLOAD && it->d.slot == slot)
			return 1;
	return 0;
}

int tt_held_take_payload(struct tt_held *q, uint16_t slot,
			 struct tt_dma_write *d, uint8_t *buf, size_t cap)
{
	struct tt_held_item *it, *prev = NULL;

	for (it = q->head; it; prev = it, it = it->next)
		if (it->d.kind == TT_DMA_PAYLOAD && it->d.slot == slot)
			break;
	if (!it)
		return TT_EAGAIN;
	if (it->d.len > cap)
		return TT_ETOOBIG;
	*d = it->d;
	memcpy(buf, it->data, d->len);
	if (prev)
		prev->next = it->next;
	else
		q->head = it->next;
	if (q->tail == it)
		q->tail = prev;
	q->count--;
	free(it);
	return TT_OK;
}

void tt_held_clear(struct tt_held *q)
{
	while (q->head)
		held_drop_head(q);
}
