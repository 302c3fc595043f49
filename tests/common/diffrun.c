/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diffrun.h"
#include "model.h"
#include "testenv.h"

void (*diffrun_on_ctx_result)(struct diffrun *r, const struct tt_ctx_result *res);

int diffrun_init(struct diffrun *r, const char *test, const char *outdir)
{
	static const char *names[2] = { "rtl", "model" };
	static const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };

	memset(r, 0, sizeof(*r));
	r->seed = testenv_seed(test);
	r->rng.s = r->seed;
	r->bp_state = r->seed ^ 0x5a5a;
	r->ready_pct = 100;
	r->answer_latency = 8;
	memcpy(r->mac, mac, 6);
	r->ip = 0xc6120001u; /* 198.18.0.1 */
	mkdir(outdir, 0755);
	r->card[0] = testenv_card("rtl", r->mac, r->ip, 0);
	r->card[1] = testenv_card("model", r->mac, r->ip, 0);
	/* the model at revision 1.3 follows the RTL's trace */
	model_card_follow(r->card[1], 1);
	diffrun_ctrl(r, 1);
	diffrun_reg(r, TT_REG_TIMER_SCALE, 0);
	r->cmp = diffcmp_new(names, r->seed, outdir);
	return r->cmp ? 0 : -1;
}

void diffrun_free(struct diffrun *r)
{
	diffcmp_free(r->cmp);
	tt_card_free(r->card[0]);
	tt_card_free(r->card[1]);
}

/* Context results of both sides, compared. */
static int drain_ctx(struct diffrun *r, int side)
{
	struct tt_ctx_result res;
	uint8_t b[8 + TT_CTX_BYTES];

	while (tt_card_ctx_result(r->card[side], &res) == TT_OK) {
		if (side == 0 && diffrun_on_ctx_result)
			diffrun_on_ctx_result(r, &res);
		b[0] = res.op;
		b[1] = (uint8_t)res.status;
		b[2] = (uint8_t)res.slot;
		b[3] = (uint8_t)(res.slot >> 8);
		for (int i = 0; i < 4; i++)
			b[4 + i] = (uint8_t)(res.order >> (8 * i));
		memcpy(b + 8, res.rec, TT_CTX_BYTES);
		if (diffcmp_add(r->cmp, side, DIFF_CTX, b, sizeof(b)))
			return -1;
	}
	return 0;
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int add_trace(struct diffrun *r, int side, const struct tt_trace *t)
{
	uint8_t b[11] = { t->kind, (uint8_t)t->slot, (uint8_t)(t->slot >> 8) };

	put32le(b + 3, t->order);
	put32le(b + 7, t->value);
	return diffcmp_add(r->cmp, side, DIFF_TRACE, b, sizeof(b));
}

/* Trace items: the RTL's go to the model (in the order read, all of
 * them: the model must hold every item of an order below the RTL's
 * RX_FRAMES), both sides' are compared. */
static int drain_trace(struct diffrun *r, int side)
{
	struct tt_trace t;

	if (side == 1) {
		while (tt_card_trace(r->card[1], &t) == TT_OK)
			if (add_trace(r, 1, &t))
				return -1;
		return 0;
	}
	for (;;) {
		if (!r->held_valid) {
			if (tt_card_trace(r->card[0], &r->held) != TT_OK)
				return 0;
			r->held_valid = 1;
			if (add_trace(r, 0, &r->held))
				return -1;
		}
		int rc = model_card_follow_trace(r->card[1], &r->held);
		if (rc == TT_EAGAIN)
			return 0;                /* the model steps first */
		if (rc != TT_OK) {
			fprintf(stderr, "diff: the model refuses trace item kind %u\n",
				r->held.kind);
			return -1;
		}
		r->held_valid = 0;
	}
}

uint8_t diffrun_send_byte(uint16_t slot, uint32_t seq)
{
	uint32_t x = seq * 0x9e3779b1u ^ (uint32_t)slot * 0x85ebca6bu;

	return (uint8_t)(x >> 24 ^ x >> 11);
}

/* DMA read requests of both sides, compared; the RTL's are owed an
 * answer after a random latency. */
static int drain_reads(struct diffrun *r, int side)
{
	struct tt_dma_read_req q;

	while (r->owed_count < DIFFRUN_ANSWERS &&
	       tt_card_dma_read_req(r->card[side], &q) == TT_OK) {
		uint8_t b[8] = { (uint8_t)q.slot, (uint8_t)(q.slot >> 8),
				 (uint8_t)q.len, (uint8_t)(q.len >> 8) };

		put32le(b + 4, q.seq);
		if (diffcmp_add(r->cmp, side, DIFF_RD_REQ, b, sizeof(b)))
			return -1;
		if (side == 0)
			r->owed[r->owed_count++] = (struct diffrun_answer){
				.req = q,
				.due = r->pumps + (r->answer_latency ?
					rng_below(&r->rng, r->answer_latency + 1) : 0),
			};
	}
	return 0;
}

/* Owed answers that are due join the queue both cards get in order. */
static void give_answers(struct diffrun *r)
{
	static uint8_t data[TT_MAX_FRAME];
	unsigned k = 0;

	for (unsigned i = 0; i < r->owed_count; i++) {
		if (r->owed[i].due <= r->pumps && r->due_count < DIFFRUN_ANSWERS)
			r->due[r->due_count++] = r->owed[i].req;
		else
			r->owed[k++] = r->owed[i];
	}
	r->owed_count = k;
	for (int side = 0; side < 2; side++) {
		while (r->given[side] < r->due_count) {
			const struct tt_dma_read_req *q = &r->due[r->given[side]];

			for (unsigned i = 0; i < q->len; i++)
				data[i] = diffrun_send_byte(q->slot, q->seq + i);
			if (tt_card_dma_read_resp(r->card[side], q, data) != TT_OK)
				break;
			r->given[side]++;
		}
	}
	k = r->given[0] < r->given[1] ? r->given[0] : r->given[1];
	if (k) {
		memmove(r->due, r->due + k, (r->due_count - k) * sizeof(r->due[0]));
		r->due_count -= k;
		r->given[0] -= k;
		r->given[1] -= k;
	}
}

int diffrun_drain(struct diffrun *r, int side, unsigned pct)
{
	if (drain_ctx(r, side) || drain_trace(r, side) || drain_reads(r, side))
		return -1;
	return diffcmp_drain(r->cmp, side, r->card[side], &r->bp_state, pct);
}

int diffrun_pump(struct diffrun *r, uint64_t cycles, unsigned pct)
{
	r->pumps++;
	give_answers(r);
	for (int side = 0; side < 2; side++) {
		tt_card_step(r->card[side], cycles);
		/* The model decides no frame the RTL has not decided yet; the
		 * RTL's RX_FRAMES first, then its trace (model.h). */
		if (side == 0)
			model_card_rx_limit(r->card[1],
					    tt_card_counter(r->card[0], TT_CNT_RX_FRAMES));
		if (diffrun_drain(r, side, pct))
			return -1;
	}
	return 0;
}

int diffrun_push(struct diffrun *r, const uint8_t *f, size_t len, int host)
{
	for (int side = 0; side < 2; side++) {
		for (int tries = 0;; tries++) {
			int rc = host ? tt_card_host_tx(r->card[side], f, len)
				      : tt_card_net_rx(r->card[side], f, len);
			if (rc == TT_OK)
				break;
			if (rc != TT_EAGAIN) {
				fprintf(stderr, "push: %s\n", tt_status_str(rc));
				return -1;
			}
			if (tries > 100000) {
				fprintf(stderr, "push: %s card never took the frame\n",
					tt_card_backend(r->card[side]));
				return -1;
			}
			/* Step both: the model may wait for an RTL result. The
			 * host must not starve a card for ever. */
			if (diffrun_pump(r, 32, tries > 16 ? 100 : r->ready_pct))
				return -1;
		}
	}
	return 0;
}

int diffrun_ctx(struct diffrun *r, const struct tt_ctx_cmd *cmd)
{
	/* The model first: it must hold the command before the RTL can
	 * report where it took effect. */
	for (int side = 1; side >= 0; side--) {
		for (int tries = 0;; tries++) {
			int rc = tt_card_ctx_cmd(r->card[side], cmd);
			if (rc == TT_OK)
				break;
			if (rc != TT_EAGAIN || tries > 100000) {
				fprintf(stderr, "ctx: %s card: %s\n",
					tt_card_backend(r->card[side]), tt_status_str(rc));
				return -1;
			}
			if (diffrun_pump(r, 32, tries > 16 ? 100 : r->ready_pct))
				return -1;
		}
	}
	return 0;
}

static void print_counters(struct tt_card *c)
{
	uint32_t status = 0;

	tt_card_reg_read(c, TT_REG_STATUS, &status);
	fprintf(stderr, "quiesce: %s card %s idle, STATUS %x; counters:",
		tt_card_backend(c), tt_card_idle(c) ? "is" : "is not", status);
	for (int i = 0; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i) && tt_card_counter(c, i))
			fprintf(stderr, " %s=%u", tt_counter_str(i), tt_card_counter(c, i));
	fprintf(stderr, "\n");
}

/* Step until both are idle, answering every read at once (a connection
 * with a small MSS may have hundreds of kilobytes left to send). */
static int quiesce(struct diffrun *r)
{
	for (int i = 0; i < 100000; i++) {
		if (diffrun_pump(r, 64, 100))
			return -1;
		if (!r->held_valid && !r->owed_count && !r->due_count &&
		    tt_card_idle(r->card[0]) && tt_card_idle(r->card[1])) {
			if (diffrun_pump(r, 1, 100))
				return -1;
			if (r->held_valid || !tt_card_idle(r->card[1]))
				continue;
			if (model_card_follow_errors(r->card[1])) {
				fprintf(stderr, "diff: the model met %u follow errors "
					"(seed %llu)\n", model_card_follow_errors(r->card[1]),
					(unsigned long long)r->seed);
				return -1;
			}
			return diffcmp_counters(r->cmp, r->card);
		}
	}
	print_counters(r->card[0]);
	print_counters(r->card[1]);
	fprintf(stderr, "quiesce: trace item held %d, answers owed %u, due %u "
		"(given %u/%u), pumps %llu\n", r->held_valid, r->owed_count,
		r->due_count, r->given[0], r->given[1], (unsigned long long)r->pumps);
	for (unsigned i = 0; i < r->owed_count; i++)
		fprintf(stderr, "quiesce: owed slot %u seq %u len %u due %llu\n",
			r->owed[i].req.slot, r->owed[i].req.seq, r->owed[i].req.len,
			(unsigned long long)r->owed[i].due);
	fprintf(stderr, "quiesce: cards never went idle\n");
	return -1;
}

int diffrun_quiesce(struct diffrun *r)
{
	unsigned latency = r->answer_latency;
	int rc;

	r->answer_latency = 0;
	rc = quiesce(r);
	r->answer_latency = latency;
	return rc;
}

void diffrun_reg(struct diffrun *r, uint32_t addr, uint32_t val)
{
	tt_card_reg_write(r->card[0], addr, val);
	tt_card_reg_write(r->card[1], addr, val);
}

void diffrun_ctrl(struct diffrun *r, uint32_t val)
{
	diffrun_reg(r, TT_REG_CTRL, val | 2u);
}

int diffrun_doorbell(struct diffrun *r, uint16_t slot, uint32_t snd_end)
{
	for (int side = 0; side < 2; side++) {
		for (int tries = 0;; tries++) {
			int rc = tt_card_doorbell(r->card[side], slot, snd_end);
			if (rc == TT_OK)
				break;
			if (rc != TT_EAGAIN || tries > 100000) {
				fprintf(stderr, "doorbell: %s card: %s\n",
					tt_card_backend(r->card[side]), tt_status_str(rc));
				return -1;
			}
			if (diffrun_pump(r, 32, tries > 16 ? 100 : r->ready_pct))
				return -1;
		}
	}
	return 0;
}
