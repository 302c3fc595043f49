/* SPDX-License-Identifier: MIT */
/*
 * The transmit engine of the model card (revision 1.3, ENGINE.md 2-4):
 * doorbells, the scheduler of kicked slots and the DMA read answers that
 * become data segments. The twin of rtl/tcp_tx.v's control around the
 * pure stages tcp_out.c and tcp_tx.c.
 */
#include <string.h>

#include "card_int.h"
#include "tcp_tx.h"

void tx_kick(struct model_card *m, uint16_t slot)
{
	/* in follow mode the RTL's TX_READ items say what the scheduler
	 * did; the model keeps no queue of its own */
	if (m->follow || !m->engine_tx || m->slot[slot].kicked)
		return;
	m->slot[slot].kicked = 1;
	m->kick[ring_at(m->kick_head, m->kick_count++, m->table.slots)] = slot;
}

void tx_slot_reset(struct model_card *m, uint16_t slot)
{
	m->slot[slot].rd_out = 0;
}

int tx_doorbell_apply(struct model_card *m)
{
	struct model_doorbell d;
	struct tt_ctx c;

	if (!m->db_count || !model_trace_room(m))
		return 0;
	d = m->db[m->db_head];
	m->db_head = ring_at(m->db_head, 1, MODEL_DB_CAP);
	m->db_count--;
	model_trace_push(m, TT_TRACE_DOORBELL, d.slot, d.snd_end);
	/* a doorbell for an empty slot (the connection left the card
	 * before it arrived) has nothing to apply to */
	if (!m->table.valid[d.slot]) {
		m->counters[TT_CNT_ENG_DB_IGNORED]++;
		return 1;
	}
	tt_ctx_unpack(m->table.ctx[d.slot], &c);
	if (tcp_out_doorbell(&c, d.snd_end) < 0) {
		m->counters[TT_CNT_ENG_DB_IGNORED]++;
	} else {
		m->counters[TT_CNT_ENG_DOORBELLS]++;
		tt_ctx_pack(&c, m->table.ctx[d.slot]);
	}
	tx_kick(m, d.slot);
	return 1;
}

int tx_schedule_slot(struct model_card *m, uint16_t slot)
{
	struct model_slot *ms = &m->slot[slot];
	struct tcp_out_seg s;
	struct tt_ctx c;

	if (!m->table.valid[slot] || ms->rd_out)
		return 0;
	tt_ctx_unpack(m->table.ctx[slot], &c);
	tcp_out_next(&c, &s);
	if (s.kind == TCP_OUT_NONE)
		return 0;
	if (m->rdq_count == MODEL_RDQ_CAP || !model_trace_room(m))
		return -1;
	m->rdq[ring_at(m->rdq_head, m->rdq_count++, MODEL_RDQ_CAP)] =
		(struct tt_dma_read_req){ .slot = slot, .len = s.len, .seq = s.seq };
	ms->rd_out = 1;
	ms->rd = s;
	m->counters[TT_CNT_ENG_RD_REQS]++;
	model_trace_push(m, TT_TRACE_TX_READ, slot, s.seq);
	return 1;
}

void tx_schedule(struct model_card *m)
{
	while (m->kick_count) {
		uint16_t slot = m->kick[m->kick_head];

		if (tx_schedule_slot(m, slot) < 0)
			return;                  /* stays first in line */
		m->slot[slot].kicked = 0;
		m->kick_head = ring_at(m->kick_head, 1, m->table.slots);
		m->kick_count--;
	}
}

/* ENGINE.md 4.1: the answer belongs to the read outstanding on its slot.
 * An export or import in between cleared that read (tx_slot_reset), so
 * the answer is stale; so is one that matches no outstanding read (a
 * host bug, or an answer to a request of an earlier tenant of the
 * slot). */
static int answer_stale(const struct model_card *m,
			const struct tt_dma_read_req *r)
{
	const struct model_slot *ms = &m->slot[r->slot];

	return !m->table.valid[r->slot] || !ms->rd_out ||
	       ms->rd.seq != r->seq || ms->rd.len != r->len;
}

int tx_answer_apply(struct model_card *m)
{
	struct frameq_item *it = frameq_head(&m->answers);
	uint8_t frame[TCP_TX_HDR + TT_MAX_FRAME];
	struct tt_dma_read_req r;
	struct model_slot *ms;
	uint8_t mac[6];
	struct tt_ctx c;
	size_t len;

	if (!it || !model_trace_room(m) || !model_engine_room(m))
		return 0;
	memcpy(&r, it->meta, sizeof(r));
	model_trace_push(m, TT_TRACE_TX_ANSWER, r.slot, r.seq);
	if (answer_stale(m, &r)) {
		m->counters[TT_CNT_ENG_RD_STALE]++;
		frameq_pop(&m->answers);
		return 1;
	}
	ms = &m->slot[r.slot];
	model_team_mac(m, mac);
	tt_ctx_unpack(m->table.ctx[r.slot], &c);
	/* always sent, even after an ACK or a go-back since the request:
	 * valid data at its sequence number (ENGINE.md 4.2) */
	len = tcp_tx_build(&c, mac, 0, ms->rd.seq, it->data, ms->rd.len, frame);
	tcp_out_sent(&c, &ms->rd);
	/* ENGINE.md 4.3: a copy sent past the highest sequence sent (its
	 * read was issued before a go-back) raises `recover` to its end, so
	 * that the peer's ACK of it is not refused as "unsent" */
	if (seq_lt(tcp_out_high(&c), ms->rd.seq + ms->rd.len))
		c.recover = ms->rd.seq + ms->rd.len;
	tt_ctx_pack(&c, m->table.ctx[r.slot]);
	if (model_engine_send(m, frame, len)) {
		m->counters[TT_CNT_ENG_DATA_SEGS]++;
		m->counters[TT_CNT_ENG_DATA_BYTES] += ms->rd.len;
		if (ms->rd.kind == TCP_OUT_PROBE)
			m->counters[TT_CNT_ENG_PROBES]++;
	} else {
		m->counters[TT_CNT_ENG_DATA_DROPPED]++;
	}
	ms->rd_out = 0;
	frameq_pop(&m->answers);
	tx_kick(m, r.slot);
	return 1;
}
