// SPDX-License-Identifier: MIT
/*
 * Smoke test of the whole card rtl/toe_nic.v: registers over AXI4-Lite,
 * random RX frames back to back with random back-pressure on the DMA
 * outputs (exceptions must arrive whole and in order, drops counted), host
 * TX with a stalling wire, link events and EVT_DROP; then revision 1.1:
 * the context port (IMPORT / EXPORT / SNAPSHOT with every status, a full
 * bucket, records round-tripping), lookups through the whole card
 * (NO_MATCH / TCP_FLAGS / UNHANDLED with the slot in the descriptor), and
 * the order of commands issued in the middle of back-to-back traffic.
 * Prints TAP lines and "N passed, N failed"; exits non-zero on any
 * failure. The random seed is printed and can be given as the first
 * argument. Works at any CONN_SLOTS (read from PARAMS).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verilated.h>
#include "Vtoe_nic.h"
#include "teamtoe/defs.h"

#define NFRAMES 300

/* register addresses (TT_REGS in teamtoe/defs.h) */
#define TT_REG_PARAMS 0x02cu
#define TT_REG_HASH_KEY0 0x040u
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

static void ctx_drive(void);
static void ctx_sample(void);

/* ---- frames ---- */

struct frame {
	uint8_t d[FMAX];
	size_t len;
	int drop, reason;       /* reason -1: not checked at delivery */
	int slot;               /* descriptor slot, -1: not checked */
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
	f->slot = 0xffff;
}

/* a 4-tuple, the peer's side first (src = remote, dst = local) */
struct tup {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
};

/* a valid TCP segment of the tuple with the given flags byte */
static void make_tcp_tuple(struct frame *f, size_t payload, const struct tup *t, uint8_t flags)
{
	uint8_t *p = f->d;
	uint32_t s;

	make_tcp(f, payload);
	put32(p + 26, t->src_ip);
	put32(p + 30, t->dst_ip);
	put16(p + 34, t->src_port);
	put16(p + 36, t->dst_port);
	p[47] = flags;
	put16(p + 24, 0);
	put16(p + 24, (uint16_t)~sum_fold(sum_add(0, p + 14, 20)));
	put16(p + 50, 0);
	s = sum_add(0, p + 26, 8) + 6 + 20 + (uint32_t)payload;
	s = sum_add(s, p + 34, 20 + payload);
	put16(p + 50, (uint16_t)~sum_fold(s));
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
static uint32_t hdr_len[NFRAMES], hdr_reason[NFRAMES], hdr_slot[NFRAMES];
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
	ctx_drive();
}

/* ---- context port ---- */

struct ctx_res {
	uint8_t op;
	int8_t status;
	uint16_t slot;
	uint32_t order;
	uint8_t rec[64];
};

#define RES_MAX 64
static int cmd_active;                  /* a command is offered */
static uint8_t cmd_op;
static uint16_t cmd_slot;
static uint8_t cmd_rec[64];
static struct ctx_res res[RES_MAX];
static int res_n, res_err;
static int res_ready = 1;
static int res_stall;                   /* random back-pressure on results */

static void ctx_drive(void)
{
	int i;

	m->s_axis_ctx_cmd_tvalid = cmd_active;
	m->s_axis_ctx_cmd_tdata[0] = (uint32_t)cmd_op | (uint32_t)cmd_slot << 16;
	for (i = 0; i < 16; i++)
		m->s_axis_ctx_cmd_tdata[1 + i] = (uint32_t)cmd_rec[4 * i] |
			(uint32_t)cmd_rec[4 * i + 1] << 8 | (uint32_t)cmd_rec[4 * i + 2] << 16 |
			(uint32_t)cmd_rec[4 * i + 3] << 24;
	m->m_axis_ctx_res_tready = res_stall ? (rand() % 3) == 0 : res_ready;
}

/* handshakes of the context port, before the edge */
static void ctx_sample(void)
{
	int i;

	if (m->s_axis_ctx_cmd_tvalid && m->s_axis_ctx_cmd_tready)
		cmd_active = 0;
	if (m->m_axis_ctx_res_tvalid && m->m_axis_ctx_res_tready) {
		if (res_n >= RES_MAX) {
			res_err++;
			return;
		}
		struct ctx_res *r = &res[res_n++];
		uint32_t w0 = m->m_axis_ctx_res_tdata[0];
		r->op = (uint8_t)w0;
		r->status = (int8_t)(w0 >> 8);
		r->slot = (uint16_t)(w0 >> 16);
		r->order = m->m_axis_ctx_res_tdata[1];
		for (i = 0; i < 64; i++)
			r->rec[i] = (uint8_t)(m->m_axis_ctx_res_tdata[2 + i / 4] >> (8 * (i % 4)));
	}
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
		if ((w[0] & 0xff) != 1 || w[1] >> 16 || w[2] || w[3])
			dma_err++;
		if (hdr_n < NFRAMES) {
			hdr_reason[hdr_n] = (w[0] >> 8) & 0xff;
			hdr_len[hdr_n] = w[0] >> 16;
			hdr_slot[hdr_n] = w[1] & 0xffff;
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
				    hdr_len[dma_n] != f->len ||
				    (f->reason >= 0 && hdr_reason[dma_n] != (uint32_t)f->reason) ||
				    (f->slot >= 0 && hdr_slot[dma_n] != (uint32_t)f->slot)) {
					printf("# DMA frame %d (rx %d) differs: len %zu/%zu reason %u/%d slot %u/%d\n",
					       dma_n, exc_list[dma_n], dma_off, f->len, hdr_reason[dma_n],
					       f->reason, hdr_slot[dma_n], f->slot);
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
	ctx_sample();

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

/* ---- revision 1.1: connection table and context port ---- */

static uint32_t conn_slots;
static uint32_t hkey[4];

/* Toeplitz over src|dst|sport|dport, key[0] = HASH_KEY0 (rtl/README.md) */
static uint32_t ref_hash(const uint32_t key[4], const struct tup *t)
{
	uint32_t in[3] = { t->src_ip, t->dst_ip, (uint32_t)t->src_port << 16 | t->dst_port };
	uint32_t h = 0;

	for (int i = 0; i < 96; i++) {
		if (!((in[i / 32] >> (31 - i % 32)) & 1))
			continue;
		int w = i / 32, b = i % 32;
		h ^= b ? key[w] << b | key[w + 1] >> (32 - b) : key[w];
	}
	return h;
}

static uint32_t bucket_of(const struct tup *t)
{
	return ref_hash(hkey, t) & (conn_slots / 4 - 1);
}

static uint32_t rnd32(void)
{
	return (uint32_t)rand() << 16 ^ (uint32_t)rand();
}

/* a random record of the tuple (little-endian fields, TT_CTX_FIELDS) */
static void make_rec(uint8_t rec[64], const struct tup *t, uint8_t version)
{
	int i;

	for (i = 0; i < 64; i++)
		rec[i] = (uint8_t)rand();
	rec[0] = version;
	for (i = 0; i < 4; i++) {
		rec[4 + i] = (uint8_t)(t->dst_ip >> (8 * i));   /* local_ip */
		rec[8 + i] = (uint8_t)(t->src_ip >> (8 * i));   /* remote_ip */
	}
	for (i = 0; i < 2; i++) {
		rec[12 + i] = (uint8_t)(t->dst_port >> (8 * i)); /* local_port */
		rec[14 + i] = (uint8_t)(t->src_port >> (8 * i)); /* remote_port */
	}
}

static void rand_tup(struct tup *t)
{
	t->src_ip = 0x0a000000u | (rnd32() & 0xffffff);
	t->dst_ip = team_ip;
	t->src_port = (uint16_t)rand();
	t->dst_port = (uint16_t)rand();
}

/* offer one command (the port takes it when it can) */
static void ctx_offer(uint8_t op, uint16_t slot, const uint8_t *rec)
{
	cmd_op = op;
	cmd_slot = slot;
	if (rec)
		memcpy(cmd_rec, rec, 64);
	else
		memset(cmd_rec, 0, 64);
	cmd_active = 1;
}

/* one command, run to its result; returns the result (or status 99) */
static struct ctx_res ctx_run(uint8_t op, uint16_t slot, const uint8_t *rec)
{
	struct ctx_res bad = { 0, 99, 0, 0, { 0 } };
	int before = res_n, n;

	ctx_offer(op, slot, rec);
	for (n = 0; n < 100000 && res_n == before; n++)
		step();
	return res_n > before ? res[res_n - 1] : bad;
}

/* send frames rx[0..nf-1] back to back and wait for their delivery */
static int run_frames(int nf, int always_ready)
{
	int i, n;

	exc_n = 0;
	for (i = 0; i < nf; i++)
		if (!rx[i].drop)
			exc_list[exc_n++] = i;
	hdr_n = dma_n = 0;
	dma_off = 0;
	dma_always_ready = always_ready;
	rx_idx = NFRAMES - nf;
	memmove(&rx[NFRAMES - nf], &rx[0], sizeof(rx[0]) * (size_t)nf);
	for (i = 0; i < exc_n; i++)
		exc_list[i] += NFRAMES - nf;
	rx_off = 0;
	for (n = 0; n < 1000000 && (rx_idx < NFRAMES || dma_n < exc_n); n++)
		step();
	dma_always_ready = 0;
	memmove(&rx[0], &rx[NFRAMES - nf], sizeof(rx[0]) * (size_t)nf);
	return rx_idx == NFRAMES && dma_n == exc_n && hdr_n == exc_n;
}

static void ctx_tests(void)
{
	struct ctx_res r;
	struct tup ta, tb, tc, same[5];
	uint8_t ra[64], rb[64], rc[64], rs[5][64], zero[64] = { 0 };
	uint32_t cnt[7] = { 0 }, base, v;
	int i, j, ok, nf;
	char name[200];

	/* enable, link up, a random key */
	m->link_up = 1;
	evt_ready = 1;
	for (i = 0; i < 4; i++)
		step();
	axil_write(0x010, 1);
	ok = 1;
	for (i = 0; i < 4; i++) {
		hkey[i] = rnd32();
		if (axil_write(TT_REG_HASH_KEY0 + 4 * (uint32_t)i, hkey[i]) != 0)
			ok = 0;
	}
	for (i = 0; i < 4; i++)
		if (axil_read(TT_REG_HASH_KEY0 + 4 * (uint32_t)i, &v) != 0 || v != hkey[i])
			ok = 0;
	tap(ok, "HASH_KEY0..3 write and read back");

	/* failures on an empty table */
	r = ctx_run(2, 5, NULL);
	cnt[5]++;
	tap(r.op == 2 && r.status == -3 && r.slot == 5 && !memcmp(r.rec, zero, 64),
	    "EXPORT of an empty slot: NOT FOUND (-3), slot echoed, record zero");
	r = ctx_run(3, 6, NULL);
	cnt[5]++;
	tap(r.op == 3 && r.status == -3 && r.slot == 6, "SNAPSHOT of an empty slot: NOT FOUND");
	r = ctx_run(2, (uint16_t)conn_slots, NULL);
	cnt[6]++;
	tap(r.status == -2 && r.slot == conn_slots, "EXPORT slot >= CONN_SLOTS: -2");
	r = ctx_run(3, 0xffff, NULL);
	cnt[6]++;
	tap(r.status == -2 && r.slot == 0xffff, "SNAPSHOT slot ffff: -2");
	rand_tup(&ta);
	make_rec(ra, &ta, 1);
	r = ctx_run(9, 3, ra);
	cnt[6]++;
	tap(r.op == 9 && r.status == -2 && r.slot == 3 && !memcmp(r.rec, zero, 64),
	    "unknown op 9: -2, record zero");
	make_rec(rb, &ta, 2);
	r = ctx_run(1, 7, rb);
	cnt[6]++;
	tap(r.op == 1 && r.status == -2 && r.slot == 7 && !memcmp(r.rec, rb, 64),
	    "IMPORT of record version 2: -2, record echoed, slot echoed");

	/* import, duplicate, snapshot */
	r = ctx_run(1, 0, ra);
	cnt[0]++;
	snprintf(name, sizeof(name), "IMPORT: ok, slot = bucket*4 + 0 (got %u, want %u)",
		 r.slot, bucket_of(&ta) * 4);
	tap(r.status == 0 && r.slot == bucket_of(&ta) * 4 && !memcmp(r.rec, ra, 64), name);
	uint16_t sa = r.slot;
	r = ctx_run(1, 0x1234, ra);
	cnt[4]++;
	tap(r.status == -10 && r.slot == 0x1234 && !memcmp(r.rec, ra, 64),
	    "IMPORT of the same tuple: EXISTS (-10), slot echoed");
	r = ctx_run(3, sa, NULL);
	cnt[2]++;
	tap(r.status == 0 && r.slot == sa && !memcmp(r.rec, ra, 64), "SNAPSHOT returns the 64 bytes imported");
	r = ctx_run(3, sa + 1, NULL);
	cnt[5]++;
	tap(r.status == -3, "SNAPSHOT of the next way: NOT FOUND");

	/* a full bucket: 4 more tuples of one bucket (other than ta's) */
	rand_tup(&same[0]);
	while (bucket_of(&same[0]) == bucket_of(&ta))
		rand_tup(&same[0]);
	for (i = 1; i < 5; i++)
		do
			rand_tup(&same[i]);
		while (bucket_of(&same[i]) != bucket_of(&same[0]));
	ok = 1;
	for (i = 0; i < 4; i++) {
		make_rec(rs[i], &same[i], 1);
		r = ctx_run(1, 0, rs[i]);
		cnt[0]++;
		if (r.status != 0 || r.slot != bucket_of(&same[0]) * 4 + (uint32_t)i) {
			printf("# way %d: status %d slot %u\n", i, r.status, r.slot);
			ok = 0;
		}
	}
	tap(ok, "4 tuples of one bucket take ways 0, 1, 2, 3");
	make_rec(rs[4], &same[4], 1);
	r = ctx_run(1, 0, rs[4]);
	cnt[3]++;
	tap(r.status == -4 && !memcmp(r.rec, rs[4], 64), "a 5th tuple of that bucket: FULL (-4)");
	r = ctx_run(2, (uint16_t)(bucket_of(&same[0]) * 4 + 1), NULL);
	cnt[1]++;
	tap(r.status == 0 && !memcmp(r.rec, rs[1], 64), "EXPORT of way 1 returns its record");
	r = ctx_run(1, 0, rs[4]);
	cnt[0]++;
	tap(r.status == 0 && r.slot == bucket_of(&same[0]) * 4 + 1, "the 5th tuple now takes the freed way 1");
	r = ctx_run(1, 0, rs[2]);
	cnt[4]++;
	tap(r.status == -10, "way 2's tuple still EXISTS");

	/* lookups through the card */
	rand_tup(&tb);
	nf = 0;
	/* (a hit with ACK set and none of SYN/FIN/RST/URG is the receive
	 * engine's since revision 1.2: rx_engine_tb) */
	make_tcp_tuple(&rx[nf++], 10, &ta, 0x00);            /* no flags */
	rx[nf - 1].reason = 7; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 0, &ta, 0x02);             /* SYN */
	rx[nf - 1].reason = 6; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 0, &ta, 0x11);             /* FIN ACK */
	rx[nf - 1].reason = 6; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 100, &ta, 0x04);           /* RST */
	rx[nf - 1].reason = 6; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 3, &ta, 0x30);             /* URG ACK */
	rx[nf - 1].reason = 6; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 1, &ta, 0xc8);             /* CWR ECE PSH */
	rx[nf - 1].reason = 7; rx[nf - 1].slot = sa;
	make_tcp_tuple(&rx[nf++], 0, &tb, 0x10);             /* unknown tuple */
	rx[nf - 1].reason = 5; rx[nf - 1].slot = 0xffff;
	make_tcp_tuple(&rx[nf++], 40, &same[3], 0x08);       /* way 3 */
	rx[nf - 1].reason = 7; rx[nf - 1].slot = (int)(bucket_of(&same[0]) * 4 + 3);
	tc = ta;
	tc.src_port ^= 1;
	make_tcp_tuple(&rx[nf++], 0, &tc, 0x10);             /* port differs */
	rx[nf - 1].reason = 5; rx[nf - 1].slot = 0xffff;
	make_tcp_tuple(&rx[nf++], 7, &ta, 0x10);
	rx[nf - 1].d[51] ^= 1;                               /* bad TCP checksum */
	rx[nf - 1].drop = 1;
	make_tcp_tuple(&rx[nf++], 0, &same[4], 0x00);        /* way 1 */
	rx[nf - 1].reason = 7; rx[nf - 1].slot = (int)(bucket_of(&same[0]) * 4 + 1);
	make_tcp_tuple(&rx[nf++], 0, &same[1], 0x10);        /* exported */
	rx[nf - 1].reason = 5; rx[nf - 1].slot = 0xffff;
	dma_err = 0;
	ok = run_frames(nf, 0);
	tap(ok && dma_err == 0,
	    "lookups: hit -> UNHANDLED (ACK clear) / TCP_FLAGS (SYN, FIN, RST, URG) with the slot, miss -> NO_MATCH ffff");

	/* export frees the slot: the next frame misses */
	r = ctx_run(2, sa, NULL);
	cnt[1]++;
	tap(r.status == 0 && r.slot == sa && !memcmp(r.rec, ra, 64), "EXPORT returns the 64 bytes imported");
	make_tcp_tuple(&rx[0], 0, &ta, 0x10);
	dma_err = 0;
	tap(run_frames(1, 1) && dma_err == 0 && hdr_reason[0] == 5 && hdr_slot[0] == 0xffff,
	    "after EXPORT the tuple misses (NO_MATCH, ffff)");
	r = ctx_run(2, sa, NULL);
	cnt[5]++;
	tap(r.status == -3, "EXPORT again: NOT FOUND");

	/* order: commands in the middle of back-to-back traffic of one tuple */
	for (int round = 0; round < 8; round++) {
		int min_frames = round & 1, imp_at, exp_at, n, k, frames_ok = 1;
		uint32_t order_imp = 0, order_exp = 0;
		int got_imp = 0, got_exp = 0;

		do
			rand_tup(&tc);
		while (bucket_of(&tc) == bucket_of(&same[0]));
		make_rec(rc, &tc, 1);
		nf = 120;
		for (i = 0; i < nf; i++) {
			/* ACK clear: a hit is UNHANDLED, a miss NO_MATCH */
			make_tcp_tuple(&rx[i], min_frames ? (size_t)(rand() % 7) : (size_t)(rand() % 300), &tc, 0x00);
			rx[i].reason = -1;
			rx[i].slot = -1;
		}
		base = counter(0);
		imp_at = 100 + rand() % 50;                 /* cycles after the start */
		exp_at = imp_at + 200 + rand() % 200;
		res_stall = round >= 4;
		exc_n = nf;
		for (i = 0; i < nf; i++)
			exc_list[i] = NFRAMES - nf + i;
		hdr_n = dma_n = 0;
		dma_off = 0;
		memmove(&rx[NFRAMES - nf], &rx[0], sizeof(rx[0]) * (size_t)nf);
		rx_idx = NFRAMES - nf;
		rx_off = 0;
		dma_always_ready = 1;
		dma_err = 0;
		int res_base = res_n;
		for (n = 0; n < 200000 && (rx_idx < NFRAMES || dma_n < exc_n || res_n < res_base + 2); n++) {
			if (n == imp_at)
				ctx_offer(1, 0, rc);
			if (n == exp_at && !cmd_active)
				ctx_offer(2, (uint16_t)(bucket_of(&tc) * 4), NULL);
			else if (n == exp_at)
				exp_at++;
			step();
		}
		res_stall = 0;
		dma_always_ready = 0;
		memmove(&rx[0], &rx[NFRAMES - nf], sizeof(rx[0]) * (size_t)nf);
		for (k = res_base; k < res_n; k++) {
			if (res[k].op == 1 && res[k].status == 0) {
				order_imp = res[k].order;
				got_imp = 1;
			} else if (res[k].op == 2 && res[k].status == 0) {
				order_exp = res[k].order;
				got_exp = 1;
			}
		}
		cnt[0]++;
		cnt[1]++;
		/* frame j (global base + j): hit iff order_imp <= base + j < order_exp */
		for (j = 0; j < nf && j < hdr_n; j++) {
			uint32_t g = base + (uint32_t)j;
			int hit = got_imp && got_exp && g >= order_imp && g < order_exp;
			uint32_t want_reason = hit ? 7 : 5;
			uint32_t want_slot = hit ? bucket_of(&tc) * 4 : 0xffff;
			if (hdr_reason[j] != want_reason || hdr_slot[j] != want_slot) {
				if (frames_ok)
					printf("# round %d: frame %u reason %u slot %x, want %u %x (import order %u, export order %u)\n",
					       round, g, hdr_reason[j], hdr_slot[j], want_reason, want_slot,
					       order_imp, order_exp);
				frames_ok = 0;
			}
		}
		snprintf(name, sizeof(name),
			 "order round %d (%s frames%s): IMPORT at %u, EXPORT at %u; frames [%u, %u) hit, others miss",
			 round, min_frames ? "54..60-byte" : "random", res_stall ? ", results stalled" : "",
			 order_imp, order_exp, order_imp, order_exp);
		tap(got_imp && got_exp && hdr_n == nf && dma_err == 0 && frames_ok &&
		    order_imp >= base && order_exp > order_imp && order_exp < base + (uint32_t)nf, name);
	}

	/* the counters */
	ok = 1;
	for (i = 0; i < 7; i++) {
		v = counter(24 + i);
		if (v != cnt[i]) {
			printf("# counter %d: got %u want %u\n", 24 + i, v, cnt[i]);
			ok = 0;
		}
	}
	tap(ok, "CTX_IMPORT .. CTX_BAD counters (24..30)");
	tap(res_err == 0, "no unexpected results");
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
	tap(resp == 0 && v == TT_CARD_VERSION, "VERSION reads TT_CARD_VERSION");
	resp = axil_read(0x010, &v);
	tap(resp == 0 && v == 0, "CTRL resets to 0");
	tap(axil_read(0x008, &v) == 2, "unmapped read answers SLVERR");
	tap(axil_read(0x102, &v) == 2, "unaligned read answers SLVERR");
	tap(axil_read(0x100 + 4 * TT_COUNTER_COUNT, &v) == 2, "read past the counters answers SLVERR");
	tap(axil_read(0x11c, &v) == 0 && v == 0, "unused counter index 7 reads 0");
	tap(axil_read(0x100 + 4 * 31, &v) == 0 && v == 0, "unused counter index 31 reads 0");
	resp = axil_read(TT_REG_PARAMS, &v);
	tap(resp == 0 && (v & ~0x31fu) == 0 && (v >> 8 & 3) == 2 && (v & 31) >= 3,
	    "PARAMS: log2(ways) = 2, log2(CONN_SLOTS) in 4:0");
	conn_slots = 1u << (v & 31);
	printf("# CONN_SLOTS %u\n", conn_slots);
	tap(axil_write(TT_REG_PARAMS, 1) == 2, "write to PARAMS answers SLVERR");
	ok = 1;
	for (i = 0; i < 4; i++)
		if (axil_read(TT_REG_HASH_KEY0 + 4 * (uint32_t)i, &v) != 0 || v != 0)
			ok = 0;
	tap(ok, "HASH_KEY0..3 reset to 0");
	tap(axil_write(0x000, 1) == 2, "write to ID answers SLVERR");
	tap(axil_write(0x100, 1) == 2 && counter(0) == 0, "write to a counter answers SLVERR, changes nothing");
	tap(axil_write(0x01c, (uint32_t)team_mac[0] << 8 | team_mac[1]) == 0 &&
	    axil_write(0x020, (uint32_t)team_mac[2] << 24 | (uint32_t)team_mac[3] << 16 |
		       (uint32_t)team_mac[4] << 8 | team_mac[5]) == 0 &&
	    axil_write(0x024, team_ip) == 0 && axil_write(0x018, 7) == 0 &&
	    axil_write(0x028, 1000) == 0, "write MAC, IPv4, CARD_ID, TIMER_SCALE");
	tap(axil_read(0x020, &v) == 0 && v == 0x5e102030, "MAC_LO reads back");
	tap(axil_read(0x028, &v) == 0 && v == 1000, "TIMER_SCALE reads back");
	/* no timer sweeps below: they would change the records imported */
	tap(axil_write(0x028, 0) == 0, "TIMER_SCALE 0: no ticks");

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

	ctx_tests();

	m->final();
	delete m;
	delete ctx;

	printf("%d passed, %d failed\n", n_test - n_fail, n_fail);
	return n_fail ? 1 : 0;
}
