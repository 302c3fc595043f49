// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/csum_acc.v: the masked one's-complement accumulator.
 * Prints one TAP line per case and "N passed, N failed"; exits non-zero on
 * any failure. C++ only for the Verilator harness.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include "Vcsum_acc.h"

static int n_case, n_fail;

static void tap(int ok, const char *name)
{
	n_case++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_case, name);
}

static void tick(Vcsum_acc *m)
{
	m->clk = 1;
	m->eval();
	m->clk = 0;
	m->eval();
}

static void reset(Vcsum_acc *m)
{
	m->rst = 1;
	m->s_valid = 0;
	tick(m);
	tick(m);
	m->rst = 0;
	tick(m);
}

static int ok_mismatch;

/* Feed len bytes as 8-byte beats (byte i in lane i % 8); bytes with
 * mask[i] == 0 (or past len) are masked. extra goes first, as word 0 of a
 * beat of its own (the block has no constant input). Returns the folded
 * sum the block reports once its pipeline has drained (4 cycles). */
static uint16_t hw_sum(Vcsum_acc *m, const uint8_t *p, const uint8_t *mask,
		       size_t len, uint16_t extra)
{
	size_t off;
	int i;

	m->s_data = (uint64_t)(extra >> 8) | (uint64_t)(extra & 0xff) << 8;
	m->s_mask = 0x03;
	m->s_first = 1;
	m->s_valid = 1;
	tick(m);
	for (off = 0; off < len; off += 8) {
		uint64_t d = 0;
		unsigned msk = 0, i;

		for (i = 0; i < 8; i++) {
			if (off + i < len) {
				d |= (uint64_t)p[off + i] << (8 * i);
				if (!mask || mask[off + i])
					msk |= 1u << i;
			}
		}
		m->s_data = d;
		m->s_mask = msk;
		m->s_first = 0;
		m->s_valid = 1;
		tick(m);
	}
	m->s_valid = 0;
	m->s_first = 0;
	for (i = 0; i < 4; i++)
		tick(m);
	m->eval();
	if (m->csum_ok != (m->csum == 0xffff)) {
		printf("# csum_ok %d for csum %04x\n", m->csum_ok, m->csum);
		ok_mismatch++;
	}
	return m->csum;
}

/* Reference: RFC 1071 sum, odd byte padded with zero, then folded. */
static uint16_t ref_sum(const uint8_t *p, const uint8_t *mask, size_t len,
			uint16_t extra)
{
	uint64_t s = extra;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned b = (!mask || mask[i]) ? p[i] : 0;
		s += (i & 1) ? b : b << 8;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void check_eq(uint16_t got, uint16_t want, const char *name)
{
	char buf[160];

	if (got != want)
		snprintf(buf, sizeof(buf), "%s (got %04x, want %04x)", name, got, want);
	else
		snprintf(buf, sizeof(buf), "%s", name);
	tap(got == want, buf);
}

int main(int argc, char **argv)
{
	static const uint8_t rfc1071[8] = { 0x00, 0x01, 0xf2, 0x03,
					    0xf4, 0xf5, 0xf6, 0xf7 };
	/* A real IPv4 header (UDP, 192.168.0.1 -> 192.168.0.199). */
	static const uint8_t iphdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	static uint8_t buf[9216], mask[9216];
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 12345u;
	uint8_t hdr[20];
	size_t len;
	int ok;

	VerilatedContext *ctx = new VerilatedContext;
	ctx->commandArgs(argc, argv);
	Vcsum_acc *m = new Vcsum_acc(ctx);

	printf("# csum_acc seed %u\n", seed);
	srand(seed);
	m->clk = 0;
	reset(m);

	check_eq(hw_sum(m, rfc1071, NULL, 8, 0), 0xddf2, "RFC 1071 example sums to ddf2");

	check_eq(hw_sum(m, iphdr, NULL, 20, 0), 0xffff, "IPv4 header with its checksum folds to ffff");

	memcpy(hdr, iphdr, sizeof(hdr));
	hdr[10] = hdr[11] = 0;
	check_eq(hw_sum(m, hdr, NULL, 20, 0), (uint16_t)~0xb861, "IPv4 header, checksum zeroed, sums to ~b861");

	hdr[0] = 0xab;
	check_eq(hw_sum(m, hdr, NULL, 1, 0), 0xab00, "one odd byte is padded with zero");

	memcpy(buf, rfc1071, 8);
	check_eq(hw_sum(m, buf, NULL, 7, 0), ref_sum(buf, NULL, 7, 0), "7 bytes (odd tail in a full beat)");

	/* every length 0..80 of random data */
	ok = 1;
	for (len = 0; len <= 80; len++) {
		size_t i;
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		if (hw_sum(m, buf, NULL, len, 0) != ref_sum(buf, NULL, len, 0)) {
			printf("# length %zu differs\n", len);
			ok = 0;
		}
	}
	tap(ok, "random data, every length 0..80 (odd lengths padded)");

	/* random masks, including holes */
	ok = 1;
	for (len = 1; len <= 200; len += 7) {
		size_t i;
		for (i = 0; i < len; i++) {
			buf[i] = (uint8_t)rand();
			mask[i] = (uint8_t)(rand() & 1);
		}
		if (hw_sum(m, buf, mask, len, 0) != ref_sum(buf, mask, len, 0))
			ok = 0;
	}
	tap(ok, "random byte masks");

	/* the extra word */
	memset(buf, 0, 16);
	buf[0] = 0x12;
	buf[1] = 0x34;
	check_eq(hw_sum(m, buf, NULL, 16, 0x0006), 0x123a, "extra word is added");

	/* end-around carry: a long run of ff bytes and a carry-heavy pattern */
	memset(buf, 0xff, sizeof(buf));
	check_eq(hw_sum(m, buf, NULL, 9216, 0), ref_sum(buf, NULL, 9216, 0), "9216 bytes of ff (end-around carry)");
	for (len = 0; len < sizeof(buf); len++)
		buf[len] = (len & 1) ? 0x01 : 0xff;
	check_eq(hw_sum(m, buf, NULL, 9215, 0xffff), ref_sum(buf, NULL, 9215, 0xffff), "9215 bytes ff01.. with extra ffff");

	/* all zero stays zero (not ffff) */
	memset(buf, 0, 64);
	check_eq(hw_sum(m, buf, NULL, 64, 0), 0x0000, "all-zero data sums to 0000");

	/* s_first restarts: a second sum does not include the first */
	hw_sum(m, rfc1071, NULL, 8, 0);
	check_eq(hw_sum(m, iphdr, NULL, 20, 0), 0xffff, "s_first restarts the sum");

	/* idle cycles keep the sum */
	hw_sum(m, rfc1071, NULL, 8, 0);
	tick(m);
	tick(m);
	check_eq(m->csum, 0xddf2, "sum holds while s_valid is low");

	tap(ok_mismatch == 0, "csum_ok is high exactly when csum is ffff");

	m->final();
	delete m;
	delete ctx;

	printf("%d passed, %d failed\n", n_case - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
