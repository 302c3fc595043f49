/* SPDX-License-Identifier: MIT */
/*
 * The host runtime: one object that owns a team of cards, the connection
 * records, their aging wheel and the DoS detector, and runs the seed's
 * packet procedure (procedure.h) on everything the cards hand to the host.
 *
 *   tt_host_new()   open the team, program the connection-hash key
 *   tt_host_poll()  step every live card, then answer each card's DMA
 *                   read requests (ops.read, card revision 1.3), drain
 *                   its events (link changes -> faults.h, ACKED ->
 *                   shadow snd_una, RTO_LIMIT -> upload),
 *                   DMA writes (exceptions -> tt_proc_frame, payload ->
 *                   ops.payload and shadow rcv_nxt) and stray context
 *                   results; advance aging
 *   tt_host_flush() take what a card has already put out, at once: after
 *                   an EXPORT (card revision 1.2: every output of the
 *                   exported connection is then in the card's streams)
 *
 * Offload, reload and upload (reload.h) and link faults (faults.h) work
 * on this object. Everything the software TCP stack will take over later
 * is a callback in struct tt_host_ops; a NULL callback only counts.
 *
 * A NID is a card's position in team->members (enabled cards only).
 */
#ifndef TEAMTOE_HOST_H
#define TEAMTOE_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/aging.h"
#include "teamtoe/card.h"
#include "teamtoe/ctx.h"
#include "teamtoe/dos.h"
#include "teamtoe/held.h"
#include "teamtoe/records.h"
#include "teamtoe/team.h"

#define TT_HOST_DEF_CTX_TIMEOUT 65536u /* card cycles a context command may take */
#define TT_RELOAD_LOG_LEN       256u   /* reloads kept in the log ring */
/* TIMER_SCALE: card cycles per TCP timer tick. One tick is the stack's
 * context tick (TT_STACK_CTX_TICK_MS, 1 ms: the `rto` the stack writes in
 * a context counts those), and a card runs at 156.25 MHz (DESIGN §5), so
 * 156250 cycles. Simulations that step fewer cycles per host millisecond
 * set tt_host_params.timer_scale to what their card cycles per ms are. */
#define TT_HOST_DEF_TIMER_SCALE 156250u

/* Why a context comes back to the host (tt_host_ops.upload). */
enum tt_upload_why {
	TT_UPLOAD_REQUEST     = 0, /* tt_upload() by the stack */
	TT_UPLOAD_CLOSE       = 1, /* FIN or RST: the stack finishes the close */
	TT_UPLOAD_AGED        = 2, /* record aged out */
	TT_UPLOAD_NO_ROOM     = 3, /* reload/fault move: import refused or no card */
	TT_UPLOAD_RTO_LIMIT   = 4, /* the card's RTO_LIMIT event: the stack,
				      with its own RTT estimate and retry
				      policy, decides whether the peer is
				      gone (it resets the connection then) */
	TT_UPLOAD_READ_FAIL   = 5, /* a DMA read the host could not answer:
				      the card would wait for it forever */
};

struct tt_host_ops {
	/* Software path: a frame the host stack processes (unknown or
	 * non-offloaded connection, not TCP, ...). */
	void (*sw_rx)(void *arg, unsigned int nid, const uint8_t *frame,
		      size_t len);
	/* A segment of an offloaded connection that a card handed up
	 * (TCP_FLAGS, UNHANDLED, or one received before a reload finished). */
	void (*offl_rx)(void *arg, unsigned int nid, const struct tt_tuple *t,
			const uint8_t *frame, size_t len);
	/* A connection's context is back on the host: the software stack
	 * owns the connection from now on. */
	void (*upload)(void *arg, const struct tt_ctx *ctx, int why);
	/* In-order payload of an offloaded connection. */
	void (*payload)(void *arg, unsigned int nid, const struct tt_tuple *t,
			uint32_t seq, const uint8_t *data, size_t len);
	/* The card's ACKED event for an offloaded connection: the peer
	 * acknowledged everything before snd_una (the send buffer up to
	 * there may be freed). */
	void (*acked)(void *arg, unsigned int nid, const struct tt_tuple *t,
		      uint32_t snd_una);
	/* Card revision 1.3, the DMA read: copy the send-buffer bytes
	 * [seq, seq + len) of the offloaded connection t into out. Returns
	 * 0, or < 0 if the host does not hold them (the request is then
	 * counted in st.read_fail and the connection comes back to
	 * software at the next poll: TT_UPLOAD_READ_FAIL). */
	int (*read)(void *arg, unsigned int nid, const struct tt_tuple *t,
		    uint32_t seq, size_t len, uint8_t *out);
	/* Host time in ms; NULL: CLOCK_MONOTONIC. Read once per poll. */
	uint64_t (*now_ms)(void *arg);
	void *arg;
};

struct tt_host_params {
	const uint32_t *hash_key;      /* HASH_KEY0..3 for every card; NULL:
					  random (getrandom) */
	const struct tt_sipkey *rec_key; /* records and DoS; NULL: random */
	uint64_t ctx_timeout_cycles;   /* bound of one context command;
					  0 means TT_HOST_DEF_CTX_TIMEOUT */
	int no_timeout;                /* tests: a bound of 0 cycles */
	uint32_t timer_scale;          /* TIMER_SCALE of every card; 0:
					  TT_HOST_DEF_TIMER_SCALE */
	struct tt_host_ops ops;
};

/* One member card as the host sees it, by NID. */
struct tt_host_card {
	struct tt_card *card;
	int dead;                      /* the host cannot read it any more */
	int link_up;
	uint32_t slots;                /* conn_slots */
	uint32_t offloaded;            /* connections installed by us */
	/* The record last imported into each slot (tuple, peer MAC, options
	 * the shadow does not hold): the base of a rebuild. */
	uint8_t (*base)[TT_CTX_BYTES];
	uint8_t *base_valid;
	/* Taken off the card by a flush, for the poll loop (held.h). */
	struct tt_held held_evt, held_dma;
	/* A DMA read answer the card had no room for yet. */
	struct tt_dma_read_req rd_wait;
	int rd_waiting;
	/* Slots with a read the host could not answer: uploaded by the
	 * next poll (the card keeps such a read outstanding forever). */
	uint8_t *rd_failed;
	uint32_t n_rd_failed;
};

/* Outcome of the packet procedure (procedure.h); index of st.proc[]. */
enum tt_proc_result {
	TT_PROC_NOT_TCP = 0,     /* no 4-tuple (ARP, ICMP, fragment...): software */
	TT_PROC_CREATED,         /* 402 miss -> 404 create -> 408 software */
	TT_PROC_NO_RECORD,       /* 402 miss, 404 declined (RST/FIN, table
				    full, late segment): software */
	TT_PROC_SAME_NIC,        /* 402 -> 406 equal -> 408 standard */
	TT_PROC_SOFTWARE,        /* 406 differ -> 410 no -> 412 NID updated */
	TT_PROC_RELOADED,        /* 406 differ -> 410 yes -> 414 reloaded */
	TT_PROC_RELOAD_SOFTWARE, /* 414, import refused: left in software */
	TT_PROC_LATE,            /* segment a card matched before the
				    connection moved away from it */
	TT_PROC_DOS_DROP,        /* source blocked by the DoS detector */
	TT_PROC_N
};

struct tt_host_stats {
	uint64_t proc[TT_PROC_N];
	uint64_t frames;           /* exception frames run through 402-414 */
	uint64_t closed;           /* records removed on FIN/RST */
	uint64_t sw_frames;        /* handed to ops.sw_rx */
	uint64_t offl_frames;      /* handed to ops.offl_rx */
	uint64_t payload_bytes;
	uint64_t payload_unmapped; /* payload writes for a slot the host
				      does not map: dropped */
	uint64_t offloads;         /* tt_offload() that installed */
	uint64_t offload_sw;       /* tt_offload() left in software */
	uint64_t offload_full;     /* ... of which the card said FULL */
	uint64_t reloads;          /* 414 and fault moves that installed */
	uint64_t reload_rebuilt;   /* ... from the shadow (old card unreadable) */
	uint64_t reload_sw;        /* moves left in software */
	uint64_t import_kicks;     /* doorbells rung after an IMPORT of a
				      context with unsent data */
	uint64_t uploads;
	uint64_t link_downs, link_ups;
	uint64_t fault_removed;    /* non-offloaded records removed */
	uint64_t fault_moved;      /* offloaded ones moved to a survivor */
	uint64_t fault_stranded;   /* offloaded, no survivor: left in place */
	uint64_t ctx_timeouts;     /* context commands without a result in time */
	uint64_t ctx_stale;        /* results that came after their timeout */
	uint64_t ctx_evicted;      /* late successful imports taken back */
	uint64_t events;
	uint64_t reads;            /* DMA read requests answered */
	uint64_t read_bytes;
	uint64_t read_unmapped;    /* for a slot the host no longer maps:
				      not answered (the card drops a read
				      of a slot exported since) */
	uint64_t read_fail;        /* ops.read had no such bytes */
	uint64_t read_fail_uploads; /* connections uploaded for one */
	uint64_t retrans;          /* RETRANS events */
	uint64_t rto_limits;       /* RTO_LIMIT events (each uploads) */
	uint64_t flushes;          /* tt_host_flush() calls that took something */
	uint64_t held;             /* exceptions and link events they held */
	uint64_t held_lost;        /* ... that no memory could hold (dropped) */
};

/* One reload (414, or a fault move), with its latency. */
struct tt_reload_entry {
	struct tt_tuple t;
	uint8_t from, to;
	uint16_t from_slot, to_slot;   /* to_slot TT_SLOT_NONE: software */
	uint8_t rebuilt;               /* context rebuilt from the shadow */
	int8_t import_status;
	uint64_t export_cycles;        /* on the former card */
	uint64_t import_cycles;        /* on the receiving card */
	uint64_t cycles;               /* both */
	uint64_t ns;                   /* host time, clock_gettime */
	uint8_t rec[TT_CTX_BYTES];     /* the record moved */
};

struct tt_reload_log {
	uint64_t n;                    /* reloads ever; entry i at i % LEN */
	uint64_t cycles_sum, cycles_max;
	uint64_t ns_sum, ns_max;
	struct tt_reload_entry e[TT_RELOAD_LOG_LEN];
};

struct tt_host {
	struct tt_team *team;
	struct tt_records *rec;
	struct tt_aging *aging;
	struct tt_dos *dos;
	unsigned int n_cards;
	struct tt_host_card cards[TT_TEAM_MAX_CARDS];
	struct tt_host_params p;
	uint64_t now_ms;
	int last_result;           /* of the last tt_proc_frame() */
	struct tt_host_stats st;
	struct tt_reload_log rlog;
	uint8_t *buf;              /* one frame, TT_MAX_FRAME bytes */
	uint8_t *flush_buf;        /* another, for tt_host_flush() (which may
				      run while buf holds a frame) */
};

/* Open the team of cfg and everything around it. Returns 0 or a negative
 * tt_status with a message in err. */
int tt_host_new(struct tt_host **host, const struct tt_team_config *cfg,
		const struct tt_host_params *p, char *err, size_t errlen);
void tt_host_free(struct tt_host *h);

/* Step every live card by `cycles`, then drain what each produced into
 * the procedure. Returns the number of items handled. */
unsigned int tt_host_poll(struct tt_host *h, uint64_t cycles);

/* Step every live card by `cycles` and nothing else (outputs stay
 * queued): time passing while the host waits. */
void tt_host_step(struct tt_host *h, uint64_t cycles);

/* Take what card `nid` has already put out, now: in-order payload goes to
 * ops.payload and the shadow's rcv_nxt, ACKED events to the shadow's
 * snd_una; exceptions and link events are held, in their order, for the
 * poll loop (which takes held items first). reload.c calls it after an
 * EXPORT: with card revision 1.2 the result comes only once every output
 * of the frames before it is in the card's streams, so the connection's
 * payload reaches the stack before anything from its next card, and none
 * is lost to a record that already moved; and while it waits for any
 * context result, so that the card's outputs never stall it. */
void tt_host_flush(struct tt_host *h, unsigned int nid);
/* A flush holds payload of a slot the host does not map yet (an
 * IMPORT's, written before its result) and, behind it, later payload of
 * that slot. After an EXPORT of `slot`, while its record still names it,
 * reload.c delivers them: the connection's payload, in order. */
void tt_host_deliver_held(struct tt_host *h, unsigned int nid, uint16_t slot);

/* Mark a card dead (unreadable) or alive again; nothing else happens
 * (tt_faults_card_failed() also runs the link-fault handling). */
void tt_host_mark_dead(struct tt_host *h, unsigned int nid, int dead);

static inline struct tt_card *tt_host_card(struct tt_host *h, unsigned int nid)
{
	return nid < h->n_cards ? h->cards[nid].card : NULL;
}

/* Answer card `nid`'s DMA read requests (dma_read.c): poll and flush
 * call it before they take events, so that a read the card asked before
 * an ACKED event finds its bytes still in the send buffer. */
void tt_host_answer_reads(struct tt_host *h, unsigned int nid);
/* Upload the connections of card `nid` with a read the host could not
 * answer (dma_read.c); the poll calls it, outside any command's wait. */
void tt_host_upload_read_failed(struct tt_host *h, unsigned int nid);
/* The record that card `nid` holds in `slot`, or NULL. */
struct tt_rec *tt_host_rec_by_slot(struct tt_host *h, unsigned int nid,
				   uint16_t slot);

/* The most recent reload, NULL if none. */
const struct tt_reload_entry *tt_host_last_reload(const struct tt_host *h);

const char *tt_proc_result_str(int result);

#endif
