/* SPDX-License-Identifier: MIT */
/*
 * Receive parser. Fields read (byte offsets in the frame):
 *
 *  0  dst MAC (6)        6  src MAC (6)       12 ethertype (2)
 *  14 version/IHL        16 total length (2)  20 flags/fragment offset (2)
 *  23 protocol           24 header checksum   26 src IP (4)   30 dst IP (4)
 *  34 src port (2)       36 dst port (2)      38 seq (4)      42 ack (4)
 *  46 data offset        47 flags             48 window (2)   50 checksum
 */
#include <string.h>

#include "teamtoe/card.h"
#include "csum.h"
#include "parse.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static struct parse_verdict drop(uint8_t r)
{
	return (struct parse_verdict){ PARSE_DROP, r };
}

static struct parse_verdict exc(uint8_t r)
{
	return (struct parse_verdict){ PARSE_EXCEPTION, r };
}

struct parse_verdict parse_frame(const struct parse_cfg *cfg,
				 const uint8_t *f, size_t len,
				 struct parse_hdr *h)
{
	unsigned hlen, tcp_len;

	memset(h, 0, sizeof(*h));
	if (!cfg->link_up)
		return drop(TT_DROP_LINK_DOWN);
	if (!cfg->enabled)
		return drop(TT_DROP_DISABLED);
	if (len > TT_MAX_FRAME)
		return drop(TT_DROP_OVERSIZE);
	if (len < 14)
		return drop(TT_DROP_TRUNCATED);
	if (memcmp(f, cfg->mac, 6) != 0 && memcmp(f, bcast, 6) != 0)
		return drop(TT_DROP_NOT_FOR_US);
	h->ethertype = be16(f + 12);
	if (h->ethertype != 0x0800)
		return exc(TT_EXC_NOT_IPV4);
	if (len < 34)
		return drop(TT_DROP_TRUNCATED);
	h->ihl = f[14] & 0x0f;
	if ((f[14] >> 4) != 4 || h->ihl < 5)
		return drop(TT_DROP_BAD_IP_HDR);
	hlen = 4u * h->ihl;
	if (14 + hlen > len)
		return drop(TT_DROP_TRUNCATED);
	h->ip_len = be16(f + 16);
	if (h->ip_len < hlen)
		return drop(TT_DROP_BAD_IP_HDR);
	if (14u + h->ip_len > len)
		return drop(TT_DROP_TRUNCATED);
	if (csum_fold(csum_add(0, f + 14, hlen)) != 0xffff)
		return drop(TT_DROP_BAD_IP_CSUM);
	h->proto = f[23];
	h->src_ip = be32(f + 26);
	h->dst_ip = be32(f + 30);
	if (h->dst_ip != cfg->ip)
		return drop(TT_DROP_NOT_FOR_US);
	if ((f[20] & 0x20) || (be16(f + 20) & 0x1fff))
		return exc(TT_EXC_FRAGMENT);
	if (h->ihl != 5)
		return exc(TT_EXC_IP_OPTIONS);
	if (h->proto != 6)
		return exc(TT_EXC_NOT_TCP);
	tcp_len = h->ip_len - 20u;
	if (tcp_len < 20)
		return drop(TT_DROP_BAD_TCP_HDR);
	h->doff = f[46] >> 4;
	if (h->doff < 5 || 4u * h->doff > tcp_len)
		return drop(TT_DROP_BAD_TCP_HDR);
	if (csum_fold(csum_add(csum_pseudo(h->src_ip, h->dst_ip, 6,
					   (uint16_t)tcp_len),
			       f + 34, tcp_len)) != 0xffff)
		return drop(TT_DROP_BAD_TCP_CSUM);
	h->src_port = be16(f + 34);
	h->dst_port = be16(f + 36);
	h->seq = be32(f + 38);
	h->ack = be32(f + 42);
	h->flags = f[47];
	h->window = be16(f + 48);
	h->payload_off = (uint16_t)(34 + 4u * h->doff);
	h->payload_len = (uint16_t)(tcp_len - 4u * h->doff);
	return exc(TT_EXC_NO_MATCH);
}
