/* SPDX-License-Identifier: MIT */
/*
 * The timer tick of the model card (revision 1.3, ENGINE.md 5): every
 * TIMER_SCALE cycles, every valid slot in slot order goes through
 * tcp_timer_tick(). A sweep is atomic with respect to received frames and
 * the other engine actions; when an output is full it stops at a slot
 * and goes on from there, holding everything else meanwhile (the RTL's
 * sweep stalls the same way).
 */
#include "card_int.h"
#include "tcp_timers.h"
#include "tcp_tx.h"

void timer_sweep_begin(struct model_card *m)
{
	m->tick_no++;
	m->sweep_active = 1;
	m->sweep_slot = 0;
	model_trace_push(m, TT_TRACE_TICK, TT_SLOT_NONE, m->tick_no);
}

/* One slot's tick. */
static void sweep_slot(struct model_card *m, uint16_t slot)
{
	struct tcp_timer_cfg cfg = { .retry_limit = (uint8_t)m->retry_limit };
	struct tcp_timer_out t;
	struct tt_ctx c;

	tt_ctx_unpack(m->table.ctx[slot], &c);
	tcp_timer_tick(&c, &cfg, &t);
	if (t.send_ack) {
		uint8_t frame[TCP_TX_HDR], mac[6];
		struct tcp_out_seg s;
		size_t len;

		model_team_mac(m, mac);
		tcp_out_ack(&c, &s);
		len = tcp_tx_build(&c, mac, 0, s.seq, NULL, 0, frame);
		tcp_out_sent(&c, &s);
		m->counters[TT_CNT_ENG_DELACKS]++;
		if (model_engine_send(m, frame, len))
			m->counters[TT_CNT_ENG_ACKS_SENT]++;
		else
			m->counters[TT_CNT_ENG_ACKS_DROPPED]++;
	}
	tt_ctx_pack(&c, m->table.ctx[slot]);
	if (t.what == TCP_TIMER_RTO)
		m->counters[TT_CNT_ENG_RTO]++;
	if (t.retransmit)
		model_push_event(m, TT_EVT_RETRANS, slot, t.seq);
	if (t.rto_limit) {
		m->counters[TT_CNT_ENG_RTO_LIMIT]++;
		model_push_event(m, TT_EVT_RTO_LIMIT, slot, c.retries);
	}
	tx_kick(m, slot);
}

int timer_sweep_run(struct model_card *m)
{
	while (m->sweep_slot < m->table.slots) {
		uint16_t slot = (uint16_t)m->sweep_slot;

		if (m->table.valid[slot]) {
			if (!model_engine_room(m))
				return 0;
			sweep_slot(m, slot);
		}
		m->sweep_slot++;
	}
	m->sweep_active = 0;
	return 1;
}
