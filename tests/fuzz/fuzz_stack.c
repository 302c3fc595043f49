/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the host's software stack (host/stack) fed frames
 * and application calls by a little script, with a fake card behind its
 * offload hooks.
 *
 * Input: operations, each one byte op, then its arguments:
 *   0  raw frame: 2-byte length L, L bytes
 *   1  a TCP segment from peer port 40000 + (a & 3) to port 80 + (a >> 2
 *      & 1): bytes a, flags, seq delta, ack delta, window, payload length
 *      (0-255); seq/ack: the last ACK / seq the stack sent plus the deltas
 *      (so that segments land in and around the windows)
 *   2  an ARP packet: oper byte, sender byte, target byte
 *   3  listen(port 80 + (a & 1), backlog a >> 1)
 *   4  connect to peer a: the handle goes to slot a & 7
 *   5  send on slot a & 7: length byte * 64
 *   6  recv on slot a & 7
 *   7  shutdown / close / abort slot (a & 7), by a >> 3 % 3
 *   8  accept on every listener into free slots
 *   9  the clock moves byte ms, timers run
 *  10  offload a slot's connection (card accepts if a & 8)
 *  11  resume a slot's connection from its context with the fields
 *      moved by the next bytes
 *  12  payload / acked / read for a slot's connection
 *  other  timers run
 *
 * Invariants (abort on violation): connections in use never exceed the
 * pool; every frame the stack sends is a well-formed Ethernet frame no
 * longer than it may be, and its TCP checksums verify.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stackenv.h"
#include "teamtoe/stack_offl.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_stack: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define MAX_CONNS 8
#define PEER_IP   0xc6120100u

static const uint8_t team_mac[6] = { 0x02, 0, 0xc6, 0x12, 0, 1 };
static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 2 };
static uint8_t frame[SE_FRAME], payload[256 * 64];

struct fz {
	struct tt_stack *s;
	uint64_t now;
	uint32_t last_seq, last_ack;   /* of the last TCP frame sent */
	int h[8];
	int lh[2];
	int accept;
	struct tt_ctx ctx;
};

struct script {
	const uint8_t *p;
	size_t n;
};

static unsigned int next(struct script *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

static uint64_t fz_now(void *arg)
{
	return ((struct fz *)arg)->now;
}

static int fz_output(void *arg, const uint8_t *f, size_t len,
		     const struct tt_tuple *t)
{
	struct fz *z = arg;
	struct se_tcp tcp;

	(void)t;
	CHECK(len >= 14 && len <= SE_FRAME);
	CHECK(!memcmp(f + 6, team_mac, 6));
	if (se_tcp_parse(f, len, &tcp) == 0) {
		CHECK(tcp.csum_ok);
		z->last_seq = tcp.seq;
		z->last_ack = tcp.ack;
	}
	return 0;
}

static int fz_offload(void *arg, const struct tt_ctx *c)
{
	struct fz *z = arg;

	z->ctx = *c;
	return z->accept ? 0 : -1;
}

static int fz_upload(void *arg, const struct tt_tuple *t)
{
	struct fz *z = arg;

	(void)t;
	return tt_stack_ctx_resume(z->s, &z->ctx);
}

static int slot_tuple(struct fz *z, unsigned int slot, struct tt_tuple *t)
{
	struct tt_sock_info info;

	if (tt_sock_info(z->s, z->h[slot & 7], &info) < 0)
		return -1;
	*t = info.t;
	return 0;
}

static void op_segment(struct fz *z, struct script *s)
{
	unsigned int a = next(s), flags = next(s);
	struct se_seg g = {
		.src_mac = peer_mac, .dst_mac = team_mac,
		.src_ip = PEER_IP, .dst_ip = 0xc6120001u,
		.sport = (uint16_t)(40000 + (a & 3)), .dport = (uint16_t)(80 + (a >> 2 & 1)),
		.flags = (uint8_t)flags, .ws = (a & 16) ? (int)(a >> 5) * 2 : -1,
		.mss = (a & 8) ? 536 : 0,
	};

	g.seq = z->last_ack + (uint32_t)(int8_t)next(s);
	g.ack = z->last_seq + (uint32_t)(int8_t)next(s);
	g.win = (uint16_t)(next(s) << 8);
	g.len = next(s);
	g.payload = payload;
	tt_stack_input(z->s, frame, se_tcp_build(frame, &g));
}

static void op_arp(struct fz *z, struct script *s)
{
	unsigned int oper = next(s), sender = next(s), target = next(s);
	uint8_t *a = frame + 14;

	memset(frame, 0xff, 6);
	memcpy(frame + 6, peer_mac, 6);
	frame[12] = 0x08; frame[13] = 0x06;
	a[0] = 0; a[1] = 1; a[2] = 0x08; a[3] = 0; a[4] = 6; a[5] = 4;
	a[6] = 0; a[7] = (uint8_t)(oper & 3);
	memcpy(a + 8, peer_mac, 6);
	a[8 + 5] = (uint8_t)sender;
	a[14] = 198; a[15] = 18; a[16] = 1; a[17] = (uint8_t)sender;
	memset(a + 18, 0, 6);
	a[24] = 198; a[25] = 18; a[26] = 0; a[27] = (uint8_t)(target & 3);
	tt_stack_input(z->s, frame, 42);
}

static void op_resume(struct fz *z, struct script *s, unsigned int a)
{
	struct tt_tuple t;
	struct tt_ctx c;

	if (slot_tuple(z, a, &t) < 0 || tt_stack_ctx_fill(z->s, &t, &c) < 0)
		c = z->ctx;
	c.snd_una += (uint32_t)(int8_t)next(s) * 64u;
	c.snd_nxt += (uint32_t)(int8_t)next(s) * 64u;
	c.rcv_nxt += (uint32_t)(int8_t)next(s) * 16u;
	c.cwnd = next(s) * 1000u;
	c.rto = (uint16_t)(next(s) * 50u);
	c.timer = (uint16_t)next(s);
	c.flags = (uint8_t)next(s);
	tt_stack_ctx_resume(z->s, &c);
}

static void op_offl_io(struct fz *z, struct script *s, unsigned int a)
{
	struct tt_tuple t;
	uint8_t out[4096];
	struct tt_ctx c;
	int32_t d = (int8_t)next(s);
	size_t len = next(s) * 16u;

	if (slot_tuple(z, a, &t) < 0)
		return;
	if (tt_stack_ctx_fill(z->s, &t, &c) < 0)
		c = z->ctx;
	switch ((a >> 3) % 3) {
	case 0:
		tt_stack_offl_payload(z->s, &t, c.rcv_nxt + (uint32_t)d, payload,
				      len);
		break;
	case 1:
		tt_stack_offl_acked(z->s, &t, c.snd_una + (uint32_t)d * 64u);
		break;
	default:
		tt_stack_offl_read(z->s, &t, c.snd_una + (uint32_t)d, len, out);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_stack_offl_ops offl = {
		.offload = fz_offload, .upload = fz_upload,
	};
	struct script s = { data, size };
	struct tt_stack_params p;
	struct tt_sock_event ev;
	static struct fz z;
	uint8_t rbuf[2048];
	char err[128];

	memset(&z, 0, sizeof(z));
	z.now = 1000;
	tt_stack_params_default(&p);
	memcpy(p.mac, team_mac, 6);
	p.ipv4 = 0xc6120001u;
	p.max_conns = MAX_CONNS;
	p.max_listeners = 2;
	p.sndbuf = p.rcvbuf = 4096;
	p.arp_entries = 2;
	p.arp_queue = 2;
	p.output = fz_output;
	p.now_ms = fz_now;
	p.arg = &z;
	CHECK(tt_stack_new(&z.s, &p, err, sizeof(err)) == 0);
	offl.arg = &z;
	tt_stack_set_offload(z.s, &offl, 0);

	while (s.n) {
		unsigned int op = next(&s), a, k;
		size_t len;

		switch (op % 16) {
		case 0:
			len = next(&s) << 8;
			len |= next(&s);
			if (len > s.n)
				len = s.n;
			tt_stack_input(z.s, s.p, len);
			s.p += len;
			s.n -= len;
			break;
		case 1:
			op_segment(&z, &s);
			break;
		case 2:
			op_arp(&z, &s);
			break;
		case 3:
			a = next(&s);
			z.lh[a & 1] = tt_listen(z.s, (uint16_t)(80 + (a & 1)), a >> 1);
			break;
		case 4:
			a = next(&s);
			z.h[a & 7] = tt_connect(z.s, PEER_IP + (a >> 3 & 3),
						(uint16_t)(40000 + (a >> 5)), 0);
			break;
		case 5:
			a = next(&s);
			tt_send(z.s, z.h[a & 7], payload, next(&s) * 64u);
			break;
		case 6:
			a = next(&s);
			tt_recv(z.s, z.h[a & 7], rbuf, sizeof(rbuf));
			break;
		case 7:
			a = next(&s);
			if ((a >> 3) % 3 == 0)
				tt_shutdown(z.s, z.h[a & 7]);
			else if ((a >> 3) % 3 == 1)
				tt_close(z.s, z.h[a & 7]);
			else
				tt_abort(z.s, z.h[a & 7]);
			break;
		case 8:
			for (k = 0; k < 8; k++) {
				int h = tt_accept(z.s, z.lh[k & 1], NULL);

				if (h > 0)
					z.h[k] = h;
			}
			break;
		case 9:
			z.now += next(&s);
			tt_stack_timer(z.s);
			break;
		case 10: {
			struct tt_tuple t;

			a = next(&s);
			z.accept = !!(a & 8);
			if (slot_tuple(&z, a, &t) == 0)
				tt_stack_offload(z.s, &t);
			break;
		}
		case 11:
			op_resume(&z, &s, next(&s));
			break;
		case 12:
			op_offl_io(&z, &s, next(&s));
			break;
		default:
			tt_stack_timer(z.s);
			break;
		}
		CHECK(tt_stack_conns(z.s) <= MAX_CONNS);
		while (tt_next_event(z.s, &ev))
			CHECK(ev.handle > 0);
	}
	/* time runs out for everything left */
	for (int i = 0; i < 40; i++) {
		z.now += 5000;
		tt_stack_timer(z.s);
	}
	for (int k = 0; k < 8; k++)
		tt_abort(z.s, z.h[k]);
	for (int k = 0; k < 2; k++)
		tt_close(z.s, z.lh[k]);
	z.now += 1000000;
	tt_stack_timer(z.s);
	tt_stack_free(z.s);
	return 0;
}
