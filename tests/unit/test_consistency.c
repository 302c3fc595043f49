/* SPDX-License-Identifier: MIT */
/*
 * Property test of the host runtime (issue [C] item 12): random
 * interleavings of segments arriving on random cards, offload requests,
 * FIN and RST, link faults and repairs, and time passing (aging) must keep
 * the connection records and the cards consistent. After every step:
 *
 *  - every offloaded record names a card and a slot, and that card holds
 *    exactly that connection in that slot (a snapshot shows its tuple);
 *  - every card holds no connection the records do not name: the card's
 *    own count of installed contexts (successful imports minus successful
 *    exports) equals the number of offloaded records naming it;
 *  - so every offloaded connection lives on exactly one card, the one its
 *    record names.
 *
 * Run on a team of three RTL cards and of three model cards.
 *   TT_SEED=n          replay a run
 *   TT_CONSIST_STEPS=n steps per run (default 600)
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
#include "testenv.h"
#include "teamtoe/reload.h"

#define CARDS  3
#define CONNS  48
#define PEER   (HOSTENV_PEER_IP + 77)
#define SPORT0 30000

static int three_rtl(void **s) { return hostenv_setup(s, "rtl", CARDS, TT_POLICY_LEAST_LOADED, 0); }
static int three_model(void **s) { return hostenv_setup(s, "model", CARDS, TT_POLICY_FIRST, 0); }

/* Installed contexts on card nid, by the card's own counters. */
static uint32_t card_installed(struct hostenv *e, unsigned int nid)
{
	struct tt_card *c = tt_host_card(e->h, nid);

	return tt_card_counter(c, TT_CNT_CTX_IMPORT) -
	       tt_card_counter(c, TT_CNT_CTX_EXPORT);
}

static void check(struct hostenv *e, uint64_t seed, unsigned int step,
		  const char *what)
{
	uint32_t named[CARDS] = { 0 }, pos = 0;
	struct tt_rec *rec;
	struct tt_rec *offl[CONNS];
	unsigned int n = 0;

	/* collect first: snapshots run the host, which must not see the
	 * table change under an iteration */
	while ((rec = tt_records_next(e->h->rec, &pos)) != NULL)
		if (tt_rec_offloaded(rec)) {
			assert_true(n < CONNS);
			offl[n++] = rec;
		}
	for (unsigned int i = 0; i < n; i++) {
		struct tt_ctx_result res;
		struct tt_ctx c;
		unsigned int nid = tt_rec_nid(offl[i]);

		assert_true(nid < CARDS);
		named[nid]++;
		if (hostenv_ctx(e, nid, TT_CTX_SNAPSHOT, offl[i]->card_slot, &res) != TT_OK)
			fail_msg("seed %llu step %u (%s): record of port %u names "
				 "card %u slot %u, which is empty",
				 (unsigned long long)seed, step, what,
				 offl[i]->sport, nid, offl[i]->card_slot);
		tt_ctx_unpack(res.rec, &c);
		if (c.remote_ip != offl[i]->saddr || c.remote_port != offl[i]->sport ||
		    c.local_port != offl[i]->dport)
			fail_msg("seed %llu step %u (%s): card %u slot %u holds port "
				 "%u, the record says %u", (unsigned long long)seed,
				 step, what, nid, offl[i]->card_slot,
				 c.remote_port, offl[i]->sport);
	}
	for (unsigned int nid = 0; nid < CARDS; nid++)
		if (card_installed(e, nid) != named[nid])
			fail_msg("seed %llu step %u (%s): card %u holds %u "
				 "connections, records name %u there",
				 (unsigned long long)seed, step, what, nid,
				 card_installed(e, nid), named[nid]);
}

static void settle(struct hostenv *e)
{
	for (int i = 0; i < 8; i++)
		tt_host_poll(e->h, 64);
}

static void random_interleavings(void **state)
{
	struct hostenv *e = *state;
	uint64_t seed = testenv_seed("consistency");
	unsigned int steps = (unsigned int)testenv_u64("TT_CONSIST_STEPS", 600);
	struct rng r = { seed };
	int link_up[CARDS] = { 1, 1, 1 };
	unsigned int ops[7] = { 0 };

	for (unsigned int step = 0; step < steps; step++) {
		unsigned int k = rng_below(&r, CONNS), nid = rng_below(&r, CARDS);
		uint16_t sport = (uint16_t)(SPORT0 + k);
		uint32_t op = rng_below(&r, 100);
		const char *what;

		if (op < 45) {                     /* a segment arrives */
			what = "segment";
			hostenv_rx_seg(e, nid, PEER, sport, FG_TCP_ACK);
			ops[0]++;
		} else if (op < 70) {              /* the stack offloads */
			struct tt_ctx c;
			what = "offload";
			hostenv_ctx_make(&c, PEER, sport, 80, sport);
			int res = tt_offload(e->h, &c);
			assert_true(res == TT_OFFLOAD_OK || res == TT_OFFLOAD_SOFTWARE ||
				    res == TT_EEXIST);
			ops[1]++;
		} else if (op < 76) {              /* FIN */
			what = "fin";
			hostenv_rx_seg(e, nid, PEER, sport, FG_TCP_FIN | FG_TCP_ACK);
			ops[2]++;
		} else if (op < 80) {              /* RST */
			what = "rst";
			hostenv_rx_seg(e, nid, PEER, sport, FG_TCP_RST);
			ops[3]++;
		} else if (op < 88) {              /* a link fails or comes back */
			what = link_up[nid] ? "link down" : "link up";
			link_up[nid] = !link_up[nid];
			tt_card_set_link(tt_host_card(e->h, nid), link_up[nid]);
			ops[4]++;
		} else if (op < 98) {              /* time passes */
			what = "time";
			e->now += rng_below(&r, 20000);
			ops[5]++;
		} else {                           /* a long silence: aging */
			what = "aging";
			e->now += 6u * 3600 * 1000;
			ops[6]++;
		}
		settle(e);
		check(e, seed, step, what);
	}
	print_message("# %u segments, %u offloads, %u FIN, %u RST, %u link "
		      "changes, %u time steps, %u long silences; %llu reloads, "
		      "%llu uploads, %llu fault moves\n",
		      ops[0], ops[1], ops[2], ops[3], ops[4], ops[5], ops[6],
		      (unsigned long long)e->h->st.reloads,
		      (unsigned long long)e->h->st.uploads,
		      (unsigned long long)e->h->st.fault_moved);
	/* the run exercised what it claims to */
	assert_true(e->h->st.reloads > 0);
	assert_true(e->h->st.uploads > 0);
	assert_true(e->h->st.offloads > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTENV_BOTH(random_interleavings, three_rtl, three_model,
			     hostenv_teardown),
	};

	return cmocka_run_group_tests_name("consistency", tests, NULL, NULL);
}
