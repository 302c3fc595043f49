/* SPDX-License-Identifier: MIT */
/*
 * What the demo prints at the end: connections, bytes, reloads and their
 * latency (from tt_host's reload log), every drop by reason (cards,
 * switch, stacks) and the integrity verdict.
 */
#ifndef TT_DEMO_REPORT_H
#define TT_DEMO_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "teamtoe/host.h"
#include "traffic.h"
#include "world.h"

struct report_latency {
	unsigned int n;               /* reloads in the log ring */
	uint64_t cycles_min, cycles_median, cycles_max;
	uint64_t ns_min, ns_median, ns_max;
};

/* Min, median and max of the reloads still in h's log (the last
 * TT_RELOAD_LOG_LEN); n = 0 when there were none. */
void report_reload_latency(const struct tt_host *h, struct report_latency *l);
/* Connections the cards run now. */
unsigned int report_offloaded_now(const struct tt_host *h);
/* Print the summary; returns 1 when every connection was verified. */
int report_summary(FILE *f, struct world *w, const struct traffic *t,
		   double fail_ms, double restore_ms, unsigned int fail_card,
		   double wall_s);

#endif
