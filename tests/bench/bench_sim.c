/* SPDX-License-Identifier: MIT */
/*
 * Simulation speed: card cycles per second of the Verilated RTL card, and
 * frames per second through the C model card, both under a stream of
 * valid TCP frames at full rate. Prints "key value" lines for mk/bench.sh.
 */
#include <stdio.h>
#include <time.h>

#include "framegen.h"
#include "testenv.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Feed frames for at least `seconds`; returns frames and cycles done. */
static void run(const char *backend, double seconds, double *frames_per_s,
		double *cycles_per_s)
{
	static uint8_t f[2000], out[10000];
	const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	struct tt_card *c = testenv_card(backend, mac, 0xc6120001u, 0);
	struct rng r = { 42 };
	struct tt_dma_write d;
	uint64_t frames = 0, c0 = tt_card_cycles(c);
	double t0 = now(), t;

	do {
		for (int i = 0; i < 64; i++) {
			enum fg_kind k;
			size_t len = fg_random_frame(&r, mac, 0xc6120001u, f, &k);
			while (len > sizeof(f) || len < 14)
				len = fg_random_frame(&r, mac, 0xc6120001u, f, &k);
			while (tt_card_net_rx(c, f, len) == TT_EAGAIN) {
				tt_card_step(c, 64);
				while (tt_card_dma_write(c, &d, out, sizeof(out)) == TT_OK)
					;
			}
			frames++;
		}
		tt_card_step(c, 64);
		while (tt_card_dma_write(c, &d, out, sizeof(out)) == TT_OK)
			;
		t = now() - t0;
	} while (t < seconds);
	*frames_per_s = (double)frames / t;
	*cycles_per_s = (double)(tt_card_cycles(c) - c0) / t;
	tt_card_free(c);
}

int main(void)
{
	double fps, cps;

	run("rtl", 3.0, &fps, &cps);
	printf("sim.rtl_cycles_per_s %.0f\n", cps);
	printf("sim.rtl_frames_per_s %.0f\n", fps);
	run("model", 2.0, &fps, &cps);
	printf("sim.model_frames_per_s %.0f\n", fps);
	return 0;
}
