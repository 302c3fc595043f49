/* SPDX-License-Identifier: MIT */
/*
 * The context record: everything a card needs to run one offloaded TCP
 * connection, and everything the host must move to reload it on another
 * card. Layout from TT_CTX_FIELDS in defs.h; 64 bytes on the wire of the
 * context port.
 */
#ifndef TEAMTOE_CTX_H
#define TEAMTOE_CTX_H

#include <stdint.h>
#include "teamtoe/defs.h"

enum tt_ctx_flag {
	TT_CTXF_VALID       = 1u << 0,
	TT_CTXF_ACK_PENDING = 1u << 1, /* a delayed ACK is owed */
	TT_CTXF_RECOVERY    = 1u << 2, /* in NewReno fast recovery */
	/* Timer-stage state (sw-model/tcp_timers.h, revision 1.3): */
	TT_CTXF_DELACK      = 1u << 3, /* ACK_PENDING has seen one tick */
	TT_CTXF_PERSIST     = 1u << 4, /* `timer` is the persist timer */
	TT_CTXF_PROBE       = 1u << 5, /* a zero-window probe is owed */
};

enum tt_tcp_state {
	TT_TCP_ESTABLISHED = 1,
	TT_TCP_CLOSE_WAIT  = 2,
};

struct tt_ctx {
#define TT_CTX_MEMBER(name, type, bit, bits) type name;
	TT_CTX_FIELDS(TT_CTX_MEMBER)
#undef TT_CTX_MEMBER
};

/* Pack into the 64-byte wire record; bits outside the fields are zero. */
void tt_ctx_pack(const struct tt_ctx *ctx, uint8_t rec[TT_CTX_BYTES]);

/* Unpack a wire record. Returns 0, or -1 if its version is not
 * TT_CTX_VERSION (the fields are unpacked all the same). */
int tt_ctx_unpack(const uint8_t rec[TT_CTX_BYTES], struct tt_ctx *ctx);

#endif
