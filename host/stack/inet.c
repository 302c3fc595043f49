/* SPDX-License-Identifier: MIT */
/*
 * Bytes on the wire: network byte order, the Internet checksum (RFC
 * 1071) and the Ethernet + IPv4 header every frame of the stack starts
 * with. The card has its own twins (sw-model/csum.c); the stack does not
 * borrow the card model's code, so that the two can disagree and a test
 * can see it.
 */
#include <string.h>

#include "stack_int.h"

uint16_t ts_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t ts_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void ts_wr16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ts_wr32(uint8_t *p, uint32_t v)
{
	ts_wr16(p, v >> 16);
	ts_wr16(p + 2, v);
}

/* 16-bit big-endian words into a 32-bit accumulator; an odd last byte is
 * the high half of a zero-padded word. 2^16 words cannot overflow. */
uint32_t ts_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t ts_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t ts_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto,
			uint16_t len)
{
	uint8_t ph[12];

	ts_wr32(ph, src);
	ts_wr32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = proto;
	ts_wr16(ph + 10, len);
	return ts_csum_add(0, ph, sizeof(ph));
}

/*
 *  0 dst MAC | 6 src MAC | 12 ethertype 0x0800
 * 14 45 | 15 TOS | 16 total length | 18 ID | 20 DF | 22 TTL | 23 proto |
 * 24 checksum | 26 src IP | 30 dst IP
 */
size_t ts_ip_header(struct tt_stack *s, uint8_t *f, const uint8_t dst_mac[6],
		    uint32_t dst_ip, uint8_t proto, uint16_t ip_id,
		    size_t payload_len)
{
	if (dst_mac)
		memcpy(f, dst_mac, 6);
	else
		memset(f, 0, 6);
	memcpy(f + 6, s->p.mac, 6);
	ts_wr16(f + 12, 0x0800);
	f[14] = 0x45;
	f[15] = 0;
	ts_wr16(f + 16, (uint32_t)(TS_IP_HDR + payload_len));
	ts_wr16(f + 18, ip_id);
	ts_wr16(f + 20, 0x4000);
	f[22] = 64;
	f[23] = proto;
	ts_wr16(f + 24, 0);
	ts_wr32(f + 26, s->p.ipv4);
	ts_wr32(f + 30, dst_ip);
	ts_wr16(f + 24, (uint16_t)~ts_csum_fold(ts_csum_add(0, f + 14,
							     TS_IP_HDR)));
	return TS_ETH_HDR + TS_IP_HDR;
}
