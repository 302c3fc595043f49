/* SPDX-License-Identifier: MIT */
/* The model's Internet checksum against known vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csum.h"

/* RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2. */
static void rfc1071_example(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	assert_int_equal(csum_fold(csum_add(0, b, sizeof(b))), 0xddf2);
}

/* A real IPv4 header (checksum b861): folds to ffff with its checksum,
 * and yields the checksum with the field zeroed. */
static void ipv4_header(void **state)
{
	(void)state;
	uint8_t h[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	assert_int_equal(csum_fold(csum_add(0, h, sizeof(h))), 0xffff);
	h[10] = h[11] = 0;
	assert_int_equal((uint16_t)~csum_fold(csum_add(0, h, sizeof(h))), 0xb861);
}

/* An odd last byte is the high byte of a zero-padded word. */
static void odd_length(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x12, 0x34, 0x56 };

	assert_int_equal(csum_fold(csum_add(0, b, 3)), 0x1234 + 0x5600);
	assert_int_equal(csum_fold(csum_add(0, b, 1)), 0x1200);
	assert_int_equal(csum_fold(csum_add(0, b, 0)), 0);
}

/* End-around carry: ffff + 0001 folds to 0001. */
static void end_around_carry(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0xff, 0xff, 0x00, 0x01 };

	assert_int_equal(csum_fold(csum_add(0, b, 4)), 0x0001);
	assert_int_equal(csum_fold(0xffffffffu), 0xffff);
}

/* Pseudo-header: 198.18.0.2 -> 198.18.0.1, TCP, 20 bytes. */
static void pseudo_header(void **state)
{
	(void)state;
	uint32_t s = csum_pseudo(0xc6120002u, 0xc6120001u, 6, 20);

	assert_int_equal(s, (0xc612 + 0x0002 + 0xc612 + 0x0001 + 6 + 20) % 0xffff);
}

/* Summing in pieces of even length equals summing at once. */
static void split_sums(void **state)
{
	(void)state;
	uint8_t b[1501];

	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 37 + 11);
	for (unsigned cut = 0; cut <= 1500; cut += 2)
		assert_int_equal(csum_fold(csum_add(csum_add(0, b, cut), b + cut, sizeof(b) - cut)),
				 csum_fold(csum_add(0, b, sizeof(b))));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(ipv4_header),
		cmocka_unit_test(odd_length),
		cmocka_unit_test(end_around_carry),
		cmocka_unit_test(pseudo_header),
		cmocka_unit_test(split_sums),
	};

	return cmocka_run_group_tests_name("csum", tests, NULL, NULL);
}
