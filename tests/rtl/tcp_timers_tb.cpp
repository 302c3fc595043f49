// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/tcp_timers.v against its C model,
 * sw-model/tcp_timers.c (tcp_timer_tick, tcp_timer_ack), linked in. Every
 * case is one operation on one context; the RTL's outputs (what, send_ack,
 * retransmit, seq, rto_limit, and the context fields it writes laid over
 * the input) must equal the C function's, field by field, for every field
 * of the record. Cases stream one per cycle with random idle cycles, and
 * each result must come out exactly LATENCY cycles after its operation.
 *
 * Edge cases first: the product of timer 0 / 1 / 2 / ffff, all 32
 * combinations of the ACK_PENDING, RECOVERY, DELACK, PERSIST and PROBE
 * flags, window 0 and 1, seven shapes of what is outstanding (nothing,
 * data waiting, in flight, flight at the ssthresh cut 4 MSS + 1 / + 2,
 * after a go-back, snd_nxt behind snd_una), retries 0 / 5 / 6 / fe / ff
 * against retry limits 0 / 1 / retries + 1 / ff, rto 0 / 1 / 3ff / ffff,
 * MSS 0 and 1460, near the sequence wrap; then TT_STAGE_CASES (1,000,000)
 * random ones from TT_SEED. A mismatch prints the case, the input, both
 * results and the seed, and fails. The random cases must reach every
 * outcome, or the generator has stopped testing it.
 */
extern "C" {
#include "tcp_out.h"
#include "tcp_timers.h"
}

#include <deque>

#include <verilated.h>
#include "Vtcp_timers.h"

#include "tcp_stage_tb.h"

enum { OP_TICK = 0, OP_ACK };
static const char *const op_name[] = { "TICK", "ACK" };

static const int LATENCY = 3;

struct tm_case {
	int op;
	struct tt_ctx in;
	uint8_t retry_limit;
	/* the C model's answer */
	struct tt_ctx want;
	struct tcp_timer_out want_out;
	/* bookkeeping */
	uint64_t index;
	uint64_t issued;
};

static void model(struct tm_case *k)
{
	struct tcp_timer_cfg cfg = { .retry_limit = k->retry_limit };

	k->want = k->in;
	memset(&k->want_out, 0, sizeof(k->want_out));
	if (k->op == OP_TICK)
		tcp_timer_tick(&k->want, &cfg, &k->want_out);
	else
		tcp_timer_ack(&k->want);
}

/* ------------------------------------------------------------ the RTL */

struct bench {
	VerilatedContext *vctx;
	Vtcp_timers *m;
	std::deque<tm_case> pending;
	uint64_t cycle;
	uint64_t checked;
	uint64_t mismatches;
	uint64_t late;
	uint64_t seed;
	const char *phase;
};

static void drive(Vtcp_timers *m, const tm_case *k)
{
	m->s_valid = 1;
	m->s_op = (uint8_t)k->op;
	m->s_retry_limit = k->retry_limit;
	m->s_flags = k->in.flags;
	m->s_mss = k->in.mss;
	m->s_retries = k->in.retries;
	m->s_snd_una = k->in.snd_una;
	m->s_snd_nxt = k->in.snd_nxt;
	m->s_snd_max = k->in.snd_max;
	m->s_recover = k->in.recover;
	m->s_cwnd = k->in.cwnd;
	m->s_ssthresh = k->in.ssthresh;
	m->s_snd_wnd = k->in.snd_wnd;
	m->s_rto = k->in.rto;
	m->s_timer = k->in.timer;
	m->s_dupacks = k->in.dupacks;
}

static void drive_idle(Vtcp_timers *m, struct tb_rng *r)
{
	m->s_valid = 0;
	m->s_op = (uint8_t)tb_below(r, 2);
	m->s_timer = (uint16_t)tb_below(r, 3);
	m->s_flags = (uint8_t)tb_u32(r);
	m->s_snd_una = tb_u32(r);
}

static void check(bench *b)
{
	Vtcp_timers *m = b->m;

	if (!m->m_valid)
		return;
	if (b->pending.empty()) {
		printf("# m_valid with no operation outstanding (cycle %" PRIu64 ")\n", b->cycle);
		b->mismatches++;
		return;
	}
	tm_case k = b->pending.front();
	b->pending.pop_front();
	if (b->cycle - k.issued != (uint64_t)LATENCY)
		b->late++;

	struct tt_ctx got = k.in;
	got.flags = m->m_flags;
	got.retries = m->m_retries;
	got.snd_nxt = m->m_snd_nxt;
	got.recover = m->m_recover;
	got.cwnd = m->m_cwnd;
	got.ssthresh = m->m_ssthresh;
	got.timer = m->m_timer;
	got.dupacks = m->m_dupacks;

	const struct tcp_timer_out *w = &k.want_out;
	b->checked++;
	if (tb_ctx_equal(&got, &k.want) && m->m_what == (unsigned)w->what &&
	    m->m_send_ack == (w->send_ack != 0) && m->m_retransmit == (w->retransmit != 0) &&
	    m->m_seq == w->seq && m->m_rto_limit == (w->rto_limit != 0))
		return;
	b->mismatches++;
	if (b->mismatches > 3)
		return;
	printf("# MISMATCH in %s, case %" PRIu64 ": op %s, retry_limit %u (seed %" PRIu64
	       ", replay with TT_SEED=%" PRIu64 ")\n",
	       b->phase, k.index, op_name[k.op], k.retry_limit, b->seed, b->seed);
	tb_print_ctx("input", &k.in);
	tb_print_ctx("C   ", &k.want);
	tb_print_ctx("RTL ", &got);
	tb_cmp_ctx(&k.want, &got);
	tb_cmp_out("what", w->what, m->m_what);
	tb_cmp_out("send_ack", w->send_ack != 0, m->m_send_ack);
	tb_cmp_out("retransmit", w->retransmit != 0, m->m_retransmit);
	tb_cmp_out("seq", w->seq, m->m_seq);
	tb_cmp_out("rto_limit", w->rto_limit != 0, m->m_rto_limit);
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

static void issue(bench *b, tm_case *k)
{
	model(k);
	k->issued = b->cycle;
	b->pending.push_back(*k);
	drive(b->m, k);
	tick(b);
}

static void phase_begin(bench *b, const char *name)
{
	b->phase = name;
	b->checked = b->mismatches = 0;
}

static void phase_end(bench *b, struct tb_rng *r, const char *name)
{
	char line[240];

	for (int i = 0; i < LATENCY + 2; i++) {
		drive_idle(b->m, r);
		tick(b);
	}
	if (!b->pending.empty()) {
		printf("# %zu operations never came out\n", b->pending.size());
		b->mismatches++;
		b->pending.clear();
	}
	if (b->mismatches)
		printf("# %" PRIu64 " mismatches\n", b->mismatches);
	snprintf(line, sizeof(line), "%s: %" PRIu64 " operations equal the C model", name,
		 b->checked);
	tb_tap(b->mismatches == 0 && b->checked > 0, line);
}

/* ------------------------------------------------------------ edge cases */

/* What is outstanding, relative to snd_una (MSS 1460 where it matters). */
static void shape(struct tt_ctx *c, int s)
{
	uint32_t una = c->snd_una;

	c->recover = una - 1;                   /* spent */
	switch (s) {
	case 0: c->snd_nxt = una; c->snd_max = una; break;               /* nothing */
	case 1: c->snd_nxt = una; c->snd_max = una + 1000; break;        /* waiting */
	case 2: c->snd_nxt = una + 3000; c->snd_max = una + 10000; break; /* in flight */
	case 3: c->snd_nxt = una + 4 * 1460 + 1; c->snd_max = una + 10000; break;
	case 4: c->snd_nxt = una + 4 * 1460 + 2; c->snd_max = una + 10000; break;
	case 5:                                 /* went back, recover live */
		c->snd_nxt = una;
		c->recover = una + 3000;
		c->snd_max = una + 10000;
		break;
	default: c->snd_nxt = una - 10; c->snd_max = una + 10; break;    /* behind */
	}
}

static struct tt_ctx base_ctx(void)
{
	struct tt_ctx c;

	memset(&c, 0, sizeof(c));
	c.version = TT_CTX_VERSION;
	c.state = TT_TCP_ESTABLISHED;
	c.cwnd = 14600;
	c.ssthresh = 0xffffffffu;
	c.dupacks = 2;
	return c;
}

static const uint32_t unas[] = { 0xffffffffu - 100, 0x7fffffffu - 50, 0 };

static void edge_tick(bench *b)
{
	static const uint16_t timers[] = { 0, 1, 2, 0xffff };
	static const uint8_t retries[] = { 0, 5, 6, 0xfe, 0xff };
	static const uint16_t rtos[] = { 0, 1, 0x3ff, 0xffff };
	static const uint16_t msss[] = { 0, 1460 };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (uint16_t t : timers)
	for (int fl = 0; fl < 32; fl++)
	for (int w = 0; w < 2; w++)
	for (int s = 0; s < 7; s++)
	for (uint8_t re : retries)
	for (int li = 0; li < 4; li++)
	for (uint16_t rto : rtos)
	for (uint16_t ms : msss) {
		tm_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_TICK;
		k.in = base_ctx();
		k.in.flags = (uint8_t)(TT_CTXF_VALID |
			     ((fl & 1) ? TT_CTXF_ACK_PENDING : 0) | ((fl & 2) ? TT_CTXF_RECOVERY : 0) |
			     ((fl & 4) ? TT_CTXF_DELACK : 0) | ((fl & 8) ? TT_CTXF_PERSIST : 0) |
			     ((fl & 16) ? TT_CTXF_PROBE : 0));
		k.in.snd_una = una;
		shape(&k.in, s);
		k.in.timer = t;
		k.in.snd_wnd = (uint16_t)w;
		k.in.retries = re;
		k.retry_limit = li == 0 ? 0 : li == 1 ? 1 : li == 2 ? (uint8_t)(re + 1) : 0xff;
		k.in.rto = rto;
		k.in.mss = ms;
		k.index = n++;
		issue(b, &k);
	}
}

static void edge_ack(bench *b)
{
	static const uint8_t retries[] = { 0, 1, 6, 0xff };
	static const uint16_t rtos[] = { 0, 1, 0xffff };
	static const uint16_t timers[] = { 0, 1, 0xffff };
	uint64_t n = 0;

	for (uint32_t una : unas)
	for (int fl = 0; fl < 4; fl++)        /* PERSIST, PROBE */
	for (int s = 0; s < 7; s++)
	for (uint8_t re : retries)
	for (uint16_t rto : rtos)
	for (uint16_t t : timers) {
		tm_case k;
		memset(&k, 0, sizeof(k));
		k.op = OP_ACK;
		k.in = base_ctx();
		k.in.flags = (uint8_t)(TT_CTXF_VALID | TT_CTXF_ACK_PENDING |
			     ((fl & 1) ? TT_CTXF_PERSIST : 0) | ((fl & 2) ? TT_CTXF_PROBE : 0));
		k.in.snd_una = una;
		shape(&k.in, s);
		k.in.retries = re;
		k.in.rto = rto;
		k.in.timer = t;
		k.in.snd_wnd = 100;
		k.index = n++;
		issue(b, &k);
	}
}

/* ------------------------------------------------------------ random */

struct coverage {
	uint64_t what[7];
	uint64_t send_ack, rto_limit, retransmit, ssthresh_cut, ack_stop, ack_restart;
};

static void random_case(struct tb_rng *r, tm_case *k)
{
	memset(k, 0, sizeof(*k));
	tb_ctx(r, &k->in);
	k->op = tb_one_in(r, 5) ? OP_ACK : OP_TICK;
	switch (tb_below(r, 5)) {
	case 0: k->retry_limit = 0; break;
	case 1: k->retry_limit = (uint8_t)(k->in.retries + 1); break;
	case 2: k->retry_limit = k->in.retries; break;
	case 3: k->retry_limit = 0xff; break;
	default: k->retry_limit = (uint8_t)tb_u32(r); break;
	}
	/* timers about to expire are where the decisions are */
	if (tb_one_in(r, 3))
		k->in.timer = (uint16_t)tb_below(r, 3);
}

int main(int argc, char **argv)
{
	bench b;
	struct tb_rng rng;
	coverage cov;
	char line[200];

	memset(&cov, 0, sizeof(cov));
	b.seed = tb_seed("tcp_timers", argc, argv);
	rng.s = b.seed;
	uint64_t cases = tb_env_u64("TT_STAGE_CASES", 1000000);

	b.vctx = new VerilatedContext;
	b.m = new Vtcp_timers(b.vctx);
	b.cycle = 0;
	b.late = 0;
	b.m->clk = 0;
	b.m->rst = 1;
	drive_idle(b.m, &rng);
	for (int i = 0; i < 4; i++)
		tick(&b);
	b.m->rst = 0;

	phase_begin(&b, "edge TICK");
	edge_tick(&b);
	phase_end(&b, &rng, "edge cases of tcp_timer_tick (timer 0/1/2/ffff, every flag "
		  "combination, window 0/1, seven outstanding shapes, retries at the cap and "
		  "the limit, rto 0/1/ffff, MSS 0, wrap)");
	phase_begin(&b, "edge ACK");
	edge_ack(&b);
	phase_end(&b, &rng, "edge cases of tcp_timer_ack (persist/probe, outstanding shapes, "
		  "retries, rto 0/1/ffff)");

	phase_begin(&b, "random");
	for (uint64_t i = 0; i < cases; i++) {
		tm_case k;
		random_case(&rng, &k);
		k.index = i;
		if (tb_one_in(&rng, 8)) {
			drive_idle(b.m, &rng);
			tick(&b);
		}
		issue(&b, &k);
		if (k.op == OP_TICK) {
			cov.what[k.want_out.what]++;
			cov.send_ack += k.want_out.send_ack != 0;
			cov.rto_limit += k.want_out.rto_limit != 0;
			cov.retransmit += k.want_out.retransmit != 0;
			cov.ssthresh_cut += k.want_out.what == TCP_TIMER_RTO && k.in.retries == 0;
		} else {
			cov.ack_stop += k.want.timer == 0;
			cov.ack_restart += k.want.timer != 0;
		}
	}
	snprintf(line, sizeof(line), "random operations (seed %" PRIu64 ")", b.seed);
	phase_end(&b, &rng, line);

	tb_tap(b.late == 0 && b.cycle > 0, "every result came out 3 cycles after its operation");

	uint64_t floor_n = cases / 10000;
	int covered = 1;
	for (int w = 0; w < 7; w++)
		if (cov.what[w] < floor_n) {
			printf("# what %d reached only %" PRIu64 " times\n", w, cov.what[w]);
			covered = 0;
		}
	const uint64_t *flags[] = { &cov.send_ack, &cov.rto_limit, &cov.retransmit,
				    &cov.ssthresh_cut, &cov.ack_stop, &cov.ack_restart };
	const char *names[] = { "send_ack", "rto_limit", "retransmit", "ssthresh cut",
				"ack stops the timer", "ack restarts the timer" };
	for (int i = 0; i < 6; i++)
		if (*flags[i] < floor_n) {
			printf("# %s reached only %" PRIu64 " times\n", names[i], *flags[i]);
			covered = 0;
		}
	tb_tap(covered, "random cases reach every timer outcome, the delayed ACK, the retry "
	       "limit and the ssthresh cut");

	b.m->final();
	delete b.m;
	delete b.vctx;
	return tb_summary();
}
