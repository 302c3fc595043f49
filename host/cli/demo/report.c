/* SPDX-License-Identifier: MIT */
/* The demo's summary (report.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "teamtoe/api.h"
#include "teamtoe/host_glue.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void report_reload_latency(const struct tt_host *h, struct report_latency *l)
{
	uint64_t cyc[TT_RELOAD_LOG_LEN], ns[TT_RELOAD_LOG_LEN];
	unsigned int i, n;

	memset(l, 0, sizeof(*l));
	n = h->rlog.n < TT_RELOAD_LOG_LEN ? (unsigned int)h->rlog.n :
					     TT_RELOAD_LOG_LEN;
	for (i = 0; i < n; i++) {
		cyc[i] = h->rlog.e[i].cycles;
		ns[i] = h->rlog.e[i].ns;
	}
	if (!n)
		return;
	qsort(cyc, n, sizeof(cyc[0]), cmp_u64);
	qsort(ns, n, sizeof(ns[0]), cmp_u64);
	l->n = n;
	l->cycles_min = cyc[0];
	l->cycles_median = cyc[n / 2];
	l->cycles_max = cyc[n - 1];
	l->ns_min = ns[0];
	l->ns_median = ns[n / 2];
	l->ns_max = ns[n - 1];
}

unsigned int report_offloaded_now(const struct tt_host *h)
{
	unsigned int i, n = 0;

	for (i = 0; i < h->n_cards; i++)
		n += h->cards[i].offloaded;
	return n;
}

/* Counters that count something dropped, refused or cut, by name: the
 * receive path's drops, the host-TX and event-queue losses, full tables,
 * and what the engines discard (the peer resends it). */
static int is_drop_counter(const char *name)
{
	static const char *const marks[] = {
		"DROP", "CTX_FULL", "OUT_OF_ORDER", "DUPLICATE", "TRIM",
		"ZERO_WINDOW", "UNSENT", "IGNORED", "STALE",
	};

	for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
		if (strstr(name, marks[k]))
			return 1;
	return 0;
}

static void print_card_drops(FILE *f, struct tt_host *h)
{
	unsigned int nid;
	int i, any = 0;

	for (nid = 0; nid < h->n_cards; nid++) {
		struct tt_card *c = tt_host_card(h, nid);

		for (i = 0; i < TT_COUNTER_COUNT; i++) {
			const char *name = tt_counter_str(i);
			uint32_t v;

			if (!name || !is_drop_counter(name))
				continue;
			v = h->cards[nid].dead ? 0 : tt_card_counter(c, i);
			if (v) {
				fprintf(f, "  card %u %-20s %u\n", nid, name, v);
				any = 1;
			}
		}
	}
	if (!any)
		fprintf(f, "  cards: none\n");
}

static void print_switch_drops(FILE *f, struct world *w)
{
	struct world_port_stats ps;
	unsigned int p, r;
	int any = 0;

	for (p = 0; p < world_n_ports(w); p++) {
		if (world_port_stats(w, p, &ps) < 0)
			continue;
		for (r = 0; r < world_switch_drop_reasons(); r++)
			if (ps.drops[r]) {
				fprintf(f, "  switch port %u %-13s %" PRIu64 "\n",
					p, world_switch_drop_str((int)r),
					ps.drops[r]);
				any = 1;
			}
	}
	if (!any)
		fprintf(f, "  switch: none\n");
}

static void print_stack_drops(FILE *f, struct world *w)
{
	uint64_t team, clients;
	unsigned int i;
	int c, any = 0;

	for (c = 0; c < TT_SCNT_N; c++) {
		const char *name = tt_stack_counter_name(c);

		if (strncmp(name, "DROP_", 5) && strcmp(name, "TX_FAIL") &&
		    strcmp(name, "TCP_RETRANSMITS") && strcmp(name, "TCP_RTO"))
			continue;
		team = tt_stack_counter(world_team_stack(w), c);
		clients = 0;
		for (i = 0; i < world_n_clients(w); i++)
			clients += tt_stack_counter(world_client(w, i), c);
		if (team || clients) {
			fprintf(f, "  stack %-22s team %" PRIu64 ", clients %"
				PRIu64 "\n", name, team, clients);
			any = 1;
		}
	}
	if (!any)
		fprintf(f, "  stacks: none\n");
}

int report_summary(FILE *f, struct world *w, const struct traffic *t,
		   double fail_ms, double restore_ms, unsigned int fail_card,
		   double wall_s)
{
	struct tt_host *h = world_host(w);
	const struct tt_glue_stats *gs = tt_glue_stats(world_glue(w));
	const struct bulk_server_stats *ss = traffic_server(t);
	struct report_latency l;
	struct traffic_totals tot;
	const char *why;
	int i, ok;

	traffic_totals(t, &tot);
	report_reload_latency(h, &l);
	fprintf(f, "\nsummary (%.2f ms simulated, of which the host waited "
		"on the cards %.2f ms; %.1f s wall)\n",
		(double)world_cycles(w) / (double)world_cycles_per_ms(w),
		(double)world_host_wait_cycles(w) / (double)world_cycles_per_ms(w),
		wall_s);
	fprintf(f, "connections      %u ok, %u failed, %u unfinished\n",
		tot.ok, tot.failed, tot.running);
	fprintf(f, "bytes            %" PRIu64 " client->team, %" PRIu64
		" team->client\n", tot.up_bytes, tot.down_bytes);
	fprintf(f, "  via card RX engines (payload DMA) %" PRIu64
		", offloads %" PRIu64 " (refused %" PRIu64 "), uploads %"
		PRIu64 "\n", h->st.payload_bytes, h->st.offloads,
		h->st.offload_sw, h->st.uploads);
	if (fail_ms >= 0)
		fprintf(f, "link events      card %u down at %.2f ms, up at "
			"%.2f ms\n", fail_card, fail_ms, restore_ms);
	fprintf(f, "reloads          %" PRIu64 " (block 414: %" PRIu64
		", moved on link fault: %" PRIu64 ", rebuilt from shadow: %"
		PRIu64 ", left in software: %" PRIu64 ")\n", h->st.reloads,
		h->st.proc[TT_PROC_RELOADED], h->st.fault_moved,
		h->st.reload_rebuilt, h->st.reload_sw);
	if (l.n)
		fprintf(f, "reload latency   cycles min/median/max %" PRIu64
			"/%" PRIu64 "/%" PRIu64 ", host ns %" PRIu64 "/%" PRIu64
			"/%" PRIu64 " (last %u)\n", l.cycles_min,
			l.cycles_median, l.cycles_max, l.ns_min, l.ns_median,
			l.ns_max, l.n);
	fprintf(f, "procedure       ");
	for (i = 0; i < TT_PROC_N; i++)
		if (h->st.proc[i])
			fprintf(f, " %s %" PRIu64, tt_proc_result_str(i),
				h->st.proc[i]);
	fprintf(f, "\n");
	fprintf(f, "drops by reason\n");
	print_card_drops(f, h);
	print_switch_drops(f, w);
	print_stack_drops(f, w);
	fprintf(f, "  host glue: frames no card took %" PRIu64
		", contexts the stack refused %" PRIu64 "\n", gs->tx_lost,
		gs->resume_fail);
	fprintf(f, "  bulk server: bad header %" PRIu64 ", too long %" PRIu64
		", short %" PRIu64 ", reset %" PRIu64 ", refused %" PRIu64 "\n",
		ss->bad_header, ss->too_long, ss->short_request, ss->reset,
		ss->refused);
	why = traffic_first_failure(t);
	ok = tot.failed == 0 && tot.running == 0 && traffic_done(t);
	if (ok)
		fprintf(f, "integrity        OK (SHA-256 of every byte, both "
			"directions, %u connections)\n", tot.ok);
	else
		fprintf(f, "integrity        FAILED: %s\n",
			why ? why : "connections unfinished");
	return ok;
}
