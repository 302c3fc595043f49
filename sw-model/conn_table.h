/* SPDX-License-Identifier: MIT */
/* Connection table and context RAM, the twin of rtl/conn_table.v and
 * rtl/ctx_ram.v: a keyed (Toeplitz) hash into TT_CONN_WAYS-way buckets. */
#ifndef TT_MODEL_CONN_TABLE_H
#define TT_MODEL_CONN_TABLE_H

#include <stdint.h>

#include "teamtoe/defs.h"

/* A 4-tuple as seen on a received segment: the peer's side first. */
struct conn_tuple {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
};

struct conn_table {
	uint32_t slots;
	uint32_t key[4];                 /* HASH_KEY0..3 */
	struct conn_tuple *tuple;        /* per slot */
	uint8_t *valid;                  /* per slot */
	uint8_t (*ctx)[TT_CTX_BYTES];    /* context RAM, per slot */
};

/* Toeplitz hash of the 96-bit tuple under a 128-bit key. */
uint32_t conn_hash(const uint32_t key[4], const struct conn_tuple *t);

/* slots must be a power of two >= TT_CONN_WAYS. Returns 0 or -1. */
int conn_table_init(struct conn_table *t, uint32_t slots);
void conn_table_free(struct conn_table *t);

/* Slot holding the tuple, or -1. */
int conn_lookup(const struct conn_table *t, const struct conn_tuple *k);
/* Install: the slot, or TT_EEXIST / TT_EFULL. */
int conn_insert(struct conn_table *t, const struct conn_tuple *k,
		const uint8_t rec[TT_CTX_BYTES]);
/* The tuple a context record describes. */
void conn_tuple_of_record(const uint8_t rec[TT_CTX_BYTES], struct conn_tuple *k);

#endif
