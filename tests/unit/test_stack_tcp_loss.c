/* SPDX-License-Identifier: MIT */
/*
 * Loss recovery against a crafted peer: limited transmit on the first
 * two duplicate ACKs (RFC 3042), fast retransmit on the third, NewReno
 * fast recovery (window inflation, partial ACK
 * sends the next hole, full ACK ends it; RFC 5681, 6582); the
 * retransmission timer doubling and giving up with ETIMEDOUT; the RTT
 * estimator and Karn's rule (RFC 6298).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

#define F_ACK 0x10
#define C_ISN 777u
#define PORT  80
#define CPORT 40000

static uint8_t buf[SE_FRAME], data[65536];

static int open_env(void **state, uint32_t rto_min, uint32_t retries)
{
	struct stackenv *e = calloc(1, sizeof(*e));
	struct tt_stack_params p;

	stackenv_params(e, 0, &p);
	p.rto_min_ms = rto_min;
	p.data_retries = retries;
	stackenv_open(e, 0, &p, NULL);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
	*state = e;
	return 0;
}

static int setup(void **state) { return open_env(state, 0, 0); }
static int setup_retries(void **state) { return open_env(state, 0, 3); }
static int setup_fine_rto(void **state) { return open_env(state, 10, 0); }

static int teardown(void **state)
{
	stackenv_close(*state);
	free(*state);
	return 0;
}

static void ack(struct stackenv *e, uint32_t a)
{
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, a, F_ACK, 65535, NULL, 0);
}

/* Take every frame side 0 sent: the sequence of each data segment. */
static int take_data(struct stackenv *e, uint32_t *seqs, int max)
{
	struct se_tcp t;
	int n = 0;

	while (se_take_tcp(e, 0, buf, &t) == 0)
		if (t.len && n < max)
			seqs[n++] = t.seq;
	return n;
}

static void fast_retransmit_and_recovery(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info info;
	uint32_t iss, s[16], base;
	struct se_tcp t;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1000, -1, 65535, &iss);
	base = iss + 1;
	assert_int_equal(tt_send(e->s[0], h, data, 20000), 20000);
	assert_int_equal(take_data(e, s, 16), 4);       /* IW: 4 x 1000 */
	ack(e, base + 1000);                            /* slow start: +1 */
	assert_int_equal(take_data(e, s, 16), 2);
	assert_int_equal(s[0], base + 4000);
	assert_int_equal(s[1], base + 5000);
	/* segment base+1000 was lost. The first two duplicates each let
	 * one new segment out (RFC 3042 limited transmit) */
	ack(e, base + 1000);
	assert_int_equal(take_data(e, s, 16), 1);
	assert_int_equal(s[0], base + 6000);
	ack(e, base + 1000);
	assert_int_equal(take_data(e, s, 16), 1);
	assert_int_equal(s[0], base + 7000);
	/* the third: fast retransmit */
	ack(e, base + 1000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, base + 1000);
	assert_int_equal(t.len, 1000);
	assert_memory_equal(t.data, data + 1000, 1000);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_FAST_RETRANSMITS), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_DUPACKS), 3);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.ssthresh, 3500);          /* flight 7000 / 2 */
	assert_int_equal(info.cwnd, 3500 + 3 * 1000);
	/* each further duplicate inflates the window by one segment; new
	 * data goes once a whole segment fits (7000 in flight) */
	ack(e, base + 1000);
	se_expect_none(e, 0);
	ack(e, base + 1000);
	assert_int_equal(take_data(e, s, 16), 1);
	assert_int_equal(s[0], base + 8000);
	/* a partial ACK: the next hole goes at once */
	ack(e, base + 3000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, base + 3000);
	assert_memory_equal(t.data, data + 3000, 1000);
	stackenv_drain(e, 0);
	/* the full ACK (past `recover`, base + 8000) ends recovery */
	ack(e, base + 9000);
	tt_sock_info(e->s[0], h, &info);
	assert_true(info.cwnd <= info.ssthresh);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RTO), 0);
}

/* A new loss right where the last recovery ended (duplicates of exactly
 * `recover`) is fast-retransmitted too: the ACK heuristic of RFC 6582
 * 4.1 sees the last ACK moved the window by one segment, not the burst
 * that duplicates of a retransmission would follow. */
static void fresh_loss_after_recovery(void **state)
{
	struct stackenv *e = *state;
	uint32_t iss, s[16], base;
	struct se_tcp t;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1000, -1, 65535, &iss);
	base = iss + 1;
	assert_int_equal(tt_send(e->s[0], h, data, 30000), 30000);
	assert_int_equal(take_data(e, s, 16), 4);
	ack(e, base);                           /* segment 0 lost */
	ack(e, base);
	assert_int_equal(take_data(e, s, 16), 2);  /* limited transmit */
	ack(e, base);                           /* recover = base + 6000 */
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, base);
	ack(e, base + 5000);                    /* partial: 5000 lost too */
	assert_int_equal(take_data(e, s, 16), 2);
	assert_int_equal(s[0], base + 5000);    /* the hole, at once */
	assert_int_equal(s[1], base + 6000);    /* and new data */
	ack(e, base + 6000);                    /* full: exactly recover */
	assert_int_equal(take_data(e, s, 16), 1);
	assert_int_equal(s[0], base + 7000);
	/* segment 6000 lost: duplicates of recover itself */
	ack(e, base + 6000);
	ack(e, base + 6000);
	assert_int_equal(take_data(e, s, 16), 2);
	ack(e, base + 6000);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.seq, base + 6000);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_FAST_RETRANSMITS), 2);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RTO), 0);
}

static void retransmission_timer_backs_off_and_gives_up(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info info;
	uint32_t iss;
	struct se_tcp t;
	uint64_t rto = 200; /* the floor: the handshake measured 0 ms */
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1000, -1, 65535, &iss);
	assert_int_equal(tt_send(e->s[0], h, data, 3000), 3000);
	stackenv_drain(e, 0);
	for (int k = 0; k < 3; k++) {
		stackenv_run(e, rto - 1);
		se_expect_none(e, 0);
		stackenv_run(e, 1);
		se_expect_tcp(e, 0, buf, &t);      /* go-back-N, loss window */
		assert_int_equal(t.seq, iss + 1);
		assert_int_equal(t.len, 1000);
		se_expect_none(e, 0);
		tt_sock_info(e->s[0], h, &info);
		assert_int_equal(info.cwnd, 1000);
		assert_int_equal(info.ssthresh, 2000); /* max(flight/2, 2 SMSS) */
		rto *= 2;
	}
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RTO), 3);
	stackenv_run(e, rto);
	se_expect_none(e, 0);
	assert_true(se_events(e, 0, h) & TT_EV_RESET);
	assert_int_equal(tt_sock_error(e->s[0], h), TT_ETIMEDOUT);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_TIMEOUT_ABORTS), 1);
	assert_int_equal(tt_send(e->s[0], h, data, 1), TT_ETIMEDOUT);
	tt_close(e->s[0], h);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void rtt_estimate_and_karn(void **state)
{
	struct stackenv *e = *state;
	struct se_seg syn = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A, .sport = CPORT,
		.dport = PORT, .seq = C_ISN, .flags = 0x02, .win = 65535,
		.mss = 1000, .ws = -1,
	};
	struct tt_sock_info info;
	uint32_t una;
	struct se_tcp t;
	int lh, h;

	/* a handshake that takes 40 ms: R = 40, SRTT = 40, RTTVAR = 20,
	 * RTO = 40 + 4 * 20 */
	lh = tt_listen(e->s[0], PORT, 1);
	stackenv_inject(e, 0, buf, se_tcp_build(buf, &syn));
	se_expect_tcp(e, 0, buf, &t);
	una = t.seq + 1;
	stackenv_run(e, 40);
	ack(e, una);
	h = tt_accept(e->s[0], lh, NULL);
	assert_true(h > 0);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.srtt_ms, 40);
	assert_int_equal(info.rto_ms, 120);
	/* R = 50: SRTT8 = 320 + 10, RTTVAR4 = 80 + (10 - 20) */
	tt_send(e->s[0], h, data, 100);
	stackenv_drain(e, 0);
	stackenv_run(e, 50);
	ack(e, una += 100);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.srtt_ms, 41);
	assert_int_equal(info.rto_ms, 41 + 70);
	/* a segment sent twice gives no sample (Karn): the backed-off RTO
	 * stays until a clean measurement (RFC 6298 5.7) */
	tt_send(e->s[0], h, data, 100);
	stackenv_drain(e, 0);
	stackenv_run(e, 111);
	assert_int_equal(stackenv_pending(e, 0), 1);
	stackenv_drain(e, 0);
	stackenv_run(e, 5);
	ack(e, una += 100);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.srtt_ms, 41);
	assert_int_equal(info.rto_ms, 222);
	/* the next clean sample, R = 20: SRTT8 = 330 - 21, RTTVAR4 =
	 * 70 + (21 - 17) */
	tt_send(e->s[0], h, data, 100);
	stackenv_drain(e, 0);
	stackenv_run(e, 20);
	ack(e, una += 100);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.srtt_ms, 38);
	assert_int_equal(info.rto_ms, 38 + 74);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fast_retransmit_and_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(fresh_loss_after_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(retransmission_timer_backs_off_and_gives_up, setup_retries, teardown),
		cmocka_unit_test_setup_teardown(rtt_estimate_and_karn, setup_fine_rto, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
