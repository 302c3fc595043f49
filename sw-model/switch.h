/* SPDX-License-Identifier: MIT */
/*
 * The simulated network: a learning Ethernet switch with one link
 * aggregate (the team's ports), in simulated time.
 *
 * What it does, like a store-and-forward switch with a static LAG:
 *  - learns source MACs into a bounded, aging table; a MAC seen on an
 *    aggregate member is learned as "on the aggregate", not on the member;
 *  - known unicast goes to its port; unknown unicast, broadcast and
 *    multicast are flooded to every other up port, and to the aggregate
 *    once;
 *  - a frame for the aggregate goes to ONE active member (link up) chosen
 *    by a keyed hash of its flow: IPv4 addresses and TCP/UDP ports
 *    (layer3+4, addresses only for fragments and other protocols), MACs
 *    and ethertype for non-IPv4 frames. Both directions of a connection
 *    hash alike. The choice depends only on the flow and the set of
 *    active members, so it holds while that set is stable and changes
 *    when a member's link goes down or comes up (DESIGN §1). The key comes
 *    from the switch's seed; nothing outside sw-model/ sees it, and the
 *    host must never include this header;
 *  - every port has a one-way latency and a loss probability applied to
 *    the frames it sends, an optional line rate, and a bounded output
 *    queue (tail drop). Frames for a port whose link is down are dropped,
 *    never queued. Every drop is counted by reason on its port.
 *
 * Time is the card clock (156.25 MHz cycles). A frame handed in with
 * switch_port_rx() at cycle t is forwarded at once and becomes available
 * to switch_port_tx() of its output port at cycle t + that port's latency
 * (plus its serialization time at the port's line rate, if set); time only
 * advances in switch_step(). Whatever is attached to a port (a card, a
 * simulated client, a TAP device) is moved by a small driver loop of the
 * caller's; sw-model/netsim.h is one for cards.
 *
 * Frames carry no FCS. The switch does not pad: a frame needs only a
 * whole Ethernet header (SWITCH_MIN_FRAME), because the simulated cards
 * send unpadded 54-byte segments. Not thread-safe.
 */
#ifndef TT_MODEL_SWITCH_H
#define TT_MODEL_SWITCH_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"

#define SWITCH_MAX_PORTS   64u
#define SWITCH_MIN_FRAME   14u          /* an Ethernet header */
#define SWITCH_MAX_FRAME   TT_MAX_FRAME /* jumbo frames pass */
#define SWITCH_LOSS_ONE    1000000u     /* loss_ppm of a link that loses all */

#define SWITCH_DEF_FDB_ENTRIES  1024u
/* 300 s, the 802.1D default ageing time, at 156.25 MHz */
#define SWITCH_DEF_FDB_AGE      (300ull * 156250000ull)
#define SWITCH_DEF_QUEUE_FRAMES 256u
#define SWITCH_MAX_QUEUE_FRAMES 65536u

/* switch_fdb_where(): an address learned on the aggregate */
#define SWITCH_ON_LAG      (-2)

/* How the aggregate picks a member among the active ones. */
enum switch_lag_mode {
	/* Highest keyed score of (flow, member) wins ("rendezvous" hashing):
	 * a member going down moves exactly its own flows, and coming back
	 * takes back exactly those. The default. */
	SWITCH_LAG_RESILIENT = 0,
	/* Hash modulo the number of active members, in port order, as Linux
	 * bonding's layer3+4 policy: a change of members may move flows of
	 * every member. */
	SWITCH_LAG_MODULO = 1,
};

/* Drop reasons: X(name, code). Counted on the port named. */
#define SWITCH_DROPS(X)                                                       \
	X(RUNT,         0) /* in: shorter than SWITCH_MIN_FRAME */               \
	X(OVERSIZE,     1) /* in: longer than SWITCH_MAX_FRAME */                \
	X(RX_LINK_DOWN, 2) /* in: handed in on a port whose link is down */      \
	X(FILTERED,     3) /* in: destination is where it came from */           \
	X(LAG_DOWN,     4) /* in: for the aggregate, and no member is up */      \
	X(LINK_DOWN,    5) /* out: port's link down (queued frames too) */       \
	X(QUEUE_FULL,   6) /* out: output queue at its bound (tail drop) */      \
	X(LOSS,         7) /* out: lost on the link (loss_ppm) */                \
	X(NO_MEMORY,    8) /* out: no memory for the copy */

enum switch_drop {
#define SWITCH_E(name, code) SWITCH_DROP_##name = code,
	SWITCH_DROPS(SWITCH_E)
#undef SWITCH_E
	SWITCH_DROP_COUNT
};

struct switch_config {
	unsigned int n_ports;        /* 1..SWITCH_MAX_PORTS */
	uint64_t seed;               /* hash key and loss draws (any value) */
	int lag_mode;                /* enum switch_lag_mode */
	uint32_t fdb_entries;        /* 0: SWITCH_DEF_FDB_ENTRIES */
	uint64_t fdb_age;            /* cycles; 0: SWITCH_DEF_FDB_AGE */
};

/* Per port; all zero is a perfect port with the default queue. */
struct switch_port_config {
	uint64_t latency;            /* cycles, one way, on frames out */
	uint32_t loss_ppm;           /* frames lost per SWITCH_LOSS_ONE */
	uint32_t queue_frames;       /* output queue bound; 0: default */
	uint32_t bytes_per_cycle;    /* line rate out; 0: unlimited */
};

struct switch_port_stats {
	uint64_t rx_frames, rx_bytes; /* handed in (dropped ones too) */
	uint64_t tx_frames, tx_bytes; /* handed out by switch_port_tx() */
	uint64_t flooded;             /* of tx: copies of a flooded frame */
	uint64_t drops[SWITCH_DROP_COUNT];
};

struct switch_stats {
	uint64_t learned;        /* new addresses learned */
	uint64_t moved;          /* addresses seen on another port */
	uint64_t learn_full;     /* addresses not learned: table bucket full */
	uint64_t flushed;        /* addresses forgotten: aggregate changed */
	uint64_t floods;         /* frames flooded */
	uint64_t lag_changes;    /* changes of the set of active members */
};

struct eth_switch;

/* A switch with every link down and no aggregate. Returns NULL and a
 * tt_status in *err (TT_EINVAL for a bad configuration, TT_ENOMEM). */
struct eth_switch *switch_new(const struct switch_config *cfg, int *err);
void switch_free(struct eth_switch *sw);
unsigned int switch_ports(const struct eth_switch *sw);

/* Change a port's link parameters. TT_EINVAL for a bad port or value,
 * TT_EBUSY while frames wait in its output queue and the bound changes. */
int switch_port_configure(struct eth_switch *sw, unsigned int port,
			  const struct switch_port_config *pc);

/* The aggregate's members (n = 0: no aggregate). Addresses learned on the
 * aggregate or on the ports involved are forgotten. TT_EINVAL for a port
 * out of range or listed twice. */
int switch_lag_set(struct eth_switch *sw, const unsigned int *ports,
		   unsigned int n);
int switch_is_lag_member(const struct eth_switch *sw, unsigned int port);
/* Active members (member and link up), in port order, into ports[]
 * (room for SWITCH_MAX_PORTS); returns how many. */
unsigned int switch_lag_active(const struct eth_switch *sw,
			       unsigned int *ports);

/* Link of a port, as the switch sees it. Going down drops what waits in
 * the port's output queue (LINK_DOWN). Addresses learned on the port stay
 * until they age (unlike a switch that flushes them), so that frames for
 * a station behind a down link are counted as dropped (LINK_DOWN on its
 * port, LAG_DOWN on the way in for the aggregate) rather than flooded. */
int switch_set_link(struct eth_switch *sw, unsigned int port, int up);
int switch_link(const struct eth_switch *sw, unsigned int port);

/* A frame from the device on `port` into the switch. TT_OK when taken,
 * also when the switch then dropped it (counted on the port: a sender on
 * a wire cannot tell); TT_EINVAL for a port out of range or a NULL
 * frame. */
int switch_port_rx(struct eth_switch *sw, unsigned int port,
		   const uint8_t *frame, size_t len);
/* The next frame `port` sends to its device, if due by now: TT_OK with
 * the frame in buf and its length in *len; TT_EAGAIN if none is due;
 * TT_ETOOBIG if cap is too small (*len says how much is needed, the frame
 * stays); TT_EINVAL for a port out of range. */
int switch_port_tx(struct eth_switch *sw, unsigned int port, uint8_t *buf,
		   size_t cap, size_t *len);
/* Frames waiting in (or on the way to) the port's output, due or not. */
size_t switch_port_queued(const struct eth_switch *sw, unsigned int port);

void switch_step(struct eth_switch *sw, uint64_t cycles);
uint64_t switch_cycles(const struct eth_switch *sw);

int switch_port_stats(const struct eth_switch *sw, unsigned int port,
		      struct switch_port_stats *st);
void switch_stats(const struct eth_switch *sw, struct switch_stats *st);
const char *switch_drop_str(int reason); /* "QUEUE_FULL", or "?" */

/* For scenarios and tests, never for the host: the member the aggregate
 * would send this frame to right now (a port number), TT_ENOTFOUND if no
 * member is up or there is no aggregate, TT_EINVAL for a runt. */
int switch_lag_member_for(const struct eth_switch *sw, const uint8_t *frame,
			  size_t len);
/* Where mac is learned now: a port, SWITCH_ON_LAG, or -1. */
int switch_fdb_where(const struct eth_switch *sw, const uint8_t mac[6]);
/* Live entries of the learning table. */
unsigned int switch_fdb_count(const struct eth_switch *sw);

#endif
