/* SPDX-License-Identifier: MIT */
/*
 * The victim / control pair of the hostile catalogue (hostile.h): setup,
 * healthy traffic, capture of everything that concerns a connection, and
 * the final comparison.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hostile.h"
#include "testenv.h"

#define SETTLE_CYCLES   4000000u  /* a card idle later than this hangs */
#define PUSH_TRIES      100000u
#define HEALTHY_EVERY   4         /* a healthy segment per ~4 hostile frames */

const uint32_t hostile_key[4] = { 0x3b9aca07, 0x5f3759df, 0x9e3779b9,
				  0x7f4a7c15 };
const uint8_t hostile_team_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
const uint8_t hostile_peer_mac[6] = { 0x02, 0x00, 0x5e, 0x20, 0x00, 0x02 };

uint64_t hostile_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* ---------------------------------------------------------------- capture */

static void capture_add(struct hostile_capture *c, const struct hostile_item *it)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->item = realloc(c->item, c->cap * sizeof(*c->item));
		assert_non_null(c->item);
	}
	c->item[c->n++] = *it;
}

static int conn_by_slot(const struct hostile_env *e, uint16_t slot)
{
	for (unsigned int i = 0; i < e->n_conns; i++)
		if (e->conn[i].slot == slot)
			return (int)i;
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The connection a TCP/IPv4 frame belongs to; from_peer: the peer sent it
 * (else the team did). -1 if none. */
static int conn_by_frame(const struct hostile_env *e, const uint8_t *f,
			 size_t len, int from_peer)
{
	if (len < 54 || rd16(f + 12) != 0x0800 || (f[14] & 0x0f) != 5 || f[23] != 6)
		return -1;
	uint32_t peer = rd32(f + (from_peer ? 26 : 30));
	uint16_t pport = rd16(f + (from_peer ? 34 : 36));
	uint16_t lport = rd16(f + (from_peer ? 36 : 34));

	for (unsigned int i = 0; i < e->n_conns; i++) {
		const struct tt_ctx *c = &e->conn[i].ctx;
		if (c->remote_ip == peer && c->remote_port == pport &&
		    c->local_port == lport)
			return (int)i;
	}
	return -1;
}

static void drain(struct hostile_env *e, int side)
{
	static uint8_t buf[16384];
	struct tt_card *c = e->card[side];
	struct hostile_item it;
	struct tt_dma_write d;
	struct tt_event ev;
	size_t len;
	int conn;

	while (tt_card_dma_write(c, &d, buf, sizeof(buf)) == TT_OK) {
		conn = d.slot != TT_SLOT_NONE ? conn_by_slot(e, d.slot)
					      : conn_by_frame(e, buf, d.len, 1);
		if (conn < 0)
			continue;
		it = (struct hostile_item){ 'd', d.kind, d.reason, (uint16_t)conn,
					    d.seq, d.len, hostile_hash(buf, d.len) };
		capture_add(&e->cap[side], &it);
	}
	while (tt_card_event(c, &ev) == TT_OK) {
		conn = ev.slot != TT_SLOT_NONE ? conn_by_slot(e, ev.slot) : -1;
		if (conn < 0)
			continue;
		it = (struct hostile_item){ 'e', ev.type, 0, (uint16_t)conn,
					    ev.value, 0, 0 };
		capture_add(&e->cap[side], &it);
	}
	while (tt_card_net_tx(c, buf, sizeof(buf), &len) == TT_OK) {
		conn = conn_by_frame(e, buf, len, 0);
		if (conn < 0)
			continue;
		it = (struct hostile_item){ 't', buf[47], 0, (uint16_t)conn,
					    rd32(buf + 38), (uint32_t)len,
					    hostile_hash(buf, len) };
		capture_add(&e->cap[side], &it);
	}
}

void hostile_pump(struct hostile_env *e, uint64_t cycles)
{
	for (int s = 0; s < 2; s++) {
		tt_card_step(e->card[s], cycles);
		drain(e, s);
	}
}

size_t hostile_count(const struct hostile_env *e, int side, unsigned int i,
		     uint8_t stream, uint8_t kind)
{
	size_t n = 0;

	for (size_t k = 0; k < e->cap[side].n; k++) {
		const struct hostile_item *it = &e->cap[side].item[k];
		n += it->conn == i && it->stream == stream &&
		     (!kind || it->kind == kind);
	}
	return n;
}

/* ---------------------------------------------------------------- input */

static int push(struct hostile_env *e, int side, const uint8_t *f, size_t len)
{
	int r = TT_EAGAIN;

	for (unsigned int k = 0; k < PUSH_TRIES; k++) {
		r = tt_card_net_rx(e->card[side], f, len);
		if (r != TT_EAGAIN)
			return r;
		hostile_pump(e, 64);
	}
	fail_msg("seed %llu: card %s never took a frame (input stuck)",
		 (unsigned long long)e->seed, side ? "control" : "victim");
	return r;
}

void hostile_seg(const struct hostile_env *e, unsigned int i, struct fg_tcp *t)
{
	const struct tt_ctx *c = &e->conn[i].ctx;

	memset(t, 0, sizeof(*t));
	memcpy(t->dst_mac, e->mac, 6);
	memcpy(t->src_mac, hostile_peer_mac, 6);
	t->src_ip = c->remote_ip;
	t->dst_ip = c->local_ip;
	t->src_port = c->remote_port;
	t->dst_port = c->local_port;
	t->seq = e->conn[i].next_seq;
	t->ack = c->snd_una;
	t->flags = FG_TCP_ACK;
	t->window = c->snd_wnd;
	t->ip_id = (uint16_t)(i * 977);
}

size_t hostile_seg_frame(const struct hostile_env *e, unsigned int i,
			 uint8_t *buf, uint8_t flags, uint32_t seq,
			 const uint8_t *payload, size_t len)
{
	struct fg_tcp t;

	hostile_seg(e, i, &t);
	t.flags = flags;
	t.seq = seq;
	t.payload = payload;
	t.payload_len = len;
	return fg_tcp_frame(buf, &t);
}

static void healthy_one(struct hostile_env *e, unsigned int i)
{
	uint8_t payload[256], f[512];
	size_t n = 1 + rng_below(&e->rng, sizeof(payload)), len;

	for (size_t k = 0; k < n; k++)
		payload[k] = (uint8_t)rng_next(&e->rng);
	len = hostile_seg_frame(e, i, f, FG_TCP_ACK | FG_TCP_PSH,
				e->conn[i].next_seq, payload, n);
	e->conn[i].next_seq += (uint32_t)n;
	for (int s = 0; s < 2; s++)
		assert_int_equal(push(e, s, f, len), TT_OK);
}

void hostile_healthy_round(struct hostile_env *e)
{
	for (unsigned int i = 0; i < HOSTILE_HEALTHY; i++)
		healthy_one(e, i);
}

int hostile_send(struct hostile_env *e, const uint8_t *f, size_t len)
{
	int r = push(e, 0, f, len);

	if (r == TT_OK)
		e->sent++;
	else
		e->refused++;
	if (rng_below(&e->rng, HEALTHY_EVERY) == 0)
		healthy_one(e, rng_below(&e->rng, HOSTILE_HEALTHY));
	return r;
}

/* ---------------------------------------------------------------- context */

static int ctx_sync(struct hostile_env *e, int side, const struct tt_ctx_cmd *cmd,
		    struct tt_ctx_result *res)
{
	struct tt_card *c = e->card[side];
	unsigned int k;

	for (k = 0; tt_card_ctx_cmd(c, cmd) == TT_EAGAIN; k++) {
		assert_true(k < PUSH_TRIES);
		hostile_pump(e, 64);
	}
	for (k = 0; tt_card_ctx_result(c, res) == TT_EAGAIN; k++) {
		if (k >= PUSH_TRIES)
			fail_msg("seed %llu: no context result", (unsigned long long)e->seed);
		hostile_pump(e, 16);
	}
	return res->status;
}

int hostile_ctx(struct hostile_env *e, const struct tt_ctx_cmd *cmd,
		struct tt_ctx_result *res)
{
	return ctx_sync(e, 0, cmd, res);
}

void hostile_snapshot(struct hostile_env *e, int side, unsigned int i,
		      struct tt_ctx *c)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_SNAPSHOT, .slot = e->conn[i].slot };
	struct tt_ctx_result res;

	assert_int_equal(ctx_sync(e, side, &cmd, &res), TT_OK);
	tt_ctx_unpack(res.rec, c);
}

/* An established connection from peer HOSTILE_PEER_IP + i, its sequence
 * numbers spread over the whole space (some close to the wrap). */
static void conn_make(struct hostile_env *e, unsigned int i, struct tt_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	c->state = TT_TCP_ESTABLISHED;
	c->remote_ip = HOSTILE_PEER_IP + i;
	c->local_ip = HOSTILE_TEAM_IP;
	c->remote_port = (uint16_t)(40000 + i);
	c->local_port = HOSTILE_PORT;
	c->mss = 1460;
	for (int k = 0; k < 6; k++)
		c->peer_mac |= (uint64_t)hostile_peer_mac[k] << (8 * k);
	c->snd_una = c->snd_nxt = c->snd_max = (uint32_t)rng_next(&e->rng);
	c->rcv_nxt = i & 1 ? 0xffffff00u + i : (uint32_t)rng_next(&e->rng);
	c->cwnd = 10 * 1460;
	c->ssthresh = 0xffffffffu;
	c->snd_wnd = 0xffff;
	c->rcv_wnd = 0xffff;
	c->snd_wscale = 7;
	c->rcv_wscale = 7;
	c->rto = 200;
	c->ip_id = (uint16_t)(i * 1000);
}

static int setup(void **state, const char *backend)
{
	struct hostile_env *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->backend = backend;
	e->seed = testenv_seed("hostile");
	e->rng.s = e->seed;
	memcpy(e->mac, hostile_team_mac, 6);
	e->ip = HOSTILE_TEAM_IP;
	for (int s = 0; s < 2; s++) {
		e->card[s] = testenv_card(backend, e->mac, e->ip, (uint32_t)s);
		for (int k = 0; k < 4; k++)
			tt_card_reg_write(e->card[s], TT_REG_HASH_KEY0 + 4u * k,
					  hostile_key[k]);
	}
	for (unsigned int i = 0; i < HOSTILE_CONNS; i++) {
		struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };
		struct tt_ctx_result res[2];

		conn_make(e, i, &e->conn[i].ctx);
		e->conn[i].next_seq = e->conn[i].ctx.rcv_nxt;
		tt_ctx_pack(&e->conn[i].ctx, cmd.rec);
		for (int s = 0; s < 2; s++)
			if (ctx_sync(e, s, &cmd, &res[s]) != TT_OK)
				return -1;
		if (res[0].slot != res[1].slot)
			return -1;
		e->conn[i].slot = res[0].slot;
	}
	e->n_conns = HOSTILE_CONNS;
	hostile_pump(e, 100);
	for (int s = 0; s < 2; s++) {
		for (int k = 0; k < TT_COUNTER_COUNT; k++)
			e->start[s][k] = tt_card_counter(e->card[s], k);
		e->cap[s].n = 0;
	}
	*state = e;
	return 0;
}

void hostile_conn_like(struct hostile_env *e, struct tt_ctx *c)
{
	*c = e->conn[HOSTILE_HEALTHY].ctx;
	c->remote_port = (uint16_t)(50000 + e->n_conns);
}

int hostile_add_conn(struct hostile_env *e, const struct tt_ctx *c,
		     int victim_only)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };
	struct tt_ctx_result res;
	unsigned int i = e->n_conns;

	assert_true(i < HOSTILE_MAX_CONNS);
	tt_ctx_pack(c, cmd.rec);
	for (int s = victim_only ? 0 : 1; s >= 0; s--)
		if (ctx_sync(e, s, &cmd, &res) != TT_OK)
			return -1;
	e->conn[i].ctx = *c;
	e->conn[i].slot = res.slot;
	e->conn[i].next_seq = c->rcv_nxt;
	e->n_conns++;
	return (int)i;
}

int hostile_setup_rtl(void **state) { return setup(state, "rtl"); }
int hostile_setup_model(void **state) { return setup(state, "model"); }

int hostile_teardown(void **state)
{
	struct hostile_env *e = *state;

	for (int s = 0; s < 2; s++) {
		tt_card_free(e->card[s]);
		free(e->cap[s].item);
	}
	free(e);
	return 0;
}

int64_t hostile_delta(struct hostile_env *e, int idx)
{
	uint32_t v = tt_card_counter(e->card[0], idx) - e->start[0][idx];
	uint32_t c = tt_card_counter(e->card[1], idx) - e->start[1][idx];

	return (int64_t)v - (int64_t)c;
}

/* ---------------------------------------------------------------- finish */

static void settle(struct hostile_env *e)
{
	uint64_t ran = 0;

	while (!(tt_card_idle(e->card[0]) && tt_card_idle(e->card[1]))) {
		if (ran >= SETTLE_CYCLES)
			fail_msg("seed %llu: %s card not idle after %llu cycles (hang)",
				 (unsigned long long)e->seed,
				 tt_card_idle(e->card[0]) ? "control" : "victim",
				 (unsigned long long)ran);
		hostile_pump(e, 1000);
		ran += 1000;
	}
	hostile_pump(e, 1000);
}

static int item_eq(const struct hostile_item *a, const struct hostile_item *b)
{
	return a->stream == b->stream && a->kind == b->kind &&
	       a->reason == b->reason && a->conn == b->conn &&
	       a->seq == b->seq && a->len == b->len && a->hash == b->hash;
}

static void print_item(const char *who, const struct hostile_item *it)
{
	print_message("#   %s: stream %c kind %u reason %u conn %u seq/value %u "
		      "len %u hash %016llx\n",
		      who, it->stream, it->kind, it->reason, it->conn, it->seq, it->len,
		      (unsigned long long)it->hash);
}

/* The healthy connections' items of one stream, in order, on both sides. */
static void compare_stream(struct hostile_env *e, uint8_t stream)
{
	size_t a = 0, b = 0, idx = 0;
	const struct hostile_capture *v = &e->cap[0], *c = &e->cap[1];

	for (;;) {
		while (a < v->n && (v->item[a].stream != stream ||
				    v->item[a].conn >= HOSTILE_HEALTHY))
			a++;
		while (b < c->n && (c->item[b].stream != stream ||
				    c->item[b].conn >= HOSTILE_HEALTHY))
			b++;
		if (a == v->n && b == c->n)
			return;
		if (a == v->n || b == c->n ||
		    !item_eq(&v->item[a], &c->item[b])) {
			print_message("# seed %llu: healthy connections affected, "
				      "stream %c, item %zu\n",
				      (unsigned long long)e->seed, stream, idx);
			if (a < v->n)
				print_item("victim ", &v->item[a]);
			else
				print_message("#   victim : (no more items)\n");
			if (b < c->n)
				print_item("control", &c->item[b]);
			else
				print_message("#   control: (no more items)\n");
			fail();
		}
		a++, b++, idx++;
	}
}

void hostile_finish(struct hostile_env *e)
{
	hostile_healthy_round(e);
	settle(e);
	/* every frame the victim took is counted, dropped or not */
	assert_int_equal(hostile_delta(e, TT_CNT_RX_FRAMES), (int64_t)e->sent);
	compare_stream(e, 'd');
	compare_stream(e, 'e');
	compare_stream(e, 't');
	for (unsigned int i = 0; i < HOSTILE_HEALTHY; i++) {
		struct tt_ctx v, c;
		uint8_t rv[TT_CTX_BYTES], rc[TT_CTX_BYTES];

		hostile_snapshot(e, 0, i, &v);
		hostile_snapshot(e, 1, i, &c);
		tt_ctx_pack(&v, rv);
		tt_ctx_pack(&c, rc);
		for (unsigned int k = 0; k < TT_CTX_BYTES; k++)
			if (rv[k] != rc[k])
				fail_msg("seed %llu: healthy connection %u context "
					 "byte %u: victim %02x control %02x",
					 (unsigned long long)e->seed, i, k, rv[k], rc[k]);
	}
}
