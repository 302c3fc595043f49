// SPDX-License-Identifier: MIT
/*
 * Smoke test of the whole card rtl/toe_nic.v: registers over AXI4-Lite,
 * random RX frames back to back with random back-pressure on the DMA
 * outputs (exceptions must arrive whole and in order, drops counted), host
 * TX with a stalling wire, link events and EVT_DROP. Prints TAP lines and
 * "N passed, N failed"; exits non-zero on any failure. The random seed is
 * printed and can be given as the first argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include "Vtoe_nic.h"
#include "teamtoe/defs.h"

#define NFRAMES 300
#define FMAX 10000

static int n_test, n_fail;

static void tap(int ok, const char *name)
{
	n_test++;
	if (!ok)
		n_fail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", n_test, name);
}

static void tap_eq(uint32_t got, uint32_t want, const char *name)
{
	char buf[200];

	snprintf(buf, sizeof(buf), "%s (got %u, want %u)", name, got, want);
	tap(got == want, got == want ? name : buf);
}

static Vtoe_nic *m;

/* ---- frames ---- */

struct frame {
	uint8_t d[FMAX];
	size_t len;
	int drop, reason;
};

static const uint8_t team_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint32_t team_ip = 0x0a000001;

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static uint32_t sum_add(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t sum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void make_tcp(struct frame *f, size_t payload)
{
	uint8_t *p = f->d;
	size_t i;
	uint32_t s;

	memcpy(p, team_mac, 6);
	memcpy(p + 6, "\x02\x11\x22\x33\x44\x55", 6);
	put16(p + 12, 0x0800);
	p[14] = 0x45;
	p[15] = 0;
	put16(p + 16, (unsigned)(40 + payload));
	put16(p + 18, (unsigned)rand());
	put16(p + 20, 0x4000);
	p[22] = 64;
	p[23] = 6;
	put16(p + 24, 0);
	put32(p + 26, 0x0a000002);
	put32(p + 30, team_ip);
	for (i = 34; i < 54 + payload; i++)
		p[i] = (uint8_t)rand();
	p[46] = 0x50;
	put16(p + 50, 0);
	put16(p + 24, (uint16_t)~sum_fold(sum_add(0, p + 14, 20)));
	s = sum_add(0, p + 26, 8) + 6 + 20 + (uint32_t)payload;
	s = sum_add(s, p + 34, 20 + payload);
	put16(p + 50, (uint16_t)~sum_fold(s));
	f->len = 54 + payload;
	f->drop = 0;
	f->reason = 5;          /* NO_MATCH */
}

static void make_random(struct frame *f)
{
	int kind = rand() % 8;
	size_t i;

	make_tcp(f, (size_t)(rand() % 200));
	switch (kind) {
	case 0: case 1:
		break;
	case 2:                 /* ARP-ish */
		put16(f->d + 12, 0x0806);
		f->len = 14 + (size_t)(rand() % 60);
		f->reason = 1;
		break;
	case 3:                 /* bad TCP csum */
		f->d[52] ^= 0x40;
		f->drop = 1;
		f->reason = 8;
		break;
	case 4:                 /* not for us */
		f->d[3] ^= 0x10;
		f->drop = 1;
		f->reason = 4;
		break;
	case 5:                 /* truncated */
		f->len = 1 + (size_t)(rand() % 13);
		f->drop = 1;
		f->reason = 3;
		break;
	case 6:                 /* oversize */
		f->len = 9217 + (size_t)(rand() % 700);
		for (i = 54; i < f->len; i++)
			f->d[i] = (uint8_t)i;
		f->drop = 1;
		f->reason = 2;
		break;
	case 7:                 /* big valid */
		make_tcp(f, 9216 - 54 - (size_t)(rand() % 3));
		break;
	}
}

/* ---- clocking and streams ---- */

static struct frame rx[NFRAMES];
static int rx_idx = NFRAMES;
static size_t rx_off;

static struct frame tx[40];
static int tx_n, tx_idx;
static size_t tx_off;

/* DMA capture */
static uint8_t dma_buf[FMAX];
static size_t dma_off;
static int hdr_n, dma_n, dma_err;
static uint32_t hdr_len[NFRAMES], hdr_reason[NFRAMES];
static int exc_list[NFRAMES], exc_n;

/* wire capture */
static uint8_t wire_buf[FMAX];
static size_t wire_off;
static int wire_n, wire_err;
static int pass_list[40], pass_n;

static int evt_n;
static uint64_t evt[64];

static int dma_always_ready = 0, rnd_ready_wire = 1, evt_ready;

static void drive_rx(void)
{
	if (rx_idx < NFRAMES) {
		const struct frame *f = &rx[rx_idx];
		uint64_t d = 0;
		unsigned keep = 0, i;

		for (i = 0; i < 8 && rx_off + i < f->len; i++) {
			d |= (uint64_t)f->d[rx_off + i] << (8 * i);
			keep |= 1u << i;
		}
		m->s_axis_net_rx_tdata = d;
		m->s_axis_net_rx_tkeep = keep;
		m->s_axis_net_rx_tlast = rx_off + 8 >= f->len;
		m->s_axis_net_rx_tvalid = 1;
	} else {
		m->s_axis_net_rx_tvalid = 0;
	}
	if (tx_idx < tx_n) {
		const struct frame *f = &tx[tx_idx];
		uint64_t d = 0;
		unsigned keep = 0, i;

		for (i = 0; i < 8 && tx_off + i < f->len; i++) {
			d |= (uint64_t)f->d[tx_off + i] << (8 * i);
			keep |= 1u << i;
		}
		m->s_axis_host_tx_tdata = d;
		m->s_axis_host_tx_tkeep = keep;
		m->s_axis_host_tx_tlast = tx_off + 8 >= f->len;
		m->s_axis_host_tx_tvalid = 1;
	} else {
		m->s_axis_host_tx_tvalid = 0;
	}
	m->m_axis_dma_hdr_tready = dma_always_ready ? 1 : (rand() & 3) != 0;
	m->m_axis_dma_tready = dma_always_ready ? 1 : (rand() & 3) != 0;
	m->m_axis_net_tx_tready = rnd_ready_wire ? (rand() % 5) == 0 : 1;
	m->m_axis_evt_tready = evt_ready;
}

/* one clock: sample handshakes before the edge, then clock */
static void step(void)
{
	unsigned i;

	drive_rx();
	m->eval();

	if (m->s_axis_net_rx_tvalid && m->s_axis_net_rx_tready) {
		if (m->s_axis_net_rx_tlast) {
			rx_idx++;
			rx_off = 0;
		} else {
			rx_off += 8;
		}
	}
	if (m->s_axis_host_tx_tvalid && m->s_axis_host_tx_tready) {
		if (m->s_axis_host_tx_tlast) {
			tx_idx++;
			tx_off = 0;
		} else {
			tx_off += 8;
		}
	}
	if (m->m_axis_dma_hdr_tvalid && m->m_axis_dma_hdr_tready) {
		const uint32_t *w = m->m_axis_dma_hdr_tdata;
		if ((w[0] & 0xff) != 1 || (w[1] & 0xffff) != 0xffff || w[1] >> 16 || w[2] || w[3])
			dma_err++;
		if (hdr_n < NFRAMES) {
			hdr_reason[hdr_n] = (w[0] >> 8) & 0xff;
			hdr_len[hdr_n] = w[0] >> 16;
		}
		hdr_n++;
	}
	if (m->m_axis_dma_tvalid && m->m_axis_dma_tready) {
		for (i = 0; i < 8; i++) {
			if (m->m_axis_dma_tkeep >> i & 1) {
				if (dma_off < FMAX)
					dma_buf[dma_off] = (uint8_t)(m->m_axis_dma_tdata >> (8 * i));
				dma_off++;
			}
		}
		if (m->m_axis_dma_tlast) {
			if (dma_n >= hdr_n || dma_n >= exc_n) {
				dma_err++;
			} else {
				const struct frame *f = &rx[exc_list[dma_n]];
				if (dma_off != f->len || memcmp(dma_buf, f->d, f->len) ||
				    hdr_len[dma_n] != f->len || hdr_reason[dma_n] != (uint32_t)f->reason) {
					printf("# DMA frame %d (rx %d) differs: len %zu/%zu\n",
					       dma_n, exc_list[dma_n], dma_off, f->len);
					dma_err++;
				}
			}
			dma_n++;
			dma_off = 0;
		}
	}
	if (m->m_axis_net_tx_tvalid && m->m_axis_net_tx_tready) {
		for (i = 0; i < 8; i++)
			if (m->m_axis_net_tx_tkeep >> i & 1) {
				if (wire_off < FMAX)
					wire_buf[wire_off] = (uint8_t)(m->m_axis_net_tx_tdata >> (8 * i));
				wire_off++;
			}
		if (m->m_axis_net_tx_tlast) {
			if (wire_n >= pass_n) {
				wire_err++;
			} else {
				const struct frame *f = &tx[pass_list[wire_n]];
				if (wire_off != f->len || memcmp(wire_buf, f->d, f->len))
					wire_err++;
			}
			wire_n++;
			wire_off = 0;
		}
	}
	if (m->m_axis_evt_tvalid && m->m_axis_evt_tready && evt_n < 64)
		evt[evt_n++] = m->m_axis_evt_tdata;

	m->clk = 1;
	m->eval();
	m->clk = 0;
	m->eval();
}

/* ---- AXI4-Lite ---- */

static int axil_write(uint32_t addr, uint32_t val)
{
	int n, resp;

	m->s_axil_awaddr = addr;
	m->s_axil_wdata = val;
	m->s_axil_wstrb = 0xf;
	m->s_axil_awvalid = 1;
	m->s_axil_wvalid = 1;
	m->s_axil_bready = 1;
	for (n = 0; n < 20; n++) {
		m->eval();
		if (m->s_axil_awready) {
			step();
			break;
		}
		step();
	}
	m->s_axil_awvalid = 0;
	m->s_axil_wvalid = 0;
	for (n = 0; n < 20; n++) {
		m->eval();
		if (m->s_axil_bvalid) {
			resp = m->s_axil_bresp;
			step();
			m->s_axil_bready = 0;
			return resp;
		}
		step();
	}
	return -1;
}

static int axil_read(uint32_t addr, uint32_t *val)
{
	int n, resp;

	m->s_axil_araddr = addr;
	m->s_axil_arvalid = 1;
	m->s_axil_rready = 1;
	for (n = 0; n < 20; n++) {
		m->eval();
		if (m->s_axil_arready) {
			step();
			break;
		}
		step();
	}
	m->s_axil_arvalid = 0;
	for (n = 0; n < 20; n++) {
		m->eval();
		if (m->s_axil_rvalid) {
			*val = m->s_axil_rdata;
			resp = m->s_axil_rresp;
			step();
			m->s_axil_rready = 0;
			return resp;
		}
		step();
	}
	return -1;
}

static uint32_t counter(int idx)
{
	uint32_t v = 0xdeadbeef;

	axil_read(0x100 + 4 * (uint32_t)idx, &v);
	return v;
}

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1u;
	uint32_t v, cnt_drop[9] = { 0 }, cnt_exc[8] = { 0 }, rx_bytes = 0, tx_bytes = 0;
	int i, n, resp, ok;
	uint32_t rx_beats = 0, rx_cycles = 0;
	uint32_t want_tx_frames = 0, want_tx_drop_link = 0, want_tx_drop_dis = 0;

	VerilatedContext *ctx = new VerilatedContext;
	ctx->commandArgs(argc, argv);
	m = new Vtoe_nic(ctx);

	printf("# toe_nic seed %u\n", seed);
	srand(seed);

	m->clk = 0;
	m->rst = 1;
	m->link_up = 0;
	step();
	step();
	m->rst = 0;
	step();

	/* registers */
	resp = axil_read(0x000, &v);
	tap(resp == 0 && v == 0x54544f45, "ID reads TT_CARD_ID_VALUE");
	resp = axil_read(0x004, &v);
	tap(resp == 0 && v == 0x00010000, "VERSION reads TT_CARD_VERSION");
	resp = axil_read(0x010, &v);
	tap(resp == 0 && v == 0, "CTRL resets to 0");
	tap(axil_read(0x008, &v) == 2, "unmapped read answers SLVERR");
	tap(axil_read(0x102, &v) == 2, "unaligned read answers SLVERR");
	tap(axil_read(0x100 + 4 * TT_COUNTER_COUNT, &v) == 2, "read past the counters answers SLVERR");
	tap(axil_read(0x11c, &v) == 0 && v == 0, "unused counter index 7 reads 0");
	tap(axil_write(0x000, 1) == 2, "write to ID answers SLVERR");
	tap(axil_write(0x100, 1) == 2 && counter(0) == 0, "write to a counter answers SLVERR, changes nothing");
	tap(axil_write(0x01c, (uint32_t)team_mac[0] << 8 | team_mac[1]) == 0 &&
	    axil_write(0x020, (uint32_t)team_mac[2] << 24 | (uint32_t)team_mac[3] << 16 |
		       (uint32_t)team_mac[4] << 8 | team_mac[5]) == 0 &&
	    axil_write(0x024, team_ip) == 0 && axil_write(0x018, 7) == 0 &&
	    axil_write(0x028, 1000) == 0, "write MAC, IPv4, CARD_ID, TIMER_SCALE");
	tap(axil_read(0x020, &v) == 0 && v == 0x5e102030, "MAC_LO reads back");
	tap(axil_read(0x028, &v) == 0 && v == 1000, "TIMER_SCALE reads back");

	/* link up: one event, STATUS follows */
	m->link_up = 1;
	evt_ready = 1;
	for (i = 0; i < 5; i++)
		step();
	tap(evt_n == 1 && evt[0] == ((uint64_t)1 << 32 | 0xffff00 | 1), "link up queues LINK event value 1");
	tap(axil_read(0x014, &v) == 0 && v == 1, "STATUS bit 0 = link up");

	/* RX while disabled: dropped DISABLED */
	make_tcp(&rx[0], 10);
	rx[0].drop = 1;
	rx[0].reason = 1;
	rx_idx = NFRAMES - 1;
	rx[NFRAMES - 1] = rx[0];
	rx_off = 0;
	for (i = 0; i < 20; i++)
		step();
	tap(counter(9) == 1, "frame while disabled counts DROP_DISABLED");
	rx_bytes += (uint32_t)rx[0].len;

	tap(axil_write(0x010, 1) == 0 && axil_read(0x010, &v) == 0 && v == 1, "CTRL enable set");

	/* random RX traffic, back to back, random DMA back-pressure */
	for (i = 0; i < NFRAMES; i++) {
		make_random(&rx[i]);
		rx_bytes += (uint32_t)rx[i].len;
		if (rx[i].drop)
			cnt_drop[rx[i].reason]++;
		else {
			cnt_exc[rx[i].reason]++;
			exc_list[exc_n++] = i;
		}
	}
	rx_idx = 0;
	rx_off = 0;
	dma_always_ready = argc > 2;      /* 2nd argument: DMA never stalls */
	for (n = 0; n < 2000000 && (rx_idx < NFRAMES || dma_n < exc_n); n++) {
		step();
		if (rx_idx == NFRAMES && !rx_cycles)
			rx_cycles = n + 1;
	}
	for (i = 0; i < NFRAMES; i++)
		rx_beats += (uint32_t)(rx[i].len + 7) / 8;
	printf("# RX: %u beats accepted in %u cycles\n", rx_beats, rx_cycles);
	dma_always_ready = 0;
	for (i = 0; i < 50; i++)
		step();
	tap(rx_idx == NFRAMES, "all RX frames consumed (no deadlock)");
	tap(dma_n == exc_n && hdr_n == exc_n && dma_err == 0, "exceptions delivered whole, in order, with descriptors");
	tap_eq(counter(0), NFRAMES + 1, "RX_FRAMES");
	tap_eq(counter(1), rx_bytes, "RX_BYTES");
	ok = 1;
	for (i = 2; i <= 8; i++)
		if (counter(8 + i) != cnt_drop[i]) {
			printf("# DROP %d: got %u want %u\n", i, counter(8 + i), cnt_drop[i]);
			ok = 0;
		}
	for (i = 1; i <= 7; i++)
		if (counter(16 + i) != cnt_exc[i]) {
			printf("# EXC %d: got %u want %u\n", i, counter(16 + i), cnt_exc[i]);
			ok = 0;
		}
	tap(ok, "DROP_* and EXC_* counters");

	/* TX with a stalling wire; link drops in the middle */
	for (i = 0; i < 40; i++) {
		size_t j;
		tx[i].len = 1 + (size_t)(rand() % 300);
		for (j = 0; j < tx[i].len; j++)
			tx[i].d[j] = (uint8_t)rand();
	}
	tx_n = 20;
	for (n = 0; n < 200000 && tx_idx < tx_n; n++) {
		int before = tx_idx;
		size_t off_before = tx_off;
		step();
		if (off_before == 0 && (tx_idx != before || tx_off != 0)) {
			pass_list[pass_n++] = before;
			want_tx_frames++;
			tx_bytes += (uint32_t)tx[before].len;
		}
	}
	/* link down: frames dropped at full rate although the wire stalls */
	m->link_up = 0;
	rnd_ready_wire = 0;
	m->m_axis_net_tx_tready = 0;
	tx_n = 30;
	for (n = 0; n < 2000 && tx_idx < tx_n; n++) {
		drive_rx();
		m->m_axis_net_tx_tready = 0;
		m->eval();
		if (m->s_axis_host_tx_tvalid && m->s_axis_host_tx_tready && m->s_axis_host_tx_tlast)
			want_tx_drop_link++;
		rnd_ready_wire = 0;
		step();
	}
	tap(tx_idx == 30, "host frames with link down are consumed while the wire stalls");
	/* link up, disabled */
	m->link_up = 1;
	rnd_ready_wire = 1;
	axil_write(0x010, 0);
	tx_n = 40;
	for (n = 0; n < 20000 && tx_idx < tx_n; n++)
		step();
	want_tx_drop_dis = 10;
	for (i = 0; i < 200; i++)
		step();
	tap(wire_n == pass_n && wire_err == 0, "forwarded host frames reach the wire unchanged");
	tap_eq(counter(2), want_tx_frames, "TX_FRAMES");
	tap_eq(counter(3), tx_bytes, "TX_BYTES");
	tap_eq(counter(4), want_tx_drop_link, "TX_DROP_LINK_DOWN");
	tap_eq(counter(5), want_tx_drop_dis, "TX_DROP_DISABLED");

	/* events: queue of 16, host not reading */
	evt_ready = 0;
	for (i = 0; i < 40; i++) {
		m->link_up = !m->link_up;
		step();
		step();
	}
	/* 2 events (down, up) are already out; 16 more fit */
	tap_eq(counter(6), 40 - 16, "EVT_DROP counts events lost to a full queue");
	evt_ready = 1;
	for (i = 0; i < 40; i++)
		step();
	tap_eq((uint32_t)evt_n, 2 + 1 + 16, "queued events drain");

	m->final();
	delete m;
	delete ctx;

	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
