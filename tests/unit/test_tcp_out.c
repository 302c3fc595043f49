/* SPDX-License-Identifier: MIT */
/* The transmit decision, rule by rule: MSS cuts, the peer's window, cwnd,
 * the end of the host buffer, zero-window probes, what sending does to
 * the context (RFC 6298 5.1), pure ACKs after a go-back, the doorbell,
 * and sequence numbers that wrap 2^32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_out.h"
#include "tcp_timers.h"

/* una = nxt = 1000, 100000 bytes waiting, MSS 1000, window and cwnd
 * 20000, base timeout 10 ticks. */
static struct tt_ctx conn(void)
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.mss = 1000;
	c.snd_una = c.snd_nxt = 1000;
	c.snd_max = 101000;
	c.recover = 1000;
	c.snd_wnd = 20000;
	c.cwnd = 20000;
	c.ssthresh = 0xffffffffu;
	c.rto = 10;
	return c;
}

/* Send whatever tcp_out_next offers until it offers nothing; return how
 * many segments went and the last one offered (the NONE). */
static int drain(struct tt_ctx *c, uint16_t *lens, int max,
		 struct tcp_out_seg *last)
{
	int n = 0;

	for (;;) {
		tcp_out_next(c, last);
		if (last->kind == TCP_OUT_NONE || n == max)
			return n;
		assert_int_equal(last->kind, TCP_OUT_DATA);
		assert_int_equal(last->seq, c->snd_nxt);
		lens[n++] = last->len;
		tcp_out_sent(c, last);
	}
}

static void full_segments_until_the_window_is_full(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;
	uint16_t lens[32];

	c.cwnd = 50000;
	assert_int_equal(drain(&c, lens, 32, &s), 20);
	for (int i = 0; i < 20; i++)
		assert_int_equal(lens[i], 1000);
	assert_int_equal(s.limit, TCP_OUT_BY_WINDOW);
	assert_int_equal(c.snd_nxt, 21000);
	/* the window slides with snd_una, not with snd_nxt */
	c.snd_una = 3500;                       /* room for 2500 more */
	assert_int_equal(drain(&c, lens, 32, &s), 3);
	assert_int_equal(lens[0], 1000);
	assert_int_equal(lens[1], 1000);
	assert_int_equal(lens[2], 500);
	assert_int_equal(s.limit, TCP_OUT_BY_WINDOW);
	assert_int_equal(c.snd_nxt, 23500);
}

static void cwnd_limits_what_is_outstanding(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;
	uint16_t lens[8];

	c.cwnd = 3500;
	assert_int_equal(drain(&c, lens, 8, &s), 4);
	assert_int_equal(lens[2], 1000);
	assert_int_equal(lens[3], 500);
	assert_int_equal(s.limit, TCP_OUT_BY_CWND);
	assert_int_equal(c.snd_nxt - c.snd_una, 3500);
	/* cwnd below one MSS still lets one segment out (loss window) */
	c = conn();
	c.cwnd = 10;
	assert_int_equal(drain(&c, lens, 8, &s), 1);
	assert_int_equal(lens[0], 1000);
	assert_int_equal(s.limit, TCP_OUT_BY_CWND);
}

static void scaled_window(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;
	uint16_t lens[8];

	c.snd_wnd = 10;
	c.snd_wscale = 8;                               /* 2560 bytes */
	assert_int_equal(drain(&c, lens, 8, &s), 3);
	assert_int_equal(lens[2], 560);
	assert_int_equal(s.limit, TCP_OUT_BY_WINDOW);
	c = conn();
	c.snd_wnd = 0xffff;
	c.snd_wscale = 14;                              /* 2^30 - 2^14 */
	c.cwnd = 0xffffffffu;
	c.snd_max = c.snd_una + TCP_OUT_BUF_MAX;
	tcp_out_next(&c, &s);
	assert_int_equal(s.len, 1000);
	assert_int_equal(s.limit, TCP_OUT_BY_MSS);
}

/* Length = min(MSS, room in min(window, cwnd), data in the buffer), and
 * the limit names the bound that decided it: MSS on a tie with either,
 * the data on a tie with the window or cwnd. */
static void mss_cut_at_every_boundary(void **state)
{
	(void)state;
	static const uint16_t msses[] = { 1, 536, 1000, 1460, 9000 };
	static const int deltas[] = { -1, 0, 1 };

	for (unsigned int m = 0; m < 5; m++)
	for (unsigned int a = 0; a < 3; a++)
	for (unsigned int w = 0; w < 3; w++)
	for (int by_cwnd = 0; by_cwnd < 2; by_cwnd++) {
		struct tt_ctx c = conn();
		struct tcp_out_seg s;
		uint32_t mss = msses[m], flight = 3 * mss;
		uint32_t avail = mss + deltas[a], room = mss + deltas[w];
		uint32_t len = mss;
		enum tcp_out_limit why = TCP_OUT_BY_MSS;

		c.mss = (uint16_t)mss;
		c.snd_nxt = c.snd_una + flight;
		c.snd_max = c.snd_nxt + avail;
		c.snd_wnd = by_cwnd ? 0xffff : (uint16_t)(flight + room);
		c.cwnd = by_cwnd ? flight + room : 0xffffffu;
		if (avail < len) {
			len = avail;
			why = TCP_OUT_BY_DATA;
		}
		if (room < len) {
			len = room;
			why = by_cwnd ? TCP_OUT_BY_CWND : TCP_OUT_BY_WINDOW;
		}
		tcp_out_next(&c, &s);
		if (!len) {              /* MSS 1, nothing room or data */
			assert_int_equal(s.kind, TCP_OUT_NONE);
			continue;
		}
		assert_int_equal(s.kind, TCP_OUT_DATA);
		assert_int_equal(s.seq, c.snd_nxt);
		assert_int_equal(s.len, len);
		assert_int_equal(s.limit, why);
	}
}

static void nothing_past_the_host_buffer(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;

	c.snd_max = c.snd_nxt;
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_NONE);
	assert_int_equal(s.limit, TCP_OUT_BY_DATA);
	assert_int_equal(tcp_out_doorbell(&c, c.snd_max + 300), 1);
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_DATA);
	assert_int_equal(s.len, 300);
	assert_int_equal(s.limit, TCP_OUT_BY_DATA);
}

static void doorbell_only_moves_forward(void **state)
{
	(void)state;
	struct tt_ctx c = conn();

	assert_int_equal(tcp_out_doorbell(&c, 101000), 0);       /* same */
	assert_int_equal(tcp_out_doorbell(&c, 100999), -1);      /* back */
	assert_int_equal(c.snd_max, 101000);
	assert_int_equal(tcp_out_doorbell(&c, 150000), 1);
	assert_int_equal(c.snd_max, 150000);
	/* more than 2^30 beyond snd_una: refused */
	assert_int_equal(tcp_out_doorbell(&c, c.snd_una + TCP_OUT_BUF_MAX + 1), -1);
	assert_int_equal(c.snd_max, 150000);
	assert_int_equal(tcp_out_doorbell(&c, c.snd_una + TCP_OUT_BUF_MAX), 1);
	/* across 2^32 */
	c.snd_una = c.snd_nxt = c.snd_max = 0xfffffff0u;
	assert_int_equal(tcp_out_doorbell(&c, 0x10), 1);
	assert_int_equal(c.snd_max, 0x10);
	assert_int_equal(tcp_out_doorbell(&c, 0xfffffff8u), -1);
}

static void zero_window_probe(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;

	c.snd_wnd = 0;
	tcp_out_next(&c, &s);                           /* no probe owed */
	assert_int_equal(s.kind, TCP_OUT_NONE);
	assert_int_equal(s.limit, TCP_OUT_BY_PERSIST);
	c.flags |= TT_CTXF_PROBE;
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_PROBE);
	assert_int_equal(s.seq, 1000);
	assert_int_equal(s.len, 1);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.snd_nxt, 1001);              /* the byte is out */
	assert_false(c.flags & TT_CTXF_PROBE);          /* paid */
	assert_true(c.flags & TT_CTXF_PERSIST);         /* paced by persist */
	assert_int_equal(c.timer, 10);
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_NONE);
	/* the next probe is the same byte again; snd_nxt stays */
	c.flags |= TT_CTXF_PROBE;
	c.timer = 20;
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_PROBE);
	assert_int_equal(s.seq, 1000);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.snd_nxt, 1001);
	assert_int_equal(c.timer, 20);
	/* no data in the host buffer: nothing to probe with */
	c = conn();
	c.snd_wnd = 0;
	c.snd_max = c.snd_una;
	c.flags |= TT_CTXF_PROBE;
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_NONE);
}

static void sending_starts_the_timer_once(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;

	c.flags |= TT_CTXF_ACK_PENDING | TT_CTXF_DELACK;
	tcp_out_next(&c, &s);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.timer, 10);                  /* RFC 6298 5.1 */
	assert_false(c.flags & (TT_CTXF_ACK_PENDING | TT_CTXF_DELACK));
	c.timer = 4;
	tcp_out_next(&c, &s);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.timer, 4);                   /* running: kept */
	/* the current timeout includes the backoff */
	c.timer = 0;
	c.retries = 2;
	tcp_out_next(&c, &s);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.timer, 40);
	/* data after persist: the window opened; the timer guards data now */
	c = conn();
	c.flags |= TT_CTXF_PERSIST | TT_CTXF_PROBE;
	c.timer = 300;
	c.retries = 5;
	tcp_out_next(&c, &s);
	tcp_out_sent(&c, &s);
	assert_false(c.flags & (TT_CTXF_PERSIST | TT_CTXF_PROBE));
	assert_int_equal(c.retries, 0);
	assert_int_equal(c.timer, 10);
}

static void pure_ack_after_go_back(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;

	c.snd_nxt = 9000;
	tcp_out_ack(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_ACK);
	assert_int_equal(s.seq, 9000);
	assert_int_equal(s.len, 0);
	/* go back: snd_nxt = snd_una, recover = highest sent */
	c.recover = 9000;
	c.snd_nxt = c.snd_una;
	assert_int_equal(tcp_out_high(&c), 9000);
	tcp_out_ack(&c, &s);
	assert_int_equal(s.seq, 9000);
	c.flags |= TT_CTXF_ACK_PENDING | TT_CTXF_DELACK;
	c.timer = 0;
	tcp_out_sent(&c, &s);                           /* pays the ACK only */
	assert_false(c.flags & (TT_CTXF_ACK_PENDING | TT_CTXF_DELACK));
	assert_int_equal(c.snd_nxt, c.snd_una);
	assert_int_equal(c.timer, 0);
	/* a recovery point outside [snd_una, snd_max] means nothing */
	c.recover = c.snd_max + 1;
	assert_int_equal(tcp_out_high(&c), c.snd_nxt);
	c.recover = c.snd_una - 1;
	assert_int_equal(tcp_out_high(&c), c.snd_nxt);
}

static void go_back_resends_and_stale_copies_do_not_move(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s, stale;

	c.snd_nxt = 6000;
	tcp_out_next(&c, &stale);                       /* chosen ... */
	c.recover = 6000;                               /* ... then go back */
	c.snd_nxt = c.snd_una;
	tcp_out_sent(&c, &stale);                       /* its DMA answer */
	assert_int_equal(c.snd_nxt, c.snd_una);         /* not skipped ahead */
	tcp_out_next(&c, &s);
	assert_int_equal(s.seq, 1000);                  /* resent from una */
	assert_int_equal(s.len, 1000);
}

static void sequence_wrap(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;
	uint16_t lens[8];

	c.snd_una = c.snd_nxt = 0xfffffc00u;            /* 1024 before 2^32 */
	c.snd_max = 0x00000800u;                        /* 3072 bytes */
	c.cwnd = 2500;
	tcp_out_next(&c, &s);
	assert_int_equal(s.seq, 0xfffffc00u);
	assert_int_equal(s.len, 1000);
	tcp_out_sent(&c, &s);
	tcp_out_next(&c, &s);
	assert_int_equal(s.seq, 0xffffffe8u);           /* crosses 2^32 */
	assert_int_equal(s.len, 1000);
	tcp_out_sent(&c, &s);
	assert_int_equal(c.snd_nxt, 0x3d0u);
	tcp_out_next(&c, &s);
	assert_int_equal(s.len, 500);                   /* cwnd across wrap */
	assert_int_equal(s.limit, TCP_OUT_BY_CWND);
	tcp_out_sent(&c, &s);
	c.snd_una = 0x3d0u;                             /* acked past 2^32 */
	assert_int_equal(drain(&c, lens, 8, &s), 1);
	assert_int_equal(lens[0], 572);                 /* the rest, to 0x800 */
	assert_int_equal(s.limit, TCP_OUT_BY_DATA);
	assert_int_equal(c.snd_nxt, 0x800u);
}

static void default_mss(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_out_seg s;

	c.mss = 0;
	tcp_out_next(&c, &s);
	assert_int_equal(s.len, TCP_OUT_DEFAULT_MSS);
	assert_int_equal(s.limit, TCP_OUT_BY_MSS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_segments_until_the_window_is_full),
		cmocka_unit_test(cwnd_limits_what_is_outstanding),
		cmocka_unit_test(scaled_window),
		cmocka_unit_test(mss_cut_at_every_boundary),
		cmocka_unit_test(nothing_past_the_host_buffer),
		cmocka_unit_test(doorbell_only_moves_forward),
		cmocka_unit_test(zero_window_probe),
		cmocka_unit_test(sending_starts_the_timer_once),
		cmocka_unit_test(pure_ack_after_go_back),
		cmocka_unit_test(go_back_resends_and_stale_copies_do_not_move),
		cmocka_unit_test(sequence_wrap),
		cmocka_unit_test(default_mss),
	};

	return cmocka_run_group_tests_name("tcp_out", tests, NULL, NULL);
}
