/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "framegen.h"
#include "csum.h"
#include "teamtoe/defs.h"

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void fg_fix_ip_csum(uint8_t *f)
{
	unsigned hlen = 4u * (f[14] & 0x0f);

	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~csum_fold(csum_add(0, f + 14, hlen)));
}

void fg_fix_tcp_csum(uint8_t *f)
{
	unsigned tcp_len = ((unsigned)f[16] << 8 | f[17]) - 20u;
	uint32_t s;

	put16(f + 50, 0);
	s = csum_pseudo(get32(f + 26), get32(f + 30), 6, (uint16_t)tcp_len);
	put16(f + 50, (uint16_t)~csum_fold(csum_add(s, f + 34, tcp_len)));
}

size_t fg_tcp_frame(uint8_t *f, const struct fg_tcp *t)
{
	size_t len = 54 + t->payload_len;

	memcpy(f, t->dst_mac, 6);
	memcpy(f + 6, t->src_mac, 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	f[15] = 0;
	put16(f + 16, (uint32_t)(40 + t->payload_len));
	put16(f + 18, t->ip_id);
	put16(f + 20, 0x4000); /* DF */
	f[22] = 64;
	f[23] = 6;
	put32(f + 26, t->src_ip);
	put32(f + 30, t->dst_ip);
	put16(f + 34, t->src_port);
	put16(f + 36, t->dst_port);
	put32(f + 38, t->seq);
	put32(f + 42, t->ack);
	f[46] = 5 << 4;
	f[47] = t->flags;
	put16(f + 48, t->window);
	put16(f + 52, 0);
	if (t->payload_len)
		memcpy(f + 54, t->payload, t->payload_len);
	fg_fix_ip_csum(f);
	fg_fix_tcp_csum(f);
	return len;
}

const char *const fg_kind_names[FG_KIND_COUNT] = {
	[FG_VALID_TCP] = "valid_tcp", [FG_ZERO_PAYLOAD] = "zero_payload",
	[FG_BAD_IP_CSUM] = "bad_ip_csum", [FG_BAD_TCP_CSUM] = "bad_tcp_csum",
	[FG_TRUNCATED] = "truncated", [FG_WRONG_MAC] = "wrong_mac",
	[FG_WRONG_IP] = "wrong_ip", [FG_BROADCAST] = "broadcast",
	[FG_ARP] = "arp", [FG_IPV6] = "ipv6", [FG_IP_OPTIONS] = "ip_options",
	[FG_FRAGMENT] = "fragment", [FG_UDP] = "udp",
	[FG_BAD_VERSION] = "bad_version", [FG_BAD_IHL] = "bad_ihl",
	[FG_BAD_TOTLEN] = "bad_total_length", [FG_BAD_DOFF] = "bad_data_offset",
	[FG_PADDED] = "padded", [FG_MAX_1518] = "max_1518",
	[FG_JUMBO_9018] = "jumbo_9018", [FG_OVERSIZE] = "oversize",
	[FG_RUNT] = "runt", [FG_GARBAGE] = "garbage",
};

static void random_bytes(struct rng *r, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng_next(r);
}

/* A valid TCP frame with payload_len random bytes. */
static size_t random_tcp(struct rng *r, const uint8_t mac[6], uint32_t ip,
			 size_t payload_len, uint8_t *buf)
{
	static uint8_t payload[9018];
	struct fg_tcp t = { 0 };

	memcpy(t.dst_mac, mac, 6);
	t.src_mac[0] = 0x02;
	random_bytes(r, t.src_mac + 1, 5);
	t.src_ip = 0xc6120000u | rng_below(r, 0x20000); /* 198.18.0.0/15 */
	t.dst_ip = ip;
	t.src_port = (uint16_t)rng_next(r);
	t.dst_port = (uint16_t)(rng_below(r, 2) ? 80 : rng_next(r));
	t.seq = (uint32_t)rng_next(r);
	t.ack = (uint32_t)rng_next(r);
	t.flags = (uint8_t)(FG_TCP_ACK | (rng_below(r, 8) == 0 ? rng_next(r) & 0x3f : 0));
	t.window = (uint16_t)rng_next(r);
	t.ip_id = (uint16_t)rng_next(r);
	random_bytes(r, payload, payload_len);
	t.payload = payload;
	t.payload_len = payload_len;
	return fg_tcp_frame(buf, &t);
}

static size_t small_payload(struct rng *r)
{
	switch (rng_below(r, 4)) {
	case 0: return rng_below(r, 16);
	case 1: return rng_below(r, 1461);
	case 2: return 1460 - rng_below(r, 8);
	default: return rng_below(r, 200);
	}
}

size_t fg_random_frame(struct rng *r, const uint8_t mac[6], uint32_t ip,
		       uint8_t *f, enum fg_kind *kind_out)
{
	enum fg_kind k = (enum fg_kind)rng_below(r, FG_KIND_COUNT);
	size_t len;

	/* Half of all frames are valid TCP: the common case at full rate. */
	if (rng_below(r, 2))
		k = FG_VALID_TCP;
	*kind_out = k;
	switch (k) {
	case FG_ZERO_PAYLOAD:
		return random_tcp(r, mac, ip, 0, f);
	case FG_BAD_IP_CSUM:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[24 + rng_below(r, 2)] ^= (uint8_t)(1u << rng_below(r, 8));
		return len;
	case FG_BAD_TCP_CSUM:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[34 + rng_below(r, (uint32_t)len - 34)] ^= (uint8_t)(1u << rng_below(r, 8));
		return len;
	case FG_TRUNCATED:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		return 1 + rng_below(r, (uint32_t)len - 1);
	case FG_WRONG_MAC:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[rng_below(r, 6)] ^= (uint8_t)(1u << rng_below(r, 8));
		if (memcmp(f, "\xff\xff\xff\xff\xff\xff", 6) == 0)
			f[5] = 0xfe;
		return len;
	case FG_WRONG_IP:
		len = random_tcp(r, mac, ip ^ (1u << rng_below(r, 32)), small_payload(r), f);
		return len;
	case FG_BROADCAST:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		memset(f, 0xff, 6);
		return len;
	case FG_ARP:
		memset(f, 0xff, 6);
		random_bytes(r, f + 6, 6);
		put16(f + 12, 0x0806);
		random_bytes(r, f + 14, 28);
		memset(f + 42, 0, 18);
		return 60;
	case FG_IPV6:
		memcpy(f, mac, 6);
		random_bytes(r, f + 6, 6);
		put16(f + 12, 0x86dd);
		len = 54 + rng_below(r, 200);
		random_bytes(r, f + 14, len - 14);
		return len;
	case FG_IP_OPTIONS: {
		/* Insert 4..40 bytes of options after the 20-byte header. */
		unsigned opt = 4u * (1 + rng_below(r, 10));
		size_t plen = small_payload(r);
		len = random_tcp(r, mac, ip, plen, f);
		memmove(f + 34 + opt, f + 34, len - 34);
		memset(f + 34, 1, opt); /* NOP options */
		f[14] = (uint8_t)(0x40 | (5 + opt / 4));
		put16(f + 16, (uint32_t)(len - 14 + opt));
		fg_fix_ip_csum(f);
		return len + opt;
	}
	case FG_FRAGMENT:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		put16(f + 20, rng_below(r, 2) ? 0x2000 : (uint32_t)(1 + rng_below(r, 0x1fff)));
		fg_fix_ip_csum(f);
		return len;
	case FG_UDP:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[23] = (uint8_t)(rng_below(r, 2) ? 17 : rng_next(r));
		if (f[23] == 6)
			f[23] = 1;
		fg_fix_ip_csum(f);
		return len;
	case FG_BAD_VERSION:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[14] = (uint8_t)((rng_below(r, 15) + 5) << 4 | 5);
		if ((f[14] >> 4) == 4)
			f[14] = 0x65;
		fg_fix_ip_csum(f);
		return len;
	case FG_BAD_IHL:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[14] = (uint8_t)(0x40 | rng_below(r, 5));
		return len;
	case FG_BAD_TOTLEN:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		put16(f + 16, rng_below(r, 2) ? rng_below(r, 60) : (uint32_t)(len - 14 + 1 + rng_below(r, 100)));
		fg_fix_ip_csum(f);
		return len;
	case FG_BAD_DOFF:
		len = random_tcp(r, mac, ip, small_payload(r), f);
		f[46] = (uint8_t)((rng_below(r, 2) ? rng_below(r, 5) : 6 + rng_below(r, 10)) << 4);
		fg_fix_tcp_csum(f);
		return len;
	case FG_PADDED: {
		/* Short segment padded to the Ethernet minimum or beyond:
		 * the padding is not part of the IP datagram. */
		size_t padded = 60 + rng_below(r, 40);
		len = random_tcp(r, mac, ip, rng_below(r, 6), f);
		random_bytes(r, f + len, padded - len);
		return padded;
	}
	case FG_MAX_1518:
		return random_tcp(r, mac, ip, 1518 - 54, f);
	case FG_JUMBO_9018:
		return random_tcp(r, mac, ip, 9018 - 54, f);
	case FG_OVERSIZE: {
		size_t big = TT_MAX_FRAME + 1 + rng_below(r, 700);
		len = random_tcp(r, mac, ip, 9018 - 54, f);
		random_bytes(r, f + len, big - len);
		return big;
	}
	case FG_RUNT:
		len = 1 + rng_below(r, 13);
		random_bytes(r, f, len);
		return len;
	case FG_GARBAGE:
		len = 14 + rng_below(r, 300);
		random_bytes(r, f, len);
		if (rng_below(r, 2))
			memcpy(f, mac, 6);
		if (rng_below(r, 2))
			put16(f + 12, 0x0800);
		return len;
	case FG_VALID_TCP:
	case FG_KIND_COUNT:
		break;
	}
	return random_tcp(r, mac, ip, small_payload(r), f);
}
