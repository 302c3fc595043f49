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
	memcpy(r->mac, mac, 6);
	r->ip = 0xc6120001u; /* 198.18.0.1 */
	mkdir(outdir, 0755);
	r->card[0] = testenv_card("rtl", r->mac, r->ip, 0);
	r->card[1] = testenv_card("model", r->mac, r->ip, 0);
	model_card_follow(r->card[1], 1);
	/* hold the model to the RTL's revision (1.2 until its transmit
	 * engine is in) */
	{
		uint32_t version = 0;

		tt_card_reg_read(r->card[0], TT_REG_VERSION, &version);
		if (model_card_revision(r->card[1], version))
			fprintf(stderr, "diff: no model of card revision %08x\n",
				version);
	}
	r->cmp = diffcmp_new(names, r->seed, outdir);
	return r->cmp ? 0 : -1;
}

void diffrun_free(struct diffrun *r)
{
	diffcmp_free(r->cmp);
	tt_card_free(r->card[0]);
	tt_card_free(r->card[1]);
}

/* Context results: the RTL's order goes to the model before compare. */
static int drain_ctx(struct diffrun *r, int side)
{
	struct tt_ctx_result res;
	uint8_t b[8 + TT_CTX_BYTES];

	while (tt_card_ctx_result(r->card[side], &res) == TT_OK) {
		if (side == 0) {
			if (model_card_ctx_order(r->card[1], res.order)) {
				fprintf(stderr, "diff: RTL result for a command the model "
					"does not hold\n");
				return -1;
			}
			if (diffrun_on_ctx_result)
				diffrun_on_ctx_result(r, &res);
		}
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

int diffrun_drain(struct diffrun *r, int side, unsigned pct)
{
	if (drain_ctx(r, side))
		return -1;
	return diffcmp_drain(r->cmp, side, r->card[side], &r->bp_state, pct);
}

int diffrun_pump(struct diffrun *r, uint64_t cycles, unsigned pct)
{
	for (int side = 0; side < 2; side++) {
		tt_card_step(r->card[side], cycles);
		/* The model decides no frame the RTL has not decided yet. */
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
	fprintf(stderr, "quiesce: %s card %s idle; counters:", tt_card_backend(c),
		tt_card_idle(c) ? "is" : "is not");
	for (int i = 0; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i) && tt_card_counter(c, i))
			fprintf(stderr, " %s=%u", tt_counter_str(i), tt_card_counter(c, i));
	fprintf(stderr, "\n");
}

int diffrun_quiesce(struct diffrun *r)
{
	for (int i = 0; i < 100000; i++) {
		if (diffrun_pump(r, 64, 100))
			return -1;
		if (tt_card_idle(r->card[0]) && tt_card_idle(r->card[1])) {
			if (diffrun_pump(r, 0, 100))
				return -1;
			return diffcmp_counters(r->cmp, r->card);
		}
	}
	print_counters(r->card[0]);
	print_counters(r->card[1]);
	fprintf(stderr, "quiesce: cards never went idle\n");
	return -1;
}

void diffrun_reg(struct diffrun *r, uint32_t addr, uint32_t val)
{
	tt_card_reg_write(r->card[0], addr, val);
	tt_card_reg_write(r->card[1], addr, val);
}
