/* SPDX-License-Identifier: MIT */
/*
 * Link faults (seed ¶33) through TT_EVT_LINK events, on RTL cards and on
 * model cards: a link down removes the card's non-offloaded records and
 * moves its offloaded connections to a survivor (exported while the card
 * is readable, rebuilt from the shadow when it is dead); the first packet
 * on another card reloads them again; no survivor leaves them in place;
 * a full survivor hands them to software; link up changes nothing.
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
#include "teamtoe/faults.h"
#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"

#define PEER (HOSTENV_PEER_IP + 3)

static int two_rtl(void **s) { return hostenv_setup(s, "rtl", 2, TT_POLICY_FIRST, 0); }
static int two_model(void **s) { return hostenv_setup(s, "model", 2, TT_POLICY_FIRST, 0); }
static int three_rtl(void **s) { return hostenv_setup(s, "rtl", 3, TT_POLICY_FIRST, 0); }
static int three_model(void **s) { return hostenv_setup(s, "model", 3, TT_POLICY_FIRST, 0); }

static int rx(struct hostenv *e, unsigned int nid, uint16_t sport,
	      uint8_t flags)
{
	return hostenv_rx_seg(e, nid, PEER, sport, flags);
}

static struct tt_rec *rec_of(struct hostenv *e, uint16_t sport)
{
	return hostenv_rec(e, PEER, sport);
}

static int offload_on(struct hostenv *e, unsigned int nid, uint16_t sport,
		      struct tt_ctx *c)
{
	return hostenv_offload_new(e, nid, PEER, sport, c);
}

/* The switch side drops a card's link; the host hears it as an event. */
static void link(struct hostenv *e, unsigned int nid, int up)
{
	tt_card_set_link(tt_host_card(e->h, nid), up);
	for (int i = 0; i < 4; i++)
		tt_host_poll(e->h, 16);
}

static void link_down_moves_offloaded(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx_result before, res;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t old_slot;

	assert_int_equal(rx(e, 0, 60000, FG_TCP_ACK), TT_PROC_CREATED); /* X */
	assert_int_equal(rx(e, 1, 60002, FG_TCP_ACK), TT_PROC_CREATED); /* Z */
	assert_int_equal(offload_on(e, 0, 60001, &c), TT_OFFLOAD_OK);   /* Y */
	old_slot = rec_of(e, 60001)->card_slot;
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, old_slot, &before),
			 TT_OK);

	link(e, 0, 0);
	assert_int_equal(e->h->st.link_downs, 1);
	assert_false(e->h->cards[0].link_up);
	assert_null(rec_of(e, 60000));                 /* X removed */
	assert_non_null(rec_of(e, 60002));             /* Z untouched */
	assert_int_equal(tt_rec_nid(rec_of(e, 60002)), 1);
	rec = rec_of(e, 60001);                        /* Y moved to card 1 */
	assert_non_null(rec);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_int_equal(e->h->st.fault_removed, 1);
	assert_int_equal(e->h->st.fault_moved, 1);
	assert_int_equal(tt_host_last_reload(e->h)->rebuilt, 0);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, rec->card_slot, &res),
			 TT_OK);
	assert_memory_equal(res.rec, before.rec, TT_CTX_BYTES);
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, old_slot, &res),
			 TT_ENOTFOUND);

	/* the switch chose card 2, not the policy's card 1: reload again */
	assert_int_equal(rx(e, 2, 60001, FG_TCP_ACK), TT_PROC_RELOADED);
	assert_int_equal(tt_rec_nid(rec_of(e, 60001)), 2);
	assert_int_equal(e->h->st.reloads, 2);
	/* X's next packet, elsewhere, makes a fresh record */
	assert_int_equal(rx(e, 1, 60000, FG_TCP_ACK), TT_PROC_CREATED);

	/* link up: nothing moves */
	uint64_t ups = e->h->st.link_ups;
	link(e, 0, 1);
	assert_int_equal(e->h->st.link_ups, ups + 1);
	assert_true(e->h->cards[0].link_up);
	assert_int_equal(tt_rec_nid(rec_of(e, 60001)), 2);
	assert_int_equal(e->h->st.reloads, 2);
	/* a flow the switch moves back reloads on its first packet */
	assert_int_equal(rx(e, 0, 60001, FG_TCP_ACK), TT_PROC_RELOADED);
	assert_int_equal(tt_rec_nid(rec_of(e, 60001)), 0);
}

/* A dead card: its offloaded connections are rebuilt from the shadow on
 * the survivor. */
static void card_failed_rebuilds(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx_result res;
	struct tt_shadow *sh;
	struct tt_rec *rec;
	struct tt_ctx c, got;
	uint32_t una;

	assert_int_equal(offload_on(e, 0, 61000, &c), TT_OFFLOAD_OK);
	assert_int_equal(rx(e, 0, 61001, FG_TCP_ACK), TT_PROC_CREATED);
	sh = tt_records_shadow(e->h->rec, rec_of(e, 61000));
	sh->snd_una = una = c.snd_una + 77;
	assert_int_equal(tt_faults_card_failed(e->h, 0), 2);
	assert_null(rec_of(e, 61001));
	rec = rec_of(e, 61000);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_int_equal(e->h->st.reload_rebuilt, 1);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, rec->card_slot, &res),
			 TT_OK);
	tt_ctx_unpack(res.rec, &got);
	assert_int_equal(got.snd_una, una);
	assert_int_equal(got.snd_nxt, una);
	assert_int_equal(got.rcv_nxt, c.rcv_nxt);
	/* the dead card is no longer polled: its link event never counts */
	assert_int_equal(e->h->st.link_downs, 1);
}

/* No surviving link: the offloaded connection stays on its card; when a
 * link returns and the flow shows up there, it is reloaded. */
static void link_down_no_survivor(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx_result res;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t slot;

	assert_int_equal(offload_on(e, 0, 62000, &c), TT_OFFLOAD_OK);
	slot = rec_of(e, 62000)->card_slot;
	link(e, 1, 0);
	link(e, 0, 0);
	assert_int_equal(e->h->st.fault_stranded, 1);
	rec = rec_of(e, 62000);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 0);
	assert_int_equal(rec->card_slot, slot);
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, slot, &res), TT_OK);
	link(e, 1, 1);
	assert_int_equal(rx(e, 1, 62000, FG_TCP_ACK), TT_PROC_RELOADED);
	assert_int_equal(tt_rec_nid(rec_of(e, 62000)), 1);
}

/* The survivor's bucket is full: the connection goes to software. */
static void link_down_survivor_full(void **state)
{
	struct hostenv *e = *state;
	uint16_t ports[TT_CONN_WAYS + 1], y;
	struct tt_rec *rec;
	struct tt_ctx c, cy;

	hostenv_colliding(PEER, 80, 63000, TT_CONN_WAYS + 1, ports);
	y = ports[TT_CONN_WAYS];
	for (unsigned int i = 0; i < TT_CONN_WAYS; i++)
		assert_int_equal(offload_on(e, 1, ports[i], &c), TT_OFFLOAD_OK);
	assert_int_equal(offload_on(e, 0, y, &cy), TT_OFFLOAD_OK);
	link(e, 0, 0);
	rec = rec_of(e, y);
	assert_non_null(rec);
	assert_false(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_int_equal(e->h->st.reload_sw, 1);
	assert_int_equal(e->uploads, 1);
	assert_int_equal(e->last_upload_why, TT_UPLOAD_NO_ROOM);
	assert_int_equal(e->last_upload.snd_una, cy.snd_una);
	assert_int_equal(e->last_upload.remote_port, y);
	assert_int_equal(rx(e, 1, y, FG_TCP_ACK), TT_PROC_SAME_NIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTENV_BOTH(link_down_moves_offloaded, three_rtl, three_model, hostenv_teardown),
		TESTENV_BOTH(card_failed_rebuilds, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(link_down_no_survivor, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(link_down_survivor_full, two_rtl, two_model, hostenv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
