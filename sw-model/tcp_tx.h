/* SPDX-License-Identifier: MIT */
/*
 * Segment builder of an offloaded connection: Ethernet, IPv4 and TCP
 * headers from the context (team MAC/IP as source, peer MAC from the
 * context, IP ID from the context), both checksums computed. The twin of
 * rtl/tcp_tx.v; not yet wired into the model card (revision 1.2).
 */
#ifndef TT_MODEL_TCP_TX_H
#define TT_MODEL_TCP_TX_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/ctx.h"

#define TCP_TX_HDR 54 /* Ethernet 14 + IPv4 20 + TCP 20, no options */

/* Build a segment with sequence seq, the context's rcv_nxt as ACK and its
 * receive window, flags (ACK always set) and len payload bytes, into
 * frame (TCP_TX_HDR + len bytes). Uses and advances c->ip_id. Returns the
 * frame length. */
size_t tcp_tx_build(struct tt_ctx *c, const uint8_t team_mac[6], uint8_t flags,
		    uint32_t seq, const uint8_t *payload, size_t len,
		    uint8_t *frame);

#endif
