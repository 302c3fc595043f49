/* SPDX-License-Identifier: MIT */
/*
 * Aging: records expire at exactly the tick their idle timeout ends, at
 * every level of the wheel; activity re-arms; a state change to a shorter
 * timeout takes effect at once; the callback can keep a record; the work
 * per tick does not depend on how many records the table holds; and a
 * randomized run with touches and deletes (entries moving under the
 * wheel's links) matches a reference model tick for tick.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testenv.h"
#include "teamtoe/aging.h"
#include "teamtoe/card.h"

static const struct tt_sipkey test_key = { 0x1111222233334444ull,
					   0x5555666677778888ull };

#define MAXID 4096

struct expiry_log {
	struct tt_aging *ag;
	uint64_t at[MAXID];     /* tick of expiry, 0 = not expired */
	unsigned int calls;
	int keep;               /* callback's answer */
};

static int on_expire(void *arg, struct tt_records *tab, struct tt_rec *rec)
{
	struct expiry_log *log = arg;
	unsigned int id = rec->sport;

	(void)tab;
	assert_true(id < MAXID);
	log->at[id] = log->ag->cur;
	log->calls++;
	return log->keep;
}

static struct tt_tuple tup(unsigned int id)
{
	struct tt_tuple t = { .saddr = 0xc6130000u + id, .daddr = 0xc6120001u,
			      .sport = (uint16_t)id, .dport = 80 };
	return t;
}

static struct tt_records *mk(uint32_t cap)
{
	struct tt_records_params p = { .capacity = cap,
				       .local_ip = 0xc6120001u,
				       .key = &test_key };
	struct tt_records *tab;

	assert_int_equal(tt_records_new(&tab, &p), 0);
	return tab;
}

/* tick_ms = 1 and every state a different timeout */
static void params_ms(struct tt_aging_params *p)
{
	tt_aging_params_default(p);
	p->tick_ms = 1;
}

static void test_defaults(void **state)
{
	struct tt_aging_params p;

	(void)state;
	tt_aging_params_default(&p);
	assert_int_equal(p.timeout_ms[TT_AGE_ESTABLISHED], 432000000u);
	assert_int_equal(p.timeout_ms[TT_AGE_SYN_SENT], 120000u);
	assert_int_equal(p.timeout_ms[TT_AGE_SYN_RECV], 60000u);
	assert_int_equal(p.timeout_ms[TT_AGE_FIN_WAIT], 120000u);
	assert_int_equal(p.timeout_ms[TT_AGE_CLOSE_WAIT], 60000u);
	assert_int_equal(p.timeout_ms[TT_AGE_LAST_ACK], 30000u);
	assert_int_equal(p.timeout_ms[TT_AGE_CLOSE], 10000u);
	assert_string_equal(tt_age_state_str(TT_AGE_CLOSE_WAIT), "CLOSE_WAIT");
}

/* For each timeout, across every level boundary of the wheel: a record
 * armed at tick 0 and one armed at tick 7 expire exactly on time. */
static void test_fires_at_right_tick(void **state)
{
	static const uint32_t tmo[] = { 1, 2, 5, 63, 64, 65, 127, 128, 4095,
					4096, 4097, 100000, 262143, 262144,
					262145, 300001 };
	static struct expiry_log log;
	unsigned int i, n = sizeof(tmo) / sizeof(tmo[0]);

	(void)state;
	for (i = 0; i < n; i++) {
		struct tt_records *tab = mk(64);
		struct tt_tuple a = tup(1), b = tup(2);
		struct tt_aging_params p;
		struct tt_aging *ag;
		uint64_t t;

		memset(&log, 0, sizeof(log));
		params_ms(&p);
		p.timeout_ms[TT_AGE_ESTABLISHED] = tmo[i];
		assert_int_equal(tt_aging_new(&ag, tab, &p, 0, on_expire, &log), 0);
		log.ag = ag;
		assert_int_equal(tt_records_insert(tab, &a, 0, TT_AGE_ESTABLISHED,
						   0, NULL), 0);
		for (t = 1; t <= (uint64_t)tmo[i] + 10; t++) {
			if (t == 7)
				assert_int_equal(tt_records_insert(tab, &b, 0,
					TT_AGE_ESTABLISHED, 7, NULL), 0);
			tt_aging_advance(ag, t);
			if (t < tmo[i])
				assert_int_equal(log.at[1], 0);
		}
		if (log.at[1] != tmo[i] || log.at[2] != (uint64_t)tmo[i] + 7)
			fail_msg("timeout %u: expired at %llu and %llu", tmo[i],
				 (unsigned long long)log.at[1],
				 (unsigned long long)log.at[2]);
		tt_aging_free(ag);
		tt_records_free(tab);
	}
}

/* Per-state timeouts (the real configuration path), tick_ms = 1000. */
static void test_state_timeouts(void **state)
{
	static struct expiry_log log;
	struct tt_records *tab = mk(64);
	struct tt_aging_params p;
	struct tt_aging *ag;
	unsigned int s;
	uint64_t ms;

	(void)state;
	memset(&log, 0, sizeof(log));
	tt_aging_params_default(&p);
	assert_int_equal(tt_aging_new(&ag, tab, &p, 500, on_expire, &log), 0);
	log.ag = ag;
	for (s = 0; s < TT_AGE_N_STATES; s++) {
		struct tt_tuple tu = tup(s);

		assert_int_equal(tt_records_insert(tab, &tu, 0, s, 500, NULL), 0);
	}
	for (ms = 1000; ms <= 433000000ull; ms += 1000)
		tt_aging_advance(ag, ms);
	for (s = 0; s < TT_AGE_N_STATES; s++) {
		/* idle since 500 ms: first tick (1 s) at or after 500 + timeout */
		uint64_t want = (500 + p.timeout_ms[s] + 999) / 1000;

		if (log.at[s] != want)
			fail_msg("%s: expired at tick %llu, expected %llu",
				 tt_age_state_str(s), (unsigned long long)log.at[s],
				 (unsigned long long)want);
	}
	tt_aging_free(ag);
	tt_records_free(tab);
}

static void test_rearm_on_activity(void **state)
{
	static struct expiry_log log;
	struct tt_records *tab = mk(64);
	struct tt_aging_params p;
	struct tt_aging *ag;
	struct tt_tuple a = tup(1), b = tup(2), c = tup(3);
	struct tt_rec *r;
	uint64_t t;

	(void)state;
	memset(&log, 0, sizeof(log));
	params_ms(&p);
	p.timeout_ms[TT_AGE_ESTABLISHED] = 100;
	p.timeout_ms[TT_AGE_CLOSE] = 10;
	assert_int_equal(tt_aging_new(&ag, tab, &p, 0, on_expire, &log), 0);
	log.ag = ag;
	assert_int_equal(tt_records_insert(tab, &a, 0, TT_AGE_ESTABLISHED, 0, NULL), 0);
	assert_int_equal(tt_records_insert(tab, &b, 0, TT_AGE_ESTABLISHED, 0, NULL), 0);
	assert_int_equal(tt_records_insert(tab, &c, 0, TT_AGE_ESTABLISHED, 0, NULL), 0);
	for (t = 1; t <= 400; t++) {
		if (t == 50)    /* a: activity */
			tt_records_touch(tab, tt_records_lookup(tab, &a), t);
		if (t == 20) {  /* b: RST seen, 10 ms from now */
			r = tt_records_lookup(tab, &b);
			assert_int_equal(tt_records_set_state(tab, r, TT_AGE_CLOSE, t), 0);
		}
		if (t == 60)    /* c: deleted (FIN) — must never be called back */
			assert_int_equal(tt_records_delete(tab, &c), 0);
		tt_aging_advance(ag, t);
	}
	assert_int_equal(log.at[1], 150);
	assert_int_equal(log.at[2], 30);
	assert_int_equal(log.at[3], 0);
	assert_int_equal(log.calls, 2);
	assert_int_equal(ag->linked, 0);
	tt_aging_free(ag);
	tt_records_free(tab);
}

static void test_callback_keeps(void **state)
{
	static struct expiry_log log;
	struct tt_records *tab = mk(64);
	struct tt_aging_params p;
	struct tt_aging *ag;
	struct tt_tuple a = tup(7);

	(void)state;
	memset(&log, 0, sizeof(log));
	params_ms(&p);
	p.timeout_ms[TT_AGE_SOFTWARE] = 40;
	assert_int_equal(tt_aging_new(&ag, tab, &p, 0, on_expire, &log), 0);
	log.ag = ag;
	log.keep = 1;
	assert_int_equal(tt_records_insert(tab, &a, 0, TT_AGE_SOFTWARE, 0, NULL), 0);
	assert_int_equal(tt_aging_advance(ag, 40), 0);
	assert_int_equal(log.at[7], 40);
	assert_non_null(tt_records_lookup(tab, &a));
	log.keep = 0;
	assert_int_equal(tt_aging_advance(ag, 79), 0);
	assert_int_equal(tt_aging_advance(ag, 80), 1);
	assert_int_equal(log.at[7], 80);
	assert_null(tt_records_lookup(tab, &a));
	assert_int_equal(ag->stats.kept, 1);
	assert_int_equal(ag->stats.expired, 1);
	tt_aging_free(ag);
	tt_records_free(tab);
}

/* The same ten short-lived records among 100 or 60,000 long-lived ones:
 * the ticks that expire them look at exactly the same records. */
static uint64_t visits_with(uint32_t n_long, uint32_t *max_visits)
{
	static struct expiry_log log;
	struct tt_records *tab = mk(n_long + 16);
	struct tt_aging_params p;
	struct tt_aging *ag;
	uint32_t i;
	uint64_t t, v;

	memset(&log, 0, sizeof(log));
	params_ms(&p);
	p.timeout_ms[TT_AGE_SYN_RECV] = 300;
	assert_int_equal(tt_aging_new(&ag, tab, &p, 0, on_expire, &log), 0);
	log.ag = ag;
	for (i = 0; i < n_long; i++) {
		struct tt_tuple tu = tup(100000 + i);

		tu.sport = 4095;
		assert_int_equal(tt_records_insert(tab, &tu, 0, TT_AGE_ESTABLISHED,
						   0, NULL), 0);
	}
	for (i = 0; i < 10; i++) {
		struct tt_tuple tu = tup(i);

		assert_int_equal(tt_records_insert(tab, &tu, 0, TT_AGE_SYN_RECV,
						   i, NULL), 0);
	}
	for (t = 1; t <= 5000; t++)
		tt_aging_advance(ag, t);
	assert_int_equal(log.calls, 10);
	v = ag->stats.visits;
	*max_visits = ag->stats.max_visits;
	tt_aging_free(ag);
	tt_records_free(tab);
	return v;
}

static void test_cost_per_tick_independent_of_size(void **state)
{
	uint32_t m_small, m_big;
	uint64_t v_small, v_big;

	(void)state;
	v_small = visits_with(100, &m_small);
	v_big = visits_with(60000, &m_big);
	print_message("# visits: %llu with 100 records, %llu with 60000; most in one tick %u / %u\n",
		      (unsigned long long)v_small, (unsigned long long)v_big,
		      m_small, m_big);
	assert_int_equal(v_small, v_big);
	assert_int_equal(m_small, m_big);
	assert_true(v_big <= 10 * TT_AGING_LEVELS);
}

/* Random states, touches, state changes and deletes; each expiry must
 * happen at exactly last_seen + timeout, and nothing may outlive it. */
static void test_random_vs_model(void **state)
{
	enum { N = 3000, T = 30000 };
	static struct expiry_log log;
	static uint64_t last[N];
	static uint8_t alive[N], st[N];
	uint64_t seed = testenv_seed("test_random_vs_model"), s = seed | 1;
	struct tt_records *tab = mk(N);
	struct tt_aging_params p;
	struct tt_aging *ag;
	uint64_t t;
	uint32_t i;

	(void)state;
	memset(&log, 0, sizeof(log));
	params_ms(&p);
	for (i = 0; i < TT_AGE_N_STATES; i++)
		p.timeout_ms[i] = 50 + 700 * i;   /* up to 4950: three levels */
	assert_int_equal(tt_aging_new(&ag, tab, &p, 0, on_expire, &log), 0);
	log.ag = ag;
	for (t = 1; t <= T; t++) {
		unsigned int k;

		for (k = 0; k < 4; k++) {
			uint32_t id;
			struct tt_tuple tu;
			struct tt_rec *r;

			s ^= s << 13; s ^= s >> 7; s ^= s << 17;
			id = (uint32_t)(s % N);
			tu = tup(id);
			r = tt_records_lookup(tab, &tu);
			assert_true((r != NULL) == alive[id]);
			switch ((s >> 32) % 5) {
			case 0:
			case 1:
				if (!r) {
					st[id] = (uint8_t)((s >> 40) % TT_AGE_N_STATES);
					assert_int_equal(tt_records_insert(tab, &tu, 0,
						st[id], t, NULL), 0);
					alive[id] = 1;
				} else {
					tt_records_touch(tab, r, t);
				}
				last[id] = t;
				break;
			case 2:
				if (r) {
					st[id] = (uint8_t)((s >> 40) % TT_AGE_N_STATES);
					tt_records_set_state(tab, r, st[id], t);
					last[id] = t;
				}
				break;
			case 3:
				if (r) {
					assert_int_equal(tt_records_delete(tab, &tu), 0);
					alive[id] = 0;
				}
				break;
			default:
				break;
			}
		}
		memset(log.at, 0, sizeof(log.at));
		tt_aging_advance(ag, t);
		for (i = 0; i < N; i++) {
			uint64_t due = alive[i] ? last[i] + p.timeout_ms[st[i]] : 0;

			if (log.at[i]) {
				if (!alive[i] || due != t)
					fail_msg("id %u expired at %llu, due %llu (seed %llu)",
						 i, (unsigned long long)t,
						 (unsigned long long)due,
						 (unsigned long long)seed);
				alive[i] = 0;
			} else if (alive[i] && due <= t) {
				fail_msg("id %u outlived its deadline %llu at %llu (seed %llu)",
					 i, (unsigned long long)due,
					 (unsigned long long)t, (unsigned long long)seed);
			}
		}
	}
	print_message("# %u expiries, %llu visits over %d ticks\n", log.calls,
		      (unsigned long long)ag->stats.visits, T);
	assert_true(log.calls > 100);
	tt_aging_free(ag);
	tt_records_free(tab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_fires_at_right_tick),
		cmocka_unit_test(test_state_timeouts),
		cmocka_unit_test(test_rearm_on_activity),
		cmocka_unit_test(test_callback_keeps),
		cmocka_unit_test(test_cost_per_tick_independent_of_size),
		cmocka_unit_test(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
