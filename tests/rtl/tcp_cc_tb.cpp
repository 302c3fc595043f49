// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/tcp_cc.v against its C model, sw-model/tcp_cc.c
 * (tcp_cc_new_ack, tcp_cc_dup_ack), linked in. Every case is one
 * operation on one context; the RTL's outputs (what, retransmit, seq, and
 * the context fields it writes laid over the input) must equal the C
 * function's, field by field, for every field of the record, in every
 * cycle m_valid is high. The result must appear exactly 5 cycles after
 * the operation is taken (23 for congestion avoidance, which divides,
 * less the divider steps of leading zero quotient digits it skips),
 * and stay while m_ready is low (random back-pressure); the next
 * operation is offered in the cycle a result is taken.
 *
 * Edge cases first: products of sequence wrap, snd_nxt behind / at /
 * ahead of snd_una, the recovery point spent / at snd_una / live / past
 * snd_max, cwnd and ssthresh at 0, MSS, 2^30 and 2^32 - 1, acked 0 / 1 /
 * MSS +- 1 / 2^31 - 1 / 2^32 - 1, MSS 0 (536), 1 and 65535, windows 0 and
 * 1, dupacks 0 / 2 / 3 / 4 / 255, and the fast-retransmit ssthresh cut
 * and cap;
 * then TT_STAGE_CASES (1,000,000) random ones from TT_SEED. A mismatch
 * prints the case, the input, both results and the seed, and fails. The
 * random cases must reach every outcome, the divider's overflow and its
 * zero quotient, or the generator has stopped testing them.
 */
extern "C" {
#include "tcp_cc.h"
#include "tcp_out.h"
}

#include <verilated.h>
#include "Vtcp_cc.h"

#include "tcp_stage_tb.h"

enum { OP_NEW_ACK = 0, OP_DUP_ACK };
static const char *const op_name[] = { "NEW_ACK", "DUP_ACK" };

static const uint64_t LATENCY = 5, LATENCY_DIV = 23;

struct cc_case {
	int op;
	struct tt_ctx in;
	uint32_t acked;
	/* the C model's answer */
	struct tt_ctx want;
	struct tcp_cc_out want_out;
	uint64_t index;
};

static void model(struct cc_case *k)
{
	k->want = k->in;
	if (k->op == OP_NEW_ACK)
		tcp_cc_new_ack(&k->want, k->acked, &k->want_out);
	else
		tcp_cc_dup_ack(&k->want, &k->want_out);
}

/* Cycles the divider saves by skipping its leading zero digits four
 * steps at a time (the first 4k are zero when MSS * acked >> (32 - 8k) <
 * cwnd, 1 if 0): a skip of s steps costs a cycle to load, so s - 1. */
static uint64_t div_saved(const struct cc_case *k)
{
	uint64_t dv = (uint64_t)tcp_out_mss(&k->in) * k->acked;
	uint64_t dr = k->in.cwnd ? k->in.cwnd : 1;

	for (unsigned s = 16; s > 0; s -= 4)
		if ((dv >> (32 - 2 * s)) < dr)
			return s - 1;
	return 0;
}

/* ------------------------------------------------------------ the RTL */

struct bench {
	VerilatedContext *vctx;
	Vtcp_cc *m;
	struct tb_rng *rng;
	uint64_t cycle;
	uint64_t checked;
	uint64_t mismatches;
	uint64_t late;
	uint64_t seed;
	const char *phase;
	int backpressure;         /* 1 in N cycles m_ready is low; 0: never */
	/* the operation inside the stage */
	int busy;
	cc_case cur;
	uint64_t taken_at;
	int seen_valid;
	int cur_bad;
};

static void drive(Vtcp_cc *m, const cc_case *k)
{
	m->s_valid = 1;
	m->s_op = (uint8_t)k->op;
	m->s_acked = k->acked;
	m->s_flags = k->in.flags;
	m->s_mss = k->in.mss;
	m->s_snd_una = k->in.snd_una;
	m->s_snd_nxt = k->in.snd_nxt;
	m->s_snd_max = k->in.snd_max;
	m->s_recover = k->in.recover;
	m->s_cwnd = k->in.cwnd;
	m->s_ssthresh = k->in.ssthresh;
	m->s_snd_wnd = k->in.snd_wnd;
	m->s_dupacks = k->in.dupacks;
}

static void drive_idle(Vtcp_cc *m, struct tb_rng *r)
{
	m->s_valid = 0;
	m->s_op = (uint8_t)tb_below(r, 2);
	m->s_acked = tb_u32(r);
	m->s_cwnd = tb_u32(r);
	m->s_flags = (uint8_t)tb_u32(r);
}

/* The outputs, in a cycle m_valid is high, against the C model. */
static void compare(bench *b)
{
	Vtcp_cc *m = b->m;
	const cc_case *k = &b->cur;
	struct tt_ctx got = k->in;

	got.flags = m->m_flags;
	got.snd_nxt = m->m_snd_nxt;
	got.recover = m->m_recover;
	got.cwnd = m->m_cwnd;
	got.ssthresh = m->m_ssthresh;
	got.dupacks = m->m_dupacks;

	const struct tcp_cc_out *w = &k->want_out;
	if (tb_ctx_equal(&got, &k->want) && m->m_what == (unsigned)w->what &&
	    m->m_retransmit == (w->retransmit != 0) && m->m_seq == w->seq)
		return;
	if (b->cur_bad++)
		return;                 /* one report per operation */
	b->mismatches++;
	if (b->mismatches > 3)
		return;
	printf("# MISMATCH in %s, case %" PRIu64 ": op %s, acked %#x, cycle %" PRIu64
	       " after it was taken (seed %" PRIu64 ", replay with TT_SEED=%" PRIu64 ")\n",
	       b->phase, k->index, op_name[k->op], k->acked, b->cycle - b->taken_at, b->seed,
	       b->seed);
	tb_print_ctx("input", &k->in);
	tb_print_ctx("C   ", &k->want);
	tb_print_ctx("RTL ", &got);
	tb_cmp_ctx(&k->want, &got);
	tb_cmp_out("what", w->what, m->m_what);
	tb_cmp_out("retransmit", w->retransmit != 0, m->m_retransmit);
	tb_cmp_out("seq", w->seq, m->m_seq);
}

/* One clock cycle. `next` (or NULL) is offered on s_valid. Returns 1 if
 * the stage took it. */
static int cycle(bench *b, const cc_case *next)
{
	Vtcp_cc *m = b->m;
	int took = 0;

	if (next)
		drive(m, next);
	else
		drive_idle(m, b->rng);
	m->m_ready = !(b->backpressure && tb_one_in(b->rng, (uint32_t)b->backpressure));
	m->eval();

	if (m->m_valid) {
		if (!b->busy) {
			printf("# m_valid with no operation outstanding (cycle %" PRIu64 ")\n",
			       b->cycle);
			b->mismatches++;
		} else {
			if (!b->seen_valid) {
				uint64_t want = b->cur.want_out.what == TCP_CC_AVOIDANCE ?
						LATENCY_DIV - div_saved(&b->cur) : LATENCY;
				if (b->cycle - b->taken_at != want) {
					if (b->late++ < 3)
						printf("# case %" PRIu64 " (%s): result after %" PRIu64
						       " cycles, not %" PRIu64 "\n", b->cur.index,
						       op_name[b->cur.op], b->cycle - b->taken_at, want);
				}
				b->seen_valid = 1;
				b->checked++;
			}
			compare(b);
			if (m->m_ready)
				b->busy = 0;
		}
	}
	if (next && m->s_ready) {
		if (b->busy) {
			printf("# s_ready while an operation is outstanding (cycle %" PRIu64 ")\n",
			       b->cycle);
			b->mismatches++;
		}
		b->busy = 1;
		b->cur = *next;
		b->taken_at = b->cycle;
		b->seen_valid = 0;
		b->cur_bad = 0;
		took = 1;
	}
	if (b->busy && b->cycle - b->taken_at > 2 * LATENCY_DIV + 1000) {
		printf("# case %" PRIu64 ": no result after %" PRIu64 " cycles\n", b->cur.index,
		       b->cycle - b->taken_at);
		b->mismatches++;
		b->busy = 0;
	}

	m->clk = 1;
	m->eval();
	m->clk = 0;
	m->eval();
	b->cycle++;
	return took;
}

static void issue(bench *b, cc_case *k)
{
	model(k);
	/* random gaps between operations */
	if (tb_one_in(b->rng, 16))
		cycle(b, NULL);
	while (!cycle(b, k))
		;
}

static void phase_begin(bench *b, const char *name, int backpressure)
{
	b->phase = name;
	b->backpressure = backpressure;
	b->checked = b->mismatches = 0;
}

static void phase_end(bench *b, const char *name)
{
	char line[240];

	b->backpressure = 0;
	for (int i = 0; i < 2 * (int)LATENCY_DIV && b->busy; i++)
		cycle(b, NULL);
	if (b->busy) {
		printf("# the last operation never came out\n");
		b->mismatches++;
		b->busy = 0;
	}
	if (b->mismatches)
		printf("# %" PRIu64 " mismatches\n", b->mismatches);
	snprintf(line, sizeof(line), "%s: %" PRIu64 " operations equal the C model", name,
		 b->checked);
	tb_tap(b->mismatches == 0 && b->checked > 0, line);
}

/* ------------------------------------------------------------ edge cases */

static struct tt_ctx base_ctx(void)
{
	struct tt_ctx c;

	memset(&c, 0, sizeof(c));
	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID | TT_CTXF_ACK_PENDING;
	c.state = TT_TCP_ESTABLISHED;
	c.snd_wnd = 60000;
	c.rto = 10;
	return c;
}

static const uint32_t unas[] = { 0xffffffffu - 10, 0x7fffffffu, 0 };

static void edge_new_ack(bench *b)
{
	static const int32_t nxts[] = { -1000, 0, 5000, INT32_MIN };
	static const int32_t recs[] = { -1, 0, 1, 5000, 10001, 0x40000000 };
	static const uint32_t maxs[] = { 0, 10000 };
	static const uint32_t cwnds[] = { 0, 1, 1459, 1460, 0x3fffffffu, 0x40000000u,
					  0x40000001u, 0xffffffffu };
	static const uint16_t msss[] = { 0, 1, 1460, 65535 };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (int rec = 0; rec < 2; rec++)
	for (int32_t nx : nxts)
	for (int32_t rc : recs)
	for (uint32_t mx : maxs)
	for (uint32_t cw : cwnds)
	for (int st = 0; st < 4; st++)
	for (int ac = 0; ac < 7; ac++)
	for (uint16_t ms : msss) {
		uint32_t mss = ms ? ms : 536;
		const uint32_t ackeds[] = { 0, 1, mss - 1, mss, mss + 1, 0x7fffffffu, 0xffffffffu };
		cc_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_NEW_ACK;
		k.in = base_ctx();
		if (rec)
			k.in.flags |= TT_CTXF_RECOVERY;
		k.in.snd_una = una;
		k.in.snd_nxt = una + (uint32_t)nx;
		k.in.recover = una + (uint32_t)rc;
		k.in.snd_max = una + mx;
		k.in.cwnd = cw;
		k.in.ssthresh = st == 0 ? 0 : st == 1 ? cw : st == 2 ? cw + 1 : 0xffffffffu;
		k.in.mss = ms;
		k.acked = ackeds[ac];
		k.index = n++;
		issue(b, &k);
	}
}

static void edge_dup_ack(bench *b)
{
	static const uint8_t dups[] = { 0, 2, 3, 4, 255 };
	static const int32_t recs[] = { -1, 0, 1, 5000, 10001, INT32_MIN };
	static const uint32_t cwnds[] = { 0, 1460, 0x40000000u, 0xffffffffu };
	static const uint16_t msss[] = { 0, 1, 1460, 65535 };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (int rec = 0; rec < 2; rec++)
	for (int w = 0; w < 2; w++)
	for (uint8_t d : dups)
	for (int32_t rc : recs)
	for (int nx = 0; nx < 8; nx++)
	for (uint32_t cw : cwnds)
	for (uint16_t ms : msss) {
		uint32_t mss = ms ? ms : 536;
		/* flight / 2 at the 2 MSS cut, and ssthresh + 3 MSS at the 2^30 cap */
		const uint32_t at_cap = 2 * (0x40000000u - 3 * mss);
		const uint32_t nxts[] = { 0, 5000, (uint32_t)-10, 4 * mss + 1, 4 * mss + 2,
					  at_cap - 2, at_cap, at_cap + 2 };
		cc_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_DUP_ACK;
		k.in = base_ctx();
		if (rec)
			k.in.flags |= TT_CTXF_RECOVERY;
		k.in.snd_wnd = (uint16_t)w;
		k.in.dupacks = d;
		k.in.snd_una = una;
		k.in.snd_nxt = una + nxts[nx];
		k.in.snd_max = una + 10000;
		k.in.recover = una + (uint32_t)rc;
		k.in.cwnd = cw;
		k.in.ssthresh = 0xffffffffu;
		k.in.mss = ms;
		k.index = n++;
		issue(b, &k);
	}
}

/* ------------------------------------------------------------ random */

struct coverage {
	uint64_t what[10];
	uint64_t partial_retransmit, div_over, div_zero, capped;
};

static void random_case(struct tb_rng *r, cc_case *k)
{
	memset(k, 0, sizeof(*k));
	tb_ctx(r, &k->in);
	k->op = tb_one_in(r, 3) ? OP_DUP_ACK : OP_NEW_ACK;
	uint32_t mss = k->in.mss ? k->in.mss : 536;
	switch (tb_below(r, 4)) {
	case 0: k->acked = mss - 1 + tb_below(r, 3); break;
	case 1: k->acked = tb_window(r, mss); break;
	case 2: k->acked = 1 + tb_below(r, 4 * mss); break;
	default: k->acked = tb_below(r, 1u << tb_below(r, 32)); break;
	}
	if (k->op == OP_DUP_ACK && tb_one_in(r, 2))
		k->in.dupacks = 3;
}

int main(int argc, char **argv)
{
	bench b;
	struct tb_rng rng;
	coverage cov;
	char line[200];

	memset(&cov, 0, sizeof(cov));
	b.seed = tb_seed("tcp_cc", argc, argv);
	rng.s = b.seed;
	b.rng = &rng;
	uint64_t cases = tb_env_u64("TT_STAGE_CASES", 1000000);

	b.vctx = new VerilatedContext;
	b.m = new Vtcp_cc(b.vctx);
	b.cycle = 0;
	b.late = 0;
	b.busy = 0;
	b.backpressure = 0;
	b.m->clk = 0;
	b.m->rst = 1;
	for (int i = 0; i < 4; i++)
		cycle(&b, NULL);
	b.m->rst = 0;

	phase_begin(&b, "edge NEW_ACK", 0);
	edge_new_ack(&b);
	phase_end(&b, "edge cases of tcp_cc_new_ack (wrap, snd_nxt behind/at/ahead, recovery "
		  "point spent/full/partial/live/dead, cwnd and ssthresh extremes, acked 0/1/MSS/"
		  "2^32-1, MSS 0/1/65535)");
	phase_begin(&b, "edge DUP_ACK", 0);
	edge_dup_ack(&b);
	phase_end(&b, "edge cases of tcp_cc_dup_ack (window 0/1, recovery, dupacks 0/2/3/4/255, "
		  "recovery point, the ssthresh cut and cap, cwnd extremes, MSS 0/1/65535)");

	phase_begin(&b, "random", 4);
	for (uint64_t i = 0; i < cases; i++) {
		cc_case k;
		random_case(&rng, &k);
		k.index = i;
		issue(&b, &k);
		cov.what[k.want_out.what]++;
		if (k.want_out.what == TCP_CC_PARTIAL && k.want_out.retransmit)
			cov.partial_retransmit++;
		if (k.want_out.what == TCP_CC_AVOIDANCE) {
			uint64_t p = (uint64_t)(k.in.mss ? k.in.mss : 536) * k.acked;
			uint64_t q = p / (k.in.cwnd ? k.in.cwnd : 1);
			cov.div_over += q >= (1ull << 31);
			cov.div_zero += q == 0;
			cov.capped += k.want.cwnd == TCP_CC_CWND_MAX;
		}
	}
	snprintf(line, sizeof(line), "random operations with back-pressure (seed %" PRIu64 ")",
		 b.seed);
	phase_end(&b, line);

	tb_tap(b.late == 0 && b.cycle > 0,
	       "every result came out 5 cycles after its operation (23 less the steps skipped when it divides)");

	uint64_t floor_n = cases / 10000;
	int covered = 1;
	for (int w = TCP_CC_SLOW_START; w <= TCP_CC_DUP_ZERO_WINDOW; w++)
		if (cov.what[w] < floor_n) {
			printf("# what %d reached only %" PRIu64 " times\n", w, cov.what[w]);
			covered = 0;
		}
	const uint64_t *counts[] = { &cov.partial_retransmit, &cov.div_over, &cov.div_zero,
				     &cov.capped };
	const char *names[] = { "partial ACK retransmission", "quotient >= 2^31",
				"quotient 0", "avoidance at the cap" };
	for (int i = 0; i < 4; i++)
		if (*counts[i] < floor_n) {
			printf("# %s reached only %" PRIu64 " times\n", names[i], *counts[i]);
			covered = 0;
		}
	tb_tap(covered, "random cases reach every NewReno outcome, the divider's overflow and "
	       "zero quotient, and the cwnd cap");

	b.m->final();
	delete b.m;
	delete b.vctx;
	return tb_summary();
}
