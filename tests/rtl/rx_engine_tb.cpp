// SPDX-License-Identifier: MIT
/*
 * Block test of the receive engine (revision 1.3's segment path) in the
 * whole card rtl/toe_nic.v: a context imported through the context port,
 * then segments from the wire, every output checked byte for byte against
 * the C twin (tcp_rx_segment(), the follow-up's tcp_cc_new_ack() and
 * tcp_timer_ack() or tcp_cc_dup_ack(), tcp_out_ack() / tcp_out_sent() and
 * tcp_tx_build(), built into this program; ENGINE.md 1, the follow-up
 * applied right after its segment): PAYLOAD DMA writes, the pure ACKs on
 * the wire (tuser = 1) at tcp_out_high, ACKED and RETRANS events, the
 * counters and, by EXPORT, the context itself.
 *
 *   - in order, an ACK every second full segment and on a short one
 *   - duplicate, out of order, partial overlap
 *   - window trim, zero window (the context exported, changed, imported)
 *   - ACK of unsent data, duplicate ACKs counted
 *   - revision 1.3: the pure ACK at tcp_out_high (recover ahead of
 *     snd_nxt) clearing DELACK; an ACK of new data with payload, its ACK
 *     sent after the congestion step; the third duplicate ACK: fast
 *     retransmit (RETRANS event, ENG_FAST_RETRANS)
 *   - the context round trip: EXPORT after the traffic equals the C
 *     context, IMPORT it back, the traffic goes on from it
 *   - back to back at line rate: 64-byte segments of one slot every 8
 *     cycles and 54-byte old ACKs every 7, the receive path never stalled;
 *     54-byte ACKs of new data each wait for their congestion step
 *   - the ACK gate: the link lost, or the card disabled, between a
 *     segment and its ACK drops the ACK and counts it
 *
 * Prints TAP lines and "N passed, N failed"; exits non-zero on any
 * failure. The random seed is printed and can be given as the first
 * argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <deque>
#include <vector>

#include <verilated.h>
#include "Vtoe_nic.h"

extern "C" {
#include "tcp_cc.h"
#include "tcp_out.h"
#include "tcp_timers.h"
#include "tcp_rx.h"
#include "tcp_tx.h"
#include "csum.h"
#include "teamtoe/card.h"
}

static const uint8_t team_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint32_t team_ip = 0xc6120001u;
static const uint32_t peer_ip = 0xc6120077u;

static int n_test, n_fail;
static Vtoe_nic *m;
static uint64_t cycle;

static void tap(int ok, const char *name)
{
	n_test++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_test, name);
}

typedef std::vector<uint8_t> bytes;

/* ---- streams ---- */

struct dma_item {
	uint8_t kind, reason;
	uint16_t len, slot;
	uint32_t seq;
	bytes data;
};

static std::vector<bytes> rx_q;          // frames to the card
static size_t rx_pos, rx_off;
static uint64_t rx_stalls;               // cycles a beat waited
static std::vector<dma_item> dma_got;
static std::deque<dma_item> dma_desc;   // descriptors ahead of their data
static bytes dma_data;
static std::vector<bytes> wire_got;      // engine frames
static bytes wire_cur;
static int wire_host;                    // host frames seen (none expected)
static std::vector<uint64_t> evt_got;

static void drive(void)
{
	if (rx_pos < rx_q.size()) {
		const bytes &f = rx_q[rx_pos];
		uint64_t d = 0;
		unsigned keep = 0;

		for (unsigned i = 0; i < 8 && rx_off + i < f.size(); i++) {
			d |= (uint64_t)f[rx_off + i] << (8 * i);
			keep |= 1u << i;
		}
		m->s_axis_net_rx_tdata = d;
		m->s_axis_net_rx_tkeep = keep;
		m->s_axis_net_rx_tlast = rx_off + 8 >= f.size();
		m->s_axis_net_rx_tvalid = 1;
	} else {
		m->s_axis_net_rx_tvalid = 0;
	}
	m->s_axis_host_tx_tvalid = 0;
	m->s_axis_ctx_cmd_tvalid = 0;
	m->m_axis_dma_hdr_tready = 1;
	m->m_axis_dma_tready = 1;
	m->m_axis_net_tx_tready = 1;
	m->m_axis_evt_tready = 1;
	m->m_axis_ctx_res_tready = 0;
}

/* sample the handshakes before the edge, then clock */
static void tick(void)
{
	m->eval();
	if (m->s_axis_net_rx_tvalid) {
		if (!m->s_axis_net_rx_tready) {
			rx_stalls++;
		} else if (m->s_axis_net_rx_tlast) {
			rx_pos++;
			rx_off = 0;
		} else {
			rx_off += 8;
		}
	}
	if (m->m_axis_dma_hdr_tvalid && m->m_axis_dma_hdr_tready) {
		const uint32_t *w = m->m_axis_dma_hdr_tdata;
		dma_item d;
		d.kind = (uint8_t)w[0];
		d.reason = (uint8_t)(w[0] >> 8);
		d.len = (uint16_t)(w[0] >> 16);
		d.slot = (uint16_t)w[1];
		d.seq = w[2];
		dma_desc.push_back(d);
	}
	if (m->m_axis_dma_tvalid && m->m_axis_dma_tready) {
		for (unsigned i = 0; i < 8; i++)
			if (m->m_axis_dma_tkeep >> i & 1)
				dma_data.push_back((uint8_t)(m->m_axis_dma_tdata >> (8 * i)));
		if (m->m_axis_dma_tlast) {
			dma_item d;
			if (!dma_desc.empty()) {
				d = dma_desc.front();
				dma_desc.pop_front();
			} else {
				d.kind = 0;   // data without a descriptor: never equal
			}
			d.data = dma_data;
			dma_got.push_back(d);
			dma_data.clear();
		}
	}
	if (m->m_axis_net_tx_tvalid && m->m_axis_net_tx_tready) {
		for (unsigned i = 0; i < 8; i++)
			if (m->m_axis_net_tx_tkeep >> i & 1)
				wire_cur.push_back((uint8_t)(m->m_axis_net_tx_tdata >> (8 * i)));
		if (m->m_axis_net_tx_tlast) {
			if (m->m_axis_net_tx_tuser)
				wire_got.push_back(wire_cur);
			else
				wire_host++;
			wire_cur.clear();
		}
	}
	if (m->m_axis_evt_tvalid && m->m_axis_evt_tready)
		evt_got.push_back(m->m_axis_evt_tdata);
	m->clk = 1;
	m->eval();
	m->clk = 0;
	m->eval();
	cycle++;
}

static void step(int n)
{
	while (n-- > 0) {
		drive();
		tick();
	}
}

/* feed the queued frames, then let every output out (the DMA writer may
 * be a few jumbo frames behind); the cycle count of the feeding only */
static uint64_t run(void)
{
	uint64_t c0 = cycle, fed;

	for (int n = 0; n < 1000000 && rx_pos < rx_q.size(); n++)
		step(1);
	fed = cycle - c0;
	step(3000);
	return fed;
}

/* ---- AXI4-Lite and the context port ---- */

static int axil_write(uint32_t addr, uint32_t val)
{
	m->s_axil_awaddr = addr;
	m->s_axil_wdata = val;
	m->s_axil_wstrb = 0xf;
	m->s_axil_awvalid = 1;
	m->s_axil_wvalid = 1;
	m->s_axil_bready = 1;
	for (int n = 0; n < 40; n++) {
		drive();
		m->eval();
		int aw = m->s_axil_awready, b = m->s_axil_bvalid, resp = m->s_axil_bresp;
		tick();
		if (aw)
			m->s_axil_awvalid = m->s_axil_wvalid = 0;
		if (b) {
			m->s_axil_bready = 0;
			return resp;
		}
	}
	return -1;
}

static uint32_t counter(int idx)
{
	uint32_t v = 0xdeadbeef;

	m->s_axil_araddr = TT_REG_COUNTER_BASE + 4 * (uint32_t)idx;
	m->s_axil_arvalid = 1;
	m->s_axil_rready = 1;
	for (int n = 0; n < 40; n++) {
		drive();
		m->eval();
		int ar = m->s_axil_arready, r = m->s_axil_rvalid;
		uint32_t d = m->s_axil_rdata;
		tick();
		if (ar)
			m->s_axil_arvalid = 0;
		if (r) {
			v = d;
			break;
		}
	}
	m->s_axil_rready = 0;
	return v;
}

struct result {
	int8_t status;
	uint16_t slot;
	uint8_t rec[64];
};

static struct result ctx_cmd(uint8_t op, uint16_t slot, const uint8_t *rec)
{
	struct result r = { -99, 0, { 0 } };
	int sent = 0;

	for (int n = 0; n < 10000; n++) {
		drive();
		m->s_axis_ctx_cmd_tvalid = !sent;
		m->s_axis_ctx_cmd_tdata[0] = (uint32_t)op | (uint32_t)slot << 16;
		for (int i = 0; i < 16; i++)
			m->s_axis_ctx_cmd_tdata[1 + i] = rec ? (uint32_t)rec[4 * i] |
				(uint32_t)rec[4 * i + 1] << 8 | (uint32_t)rec[4 * i + 2] << 16 |
				(uint32_t)rec[4 * i + 3] << 24 : 0;
		m->m_axis_ctx_res_tready = 1;
		m->eval();
		if (m->s_axis_ctx_cmd_tready)
			sent = 1;
		if (m->m_axis_ctx_res_tvalid) {
			uint32_t w0 = m->m_axis_ctx_res_tdata[0];
			r.status = (int8_t)(w0 >> 8);
			r.slot = (uint16_t)(w0 >> 16);
			for (int i = 0; i < 64; i++)
				r.rec[i] = (uint8_t)(m->m_axis_ctx_res_tdata[2 + i / 4] >> (8 * (i % 4)));
			tick();
			return r;
		}
		tick();
	}
	return r;
}

/* ---- the reference ---- */

static struct tt_ctx ctx;           // the context as the C twin has it
static uint16_t slot;
static std::vector<dma_item> dma_want;
static std::vector<bytes> wire_want;
static std::vector<uint64_t> evt_want;
static uint32_t fast_want;          // fast retransmits the twin made

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* A segment from the peer; padded (Ethernet) or with options (TCP) at
 * times, which must never be delivered. */
static bytes segment(uint32_t seq, uint32_t ack, uint16_t wnd, uint8_t flags,
		     uint16_t len, int opts = 0, int pad = 0)
{
	bytes f(54 + 4 * opts + len + pad);
	uint8_t *p = f.data();
	uint32_t s;

	memcpy(p, team_mac, 6);
	memcpy(p + 6, "\x02\x11\x22\x33\x44\x55", 6);
	put16(p + 12, 0x0800);
	p[14] = 0x45;
	put16(p + 16, (uint32_t)(40 + 4 * opts + len));
	put16(p + 18, (uint32_t)rand());
	put16(p + 20, 0x4000);
	p[22] = 64;
	p[23] = 6;
	put32(p + 26, peer_ip);
	put32(p + 30, team_ip);
	put16(p + 34, ctx.remote_port);
	put16(p + 36, ctx.local_port);
	put32(p + 38, seq);
	put32(p + 42, ack);
	p[46] = (uint8_t)((5 + opts) << 4);
	p[47] = flags;
	put16(p + 48, wnd);
	memset(p + 54, 1, 4 * (size_t)opts);               /* NOPs */
	for (size_t i = 54 + 4 * (size_t)opts; i < f.size(); i++)
		p[i] = (uint8_t)rand();
	put16(p + 24, (uint16_t)~csum_fold(csum_add(0, p + 14, 20)));
	s = csum_pseudo(peer_ip, team_ip, 6, (uint16_t)(20 + 4 * opts + len));
	put16(p + 50, (uint16_t)~csum_fold(csum_add(s, p + 34, 20 + 4 * (size_t)opts + len)));
	return f;
}

/* Queue the segment and what the engine must make of it. gate: the ACK
 * is expected to be dropped. */
static void send(const bytes &f, int gate = 0)
{
	struct tcp_rx_seg s;
	struct tcp_rx_out o;
	unsigned hdr = 34 + 4 * (f[46] >> 4);

	s.seq = (uint32_t)f[38] << 24 | f[39] << 16 | f[40] << 8 | f[41];
	s.ack = (uint32_t)f[42] << 24 | f[43] << 16 | f[44] << 8 | f[45];
	s.wnd = (uint16_t)(f[48] << 8 | f[49]);
	s.flags = f[47];
	s.len = (uint16_t)(((f[16] << 8 | f[17]) - 20u) - 4u * (f[46] >> 4));
	uint32_t una0 = ctx.snd_una;
	struct tcp_cc_out cc = {};

	tcp_rx_segment(&ctx, &s, &o);
	if (o.len) {
		dma_item d;
		d.kind = TT_DMA_PAYLOAD;
		d.reason = 0;
		d.len = o.len;
		d.slot = slot;
		d.seq = o.seq;
		d.data.assign(f.begin() + hdr + o.off, f.begin() + hdr + o.off + o.len);
		dma_want.push_back(d);
	}
	if (o.acked)
		evt_want.push_back((uint64_t)ctx.snd_una << 32 | (uint64_t)slot << 8 | TT_EVT_ACKED);
	/* the follow-up (congestion step) */
	if (o.acked) {
		tcp_cc_new_ack(&ctx, ctx.snd_una - una0, &cc);
		tcp_timer_ack(&ctx);
	}
	if (o.dupack) {
		tcp_cc_dup_ack(&ctx, &cc);
		if (cc.what == TCP_CC_FAST_RETRANSMIT)
			fast_want++;
	}
	if (cc.retransmit)
		evt_want.push_back((uint64_t)cc.seq << 32 | (uint64_t)slot << 8 | TT_EVT_RETRANS);
	if (o.send_ack) {
		struct tcp_out_seg a_seg;
		bytes a(TCP_TX_HDR);

		tcp_out_ack(&ctx, &a_seg);
		tcp_tx_build(&ctx, team_mac, 0, a_seg.seq, NULL, 0, a.data());
		tcp_out_sent(&ctx, &a_seg);
		if (!gate)
			wire_want.push_back(a);
	}
	rx_q.push_back(f);
}

static int outputs_match(const char *what)
{
	int ok = dma_got.size() == dma_want.size() && wire_got == wire_want &&
		 evt_got == evt_want && dma_desc.empty() && dma_data.empty() && wire_host == 0;

	for (size_t i = 0; ok && i < dma_got.size(); i++) {
		const dma_item &a = dma_got[i], &b = dma_want[i];
		ok = a.kind == b.kind && a.reason == b.reason && a.len == b.len &&
		     a.slot == b.slot && a.seq == b.seq && a.data == b.data;
		if (!ok)
			printf("# %s: DMA write %zu: kind %u/%u len %u/%u seq %08x/%08x data %s\n",
			       what, i, a.kind, b.kind, a.len, b.len, a.seq, b.seq,
			       a.data == b.data ? "same" : "differs");
	}
	for (size_t i = 0; !ok && i < dma_got.size(); i++)
		printf("#   got DMA kind %u len %u seq %08x\n", dma_got[i].kind, dma_got[i].len,
		       dma_got[i].seq);
	for (size_t i = 0; !ok && i < dma_want.size(); i++)
		printf("#   want DMA kind %u len %u seq %08x\n", dma_want[i].kind, dma_want[i].len,
		       dma_want[i].seq);
	if (!ok)
		printf("# %s: %zu/%zu DMA writes, %zu/%zu engine frames (%s), %zu/%zu events, "
		       "%d host frames\n", what, dma_got.size(), dma_want.size(), wire_got.size(),
		       wire_want.size(), wire_got == wire_want ? "equal" : "differ",
		       evt_got.size(), evt_want.size(), wire_host);
	dma_got.clear();
	dma_want.clear();
	wire_got.clear();
	wire_want.clear();
	evt_got.clear();
	evt_want.clear();
	rx_q.clear();
	rx_pos = rx_off = 0;
	return ok;
}

/* The card's context equals the C twin's. */
static int context_matches(void)
{
	uint8_t want[64];
	struct result r = ctx_cmd(TT_CTX_SNAPSHOT, slot, NULL);

	tt_ctx_pack(&ctx, want);
	return r.status == 0 && !memcmp(r.rec, want, 64);
}

/* Replace the card's context with ctx (EXPORT, IMPORT). */
static int reinstall(void)
{
	uint8_t rec[64];
	struct result r = ctx_cmd(TT_CTX_EXPORT, slot, NULL);

	if (r.status != 0)
		return 0;
	tt_ctx_pack(&ctx, rec);
	r = ctx_cmd(TT_CTX_IMPORT, 0, rec);
	slot = r.slot;
	return r.status == 0;
}

/* ---- the cases ---- */

#define A 0x10
#define P 0x08

static void in_order(void)
{
	uint32_t r = ctx.rcv_nxt;

	send(segment(r, ctx.snd_una, 1000, A, 1460));
	send(segment(r + 1460, ctx.snd_una, 1000, A | P, 1460, 3));
	send(segment(r + 2920, ctx.snd_una, 1000, A, 1460));
	send(segment(r + 4380, ctx.snd_una, 1000, A | P, 7, 0, 6));
	run();
	tap(outputs_match("in order") && context_matches(),
	    "in order: payload (no options, no padding), ACK every second full segment and a short one");
}

static void drops_and_overlap(void)
{
	uint32_t r = ctx.rcv_nxt;

	send(segment(r - 300, ctx.snd_una, 1000, A, 300));         /* duplicate */
	send(segment(r + 1000, ctx.snd_una, 1000, A, 100));        /* out of order */
	send(segment(r - 40, ctx.snd_una, 1000, A | P, 100, 2));   /* 40 old */
	send(segment(r + 60, ctx.snd_una, 1000, A, 1460));
	send(segment(r + 1000, ctx.snd_una, 1000, A, 520));        /* 520 old */
	run();
	tap(outputs_match("drops") && context_matches(),
	    "duplicate, out of order, partial overlaps: head trimmed, dropped ones ACKed");
}

static void windows(void)
{
	uint32_t r;
	int ok;

	ctx.rcv_wnd = 3;
	ctx.rcv_wscale = 7;                                        /* 384 bytes */
	ok = reinstall();
	r = ctx.rcv_nxt;
	send(segment(r, ctx.snd_una, 1000, A, 1000));
	send(segment(r + 384, ctx.snd_una, 1000, A, 100, 1, 0));
	run();
	ok = ok && outputs_match("trim") && context_matches();
	tap(ok, "window trim: the tail beyond rcv_wnd << wscale dropped, ACK now");
	ctx.rcv_wnd = 0;
	ok = reinstall();
	r = ctx.rcv_nxt;
	send(segment(r, ctx.snd_una, 1000, A, 10));
	send(segment(r, ctx.snd_una, 1000, A, 0));
	run();
	ok = ok && outputs_match("zero window") && context_matches();
	ctx.rcv_wnd = 0xffff;
	ctx.rcv_wscale = 2;
	ok = ok && reinstall();
	tap(ok, "zero window: data dropped, ACK now; a pure ACK passes");
}

static void acks(void)
{
	uint32_t r = ctx.rcv_nxt, una = ctx.snd_una;
	uint32_t dup0 = counter(TT_CNT_ENG_DUPACKS), unsent0 = counter(TT_CNT_ENG_ACK_UNSENT);
	uint32_t acked0 = counter(TT_CNT_ENG_ACKED);

	send(segment(r, una + 100, 2000, A, 0));                    /* acks 100 */
	for (int i = 0; i < 4; i++)
		send(segment(r, una + 100, 2000, A, 0));            /* duplicates */
	send(segment(r, una + 100, 2000, A, 5));                    /* data: no dup */
	send(segment(r + 5, ctx.snd_nxt + 1, 2000, A, 0));          /* unsent */
	send(segment(r + 5, una + 50, 2000, A, 0));                 /* old */
	send(segment(r + 5, ctx.snd_nxt, 2100, A, 0));              /* acks all */
	run();
	int ok = outputs_match("acks") && context_matches();
	tap(ok && counter(TT_CNT_ENG_DUPACKS) == dup0 + 4 &&
	    counter(TT_CNT_ENG_ACK_UNSENT) == unsent0 + 1 && counter(TT_CNT_ENG_ACKED) == acked0 + 2,
	    "ACKs: ACKED events, duplicates counted (RFC 5681), unsent data answered");
}

static void round_trip(void)
{
	uint8_t want[64];
	struct result r;
	int ok;

	/* after all the traffic, EXPORT gives the C context, byte for byte */
	r = ctx_cmd(TT_CTX_EXPORT, slot, NULL);
	tt_ctx_pack(&ctx, want);
	ok = r.status == 0 && !memcmp(r.rec, want, 64);
	r = ctx_cmd(TT_CTX_SNAPSHOT, slot, NULL);
	ok = ok && r.status == -3;
	/* imported again, it goes on from there */
	r = ctx_cmd(TT_CTX_IMPORT, 0, want);
	ok = ok && r.status == 0;
	slot = r.slot;
	send(segment(ctx.rcv_nxt, ctx.snd_una, 1000, A, 1460));
	send(segment(ctx.rcv_nxt + 1460, ctx.snd_una, 1000, A, 1460));
	run();
	ok = ok && outputs_match("round trip") && context_matches();
	tap(ok, "context round trip: EXPORT after traffic equals the C context, IMPORT goes on");
}

static void line_rate(void)
{
	uint64_t c0, s0;

	int ok;

	/* 64-byte segments (10 bytes of payload), back to back, one slot;
	 * the send window as it is (a change would kick the scheduler) */
	for (int i = 0; i < 256; i++)
		send(segment(ctx.rcv_nxt, ctx.snd_una, ctx.snd_wnd, A, 10));
	s0 = rx_stalls;
	c0 = run();
	ok = rx_stalls == s0 && c0 <= 256 * 8 + 1;
	printf("# 256 segments of 64 bytes (each ACKed) in %llu cycles, %llu stalls\n",
	       (unsigned long long)c0, (unsigned long long)(rx_stalls - s0));
	ok = outputs_match("64-byte") && context_matches() && ok;
	tap(ok, "line rate: 64-byte segments of one slot every 8 cycles, each delivered and ACKed");

	/* 54-byte old ACKs (no congestion step): one every 7 cycles */
	ctx.snd_nxt = ctx.snd_una + 100000;
	ok = reinstall();
	for (int i = 0; i < 256; i++)
		send(segment(ctx.rcv_nxt, ctx.snd_una - 7, ctx.snd_wnd, A, 0));
	s0 = rx_stalls;
	c0 = run();
	ok = ok && rx_stalls == s0 && c0 <= 256 * 7 + 1;
	printf("# 256 old ACKs of 54 bytes in %llu cycles, %llu stalls\n",
	       (unsigned long long)c0, (unsigned long long)(rx_stalls - s0));
	ok = outputs_match("54-byte old") && context_matches() && ok;
	tap(ok, "line rate: 54-byte old ACKs of one slot every 7 cycles");

	/* 54-byte ACKs each advancing snd_una: each an ACKED event and a
	 * congestion step, which the transmit engine applies between two
	 * received frames (the input waits for it) */
	for (int i = 0; i < 256; i++)
		send(segment(ctx.rcv_nxt, ctx.snd_una + 7, 1000, A, 0));
	s0 = rx_stalls;
	c0 = run();
	printf("# 256 ACKs of new data, 54 bytes, in %llu cycles, %llu stalls\n",
	       (unsigned long long)c0, (unsigned long long)(rx_stalls - s0));
	ok = outputs_match("54-byte new") && context_matches();
	tap(ok, "54-byte ACKs of new data back to back: each an ACKED event and its congestion step");
}

/* Revision 1.3: the ACK's sequence, the follow-up's ACK, fast retransmit. */
static void congestion_steps(void)
{
	uint32_t fast0 = counter(TT_CNT_ENG_FAST_RETRANS);
	int ok;

	/* a go-back left snd_nxt behind recover: the ACK carries recover
	 * (the highest sequence sent); DELACK owed is paid */
	ctx.snd_una = 0x10000000u;
	ctx.snd_nxt = ctx.snd_una + 1000;
	ctx.recover = ctx.snd_una + 5000;
	ctx.snd_max = ctx.snd_una + 8000;
	ctx.snd_wnd = 4000;
	ctx.cwnd = 20000;
	ctx.ssthresh = 0xffffffffu;
	ctx.rto = 50;
	ctx.dupacks = 0;
	ctx.flags = TT_CTXF_VALID | TT_CTXF_ACK_PENDING | TT_CTXF_DELACK;
	ok = reinstall();
	send(segment(ctx.rcv_nxt, ctx.snd_una, 4000, A, 100));
	run();
	ok = ok && outputs_match("ACK at recover") && context_matches();
	tap(ok, "pure ACK at tcp_out_high (recover ahead of snd_nxt), DELACK cleared");

	/* new data acknowledged with payload: ACKED, then the congestion
	 * step and its timer, then the ACK */
	send(segment(ctx.rcv_nxt, ctx.snd_una + 700, 4000, A, 30));
	run();
	ok = outputs_match("follow-up ACK") && context_matches();
	tap(ok, "ACK of new data with payload: ACKED, congestion step, then the ACK");

	/* duplicate ACKs one at a time: the third is a fast retransmit */
	ctx.recover = ctx.snd_una - 1;
	ctx.snd_nxt = ctx.snd_una + 3000;
	ctx.flags = TT_CTXF_VALID;
	ok = reinstall();
	for (int i = 0; i < 4; i++) {
		send(segment(ctx.rcv_nxt, ctx.snd_una, 4000, A, 0));
		run();
	}
	ok = ok && outputs_match("dupacks") && context_matches();
	tap(ok && fast_want == 1 && counter(TT_CNT_ENG_FAST_RETRANS) == fast0 + 1,
	    "third duplicate ACK: fast retransmit, RETRANS event, ENG_FAST_RETRANS");

	/* back to back: the third one still decides although the fourth
	 * came in before its step */
	ctx.flags = TT_CTXF_VALID;
	ctx.recover = ctx.snd_una - 1;
	ctx.snd_nxt = ctx.snd_una + 3000;
	ctx.dupacks = 0;
	ctx.cwnd = 20000;
	ok = reinstall();
	for (int i = 0; i < 5; i++)
		send(segment(ctx.rcv_nxt, ctx.snd_una, 4000, A, 0));
	run();
	ok = ok && outputs_match("dupacks back to back") && context_matches();
	tap(ok && fast_want == 2 && counter(TT_CNT_ENG_FAST_RETRANS) == fast0 + 2,
	    "duplicate ACKs back to back: the third one's step retransmits");
}

static void ack_gate(void)
{
	uint32_t link0 = counter(TT_CNT_TX_DROP_LINK_DOWN);
	uint32_t dis0 = counter(TT_CNT_TX_DROP_DISABLED);
	int ok;

	/* the link goes down after the segment's last beat, before its ACK */
	send(segment(ctx.rcv_nxt, ctx.snd_una, 1000, A, 10), 1);
	for (int n = 0; n < 1000 && rx_pos < rx_q.size(); n++)
		step(1);
	step(3);
	m->link_up = 0;
	step(50);
	m->link_up = 1;
	step(50);
	evt_want.push_back((uint64_t)0 << 32 | (uint64_t)TT_SLOT_NONE << 8 | TT_EVT_LINK);
	evt_want.push_back((uint64_t)1 << 32 | (uint64_t)TT_SLOT_NONE << 8 | TT_EVT_LINK);
	ok = outputs_match("link gate") && context_matches();
	ok = ok && counter(TT_CNT_TX_DROP_LINK_DOWN) == link0 + 1 &&
	     counter(TT_CNT_ENG_ACKS_DROPPED) == 1;
	/* the card is disabled while a long segment comes in */
	send(segment(ctx.rcv_nxt, ctx.snd_una, 1000, A, 1400), 1);
	step(20);
	ok = ok && axil_write(TT_REG_CTRL, 0) == 0;
	run();
	ok = ok && outputs_match("enable gate") && context_matches();
	ok = ok && counter(TT_CNT_TX_DROP_DISABLED) == dis0 + 1 &&
	     counter(TT_CNT_ENG_ACKS_DROPPED) == 2 && axil_write(TT_REG_CTRL, 1) == 0;
	tap(ok, "ACK gate: link down or card disabled before the ACK drops it, counted");
}

int main(int argc, char **argv)
{
	VerilatedContext *vctx = new VerilatedContext;
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;
	uint8_t rec[64];

	vctx->commandArgs(argc, argv);
	m = new Vtoe_nic{vctx};
	printf("# rx_engine seed %u\n", seed);
	srand(seed);
	m->link_up = 1;
	m->rst = 1;
	step(4);
	m->rst = 0;
	step(4);
	axil_write(TT_REG_MAC_HI, (uint32_t)team_mac[0] << 8 | team_mac[1]);
	axil_write(TT_REG_MAC_LO, (uint32_t)team_mac[2] << 24 | (uint32_t)team_mac[3] << 16 |
		   (uint32_t)team_mac[4] << 8 | team_mac[5]);
	axil_write(TT_REG_IPV4, team_ip);
	for (uint32_t i = 0; i < 4; i++)
		axil_write(TT_REG_HASH_KEY0 + 4 * i, (uint32_t)rand() * 2654435761u);
	axil_write(TT_REG_CTRL, 1);
	step(8200);          /* the table clears itself (any CONN_SLOTS) */
	evt_got.clear();

	memset(&ctx, 0, sizeof(ctx));
	ctx.version = TT_CTX_VERSION;
	ctx.flags = TT_CTXF_VALID;
	ctx.state = TT_TCP_ESTABLISHED;
	ctx.remote_ip = peer_ip;
	ctx.local_ip = team_ip;
	ctx.remote_port = 40000 + (uint16_t)(rand() % 1000);
	ctx.local_port = 80;
	ctx.mss = 1460;
	ctx.peer_mac = 0x5544332211aaull;
	ctx.snd_una = 0xfffff000u;
	ctx.snd_nxt = 0x00000800u;
	ctx.snd_wnd = 1000;
	ctx.rcv_nxt = 0xffffe000u + (uint32_t)(rand() % 100);   /* wraps soon */
	ctx.rcv_wnd = 0xffff;
	ctx.rcv_wscale = 2;
	ctx.ip_id = 0xfff0;
	tt_ctx_pack(&ctx, rec);
	struct result r = ctx_cmd(TT_CTX_IMPORT, 0, rec);
	slot = r.slot;
	tap(r.status == 0 && context_matches(), "a context imported");

	in_order();
	drops_and_overlap();
	windows();
	acks();
	round_trip();
	line_rate();
	congestion_steps();
	ack_gate();
	tap(counter(TT_CNT_EXC_UNHANDLED) == 0 && counter(TT_CNT_EXC_NO_MATCH) == 0,
	    "no segment of the connection went to the host");

	m->final();
	delete m;
	delete vctx;
	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
