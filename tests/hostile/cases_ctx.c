/* SPDX-License-Identifier: MIT */
/*
 * Hostile cases, connection table and context port: bad commands from a
 * confused host, and 4-tuples an attacker who knows the hash key crafts
 * to fall into one bucket. Each gets a clear status and a counter; the
 * healthy connections go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conn_table.h"
#include "hostile.h"
#include "hostile_cases.h"

static void import_of(const struct hostile_env *e, unsigned int i,
		      struct tt_ctx_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = TT_CTX_IMPORT;
	tt_ctx_pack(&e->conn[i].ctx, cmd->rec);
}

/* Records of a version the card does not know are refused. */
void hostile_ctx_bad_version(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx_cmd cmd;
	struct tt_ctx_result res;

	for (int v = 0; v < 256; v += 17) {
		if (v == TT_CTX_VERSION)
			continue;
		import_of(e, 0, &cmd);
		cmd.rec[0] = (uint8_t)v;
		cmd.rec[4] ^= 0x5a;                 /* another tuple */
		assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EINVAL);
		hostile_healthy_round(e);
	}
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_BAD), 16);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_IMPORT), 0);
}

/* Export and snapshot of empty slots, of slots beyond the table, and
 * unknown operations. */
void hostile_ctx_bad_slots(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx_cmd cmd = { 0 };
	struct tt_ctx_result res;
	uint32_t slots, params = 0;
	int empty = 0, beyond = 0, badop = 0;

	assert_int_equal(tt_card_reg_read(e->card[0], TT_REG_PARAMS, &params), TT_OK);
	slots = 1u << (params & 31);
	for (uint32_t s = 0; s < 64; s++) {
		int used = 0;
		for (unsigned int i = 0; i < HOSTILE_CONNS; i++)
			used |= e->conn[i].slot == s;
		if (used)
			continue;
		cmd.op = s & 1 ? TT_CTX_EXPORT : TT_CTX_SNAPSHOT;
		cmd.slot = (uint16_t)s;
		assert_int_equal(hostile_ctx(e, &cmd, &res), TT_ENOTFOUND);
		empty++;
	}
	for (uint32_t s = slots; s < 0x10000; s += 4099) {
		cmd.op = TT_CTX_EXPORT;
		cmd.slot = (uint16_t)s;
		assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EINVAL);
		beyond++;
	}
	for (int op = 4; op < 256; op += 31) {
		cmd.op = (uint8_t)op;
		cmd.slot = e->conn[0].slot;
		assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EINVAL);
		badop++;
	}
	cmd.op = 0;
	assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EINVAL);
	badop++;
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_NOT_FOUND), empty);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_BAD), beyond + badop);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_EXPORT), 0);
}

/* Importing a connection that is already installed is refused. */
void hostile_ctx_duplicate_import(void **state)
{
	struct hostile_env *e = *state;
	struct tt_ctx_cmd cmd;
	struct tt_ctx_result res;

	for (unsigned int i = 0; i < HOSTILE_CONNS; i++) {
		import_of(e, i, &cmd);
		cmd.rec[24] ^= 0xff;                /* other sequence numbers */
		assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EEXIST);
		hostile_healthy_round(e);
	}
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_EXISTS), HOSTILE_CONNS);
}

/* Tuples crafted to share one bucket under the (known) key: the bucket
 * fills at TT_CONN_WAYS, the next import is refused FULL, frames of the
 * refused tuple are no match, and no other bucket is disturbed. */
void hostile_colliding_tuples(void **state)
{
	struct hostile_env *e = *state;
	const uint32_t mask = 1024 / TT_CONN_WAYS - 1;
	struct conn_tuple t[TT_CONN_WAYS + 4];
	uint32_t want = 0, peer = 0xc6130101u;
	unsigned int n = 0;
	struct tt_ctx_cmd cmd;
	struct tt_ctx_result res;
	uint8_t f[256];
	uint32_t params = 0;

	assert_int_equal(tt_card_reg_read(e->card[0], TT_REG_PARAMS, &params), TT_OK);
	assert_int_equal(1u << (params & 31), 1024);
	/* a bucket none of the installed connections uses */
	for (uint32_t p = 1024; n < TT_CONN_WAYS + 4 && p < 65536; p++) {
		struct conn_tuple k = { peer, HOSTILE_TEAM_IP, (uint16_t)p, HOSTILE_PORT };
		uint32_t b = conn_hash(hostile_key, &k) & mask;
		int busy = 0;

		for (unsigned int i = 0; i < HOSTILE_CONNS; i++)
			busy |= e->conn[i].slot / TT_CONN_WAYS == b;
		if (busy)
			continue;
		if (n == 0)
			want = b;
		if (b == want)
			t[n++] = k;
	}
	assert_int_equal(n, TT_CONN_WAYS + 4);
	for (unsigned int k = 0; k < n; k++) {
		struct tt_ctx c = e->conn[0].ctx;

		c.remote_ip = t[k].src_ip;
		c.remote_port = t[k].src_port;
		memset(&cmd, 0, sizeof(cmd));
		cmd.op = TT_CTX_IMPORT;
		tt_ctx_pack(&c, cmd.rec);
		if (k < TT_CONN_WAYS) {
			assert_int_equal(hostile_ctx(e, &cmd, &res), TT_OK);
			assert_int_equal(res.slot / TT_CONN_WAYS, want);
		} else {
			assert_int_equal(hostile_ctx(e, &cmd, &res), TT_EFULL);
		}
	}
	/* segments of the refused tuples: no match, to the host */
	for (unsigned int k = TT_CONN_WAYS; k < n; k++) {
		struct fg_tcp s;

		hostile_seg(e, 0, &s);
		s.src_ip = t[k].src_ip;
		s.src_port = t[k].src_port;
		s.flags = FG_TCP_ACK;
		for (int r = 0; r < 10; r++)
			assert_int_equal(hostile_send(e, f, fg_tcp_frame(f, &s)), TT_OK);
	}
	hostile_finish(e);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_IMPORT), TT_CONN_WAYS);
	assert_int_equal(hostile_delta(e, TT_CNT_CTX_FULL), 4);
	assert_int_equal(hostile_delta(e, TT_CNT_EXC_NO_MATCH), 40);
}

/* The host exports a connection while its segments stream in: once the
 * export's result is out, the card emits nothing more in the connection's
 * name; its later segments are no match, handed to the host. */
void hostile_export_under_traffic(void **state)
{
	struct hostile_env *e = *state;
	const unsigned int i = HOSTILE_HEALTHY;   /* the first target */
	struct tt_ctx_cmd cmd = { .op = TT_CTX_EXPORT, .slot = e->conn[i].slot };
	struct tt_ctx_result res;
	uint8_t f[1600], payload[100];
	size_t mark, late = 0;

	memset(payload, 0x5c, sizeof(payload));
	for (int k = 0; k < 100; k++) {
		size_t len = hostile_seg_frame(e, i, f, FG_TCP_ACK,
					       e->conn[i].next_seq, payload,
					       sizeof(payload));
		e->conn[i].next_seq += sizeof(payload);
		if (k == 50)
			assert_int_equal(tt_card_ctx_cmd(e->card[0], &cmd), TT_OK);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	for (int k = 0; tt_card_ctx_result(e->card[0], &res) == TT_EAGAIN; k++) {
		assert_true(k < 100000);
		hostile_pump(e, 16);
	}
	assert_int_equal(res.status, TT_OK);
	hostile_pump(e, 0);            /* what is already in the outputs */
	mark = e->cap[0].n;
	for (int k = 0; k < 10; k++) {
		size_t len = hostile_seg_frame(e, i, f, FG_TCP_ACK,
					       e->conn[i].next_seq, payload,
					       sizeof(payload));
		e->conn[i].next_seq += sizeof(payload);
		assert_int_equal(hostile_send(e, f, len), TT_OK);
	}
	hostile_finish(e);
	for (size_t k = mark; k < e->cap[0].n; k++) {
		const struct hostile_item *it = &e->cap[0].item[k];

		if (it->conn != i)
			continue;
		assert_int_equal(it->stream, 'd');
		assert_int_equal(it->kind, TT_DMA_EXCEPTION);
		assert_int_equal(it->reason, TT_EXC_NO_MATCH);
		late++;
	}
	assert_true(late >= 10);
	assert_true(hostile_delta(e, TT_CNT_EXC_NO_MATCH) >= 10);
}
