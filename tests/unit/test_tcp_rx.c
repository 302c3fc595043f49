/* SPDX-License-Identifier: MIT */
/* The receive engine's rules, case by case (lwIP's tcp_in tests as a
 * checklist): ACK processing, in-order delivery, overlap and window
 * trimming, out-of-order and duplicate data, the ACK policy, wrap-around. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_rx.h"

#define ACK 0x10
#define PSH 0x08

static struct tt_ctx conn(uint32_t rcv_nxt, uint32_t snd_una, uint32_t snd_nxt)
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.state = TT_TCP_ESTABLISHED;
	c.mss = 1460;
	c.rcv_nxt = rcv_nxt;
	c.rcv_wnd = 65535;
	c.snd_una = snd_una;
	c.snd_nxt = snd_nxt;
	c.snd_max = snd_nxt;
	c.snd_wnd = 1000;
	return c;
}

static struct tcp_rx_out seg(struct tt_ctx *c, uint32_t seq, uint32_t ack,
			     uint16_t wnd, uint8_t flags, uint16_t len)
{
	struct tcp_rx_seg s = { seq, ack, wnd, flags, len };
	struct tcp_rx_out o;

	tcp_rx_segment(c, &s, &o);
	return o;
}

static void in_order_and_every_second_segment(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 5, 5);
	struct tcp_rx_out o = seg(&c, 1000, 5, 1000, ACK, 1460);

	assert_int_equal(o.note, TCP_RX_OK);
	assert_int_equal(o.seq, 1000);
	assert_int_equal(o.off, 0);
	assert_int_equal(o.len, 1460);
	assert_int_equal(c.rcv_nxt, 2460);
	assert_false(o.send_ack);                      /* first: delayed */
	assert_true(c.flags & TT_CTXF_ACK_PENDING);
	o = seg(&c, 2460, 5, 1000, ACK, 1460);
	assert_true(o.send_ack);                       /* second: now */
	assert_false(c.flags & TT_CTXF_ACK_PENDING);
	o = seg(&c, 3920, 5, 1000, ACK | PSH, 100);
	assert_true(o.send_ack);                       /* short: now */
	assert_int_equal(c.rcv_nxt, 4020);
}

static void out_of_order_is_dropped_with_dup_ack(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 5, 5);
	struct tcp_rx_out o = seg(&c, 2460, 5, 1000, ACK, 1460);

	assert_int_equal(o.note, TCP_RX_OUT_OF_ORDER);
	assert_int_equal(o.len, 0);
	assert_true(o.send_ack);
	assert_int_equal(c.rcv_nxt, 1000);
}

static void duplicate_and_overlap(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 5, 5);
	struct tcp_rx_out o = seg(&c, 500, 5, 1000, ACK, 500);

	assert_int_equal(o.note, TCP_RX_DUPLICATE);   /* ends at rcv_nxt */
	assert_true(o.send_ack);
	assert_int_equal(c.rcv_nxt, 1000);
	o = seg(&c, 900, 5, 1000, ACK, 300);           /* 100 old, 200 new */
	assert_int_equal(o.note, TCP_RX_OK);
	assert_int_equal(o.off, 100);
	assert_int_equal(o.len, 200);
	assert_int_equal(o.seq, 1000);
	assert_int_equal(c.rcv_nxt, 1200);
}

static void window_trim_scale_and_zero(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 5, 5);
	struct tcp_rx_out o;

	c.rcv_wnd = 4;
	c.rcv_wscale = 7;                              /* 512 bytes */
	o = seg(&c, 1000, 5, 1000, ACK, 1460);
	assert_int_equal(o.note, TCP_RX_WINDOW_TRIM);
	assert_int_equal(o.len, 512);
	assert_true(o.send_ack);
	assert_int_equal(c.rcv_nxt, 1512);
	c.rcv_wnd = 0;
	o = seg(&c, 1512, 5, 1000, ACK, 10);
	assert_int_equal(o.note, TCP_RX_ZERO_WINDOW);
	assert_int_equal(o.len, 0);
	assert_true(o.send_ack);
	assert_int_equal(c.rcv_nxt, 1512);
}

static void ack_processing(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 100, 500);
	struct tcp_rx_out o;

	c.dupacks = 2;
	o = seg(&c, 1000, 300, 2000, ACK, 0);          /* new data acked */
	assert_true(o.acked);
	assert_int_equal(c.snd_una, 300);
	assert_int_equal(c.snd_wnd, 2000);
	assert_int_equal(c.dupacks, 0);
	o = seg(&c, 1000, 200, 3000, ACK, 0);          /* old ACK: ignored */
	assert_false(o.acked);
	assert_int_equal(c.snd_una, 300);
	assert_int_equal(c.snd_wnd, 2000);
	o = seg(&c, 1000, 501, 2000, ACK, 10);         /* acks unsent data */
	assert_int_equal(o.note, TCP_RX_ACK_UNSENT);
	assert_true(o.send_ack);
	assert_int_equal(o.len, 0);
	assert_int_equal(c.snd_una, 300);
	assert_int_equal(c.rcv_nxt, 1000);             /* its data dropped */
	o = seg(&c, 1000, 500, 2000, ACK, 0);          /* all acked */
	assert_true(o.acked);
	assert_int_equal(c.snd_una, 500);
}

static void duplicate_acks_rfc5681(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 100, 500);

	for (int i = 1; i <= 3; i++) {
		struct tcp_rx_out o = seg(&c, 1000, 100, 1000, ACK, 0);
		assert_true(o.dupack);
		assert_int_equal(c.dupacks, i);
	}
	assert_false(seg(&c, 1000, 100, 1000, ACK, 10).dupack);  /* data */
	assert_false(seg(&c, 1010, 100, 1200, ACK, 0).dupack);   /* window */
	assert_int_equal(c.snd_wnd, 1200);
	c.snd_nxt = c.snd_una;                                    /* nothing out */
	assert_false(seg(&c, 1010, 100, 1200, ACK, 0).dupack);
	assert_int_equal(c.dupacks, 3);
}

/* After a go-back-N retransmission snd_nxt = snd_una while `recover`
 * still marks the highest sequence sent (ENGINE.md 1.2): an ACK up to
 * recover acknowledges data that was sent, one past it does not, and an
 * ACK of snd_una is a duplicate because data up to recover is out. */
static void acks_are_judged_against_the_highest_sequence_sent(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 100, 100);
	struct tcp_rx_out o;

	c.snd_max = 5000;
	c.recover = 3000;                      /* sent up to 3000, went back */
	o = seg(&c, 1000, 100, 1000, ACK, 0);
	assert_true(o.dupack);                 /* 100..3000 outstanding */
	assert_int_equal(c.dupacks, 1);
	o = seg(&c, 1000, 3001, 1000, ACK, 0);
	assert_int_equal(o.note, TCP_RX_ACK_UNSENT);
	assert_int_equal(c.snd_una, 100);
	o = seg(&c, 1000, 2000, 1000, ACK, 0); /* beyond snd_nxt, sent before */
	assert_int_equal(o.note, TCP_RX_OK);
	assert_true(o.acked);
	assert_int_equal(c.snd_una, 2000);
	o = seg(&c, 1000, 3000, 1000, ACK, 0);
	assert_true(o.acked);
	assert_int_equal(c.snd_una, 3000);
	/* recover spent (== snd_una, snd_nxt behind): only snd_nxt counts */
	c.snd_nxt = 3000;
	o = seg(&c, 1000, 3000, 1000, ACK, 0);
	assert_false(o.dupack);
}

static void no_ack_flag_leaves_context(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 100, 500), before = c;
	struct tcp_rx_out o = seg(&c, 1000, 300, 0, PSH, 100);

	assert_int_equal(o.note, TCP_RX_NO_ACK);
	assert_memory_equal(&c, &before, sizeof(c));
}

/* An ACK of unsent data is answered with an ACK of rcv_nxt at once: a
 * delayed ACK that was owed is paid by it, so the flag clears. */
static void ack_of_unsent_data_pays_a_delayed_ack(void **state)
{
	(void)state;
	struct tt_ctx c = conn(1000, 100, 500);
	struct tcp_rx_out o = seg(&c, 1000, 100, 1000, ACK, 1460);

	assert_false(o.send_ack);
	assert_true(c.flags & TT_CTXF_ACK_PENDING);
	o = seg(&c, 2460, 900, 1000, ACK, 0);
	assert_int_equal(o.note, TCP_RX_ACK_UNSENT);
	assert_true(o.send_ack);
	assert_false(c.flags & TT_CTXF_ACK_PENDING);
	assert_int_equal(c.rcv_nxt, 2460);
}

static void sequence_wrap(void **state)
{
	(void)state;
	struct tt_ctx c = conn(0xfffffe00u, 0xfffffff0u, 0x10u);
	struct tcp_rx_out o = seg(&c, 0xfffffe00u, 0x8u, 1000, ACK, 1460);

	assert_true(o.acked);                          /* 0xfffffff0 < 0x8 */
	assert_int_equal(c.snd_una, 0x8);
	assert_int_equal(o.len, 1460);
	assert_int_equal(c.rcv_nxt, 0xfffffe00u + 1460);
	o = seg(&c, 0xfffffe00u, 0x8u, 1000, ACK, 1460); /* old now */
	assert_int_equal(o.note, TCP_RX_DUPLICATE);
	assert_int_equal(c.rcv_nxt, 0x3b4);              /* wrapped */
	o = seg(&c, 0x00000400u, 0x8u, 1000, ACK, 10);   /* past rcv_nxt */
	assert_int_equal(o.note, TCP_RX_OUT_OF_ORDER);
	assert_true(seq_lt(0xffffffffu, 0));
	assert_false(seq_lt(0, 0xffffffffu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order_and_every_second_segment),
		cmocka_unit_test(out_of_order_is_dropped_with_dup_ack),
		cmocka_unit_test(duplicate_and_overlap),
		cmocka_unit_test(window_trim_scale_and_zero),
		cmocka_unit_test(ack_processing),
		cmocka_unit_test(duplicate_acks_rfc5681),
		cmocka_unit_test(acks_are_judged_against_the_highest_sequence_sent),
		cmocka_unit_test(no_ack_flag_leaves_context),
		cmocka_unit_test(ack_of_unsent_data_pays_a_delayed_ack),
		cmocka_unit_test(sequence_wrap),
	};

	return cmocka_run_group_tests_name("tcp_rx", tests, NULL, NULL);
}
