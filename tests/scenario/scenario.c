/* SPDX-License-Identifier: MIT */
/* The scenario tests' harness (scenario.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario.h"
#include "teamtoe/reload.h"
#include "teamtoe/stack_offl.h"
#include "testenv.h"

static const char *scen_dtb(const char *name)
{
	static char path[512];
	const char *build = getenv("TT_BUILD");

	snprintf(path, sizeof(path), "%s/dts/%s.dtb", build ? build : "build",
		 name);
	return path;
}

void scen_open(struct scen *s, const struct scen_params *p)
{
	struct world_params wp = { 0 };
	struct traffic_params tp = { 0 };
	char err[512];

	memset(s, 0, sizeof(*s));
	s->seed = p->seed ? p->seed : testenv_seed("scenario");
	wp.dtb = p->dtb ? p->dtb : scen_dtb("team-3model");
	wp.backend = p->backend ? p->backend : "model";
	wp.conn_slots = p->conn_slots;
	wp.age_ms = p->age_ms;
	wp.dos_threshold_pps = p->dos_pps;
	wp.n_clients = p->n_clients ? p->n_clients : SCEN_CLIENTS;
	wp.seed = s->seed;
	wp.offload_on_establish = 1;
	if (world_new(&s->w, &wp, err, sizeof(err)) < 0)
		fail_msg("world: %s", err);
	s->h = world_host(s->w);
	tp.n_conns = p->n_conns ? p->n_conns : SCEN_CONNS;
	tp.up_len = p->up_len ? p->up_len : 64u << 10;
	tp.down_len = p->down_len ? p->down_len : 64u << 10;
	tp.concurrent = p->concurrent;
	tp.held = p->held;
	tp.seed = s->seed;
	if (traffic_new(&s->t, s->w, &tp, err, sizeof(err)) < 0)
		fail_msg("traffic: %s", err);
	traffic_start(s->t);
}

void scen_close(struct scen *s)
{
	traffic_free(s->t);
	world_free(s->w);
	memset(s, 0, sizeof(*s));
}

uint64_t scen_run_until(struct scen *s, double fraction, uint64_t max_ms)
{
	uint64_t start = world_now_ms(s->w);
	uint64_t step = world_cycles_per_ms(s->w) / 20;   /* 50 us */
	struct traffic_totals tot;

	for (;;) {
		traffic_totals(s->t, &tot);
		if ((double)(tot.up_bytes + tot.down_bytes) >=
		    fraction * (double)traffic_active_bytes(s->t) ||
		    world_now_ms(s->w) - start >= max_ms)
			break;
		world_run(s->w, step);
	}
	return world_now_ms(s->w) - start;
}

void scen_finish(struct scen *s, uint64_t max_ms)
{
	if (!traffic_run(s->t, max_ms)) {
		struct traffic_totals tot;

		traffic_totals(s->t, &tot);
		/* lost payload is the usual cause of a stuck stream */
		scen_assert_no_payload_lost(s);
		fail_msg("seed %llu: %u connections unfinished after %llu ms "
			 "(%u ok, %u failed: %s)", (unsigned long long)s->seed,
			 tot.running, (unsigned long long)max_ms, tot.ok,
			 tot.failed, traffic_first_failure(s->t) ?
			 traffic_first_failure(s->t) : "-");
	}
	/* the last ACKs and FINs */
	world_run_ms(s->w, 2);
}

void scen_assert_all_ok(struct scen *s)
{
	struct traffic_totals tot;
	const char *why = traffic_first_failure(s->t);

	traffic_totals(s->t, &tot);
	if (why)
		fail_msg("seed %llu: %u connections failed, first: %s",
			 (unsigned long long)s->seed, tot.failed, why);
	assert_int_equal(tot.running, 0);
	assert_true(traffic_done(s->t));
	assert_int_equal(tot.up_bytes + tot.down_bytes,
			 traffic_active_bytes(s->t));
	scen_assert_no_payload_lost(s);
}

void scen_assert_no_payload_lost(struct scen *s)
{
	struct tt_stack *ts = world_team_stack(s->w);
	uint64_t unmapped = s->h->st.payload_unmapped + s->h->st.held_lost;
	uint64_t dropped = tt_stack_counter(ts, TT_SCNT_DROP_OFFL_PAYLOAD);

	/* a card acknowledged these bytes, so the peer never sends them
	 * again: a payload write dropped on the way to the application is
	 * lost data, caught here at its cause rather than as a stuck stream */
	if (unmapped || dropped)
		fail_msg("seed %llu: payload the cards acknowledged was dropped "
			 "(%llu by the host, %llu by the stack)",
			 (unsigned long long)s->seed,
			 (unsigned long long)unmapped,
			 (unsigned long long)dropped);
}

unsigned int scen_offloaded_on(struct scen *s, unsigned int nid)
{
	struct tt_rec *rec;
	uint32_t pos = 0;
	unsigned int n = 0;

	while ((rec = tt_records_next(s->h->rec, &pos)) != NULL)
		if (tt_rec_offloaded(rec) && tt_rec_nid(rec) == nid)
			n++;
	return n;
}

unsigned int scen_reoffer(struct scen *s)
{
	struct tt_stack *ts = world_team_stack(s->w);
	struct tt_tuple *t;
	struct tt_rec *rec;
	uint32_t pos = 0;
	unsigned int n = 0, took = 0, i;

	t = calloc(s->h->rec->count ? s->h->rec->count : 1, sizeof(*t));
	assert_non_null(t);
	while ((rec = tt_records_next(s->h->rec, &pos)) != NULL &&
	       n < s->h->rec->count)
		if (!tt_rec_offloaded(rec))
			t[n++] = tt_rec_tuple(s->h->rec, rec);
	for (i = 0; i < n; i++)
		if (tt_stack_offload(ts, &t[i]) == 0)
			took++;
	free(t);
	return took;
}

void scen_assert_consistent(struct scen *s)
{
	unsigned int named[TT_TEAM_MAX_CARDS] = { 0 }, n = 0, i, cap;
	struct tt_rec *rec, **offl;
	uint32_t pos = 0;

	cap = s->h->team->cfg.max_conns;
	offl = calloc(cap, sizeof(*offl));
	assert_non_null(offl);
	/* collect first: snapshots run the host */
	while ((rec = tt_records_next(s->h->rec, &pos)) != NULL)
		if (tt_rec_offloaded(rec) && n < cap)
			offl[n++] = rec;
	for (i = 0; i < n; i++) {
		struct tt_ctx_cmd cmd = { .op = TT_CTX_SNAPSHOT };
		struct tt_ctx_result res;
		unsigned int nid = tt_rec_nid(offl[i]);
		struct tt_ctx c;

		assert_true(nid < s->h->n_cards);
		named[nid]++;
		if (s->h->cards[nid].dead)
			fail_msg("record of port %u names dead card %u",
				 offl[i]->sport, nid);
		cmd.slot = offl[i]->card_slot;
		if (tt_ctx_sync(s->h, nid, &cmd, &res, NULL) != TT_OK)
			fail_msg("seed %llu: record of port %u names card %u "
				 "slot %u, which is empty",
				 (unsigned long long)s->seed, offl[i]->sport,
				 nid, offl[i]->card_slot);
		tt_ctx_unpack(res.rec, &c);
		if (c.remote_ip != offl[i]->saddr ||
		    c.remote_port != offl[i]->sport ||
		    c.local_port != offl[i]->dport)
			fail_msg("seed %llu: card %u slot %u holds port %u, the "
				 "record says %u", (unsigned long long)s->seed,
				 nid, offl[i]->card_slot, c.remote_port,
				 offl[i]->sport);
	}
	free(offl);
	for (i = 0; i < s->h->n_cards; i++) {
		struct tt_card *c = tt_host_card(s->h, i);
		uint32_t installed;

		if (s->h->cards[i].dead)
			continue;
		installed = tt_card_counter(c, TT_CNT_CTX_IMPORT) -
			    tt_card_counter(c, TT_CNT_CTX_EXPORT);
		if (installed != named[i])
			fail_msg("seed %llu: card %u holds %u connections, "
				 "records name %u there",
				 (unsigned long long)s->seed, i, installed,
				 named[i]);
		assert_int_equal(s->h->cards[i].offloaded, named[i]);
	}
}

void scen_print(struct scen *s, const char *name)
{
	struct tt_host *h = s->h;
	struct traffic_totals tot;

	traffic_totals(s->t, &tot);
	print_message("# %s: %.2f ms, %u ok, %u failed; offloads %llu, "
		      "reloads %llu (414 %llu, fault %llu, rebuilt %llu, "
		      "software %llu), uploads %llu, closed %llu\n", name,
		      (double)world_cycles(s->w) / (double)world_cycles_per_ms(s->w),
		      tot.ok, tot.failed, (unsigned long long)h->st.offloads,
		      (unsigned long long)h->st.reloads,
		      (unsigned long long)h->st.proc[TT_PROC_RELOADED],
		      (unsigned long long)h->st.fault_moved,
		      (unsigned long long)h->st.reload_rebuilt,
		      (unsigned long long)h->st.reload_sw,
		      (unsigned long long)h->st.uploads,
		      (unsigned long long)h->st.closed);
}
