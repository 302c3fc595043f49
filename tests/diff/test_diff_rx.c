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

#include "diffrun.h"
#include "testenv.h"

static const char *outdir(void)
{
	return getenv("TT_DIFF_OUT") ? getenv("TT_DIFF_OUT") : "build/diff";
}

/* A change at a quiet point, each kind in turn: link down, disable, new
 * MAC, new IP (the generator follows the addresses). Returns the kind. */
static int perturb(struct diffrun *r, unsigned n)
{
	int what = (int)(n % 4);

	if (diffrun_quiesce(r))
		return -1;
	if (what == 2)
		r->mac[5] ^= (uint8_t)(1 + rng_below(&r->rng, 255));
	if (what == 3)
		r->ip ^= 1u + rng_below(&r->rng, 255);
	for (int side = 0; side < 2; side++) {
		struct tt_card *c = r->card[side];
		switch (what) {
		case 0: tt_card_set_link(c, 0); break;
		case 1: tt_card_reg_write(c, TT_REG_CTRL, 2); break; /* trace on */
		case 2: testenv_set_mac(c, r->mac); break;
		default: tt_card_reg_write(c, TT_REG_IPV4, r->ip); break;
		}
		tt_card_step(c, 16);
	}
	return what;
}

static int restore(struct diffrun *r, int what)
{
	if (diffrun_quiesce(r))
		return -1;
	for (int side = 0; side < 2; side++) {
		struct tt_card *c = r->card[side];
		if (what == 0)
			tt_card_set_link(c, 1);
		if (what == 1)
			tt_card_reg_write(c, TT_REG_CTRL, 3);
		tt_card_step(c, 16);
	}
	return 0;
}

static void diff_rx_tx(void **state)
{
	(void)state;
	static uint8_t frame[10000];
	static const unsigned pcts[] = { 100, 100, 60, 20, 5 };
	uint64_t frames = testenv_u64("TT_DIFF_FRAMES", 100000);
	uint64_t kinds[FG_KIND_COUNT] = { 0 };
	struct diffrun r;
	int perturbed = -1;
	unsigned perturbs = 0;

	assert_int_equal(diffrun_init(&r, "diff_rx_tx", outdir()), 0);
	for (uint64_t i = 0; i < frames; i++) {
		enum fg_kind k;
		size_t len;

		if (i % 1000 == 0)
			r.ready_pct = pcts[rng_below(&r.rng, 5)];
		if (i % 7919 == 7918) {
			if (perturbed >= 0) {
				assert_int_equal(restore(&r, perturbed), 0);
				perturbed = -1;
			} else {
				perturbed = perturb(&r, perturbs++);
				assert_true(perturbed >= 0);
			}
		}
		len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
		kinds[k]++;
		assert_int_equal(diffrun_push(&r, frame, len, 0), 0);
		/* One host frame for every eight from the wire. */
		if (rng_below(&r.rng, 8) == 0) {
			len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
			if (len >= 14 && len <= TT_MAX_FRAME)
				assert_int_equal(diffrun_push(&r, frame, len, 1), 0);
		}
		if (rng_below(&r.rng, 4) == 0)
			assert_int_equal(diffrun_pump(&r, rng_below(&r.rng, 200), r.ready_pct), 0);
		else
			for (int side = 0; side < 2; side++)
				assert_int_equal(diffrun_drain(&r, side, r.ready_pct), 0);
	}
	if (perturbed >= 0)
		assert_int_equal(restore(&r, perturbed), 0);
	assert_int_equal(diffrun_quiesce(&r), 0);
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
	/* Every drop reason and every exception reason of a card without
	 * offloaded connections must have been exercised. */
	for (int i = TT_COUNTER_DROP_BASE; i <= TT_CNT_EXC_NO_MATCH; i++) {
		const char *n = tt_counter_str(i);
		if (!n)
			continue;
		if (!tt_card_counter(r.card[1], i))
			fprintf(stderr, "# counter %s never moved\n", n);
		if (frames >= 64000) /* every perturbation ran */
			assert_true(tt_card_counter(r.card[1], i) > 0);
	}
	diffrun_free(&r);
}

/* The comparer must catch a divergence: two model cards that disagree on
 * the team IP must be reported at the first frame that tells them apart. */
static void detects_divergence(void **state)
{
	(void)state;
	static uint8_t frame[10000];
	const char *names[2] = { "model-a", "model-b" };
	const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	const uint32_t ip = 0xc6120001u;
	struct tt_card *c[2] = { testenv_card("model", mac, ip, 0),
				 testenv_card("model", mac, ip + 1, 0) };
	struct diffcmp *d;
	struct rng r = { 99 };
	uint64_t bp = 1;
	int rc = 0;

	mkdir(outdir(), 0755);
	d = diffcmp_new(names, 1, outdir());
	for (int i = 0; i < 200 && rc == 0; i++) {
		enum fg_kind k;
		size_t len = fg_random_frame(&r, mac, ip, frame, &k);
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
