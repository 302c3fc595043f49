/* SPDX-License-Identifier: MIT */
/*
 * A differential run: one RTL card and one model card (revision 1.3, in
 * follow mode) fed the same inputs, their outputs compared by diffcmp.
 * Both cards trace (CTRL bit 1); every trace item of the RTL card goes to
 * the model (model_card_follow_trace), which applies context commands,
 * segments' follow-ups and the transmit engine's actions where the RTL
 * did (DESIGN §3); both cards' trace items are compared too. DMA read
 * requests are compared, and the RTL's are answered on both cards after
 * a random latency (in pumps) from a send buffer per slot. TIMER_SCALE is
 * 0 on both (no ticks) unless the test sets it (diffrun_reg).
 */
#ifndef TT_TEST_DIFFRUN_H
#define TT_TEST_DIFFRUN_H

#include <stddef.h>
#include <stdint.h>

#include "diffcmp.h"
#include "framegen.h"

#define DIFFRUN_ANSWERS 256   /* DMA read answers owed at once */

struct diffrun_answer {
	struct tt_dma_read_req req;
	uint64_t due;              /* pump count when it is given */
};

struct diffrun {
	struct tt_card *card[2];   /* [0] rtl, [1] model */
	struct tt_trace held;      /* an RTL item the model had no room for */
	int held_valid;
	uint64_t pumps;
	unsigned answer_latency;   /* pumps, at most (0: at once) */
	struct diffrun_answer owed[DIFFRUN_ANSWERS];
	unsigned owed_count;
	/* answers due, in the order both cards get them; given[side] of
	 * them are given */
	struct tt_dma_read_req due[DIFFRUN_ANSWERS];
	unsigned due_count, given[2];
	struct diffcmp *cmp;
	struct rng rng;
	uint64_t bp_state;         /* back-pressure coin */
	unsigned ready_pct;        /* chance the host takes an output */
	uint8_t mac[6];
	uint32_t ip;
	uint64_t seed;
};

/* Create both cards configured alike; returns 0 or -1. */
int diffrun_init(struct diffrun *r, const char *test, const char *outdir);
void diffrun_free(struct diffrun *r);

/* Take outputs of one side (with back-pressure below 100 %). */
int diffrun_drain(struct diffrun *r, int side, unsigned pct);
/* Step both cards and take their outputs. */
int diffrun_pump(struct diffrun *r, uint64_t cycles, unsigned pct);
/* One frame from the wire (host = 0) or from the host (host = 1) into
 * both cards, stepping until each takes it. */
int diffrun_push(struct diffrun *r, const uint8_t *f, size_t len, int host);
/* One context command into both cards. */
int diffrun_ctx(struct diffrun *r, const struct tt_ctx_cmd *cmd);
/* Step until both cards are idle and drained; compare counters. */
int diffrun_quiesce(struct diffrun *r);
/* Write the same register of both cards. */
void diffrun_reg(struct diffrun *r, uint32_t addr, uint32_t val);
/* Write CTRL of both cards (bit 1, the trace, is kept on). */
void diffrun_ctrl(struct diffrun *r, uint32_t val);
/* Ring the same doorbell on both cards. */
int diffrun_doorbell(struct diffrun *r, uint16_t slot, uint32_t snd_end);
/* Byte i of the send buffer of slot at sequence seq, as answered. */
uint8_t diffrun_send_byte(uint16_t slot, uint32_t seq);

/* Results of the RTL card's context commands as they come, for the test
 * to learn slots; called for every result of side 0. */
extern void (*diffrun_on_ctx_result)(struct diffrun *r,
				      const struct tt_ctx_result *res);

#endif
