/* SPDX-License-Identifier: MIT */
/*
 * Connection-record benchmark, one core: a table of 1M records (capacity
 * 1M, full: the worst load), then lookups of random tuples, half present
 * and half absent, in a random order. Prints "key value" lines for
 * mk/bench_merge.py:
 *   host.record_lookups_per_s         bulk lookups (tt_records_lookup_bulk,
 *                                     32 at a time, as a burst of packets)
 *   host.record_lookups_single_per_s  one tt_records_lookup() at a time
 * Rates are per second of the thread's own CPU time: on a shared machine
 * wall time also counts the time other processes held the core.
 *   host.record_bytes                 tt_records_bytes() / capacity: every
 *                                     array the table allocates, for the
 *                                     default team (2 cards x 1024 slots)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "teamtoe/records.h"

#define N_RECORDS (1u << 20)
#define N_QUERIES (1u << 22)
#define BURST     32

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct tt_tuple rand_tuple(uint64_t *s)
{
	uint64_t r = rng_next(s);
	struct tt_tuple t = {
		.saddr = 0xc6120000u | (uint32_t)(r & 0x1ffff), /* 198.18/15 */
		.daddr = 0xc6120001u,
		.sport = (uint16_t)(r >> 20),
		.dport = (uint16_t)(r >> 36 & 1 ? 443 : 80),
	};
	return t;
}

int main(void)
{
	struct tt_records_params p = { .capacity = N_RECORDS,
				       .local_ip = 0xc6120001u };
	struct tt_tuple *have, *q;
	struct tt_records *tab;
	struct tt_rec *out[BURST];
	uint64_t s = 0x9e3779b97f4a7c15ull, hits = 0;
	double t0, t_bulk = 1e9, t_single = 1e9, dt;
	uint32_t i, n = 0;
	int rep, r;

	p.nid_slots[0] = p.nid_slots[1] = 1024;
	r = tt_records_new(&tab, &p);
	if (r) {
		fprintf(stderr, "bench_records: tt_records_new: %d\n", r);
		return 1;
	}
	have = malloc(sizeof(*have) * N_RECORDS);
	q = malloc(sizeof(*q) * N_QUERIES);
	if (!have || !q)
		return 1;
	while (n < N_RECORDS) {
		struct tt_tuple t = rand_tuple(&s);

		if (tt_records_insert(tab, &t, n & 1, TT_AGE_ESTABLISHED, 0,
				      NULL) == 0)
			have[n++] = t;
	}
	for (i = 0; i < N_QUERIES; i++) {
		if (rng_next(&s) & 1) {
			q[i] = have[rng_next(&s) % N_RECORDS];
		} else {
			do
				q[i] = rand_tuple(&s);
			while (tt_records_lookup(tab, &q[i]));
		}
	}

	for (rep = 0; rep < 3; rep++) {
		t0 = now_s();
		for (i = 0; i < N_QUERIES; i += BURST) {
			unsigned int k;

			tt_records_lookup_bulk(tab, &q[i], BURST, out);
			for (k = 0; k < BURST; k++)
				hits += out[k] != NULL;
		}
		dt = now_s() - t0;
		if (dt < t_bulk)
			t_bulk = dt;
		t0 = now_s();
		for (i = 0; i < N_QUERIES; i++)
			hits += tt_records_lookup(tab, &q[i]) != NULL;
		dt = now_s() - t0;
		if (dt < t_single)
			t_single = dt;
	}
	printf("# %u records, %u table slots, longest probe %u, %llu hits in %d x 2 x %u lookups\n",
	       tab->count, tab->nb, tab->stats.max_dist,
	       (unsigned long long)hits, rep, N_QUERIES);
	printf("host.record_lookups_per_s %.0f\n", N_QUERIES / t_bulk);
	printf("host.record_lookups_single_per_s %.0f\n", N_QUERIES / t_single);
	printf("host.record_bytes %.2f\n",
	       (double)tt_records_bytes(tab) / p.capacity);
	free(q);
	free(have);
	tt_records_free(tab);
	return 0;
}
