/* SPDX-License-Identifier: MIT */
/*
 * A differential run: one RTL card and one model card (in follow mode)
 * fed the same inputs, their outputs compared by diffcmp. Context
 * commands go to both; the RTL's results tell the model where each took
 * effect (DESIGN §3).
 */
#ifndef TT_TEST_DIFFRUN_H
#define TT_TEST_DIFFRUN_H

#include <stddef.h>
#include <stdint.h>

#include "diffcmp.h"
#include "framegen.h"

struct diffrun {
	struct tt_card *card[2];   /* [0] rtl, [1] model */
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

/* Results of the RTL card's context commands as they come, for the test
 * to learn slots; called for every result of side 0. */
extern void (*diffrun_on_ctx_result)(struct diffrun *r,
				      const struct tt_ctx_result *res);

#endif
