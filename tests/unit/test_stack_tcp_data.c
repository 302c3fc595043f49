/* SPDX-License-Identifier: MIT */
/*
 * Data transfer between two stacks wired back to back: megabytes both
 * ways at once over a seeded channel that loses, duplicates, delays and
 * reorders frames, every byte checked; sequence numbers that cross 2^32;
 * back-pressure of tt_send and the WRITABLE event; then a clean close.
 *
 * TT_SEED replays a run; TT_STACK_BYTES sets the bytes per direction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"
#include "testenv.h"

/* The byte at offset i of direction d's stream: a cheap hash, so that a
 * byte out of place (a lost, doubled or shifted segment) shows. */
static uint8_t stream_byte(int d, uint64_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed ^ (uint64_t)d << 63;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return (uint8_t)(x >> 32);
}

struct dir {
	int from, to;                /* sides */
	int hs, hr;                  /* handles on those sides */
	uint64_t sent, got, total;
	int bad;                     /* first mismatch reported */
};

static void pump_dir(struct stackenv *e, struct dir *d, uint64_t seed)
{
	uint8_t chunk[8192];
	ssize_t n;

	while (d->sent < d->total) {
		size_t len = sizeof(chunk);

		if (len > d->total - d->sent)
			len = (size_t)(d->total - d->sent);
		for (size_t i = 0; i < len; i++)
			chunk[i] = stream_byte(d->from, seed, d->sent + i);
		n = tt_send(e->s[d->from], d->hs, chunk, len);
		if (n == TT_EAGAIN)
			break;
		if (n <= 0)
			fail_msg("tt_send %d->%d after %llu bytes: %s", d->from,
				 d->to, (unsigned long long)d->sent,
				 tt_sock_strerror((int)n));
		d->sent += (uint64_t)n;
	}
	for (;;) {
		n = tt_recv(e->s[d->to], d->hr, chunk, sizeof(chunk));
		if (n == TT_EAGAIN || n == 0)
			break;
		if (n < 0)
			fail_msg("tt_recv %d->%d after %llu bytes: %s", d->from,
				 d->to, (unsigned long long)d->got,
				 tt_sock_strerror((int)n));
		for (ssize_t i = 0; i < n && !d->bad; i++) {
			if (chunk[i] != stream_byte(d->from, seed, d->got + (uint64_t)i)) {
				d->bad = 1;
				fail_msg("direction %d->%d: byte %llu wrong",
					 d->from, d->to,
					 (unsigned long long)(d->got + (uint64_t)i));
			}
		}
		d->got += (uint64_t)n;
	}
}

/* Connect side 0 to a listener on side 1; fills the handles of both
 * directions. */
static void connect_pair(struct stackenv *e, struct dir d[2], uint64_t total)
{
	int lh = tt_listen(e->s[1], 5001, 4), ha, hb = -1;

	assert_true(lh > 0);
	ha = tt_connect(e->s[0], SE_IP_B, 5001, 0);
	assert_true(ha > 0);
	for (int ms = 0; ms < 60000 && hb < 0; ms++) {
		stackenv_run(e, 1);
		hb = tt_accept(e->s[1], lh, NULL);
	}
	assert_true(hb > 0);
	d[0] = (struct dir){ .from = 0, .to = 1, .hs = ha, .hr = hb, .total = total };
	d[1] = (struct dir){ .from = 1, .to = 0, .hs = hb, .hr = ha, .total = total };
}

/* Move both directions to completion; returns the simulated ms. */
static uint64_t transfer(struct stackenv *e, struct dir d[2], uint64_t seed,
			 uint64_t limit_ms)
{
	uint64_t start = e->now;

	while (d[0].got < d[0].total || d[1].got < d[1].total) {
		pump_dir(e, &d[0], seed);
		pump_dir(e, &d[1], seed);
		if (e->now - start > limit_ms)
			fail_msg("transfer stuck: %llu/%llu and %llu/%llu bytes",
				 (unsigned long long)d[0].got,
				 (unsigned long long)d[0].total,
				 (unsigned long long)d[1].got,
				 (unsigned long long)d[1].total);
		stackenv_run(e, 1);
	}
	return e->now - start;
}

/* Both close; both see the end of the other's stream and CLOSED. */
static void close_pair(struct stackenv *e, struct dir d[2])
{
	uint8_t b[16];

	assert_int_equal(tt_shutdown(e->s[0], d[0].hs), 0);
	assert_int_equal(tt_shutdown(e->s[1], d[1].hs), 0);
	for (int ms = 0; ms < 120000; ms++) {
		if (tt_recv(e->s[0], d[1].hr, b, sizeof(b)) == 0 &&
		    tt_recv(e->s[1], d[0].hr, b, sizeof(b)) == 0 &&
		    (tt_sock_events(e->s[0], d[0].hs) & TT_EV_CLOSED) &&
		    (tt_sock_events(e->s[1], d[1].hs) & TT_EV_CLOSED))
			break;
		stackenv_run(e, 1);
	}
	assert_int_equal(tt_recv(e->s[0], d[1].hr, b, sizeof(b)), 0);
	assert_int_equal(tt_recv(e->s[1], d[0].hr, b, sizeof(b)), 0);
	assert_true(tt_sock_events(e->s[0], d[0].hs) & TT_EV_CLOSED);
	assert_true(tt_sock_events(e->s[1], d[1].hs) & TT_EV_CLOSED);
	assert_int_equal(tt_sock_error(e->s[0], d[0].hs), 0);
	assert_int_equal(tt_close(e->s[0], d[0].hs), 0);
	assert_int_equal(tt_close(e->s[1], d[1].hs), 0);
	/* TIME-WAIT ends, the pool empties */
	stackenv_run(e, TT_STACK_DEF_TIME_WAIT_MS + 100);
	assert_int_equal(tt_stack_conns(e->s[0]), 0);
	assert_int_equal(tt_stack_conns(e->s[1]), 0);
}

static int teardown(void **state)
{
	stackenv_close(*state);
	free(*state);
	return 0;
}

static int setup(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));

	stackenv_open(e, 1, NULL, NULL);
	e->wired = 1;
	*state = e;
	return 0;
}

static void bulk_over_lossy_channel(void **state)
{
	struct stackenv *e = *state;
	uint64_t seed = testenv_seed("bulk_over_lossy_channel");
	uint64_t total = testenv_u64("TT_STACK_BYTES", 4u << 20);
	struct dir d[2];
	uint64_t ms;

	e->rng.s = seed;
	e->delay_ms = 2;
	e->jitter_ms = 1;
	e->loss_pm = 20;
	e->dup_pm = 10;
	e->reorder_pm = 30;
	connect_pair(e, d, total);
	ms = transfer(e, d, seed, 3600u * 1000u);
	print_message("# %llu bytes each way in %llu simulated ms; %llu frames, "
		      "%llu lost, %llu doubled, %llu reordered; retransmits %llu+%llu, "
		      "fast %llu+%llu, RTOs %llu+%llu, held out of order %llu+%llu\n",
		      (unsigned long long)total, (unsigned long long)ms,
		      (unsigned long long)e->sent, (unsigned long long)e->lost,
		      (unsigned long long)e->dups, (unsigned long long)e->reordered,
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_TCP_RETRANSMITS),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_TCP_RETRANSMITS),
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_TCP_FAST_RETRANSMITS),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_TCP_FAST_RETRANSMITS),
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_TCP_RTO),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_TCP_RTO),
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_TCP_OOO_HELD),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_TCP_OOO_HELD));
	print_message("# dropped: beyond the held ranges %llu+%llu, beyond the window "
		      "%llu+%llu, old data %llu+%llu; link queue overflow %llu\n",
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_DROP_TCP_OOO_FULL),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_DROP_TCP_OOO_FULL),
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_DROP_TCP_WINDOW),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_DROP_TCP_WINDOW),
		      (unsigned long long)se_cnt(e, 0, TT_SCNT_DROP_TCP_DUP_DATA),
		      (unsigned long long)se_cnt(e, 1, TT_SCNT_DROP_TCP_DUP_DATA),
		      (unsigned long long)e->overflow);
	assert_int_equal(d[0].got, total);
	assert_int_equal(d[1].got, total);
	/* the channel did its part, and the stacks recovered from it */
	assert_true(e->lost > 0 && e->dups > 0 && e->reordered > 0);
	assert_true(se_cnt(e, 0, TT_SCNT_TCP_RETRANSMITS) > 0);
	assert_true(se_cnt(e, 1, TT_SCNT_TCP_RETRANSMITS) > 0);
	assert_true(se_cnt(e, 0, TT_SCNT_TCP_OOO_HELD) +
		    se_cnt(e, 1, TT_SCNT_TCP_OOO_HELD) > 0);
	close_pair(e, d);
}

/* ISNs just below 2^32: every sequence comparison crosses the wrap. */
static uint32_t isn_near_wrap(void *arg, const struct tt_tuple *t)
{
	(void)arg;
	return t->dport == 5001 ? 0xffffff00u : 0xfffff000u;
}

static int setup_wrap(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));
	struct tt_stack_params p[2];

	for (int i = 0; i < 2; i++) {
		stackenv_params(e, i, &p[i]);
		p[i].isn = isn_near_wrap;
	}
	stackenv_open(e, 1, &p[0], &p[1]);
	e->wired = 1;
	*state = e;
	return 0;
}

static void sequence_numbers_wrap(void **state)
{
	struct stackenv *e = *state;
	uint64_t seed = testenv_seed("sequence_numbers_wrap");
	struct tt_sock_info ia, ib;
	struct dir d[2];

	e->rng.s = seed;
	e->delay_ms = 1;
	e->loss_pm = 10;
	e->reorder_pm = 20;
	connect_pair(e, d, 1u << 20);
	transfer(e, d, seed, 600u * 1000u);
	assert_int_equal(d[0].got, d[0].total);
	assert_int_equal(d[1].got, d[1].total);
	tt_sock_info(e->s[0], d[0].hs, &ia);
	tt_sock_info(e->s[1], d[1].hs, &ib);
	assert_int_equal(ia.state, TT_SOCK_ESTABLISHED);
	assert_int_equal(ib.state, TT_SOCK_ESTABLISHED);
	close_pair(e, d);
}

static void send_back_pressure(void **state)
{
	struct stackenv *e = *state;
	static uint8_t big[1u << 20], sink[1u << 16];
	struct tt_sock_info info;
	struct dir d[2];
	ssize_t n;
	int h;

	e->delay_ms = 1;
	connect_pair(e, d, 0);
	h = d[0].hs;
	/* the receiver does not read: the sender's buffer fills */
	n = tt_send(e->s[0], h, big, sizeof(big));
	assert_int_equal(n, TT_STACK_DEF_BUF);
	assert_int_equal(tt_send(e->s[0], h, big, 1), TT_EAGAIN);
	assert_int_equal(tt_sock_events(e->s[0], h) & TT_EV_WRITABLE, 0);
	(void)se_events(e, 0, h);
	stackenv_run(e, 200);
	/* the peer's buffer took what its window allowed and freed ours */
	tt_sock_info(e->s[1], d[0].hr, &info);
	assert_true(info.rcv_ready > 0);
	assert_true(se_events(e, 0, h) & TT_EV_WRITABLE);
	n = tt_send(e->s[0], h, big, sizeof(big));
	assert_true(n > 0 && n < (ssize_t)sizeof(big));
	/* both buffers full now: nothing more until the receiver reads */
	stackenv_run(e, 200);
	assert_int_equal(tt_send(e->s[0], h, big, 1), TT_EAGAIN);
	tt_sock_info(e->s[1], d[0].hr, &info);
	assert_int_equal(info.rcv_ready, TT_STACK_DEF_BUF);
	/* reading opens the window, the sender goes on */
	while (tt_recv(e->s[1], d[0].hr, sink, sizeof(sink)) > 0)
		;
	stackenv_run(e, 200);
	tt_sock_info(e->s[1], d[0].hr, &info);
	assert_true(info.rcv_ready > 0);
	assert_true(tt_send(e->s[0], h, big, 1) == 1 ||
		    tt_sock_info(e->s[0], h, &info) == 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_TIMEOUT_ABORTS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bulk_over_lossy_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(sequence_numbers_wrap, setup_wrap, teardown),
		cmocka_unit_test_setup_teardown(send_back_pressure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
