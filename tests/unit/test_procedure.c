/* SPDX-License-Identifier: MIT */
/*
 * The seed's packet procedure (Fig. 4) through a host over a team of
 * cards, on RTL cards and on model cards: every block 402-414 and every
 * path through them, the late-frame guard, FIN/RST removal, the DoS hook.
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
#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"

#define PEER (HOSTENV_PEER_IP + 1)

/* Contexts compared as their 64-byte records (struct padding aside). */
static void assert_ctx_equal(const struct tt_ctx *a, const struct tt_ctx *b)
{
	uint8_t ra[TT_CTX_BYTES], rb[TT_CTX_BYTES];

	tt_ctx_pack(a, ra);
	tt_ctx_pack(b, rb);
	assert_memory_equal(ra, rb, TT_CTX_BYTES);
}

static int two_rtl(void **s) { return hostenv_setup(s, "rtl", 2, TT_POLICY_LEAST_LOADED, 0); }
static int two_model(void **s) { return hostenv_setup(s, "model", 2, TT_POLICY_LEAST_LOADED, 0); }
static int dos_rtl(void **s) { return hostenv_setup(s, "rtl", 2, TT_POLICY_FIRST, 2); }
static int dos_model(void **s) { return hostenv_setup(s, "model", 2, TT_POLICY_FIRST, 2); }

static int rx(struct hostenv *e, unsigned int nid, uint16_t sport,
	      uint8_t flags)
{
	return hostenv_rx_seg(e, nid, PEER, sport, flags);
}

/* Offload a connection whose record a packet on card nid created. */
static struct tt_rec *offloaded_on(struct hostenv *e, unsigned int nid,
				   uint16_t sport, struct tt_ctx *c)
{
	struct tt_tuple t = hostenv_tuple(PEER, sport, 80);
	struct tt_rec *rec;

	assert_int_equal(rx(e, nid, sport, FG_TCP_ACK), TT_PROC_CREATED);
	hostenv_ctx_make(c, PEER, sport, 80, sport);
	assert_int_equal(tt_offload(e->h, c), TT_OFFLOAD_OK);
	rec = tt_records_lookup(e->h->rec, &t);
	assert_non_null(rec);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), nid);
	return rec;
}

/* 402 miss -> 404: a record, flag clear, NID = receiving card; software. */
static void p404_create(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t = hostenv_tuple(PEER, 40000, 80);
	struct tt_dos_stats ds;
	struct tt_rec *rec;

	assert_null(tt_records_lookup(e->h->rec, &t));
	assert_int_equal(rx(e, 1, 40000, FG_TCP_SYN), TT_PROC_CREATED);
	rec = tt_records_lookup(e->h->rec, &t);
	assert_non_null(rec);
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_false(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_state(rec), TT_AGE_SYN_RECV);
	assert_int_equal(e->sw, 1);
	assert_int_equal(e->sw_nid, 1);
	tt_dos_stats(e->h->dos, &ds);
	assert_int_equal(ds.packets, 1);
	assert_int_equal(ds.syns, 1);
	/* 404 declines a RST of an unknown connection */
	assert_int_equal(rx(e, 0, 40001, FG_TCP_RST), TT_PROC_NO_RECORD);
	t.sport = 40001;
	assert_null(tt_records_lookup(e->h->rec, &t));
	assert_int_equal(e->h->rec->count, 1);
	assert_int_equal(e->sw, 2);
}

/* 402 hit -> 406 same NIC -> 408 standard (not offloaded: software). */
static void p406_408_same_nic(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t = hostenv_tuple(PEER, 40010, 80);

	assert_int_equal(rx(e, 1, 40010, FG_TCP_ACK), TT_PROC_CREATED);
	assert_int_equal(rx(e, 1, 40010, FG_TCP_ACK | FG_TCP_PSH),
			 TT_PROC_SAME_NIC);
	assert_int_equal(tt_rec_nid(tt_records_lookup(e->h->rec, &t)), 1);
	assert_int_equal(e->sw, 2);
	assert_int_equal(e->offl, 0);
	assert_int_equal(e->h->st.proc[TT_PROC_SAME_NIC], 1);
}

/* 406 differs -> 410 not offloaded -> 412: NID updated, software. */
static void p410_412_software(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t = hostenv_tuple(PEER, 40020, 80);
	struct tt_rec *rec;

	assert_int_equal(rx(e, 0, 40020, FG_TCP_ACK), TT_PROC_CREATED);
	assert_int_equal(rx(e, 1, 40020, FG_TCP_ACK), TT_PROC_SOFTWARE);
	rec = tt_records_lookup(e->h->rec, &t);
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_false(tt_rec_offloaded(rec));
	assert_int_equal(e->sw_nid, 1);
	assert_int_equal(e->sw, 2);
	assert_int_equal(e->h->st.reloads, 0);
	assert_int_equal(rx(e, 1, 40020, FG_TCP_ACK), TT_PROC_SAME_NIC);
}

/* 406 same NIC -> 408 for an offloaded connection: the card matched a
 * segment it leaves to the host (ACK clear: UNHANDLED with its slot) and
 * the offloaded connection's sink gets it; the DoS detector does not
 * count it. (A segment with ACK set is the receive engine's and never
 * reaches the procedure: test_host_engine.) */
static void p408_offloaded(void **state)
{
	struct hostenv *e = *state;
	struct tt_dos_stats before, after;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t slot;
	uint8_t f[128];
	size_t len = hostenv_frame(f, PEER, 40030, 80, FG_TCP_PSH, 1);

	rec = offloaded_on(e, 1, 40030, &c);
	slot = rec->card_slot;
	tt_dos_stats(e->h->dos, &before);
	assert_int_equal(hostenv_rx(e, 1, f, len), TT_PROC_SAME_NIC);
	tt_dos_stats(e->h->dos, &after);
	assert_int_equal(after.packets, before.packets);
	assert_int_equal(e->offl, 1);
	assert_int_equal(e->sw, 1); /* the packet that created the record */
	assert_int_equal(hostenv_card_verdict(e, 1, f, len, &slot),
			 TT_EXC_UNHANDLED);
	assert_int_equal(slot, rec->card_slot);
}

/* 406 differs -> 410 offloaded -> 414: exported from A, imported into B
 * byte for byte, record's NID and slot updated, A no longer matches. */
static void p414_reload(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t = hostenv_tuple(PEER, 40040, 80);
	const struct tt_reload_entry *le;
	struct tt_ctx_result before, after;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t old_slot, slot = 0;
	uint8_t f[128], g[128], want[TT_CTX_BYTES];
	size_t len = hostenv_frame(f, PEER, 40040, 80, FG_TCP_ACK, 1);
	/* a segment the card hands up even when the connection is its own */
	size_t glen = hostenv_frame(g, PEER, 40040, 80, FG_TCP_PSH, 1);

	rec = offloaded_on(e, 0, 40040, &c);
	old_slot = rec->card_slot;
	tt_ctx_pack(&c, want);
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, old_slot, &before),
			 TT_OK);
	assert_memory_equal(before.rec, want, TT_CTX_BYTES);

	assert_int_equal(hostenv_rx(e, 1, f, len), TT_PROC_RELOADED);
	rec = tt_records_lookup(e->h->rec, &t);
	assert_non_null(rec);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	le = tt_host_last_reload(e->h);
	assert_non_null(le);
	assert_int_equal(e->h->rlog.n, 1);
	assert_int_equal(le->from, 0);
	assert_int_equal(le->to, 1);
	assert_int_equal(le->from_slot, old_slot);
	assert_int_equal(le->to_slot, rec->card_slot);
	assert_int_equal(le->rebuilt, 0);
	assert_true(le->export_cycles > 0);
	assert_true(le->import_cycles > 0);
	assert_int_equal(le->cycles, le->export_cycles + le->import_cycles);
	assert_true(le->ns > 0);
	/* exported from A == record before == imported into B */
	assert_memory_equal(le->rec, before.rec, TT_CTX_BYTES);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, rec->card_slot,
				     &after), TT_OK);
	assert_memory_equal(after.rec, before.rec, TT_CTX_BYTES);
	/* the shadow moved with it */
	assert_int_equal(tt_records_shadow(e->h->rec, rec)->rcv_nxt, c.rcv_nxt);
	/* A no longer holds it; B matches it */
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, old_slot, &after),
			 TT_ENOTFOUND);
	assert_int_equal(hostenv_card_verdict(e, 0, f, len, &slot),
			 TT_EXC_NO_MATCH);
	assert_int_equal(slot, TT_SLOT_NONE);
	assert_int_equal(hostenv_card_verdict(e, 1, g, glen, &slot),
			 TT_EXC_UNHANDLED);
	assert_int_equal(slot, rec->card_slot);
	assert_int_equal(e->h->cards[0].offloaded, 0);
	assert_int_equal(e->h->cards[1].offloaded, 1);
	/* the triggering packet went on to the connection, not software */
	assert_int_equal(e->offl, 1);
	assert_int_equal(e->h->st.reloads, 1);
}

/* A segment card B matched before the connection was reloaded onto card
 * A (A's frame drained first) is late: no reload back to B. (ACK clear:
 * B hands it up rather than its receive engine taking it.) */
static void p414_late_frame(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t = hostenv_tuple(PEER, 40050, 80);
	struct tt_ctx c;
	uint8_t f[128];
	size_t len = hostenv_frame(f, PEER, 40050, 80, FG_TCP_PSH, 1);

	offloaded_on(e, 1, 40050, &c);
	assert_int_equal(tt_card_net_rx(tt_host_card(e->h, 1), f, len), TT_OK);
	assert_int_equal(tt_card_net_rx(tt_host_card(e->h, 0), f, len), TT_OK);
	for (int i = 0; i < 20; i++)
		tt_host_poll(e->h, 32);
	assert_int_equal(e->h->st.proc[TT_PROC_RELOADED], 1);
	assert_int_equal(e->h->st.proc[TT_PROC_LATE], 1);
	assert_int_equal(e->h->st.reloads, 1);
	assert_int_equal(tt_rec_nid(tt_records_lookup(e->h->rec, &t)), 0);
	assert_int_equal(e->offl, 2);
}

/* FIN or RST removes the record once processed; an offloaded connection
 * is uploaded (exported) first. */
static void p_fin_rst_remove(void **state)
{
	struct hostenv *e = *state;
	struct tt_tuple t1 = hostenv_tuple(PEER, 40060, 80);
	struct tt_tuple t2 = hostenv_tuple(PEER, 40061, 80);
	struct tt_ctx_result res;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t slot;

	assert_int_equal(rx(e, 0, 40060, FG_TCP_ACK), TT_PROC_CREATED);
	assert_int_equal(rx(e, 0, 40060, FG_TCP_ACK | FG_TCP_FIN),
			 TT_PROC_SAME_NIC);
	assert_null(tt_records_lookup(e->h->rec, &t1));
	assert_int_equal(e->h->st.closed, 1);
	assert_int_equal(e->uploads, 0);

	rec = offloaded_on(e, 1, 40061, &c);
	slot = rec->card_slot;
	assert_int_equal(rx(e, 1, 40061, FG_TCP_RST), TT_PROC_SAME_NIC);
	assert_null(tt_records_lookup(e->h->rec, &t2));
	assert_int_equal(e->h->st.closed, 2);
	assert_int_equal(e->uploads, 1);
	assert_int_equal(e->last_upload_why, TT_UPLOAD_CLOSE);
	assert_ctx_equal(&e->last_upload, &c);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, slot, &res),
			 TT_ENOTFOUND);
	assert_int_equal(e->h->cards[1].offloaded, 0);
}

/* SYNs and non-offloaded traffic go through the DoS detector; a blocked
 * source's frames are dropped before 404, offloaded segments still pass. */
static void p_dos_drop(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx c;
	unsigned int created = 0, dropped = 0;
	uint32_t before;

	offloaded_on(e, 0, 41000, &c);
	before = e->h->rec->count;
	for (uint16_t p = 0; p < 6; p++) {
		int r = rx(e, 0, (uint16_t)(42000 + p), FG_TCP_SYN);

		created += r == TT_PROC_CREATED;
		dropped += r == TT_PROC_DOS_DROP;
	}
	assert_true(dropped >= 3);
	assert_int_equal(created + dropped, 6);
	assert_int_equal(e->h->rec->count, before + created);
	assert_int_equal(e->h->st.proc[TT_PROC_DOS_DROP], dropped);
	assert_int_equal(rx(e, 0, 41000, FG_TCP_PSH), TT_PROC_SAME_NIC);
}

/* Frames without a 4-tuple go to software untouched. */
static void p_not_tcp(void **state)
{
	struct hostenv *e = *state;
	uint8_t f[60] = { 0 };

	memset(f, 0xff, 6);
	memcpy(f + 6, hostenv_peer_mac, 6);
	f[12] = 0x08;
	f[13] = 0x06; /* ARP */
	assert_int_equal(hostenv_rx(e, 0, f, sizeof(f)), TT_PROC_NOT_TCP);
	assert_int_equal(e->sw, 1);
	assert_int_equal(e->h->rec->count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTENV_BOTH(p404_create, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p406_408_same_nic, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p410_412_software, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p408_offloaded, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p414_reload, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p414_late_frame, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p_fin_rst_remove, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(p_dos_drop, dos_rtl, dos_model, hostenv_teardown),
		TESTENV_BOTH(p_not_tcp, two_rtl, two_model, hostenv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
