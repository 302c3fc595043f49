/* SPDX-License-Identifier: MIT */
/* The timer stage, rule by rule: the current timeout and its backoff cap,
 * expiry (go-back-N, ssthresh, loss window, recover), the retry limit,
 * restart and stop on ACKs, the persist timer and its probes, and the
 * bound on a delayed ACK, checked against random interleavings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tcp_out.h"
#include "tcp_rx.h"
#include "tcp_timers.h"
#include "testenv.h"

static const struct tcp_timer_cfg cfg3 = { .retry_limit = 3 };

/* MSS 1000; 10 segments outstanding (una 1000, nxt 11000), timer running
 * with 10 ticks left, base timeout 10 ticks. */
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
	c.rcv_nxt = 5000;
	c.rcv_wnd = 8000;
	c.snd_wnd = 60000;
	c.cwnd = 10000;
	c.ssthresh = 0xffffffffu;
	c.rto = 10;
	c.timer = 10;
	return c;
}

static struct tcp_timer_out tick(struct tt_ctx *c, const struct tcp_timer_cfg *cfg)
{
	struct tcp_timer_out o;

	tcp_timer_tick(c, cfg, &o);
	return o;
}

/* Tick until the timer does something other than count; return that. */
static struct tcp_timer_out tick_to_expiry(struct tt_ctx *c,
					   const struct tcp_timer_cfg *cfg,
					   unsigned int *ticks)
{
	struct tcp_timer_out o;

	*ticks = 0;
	do {
		o = tick(c, cfg);
		++*ticks;
	} while (o.what == TCP_TIMER_RUNNING && *ticks < 100000);
	return o;
}

static void timeout_backs_off_to_a_cap(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	static const uint16_t want[] = { 10, 20, 40, 80, 160, 320, 640, 640, 640 };

	for (unsigned int r = 0; r < 9; r++) {
		c.retries = (uint8_t)r;
		assert_int_equal(tcp_timer_rto(&c), want[r]);
	}
	c.retries = 255;
	assert_int_equal(tcp_timer_rto(&c), 640);
	c.rto = 2000;                                    /* 2000 << 6 */
	assert_int_equal(tcp_timer_rto(&c), TCP_TIMER_MAX);
	c.rto = 0;                                       /* never "stopped" */
	c.retries = 0;
	assert_int_equal(tcp_timer_rto(&c), 1);
}

static void expiry_goes_back_and_cuts_cwnd(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_timer_out o;
	unsigned int n;

	c.flags |= TT_CTXF_RECOVERY;
	c.dupacks = 5;
	o = tick(&c, &cfg3);
	assert_int_equal(o.what, TCP_TIMER_RUNNING);
	assert_int_equal(c.timer, 9);
	o = tick_to_expiry(&c, &cfg3, &n);
	assert_int_equal(n, 9);                          /* 10 ticks in all */
	assert_int_equal(o.what, TCP_TIMER_RTO);
	assert_true(o.retransmit);
	assert_int_equal(o.seq, 1000);
	assert_false(o.rto_limit);
	assert_int_equal(c.snd_nxt, 1000);               /* go-back-N */
	assert_int_equal(c.recover, 11000);              /* highest sent */
	assert_int_equal(tcp_out_high(&c), 11000);
	assert_int_equal(c.ssthresh, 5000);              /* flight / 2 */
	assert_int_equal(c.cwnd, 1000);                  /* loss window */
	assert_int_equal(c.retries, 1);
	assert_int_equal(c.timer, 20);                   /* doubled */
	assert_int_equal(c.dupacks, 0);
	assert_false(c.flags & TT_CTXF_RECOVERY);        /* RFC 6582 step 4 */
	/* the same data times out again: ssthresh held, timeout doubles */
	c.snd_nxt = 2000;                                /* resent one */
	o = tick_to_expiry(&c, &cfg3, &n);
	assert_int_equal(n, 20);
	assert_int_equal(o.what, TCP_TIMER_RTO);
	assert_int_equal(c.ssthresh, 5000);
	assert_int_equal(c.snd_nxt, 1000);
	assert_int_equal(c.recover, 11000);              /* still the highest */
	assert_int_equal(c.timer, 40);
	/* held even if the flight has grown meanwhile (RFC 5681 3.1) */
	c.snd_nxt = 21000;
	c.timer = 1;
	tick(&c, &cfg3);
	assert_int_equal(c.ssthresh, 5000);
	assert_int_equal(c.recover, 21000);
	/* small flight: ssthresh floor of two MSS */
	c = conn();
	c.snd_nxt = 2500;
	c.timer = 1;
	tick(&c, &cfg3);
	assert_int_equal(c.ssthresh, 2000);
}

static void retry_limit_reported_once(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_timer_cfg none = { 0 };
	struct tcp_timer_out o;
	unsigned int n, total = 0;
	int reports = 0;

	for (int i = 1; i <= 6; i++) {
		o = tick_to_expiry(&c, &cfg3, &n);
		total += n;
		assert_int_equal(o.what, TCP_TIMER_RTO);
		assert_int_equal(c.retries, i);
		assert_int_equal(o.rto_limit, i == 3);   /* on reaching it */
		reports += o.rto_limit;
	}
	assert_int_equal(reports, 1);
	assert_int_equal(total, 10 + 20 + 40 + 80 + 160 + 320);
	assert_int_equal(c.timer, 640);                  /* capped */
	/* limit 0: never */
	c = conn();
	for (int i = 0; i < 300; i++) {
		c.timer = 1;
		assert_false(tick(&c, &none).rto_limit);
	}
	assert_int_equal(c.retries, 255);                /* saturates */
}

static void ack_restarts_or_stops(void **state)
{
	(void)state;
	struct tt_ctx c = conn();

	c.retries = 4;
	c.timer = 3;
	c.snd_una = 5000;                                /* data left */
	tcp_timer_ack(&c);
	assert_int_equal(c.retries, 0);
	assert_int_equal(c.timer, 10);                   /* RFC 6298 5.3 */
	c.snd_una = 11000;                               /* all acked */
	tcp_timer_ack(&c);
	assert_int_equal(c.timer, 0);                    /* RFC 6298 5.2 */
	/* after a go-back, what was sent before still counts */
	c = conn();
	c.recover = 11000;
	c.snd_una = c.snd_nxt = 6000;
	tcp_timer_ack(&c);
	assert_int_equal(c.timer, 10);
	/* a stopped timer with data outstanding starts at the next tick */
	c.timer = 0;
	assert_int_equal(tick(&c, &cfg3).what, TCP_TIMER_STARTED);
	assert_int_equal(c.timer, 10);
	/* nothing outstanding, window open: stays stopped */
	c = conn();
	c.snd_nxt = c.snd_una;
	c.timer = 0;
	assert_int_equal(tick(&c, &cfg3).what, TCP_TIMER_STOPPED);
	assert_int_equal(c.timer, 0);
}

static void persist_probes_back_off_without_a_limit(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_timer_out o;
	struct tcp_out_seg s;
	unsigned int n;

	c.snd_nxt = c.snd_una;                           /* all acked ... */
	c.timer = 0;
	c.snd_wnd = 0;                                   /* ... window shut */
	o = tick(&c, &cfg3);
	assert_int_equal(o.what, TCP_TIMER_PERSIST_START);
	assert_true(c.flags & TT_CTXF_PERSIST);
	assert_int_equal(c.timer, 10);
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_NONE);          /* wait first */
	for (int i = 1; i <= 8; i++) {
		o = tick_to_expiry(&c, &cfg3, &n);
		assert_int_equal(n, tcp_timer_rto(&(struct tt_ctx){ .rto = 10,
				 .retries = (uint8_t)(i - 1) }));
		assert_int_equal(o.what, TCP_TIMER_PROBE_DUE);
		assert_false(o.rto_limit);               /* never for probes */
		assert_false(o.retransmit);
		assert_int_equal(c.retries, i);
		tcp_out_next(&c, &s);
		assert_int_equal(s.kind, TCP_OUT_PROBE);
		assert_int_equal(s.seq, 1000);
		tcp_out_sent(&c, &s);
		assert_int_equal(c.snd_nxt, 1001);
	}
	assert_int_equal(c.cwnd, 10000);                 /* no congestion */
	assert_int_equal(c.ssthresh, 0xffffffffu);
	/* the peer takes the byte: a new ACK ends persist and backoff; the
	 * window is still shut, so persist starts again at the base */
	c.snd_una = 1001;
	tcp_timer_ack(&c);
	assert_int_equal(c.retries, 0);
	assert_int_equal(c.timer, 0);
	assert_false(c.flags & TT_CTXF_PERSIST);
	assert_int_equal(tick(&c, &cfg3).what, TCP_TIMER_PERSIST_START);
	assert_int_equal(c.timer, 10);
}

static void persist_ends_when_the_window_opens(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_timer_out o;
	unsigned int n;

	c.snd_nxt = c.snd_una;
	c.timer = 0;
	c.snd_wnd = 0;
	tick(&c, &cfg3);
	c.snd_wnd = 100;                                 /* a window update */
	o = tick_to_expiry(&c, &cfg3, &n);
	assert_int_equal(o.what, TCP_TIMER_PERSIST_END);
	assert_false(c.flags & (TT_CTXF_PERSIST | TT_CTXF_PROBE));
	assert_int_equal(c.timer, 0);
	/* no data waiting any more: persist ends too */
	c = conn();
	c.snd_nxt = c.snd_una;
	c.timer = 0;
	c.snd_wnd = 0;
	tick(&c, &cfg3);
	c.snd_max = c.snd_una;
	assert_int_equal(tick_to_expiry(&c, &cfg3, &n).what, TCP_TIMER_PERSIST_END);
	/* nothing waiting from the start: no persist at all */
	assert_int_equal(tick(&c, &cfg3).what, TCP_TIMER_STOPPED);
}

/* Data outstanding when the window shuts: the timeout is a persist
 * expiry (go back, probe), not a congestion signal. */
static void timeout_under_a_zero_window_probes(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_timer_out o;
	struct tcp_out_seg s;

	c.snd_wnd = 0;
	c.timer = 1;
	o = tick(&c, &cfg3);
	assert_int_equal(o.what, TCP_TIMER_PROBE_DUE);
	assert_false(o.retransmit);
	assert_int_equal(c.snd_nxt, 1000);
	assert_int_equal(c.recover, 11000);
	assert_int_equal(c.cwnd, 10000);
	assert_true(c.flags & TT_CTXF_PERSIST);
	assert_int_equal(c.timer, 20);
	tcp_out_next(&c, &s);
	assert_int_equal(s.kind, TCP_OUT_PROBE);
	assert_int_equal(s.seq, 1000);
	for (int i = 0; i < 5; i++) {                    /* no retry limit */
		c.timer = 1;
		assert_false(tick(&c, &cfg3).rto_limit);
	}
}

static void delayed_ack_within_two_ticks(void **state)
{
	(void)state;
	struct tt_ctx c = conn();
	struct tcp_rx_seg seg = { 5000, 1000, 60000, 0x10, 1000 };
	struct tcp_rx_out rx;
	struct tcp_timer_out o;

	tcp_rx_segment(&c, &seg, &rx);                   /* one full segment */
	assert_false(rx.send_ack);
	assert_true(c.flags & TT_CTXF_ACK_PENDING);
	o = tick(&c, &cfg3);
	assert_false(o.send_ack);                        /* first tick: ages */
	assert_true(c.flags & TT_CTXF_DELACK);
	o = tick(&c, &cfg3);
	assert_true(o.send_ack);                         /* second: sends */
	assert_false(c.flags & (TT_CTXF_ACK_PENDING | TT_CTXF_DELACK));
	o = tick(&c, &cfg3);
	assert_false(o.send_ack);
	/* a data segment in between pays the ACK */
	tcp_rx_segment(&c, &(struct tcp_rx_seg){ 6000, 1000, 60000, 0x10, 1000 }, &rx);
	tick(&c, &cfg3);
	tcp_out_sent(&c, &(struct tcp_out_seg){ .kind = TCP_OUT_DATA,
		     .seq = c.snd_nxt, .len = 100 });
	assert_false(tick(&c, &cfg3).send_ack);
	assert_false(c.flags & (TT_CTXF_ACK_PENDING | TT_CTXF_DELACK));
}

/* Random interleavings of what sets and pays an owed ACK with ticks: an
 * ACK first owed between tick t and tick t+1 is never still owed after
 * tick t+2. */
static void delayed_ack_bound_holds_under_any_interleaving(void **state)
{
	(void)state;
	uint64_t rng = testenv_seed("tcp_timers delack");
	struct tt_ctx c = conn();
	struct tcp_timer_cfg none = { 0 };
	unsigned int ticks = 0, owed_since = 0, sent_by_tick = 0;

	for (int i = 0; i < 200000; i++) {
		unsigned int ev;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		ev = (unsigned int)(rng >> 33) % 8;
		if (ev < 3) {                            /* RX: ACK delayed */
			if (!(c.flags & TT_CTXF_ACK_PENDING))
				owed_since = ticks;
			c.flags |= TT_CTXF_ACK_PENDING;
		} else if (ev == 3) {                    /* RX: ACK at once */
			c.flags &= (uint8_t)~TT_CTXF_ACK_PENDING;
			if (rng >> 63)                   /* ... or a bit later */
				tcp_out_sent(&c, &(struct tcp_out_seg){ .kind = TCP_OUT_ACK });
		} else if (ev == 4) {                    /* data goes out */
			tcp_out_sent(&c, &(struct tcp_out_seg){ .kind = TCP_OUT_DATA,
				     .seq = c.snd_nxt, .len = 1 });
		} else {
			struct tcp_timer_out o;

			c.timer = 0;                     /* only delack here */
			tcp_timer_tick(&c, &none, &o);
			ticks++;
			sent_by_tick += o.send_ack;
			if (c.flags & TT_CTXF_ACK_PENDING)
				assert_int_equal(owed_since, ticks - 1);
			if (o.send_ack)
				assert_in_range(owed_since, ticks - 2, ticks - 1);
		}
	}
	assert_true(sent_by_tick > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timeout_backs_off_to_a_cap),
		cmocka_unit_test(expiry_goes_back_and_cuts_cwnd),
		cmocka_unit_test(retry_limit_reported_once),
		cmocka_unit_test(ack_restarts_or_stops),
		cmocka_unit_test(persist_probes_back_off_without_a_limit),
		cmocka_unit_test(persist_ends_when_the_window_opens),
		cmocka_unit_test(timeout_under_a_zero_window_probes),
		cmocka_unit_test(delayed_ack_within_two_ticks),
		cmocka_unit_test(delayed_ack_bound_holds_under_any_interleaving),
	};

	return cmocka_run_group_tests_name("tcp_timers", tests, NULL, NULL);
}
