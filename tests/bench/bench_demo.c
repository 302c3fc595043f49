/* SPDX-License-Identifier: MIT */
/*
 * The demo's numbers for make bench ("key value" lines):
 *
 *   demo.reload_latency_cycles.median, demo.reload_latency_ns.median
 *     the demo's run on two RTL cards (64 connections, half of them idle
 *     and offloaded, a link failing mid-transfer and coming back): the
 *     median of the reloads in the host's log, in card cycles of the
 *     context port and in host time;
 *   demo.mass_failover_ms, demo.mass_failover_conns
 *     the host's time to handle a link failure on a card that runs 16,384
 *     offloaded connections: from the poll that reads the card's LINK
 *     event to every connection exported and imported on the survivor.
 *     Model cards; they are built with 32,768 slots because a 4-way
 *     connection table cannot be filled to the last slot, and the one
 *     card must hold all 16,384 (and the survivor take them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "teamtoe/reload.h"
#include "traffic.h"
#include "world.h"

#define MASS_CONNS 16384u
#define MASS_SLOTS 32768u

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int demo_reloads(const char *build)
{
	struct world_params wp = { 0 };
	struct traffic_params tp = { 0 };
	struct report_latency l;
	struct traffic *t = NULL;
	struct world *w = NULL;
	char dtb[512], err[512];
	int ok;

	snprintf(dtb, sizeof(dtb), "%s/dts/team-2rtl.dtb", build);
	wp.dtb = dtb;
	wp.backend = "rtl";
	wp.n_clients = 8;
	wp.seed = 1;
	wp.offload_on_establish = 1;
	tp.n_conns = 64;
	tp.held = 32;
	tp.up_len = tp.down_len = 32768;
	tp.seed = 1;
	if (world_new(&w, &wp, err, sizeof(err)) < 0 ||
	    traffic_new(&t, w, &tp, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_demo: %s\n", err);
		traffic_free(t);
		world_free(w);
		return -1;
	}
	traffic_start(t);
	world_run_ms(w, 1);
	world_card_link(w, 1, 0);
	world_run_ms(w, 2);
	world_card_link(w, 1, 1);
	world_run_ms(w, 1);
	traffic_release(t);
	ok = traffic_run(t, 1000);
	report_reload_latency(world_host(w), &l);
	if (!ok || !l.n) {
		fprintf(stderr, "bench_demo: the run did not finish or reloaded "
			"nothing\n");
		ok = 0;
	} else {
		printf("demo.reload_latency_cycles.median %" PRIu64 "\n",
		       l.cycles_median);
		printf("demo.reload_latency_ns.median %" PRIu64 "\n",
		       l.ns_median);
		printf("demo.reloads %u\n", l.n);
	}
	traffic_free(t);
	world_free(w);
	return ok ? 0 : -1;
}

static void mass_config(struct tt_team_config *cfg)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->mac, mac, 6);
	cfg->ipv4 = 0xc6120001u;
	cfg->max_conns = 4 * MASS_CONNS;
	cfg->policy = TT_POLICY_FIRST;
	cfg->dos_threshold_pps = TT_TEAM_DEF_DOS_THRESHOLD_PPS;
	cfg->dos_syn_threshold_pps = TT_TEAM_DEF_DOS_SYN_THRESHOLD_PPS;
	cfg->dos_cooldown_ms = TT_TEAM_DEF_DOS_COOLDOWN_MS;
	cfg->n_cards = 2;
	for (unsigned int i = 0; i < 2; i++) {
		cfg->cards[i].id = i;
		strcpy(cfg->cards[i].backend, "model");
		cfg->cards[i].conn_slots = MASS_SLOTS;
		cfg->cards[i].enabled = 1;
		snprintf(cfg->cards[i].path, sizeof(cfg->cards[i].path),
			 "/cards/card@%u", i);
	}
	strcpy(cfg->path, "/team");
}

static void mass_ctx(struct tt_ctx *c, uint32_t k)
{
	memset(c, 0, sizeof(*c));
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	c->state = TT_TCP_ESTABLISHED;
	c->remote_ip = 0xc6120100u + (k >> 14);   /* 198.18.1.x */
	c->local_ip = 0xc6120001u;
	c->remote_port = (uint16_t)(1024 + (k & 0x3fff));
	c->local_port = 5001;
	c->mss = 1460;
	c->peer_mac = 0x020000000002ull;
	c->snd_una = c->snd_nxt = c->snd_max = 1000 + k;
	c->rcv_nxt = 70000 + k;
	c->cwnd = 14600;
	c->ssthresh = 65535;
	c->snd_wnd = c->rcv_wnd = 512;
	c->rto = 200;
}

static int mass_failover(void)
{
	struct tt_team_config cfg;
	struct tt_host_params hp = { 0 };
	struct tt_host *h;
	struct tt_ctx c;
	char err[512];
	uint32_t k;
	double t0, t1;
	uint64_t downs;

	mass_config(&cfg);
	if (tt_host_new(&h, &cfg, &hp, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_demo: %s\n", err);
		return -1;
	}
	/* policy "first": card 0 takes them while it has room */
	for (k = 0; h->cards[0].offloaded < MASS_CONNS && k < 4 * MASS_CONNS; k++) {
		mass_ctx(&c, k);
		tt_offload(h, &c);
	}
	if (h->cards[0].offloaded != MASS_CONNS) {
		fprintf(stderr, "bench_demo: card 0 took %u connections\n",
			h->cards[0].offloaded);
		tt_host_free(h);
		return -1;
	}
	downs = h->st.link_downs;
	tt_card_set_link(tt_host_card(h, 0), 0);
	t0 = now_s();
	while (h->st.link_downs == downs && now_s() - t0 < 10)
		tt_host_poll(h, 1);
	t1 = now_s();
	printf("demo.mass_failover_ms %.3f\n", (t1 - t0) * 1e3);
	printf("demo.mass_failover_conns %u\n", MASS_CONNS);
	printf("demo.mass_failover_moved %" PRIu64 "\n", h->st.fault_moved);
	k = h->st.fault_moved == MASS_CONNS && h->cards[0].offloaded == 0;
	tt_host_free(h);
	if (!k)
		fprintf(stderr, "bench_demo: not every connection moved\n");
	return k ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *build = argc > 1 ? argv[1] : "build";
	int r = 0;

	if (demo_reloads(build) < 0)
		r = 1;
	if (mass_failover() < 0)
		r = 1;
	return r;
}
