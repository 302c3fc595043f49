/* SPDX-License-Identifier: MIT */
/*
 * Co-simulation hooks of the model card, for differential tests only.
 *
 * Where the RTL's own arbitration decides when something happens, the RTL
 * reports it and the model follows (DESIGN §3). In follow mode the model
 * decides no frame before the RTL has (model_card_rx_limit), so that it
 * never runs past a point where the RTL may still apply something, and it
 * applies the actions whose moment the card chooses only where the RTL
 * says.
 *
 * Two ways to say where, one per revision:
 *  - 1.2 (context commands only): model_card_ctx_order() gives the RTL's
 *    `order` of the oldest waiting command (its tt_ctx_result.order);
 *  - 1.3: model_card_follow_trace() hands over the RTL's trace items
 *    (tt_card_trace(), CTRL bit 1 on the RTL card) one by one, in the
 *    order read. Once it has been called, context commands wait for their
 *    CTX item and model_card_ctx_order() is no longer needed.
 *
 * Applying an item: the model first decides received frames until its
 * RX_FRAMES equals t->order, then applies the action, then goes on. What
 * each item means, and so what the RTL must report and when:
 *  - DOORBELL (slot, value = snd_end): the oldest doorbell the host rang
 *    (tt_card_doorbell) was taken from the card's doorbell queue and
 *    applied here (ENGINE.md 2: tcp_out_doorbell, kick). Every doorbell
 *    taken is reported, ignored ones (backwards, too far, empty slot)
 *    too. The model checks slot and value against its own queue head.
 *  - TX_READ (slot, value = seq): the scheduler evaluated tcp_out_next
 *    for this slot on its context as it is here, and a DMA read request
 *    (slot, seq, len) was issued (ENGINE.md 3). Evaluations that found
 *    nothing to send (TCP_OUT_NONE) change nothing and are NOT reported.
 *  - TX_ANSWER (slot, value = seq): the oldest DMA read answer the host
 *    gave (tt_card_dma_read_resp) was taken from the card's answer queue
 *    here: a segment built and tcp_out_sent applied, or dropped as stale
 *    (ENGINE.md 4; stale ones are reported too). Value is the answer's
 *    seq as the host gave it.
 *  - TICK (slot TT_SLOT_NONE, value = tick number, 1 for the first tick
 *    after reset, wrapping at 2^32): a whole timer sweep (ENGINE.md 5,
 *    every valid slot in slot order) happened here, with no other item
 *    and no received frame applied between its first and last slot.
 *  - CTX (slot as in its result, value = op): the oldest context command
 *    took effect here.
 *  - SEG_ACK (slot, value = acked amount, 0 for a duplicate ACK): the
 *    oldest follow-up a segment left (ENGINE.md 1: an ACK of new data or
 *    a duplicate ACK; its congestion step, RETRANS event and pure ACK)
 *    was applied here. Its segment is decided before it (its order
 *    counts the segment); frames between the two are decided on the
 *    record without the step. The model checks slot and value against
 *    its own queue of follow-ups. The RTL takes no context command
 *    between a segment and its follow-up, and sweeps only once every
 *    follow-up waiting is applied, so no CTX or TICK item lies between
 *    them.
 * The RTL must push an item into its trace no later than it decides the
 * next received frame, so that when its RX_FRAMES reads F every item of
 * order < F is already in the trace: read RX_FRAMES (for
 * model_card_rx_limit) first, then drain the trace into the model.
 *
 * An item the model cannot apply yet (a DOORBELL, TX_ANSWER or CTX whose
 * input the host has not yet given the model, or an output queue full)
 * waits, and holds every later item and frame. A mismatch (an item of
 * another slot or value than the model's queue head, a TX_READ for a slot
 * where the model finds nothing to send, an item whose order is already
 * past) is reported on stderr, counted (model_card_follow_errors) and
 * applied as well as possible: the differential test then fails on the
 * outputs.
 *
 * With CTRL bit 1 set, the model itself emits the same items for what it
 * applies, in standalone and in follow mode alike, so that a model card
 * standalone can lead another one in follow mode.
 */
#ifndef TT_MODEL_MODEL_H
#define TT_MODEL_MODEL_H

#include <stdint.h>

#include "teamtoe/card.h"

/* Switch follow mode on or off (off by default: the model chooses the
 * moments itself; context commands take effect at the next step, before
 * any frame still queued). */
int model_card_follow(struct tt_card *c, int on);
/* The RTL's order for the oldest command still waiting for one.
 * TT_EINVAL if c is not a model card or no command waits. */
int model_card_ctx_order(struct tt_card *c, uint32_t order);
/* In follow mode, decide frames only while RX_FRAMES < frames (the RTL's
 * RX_FRAMES counter). TT_EINVAL if c is not a model card. */
int model_card_rx_limit(struct tt_card *c, uint32_t frames);
/* In follow mode, the next trace item of the card being followed; applied
 * during tt_card_step(). TT_EAGAIN if the model's follow queue is full
 * (step the model, then try again), TT_EINVAL if c is not a model card,
 * not in follow mode, or t->kind is unknown. */
int model_card_follow_trace(struct tt_card *c, const struct tt_trace *t);
/* Behave as card revision `version`: TT_CARD_VERSION_ENGINE_TX (1.3, the
 * default) or 0x00010002 (1.2: the receive engine without tcp_cc and
 * tcp_timers, no transmit engine, no ticks; doorbells and DMA reads
 * unsupported), so that a differential test can hold the model to an RTL
 * card of either revision. TT_EINVAL for other versions or cards. */
int model_card_revision(struct tt_card *c, uint32_t version);
/* Slots holding a connection with a DMA read outstanding (ENGINE.md 3-4:
 * requested, its answer not yet applied), for tests that must know a
 * reload hit a card in the middle of sending. TT_EINVAL if c is not a
 * model card. */
int model_card_reads_outstanding(struct tt_card *c);
/* Mismatches met in follow mode so far (see above). */
uint32_t model_card_follow_errors(struct tt_card *c);

#endif
