// SPDX-License-Identifier: MIT
/*
 * Block test of rtl/conn_hash.v against the Toeplitz definition of
 * rtl/README.md (the same loop as conn_hash() in sw-model/conn_table.c,
 * written again here): fixed vectors (single bits, all ones, the RSS
 * verification key) and random tuples and keys, plus linearity (the
 * receive path hashes the tuple in two halves). Prints TAP lines and
 * "N passed, N failed"; the random seed is printed and can be given as
 * the first argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <verilated.h>
#include "Vconn_hash.h"

static int n_test, n_fail;

static void tap(int ok, const char *name)
{
	n_test++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_test, name);
}

struct tuple {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
};

/* key[0] = HASH_KEY0 = key bits 127:96 */
static uint32_t ref_hash(const uint32_t key[4], const struct tuple *t)
{
	uint32_t in[3] = { t->src_ip, t->dst_ip, (uint32_t)t->src_port << 16 | t->dst_port };
	uint32_t h = 0;

	for (int i = 0; i < 96; i++) {
		if (!((in[i / 32] >> (31 - i % 32)) & 1))
			continue;
		uint32_t win = 0;
		for (int j = 0; j < 32; j++) {     /* key bit i+j from the MSB */
			int k = i + j;
			win = win << 1 | ((key[k / 32] >> (31 - k % 32)) & 1);
		}
		h ^= win;
	}
	return h;
}

static Vconn_hash *m;

static uint32_t rtl_hash(const uint32_t key[4], const struct tuple *t)
{
	/* s_tuple[95:0]: word 0 = bits 31:0 */
	m->s_tuple[2] = t->src_ip;
	m->s_tuple[1] = t->dst_ip;
	m->s_tuple[0] = (uint32_t)t->src_port << 16 | t->dst_port;
	m->s_key[3] = key[0];
	m->s_key[2] = key[1];
	m->s_key[1] = key[2];
	m->s_key[0] = key[3];
	m->eval();
	return m->m_hash;
}

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1u;
	/* Microsoft RSS verification key (first 16 bytes) */
	const uint32_t rss_key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d, 0x43a38fb0 };
	const uint32_t ones[4] = { ~0u, ~0u, ~0u, ~0u };
	struct tuple t;
	char name[160];
	int i, ok, bad;

	VerilatedContext *ctx = new VerilatedContext;
	ctx->commandArgs(argc, argv);
	m = new Vconn_hash(ctx);

	printf("# conn_hash seed %u\n", seed);
	srand(seed);

	/* RSS example: 66.9.149.187:2794 -> 161.142.100.80:1766, hash
	 * 0x51ccc178 with the 40-byte key over src|dst|sport|dport; our
	 * tuple order is the same and only key bits 0..126 are used. */
	t = (struct tuple){ 0x420995bb, 0xa18e6450, 2794, 1766 };
	tap(rtl_hash(rss_key, &t) == 0x51ccc178 && ref_hash(rss_key, &t) == 0x51ccc178,
	    "RSS verification vector (66.9.149.187:2794 -> 161.142.100.80:1766) = 51ccc178");

	t = (struct tuple){ 0, 0, 0, 0 };
	tap(rtl_hash(rss_key, &t) == 0, "zero tuple hashes to 0");

	/* one input bit i selects key bits i..i+31 */
	bad = 0;
	for (i = 0; i < 96; i++) {
		uint32_t in[3] = { 0, 0, 0 };
		in[i / 32] = 1u << (31 - i % 32);
		t = (struct tuple){ in[0], in[1], (uint16_t)(in[2] >> 16), (uint16_t)in[2] };
		if (rtl_hash(rss_key, &t) != ref_hash(rss_key, &t)) {
			if (!bad)
				printf("# bit %d: got %08x want %08x\n", i, rtl_hash(rss_key, &t),
				       ref_hash(rss_key, &t));
			bad++;
		}
	}
	tap(bad == 0, "each of the 96 single-bit tuples");

	t = (struct tuple){ ~0u, ~0u, 0xffff, 0xffff };
	tap(rtl_hash(ones, &t) == 0 && ref_hash(ones, &t) == 0, "all-ones key and tuple: 96 ones XOR to 0");

	ok = 1;
	for (i = 0; i < 20000 && ok; i++) {
		uint32_t key[4] = { rnd32(), rnd32(), rnd32(), rnd32() };
		struct tuple a = { rnd32(), rnd32(), (uint16_t)rand(), (uint16_t)rand() };
		uint32_t got = rtl_hash(key, &a), want = ref_hash(key, &a);

		if (got != want) {
			snprintf(name, sizeof(name), "# random %d: got %08x want %08x", i, got, want);
			puts(name);
			ok = 0;
		}
		/* linearity: high half (src IP, dst IP[31:16]) ^ low half */
		struct tuple hi = { a.src_ip, a.dst_ip & 0xffff0000u, 0, 0 };
		struct tuple lo = { 0, a.dst_ip & 0xffffu, a.src_port, a.dst_port };
		if ((rtl_hash(key, &hi) ^ rtl_hash(key, &lo)) != want) {
			printf("# random %d: halves do not XOR to the hash\n", i);
			ok = 0;
		}
	}
	tap(ok, "20000 random keys and tuples against the reference, and by halves");

	m->final();
	delete m;
	delete ctx;

	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
