/* SPDX-License-Identifier: MIT */
/*
 * Connection records: insert, lookup, delete, a full table, forced
 * collisions (with wrap-around at the end of the table), a randomized
 * churn against a reference model with the Robin Hood invariants checked,
 * offload/shadow/reload, and the memory per record.
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
#include "teamtoe/card.h"
#include "teamtoe/records.h"

static const struct tt_sipkey test_key = { 0x0123456789abcdefull,
					   0xfedcba9876543210ull };

static struct tt_records *mk(uint32_t capacity)
{
	struct tt_records_params p = { .capacity = capacity,
				       .local_ip = 0xc6120001u,
				       .key = &test_key };
	struct tt_records *tab;

	p.nid_slots[0] = 1024;
	p.nid_slots[1] = 16;
	assert_int_equal(tt_records_new(&tab, &p), 0);
	return tab;
}

static struct tt_tuple tup(uint32_t n)
{
	struct tt_tuple t = {
		.saddr = 0xc6120000u | (n >> 8), .daddr = 0xc6120001u,
		.sport = (uint16_t)(1024 + n), .dport = 80,
	};
	return t;
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint32_t home_of(const struct tt_records *tab, const struct tt_tuple *t)
{
	return (uint32_t)(((tt_records_hash(tab, t) >> 32) * tab->nb) >> 32);
}

/* Every occupied slot's distance matches its home; homes never decrease
 * along a run; the count matches. */
static void check_invariants(const struct tt_records *tab)
{
	uint32_t i, n = 0;

	for (i = 0; i < tab->nb; i++) {
		const struct tt_rec *e = &tab->rec[i];
		struct tt_tuple t;
		uint32_t h, d;

		if (!e->dist)
			continue;
		n++;
		t = tt_rec_tuple(tab, e);
		h = home_of(tab, &t);
		d = (i + tab->nb - h) % tab->nb;
		if (e->dist != d + 1)
			fail_msg("slot %u: dist %u, expected %u", i, e->dist, d + 1);
		if (e->dist > 1) {
			const struct tt_rec *p = &tab->rec[i ? i - 1 : tab->nb - 1];

			assert_true(p->dist >= e->dist - 1);
		}
	}
	assert_int_equal(n, tab->count);
}

static void test_hash_is_siphash13(void **state)
{
	struct tt_records *tab = mk(16);
	uint64_t s = 99;
	int k;

	(void)state;
	for (k = 0; k < 1000; k++) {
		struct tt_tuple t = {
			.saddr = (uint32_t)rng_next(&s), .daddr = (uint32_t)rng_next(&s),
			.sport = (uint16_t)rng_next(&s), .dport = (uint16_t)rng_next(&s),
		};
		uint8_t b[12];
		unsigned int i;

		for (i = 0; i < 4; i++) {
			b[i] = (uint8_t)(t.saddr >> (8 * i));
			b[4 + i] = (uint8_t)(t.daddr >> (8 * i));
		}
		b[8] = (uint8_t)t.sport; b[9] = (uint8_t)(t.sport >> 8);
		b[10] = (uint8_t)t.dport; b[11] = (uint8_t)(t.dport >> 8);
		assert_int_equal(tt_records_hash(tab, &t),
				 tt_siphash13(&test_key, b, sizeof(b)));
	}
	tt_records_free(tab);
}

static void test_insert_lookup_delete(void **state)
{
	struct tt_records *tab = mk(100);
	struct tt_tuple a = tup(1), b = tup(2);
	struct tt_rec *r, *r2;

	(void)state;
	assert_null(tt_records_lookup(tab, &a));
	assert_int_equal(tt_records_insert(tab, &a, 3, TT_AGE_SYN_RECV, 5, &r), 0);
	assert_non_null(r);
	assert_int_equal(tt_rec_nid(r), 3);
	assert_false(tt_rec_offloaded(r));
	assert_int_equal(tt_rec_state(r), TT_AGE_SYN_RECV);
	assert_int_equal(r->card_slot, TT_SLOT_NONE);
	assert_ptr_equal(tt_records_lookup(tab, &a), r);
	assert_null(tt_records_lookup(tab, &b));
	assert_int_equal(tt_records_insert(tab, &a, 1, 0, 5, &r2), TT_EEXIST);
	assert_ptr_equal(r2, r);
	assert_int_equal(tt_records_insert(tab, &b, 16, 0, 5, &r2), TT_EINVAL);
	assert_int_equal(tt_records_insert(tab, &b, 0, 8, 5, &r2), TT_EINVAL);
	assert_int_equal(tt_records_set_nid(tab, r, 7), 0);
	assert_int_equal(tt_rec_nid(tt_records_lookup(tab, &a)), 7);
	assert_int_equal(tab->count, 1);
	assert_int_equal(tt_records_delete(tab, &a), 0);
	assert_null(tt_records_lookup(tab, &a));
	assert_int_equal(tt_records_delete(tab, &a), TT_ENOTFOUND);
	assert_int_equal(tab->count, 0);
	tt_records_free(tab);
}

/* The team has one address: a record holds the peer's side only, its
 * tuple comes back whole, and a tuple to another address has no record
 * and gets none (the same ports and peer at the team's address do). */
static void test_local_address(void **state)
{
	struct tt_records *tab = mk(100);
	struct tt_tuple a = tup(1), other = tup(1), got;
	struct tt_rec *r, *r2;

	(void)state;
	other.daddr = a.daddr + 1;
	assert_int_equal(tt_records_insert(tab, &a, 0, TT_AGE_ESTABLISHED, 0,
					   &r), 0);
	got = tt_rec_tuple(tab, r);
	assert_memory_equal(&got, &a, sizeof(a));
	assert_null(tt_records_lookup(tab, &other));
	assert_int_equal(tt_records_delete(tab, &other), TT_ENOTFOUND);
	assert_int_equal(tt_records_insert(tab, &other, 0, TT_AGE_ESTABLISHED,
					   0, &r2), TT_EINVAL);
	assert_null(r2);
	assert_ptr_equal(tt_records_lookup(tab, &a), r);
	assert_int_equal(tab->count, 1);
	tt_records_free(tab);
}

static void test_full_table(void **state)
{
	struct tt_records *tab = mk(100);
	struct tt_tuple t;
	uint32_t i;

	(void)state;
	for (i = 0; i < 100; i++) {
		t = tup(i);
		assert_int_equal(tt_records_insert(tab, &t, 0, 0, 0, NULL), 0);
	}
	t = tup(100);
	assert_int_equal(tt_records_insert(tab, &t, 0, 0, 0, NULL), TT_EFULL);
	assert_int_equal(tt_records_insert(tab, &t, 0, 0, 0, NULL), TT_EFULL);
	assert_int_equal(tab->stats.full, 2);
	/* an existing tuple is still found, not refused */
	t = tup(50);
	assert_int_equal(tt_records_insert(tab, &t, 0, 0, 0, NULL), TT_EEXIST);
	assert_int_equal(tt_records_delete(tab, &t), 0);
	t = tup(100);
	assert_int_equal(tt_records_insert(tab, &t, 0, 0, 0, NULL), 0);
	for (i = 0; i <= 100; i++) {
		t = tup(i);
		assert_true((tt_records_lookup(tab, &t) != NULL) == (i != 50));
	}
	check_invariants(tab);
	tt_records_free(tab);
}

/* 24 tuples that all hash to the last slot: one run that wraps to slot 0.
 * Delete from the middle and the front; all others must stay found. */
static void test_collisions_wrap(void **state)
{
	struct tt_records *tab = mk(64);
	struct tt_tuple t[24], x;
	uint32_t n = 0, k;

	(void)state;
	for (k = 0; n < 24; k++) {
		x = tup(k);
		if (home_of(tab, &x) == tab->nb - 1)
			t[n++] = x;
	}
	for (k = 0; k < 24; k++)
		assert_int_equal(tt_records_insert(tab, &t[k], k & 15, 0, 0, NULL), 0);
	check_invariants(tab);
	assert_true(tab->rec[0].dist > 1);      /* the run wrapped */
	assert_int_equal(tab->stats.max_dist, 23);
	for (k = 0; k < 24; k++)
		assert_int_equal(tt_rec_nid(tt_records_lookup(tab, &t[k])), k & 15);
	assert_int_equal(tt_records_delete(tab, &t[10]), 0);
	assert_int_equal(tt_records_delete(tab, &t[0]), 0);
	check_invariants(tab);
	for (k = 0; k < 24; k++)
		assert_true((tt_records_lookup(tab, &t[k]) != NULL) ==
			    (k != 10 && k != 0));
	tt_records_free(tab);
}

/* Random inserts, deletes and lookups against a reference set. */
static void test_churn_reference(void **state)
{
	enum { UNIVERSE = 6000, CAP = 2000, OPS = 300000 };
	uint64_t seed = testenv_seed("test_churn_reference"), s = seed | 1;
	struct tt_records *tab = mk(CAP);
	static struct tt_tuple u[UNIVERSE];
	static uint8_t present[UNIVERSE], nid[UNIVERSE];
	uint32_t count = 0, i, op;

	(void)state;
	for (i = 0; i < UNIVERSE; i++) {
		u[i].saddr = (uint32_t)rng_next(&s);
		u[i].daddr = 0xc6120001u;
		u[i].sport = (uint16_t)rng_next(&s);
		u[i].dport = (uint16_t)(i % 3 ? 443 : 80);
		/* make a few exact duplicates of other fields: near misses */
		if (i && i % 7 == 0) {
			u[i] = u[i - 1];
			u[i].dport ^= 1;
		}
	}
	for (op = 0; op < OPS; op++) {
		uint32_t k = (uint32_t)(rng_next(&s) % UNIVERSE);
		unsigned int what = (unsigned int)(rng_next(&s) % 4);
		struct tt_rec *r = NULL;
		int ret;

		if (what <= 1) {
			uint8_t n = (uint8_t)(rng_next(&s) & 15);

			ret = tt_records_insert(tab, &u[k], n, 0, 0, &r);
			if (present[k]) {
				assert_int_equal(ret, TT_EEXIST);
			} else if (count == CAP) {
				assert_int_equal(ret, TT_EFULL);
			} else {
				if (ret != 0)
					fail_msg("op %u: insert %d (seed %llu)", op, ret,
						 (unsigned long long)seed);
				present[k] = 1;
				nid[k] = n;
				count++;
			}
		} else if (what == 2) {
			ret = tt_records_delete(tab, &u[k]);
			assert_int_equal(ret, present[k] ? 0 : TT_ENOTFOUND);
			if (present[k]) {
				present[k] = 0;
				count--;
			}
		} else {
			r = tt_records_lookup(tab, &u[k]);
			if (present[k] != (r != NULL))
				fail_msg("op %u: lookup %u: present %d found %d (seed %llu)",
					 op, k, present[k], r != NULL,
					 (unsigned long long)seed);
			if (r)
				assert_int_equal(tt_rec_nid(r), nid[k]);
		}
		assert_int_equal(tab->count, count);
		if (op % 20000 == 0) {
			check_invariants(tab);
			for (i = 0; i < UNIVERSE; i++)
				assert_true((tt_records_lookup(tab, &u[i]) != NULL) ==
					    present[i]);
		}
	}
	check_invariants(tab);
	print_message("# churn: %u records, longest probe %u\n", count,
		      tab->stats.max_dist);
	tt_records_free(tab);
}

static void test_bulk_lookup(void **state)
{
	struct tt_records *tab = mk(500);
	struct tt_tuple t[100];
	struct tt_rec *out[100];
	uint32_t i;

	(void)state;
	for (i = 0; i < 100; i++) {
		t[i] = tup(i);
		if (i % 3 == 0)
			assert_int_equal(tt_records_insert(tab, &t[i], 0, 0, 0, NULL), 0);
	}
	tt_records_lookup_bulk(tab, t, 100, out);
	for (i = 0; i < 100; i++)
		assert_ptr_equal(out[i], tt_records_lookup(tab, &t[i]));
	tt_records_free(tab);
}

static void test_offload_shadow_move(void **state)
{
	struct tt_records *tab = mk(100);
	struct tt_shadow sh = { .rcv_nxt = 1000, .snd_una = 2000, .mss = 1460,
				.snd_wscale = 7, .rcv_wscale = 9,
				.opts = TT_SHADOW_TS | TT_SHADOW_WSCALE };
	struct tt_tuple a = tup(1), b = tup(2);
	struct tt_rec *r, *rb;
	struct tt_shadow *s;

	(void)state;
	assert_int_equal(tt_records_insert(tab, &a, 0, TT_AGE_ESTABLISHED, 0, &r), 0);
	assert_null(tt_records_shadow(tab, r));
	assert_int_equal(tt_records_offload(tab, r, 0, 1024, &sh), TT_EINVAL);
	assert_int_equal(tt_records_offload(tab, r, 2, 0, &sh), TT_EINVAL);
	assert_int_equal(tt_records_offload(tab, r, 0, 1023, &sh), 0);
	assert_int_equal(tt_records_offload(tab, r, 0, 5, &sh), TT_EEXIST);
	assert_true(tt_rec_offloaded(r));
	assert_int_equal(r->card_slot, 1023);
	s = tt_records_shadow(tab, r);
	assert_non_null(s);
	assert_memory_equal(s, &sh, sizeof(sh));
	s->rcv_nxt = 1500;
	/* another insert may move a; find it again */
	assert_int_equal(tt_records_insert(tab, &b, 1, 0, 0, &rb), 0);
	r = tt_records_lookup(tab, &a);
	assert_int_equal(tt_records_set_nid(tab, r, 1), TT_EINVAL);
	assert_int_equal(tt_records_move(tab, r, 1, 16), TT_EINVAL);
	assert_int_equal(tt_records_move(tab, r, 1, 15), 0);
	assert_int_equal(tt_rec_nid(r), 1);
	assert_int_equal(r->card_slot, 15);
	s = tt_records_shadow(tab, r);
	assert_int_equal(s->rcv_nxt, 1500);
	assert_int_equal(s->snd_una, 2000);
	assert_int_equal(s->mss, 1460);
	assert_int_equal(tt_records_upload(tab, r), 0);
	assert_false(tt_rec_offloaded(r));
	assert_null(tt_records_shadow(tab, r));
	assert_int_equal(tt_records_upload(tab, r), TT_EINVAL);
	tt_records_free(tab);
}

/* True memory per record, every array included, at 1M records with the
 * default team (two cards of 1024 slots). */
static void test_bytes_per_record(void **state)
{
	struct tt_records_params p = { .capacity = 1u << 20,
				       .local_ip = 0xc6120001u,
				       .key = &test_key };
	struct tt_records *tab;
	double per;

	(void)state;
	p.nid_slots[0] = p.nid_slots[1] = 1024;
	assert_int_equal(tt_records_new(&tab, &p), 0);
	per = (double)tt_records_bytes(tab) / p.capacity;
	print_message("# %zu bytes for %u records: %.2f per record\n",
		      tt_records_bytes(tab), p.capacity, per);
	assert_true(tt_records_bytes(tab) >= (size_t)tab->nb *
		    (sizeof(struct tt_rec) + sizeof(struct tt_rec_age)));
	assert_true(per <= 32.0);
	assert_int_equal(sizeof(struct tt_rec), 12);
	assert_int_equal(sizeof(struct tt_rec_age), 12);
	tt_records_free(tab);
	p.capacity = 0;
	assert_int_equal(tt_records_new(&tab, &p), TT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_siphash13),
		cmocka_unit_test(test_insert_lookup_delete),
		cmocka_unit_test(test_local_address),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_collisions_wrap),
		cmocka_unit_test(test_churn_reference),
		cmocka_unit_test(test_bulk_lookup),
		cmocka_unit_test(test_offload_shadow_move),
		cmocka_unit_test(test_bytes_per_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
