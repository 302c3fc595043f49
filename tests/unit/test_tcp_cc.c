/* SPDX-License-Identifier: MIT */
/* NewReno, rule by rule: slow start and congestion avoidance counted in
 * bytes, fast retransmit on the third duplicate ACK (not the second),
 * inflation, partial and full ACKs in recovery (RFC 6582), the recovery
 * point after a timeout, duplicates under a zero window, wrap-around. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_cc.h"
#include "tcp_out.h"

/* MSS 1000; 10 segments outstanding: una 1000, nxt 11000; host buffer to
 * 100000; recover spent (just behind una). */
static struct tt_ctx conn(void)
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.mss = 1000;
	c.snd_una = 1000;
	c.snd_nxt = 11000;
	c.snd_max = 100000;
	c.recover = 999;
	c.snd_wnd = 60000;
	c.cwnd = 10000;
	c.ssthresh = 0xffffffffu;
	c.rto = 10;
	return c;
}

/* The receive stage's part: snd_una moves to ack. */
static struct tcp_cc_out new_ack(struct tt_ctx *c, uint32_t ack)
{
	uint32_t acked = ack - c->snd_una;
	struct tcp_cc_out o;

	c->snd_una = ack;
	c->dupacks = 0;
	tcp_cc_new_ack(c, acked, &o);
	return o;
}

/* The receive stage's part: one more duplicate counted. */
static struct tcp_cc_out dup_ack(struct tt_ctx *c)
{
	struct tcp_cc_out o;

	c->dupacks++;
	tcp_cc_dup_ack(c, &o);
	return o;
}

static void slow_start_counts_at_most_one_mss_per_ack(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.cwnd = 2000;
	c.ssthresh = 8000;
	o = new_ack(&c, 2000);
	assert_int_equal(o.what, TCP_CC_SLOW_START);
	assert_int_equal(c.cwnd, 3000);
	o = new_ack(&c, 5000);                  /* a stretch ACK: still +MSS */
	assert_int_equal(c.cwnd, 4000);
	o = new_ack(&c, 5300);                  /* a short one: +300 */
	assert_int_equal(c.cwnd, 4300);
	assert_false(o.retransmit);
}

static void congestion_avoidance_one_mss_per_window(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.cwnd = c.ssthresh = 10000;
	o = new_ack(&c, 2000);
	assert_int_equal(o.what, TCP_CC_AVOIDANCE);
	assert_int_equal(c.cwnd, 10100);        /* 1000 * 1000 / 10000 */
	o = new_ack(&c, 2001);                  /* one byte: at least +1 */
	assert_int_equal(c.cwnd, 10101);
	/* a window's worth of ACKs in byte counts: about one MSS */
	c.cwnd = 20000;
	for (int i = 0; i < 20; i++)
		new_ack(&c, c.snd_una + 1000);
	assert_in_range(c.cwnd, 20900, 21000);
	/* a delayed ACK of two segments counts both */
	c.cwnd = 20000;
	new_ack(&c, c.snd_una + 2000);
	assert_int_equal(c.cwnd, 20100);
	/* never past the largest window TCP can offer */
	c.cwnd = c.ssthresh = TCP_CC_CWND_MAX - 1;
	new_ack(&c, c.snd_una + 1000);
	assert_int_equal(c.cwnd, TCP_CC_CWND_MAX);
	c.ssthresh = 0xffffffffu;
	new_ack(&c, c.snd_una + 1000);
	assert_int_equal(c.cwnd, TCP_CC_CWND_MAX);
}

static void fast_retransmit_on_the_third_duplicate(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.flags |= TT_CTXF_ACK_PENDING;
	for (int i = 1; i <= 2; i++) {
		o = dup_ack(&c);
		assert_int_equal(o.what, TCP_CC_DUP_COUNTED);
		assert_false(o.retransmit);
		assert_int_equal(c.snd_nxt, 11000);
		assert_int_equal(c.cwnd, 10000);
		assert_false(c.flags & TT_CTXF_RECOVERY);
	}
	o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_FAST_RETRANSMIT);
	assert_true(o.retransmit);
	assert_int_equal(o.seq, 1000);
	assert_int_equal(c.ssthresh, 5000);     /* flight 10000 / 2 */
	assert_int_equal(c.cwnd, 8000);         /* ssthresh + 3 MSS */
	assert_int_equal(c.recover, 11000);     /* highest sent */
	assert_int_equal(c.snd_nxt, 1000);      /* go-back-N */
	assert_int_equal(tcp_out_high(&c), 11000);
	assert_true(c.flags & TT_CTXF_RECOVERY);
	assert_true(c.flags & TT_CTXF_ACK_PENDING); /* not cc's business */
	/* further duplicates inflate */
	o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_INFLATE);
	assert_false(o.retransmit);
	assert_int_equal(c.cwnd, 9000);
	dup_ack(&c);
	assert_int_equal(c.cwnd, 10000);
	assert_int_equal(c.snd_nxt, 1000);
}

static void ssthresh_at_least_two_mss(void **state)
{
	(void)state;
	struct tt_ctx c = conn();

	c.snd_nxt = 4000;                       /* flight 3000 */
	for (int i = 0; i < 3; i++)
		dup_ack(&c);
	assert_int_equal(c.ssthresh, 2000);
	assert_int_equal(c.cwnd, 5000);
}

/* A third duplicate while the recovery point of a timeout is not yet
 * acknowledged may answer the timeout's own retransmissions: RFC 6582
 * 3.2 step 1B, no fast retransmit. */
static void no_fast_retransmit_before_recover_is_passed(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.recover = 11000;                      /* a timeout went back */
	c.snd_nxt = 4000;
	c.cwnd = 1000;
	for (int i = 0; i < 3; i++)
		o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_DUP_AFTER_RTO);
	assert_false(o.retransmit);
	assert_int_equal(c.snd_nxt, 4000);
	assert_false(c.flags & TT_CTXF_RECOVERY);
	/* exactly at recover: still blocked ("covers more than recover") */
	c.snd_nxt = 11000;
	new_ack(&c, 11000);
	assert_int_equal(c.recover, 11000);
	c.snd_nxt = 15000;
	for (int i = 0; i < 3; i++)
		o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_DUP_AFTER_RTO);
	/* past it: recover follows una and fast retransmit works again */
	new_ack(&c, 12000);
	assert_int_equal(c.recover, 11999);
	for (int i = 0; i < 3; i++)
		o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_FAST_RETRANSMIT);
	assert_int_equal(c.recover, 15000);
}

static void duplicates_under_a_zero_window_are_probe_answers(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.snd_wnd = 0;
	for (int i = 0; i < 5; i++) {
		o = dup_ack(&c);
		assert_int_equal(o.what, TCP_CC_DUP_ZERO_WINDOW);
		assert_int_equal(c.dupacks, 0);
	}
	assert_int_equal(c.cwnd, 10000);
	assert_int_equal(c.snd_nxt, 11000);
}

/* In recovery after a go-back from una 1000 to recover 11000. */
static struct tt_ctx in_recovery(void)
{
	struct tt_ctx c = conn();

	for (int i = 0; i < 3; i++)
		dup_ack(&c);
	assert_true(c.flags & TT_CTXF_RECOVERY);
	return c;
}

static void partial_ack_deflates_and_stays(void **state)
{
	(void)state;
	struct tt_ctx c = in_recovery();
	struct tcp_cc_out o;

	c.snd_nxt = 5000;                       /* resent 4 segments */
	o = new_ack(&c, 2000);                  /* one of them arrived */
	assert_int_equal(o.what, TCP_CC_PARTIAL);
	assert_int_equal(c.cwnd, 8000);         /* -1000 + 1000 */
	assert_true(c.flags & TT_CTXF_RECOVERY);
	assert_false(o.retransmit);             /* 2000 is in flight again */
	assert_int_equal(c.snd_nxt, 5000);
	o = new_ack(&c, 2500);                  /* less than an MSS */
	assert_int_equal(c.cwnd, 7500);
	/* a partial ACK past what was re-sent (the peer had kept data):
	 * the first unacknowledged segment goes next */
	o = new_ack(&c, 7000);
	assert_int_equal(o.what, TCP_CC_PARTIAL);
	assert_true(o.retransmit);
	assert_int_equal(o.seq, 7000);
	assert_int_equal(c.snd_nxt, 7000);
	assert_int_equal(c.cwnd, 4000);         /* 7500 - 4500 + 1000 */
	/* deflation stops at one MSS */
	c.cwnd = 1500;
	o = new_ack(&c, 10000);                 /* 1500 - 3000 + 1000 */
	assert_int_equal(c.cwnd, 1000);
	o = new_ack(&c, 10500);                 /* 1000 - 500 */
	assert_int_equal(c.cwnd, 1000);
	assert_true(c.flags & TT_CTXF_RECOVERY);
	/* duplicates meanwhile still inflate */
	dup_ack(&c);
	assert_int_equal(c.cwnd, 2000);
}

static void full_ack_ends_recovery(void **state)
{
	(void)state;
	struct tt_ctx c = in_recovery();
	struct tcp_cc_out o;

	c.snd_nxt = 12000;                      /* resent all, one new */
	o = new_ack(&c, 11000);
	assert_int_equal(o.what, TCP_CC_FULL);
	assert_false(c.flags & TT_CTXF_RECOVERY);
	assert_int_equal(c.cwnd, 2000);         /* min(5000, 1000 + 1000) */
	assert_false(o.retransmit);
	/* with more in flight, cwnd comes back to ssthresh */
	c = in_recovery();
	c.snd_nxt = 20000;
	new_ack(&c, 11000);
	assert_int_equal(c.cwnd, 5000);
	/* a full ACK that jumps past snd_nxt catches it up */
	c = in_recovery();
	c.snd_nxt = 3000;
	o = new_ack(&c, 11000);
	assert_int_equal(o.what, TCP_CC_FULL);
	assert_int_equal(c.snd_nxt, 11000);
	assert_int_equal(c.cwnd, 2000);         /* nothing in flight: 2 MSS */
	/* and the next new ACK grows cwnd again, in slow start up to
	 * ssthresh */
	c.snd_nxt = 13000;
	o = new_ack(&c, 12000);
	assert_int_equal(o.what, TCP_CC_SLOW_START);    /* 2000 < 5000 */
}

/* An ACK for data sent before a timeout's go-back, outside recovery. */
static void ack_past_snd_nxt_after_go_back(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.recover = 11000;
	c.snd_nxt = 1000;
	c.cwnd = 1000;
	c.ssthresh = 5000;
	o = new_ack(&c, 9000);
	assert_int_equal(o.what, TCP_CC_SLOW_START);
	assert_int_equal(c.snd_nxt, 9000);
	assert_int_equal(c.cwnd, 2000);
	assert_int_equal(c.recover, 11000);     /* still live */
	assert_int_equal(tcp_out_high(&c), 11000);
}

static void sequence_wrap(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_cc_out o;

	c.snd_una = 0xfffff000u;
	c.snd_nxt = 0x00001000u;                /* 8192 in flight over 2^32 */
	c.snd_max = 0x00100000u;
	c.recover = c.snd_una - 1;
	for (int i = 0; i < 3; i++)
		o = dup_ack(&c);
	assert_int_equal(o.what, TCP_CC_FAST_RETRANSMIT);
	assert_int_equal(c.ssthresh, 4096);
	assert_int_equal(c.recover, 0x1000u);
	assert_int_equal(c.snd_nxt, 0xfffff000u);
	c.snd_nxt = 0xfffff800u;
	o = new_ack(&c, 0x00000400u);           /* past snd_nxt and 2^32 */
	assert_int_equal(o.what, TCP_CC_PARTIAL);
	assert_true(o.retransmit);
	assert_int_equal(c.snd_nxt, 0x400u);
	o = new_ack(&c, 0x00001000u);
	assert_int_equal(o.what, TCP_CC_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slow_start_counts_at_most_one_mss_per_ack),
		cmocka_unit_test(congestion_avoidance_one_mss_per_window),
		cmocka_unit_test(fast_retransmit_on_the_third_duplicate),
		cmocka_unit_test(ssthresh_at_least_two_mss),
		cmocka_unit_test(no_fast_retransmit_before_recover_is_passed),
		cmocka_unit_test(duplicates_under_a_zero_window_are_probe_answers),
		cmocka_unit_test(partial_ack_deflates_and_stays),
		cmocka_unit_test(full_ack_ends_recovery),
		cmocka_unit_test(ack_past_snd_nxt_after_go_back),
		cmocka_unit_test(sequence_wrap),
	};

	return cmocka_run_group_tests_name("tcp_cc", tests, NULL, NULL);
}
