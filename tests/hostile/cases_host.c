/* SPDX-License-Identifier: MIT */
/*
 * Hostile cases against the host runtime over a team of cards (hostenv):
 * floods that the DoS detector and the bounded record table must absorb,
 * and tuples crafted to collide in the host's record table, while
 * legitimate connections keep being served.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "hostenv.h"
#include "hostile_cases.h"
#include "teamtoe/dos.h"
#include "teamtoe/records.h"

#define SYN_PPS       50u
#define ATTACKER_IP   0xc6130066u
#define LEGIT_IP      0xc6120177u

static int host_setup(void **state, const char *backend, uint32_t max_conns)
{
	struct hostenv *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->syn_pps = SYN_PPS;
	e->max_conns = max_conns;
	hostenv_open(e, backend, 2, TT_POLICY_FIRST);
	*state = e;
	return 0;
}

int hostile_host_setup_rtl(void **state) { return host_setup(state, "rtl", 256); }
int hostile_host_setup_model(void **state) { return host_setup(state, "model", 256); }
int hostile_host_teardown(void **state) { return hostenv_teardown(state); }

/* SYNs from one source far above the threshold: the source is blocked
 * for the cool-down, counted; a legitimate source and an offloaded
 * connection are served all the while; after the cool-down the attacker
 * passes again. */
void hostile_syn_flood(void **state)
{
	struct hostenv *e = *state;
	struct tt_dos_stats ds;
	struct tt_ctx c;
	unsigned int dropped = 0;

	assert_int_equal(hostenv_offload_new(e, 0, LEGIT_IP + 1, 5000, &c), TT_OK);
	assert_int_equal(hostenv_rx_seg(e, 0, LEGIT_IP, 6000, FG_TCP_ACK),
			 TT_PROC_CREATED);
	for (unsigned int k = 0; k < 2000; k++) {
		int r = hostenv_rx_seg(e, k & 1, ATTACKER_IP,
				       (uint16_t)(10000 + k), FG_TCP_SYN);

		dropped += r == TT_PROC_DOS_DROP;
		if (k % 100 == 0) {
			e->now += 10;              /* 2000 SYNs in 200 ms */
			assert_int_equal(hostenv_rx_seg(e, 0, LEGIT_IP, 6000,
							 FG_TCP_ACK),
					 TT_PROC_SAME_NIC);
		}
	}
	assert_true(dropped >= 2000 - 2 * SYN_PPS);
	assert_int_equal(e->h->st.proc[TT_PROC_DOS_DROP], dropped);
	tt_dos_stats(e->h->dos, &ds);
	assert_true(ds.blocks >= 1);
	/* the offloaded connection never met the detector */
	assert_non_null(hostenv_rec(e, LEGIT_IP + 1, 5000));
	assert_int_not_equal(hostenv_rx_seg(e, 0, LEGIT_IP + 1, 5000, FG_TCP_ACK),
			     TT_PROC_DOS_DROP);
	/* the attacker's SYNs created no record */
	assert_null(hostenv_rec(e, ATTACKER_IP, 10000 + 1999));
	e->now += TT_TEAM_DEF_DOS_COOLDOWN_MS + 2 * TT_DOS_DEF_WINDOW_MS;
	assert_int_not_equal(hostenv_rx_seg(e, 0, ATTACKER_IP, 9999, FG_TCP_SYN),
			     TT_PROC_DOS_DROP);
}

/* SYNs from thousands of spoofed sources, each under the threshold: nobody
 * is blocked, and the record table stops at its capacity (a clear,
 * counted refusal) instead of growing; records that existed before the
 * flood are still found and served. */
void hostile_spoofed_syn_flood(void **state)
{
	struct hostenv *e = *state;
	unsigned int refused = 0;
	struct tt_dos_stats ds;

	assert_int_equal(hostenv_rx_seg(e, 1, LEGIT_IP, 6001, FG_TCP_ACK),
			 TT_PROC_CREATED);
	for (unsigned int k = 0; k < 3000; k++) {
		int r = hostenv_rx_seg(e, k & 1, 0xc6140000u + k,
				       (uint16_t)(1024 + k), FG_TCP_SYN);

		assert_int_not_equal(r, TT_PROC_DOS_DROP);
		refused += r == TT_PROC_NO_RECORD;
		if (k % 200 == 0)
			e->now += 50;
	}
	assert_true(e->h->rec->count <= 256);
	assert_true(refused >= 3000 - 256);
	assert_true(e->h->rec->stats.full >= refused);
	tt_dos_stats(e->h->dos, &ds);
	assert_int_equal(ds.blocks, 0);
	assert_non_null(hostenv_rec(e, LEGIT_IP, 6001));
	assert_int_equal(hostenv_rx_seg(e, 1, LEGIT_IP, 6001, FG_TCP_ACK),
			 TT_PROC_SAME_NIC);
}

/* Tuples that all hash to one home slot of the host's record table (an
 * attacker who learnt the SipHash key): every one is inserted, found and
 * removed correctly, and the other records stay reachable. With a secret
 * random key such a set cannot be built from outside. */
void hostile_record_collisions(void **state)
{
	static const struct tt_sipkey key = { 0x0706050403020100ull,
					      0x0f0e0d0c0b0a0908ull };
	struct tt_records_params p = { .capacity = 4096,
				       .local_ip = HOSTENV_TEAM_IP, .key = &key };
	struct tt_records *tab;
	struct tt_tuple t[64], other;
	unsigned int n = 0;
	uint64_t want;

	(void)state;
	p.nid_slots[0] = 1024;
	assert_int_equal(tt_records_new(&tab, &p), TT_OK);
	other = (struct tt_tuple){ LEGIT_IP, HOSTENV_TEAM_IP, 7000, 80 };
	assert_int_equal(tt_records_insert(tab, &other, 0, TT_AGE_ESTABLISHED, 0,
					   NULL), TT_OK);
	t[0] = (struct tt_tuple){ ATTACKER_IP, HOSTENV_TEAM_IP, 1, 80 };
	want = ((tt_records_hash(tab, &t[0]) >> 32) * tab->nb) >> 32;
	n = 1;
	for (uint32_t s = 2; n < 64 && s < 0x10000000u; s++) {
		struct tt_tuple k = { ATTACKER_IP + (s >> 16), HOSTENV_TEAM_IP,
				      (uint16_t)s, 80 };

		if (((tt_records_hash(tab, &k) >> 32) * tab->nb) >> 32 == want)
			t[n++] = k;
	}
	assert_int_equal(n, 64);
	for (unsigned int k = 0; k < n; k++) {
		int r = tt_records_insert(tab, &t[k], 1, TT_AGE_SYN_RECV, 0, NULL);

		/* the probe-distance bound may refuse the tail: clearly */
		assert_true(r == TT_OK || r == TT_EFULL);
		if (r != TT_OK) {
			n = k;
			break;
		}
	}
	assert_true(n >= 16);
	for (unsigned int k = 0; k < n; k++) {
		struct tt_rec *r = tt_records_lookup(tab, &t[k]);
		struct tt_tuple got;

		assert_non_null(r);
		got = tt_rec_tuple(tab, r);
		assert_memory_equal(&got, &t[k], sizeof(t[k]));
	}
	for (unsigned int k = 0; k < n; k += 2)
		assert_int_equal(tt_records_delete(tab, &t[k]), TT_OK);
	for (unsigned int k = 0; k < n; k++)
		assert_true((tt_records_lookup(tab, &t[k]) != NULL) == (k & 1));
	assert_non_null(tt_records_lookup(tab, &other));
	tt_records_free(tab);
}
