/* SPDX-License-Identifier: MIT */
/*
 * The team's software stack: a struct tt_stack (stack.h) with the team's
 * MAC and IPv4, wired to a struct tt_host so that a team of cards answers
 * ARP and ping, accepts and opens TCP connections and moves their data in
 * software ("standard processing" of the seed's procedure), and hands
 * established connections to the cards when asked to.
 *
 * tt_glue_attach() takes over the host's callbacks (struct tt_host_ops;
 * the host's clock callback is kept and shared with the stack):
 *
 *   sw_rx    -> tt_stack_input(), remembering the receiving card
 *   offl_rx  -> the connection is uploaded first (its context comes back
 *               through `upload`), then the segment goes to the stack
 *   upload   -> tt_stack_ctx_resume()
 *   payload  -> tt_stack_offl_payload()
 *   acked    -> tt_stack_offl_acked() (frees the send buffer)
 *   read     -> tt_stack_offl_read() (the card's DMA read, revision 1.3)
 *
 * and the stack's frames go out with tt_card_host_tx() on the card the
 * connection's record names; a frame without a record (ARP, ICMP, RST of
 * an unknown connection, a new connection's SYN) leaves by the card that
 * received what it answers, or else by the first card whose link is up.
 * A card whose host-TX queue is full is stepped (all cards are, as
 * tt_ctx_sync does) a bounded number of times; a frame that still does
 * not fit is counted lost and TCP sends it again.
 *
 * The stack's offload hooks go to reload.h: offload = tt_offload(),
 * upload = tt_upload(), doorbell = tt_card_doorbell() on the record's
 * card and slot. A card of revision 1.3 sends the connection's data
 * itself, reading it from the send buffer (tt_host_ops.read); the stack
 * frees what its ACKED events cover, and an RTO_LIMIT event brings the
 * connection back to software (TT_UPLOAD_RTO_LIMIT). On a card of
 * revision 1.2 an offloaded connection only receives (in-order payload
 * and ACKs in the card); such a card refuses the doorbell
 * (TT_EUNSUPPORTED) and gives the connection back (tt_upload) as soon as
 * the application has something to send. Offering every new connection
 * to the cards is off by default.
 *
 * The application uses api.h on tt_glue_stack(), and calls
 * tt_stack_timer() on it along with tt_host_poll().
 */
#ifndef TEAMTOE_HOST_GLUE_H
#define TEAMTOE_HOST_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/host.h"
#include "teamtoe/stack.h"

#define TT_GLUE_DEF_TX_TRIES 64u  /* card steps of 16 cycles per frame */

struct tt_glue_params {
	/* Sizes and timers of the stack; mac, ipv4, output, now_ms, notify
	 * and arg are the glue's (notify and arg: see below). NULL: the
	 * defaults of tt_stack_params_default(). */
	const struct tt_stack_params *stack;
	int offload_on_establish;  /* offer new connections to the cards */
	unsigned int tx_tries;     /* 0: TT_GLUE_DEF_TX_TRIES */
	void (*notify)(void *arg); /* the stack's ready list (api.h) */
	void *notify_arg;
};

struct tt_glue_stats {
	uint64_t rx_frames;        /* frames handed to the stack */
	uint64_t tx_frames[TT_TEAM_MAX_CARDS]; /* frames sent, per card */
	uint64_t tx_lost;          /* no card took the frame */
	uint64_t tx_waits;         /* card steps waiting for host-TX room */
	uint64_t offl_uploads;     /* uploads for a segment (offl_rx) */
	uint64_t offl_reoffers;    /* of which offered to the cards again */
	uint64_t resume_fail;      /* contexts the stack did not take */
	uint64_t doorbell_fail;    /* doorbells a card refused */
	uint64_t doorbell_uploads; /* uploads for a doorbell the card cannot
				      take (no TX engine) */
};

struct tt_glue;

/* Attach a new stack to h. Returns 0, or a negative tt_status with a
 * message in err. */
int tt_glue_attach(struct tt_glue **g, struct tt_host *h,
		   const struct tt_glue_params *p, char *err, size_t errlen);
/* Give the host its previous callbacks back and free the stack. */
void tt_glue_detach(struct tt_glue *g);

struct tt_stack *tt_glue_stack(struct tt_glue *g);
const struct tt_glue_stats *tt_glue_stats(const struct tt_glue *g);

#endif
