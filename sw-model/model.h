/* SPDX-License-Identifier: MIT */
/*
 * Co-simulation hooks of the model card, for differential tests only.
 *
 * Where the RTL's own arbitration decides when something happens (today:
 * at which frame boundary a context command takes effect), the RTL reports
 * it and the model follows (DESIGN §3). In follow mode the model holds a
 * context command until it is told the RTL's `order` for it, and holds its
 * receive path at that point meanwhile; and it decides no frame before the
 * RTL has (model_card_rx_limit), so that it never runs past a point where
 * the RTL may still apply a command.
 */
#ifndef TT_MODEL_MODEL_H
#define TT_MODEL_MODEL_H

#include <stdint.h>

#include "teamtoe/card.h"

/* Switch follow mode on or off (off by default: commands take effect at
 * the next step, before any frame still queued). */
int model_card_follow(struct tt_card *c, int on);
/* The RTL's order for the oldest command still waiting for one.
 * TT_EINVAL if c is not a model card or no command waits. */
int model_card_ctx_order(struct tt_card *c, uint32_t order);
/* In follow mode, decide frames only while RX_FRAMES < frames (the RTL's
 * RX_FRAMES counter). TT_EINVAL if c is not a model card. */
int model_card_rx_limit(struct tt_card *c, uint32_t frames);

#endif
