/* SPDX-License-Identifier: MIT */
/*
 * RST and the other blind-attack rules (RFC 9293 3.10.7.4, RFC 5961): an
 * RST at exactly rcv_nxt resets the connection; one inside the window but
 * not exact earns a challenge ACK and changes nothing; one outside the
 * window is dropped; a SYN on an established connection earns a
 * challenge ACK; challenge ACKs are rate limited; ACKs of data never sent
 * or older than the window are dropped and answered; an unacceptable
 * sequence number is answered with an ACK; abort sends an RST; an RST in
 * SYN-RECEIVED sends a passive connection back to LISTEN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

#define F_SYN 0x02
#define F_RST 0x04
#define F_ACK 0x10
#define C_ISN 0x7ffffff0u
#define PORT  80
#define CPORT 40000

static uint8_t buf[SE_FRAME], data[4096];

struct conn {
	int h;
	uint32_t us, them;
};

static int setup(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));
	struct tt_stack_params p;

	stackenv_params(e, 0, &p);
	p.challenge_per_s = 2;
	p.rcvbuf = 8192;        /* no window scale: a 8192-byte window */
	stackenv_open(e, 0, &p, NULL);
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

static void in(struct stackenv *e, uint32_t seq, uint32_t ack, uint8_t flags,
	       size_t len)
{
	stackenv_inject_seg(e, CPORT, PORT, seq, ack, flags, 65535, data, len);
}

static void expect_ack(struct stackenv *e, const struct conn *c)
{
	struct se_tcp t;

	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_ACK);
	assert_int_equal(t.seq, c->us);
	assert_int_equal(t.ack, c->them);
}

static void assert_alive(struct stackenv *e, const struct conn *c)
{
	struct tt_sock_info info;

	assert_int_equal(tt_sock_info(e->s[0], c->h, &info), 0);
	assert_int_equal(info.state, TT_SOCK_ESTABLISHED);
	assert_int_equal(info.error, 0);
}

static void exact_rst_resets(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	in(e, c.them, c.us, F_ACK, 10);
	c.them += 10;
	in(e, c.them, 0, F_RST, 0);
	se_expect_none(e, 0);
	assert_true(se_events(e, 0, c.h) & TT_EV_RESET);
	assert_int_equal(tt_sock_error(e->s[0], c.h), TT_ECONNRESET);
	/* the data that came before stays readable, then the error */
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 10);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), TT_ECONNRESET);
	assert_int_equal(tt_send(e->s[0], c.h, data, 1), TT_ECONNRESET);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RST_RX), 1);
	assert_int_equal(tt_stack_conns(e->s[0]), 1);  /* the handle holds it */
	tt_close(e->s[0], c.h);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void inexact_rst_challenged(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	in(e, c.them + 1, 0, F_RST, 0);          /* in the window, not exact */
	expect_ack(e, &c);
	in(e, c.them + 8191, 0, F_RST, 0);       /* the window's last byte */
	expect_ack(e, &c);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_CHALLENGE_ACKS), 2);
	assert_alive(e, &c);
	/* outside the window: dropped, no answer */
	in(e, c.them + 8192, 0, F_RST, 0);
	in(e, c.them - 1, 0, F_RST, 0);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_RST_SEQ), 2);
	assert_alive(e, &c);
}

static void syn_on_established_challenged(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	in(e, c.them + 100, 0, F_SYN, 0);        /* in the window */
	expect_ack(e, &c);
	in(e, 12345, 0, F_SYN, 0);               /* outside: ACKed all the same */
	expect_ack(e, &c);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_SYN), 1);
	assert_alive(e, &c);
}

static void challenge_acks_rate_limited(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	for (int i = 0; i < 5; i++)
		in(e, c.them + 1 + (uint32_t)i, 0, F_RST, 0);
	assert_int_equal(stackenv_pending(e, 0), 2);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_CHALLENGE_LIMIT), 3);
	stackenv_drain(e, 0);
	stackenv_run(e, 1000);                   /* a new second */
	in(e, c.them + 1, 0, F_RST, 0);
	expect_ack(e, &c);
	assert_alive(e, &c);
}

static void bad_acks_and_sequence(void **state)
{
	struct stackenv *e = *state;
	struct conn c;

	open_conn(e, &c);
	/* acknowledges data never sent */
	in(e, c.them, c.us + 1, F_ACK, 0);
	expect_ack(e, &c);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_ACK_UNSENT), 1);
	/* older than snd_una - max window (65535): RFC 5961 5.2 */
	in(e, c.them, c.us - 70000, F_ACK, 5);
	expect_ack(e, &c);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_ACK_OLD), 1);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), TT_EAGAIN);
	/* sequence beyond the window: ACK, drop */
	in(e, c.them + 9000, c.us, F_ACK, 10);
	expect_ack(e, &c);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_SEQ), 1);
	/* no ACK flag */
	in(e, c.them, 0, 0, 10);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_NO_ACK), 1);
	/* and the connection goes on */
	stackenv_inject_seg(e, CPORT, PORT, c.them, c.us, F_ACK, 65535, data, 10);
	assert_int_equal(tt_recv(e->s[0], c.h, buf, sizeof(buf)), 10);
	assert_alive(e, &c);
}

static void bad_checksum_dropped(void **state)
{
	struct stackenv *e = *state;
	struct se_seg g = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A, .sport = CPORT,
		.dport = PORT, .seq = 1, .flags = F_SYN, .win = 100, .ws = -1,
	};
	size_t len;

	tt_listen(e->s[0], PORT, 1);
	len = se_tcp_build(buf, &g);
	buf[len - 1] ^= 0x40;                    /* the urgent pointer */
	stackenv_inject(e, 0, buf, len);
	buf[len - 1] ^= 0x40;
	buf[46] = 0x40;                          /* data offset 4 */
	stackenv_inject(e, 0, buf, len);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_CSUM), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_HDR), 1);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void abort_sends_rst(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	struct conn c;

	open_conn(e, &c);
	assert_int_equal(tt_abort(e->s[0], c.h), 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_RST | F_ACK);
	assert_int_equal(t.seq, c.us);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(tt_abort(e->s[0], c.h), TT_EBADF);
	assert_int_equal(tt_send(e->s[0], c.h, data, 1), TT_EBADF);
}

static void rst_in_syn_received_back_to_listen(void **state)
{
	struct stackenv *e = *state;
	struct se_seg g = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A, .sport = CPORT,
		.dport = PORT, .seq = C_ISN, .flags = F_SYN, .win = 100,
		.ws = -1,
	};
	int lh = tt_listen(e->s[0], PORT, 1);

	stackenv_inject(e, 0, buf, se_tcp_build(buf, &g));
	stackenv_drain(e, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 1);
	in(e, C_ISN + 1, 0, F_RST, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(tt_accept(e->s[0], lh, NULL), TT_EAGAIN);
	/* the listener takes the next SYN as before */
	stackenv_inject(e, 0, buf, se_tcp_build(buf, &g));
	assert_int_equal(stackenv_pending(e, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(exact_rst_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(inexact_rst_challenged, setup, teardown),
		cmocka_unit_test_setup_teardown(syn_on_established_challenged, setup, teardown),
		cmocka_unit_test_setup_teardown(challenge_acks_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_acks_and_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_checksum_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_sends_rst, setup, teardown),
		cmocka_unit_test_setup_teardown(rst_in_syn_received_back_to_listen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
