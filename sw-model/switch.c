/* SPDX-License-Identifier: MIT */
/*
 * The learning, link-aggregating switch (see switch.h): ports, output
 * queues in simulated time, forwarding and flooding. The learning table is
 * switch_fdb.c, the aggregate's hash switch_hash.c.
 */
#include <stdlib.h>
#include <string.h>

#include "switch.h"
#include "switch_fdb.h"
#include "switch_hash.h"

/* A frame on its way out of a port. */
struct out_frame {
	uint64_t due;       /* cycle from which the device may take it */
	size_t len;
	uint8_t *data;
};

struct sw_port {
	struct switch_port_config cfg;
	int up;
	int lag_member;
	uint64_t rng;            /* this port's loss draws (splitmix64) */
	uint64_t wire_free;      /* cycle the line is free again */
	uint64_t last_due;       /* the queue never reorders */
	struct out_frame *q;     /* ring of cfg.queue_frames */
	size_t q_head, q_count;
	struct switch_port_stats st;
};

struct eth_switch {
	unsigned int n_ports;
	int lag_mode;
	uint64_t now;
	struct tt_sipkey hash_key;
	uint64_t lag_salt;
	struct fdb fdb;
	struct switch_stats st;
	struct sw_port port[SWITCH_MAX_PORTS];
	/* the aggregate's active members, in port order */
	unsigned int active[SWITCH_MAX_PORTS];
	unsigned int n_active;
};

static const char *const drop_names[SWITCH_DROP_COUNT] = {
#define SWITCH_E(name, code) [code] = #name,
	SWITCH_DROPS(SWITCH_E)
#undef SWITCH_E
};

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int is_group_mac(const uint8_t *mac)
{
	return mac[0] & 1u; /* broadcast and multicast */
}

static void drop(struct sw_port *p, int reason)
{
	p->st.drops[reason]++;
}

/* ------------------------------------------------------------ queues */

static int queue_alloc(struct sw_port *p, uint32_t frames)
{
	struct out_frame *q = calloc(frames, sizeof(*q));

	if (!q)
		return TT_ENOMEM;
	free(p->q);
	p->q = q;
	p->cfg.queue_frames = frames;
	p->q_head = p->q_count = 0;
	return TT_OK;
}

static void queue_pop(struct sw_port *p)
{
	free(p->q[p->q_head].data);
	p->q[p->q_head].data = NULL;
	p->q_head = (p->q_head + 1) % p->cfg.queue_frames;
	p->q_count--;
}

/* Drop everything waiting on a port whose link went down. */
static void queue_flush(struct sw_port *p)
{
	while (p->q_count) {
		queue_pop(p);
		drop(p, SWITCH_DROP_LINK_DOWN);
	}
	p->wire_free = 0;
	p->last_due = 0;
}

/* Put a copy of a frame on its way out of port p, now. */
static void port_send(struct eth_switch *sw, struct sw_port *p,
		      const uint8_t *f, size_t len, int flooded)
{
	struct out_frame *o;
	uint64_t start, due;

	if (!p->up) {
		drop(p, SWITCH_DROP_LINK_DOWN);
		return;
	}
	if (p->q_count == p->cfg.queue_frames) {
		drop(p, SWITCH_DROP_QUEUE_FULL);
		return;
	}
	if (p->cfg.loss_ppm &&
	    splitmix64(&p->rng) % SWITCH_LOSS_ONE < p->cfg.loss_ppm) {
		drop(p, SWITCH_DROP_LOSS);
		return;
	}
	o = &p->q[(p->q_head + p->q_count) % p->cfg.queue_frames];
	o->data = malloc(len);
	if (!o->data) {
		drop(p, SWITCH_DROP_NO_MEMORY);
		return;
	}
	memcpy(o->data, f, len);
	o->len = len;
	start = sw->now;
	if (p->cfg.bytes_per_cycle) {
		if (p->wire_free > start)
			start = p->wire_free;
		start += (len + p->cfg.bytes_per_cycle - 1) / p->cfg.bytes_per_cycle;
		p->wire_free = start;
	}
	due = start + p->cfg.latency;
	if (due < p->last_due)
		due = p->last_due;
	o->due = p->last_due = due;
	p->q_count++;
	if (flooded)
		p->st.flooded++;
}

/* ------------------------------------------------------------ aggregate */

static void lag_update_active(struct eth_switch *sw)
{
	unsigned int active[SWITCH_MAX_PORTS];
	unsigned int i, n = 0;

	for (i = 0; i < sw->n_ports; i++)
		if (sw->port[i].lag_member && sw->port[i].up)
			active[n++] = i;
	if (n != sw->n_active ||
	    memcmp(active, sw->active, n * sizeof(*active)) != 0)
		sw->st.lag_changes++;
	memcpy(sw->active, active, n * sizeof(*active));
	sw->n_active = n;
}

/* Send to the aggregate: one active member, by the frame's flow. */
static void lag_send(struct eth_switch *sw, struct sw_port *in,
		     const uint8_t *f, size_t len, int flooded)
{
	uint64_t h;
	unsigned int member;

	if (sw->n_active == 0) {
		if (!flooded)
			drop(in, SWITCH_DROP_LAG_DOWN);
		return;
	}
	h = switch_flow_hash(&sw->hash_key, f, len);
	member = switch_lag_pick(sw->lag_mode, h, sw->lag_salt, sw->active,
				 sw->n_active);
	port_send(sw, &sw->port[member], f, len, flooded);
}

static int have_lag(const struct eth_switch *sw)
{
	unsigned int i;

	for (i = 0; i < sw->n_ports; i++)
		if (sw->port[i].lag_member)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ life */

struct eth_switch *switch_new(const struct switch_config *cfg, int *err)
{
	struct eth_switch *sw;
	uint64_t s;
	unsigned int i;
	int r = TT_EINVAL;

	if (!cfg || cfg->n_ports == 0 || cfg->n_ports > SWITCH_MAX_PORTS ||
	    (cfg->lag_mode != SWITCH_LAG_RESILIENT &&
	     cfg->lag_mode != SWITCH_LAG_MODULO) ||
	    cfg->fdb_entries > (1u << 24))
		goto err_out;
	r = TT_ENOMEM;
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		goto err_out;
	sw->n_ports = cfg->n_ports;
	sw->lag_mode = cfg->lag_mode;
	/* Everything secret or random comes from the seed, in a fixed order,
	 * so that a seed replays a run exactly. */
	s = cfg->seed;
	sw->hash_key.k0 = splitmix64(&s);
	sw->hash_key.k1 = splitmix64(&s);
	sw->lag_salt = splitmix64(&s);
	{
		struct tt_sipkey fdb_key = { splitmix64(&s), splitmix64(&s) };

		if (fdb_init(&sw->fdb, cfg->fdb_entries ? cfg->fdb_entries :
			     SWITCH_DEF_FDB_ENTRIES,
			     cfg->fdb_age ? cfg->fdb_age : SWITCH_DEF_FDB_AGE,
			     &fdb_key) != 0)
			goto err_free;
	}
	for (i = 0; i < sw->n_ports; i++) {
		sw->port[i].rng = splitmix64(&s);
		if (queue_alloc(&sw->port[i], SWITCH_DEF_QUEUE_FRAMES) != TT_OK)
			goto err_ports;
	}
	return sw;

err_ports:
	while (i--)
		free(sw->port[i].q);
	fdb_free(&sw->fdb);
err_free:
	free(sw);
err_out:
	if (err)
		*err = r;
	return NULL;
}

void switch_free(struct eth_switch *sw)
{
	unsigned int i;

	if (!sw)
		return;
	for (i = 0; i < sw->n_ports; i++) {
		while (sw->port[i].q_count)
			queue_pop(&sw->port[i]);
		free(sw->port[i].q);
	}
	fdb_free(&sw->fdb);
	free(sw);
}

unsigned int switch_ports(const struct eth_switch *sw)
{
	return sw->n_ports;
}

int switch_port_configure(struct eth_switch *sw, unsigned int port,
			  const struct switch_port_config *pc)
{
	struct sw_port *p;
	uint32_t frames;

	if (port >= sw->n_ports || !pc || pc->loss_ppm > SWITCH_LOSS_ONE ||
	    pc->queue_frames > SWITCH_MAX_QUEUE_FRAMES)
		return TT_EINVAL;
	p = &sw->port[port];
	frames = pc->queue_frames ? pc->queue_frames : SWITCH_DEF_QUEUE_FRAMES;
	if (frames != p->cfg.queue_frames) {
		int r;

		if (p->q_count)
			return TT_EBUSY;
		r = queue_alloc(p, frames);
		if (r != TT_OK)
			return r;
	}
	p->cfg.latency = pc->latency;
	p->cfg.loss_ppm = pc->loss_ppm;
	p->cfg.bytes_per_cycle = pc->bytes_per_cycle;
	return TT_OK;
}

int switch_lag_set(struct eth_switch *sw, const unsigned int *ports,
		   unsigned int n)
{
	uint8_t want[SWITCH_MAX_PORTS] = { 0 };
	unsigned int i;

	if (n && !ports)
		return TT_EINVAL;
	for (i = 0; i < n; i++) {
		if (ports[i] >= sw->n_ports || want[ports[i]])
			return TT_EINVAL;
		want[ports[i]] = 1;
	}
	sw->st.flushed += fdb_flush_target(&sw->fdb, FDB_TARGET_LAG);
	for (i = 0; i < sw->n_ports; i++) {
		if (sw->port[i].lag_member != want[i])
			sw->st.flushed += fdb_flush_target(&sw->fdb, (uint16_t)i);
		sw->port[i].lag_member = want[i];
	}
	lag_update_active(sw);
	return TT_OK;
}

int switch_is_lag_member(const struct eth_switch *sw, unsigned int port)
{
	return port < sw->n_ports && sw->port[port].lag_member;
}

unsigned int switch_lag_active(const struct eth_switch *sw,
			       unsigned int *ports)
{
	memcpy(ports, sw->active, sw->n_active * sizeof(*ports));
	return sw->n_active;
}

int switch_set_link(struct eth_switch *sw, unsigned int port, int up)
{
	struct sw_port *p;

	if (port >= sw->n_ports)
		return TT_EINVAL;
	p = &sw->port[port];
	up = !!up;
	if (p->up == up)
		return TT_OK;
	p->up = up;
	if (!up)
		queue_flush(p);
	if (p->lag_member)
		lag_update_active(sw);
	return TT_OK;
}

int switch_link(const struct eth_switch *sw, unsigned int port)
{
	return port < sw->n_ports && sw->port[port].up;
}

/* ------------------------------------------------------------ forwarding */

static void learn(struct eth_switch *sw, unsigned int port, const uint8_t *src)
{
	uint16_t target = sw->port[port].lag_member ? FDB_TARGET_LAG :
			  (uint16_t)port;

	if (is_group_mac(src))
		return; /* not a station's address: nothing to learn */
	switch (fdb_learn(&sw->fdb, src, target, sw->now)) {
	case FDB_LEARN_NEW:
		sw->st.learned++;
		break;
	case FDB_LEARN_MOVED:
		sw->st.moved++;
		break;
	case FDB_LEARN_FULL:
		sw->st.learn_full++;
		break;
	default:
		break;
	}
}

/* Every up port but the one it came from; the aggregate once, unless it
 * came from there. */
static void flood(struct eth_switch *sw, unsigned int in, const uint8_t *f,
		  size_t len)
{
	struct sw_port *inp = &sw->port[in];
	unsigned int i;

	sw->st.floods++;
	for (i = 0; i < sw->n_ports; i++) {
		struct sw_port *p = &sw->port[i];

		if (i == in || p->lag_member || !p->up)
			continue;
		port_send(sw, p, f, len, 1);
	}
	if (!inp->lag_member && have_lag(sw))
		lag_send(sw, inp, f, len, 1);
}

int switch_port_rx(struct eth_switch *sw, unsigned int port,
		   const uint8_t *frame, size_t len)
{
	struct sw_port *p;
	int target;

	if (!sw || port >= sw->n_ports || !frame)
		return TT_EINVAL;
	p = &sw->port[port];
	p->st.rx_frames++;
	p->st.rx_bytes += len;
	if (!p->up) {
		drop(p, SWITCH_DROP_RX_LINK_DOWN);
		return TT_OK;
	}
	if (len < SWITCH_MIN_FRAME) {
		drop(p, SWITCH_DROP_RUNT);
		return TT_OK;
	}
	if (len > SWITCH_MAX_FRAME) {
		drop(p, SWITCH_DROP_OVERSIZE);
		return TT_OK;
	}
	learn(sw, port, frame + 6);
	target = is_group_mac(frame) ? -1 :
		 fdb_lookup(&sw->fdb, frame, sw->now);
	if (target < 0) {
		flood(sw, port, frame, len);
	} else if (target == FDB_TARGET_LAG) {
		if (p->lag_member)
			drop(p, SWITCH_DROP_FILTERED);
		else
			lag_send(sw, p, frame, len, 0);
	} else if ((unsigned int)target == port) {
		drop(p, SWITCH_DROP_FILTERED);
	} else {
		port_send(sw, &sw->port[target], frame, len, 0);
	}
	return TT_OK;
}

int switch_port_tx(struct eth_switch *sw, unsigned int port, uint8_t *buf,
		   size_t cap, size_t *len)
{
	struct sw_port *p;
	struct out_frame *o;

	if (!sw || port >= sw->n_ports || !len || (!buf && cap))
		return TT_EINVAL;
	p = &sw->port[port];
	if (!p->q_count)
		return TT_EAGAIN;
	o = &p->q[p->q_head];
	if (o->due > sw->now)
		return TT_EAGAIN;
	*len = o->len;
	if (o->len > cap)
		return TT_ETOOBIG;
	memcpy(buf, o->data, o->len);
	p->st.tx_frames++;
	p->st.tx_bytes += o->len;
	queue_pop(p);
	return TT_OK;
}

size_t switch_port_queued(const struct eth_switch *sw, unsigned int port)
{
	return port < sw->n_ports ? sw->port[port].q_count : 0;
}

void switch_step(struct eth_switch *sw, uint64_t cycles)
{
	sw->now += cycles;
}

uint64_t switch_cycles(const struct eth_switch *sw)
{
	return sw->now;
}

/* ------------------------------------------------------------ inspection */

int switch_port_stats(const struct eth_switch *sw, unsigned int port,
		      struct switch_port_stats *st)
{
	if (port >= sw->n_ports || !st)
		return TT_EINVAL;
	*st = sw->port[port].st;
	return TT_OK;
}

void switch_stats(const struct eth_switch *sw, struct switch_stats *st)
{
	*st = sw->st;
}

const char *switch_drop_str(int reason)
{
	if (reason < 0 || reason >= SWITCH_DROP_COUNT || !drop_names[reason])
		return "?";
	return drop_names[reason];
}

int switch_lag_member_for(const struct eth_switch *sw, const uint8_t *frame,
			  size_t len)
{
	uint64_t h;

	if (!frame || len < SWITCH_MIN_FRAME)
		return TT_EINVAL;
	if (sw->n_active == 0)
		return TT_ENOTFOUND;
	h = switch_flow_hash(&sw->hash_key, frame, len);
	return (int)switch_lag_pick(sw->lag_mode, h, sw->lag_salt, sw->active,
				    sw->n_active);
}

int switch_fdb_where(const struct eth_switch *sw, const uint8_t mac[6])
{
	int t = fdb_lookup(&sw->fdb, mac, sw->now);

	return t == FDB_TARGET_LAG ? SWITCH_ON_LAG : t;
}

unsigned int switch_fdb_count(const struct eth_switch *sw)
{
	return fdb_count(&sw->fdb, sw->now);
}
