/* SPDX-License-Identifier: MIT */
/*
 * ICMP (RFC 792, RFC 1122 3.2.2.6): an echo request is answered with an
 * echo reply carrying the same identifier, sequence number and data, to
 * the Ethernet and IPv4 source of the request. Every other message is
 * counted and dropped: the stack sends nothing that would earn an ICMP
 * error worth acting on (TCP recovers by itself).
 *
 *  +0 type | +1 code | +2 checksum | +4 identifier | +6 sequence | +8 data
 */
#include <string.h>

#include "stack_int.h"

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HDR          8u

void ts_icmp_input(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		   const uint8_t *l4, size_t l4_len)
{
	uint8_t *out = s->tx;
	uint8_t *icmp;
	size_t hdr;

	if (l4_len < ICMP_HDR) {
		ts_count(s, TT_SCNT_DROP_ICMP_HDR);
		return;
	}
	if (ts_csum_fold(ts_csum_add(0, l4, l4_len)) != 0xffff) {
		ts_count(s, TT_SCNT_DROP_ICMP_CSUM);
		return;
	}
	if (l4[0] != ICMP_ECHO_REQUEST || l4[1] != 0) {
		ts_count(s, TT_SCNT_DROP_ICMP_TYPE);
		return;
	}
	/* the reply must fit our frame buffer (a jumbo ping may not) */
	if (TS_ETH_HDR + TS_IP_HDR + l4_len > TS_FRAME_MAX) {
		ts_count(s, TT_SCNT_DROP_ICMP_HDR);
		return;
	}
	hdr = ts_ip_header(s, out, f + 6, ts_rd32(ip + 12), 1, s->ip_id++,
			   l4_len);
	icmp = out + hdr;
	memcpy(icmp, l4, l4_len);
	icmp[0] = ICMP_ECHO_REPLY;
	ts_wr16(icmp + 2, 0);
	ts_wr16(icmp + 2, (uint16_t)~ts_csum_fold(ts_csum_add(0, icmp, l4_len)));
	ts_count(s, TT_SCNT_ICMP_ECHO_REPLIES);
	ts_output(s, out, hdr + l4_len, NULL);
}
