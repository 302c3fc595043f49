/* SPDX-License-Identifier: MIT */
/*
 * Inside the software stack: the stack object, the connection block
 * (TCB), listeners, the ARP cache, and the functions the stack's files
 * call in each other. Not for users of the stack (stack.h, api.h,
 * stack_offl.h are).
 *
 * Sequence space of a connection (all serial arithmetic):
 *
 *   iss        our SYN            snd_una   oldest unacknowledged
 *   snd_nxt    next to send       snd_high  highest sent + 1
 *   snd_end    end of the queued data; our FIN, once queued, is at snd_end
 *   irs        the peer's SYN     rcv_nxt   next expected
 *   rcv_read   next byte the application reads
 *   rcv_adv    right edge of the window we advertised
 *
 * Send data byte q lives at sbuf[q & sbuf_mask], receive byte q at
 * rbuf[q & rbuf_mask]: both buffers are rings addressed by sequence
 * number, so a card can ask for (seq, len) and out-of-order data lands
 * where it belongs.
 */
#ifndef TT_STACK_INT_H
#define TT_STACK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/api.h"
#include "teamtoe/stack.h"
#include "teamtoe/stack_offl.h"

#define TS_NIL        (-1)
#define TS_UNLISTED   (-2)  /* rnext of a socket not on the ready list */
#define TS_ETH_HDR    14u
#define TS_IP_HDR     20u
#define TS_TCP_HDR    20u
#define TS_TCP_OPT_MAX 40u
#define TS_FRAME_MAX  (TS_ETH_HDR + TS_IP_HDR + TS_TCP_HDR + TS_TCP_OPT_MAX + \
		       TT_STACK_MAX_MSS)
#define TS_EPHEMERAL_LO 49152u
#define TS_INF        UINT64_MAX  /* a timer that is off */

/* TCP flags byte */
#define TS_FIN 0x01
#define TS_SYN 0x02
#define TS_RST 0x04
#define TS_PSH 0x08
#define TS_ACK 0x10
#define TS_URG 0x20

static inline int ts_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int ts_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline int ts_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline int ts_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
static inline uint32_t ts_min32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static inline uint32_t ts_max32(uint32_t a, uint32_t b) { return a > b ? a : b; }

/* A range of out-of-order data held in the receive ring: [start, end). */
struct ts_range {
	uint32_t start, end;
};

struct ts_tcb {
	uint8_t state;             /* enum tt_sock_state */
	uint8_t in_use;
	uint8_t hashed;            /* findable by tuple (not once CLOSED) */
	uint8_t app_owned;         /* the application holds a handle */
	uint8_t app_closed;        /* tt_close(): nobody reads any more */
	uint8_t passive;           /* opened by a listener */
	uint8_t fin_queued;        /* tt_shutdown/tt_close: FIN at snd_end */
	uint8_t rcv_fin;           /* the peer's FIN is in rcv_nxt */
	uint8_t mac_known;         /* peer_mac valid */
	uint8_t ws_ok;             /* both sides sent window scale */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t offloaded;         /* a card runs the connection */
	uint8_t offl_full;         /* receive buffer filling under a card:
				    * take it back, offer it again once
				    * the application has read (offload.c) */
	uint8_t in_recovery;       /* NewReno fast recovery (RFC 6582) */
	uint8_t rtt_timing;        /* a segment is being timed (Karn) */
	uint8_t rtt_seen;          /* SRTT holds a measurement */
	uint8_t force_probe;       /* persist timer fired: send 1 byte */
	uint8_t ack_now;           /* send an ACK at the next output */
	uint8_t blocked;           /* tt_send was short: WRITABLE owed */
	uint8_t dupacks;
	uint8_t retries;           /* consecutive timeouts */
	uint8_t persist_shift;     /* persist back-off */
	uint8_t segs_unacked;      /* full segments since our last ACK */
	uint16_t gen;              /* handle generation */
	uint16_t mss;              /* send MSS */
	uint16_t ip_id;
	int err;                   /* enum tt_sock_status, 0 if none */
	unsigned int ev;           /* events raised, not yet popped */
	int listener;              /* index, or TS_NIL */
	struct tt_tuple t;         /* s* = the peer */
	uint8_t peer_mac[6];

	uint32_t iss, snd_una, snd_nxt, snd_high, snd_end;
	uint32_t snd_wnd;          /* bytes, scaled */
	uint32_t max_sndwnd;       /* largest window the peer offered */
	uint32_t snd_wl1, snd_wl2;
	uint32_t irs, rcv_nxt, rcv_read, rcv_adv;
	struct ts_range ooo[TT_STACK_OOO_RANGES];
	uint8_t n_ooo;

	uint32_t cwnd, ssthresh, recover;
	uint32_t prev_una;         /* snd_una before the last ACK moved it */
	uint32_t srtt8, rttvar4;   /* RFC 6298 SRTT * 8, RTTVAR * 4, ms */
	uint32_t rto;              /* ms */
	uint32_t rtt_seq;
	uint64_t rtt_start;

	uint64_t t_rexmt, t_persist, t_delack, t_close; /* deadlines, ms */
	/* After a resume: payload the card acknowledged up to rcv_card_nxt
	 * may still arrive by DMA until t_gap (stack_offl.h). */
	uint32_t rcv_card_nxt;
	uint64_t t_gap;
	uint32_t offl_wnd;         /* the card's receive window, bytes */

	uint8_t *sbuf, *rbuf;
	int32_t hnext;             /* hash chain */
	int32_t qnext;             /* listener's accept queue */
	int32_t anext, aprev;      /* list of TCBs in use */
};

struct ts_listener {
	uint8_t in_use;
	uint16_t gen;
	uint16_t port;
	unsigned int ev;
	uint32_t backlog;
	uint32_t half_open;        /* SYN_RECEIVED connections of ours */
	int32_t q_head, q_tail;    /* accept queue, through ts_tcb.qnext */
	uint32_t q_count;
};

struct ts_arp_entry {
	uint32_t ip;               /* 0: free */
	uint8_t mac[6];
	uint64_t updated;
};

/* A frame waiting for its next hop's MAC. */
struct ts_arp_wait {
	uint32_t ip;               /* 0: free */
	uint64_t since, retry_at;
	uint8_t tries;
	uint8_t has_tuple;
	struct tt_tuple t;
	size_t len;
	uint8_t *frame;            /* TS_FRAME_MAX bytes */
};

struct tt_stack {
	struct tt_stack_params p;
	struct tt_sipkey key;
	uint64_t now;              /* ms, read at each entry point */
	uint64_t cnt[TT_SCNT_N];

	struct ts_tcb *tcb;
	uint32_t n_tcb, n_used;
	int32_t free_head;         /* via hnext */
	int32_t active;            /* via anext/aprev */
	int32_t *hash;
	uint32_t hash_mask;
	uint8_t *bufmem;
	uint32_t sbuf_mask, rbuf_mask;
	uint8_t rcv_wscale;        /* the shift we offer */

	struct ts_listener *lis;

	/* The ready list: sockets (TCB i is socket i, listener j is
	 * socket n_tcb + j) linked through rnext/rprev, oldest first. */
	int32_t *rnext, *rprev;
	int32_t ready_head, ready_tail;

	struct ts_arp_entry *arp;
	struct ts_arp_wait *arpq;
	uint8_t *arpq_mem;

	uint16_t ip_id;            /* frames without a connection */
	uint16_t next_port;
	uint64_t chal_sec;         /* RFC 5961 rate limit: current second */
	uint32_t chal_count;

	struct tt_stack_offl_ops offl;
	int offl_on_establish;

	uint8_t *tx;               /* one frame being built */
};

static inline void ts_count(struct tt_stack *s, int c)
{
	s->cnt[c]++;
}

/* inet.c: bytes on the wire */
uint16_t ts_rd16(const uint8_t *p);
uint32_t ts_rd32(const uint8_t *p);
void ts_wr16(uint8_t *p, uint32_t v);
void ts_wr32(uint8_t *p, uint32_t v);
uint32_t ts_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t ts_csum_fold(uint32_t sum);
uint32_t ts_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto,
			uint16_t len);
/* Ethernet + IPv4 header (no options, DF, TTL 64) for payload_len bytes
 * of protocol proto; the IPv4 checksum filled. Returns TS_ETH_HDR +
 * TS_IP_HDR. */
size_t ts_ip_header(struct tt_stack *s, uint8_t *f, const uint8_t dst_mac[6],
		    uint32_t dst_ip, uint8_t proto, uint16_t ip_id,
		    size_t payload_len);

/* stack.c */
void ts_clock(struct tt_stack *s);
/* Hand a finished frame to the output callback. */
void ts_output(struct tt_stack *s, const uint8_t *f, size_t len,
	       const struct tt_tuple *t);

/* ip_in.c: an IPv4 packet in an Ethernet frame already checked for us. */
void ts_ip_input(struct tt_stack *s, const uint8_t *f, size_t len);

/* arp.c */
void ts_arp_input(struct tt_stack *s, const uint8_t *f, size_t len);
/* Send frame f (destination MAC still to fill) to on-link ip: at once if
 * the cache knows ip, else queued behind an ARP request. */
void ts_arp_send(struct tt_stack *s, uint8_t *f, size_t len, uint32_t ip,
		 const struct tt_tuple *t);
/* The cached MAC of ip, or NULL. */
const uint8_t *ts_arp_lookup(struct tt_stack *s, uint32_t ip);
void ts_arp_timer(struct tt_stack *s);
uint64_t ts_arp_next_timer(const struct tt_stack *s);

/* icmp.c: an ICMP message (ip: the IPv4 header, l4: its payload). */
void ts_icmp_input(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		   const uint8_t *l4, size_t l4_len);

/* tcb.c: the connection pool */
struct ts_tcb *ts_tcb_alloc(struct tt_stack *s, const struct tt_tuple *t);
void ts_tcb_free(struct tt_stack *s, struct ts_tcb *tcb);
struct ts_tcb *ts_tcb_lookup(struct tt_stack *s, const struct tt_tuple *t);
static inline int32_t ts_tcb_index(const struct tt_stack *s,
				   const struct ts_tcb *tcb)
{
	return (int32_t)(tcb - s->tcb);
}
uint32_t ts_tcb_isn(struct tt_stack *s, const struct tt_tuple *t);
/* Free the TCB if nothing holds it any more (closed, no handle). */
void ts_tcb_release_if_done(struct tt_stack *s, struct ts_tcb *tcb);
/* Enter CLOSED with error err (0: normal), stop timers, leave the
 * listener queue, raise events; frees the TCB when no handle holds it. */
void ts_tcb_close(struct tt_stack *s, struct ts_tcb *tcb, int err);
void ts_tcb_set_state(struct tt_stack *s, struct ts_tcb *tcb, int state);
/* An unused local port for a connection to (ip, port), or 0. */
uint16_t ts_tcb_ephemeral(struct tt_stack *s, uint32_t ip, uint16_t port);

/* listen.c */
int ts_listener_find(struct tt_stack *s, uint16_t port);
/* A connection of listener li reached ESTABLISHED: into its queue. */
void ts_listener_established(struct tt_stack *s, struct ts_tcb *tcb);
/* Remove tcb from its listener's queue / half-open count. */
void ts_listener_detach(struct tt_stack *s, struct ts_tcb *tcb);
int32_t ts_listener_pop(struct tt_stack *s, int li);

/* sock_event.c: events and handles */
/* Raise ev on a connection: on the ready list if the application owns
 * it, kept for tt_accept otherwise. */
void ts_event(struct tt_stack *s, struct ts_tcb *tcb, unsigned int ev);
void ts_listener_event(struct tt_stack *s, int li, unsigned int ev);
/* Put socket i on the ready list (if not there) / take it off. */
void ts_ready_add(struct tt_stack *s, int32_t i);
void ts_ready_remove(struct tt_stack *s, int32_t i);
int ts_handle(const struct tt_stack *s, int32_t index, uint16_t gen);
/* Handle -> TCB (a connection the application owns), or NULL. */
struct ts_tcb *ts_handle_tcb(struct tt_stack *s, int h);
/* Handle -> listener index, or -1. */
int ts_handle_listener(struct tt_stack *s, int h);

/* sock_info.c: tt_sock_info() of a connection */
void ts_sock_describe(struct tt_stack *s, const struct ts_tcb *tcb,
		      struct tt_sock_info *info);

/* tcp_opt.c: options */
struct ts_tcp_opts {
	uint16_t mss;              /* 0: absent */
	uint8_t ws_present, ws;
};
void ts_tcp_opt_parse(const uint8_t *opt, size_t len, struct ts_tcp_opts *o);
/* MSS and window scale (ws < 0: none) for a SYN; returns the bytes
 * written (a multiple of 4). */
size_t ts_tcp_opt_syn(uint8_t *opt, uint16_t mss, int ws);

/* tcp_in.c: a TCP segment (ip: IPv4 header, l4: TCP header + data). */
void ts_tcp_input(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		  const uint8_t *l4, size_t l4_len);

/* A parsed segment. */
struct ts_seg {
	uint32_t seq, ack;
	uint32_t len;              /* payload bytes */
	uint16_t wnd;              /* as received */
	uint8_t flags;
	const uint8_t *data;
	struct ts_tcp_opts opts;
	const uint8_t *src_mac;
};

/* tcp_in.c: SYN-RECEIVED or SYN-SENT -> ESTABLISHED (listener queue,
 * initial window, CONNECTED for an active open). */
void ts_tcp_establish(struct tt_stack *s, struct ts_tcb *tcb);

/* tcp_sync.c: a segment of a connection past SYN-SENT (3.10.7.4). */
void ts_tcp_sync_input(struct tt_stack *s, struct ts_tcb *tcb,
		       const uint8_t *f, const uint8_t *ip,
		       const struct ts_seg *g);

/* tcp_ack.c: the ACK field of an acceptable segment in ESTABLISHED and
 * later states (3.10.7.4 fifth check). Returns 0 when the segment is to
 * be dropped. */
int ts_tcp_ack(struct tt_stack *s, struct ts_tcb *tcb, const struct ts_seg *g);

/* tcp_out.c */
/* Send whatever the windows allow, plus an owed ACK. */
void ts_tcp_output(struct tt_stack *s, struct ts_tcb *tcb);
/* One segment of tcb: seq, len bytes of the send buffer, flags. */
void ts_tcp_send(struct tt_stack *s, struct ts_tcb *tcb, uint32_t seq,
		 uint32_t len, uint8_t flags);
void ts_tcp_send_ack(struct tt_stack *s, struct ts_tcb *tcb);
void ts_tcp_send_syn(struct tt_stack *s, struct ts_tcb *tcb);
/* A RST answering a segment of no connection (RFC 9293 3.10.7.1). */
void ts_tcp_reset_reply(struct tt_stack *s, const uint8_t *f,
			const uint8_t *ip, const struct ts_seg *g);
/* RST to the peer of tcb (at the highest sequence sent). */
void ts_tcp_send_rst(struct tt_stack *s, struct ts_tcb *tcb);
/* RFC 5961 challenge ACK, rate limited. */
void ts_tcp_challenge_ack(struct tt_stack *s, struct ts_tcb *tcb);
/* The window field we advertise now (and rcv_adv updated). */
uint16_t ts_tcp_rcv_window(struct tt_stack *s, struct ts_tcb *tcb);
/* Bytes of receive buffer free for new data. */
uint32_t ts_tcp_rcv_space(const struct tt_stack *s, const struct ts_tcb *tcb);
/* Retransmit one segment at snd_una. */
void ts_tcp_retransmit_first(struct tt_stack *s, struct ts_tcb *tcb);

/* tcp_cc.c: RTT estimation and congestion control */
/* A new TCB: RTO from rto_init_ms, no RTT sample yet. */
void ts_cc_init(struct tt_stack *s, struct ts_tcb *tcb);
/* The handshake completed (MSS known): the initial window. */
void ts_cc_established(struct tt_stack *s, struct ts_tcb *tcb);
/* Double the RTO (RFC 6298 5.5) and stop timing (Karn). */
void ts_cc_backoff(struct tt_stack *s, struct ts_tcb *tcb);
void ts_cc_rtt_sample(struct tt_stack *s, struct ts_tcb *tcb, uint32_t rtt);
/* New data acknowledged: `acked` bytes up to ack (snd_una already
 * moved to ack). Returns 1 when a partial ACK in fast recovery asks for
 * the next hole to be sent again (RFC 6582). */
int ts_cc_ack(struct tt_stack *s, struct ts_tcb *tcb, uint32_t ack,
	      uint32_t acked);
/* A duplicate ACK (RFC 5681 definition). Returns 1 when it is the third
 * and fast retransmit starts. */
int ts_cc_dupack(struct tt_stack *s, struct ts_tcb *tcb);
/* The retransmission timer fired (before the segment goes again). */
void ts_cc_timeout(struct tt_stack *s, struct ts_tcb *tcb);
/* The window ts_tcp_output may fill: cwnd, plus one segment per first
 * and second duplicate ACK (RFC 3042 limited transmit). */
uint32_t ts_cc_send_window(const struct ts_tcb *tcb);
uint32_t ts_cc_flight(const struct ts_tcb *tcb);

/* tcp_timer.c */
void ts_tcp_timers(struct tt_stack *s, struct ts_tcb *tcb);
uint64_t ts_tcp_next_timer(const struct ts_tcb *tcb);
void ts_timer_rexmt_start(struct tt_stack *s, struct ts_tcb *tcb);
void ts_timer_stop_all(struct ts_tcb *tcb);
void ts_timer_time_wait(struct tt_stack *s, struct ts_tcb *tcb);

/* tcp_rcv.c: the receive ring */
/* Place text [seq, seq + len) (already inside the window); returns 1 if
 * rcv_nxt advanced, 0 if held out of order, -1 if dropped (no range). */
int ts_rcv_place(struct tt_stack *s, struct ts_tcb *tcb, uint32_t seq,
		 const uint8_t *data, uint32_t len);
/* Bytes the application can read. */
uint32_t ts_rcv_ready(const struct ts_tcb *tcb);
/* Copy out up to len bytes at rcv_read and advance it. */
uint32_t ts_rcv_read(struct tt_stack *s, struct ts_tcb *tcb, uint8_t *out,
		     uint32_t len);

/* tcp_snd.c: the send ring */
uint32_t ts_snd_queued(const struct tt_stack *s, const struct ts_tcb *tcb);
uint32_t ts_snd_space(const struct tt_stack *s, const struct ts_tcb *tcb);
uint32_t ts_snd_write(struct tt_stack *s, struct ts_tcb *tcb,
		      const uint8_t *data, uint32_t len);
void ts_snd_copy(const struct tt_stack *s, const struct ts_tcb *tcb,
		 uint32_t seq, uint32_t len, uint8_t *out);
/* The oldest byte the send buffer holds: snd_una, but never our SYN
 * (iss) nor our FIN (snd_end). */
static inline uint32_t ts_snd_data_start(const struct ts_tcb *tcb)
{
	if (ts_leq(tcb->snd_una, tcb->iss))
		return tcb->iss + 1;
	return ts_gt(tcb->snd_una, tcb->snd_end) ? tcb->snd_end : tcb->snd_una;
}

/* offload.c */
/* Offer a connection that just became established, if so configured. */
void ts_offload_established(struct tt_stack *s, struct ts_tcb *tcb);
/* Bring an offloaded connection back before the application closes it:
 * 0 when it runs in software (now or already), TT_EBUSY if not. */
int ts_offload_reclaim(struct tt_stack *s, struct ts_tcb *tcb);
/* The timers' turn of an offloaded connection: take it back if its
 * receive buffer is filling. */
void ts_offload_timer(struct tt_stack *s, struct ts_tcb *tcb);
/* The application read: offer a connection taken back for a full
 * receive buffer again once three quarters of the buffer are free. */
void ts_offload_read(struct tt_stack *s, struct ts_tcb *tcb);

#endif
