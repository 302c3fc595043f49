/* SPDX-License-Identifier: MIT */
/*
 * The simulated switch (sw-model/switch.h): learning and forwarding,
 * flooding, the aggregate's flow hash (spread, stability, re-hash on link
 * down and up, in both modes), latency and line rate in cycles, loss
 * rate, output queue bound, link down, table bound and aging, bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framegen.h"
#include "switch.h"
#include "testenv.h"

#define TEAM_IP   0xc6120001u /* 198.18.0.1 */
#define CLIENT_IP 0xc6120100u /* 198.18.1.0 + n */
#define FLOWS     3000u

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint64_t seed;

/* Station n's MAC: 02:00:00:00:xx:yy. */
static void station(uint8_t mac[6], unsigned int n)
{
	static const uint8_t base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

/* A plain Ethernet frame of len bytes, bytes after the header numbered. */
static size_t eth_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
			size_t len, uint32_t tag)
{
	size_t i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5; /* IEEE 802 local experimental ethertype */
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(tag + i);
	if (len >= 18) {
		f[14] = (uint8_t)(tag >> 24);
		f[15] = (uint8_t)(tag >> 16);
		f[16] = (uint8_t)(tag >> 8);
		f[17] = (uint8_t)tag;
	}
	return len;
}

static uint32_t eth_tag(const uint8_t *f)
{
	return (uint32_t)f[14] << 24 | (uint32_t)f[15] << 16 |
	       (uint32_t)f[16] << 8 | f[17];
}

/* A TCP segment of flow i: client (198.18.1.x, port) -> team:80, from
 * client station `cl`. Flows differ in address and port. */
static size_t flow_frame(uint8_t *f, unsigned int i, unsigned int cl,
			 int reverse)
{
	struct fg_tcp t;

	memset(&t, 0, sizeof(t));
	t.src_ip = CLIENT_IP + (i % 200u);
	t.dst_ip = TEAM_IP;
	t.src_port = (uint16_t)(1024u + i * 7u);
	t.dst_port = 80;
	station(t.src_mac, cl);
	memcpy(t.dst_mac, team_mac, 6);
	t.flags = FG_TCP_ACK;
	t.seq = i;
	t.window = 1000;
	if (reverse) {
		uint32_t ip = t.src_ip;
		uint16_t port = t.src_port;
		uint8_t mac[6];

		memcpy(mac, t.src_mac, 6);
		t.src_ip = t.dst_ip;
		t.dst_ip = ip;
		t.src_port = t.dst_port;
		t.dst_port = port;
		memcpy(t.src_mac, team_mac, 6);
		memcpy(t.dst_mac, mac, 6);
	}
	return fg_tcp_frame(f, &t);
}

static struct eth_switch *make(unsigned int n_ports, const unsigned int *lag,
			       unsigned int n_lag, int mode, uint64_t s)
{
	struct switch_config cfg = {
		.n_ports = n_ports, .seed = s, .lag_mode = mode,
	};
	struct eth_switch *sw;
	unsigned int i;
	int err = 0;

	sw = switch_new(&cfg, &err);
	assert_non_null(sw);
	for (i = 0; i < n_ports; i++)
		assert_int_equal(switch_set_link(sw, i, 1), TT_OK);
	if (n_lag)
		assert_int_equal(switch_lag_set(sw, lag, n_lag), TT_OK);
	return sw;
}

/* Frames due on a port, taken out; the last one's tag in *tag. */
static unsigned int drain(struct eth_switch *sw, unsigned int port,
			  uint32_t *tag)
{
	static uint8_t buf[SWITCH_MAX_FRAME];
	unsigned int n = 0;
	size_t len;

	while (switch_port_tx(sw, port, buf, sizeof(buf), &len) == TT_OK) {
		if (tag && len >= 18)
			*tag = eth_tag(buf);
		n++;
	}
	return n;
}

static uint64_t drops(struct eth_switch *sw, unsigned int port, int reason)
{
	struct switch_port_stats st;

	assert_int_equal(switch_port_stats(sw, port, &st), TT_OK);
	return st.drops[reason];
}

static struct switch_port_stats stats(struct eth_switch *sw, unsigned int port)
{
	struct switch_port_stats st;

	assert_int_equal(switch_port_stats(sw, port, &st), TT_OK);
	return st;
}

/* ------------------------------------------------------------ learning */

static void unknown_flooded_known_forwarded(void **state)
{
	struct eth_switch *sw = make(4, NULL, 0, 0, seed);
	uint8_t a[6], b[6], f[64];
	uint32_t tag = 0;
	unsigned int p;

	(void)state;
	station(a, 1);
	station(b, 2);
	/* a on port 0 -> b, unknown: every other port gets a copy */
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, 1));
	for (p = 1; p < 4; p++) {
		assert_int_equal(drain(sw, p, &tag), 1);
		assert_int_equal(tag, 1);
		assert_int_equal(stats(sw, p).flooded, 1);
	}
	assert_int_equal(drain(sw, 0, NULL), 0);
	assert_int_equal(switch_fdb_where(sw, a), 0);
	assert_int_equal(switch_fdb_where(sw, b), -1);

	/* b answers from port 2: a is known, only port 0 gets it */
	switch_port_rx(sw, 2, f, eth_frame(f, a, b, 64, 2));
	assert_int_equal(drain(sw, 0, &tag), 1);
	assert_int_equal(tag, 2);
	assert_int_equal(drain(sw, 1, NULL) + drain(sw, 3, NULL), 0);
	assert_int_equal(switch_fdb_where(sw, b), 2);

	/* now both known: a -> b goes to port 2 only */
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, 3));
	assert_int_equal(drain(sw, 2, &tag), 1);
	assert_int_equal(tag, 3);
	assert_int_equal(drain(sw, 1, NULL) + drain(sw, 3, NULL), 0);

	/* a moves to port 3 */
	switch_port_rx(sw, 3, f, eth_frame(f, b, a, 64, 4));
	assert_int_equal(switch_fdb_where(sw, a), 3);
	{
		struct switch_stats st;

		switch_stats(sw, &st);
		assert_int_equal(st.learned, 2);
		assert_int_equal(st.moved, 1);
		assert_int_equal(st.floods, 1);
	}
	switch_free(sw);
}

static void same_port_filtered(void **state)
{
	struct eth_switch *sw = make(3, NULL, 0, 0, seed);
	uint8_t a[6], b[6], f[64];

	(void)state;
	station(a, 1);
	station(b, 2);
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 1)); /* b on 1 */
	switch_port_rx(sw, 1, f, eth_frame(f, b, a, 64, 2)); /* a on 1 */
	drain(sw, 0, NULL);
	drain(sw, 2, NULL);
	assert_int_equal(drops(sw, 1, SWITCH_DROP_FILTERED), 1);
	assert_int_equal(drain(sw, 0, NULL) + drain(sw, 1, NULL) +
			 drain(sw, 2, NULL), 0);
	switch_free(sw);
}

static void broadcast_flooded_lag_once(void **state)
{
	static const unsigned int lag[] = { 0, 1, 2 };
	struct eth_switch *sw = make(6, lag, 3, 0, seed);
	uint8_t c[6], f[64];
	unsigned int p, on_lag = 0;

	(void)state;
	station(c, 7);
	assert_int_equal(switch_set_link(sw, 5, 0), TT_OK);
	/* from client port 3: port 4 once, the aggregate once, 5 is down */
	switch_port_rx(sw, 3, f, eth_frame(f, bcast, c, 64, 9));
	for (p = 0; p < 3; p++)
		on_lag += drain(sw, p, NULL);
	assert_int_equal(on_lag, 1);
	assert_int_equal(drain(sw, 4, NULL), 1);
	assert_int_equal(drain(sw, 3, NULL), 0);
	assert_int_equal(drain(sw, 5, NULL), 0);
	assert_int_equal(drops(sw, 5, SWITCH_DROP_LINK_DOWN), 0);

	/* from a member: the clients, never back into the aggregate */
	switch_port_rx(sw, 1, f, eth_frame(f, bcast, team_mac, 64, 10));
	assert_int_equal(drain(sw, 3, NULL), 1);
	assert_int_equal(drain(sw, 4, NULL), 1);
	for (p = 0; p < 3; p++)
		assert_int_equal(drain(sw, p, NULL), 0);
	switch_free(sw);
}

static void lag_learned_as_group(void **state)
{
	static const unsigned int lag[] = { 0, 1, 2 };
	struct eth_switch *sw = make(4, lag, 3, 0, seed);
	uint8_t c[6], f[128];
	unsigned int i;

	(void)state;
	station(c, 5);
	/* the team speaks from member 1; the client from port 3 */
	switch_port_rx(sw, 1, f, eth_frame(f, c, team_mac, 64, 1));
	assert_int_equal(switch_fdb_where(sw, team_mac), SWITCH_ON_LAG);
	assert_int_equal(drain(sw, 3, NULL), 1); /* flooded: c unknown */
	/* ... and from member 2: still the group, no move */
	switch_port_rx(sw, 2, f, eth_frame(f, c, team_mac, 64, 2));
	assert_int_equal(switch_fdb_where(sw, team_mac), SWITCH_ON_LAG);
	{
		struct switch_stats st;

		switch_stats(sw, &st);
		assert_int_equal(st.moved, 0);
	}
	/* client -> team: exactly the member the hash names */
	for (i = 0; i < 50; i++) {
		size_t len = flow_frame(f, i, 5, 0);
		int m = switch_lag_member_for(sw, f, len);
		unsigned int p;

		assert_true(m >= 0 && m <= 2);
		switch_port_rx(sw, 3, f, len);
		for (p = 0; p < 3; p++)
			assert_int_equal(drain(sw, p, NULL), (unsigned int)m == p);
	}
	/* team -> team (member to member) is filtered, never looped */
	switch_port_rx(sw, 0, f, eth_frame(f, team_mac, team_mac, 64, 3));
	assert_int_equal(drops(sw, 0, SWITCH_DROP_FILTERED), 1);
	switch_free(sw);
}

/* ------------------------------------------------------------ hashing */

/* Member of each of FLOWS flows, sent through the switch from port
 * client; checks the hash's answer against where the frame went. */
static void flow_members(struct eth_switch *sw, unsigned int client,
			 int *member)
{
	unsigned int i, p, n = switch_ports(sw);
	uint8_t f[128];

	for (i = 0; i < FLOWS; i++) {
		size_t len = flow_frame(f, i, 1, 0);

		member[i] = switch_lag_member_for(sw, f, len);
		assert_true(member[i] >= 0);
		switch_port_rx(sw, client, f, len);
		for (p = 0; p < n; p++)
			if (switch_is_lag_member(sw, p))
				assert_int_equal(drain(sw, p, NULL),
						 (unsigned int)member[i] == p);
	}
}

static void lag_spreads_flows(void **state)
{
	static const unsigned int lag[] = { 0, 1, 2, 3 };
	struct eth_switch *sw = make(5, lag, 4, 0, seed);
	static int member[FLOWS];
	unsigned int i, p, per[4] = { 0 };

	(void)state;
	/* teach the switch where the team is */
	{
		uint8_t f[64], c[6];

		station(c, 1);
		switch_port_rx(sw, 0, f, eth_frame(f, c, team_mac, 64, 0));
		drain(sw, 4, NULL);
	}
	flow_members(sw, 4, member);
	for (i = 0; i < FLOWS; i++)
		per[member[i]]++;
	for (p = 0; p < 4; p++) {
		print_message("# member %u: %u of %u flows\n", p, per[p], FLOWS);
		/* expected 750 each, sigma ~24: 20% is > 6 sigma */
		assert_in_range(per[p], 600, 900);
		assert_int_equal(stats(sw, p).tx_frames, per[p]);
	}
	switch_free(sw);
}

static void lag_flow_stays_while_stable(void **state)
{
	static const unsigned int lag[] = { 0, 1, 2 };
	struct eth_switch *sw = make(5, lag, 3, 0, seed);
	uint8_t f[128], g[128];
	unsigned int i, k;

	(void)state;
	for (i = 0; i < 40; i++) {
		size_t len = flow_frame(f, i, 1, 0);
		int first = switch_lag_member_for(sw, f, len);

		/* the reverse direction hashes alike */
		len = flow_frame(g, i, 1, 1);
		assert_int_equal(switch_lag_member_for(sw, g, len), first);
		for (k = 0; k < 25; k++) {
			/* other traffic, time, a client port flapping: none of
			 * it is the aggregate's topology */
			switch_step(sw, 1000 + k);
			switch_set_link(sw, 4, (int)(k & 1));
			len = flow_frame(g, i + 1000 + k, 2, 0);
			switch_port_rx(sw, 3, g, len);
			len = flow_frame(f, i, 1, 0);
			f[38] = (uint8_t)k; /* another sequence number */
			assert_int_equal(switch_lag_member_for(sw, f, len), first);
		}
		for (k = 0; k < 3; k++)
			drain(sw, k, NULL);
	}
	switch_free(sw);
}

/* Fail member `down` of 3 and restore it; count the flows that move. */
static void link_down_up(int mode, unsigned int down, unsigned int *moved_other)
{
	static const unsigned int lag[] = { 0, 1, 2 };
	struct eth_switch *sw = make(4, lag, 3, mode, seed);
	static int before[FLOWS], during[FLOWS], after[FLOWS];
	unsigned int i, on_down = 0, moved_own = 0;
	struct switch_stats st;
	uint64_t tx_before[3], tx_gain[3] = { 0 };

	flow_members(sw, 3, before);
	for (i = 0; i < 3; i++)
		tx_before[i] = stats(sw, i).tx_frames;
	assert_int_equal(switch_set_link(sw, down, 0), TT_OK);
	flow_members(sw, 3, during);
	*moved_other = 0;
	for (i = 0; i < FLOWS; i++) {
		assert_int_not_equal(during[i], (int)down);
		if (before[i] == (int)down) {
			on_down++;
			moved_own += during[i] != (int)down;
			tx_gain[during[i]]++;
		} else if (during[i] != before[i]) {
			(*moved_other)++;
			tx_gain[during[i]]++;
		} else {
			tx_gain[during[i]]++;
		}
	}
	assert_true(on_down > FLOWS / 5);
	assert_int_equal(moved_own, on_down);
	/* the port counters agree: the failed member sent nothing more */
	for (i = 0; i < 3; i++)
		assert_int_equal(stats(sw, i).tx_frames - tx_before[i], tx_gain[i]);
	assert_int_equal(stats(sw, down).tx_frames, tx_before[down]);

	assert_int_equal(switch_set_link(sw, down, 1), TT_OK);
	flow_members(sw, 3, after);
	for (i = 0; i < FLOWS; i++)
		assert_int_equal(after[i], before[i]);
	switch_stats(sw, &st);
	assert_int_equal(st.lag_changes, 2 + 1); /* set, down, up */
	print_message("# mode %d, member %u down: %u flows of it moved, "
		      "%u of the others moved\n", mode, down, on_down,
		      *moved_other);
	switch_free(sw);
}

static void lag_down_moves_only_its_flows(void **state)
{
	unsigned int m, moved_other;

	(void)state;
	for (m = 0; m < 3; m++) {
		link_down_up(SWITCH_LAG_RESILIENT, m, &moved_other);
		assert_int_equal(moved_other, 0);
	}
}

static void lag_modulo_rehashes_all(void **state)
{
	unsigned int moved_other;

	(void)state;
	/* Linux bonding's arithmetic: survivors' flows move too */
	link_down_up(SWITCH_LAG_MODULO, 1, &moved_other);
	assert_true(moved_other > FLOWS / 10);
}

static void lag_hash_is_keyed(void **state)
{
	static const unsigned int lag[] = { 0, 1, 2, 3 };
	struct eth_switch *a = make(5, lag, 4, 0, seed);
	struct eth_switch *b = make(5, lag, 4, 0, seed + 1);
	struct eth_switch *a2 = make(5, lag, 4, 0, seed);
	unsigned int i, differ = 0;
	uint8_t f[128];

	(void)state;
	for (i = 0; i < 400; i++) {
		size_t len = flow_frame(f, i, 1, 0);
		int ma = switch_lag_member_for(a, f, len);

		differ += ma != switch_lag_member_for(b, f, len);
		assert_int_equal(switch_lag_member_for(a2, f, len), ma);
	}
	/* another key: about 3 in 4 flows land elsewhere */
	assert_true(differ > 200);
	switch_free(a);
	switch_free(b);
	switch_free(a2);
}

static void lag_all_down(void **state)
{
	static const unsigned int lag[] = { 0, 1 };
	struct eth_switch *sw = make(3, lag, 2, 0, seed);
	unsigned int active[SWITCH_MAX_PORTS];
	uint8_t f[128], c[6];
	size_t len;

	(void)state;
	station(c, 1);
	switch_port_rx(sw, 0, f, eth_frame(f, c, team_mac, 64, 0));
	assert_int_equal(switch_lag_active(sw, active), 2);
	switch_set_link(sw, 0, 0);
	assert_int_equal(switch_lag_active(sw, active), 1);
	assert_int_equal(active[0], 1);
	switch_set_link(sw, 1, 0);
	assert_int_equal(switch_lag_active(sw, active), 0);
	/* the team is still known on the aggregate, which has no link */
	assert_int_equal(switch_fdb_where(sw, team_mac), SWITCH_ON_LAG);
	len = flow_frame(f, 1, 1, 0);
	assert_int_equal(switch_lag_member_for(sw, f, len), TT_ENOTFOUND);
	switch_port_rx(sw, 2, f, len);
	assert_int_equal(drops(sw, 2, SWITCH_DROP_LAG_DOWN), 1);
	assert_int_equal(drain(sw, 0, NULL) + drain(sw, 1, NULL), 0);
	/* members cannot send either */
	switch_port_rx(sw, 1, f, eth_frame(f, c, team_mac, 64, 0));
	assert_int_equal(drops(sw, 1, SWITCH_DROP_RX_LINK_DOWN), 1);
	/* one member back: traffic flows again, all of it on that one */
	switch_set_link(sw, 1, 1);
	len = flow_frame(f, 1, 1, 0);
	switch_port_rx(sw, 2, f, len);
	assert_int_equal(drain(sw, 1, NULL), 1);
	assert_int_equal(switch_lag_member_for(sw, f, len), 1);
	switch_free(sw);
}

/* ------------------------------------------------------------ time */

static void latency_in_cycles(void **state)
{
	struct eth_switch *sw = make(2, NULL, 0, 0, seed);
	struct switch_port_config pc = { .latency = 100 };
	uint8_t f[1600], buf[1600], a[6], b[6];
	size_t len;
	uint64_t t0;

	(void)state;
	station(a, 1);
	station(b, 2);
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_OK);
	switch_step(sw, 12345);
	t0 = switch_cycles(sw);
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 800, 1));
	assert_int_equal(switch_port_queued(sw, 1), 1);
	switch_step(sw, 99);
	assert_int_equal(switch_port_tx(sw, 1, buf, sizeof(buf), &len), TT_EAGAIN);
	switch_step(sw, 1);
	assert_int_equal(switch_cycles(sw) - t0, 100);
	assert_int_equal(switch_port_tx(sw, 1, buf, sizeof(buf), &len), TT_OK);
	assert_int_equal(len, 800);
	assert_memory_equal(buf, f, 800);

	/* 8 bytes per cycle: two 800-byte frames back to back serialize */
	pc.bytes_per_cycle = 8;
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_OK);
	t0 = switch_cycles(sw);
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 800, 2));
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 800, 3));
	switch_step(sw, 199);
	assert_int_equal(drain(sw, 1, NULL), 0);
	switch_step(sw, 1); /* 100 on the wire + 100 latency */
	assert_int_equal(drain(sw, 1, NULL), 1);
	switch_step(sw, 99);
	assert_int_equal(drain(sw, 1, NULL), 0);
	switch_step(sw, 1);
	assert_int_equal(switch_cycles(sw) - t0, 300);
	assert_int_equal(drain(sw, 1, NULL), 1);
	/* the other direction has its own latency: none */
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 4));
	assert_int_equal(drain(sw, 0, NULL), 1);
	switch_free(sw);
}

static unsigned int lossy_run(uint64_t s, uint32_t ppm, unsigned int frames)
{
	struct eth_switch *sw = make(2, NULL, 0, 0, s);
	struct switch_port_config pc = { .loss_ppm = ppm };
	uint8_t f[64], a[6], b[6];
	unsigned int i, got = 0;
	uint64_t lost;

	station(a, 1);
	station(b, 2);
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_OK);
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 0)); /* learn b */
	for (i = 0; i < frames; i++) {
		switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, i));
		got += drain(sw, 1, NULL);
	}
	lost = drops(sw, 1, SWITCH_DROP_LOSS);
	assert_int_equal(got + lost, frames);
	assert_int_equal(drain(sw, 0, NULL), 1); /* the other way: no loss */
	switch_free(sw);
	return (unsigned int)lost;
}

static void loss_rate_within_tolerance(void **state)
{
	unsigned int lost, n = 20000;

	(void)state;
	/* 10%: expected 2000 of 20000, sigma ~42; 10% +- 1% is > 4.7 sigma */
	lost = lossy_run(seed, 100000, n);
	print_message("# lost %u of %u at 10%%\n", lost, n);
	assert_in_range(lost, 1800, 2200);
	/* the seed replays the same draws */
	assert_int_equal(lossy_run(seed, 100000, n), lost);
	assert_int_equal(lossy_run(seed, 0, 1000), 0);
	assert_int_equal(lossy_run(seed, SWITCH_LOSS_ONE, 1000), 1000);
}

static void queue_bound_tail_drop(void **state)
{
	struct eth_switch *sw = make(2, NULL, 0, 0, seed);
	struct switch_port_config pc = { .queue_frames = 8 };
	uint8_t f[64], buf[64], a[6], b[6];
	unsigned int i;
	size_t len;
	struct switch_port_stats st;

	(void)state;
	station(a, 1);
	station(b, 2);
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_OK);
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 0));
	drain(sw, 0, NULL);
	for (i = 0; i < 20; i++)
		switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, i));
	assert_int_equal(switch_port_queued(sw, 1), 8);
	assert_int_equal(drops(sw, 1, SWITCH_DROP_QUEUE_FULL), 12);
	/* changing the bound now would lose frames: refused */
	pc.queue_frames = 4;
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_EBUSY);
	for (i = 0; i < 8; i++) {
		assert_int_equal(switch_port_tx(sw, 1, buf, sizeof(buf), &len), TT_OK);
		assert_int_equal(eth_tag(buf), i); /* the first 8, in order */
	}
	assert_int_equal(switch_port_tx(sw, 1, buf, sizeof(buf), &len), TT_EAGAIN);
	st = stats(sw, 1);
	assert_int_equal(st.tx_frames, 8);
	assert_int_equal(st.tx_bytes, 8 * 64);
	assert_int_equal(st.rx_frames, 1);
	st = stats(sw, 0);
	assert_int_equal(st.rx_frames, 20);
	assert_int_equal(st.rx_bytes, 20 * 64);
	assert_int_equal(switch_port_configure(sw, 1, &pc), TT_OK);
	switch_free(sw);
}

static void link_down_drops_not_queues(void **state)
{
	struct eth_switch *sw = make(3, NULL, 0, 0, seed);
	struct switch_port_config pc = { .latency = 50 };
	uint8_t f[64], a[6], b[6];
	unsigned int i;

	(void)state;
	station(a, 1);
	station(b, 2);
	switch_port_configure(sw, 1, &pc);
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 0));
	drain(sw, 0, NULL);
	drain(sw, 2, NULL);
	for (i = 0; i < 5; i++)
		switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, i));
	assert_int_equal(switch_port_queued(sw, 1), 5);
	assert_int_equal(switch_set_link(sw, 1, 0), TT_OK);
	assert_int_equal(switch_link(sw, 1), 0);
	assert_int_equal(switch_port_queued(sw, 1), 0);
	assert_int_equal(drops(sw, 1, SWITCH_DROP_LINK_DOWN), 5);
	/* b is still known there: a new frame for it is dropped, counted,
	 * and not flooded elsewhere */
	assert_int_equal(switch_fdb_where(sw, b), 1);
	switch_port_rx(sw, 0, f, eth_frame(f, b, a, 64, 9));
	assert_int_equal(drops(sw, 1, SWITCH_DROP_LINK_DOWN), 6);
	assert_int_equal(drain(sw, 2, NULL), 0);
	assert_int_equal(switch_port_queued(sw, 1), 0);
	/* the device on a down port cannot send */
	switch_port_rx(sw, 1, f, eth_frame(f, a, b, 64, 0));
	assert_int_equal(drops(sw, 1, SWITCH_DROP_RX_LINK_DOWN), 1);
	switch_step(sw, 100);
	switch_set_link(sw, 1, 1);
	assert_int_equal(drain(sw, 1, NULL), 0); /* nothing came back */
	switch_free(sw);
}

static void fdb_bounded_and_aging(void **state)
{
	struct switch_config cfg = { .n_ports = 2, .seed = seed,
				     .fdb_entries = 8, .fdb_age = 1000 };
	struct eth_switch *sw = switch_new(&cfg, NULL);
	struct switch_stats st;
	uint8_t f[64], m[6], b[6];
	unsigned int i;

	(void)state;
	assert_non_null(sw);
	switch_set_link(sw, 0, 1);
	switch_set_link(sw, 1, 1);
	station(b, 9999);
	switch_port_rx(sw, 1, f, eth_frame(f, bcast, b, 64, 0)); /* b on 1 */
	drain(sw, 0, NULL);
	for (i = 0; i < 100; i++) {
		station(m, i);
		switch_port_rx(sw, 0, f, eth_frame(f, b, m, 64, i));
	}
	switch_stats(sw, &st);
	assert_true(switch_fdb_count(sw) <= 8);
	assert_int_equal(switch_fdb_count(sw), st.learned);
	assert_true(st.learn_full > 0);
	assert_int_equal(st.learned + st.learn_full, 101);
	/* an address the table could not hold is flooded, not lost */
	for (i = 0; i < 100; i++) {
		station(m, i);
		if (switch_fdb_where(sw, m) < 0)
			break;
	}
	assert_true(i < 100);
	drain(sw, 1, NULL);
	switch_port_rx(sw, 1, f, eth_frame(f, m, b, 64, 0));
	assert_int_equal(drain(sw, 0, NULL), 1);

	/* aging: b was seen at cycle 0; alive until cycle 999 */
	switch_step(sw, 999);
	assert_int_equal(switch_fdb_where(sw, b), 1);
	switch_step(sw, 1);
	assert_int_equal(switch_fdb_where(sw, b), -1);
	assert_int_equal(switch_fdb_count(sw), 0);
	/* a fresh frame teaches it again, in a freed way */
	switch_port_rx(sw, 1, f, eth_frame(f, m, b, 64, 0));
	assert_int_equal(switch_fdb_where(sw, b), 1);
	switch_free(sw);
}

/* ------------------------------------------------------------ bad input */

static void bad_input(void **state)
{
	static const unsigned int dup[] = { 0, 1, 0 }, far[] = { 0, 5 };
	struct switch_config cfg = { .n_ports = 0 };
	struct switch_port_config pc = { 0 };
	struct eth_switch *sw;
	static uint8_t f[SWITCH_MAX_FRAME + 2], buf[100];
	uint8_t a[6], b[6];
	size_t len = 0;
	int err = 0;

	(void)state;
	assert_null(switch_new(&cfg, &err));
	assert_int_equal(err, TT_EINVAL);
	cfg.n_ports = SWITCH_MAX_PORTS + 1;
	assert_null(switch_new(&cfg, &err));
	cfg.n_ports = 2;
	cfg.lag_mode = 7;
	err = 0;
	assert_null(switch_new(&cfg, &err));
	assert_int_equal(err, TT_EINVAL);
	assert_null(switch_new(NULL, &err));

	sw = make(SWITCH_MAX_PORTS, NULL, 0, 0, seed);
	station(a, 1);
	station(b, 2);
	assert_int_equal(switch_port_rx(sw, SWITCH_MAX_PORTS, f, 64), TT_EINVAL);
	assert_int_equal(switch_port_rx(sw, 0, NULL, 64), TT_EINVAL);
	assert_int_equal(switch_port_tx(sw, SWITCH_MAX_PORTS, buf, sizeof(buf),
					&len), TT_EINVAL);
	assert_int_equal(switch_port_tx(sw, 0, buf, sizeof(buf), NULL), TT_EINVAL);
	assert_int_equal(switch_set_link(sw, SWITCH_MAX_PORTS, 1), TT_EINVAL);
	assert_int_equal(switch_port_configure(sw, SWITCH_MAX_PORTS, &pc), TT_EINVAL);
	pc.loss_ppm = SWITCH_LOSS_ONE + 1;
	assert_int_equal(switch_port_configure(sw, 0, &pc), TT_EINVAL);
	pc.loss_ppm = 0;
	pc.queue_frames = SWITCH_MAX_QUEUE_FRAMES + 1;
	assert_int_equal(switch_port_configure(sw, 0, &pc), TT_EINVAL);
	assert_int_equal(switch_port_stats(sw, SWITCH_MAX_PORTS, NULL), TT_EINVAL);
	assert_int_equal(switch_lag_set(sw, dup, 3), TT_EINVAL);
	assert_int_equal(switch_lag_set(sw, far, 2), TT_OK);
	assert_int_equal(switch_is_lag_member(sw, 5), 1);
	assert_int_equal(switch_lag_set(sw, NULL, 0), TT_OK);
	assert_int_equal(switch_is_lag_member(sw, 5), 0);
	assert_int_equal(switch_lag_member_for(sw, f, 13), TT_EINVAL);

	/* runts and oversize frames: counted drops, nothing forwarded */
	eth_frame(f, bcast, a, sizeof(f), 0);
	assert_int_equal(switch_port_rx(sw, 3, f, 0), TT_OK);
	assert_int_equal(switch_port_rx(sw, 3, f, 13), TT_OK);
	assert_int_equal(switch_port_rx(sw, 3, f, SWITCH_MAX_FRAME + 1), TT_OK);
	assert_int_equal(drops(sw, 3, SWITCH_DROP_RUNT), 2);
	assert_int_equal(drops(sw, 3, SWITCH_DROP_OVERSIZE), 1);
	assert_int_equal(switch_port_queued(sw, 4), 0);
	assert_int_equal(switch_fdb_count(sw), 0);
	/* the limits themselves pass */
	assert_int_equal(switch_port_rx(sw, 3, f, SWITCH_MIN_FRAME), TT_OK);
	assert_int_equal(switch_port_rx(sw, 3, f, SWITCH_MAX_FRAME), TT_OK);
	assert_int_equal(switch_port_queued(sw, 4), 2);
	/* a buffer too small: told the size, the frame stays */
	assert_int_equal(switch_port_tx(sw, 4, buf, sizeof(buf), &len), TT_OK);
	assert_int_equal(len, SWITCH_MIN_FRAME);
	assert_int_equal(switch_port_tx(sw, 4, buf, sizeof(buf), &len), TT_ETOOBIG);
	assert_int_equal(len, SWITCH_MAX_FRAME);
	assert_int_equal(switch_port_queued(sw, 4), 1);
	assert_int_equal(switch_port_tx(sw, 4, f, sizeof(f), &len), TT_OK);
	assert_int_equal(len, SWITCH_MAX_FRAME);
	assert_string_equal(switch_drop_str(SWITCH_DROP_QUEUE_FULL), "QUEUE_FULL");
	assert_string_equal(switch_drop_str(-1), "?");
	assert_string_equal(switch_drop_str(SWITCH_DROP_COUNT), "?");
	switch_free(sw);
	switch_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_flooded_known_forwarded),
		cmocka_unit_test(same_port_filtered),
		cmocka_unit_test(broadcast_flooded_lag_once),
		cmocka_unit_test(lag_learned_as_group),
		cmocka_unit_test(lag_spreads_flows),
		cmocka_unit_test(lag_flow_stays_while_stable),
		cmocka_unit_test(lag_down_moves_only_its_flows),
		cmocka_unit_test(lag_modulo_rehashes_all),
		cmocka_unit_test(lag_hash_is_keyed),
		cmocka_unit_test(lag_all_down),
		cmocka_unit_test(latency_in_cycles),
		cmocka_unit_test(loss_rate_within_tolerance),
		cmocka_unit_test(queue_bound_tail_drop),
		cmocka_unit_test(link_down_drops_not_queues),
		cmocka_unit_test(fdb_bounded_and_aging),
		cmocka_unit_test(bad_input),
	};

	seed = testenv_seed("test_switch");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
