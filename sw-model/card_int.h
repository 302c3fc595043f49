/* SPDX-License-Identifier: MIT */
/*
 * Inside the model card: the state card.c (registers, streams, step),
 * tx_engine.c (doorbell, scheduler, DMA read answer), timer_sweep.c and
 * follow.c (trace and follow mode) share. Not part of any interface.
 */
#ifndef TT_MODEL_CARD_INT_H
#define TT_MODEL_CARD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"
#include "teamtoe/frameq.h"
#include "conn_table.h"
#include "rx_engine.h"
#include "tcp_out.h"

/* The revision the model implements: 1.3 (ENGINE.md), defs.h's
 * TT_CARD_VERSION, which the RTL reports too. */
#define MODEL_CARD_VERSION  TT_CARD_VERSION_ENGINE_TX
#define TT_CARD_VERSION_RX  0x00010002u /* 1.2: the receive engine alone */

#define MODEL_CMD_CAP     16   /* context commands waiting */
#define MODEL_RES_CAP     64   /* context results waiting for the host */
#define MODEL_DB_CAP      64   /* doorbells waiting */
#define MODEL_RDQ_CAP     256  /* DMA read requests waiting for the host */
#define MODEL_TRACE_CAP   1024 /* trace items waiting for the host */
#define MODEL_FOLLOW_CAP  1024 /* follow mode: items waiting to be applied */
#define MODEL_FU_CAP      64   /* segments' follow-ups waiting (the RTL
				  holds fewer in its FIFO) */
#define MODEL_RETRY_LIMIT_RESET 8u

struct model_cmd {
	struct tt_ctx_cmd cmd;
	int order_known;
	uint32_t order;
};

struct model_doorbell {
	uint16_t slot;
	uint32_t snd_end;
};

/* Card state of one slot outside its record (ENGINE.md): not moved by a
 * reload, cleared when the slot is exported or imported. */
struct model_slot {
	uint8_t kicked;           /* in the scheduler's FIFO */
	uint8_t rd_out;           /* a DMA read is outstanding ... */
	struct tcp_out_seg rd;    /* ... for this segment */
};

struct model_card {
	struct tt_card base;
	struct tt_card_params params;
	uint64_t cycles;
	uint64_t rx_credit, tx_credit;

	/* registers */
	uint32_t ctrl, card_id, mac_hi, mac_lo, ipv4, timer_scale, retry_limit;
	uint32_t counters[TT_COUNTER_COUNT];
	int link_in, link;

	/* answers in: meta = struct tt_dma_read_req, data = the bytes */
	struct frameq rx_in, host_in, net_out, dma_out, answers;
	struct tt_event *evt;
	size_t evt_head, evt_count;

	struct conn_table table;
	struct model_cmd cmd[MODEL_CMD_CAP];
	size_t cmd_head, cmd_count;
	struct tt_ctx_result res[MODEL_RES_CAP];
	size_t res_head, res_count;
	int follow;
	uint32_t rx_limit; /* follow mode: RX_FRAMES the RTL has reached */

	/* transmit engine (revision 1.3) */
	struct model_slot *slot;             /* per slot */
	uint16_t *kick;                      /* scheduler FIFO, one per slot */
	size_t kick_head, kick_count;
	struct model_doorbell db[MODEL_DB_CAP];
	size_t db_head, db_count;
	struct tt_dma_read_req rdq[MODEL_RDQ_CAP];
	size_t rdq_head, rdq_count;

	/* follow-ups of segments (ENGINE.md 1): applied right after their
	 * segment, or in follow mode at the RTL's SEG_ACK items */
	struct rx_followup fu[MODEL_FU_CAP];
	size_t fu_head, fu_count;

	/* timer */
	uint64_t tick_acc;                   /* cycles toward the next tick */
	uint64_t ticks_due;                  /* standalone: sweeps owed */
	uint32_t tick_no;                    /* sweeps begun since reset */
	int sweep_active;                    /* a sweep stopped on back-pressure */
	uint32_t sweep_slot;                 /* where it goes on */

	/* trace out, and follow mode's items in */
	struct tt_trace trace[MODEL_TRACE_CAP];
	size_t trace_head, trace_count;
	struct tt_trace fq[MODEL_FOLLOW_CAP];
	size_t fq_head, fq_count;
	int trace_follow;                    /* model_card_follow_trace used */
	uint32_t follow_errors;
	/* revision emulated: 1.3, or 1.2 (no transmit engine: the receive
	 * engine alone) for differential tests against a 1.2 RTL card */
	int engine_tx;
};

/* Ring index of the n-th item after head. */
static inline size_t ring_at(size_t head, size_t n, size_t cap)
{
	return (head + n) % cap;
}

/* card.c */
void model_push_event(struct model_card *m, uint8_t type, uint16_t slot,
		      uint32_t value);
/* Room for what one engine action may put out: a frame to the wire and
 * two events. */
int model_engine_room(const struct model_card *m);
/* An engine frame to the wire, gated like a host frame (link down or
 * card disabled drop it, counted). Returns 1 if it went out. */
int model_engine_send(struct model_card *m, const uint8_t *frame, size_t len);
void model_team_mac(const struct model_card *m, uint8_t mac[6]);
/* Run the oldest context command now (its result, its effect on the
 * slot's engine state, its trace item). 0 if there is no room for the
 * result or the trace item. */
int model_ctx_exec_oldest(struct model_card *m);

/* Apply the oldest follow-up (its SEG_ACK trace item, RETRANS event,
 * pure ACK, kick). 0 if there is none or no room for its outputs. */
int model_followup_apply(struct model_card *m);

/* follow.c: trace out */
int model_trace_on(const struct model_card *m);
/* Room for one trace item (always, with the trace off). */
int model_trace_room(const struct model_card *m);
void model_trace_push(struct model_card *m, uint8_t kind, uint16_t slot,
		      uint32_t value);
/* follow.c: in follow mode, apply the items due before the next frame.
 * Returns 1 if the receive path may decide its next frame now. */
int model_follow_actions(struct model_card *m);
void model_follow_error(struct model_card *m, const char *what,
			const struct tt_trace *t);

/* tx_engine.c */
void tx_kick(struct model_card *m, uint16_t slot);
/* The slot left the card or came in: no read outstanding. */
void tx_slot_reset(struct model_card *m, uint16_t slot);
/* Apply the oldest doorbell; 0 if none or no trace room. */
int tx_doorbell_apply(struct model_card *m);
/* Apply the oldest DMA read answer; 0 if none or no room. */
int tx_answer_apply(struct model_card *m);
/* The scheduler for one slot (ENGINE.md 3). Returns 1 if a request was
 * issued, 0 if the slot had nothing to send, -1 if there is no room for
 * the request (nothing changed). */
int tx_schedule_slot(struct model_card *m, uint16_t slot);
/* Standalone: serve the kicked slots in FIFO order while there is room. */
void tx_schedule(struct model_card *m);

/* timer_sweep.c */
/* Begin a sweep: the tick number advances, the TICK item goes out. */
void timer_sweep_begin(struct model_card *m);
/* Run the sweep on; 1 when it is complete, 0 if it stopped on a full
 * output (it goes on from there at the next call). */
int timer_sweep_run(struct model_card *m);

#endif
