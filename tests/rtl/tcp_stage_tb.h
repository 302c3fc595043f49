// SPDX-License-Identifier: MIT
/*
 * What the block tests of the transmit stages (tcp_out_tb, tcp_cc_tb,
 * tcp_timers_tb) share: TAP lines, the seed (TT_SEED, else a fresh one,
 * printed either way), the number of random cases (TT_STAGE_CASES,
 * default 1,000,000), a seeded generator of contexts that lands near the
 * boundaries the stages decide on (sequence wrap, equal and adjacent
 * sequence numbers, windows of 0 and at scale 14, cwnd and ssthresh at 0,
 * MSS and 2^30, retries at the backoff cap and at 255), and a
 * field-by-field report of two contexts that should be equal.
 */
#ifndef TT_TCP_STAGE_TB_H
#define TT_TCP_STAGE_TB_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern "C" {
#include "teamtoe/ctx.h"
}

/* ------------------------------------------------------------ TAP */

static int tb_n_test, tb_n_fail;

static void tb_tap(int ok, const char *name)
{
	tb_n_test++;
	if (!ok)
		tb_n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tb_n_test, name);
	fflush(stdout);
}

static int tb_summary(void)
{
	printf("%d passed, %d failed\n", tb_n_test - tb_n_fail, tb_n_fail);
	return tb_n_fail ? 1 : 0;
}

static uint64_t tb_env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* TT_SEED, else argv[1], else the clock; printed so that a run replays. */
static uint64_t tb_seed(const char *test, int argc, char **argv)
{
	uint64_t seed = tb_env_u64("TT_SEED", 0);

	if (!seed && argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (!seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec) %
		       1000000000000ull;
	}
	printf("# %s: seed %" PRIu64 " (replay with TT_SEED=%" PRIu64 ")\n", test, seed, seed);
	fflush(stdout);
	return seed;
}

/* ------------------------------------------------------------ random */

struct tb_rng {
	uint64_t s;
};

/* splitmix64 */
static uint64_t tb_next(struct tb_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t tb_u32(struct tb_rng *r) { return (uint32_t)(tb_next(r) >> 32); }
static uint32_t tb_below(struct tb_rng *r, uint32_t n) { return (uint32_t)(tb_next(r) % n); }
static int tb_one_in(struct tb_rng *r, uint32_t n) { return tb_below(r, n) == 0; }

#define TB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Offsets between sequence numbers at which serial arithmetic and the
 * 2^30 buffer bound change their answers. */
static const uint32_t tb_seq_edges[] = {
	0, 1, 2, 0xffffffffu, 0xfffffffeu, 0x7fffffffu, 0x80000000u, 0x80000001u,
	0x3fffffffu, 0x40000000u, 0x40000001u, 0xc0000000u, 0xbfffffffu,
};

/* A sequence number: anywhere, or close to where 32 bits wrap. */
static uint32_t tb_seq(struct tb_rng *r)
{
	switch (tb_below(r, 4)) {
	case 0: return 0u - tb_below(r, 70000);            /* just below the wrap */
	case 1: return 0x80000000u - 35000 + tb_below(r, 70000);
	default: return tb_u32(r);
	}
}

/* `base` plus a usually small, usually forward offset. */
static uint32_t tb_near(struct tb_rng *r, uint32_t base)
{
	switch (tb_below(r, 10)) {
	case 0: return base + tb_seq_edges[tb_below(r, TB_COUNT(tb_seq_edges))];
	case 1: return base - tb_below(r, 3000);
	case 2: return tb_u32(r);
	case 3: return base;
	case 4: return base + tb_below(r, 4);
	default: return base + tb_below(r, 200000);
	}
}

static uint16_t tb_mss(struct tb_rng *r)
{
	static const uint16_t v[] = { 0, 1, 2, 536, 1000, 1460, 8960, 65535, 65534 };

	return tb_one_in(r, 3) ? (uint16_t)tb_u32(r) : v[tb_below(r, TB_COUNT(v))];
}

/* A 32-bit window (cwnd, ssthresh, acked): small, near the MSS, near
 * 2^30 (TCP_CC_CWND_MAX) and the top of the range, or anything. */
static uint32_t tb_window(struct tb_rng *r, uint32_t mss)
{
	static const uint32_t v[] = {
		0, 1, 2, 0x3fffffffu, 0x40000000u, 0x40000001u, 0x7fffffffu,
		0x80000000u, 0xfffffffeu, 0xffffffffu, 0xffffu, 0x10000u,
	};

	switch (tb_below(r, 8)) {
	case 0: return v[tb_below(r, TB_COUNT(v))];
	case 1: return mss - 1 + tb_below(r, 3);
	case 2: return mss * (1 + tb_below(r, 4)) + tb_below(r, 3) - 1;
	case 3: return tb_u32(r);
	case 4: return 0x40000000u - tb_below(r, 1u << 20);
	default: return tb_below(r, 1u << (1 + tb_below(r, 31)));
	}
}

static uint16_t tb_u16_edge(struct tb_rng *r)
{
	static const uint16_t v[] = { 0, 1, 2, 3, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x3ff, 0x400 };

	switch (tb_below(r, 3)) {
	case 0: return v[tb_below(r, TB_COUNT(v))];
	case 1: return (uint16_t)tb_below(r, 64);
	default: return (uint16_t)tb_u32(r);
	}
}

static uint8_t tb_u8_edge(struct tb_rng *r)
{
	static const uint8_t v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x7f, 0x80, 0xfe, 0xff };

	return tb_one_in(r, 4) ? (uint8_t)tb_u32(r) : v[tb_below(r, TB_COUNT(v))];
}

/* A whole record: every field set (the stages must pass the others
 * through), the sequence numbers related the way a connection relates
 * them most of the time and arbitrarily the rest. */
static void tb_ctx(struct tb_rng *r, struct tt_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->version = (uint8_t)tb_u32(r);
	c->flags = (uint8_t)tb_u32(r);
	c->mss = tb_mss(r);
	c->local_ip = tb_u32(r);
	c->remote_ip = tb_u32(r);
	c->local_port = (uint16_t)tb_u32(r);
	c->remote_port = (uint16_t)tb_u32(r);
	c->peer_mac = tb_next(r) & 0xffffffffffffull;
	c->snd_wscale = (uint8_t)(tb_one_in(r, 3) ? 14 : tb_below(r, 16));
	c->rcv_wscale = (uint8_t)tb_below(r, 16);
	c->retries = tb_u8_edge(r);
	c->snd_una = tb_seq(r);
	c->snd_nxt = tb_near(r, c->snd_una);
	c->snd_max = tb_near(r, tb_one_in(r, 3) ? c->snd_una : c->snd_nxt);
	c->rcv_nxt = tb_u32(r);
	switch (tb_below(r, 6)) {
	case 0: c->recover = c->snd_una - 1; break;          /* spent */
	case 1: c->recover = tb_near(r, c->snd_una); break;
	case 2: c->recover = tb_near(r, c->snd_nxt); break;
	case 3: c->recover = c->snd_max + tb_below(r, 3) - 1; break;
	case 4: c->recover = tb_u32(r); break;
	default: c->recover = tb_near(r, c->snd_una - 1000); break;
	}
	uint32_t mss = c->mss ? c->mss : 536;
	c->cwnd = tb_window(r, mss);
	c->ssthresh = tb_one_in(r, 4) ? c->cwnd + tb_below(r, 3) - 1 : tb_window(r, mss);
	c->snd_wnd = tb_one_in(r, 4) ? 0 : tb_u16_edge(r);
	c->rcv_wnd = (uint16_t)tb_u32(r);
	c->rto = tb_u16_edge(r);
	c->timer = tb_u16_edge(r);
	c->ip_id = (uint16_t)tb_u32(r);
	c->dupacks = tb_one_in(r, 2) ? (uint8_t)tb_below(r, 6) : tb_u8_edge(r);
	c->state = (uint8_t)tb_u32(r);
}

/* ------------------------------------------------------------ reports */

static void tb_print_ctx(const char *what, const struct tt_ctx *c)
{
	printf("#   %s:", what);
#define TB_PRINT_FIELD(name, type, bit, bits) \
	printf(" %s=%" PRIx64, #name, (uint64_t)c->name);
	TT_CTX_FIELDS(TB_PRINT_FIELD)
#undef TB_PRINT_FIELD
	printf("\n");
}

/* Every field of the C model's context against the RTL's; prints the
 * fields that differ. Returns the number of them. */
static int tb_cmp_ctx(const struct tt_ctx *want, const struct tt_ctx *got)
{
	int bad = 0;

#define TB_CMP_FIELD(name, type, bit, bits)                                      \
	if (want->name != got->name) {                                           \
		printf("#   field %-11s C %#" PRIx64 "  RTL %#" PRIx64 "\n", #name,  \
		       (uint64_t)want->name, (uint64_t)got->name);               \
		bad++;                                                           \
	}
	TT_CTX_FIELDS(TB_CMP_FIELD)
#undef TB_CMP_FIELD
	return bad;
}

/* The same comparison, silent: 1 if every field is equal. */
static int tb_ctx_equal(const struct tt_ctx *a, const struct tt_ctx *b)
{
#define TB_EQ_FIELD(name, type, bit, bits) \
	if (a->name != b->name)            \
		return 0;
	TT_CTX_FIELDS(TB_EQ_FIELD)
#undef TB_EQ_FIELD
	return 1;
}

/* One output that is not a context field: compared and printed the same
 * way. */
static int tb_cmp_out(const char *name, uint64_t want, uint64_t got)
{
	if (want == got)
		return 0;
	printf("#   out   %-11s C %#" PRIx64 "  RTL %#" PRIx64 "\n", name, want, got);
	return 1;
}

#endif
