/* SPDX-License-Identifier: MIT */
/*
 * The C model of one card: the "model" backend of the card interface.
 * Transaction-level twin of rtl/toe_nic.v: for the same calls in the same
 * order it produces the same items on every output stream and the same
 * counters. It does not model cycle timing beyond a throughput of 8 bytes
 * per cycle per path. A frame is decided whole (verdict, lookup, receive
 * engine, outputs) before the next one, and context commands run between
 * two frames. Frames to the wire keep their source; the host's and the
 * engine's are each in the order of the RTL, their interleaving is not
 * modelled (the RTL's arbiter decides it).
 *
 * Revision 1.3 adds the transmit engine (ENGINE.md: tx_engine.c,
 * timer_sweep.c). Standalone, the model chooses the moments of the
 * engine's own actions at each step and before every received frame:
 * context commands, then owed timer sweeps, then doorbells, then DMA
 * read answers, then the scheduler over the kicked slots in the order
 * they were kicked; a segment's follow-up (its congestion step, ENGINE.md
 * 1) right after the segment. In follow mode it takes them from the RTL's
 * trace (follow.c, model.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamtoe/card.h"
#include "teamtoe/frameq.h"
#include "card_int.h"
#include "conn_table.h"
#include "ctx_port.h"
#include "model.h"
#include "parse.h"
#include "rx_engine.h"
#include "tcp_tx.h"

#define MODEL_IN_FRAMES   64   /* input queues (wire RX, host TX, answers) */
#define MODEL_OUT_FRAMES  256  /* output queues (wire TX, DMA write) */
#define MODEL_EVT_CAP     (1024 + 16) /* host event ring + card event FIFO */
#define MODEL_REG_CYCLES  3    /* cycles one register access takes */

static struct model_card *to_model(struct tt_card *c)
{
	return (struct model_card *)c;
}

static void model_destroy(struct tt_card *c)
{
	struct model_card *m = to_model(c);

	frameq_free(&m->rx_in);
	frameq_free(&m->host_in);
	frameq_free(&m->net_out);
	frameq_free(&m->dma_out);
	frameq_free(&m->answers);
	free(m->evt);
	free(m->slot);
	free(m->kick);
	conn_table_free(&m->table);
	free(m);
}

static struct tt_card *model_create(const struct tt_card_params *p, int *err)
{
	struct model_card *m = calloc(1, sizeof(*m));

	if (!m)
		goto err_alloc;
	m->base.ops = &tt_card_model_ops;
	m->params = *p;
	if (frameq_init(&m->rx_in, MODEL_IN_FRAMES, 0xffff) ||
	    frameq_init(&m->host_in, MODEL_IN_FRAMES, TT_MAX_FRAME) ||
	    frameq_init(&m->net_out, MODEL_OUT_FRAMES, TT_MAX_FRAME) ||
	    frameq_init(&m->dma_out, MODEL_OUT_FRAMES, TT_MAX_FRAME) ||
	    frameq_init(&m->answers, MODEL_IN_FRAMES, TT_MAX_FRAME - TCP_TX_HDR))
		goto err_queues;
	m->evt = calloc(MODEL_EVT_CAP, sizeof(*m->evt));
	if (!m->evt)
		goto err_queues;
	if (conn_table_init(&m->table, p->conn_slots)) {
		*err = TT_EINVAL;
		model_destroy(&m->base);
		return NULL;
	}
	m->slot = calloc(m->table.slots, sizeof(*m->slot));
	m->kick = calloc(m->table.slots, sizeof(*m->kick));
	if (!m->slot || !m->kick)
		goto err_queues;
	m->retry_limit = MODEL_RETRY_LIMIT_RESET;
	m->engine_tx = 1;
	return &m->base;

err_queues:
	model_destroy(&m->base);
err_alloc:
	*err = TT_ENOMEM;
	return NULL;
}

/* ---------------------------------------------------------------- registers */

static int model_reg_write(struct tt_card *c, uint32_t addr, uint32_t val)
{
	struct model_card *m = to_model(c);

	m->cycles += MODEL_REG_CYCLES;
	switch (addr) {
	case TT_REG_CTRL:        m->ctrl = val & (m->engine_tx ? 3u : 1u); break;
	case TT_REG_CARD_ID:     m->card_id = val; break;
	case TT_REG_MAC_HI:      m->mac_hi = val & 0xffffu; break;
	case TT_REG_MAC_LO:      m->mac_lo = val; break;
	case TT_REG_IPV4:        m->ipv4 = val; break;
	case TT_REG_TIMER_SCALE: m->timer_scale = val; break;
	case TT_REG_RETRY_LIMIT: m->retry_limit = val & 0xffu; break;
	case TT_REG_HASH_KEY0:   m->table.key[0] = val; break;
	case TT_REG_HASH_KEY1:   m->table.key[1] = val; break;
	case TT_REG_HASH_KEY2:   m->table.key[2] = val; break;
	case TT_REG_HASH_KEY3:   m->table.key[3] = val; break;
	default:                 return TT_EINVAL;
	}
	return TT_OK;
}

static int model_reg_read(struct tt_card *c, uint32_t addr, uint32_t *val)
{
	struct model_card *m = to_model(c);
	uint32_t top = TT_REG_COUNTER_BASE + 4u * TT_COUNTER_COUNT;

	m->cycles += MODEL_REG_CYCLES;
	switch (addr) {
	case TT_REG_ID:          *val = TT_CARD_ID_VALUE; return TT_OK;
	case TT_REG_VERSION:
		*val = m->engine_tx ? MODEL_CARD_VERSION : TT_CARD_VERSION_RX;
		return TT_OK;
	case TT_REG_CTRL:        *val = m->ctrl; return TT_OK;
	case TT_REG_STATUS:      *val = m->link ? 1u : 0u; return TT_OK;
	case TT_REG_CARD_ID:     *val = m->card_id; return TT_OK;
	case TT_REG_MAC_HI:      *val = m->mac_hi; return TT_OK;
	case TT_REG_MAC_LO:      *val = m->mac_lo; return TT_OK;
	case TT_REG_IPV4:        *val = m->ipv4; return TT_OK;
	case TT_REG_TIMER_SCALE: *val = m->timer_scale; return TT_OK;
	case TT_REG_RETRY_LIMIT: *val = m->retry_limit; return TT_OK;
	case TT_REG_PARAMS:
		*val = (uint32_t)__builtin_ctz(m->table.slots) |
		       (uint32_t)__builtin_ctz(TT_CONN_WAYS) << 8;
		return TT_OK;
	case TT_REG_HASH_KEY0:   *val = m->table.key[0]; return TT_OK;
	case TT_REG_HASH_KEY1:   *val = m->table.key[1]; return TT_OK;
	case TT_REG_HASH_KEY2:   *val = m->table.key[2]; return TT_OK;
	case TT_REG_HASH_KEY3:   *val = m->table.key[3]; return TT_OK;
	}
	if (addr >= TT_REG_COUNTER_BASE && addr < top && (addr & 3) == 0) {
		*val = m->counters[(addr - TT_REG_COUNTER_BASE) / 4];
		return TT_OK;
	}
	return TT_EINVAL;
}

/* ---------------------------------------------------------------- events */

void model_push_event(struct model_card *m, uint8_t type, uint16_t slot,
		      uint32_t value)
{
	if (m->evt_count == MODEL_EVT_CAP) {
		m->counters[TT_CNT_EVT_DROP]++;
		return;
	}
	m->evt[(m->evt_head + m->evt_count++) % MODEL_EVT_CAP] =
		(struct tt_event){ .type = type, .slot = slot, .value = value };
}

static int model_event(struct tt_card *c, struct tt_event *ev)
{
	struct model_card *m = to_model(c);

	if (!m->evt_count)
		return TT_EAGAIN;
	*ev = m->evt[m->evt_head];
	m->evt_head = (m->evt_head + 1) % MODEL_EVT_CAP;
	m->evt_count--;
	return TT_OK;
}

static void model_set_link(struct tt_card *c, int up)
{
	to_model(c)->link_in = !!up;
}

/* ---------------------------------------------------------------- streams */

static int model_net_rx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	return frameq_push(&to_model(c)->rx_in, NULL, 0, frame, len) ? TT_EAGAIN : TT_OK;
}

static int model_host_tx(struct tt_card *c, const uint8_t *frame, size_t len)
{
	return frameq_push(&to_model(c)->host_in, NULL, 0, frame, len) ? TT_EAGAIN : TT_OK;
}

/* A frame to the wire keeps its source (enum tt_tx_src) in meta[0]. */
static int model_net_tx(struct tt_card *c, uint8_t *buf, size_t cap, size_t *len,
			int *src)
{
	struct frameq_item *it = frameq_head(&to_model(c)->net_out);

	if (!it)
		return TT_EAGAIN;
	if (it->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, it->data, it->len);
	*len = it->len;
	*src = it->meta[0];
	frameq_pop(&to_model(c)->net_out);
	return TT_OK;
}

static int model_dma_write(struct tt_card *c, struct tt_dma_write *d,
			   uint8_t *buf, size_t cap)
{
	struct frameq_item *it = frameq_head(&to_model(c)->dma_out);

	if (!it)
		return TT_EAGAIN;
	memcpy(d, it->meta, sizeof(*d));
	if (it->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, it->data, it->len);
	frameq_pop(&to_model(c)->dma_out);
	return TT_OK;
}

/* The next DMA read request of the transmit engine (ENGINE.md 3). */
static int model_dma_read_req(struct tt_card *c, struct tt_dma_read_req *r)
{
	struct model_card *m = to_model(c);

	if (!m->engine_tx)
		return TT_EUNSUPPORTED;
	if (!m->rdq_count)
		return TT_EAGAIN;
	*r = m->rdq[m->rdq_head];
	m->rdq_head = ring_at(m->rdq_head, 1, MODEL_RDQ_CAP);
	m->rdq_count--;
	return TT_OK;
}

/* An answer waits in the card's answer queue until the engine takes it
 * (ENGINE.md 4); whether it is stale is decided then. */
static int model_dma_read_resp(struct tt_card *c, const struct tt_dma_read_req *r,
			       const uint8_t *data)
{
	struct model_card *m = to_model(c);

	if (!m->engine_tx)
		return TT_EUNSUPPORTED;
	if (r->slot >= m->table.slots || !r->len ||
	    r->len > TT_MAX_FRAME - TCP_TX_HDR)
		return TT_EINVAL;
	return frameq_push(&m->answers, r, sizeof(*r), data, r->len) ?
	       TT_EAGAIN : TT_OK;
}

static int model_doorbell(struct tt_card *c, uint16_t slot, uint32_t snd_end)
{
	struct model_card *m = to_model(c);

	if (!m->engine_tx)
		return TT_EUNSUPPORTED;
	if (slot >= m->table.slots)
		return TT_EINVAL;
	if (m->db_count == MODEL_DB_CAP)
		return TT_EAGAIN;
	m->db[ring_at(m->db_head, m->db_count++, MODEL_DB_CAP)] =
		(struct model_doorbell){ .slot = slot, .snd_end = snd_end };
	return TT_OK;
}

static int model_trace(struct tt_card *c, struct tt_trace *t)
{
	struct model_card *m = to_model(c);

	if (!m->trace_count)
		return TT_EAGAIN;
	*t = m->trace[m->trace_head];
	m->trace_head = ring_at(m->trace_head, 1, MODEL_TRACE_CAP);
	m->trace_count--;
	return TT_OK;
}

static int model_ctx_cmd(struct tt_card *c, const struct tt_ctx_cmd *cmd)
{
	struct model_card *m = to_model(c);
	struct model_cmd *q;

	if (m->cmd_count == MODEL_CMD_CAP)
		return TT_EAGAIN;
	q = &m->cmd[(m->cmd_head + m->cmd_count++) % MODEL_CMD_CAP];
	q->cmd = *cmd;
	q->order_known = 0;
	return TT_OK;
}

static int model_ctx_result(struct tt_card *c, struct tt_ctx_result *res)
{
	struct model_card *m = to_model(c);

	if (!m->res_count)
		return TT_EAGAIN;
	*res = m->res[m->res_head];
	m->res_head = (m->res_head + 1) % MODEL_RES_CAP;
	m->res_count--;
	return TT_OK;
}

int model_card_follow(struct tt_card *c, int on)
{
	if (c->ops != &tt_card_model_ops)
		return TT_EINVAL;
	to_model(c)->follow = !!on;
	return TT_OK;
}

int model_card_revision(struct tt_card *c, uint32_t version)
{
	if (c->ops != &tt_card_model_ops ||
	    (version != TT_CARD_VERSION_RX && version != MODEL_CARD_VERSION))
		return TT_EINVAL;
	to_model(c)->engine_tx = version == MODEL_CARD_VERSION;
	return TT_OK;
}

int model_card_reads_outstanding(struct tt_card *c)
{
	struct model_card *m;
	int n = 0;

	if (c->ops != &tt_card_model_ops)
		return TT_EINVAL;
	m = to_model(c);
	for (uint32_t s = 0; s < m->table.slots; s++)
		if (m->table.valid[s] && m->slot[s].rd_out)
			n++;
	return n;
}

int model_card_rx_limit(struct tt_card *c, uint32_t frames)
{
	if (c->ops != &tt_card_model_ops)
		return TT_EINVAL;
	to_model(c)->rx_limit = frames;
	return TT_OK;
}

int model_card_ctx_order(struct tt_card *c, uint32_t order)
{
	struct model_card *m;

	if (c->ops != &tt_card_model_ops)
		return TT_EINVAL;
	m = to_model(c);
	for (size_t i = 0; i < m->cmd_count; i++) {
		struct model_cmd *q = &m->cmd[(m->cmd_head + i) % MODEL_CMD_CAP];
		if (!q->order_known) {
			q->order_known = 1;
			q->order = order;
			return TT_OK;
		}
	}
	return TT_EINVAL;
}

/* ---------------------------------------------------------------- step */

static uint64_t beats(size_t len) { return (len + 7) / 8; }

static void parse_cfg_of(const struct model_card *m, struct parse_cfg *cfg)
{
	cfg->mac[0] = (uint8_t)(m->mac_hi >> 8);
	cfg->mac[1] = (uint8_t)m->mac_hi;
	for (int i = 0; i < 4; i++)
		cfg->mac[2 + i] = (uint8_t)(m->mac_lo >> (24 - 8 * i));
	cfg->ip = m->ipv4;
	cfg->link_up = m->link;
	cfg->enabled = m->ctrl & 1;
}

/* The exception of a frame: one DMA write of the whole frame. */
static void rx_exception(struct model_card *m, struct frameq_item *it,
			 uint8_t reason, uint16_t slot)
{
	struct tt_dma_write d = {
		.kind = TT_DMA_EXCEPTION, .reason = reason,
		.len = (uint16_t)it->len, .slot = slot, .seq = 0,
	};

	frameq_push(&m->dma_out, &d, sizeof(d), it->data, it->len);
	m->counters[TT_COUNTER_EXC_BASE + reason]++;
}

void model_team_mac(const struct model_card *m, uint8_t mac[6])
{
	mac[0] = (uint8_t)(m->mac_hi >> 8);
	mac[1] = (uint8_t)m->mac_hi;
	for (int i = 0; i < 4; i++)
		mac[2 + i] = (uint8_t)(m->mac_lo >> (24 - 8 * i));
}

/* Room for everything one engine action may put out (a DMA write, two
 * events, a frame to the wire), checked before its context changes. */
int model_engine_room(const struct model_card *m)
{
	return !frameq_full(&m->dma_out) && !frameq_full(&m->net_out) &&
	       m->evt_count + 2 <= MODEL_EVT_CAP;
}

/* Engine frames are gated like host frames: link down or card disabled
 * drops them (counted), else they go out tagged as the engine's. */
int model_engine_send(struct model_card *m, const uint8_t *frame, size_t len)
{
	uint8_t src = TT_TX_SRC_ENGINE;

	if (!m->link) {
		m->counters[TT_CNT_TX_DROP_LINK_DOWN]++;
		return 0;
	}
	if (!(m->ctrl & 1)) {
		m->counters[TT_CNT_TX_DROP_DISABLED]++;
		return 0;
	}
	frameq_push(&m->net_out, &src, 1, frame, len);
	m->counters[TT_CNT_TX_FRAMES]++;
	m->counters[TT_CNT_TX_BYTES] += (uint32_t)len;
	return 1;
}

/* A segment of an offloaded connection without SYN/FIN/RST/URG: the
 * receive engine's segment part (ENGINE.md 1); an ACK of new data or a
 * duplicate ACK leaves a follow-up in m->fu. */
static void rx_engine(struct model_card *m, struct frameq_item *it,
		      const struct parse_cfg *cfg, const struct parse_hdr *hdr,
		      uint16_t slot)
{
	struct rx_engine_out o;

	rx_engine_segment(&m->table, slot, hdr, cfg->mac, m->engine_tx, &o,
			  m->counters);
	if (o.unhandled) {
		rx_exception(m, it, TT_EXC_UNHANDLED, slot);
		return;
	}
	if (o.rx.acked)
		model_push_event(m, TT_EVT_ACKED, slot, o.snd_una);
	if (o.rx.len) {
		struct tt_dma_write d = {
			.kind = TT_DMA_PAYLOAD, .reason = 0, .len = o.rx.len,
			.slot = slot, .seq = o.rx.seq,
		};
		frameq_push(&m->dma_out, &d, sizeof(d), it->data + o.payload_off,
			    o.rx.len);
	}
	if (o.ack_len) {
		if (model_engine_send(m, o.ack, o.ack_len))
			m->counters[TT_CNT_ENG_ACKS_SENT]++;
		else
			m->counters[TT_CNT_ENG_ACKS_DROPPED]++;
	}
	if (o.followup) {
		m->fu[ring_at(m->fu_head, m->fu_count++, MODEL_FU_CAP)] = o.fu;
		return;                   /* the follow-up kicks the slot */
	}
	tx_kick(m, slot);
}

int model_followup_apply(struct model_card *m)
{
	const struct rx_followup *f = &m->fu[m->fu_head];
	struct rx_followup_out o;
	uint8_t mac[6];

	if (!m->fu_count || !model_engine_room(m) || !model_trace_room(m))
		return 0;
	model_trace_push(m, TT_TRACE_SEG_ACK, f->slot, rx_followup_value(f));
	/* the context port takes no command between a segment and its
	 * follow-up (model.h), so the slot still holds the connection */
	if (m->table.valid[f->slot]) {
		model_team_mac(m, mac);
		rx_engine_followup(&m->table, f, mac, &o, m->counters);
		if (o.retransmit)
			model_push_event(m, TT_EVT_RETRANS, f->slot, o.retransmit_seq);
		if (o.ack_len) {
			if (model_engine_send(m, o.ack, o.ack_len))
				m->counters[TT_CNT_ENG_ACKS_SENT]++;
			else
				m->counters[TT_CNT_ENG_ACKS_DROPPED]++;
		}
		tx_kick(m, f->slot);
	}
	m->fu_head = ring_at(m->fu_head, 1, MODEL_FU_CAP);
	m->fu_count--;
	return 1;
}

/* One frame from the wire: verdict, lookup, engine or exception, counters.
 * Returns 0 if it could not proceed (an output queue full). */
static int rx_one(struct model_card *m, struct frameq_item *it)
{
	struct parse_cfg cfg;
	struct parse_hdr hdr;
	struct parse_verdict v;
	int slot = -1;

	parse_cfg_of(m, &cfg);
	v = parse_frame(&cfg, it->data, it->len, &hdr);
	if (v.kind == PARSE_EXCEPTION && v.reason == TT_EXC_NO_MATCH) {
		struct conn_tuple k = { hdr.src_ip, hdr.dst_ip, hdr.src_port, hdr.dst_port };
		slot = conn_lookup(&m->table, &k);
		if (slot >= 0 && (hdr.flags & 0x27))
			v.reason = TT_EXC_TCP_FLAGS;
	}
	if (v.kind == PARSE_EXCEPTION && v.reason == TT_EXC_NO_MATCH && slot >= 0) {
		if (!model_engine_room(m) || !model_trace_room(m) ||
		    m->fu_count == MODEL_FU_CAP)
			return 0;
		rx_engine(m, it, &cfg, &hdr, (uint16_t)slot);
	} else if (v.kind == PARSE_EXCEPTION) {
		if (frameq_full(&m->dma_out))
			return 0;
		rx_exception(m, it, v.reason, slot >= 0 ? (uint16_t)slot : TT_SLOT_NONE);
	} else {
		m->counters[TT_COUNTER_DROP_BASE + v.reason]++;
	}
	m->counters[TT_CNT_RX_FRAMES]++;
	m->counters[TT_CNT_RX_BYTES] += (uint32_t)it->len;
	/* standalone the congestion step follows its segment at once (its
	 * SEG_ACK item counts the segment in its order); in follow mode the
	 * RTL's trace says where */
	if (!(m->follow && m->trace_follow))
		while (model_followup_apply(m))
			;
	return 1;
}

static int tx_one(struct model_card *m, struct frameq_item *it)
{
	if (!m->link) {
		m->counters[TT_CNT_TX_DROP_LINK_DOWN]++;
		return 1;
	}
	if (!(m->ctrl & 1)) {
		m->counters[TT_CNT_TX_DROP_DISABLED]++;
		return 1;
	}
	if (frameq_full(&m->net_out))
		return 0;
	uint8_t src = TT_TX_SRC_HOST;

	frameq_push(&m->net_out, &src, 1, it->data, it->len);
	m->counters[TT_CNT_TX_FRAMES]++;
	m->counters[TT_CNT_TX_BYTES] += (uint32_t)it->len;
	return 1;
}

int model_ctx_exec_oldest(struct model_card *m)
{
	struct model_cmd *q = &m->cmd[m->cmd_head];
	struct tt_ctx_result *r;

	if (!m->cmd_count || m->res_count == MODEL_RES_CAP || !model_trace_room(m))
		return 0;
	r = &m->res[ring_at(m->res_head, m->res_count++, MODEL_RES_CAP)];
	ctx_port_exec(&m->table, &q->cmd, r, m->counters);
	r->order = m->counters[TT_CNT_RX_FRAMES];
	/* a connection that leaves or enters a slot has no read
	 * outstanding there: an answer still on its way is stale */
	if (r->status == TT_OK && r->op != TT_CTX_SNAPSHOT)
		tx_slot_reset(m, r->slot);
	model_trace_push(m, TT_TRACE_CTX, r->slot, r->op);
	m->cmd_head = ring_at(m->cmd_head, 1, MODEL_CMD_CAP);
	m->cmd_count--;
	return 1;
}

/*
 * Context commands take effect between two received frames: at once, or,
 * in follow mode without trace items, when the receive path has decided
 * exactly as many frames as the RTL reported. Returns 0 while the receive
 * path must wait.
 */
static int run_commands(struct model_card *m)
{
	while (m->cmd_count) {
		struct model_cmd *q = &m->cmd[m->cmd_head];
		uint32_t done = m->counters[TT_CNT_RX_FRAMES];

		if (m->follow) {
			if (!q->order_known)
				return 0;
			if ((int32_t)(q->order - done) > 0)
				return 1;
			if (q->order != done)
				fprintf(stderr, "model: context command due at frame %u, "
					"already at %u\n", q->order, done);
		}
		if (!model_ctx_exec_oldest(m))
			return !m->follow;
	}
	return 1;
}

/* Standalone: the engine's own actions, in the order the header gives.
 * Returns 0 while a timer sweep holds the receive path. */
static int run_engine(struct model_card *m)
{
	while (model_followup_apply(m))
		;
	for (;;) {
		if (m->sweep_active && !timer_sweep_run(m))
			return 0;
		run_commands(m);
		/* a sweep only once the follow-ups are applied (ENGINE.md 1) */
		if (m->ticks_due && !m->fu_count && model_trace_room(m)) {
			m->ticks_due--;
			timer_sweep_begin(m);
			continue;
		}
		break;
	}
	while (tx_doorbell_apply(m))
		;
	while (tx_answer_apply(m))
		;
	tx_schedule(m);
	return 1;
}

/* What may happen before the next received frame is decided; 0 holds the
 * receive path. */
static int before_frame(struct model_card *m)
{
	if (!m->follow)
		return run_engine(m);
	if (m->trace_follow)
		return model_follow_actions(m);
	return run_commands(m) &&
	       (int32_t)(m->rx_limit - m->counters[TT_CNT_RX_FRAMES]) > 0;
}

/* Run one path for as much as its cycle credit allows; gate (if any) may
 * hold it between two frames. */
static void run_path(struct model_card *m, struct frameq *in, uint64_t *credit,
		     int (*one)(struct model_card *, struct frameq_item *),
		     int (*gate)(struct model_card *))
{
	struct frameq_item *it;

	while ((!gate || gate(m)) && (it = frameq_head(in)) &&
	       *credit >= beats(it->len)) {
		if (!one(m, it))
			return;
		*credit -= beats(it->len);
		frameq_pop(in);
	}
	if (frameq_empty(in))
		*credit = 0;
}

static void model_step(struct tt_card *c, uint64_t cycles)
{
	struct model_card *m = to_model(c);

	if (!cycles)
		return;
	if (m->link != m->link_in) {
		m->link = m->link_in;
		model_push_event(m, TT_EVT_LINK, TT_SLOT_NONE, (uint32_t)m->link);
	}
	m->cycles += cycles;
	m->rx_credit += cycles;
	m->tx_credit += cycles;
	if (!m->follow && m->timer_scale && m->engine_tx) {
		m->tick_acc += cycles;
		m->ticks_due += m->tick_acc / m->timer_scale;
		m->tick_acc %= m->timer_scale;
	}
	run_path(m, &m->rx_in, &m->rx_credit, rx_one, before_frame);
	before_frame(m);         /* what the last frames kicked */
	run_path(m, &m->host_in, &m->tx_credit, tx_one, NULL);
}

static uint64_t model_cycles(struct tt_card *c) { return to_model(c)->cycles; }

static int model_idle(struct tt_card *c)
{
	struct model_card *m = to_model(c);

	return frameq_empty(&m->rx_in) && frameq_empty(&m->host_in) &&
	       m->link == m->link_in && !m->cmd_count && !m->db_count &&
	       frameq_empty(&m->answers) && !m->kick_count && !m->sweep_active &&
	       !m->fq_count && !m->fu_count;
}

const struct tt_card_ops tt_card_model_ops = {
	.name = "model",
	.create = model_create,
	.destroy = model_destroy,
	.reg_write = model_reg_write,
	.reg_read = model_reg_read,
	.set_link = model_set_link,
	.net_rx = model_net_rx,
	.net_tx = model_net_tx,
	.host_tx = model_host_tx,
	.dma_write = model_dma_write,
	.dma_read_req = model_dma_read_req,
	.dma_read_resp = model_dma_read_resp,
	.doorbell = model_doorbell,
	.event = model_event,
	.trace = model_trace,
	.ctx_cmd = model_ctx_cmd,
	.ctx_result = model_ctx_result,
	.step = model_step,
	.cycles = model_cycles,
	.idle = model_idle,
};
