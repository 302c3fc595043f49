/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the model card's receive path with arbitrary frames.
 *
 * Input: one control byte, then frames, each a 2-byte big-endian length L
 * and L bytes (fewer if the input ends; L = 0 feeds nothing).
 *   control bit 0  link down (else up)
 *   control bit 1  card disabled (else enabled)
 *   control bit 2  fix the IPv4 and TCP checksums of every frame that
 *                  looks like IPv4/TCP (so the fuzzer reaches the lookup)
 *   control bit 3  before the frames, import a connection for the 4-tuple
 *                  of each of the first 8 frames that look like TCP, its
 *                  rcv_nxt that frame's sequence number and its snd_nxt
 *                  its ACK (so the receive engine delivers, trims, drops
 *                  and acknowledges), window, scale and MSS varied
 *
 * Invariants (abort on violation): every frame fed counts once in
 * RX_FRAMES and RX_BYTES, and once in exactly one drop or exception
 * counter or in ENG_SEGMENTS; DMA writes come in the order of the frames:
 * an EXCEPTION carries a fed frame whole, a PAYLOAD a byte range of a fed
 * frame's TCP payload (at the offset its sequence number says); their
 * counts and bytes equal the EXC_* and ENG_PAYLOAD* counters; the wire
 * carries only the engine's 54-byte pure ACKs from the team's address,
 * as many as ENG_ACKS_SENT; events are LINK or ACKED.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framegen.h"
#include "teamtoe/card.h"
#include "teamtoe/ctx.h"

#define MAX_FRAMES 256

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static const uint32_t team_ip = 0xc6120001u; /* 198.18.0.1 */

struct fed {
	const uint8_t *data; /* the (possibly fixed) copy we fed */
	size_t len;
};

static uint8_t fixed[MAX_FRAMES][TT_MAX_FRAME + 64];
static uint8_t dma_buf[0x10000];
static struct fed fed[MAX_FRAMES];
static size_t n_fed, n_dma, n_writes, n_payloads, n_acks;
static uint64_t payload_bytes;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_rx: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

static int looks_tcp(const uint8_t *f, size_t len)
{
	return len >= 54 && f[12] == 0x08 && f[13] == 0x00 &&
	       f[14] == 0x45 && f[23] == 6;
}

/* Fix the checksums fg_fix_* know how to (IHL 5), within the frame. */
static void fix_csums(uint8_t *f, size_t len)
{
	size_t tot;

	if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45)
		return;
	fg_fix_ip_csum(f);
	tot = (size_t)f[16] << 8 | f[17];
	if (f[23] == 6 && tot >= 40 && 14 + tot <= len)
		fg_fix_tcp_csum(f);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Does payload write d (bytes in dma_buf) come from frame f: inside its
 * TCP payload, at the offset its sequence number gives? */
static int payload_of(const struct fed *f, const struct tt_dma_write *d)
{
	size_t tot, start, hdr;
	uint32_t skip;

	if (!looks_tcp(f->data, f->len))
		return 0;
	tot = (size_t)f->data[16] << 8 | f->data[17];
	hdr = 34 + 4u * (f->data[46] >> 4);
	skip = d->seq - be32(f->data + 38);
	start = hdr + skip;
	return skip < 0x10000 && 14 + tot <= f->len && start + d->len <= 14 + tot &&
	       memcmp(f->data + start, dma_buf, d->len) == 0;
}

static void drain(struct tt_card *c)
{
	struct tt_dma_write d;
	struct tt_event ev;
	uint8_t net[TT_MAX_FRAME];
	size_t len;
	int r, src;

	while ((r = tt_card_dma_write(c, &d, dma_buf, sizeof(dma_buf))) == TT_OK) {
		if (d.kind == TT_DMA_PAYLOAD) {
			CHECK(d.reason == 0 && d.slot < 1024 && d.len > 0);
			while (n_dma < n_fed && !payload_of(&fed[n_dma], &d))
				n_dma++;
			n_payloads++;
			payload_bytes += d.len;
		} else {
			CHECK(d.kind == TT_DMA_EXCEPTION);
			CHECK(d.reason > 0 && d.reason < TT_EXC_COUNT);
			/* the next fed frame of that length and content, in order */
			while (n_dma < n_fed && (fed[n_dma].len != d.len ||
			       memcmp(fed[n_dma].data, dma_buf, d.len) != 0))
				n_dma++;
			n_writes++;
		}
		CHECK(n_dma < n_fed);
		n_dma++;
	}
	CHECK(r == TT_EAGAIN);
	while ((r = tt_card_net_tx_src(c, net, sizeof(net), &len, &src)) == TT_OK) {
		CHECK(src == TT_TX_SRC_ENGINE && len == 54);
		CHECK(memcmp(net + 6, team_mac, 6) == 0 && be32(net + 26) == team_ip);
		CHECK(net[47] == 0x10);
		n_acks++;
	}
	CHECK(r == TT_EAGAIN);
	while (tt_card_event(c, &ev) == TT_OK)
		CHECK((ev.type == TT_EVT_LINK && ev.slot == TT_SLOT_NONE) ||
		      (ev.type == TT_EVT_ACKED && ev.slot < 1024));
}

static void import_tuple(struct tt_card *c, const uint8_t *f, uint16_t salt)
{
	struct tt_ctx x;
	struct tt_ctx_cmd cmd;
	struct tt_ctx_result res;

	memset(&x, 0, sizeof(x));
	x.version = TT_CTX_VERSION;
	x.flags = TT_CTXF_VALID;
	x.state = TT_TCP_ESTABLISHED;
	x.remote_ip = (uint32_t)f[26] << 24 | (uint32_t)f[27] << 16 |
		      (uint32_t)f[28] << 8 | f[29];
	x.local_ip = (uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 |
		     (uint32_t)f[32] << 8 | f[33];
	x.remote_port = (uint16_t)(f[34] << 8 | f[35]);
	x.local_port = (uint16_t)(f[36] << 8 | f[37]);
	/* in step with this frame: its data in order, its ACK acceptable */
	x.rcv_nxt = be32(f + 38);
	x.snd_nxt = x.snd_max = be32(f + 42);
	x.snd_una = x.snd_nxt - 100u * salt;
	x.mss = (uint16_t)(1460 >> (salt & 3));
	x.rcv_wnd = salt == 5 ? 0 : (uint16_t)(0xffff >> (2 * salt)); /* one closed */
	x.rcv_wscale = (uint8_t)(salt * 2);
	x.snd_wnd = (uint16_t)(f[48] << 8 | f[49]);
	memset(&cmd, 0, sizeof(cmd));
	cmd.op = TT_CTX_IMPORT;
	tt_ctx_pack(&x, cmd.rec);
	CHECK(tt_card_ctx_cmd(c, &cmd) == TT_OK);
	for (int i = 0; i < 1000 && tt_card_ctx_result(c, &res) != TT_OK; i++)
		tt_card_step(c, 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_card_params p = { .conn_slots = 1024 };
	struct tt_card *c;
	uint64_t bytes = 0, sum = 0, exc = 0;
	uint8_t ctl;
	size_t pos;
	int err, imports = 0;

	if (size < 1)
		return 0;
	ctl = data[0];
	c = tt_card_new("model", &p, &err);
	CHECK(c);
	CHECK(tt_card_reg_write(c, TT_REG_MAC_HI, team_mac[0] << 8 | team_mac[1]) == TT_OK);
	CHECK(tt_card_reg_write(c, TT_REG_MAC_LO, (uint32_t)team_mac[2] << 24 |
				(uint32_t)team_mac[3] << 16 | team_mac[4] << 8 |
				team_mac[5]) == TT_OK);
	CHECK(tt_card_reg_write(c, TT_REG_IPV4, team_ip) == TT_OK);
	CHECK(tt_card_reg_write(c, TT_REG_CTRL, ctl & 2 ? 0 : 1) == TT_OK);
	tt_card_set_link(c, !(ctl & 1));
	tt_card_step(c, 512);

	/* Split the input into frames. */
	n_fed = n_dma = n_writes = n_payloads = n_acks = 0;
	payload_bytes = 0;
	for (pos = 1; pos + 2 <= size && n_fed < MAX_FRAMES;) {
		size_t len = (size_t)data[pos] << 8 | data[pos + 1];

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		if (len == 0)
			continue;
		if (len <= TT_MAX_FRAME && (ctl & 4)) {
			memcpy(fixed[n_fed], data + pos, len);
			fix_csums(fixed[n_fed], len);
			fed[n_fed].data = fixed[n_fed];
		} else {
			fed[n_fed].data = data + pos;
		}
		fed[n_fed].len = len;
		if ((ctl & 8) && imports < 8 && looks_tcp(fed[n_fed].data, len))
			import_tuple(c, fed[n_fed].data, (uint16_t)imports++);
		n_fed++;
		pos += len;
	}
	drain(c);

	for (size_t i = 0; i < n_fed; i++) {
		while (tt_card_net_rx(c, fed[i].data, fed[i].len) == TT_EAGAIN) {
			tt_card_step(c, 64);
			drain(c);
		}
		bytes += fed[i].len;
	}
	for (int i = 0; i < 100000 && !tt_card_idle(c); i++) {
		tt_card_step(c, 256);
		drain(c);
	}
	CHECK(tt_card_idle(c));
	tt_card_step(c, 16);
	drain(c);

	CHECK(tt_card_counter(c, TT_CNT_RX_FRAMES) == (uint32_t)n_fed);
	CHECK(tt_card_counter(c, TT_CNT_RX_BYTES) == (uint32_t)bytes);
	for (int i = 0; i < 9; i++)
		sum += tt_card_counter(c, TT_COUNTER_DROP_BASE + i);
	for (int i = 1; i < TT_EXC_COUNT; i++)
		exc += tt_card_counter(c, TT_COUNTER_EXC_BASE + i);
	CHECK(sum + exc + tt_card_counter(c, TT_CNT_ENG_SEGMENTS) == n_fed);
	CHECK(n_writes == exc);
	CHECK(n_payloads == tt_card_counter(c, TT_CNT_ENG_PAYLOADS));
	CHECK((uint32_t)payload_bytes == tt_card_counter(c, TT_CNT_ENG_PAYLOAD_BYTES));
	CHECK(n_acks == tt_card_counter(c, TT_CNT_ENG_ACKS_SENT));
	CHECK(tt_card_counter(c, TT_CNT_TX_FRAMES) == n_acks);
	tt_card_free(c);
	return 0;
}
