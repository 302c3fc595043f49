/* SPDX-License-Identifier: MIT */
/*
 * The receive engine stage of the model card, the twin of
 * rtl/rx_engine.v: for a segment whose lookup hit and that has none of
 * SYN/FIN/RST/URG, read the slot's context, apply ENGINE.md 1 (revision
 * 1.3: tcp_rx_segment(), then tcp_cc and tcp_timers on the ACK), write
 * the context back, and say what goes out: a PAYLOAD DMA write, an ACKED
 * event, a RETRANS event, a pure ACK built by tcp_tx_build().
 *
 * The card (card.c) checks first that every output has room, then calls
 * this, then queues the outputs and gates the ACK like a host frame.
 */
#ifndef TT_MODEL_RX_ENGINE_H
#define TT_MODEL_RX_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "conn_table.h"
#include "parse.h"
#include "tcp_rx.h"
#include "tcp_tx.h"

struct rx_engine_out {
	struct tcp_rx_out rx;       /* what the rules decided */
	int unhandled;              /* ACK clear: exception UNHANDLED, the
				       context untouched, nothing below */
	size_t payload_off;         /* rx.len > 0: frame bytes [payload_off,
				       payload_off + rx.len) at rx.seq */
	uint32_t snd_una;           /* rx.acked: the ACKED event's value */
	int retransmit;             /* event RETRANS (after ACKED), value: */
	uint32_t retransmit_seq;
	uint8_t ack[TCP_TX_HDR];    /* rx.send_ack: the pure ACK */
	size_t ack_len;             /* TCP_TX_HDR, or 0 if none */
};

/* Run the engine on the segment h (engine_tx: revision 1.3's steps 3-4,
 * congestion control and timers; 0 for revision 1.2) (parsed from its frame) of the
 * connection in slot. Counts ENG_SEGMENTS, ENG_PAYLOADS,
 * ENG_PAYLOAD_BYTES, ENG_ACKED, the ENG_ notes, ENG_DUPACKS and
 * ENG_FAST_RETRANS in
 * counters[]; the card counts what happens to the ACK. */
void rx_engine_segment(struct conn_table *t, uint16_t slot,
		       const struct parse_hdr *h, const uint8_t team_mac[6],
		       int engine_tx, struct rx_engine_out *o,
		       uint32_t *counters);

#endif
