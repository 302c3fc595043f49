/* SPDX-License-Identifier: MIT */
/*
 * Opening TCP connections (RFC 9293 3.5, 3.10.7.1-3; RFC 7323 options):
 * passive open with and without window scaling, active open between two
 * stacks, simultaneous open, RSTs for segments of no connection (SYN to a
 * closed port, ACK of nothing, not for an RST), a refused connect, the
 * SYN-ACK sent again (timer and duplicate SYN), half-open connections
 * given up, a full backlog and a full connection pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_ACK 0x10

static uint8_t buf[SE_FRAME], fr[SE_FRAME];

static int setup1(void **state)
{
	static struct stackenv e;
	struct tt_stack_params p;

	stackenv_params(&e, 0, &p);
	p.max_conns = 4;
	stackenv_open(&e, 0, &p, NULL);
	*state = &e;
	return 0;
}

static int setup2(void **state)
{
	static struct stackenv e;

	stackenv_open(&e, 1, NULL, NULL);
	e.wired = 1;
	e.delay_ms = 1;
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	return 0;
}

/* A segment from C:sport to A:dport. */
static void inject(struct stackenv *e, uint16_t sport, uint16_t dport,
		   uint32_t seq, uint32_t ack, uint8_t flags, uint16_t mss,
		   int ws, size_t len)
{
	static const uint8_t data[1460];
	struct se_seg g = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A,
		.sport = sport, .dport = dport, .seq = seq, .ack = ack,
		.flags = flags, .win = 5000, .mss = mss, .ws = ws,
		.payload = data, .len = len,
	};
	size_t n = se_tcp_build(fr, &g);

	stackenv_inject(e, 0, fr, n);
}

/* C's MAC in A's ARP cache (an ARP request from C, reply discarded). */
static void learn_c(struct stackenv *e)
{
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t f[42] = { 0 };

	memcpy(f, bc, 6);
	memcpy(f + 6, se_mac_c, 6);
	f[12] = 0x08; f[13] = 0x06; f[15] = 1; f[16] = 0x08; f[18] = 6; f[19] = 4;
	f[21] = 1;
	memcpy(f + 22, se_mac_c, 6);
	f[28] = 198; f[29] = 18; f[30] = 0; f[31] = 3;
	f[38] = 198; f[39] = 18; f[40] = 0; f[41] = 1;
	stackenv_inject(e, 0, f, sizeof(f));
	stackenv_drain(e, 0);
}

static void passive_open_with_options(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info info;
	struct se_tcp t;
	int lh, h;

	lh = tt_listen(e->s[0], 80, 4);
	assert_true(lh > 0);
	assert_int_equal(tt_listen(e->s[0], 80, 4), TT_EADDRINUSE);
	inject(e, 40000, 80, 1000, 0, F_SYN, 1400, 3, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_SYN | F_ACK);
	assert_int_equal(t.ack, 1001);
	assert_int_equal(t.mss, 1460);
	assert_int_equal(t.ws, 1);              /* 64 KiB buffer: shift 1 */
	assert_int_equal(t.win, 65535);         /* a SYN's window: unscaled */
	assert_int_equal(t.sport, 80);
	assert_int_equal(t.dport, 40000);
	assert_int_equal(t.dst_ip, SE_IP_C);
	assert_memory_equal(t.dst_mac, se_mac_c, 6);
	assert_int_equal(tt_accept(e->s[0], lh, NULL), TT_EAGAIN);

	inject(e, 40000, 80, 1001, t.seq + 1, F_ACK, 0, -1, 0);
	se_expect_none(e, 0);
	assert_int_equal(se_events(e, 0, lh), TT_EV_ACCEPT);
	assert_int_equal(tt_sock_events(e->s[0], lh), TT_EV_ACCEPT);
	h = tt_accept(e->s[0], lh, &info);
	assert_true(h > 0);
	assert_int_equal(info.state, TT_SOCK_ESTABLISHED);
	assert_int_equal(info.mss, 1400);
	assert_int_equal(info.snd_wscale, 3);
	assert_int_equal(info.rcv_wscale, 1);
	assert_int_equal(info.t.saddr, SE_IP_C);
	assert_int_equal(info.t.sport, 40000);
	assert_int_equal(info.t.dport, 80);
	assert_int_equal(tt_accept(e->s[0], lh, NULL), TT_EAGAIN);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_OPENED), 1);
	assert_true(tt_sock_events(e->s[0], h) & TT_EV_WRITABLE);
}

static void passive_open_without_options(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info info;
	struct se_tcp t;
	int lh, h;

	lh = tt_listen(e->s[0], 80, 4);
	inject(e, 40001, 80, 0xfffffff0u, 0, F_SYN, 0, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_SYN | F_ACK);
	assert_int_equal(t.ack, 0xfffffff1u);
	assert_int_equal(t.mss, 1460);
	assert_int_equal(t.ws, -1);   /* not offered to a peer that did not */
	inject(e, 40001, 80, 0xfffffff1u, t.seq + 1, F_ACK, 0, -1, 0);
	h = tt_accept(e->s[0], lh, &info);
	assert_true(h > 0);
	assert_int_equal(info.mss, 536);        /* RFC 9293 default */
	assert_int_equal(info.snd_wscale, 0);
	assert_int_equal(info.rcv_wscale, 0);
}

static void active_open_between_stacks(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info ia, ib;
	int lh, ha, hb;

	lh = tt_listen(e->s[1], 8080, 8);
	ha = tt_connect(e->s[0], SE_IP_B, 8080, 0);
	assert_true(ha > 0);
	assert_int_equal(tt_sock_info(e->s[0], ha, &ia), 0);
	assert_int_equal(ia.state, TT_SOCK_SYN_SENT);
	assert_true(ia.t.dport >= 49152);
	stackenv_run(e, 20);
	assert_true(se_events(e, 0, ha) & TT_EV_CONNECTED);
	assert_true(se_events(e, 1, lh) & TT_EV_ACCEPT);
	hb = tt_accept(e->s[1], lh, &ib);
	assert_true(hb > 0);
	tt_sock_info(e->s[0], ha, &ia);
	assert_int_equal(ia.state, TT_SOCK_ESTABLISHED);
	assert_int_equal(ia.mss, 1460);
	assert_int_equal(ia.snd_wscale, 1);
	assert_int_equal(ia.rcv_wscale, 1);
	assert_int_equal(ib.snd_wscale, 1);
	assert_int_equal(ib.t.sport, ia.t.dport);
	/* the tuple is taken */
	assert_int_equal(tt_connect(e->s[0], SE_IP_B, 8080, ia.t.dport),
			 TT_EADDRINUSE);
	assert_int_equal(e->lost, 0);
}

static void rst_for_no_connection(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;

	/* SYN to a closed port: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK> */
	inject(e, 40002, 81, 5000, 0, F_SYN, 1460, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_RST | F_ACK);
	assert_int_equal(t.seq, 0);
	assert_int_equal(t.ack, 5001);
	assert_int_equal(t.sport, 81);
	assert_int_equal(t.dport, 40002);
	assert_memory_equal(t.dst_mac, se_mac_c, 6);
	/* data and FIN without ACK count in SEG.LEN */
	inject(e, 40002, 81, 7000, 0, F_FIN, 0, -1, 100);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.ack, 7101);
	/* an ACK of nothing: <SEQ=SEG.ACK><RST> */
	inject(e, 40002, 81, 7, 12345, F_ACK, 0, -1, 10);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_RST);
	assert_int_equal(t.seq, 12345);
	/* never an RST for an RST */
	inject(e, 40002, 81, 7, 12345, F_RST | F_ACK, 0, -1, 0);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_NO_CONN), 4);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RST_SENT), 3);
}

static void listener_rules(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;

	tt_listen(e->s[0], 80, 4);
	inject(e, 40003, 80, 1, 99, F_ACK, 0, -1, 0);
	se_expect_tcp(e, 0, buf, &t);           /* ACK to a listener: RST */
	assert_int_equal(t.flags, F_RST);
	assert_int_equal(t.seq, 99);
	inject(e, 40003, 80, 1, 0, F_RST, 0, -1, 0);
	inject(e, 40003, 80, 1, 0, F_FIN, 0, -1, 0);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_LISTEN), 3);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void backlog_and_pool_bounded(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	int lh, h, n;

	/* backlog 2: the third SYN is dropped, counted */
	lh = tt_listen(e->s[0], 80, 2);
	for (uint16_t p = 0; p < 3; p++)
		inject(e, (uint16_t)(41000 + p), 80, 100, 0, F_SYN, 1460, -1, 0);
	assert_int_equal(stackenv_pending(e, 0), 2);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_BACKLOG), 1);
	se_expect_tcp(e, 0, buf, &t);
	inject(e, 41000, 80, 101, t.seq + 1, F_ACK, 0, -1, 0);
	stackenv_drain(e, 0);
	h = tt_accept(e->s[0], lh, NULL);
	assert_true(h > 0);
	/* accepted: room in the backlog again */
	inject(e, 41003, 80, 100, 0, F_SYN, 1460, -1, 0);
	assert_int_equal(stackenv_pending(e, 0), 1);
	stackenv_drain(e, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 3);

	/* max_conns 4: one more fits, then the pool is full */
	tt_close(e->s[0], lh);
	stackenv_drain(e, 0);
	n = (int)tt_stack_conns(e->s[0]);
	assert_int_equal(n, 1);                 /* the accepted one */
	lh = tt_listen(e->s[0], 80, 16);
	for (uint16_t p = 0; p < 4; p++)
		inject(e, (uint16_t)(42000 + p), 80, 100, 0, F_SYN, 1460, -1, 0);
	assert_int_equal(stackenv_pending(e, 0), 3);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_POOL_FULL), 1);
	assert_int_equal(tt_connect(e->s[0], SE_IP_C, 80, 0), TT_EFULL);
	assert_int_equal(tt_stack_conns(e->s[0]), 4);
}

static void syn_ack_again_and_given_up(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t, t2;
	int lh;

	lh = tt_listen(e->s[0], 80, 4);
	inject(e, 40004, 80, 300, 0, F_SYN, 1460, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	/* the SYN again: the SYN-ACK again at once */
	inject(e, 40004, 80, 300, 0, F_SYN, 1460, -1, 0);
	se_expect_tcp(e, 0, buf, &t2);
	assert_int_equal(t2.flags, F_SYN | F_ACK);
	assert_int_equal(t2.seq, t.seq);
	/* the timer: after the initial RTO (1 s), then doubling */
	stackenv_run(e, 999);
	se_expect_none(e, 0);
	stackenv_run(e, 1);
	se_expect_tcp(e, 0, buf, &t2);
	assert_int_equal(t2.flags, F_SYN | F_ACK);
	assert_int_equal(t2.seq, t.seq);
	stackenv_run(e, 1999);
	se_expect_none(e, 0);
	stackenv_run(e, 1);
	se_expect_tcp(e, 0, buf, &t2);
	/* five retries in all, then the half-open connection goes */
	stackenv_run(e, 200000);
	assert_int_equal(stackenv_pending(e, 0), 3);
	stackenv_drain(e, 0);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_TIMEOUT_ABORTS), 1);
	assert_int_equal(tt_accept(e->s[0], lh, NULL), TT_EAGAIN);
}

static void connect_refused(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	uint32_t iss;
	int h;

	learn_c(e);
	h = tt_connect(e->s[0], SE_IP_C, 80, 50000);
	assert_true(h > 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_SYN);
	assert_int_equal(t.mss, 1460);
	assert_int_equal(t.ws, 1);
	iss = t.seq;
	/* an RST without an acceptable ACK is ignored (RFC 9293 3.10.7.3) */
	inject(e, 80, 50000, 0, 0, F_RST, 0, -1, 0);
	inject(e, 80, 50000, 0, iss + 7, F_RST | F_ACK, 0, -1, 0);
	se_expect_none(e, 0);
	/* an ACK of something never sent: <SEQ=SEG.ACK><CTL=RST> */
	inject(e, 80, 50000, 0, iss + 7, F_ACK, 0, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_RST);
	assert_int_equal(tt_sock_error(e->s[0], h), 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_HANDSHAKE), 3);
	inject(e, 80, 50000, 0, iss + 1, F_RST | F_ACK, 0, -1, 0);
	se_expect_none(e, 0);
	assert_true(se_events(e, 0, h) & TT_EV_RESET);
	assert_int_equal(tt_sock_error(e->s[0], h), TT_ECONNREFUSED);
	assert_int_equal(tt_send(e->s[0], h, "x", 1), TT_ECONNREFUSED);
	assert_int_equal(tt_recv(e->s[0], h, buf, 1), TT_ECONNREFUSED);
	assert_int_equal(tt_close(e->s[0], h), 0);
	assert_int_equal(tt_close(e->s[0], h), TT_EBADF);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
}

static void simultaneous_open(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	uint32_t iss;
	int h;

	learn_c(e);
	h = tt_connect(e->s[0], SE_IP_C, 80, 50001);
	se_expect_tcp(e, 0, buf, &t);
	iss = t.seq;
	/* C's own SYN crosses ours */
	inject(e, 80, 50001, 9000, 0, F_SYN, 1200, 2, 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_int_equal(t.flags, F_SYN | F_ACK);
	assert_int_equal(t.seq, iss);
	assert_int_equal(t.ack, 9001);
	assert_int_equal(t.ws, 1);
	inject(e, 80, 50001, 9001, iss + 1, F_ACK, 0, -1, 0);
	assert_true(se_events(e, 0, h) & TT_EV_CONNECTED);
	assert_int_equal(tt_sock_events(e->s[0], h) & TT_EV_CONNECTED,
			 TT_EV_CONNECTED);
	se_expect_none(e, 0);
}

static unsigned int notified;

static void count_notify(void *arg)
{
	(void)arg;
	notified++;
}

static int setup_notify(void **state)
{
	static struct stackenv e;
	struct tt_stack_params p;

	stackenv_params(&e, 0, &p);
	p.notify = count_notify;
	p.max_conns = 1;
	stackenv_open(&e, 0, &p, NULL);
	notified = 0;
	*state = &e;
	return 0;
}

/* The ready list: notify when it becomes non-empty, each socket once
 * with the events raised meanwhile, events of a connection kept until it
 * is accepted; handles die with tt_close and are never reused. */
static void events_and_handles(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_event ev;
	struct tt_sock_info info;
	struct se_tcp t;
	int lh, h, h2;

	lh = tt_listen(e->s[0], 80, 1);
	assert_int_equal(tt_next_event(e->s[0], &ev), 0);
	inject(e, 40005, 80, 100, 0, F_SYN, 1460, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	inject(e, 40005, 80, 101, t.seq + 1, F_ACK, 0, -1, 0);
	inject(e, 40005, 80, 101, t.seq + 1, F_ACK, 0, -1, 30);  /* data */
	inject(e, 40005, 80, 131, t.seq + 1, F_ACK | F_FIN, 0, -1, 0);
	stackenv_drain(e, 0);
	assert_int_equal(notified, 1);
	assert_int_equal(tt_next_event(e->s[0], &ev), 1);
	assert_int_equal(ev.handle, lh);
	assert_int_equal(ev.events, TT_EV_ACCEPT);
	assert_int_equal(tt_next_event(e->s[0], &ev), 0);
	h = tt_accept(e->s[0], lh, NULL);
	assert_true(h > 0 && h != lh);
	/* what came before the accept is news now */
	assert_int_equal(notified, 2);
	assert_int_equal(tt_next_event(e->s[0], &ev), 1);
	assert_int_equal(ev.handle, h);
	assert_int_equal(ev.events, TT_EV_READABLE | TT_EV_EOF);
	assert_int_equal(tt_next_event(e->s[0], &ev), 0);
	assert_int_equal(tt_sock_events(e->s[0], h),
			 TT_EV_READABLE | TT_EV_WRITABLE | TT_EV_CONNECTED |
			 TT_EV_EOF);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 30);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 0);
	/* released: the handle is dead for every call */
	assert_int_equal(tt_abort(e->s[0], h), 0);
	stackenv_drain(e, 0);
	assert_int_equal(tt_send(e->s[0], h, buf, 1), TT_EBADF);
	assert_int_equal(tt_recv(e->s[0], h, buf, 1), TT_EBADF);
	assert_int_equal(tt_shutdown(e->s[0], h), TT_EBADF);
	assert_int_equal(tt_close(e->s[0], h), TT_EBADF);
	assert_int_equal(tt_sock_events(e->s[0], h), 0);
	assert_int_equal(tt_sock_error(e->s[0], h), TT_EBADF);
	assert_int_equal(tt_sock_info(e->s[0], h, &info), TT_EBADF);
	assert_int_equal(tt_send(e->s[0], 0, buf, 1), TT_EBADF);
	assert_int_equal(tt_send(e->s[0], -5, buf, 1), TT_EBADF);
	assert_int_equal(tt_send(e->s[0], lh, buf, 1), TT_EBADF);
	assert_int_equal(tt_shutdown(e->s[0], lh), TT_ENOTCONN);
	/* the one TCB of the pool serves a new connection under a new
	 * handle; the old one stays dead */
	inject(e, 40006, 80, 500, 0, F_SYN, 1460, -1, 0);
	se_expect_tcp(e, 0, buf, &t);
	inject(e, 40006, 80, 501, t.seq + 1, F_ACK, 0, -1, 0);
	h2 = tt_accept(e->s[0], lh, NULL);
	assert_true(h2 > 0);
	assert_int_not_equal(h2, h);
	assert_int_equal((h2 & 0xffff), (h & 0xffff));  /* same slot */
	assert_int_equal(tt_send(e->s[0], h, buf, 1), TT_EBADF);
	assert_int_equal(tt_send(e->s[0], h2, buf, 1), 1);
	/* closing the listener: its handle dies too */
	assert_int_equal(tt_close(e->s[0], lh), 0);
	assert_int_equal(tt_accept(e->s[0], lh, NULL), TT_EBADF);
	assert_true(tt_listen(e->s[0], 80, 1) > 0);
}

/* Every counter is readable under a name that says what it counts. */
static void counters_named(void **state)
{
	(void)state;
	for (int c = 0; c < TT_SCNT_N; c++) {
		assert_non_null(tt_stack_counter_name(c));
		assert_non_null(tt_stack_counter_what(c));
	}
	assert_null(tt_stack_counter_name(TT_SCNT_N));
	assert_string_equal(tt_stack_counter_name(TT_SCNT_DROP_TCP_SEQ),
			    "DROP_TCP_SEQ");
	assert_string_equal(tt_sock_strerror(TT_ECONNRESET), "ECONNRESET");
	assert_string_equal(tt_sock_strerror(TT_EAGAIN), tt_status_str(TT_EAGAIN));
	assert_string_equal(tt_sock_state_str(TT_SOCK_TIME_WAIT), "TIME-WAIT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(passive_open_with_options, setup1, teardown),
		cmocka_unit_test_setup_teardown(passive_open_without_options, setup1, teardown),
		cmocka_unit_test_setup_teardown(active_open_between_stacks, setup2, teardown),
		cmocka_unit_test_setup_teardown(rst_for_no_connection, setup1, teardown),
		cmocka_unit_test_setup_teardown(listener_rules, setup1, teardown),
		cmocka_unit_test_setup_teardown(backlog_and_pool_bounded, setup1, teardown),
		cmocka_unit_test_setup_teardown(syn_ack_again_and_given_up, setup1, teardown),
		cmocka_unit_test_setup_teardown(connect_refused, setup1, teardown),
		cmocka_unit_test_setup_teardown(simultaneous_open, setup1, teardown),
		cmocka_unit_test_setup_teardown(events_and_handles, setup_notify, teardown),
		cmocka_unit_test(counters_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
