/* SPDX-License-Identifier: MIT */
/*
 * A one-way byte stream between two stacks' connections for tests: the
 * sender writes a position-dependent pattern as fast as tt_send takes it,
 * the receiver checks every byte it reads against the same pattern. Two flows of opposite `dir` make a
 * bidirectional transfer.
 */
#ifndef TT_TEST_FLOW_H
#define TT_TEST_FLOW_H

#include <stdint.h>

#include "teamtoe/api.h"

struct flow {
	struct tt_stack *from, *to;
	int hs, hr, dir;             /* send handle, receive handle, 0 or 1 */
	uint64_t sent, got, total;
};

/* Byte i of direction dir. */
uint8_t flow_pattern(int dir, uint64_t i);
/* Send what the sender takes, read and check what has arrived. Returns
 * 0, or -1 at a wrong byte (named on stderr). */
int flow_step(struct flow *f);

#endif
