/* SPDX-License-Identifier: MIT */
/*
 * ARP of the software stack: a request for our address is answered and
 * teaches us the sender; a request for another address is counted and
 * teaches nothing; a frame to an unknown neighbour waits behind a request
 * and goes once the reply comes; three unanswered requests drop it; the
 * queue and the cache are bounded; malformed packets are counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint8_t buf[SE_FRAME];

static size_t arp_frame(uint8_t *f, int oper, const uint8_t *eth_dst,
			const uint8_t sha[6], uint32_t spa,
			const uint8_t tha[6], uint32_t tpa)
{
	memcpy(f, eth_dst, 6);
	memcpy(f + 6, sha, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0; f[18] = 6; f[19] = 4;
	f[20] = 0; f[21] = (uint8_t)oper;
	memcpy(f + 22, sha, 6);
	f[28] = (uint8_t)(spa >> 24); f[29] = (uint8_t)(spa >> 16);
	f[30] = (uint8_t)(spa >> 8); f[31] = (uint8_t)spa;
	memcpy(f + 32, tha, 6);
	f[38] = (uint8_t)(tpa >> 24); f[39] = (uint8_t)(tpa >> 16);
	f[40] = (uint8_t)(tpa >> 8); f[41] = (uint8_t)tpa;
	return 42;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int setup(void **state)
{
	static struct stackenv e;
	struct tt_stack_params p;

	stackenv_params(&e, 0, &p);
	p.rto_init_ms = 10000; /* no SYN retransmission inside these tests */
	p.arp_queue = 2;
	p.arp_entries = 2;
	stackenv_open(&e, 0, &p, NULL);
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	return 0;
}

/* Is buf[len] an ARP request for tpa, broadcast, from us? */
static void assert_request(const uint8_t *f, size_t len, uint32_t tpa)
{
	assert_int_equal(len, 42);
	assert_memory_equal(f, bcast, 6);
	assert_memory_equal(f + 6, se_mac_a, 6);
	assert_int_equal(f[21], 1);
	assert_memory_equal(f + 22, se_mac_a, 6);
	assert_int_equal(rd32(f + 28), SE_IP_A);
	assert_int_equal(rd32(f + 38), tpa);
}

static void request_for_us_answered_and_learned(void **state)
{
	struct stackenv *e = *state;
	static const uint8_t zero[6];
	struct se_tcp t;
	uint8_t f[64];
	size_t len;
	int h;

	len = arp_frame(f, 1, bcast, se_mac_c, SE_IP_C, zero, SE_IP_A);
	stackenv_inject(e, 0, f, len);
	len = stackenv_take(e, 0, buf);
	assert_int_equal(len, 42);
	assert_memory_equal(buf, se_mac_c, 6);        /* to the asker */
	assert_memory_equal(buf + 6, se_mac_a, 6);
	assert_int_equal(buf[12] << 8 | buf[13], 0x0806);
	assert_int_equal(buf[21], 2);                  /* reply */
	assert_memory_equal(buf + 22, se_mac_a, 6);    /* sha: us */
	assert_int_equal(rd32(buf + 28), SE_IP_A);
	assert_memory_equal(buf + 32, se_mac_c, 6);    /* tha: the asker */
	assert_int_equal(rd32(buf + 38), SE_IP_C);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_REPLIES), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_LEARNED), 1);
	se_expect_none(e, 0);

	/* the asker is in the cache: a connection to it needs no ARP */
	h = tt_connect(e->s[0], SE_IP_C, 80, 0);
	assert_true(h > 0);
	se_expect_tcp(e, 0, buf, &t);
	assert_memory_equal(t.dst_mac, se_mac_c, 6);
	assert_int_equal(t.flags, 0x02);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_REQUESTS), 0);
}

static void request_for_other_ignored(void **state)
{
	struct stackenv *e = *state;
	static const uint8_t zero[6];
	uint8_t f[64];
	size_t len;

	len = arp_frame(f, 1, bcast, se_mac_c, SE_IP_C, zero, 0xc6120063u);
	stackenv_inject(e, 0, f, len);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_NOT_FOR_US), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_LEARNED), 0);
	/* not learned: talking to C needs a request */
	assert_true(tt_connect(e->s[0], SE_IP_C, 80, 0) > 0);
	len = stackenv_take(e, 0, buf);
	assert_request(buf, len, SE_IP_C);
}

static void unknown_neighbour_waits_for_reply(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp t;
	uint8_t f[64];
	size_t len;

	assert_true(tt_connect(e->s[0], SE_IP_C, 80, 0) > 0);
	len = stackenv_take(e, 0, buf);
	assert_request(buf, len, SE_IP_C);
	se_expect_none(e, 0); /* the SYN waits */
	len = arp_frame(f, 2, se_mac_a, se_mac_c, SE_IP_C, se_mac_a, SE_IP_A);
	stackenv_inject(e, 0, f, len);
	se_expect_tcp(e, 0, buf, &t);
	assert_memory_equal(t.dst_mac, se_mac_c, 6);
	assert_int_equal(t.dst_ip, SE_IP_C);
	assert_int_equal(t.flags, 0x02);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_UNRESOLVED), 0);
}

static void unanswered_requests_drop_the_frame(void **state)
{
	struct stackenv *e = *state;
	size_t len;

	assert_true(tt_connect(e->s[0], SE_IP_C, 80, 0) > 0);
	for (int i = 0; i < 3; i++) {
		len = stackenv_take(e, 0, buf);
		assert_request(buf, len, SE_IP_C);
		se_expect_none(e, 0);
		assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_UNRESOLVED), 0);
		stackenv_run(e, 1000);
	}
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_REQUESTS), 3);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_UNRESOLVED), 1);
}

static void queue_and_cache_are_bounded(void **state)
{
	struct stackenv *e = *state;
	static const uint8_t zero[6];
	uint8_t f[64], mac[6];
	size_t len;

	/* arp_queue = 2: the third waiting frame is dropped */
	for (uint32_t i = 0; i < 3; i++)
		assert_true(tt_connect(e->s[0], SE_IP_C + 16 + i, 80, 0) > 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_QUEUE_FULL), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_REQUESTS), 2);
	stackenv_drain(e, 0);
	/* arp_entries = 2: a third neighbour evicts the stalest */
	memcpy(mac, se_mac_c, 6);
	for (uint32_t i = 0; i < 3; i++) {
		mac[5] = (uint8_t)(0x40 + i);
		len = arp_frame(f, 1, bcast, mac, SE_IP_C + 32 + i, zero, SE_IP_A);
		stackenv_inject(e, 0, f, len);
		e->now += 10;
	}
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_EVICTED), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ARP_REPLIES), 3);
}

static void malformed_counted(void **state)
{
	struct stackenv *e = *state;
	static const uint8_t zero[6];
	uint8_t f[64], other[6] = { 0x02, 9, 9, 9, 9, 9 };
	size_t len;

	len = arp_frame(f, 1, bcast, se_mac_c, SE_IP_C, zero, SE_IP_A);
	stackenv_inject(e, 0, f, 30);             /* truncated */
	f[15] = 6;                                /* htype 6 */
	stackenv_inject(e, 0, f, len);
	len = arp_frame(f, 9, bcast, se_mac_c, SE_IP_C, zero, SE_IP_A);
	stackenv_inject(e, 0, f, len);            /* unknown operation */
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ARP_BAD), 3);
	len = arp_frame(f, 1, other, se_mac_c, SE_IP_C, zero, SE_IP_A);
	stackenv_inject(e, 0, f, len);            /* another station's MAC */
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_NOT_FOR_US), 1);
	stackenv_inject(e, 0, f, 10);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_RUNT), 1);
	f[0] = 0xff; f[1] = 0xff; f[2] = 0xff; f[3] = 0xff; f[4] = 0xff; f[5] = 0xff;
	f[12] = 0x86; f[13] = 0xdd;               /* IPv6 */
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ETHERTYPE), 1);
	se_expect_none(e, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(request_for_us_answered_and_learned, setup, teardown),
		cmocka_unit_test_setup_teardown(request_for_other_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_neighbour_waits_for_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(unanswered_requests_drop_the_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_and_cache_are_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_counted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
