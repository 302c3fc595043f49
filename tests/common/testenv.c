/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "testenv.h"

uint64_t testenv_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

uint64_t testenv_seed(const char *test)
{
	uint64_t seed = testenv_u64("TT_SEED", 0);

	if (!seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000000007ull) ^ (uint64_t)ts.tv_nsec;
		seed %= 1000000000000ull;
	}
	printf("# %s: seed %llu (replay with TT_SEED=%llu)\n", test,
	       (unsigned long long)seed, (unsigned long long)seed);
	fflush(stdout);
	return seed;
}

void testenv_set_mac(struct tt_card *c, const uint8_t mac[6])
{
	tt_card_reg_write(c, TT_REG_MAC_HI, (uint32_t)mac[0] << 8 | mac[1]);
	tt_card_reg_write(c, TT_REG_MAC_LO, (uint32_t)mac[2] << 24 |
			  (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5]);
}

struct tt_card *testenv_card(const char *backend, const uint8_t mac[6],
			     uint32_t ip, uint32_t card_id)
{
	struct tt_card_params p = { .conn_slots = 1024 };
	int err = 0;
	struct tt_card *c = tt_card_new(backend, &p, &err);

	if (!c) {
		fprintf(stderr, "cannot create %s card: %s\n", backend, tt_status_str(err));
		exit(2);
	}
	testenv_set_mac(c, mac);
	tt_card_reg_write(c, TT_REG_IPV4, ip);
	tt_card_reg_write(c, TT_REG_CARD_ID, card_id);
	tt_card_reg_write(c, TT_REG_CTRL, 1);
	tt_card_set_link(c, 1);
	tt_card_step(c, 8);
	return c;
}
