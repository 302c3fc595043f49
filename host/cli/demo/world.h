/* SPDX-License-Identifier: MIT */
/*
 * A simulated world for the demo and the scenario tests: a team of cards
 * (a tt_host over the cards of a device tree, with the team's software
 * stack glued on), the link-aggregating switch, and simulated clients,
 * each a tt_stack on its own MAC and IPv4 address, all run in lockstep on
 * one simulated clock.
 *
 * Switch ports, in this order:
 *   0 .. n_cards-1                 the team's cards (NID i on port i),
 *                                  the link aggregate
 *   n_cards .. n_cards+n_clients-1 client i on port n_cards + i
 *   world_tap_port()               the TAP uplink, if one is attached
 *                                  (not captured: tap_port_pump moves
 *                                  its frames; capture on the TAP)
 *
 * Addresses: the team's come from the device tree; client i is
 * 198.18.1.0 + i + 1 (up to 254 clients) with MAC 02:00:c6:12:01:<i+1>.
 *
 * One round of world_run() (a quantum of card cycles):
 *   1. the netsim moves frames between the cards and their ports and
 *      steps the cards and the switch by the quantum;
 *   2. tt_host_poll() drains every card into the seed's procedure and
 *      the team's stack (whose frames leave by the cards at once);
 *   3. each client stack takes the frames due on its port (its own
 *      frames go into the switch as it sends them); a TAP uplink is
 *      pumped both ways;
 *   4. when the clock passes a millisecond, every stack runs its timers;
 *   5. the applications registered with world_add_app() run.
 *   6. the switch's clock catches up with the cards' if the host stepped
 *      them on its own meanwhile (context commands and host-TX waits
 *      are time passing while the host waits).
 * The clock is the switch's: cycles at cycles_per_ms. The host's records
 * (aging, DoS) and every stack read milliseconds of this clock, never
 * the wall clock.
 *
 * The world includes the switch model: it plays the network, not the
 * host, and nothing under host/ that the runtime links uses it.
 * Not thread-safe.
 */
#ifndef TT_DEMO_WORLD_H
#define TT_DEMO_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/host.h"
#include "teamtoe/host_glue.h"
#include "teamtoe/stack.h"

#define WORLD_MAX_CLIENTS     254u
#define WORLD_MAX_APPS        16u
#define WORLD_CLIENT_NET      0xc6120100u /* 198.18.1.0: client i is +i+1 */
/* 156.25 MHz: a 64-bit datapath at 10 Gb/s (DESIGN §5) */
#define WORLD_DEF_CYCLES_MS   156250u
#define WORLD_DEF_QUANTUM     64u     /* cycles per lockstep round */
#define WORLD_DEF_LATENCY     320u    /* cycles one way per port (~2 us) */
#define WORLD_DEF_LINE_RATE   8u      /* bytes per cycle: 10 Gb/s */
#define WORLD_DEF_QUEUE       1024u   /* frames per switch output queue */

struct world_params {
	const char *dtb;             /* the team's device tree (.dtb) */
	/* Every card of the tree on this backend ("rtl" or "model");
	 * NULL: as the tree says. */
	const char *backend;
	uint32_t conn_slots;         /* every card; 0: as the tree says */
	unsigned int n_clients;      /* 0..WORLD_MAX_CLIENTS */
	uint64_t cycles_per_ms;      /* 0: WORLD_DEF_CYCLES_MS */
	uint64_t quantum;            /* 0: WORLD_DEF_QUANTUM */
	uint64_t latency;            /* every port; 0: WORLD_DEF_LATENCY */
	uint32_t line_rate;          /* bytes/cycle out of every port;
					0: WORLD_DEF_LINE_RATE */
	uint32_t queue_frames;       /* 0: WORLD_DEF_QUEUE */
	uint32_t loss_ppm;           /* on every port */
	uint64_t seed;               /* switch hash and loss, keys of the
					stacks and the host (reproducible) */
	int offload_on_establish;    /* the team's stack offers every new
					connection to the cards */
	/* Sizes and timers of the team's stack and of the clients' (mac,
	 * ipv4 and callbacks are the world's); NULL: world defaults (see
	 * world_stack_defaults). */
	const struct tt_stack_params *team_stack;
	const struct tt_stack_params *client_stack;
	/* Simulation knobs: a world lives milliseconds, not the days of the
	 * real timeouts. age_ms: every record state ages after age_ms of
	 * idleness (wheel tick 1 ms); 0: the host's defaults.
	 * dos_threshold_pps: overrides the tree's; 0: as the tree says. */
	uint32_t age_ms;
	uint32_t dos_threshold_pps;
	/* Directory for port<N>.pcap of every port (both directions of
	 * its cable); NULL: no capture. */
	const char *pcap_dir;
};

struct world;

/* Stack parameters for a simulated data centre: tt_stack_params_default()
 * with timers in ms of simulated time scaled to microsecond round trips
 * (RTO from 5 ms, delayed ACK 1 ms, TIME-WAIT 20 ms), max_conns,
 * 256 KiB buffers and room for 64 frames waiting for ARP. */
void world_stack_defaults(struct tt_stack_params *p, uint32_t max_conns);

/* Build the world. Returns 0, or a negative tt_status with a message in
 * err (bad device tree, unknown backend, too many clients, a pcap that
 * cannot be written). */
int world_new(struct world **w, const struct world_params *p, char *err,
	      size_t errlen);
void world_free(struct world *w);

/* Advance the world by `cycles` (rounded up to whole quanta). */
void world_run(struct world *w, uint64_t cycles);
/* Advance by `ms` milliseconds of simulated time. */
void world_run_ms(struct world *w, uint64_t ms);

/* An application polled after every round (its events, its sends). At
 * most WORLD_MAX_APPS; returns 0 or TT_EFULL. */
int world_add_app(struct world *w, void (*poll)(void *arg), void *arg);

/* The parts. */
struct tt_host *world_host(struct world *w);
struct tt_glue *world_glue(struct world *w);
struct tt_stack *world_team_stack(struct world *w);
struct tt_stack *world_client(struct world *w, unsigned int i);
unsigned int world_n_cards(const struct world *w);
/* "rtl" or "model": the backend of card nid. */
const char *world_card_backend(struct world *w, unsigned int nid);
unsigned int world_n_clients(const struct world *w);
uint32_t world_team_ip(const struct world *w);
uint32_t world_client_ip(unsigned int i);

/* Simulated time. */
uint64_t world_cycles(const struct world *w);
/* Of which the host waited on the cards (step 6 above). */
uint64_t world_host_wait_cycles(const struct world *w);
uint64_t world_now_ms(const struct world *w);
uint64_t world_cycles_per_ms(const struct world *w);

/* Pull (up = 0) or plug (1) the cable of card `nid`: the switch and the
 * card see it alike; the host learns it from the card's LINK event.
 * TT_EINVAL for a bad nid. */
int world_card_link(struct world *w, unsigned int nid, int up);
int world_card_link_up(const struct world *w, unsigned int nid);
/* Card `nid` dies: its cable is pulled and the host can no longer read
 * it (tt_faults_card_failed: its offloaded connections are rebuilt from
 * the host's shadow on the survivors). TT_EINVAL for a bad nid. */
int world_card_dead(struct world *w, unsigned int nid);

/* Raw frame from client i's port, as if its stack had sent it (hostile
 * traffic, floods). Returns the switch's status. */
int world_client_inject(struct world *w, unsigned int i, const uint8_t *f,
			size_t len);

/* The switch's counters of port `port`: frames and bytes in and out, and
 * drops by reason (names: world_switch_drop_str). Returns 0 or TT_EINVAL. */
struct world_port_stats {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
	uint64_t drops[16];
};
int world_port_stats(const struct world *w, unsigned int port,
		     struct world_port_stats *st);
unsigned int world_n_ports(const struct world *w);
unsigned int world_switch_drop_reasons(void);
const char *world_switch_drop_str(int reason);
/* Frames out of switch port `port` (to the device on it) are lost with
 * probability loss_ppm / 1,000,000 from now on (the other parameters of
 * the port stay). 0 or a negative tt_status (bad port or value). */
int world_port_loss(struct world *w, unsigned int port, uint32_t loss_ppm);
/* Changes of the aggregate's active members so far. */
uint64_t world_lag_changes(const struct world *w);

/* The TAP uplink: a port whose other end is the Linux kernel in a
 * network namespace of this process's own (sw-model/tap_port.h). Call
 * world_tap_enter() first, before any thread exists, then
 * world_tap_attach() once: it creates TAP device `ifname` with ipv4 /
 * prefix_len (inside 198.18.0.0/15) and pumps it in every round.
 * TT_EUNSUPPORTED (with the reason) where the machine does not allow it:
 * callers skip. world_tap_port() is its switch port, -1 without one. */
int world_tap_enter(char *err, size_t errlen);
int world_tap_attach(struct world *w, const char *ifname, uint32_t ipv4,
		     unsigned int prefix_len, char *err, size_t errlen);
int world_tap_port(const struct world *w);
/* The kernel's file descriptor of the TAP device (poll on it), -1 if
 * none. */
int world_tap_fd(const struct world *w);

#endif
