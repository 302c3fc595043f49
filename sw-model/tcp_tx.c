/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "csum.h"
#include "tcp_tx.h"

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

size_t tcp_tx_build(struct tt_ctx *c, const uint8_t team_mac[6], uint8_t flags,
		    uint32_t seq, const uint8_t *payload, size_t len,
		    uint8_t *f)
{
	uint32_t s;

	for (int i = 0; i < 6; i++)
		f[i] = (uint8_t)(c->peer_mac >> (8 * i)); /* byte i in bits 8i */
	memcpy(f + 6, team_mac, 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	f[15] = 0;
	put16(f + 16, (uint32_t)(40 + len));
	put16(f + 18, c->ip_id++);
	put16(f + 20, 0x4000);                 /* DF */
	f[22] = 64;                            /* TTL */
	f[23] = 6;
	put16(f + 24, 0);
	put32(f + 26, c->local_ip);
	put32(f + 30, c->remote_ip);
	put16(f + 24, (uint16_t)~csum_fold(csum_add(0, f + 14, 20)));
	put16(f + 34, c->local_port);
	put16(f + 36, c->remote_port);
	put32(f + 38, seq);
	put32(f + 42, c->rcv_nxt);
	f[46] = 5 << 4;
	f[47] = (uint8_t)(flags | 0x10);       /* ACK */
	put16(f + 48, c->rcv_wnd);
	put16(f + 50, 0);
	put16(f + 52, 0);
	if (len)
		memcpy(f + 54, payload, len);
	s = csum_pseudo(c->local_ip, c->remote_ip, 6, (uint16_t)(20 + len));
	put16(f + 50, (uint16_t)~csum_fold(csum_add(s, f + 34, 20 + len)));
	return TCP_TX_HDR + len;
}
