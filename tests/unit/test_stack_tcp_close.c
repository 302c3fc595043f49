/* SPDX-License-Identifier: MIT */
/*
 * Closing (RFC 9293 3.6, 3.10.4): active close (FIN-WAIT-1, FIN-WAIT-2,
 * TIME-WAIT), passive close (CLOSE-WAIT, LAST-ACK), simultaneous close
 * (CLOSING), our FIN acknowledged with the peer's; the FIN after queued
 * data; a bounded TIME-WAIT that answers a repeated FIN; an orphaned
 * FIN-WAIT-2 that ends; close with unread data and data after close
 * reset the connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

#define F_FIN 0x01
#define F_RST 0x04
#define F_ACK 0x10
#define C_ISN 900u
#define PORT  80
#define CPORT 40000

static uint8_t buf[SE_FRAME], data[8192];

struct conn {
	int h;
	uint32_t us;    /* our next sequence number */
	uint32_t them;  /* theirs */
};

static int setup(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));

	stackenv_open(e, 0, NULL, NULL);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	free(*state);
	return 0;
}

static void open_conn(struct stackenv *e, struct conn *c)
{
	uint32_t iss;

	c->h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, -1, 65535, &iss);
	assert_true(c->h > 0);
	c->us = iss + 1;
	c->them = C_ISN + 1;
	(void)se_events(e, 0, c->h);
}

static void seg(struct stackenv *e, struct conn *c, uint8_t flags,
		size_t len)
{
	stackenv_inject_seg(e, CPORT, PORT, c->them, c->us, flags, 65535,
			    data, len);
	c->them += (uint32_t)len + ((flags & F_FIN) ? 1 : 0);
}

static int state_of(struct stackenv *e, struct conn *c)
{
	struct tt_sock_info info;

	assert_int_equal(tt_sock_info(e->s[0], c->h, &info), 0);
	return info.state;
}

static void expect_seg(struct stackenv *e, uint32_t seq, uint32_t ack,
		       uint8_t flags)
{
	struct se_tcp t;

	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, flags);
	assert_int_equal(t.seq, seq);
	assert_int_equal(t.ack, ack);
}

static void active_close(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	assert_int_equal(tt_shutdown(e->s[0], c.h), 0);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	assert_int_equal(state_of(e, &c), TT_SOCK_FIN_WAIT_1);
	assert_int_equal(tt_send(e->s[0], c.h, data, 1), TT_EPIPE);
	c.us++;
	seg(e, &c, F_ACK, 0);                   /* our FIN acknowledged */
	assert_int_equal(state_of(e, &c), TT_SOCK_FIN_WAIT_2);
	seg(e, &c, F_ACK, 10);                  /* reading goes on */
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 10);
	seg(e, &c, F_FIN | F_ACK, 0);
	expect_seg(e, c.us, c.them, F_ACK);
	assert_int_equal(state_of(e, &c), TT_SOCK_TIME_WAIT);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 0);
	assert_true(se_events(e, 0, c.h) & (TT_EV_EOF | TT_EV_CLOSED));
	assert_true(tt_sock_events(e->s[0], c.h) & TT_EV_CLOSED);
	/* the peer did not get our ACK: its FIN again, our ACK again, and
	 * TIME-WAIT starts over */
	stackenv_run(e, TT_STACK_DEF_TIME_WAIT_MS - 10);
	stackenv_inject_seg(e, CPORT, PORT, c.them - 1, c.us, F_FIN | F_ACK,
			    65535, NULL, 0);
	expect_seg(e, c.us, c.them, F_ACK);
	assert_int_equal(tt_close(e->s[0], c.h), 0);
	stackenv_run(e, TT_STACK_DEF_TIME_WAIT_MS - 1);
	assert_int_equal(tt_stack_conns(e->s[0]), 1);
	stackenv_run(e, 1);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_CLOSED), 1);
	se_expect_none(e, 0);
}

static void passive_close(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	seg(e, &c, F_ACK, 100);
	seg(e, &c, F_FIN | F_ACK, 0);
	expect_seg(e, c.us, c.them, F_ACK);     /* the FIN: ACK at once */
	assert_int_equal(state_of(e, &c), TT_SOCK_CLOSE_WAIT);
	assert_true(se_events(e, 0, c.h) & TT_EV_EOF);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 100);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 0);
	/* we may still send, then close */
	assert_int_equal(tt_send(e->s[0], c.h, data, 50), 50);
	expect_seg(e, c.us, c.them, F_ACK | 0x08);
	c.us += 50;
	assert_int_equal(tt_close(e->s[0], c.h), 0);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	c.us++;
	assert_int_equal(tt_stack_conns(e->s[0]), 1);   /* LAST-ACK */
	seg(e, &c, F_ACK, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_CLOSED), 1);
	se_expect_none(e, 0);
}

static void simultaneous_close(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	assert_int_equal(tt_shutdown(e->s[0], c.h), 0);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	/* the peer's FIN crossed ours: it does not acknowledge ours yet */
	stackenv_inject_seg(e, CPORT, PORT, c.them, c.us, F_FIN | F_ACK, 65535,
			    NULL, 0);
	c.them++;
	expect_seg(e, c.us + 1, c.them, F_ACK);
	assert_int_equal(state_of(e, &c), TT_SOCK_CLOSING);
	c.us++;
	seg(e, &c, F_ACK, 0);
	assert_int_equal(state_of(e, &c), TT_SOCK_TIME_WAIT);
	assert_true(se_events(e, 0, c.h) & TT_EV_CLOSED);
	tt_close(e->s[0], c.h);
	stackenv_run(e, TT_STACK_DEF_TIME_WAIT_MS);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

/* Our FIN and the peer's in one exchange: the peer's FIN acknowledges
 * ours, FIN-WAIT-1 goes straight to TIME-WAIT. */
static void fin_ack_together(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	tt_shutdown(e->s[0], c.h);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	c.us++;
	seg(e, &c, F_FIN | F_ACK, 0);
	expect_seg(e, c.us, c.them, F_ACK);
	assert_int_equal(state_of(e, &c), TT_SOCK_TIME_WAIT);
}

/* The FIN waits for the queued data and goes with its last byte; a FIN
 * lost goes again on the timer. */
static void fin_follows_queued_data(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	struct conn c;

	open_conn(e, &c);
	/* the initial window (3 x 1460) sends 4380; 1620 bytes wait */
	assert_int_equal(tt_send(e->s[0], c.h, data, 6000), 6000);
	assert_int_equal(stackenv_pending(e, 0), 3);
	stackenv_drain(e, 0);
	assert_int_equal(tt_shutdown(e->s[0], c.h), 0);
	se_expect_none(e, 0);
	c.us += 4380;
	seg(e, &c, F_ACK, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, c.us);
	assert_int_equal(t.len, 1460);
	assert_int_equal(t.flags, F_ACK);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, c.us + 1460);
	assert_int_equal(t.len, 160);
	assert_int_equal(t.flags, F_FIN | F_ACK | 0x08);
	assert_memory_equal(t.data, data + 5840, 160);
	se_expect_none(e, 0);
	/* all of it lost: the timer sends from snd_una again */
	stackenv_run(e, 1000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, c.us);
	assert_int_equal(state_of(e, &c), TT_SOCK_FIN_WAIT_1);
	c.us += 1620 + 1;
	stackenv_drain(e, 0);
	seg(e, &c, F_ACK, 0);
	assert_int_equal(state_of(e, &c), TT_SOCK_FIN_WAIT_2);
}

static void orphan_fin_wait_2_ends(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	assert_int_equal(tt_close(e->s[0], c.h), 0);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	c.us++;
	seg(e, &c, F_ACK, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 1);
	stackenv_run(e, TT_STACK_DEF_FIN_WAIT2_MS);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void close_with_unread_data_resets(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	seg(e, &c, F_ACK, 20);
	stackenv_drain(e, 0);
	assert_int_equal(tt_close(e->s[0], c.h), 0);
	expect_seg(e, c.us, c.them, F_RST | F_ACK);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RST_SENT), 1);
}

static void data_after_close_resets(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	tt_close(e->s[0], c.h);
	expect_seg(e, c.us, c.them, F_FIN | F_ACK);
	c.us++;
	seg(e, &c, F_ACK, 0);                   /* FIN-WAIT-2, nobody reads */
	seg(e, &c, F_ACK, 30);
	expect_seg(e, c.us, c.them - 30, F_RST | F_ACK);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_AFTER_CLOSE), 1);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(active_close, setup, teardown),
		cmocka_unit_test_setup_teardown(passive_close, setup, teardown),
		cmocka_unit_test_setup_teardown(simultaneous_close, setup, teardown),
		cmocka_unit_test_setup_teardown(fin_ack_together, setup, teardown),
		cmocka_unit_test_setup_teardown(fin_follows_queued_data, setup, teardown),
		cmocka_unit_test_setup_teardown(orphan_fin_wait_2_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(close_with_unread_data_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(data_after_close_resets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
