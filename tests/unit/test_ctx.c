/* SPDX-License-Identifier: MIT */
/* The context record: 64 bytes, versioned, pack/unpack round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "teamtoe/ctx.h"

/* Fields tile the record without overlap and stay inside 512 bits. */
static void layout_fits(void **s)
{
	(void)s;
	uint8_t used[TT_CTX_BYTES * 8] = { 0 };

#define CHECK(name, type, bit, bits)                                  \
	assert_true((bit) + (bits) <= TT_CTX_BYTES * 8);              \
	assert_true((bits) <= 8 * sizeof(type));                      \
	for (int i = (bit); i < (bit) + (bits); i++) {                \
		assert_int_equal(used[i], 0);                         \
		used[i] = 1;                                          \
	}
	TT_CTX_FIELDS(CHECK)
#undef CHECK
}

static void known_bytes(void **s)
{
	(void)s;
	struct tt_ctx c = { 0 };
	uint8_t rec[TT_CTX_BYTES];

	c.version = TT_CTX_VERSION;
	c.mss = 0x05b4;
	c.remote_ip = 0xc6120002u;
	c.peer_mac = 0x0605040302ull << 8 | 0x01;
	c.snd_wscale = 7;
	c.rcv_wscale = 9;
	c.state = TT_TCP_ESTABLISHED;
	tt_ctx_pack(&c, rec);
	assert_int_equal(rec[0], 1);
	assert_int_equal(rec[2], 0xb4);    /* little-endian */
	assert_int_equal(rec[3], 0x05);
	assert_int_equal(rec[8], 0x02);
	assert_int_equal(rec[11], 0xc6);
	assert_int_equal(rec[16], 0x01);
	assert_int_equal(rec[21], 0x06);
	assert_int_equal(rec[22], 0x97);   /* rcv_wscale:snd_wscale nibbles */
	assert_int_equal(rec[63], TT_TCP_ESTABLISHED);
}

static void round_trip(void **s)
{
	(void)s;
	struct rng r = { 12345 };

	for (int n = 0; n < 1000; n++) {
		struct tt_ctx a, b;
		uint8_t rec[TT_CTX_BYTES], rec2[TT_CTX_BYTES];
#define RAND(name, type, bit, bits) \
		a.name = (type)(rng_next(&r) & ((bits) == 64 ? ~0ull : ((1ull << (bits)) - 1)));
		TT_CTX_FIELDS(RAND)
#undef RAND
		a.version = TT_CTX_VERSION;
		tt_ctx_pack(&a, rec);
		assert_int_equal(tt_ctx_unpack(rec, &b), 0);
#define SAME(name, type, bit, bits) assert_true(a.name == b.name);
		TT_CTX_FIELDS(SAME)
#undef SAME
		tt_ctx_pack(&b, rec2);
		assert_memory_equal(rec, rec2, TT_CTX_BYTES);
	}
}

static void wrong_version(void **s)
{
	(void)s;
	struct tt_ctx c = { .version = TT_CTX_VERSION + 1 }, d;
	uint8_t rec[TT_CTX_BYTES];

	tt_ctx_pack(&c, rec);
	assert_int_equal(tt_ctx_unpack(rec, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_fits),
		cmocka_unit_test(known_bytes),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(wrong_version),
	};

	return cmocka_run_group_tests_name("ctx", tests, NULL, NULL);
}
