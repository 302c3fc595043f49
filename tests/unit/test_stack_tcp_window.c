/* SPDX-License-Identifier: MIT */
/*
 * Windows and acknowledgments (RFC 9293 3.8.6, RFC 5681 4.2, RFC 7323):
 * a closed peer window is probed with one byte on a backing-off timer
 * and never given up on; our own closed window answers probes and opens
 * with a window update when the application reads; a lost window update
 * is recovered by the peer's probes; the delayed ACK, an ACK every second
 * segment, immediate ACKs for out-of-order data and for filling a hole;
 * windows scaled by the negotiated shift.
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
#define F_ACK 0x10
#define F_PSH 0x08
#define C_ISN 5000u
#define PORT  80
#define CPORT 40000

static uint8_t buf[SE_FRAME], data[65536];

static int setup(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));
	struct tt_stack_params p;

	stackenv_params(e, 0, &p);
	p.rcvbuf = 4096;
	stackenv_open(e, 0, &p, NULL);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 1);
	*state = e;
	return 0;
}

static int setup_wired(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));

	stackenv_open(e, 1, NULL, NULL);
	e->wired = 1;
	e->delay_ms = 1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	free(*state);
	return 0;
}

static void peer_window_probed(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss, una;
	struct se_tcp t;
	uint64_t gap = 200;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, -1, 2920, &iss);
	assert_true(h > 0);
	assert_int_equal(tt_send(e->s[0], h, data, 10000), 10000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.len, 1460);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.len, 1460);
	se_expect_none(e, 0);                   /* 2920 bytes of window */
	una = iss + 1 + 2920;
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, una, F_ACK, 0, NULL, 0);
	se_expect_none(e, 0);
	/* probes of one byte at snd_una, the interval doubling (the RTT
	 * measured 0 ms: RTO = the 200 ms floor) */
	for (int k = 0; k < 4; k++) {
		stackenv_run(e, gap - 1);
		se_expect_none(e, 0);
		stackenv_run(e, 1);
		se_expect_tcp(e, 0, buf, &t);
		assert_int_equal(t.seq, una);
		assert_int_equal(t.len, 1);
		assert_int_equal(t.data[0], data[2920]);
		/* refused: still closed */
		stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, una, F_ACK, 0,
				    NULL, 0);
		se_expect_none(e, 0);
		gap *= 2;
	}
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_PERSIST_PROBES), 4);
	/* probing never gives up while the peer answers */
	for (int k = 0; k < 20; k++) {
		stackenv_run(e, TT_STACK_DEF_RTO_MAX_MS);
		stackenv_drain(e, 0);
		stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, una, F_ACK, 0,
				    NULL, 0);
	}
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_TIMEOUT_ABORTS), 0);
	assert_int_equal(tt_sock_error(e->s[0], h), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_DUPACKS), 0);
	/* the window opens: data from snd_una, the probe byte included */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, una, F_ACK, 2920, NULL, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, una);
	assert_int_equal(t.len, 1460);
	assert_memory_equal(t.data, data + 2920, 1460);
}

/* After a refused probe byte, snd_high is one past what the peer has:
 * a pure ACK must still fit the peer's closed window (seq == its
 * RCV.NXT), or a peer that is itself waiting on our window would refuse
 * every ACK and window update we send. */
static void ack_fits_closed_peer_window(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss, una, seq = C_ISN + 1;
	struct se_tcp t;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, -1, 1460, &iss);
	assert_true(h > 0);
	assert_int_equal(tt_send(e->s[0], h, data, 4000), 4000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.len, 1460);
	una = iss + 1 + 1460;
	stackenv_inject_seg(e, CPORT, PORT, seq, una, F_ACK, 0, NULL, 0);
	se_expect_none(e, 0);
	stackenv_run(e, 200);
	se_expect_tcp(e, 0, buf, &t);           /* the probe */
	assert_int_equal(t.seq, una);
	assert_int_equal(t.len, 1);
	/* refused; then the peer sends data, window still closed */
	stackenv_inject_seg(e, CPORT, PORT, seq, una, F_ACK, 0, NULL, 0);
	stackenv_inject_seg(e, CPORT, PORT, seq, una, F_ACK | F_PSH, 0,
			    data, 100);
	stackenv_run(e, TT_STACK_DEF_DELACK_MS);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.len, 0);
	assert_int_equal(t.ack, seq + 100);
	assert_int_equal(t.seq, una);           /* not una + 1 */
	/* the window opens: the ACK's sequence is the highest sent again */
	stackenv_inject_seg(e, CPORT, PORT, seq + 100, una, F_ACK, 4000, NULL, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, una);
	assert_true(t.len > 1);
}

static void own_window_closes_and_opens(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss, seq = C_ISN + 1;
	struct se_tcp t;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, -1, 65535, &iss);
	/* 4096-byte buffer, no scale: the SYN-ACK offered 4096 */
	stackenv_inject_seg(e, CPORT, PORT, seq, iss + 1, F_ACK, 65535, data, 1460);
	stackenv_inject_seg(e, CPORT, PORT, seq + 1460, iss + 1, F_ACK, 65535,
			    data + 1460, 1460);
	se_expect_tcp(e, 0, buf, &t);           /* every second segment */
	assert_int_equal(t.ack, seq + 2920);
	assert_int_equal(t.win, 4096 - 2920);
	stackenv_inject_seg(e, CPORT, PORT, seq + 2920, iss + 1, F_ACK | F_PSH,
			    65535, data + 2920, 1176);
	stackenv_run(e, TT_STACK_DEF_DELACK_MS);
	se_expect_tcp(e, 0, buf, &t);           /* the delayed ACK */
	assert_int_equal(t.ack, seq + 4096);
	assert_int_equal(t.win, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_DELAYED_ACKS), 1);
	/* a probe is answered, its byte refused */
	stackenv_inject_seg(e, CPORT, PORT, seq + 4096, iss + 1, F_ACK, 65535,
			    data + 4096, 1);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 4096);
	assert_int_equal(t.win, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_WINDOW), 1);
	/* reading a little opens too little to announce (SWS avoidance) */
	assert_int_equal(tt_recv(e->s[0], h, buf, 100), 100);
	se_expect_none(e, 0);
	/* reading the rest: a window update at once */
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 3996);
	assert_memory_equal(buf, data + 100, 3996);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 4096);
	assert_int_equal(t.win, 4096);
	assert_int_equal(tt_recv(e->s[0], h, buf, 1), TT_EAGAIN);
}

static void ack_rules(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss, seq = C_ISN + 1;
	struct se_tcp t;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, -1, 65535, &iss);
	assert_true(h > 0);
	/* one segment: the ACK waits for the delayed-ACK timer */
	stackenv_inject_seg(e, CPORT, PORT, seq, iss + 1, F_ACK, 65535, data, 100);
	stackenv_run(e, TT_STACK_DEF_DELACK_MS - 1);
	se_expect_none(e, 0);
	stackenv_run(e, 1);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 100);
	/* out of order: an immediate duplicate ACK */
	stackenv_inject_seg(e, CPORT, PORT, seq + 300, iss + 1, F_ACK, 65535,
			    data + 300, 200);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 100);
	stackenv_inject_seg(e, CPORT, PORT, seq + 700, iss + 1, F_ACK, 65535,
			    data + 700, 100);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 100);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_OOO_HELD), 2);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 100);
	/* a duplicate of old data: an immediate ACK */
	stackenv_inject_seg(e, CPORT, PORT, seq, iss + 1, F_ACK, 65535, data, 100);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 100);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_DUP_DATA), 1);
	/* filling the first hole: an immediate ACK up to the next one */
	stackenv_inject_seg(e, CPORT, PORT, seq + 100, iss + 1, F_ACK, 65535,
			    data + 100, 200);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 500);
	stackenv_inject_seg(e, CPORT, PORT, seq + 500, iss + 1, F_ACK, 65535,
			    data + 500, 200);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 800);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 700);
	assert_memory_equal(buf, data + 100, 700);
	/* a segment partly old: the new part is taken */
	stackenv_inject_seg(e, CPORT, PORT, seq + 750, iss + 1, F_ACK, 65535,
			    data + 750, 100);
	stackenv_run(e, TT_STACK_DEF_DELACK_MS);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, seq + 850);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 50);
	assert_memory_equal(buf, data + 800, 50);
}

/* Our window field is our space shifted by the scale we offered; the
 * peer's is shifted by its. */
static void scaled_windows(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss;
	struct se_tcp t;
	int h, n = 0;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1000, 4, 100, &iss);
	assert_true(h > 0);
	/* 100 << 4 = 1600 bytes of peer window: one full segment; the
	 * 600 bytes left are below an MSS and below half the largest window,
	 * so sender SWS avoidance waits for the ACK (RFC 9293 3.8.6.2.1) */
	assert_int_equal(tt_send(e->s[0], h, data, 5000), 5000);
	while (se_take_tcp(e, 0, buf, &t) == 0)
		n += (int)t.len;
	assert_int_equal(n, 1000);
	/* unscaled, 100 would allow 100 bytes; scaled, another 1000 */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, iss + 1001, F_ACK, 100,
			    NULL, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, iss + 1001);
	assert_int_equal(t.len, 1000);
	se_expect_none(e, 0);
	/* our 4096-byte buffer needs no shift: the SYN-ACK said 0 */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, iss + 2001, F_ACK, 100,
			    data, 500);
	stackenv_run(e, TT_STACK_DEF_DELACK_MS);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.win, 4096 - 500);
}

/* Two stacks: the receiver's buffer fills, its window update is lost,
 * and the sender's probes find the open window all the same. */
static void lost_window_update_recovered(void **state)
{
	struct stackenv *e = *state;
	static uint8_t sink[1u << 17];
	int lh, ha, hb = -1;
	ssize_t n;
	size_t got = 0, sent = 0;

	lh = tt_listen(e->s[1], 7, 1);
	ha = tt_connect(e->s[0], SE_IP_B, 7, 0);
	for (int i = 0; i < 100 && hb < 0; i++) {
		stackenv_run(e, 1);
		hb = tt_accept(e->s[1], lh, NULL);
	}
	assert_true(hb > 0);
	while ((n = tt_send(e->s[0], ha, data, sizeof(data))) > 0)
		sent += (size_t)n;
	stackenv_run(e, 500);
	while ((n = tt_send(e->s[0], ha, data, sizeof(data))) > 0)
		sent += (size_t)n;
	stackenv_run(e, 500);
	assert_int_equal(sent, 2 * TT_STACK_DEF_BUF);  /* both buffers full */
	e->fail_output[1] = 1;                          /* B's frames are lost */
	while ((n = tt_recv(e->s[1], hb, sink, sizeof(sink))) > 0)
		got += (size_t)n;
	e->fail_output[1] = 0;
	assert_int_equal(got, TT_STACK_DEF_BUF);
	assert_true(se_cnt(e, 1, TT_SCNT_TX_FAIL) >= 1);
	for (int i = 0; i < 120000 && got < sent; i++) {
		stackenv_run(e, 1);
		while ((n = tt_recv(e->s[1], hb, sink, sizeof(sink))) > 0)
			got += (size_t)n;
	}
	assert_int_equal(got, sent);
	assert_true(se_cnt(e, 0, TT_SCNT_TCP_PERSIST_PROBES) >= 1);
	assert_int_equal(tt_sock_error(e->s[0], ha), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(peer_window_probed, setup, teardown),
		cmocka_unit_test_setup_teardown(ack_fits_closed_peer_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(own_window_closes_and_opens, setup, teardown),
		cmocka_unit_test_setup_teardown(ack_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(scaled_windows, setup, teardown),
		cmocka_unit_test_setup_teardown(lost_window_update_recovered, setup_wired, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
