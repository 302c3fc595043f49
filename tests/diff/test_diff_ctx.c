/* SPDX-License-Identifier: MIT */
/*
 * Differential test, connection table and context port: imports (new,
 * duplicate, bad version, into full buckets), exports and snapshots of
 * live and empty slots, and bad commands, issued at random moments while
 * frames stream in at full rate — many of them segments of installed
 * connections, with and without SYN/FIN/RST/URG. The RTL decides at which
 * frame each command takes effect and reports it; the model follows. All
 * streams, results and counters must be equal.
 *
 *   TT_SEED=n        replay a run
 *   TT_DIFF_EVENTS=n frames + commands per run (default 100000)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conn_table.h"
#include "diffrun.h"
#include "testenv.h"

#define MAX_CONNS 4096

/* What the test knows of the RTL card's table, learnt from its results. */
static struct conn_tuple conns[MAX_CONNS];
static int conn_slot[MAX_CONNS]; /* -1 while not installed */
static unsigned nconns;
static int pending_import[64];   /* conns index of imports in flight */
static unsigned pend_head, pend_count;

static void on_result(struct diffrun *r, const struct tt_ctx_result *res)
{
	(void)r;
	if (res->op != TT_CTX_IMPORT || !pend_count)
		return;
	int i = pending_import[pend_head];
	pend_head = (pend_head + 1) % 64;
	pend_count--;
	if (i >= 0 && res->status == TT_OK)
		conn_slot[i] = res->slot;
}

static void record_of(const struct conn_tuple *k, struct rng *g, uint8_t rec[TT_CTX_BYTES])
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.remote_ip = k->src_ip;
	c.local_ip = k->dst_ip;
	c.remote_port = k->src_port;
	c.local_port = k->dst_port;
	c.mss = 1460;
	c.peer_mac = rng_next(g) & 0xfffffffffffeull;
	c.snd_una = c.snd_nxt = c.snd_max = (uint32_t)rng_next(g);
	c.rcv_nxt = (uint32_t)rng_next(g);
	c.cwnd = 14600;
	c.ssthresh = 0xffffffffu;
	c.rto = 200;
	tt_ctx_pack(&c, rec);
}

static void random_tuple(struct rng *g, uint32_t ip, struct conn_tuple *k)
{
	k->src_ip = 0xc6120000u | rng_below(g, 0x20000);
	k->dst_ip = ip;
	k->src_port = (uint16_t)rng_next(g);
	k->dst_port = (uint16_t)(rng_below(g, 2) ? 80 : rng_next(g));
}

/* New connections: mostly random, some crowding one bucket so that
 * buckets fill up. */
static unsigned new_conn(struct diffrun *r, const uint32_t key[4])
{
	struct conn_tuple *k = &conns[nconns];

	random_tuple(&r->rng, r->ip, k);
	if (nconns && rng_below(&r->rng, 4) == 0) {
		const struct conn_tuple *near = &conns[rng_below(&r->rng, nconns)];
		uint32_t want = conn_hash(key, near) & (1024 / TT_CONN_WAYS - 1);
		for (int tries = 0; tries < 4096; tries++) {
			random_tuple(&r->rng, r->ip, k);
			if ((conn_hash(key, k) & (1024 / TT_CONN_WAYS - 1)) == want)
				break;
		}
	}
	conn_slot[nconns] = -1;
	return nconns++;
}

static size_t segment_of(struct diffrun *r, const struct conn_tuple *k, uint8_t *f)
{
	static uint8_t payload[1460];
	struct fg_tcp t = { 0 };

	memcpy(t.dst_mac, r->mac, 6);
	t.src_mac[0] = 0x02;
	t.src_ip = k->src_ip;
	t.dst_ip = k->dst_ip;
	t.src_port = k->src_port;
	t.dst_port = k->dst_port;
	t.seq = (uint32_t)rng_next(&r->rng);
	t.ack = (uint32_t)rng_next(&r->rng);
	t.flags = FG_TCP_ACK;
	if (rng_below(&r->rng, 4) == 0)
		t.flags |= (uint8_t)(1u << rng_below(&r->rng, 6)); /* FIN..URG */
	if (rng_below(&r->rng, 8) == 0)
		t.flags &= (uint8_t)~FG_TCP_ACK; /* the host's: UNHANDLED */
	t.window = (uint16_t)rng_next(&r->rng);
	t.payload = payload;
	t.payload_len = rng_below(&r->rng, 4) ? rng_below(&r->rng, 200) : 1460;
	return fg_tcp_frame(f, &t);
}

static int command(struct diffrun *r, const uint32_t key[4])
{
	struct tt_ctx_cmd cmd = { 0 };
	int imp = -1;
	uint32_t what = rng_below(&r->rng, 16);

	if (pend_count == 64)
		return diffrun_pump(r, 64, 100);
	if (what < 7 && nconns < MAX_CONNS) {          /* import a new one */
		imp = (int)new_conn(r, key);
		cmd.op = TT_CTX_IMPORT;
		record_of(&conns[imp], &r->rng, cmd.rec);
	} else if (what < 9 && nconns) {               /* duplicate import */
		cmd.op = TT_CTX_IMPORT;
		record_of(&conns[rng_below(&r->rng, nconns)], &r->rng, cmd.rec);
	} else if (what < 10) {                        /* bad version or op */
		cmd.op = rng_below(&r->rng, 2) ? TT_CTX_IMPORT : (uint8_t)(4 + rng_below(&r->rng, 250));
		record_of(&conns[0], &r->rng, cmd.rec);
		cmd.rec[0] = (uint8_t)(TT_CTX_VERSION + 1 + rng_below(&r->rng, 200));
	} else {                                       /* export / snapshot */
		cmd.op = what < 13 ? TT_CTX_EXPORT : TT_CTX_SNAPSHOT;
		if (nconns && rng_below(&r->rng, 4)) {
			unsigned i = rng_below(&r->rng, nconns);
			cmd.slot = (uint16_t)(conn_slot[i] >= 0 ? conn_slot[i] : 0);
			if (cmd.op == TT_CTX_EXPORT)
				conn_slot[i] = -1; /* gone once the export lands */
		} else {
			cmd.slot = (uint16_t)rng_below(&r->rng, 1100); /* some out of range */
		}
	}
	if (cmd.op == TT_CTX_IMPORT) {
		pending_import[(pend_head + pend_count++) % 64] = imp;
	}
	return diffrun_ctx(r, &cmd);
}

static void diff_ctx(void **state)
{
	(void)state;
	static uint8_t frame[10000];
	uint64_t events = testenv_u64("TT_DIFF_EVENTS", 100000);
	struct diffrun r;
	uint32_t key[4];

	assert_int_equal(diffrun_init(&r, "diff_ctx", "build/diff"), 0);
	diffrun_on_ctx_result = on_result;
	nconns = pend_head = pend_count = 0;
	for (int i = 0; i < 4; i++) {
		key[i] = (uint32_t)rng_next(&r.rng);
		diffrun_reg(&r, TT_REG_HASH_KEY0 + 4u * (uint32_t)i, key[i]);
	}
	for (uint64_t n = 0; n < events; n++) {
		uint32_t what = rng_below(&r.rng, 8);

		if (n % 1000 == 0)
			r.ready_pct = rng_below(&r.rng, 2) ? 100 : 10 + rng_below(&r.rng, 80);
		if (what == 0) {
			assert_int_equal(command(&r, key), 0);
		} else {
			enum fg_kind k;
			size_t len;
			if (nconns && what < 5)
				len = segment_of(&r, &conns[rng_below(&r.rng, nconns)], frame);
			else
				len = fg_random_frame(&r.rng, r.mac, r.ip, frame, &k);
			assert_int_equal(diffrun_push(&r, frame, len, 0), 0);
		}
		if (rng_below(&r.rng, 4) == 0)
			assert_int_equal(diffrun_pump(&r, rng_below(&r.rng, 100), r.ready_pct), 0);
		else
			for (int side = 0; side < 2; side++)
				assert_int_equal(diffrun_drain(&r, side, r.ready_pct), 0);
	}
	assert_int_equal(diffrun_quiesce(&r), 0);
	assert_int_equal(diffcmp_finish(r.cmp), 0);
	printf("# %llu events: %llu context results, %llu DMA writes equal\n",
	       (unsigned long long)events,
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_CTX),
	       (unsigned long long)diffcmp_count(r.cmp, DIFF_DMA_WRITE));
	printf("# counters:");
	for (int i = TT_CNT_EXC_NO_MATCH; i < TT_COUNTER_COUNT; i++)
		if (tt_counter_str(i))
			printf(" %s=%u", tt_counter_str(i), tt_card_counter(r.card[1], i));
	printf("\n");
	/* Every outcome of the context port and of the lookup happened. */
	if (events >= 50000)
		for (int i = TT_CNT_EXC_NO_MATCH; i <= TT_CNT_CTX_BAD; i++)
			assert_true(tt_card_counter(r.card[1], i) > 0);
	diffrun_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diff_ctx),
	};

	return cmocka_run_group_tests_name("diff_ctx", tests, NULL, NULL);
}
