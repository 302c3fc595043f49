/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the tests: seeds, sizes from the environment,
 * and a card configured as a team member. */
#ifndef TT_TEST_TESTENV_H
#define TT_TEST_TESTENV_H

#include <stdint.h>

#include "teamtoe/card.h"

/* TT_SEED from the environment, else a fresh one; printed either way. */
uint64_t testenv_seed(const char *test);
/* An unsigned number from the environment, or dflt. */
uint64_t testenv_u64(const char *name, uint64_t dflt);
/* Create a card, program MAC/IP/card id, enable it and raise its link.
 * Aborts the test program on failure. */
struct tt_card *testenv_card(const char *backend, const uint8_t mac[6],
			     uint32_t ip, uint32_t card_id);
/* A cmocka test run once on each backend, named fn/rtl and fn/model
 * (setup_rtl and setup_model create the card into *state). */
#define TESTENV_BOTH(fn, setup_rtl, setup_model, teardown) \
	{ #fn "/rtl", fn, setup_rtl, teardown, NULL }, \
	{ #fn "/model", fn, setup_model, teardown, NULL }

/* Program a MAC into a card's registers. */
void testenv_set_mac(struct tt_card *c, const uint8_t mac[6]);

#endif
