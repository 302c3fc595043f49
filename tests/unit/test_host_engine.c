/* SPDX-License-Identifier: MIT */
/*
 * The host runtime with cards of revision 1.2, whose receive engine runs
 * offloaded connections: on RTL cards and on model cards, in-order payload
 * reaches ops.payload as PAYLOAD writes and moves the shadow's rcv_nxt,
 * ACKED events move its snd_una, and nothing goes through the procedure;
 * a reload or an upload takes the former card's payload first (export
 * atomicity), so the stack gets the byte stream whole and in order; a
 * context command is answered even when the card's output queues are
 * full.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "hostenv.h"
#include "testenv.h"
#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"

#define PEER (HOSTENV_PEER_IP + 3)

static int two_rtl(void **s) { return hostenv_setup(s, "rtl", 2, TT_POLICY_LEAST_LOADED, 0); }
static int two_model(void **s) { return hostenv_setup(s, "model", 2, TT_POLICY_LEAST_LOADED, 0); }

/* Put a frame on card nid's wire, stepping the card (not the host) while
 * its input is full. */
static void wire(struct hostenv *e, unsigned int nid, const uint8_t *f, size_t len)
{
	struct tt_card *c = tt_host_card(e->h, nid);

	for (int i = 0; i < 10000 && tt_card_net_rx(c, f, len) == TT_EAGAIN; i++)
		tt_card_step(c, 16);
}

static struct tt_rec *offload(struct hostenv *e, unsigned int nid, uint16_t sport,
			      struct tt_ctx *c)
{
	assert_int_equal(hostenv_offload_new(e, nid, PEER, sport, c), TT_OFFLOAD_OK);
	e->pay_sport = sport;
	return hostenv_rec(e, PEER, sport);
}

static void poll_until_bytes(struct hostenv *e, uint64_t bytes)
{
	for (int i = 0; i < 2000 && e->payload_bytes < bytes; i++)
		tt_host_poll(e->h, 32);
	assert_int_equal(e->payload_bytes, bytes);
}

/* In-order data and advancing ACKs: PAYLOAD writes to the stack, the
 * shadow follows; the procedure sees none of it. */
static void payload_and_acks_move_the_shadow(void **state)
{
	struct hostenv *e = *state;
	struct tt_shadow *sh;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint8_t f[1600];
	uint64_t frames;

	rec = offload(e, 0, 60000, &c);
	frames = e->h->st.frames;
	for (uint32_t k = 0; k < 5; k++)
		wire(e, 0, f, hostenv_data_frame(f, PEER, 60000, 80, FG_TCP_ACK,
						 c.rcv_nxt + 1000 * k, c.snd_una + 500 * k, 1000));
	poll_until_bytes(e, 5000);
	for (int i = 0; i < 20; i++)
		tt_host_poll(e->h, 32);
	sh = tt_records_shadow(e->h->rec, rec);
	assert_int_equal(e->payloads, 5);
	assert_int_equal(e->pay_gaps, 0);
	assert_int_equal(e->pay_bad_bytes, 0);
	assert_int_equal(sh->rcv_nxt, c.rcv_nxt + 5000);
	assert_int_equal(sh->snd_una, c.snd_una + 2000);
	assert_int_equal(e->h->st.frames, frames);
	assert_int_equal(e->offl, 0);
	assert_int_equal(tt_card_counter(tt_host_card(e->h, 0), TT_CNT_ENG_ACKED), 4);
}

/* Payload the former card holds when the connection moves: the reload
 * takes it first; the exception queued before it is held and still runs
 * through the procedure (late: the connection has moved); the new card's
 * payload follows without a gap. */
static void reload_takes_the_former_cards_payload_first(void **state)
{
	struct hostenv *e = *state;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint8_t f[1600];
	uint32_t next;

	rec = offload(e, 1, 60100, &c);
	/* card 1 decides these; the host does not poll */
	wire(e, 1, f, hostenv_data_frame(f, PEER, 60100, 80, FG_TCP_PSH, c.rcv_nxt, 0, 10));
	for (uint32_t k = 0; k < 6; k++)
		wire(e, 1, f, hostenv_data_frame(f, PEER, 60100, 80, FG_TCP_ACK,
						 c.rcv_nxt + 500 * k, c.snd_una, 500));
	tt_card_step(tt_host_card(e->h, 1), 4000);
	assert_int_equal(e->payloads, 0);
	/* the switch moves the connection to card 0, whose exception is
	 * ready before the host looks (a poll drains card 0 first): 414 */
	wire(e, 0, f, hostenv_data_frame(f, PEER, 60100, 80, FG_TCP_ACK,
					 c.rcv_nxt + 3000, c.snd_una, 0));
	tt_card_step(tt_host_card(e->h, 0), 300);
	tt_host_poll(e->h, 1);
	assert_int_equal(e->h->st.proc[TT_PROC_RELOADED], 1);
	rec = hostenv_rec(e, PEER, 60100);
	assert_int_equal(tt_rec_nid(rec), 0);
	assert_int_equal(e->payloads, 6);
	assert_int_equal(e->pay_next, c.rcv_nxt + 3000);
	assert_int_equal(tt_records_shadow(e->h->rec, rec)->rcv_nxt, c.rcv_nxt + 3000);
	assert_true(e->h->st.held >= 1);
	/* card 0 goes on from where card 1 stopped */
	next = c.rcv_nxt + 3000;
	for (uint32_t k = 0; k < 3; k++)
		wire(e, 0, f, hostenv_data_frame(f, PEER, 60100, 80, FG_TCP_ACK,
						 next + 700 * k, c.snd_una, 700));
	poll_until_bytes(e, 3000 + 2100);
	for (int i = 0; i < 20; i++)
		tt_host_poll(e->h, 32);
	assert_int_equal(e->pay_gaps, 0);
	assert_int_equal(e->pay_bad_bytes, 0);
	assert_int_equal(e->pay_next, next + 2100);
	/* the held exception ran: the ACK-less segment card 1 matched */
	assert_int_equal(e->h->st.proc[TT_PROC_LATE], 1);
	assert_int_equal(e->offl, 2);
	assert_int_equal(e->h->st.held_lost, 0);
}

/* Upload: the stack gets the card's payload before the context. */
static void upload_delivers_payload_before_the_context(void **state)
{
	struct hostenv *e = *state;
	struct tt_rec *rec;
	struct tt_ctx c;
	uint8_t f[1600];

	rec = offload(e, 0, 60200, &c);
	for (uint32_t k = 0; k < 3; k++)
		wire(e, 0, f, hostenv_data_frame(f, PEER, 60200, 80, FG_TCP_ACK,
						 c.rcv_nxt + 1200 * k, c.snd_una, 1200));
	tt_card_step(tt_host_card(e->h, 0), 3000);
	assert_int_equal(tt_upload(e->h, rec, TT_UPLOAD_REQUEST), 0);
	assert_int_equal(e->uploads, 1);
	assert_int_equal(e->payloads_at_upload, 3);
	assert_int_equal(e->last_upload.rcv_nxt, c.rcv_nxt + 3600);
	assert_int_equal(e->pay_next, c.rcv_nxt + 3600);
	assert_int_equal(e->pay_gaps, 0);
}

/* The switch's side: take the frames card nid sends (the engine's ACKs). */
static unsigned int drain_wire(struct hostenv *e, unsigned int nid)
{
	uint8_t f[TT_MAX_FRAME];
	unsigned int n = 0;
	size_t len;

	while (tt_card_net_tx(tt_host_card(e->h, nid), f, sizeof(f), &len) == TT_OK)
		n++;
	return n;
}

/* More payload than the card's DMA queue holds, the host busy (the wire
 * drained, as the switch does): a context command still gets its answer,
 * and no byte is lost. */
static void command_answered_when_outputs_are_full(void **state)
{
	struct hostenv *e = *state;
	struct tt_ctx_result res;
	struct tt_card *card = tt_host_card(e->h, 0);
	struct tt_rec *rec;
	struct tt_ctx c, x;
	uint8_t f[1600];
	uint32_t k, sent = 0;

	rec = offload(e, 0, 60300, &c);
	for (k = 0; k < 400; k++) {
		size_t len = hostenv_data_frame(f, PEER, 60300, 80, FG_TCP_ACK,
						c.rcv_nxt + 100 * k, c.snd_una, 100);
		int tries = 0;
		while (tt_card_net_rx(card, f, len) == TT_EAGAIN && tries++ < 200) {
			tt_card_step(card, 16);
			drain_wire(e, 0);
		}
		if (tries >= 200)
			break;      /* the card stopped taking frames: full */
		sent++;
	}
	tt_card_step(card, 4000);
	drain_wire(e, 0);
	assert_true(sent > 256);
	assert_int_equal(e->payloads, 0);
	assert_int_equal(hostenv_ctx(e, 0, TT_CTX_SNAPSHOT, rec->card_slot, &res), TT_OK);
	tt_ctx_unpack(res.rec, &x);
	/* every byte before the snapshot's rcv_nxt reached the stack */
	assert_int_equal(e->pay_next, x.rcv_nxt);
	for (; k < 400; k++) {
		size_t len = hostenv_data_frame(f, PEER, 60300, 80, FG_TCP_ACK,
						c.rcv_nxt + 100 * k, c.snd_una, 100);
		while (tt_card_net_rx(card, f, len) == TT_EAGAIN) {
			tt_host_poll(e->h, 16);
			drain_wire(e, 0);
		}
	}
	for (int i = 0; i < 2000 && e->payload_bytes < 400 * 100; i++) {
		tt_host_poll(e->h, 32);
		drain_wire(e, 0);
	}
	assert_int_equal(e->payload_bytes, 400 * 100);
	assert_int_equal(e->pay_gaps, 0);
	assert_int_equal(e->pay_bad_bytes, 0);
}

#define BOTH(fn) TESTENV_BOTH(fn, two_rtl, two_model, hostenv_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(payload_and_acks_move_the_shadow),
		BOTH(reload_takes_the_former_cards_payload_first),
		BOTH(upload_delivers_payload_before_the_context),
		BOTH(command_answered_when_outputs_are_full),
	};

	return cmocka_run_group_tests_name("host_engine", tests, NULL, NULL);
}
