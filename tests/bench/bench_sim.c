/* SPDX-License-Identifier: MIT */
/*
 * Simulation speed: card cycles per second of the Verilated RTL card, and
 * frames per second through it and through the C model card, both under
 * the same stream of random frames (fg_random_frame: valid TCP and every
 * kind of broken frame) at full rate. The frames are made before the clock
 * starts, so that the ratio sim.model_speedup compares the two cards and
 * not the frame generator. Prints "key value" lines for mk/bench.sh.
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

#define N_FRAMES 4096
#define FRAME_MAX 2000

static const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static uint8_t frame[N_FRAMES][FRAME_MAX];
static size_t frame_len[N_FRAMES];

static void make_frames(void)
{
	struct rng r = { 42 };

	for (int i = 0; i < N_FRAMES; i++) {
		enum fg_kind k;
		static uint8_t f[10000];
		size_t len;

		do
			len = fg_random_frame(&r, mac, 0xc6120001u, f, &k);
		while (len > FRAME_MAX || len < 14);
		for (size_t b = 0; b < len; b++)
			frame[i][b] = f[b];
		frame_len[i] = len;
	}
}

/* Feed frames for at least `seconds`; returns frames and cycles done. */
static void run(const char *backend, double seconds, double *frames_per_s,
		double *cycles_per_s)
{
	static uint8_t out[10000];
	struct tt_card *c = testenv_card(backend, mac, 0xc6120001u, 0);
	struct tt_dma_write d;
	uint64_t frames = 0, c0 = tt_card_cycles(c);
	double t0 = now(), t;

	do {
		for (int i = 0; i < 64; i++) {
			const uint8_t *f = frame[frames % N_FRAMES];
			size_t len = frame_len[frames % N_FRAMES];

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
	double rtl_fps, model_fps, cps;

	make_frames();
	run("rtl", 3.0, &rtl_fps, &cps);
	printf("sim.rtl_cycles_per_s %.0f\n", cps);
	printf("sim.rtl_frames_per_s %.0f\n", rtl_fps);
	run("model", 2.0, &model_fps, &cps);
	printf("sim.model_frames_per_s %.0f\n", model_fps);
	/* the same frames through each card: model events/s over RTL's */
	printf("sim.model_speedup %.1f\n", model_fps / rtl_fps);
	return 0;
}
