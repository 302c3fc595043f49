/* SPDX-License-Identifier: MIT */
/*
 * Context port and connection lookup, against both backends: import then
 * export returns the same 64 bytes, snapshot keeps the slot, duplicates,
 * full buckets, bad versions and empty slots are refused with their
 * status and counter, and segments of an installed connection carry its
 * slot to the host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conn_table.h"
#include "framegen.h"
#include "testenv.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u
static const uint32_t key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d, 0x43a38fb0 };

static int setup(void **state, const char *backend)
{
	struct tt_card *c = testenv_card(backend, team_mac, TEAM_IP, 0);

	for (uint32_t i = 0; i < 4; i++)
		tt_card_reg_write(c, TT_REG_HASH_KEY0 + 4 * i, key[i]);
	*state = c;
	return 0;
}
static int setup_rtl(void **state) { return setup(state, "rtl"); }
static int setup_model(void **state) { return setup(state, "model"); }
static int teardown(void **state)
{
	tt_card_free(*state);
	return 0;
}

static void record(const struct conn_tuple *k, uint32_t salt, uint8_t rec[TT_CTX_BYTES])
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.state = TT_TCP_ESTABLISHED;
	c.remote_ip = k->src_ip;
	c.local_ip = k->dst_ip;
	c.remote_port = k->src_port;
	c.local_port = k->dst_port;
	c.snd_una = salt;
	c.rcv_nxt = ~salt;
	c.peer_mac = 0x020000000002ull;
	tt_ctx_pack(&c, rec);
}

static struct tt_ctx_result run_cmd(struct tt_card *c, uint8_t op, uint16_t slot,
				    const uint8_t *rec)
{
	struct tt_ctx_cmd cmd = { .op = op, .slot = slot };
	struct tt_ctx_result res;

	if (rec)
		memcpy(cmd.rec, rec, TT_CTX_BYTES);
	assert_int_equal(tt_card_ctx_cmd(c, &cmd), TT_OK);
	for (int i = 0; i < 1000; i++) {
		tt_card_step(c, 4);
		if (tt_card_ctx_result(c, &res) == TT_OK)
			return res;
	}
	fail_msg("no context result");
	return res;
}

static void params(void **state)
{
	uint32_t v = 0;

	assert_int_equal(tt_card_reg_read(*state, TT_REG_PARAMS, &v), TT_OK);
	assert_int_equal(v & 31, 10);
	assert_int_equal((v >> 8) & 3, 2);
	assert_int_equal(tt_card_reg_read(*state, TT_REG_HASH_KEY2, &v), TT_OK);
	assert_int_equal(v, key[2]);
}

static void import_export_round_trip(void **state)
{
	struct tt_card *c = *state;
	struct conn_tuple k = { 0xc6120002u, TEAM_IP, 40000, 80 };
	uint8_t rec[TT_CTX_BYTES];
	struct tt_ctx_result res;
	uint16_t slot;

	record(&k, 1234, rec);
	res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	slot = res.slot;
	assert_int_equal(slot / TT_CONN_WAYS, conn_hash(key, &k) & (1024 / TT_CONN_WAYS - 1));
	res = run_cmd(c, TT_CTX_SNAPSHOT, slot, NULL);
	assert_int_equal(res.status, TT_OK);
	assert_memory_equal(res.rec, rec, TT_CTX_BYTES);
	res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_EEXIST);
	res = run_cmd(c, TT_CTX_EXPORT, slot, NULL);
	assert_int_equal(res.status, TT_OK);
	assert_memory_equal(res.rec, rec, TT_CTX_BYTES);
	res = run_cmd(c, TT_CTX_EXPORT, slot, NULL);
	assert_int_equal(res.status, TT_ENOTFOUND);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_IMPORT), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_SNAPSHOT), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_EXPORT), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_EXISTS), 1);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_NOT_FOUND), 1);
}

static void full_bucket(void **state)
{
	struct tt_card *c = *state;
	struct conn_tuple k[TT_CONN_WAYS + 1];
	struct rng g = { 7 };
	uint8_t rec[TT_CTX_BYTES];
	uint32_t want = 0;
	unsigned n = 0;

	/* Tuples that collide in one bucket under the known key. */
	while (n < TT_CONN_WAYS + 1) {
		struct conn_tuple t = { 0xc6120000u | rng_below(&g, 0x10000), TEAM_IP,
					(uint16_t)rng_next(&g), 443 };
		uint32_t b = conn_hash(key, &t) & (1024 / TT_CONN_WAYS - 1);
		if (n == 0)
			want = b;
		if (b == want)
			k[n++] = t;
	}
	for (unsigned i = 0; i < TT_CONN_WAYS; i++) {
		record(&k[i], i, rec);
		struct tt_ctx_result res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
		assert_int_equal(res.status, TT_OK);
		assert_int_equal(res.slot, want * TT_CONN_WAYS + i);
	}
	record(&k[TT_CONN_WAYS], 9, rec);
	assert_int_equal(run_cmd(c, TT_CTX_IMPORT, 0, rec).status, TT_EFULL);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_FULL), 1);
	/* a freed way is reused */
	assert_int_equal(run_cmd(c, TT_CTX_EXPORT, (uint16_t)(want * TT_CONN_WAYS + 2), NULL).status, TT_OK);
	struct tt_ctx_result res = run_cmd(c, TT_CTX_IMPORT, 0, rec);
	assert_int_equal(res.status, TT_OK);
	assert_int_equal(res.slot, want * TT_CONN_WAYS + 2);
}

static void bad_commands(void **state)
{
	struct tt_card *c = *state;
	struct conn_tuple k = { 0xc6120003u, TEAM_IP, 1, 2 };
	uint8_t rec[TT_CTX_BYTES];

	record(&k, 0, rec);
	rec[0] = TT_CTX_VERSION + 1;
	assert_int_equal(run_cmd(c, TT_CTX_IMPORT, 0, rec).status, TT_EINVAL);
	assert_int_equal(run_cmd(c, TT_CTX_EXPORT, 1024, NULL).status, TT_EINVAL);
	assert_int_equal(run_cmd(c, 0, 0, NULL).status, TT_EINVAL);
	assert_int_equal(run_cmd(c, 77, 0, NULL).status, TT_EINVAL);
	assert_int_equal(run_cmd(c, TT_CTX_SNAPSHOT, 5, NULL).status, TT_ENOTFOUND);
	assert_int_equal(tt_card_counter(c, TT_CNT_CTX_BAD), 4);
}

static void lookup_carries_slot(void **state)
{
	struct tt_card *c = *state;
	struct conn_tuple k = { 0xc6120002u, TEAM_IP, 40001, 80 };
	struct fg_tcp t = { .src_ip = k.src_ip, .dst_ip = TEAM_IP, .src_port = 40001,
			    .dst_port = 80, .flags = FG_TCP_ACK };
	uint8_t rec[TT_CTX_BYTES], f[200], out[200];
	struct tt_dma_write d;
	static const struct { uint8_t flags; int reason; } cases[] = {
		{ 0, TT_EXC_UNHANDLED },            /* ACK clear: the host's */
		{ FG_TCP_PSH, TT_EXC_UNHANDLED },
		{ FG_TCP_ACK | FG_TCP_FIN, TT_EXC_TCP_FLAGS },
		{ FG_TCP_SYN, TT_EXC_TCP_FLAGS },
		{ FG_TCP_RST, TT_EXC_TCP_FLAGS },
		{ FG_TCP_ACK | FG_TCP_URG, TT_EXC_TCP_FLAGS },
	};
	uint16_t slot;

	record(&k, 5, rec);
	slot = run_cmd(c, TT_CTX_IMPORT, 0, rec).slot;
	memcpy(t.dst_mac, team_mac, 6);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t.flags = cases[i].flags;
		size_t len = fg_tcp_frame(f, &t);
		assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
		tt_card_step(c, 200);
		assert_int_equal(tt_card_dma_write(c, &d, out, sizeof(out)), TT_OK);
		assert_int_equal(d.reason, cases[i].reason);
		assert_int_equal(d.slot, slot);
	}
	/* ACK set and none of SYN/FIN/RST/URG: the receive engine takes it
	 * (revision 1.2), no exception */
	t.flags = FG_TCP_ACK | FG_TCP_PSH;
	size_t len = fg_tcp_frame(f, &t);
	assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
	tt_card_step(c, 200);
	assert_int_equal(tt_card_dma_write(c, &d, out, sizeof(out)), TT_EAGAIN);
	assert_int_equal(tt_card_counter(c, TT_CNT_ENG_SEGMENTS), 1);
	/* another port of the same peer misses */
	t.src_port = 40002;
	t.flags = FG_TCP_ACK;
	len = fg_tcp_frame(f, &t);
	assert_int_equal(tt_card_net_rx(c, f, len), TT_OK);
	tt_card_step(c, 200);
	assert_int_equal(tt_card_dma_write(c, &d, out, sizeof(out)), TT_OK);
	assert_int_equal(d.reason, TT_EXC_NO_MATCH);
	assert_int_equal(d.slot, TT_SLOT_NONE);
}

/* A published RSS test vector: the Toeplitz hash of 66.9.149.187:2794 ->
 * 161.142.100.80:1766 under the standard key's first 128 bits. */
static void toeplitz_vector(void **state)
{
	(void)state;
	struct conn_tuple k = { 0x420995bbu, 0xa18e6450u, 2794, 1766 };

	assert_int_equal(conn_hash(key, &k), 0x51ccc178u);
}

#define BOTH(fn) TESTENV_BOTH(fn, setup_rtl, setup_model, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(toeplitz_vector),
		BOTH(params),
		BOTH(import_export_round_trip),
		BOTH(full_bucket),
		BOTH(bad_commands),
		BOTH(lookup_carries_slot),
	};

	return cmocka_run_group_tests_name("ctx_port", tests, NULL, NULL);
}
