/* SPDX-License-Identifier: MIT */
/*
 * teamtoe-demo: a team of cards behind the simulated switch, many TCP
 * connections through it with an end-to-end SHA-256 check, a link that
 * fails mid-transfer and comes back, and what the host did about it: the
 * reloads with their latency, every drop by reason, a pcap per switch
 * port and a timeline plot (throughput per link, link events, reloads).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "plot.h"
#include "report.h"
#include "teamtoe/err.h"
#include "traffic.h"
#include "world.h"

struct demo_opts {
	const char *dtb, *backend, *out;
	unsigned int conns, clients, fail_card, idle;
	uint64_t up_total, down_total;
	double fail_at;               /* fraction of the first wave's bytes */
	double down_ms;               /* how long the link stays down */
	uint64_t max_ms, sample_us, progress_ms, seed;
	int concurrent, no_fault, quiet;
};

struct demo {
	struct demo_opts o;
	struct world *w;
	struct traffic *t;
	struct plot plot;
	int series[TT_TEAM_MAX_CARDS];
	uint64_t last_bytes[TT_TEAM_MAX_CARDS];
	uint64_t last_reloads;
	double last_sample_ms;
	double fail_ms, restore_ms;   /* < 0: not yet */
	int released;                 /* the idle connections started */
	struct timespec t0;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: teamtoe-demo [options]\n"
"Every connection opens at the start; the idle ones send nothing until the\n"
"failed link is back (a pool of open connections), the others transfer\n"
"at once. A link fails when a fraction of the first wave's bytes arrived.\n"
"  --dtb FILE        team device tree (default build/dts/team-2rtl.dtb)\n"
"  --model           model cards instead of the tree's backend (RTL)\n"
"  --backend NAME    every card on backend NAME (rtl or model)\n"
"  --conns N         connections (default 64)\n"
"  --idle N          of which idle until the link is back (default half)\n"
"  --clients N       simulated client hosts (default 8)\n"
"  --up BYTES        total client -> team bytes (default 8388608)\n"
"  --down BYTES      total team -> client bytes (default 8388608)\n"
"  --concurrent      the team answers while it receives (the default)\n"
"  --after-request   the team answers once the whole request is in\n"
"  --fail-card N     the card whose link fails (default 1)\n"
"  --fail-at F       fail when a fraction F of the first wave's bytes\n"
"                    arrived (default 0.3)\n"
"  --down-ms MS      simulated ms until the link is back (default 2)\n"
"  --no-fault        no link failure\n"
"  --max-ms MS       simulated time limit (default 2000)\n"
"  --sample-us US    timeline resolution (default 50)\n"
"  --seed N          switch hash, keys, streams (default 1)\n"
"  --out DIR         output directory (default build/demo)\n"
"  --quiet           no progress lines\n");
}

static int parse_opts(struct demo_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dtb", 1, 0, 'd' }, { "model", 0, 0, 'm' },
		{ "backend", 1, 0, 'b' }, { "conns", 1, 0, 'n' },
		{ "clients", 1, 0, 'c' }, { "up", 1, 0, 'u' },
		{ "down", 1, 0, 'D' }, { "concurrent", 0, 0, 'C' },
		{ "after-request", 0, 0, 'A' },
		{ "fail-card", 1, 0, 'f' }, { "fail-at", 1, 0, 'F' },
		{ "down-ms", 1, 0, 'R' }, { "idle", 1, 0, 'i' }, { "no-fault", 0, 0, 'N' },
		{ "max-ms", 1, 0, 'M' }, { "sample-us", 1, 0, 'S' },
		{ "seed", 1, 0, 's' }, { "out", 1, 0, 'o' },
		{ "quiet", 0, 0, 'q' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;

	*o = (struct demo_opts){
		.dtb = "build/dts/team-2rtl.dtb", .out = "build/demo",
		.conns = 64, .clients = 8, .fail_card = 1,
		.up_total = 8u << 20, .down_total = 8u << 20,
		.idle = ~0u, .fail_at = 0.3, .down_ms = 2, .max_ms = 2000,
		.sample_us = 50, .progress_ms = 2, .seed = 1, .concurrent = 1,
	};
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->dtb = optarg; break;
		case 'm': o->backend = "model"; break;
		case 'b': o->backend = optarg; break;
		case 'n': o->conns = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c': o->clients = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'u': o->up_total = strtoull(optarg, NULL, 0); break;
		case 'D': o->down_total = strtoull(optarg, NULL, 0); break;
		case 'C': o->concurrent = 1; break;
		case 'A': o->concurrent = 0; break;
		case 'f': o->fail_card = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'F': o->fail_at = strtod(optarg, NULL); break;
		case 'R': o->down_ms = strtod(optarg, NULL); break;
		case 'i': o->idle = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'N': o->no_fault = 1; break;
		case 'M': o->max_ms = strtoull(optarg, NULL, 0); break;
		case 'S': o->sample_us = strtoull(optarg, NULL, 0); break;
		case 's': o->seed = strtoull(optarg, NULL, 0); break;
		case 'o': o->out = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc || !o->conns || !o->clients || !o->sample_us ||
	    o->clients > WORLD_MAX_CLIENTS || o->fail_at < 0 ||
	    o->fail_at > 1 || o->down_ms < 0) {
		fprintf(stderr, "teamtoe-demo: bad arguments (--help)\n");
		return -1;
	}
	if (o->idle == ~0u)
		o->idle = o->conns / 2;
	if (o->idle >= o->conns) {
		fprintf(stderr, "teamtoe-demo: --idle must be below --conns\n");
		return -1;
	}
	return 0;
}

static double elapsed_s(const struct demo *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - d->t0.tv_sec) +
	       (double)(now.tv_nsec - d->t0.tv_nsec) / 1e9;
}

static double sim_ms(const struct demo *d)
{
	return (double)world_cycles(d->w) / (double)world_cycles_per_ms(d->w);
}

/* Bytes on card nid's cable, both directions. */
static uint64_t link_bytes(const struct demo *d, unsigned int nid)
{
	struct world_port_stats ps;

	if (world_port_stats(d->w, nid, &ps) < 0)
		return 0;
	return ps.rx_bytes + ps.tx_bytes;
}

/* One point per link, and a mark for the reloads since the last one.
 * The interval is what the clock really moved: a round may move it
 * further than asked when the host waited on the cards. */
static void sample(struct demo *d)
{
	struct tt_host *h = world_host(d->w);
	double t = sim_ms(d), interval_ms = t - d->last_sample_ms;
	unsigned int i;

	if (interval_ms <= 0)
		return;
	d->last_sample_ms = t;
	for (i = 0; i < world_n_cards(d->w); i++) {
		uint64_t b = link_bytes(d, i);
		double gbps = (double)(b - d->last_bytes[i]) * 8.0 /
			      (interval_ms * 1e6);

		d->last_bytes[i] = b;
		plot_point(&d->plot, d->series[i], t, gbps);
	}
	if (h->rlog.n != d->last_reloads) {
		char label[48];

		snprintf(label, sizeof(label), "%" PRIu64 " reload%s",
			 h->rlog.n - d->last_reloads,
			 h->rlog.n - d->last_reloads == 1 ? "" : "s");
		plot_mark(&d->plot, t, label, 0);
		d->last_reloads = h->rlog.n;
	}
}

static void progress(struct demo *d)
{
	struct tt_host *h = world_host(d->w);
	struct traffic_totals tot;

	traffic_totals(d->t, &tot);
	printf("  t=%7.2f ms  up %9" PRIu64 "  down %9" PRIu64
	       "  conns ok %3u run %3u fail %u  offloaded-now %3u  reloads %4"
	       PRIu64 "  links", sim_ms(d), tot.up_bytes, tot.down_bytes,
	       tot.ok, tot.running, tot.failed, report_offloaded_now(h),
	       h->rlog.n);
	for (unsigned int i = 0; i < world_n_cards(d->w); i++)
		printf(" %s", world_card_link_up(d->w, i) ? "up" : "DOWN");
	printf("  (%.1f s)\n", elapsed_s(d));
	fflush(stdout);
}

static void link_event(struct demo *d, int up)
{
	char label[48];

	world_card_link(d->w, d->o.fail_card, up);
	snprintf(label, sizeof(label), "card %u link %s", d->o.fail_card,
		 up ? "up" : "down");
	plot_mark(&d->plot, sim_ms(d), label, 1);
	if (up)
		d->restore_ms = sim_ms(d);
	else
		d->fail_ms = sim_ms(d);
	if (!d->o.quiet)
		printf("  t=%7.2f ms  %s\n", sim_ms(d), label);
}

static void release_idle(struct demo *d)
{
	unsigned int n = traffic_release(d->t);

	d->released = 1;
	if (!d->o.quiet)
		printf("  t=%7.2f ms  %u idle connections start sending\n",
		       sim_ms(d), n);
}

/* The script: the link fails once the first wave has moved a fraction of
 * its bytes, comes back after down_ms, and then the idle connections
 * start (without a fault: once the first wave is half done). */
static void script(struct demo *d)
{
	unsigned int active = d->o.conns - d->o.idle;
	double wave1 = (double)(d->o.up_total + d->o.down_total) /
		       d->o.conns * active;
	struct traffic_totals tot;
	double moved;

	traffic_totals(d->t, &tot);
	moved = (double)(tot.up_bytes + tot.down_bytes);
	if (d->o.no_fault) {
		if (!d->released && moved >= wave1 / 2)
			release_idle(d);
		return;
	}
	if (d->fail_ms < 0 && moved >= d->o.fail_at * wave1)
		link_event(d, 0);
	else if (d->fail_ms >= 0 && d->restore_ms < 0 &&
		 sim_ms(d) >= d->fail_ms + d->o.down_ms)
		link_event(d, 1);
	else if (d->restore_ms >= 0 && !d->released)
		release_idle(d);
}

static void run(struct demo *d)
{
	uint64_t q = d->o.sample_us * world_cycles_per_ms(d->w) / 1000u;
	double next_progress = 0;

	if (!q)
		q = 1;
	traffic_start(d->t);
	while (!traffic_done(d->t) && sim_ms(d) < (double)d->o.max_ms) {
		world_run(d->w, q);
		sample(d);
		script(d);
		if (!d->o.quiet && sim_ms(d) >= next_progress) {
			progress(d);
			next_progress += (double)d->o.progress_ms;
		}
	}
	/* the last ACKs and FINs, so that the counters settle */
	world_run_ms(d->w, 2);
	if (!d->o.quiet)
		progress(d);
}

static int setup(struct demo *d)
{
	struct world_params wp = { 0 };
	struct traffic_params tp = { 0 };
	char err[512], path[4096];
	unsigned int i;
	int r;

	if (mkdir(d->o.out, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "teamtoe-demo: %s: %s\n", d->o.out,
			strerror(errno));
		return -1;
	}
	wp.dtb = d->o.dtb;
	wp.backend = d->o.backend;
	wp.n_clients = d->o.clients;
	wp.seed = d->o.seed;
	wp.offload_on_establish = 1;
	wp.pcap_dir = d->o.out;
	r = world_new(&d->w, &wp, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "teamtoe-demo: %s\n", err);
		return -1;
	}
	if (d->o.fail_card >= world_n_cards(d->w)) {
		fprintf(stderr, "teamtoe-demo: --fail-card %u: the team has %u "
			"cards\n", d->o.fail_card, world_n_cards(d->w));
		return -1;
	}
	tp.n_conns = d->o.conns;
	tp.up_len = d->o.up_total / d->o.conns;
	tp.down_len = d->o.down_total / d->o.conns;
	tp.concurrent = d->o.concurrent;
	tp.seed = d->o.seed;
	tp.held = d->o.idle;
	r = traffic_new(&d->t, d->w, &tp, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "teamtoe-demo: %s\n", err);
		return -1;
	}
	plot_init(&d->plot, "teamtoe: throughput per member link",
		  "simulated time (ms)", "Gb/s (both directions)");
	for (i = 0; i < world_n_cards(d->w); i++) {
		snprintf(path, sizeof(path), "link %u (card %u)", i, i);
		d->series[i] = plot_series(&d->plot, path);
	}
	d->fail_ms = d->restore_ms = -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct demo d;
	char path[4096];
	int ok;

	memset(&d, 0, sizeof(d));
	if (parse_opts(&d.o, argc, argv) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &d.t0);
	if (setup(&d) < 0) {
		traffic_free(d.t);
		world_free(d.w);
		return 2;
	}
	printf("teamtoe demo: %u %s cards from %s, %u clients, %u connections "
	       "(%u idle at first), %" PRIu64 " bytes up and %" PRIu64
	       " down (%s)\n",
	       world_n_cards(d.w), world_card_backend(d.w, 0),
	       d.o.dtb, d.o.clients, d.o.conns, d.o.idle,
	       d.o.up_total / d.o.conns * d.o.conns,
	       d.o.down_total / d.o.conns * d.o.conns,
	       d.o.concurrent ? "both ways at once" :
				"the answer after the request");
	run(&d);
	snprintf(path, sizeof(path), "%s/timeline.svg", d.o.out);
	if (plot_write_svg(&d.plot, path) < 0)
		fprintf(stderr, "teamtoe-demo: %s: %s\n", path, strerror(errno));
	ok = report_summary(stdout, d.w, d.t, d.fail_ms, d.restore_ms,
			    d.o.fail_card, elapsed_s(&d));
	printf("outputs          %s/port<N>.pcap (ports 0-%u cards, %u-%u "
	       "clients), %s\n", d.o.out, world_n_cards(d.w) - 1,
	       world_n_cards(d.w), world_n_cards(d.w) + d.o.clients - 1, path);
	plot_free(&d.plot);
	traffic_free(d.t);
	world_free(d.w);
	return ok ? 0 : 1;
}
