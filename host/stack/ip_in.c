/* SPDX-License-Identifier: MIT */
/*
 * IPv4 input (RFC 791, RFC 1122 3.2.1): check the header, keep what is
 * addressed to us, hand ICMP and TCP on. Options are skipped (none of
 * them changes what we do); fragments are dropped, counted: the stack
 * does not reassemble (TCP segments fit the MSS we announce).
 *
 *  14 ver/IHL | 16 total length | 20 flags/fragment offset | 23 protocol |
 *  24 checksum | 26 src | 30 dst
 */
#include "stack_int.h"

void ts_ip_input(struct tt_stack *s, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + TS_ETH_HDR;
	size_t ihl, tot;

	if (len < TS_ETH_HDR + TS_IP_HDR || ip[0] >> 4 != 4) {
		ts_count(s, TT_SCNT_DROP_IP_HDR);
		return;
	}
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = ts_rd16(ip + 2);
	/* Ethernet may pad a short packet: trust the total length, not
	 * the frame's. */
	if (ihl < TS_IP_HDR || tot < ihl || TS_ETH_HDR + tot > len) {
		ts_count(s, TT_SCNT_DROP_IP_HDR);
		return;
	}
	if (ts_csum_fold(ts_csum_add(0, ip, ihl)) != 0xffff) {
		ts_count(s, TT_SCNT_DROP_IP_CSUM);
		return;
	}
	if (ts_rd32(ip + 16) != s->p.ipv4) {
		ts_count(s, TT_SCNT_DROP_NOT_FOR_US);
		return;
	}
	if (ts_rd16(ip + 6) & 0x3fff) { /* MF, or a fragment offset */
		ts_count(s, TT_SCNT_DROP_IP_FRAGMENT);
		return;
	}
	switch (ip[9]) {
	case 1:
		ts_icmp_input(s, f, ip, ip + ihl, tot - ihl);
		break;
	case 6:
		ts_tcp_input(s, f, ip, ip + ihl, tot - ihl);
		break;
	default:
		ts_count(s, TT_SCNT_DROP_IP_PROTO);
		break;
	}
}
