/* SPDX-License-Identifier: MIT */
/*
 * The receive engine stage of the model card, the twin of
 * rtl/rx_engine.v (the segment part) and of the follow-up action of
 * rtl/tx_engine.v (the congestion step). ENGINE.md 1 in two parts:
 *
 *  - rx_engine_segment(): tcp_rx_segment() on the slot's context, the
 *    PAYLOAD write and the ACKED event; if the segment acknowledged new
 *    data or was a duplicate ACK (revision 1.3), it leaves a follow-up
 *    and sends no ACK; else the pure ACK (if any) at tcp_out_high();
 *  - rx_engine_followup(): tcp_cc (NEW_ACK with the carried amount, then
 *    tcp_timer_ack; or DUP_ACK), a RETRANS event, the pure ACK.
 *
 * The card (card.c) checks first that every output has room, then calls
 * these, then queues the outputs and gates the ACK like a host frame.
 * Standalone the follow-up runs right after its segment; in follow mode
 * where the RTL's SEG_ACK trace item says (model.h).
 */
#ifndef TT_MODEL_RX_ENGINE_H
#define TT_MODEL_RX_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "conn_table.h"
#include "parse.h"
#include "tcp_rx.h"
#include "tcp_tx.h"

/* What a segment leaves for its congestion step. */
struct rx_followup {
	uint16_t slot;
	uint32_t acked;             /* new snd_una - old, if is_acked */
	uint8_t is_acked, is_dupack;
	uint8_t dupacks;            /* is_dupack: the count this segment made */
	uint8_t send_ack;           /* the segment asked for an ACK */
};

/* The SEG_ACK trace item's value of a follow-up: the acked amount (never
 * 0: snd_una advanced), or 0 for a duplicate ACK. */
static inline uint32_t rx_followup_value(const struct rx_followup *f)
{
	return f->is_acked ? f->acked : 0;
}

struct rx_engine_out {
	struct tcp_rx_out rx;       /* what the rules decided */
	int unhandled;              /* ACK clear: exception UNHANDLED, the
				       context untouched, nothing below */
	size_t payload_off;         /* rx.len > 0: frame bytes [payload_off,
				       payload_off + rx.len) at rx.seq */
	uint32_t snd_una;           /* rx.acked: the ACKED event's value */
	int followup;               /* fu is to be applied (revision 1.3) */
	struct rx_followup fu;
	uint8_t ack[TCP_TX_HDR];    /* the pure ACK */
	size_t ack_len;             /* TCP_TX_HDR, or 0 if none */
};

struct rx_followup_out {
	int retransmit;             /* event RETRANS, value: */
	uint32_t retransmit_seq;
	uint8_t ack[TCP_TX_HDR];    /* the pure ACK */
	size_t ack_len;             /* TCP_TX_HDR, or 0 if none */
};

/* Run the segment part on h (parsed from its frame) of the connection in
 * slot (engine_tx: revision 1.3, which leaves a follow-up for an ACK of
 * new data or a duplicate ACK; 0 for revision 1.2, whose engine has no
 * congestion step). Counts ENG_SEGMENTS, ENG_PAYLOADS,
 * ENG_PAYLOAD_BYTES, ENG_ACKED, the ENG_ notes and ENG_DUPACKS in
 * counters[]; the card counts what happens to the ACK. */
void rx_engine_segment(struct conn_table *t, uint16_t slot,
		       const struct parse_hdr *h, const uint8_t team_mac[6],
		       int engine_tx, struct rx_engine_out *o,
		       uint32_t *counters);

/* Apply a follow-up to its slot's context as it is now. Counts
 * ENG_FAST_RETRANS. */
void rx_engine_followup(struct conn_table *t, const struct rx_followup *f,
			const uint8_t team_mac[6], struct rx_followup_out *o,
			uint32_t *counters);

#endif
