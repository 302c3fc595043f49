/* SPDX-License-Identifier: MIT */
/*
 * The RTL card's own figures, in clock cycles of the Verilated card,
 * through the card interface. Prints "key value" lines for mk/bench.sh:
 *
 *   rtl.rx_bytes_per_cycle.<size>   frame bytes the card took from the
 *   rtl.tx_bytes_per_cycle.<size>   wire / the engine put on it, per cycle,
 *                                   with both directions running at once
 *                                   on rtl.active_connections offloaded
 *                                   connections (8.0 = a 64-bit beat every
 *                                   cycle, no bubble)
 *   rtl.tx_beats_per_cycle.<size>   the engine's 64-bit beats on the wire
 *                                   per cycle (1.0 = no bubble; a 54-byte
 *                                   pure ACK is 7 beats, the last of 6
 *                                   bytes, so with ACKs in the mix the
 *                                   bytes stay below 8.0 without a bubble)
 *   rtl.rx_to_dma_latency_cycles    a 64-byte segment on an idle card:
 *                                   from its first beat on the wire to its
 *                                   PAYLOAD write complete at the host
 *   rtl.ctx_export_cycles           a command on an idle card, from its
 *   rtl.ctx_import_cycles           beat to its result
 *
 * The traffic of one size: every connection has a send buffer of 16 MiB
 * rung at once (the engine reads it by DMA and cuts segments of size - 54
 * bytes, the MSS); the host answers every read at the next output pass
 * (at most STEP cycles later) in the order asked, each answer queued
 * whole in the card interface's answer queue, so answers wait for the
 * card and not the card for them; an answer the queue has no room for
 * yet is kept and offered again at the next pass, never dropped (a
 * dropped answer would leave its connection waiting forever); the peer sends
 * in-order segments of the same size round-robin over the connections,
 * each acknowledging what the card had sent on that connection so far
 * (so every received segment also moves snd_una, as in a real exchange).
 * The input never runs dry; outputs are taken every 64 cycles. Counted
 * over MEASURE_CYCLES after WARMUP_CYCLES: RX_BYTES for the receive side,
 * the engine's frames (tuser source ENGINE) for the transmit side.
 *
 * The connection table has 4-way buckets: tuples are drawn until 1024
 * imports succeed (a refused one is counted in CTX_FULL and redrawn).
 */
#include <stdio.h>
#include <string.h>

#include "framegen.h"
#include "testenv.h"

#define N_CONN         1024u
#define WARMUP_CYCLES  20000u
#define MEASURE_CYCLES 200000u
#define STEP           64u
#define TEAM_IP        0xc6120001u   /* 198.18.0.1 */
#define PEER_IP        0xc6130000u   /* 198.19.0.0/16 */

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0xc6, 0x13, 0x00, 0x02 };
static const uint32_t hash_key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d,
				      0x43a38fb0 };
static const unsigned int sizes[] = { 64, 128, 256, 512, 1024, 1518 };

struct conn {
	uint32_t remote_ip;
	uint16_t remote_port;
	uint32_t rcv_nxt;     /* the peer's next sequence to send */
	uint32_t snd_seen;    /* highest the card sent: what the peer acks */
	uint16_t slot;
};

static struct conn conns[N_CONN];

/* read requests taken from the card, not yet answered: at most one per
 * connection is outstanding */
static struct tt_dma_read_req pend[N_CONN];
static unsigned int pend_head, pend_count;

/* Step until a context result arrives; its cycles since `t0` in *cycles. */
static int ctx_run(struct tt_card *c, const struct tt_ctx_cmd *cmd,
		   struct tt_ctx_result *res, uint64_t *cycles)
{
	uint64_t t0 = tt_card_cycles(c);

	if (tt_card_ctx_cmd(c, cmd) != TT_OK)
		return -1;
	for (int i = 0; i < 100000; i++) {
		tt_card_step(c, 1);
		if (tt_card_ctx_result(c, res) == TT_OK) {
			if (cycles)
				*cycles = tt_card_cycles(c) - t0;
			return 0;
		}
	}
	return -1;
}

static void ctx_for(const struct conn *k, uint16_t mss, uint8_t rec[TT_CTX_BYTES])
{
	struct tt_ctx c;

	memset(&c, 0, sizeof(c));
	c.version = TT_CTX_VERSION;
	c.flags = TT_CTXF_VALID;
	c.state = TT_TCP_ESTABLISHED;
	c.local_ip = TEAM_IP;
	c.remote_ip = k->remote_ip;
	c.local_port = 80;
	c.remote_port = k->remote_port;
	for (int i = 0; i < 6; i++)
		c.peer_mac |= (uint64_t)peer_mac[i] << (8 * i);
	c.mss = mss;
	c.snd_una = c.snd_nxt = c.snd_max = c.recover = 0x1000;
	c.snd_wnd = 65535;
	c.snd_wscale = 7;
	c.cwnd = 1u << 30;
	c.ssthresh = 1u << 30;
	c.rto = 60000;
	c.rcv_nxt = k->rcv_nxt;
	c.rcv_wnd = 65535;
	c.rcv_wscale = 7;
	tt_ctx_pack(&c, rec);
}

static struct tt_card *card_new(void)
{
	struct tt_card *c = testenv_card("rtl", team_mac, TEAM_IP, 0);

	for (uint32_t i = 0; i < 4; i++)
		tt_card_reg_write(c, TT_REG_HASH_KEY0 + 4 * i, hash_key[i]);
	tt_card_step(c, 2048);    /* the table's reset sweep */
	return c;
}

/* Import N_CONN connections, drawing tuples until each finds room. */
static int import_all(struct tt_card *c, uint16_t mss, struct rng *r)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };
	struct tt_ctx_result res;
	unsigned int n = 0, tries = 0;

	while (n < N_CONN && tries++ < 8 * N_CONN) {
		struct conn k = {
			.remote_ip = PEER_IP | rng_below(r, 65536),
			.remote_port = (uint16_t)(1024 + rng_below(r, 60000)),
			.rcv_nxt = (uint32_t)rng_next(r),
		};

		k.snd_seen = 0x1000;
		ctx_for(&k, mss, cmd.rec);
		if (ctx_run(c, &cmd, &res, NULL) < 0)
			return -1;
		if (res.status == TT_OK) {
			k.slot = res.slot;
			conns[n++] = k;
		}
	}
	return n == N_CONN ? 0 : -1;
}

static int conn_of_port(uint16_t port)
{
	for (unsigned int i = 0; i < N_CONN; i++)
		if (conns[i].remote_port == port)
			return (int)i;
	return -1;
}

/* Take every output; answer DMA reads in order, as far as the answer
 * queue has room; note what the engine sent per connection. Returns
 * engine frame bytes taken, and adds their beats to *beats. */
static uint64_t drain(struct tt_card *c, uint64_t *beats)
{
	static uint8_t buf[16384], zero[16384];
	struct tt_dma_read_req rq;
	struct tt_dma_write d;
	struct tt_event ev;
	uint64_t eng = 0;
	size_t len;
	int src, i;

	while (tt_card_dma_write(c, &d, buf, sizeof(buf)) == TT_OK)
		;
	while (tt_card_event(c, &ev) == TT_OK)
		;
	while (pend_count < N_CONN && tt_card_dma_read_req(c, &rq) == TT_OK)
		pend[(pend_head + pend_count++) % N_CONN] = rq;
	while (pend_count &&
	       tt_card_dma_read_resp(c, &pend[pend_head], zero) == TT_OK) {
		pend_head = (pend_head + 1) % N_CONN;
		pend_count--;
	}
	while (tt_card_net_tx_src(c, buf, sizeof(buf), &len, &src) == TT_OK) {
		uint32_t seq, plen;

		if (src != TT_TX_SRC_ENGINE || len < 54)
			continue;
		eng += len;
		*beats += (len + 7) / 8;
		i = conn_of_port((uint16_t)(buf[36] << 8 | buf[37]));
		if (i < 0)
			continue;
		seq = (uint32_t)buf[38] << 24 | (uint32_t)buf[39] << 16 |
		      (uint32_t)buf[40] << 8 | buf[41];
		plen = (uint32_t)len - 54;
		if ((int32_t)(seq + plen - conns[i].snd_seen) > 0)
			conns[i].snd_seen = seq + plen;
	}
	return eng;
}

static void one_size(unsigned int size, struct rng *r)
{
	static uint8_t frame[2048], payload[2048];
	struct tt_card *c = card_new();
	uint16_t mss = (uint16_t)(size - 54);
	uint64_t t0 = 0, rx0 = 0, eng = 0, beats = 0, e, end;
	unsigned int next = 0;
	int measuring = 0;

	pend_head = pend_count = 0;

	if (import_all(c, mss, r) < 0) {
		printf("# rtl.*.%u: could not import %u connections\n", size, N_CONN);
		tt_card_free(c);
		return;
	}
	for (unsigned int i = 0; i < N_CONN; i++)
		while (tt_card_doorbell(c, conns[i].slot,
					0x1000u + (16u << 20)) == TT_EAGAIN) {
			tt_card_step(c, STEP);
			drain(c, &beats);
		}
	end = tt_card_cycles(c) + WARMUP_CYCLES + MEASURE_CYCLES;
	while (tt_card_cycles(c) < end) {
		for (;;) {
			struct conn *k = &conns[next];
			struct fg_tcp t = {
				.src_ip = k->remote_ip, .dst_ip = TEAM_IP,
				.src_port = k->remote_port, .dst_port = 80,
				.seq = k->rcv_nxt, .ack = k->snd_seen,
				.flags = FG_TCP_ACK, .window = 65535,
				.payload = payload, .payload_len = mss,
			};
			size_t len;

			memcpy(t.dst_mac, team_mac, 6);
			memcpy(t.src_mac, peer_mac, 6);
			len = fg_tcp_frame(frame, &t);
			if (tt_card_net_rx(c, frame, len) != TT_OK)
				break;
			k->rcv_nxt += mss;
			next = (next + 1) % N_CONN;
		}
		tt_card_step(c, STEP);
		if (!measuring && tt_card_cycles(c) >= end - MEASURE_CYCLES) {
			drain(c, &beats);
			measuring = 1;
			beats = 0;
			t0 = tt_card_cycles(c);
			rx0 = tt_card_counter(c, TT_CNT_RX_BYTES);
			continue;
		}
		e = drain(c, &beats);
		if (measuring)
			eng += e;
	}
	printf("rtl.rx_bytes_per_cycle.%u %.3f\n", size,
	       (double)(tt_card_counter(c, TT_CNT_RX_BYTES) - rx0) /
	       (double)(tt_card_cycles(c) - t0));
	printf("rtl.tx_bytes_per_cycle.%u %.3f\n", size,
	       (double)eng / (double)(tt_card_cycles(c) - t0));
	printf("rtl.tx_beats_per_cycle.%u %.3f\n", size,
	       (double)beats / (double)(tt_card_cycles(c) - t0));
	tt_card_free(c);
}

/* Latency of one 64-byte segment and of one export and one import, each
 * on an otherwise idle card. */
static void idle_figures(struct rng *r)
{
	static uint8_t frame[2048], payload[16], buf[2048];
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT };
	struct tt_ctx_result res;
	struct tt_card *c = card_new();
	struct conn k = { .remote_ip = PEER_IP | 7, .remote_port = 4242,
			  .rcv_nxt = (uint32_t)rng_next(r), .snd_seen = 0x1000 };
	struct tt_dma_write d;
	uint64_t t0, cycles;
	size_t len;
	uint16_t slot;

	ctx_for(&k, 1460, cmd.rec);
	if (ctx_run(c, &cmd, &res, &cycles) < 0 || res.status != TT_OK) {
		printf("# rtl: import failed\n");
		tt_card_free(c);
		return;
	}
	slot = res.slot;
	printf("rtl.ctx_import_cycles %llu\n", (unsigned long long)cycles);
	tt_card_step(c, 256);

	struct fg_tcp t = {
		.src_ip = k.remote_ip, .dst_ip = TEAM_IP,
		.src_port = k.remote_port, .dst_port = 80,
		.seq = k.rcv_nxt, .ack = 0x1000, .flags = FG_TCP_ACK,
		.window = 65535, .payload = payload, .payload_len = 10,
	};
	memcpy(t.dst_mac, team_mac, 6);
	memcpy(t.src_mac, peer_mac, 6);
	len = fg_tcp_frame(frame, &t);
	tt_card_net_rx(c, frame, len);
	/* the wrapper drives the first beat in the first cycle stepped */
	t0 = tt_card_cycles(c);
	for (cycles = 0; cycles < 10000; cycles++) {
		tt_card_step(c, 1);
		if (tt_card_dma_write(c, &d, buf, sizeof(buf)) == TT_OK &&
		    d.kind == TT_DMA_PAYLOAD)
			break;
	}
	printf("rtl.rx_to_dma_latency_cycles %llu\n",
	       (unsigned long long)(tt_card_cycles(c) - t0));
	while (tt_card_net_tx(c, buf, sizeof(buf), &len) == TT_OK)
		;
	tt_card_step(c, 256);

	cmd.op = TT_CTX_EXPORT;
	cmd.slot = slot;
	if (ctx_run(c, &cmd, &res, &cycles) == 0 && res.status == TT_OK)
		printf("rtl.ctx_export_cycles %llu\n", (unsigned long long)cycles);
	else
		printf("# rtl: export failed\n");
	tt_card_free(c);
}

int main(void)
{
	struct rng r = { 2026 };

	idle_figures(&r);
	printf("rtl.active_connections %u\n", N_CONN);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		one_size(sizes[i], &r);
	return 0;
}
