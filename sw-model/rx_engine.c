/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "teamtoe/card.h"
#include "rx_engine.h"
#include "tcp_cc.h"
#include "tcp_out.h"
#include "tcp_timers.h"

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
		       int engine_tx, struct rx_engine_out *o,
		       uint32_t *counters)
{
	struct tcp_rx_seg s = {
		.seq = h->seq, .ack = h->ack, .wnd = h->window,
		.flags = h->flags, .len = h->payload_len,
	};
	struct tcp_cc_out cc = { 0 };
	struct tt_ctx c;
	uint32_t una0;

	memset(o, 0, sizeof(*o));
	tt_ctx_unpack(t->ctx[slot], &c);
	una0 = c.snd_una;
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
	if (o->rx.acked && engine_tx) {         /* ENGINE.md 1.3 */
		tcp_cc_new_ack(&c, c.snd_una - una0, &cc);
		tcp_timer_ack(&c);
	}
	if (o->rx.acked) {
		o->snd_una = c.snd_una;
		counters[TT_CNT_ENG_ACKED]++;
	}
	if (o->rx.dupack && engine_tx) {        /* ENGINE.md 1.4 */
		tcp_cc_dup_ack(&c, &cc);
		if (cc.what == TCP_CC_FAST_RETRANSMIT)
			counters[TT_CNT_ENG_FAST_RETRANS]++;
	}
	o->retransmit = cc.retransmit;
	o->retransmit_seq = cc.seq;
	/* The ACK is built from the context after the update (rcv_nxt,
	 * window) and takes the next IP ID, which is written back with it;
	 * its sequence is the highest sent (ENGINE.md 1.6). */
	if (o->rx.send_ack) {
		struct tcp_out_seg s_ack;

		tcp_out_ack(&c, &s_ack);
		o->ack_len = tcp_tx_build(&c, team_mac, 0, s_ack.seq, NULL, 0,
					  o->ack);
		tcp_out_sent(&c, &s_ack);
	}
	tt_ctx_pack(&c, t->ctx[slot]);
}
