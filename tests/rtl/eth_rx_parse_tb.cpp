// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/eth_rx_parse.v: frames built in C, fed 8 bytes per
 * cycle, verdict checked against the README's table. Each case runs alone,
 * then all cases run again back to back (no idle cycle between frames) to
 * check the verdict pipeline. Prints TAP lines and "N passed, N failed";
 * exits non-zero on any failure. C++ only for the Verilator harness.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include "Veth_rx_parse.h"

#define MAX_FRAME 9300

/* verdict codes (teamtoe_defs.vh) */
enum { DROP = 1, EXC = 0 };
enum {
	D_LINK_DOWN = 0, D_DISABLED = 1, D_OVERSIZE = 2, D_TRUNCATED = 3,
	D_NOT_FOR_US = 4, D_BAD_IP_HDR = 5, D_BAD_IP_CSUM = 6,
	D_BAD_TCP_HDR = 7, D_BAD_TCP_CSUM = 8,
};
enum { X_NOT_IPV4 = 1, X_FRAGMENT = 2, X_IP_OPTIONS = 3, X_NOT_TCP = 4, X_NO_MATCH = 5 };

static const uint8_t team_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint32_t team_ip = 0x0a000001;   /* 10.0.0.1 */
static const uint32_t peer_ip = 0x0a000002;

struct tcase {
	const char *name;
	uint8_t f[MAX_FRAME];
	size_t len;
	int link_up, enable;
	int drop, reason;
};

static struct tcase cases[64];
static int n_cases;
static int n_test, n_fail;

static void tap(int ok, const char *name)
{
	n_test++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_test, name);
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static uint32_t sum_add(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t sum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* IPv4 header checksum over 4*IHL bytes at f + 14. */
static void fix_ip_csum(uint8_t *f)
{
	unsigned hlen = 4u * (f[14] & 0x0f);

	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~sum_fold(sum_add(0, f + 14, hlen)));
}

/* TCP checksum with pseudo-header; IHL 5. */
static void fix_tcp_csum(uint8_t *f)
{
	unsigned tl = (unsigned)f[16] << 8 | f[17];
	unsigned tcp_len = tl - 20;
	uint32_t s;

	put16(f + 50, 0);
	s = sum_add(0, f + 26, 8) + 6 + tcp_len;
	s = sum_add(s, f + 34, tcp_len);
	put16(f + 50, (uint16_t)~sum_fold(s));
}

/* Ethernet + IPv4 (IHL 5) + TCP (20 bytes) + payload, correct checksums. */
static struct tcase *tcp_frame(const char *name, size_t payload)
{
	struct tcase *c = &cases[n_cases++];
	uint8_t *f = c->f;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->link_up = 1;
	c->enable = 1;
	memcpy(f, team_mac, 6);
	memcpy(f + 6, "\x02\x11\x22\x33\x44\x55", 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, (unsigned)(40 + payload));
	put16(f + 18, 0x1234);
	put16(f + 20, 0x4000);          /* DF */
	f[22] = 64;
	f[23] = 6;
	put32(f + 26, peer_ip);
	put32(f + 30, team_ip);
	put16(f + 34, 40000);
	put16(f + 36, 80);
	put32(f + 38, 0x11223344);
	put32(f + 42, 0x55667788);
	f[46] = 0x50;
	f[47] = 0x18;
	put16(f + 48, 65535);
	for (i = 0; i < payload; i++)
		f[54 + i] = (uint8_t)(i * 7 + 3);
	c->len = 54 + payload;
	fix_ip_csum(f);
	fix_tcp_csum(f);
	c->drop = EXC;
	c->reason = X_NO_MATCH;
	return c;
}

static void expect(struct tcase *c, int drop, int reason)
{
	c->drop = drop;
	c->reason = reason;
}

static void build_cases(void)
{
	struct tcase *c;

	tcp_frame("valid TCP -> exception NO_MATCH", 100);
	tcp_frame("valid TCP, no payload -> NO_MATCH", 0);
	tcp_frame("valid TCP, odd payload 1 -> NO_MATCH", 1);
	tcp_frame("valid TCP, odd payload 333 -> NO_MATCH", 333);

	c = tcp_frame("valid TCP + Ethernet padding -> NO_MATCH", 2);
	c->len = 60;
	c->f[56] = 0xde; c->f[57] = 0xad; c->f[58] = 0xbe; c->f[59] = 0xef;

	c = tcp_frame("broadcast dst MAC -> NO_MATCH", 10);
	memset(c->f, 0xff, 6);

	c = tcp_frame("9216-byte frame -> NO_MATCH", 9216 - 54);

	c = tcp_frame("bad IP checksum -> drop BAD_IP_CSUM", 20);
	c->f[24] ^= 0x01;
	expect(c, DROP, D_BAD_IP_CSUM);

	c = tcp_frame("bad TCP checksum -> drop BAD_TCP_CSUM", 21);
	c->f[60] ^= 0x80;
	expect(c, DROP, D_BAD_TCP_CSUM);

	c = tcp_frame("odd tail byte summed, bad TCP csum -> BAD_TCP_CSUM", 3);
	c->len = 64;
	c->f[56] ^= 0x01;       /* last segment byte, padded with zero */
	expect(c, DROP, D_BAD_TCP_CSUM);

	c = tcp_frame("byte after odd tail is padding -> NO_MATCH", 3);
	c->len = 64;
	c->f[57] = 0x5a;        /* Ethernet padding, not summed */

	c = tcp_frame("ARP -> exception NOT_IPV4", 0);
	put16(c->f + 12, 0x0806);
	c->len = 42;
	expect(c, EXC, X_NOT_IPV4);

	c = tcp_frame("14-byte non-IPv4 frame -> NOT_IPV4", 0);
	put16(c->f + 12, 0x86dd);
	c->len = 14;
	expect(c, EXC, X_NOT_IPV4);

	c = tcp_frame("IP options (IHL 6) -> exception IP_OPTIONS", 8);
	c->f[14] = 0x46;        /* 4 option bytes: the TCP header shifts, fine */
	fix_ip_csum(c->f);
	expect(c, EXC, X_IP_OPTIONS);

	c = tcp_frame("IP options (IHL 15) -> exception IP_OPTIONS", 40);
	c->f[14] = 0x4f;
	fix_ip_csum(c->f);
	expect(c, EXC, X_IP_OPTIONS);

	c = tcp_frame("MF set -> exception FRAGMENT", 16);
	put16(c->f + 20, 0x2000);
	fix_ip_csum(c->f);
	expect(c, EXC, X_FRAGMENT);

	c = tcp_frame("fragment offset != 0 -> exception FRAGMENT", 16);
	put16(c->f + 20, 0x0001);
	fix_ip_csum(c->f);
	expect(c, EXC, X_FRAGMENT);

	c = tcp_frame("UDP -> exception NOT_TCP", 16);
	c->f[23] = 17;
	fix_ip_csum(c->f);
	expect(c, EXC, X_NOT_TCP);

	c = tcp_frame("13 bytes -> drop TRUNCATED", 0);
	c->len = 13;
	expect(c, DROP, D_TRUNCATED);

	c = tcp_frame("1 byte -> drop TRUNCATED", 0);
	c->len = 1;
	expect(c, DROP, D_TRUNCATED);

	c = tcp_frame("IPv4 cut at 33 bytes -> drop TRUNCATED", 0);
	c->len = 33;
	expect(c, DROP, D_TRUNCATED);

	c = tcp_frame("IHL 15 header past the end -> drop TRUNCATED", 0);
	c->f[14] = 0x4f;
	c->len = 60;
	expect(c, DROP, D_TRUNCATED);

	c = tcp_frame("total length past the end -> drop TRUNCATED", 100);
	c->len -= 1;
	expect(c, DROP, D_TRUNCATED);

	c = tcp_frame("wrong dst MAC -> drop NOT_FOR_US", 10);
	c->f[5] ^= 0x01;
	expect(c, DROP, D_NOT_FOR_US);

	c = tcp_frame("wrong dst MAC, short -> NOT_FOR_US before ethertype", 0);
	c->f[0] = 0x04;
	put16(c->f + 12, 0x0806);
	c->len = 14;
	expect(c, DROP, D_NOT_FOR_US);

	c = tcp_frame("wrong dst IP -> drop NOT_FOR_US", 10);
	put32(c->f + 30, 0x0a000003);
	fix_ip_csum(c->f);
	fix_tcp_csum(c->f);
	expect(c, DROP, D_NOT_FOR_US);

	c = tcp_frame("version 6 in IPv4 ethertype -> drop BAD_IP_HDR", 0);
	c->f[14] = 0x65;
	expect(c, DROP, D_BAD_IP_HDR);

	c = tcp_frame("IHL 4 -> drop BAD_IP_HDR", 0);
	c->f[14] = 0x44;
	expect(c, DROP, D_BAD_IP_HDR);

	c = tcp_frame("total length < 4*IHL -> drop BAD_IP_HDR", 0);
	put16(c->f + 16, 19);
	fix_ip_csum(c->f);
	expect(c, DROP, D_BAD_IP_HDR);

	c = tcp_frame("TCP length 19 -> drop BAD_TCP_HDR", 0);
	put16(c->f + 16, 39);
	fix_ip_csum(c->f);
	expect(c, DROP, D_BAD_TCP_HDR);

	c = tcp_frame("data offset 4 -> drop BAD_TCP_HDR", 8);
	c->f[46] = 0x40;
	fix_tcp_csum(c->f);
	expect(c, DROP, D_BAD_TCP_HDR);

	c = tcp_frame("data offset past TCP length -> drop BAD_TCP_HDR", 8);
	c->f[46] = 0x80;        /* 32 > 28 */
	fix_tcp_csum(c->f);
	expect(c, DROP, D_BAD_TCP_HDR);

	c = tcp_frame("data offset == TCP length -> NO_MATCH", 12);
	c->f[46] = 0x80;        /* 32 == 32 */
	fix_tcp_csum(c->f);

	c = tcp_frame("9217 bytes -> drop OVERSIZE", 9217 - 54);
	expect(c, DROP, D_OVERSIZE);

	c = tcp_frame("9300 bytes, wrong MAC -> OVERSIZE first", 9300 - 54);
	c->f[0] ^= 0x01;
	expect(c, DROP, D_OVERSIZE);

	c = tcp_frame("link down -> drop LINK_DOWN", 10);
	c->link_up = 0;
	c->enable = 0;
	expect(c, DROP, D_LINK_DOWN);

	c = tcp_frame("disabled -> drop DISABLED", 10);
	c->enable = 0;
	expect(c, DROP, D_DISABLED);

	c = tcp_frame("disabled, 5 bytes -> DISABLED before TRUNCATED", 0);
	c->enable = 0;
	c->len = 5;
	expect(c, DROP, D_DISABLED);
}

/* ---- harness ---- */

struct tb {
	VerilatedContext *ctx;
	Veth_rx_parse *m;
};

static void tick(struct tb *t)
{
	t->m->clk = 1;
	t->m->eval();
	t->m->clk = 0;
	t->m->eval();
}

struct verdict {
	int drop, reason;
	uint32_t len;
};

static struct verdict got[128];
static int n_got;

/* Sample outputs before the edge: a verdict is valid for one cycle. */
static void cycle(struct tb *t)
{
	t->m->eval();
	if (t->m->verdict_valid && n_got < 128) {
		got[n_got].drop = t->m->verdict_drop;
		got[n_got].reason = t->m->verdict_reason;
		got[n_got].len = t->m->verdict_len;
		n_got++;
	}
	tick(t);
}

static void feed(struct tb *t, const struct tcase *c)
{
	size_t off;

	t->m->link_up = c->link_up;
	t->m->enable = c->enable;
	for (off = 0; off < c->len; off += 8) {
		uint64_t d = 0;
		unsigned keep = 0, i;

		for (i = 0; i < 8 && off + i < c->len; i++) {
			d |= (uint64_t)c->f[off + i] << (8 * i);
			keep |= 1u << i;
		}
		t->m->s_tdata = d;
		t->m->s_tkeep = keep;
		t->m->s_tlast = off + 8 >= c->len;
		t->m->s_beat = 1;
		cycle(t);
		/* link/enable only matter at the first beat */
		t->m->link_up = !c->link_up;
		t->m->enable = !c->enable;
	}
	t->m->s_beat = 0;
	t->m->s_tlast = 0;
}

static int same(const struct verdict *v, const struct tcase *c)
{
	return v->drop == c->drop && v->reason == c->reason && v->len == c->len;
}

int main(int argc, char **argv)
{
	struct tb t;
	char name[256];
	int i, ok;

	t.ctx = new VerilatedContext;
	t.ctx->commandArgs(argc, argv);
	t.m = new Veth_rx_parse(t.ctx);

	build_cases();

	t.m->clk = 0;
	t.m->team_mac = (uint64_t)team_mac[0] << 40 | (uint64_t)team_mac[1] << 32 |
			(uint64_t)team_mac[2] << 24 | (uint64_t)team_mac[3] << 16 |
			(uint64_t)team_mac[4] << 8 | team_mac[5];
	t.m->team_ip = team_ip;
	t.m->rst = 1;
	tick(&t);
	tick(&t);
	t.m->rst = 0;
	tick(&t);

	/* one at a time, idle cycles between */
	for (i = 0; i < n_cases; i++) {
		const struct tcase *c = &cases[i];

		n_got = 0;
		feed(&t, c);
		for (int k = 0; k < 8; k++)   /* verdict 7 cycles after the last beat */
			cycle(&t);
		ok = n_got == 1 && same(&got[0], c);
		if (!ok && n_got >= 1)
			snprintf(name, sizeof(name), "%s (got %s %d len %u, want %s %d len %zu)",
				 c->name, got[0].drop ? "drop" : "exc", got[0].reason,
				 got[0].len, c->drop ? "drop" : "exc", c->reason, c->len);
		else if (!ok)
			snprintf(name, sizeof(name), "%s (%d verdicts)", c->name, n_got);
		else
			snprintf(name, sizeof(name), "%s", c->name);
		tap(ok, name);
	}

	/* all again, back to back */
	n_got = 0;
	for (i = 0; i < n_cases; i++)
		feed(&t, &cases[i]);
	for (i = 0; i < 8; i++)
		cycle(&t);
	ok = n_got == n_cases;
	for (i = 0; ok && i < n_cases; i++) {
		if (!same(&got[i], &cases[i])) {
			printf("# back to back: case %d (%s) differs\n", i + 1, cases[i].name);
			ok = 0;
		}
	}
	tap(ok, "all cases back to back, one verdict each, in order");

	t.m->final();
	delete t.m;
	delete t.ctx;

	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
