/* SPDX-License-Identifier: MIT */
/*
 * The scenario tests' harness: a world (host/cli/demo/world.h) of a team
 * of cards, the switch and client stacks, carrying bulk traffic
 * (traffic.h) whose every byte is checked end to end with SHA-256, plus
 * the checks every scenario ends with:
 *  - every connection verified (0 bytes lost, duplicated or changed),
 *    or, where the scenario says so, failed for the reason it caused;
 *  - the host's records agree with the cards: each offloaded record's
 *    card counts it, no card counts more than the records give it, and
 *    every connection the team's stack believes offloaded has an
 *    offloaded record (and the other way round).
 */
#ifndef TT_SCENARIO_H
#define TT_SCENARIO_H

#include <stdint.h>

#include "traffic.h"
#include "world.h"

#define SCEN_CONNS   64u
#define SCEN_CLIENTS 8u

struct scen_params {
	const char *dtb;             /* NULL: team-3model */
	const char *backend;         /* NULL: "model" */
	uint32_t conn_slots, age_ms, dos_pps;
	unsigned int n_clients;      /* 0: SCEN_CLIENTS */
	unsigned int n_conns;        /* 0: SCEN_CONNS */
	unsigned int held;           /* idle until scen_release */
	uint64_t up_len, down_len;   /* per connection; 0: 64 KiB each */
	int concurrent;
	uint64_t seed;
};

struct scen {
	struct world *w;
	struct traffic *t;
	struct tt_host *h;
	uint64_t seed;
};

/* Build and start (connections open); aborts the test on failure. */
void scen_open(struct scen *s, const struct scen_params *p);
void scen_close(struct scen *s);
/* Run until bytes up + down reached `fraction` of the active total, or
 * max_ms passed. Returns the simulated ms it ran. */
uint64_t scen_run_until(struct scen *s, double fraction, uint64_t max_ms);
/* Run until every connection finished (fails the test after max_ms). */
void scen_finish(struct scen *s, uint64_t max_ms);
/* Every connection verified end to end. */
void scen_assert_all_ok(struct scen *s);
/* No payload write a card made was dropped by the host or its stack
 * (part of scen_assert_all_ok). */
void scen_assert_no_payload_lost(struct scen *s);
/* The records and the cards agree (see above). */
void scen_assert_consistent(struct scen *s);
/* Offloaded records on card nid now. */
unsigned int scen_offloaded_on(struct scen *s, unsigned int nid);
/* Offer every established connection that runs in software to the
 * cards again (tt_stack_offload); returns how many a card took. */
unsigned int scen_reoffer(struct scen *s);
/* A line of what happened, for the test log. */
void scen_print(struct scen *s, const char *name);

#endif
