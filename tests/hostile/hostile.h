/* SPDX-License-Identifier: MIT */
/*
 * The catalogue of hostile input (tests/hostile/): each case attacks a
 * card with malformed or hostile traffic and asserts a clear counted drop
 * or the correct TCP response, no hang, no crash, and healthy connections
 * unaffected.
 *
 * "Unaffected" is checked differentially, so that it holds whatever the
 * card's revision does with a segment: every case runs on two cards of the
 * same backend, the VICTIM and a CONTROL, with the same connections
 * installed in both. Healthy traffic (in-order segments of the healthy
 * connections) goes to both; hostile input only to the victim. At the end
 * everything either card produced for a healthy connection — payload DMA
 * writes, exceptions, events, frames sent to its peer, its exported
 * context — must be identical on both.
 *
 * Besides the healthy connections there are TARGET connections, installed
 * in both cards too, which a case may attack on purpose; what must happen
 * to them is asserted by the case itself.
 */
#ifndef TT_TEST_HOSTILE_H
#define TT_TEST_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

#include "framegen.h"
#include "teamtoe/card.h"

#define HOSTILE_HEALTHY 8
#define HOSTILE_TARGETS 4
#define HOSTILE_CONNS   (HOSTILE_HEALTHY + HOSTILE_TARGETS)
#define HOSTILE_MAX_CONNS (HOSTILE_CONNS + 8) /* and those a case adds */
#define HOSTILE_PORT    80        /* the team's port of every connection */

/* One output item that concerns a connection, as captured. */
struct hostile_item {
	uint8_t stream;            /* 'd' DMA write, 'e' event, 't' net TX */
	uint8_t kind;              /* DMA kind / event type / TCP flags */
	uint8_t reason;            /* DMA exception reason */
	uint16_t conn;             /* index in e->conn[] */
	uint32_t seq;              /* DMA seq / event value / TCP seq */
	uint32_t len;
	uint64_t hash;             /* FNV-1a of the bytes */
};

struct hostile_capture {
	struct hostile_item *item;
	size_t n, cap;
};

struct hostile_conn {
	struct tt_ctx ctx;         /* as imported */
	uint16_t slot;             /* same in both cards */
	uint32_t next_seq;         /* healthy traffic: next byte to send */
};

struct hostile_env {
	const char *backend;
	struct tt_card *card[2];   /* [0] victim, [1] control */
	struct hostile_capture cap[2];
	struct hostile_conn conn[HOSTILE_MAX_CONNS];
	unsigned int n_conns;      /* HOSTILE_CONNS + added by the case */
	uint32_t start[2][TT_COUNTER_COUNT];
	struct rng rng;
	uint64_t seed;
	uint8_t mac[6];
	uint32_t ip;
	unsigned int sent;         /* hostile frames the victim took */
	unsigned int refused;      /* ... tt_card_net_rx refused (EINVAL) */
};

/* The team's key, MAC and address the cards are configured with. */
extern const uint32_t hostile_key[4];
extern const uint8_t hostile_team_mac[6];
extern const uint8_t hostile_peer_mac[6];
#define HOSTILE_TEAM_IP 0xc6120001u  /* 198.18.0.1 */
#define HOSTILE_PEER_IP 0xc6120200u  /* 198.18.2.0 + connection index */

/* The hash of captured bytes (FNV-1a), as in struct hostile_item. */
uint64_t hostile_hash(const uint8_t *p, size_t n);

/* cmocka setup / teardown (*state is the env). */
int hostile_setup_rtl(void **state);
int hostile_setup_model(void **state);
int hostile_teardown(void **state);

/* A case run once per backend, named fn/rtl and fn/model. */
#define HOSTILE_CASE(fn) \
	{ #fn "/rtl", fn, hostile_setup_rtl, hostile_teardown, NULL }, \
	{ #fn "/model", fn, hostile_setup_model, hostile_teardown, NULL }

/* Hostile frame into the victim only; one healthy segment to both cards
 * follows now and then. Returns tt_card_net_rx()'s final status (TT_OK,
 * or TT_EINVAL for a frame the card interface refuses). */
int hostile_send(struct hostile_env *e, const uint8_t *f, size_t len);
/* One in-order segment of every healthy connection, to both cards. */
void hostile_healthy_round(struct hostile_env *e);
/* Step both cards by `cycles`, taking every output. */
void hostile_pump(struct hostile_env *e, uint64_t cycles);

/* A well-formed segment of connection i (peer -> team), with its fields
 * from the connection's context unless the case changes them. */
void hostile_seg(const struct hostile_env *e, unsigned int i, struct fg_tcp *t);
size_t hostile_seg_frame(const struct hostile_env *e, unsigned int i,
			 uint8_t *buf, uint8_t flags, uint32_t seq,
			 const uint8_t *payload, size_t len);

/* What the hostile input did to counter `idx`: the victim's change since
 * setup minus the control's (which saw the healthy traffic only). */
int64_t hostile_delta(struct hostile_env *e, int idx);
/* Snapshot connection i on card side (0 victim, 1 control). */
void hostile_snapshot(struct hostile_env *e, int side, unsigned int i,
		      struct tt_ctx *c);
/* A connection of the case's own (a copy of target 0's context with
 * changes), imported into the victim only or into both cards; its index
 * in e->conn[], or -1 if a card refused it. */
int hostile_add_conn(struct hostile_env *e, const struct tt_ctx *c,
		     int victim_only);
/* A context like target 0's, from a fresh peer port (for hostile_add_conn). */
void hostile_conn_like(struct hostile_env *e, struct tt_ctx *c);

/* One context command on the victim; returns the result's status. */
int hostile_ctx(struct hostile_env *e, const struct tt_ctx_cmd *cmd,
		struct tt_ctx_result *res);

/* Items the victim produced for connection i (0 if none) of one stream
 * and kind; kind 0 matches every kind. */
size_t hostile_count(const struct hostile_env *e, int side, unsigned int i,
		     uint8_t stream, uint8_t kind);

/* The end of every case: more healthy traffic, both cards run until idle
 * (a bounded number of cycles: a card that does not settle is a hang),
 * then the healthy connections' items and exported contexts must be equal
 * on both cards. Fails the test with the first difference. */
void hostile_finish(struct hostile_env *e);

#endif
