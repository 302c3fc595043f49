/* SPDX-License-Identifier: MIT */
/* The model's receive verdict, one case per row of rtl/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "framegen.h"
#include "parse.h"
#include "teamtoe/card.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
#define TEAM_IP 0xc6120001u

static struct parse_cfg cfg = {
	.mac = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 },
	.ip = TEAM_IP, .link_up = 1, .enabled = 1,
};

static uint8_t f[10000];

static size_t good(size_t payload)
{
	static uint8_t data[TT_MAX_FRAME];
	struct fg_tcp t = {
		.src_mac = { 0x02, 0, 0, 0, 0, 2 }, .src_ip = 0xc6120002u,
		.dst_ip = TEAM_IP, .src_port = 40000, .dst_port = 80,
		.seq = 1000, .ack = 2000, .flags = FG_TCP_ACK, .window = 65535,
		.payload = data, .payload_len = payload,
	};

	for (size_t i = 0; i < payload; i++)
		data[i] = (uint8_t)i;
	memcpy(t.dst_mac, team_mac, 6);
	return fg_tcp_frame(f, &t);
}

#define EXPECT(len, k, r) do {                                          \
	struct parse_hdr h;                                                 \
	struct parse_verdict v = parse_frame(&cfg, f, (len), &h);          \
	assert_int_equal(v.kind, (k));                                      \
	assert_int_equal(v.reason, (r));                                    \
} while (0)
#define DROP(len, r) EXPECT(len, PARSE_DROP, TT_DROP_##r)
#define EXC(len, r) EXPECT(len, PARSE_EXCEPTION, TT_EXC_##r)

static void valid_tcp_is_no_match(void **s)
{
	(void)s;
	struct parse_hdr h;
	size_t len = good(100);

	EXC(len, NO_MATCH);
	parse_frame(&cfg, f, len, &h);
	assert_int_equal(h.src_port, 40000);
	assert_int_equal(h.seq, 1000);
	assert_int_equal(h.payload_off, 54);
	assert_int_equal(h.payload_len, 100);
	EXC(good(0), NO_MATCH);
	EXC(good(1460), NO_MATCH);
	EXC(good(9018 - 54), NO_MATCH);
}

static void link_and_enable(void **s)
{
	(void)s;
	size_t len = good(10);

	cfg.link_up = 0;
	DROP(len, LINK_DOWN);
	cfg.enabled = 0;
	DROP(len, LINK_DOWN); /* link is checked first */
	cfg.link_up = 1;
	DROP(len, DISABLED);
	cfg.enabled = 1;
}

static void sizes(void **s)
{
	(void)s;
	good(9018 - 54);
	DROP(TT_MAX_FRAME + 1, OVERSIZE);
	EXC(good(TT_MAX_FRAME - 54), NO_MATCH);
	DROP(13, TRUNCATED);
	DROP(1, TRUNCATED);
	good(0);
	DROP(33, TRUNCATED); /* IPv4 ethertype but no room for the header */
	DROP(53, TRUNCATED); /* shorter than IP total length */
}

static void addresses(void **s)
{
	(void)s;
	size_t len = good(10);

	f[5] ^= 1;
	DROP(len, NOT_FOR_US);
	memset(f, 0xff, 6);
	EXC(len, NO_MATCH); /* broadcast MAC, our IP */
	f[33] ^= 1;
	fg_fix_ip_csum(f);
	fg_fix_tcp_csum(f);
	DROP(len, NOT_FOR_US);
}

static void not_ipv4(void **s)
{
	(void)s;
	size_t len = good(10);

	f[12] = 0x08; f[13] = 0x06; /* ARP */
	EXC(len, NOT_IPV4);
	f[12] = 0x86; f[13] = 0xdd; /* IPv6 */
	EXC(len, NOT_IPV4);
	EXC(14, NOT_IPV4); /* header only: still the host's */
}

static void ip_header_checks(void **s)
{
	(void)s;
	size_t len = good(10);

	f[14] = 0x55;
	DROP(len, BAD_IP_HDR);
	f[14] = 0x44;
	DROP(len, BAD_IP_HDR);
	len = good(10);
	f[14] = 0x4f; /* 60-byte header needs 74 bytes of frame */
	DROP(60, TRUNCATED);
	len = good(10);
	f[16] = 0; f[17] = 19; /* total length below the header */
	fg_fix_ip_csum(f);
	DROP(len, BAD_IP_HDR);
	len = good(10);
	f[24] ^= 0x40;
	DROP(len, BAD_IP_CSUM);
}

static void ip_exceptions(void **s)
{
	(void)s;
	size_t len = good(10);

	f[20] = 0x20; /* MF */
	fg_fix_ip_csum(f);
	EXC(len, FRAGMENT);
	f[20] = 0x00; f[21] = 0x01; /* offset 8 */
	fg_fix_ip_csum(f);
	EXC(len, FRAGMENT);
	len = good(10);
	f[23] = 17;
	fg_fix_ip_csum(f);
	EXC(len, NOT_TCP);
	/* options: 4 NOP bytes inserted after the 20-byte header */
	len = good(10);
	memmove(f + 38, f + 34, len - 34);
	memset(f + 34, 1, 4);
	f[14] = 0x46;
	f[17] += 4;
	fg_fix_ip_csum(f);
	EXC(len + 4, IP_OPTIONS);
}

static void tcp_header_checks(void **s)
{
	(void)s;
	size_t len = good(10);

	f[46] = 0x40; /* data offset 4 */
	fg_fix_tcp_csum(f);
	DROP(len, BAD_TCP_HDR);
	f[46] = 0x80; /* 32 bytes > 30-byte segment */
	fg_fix_tcp_csum(f);
	DROP(len, BAD_TCP_HDR);
	len = good(0);
	f[16] = 0; f[17] = 39; /* 19 bytes of TCP */
	fg_fix_ip_csum(f);
	DROP(len, BAD_TCP_HDR);
	len = good(10);
	f[60] ^= 0x01;
	DROP(len, BAD_TCP_CSUM);
}

static void padding_is_ignored(void **s)
{
	(void)s;
	size_t len = good(3); /* 57 bytes */

	memset(f + len, 0xa5, 60 - len);
	EXC(60, NO_MATCH);
	/* odd payload: the pad byte of the last word is zero, not the
	 * Ethernet padding */
	len = good(5);
	memset(f + len, 0xff, 8);
	EXC(len + 8, NO_MATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_tcp_is_no_match),
		cmocka_unit_test(link_and_enable),
		cmocka_unit_test(sizes),
		cmocka_unit_test(addresses),
		cmocka_unit_test(not_ipv4),
		cmocka_unit_test(ip_header_checks),
		cmocka_unit_test(ip_exceptions),
		cmocka_unit_test(tcp_header_checks),
		cmocka_unit_test(padding_is_ignored),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
