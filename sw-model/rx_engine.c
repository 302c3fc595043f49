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

/* The pure ACK of ENGINE.md 1.6: built from the context as it is (rcv_nxt,
 * window) at the highest sequence sent; it takes the next IP ID, which
 * is written back with it, and clears ACK_PENDING and DELACK. */
static size_t pure_ack(struct tt_ctx *c, const uint8_t team_mac[6],
		       uint8_t frame[TCP_TX_HDR])
{
	struct tcp_out_seg s;
	size_t len;

	tcp_out_ack(c, &s);
	len = tcp_tx_build(c, team_mac, 0, s.seq, NULL, 0, frame);
	tcp_out_sent(c, &s);
	return len;
}

void rx_engine_segment(struct conn_table *t, uint16_t slot,
		       const struct parse_hdr *h, const uint8_t team_mac[6],
		       int engine_tx, struct rx_engine_out *o,
		       uint32_t *counters)
{
	struct tcp_rx_seg s = {
		.seq = h->seq, .ack = h->ack, .wnd = h->window,
		.flags = h->flags, .len = h->payload_len,
	};
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
	if (o->rx.acked) {
		o->snd_una = c.snd_una;
		counters[TT_CNT_ENG_ACKED]++;
	}
	if (engine_tx && (o->rx.acked || o->rx.dupack)) {
		/* ENGINE.md 1.3-1.4 and the ACK wait for the follow-up */
		o->followup = 1;
		o->fu = (struct rx_followup){
			.slot = slot, .acked = c.snd_una - una0,
			.is_acked = (uint8_t)o->rx.acked,
			.is_dupack = (uint8_t)o->rx.dupack,
			.dupacks = c.dupacks,
			.send_ack = (uint8_t)o->rx.send_ack,
		};
	} else if (o->rx.send_ack) {
		o->ack_len = pure_ack(&c, team_mac, o->ack);
	}
	tt_ctx_pack(&c, t->ctx[slot]);
}

void rx_engine_followup(struct conn_table *t, const struct rx_followup *f,
			const uint8_t team_mac[6], struct rx_followup_out *o,
			uint32_t *counters)
{
	struct tcp_cc_out cc = { 0 };
	struct tt_ctx c;

	memset(o, 0, sizeof(*o));
	tt_ctx_unpack(t->ctx[f->slot], &c);
	if (f->is_acked) {                       /* ENGINE.md 1.3 */
		tcp_cc_new_ack(&c, f->acked, &cc);
		tcp_timer_ack(&c);
	}
	if (f->is_dupack) {                      /* ENGINE.md 1.4 */
		/* the third duplicate ACK is the segment that made the count
		 * 3, even if more came in before this step: the count it made
		 * decides, and the record keeps its own unless the step
		 * clears it */
		uint8_t now = c.dupacks;

		c.dupacks = f->dupacks;
		tcp_cc_dup_ack(&c, &cc);
		if (cc.what != TCP_CC_DUP_ZERO_WINDOW)
			c.dupacks = now;
		if (cc.what == TCP_CC_FAST_RETRANSMIT)
			counters[TT_CNT_ENG_FAST_RETRANS]++;
	}
	o->retransmit = cc.retransmit;
	o->retransmit_seq = cc.seq;
	if (f->send_ack)                         /* ENGINE.md 1.6 */
		o->ack_len = pure_ack(&c, team_mac, o->ack);
	tt_ctx_pack(&c, t->ctx[f->slot]);
}
