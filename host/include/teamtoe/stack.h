/* SPDX-License-Identifier: MIT */
/*
 * The host's software network stack ("standard processing"): ARP, ICMP
 * echo and TCP (RFC 9293, with RFC 7323 window scaling, RFC 6298
 * retransmission timers, RFC 5681/6582 congestion control and RFC 5961
 * challenge ACKs) for ONE Ethernet MAC and ONE IPv4 address.
 *
 * The object knows nothing of cards. It takes received Ethernet frames
 * (tt_stack_input), hands frames to transmit to an output callback, reads
 * time from a clock callback and runs its timers when told to
 * (tt_stack_timer). So the same code serves as the team's stack on the
 * host (host_glue.h wires it to a struct tt_host), as a simulated client
 * on a simulated network, and as both ends of a unit test.
 *
 * Bounded by construction: the connection pool, the listeners, the
 * send and receive buffers, the ARP cache and its queue are allocated in
 * tt_stack_new() and never grow; nothing is allocated per packet. Every
 * frame or segment the stack drops is counted under a reason
 * (TT_STACK_COUNTERS below, read with tt_stack_counter()).
 *
 * Addressing: every peer is on the link (no gateway). A reply (ARP, ICMP,
 * RST) goes to the Ethernet source of what it answers; a connection
 * learns its peer's MAC from the peer's SYN, or from ARP when it is the
 * one that connects.
 *
 * The application API on top of this object is in api.h; the hooks that
 * let a card take a connection over are in stack_offl.h.
 *
 * Not thread-safe: one thread calls everything.
 */
#ifndef TEAMTOE_STACK_H
#define TEAMTOE_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/ctx.h"
#include "teamtoe/records.h"
#include "teamtoe/siphash.h"

/* Defaults taken when a parameter is 0. */
#define TT_STACK_DEF_MAX_CONNS      64u
#define TT_STACK_DEF_MAX_LISTENERS  8u
#define TT_STACK_DEF_BUF            65536u  /* send and receive buffers */
#define TT_STACK_DEF_MSS            1460u   /* Ethernet MTU 1500 */
#define TT_STACK_DEF_ARP_ENTRIES    32u
#define TT_STACK_DEF_ARP_QUEUE      8u      /* frames waiting for ARP */
#define TT_STACK_DEF_ARP_TTL_MS     60000u
#define TT_STACK_DEF_RTO_INIT_MS    1000u   /* RFC 6298 (2.1) */
#define TT_STACK_DEF_RTO_MIN_MS     200u    /* see tcp_cc.c */
#define TT_STACK_DEF_RTO_MAX_MS     60000u  /* RFC 6298 (2.5) */
#define TT_STACK_DEF_DELACK_MS      40u     /* RFC 9293: under 0.5 s */
#define TT_STACK_DEF_TIME_WAIT_MS   4000u   /* 2 MSL with a 2 s MSL */
#define TT_STACK_DEF_FIN_WAIT2_MS   60000u
#define TT_STACK_DEF_SYN_RETRIES    5u
#define TT_STACK_DEF_DATA_RETRIES   10u
#define TT_STACK_DEF_CHALLENGE_PER_S 100u   /* RFC 5961 section 7 */

#define TT_STACK_MIN_BUF            4096u
#define TT_STACK_MAX_BUF            (1u << 24)
#define TT_STACK_MIN_MSS            536u    /* RFC 9293 default */
#define TT_STACK_MAX_MSS            8960u   /* 9000-byte jumbo MTU */
#define TT_STACK_MAX_CONNS          60000u
#define TT_STACK_MAX_LISTENERS      256u
#define TT_STACK_OOO_RANGES         8u      /* out-of-order ranges held */

/* Counters: X(name, what it counts). DROP_* are frames or segments the
 * stack discarded, one reason each. */
#define TT_STACK_COUNTERS(X)                                                  \
	X(RX_FRAMES,            "frames given to tt_stack_input")                 \
	X(TX_FRAMES,            "frames handed to the output callback")           \
	X(TX_FAIL,              "frames the output callback refused (lost)")      \
	X(DROP_RUNT,            "shorter than an Ethernet header")                \
	X(DROP_NOT_FOR_US,      "MAC neither ours nor broadcast, or IPv4 not ours") \
	X(DROP_ETHERTYPE,       "neither IPv4 nor ARP")                           \
	X(DROP_IP_HDR,          "IPv4 header malformed or truncated")             \
	X(DROP_IP_CSUM,         "IPv4 header checksum wrong")                     \
	X(DROP_IP_FRAGMENT,     "IPv4 fragment (not reassembled)")                \
	X(DROP_IP_PROTO,        "IPv4 protocol neither ICMP nor TCP")             \
	X(ARP_RX,               "ARP packets received")                           \
	X(ARP_REPLIES,          "ARP replies sent for our address")               \
	X(ARP_REQUESTS,         "ARP requests sent")                              \
	X(ARP_LEARNED,          "ARP cache entries created or refreshed")         \
	X(ARP_EVICTED,          "ARP cache entries evicted for room")             \
	X(DROP_ARP_BAD,         "ARP packet malformed or not Ethernet/IPv4")      \
	X(DROP_ARP_NOT_FOR_US,  "ARP request for another address")                \
	X(DROP_ARP_QUEUE_FULL,  "frame dropped: ARP queue full")                  \
	X(DROP_ARP_UNRESOLVED,  "frame dropped: next hop never answered ARP")     \
	X(ICMP_ECHO_REPLIES,    "ICMP echo replies sent")                         \
	X(DROP_ICMP_CSUM,       "ICMP checksum wrong")                            \
	X(DROP_ICMP_HDR,        "ICMP message truncated")                         \
	X(DROP_ICMP_TYPE,       "ICMP type other than echo request")              \
	X(TCP_RX_SEGS,          "TCP segments received with a good checksum")     \
	X(TCP_TX_SEGS,          "TCP segments sent")                              \
	X(DROP_TCP_HDR,         "TCP header malformed or truncated")              \
	X(DROP_TCP_CSUM,        "TCP checksum wrong")                             \
	X(DROP_TCP_NO_CONN,     "segment of no connection (RST sent unless RST)") \
	X(DROP_TCP_LISTEN,      "segment to a listener that is not a SYN")        \
	X(DROP_TCP_BACKLOG,     "SYN dropped: listener backlog full")             \
	X(DROP_TCP_POOL_FULL,   "SYN dropped: connection pool full")              \
	X(DROP_TCP_HANDSHAKE,   "bad ACK or RST during the handshake")            \
	X(DROP_TCP_SEQ,         "unacceptable sequence number (ACK sent)")        \
	X(DROP_TCP_RST_SEQ,     "RST outside the window")                         \
	X(DROP_TCP_SYN,         "SYN on a synchronized connection")               \
	X(TCP_CHALLENGE_ACKS,   "RFC 5961 challenge ACKs sent")                   \
	X(DROP_TCP_CHALLENGE_LIMIT, "challenge ACK suppressed by the rate limit") \
	X(DROP_TCP_NO_ACK,      "segment without ACK on a synchronized connection") \
	X(DROP_TCP_ACK_UNSENT,  "acknowledges data never sent (ACK sent)")        \
	X(DROP_TCP_ACK_OLD,     "acknowledges data before the window (RFC 5961)") \
	X(DROP_TCP_DUP_DATA,    "data received before (ACK sent)")                \
	X(DROP_TCP_WINDOW,      "data beyond the receive window (trimmed)")       \
	X(DROP_TCP_OOO_FULL,    "out-of-order data beyond the ranges held")       \
	X(DROP_TCP_AFTER_CLOSE, "data after the application closed (RST sent)")   \
	X(DROP_TCP_TEXT_STATE,  "data or FIN after the peer's FIN")               \
	X(TCP_OOO_HELD,         "out-of-order segments held for reassembly")      \
	X(TCP_DUPACKS,          "duplicate ACKs received (RFC 5681)")             \
	X(TCP_RETRANSMITS,      "segments sent again")                            \
	X(TCP_RTO,              "retransmission timeouts")                        \
	X(TCP_FAST_RETRANSMITS, "fast retransmits (three duplicate ACKs)")        \
	X(TCP_PERSIST_PROBES,   "zero-window probes sent")                        \
	X(TCP_DELAYED_ACKS,     "ACKs sent by the delayed-ACK timer")             \
	X(TCP_RST_SENT,         "RST segments sent")                              \
	X(TCP_RST_RX,           "RSTs that reset a connection")                   \
	X(TCP_TIMEOUT_ABORTS,   "connections given up after the retry limit")     \
	X(TCP_TW_RECYCLED,      "TIME-WAIT connections reused for room")          \
	X(TCP_OPENED,           "connections that reached ESTABLISHED")          \
	X(TCP_CLOSED,           "connections that ended normally")                \
	X(TCP_OFFLOADED,        "connections a card took over")                   \
	X(TCP_RESUMED,          "connections resumed from a card's context")      \
	X(DROP_TCP_OFFLOADED,   "segment of a connection a card runs")            \
	X(DROP_OFFL_PAYLOAD,    "offloaded payload with no room or connection")   \
	X(TCP_OFFL_FULL,        "connections taken back: receive buffer filling") \
	X(DROP_OFFL_CTX,        "card context that matches no offloaded connection")

enum tt_stack_counter {
#define TT_E(name, what) TT_SCNT_##name,
	TT_STACK_COUNTERS(TT_E)
#undef TT_E
	TT_SCNT_N
};

struct tt_stack_params {
	uint8_t mac[6];
	uint32_t ipv4;                /* a.b.c.d = a<<24 | .. | d */
	uint32_t max_conns;           /* connection pool (TIME-WAIT included) */
	uint32_t max_listeners;
	uint32_t sndbuf, rcvbuf;      /* bytes per connection, powers of two */
	uint16_t mss;                 /* the MSS we announce (MTU - 40) */
	uint32_t arp_entries, arp_queue, arp_ttl_ms;
	uint32_t rto_init_ms, rto_min_ms, rto_max_ms;
	uint32_t delack_ms, time_wait_ms, fin_wait2_ms;
	uint32_t syn_retries, data_retries;
	uint32_t challenge_per_s;     /* RFC 5961 challenge ACKs per second */
	/* Keys the ISN function (RFC 6528) and the connection hash; NULL:
	 * random (getrandom). */
	const struct tt_sipkey *key;

	/* A frame to transmit. t: the connection it belongs to (s* = the
	 * peer), NULL for ARP, ICMP and RSTs of unknown connections. The
	 * frame is only valid during the call. Returns 0, or < 0 when the
	 * frame could not be sent (counted in TX_FAIL; TCP retransmits). */
	int (*output)(void *arg, const uint8_t *frame, size_t len,
		      const struct tt_tuple *t);
	/* Time in ms; NULL: CLOCK_MONOTONIC. */
	uint64_t (*now_ms)(void *arg);
	/* Optional: the ready list (api.h) has become non-empty. */
	void (*notify)(void *arg);
	/* Optional: the initial sequence number of a new connection; NULL:
	 * RFC 6528 (keyed hash of the 4-tuple plus a 4 us clock). Tests use
	 * it to start near 2^32. */
	uint32_t (*isn)(void *arg, const struct tt_tuple *t);
	void *arg;
};

struct tt_stack;

/* Parameters with every default filled in (mac, ipv4 and callbacks
 * zero). */
void tt_stack_params_default(struct tt_stack_params *p);

/* Create a stack. Parameters of 0 take the defaults above; buffer sizes
 * must be powers of two in [TT_STACK_MIN_BUF, TT_STACK_MAX_BUF]. Returns
 * 0, TT_EINVAL (no output callback, IPv4 0, a size out of range; a
 * message in err) or TT_ENOMEM. */
int tt_stack_new(struct tt_stack **s, const struct tt_stack_params *p,
		 char *err, size_t errlen);
void tt_stack_free(struct tt_stack *s);

/* One received Ethernet frame (no FCS). Anything malformed is counted
 * and dropped; replies go out through the output callback before this
 * returns. */
void tt_stack_input(struct tt_stack *s, const uint8_t *frame, size_t len);

/* Run every timer that is due at the clock's current time
 * (retransmission, persist, delayed ACK, TIME-WAIT, ARP retries). Call
 * it at least every few ms, or at tt_stack_next_timer(). */
void tt_stack_timer(struct tt_stack *s);

/* The earliest time (ms, same clock) at which tt_stack_timer() has work;
 * UINT64_MAX when no timer runs. */
uint64_t tt_stack_next_timer(const struct tt_stack *s);

/* The clock, as the stack reads it. */
uint64_t tt_stack_now(const struct tt_stack *s);

/* Counter `c` (enum tt_stack_counter); 0 if out of range. */
uint64_t tt_stack_counter(const struct tt_stack *s, int c);
/* "DROP_TCP_SEQ", or NULL if out of range. */
const char *tt_stack_counter_name(int c);
/* What the counter counts, or NULL. */
const char *tt_stack_counter_what(int c);

/* Connections in use (every state, TIME-WAIT included). */
unsigned int tt_stack_conns(const struct tt_stack *s);

#endif
