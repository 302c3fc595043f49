/* SPDX-License-Identifier: MIT */
/*
 * Held items: events and DMA writes the host took off a card out of turn
 * (while it flushed the card after an EXPORT, see tt_host_flush) and will
 * run through the poll loop later, in the order the card gave them. The
 * poll loop takes held items before new ones from the card, so a card's
 * order is kept whatever was taken out of turn.
 *
 * Unbounded (one allocation per item): a flush takes at most what the
 * card's output queues held.
 */
#ifndef TEAMTOE_HELD_H
#define TEAMTOE_HELD_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"

struct tt_held_item;

struct tt_held {
	struct tt_held_item *head, *tail;
	size_t count;
};

/* Keep a copy; TT_ENOMEM if there is no memory for it. */
int tt_held_push_event(struct tt_held *q, const struct tt_event *ev);
int tt_held_push_dma(struct tt_held *q, const struct tt_dma_write *d,
		     const uint8_t *data);
/* The oldest item, as the card call would give it: TT_OK, TT_EAGAIN if
 * none; tt_held_pop_dma copies at most cap bytes (TT_ETOOBIG and the
 * item stays if d->len does not fit). */
int tt_held_pop_event(struct tt_held *q, struct tt_event *ev);
int tt_held_pop_dma(struct tt_held *q, struct tt_dma_write *d, uint8_t *buf,
		    size_t cap);
/* Payload writes of one slot: is one held; take the oldest (TT_OK,
 * TT_EAGAIN if none, TT_ETOOBIG as tt_held_pop_dma). */
int tt_held_has_payload(const struct tt_held *q, uint16_t slot);
int tt_held_take_payload(struct tt_held *q, uint16_t slot,
			 struct tt_dma_write *d, uint8_t *buf, size_t cap);
void tt_held_clear(struct tt_held *q);

#endif
