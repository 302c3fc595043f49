/* SPDX-License-Identifier: MIT */
/*
 * DoS detection: the packet and SYN thresholds block a source, the block
 * ends after the cool-down, windows reset the counts, and a flood of
 * spoofed sources neither grows memory nor blocks legitimate sources.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testenv.h"
#include "teamtoe/card.h"
#include "teamtoe/dos.h"

static const struct tt_sipkey test_key = { 42, 4242 };
static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static struct tt_dos *mk(uint32_t entries)
{
	struct tt_dos_params p;
	struct tt_dos *dos;

	tt_dos_params_default(&p);
	p.threshold_pps = 100;
	p.syn_threshold_pps = 10;
	p.cooldown_ms = 5000;
	p.entries = entries;
	p.key = &test_key;
	assert_int_equal(tt_dos_new(&dos, &p), 0);
	return dos;
}

static void test_packet_threshold_and_cooldown(void **state)
{
	struct tt_dos *dos = mk(64);
	struct tt_dos_stats st;
	uint64_t t;
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		assert_int_equal(tt_dos_packet(dos, 0xc6130001u, mac_a, 0, 10 + i),
				 TT_DOS_PASS);
	/* the same IP with another MAC is another source */
	assert_int_equal(tt_dos_packet(dos, 0xc6130001u, mac_b, 0, 200), TT_DOS_PASS);
	assert_int_equal(tt_dos_packet(dos, 0xc6130001u, mac_a, 0, 200), TT_DOS_DROP);
	assert_true(tt_dos_blocked(dos, 0xc6130001u, mac_a, 201));
	assert_false(tt_dos_blocked(dos, 0xc6130001u, mac_b, 201));
	/* dropped all through the cool-down, also in later windows */
	for (t = 300; t < 5200; t += 100)
		assert_int_equal(tt_dos_packet(dos, 0xc6130001u, mac_a, 0, t),
				 TT_DOS_DROP);
	assert_int_equal(tt_dos_blocked_count(dos, 5199), 1);
	/* 5200 = 200 + 5000: the block is over, counting starts afresh */
	assert_false(tt_dos_blocked(dos, 0xc6130001u, mac_a, 5200));
	assert_int_equal(tt_dos_packet(dos, 0xc6130001u, mac_a, 0, 5200), TT_DOS_PASS);
	tt_dos_stats(dos, &st);
	assert_int_equal(st.blocks, 1);
	assert_int_equal(st.dropped, 1 + 49);
	assert_int_equal(st.packets, 100 + 1 + 1 + 49 + 1);
	tt_dos_free(dos);
}

static void test_syn_threshold(void **state)
{
	struct tt_dos *dos = mk(64);
	struct tt_dos_stats st;
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(tt_dos_packet(dos, 7, mac_a, 1, 1000), TT_DOS_PASS);
	for (i = 0; i < 50; i++)   /* plain packets are fine */
		assert_int_equal(tt_dos_packet(dos, 7, mac_a, 0, 1000), TT_DOS_PASS);
	assert_int_equal(tt_dos_packet(dos, 7, mac_a, 1, 1000), TT_DOS_DROP);
	tt_dos_stats(dos, &st);
	assert_int_equal(st.syns, 11);
	assert_int_equal(st.blocks, 1);
	tt_dos_free(dos);
}

/* 100 packets in every 1 s window for 20 s is at the threshold, never
 * above it. */
static void test_windows_reset(void **state)
{
	struct tt_dos *dos = mk(64);
	uint64_t t;

	(void)state;
	for (t = 0; t < 20000; t += 10)
		assert_int_equal(tt_dos_packet(dos, 9, mac_a, 0, t), TT_DOS_PASS);
	tt_dos_free(dos);
}

/* 2 million spoofed sources (one packet each), legitimate sources at
 * 50 pps and an attacker at 1000 pps: memory fixed, tracked <= entries,
 * legitimate sources never dropped, the attacker blocked. */
static void test_spoofed_flood(void **state)
{
	uint64_t seed = testenv_seed("test_spoofed_flood"), s = seed | 1;
	struct tt_dos *dos = mk(1024);
	size_t bytes = tt_dos_bytes(dos);
	struct tt_dos_stats st;
	uint64_t t, attacker_drops = 0;
	unsigned int i;

	(void)state;
	for (t = 0; t < 20000; t++) {            /* 20 s, 1 ms steps */
		for (i = 0; i < 100; i++) {
			uint8_t mac[6] = { 0x02 };

			s ^= s << 13; s ^= s >> 7; s ^= s << 17;
			memcpy(mac + 1, &s, 5);
			tt_dos_packet(dos, (uint32_t)(s >> 32), mac, (s >> 8) & 1, t);
		}
		if (t % 20 == 0) {
			for (i = 0; i < 8; i++) {
				if (tt_dos_packet(dos, 0xc6130100u + i, mac_a, t % 1000 == 0, t)
				    != TT_DOS_PASS)
					fail_msg("legitimate source %u dropped at %llu (seed %llu)",
						 i, (unsigned long long)t,
						 (unsigned long long)seed);
			}
		}
		attacker_drops += tt_dos_packet(dos, 0xc6139999u, mac_b, 0, t) ==
				  TT_DOS_DROP;
	}
	tt_dos_stats(dos, &st);
	print_message("# %llu packets, %u sources tracked, %llu evictions, %llu blocks, attacker dropped %llu\n",
		      (unsigned long long)st.packets, st.tracked,
		      (unsigned long long)st.evictions,
		      (unsigned long long)st.blocks,
		      (unsigned long long)attacker_drops);
	assert_int_equal(tt_dos_bytes(dos), bytes);
	assert_true(st.tracked <= 1024);
	assert_true(st.evictions > 1000000);
	assert_true(attacker_drops > 15000);
	assert_true(tt_dos_blocked(dos, 0xc6139999u, mac_b, 19999));
	tt_dos_free(dos);
}

static void test_bad_params(void **state)
{
	struct tt_dos_params p;
	struct tt_dos *dos;

	(void)state;
	tt_dos_params_default(&p);
	p.threshold_pps = 0;
	assert_int_equal(tt_dos_new(&dos, &p), TT_EINVAL);
	tt_dos_params_default(&p);
	p.entries = 0;
	assert_int_equal(tt_dos_new(&dos, &p), TT_EINVAL);
	tt_dos_params_default(&p);
	assert_int_equal(tt_dos_new(&dos, &p), 0);
	tt_dos_free(dos);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_threshold_and_cooldown),
		cmocka_unit_test(test_syn_threshold),
		cmocka_unit_test(test_windows_reset),
		cmocka_unit_test(test_spoofed_flood),
		cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
