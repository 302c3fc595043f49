/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "teamtoe/card.h"
#include "teamtoe/ctx.h"
#include "conn_table.h"

uint32_t conn_hash(const uint32_t key[4], const struct conn_tuple *t)
{
	uint32_t in[3] = { t->src_ip, t->dst_ip,
			   (uint32_t)t->src_port << 16 | t->dst_port };
	uint32_t h = 0;

	/* Input bit i (0 = MSB of src IP) selects the 32 key bits that start
	 * at key bit i counted from the MSB. */
	for (int i = 0; i < 96; i++) {
		if (!((in[i / 32] >> (31 - i % 32)) & 1))
			continue;
		int w = i / 32, b = i % 32;
		uint32_t win = b ? key[w] << b | key[w + 1] >> (32 - b) : key[w];
		h ^= win;
	}
	return h;
}

int conn_table_init(struct conn_table *t, uint32_t slots)
{
	memset(t, 0, sizeof(*t));
	if (slots < TT_CONN_WAYS || (slots & (slots - 1)))
		return -1;
	t->tuple = calloc(slots, sizeof(*t->tuple));
	t->valid = calloc(slots, 1);
	t->ctx = calloc(slots, sizeof(*t->ctx));
	if (!t->tuple || !t->valid || !t->ctx) {
		conn_table_free(t);
		return -1;
	}
	t->slots = slots;
	return 0;
}

void conn_table_free(struct conn_table *t)
{
	free(t->tuple);
	free(t->valid);
	free(t->ctx);
	memset(t, 0, sizeof(*t));
}

static uint32_t bucket_of(const struct conn_table *t, const struct conn_tuple *k)
{
	return conn_hash(t->key, k) & (t->slots / TT_CONN_WAYS - 1);
}

static int same(const struct conn_tuple *a, const struct conn_tuple *b)
{
	return a->src_ip == b->src_ip && a->dst_ip == b->dst_ip &&
	       a->src_port == b->src_port && a->dst_port == b->dst_port;
}

int conn_lookup(const struct conn_table *t, const struct conn_tuple *k)
{
	uint32_t base = bucket_of(t, k) * TT_CONN_WAYS;

	for (uint32_t w = 0; w < TT_CONN_WAYS; w++)
		if (t->valid[base + w] && same(&t->tuple[base + w], k))
			return (int)(base + w);
	return -1;
}

int conn_insert(struct conn_table *t, const struct conn_tuple *k,
		const uint8_t rec[TT_CTX_BYTES])
{
	uint32_t base = bucket_of(t, k) * TT_CONN_WAYS;
	int free_way = -1;

	for (uint32_t w = 0; w < TT_CONN_WAYS; w++) {
		if (!t->valid[base + w]) {
			if (free_way < 0)
				free_way = (int)w;
		} else if (same(&t->tuple[base + w], k)) {
			return TT_EEXIST;
		}
	}
	if (free_way < 0)
		return TT_EFULL;
	uint32_t slot = base + (uint32_t)free_way;
	t->tuple[slot] = *k;
	t->valid[slot] = 1;
	memcpy(t->ctx[slot], rec, TT_CTX_BYTES);
	return (int)slot;
}

void conn_tuple_of_record(const uint8_t rec[TT_CTX_BYTES], struct conn_tuple *k)
{
	struct tt_ctx c;

	tt_ctx_unpack(rec, &c);
	k->src_ip = c.remote_ip;
	k->dst_ip = c.local_ip;
	k->src_port = c.remote_port;
	k->dst_port = c.local_port;
}
