/* SPDX-License-Identifier: MIT */
/* Context record pack / unpack, driven by TT_CTX_FIELDS. */
#include <string.h>

#include "teamtoe/ctx.h"

static void put_bits(uint8_t *rec, unsigned bit, unsigned bits, uint64_t v)
{
	for (unsigned i = 0; i < bits; i++, bit++) {
		uint8_t m = (uint8_t)(1u << (bit & 7));
		if ((v >> i) & 1)
			rec[bit >> 3] |= m;
		else
			rec[bit >> 3] &= (uint8_t)~m;
	}
}

static uint64_t get_bits(const uint8_t *rec, unsigned bit, unsigned bits)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bits; i++, bit++)
		v |= (uint64_t)((rec[bit >> 3] >> (bit & 7)) & 1) << i;
	return v;
}

void tt_ctx_pack(const struct tt_ctx *ctx, uint8_t rec[TT_CTX_BYTES])
{
	memset(rec, 0, TT_CTX_BYTES);
#define TT_CTX_PUT(name, type, bit, bits) \
	put_bits(rec, bit, bits, (uint64_t)ctx->name);
	TT_CTX_FIELDS(TT_CTX_PUT)
#undef TT_CTX_PUT
}

int tt_ctx_unpack(const uint8_t rec[TT_CTX_BYTES], struct tt_ctx *ctx)
{
#define TT_CTX_GET(name, type, bit, bits) \
	ctx->name = (type)get_bits(rec, bit, bits);
	TT_CTX_FIELDS(TT_CTX_GET)
#undef TT_CTX_GET
	return ctx->version == TT_CTX_VERSION ? 0 : -1;
}
