/* SPDX-License-Identifier: MIT */
/*
 * Offload, reload and upload over the context port, on RTL cards and on
 * model cards: the team policies, offload to the record's card, a full
 * bucket leaves the connection in software (counted, never refused), a
 * reload onto a full card, a dead former card rebuilt from the shadow
 * (go-back-N), upload, and a context command that outlives its bound.
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

#define PEER (HOSTENV_PEER_IP + 2)

static void assert_ctx_equal(const struct tt_ctx *a, const struct tt_ctx *b)
{
	uint8_t ra[TT_CTX_BYTES], rb[TT_CTX_BYTES];

	tt_ctx_pack(a, ra);
	tt_ctx_pack(b, rb);
	assert_memory_equal(ra, rb, TT_CTX_BYTES);
}

static int two_rtl(void **s) { return hostenv_setup(s, "rtl", 2, TT_POLICY_LEAST_LOADED, 0); }
static int two_model(void **s) { return hostenv_setup(s, "model", 2, TT_POLICY_LEAST_LOADED, 0); }
static int first_rtl(void **s) { return hostenv_setup(s, "rtl", 3, TT_POLICY_FIRST, 0); }
static int first_model(void **s) { return hostenv_setup(s, "model", 3, TT_POLICY_FIRST, 0); }
static int least_rtl(void **s) { return hostenv_setup(s, "rtl", 3, TT_POLICY_LEAST_LOADED, 0); }
static int least_model(void **s) { return hostenv_setup(s, "model", 3, TT_POLICY_LEAST_LOADED, 0); }

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

static void snapshot_is(struct hostenv *e, unsigned int nid, uint16_t slot,
			const struct tt_ctx *c)
{
	struct tt_ctx_result res;
	uint8_t want[TT_CTX_BYTES];

	tt_ctx_pack(c, want);
	assert_int_equal(hostenv_ctx(e, nid, TT_CTX_SNAPSHOT, slot, &res), TT_OK);
	assert_memory_equal(res.rec, want, TT_CTX_BYTES);
}

/* No record: "first" picks the first card with room, every time. */
static void offload_policy_first(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx c;

	for (uint16_t p = 0; p < 3; p++) {
		hostenv_ctx_make(&c, PEER, (uint16_t)(50000 + p), 80, p);
		assert_int_equal(tt_offload(e->h, &c), TT_OFFLOAD_OK);
		struct tt_rec *rec = rec_of(e, (uint16_t)(50000 + p));
		assert_non_null(rec);
		assert_true(tt_rec_offloaded(rec));
		assert_int_equal(tt_rec_nid(rec), 0);
		assert_int_equal(tt_rec_state(rec), TT_AGE_ESTABLISHED);
		snapshot_is(e, 0, rec->card_slot, &c);
	}
	assert_int_equal(e->h->cards[0].offloaded, 3);
	/* an offloaded connection is not offloaded twice */
	assert_int_equal(tt_offload(e->h, &c), TT_EEXIST);
	c.version = TT_CTX_VERSION + 1;
	assert_int_equal(tt_offload(e->h, &c), TT_EINVAL);
}

/* No record: "least-loaded" spreads over the cards. */
static void offload_policy_least(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx c;

	for (uint16_t p = 0; p < 6; p++) {
		hostenv_ctx_make(&c, PEER, (uint16_t)(50100 + p), 80, p);
		assert_int_equal(tt_offload(e->h, &c), TT_OFFLOAD_OK);
		assert_int_equal(tt_rec_nid(rec_of(e, (uint16_t)(50100 + p))),
				 p % 3);
	}
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(e->h->cards[i].offloaded, 2);
	assert_int_equal(e->h->st.offloads, 6);
}

/* A record exists: offload goes to its NID, shadow from the context. */
static void offload_existing_record(void **state)
{
	struct hostenv *e = *state;
	struct tt_shadow *sh;
	struct tt_rec *rec;
	struct tt_ctx c;

	/* least-loaded would pick card 0; the record says card 2 */
	assert_int_equal(offload_on(e, 2, 50200, &c), TT_OFFLOAD_OK);
	rec = rec_of(e, 50200);
	assert_int_equal(tt_rec_nid(rec), 2);
	snapshot_is(e, 2, rec->card_slot, &c);
	sh = tt_records_shadow(e->h->rec, rec);
	assert_non_null(sh);
	assert_int_equal(sh->rcv_nxt, c.rcv_nxt);
	assert_int_equal(sh->snd_una, c.snd_una);
	assert_int_equal(sh->mss, 1460);
	assert_int_equal(e->h->cards[0].offloaded, 0);
	assert_int_equal(e->h->cards[2].offloaded, 1);
}

/* Four ways per bucket: the fifth colliding connection stays in
 * software, counted, and its packets are processed in software. */
static void offload_full_bucket(void **state)
{
	struct hostenv *e = *state;
	uint16_t ports[TT_CONN_WAYS + 1];
	struct tt_ctx c;

	hostenv_colliding(PEER, 80, 51000, TT_CONN_WAYS + 1, ports);
	for (unsigned int i = 0; i < TT_CONN_WAYS; i++)
		assert_int_equal(offload_on(e, 0, ports[i], &c), TT_OFFLOAD_OK);
	assert_int_equal(offload_on(e, 0, ports[TT_CONN_WAYS], &c),
			 TT_OFFLOAD_SOFTWARE);
	assert_int_equal(e->h->st.offload_sw, 1);
	assert_int_equal(e->h->st.offload_full, 1);
	assert_int_equal(tt_card_counter(tt_host_card(e->h, 0), TT_CNT_CTX_FULL), 1);
	assert_false(tt_rec_offloaded(rec_of(e, ports[TT_CONN_WAYS])));
	assert_int_equal(e->h->cards[0].offloaded, TT_CONN_WAYS);
	unsigned int sw = e->sw;
	assert_int_equal(rx(e, 0, ports[TT_CONN_WAYS], FG_TCP_ACK),
			 TT_PROC_SAME_NIC);
	assert_int_equal(e->sw, sw + 1);
}

/* 414 onto a card whose bucket is full: the connection goes to the
 * software stack (its exported context handed up), never lost. */
static void reload_onto_full_card(void **state)
{
	struct hostenv *e = *state;
	uint16_t ports[TT_CONN_WAYS + 1], x, slot;
	struct tt_rec *rec;
	struct tt_ctx c, cx;
	uint8_t f[128];
	size_t len;

	hostenv_colliding(PEER, 80, 52000, TT_CONN_WAYS + 1, ports);
	x = ports[TT_CONN_WAYS];
	assert_int_equal(offload_on(e, 0, x, &cx), TT_OFFLOAD_OK);
	for (unsigned int i = 0; i < TT_CONN_WAYS; i++)
		assert_int_equal(offload_on(e, 1, ports[i], &c), TT_OFFLOAD_OK);
	len = hostenv_frame(f, PEER, x, 80, FG_TCP_ACK, 1);
	assert_int_equal(hostenv_rx(e, 1, f, len), TT_PROC_RELOAD_SOFTWARE);
	rec = rec_of(e, x);
	assert_non_null(rec);
	assert_false(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_int_equal(e->h->st.reload_sw, 1);
	assert_int_equal(e->uploads, 1);
	assert_int_equal(e->last_upload_why, TT_UPLOAD_NO_ROOM);
	assert_ctx_equal(&e->last_upload, &cx);
	assert_int_equal(tt_host_last_reload(e->h)->to_slot, TT_SLOT_NONE);
	assert_int_equal(tt_host_last_reload(e->h)->import_status, TT_EFULL);
	assert_int_equal(e->h->cards[0].offloaded, 0);
	assert_int_equal(hostenv_card_verdict(e, 0, f, len, &slot),
			 TT_EXC_NO_MATCH);
	assert_int_equal(rx(e, 1, x, FG_TCP_ACK), TT_PROC_SAME_NIC);
}

/* The former card is dead: the context is rebuilt from the record's
 * shadow (acked snd_una, delivered rcv_nxt), go-back-N. */
static void reload_dead_former(void **state)
{
	struct hostenv *e = *state;
	const struct tt_reload_entry *le;
	struct tt_ctx_result res;
	struct tt_shadow *sh;
	struct tt_rec *rec;
	struct tt_ctx c, got;
	uint32_t una, nxt;

	assert_int_equal(offload_on(e, 0, 53000, &c), TT_OFFLOAD_OK);
	rec = rec_of(e, 53000);
	sh = tt_records_shadow(e->h->rec, rec);
	sh->snd_una = una = c.snd_una + 1000;   /* the peer acked more */
	sh->rcv_nxt = nxt = c.rcv_nxt + 2000;   /* we delivered more */
	tt_host_mark_dead(e->h, 0, 1);
	assert_int_equal(rx(e, 1, 53000, FG_TCP_ACK), TT_PROC_RELOADED);
	rec = rec_of(e, 53000);
	assert_int_equal(tt_rec_nid(rec), 1);
	le = tt_host_last_reload(e->h);
	assert_int_equal(le->rebuilt, 1);
	assert_int_equal(le->export_cycles, 0);
	assert_int_equal(e->h->st.reload_rebuilt, 1);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, rec->card_slot, &res),
			 TT_OK);
	assert_memory_equal(res.rec, le->rec, TT_CTX_BYTES);
	tt_ctx_unpack(res.rec, &got);
	assert_int_equal(got.snd_una, una);
	assert_int_equal(got.snd_nxt, una);
	assert_int_equal(got.rcv_nxt, nxt);
	assert_int_equal(got.snd_max, c.snd_max);
	/* anything up to snd_max may have been sent by the dead card */
	assert_int_equal(got.recover, c.snd_max);
	assert_int_equal(got.flags & (TT_CTXF_RECOVERY | TT_CTXF_DELACK |
				      TT_CTXF_PERSIST | TT_CTXF_PROBE), 0);
	assert_int_equal(got.flags & (TT_CTXF_VALID | TT_CTXF_ACK_PENDING),
			 TT_CTXF_VALID | TT_CTXF_ACK_PENDING);
	assert_int_equal(got.remote_ip, PEER);
	assert_int_equal(got.remote_port, 53000);
	assert_int_equal(got.local_ip, HOSTENV_TEAM_IP);
	assert_int_equal(got.local_port, 80);
	assert_true(got.peer_mac == c.peer_mac);
	assert_int_equal(got.mss, 1460);
	assert_int_equal(got.cwnd, 1460);
	assert_int_equal(got.ssthresh, 2 * 1460);
	assert_int_equal(got.dupacks, 0);
	assert_int_equal(tt_records_shadow(e->h->rec, rec)->snd_una, una);
	/* nothing was asked of the dead card */
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, 0, &res), TT_EBUSY);
}

/* The card asks for the data of slot `slot` from `seq` (its next DMA
 * read request, within a bound of cycles). */
static void expect_read(struct tt_card *card, uint16_t slot, uint32_t seq)
{
	struct tt_dma_read_req rq;
	int i;

	for (i = 0; i < 400 && tt_card_dma_read_req(card, &rq) == TT_EAGAIN; i++)
		tt_card_step(card, 16);
	assert_true(i < 400);
	assert_int_equal(rq.slot, slot);
	assert_int_equal(rq.seq, seq);
	assert_true(rq.len > 0);
}

/* An IMPORT does not kick the slot: the host rings the doorbell (at the
 * context's own snd_max) after an offload or a reload of a context with
 * data to send, so the new card asks for it at once instead of waiting
 * for an ACK or a timer; a context with nothing unsent gets none. */
static void import_kicks_unsent(void **state)
{
	struct hostenv *e = *state;
	struct tt_card *c0 = tt_host_card(e->h, 0), *c1 = tt_host_card(e->h, 1);
	struct tt_dma_read_req rq;
	struct tt_rec *quiet, *busy;
	struct tt_ctx c;

	hostenv_ctx_make(&c, PEER, 56000, 80, 0);
	c.snd_nxt = c.snd_max;                       /* all sent */
	assert_int_equal(tt_offload(e->h, &c), TT_OFFLOAD_OK);
	quiet = rec_of(e, 56000);
	assert_int_equal(e->h->st.import_kicks, 0);
	hostenv_ctx_make(&c, PEER, 56001, 80, 1);    /* 4000 bytes unsent */
	assert_int_equal(tt_offload(e->h, &c), TT_OFFLOAD_OK);
	busy = rec_of(e, 56001);
	assert_int_equal(tt_rec_nid(busy), 0);
	assert_int_equal(e->h->st.import_kicks, 1);
	expect_read(c0, busy->card_slot, c.snd_nxt);
	assert_int_equal(tt_card_counter(c0, TT_CNT_ENG_DB_IGNORED), 0);
	/* exported and imported as it is: nothing unsent, no doorbell */
	assert_int_equal(tt_reload(e->h, quiet, 1), TT_OFFLOAD_OK);
	assert_int_equal(tt_rec_nid(quiet), 1);
	assert_int_equal(e->h->st.import_kicks, 1);
	/* rebuilt from the shadow (go-back-N from snd_una): kicked on the
	 * new card, which asks from snd_una */
	tt_host_mark_dead(e->h, 0, 1);
	assert_int_equal(tt_reload(e->h, busy, 1), TT_OFFLOAD_OK);
	assert_int_equal(tt_host_last_reload(e->h)->rebuilt, 1);
	assert_int_equal(e->h->st.import_kicks, 2);
	expect_read(c1, busy->card_slot, c.snd_una);
	tt_card_step(c1, 512);
	assert_int_equal(tt_card_dma_read_req(c1, &rq), TT_EAGAIN);
}

/* Upload: exported, flag cleared, the context to the software stack. */
static void upload_request(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx_result res;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint16_t slot;

	assert_int_equal(offload_on(e, 1, 54000, &c), TT_OFFLOAD_OK);
	rec = rec_of(e, 54000);
	slot = rec->card_slot;
	assert_int_equal(tt_upload(e->h, rec, TT_UPLOAD_REQUEST), 0);
	assert_false(tt_rec_offloaded(rec));
	assert_int_equal(tt_rec_nid(rec), 1);
	assert_int_equal(e->uploads, 1);
	assert_ctx_equal(&e->last_upload, &c);
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, slot, &res),
			 TT_ENOTFOUND);
	assert_int_equal(e->h->cards[1].offloaded, 0);
	assert_int_equal(tt_upload(e->h, rec, TT_UPLOAD_REQUEST), TT_EINVAL);
}

/* A card that does not answer within the bound gives an error, not a
 * hang; the import that lands later is taken back off the card. */
static void ctx_timeout(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx c;
	uint16_t slot = 0;
	uint8_t f[128];
	size_t len = hostenv_frame(f, PEER, 55000, 80, FG_TCP_ACK, 1);

	e->h->p.no_timeout = 1;
	assert_int_equal(offload_on(e, 0, 55000, &c), TT_OFFLOAD_SOFTWARE);
	assert_int_equal(e->h->st.ctx_timeouts, 1);
	assert_false(tt_rec_offloaded(rec_of(e, 55000)));
	e->h->p.no_timeout = 0;
	for (int i = 0; i < 10; i++)
		tt_host_poll(e->h, 64);
	assert_int_equal(e->h->st.ctx_evicted, 1);
	assert_int_equal(e->h->st.ctx_stale, 2); /* the import, its eviction */
	assert_int_equal(tt_card_counter(tt_host_card(e->h, 0), TT_CNT_CTX_IMPORT), 1);
	assert_int_equal(tt_card_counter(tt_host_card(e->h, 0), TT_CNT_CTX_EXPORT), 1);
	assert_int_equal(hostenv_card_verdict(e, 0, f, len, &slot),
			 TT_EXC_NO_MATCH);
	/* a card marked dead answers nothing and is not waited for */
	tt_host_mark_dead(e->h, 1, 1);
	hostenv_ctx_make(&c, PEER, 55001, 80, 1);
	struct tt_ctx_result res;
	uint64_t t0 = tt_card_cycles(tt_host_card(e->h, 1));
	assert_int_equal(hostenv_ctx(e, 1, TT_CTX_SNAPSHOT, 0, &res), TT_EBUSY);
	assert_true(tt_card_cycles(tt_host_card(e->h, 1)) == t0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTENV_BOTH(offload_policy_first, first_rtl, first_model, hostenv_teardown),
		TESTENV_BOTH(offload_policy_least, least_rtl, least_model, hostenv_teardown),
		TESTENV_BOTH(offload_existing_record, least_rtl, least_model, hostenv_teardown),
		TESTENV_BOTH(offload_full_bucket, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(reload_onto_full_card, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(reload_dead_former, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(upload_request, two_rtl, two_model, hostenv_teardown),
		TESTENV_BOTH(import_kicks_unsent, first_rtl, first_model, hostenv_teardown),
		TESTENV_BOTH(ctx_timeout, two_rtl, two_model, hostenv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
