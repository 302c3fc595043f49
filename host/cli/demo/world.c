/* SPDX-License-Identifier: MIT */
/* The simulated world of the demo and the scenario tests (world.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netsim.h"
#include "switch.h"
#include "tap_port.h"
#include "teamtoe/err.h"
#include "teamtoe/faults.h"
#include "teamtoe/pcap_io.h"
#include "world.h"

struct world_client {
	struct world *w;
	unsigned int idx, port;
	struct tt_stack *s;
};

struct world_app {
	void (*poll)(void *arg);
	void *arg;
};

struct world {
	struct world_params p;
	struct tt_team_config cfg;
	struct tt_host *h;
	struct tt_glue *g;
	struct eth_switch *sw;
	struct netsim *ns;
	unsigned int n_cards, n_clients, n_ports, tap_port;
	struct world_client *cl;
	/* pcap of the ports netsim does not capture (clients, TAP) */
	struct tt_pcap_writer *pcap[SWITCH_MAX_PORTS];
	struct tap_port *tap;
	struct world_app app[WORLD_MAX_APPS];
	unsigned int n_apps;
	uint64_t last_ms;            /* ms at which the timers last ran */
	uint64_t card_base[TT_TEAM_MAX_CARDS]; /* card cycles at switch 0 */
	uint64_t host_wait;          /* cycles the clock caught up */
	/* keys the host and the stacks were given (they may keep pointers) */
	uint32_t hash_key[4];
	struct tt_sipkey rec_key;
	struct tt_sipkey *client_key;
	uint8_t *buf;
};

static uint64_t world_clock(void *arg);
static uint64_t client_clock(void *arg);
static int client_output(void *arg, const uint8_t *frame, size_t len,
			 const struct tt_tuple *t);
static void world_round(struct world *w, uint64_t cycles);

/* splitmix64: keys and seeds derived from the world's seed, so that a run
 * replays exactly. */
static uint64_t mix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void world_stack_defaults(struct tt_stack_params *p, uint32_t max_conns)
{
	tt_stack_params_default(p);
	p->max_conns = max_conns;
	p->sndbuf = p->rcvbuf = 256u * 1024u;
	/* Round trips of microseconds: the host's 200 ms floor would stall
	 * a recovery for 30 million cycles. */
	p->rto_init_ms = 20;
	p->rto_min_ms = 5;
	p->delack_ms = 1;
	p->time_wait_ms = 20;
	/* a client opening many connections at once sends as many SYNs
	 * before the team's MAC is known */
	p->arp_queue = 64;
}

static uint64_t world_clock(void *arg)
{
	const struct world *w = arg;

	return world_now_ms(w);
}

static uint64_t client_clock(void *arg)
{
	const struct world_client *c = arg;

	return world_now_ms(c->w);
}

/* The switch is made after the host and its stack, which read the
 * clock as they start: time 0 until then. */
uint64_t world_cycles(const struct world *w)
{
	return w->sw ? switch_cycles(w->sw) : 0;
}

uint64_t world_now_ms(const struct world *w)
{
	return world_cycles(w) / w->p.cycles_per_ms;
}

uint64_t world_cycles_per_ms(const struct world *w)
{
	return w->p.cycles_per_ms;
}

static void capture(struct world *w, unsigned int port, const uint8_t *f,
		    size_t len)
{
	if (w->pcap[port])
		tt_pcap_write(w->pcap[port], switch_cycles(w->sw), f, len);
}

static int client_output(void *arg, const uint8_t *frame, size_t len,
			 const struct tt_tuple *t)
{
	struct world_client *c = arg;

	(void)t;
	capture(c->w, c->port, frame, len);
	/* taken even when the switch drops it: a sender on a wire cannot
	 * tell (the switch counts it) */
	return switch_port_rx(c->w->sw, c->port, frame, len) == TT_OK ? 0 : -1;
}

static int world_load_team(struct world *w, char *err, size_t errlen)
{
	unsigned int i;
	int r;

	if (!w->p.dtb)
		return tt_errf(err, errlen, TT_EINVAL, "world: no device tree");
	r = tt_team_config_load(w->p.dtb, &w->cfg, err, errlen);
	if (r < 0)
		return r;
	for (i = 0; i < w->cfg.n_cards; i++) {
		struct tt_card_config *cc = &w->cfg.cards[i];

		if (w->p.backend) {
			if (strlen(w->p.backend) >= sizeof(cc->backend))
				return tt_errf(err, errlen, TT_EINVAL,
					       "world: backend name too long");
			strcpy(cc->backend, w->p.backend);
		}
		if (w->p.conn_slots)
			cc->conn_slots = w->p.conn_slots;
	}
	if (w->p.dos_threshold_pps)
		w->cfg.dos_threshold_pps = w->p.dos_threshold_pps;
	return 0;
}

static int world_open_host(struct world *w, uint64_t *seed, char *err,
			   size_t errlen)
{
	struct tt_stack_params sp;
	struct tt_glue_params gp;
	struct tt_host_params hp;
	unsigned int k;
	int r;

	for (k = 0; k < 4; k++)
		w->hash_key[k] = (uint32_t)mix64(seed);
	w->rec_key.k0 = mix64(seed);
	w->rec_key.k1 = mix64(seed);
	memset(&hp, 0, sizeof(hp));
	hp.hash_key = w->hash_key;
	hp.rec_key = &w->rec_key;
	hp.ops.now_ms = world_clock;
	hp.ops.arg = w;
	r = tt_host_new(&w->h, &w->cfg, &hp, err, errlen);
	if (r < 0)
		return r;
	w->n_cards = w->h->n_cards;
	if (w->p.age_ms) {
		/* the wheel is empty and at time 0: any tick is consistent */
		w->h->aging->p.tick_ms = 1;
		for (k = 0; k < TT_AGE_N_STATES; k++)
			w->h->aging->p.timeout_ms[k] = w->p.age_ms;
	}
	if (w->p.team_stack)
		sp = *w->p.team_stack;
	else
		world_stack_defaults(&sp, 4096);
	sp.key = &w->rec_key;
	memset(&gp, 0, sizeof(gp));
	gp.stack = &sp;
	gp.offload_on_establish = w->p.offload_on_establish;
	return tt_glue_attach(&w->g, w->h, &gp, err, errlen);
}

static int world_open_net(struct world *w, uint64_t *seed, char *err,
			  size_t errlen)
{
	struct switch_port_config pc;
	struct switch_config sc;
	unsigned int lag[TT_TEAM_MAX_CARDS], i;
	int r = 0;

	w->n_ports = w->n_cards + w->n_clients + 1; /* + the TAP uplink */
	w->tap_port = w->n_ports - 1;
	if (w->n_ports > SWITCH_MAX_PORTS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "world: %u cards and %u clients need %u switch "
			       "ports (at most %u)", w->n_cards, w->n_clients,
			       w->n_ports, SWITCH_MAX_PORTS);
	memset(&sc, 0, sizeof(sc));
	sc.n_ports = w->n_ports;
	sc.seed = mix64(seed);
	w->sw = switch_new(&sc, &r);
	if (!w->sw)
		return tt_errf(err, errlen, r, "world: switch: %s",
			       tt_status_str(r));
	memset(&pc, 0, sizeof(pc));
	pc.latency = w->p.latency;
	pc.loss_ppm = w->p.loss_ppm;
	pc.queue_frames = w->p.queue_frames;
	pc.bytes_per_cycle = w->p.line_rate;
	for (i = 0; i < w->n_ports; i++) {
		r = switch_port_configure(w->sw, i, &pc);
		if (r < 0)
			return tt_errf(err, errlen, r, "world: port %u: %s", i,
				       tt_status_str(r));
	}
	for (i = 0; i < w->n_cards; i++)
		lag[i] = i;
	r = switch_lag_set(w->sw, lag, w->n_cards);
	if (r < 0)
		return tt_errf(err, errlen, r, "world: aggregate: %s",
			       tt_status_str(r));
	w->ns = netsim_new(w->sw, &r);
	if (!w->ns)
		return tt_errf(err, errlen, r, "world: netsim: %s",
			       tt_status_str(r));
	netsim_set_quantum(w->ns, w->p.quantum);
	for (i = 0; i < w->n_cards; i++) {
		w->card_base[i] = tt_card_cycles(tt_host_card(w->h, i));
		r = netsim_attach_card(w->ns, i, tt_host_card(w->h, i));
		if (r < 0)
			return tt_errf(err, errlen, r, "world: card %u: %s", i,
				       tt_status_str(r));
	}
	return 0;
}

static int world_open_clients(struct world *w, uint64_t *seed, char *err,
			      size_t errlen)
{
	unsigned int i, n = w->n_clients ? w->n_clients : 1;
	int r;

	w->cl = calloc(n, sizeof(*w->cl));
	w->client_key = calloc(n, sizeof(*w->client_key));
	if (!w->cl || !w->client_key)
		return tt_errf(err, errlen, TT_ENOMEM, "world: out of memory");
	for (i = 0; i < w->n_clients; i++) {
		struct world_client *c = &w->cl[i];
		struct tt_stack_params sp;

		c->w = w;
		c->idx = i;
		c->port = w->n_cards + i;
		if (w->p.client_stack)
			sp = *w->p.client_stack;
		else
			world_stack_defaults(&sp, 256);
		w->client_key[i].k0 = mix64(seed);
		w->client_key[i].k1 = mix64(seed);
		sp.key = &w->client_key[i];
		sp.mac[0] = 0x02; sp.mac[1] = 0x00; sp.mac[2] = 0xc6;
		sp.mac[3] = 0x12; sp.mac[4] = 0x01; sp.mac[5] = (uint8_t)(i + 1);
		sp.ipv4 = world_client_ip(i);
		sp.output = client_output;
		sp.now_ms = client_clock;
		sp.notify = NULL;
		sp.arg = c;
		r = tt_stack_new(&c->s, &sp, err, errlen);
		if (r < 0)
			return r;
		r = switch_set_link(w->sw, c->port, 1);
		if (r < 0)
			return tt_errf(err, errlen, r, "world: client port: %s",
				       tt_status_str(r));
	}
	return 0;
}

static int world_open_pcaps(struct world *w, char *err, size_t errlen)
{
	char path[4096];
	unsigned int i;
	int r;

	if (!w->p.pcap_dir)
		return 0;
	for (i = 0; i < w->n_cards + w->n_clients; i++) {
		snprintf(path, sizeof(path), "%s/port%u.pcap", w->p.pcap_dir, i);
		if (i < w->n_cards)
			r = netsim_pcap(w->ns, i, path, err, errlen);
		else
			r = tt_pcap_writer_open(&w->pcap[i], path, err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

int world_new(struct world **wp, const struct world_params *p, char *err,
	      size_t errlen)
{
	struct world *w;
	uint64_t seed;
	int r;

	*wp = NULL;
	if (!p || p->n_clients > WORLD_MAX_CLIENTS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "world: at most %u clients", WORLD_MAX_CLIENTS);
	w = calloc(1, sizeof(*w));
	if (!w || !(w->buf = malloc(SWITCH_MAX_FRAME))) {
		free(w);
		return tt_errf(err, errlen, TT_ENOMEM, "world: out of memory");
	}
	w->p = *p;
	if (!w->p.cycles_per_ms)
		w->p.cycles_per_ms = WORLD_DEF_CYCLES_MS;
	if (!w->p.quantum)
		w->p.quantum = WORLD_DEF_QUANTUM;
	if (!w->p.latency)
		w->p.latency = WORLD_DEF_LATENCY;
	if (!w->p.line_rate)
		w->p.line_rate = WORLD_DEF_LINE_RATE;
	if (!w->p.queue_frames)
		w->p.queue_frames = WORLD_DEF_QUEUE;
	w->n_clients = p->n_clients;
	seed = p->seed;
	r = world_load_team(w, err, errlen);
	if (r >= 0)
		r = world_open_host(w, &seed, err, errlen);
	if (r >= 0)
		r = world_open_net(w, &seed, err, errlen);
	if (r >= 0)
		r = world_open_clients(w, &seed, err, errlen);
	if (r >= 0)
		r = world_open_pcaps(w, err, errlen);
	if (r < 0) {
		world_free(w);
		return r;
	}
	*wp = w;
	return 0;
}

void world_free(struct world *w)
{
	unsigned int i;

	if (!w)
		return;
	netsim_free(w->ns);
	tap_port_close(w->tap);
	for (i = 0; i < SWITCH_MAX_PORTS; i++)
		tt_pcap_writer_close(w->pcap[i]);
	if (w->cl)
		for (i = 0; i < w->n_clients; i++)
			tt_stack_free(w->cl[i].s);
	free(w->cl);
	free(w->client_key);
	switch_free(w->sw);
	tt_glue_detach(w->g);
	tt_host_free(w->h);
	free(w->buf);
	free(w);
}

static void world_clients_rx(struct world *w)
{
	unsigned int i;
	size_t len;

	for (i = 0; i < w->n_clients; i++) {
		struct world_client *c = &w->cl[i];

		while (switch_port_tx(w->sw, c->port, w->buf, SWITCH_MAX_FRAME,
				      &len) == TT_OK) {
			capture(w, c->port, w->buf, len);
			tt_stack_input(c->s, w->buf, len);
		}
	}
}

static void world_timers(struct world *w)
{
	uint64_t now = world_now_ms(w);
	unsigned int i;

	if (now == w->last_ms)
		return;
	w->last_ms = now;
	tt_stack_timer(tt_glue_stack(w->g));
	for (i = 0; i < w->n_clients; i++)
		tt_stack_timer(w->cl[i].s);
}

/* The host steps the live cards on its own while it waits (a context
 * command, room in a host-TX queue): that time passed for everyone, so
 * the switch, and with it the clients' clock, catches up with the cards.
 * Without it a burst sent while the host waited would seem to leave in
 * no time at all. */
static void world_catch_up(struct world *w)
{
	uint64_t now = switch_cycles(w->sw), ahead = 0;
	unsigned int i;

	for (i = 0; i < w->n_cards; i++) {
		uint64_t c;

		if (w->h->cards[i].dead)
			continue;
		c = tt_card_cycles(tt_host_card(w->h, i)) - w->card_base[i];
		if (c > now && c - now > ahead)
			ahead = c - now;
	}
	if (ahead) {
		switch_step(w->sw, ahead);
		w->host_wait += ahead;
	}
}

static void world_round(struct world *w, uint64_t cycles)
{
	unsigned int i;

	netsim_step(w->ns, cycles);
	tt_host_poll(w->h, 0);
	world_clients_rx(w);
	if (w->tap)
		tap_port_pump(w->tap, w->sw, w->tap_port);
	world_timers(w);
	for (i = 0; i < w->n_apps; i++)
		w->app[i].poll(w->app[i].arg);
	world_catch_up(w);
}

uint64_t world_host_wait_cycles(const struct world *w)
{
	return w->host_wait;
}

void world_run(struct world *w, uint64_t cycles)
{
	while (cycles) {
		uint64_t q = cycles < w->p.quantum ? cycles : w->p.quantum;

		world_round(w, q);
		cycles -= q;
	}
}

void world_run_ms(struct world *w, uint64_t ms)
{
	world_run(w, ms * w->p.cycles_per_ms);
}

int world_add_app(struct world *w, void (*poll)(void *arg), void *arg)
{
	if (w->n_apps == WORLD_MAX_APPS || !poll)
		return TT_EFULL;
	w->app[w->n_apps].poll = poll;
	w->app[w->n_apps].arg = arg;
	w->n_apps++;
	return 0;
}

struct tt_host *world_host(struct world *w) { return w->h; }
struct tt_glue *world_glue(struct world *w) { return w->g; }
struct tt_stack *world_team_stack(struct world *w) { return tt_glue_stack(w->g); }
unsigned int world_n_cards(const struct world *w) { return w->n_cards; }
unsigned int world_n_clients(const struct world *w) { return w->n_clients; }
unsigned int world_n_ports(const struct world *w) { return w->n_ports; }
uint32_t world_team_ip(const struct world *w) { return w->cfg.ipv4; }
uint32_t world_client_ip(unsigned int i) { return WORLD_CLIENT_NET + i + 1; }

const char *world_card_backend(struct world *w, unsigned int nid)
{
	struct tt_card *c = tt_host_card(w->h, nid);

	return c ? tt_card_backend(c) : "?";
}

struct tt_stack *world_client(struct world *w, unsigned int i)
{
	return i < w->n_clients ? w->cl[i].s : NULL;
}

int world_card_link(struct world *w, unsigned int nid, int up)
{
	if (nid >= w->n_cards)
		return TT_EINVAL;
	return netsim_set_link(w->ns, nid, up);
}

int world_card_link_up(const struct world *w, unsigned int nid)
{
	return nid < w->n_cards && switch_link(w->sw, nid);
}

int world_card_dead(struct world *w, unsigned int nid)
{
	int r;

	if (nid >= w->n_cards)
		return TT_EINVAL;
	/* the host stops reading it first: its LINK event is never seen */
	r = tt_faults_card_failed(w->h, nid);
	if (r < 0)
		return r;
	return switch_set_link(w->sw, nid, 0);
}

int world_client_inject(struct world *w, unsigned int i, const uint8_t *f,
			size_t len)
{
	if (i >= w->n_clients)
		return TT_EINVAL;
	capture(w, w->cl[i].port, f, len);
	return switch_port_rx(w->sw, w->cl[i].port, f, len);
}

int world_port_stats(const struct world *w, unsigned int port,
		     struct world_port_stats *st)
{
	struct switch_port_stats ps;
	unsigned int i;
	int r = switch_port_stats(w->sw, port, &ps);

	if (r < 0)
		return r;
	memset(st, 0, sizeof(*st));
	st->rx_frames = ps.rx_frames;
	st->rx_bytes = ps.rx_bytes;
	st->tx_frames = ps.tx_frames;
	st->tx_bytes = ps.tx_bytes;
	for (i = 0; i < SWITCH_DROP_COUNT && i < 16; i++)
		st->drops[i] = ps.drops[i];
	return 0;
}

unsigned int world_switch_drop_reasons(void)
{
	return SWITCH_DROP_COUNT;
}

const char *world_switch_drop_str(int reason)
{
	return switch_drop_str(reason);
}

int world_port_loss(struct world *w, unsigned int port, uint32_t loss_ppm)
{
	struct switch_port_config pc;

	if (port >= w->n_ports || loss_ppm > SWITCH_LOSS_ONE)
		return TT_EINVAL;
	memset(&pc, 0, sizeof(pc));
	pc.latency = w->p.latency;
	pc.loss_ppm = loss_ppm;
	pc.queue_frames = w->p.queue_frames;
	pc.bytes_per_cycle = w->p.line_rate;
	return switch_port_configure(w->sw, port, &pc);
}

uint64_t world_lag_changes(const struct world *w)
{
	struct switch_stats st;

	switch_stats(w->sw, &st);
	return st.lag_changes;
}

int world_tap_enter(char *err, size_t errlen)
{
	return tap_netns_enter(err, errlen);
}

int world_tap_attach(struct world *w, const char *ifname, uint32_t ipv4,
		     unsigned int prefix_len, char *err, size_t errlen)
{
	int r;

	if (w->tap)
		return tt_errf(err, errlen, TT_EEXIST, "world: TAP attached");
	r = tap_port_open(&w->tap, ifname, ipv4, prefix_len, err, errlen);
	if (r < 0)
		return r;
	r = switch_set_link(w->sw, w->tap_port, 1);
	if (r < 0)
		return tt_errf(err, errlen, r, "world: TAP port: %s",
			       tt_status_str(r));
	return 0;
}

int world_tap_port(const struct world *w)
{
	return w->tap ? (int)w->tap_port : -1;
}

int world_tap_fd(const struct world *w)
{
	return w->tap ? tap_port_fd(w->tap) : -1;
}
