/* SPDX-License-Identifier: MIT */
/*
 * Scenarios at the team's limits, each with 64 concurrent connections
 * checked end to end with SHA-256 (model cards): the cards' connection
 * tables full (the connections they refuse stay in software and finish
 * all the same), FIN and RST removing records, idle records aging out
 * (an offloaded connection comes back to software and goes on), and a
 * flood from one source that the DoS detector blocks while every other
 * connection keeps working.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario.h"
#include "stackenv.h"

static unsigned int records_left(struct scen *s)
{
	uint32_t pos = 0;
	unsigned int n = 0;

	while (tt_records_next(s->h->rec, &pos))
		n++;
	return n;
}

/* 16 slots per card (4 buckets of 4 ways): 48 places for 64 idle
 * connections at most, fewer where buckets fill first. */
static void table_full(void **state)
{
	struct scen_params p = { .conn_slots = 16, .held = SCEN_CONNS };
	struct scen s;
	unsigned int i, on_cards = 0;

	(void)state;
	scen_open(&s, &p);
	world_run_ms(s.w, 2);       /* every handshake done, every offer made */
	assert_int_equal(s.h->st.offloads + s.h->st.offload_sw, SCEN_CONNS);
	assert_true(s.h->st.offload_full > 0);
	assert_true(s.h->st.offloads <= 3 * 16);
	for (i = 0; i < s.h->n_cards; i++) {
		assert_true(s.h->cards[i].offloaded <= 16);
		on_cards += s.h->cards[i].offloaded;
	}
	assert_int_equal(on_cards, s.h->st.offloads);
	assert_int_equal(tt_stack_counter(world_team_stack(s.w),
					  TT_SCNT_TCP_OFFLOADED), s.h->st.offloads);
	scen_assert_consistent(&s);
	traffic_release(s.t);
	scen_finish(&s, 2000);
	scen_print(&s, "table full");
	scen_assert_all_ok(&s);
	scen_close(&s);
}

/* FIN removes the record of every finished connection, RST those of
 * the connections the clients abort. The ACK that follows a FIN finds no
 * record and makes a software one (block 404): aging (20 ms here) takes
 * those, and nothing is left. */
static void fin_and_rst(void **state)
{
	struct scen_params p = { .up_len = 256u << 10, .down_len = 64u << 10,
				 .age_ms = 20 };
	struct scen s;
	unsigned int k, aborted = 0, ok = 0;

	(void)state;
	scen_open(&s, &p);
	scen_run_until(&s, 0.2, 200);
	for (k = 0; k < SCEN_CONNS; k += 8)
		if (traffic_abort(s.t, k) == 0)
			aborted++;
	assert_true(aborted >= 4);
	scen_finish(&s, 2000);
	assert_true(s.h->st.closed >= SCEN_CONNS);
	/* TIME-WAIT, the last ACKs, and the records they made aging out */
	world_run_ms(s.w, 45);
	scen_print(&s, "FIN and RST");
	for (k = 0; k < SCEN_CONNS; k++) {
		const struct bulk_conn_result *r = traffic_conn(s.t, k);

		if (k % 8 == 0 && r->state == BULK_FAILED) {
			assert_string_equal(r->why, "aborted by the client");
			continue;
		}
		if (r->state != BULK_OK)
			fail_msg("connection %u: %s", k, r->why);
		ok++;
	}
	assert_int_equal(ok + aborted, SCEN_CONNS);
	assert_int_equal(traffic_server(s.t)->reset, aborted);
	assert_int_equal(traffic_server(s.t)->finished, ok);
	assert_int_equal(records_left(&s), 0);
	assert_int_equal(tt_stack_conns(world_team_stack(s.w)), 0);
	scen_assert_consistent(&s);
	scen_close(&s);
}

/* Records idle for 5 ms age out; an offloaded one is uploaded first and
 * its connection goes on in software when its client starts sending. */
static void aging(void **state)
{
	struct scen_params p = { .age_ms = 5, .held = SCEN_CONNS / 2 };
	struct scen s;
	unsigned int idle_offloaded = 0, i;

	(void)state;
	scen_open(&s, &p);
	world_run_ms(s.w, 1);
	for (i = 0; i < s.h->n_cards; i++)
		idle_offloaded += s.h->cards[i].offloaded;
	/* the idle half at least, but for offers a full bucket refused */
	assert_true(idle_offloaded + s.h->st.offload_sw >= SCEN_CONNS / 2);
	world_run_ms(s.w, 12);
	assert_true(s.h->aging->stats.expired >= SCEN_CONNS / 2);
	for (i = 0; i < s.h->n_cards; i++)
		assert_int_equal(s.h->cards[i].offloaded, 0);
	assert_int_equal(tt_stack_counter(world_team_stack(s.w),
					  TT_SCNT_TCP_RESUMED), s.h->st.uploads);
	traffic_release(s.t);
	scen_finish(&s, 2000);
	scen_print(&s, "aging");
	scen_assert_all_ok(&s);
	scen_assert_consistent(&s);
	scen_close(&s);
}

/* A source that is no client floods the team with segments of no
 * connection from the first client's port; above the threshold it is
 * blocked, and every real connection finishes. */
static void dos_flood(void **state)
{
	static const uint8_t attacker_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x02, 0x42 };
	static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	struct scen_params p = { .dos_pps = 3000, .up_len = 32u << 10,
				 .down_len = 32u << 10 };
	struct se_seg g = {
		.src_mac = attacker_mac, .dst_mac = team_mac,
		.src_ip = 0xc6120242u, .dst_ip = 0, .dport = TRAFFIC_PORT,
		.seq = 1, .ack = 1, .flags = 0x10, .win = 1000, .ws = -1,
	};
	struct tt_dos_stats ds;
	uint8_t f[128];
	struct scen s;
	unsigned int k, sent = 0;

	(void)state;
	scen_open(&s, &p);
	g.dst_ip = world_team_ip(s.w);
	/* 10000 segments in 5 ms, 100 per 50 us, while the transfers run */
	for (k = 0; k < 100; k++) {
		for (unsigned int j = 0; j < 100; j++) {
			g.sport = (uint16_t)(1024 + (k * 100 + j) % 60000);
			g.seq = k * 100 + j;
			if (world_client_inject(s.w, 0, f, se_tcp_build(f, &g)) == 0)
				sent++;
		}
		world_run(s.w, world_cycles_per_ms(s.w) / 20);
	}
	assert_int_equal(sent, 10000);
	scen_finish(&s, 2000);
	scen_print(&s, "DoS flood");
	tt_dos_stats(s.h->dos, &ds);
	print_message("# DoS: %llu dropped, %llu blocks\n",
		      (unsigned long long)s.h->st.proc[TT_PROC_DOS_DROP],
		      (unsigned long long)ds.blocks);
	assert_true(s.h->st.proc[TT_PROC_DOS_DROP] > 5000);
	/* the attacker, and no client */
	assert_int_equal(ds.blocks, 1);
	assert_true(tt_dos_blocked(s.h->dos, g.src_ip, attacker_mac,
				   s.h->now_ms));
	for (k = 0; k < world_n_clients(s.w); k++)
		assert_false(tt_dos_blocked(s.h->dos, world_client_ip(k),
					    (const uint8_t[6]){ 0x02, 0x00, 0xc6,
					    0x12, 0x01, (uint8_t)(k + 1) },
					    s.h->now_ms));
	scen_assert_all_ok(&s);
	scen_assert_consistent(&s);
	scen_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_full),
		cmocka_unit_test(fin_and_rst),
		cmocka_unit_test(aging),
		cmocka_unit_test(dos_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
