/* SPDX-License-Identifier: MIT */
/*
 * The network part of a link failure: three cards of a team on the
 * switch's aggregate and a client on a fourth port, moved by netsim. The
 * client opens many flows to the team; each lands on one card. Failing
 * one member's link moves that card's flows, and only those, to the other
 * cards; restoring it brings them back. Checked from the cards' own side
 * (which card handed which flow to the host) and with the switch's and
 * the cards' counters. No host runtime: its reaction is tested elsewhere.
 * Runs on model and RTL cards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "framegen.h"
#include "netsim.h"
#include "teamtoe/pcap_io.h"
#include "switch.h"
#include "testenv.h"

#define CARDS      3u
#define CLIENT     3u      /* the client's port */
#define TEAM_IP    0xc6120001u /* 198.18.0.1 */
#define CLIENT_IP  0xc6120164u /* 198.18.1.100 */
#define FLOWS      120u
#define BASE_PORT  20000u
#define WIRE_CYCLES 40u    /* one-way latency of every link */

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static const uint8_t client_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x01, 0x64 };
static uint64_t seed;

struct scenario {
	struct eth_switch *sw;
	struct netsim *ns;
	struct tt_card *card[CARDS];
	int seen_on[FLOWS];        /* card that handed the flow up, or -1 */
	unsigned int seen;         /* segments handed up in this round */
};

static int setup(void **state, const char *backend)
{
	static const unsigned int lag[CARDS] = { 0, 1, 2 };
	struct switch_config cfg = { .n_ports = 4, .seed = seed };
	struct switch_port_config pc = { .latency = WIRE_CYCLES,
					 .bytes_per_cycle = 8 };
	struct scenario *s = calloc(1, sizeof(*s));
	unsigned int i;

	assert_non_null(s);
	s->sw = switch_new(&cfg, NULL);
	assert_non_null(s->sw);
	s->ns = netsim_new(s->sw, NULL);
	assert_non_null(s->ns);
	for (i = 0; i < 4; i++)
		assert_int_equal(switch_port_configure(s->sw, i, &pc), TT_OK);
	assert_int_equal(switch_lag_set(s->sw, lag, CARDS), TT_OK);
	for (i = 0; i < CARDS; i++) {
		s->card[i] = testenv_card(backend, team_mac, TEAM_IP, i);
		assert_int_equal(netsim_attach_card(s->ns, i, s->card[i]), TT_OK);
	}
	assert_int_equal(switch_set_link(s->sw, CLIENT, 1), TT_OK);
	*state = s;
	return 0;
}

static int setup_rtl(void **state) { return setup(state, "rtl"); }
static int setup_model(void **state) { return setup(state, "model"); }

static int teardown(void **state)
{
	struct scenario *s = *state;
	unsigned int i;

	netsim_free(s->ns);
	for (i = 0; i < CARDS; i++)
		tt_card_free(s->card[i]);
	switch_free(s->sw);
	free(s);
	return 0;
}

/* Segment `seq` of flow i, client -> team:80. */
static size_t client_segment(uint8_t *f, unsigned int i, uint32_t seq)
{
	struct fg_tcp t;

	memset(&t, 0, sizeof(t));
	memcpy(t.dst_mac, team_mac, 6);
	memcpy(t.src_mac, client_mac, 6);
	t.src_ip = CLIENT_IP;
	t.dst_ip = TEAM_IP;
	t.src_port = (uint16_t)(BASE_PORT + i);
	t.dst_port = 80;
	t.seq = seq;
	t.flags = FG_TCP_ACK;
	t.window = 4096;
	return fg_tcp_frame(f, &t);
}

/* The team announces itself (a gratuitous ARP from card 0), so that the
 * switch learns the team's MAC on the aggregate. */
static void team_announces(struct scenario *s)
{
	uint8_t arp[60] = { 0 };
	static const uint8_t hdr[] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01 };

	memset(arp, 0xff, 6);
	memcpy(arp + 6, team_mac, 6);
	arp[12] = 0x08;
	arp[13] = 0x06;
	memcpy(arp + 14, hdr, sizeof(hdr));
	memcpy(arp + 22, team_mac, 6);
	arp[28] = 198; arp[29] = 18; arp[30] = 0; arp[31] = 1;
	arp[38] = 198; arp[39] = 18; arp[40] = 0; arp[41] = 1;
	assert_int_equal(tt_card_host_tx(s->card[0], arp, sizeof(arp)), TT_OK);
	netsim_step(s->ns, 200);
	assert_int_equal(switch_fdb_where(s->sw, team_mac), SWITCH_ON_LAG);
	/* the client got the broadcast */
	{
		uint8_t buf[128];
		size_t len;

		assert_int_equal(switch_port_tx(s->sw, CLIENT, buf, sizeof(buf),
						&len), TT_OK);
		assert_memory_equal(buf, arp, sizeof(arp));
	}
}

/* What the cards handed to the host: an exception (no offloaded
 * connection) per segment; note which card had which flow. */
static void collect(struct scenario *s)
{
	static uint8_t buf[TT_MAX_FRAME];
	struct tt_dma_write d;
	unsigned int c;

	for (c = 0; c < CARDS; c++) {
		while (tt_card_dma_write(s->card[c], &d, buf, sizeof(buf)) == TT_OK) {
			unsigned int sport, i;

			assert_int_equal(d.kind, TT_DMA_EXCEPTION);
			assert_int_equal(d.reason, TT_EXC_NO_MATCH);
			sport = (unsigned int)buf[34] << 8 | buf[35];
			assert_in_range(sport, BASE_PORT, BASE_PORT + FLOWS - 1);
			i = sport - BASE_PORT;
			assert_int_equal(s->seen_on[i], -1); /* once per round */
			s->seen_on[i] = (int)c;
			s->seen++;
		}
	}
}

/* One segment of every flow from the client, all of them handed up. */
static void round_of_segments(struct scenario *s, uint32_t seq)
{
	uint8_t f[128];
	unsigned int i, c, waited;

	for (i = 0; i < FLOWS; i++)
		s->seen_on[i] = -1;
	s->seen = 0;
	for (i = 0; i < FLOWS; i++) {
		size_t len = client_segment(f, i, seq);
		int m = switch_lag_member_for(s->sw, f, len);

		assert_true(m >= 0 && (unsigned int)m < CARDS);
		assert_int_equal(switch_port_rx(s->sw, CLIENT, f, len), TT_OK);
		netsim_step(s->ns, 8);
		collect(s);
	}
	for (waited = 0; s->seen < FLOWS && waited < 100000; waited += 100) {
		netsim_step(s->ns, 100);
		collect(s);
	}
	assert_int_equal(s->seen, FLOWS);
	/* every flow where the switch's hash says, nothing lost */
	for (i = 0; i < FLOWS; i++) {
		size_t len = client_segment(f, i, seq);

		assert_int_equal(s->seen_on[i],
				 switch_lag_member_for(s->sw, f, len));
	}
	for (c = 0; c <= CLIENT; c++) {
		struct switch_port_stats st;
		int r;

		assert_int_equal(switch_port_stats(s->sw, c, &st), TT_OK);
		for (r = 0; r < SWITCH_DROP_COUNT; r++)
			assert_int_equal(st.drops[r], 0);
	}
}

static uint64_t port_tx(struct scenario *s, unsigned int port)
{
	struct switch_port_stats st;

	assert_int_equal(switch_port_stats(s->sw, port, &st), TT_OK);
	return st.tx_frames;
}

static void member_failure_moves_its_flows(void **state)
{
	struct scenario *s = *state;
	int before[FLOWS];
	unsigned int i, c, per[CARDS] = { 0 }, moved = 0, fail = 1;
	uint64_t tx0[CARDS], rx0[CARDS];

	team_announces(s);
	round_of_segments(s, 1000);
	memcpy(before, s->seen_on, sizeof(before));
	for (i = 0; i < FLOWS; i++)
		per[before[i]]++;
	for (c = 0; c < CARDS; c++) {
		print_message("# card %u: %u flows\n", c, per[c]);
		assert_true(per[c] > 0); /* 120 flows on 3 cards: all used */
		assert_int_equal(port_tx(s, c), per[c]);
		tx0[c] = port_tx(s, c);
		rx0[c] = tt_card_counter(s->card[c], TT_CNT_RX_FRAMES);
	}

	/* the cable of card 1 is pulled: both ends see it */
	assert_int_equal(netsim_set_link(s->ns, fail, 0), TT_OK);
	netsim_step(s->ns, 100);
	round_of_segments(s, 2000);
	for (i = 0; i < FLOWS; i++) {
		assert_int_not_equal(s->seen_on[i], (int)fail);
		if (before[i] == (int)fail)
			moved++;
		else
			assert_int_equal(s->seen_on[i], before[i]);
	}
	assert_int_equal(moved, per[fail]);
	print_message("# card %u down: its %u flows moved, no other flow did\n",
		      fail, moved);
	/* counters: nothing more went out of the failed port or into its card */
	assert_int_equal(port_tx(s, fail), tx0[fail]);
	assert_int_equal(tt_card_counter(s->card[fail], TT_CNT_RX_FRAMES),
			 rx0[fail]);
	for (c = 0; c < CARDS; c++) {
		unsigned int got = 0;

		for (i = 0; i < FLOWS; i++)
			got += s->seen_on[i] == (int)c;
		assert_int_equal(port_tx(s, c) - tx0[c], got);
	}

	/* plugged back: the flows return to where they were */
	assert_int_equal(netsim_set_link(s->ns, fail, 1), TT_OK);
	netsim_step(s->ns, 100);
	round_of_segments(s, 3000);
	assert_memory_equal(s->seen_on, before, sizeof(before));
}

static void pcap_per_port(void **state)
{
	struct scenario *s = *state;
	char path[64], err[256];
	struct tt_pcap_reader *rd;
	const uint8_t *f;
	size_t len;
	unsigned int n = 0;

	snprintf(path, sizeof(path), "/tmp/test_switch_scenario_%d.pcap",
		 (int)getpid());
	assert_int_equal(netsim_pcap(s->ns, 2, path, err, sizeof(err)), 0);
	assert_true(netsim_pcap(s->ns, 9, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "out of range"));
	team_announces(s);
	round_of_segments(s, 1000);
	netsim_free(s->ns); /* closes the capture */
	s->ns = NULL;
	assert_int_equal(tt_pcap_reader_open(&rd, path, err, sizeof(err)), 0);
	while (tt_pcap_read(rd, &f, &len, NULL, err, sizeof(err)) == 1)
		n++;
	tt_pcap_reader_close(rd);
	unlink(path);
	/* card 2's cable: the flows that went to it, and nothing sent back */
	assert_int_equal(n, port_tx(s, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TESTENV_BOTH(member_failure_moves_its_flows, setup_rtl,
			     setup_model, teardown),
		cmocka_unit_test_setup_teardown(pcap_per_port, setup_model,
						teardown),
	};

	seed = testenv_seed("test_switch_scenario");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
