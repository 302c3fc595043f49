/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "teamtoe/card.h"
#include "rx_engine.h"

/* The counter each note of tcp_rx_segment() moves (TCP_RX_OK: none). */
static const int note_counter[] = {
	[TCP_RX_OK]           = -1,
	[TCP_RX_NO_ACK]       = -1,
	[TCP_RX_ACK_UNSENT]   = TT_CNT_ENG_ACK_UNSENT,
	[TCP_RX_OUT_OF_ORDER] = TT_CNT_ENG_OUT_OF_ORDER,
	[TCP_RX_DUPLICATE]    = TT_CNT_ENG_DUPLICATE,
	[TCP_RX_WINDOW_TRIM]  = TT_CNT_ENG_WINDOW_TRIM,
	[TCP_RX_ZERO_WINDOW]  = TT_CNT_ENG_ZERO_WINDOW,
};

void rx_engine_segment(struct conn_table *t, uint16_t slot,
		       const struct parse_hdr *h, const uint8_t team_mac[6],
		       struct rx_engine_out *o, uint32_t *counters)
{
	struct tcp_rx_seg s = {
		.seq = h->seq, .ack = h->ack, .wnd = h->window,
		.flags = h->flags, .len = h->payload_len,
	};
	struct tt_ctx c;

	memset(o, 0, sizeof(*o));
	tt_ctx_unpack(t->ctx[slot], &c);
	tcp_rx_segment(&c, &s, &o->rx);
	if (o->rx.note == TCP_RX_NO_ACK) {
		/* the host's segment: nothing written back */
		o->unhandled = 1;
		return;
	}
	counters[TT_CNT_ENG_SEGMENTS]++;
	if (note_counter[o->rx.note] >= 0)
		counters[note_counter[o->rx.note]]++;
	if (o->rx.dupack)
		counters[TT_CNT_ENG_DUPACKS]++;
	if (o->rx.len) {
		o->payload_off = h->payload_off + o->rx.off;
		counters[TT_CNT_ENG_PAYLOADS]++;
		counters[TT_CNT_ENG_PAYLOAD_BYTES] += o->rx.len;
	}
	if (o->rx.acked) {
		o->snd_una = c.snd_una;
		counters[TT_CNT_ENG_ACKED]++;
	}
	/* The ACK is built from the context after the update (rcv_nxt,
	 * window) and takes the next IP ID, which is written back with it. */
	if (o->rx.send_ack)
		o->ack_len = tcp_tx_build(&c, team_mac, 0, c.snd_nxt, NULL, 0,
					  o->ack);
	tt_ctx_pack(&c, t->ctx[slot]);
}
