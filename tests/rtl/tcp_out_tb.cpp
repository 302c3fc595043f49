// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/tcp_out.v against its C model, sw-model/tcp_out.c
 * (tcp_out_next, tcp_out_ack, tcp_out_sent, tcp_out_doorbell), linked in.
 * Every case is one operation on one context; the RTL's outputs (decision,
 * doorbell result, and the context fields it writes laid over the input)
 * must equal the C function's, field by field, for every field of the
 * record. Cases stream one per cycle with random idle cycles, and each
 * result must come out exactly LATENCY cycles after its operation.
 *
 * Edge cases first (systematic products of the values where a decision
 * flips: sequence wrap, flight and avail at 0 / MSS / window, snd_wnd 0
 * and 1 and 65535 at scale 0, 1, 14, 15, cwnd 0 / MSS / 2^30 / 2^32-1,
 * MSS 0 (536) and 65535, the probe flag, every SENT segment kind with
 * persist, timer 0 / 1, retries at the backoff cap and 255, rto 0, the
 * doorbell at the 2^30 bound and behind snd_max), then TT_STAGE_CASES
 * (1,000,000) random ones from TT_SEED. A mismatch prints the case, the
 * input, both results and the seed, and fails. The random cases must also
 * reach every outcome of tcp_out_next, every doorbell answer and every
 * branch of tcp_out_sent, or the generator has stopped testing them.
 */
extern "C" {
#include "tcp_out.h"
#include "tcp_timers.h"
}

#include <deque>

#include <verilated.h>
#include "Vtcp_out.h"

#include "tcp_stage_tb.h"

enum { OP_NEXT = 0, OP_ACK, OP_SENT, OP_DOORBELL };
static const char *const op_name[] = { "NEXT", "ACK", "SENT", "DOORBELL" };

static const int LATENCY = 3;

struct out_case {
	int op;
	struct tt_ctx in;
	struct tcp_out_seg seg;   /* SENT: what went out */
	uint32_t snd_end;         /* DOORBELL */
	/* the C model's answer */
	struct tt_ctx want;
	struct tcp_out_seg want_seg;
	int want_db;
	/* bookkeeping */
	uint64_t index;
	uint64_t issued;
};

static void model(struct out_case *k)
{
	k->want = k->in;
	memset(&k->want_seg, 0, sizeof(k->want_seg));
	k->want_db = 0;
	switch (k->op) {
	case OP_NEXT: tcp_out_next(&k->want, &k->want_seg); break;
	case OP_ACK: tcp_out_ack(&k->want, &k->want_seg); break;
	case OP_SENT: tcp_out_sent(&k->want, &k->seg); break;
	case OP_DOORBELL: k->want_db = tcp_out_doorbell(&k->want, k->snd_end); break;
	}
}

/* ------------------------------------------------------------ the RTL */

struct bench {
	VerilatedContext *vctx;
	Vtcp_out *m;
	std::deque<out_case> pending;
	uint64_t cycle;
	uint64_t checked;
	uint64_t mismatches;
	uint64_t late;            /* results not exactly LATENCY cycles later */
	uint64_t seed;
	const char *phase;
};

static void drive(Vtcp_out *m, const out_case *k)
{
	m->s_valid = 1;
	m->s_op = (uint8_t)k->op;
	m->s_flags = k->in.flags;
	m->s_mss = k->in.mss;
	m->s_snd_wscale = k->in.snd_wscale;
	m->s_retries = k->in.retries;
	m->s_snd_una = k->in.snd_una;
	m->s_snd_nxt = k->in.snd_nxt;
	m->s_snd_max = k->in.snd_max;
	m->s_recover = k->in.recover;
	m->s_cwnd = k->in.cwnd;
	m->s_snd_wnd = k->in.snd_wnd;
	m->s_rto = k->in.rto;
	m->s_timer = k->in.timer;
	m->s_seg_kind = (uint8_t)k->seg.kind;
	m->s_seg_seq = k->seg.seq;
	m->s_seg_len = k->seg.len;
	m->s_snd_end = k->snd_end;
}

/* An idle cycle: s_valid low, everything else noise. */
static void drive_idle(Vtcp_out *m, struct tb_rng *r)
{
	m->s_valid = 0;
	m->s_op = (uint8_t)tb_below(r, 4);
	m->s_snd_una = tb_u32(r);
	m->s_snd_nxt = tb_u32(r);
	m->s_flags = (uint8_t)tb_u32(r);
	m->s_seg_kind = (uint8_t)tb_below(r, 4);
}

static void report(const bench *b, const out_case *k)
{
	printf("# MISMATCH in %s, case %" PRIu64 ": op %s (seed %" PRIu64
	       ", replay with TT_SEED=%" PRIu64 ")\n",
	       b->phase, k->index, op_name[k->op], b->seed, b->seed);
	tb_print_ctx("input", &k->in);
	if (k->op == OP_SENT)
		printf("#   segment: kind %d seq %#x len %u\n", k->seg.kind, k->seg.seq, k->seg.len);
	if (k->op == OP_DOORBELL)
		printf("#   doorbell: snd_end %#x\n", k->snd_end);
}

static void check(bench *b)
{
	Vtcp_out *m = b->m;

	if (!m->m_valid)
		return;
	if (b->pending.empty()) {
		printf("# m_valid with no operation outstanding (cycle %" PRIu64 ")\n", b->cycle);
		b->mismatches++;
		return;
	}
	out_case k = b->pending.front();
	b->pending.pop_front();
	if (b->cycle - k.issued != (uint64_t)LATENCY)
		b->late++;

	struct tt_ctx got = k.in;
	got.flags = m->m_flags;
	got.retries = m->m_retries;
	got.snd_nxt = m->m_snd_nxt;
	got.snd_max = m->m_snd_max;
	got.timer = m->m_timer;

	int bad = 0;
	if (!tb_ctx_equal(&got, &k.want) ||
	    m->m_kind != (unsigned)k.want_seg.kind || m->m_limit != (unsigned)k.want_seg.limit ||
	    m->m_seq != k.want_seg.seq || m->m_len != k.want_seg.len ||
	    m->m_db_moved != (k.want_db == 1) || m->m_db_ignored != (k.want_db == -1))
		bad = 1;
	b->checked++;
	if (!bad)
		return;
	b->mismatches++;
	if (b->mismatches > 3)
		return;
	report(b, &k);
	tb_print_ctx("C   ", &k.want);
	tb_print_ctx("RTL ", &got);
	tb_cmp_ctx(&k.want, &got);
	tb_cmp_out("kind", k.want_seg.kind, m->m_kind);
	tb_cmp_out("limit", k.want_seg.limit, m->m_limit);
	tb_cmp_out("seq", k.want_seg.seq, m->m_seq);
	tb_cmp_out("len", k.want_seg.len, m->m_len);
	tb_cmp_out("db_moved", k.want_db == 1, m->m_db_moved);
	tb_cmp_out("db_ignored", k.want_db == -1, m->m_db_ignored);
}

static void tick(bench *b)
{
	b->m->clk = 1;
	b->m->eval();
	b->m->clk = 0;
	b->m->eval();
	b->cycle++;
	check(b);
}

static void issue(bench *b, out_case *k)
{
	model(k);
	k->issued = b->cycle;
	b->pending.push_back(*k);
	drive(b->m, k);
	tick(b);
}

static void drain(bench *b, struct tb_rng *r)
{
	for (int i = 0; i < LATENCY + 2; i++) {
		drive_idle(b->m, r);
		tick(b);
	}
	if (!b->pending.empty()) {
		printf("# %zu operations never came out\n", b->pending.size());
		b->mismatches++;
		b->pending.clear();
	}
}

/* Run a phase; TAP line "name" passes if every result matched. */
static void phase_begin(bench *b, const char *name)
{
	b->phase = name;
	b->checked = b->mismatches = 0;
}

static void phase_end(bench *b, struct tb_rng *r, const char *name)
{
	char line[200];

	drain(b, r);
	snprintf(line, sizeof(line), "%s: %" PRIu64 " operations equal the C model", name,
		 b->checked);
	if (b->mismatches)
		printf("# %" PRIu64 " mismatches\n", b->mismatches);
	tb_tap(b->mismatches == 0 && b->checked > 0, line);
}

/* ------------------------------------------------------------ edge cases */

static struct tt_ctx base_ctx(void)
{
	struct tt_ctx c;

	memset(&c, 0, sizeof(c));
	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.mss = 1460;
	c.rto = 10;
	c.cwnd = 14600;
	c.ssthresh = 0xffffffffu;
	c.snd_wnd = 65535;
	return c;
}

static const uint32_t unas[] = { 0, 0xffffffffu - 700, 0x7fffffffu - 300, 0x80000000u, 0xfffffa24u };

static void edge_next(bench *b)
{
	static const uint32_t flights[] = { 0, 1, 1459, 1460, 1461, 65535, 65536, 0xffffffffu,
					    0x7fffffffu, 0x80000000u, 0x80000001u };
	static const uint32_t avails[] = { 0, 1, 2, 535, 536, 1459, 1460, 1461, 0xffffffffu,
					   0x80000000u };
	static const uint16_t wnds[] = { 0, 1, 1460, 65535 };
	static const uint8_t scales[] = { 0, 1, 14, 15 };
	static const uint32_t cwnds[] = { 0, 1, 1459, 1460, 1461, 2920, 0x40000000u, 0xffffffffu };
	static const uint16_t msss[] = { 0, 1, 1460, 65535 };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (uint32_t fl : flights)
	for (uint32_t av : avails)
	for (uint16_t w : wnds)
	for (uint8_t sc : scales)
	for (uint32_t cw : cwnds)
	for (uint16_t ms : msss)
	for (int probe = 0; probe < 2; probe++) {
		out_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_NEXT;
		k.in = base_ctx();
		k.in.snd_una = una;
		k.in.snd_nxt = una + fl;
		k.in.snd_max = una + fl + av;
		k.in.recover = una - 1;
		k.in.snd_wnd = w;
		k.in.snd_wscale = sc;
		k.in.cwnd = cw;
		k.in.mss = ms;
		if (probe)
			k.in.flags |= TT_CTXF_PROBE;
		k.index = n++;
		issue(b, &k);
	}
}

static void edge_sent(bench *b)
{
	static const uint16_t timers[] = { 0, 1, 0xffff };
	static const uint8_t retries[] = { 0, 1, 5, 6, 7, 0xfe, 0xff };
	static const uint16_t rtos[] = { 0, 1, 0x3ff, 0x400, 0x401, 0xffff };
	static const uint16_t lens[] = { 0, 1, 65535 };
	static const uint32_t nxts[] = { 0xffffffffu, 0xfffffff0u, 0x7fffffffu };
	uint64_t n = 0;

	for (int kind = 0; kind < 4; kind++)
	for (int fl = 0; fl < 16; fl++)       /* ACK_PENDING, DELACK, PERSIST, PROBE */
	for (uint16_t t : timers)
	for (uint8_t re : retries)
	for (uint16_t rto : rtos)
	for (int at = 0; at < 3; at++)        /* seq at snd_nxt, one past, at snd_una */
	for (uint16_t len : lens)
	for (uint32_t nxt : nxts) {
		out_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_SENT;
		k.in = base_ctx();
		k.in.snd_una = nxt - 3000;
		k.in.snd_nxt = nxt;
		k.in.snd_max = nxt + 100000;
		k.in.flags = (uint8_t)(TT_CTXF_VALID | TT_CTXF_RECOVERY |
			     ((fl & 1) ? TT_CTXF_ACK_PENDING : 0) | ((fl & 2) ? TT_CTXF_DELACK : 0) |
			     ((fl & 4) ? TT_CTXF_PERSIST : 0) | ((fl & 8) ? TT_CTXF_PROBE : 0));
		k.in.timer = t;
		k.in.retries = re;
		k.in.rto = rto;
		k.seg.kind = (enum tcp_out_kind)kind;
		k.seg.seq = at == 0 ? nxt : at == 1 ? nxt + 1 : nxt - 3000;
		k.seg.len = len;
		k.index = n++;
		issue(b, &k);
	}
}

static void edge_doorbell(bench *b)
{
	static const uint32_t ends[] = { 0, 1, 0x3fffffffu, 0x40000000u, 0x40000001u, 0x7fffffffu,
					 0x80000000u, 0x80000001u, 0xffffffffu, 0xc0000000u };
	static const uint32_t maxs[] = { 0, 1, 0x40000000u, 0x40000001u, 0x7fffffffu, 0x80000000u,
					 0xffffffffu };
	static const uint32_t more_unas[] = { 0, 0xffffffffu, 0x7fffffffu, 0xc0000000u, 12345 };
	uint64_t n = 0;

	for (uint32_t una : more_unas)
	for (uint32_t mx : maxs)
	for (uint32_t e : ends)
	for (int rel = 0; rel < 2; rel++) {   /* end relative to snd_una, or to snd_max */
		out_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_DOORBELL;
		k.in = base_ctx();
		k.in.snd_una = una;
		k.in.snd_nxt = una;
		k.in.snd_max = una + mx;
		k.snd_end = rel ? k.in.snd_max + e : una + e;
		k.index = n++;
		issue(b, &k);
	}
}

static void edge_ack(bench *b)
{
	static const int32_t recs[] = { -1, 0, 1, 99, 100, 101, 109, 110, 111 };
	static const int32_t nxts[] = { 0, 50, 100, -100, 110 };
	static const int32_t maxs[] = { 0, 100, 110, 0x7fffffff };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (int32_t re : recs)
	for (int32_t nx : nxts)
	for (int32_t mx : maxs) {
		out_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_ACK;
		k.in = base_ctx();
		k.in.snd_una = una;
		k.in.snd_nxt = una + (uint32_t)nx;
		k.in.snd_max = una + (uint32_t)mx;
		k.in.recover = una + (uint32_t)re;
		k.index = n++;
		issue(b, &k);
	}
}

/* ------------------------------------------------------------ random */

struct coverage {
	uint64_t next[4][5];   /* [kind][limit] of tcp_out_next */
	uint64_t db[3];        /* -1, 0, 1 */
	uint64_t sent[4][2][2]; /* [kind][persist][timer stopped] */
};

static void random_case(struct tb_rng *r, out_case *k, coverage *cov)
{
	memset(k, 0, sizeof(*k));
	tb_ctx(r, &k->in);
	uint32_t pick = tb_below(r, 20);
	k->op = pick < 8 ? OP_NEXT : pick < 11 ? OP_ACK : pick < 17 ? OP_SENT : OP_DOORBELL;
	if (k->op == OP_SENT) {
		switch (tb_below(r, 4)) {
		case 0:
		case 1:
			/* what tcp_out_next chose for this context */
			tcp_out_next(&k->in, &k->seg);
			if (k->seg.kind != TCP_OUT_NONE)
				break;
			/* fall through */
		case 2:
			k->seg.kind = (enum tcp_out_kind)tb_below(r, 4);
			k->seg.seq = tb_one_in(r, 2) ? k->in.snd_nxt :
				     tb_one_in(r, 2) ? k->in.snd_una : tb_near(r, k->in.snd_una);
			k->seg.len = tb_one_in(r, 2) ? (uint16_t)(1 + tb_below(r, 1460)) :
				     tb_u16_edge(r);
			break;
		default:
			tcp_out_ack(&k->in, &k->seg);
			break;
		}
		cov->sent[k->seg.kind][!!(k->in.flags & TT_CTXF_PERSIST)][k->in.timer == 0]++;
	}
	if (k->op == OP_DOORBELL) {
		switch (tb_below(r, 4)) {
		case 0: k->snd_end = tb_near(r, k->in.snd_max); break;
		case 1: k->snd_end = k->in.snd_una + 0x40000000u - 1 + tb_below(r, 3); break;
		case 2: k->snd_end = k->in.snd_max - tb_below(r, 3); break;
		default: k->snd_end = tb_u32(r); break;
		}
	}
}

int main(int argc, char **argv)
{
	bench b;
	struct tb_rng rng;
	coverage cov;
	char line[200];

	memset(&cov, 0, sizeof(cov));
	b.seed = tb_seed("tcp_out", argc, argv);
	rng.s = b.seed;
	uint64_t cases = tb_env_u64("TT_STAGE_CASES", 1000000);

	b.vctx = new VerilatedContext;
	b.m = new Vtcp_out(b.vctx);
	b.cycle = 0;
	b.late = 0;
	b.m->clk = 0;
	b.m->rst = 1;
	drive_idle(b.m, &rng);
	for (int i = 0; i < 4; i++)
		tick(&b);
	b.m->rst = 0;

	phase_begin(&b, "edge NEXT");
	edge_next(&b);
	phase_end(&b, &rng, "edge cases of tcp_out_next (wrap, flight/avail at the cuts, "
		  "windows 0/1/65535 at scale 0/1/14/15, cwnd and MSS extremes, probe)");
	phase_begin(&b, "edge SENT");
	edge_sent(&b);
	phase_end(&b, &rng, "edge cases of tcp_out_sent (every kind, persist/probe/delack flags, "
		  "timer 0/1/ffff, retries 0..7/fe/ff, rto 0/1/ffff)");
	phase_begin(&b, "edge DOORBELL");
	edge_doorbell(&b);
	phase_end(&b, &rng, "edge cases of tcp_out_doorbell (behind snd_max, equal, the 2^30 bound)");
	phase_begin(&b, "edge ACK");
	edge_ack(&b);
	phase_end(&b, &rng, "edge cases of tcp_out_ack (recover live, spent, behind, ahead)");

	phase_begin(&b, "random");
	for (uint64_t i = 0; i < cases; i++) {
		out_case k;
		random_case(&rng, &k, &cov);
		k.index = i;
		if (tb_one_in(&rng, 8)) {
			drive_idle(b.m, &rng);
			tick(&b);
		}
		issue(&b, &k);
		if (k.op == OP_NEXT)
			cov.next[k.want_seg.kind][k.want_seg.limit]++;
		if (k.op == OP_DOORBELL)
			cov.db[k.want_db + 1]++;
	}
	snprintf(line, sizeof(line), "random operations (seed %" PRIu64 ")", b.seed);
	phase_end(&b, &rng, line);

	tb_tap(b.late == 0 && b.cycle > 0, "every result came out 3 cycles after its operation");

	/* every outcome the C function can give, reached by the random cases */
	static const int outcomes[][2] = {
		{ TCP_OUT_NONE, TCP_OUT_BY_PERSIST }, { TCP_OUT_PROBE, TCP_OUT_BY_MSS },
		{ TCP_OUT_NONE, TCP_OUT_BY_WINDOW }, { TCP_OUT_NONE, TCP_OUT_BY_CWND },
		{ TCP_OUT_NONE, TCP_OUT_BY_DATA }, { TCP_OUT_DATA, TCP_OUT_BY_MSS },
		{ TCP_OUT_DATA, TCP_OUT_BY_DATA }, { TCP_OUT_DATA, TCP_OUT_BY_WINDOW },
		{ TCP_OUT_DATA, TCP_OUT_BY_CWND },
	};
	uint64_t floor_n = cases / 10000;
	int covered = 1;
	for (auto &o : outcomes) {
		if (cov.next[o[0]][o[1]] < floor_n) {
			printf("# tcp_out_next kind %d limit %d reached only %" PRIu64 " times\n",
			       o[0], o[1], cov.next[o[0]][o[1]]);
			covered = 0;
		}
	}
	for (int d = 0; d < 3; d++)
		if (cov.db[d] < floor_n) {
			printf("# doorbell result %d reached only %" PRIu64 " times\n", d - 1, cov.db[d]);
			covered = 0;
		}
	for (int kind = 1; kind < 4; kind++)
		for (int p = 0; p < 2; p++)
			for (int t = 0; t < 2; t++)
				if (cov.sent[kind][p][t] < floor_n) {
					printf("# SENT kind %d persist %d timer0 %d reached only %" PRIu64
					       " times\n", kind, p, t, cov.sent[kind][p][t]);
					covered = 0;
				}
	tb_tap(covered, "random cases reach every tcp_out_next outcome, doorbell answer and "
	       "tcp_out_sent branch");

	b.m->final();
	delete b.m;
	delete b.vctx;
	return tb_summary();
}
