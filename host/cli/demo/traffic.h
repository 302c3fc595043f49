/* SPDX-License-Identifier: MIT */
/*
 * The demo's traffic on a world (world.h): a bulk server (app_bulk.h) on
 * the team's stack and bulk clients on the client stacks, n_conns
 * connections spread over the clients in turn, each checked end to end
 * with SHA-256 in both directions. Registers itself as a world
 * application: every round it drains the ready lists of all stacks.
 */
#ifndef TT_DEMO_TRAFFIC_H
#define TT_DEMO_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "app_bulk.h"
#include "world.h"

#define TRAFFIC_PORT 5001u

struct traffic_params {
	unsigned int n_conns;
	uint64_t up_len, down_len;   /* per connection */
	int concurrent;              /* server answers while receiving */
	uint64_t seed;
	uint64_t timeout_ms;         /* per connection; 0: none */
	uint32_t server_max_conns;   /* 0: n_conns */
	/* Connections that open with the others but stay idle until
	 * traffic_release() (spread over the clients like the rest). */
	unsigned int held;
};

struct traffic_totals {
	uint64_t up_bytes, down_bytes;     /* received by the other end */
	unsigned int ok, failed, running;
};

struct traffic;

/* Returns 0, or a negative tt_status with a message in err. */
int traffic_new(struct traffic **t, struct world *w,
		const struct traffic_params *p, char *err, size_t errlen);
void traffic_free(struct traffic *t);
/* Open every connection (the clients' SYNs leave in the next round). */
void traffic_start(struct traffic *t);
/* Connection k (0 .. n_conns-1) lives on client k % clients as that
 * client's connection k / clients. */
const struct bulk_conn_result *traffic_conn(const struct traffic *t,
					    unsigned int k);
/* Client side gives up on connection k (RST). 0 or TT_EINVAL. */
int traffic_abort(struct traffic *t, unsigned int k);
/* The held connections start sending. Returns how many. */
unsigned int traffic_release(struct traffic *t);
void traffic_totals(const struct traffic *t, struct traffic_totals *tot);
/* Bytes, both directions, that the connections sending so far (all
 * but the held ones until traffic_release) move in all. */
uint64_t traffic_active_bytes(const struct traffic *t);
/* All connections finished (OK or failed). */
int traffic_done(const struct traffic *t);
const char *traffic_first_failure(const struct traffic *t);
const struct bulk_server_stats *traffic_server(const struct traffic *t);
/* Run the world until every connection finished or max_ms of simulated
 * time passed; returns 1 if all finished. */
int traffic_run(struct traffic *t, uint64_t max_ms);

#endif
