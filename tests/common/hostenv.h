/* SPDX-License-Identifier: MIT */
/*
 * A host runtime (struct tt_host) over a team of cards built in code, for
 * the procedure, reload and fault tests: a fake clock, sinks that count
 * what the host hands to the (future) software stack, a known hash key
 * (so tests can make tuples collide), and frame helpers.
 */
#ifndef TT_TEST_HOSTENV_H
#define TT_TEST_HOSTENV_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/host.h"

#define HOSTENV_TEAM_IP  0xc6120001u  /* 198.18.0.1 */
#define HOSTENV_PEER_IP  0xc6120100u  /* 198.18.1.0 + n */
#define HOSTENV_SLOTS    1024u

extern const uint8_t hostenv_team_mac[6];
extern const uint8_t hostenv_peer_mac[6];
extern const uint32_t hostenv_key[4];

struct hostenv {
	struct tt_host *h;
	uint64_t now;               /* the fake clock, ms */
	unsigned int sw, offl, uploads;
	unsigned int sw_nid;        /* card of the last sw_rx */
	struct tt_ctx last_upload;
	int last_upload_why;
	/* ops.payload: every call counted; the connection of peer port
	 * pay_sport (0: none) watched: its payload must come in sequence
	 * (pay_next, from its first call on) with byte i of sequence s equal
	 * to hostenv_pay_byte(s) */
	unsigned int payloads;
	uint64_t payload_bytes;
	uint16_t pay_sport;
	int pay_started;
	uint32_t pay_next;
	unsigned int pay_gaps, pay_bad_bytes;
	unsigned int payloads_at_upload;
	/* set before hostenv_open() (0: defaults) */
	uint32_t syn_pps;
	uint32_t max_conns;
	uint32_t timer_scale;       /* cards' TIMER_SCALE (tt_host_params) */
};

/* A team of n cards of one backend with the given policy; aborts the
 * test program on failure. */
void hostenv_open(struct hostenv *e, const char *backend, unsigned int n,
		  int policy);
void hostenv_close(struct hostenv *e);
/* cmocka setup/teardown around hostenv_open/close: the hostenv in *state
 * (syn_pps as in struct hostenv, 0 for the default). */
int hostenv_setup(void **state, const char *backend, unsigned int n,
		  int policy, uint32_t syn_pps);
int hostenv_teardown(void **state);

/* A one-byte segment from peer:sport to the team's port 80, received on
 * card nid and run through the procedure: the procedure's result. */
int hostenv_rx_seg(struct hostenv *e, unsigned int nid, uint32_t peer_ip,
		   uint16_t sport, uint8_t flags);
/* A new connection peer:sport -> team:80: its first segment arrives on
 * card nid (the procedure must create its record), then the host offloads
 * it with the context hostenv_ctx_make builds (returned in *c). Returns
 * tt_offload()'s result, or -1 if the segment did not create a record. */
int hostenv_offload_new(struct hostenv *e, unsigned int nid, uint32_t peer_ip,
			uint16_t sport, struct tt_ctx *c);
/* The record of peer:sport -> team:80, or NULL. */
struct tt_rec *hostenv_rec(struct hostenv *e, uint32_t peer_ip, uint16_t sport);

/* The payload byte of sequence number seq in segments hostenv_data_frame
 * makes. */
static inline uint8_t hostenv_pay_byte(uint32_t seq) { return (uint8_t)(seq * 7 + 3); }
/* A TCP frame with len payload bytes (hostenv_pay_byte of their sequence
 * numbers), the ACK number ack and the flags given. */
size_t hostenv_data_frame(uint8_t *buf, uint32_t peer_ip, uint16_t sport,
			  uint16_t dport, uint8_t flags, uint32_t seq,
			  uint32_t ack, uint16_t len);
/* A TCP frame from peer (ip, sport) to the team's port dport. */
size_t hostenv_frame(uint8_t *buf, uint32_t peer_ip, uint16_t sport,
		     uint16_t dport, uint8_t flags, uint32_t seq);
/* Put a frame on card nid's wire and poll the host until the procedure
 * ran on it; returns h->last_result (-1 if it never came). */
int hostenv_rx(struct hostenv *e, unsigned int nid, const uint8_t *f,
	       size_t len);
/* Put a frame on card nid's wire and read back what the card says,
 * without the host procedure: the reason, and the slot in *slot. */
int hostenv_card_verdict(struct hostenv *e, unsigned int nid,
			 const uint8_t *f, size_t len, uint16_t *slot);
/* One context command on card nid (tt_ctx_sync); returns the status. */
int hostenv_ctx(struct hostenv *e, unsigned int nid, uint8_t op,
		uint16_t slot, struct tt_ctx_result *res);
/* A context record of an established connection from the peer. */
void hostenv_ctx_make(struct tt_ctx *c, uint32_t peer_ip, uint16_t sport,
		      uint16_t dport, uint32_t salt);
struct tt_tuple hostenv_tuple(uint32_t peer_ip, uint16_t sport,
			      uint16_t dport);
/* n tuples (peer ports) that all fall in one card bucket under
 * hostenv_key, starting the search at sport. */
void hostenv_colliding(uint32_t peer_ip, uint16_t dport, uint16_t sport,
		       unsigned int n, uint16_t *ports);

#endif
