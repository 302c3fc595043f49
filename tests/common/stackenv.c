/* SPDX-License-Identifier: MIT */
/* Linked into every test program, fuzz harness and tool: no cmocka here
 * (the assertions that need it are inline in stackenv.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stackenv.h"

const uint8_t se_mac_a[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
const uint8_t se_mac_b[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x02 };
const uint8_t se_mac_c[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x03 };

struct se_side {
	struct stackenv *e;
	int side;
};
static struct se_side se_sides[2]; /* one stackenv open at a time */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void se_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "stackenv: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static uint64_t se_now(void *arg)
{
	return ((struct se_side *)arg)->e->now;
}

static void se_capture(struct stackenv *e, int side, const uint8_t *f,
		       size_t len, int tuple)
{
	unsigned int i;

	if (e->cap_n[side] == SE_CAP)
		se_fatal("side %d sent more than %u frames nobody took", side,
			 SE_CAP);
	i = (e->cap_head[side] + e->cap_n[side]++) % SE_CAP;
	memcpy(e->cap[side] + (size_t)i * SE_FRAME, f, len);
	e->cap_len[side][i] = len;
	e->cap_tuple[side][i] = tuple;
}

static void se_send(struct stackenv *e, int from, const uint8_t *f, size_t len)
{
	unsigned int copies = 1, c, i;

	e->sent++;
	if (rng_below(&e->rng, 1000) < e->loss_pm) {
		e->lost++;
		return;
	}
	if (rng_below(&e->rng, 1000) < e->dup_pm) {
		copies = 2;
		e->dups++;
	}
	for (c = 0; c < copies; c++) {
		uint64_t due = e->now + e->delay_ms;

		if (e->jitter_ms)
			due += rng_below(&e->rng, e->jitter_ms + 1);
		if (rng_below(&e->rng, 1000) < e->reorder_pm) {
			due += 1 + rng_below(&e->rng, 5);
			e->reordered++;
		}
		for (i = 0; i < SE_FLIGHT && e->flight[i].len; i++)
			;
		if (i == SE_FLIGHT) {
			e->overflow++; /* a full link queue: tail drop */
			return;
		}
		e->flight[i].due = due;
		e->flight[i].to = !from;
		e->flight[i].len = len;
		memcpy(e->flight[i].data, f, len);
	}
}

static int se_output(void *arg, const uint8_t *f, size_t len,
		     const struct tt_tuple *t)
{
	struct se_side *sd = arg;
	struct stackenv *e = sd->e;

	if (len > SE_FRAME)
		se_fatal("a frame of %zu bytes", len);
	if (e->fail_output[sd->side])
		return -1;
	if (e->wired)
		se_send(e, sd->side, f, len);
	else
		se_capture(e, sd->side, f, len, t != NULL);
	return 0;
}

void stackenv_params(struct stackenv *e, int side, struct tt_stack_params *p)
{
	tt_stack_params_default(p);
	memcpy(p->mac, side ? se_mac_b : se_mac_a, 6);
	p->ipv4 = side ? SE_IP_B : SE_IP_A;
	(void)e;
}

void stackenv_open(struct stackenv *e, int two, const struct tt_stack_params *pa,
		   const struct tt_stack_params *pb)
{
	const struct tt_stack_params *in[2] = { pa, pb };
	char err[256];
	int side;

	memset(e, 0, sizeof(*e));
	e->now = 1000;
	e->rng.s = 1;
	e->flight_mem = calloc(SE_FLIGHT, SE_FRAME);
	if (!e->flight_mem)
		se_fatal("out of memory");
	for (unsigned int i = 0; i < SE_FLIGHT; i++)
		e->flight[i].data = e->flight_mem + (size_t)i * SE_FRAME;
	for (side = 0; side < (two ? 2 : 1); side++) {
		struct tt_stack_params p;

		if (in[side])
			p = *in[side];
		else
			stackenv_params(e, side, &p);
		e->cap[side] = malloc((size_t)SE_CAP * SE_FRAME);
		if (!e->cap[side])
			se_fatal("out of memory");
		se_sides[side].e = e;
		se_sides[side].side = side;
		p.output = se_output;
		p.now_ms = se_now;
		p.arg = &se_sides[side];
		if (tt_stack_new(&e->s[side], &p, err, sizeof(err)) < 0)
			se_fatal("%s", err);
	}
}

void stackenv_close(struct stackenv *e)
{
	for (int side = 0; side < 2; side++) {
		tt_stack_free(e->s[side]);
		free(e->cap[side]);
	}
	free(e->flight_mem);
	memset(e, 0, sizeof(*e));
}

void stackenv_inject(struct stackenv *e, int side, const uint8_t *f,
		     size_t len)
{
	tt_stack_input(e->s[side], f, len);
}

/* Deliver every frame due by now, earliest first (ties: lowest slot). */
static void se_deliver(struct stackenv *e)
{
	for (;;) {
		int best = -1;

		for (int i = 0; i < (int)SE_FLIGHT; i++) {
			if (!e->flight[i].len || e->flight[i].due > e->now)
				continue;
			if (best < 0 || e->flight[i].due < e->flight[best].due)
				best = i;
		}
		if (best < 0)
			return;
		/* copy out: the receiver's answers may take the slot */
		{
			static uint8_t buf[SE_FRAME];
			size_t len = e->flight[best].len;
			int to = e->flight[best].to;

			memcpy(buf, e->flight[best].data, len);
			e->flight[best].len = 0;
			if (e->s[to])
				tt_stack_input(e->s[to], buf, len);
		}
	}
}

void stackenv_run(struct stackenv *e, uint64_t ms)
{
	for (uint64_t k = 0; k < ms; k++) {
		e->now++;
		se_deliver(e);
		for (int side = 0; side < 2; side++)
			if (e->s[side])
				tt_stack_timer(e->s[side]);
	}
}

size_t stackenv_take(struct stackenv *e, int side, uint8_t *buf)
{
	unsigned int i;
	size_t len;

	if (!e->cap_n[side])
		return 0;
	i = e->cap_head[side];
	len = e->cap_len[side][i];
	memcpy(buf, e->cap[side] + (size_t)i * SE_FRAME, len);
	e->cap_head[side] = (i + 1) % SE_CAP;
	e->cap_n[side]--;
	return len;
}

unsigned int stackenv_pending(const struct stackenv *e, int side)
{
	return e->cap_n[side];
}

void stackenv_drain(struct stackenv *e, int side)
{
	e->cap_n[side] = 0;
}

size_t se_tcp_build(uint8_t *f, const struct se_seg *g)
{
	size_t opt = 0, tcp_len, ip_len;
	uint8_t *ip = f + 14, *tcp = f + 34;
	uint32_t s;

	memcpy(f, g->dst_mac, 6);
	memcpy(f + 6, g->src_mac, 6);
	put16(f + 12, 0x0800);
	if (g->mss) {
		tcp[20] = 2; tcp[21] = 4; put16(tcp + 22, g->mss);
		opt += 4;
	}
	if (g->ws >= 0) {
		tcp[20 + opt] = 1; tcp[21 + opt] = 3; tcp[22 + opt] = 3;
		tcp[23 + opt] = (uint8_t)g->ws;
		opt += 4;
	}
	tcp_len = 20 + opt + g->len;
	ip_len = 20 + tcp_len;
	ip[0] = 0x45; ip[1] = 0;
	put16(ip + 2, (uint32_t)ip_len);
	put16(ip + 4, 0);
	put16(ip + 6, 0x4000);
	ip[8] = 64; ip[9] = 6;
	put16(ip + 10, 0);
	put32(ip + 12, g->src_ip);
	put32(ip + 16, g->dst_ip);
	put16(ip + 10, (uint16_t)~fold(sum16(0, ip, 20)));
	put16(tcp, g->sport);
	put16(tcp + 2, g->dport);
	put32(tcp + 4, g->seq);
	put32(tcp + 8, g->ack);
	tcp[12] = (uint8_t)(((20 + opt) / 4) << 4);
	tcp[13] = g->flags;
	put16(tcp + 14, g->win);
	put16(tcp + 16, 0);
	put16(tcp + 18, 0);
	if (g->len)
		memcpy(tcp + 20 + opt, g->payload, g->len);
	s = sum16(0, ip + 12, 8) + 6 + (uint32_t)tcp_len;
	put16(tcp + 16, (uint16_t)~fold(sum16(s, tcp, tcp_len)));
	return 14 + ip_len;
}

int se_tcp_parse(const uint8_t *f, size_t len, struct se_tcp *t)
{
	const uint8_t *ip = f + 14, *tcp;
	size_t ihl, tot, doff, i;
	uint32_t s;

	memset(t, 0, sizeof(*t));
	t->ws = -1;
	if (len < 54 || be16(f + 12) != 0x0800 || ip[9] != 6)
		return -1;
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = be16(ip + 2);
	if (14 + tot > len || tot < ihl + 20)
		return -1;
	tcp = ip + ihl;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || ihl + doff > tot)
		return -1;
	memcpy(t->dst_mac, f, 6);
	t->src_ip = be32(ip + 12);
	t->dst_ip = be32(ip + 16);
	t->sport = be16(tcp);
	t->dport = be16(tcp + 2);
	t->seq = be32(tcp + 4);
	t->ack = be32(tcp + 8);
	t->flags = tcp[13];
	t->win = be16(tcp + 14);
	t->len = tot - ihl - doff;
	t->data = tcp + doff;
	for (i = 20; i < doff;) {
		if (tcp[i] == 0)
			break;
		if (tcp[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || tcp[i + 1] < 2)
			break;
		if (tcp[i] == 2 && tcp[i + 1] == 4)
			t->mss = be16(tcp + i + 2);
		if (tcp[i] == 3 && tcp[i + 1] == 3)
			t->ws = tcp[i + 2];
		i += tcp[i + 1];
	}
	s = sum16(0, ip + 12, 8) + 6 + (uint32_t)(tot - ihl);
	t->csum_ok = fold(sum16(0, ip, ihl)) == 0xffff &&
		     fold(sum16(s, tcp, tot - ihl)) == 0xffff;
	return 0;
}

uint64_t se_cnt(struct stackenv *e, int side, int c)
{
	return tt_stack_counter(e->s[side], c);
}

unsigned int se_events(struct stackenv *e, int side, int h)
{
	struct tt_sock_event ev;
	unsigned int seen = 0;

	while (tt_next_event(e->s[side], &ev))
		if (ev.handle == h)
			seen |= ev.events;
	return seen;
}

int se_take_tcp(struct stackenv *e, int side, uint8_t *buf, struct se_tcp *t)
{
	size_t len = stackenv_take(e, side, buf);

	if (!len || se_tcp_parse(buf, len, t) < 0)
		return -1;
	return 0;
}

void stackenv_inject_seg(struct stackenv *e, uint16_t cport, uint16_t port,
			 uint32_t seq, uint32_t ack, uint8_t flags,
			 uint16_t win, const uint8_t *data, size_t len)
{
	static uint8_t f[SE_FRAME];
	struct se_seg g = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A,
		.sport = cport, .dport = port, .seq = seq, .ack = ack,
		.flags = flags, .win = win, .ws = -1,
		.payload = data, .len = len,
	};

	stackenv_inject(e, 0, f, se_tcp_build(f, &g));
}

int stackenv_crafted(struct stackenv *e, uint16_t port, uint16_t cport,
		     uint32_t c_isn, uint16_t mss, int ws, uint16_t win,
		     uint32_t *iss)
{
	static uint8_t f[SE_FRAME];
	struct se_seg g = {
		.src_mac = se_mac_c, .dst_mac = se_mac_a,
		.src_ip = SE_IP_C, .dst_ip = SE_IP_A,
		.sport = cport, .dport = port, .seq = c_isn,
		.flags = 0x02, .win = win, .mss = mss, .ws = ws,
	};
	struct tt_sock_event ev;
	struct se_tcp t;
	int lh = tt_listen(e->s[0], port, 8);

	if (lh == TT_EADDRINUSE) {
		/* already listening: find the handle through an accept */
		lh = 0;
	}
	stackenv_inject(e, 0, f, se_tcp_build(f, &g));
	if (se_take_tcp(e, 0, f, &t) < 0 || t.flags != 0x12)
		return -1;
	if (iss)
		*iss = t.seq;
	stackenv_inject_seg(e, cport, port, c_isn + 1, t.seq + 1, 0x10, win,
			    NULL, 0);
	while (tt_next_event(e->s[0], &ev)) {
		if (ev.events & TT_EV_ACCEPT)
			return tt_accept(e->s[0], ev.handle, NULL);
	}
	return lh > 0 ? tt_accept(e->s[0], lh, NULL) : -1;
}
