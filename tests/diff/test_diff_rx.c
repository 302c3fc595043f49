/* SPDX-License-Identifier: MIT */
/*
 * Differential test, receive and transmit paths: a seeded random mix of
 * good and broken frames at full rate into an RTL card and a model card,
 * raw host frames out, random host back-pressure, link and enable flips
 * and address changes at quiet points. Every output stream and every
 * counter must be equal.
 *
 *   TT_SEED=n          replay a run
 *   TT_DIFF_FRAMES=n   frames per run (default 100000)
 *   TT_DIFF_OUT=dir    where mismatch pcaps go (default build/diff)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "diffcmp.h"
#include "framegen.h"
#include "testenv.h"

#define TEAM_IP 0xc6120001u /* 198.18.0.1 */

struct run {
	struct tt_card *card[2];
	struct diffcmp *cmp;
	struct rng rng;
	uint64_t bp_state;  /* back-pressure coin */
	unsigned ready_pct;
	uint8_t mac[6];
	uint32_t ip;
	unsigned perturbs;
};

static int drain(struct run *r, int side, unsigned pct)
{
	return diffcmp_drain(r->cmp, side, r->card[side], &r->bp_state, pct);
}

/* Push one frame into both cards, stepping each until it takes it. */
static int push_both(struct run *r, const uint8_t *f, size_t len, int host)
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
			tt_card_step(r->card[side], 32);
			/* The host must not starve the card for ever. */
			if (drain(r, side, tries > 16 ? 100 : r->ready_pct))
				return -1;
		}
	}
	return 0;
}

/* Step both cards until idle and every output is taken. */
static int quiesce(struct run *r)
{
	for (int i = 0; i < 100000; i++) {
		int idle = 1;
		for (int side = 0; side < 2; side++) {
			tt_card_step(r->card[side], 64);
			if (drain(r, side, 100))
				return -1;
			idle &= tt_card_idle(r->card[side]);
		}
		if (idle) {
			for (int side = 0; side < 2; side++)
				if (drain(r, side, 100))
					return -1;
			return diffcmp_counters(r->cmp, r->card);
		}
	}
	for (int side = 0; side < 2; side++) {
		fprintf(stderr, "quiesce: %s card %s idle; counters:",
			tt_card_backend(r->card[side]),
			tt_card_idle(r->card[side]) ? "is" : "is not");
		for (int i = 0; i < TT_COUNTER_COUNT; i++)
			if (tt_counter_str(i) && tt_card_counter(r->card[side], i))
				fprintf(stderr, " %s=%u", tt_counter_str(i),
					tt_card_counter(r->card[side], i));
		fprintf(stderr, "\n");
	}
	fprintf(stderr, "quiesce: cards never went idle\n");
	return -1;
}

/* A change at a quiet point: link, enable, or the team's addresses. */
static int perturb(struct run *r)
{
	int what = (int)(r->perturbs++ % 4); /* each kind in turn */

	if (quiesce(r))
		return -1;
	/* New addresses: the generator follows them. */
	if (what == 2)
		r->mac[5] ^= (uint8_t)(1 + rng_below(&r->rng, 255));
	if (what == 3)
		r->ip ^= 1u + rng_below(&r->rng, 255);
	for (int side = 0; side < 2; side++) {
		struct tt_card *c = r->card[side];
		switch (what) {
		case 0: tt_card_set_link(c, 0); break;
		case 1: tt_card_reg_write(c, TT_REG_CTRL, 0); break;
		case 2: testenv_set_mac(c, r->mac); break;
		default: tt_card_reg_write(c, TT_REG_IPV4, r->ip); break;
		}
		tt_card_step(c, 16);
	}
	return what;
}

static int restore(struct run *r, int what)
{
	if (quiesce(r))
		return -1;
	for (int side = 0; side < 2; side++) {
		struct tt_card *c = r->card[side];
		if (what == 0)
			tt_card_set_link(c, 1);
		if (what == 1)
			tt_card_reg_write(c, TT_REG_CTRL, 1);
		tt_card_step(c, 16);
	}
	return 0;
}

static void diff_rx_tx(void **state)
{
	(void)state;
	static uint8_t frame[10000];
	const char *names[2] = { "rtl", "model" };
	const char *outdir = getenv("TT_DIFF_OUT") ? getenv("TT_DIFF_OUT") : "build/diff";
	uint64_t seed = testenv_seed("diff_rx_tx");
	uint64_t frames = testenv_u64("TT_DIFF_FRAMES", 100000);
	uint64_t kinds[FG_KIND_COUNT] = { 0 };
	struct run r = { .rng = { seed }, .bp_state = seed ^ 0x5a5a, .ready_pct = 100,
			 .mac = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 }, .ip = TEAM_IP };
	int perturbed = -1;

	mkdir(outdir, 0755);
	r.card[0] = testenv_card("rtl", r.mac, r.ip, 0);
	r.card[1] = testenv_card("model", r.mac, r.ip, 0);
	r.cmp = diffcmp_new(names, seed, outdir);
	assert_non_null(r.cmp);

	for (uint64_t i = 0; i < frames; i++) {
		enum fg_kind k;
		size_t len;

		if (i % 1000 == 0) {
			static const unsigned pcts[] = { 100, 100, 60, 20, 5 };
			r.ready_pct = pcts[rng_below(&r.rng, 5)];
		}
		if (i % 7919 == 7918) {
			if (perturbed >= 0) {
				assert_int_equal(restore(&r, perturbed), 0);
				perturbed = -1;
			} else {
				perturbed = perturb(&r);
				assert_true(perturbed >= 0);
			}
		}
		len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
		kinds[k]++;
		assert_int_equal(push_both(&r, frame, len, 0), 0);
		/* One host frame for every eight from the wire. */
		if (rng_below(&r.rng, 8) == 0) {
			len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
			if (len >= 14 && len <= TT_MAX_FRAME)
				assert_int_equal(push_both(&r, frame, len, 1), 0);
		}
		for (int side = 0; side < 2; side++) {
			if (rng_below(&r.rng, 4) == 0)
				tt_card_step(r.card[side], rng_below(&r.rng, 200));
			assert_int_equal(drain(&r, side, r.ready_pct), 0);
		}
	}
	if (perturbed >= 0)
		assert_int_equal(restore(&r, perturbed), 0);
	assert_int_equal(quiesce(&r), 0);
	assert_int_equal(diffcmp_finish(r.cmp), 0);

	printf("# %llu frames: %llu wire TX, %llu DMA writes, %llu events, %llu counter sets equal\n",
	       (unsigned long long)frames,
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_NET_TX),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_DMA_WRITE),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_EVENT),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_COUNTERS));
	printf("# kinds:");
	for (int k = 0; k < FG_KIND_COUNT; k++)
		printf(" %s=%llu", fg_kind_names[k], (unsigned long long)kinds[k]);
	printf("\n# rtl card: %llu cycles\n", (unsigned long long)tt_card_cycles(r.card[0]));
	/* Every drop and exception reason must have been exercised. */
	for (int i = 0; i < TT_COUNTER_COUNT; i++) {
		const char *n = tt_counter_str(i);
		if (n && i >= TT_COUNTER_DROP_BASE && i <= TT_CNT_EXC_NO_MATCH &&
		    i != TT_CNT_EXC_TCP_FLAGS && i != TT_CNT_EXC_UNHANDLED) {
			if (!tt_card_counter(r.card[1], i))
				fprintf(stderr, "# counter %s never moved\n", n);
			if (frames >= 64000) /* every perturbation ran */
				assert_true(tt_card_counter(r.card[1], i) > 0);
		}
	}
	diffcmp_free(r.cmp);
	tt_card_free(r.card[0]);
	tt_card_free(r.card[1]);
}

/* The comparer must catch a divergence: two model cards that disagree on
 * the team IP must be reported at the first frame that tells them apart. */
static void detects_divergence(void **state)
{
	(void)state;
	static uint8_t frame[10000];
	const char *names[2] = { "model-a", "model-b" };
	const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	struct tt_card *c[2] = { testenv_card("model", mac, TEAM_IP, 0),
				 testenv_card("model", mac, TEAM_IP + 1, 0) };
	struct diffcmp *d = diffcmp_new(names, 1, "build/diff");
	struct rng r = { 99 };
	uint64_t bp = 1;
	int rc = 0;

	mkdir("build/diff", 0755);
	for (int i = 0; i < 200 && rc == 0; i++) {
		enum fg_kind k;
		size_t len = fg_random_frame(&r, mac, TEAM_IP, frame, &k);
		for (int side = 0; side < 2 && rc == 0; side++) {
			assert_int_equal(tt_card_net_rx(c[side], frame, len), TT_OK);
			tt_card_step(c[side], 2000);
			rc = diffcmp_drain(d, side, c[side], &bp, 100);
		}
	}
	assert_int_equal(rc, -1);
	diffcmp_free(d);
	tt_card_free(c[0]);
	tt_card_free(c[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff_rx_tx),
		cmocka_unit_test(detects_divergence),
	};

	return cmocka_run_group_tests_name("diff_rx", tests, NULL, NULL);
}
