/* SPDX-License-Identifier: MIT */
/*
 * Trace items out (CTRL bit 1) and follow mode's items in: the actions
 * whose moment the card chooses, reported and replayed (model.h has the
 * contract the RTL keeps).
 */
#include <stdio.h>

#include "card_int.h"
#include "model.h"

static const char *const trace_name[] = {
#define TT_E(name, code) [code] = #name,
	TT_TRACES(TT_E)
#undef TT_E
};

int model_trace_on(const struct model_card *m)
{
	return (m->ctrl >> 1) & 1;
}

int model_trace_room(const struct model_card *m)
{
	return !model_trace_on(m) || m->trace_count < MODEL_TRACE_CAP;
}

void model_trace_push(struct model_card *m, uint8_t kind, uint16_t slot,
		      uint32_t value)
{
	if (!model_trace_on(m) || m->trace_count == MODEL_TRACE_CAP)
		return;
	m->trace[ring_at(m->trace_head, m->trace_count++, MODEL_TRACE_CAP)] =
		(struct tt_trace){
			.kind = kind, .slot = slot, .value = value,
			.order = m->counters[TT_CNT_RX_FRAMES],
		};
}

void model_follow_error(struct model_card *m, const char *what,
			const struct tt_trace *t)
{
	m->follow_errors++;
	fprintf(stderr, "model: follow: %s (item %s slot %u order %u value %u, "
		"model at frame %u)\n", what,
		t->kind < sizeof(trace_name) / sizeof(trace_name[0]) &&
		trace_name[t->kind] ? trace_name[t->kind] : "?",
		t->slot, t->order, t->value, m->counters[TT_CNT_RX_FRAMES]);
}

/* Inputs an item needs before it can apply: the host's doorbell, answer
 * or context command, in the same order the card took them. */
static int check_input(struct model_card *m, const struct tt_trace *t)
{
	switch (t->kind) {
	case TT_TRACE_DOORBELL: {
		const struct model_doorbell *d = &m->db[m->db_head];

		if (!m->db_count)
			return 0;
		if (d->slot != t->slot || d->snd_end != t->value)
			model_follow_error(m, "doorbell differs", t);
		return 1;
	}
	case TT_TRACE_TX_ANSWER: {
		struct frameq_item *it = frameq_head(&m->answers);
		const struct tt_dma_read_req *r;

		if (!it)
			return 0;
		r = (const struct tt_dma_read_req *)(const void *)it->meta;
		if (r->slot != t->slot || r->seq != t->value)
			model_follow_error(m, "answer differs", t);
		return 1;
	}
	case TT_TRACE_CTX:
		return m->cmd_count != 0;
	case TT_TRACE_SEG_ACK: {
		const struct rx_followup *f = &m->fu[m->fu_head];

		/* its segment is decided: the item's order counts it */
		if (!m->fu_count)
			return 1;
		if (f->slot != t->slot || rx_followup_value(f) != t->value)
			model_follow_error(m, "follow-up differs", t);
		return 1;
	}
	}
	return 1;
}

/* Apply one item; 0 if it must wait (input or room). */
static int apply_item(struct model_card *m, const struct tt_trace *t)
{
	int rc;

	if (!m->sweep_active && !check_input(m, t))
		return 0;
	switch (t->kind) {
	case TT_TRACE_DOORBELL:
		return tx_doorbell_apply(m);
	case TT_TRACE_TX_ANSWER:
		return tx_answer_apply(m);
	case TT_TRACE_CTX:
		/* the RTL keeps the context port closed from a segment to its
		 * follow-up (model.h) */
		rc = model_ctx_exec_oldest(m);
		if (rc && m->fu_count)
			model_follow_error(m, "context command between a segment "
					   "and its follow-up", t);
		return rc;
	case TT_TRACE_SEG_ACK:
		if (!m->fu_count) {
			model_follow_error(m, "follow-up of no segment", t);
			return 1;
		}
		return model_followup_apply(m);
	case TT_TRACE_TX_READ:
		if (t->slot >= m->table.slots) {
			model_follow_error(m, "read of a slot out of range", t);
			return 1;
		}
		rc = tx_schedule_slot(m, t->slot);
		if (rc < 0)
			return 0;
		if (rc == 0)
			model_follow_error(m, "read where the model sends nothing", t);
		else if (m->slot[t->slot].rd.seq != t->value)
			model_follow_error(m, "read at another sequence", t);
		return 1;
	case TT_TRACE_TICK:
		if (!m->sweep_active) {
			if (!model_trace_room(m))
				return 0;
			timer_sweep_begin(m);
			if (m->tick_no != t->value)
				model_follow_error(m, "tick number differs", t);
			/* the RTL's follow-ups go before its sweep (model.h) */
			if (m->fu_count)
				model_follow_error(m, "tick between a segment and "
						   "its follow-up", t);
		}
		return timer_sweep_run(m);
	}
	return 1;
}

int model_follow_actions(struct model_card *m)
{
	uint32_t done = m->counters[TT_CNT_RX_FRAMES];

	while (m->fq_count) {
		const struct tt_trace *t = &m->fq[m->fq_head];

		if ((int32_t)(t->order - done) > 0)
			break;
		if (t->order != done && !m->sweep_active)
			model_follow_error(m, "item due at an earlier frame", t);
		if (!apply_item(m, t))
			return 0;
		m->fq_head = ring_at(m->fq_head, 1, MODEL_FOLLOW_CAP);
		m->fq_count--;
	}
	return (int32_t)(m->rx_limit - done) > 0;
}

static struct model_card *model_of(struct tt_card *c)
{
	return c->ops == &tt_card_model_ops ? (struct model_card *)c : NULL;
}

int model_card_follow_trace(struct tt_card *c, const struct tt_trace *t)
{
	struct model_card *m = model_of(c);

	if (!m || !m->follow || t->kind < TT_TRACE_DOORBELL ||
	    t->kind > TT_TRACE_SEG_ACK)
		return TT_EINVAL;
	if (m->fq_count == MODEL_FOLLOW_CAP)
		return TT_EAGAIN;
	m->trace_follow = 1;
	m->fq[ring_at(m->fq_head, m->fq_count++, MODEL_FOLLOW_CAP)] = *t;
	return TT_OK;
}

uint32_t model_card_follow_errors(struct tt_card *c)
{
	struct model_card *m = model_of(c);

	return m ? m->follow_errors : 0;
}
