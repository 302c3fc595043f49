/* SPDX-License-Identifier: MIT */
/*
 * ICMP and IPv4 input of the software stack: an echo request is answered
 * with the same identifier, sequence and data and correct checksums; a
 * bad ICMP checksum, another ICMP type, a truncated message, a bad IPv4
 * header or checksum, another destination, a fragment and an unknown
 * protocol are each dropped and counted under their own reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"

static uint8_t buf[SE_FRAME];

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint32_t sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* An ICMP echo request from C to ip with `data_len` bytes of data. */
static size_t echo_frame(uint8_t *f, uint32_t ip, uint16_t id, uint16_t seq,
			 size_t data_len)
{
	uint8_t *iph = f + 14, *icmp = f + 34;
	size_t len = 8 + data_len;

	memcpy(f, se_mac_a, 6);
	memcpy(f + 6, se_mac_c, 6);
	put16(f + 12, 0x0800);
	memset(iph, 0, 20);
	iph[0] = 0x45;
	put16(iph + 2, (uint32_t)(20 + len));
	put16(iph + 4, 0x1234);
	iph[8] = 64;
	iph[9] = 1;
	put32(iph + 12, SE_IP_C);
	put32(iph + 16, ip);
	put16(iph + 10, (uint16_t)~fold(sum16(iph, 20)));
	icmp[0] = 8;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	for (size_t i = 0; i < data_len; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + 3);
	put16(icmp + 2, (uint16_t)~fold(sum16(icmp, len)));
	return 34 + len;
}

static int setup(void **state)
{
	static struct stackenv e;

	stackenv_open(&e, 0, NULL, NULL);
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	return 0;
}

static void echo_answered(void **state)
{
	struct stackenv *e = *state;
	const size_t sizes[] = { 0, 1, 56, 1472 };
	uint8_t f[1600];

	for (unsigned int k = 0; k < 4; k++) {
		size_t len = echo_frame(f, SE_IP_A, 0x4242, (uint16_t)k, sizes[k]);
		size_t rlen;

		stackenv_inject(e, 0, f, len);
		rlen = stackenv_take(e, 0, buf);
		assert_int_equal(rlen, len);
		assert_memory_equal(buf, se_mac_c, 6);
		assert_memory_equal(buf + 6, se_mac_a, 6);
		assert_int_equal(fold(sum16(buf + 14, 20)), 0xffff);
		assert_int_equal(buf[23], 1);
		assert_memory_equal(buf + 26, f + 30, 4); /* from us */
		assert_memory_equal(buf + 30, f + 26, 4); /* to the asker */
		assert_int_equal(buf[34], 0);             /* echo reply */
		assert_int_equal(buf[35], 0);
		assert_memory_equal(buf + 38, f + 38, 4 + sizes[k]); /* id, seq, data */
		assert_int_equal(fold(sum16(buf + 34, 8 + sizes[k])), 0xffff);
	}
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ICMP_ECHO_REPLIES), 4);
	se_expect_none(e, 0);
}

static void bad_icmp_dropped(void **state)
{
	struct stackenv *e = *state;
	uint8_t f[256];
	size_t len;

	len = echo_frame(f, SE_IP_A, 1, 1, 32);
	f[34 + 8] ^= 0x01;                      /* data no longer matches */
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ICMP_CSUM), 1);

	len = echo_frame(f, SE_IP_A, 1, 1, 32);
	f[34] = 13;                             /* timestamp request */
	put16(f + 36, 0);
	put16(f + 36, (uint16_t)~fold(sum16(f + 34, 40)));
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ICMP_TYPE), 1);

	len = echo_frame(f, SE_IP_A, 1, 1, 0);
	put16(f + 16, 20 + 4);                  /* IP says 4 bytes of ICMP */
	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~fold(sum16(f + 14, 20)));
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_ICMP_HDR), 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_ICMP_ECHO_REPLIES), 0);
	se_expect_none(e, 0);
}

static void bad_ip_dropped(void **state)
{
	struct stackenv *e = *state;
	uint8_t f[256];
	size_t len;

	len = echo_frame(f, SE_IP_A, 1, 1, 8);
	f[24] ^= 0xff;                                  /* header checksum */
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_IP_CSUM), 1);

	len = echo_frame(f, 0xc6120063u, 1, 1, 8);      /* not our address */
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_NOT_FOR_US), 1);

	len = echo_frame(f, SE_IP_A, 1, 1, 8);
	put16(f + 20, 0x2000);                          /* more fragments */
	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~fold(sum16(f + 14, 20)));
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_IP_FRAGMENT), 1);

	len = echo_frame(f, SE_IP_A, 1, 1, 8);
	f[23] = 17;                                     /* UDP */
	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~fold(sum16(f + 14, 20)));
	stackenv_inject(e, 0, f, len);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_IP_PROTO), 1);

	len = echo_frame(f, SE_IP_A, 1, 1, 8);
	put16(f + 16, 200);                             /* longer than the frame */
	stackenv_inject(e, 0, f, len);
	f[14] = 0x65;                                   /* version 6 */
	stackenv_inject(e, 0, f, len);
	stackenv_inject(e, 0, f, 20);                   /* no IPv4 header */
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_IP_HDR), 3);
	se_expect_none(e, 0);
}

/* Ethernet pads short frames: the IPv4 length decides, not the frame's. */
static void padded_frame_answered(void **state)
{
	struct stackenv *e = *state;
	uint8_t f[128];
	size_t len = echo_frame(f, SE_IP_A, 7, 7, 0);

	memset(f + len, 0, 60 - len);
	stackenv_inject(e, 0, f, 60);
	assert_int_equal(stackenv_take(e, 0, buf), len);
	assert_int_equal(fold(sum16(buf + 34, 8)), 0xffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(echo_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_icmp_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ip_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(padded_frame_answered, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
