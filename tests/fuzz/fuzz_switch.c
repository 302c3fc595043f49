/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the simulated switch (sw-model/switch.h) driven by a
 * script read from the input: frames of any length and content into any
 * port (out of range too), pulls with any buffer size, time, links going
 * down and up, aggregate membership and port parameters changing under
 * traffic. Invariants: ports count exactly what they were handed; a down
 * port holds nothing; no queue exceeds its bound; frames come out whole
 * and within the size limits; the aggregate only ever names an active
 * member; and nothing leaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switch.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_switch: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define MAX_PORTS 16u   /* enough for every path, small enough to hit */
#define STATIONS  6u

struct script {
	const uint8_t *p;
	size_t left;
};

static unsigned int next(struct script *s)
{
	if (!s->left)
		return 0;
	s->left--;
	return *s->p++;
}

static uint8_t frame[SWITCH_MAX_FRAME + 64], out[SWITCH_MAX_FRAME];

/* dst and src among a few stations and broadcast, then script bytes. */
static size_t make_frame(struct script *s)
{
	unsigned int hi = next(s), lo = next(s);
	size_t len = (hi << 8 | lo) % sizeof(frame), i;
	unsigned int d = next(s) % (STATIONS + 1), sr = next(s) % (STATIONS + 1);

	for (i = 0; i < len; i++)
		frame[i] = (uint8_t)(i * 31u);
	if (len >= 12) {
		memset(frame, 0xff, 6);
		if (d < STATIONS) {
			memset(frame, 0, 6);
			frame[0] = 0x02;
			frame[5] = (uint8_t)d;
		}
		memset(frame + 6, 0, 6);
		frame[6] = sr < STATIONS ? 0x02 : 0x01; /* a group source too */
		frame[11] = (uint8_t)sr;
	}
	for (i = 12; i < len && i < 12 + 64u && s->left; i++)
		frame[i] = (uint8_t)next(s);
	return len;
}

static int in_active(struct eth_switch *sw, int m)
{
	unsigned int act[SWITCH_MAX_PORTS], n = switch_lag_active(sw, act), i;

	for (i = 0; i < n; i++)
		if ((int)act[i] == m)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { data, size };
	struct switch_config cfg = { 0 };
	struct eth_switch *sw;
	uint64_t rx[MAX_PORTS] = { 0 };
	uint32_t bound[MAX_PORTS];
	unsigned int n, p, i, ops = 0;

	cfg.n_ports = 1 + next(&s) % MAX_PORTS;
	cfg.lag_mode = (int)(next(&s) & 1u);
	cfg.seed = next(&s);
	cfg.fdb_entries = 1 + next(&s) % 16; /* a table that fills */
	cfg.fdb_age = 1 + next(&s) * 64u;
	sw = switch_new(&cfg, NULL);
	CHECK(sw);
	n = cfg.n_ports;
	for (p = 0; p < n; p++) {
		bound[p] = SWITCH_DEF_QUEUE_FRAMES;
		switch_set_link(sw, p, 1);
	}
	while (s.left && ops++ < 4096) {
		unsigned int op = next(&s) % 8, b = next(&s);
		size_t len;
		int r;

		p = b % (n + 1); /* n itself: out of range */
		switch (op) {
		case 0:
			len = make_frame(&s);
			r = switch_port_rx(sw, p, frame, len);
			CHECK(r == (p < n ? TT_OK : TT_EINVAL));
			if (p < n)
				rx[p]++;
			break;
		case 1: {
			size_t cap = next(&s) & 1u ? sizeof(out) : next(&s);

			r = switch_port_tx(sw, p, out, cap, &len);
			if (p >= n)
				CHECK(r == TT_EINVAL);
			else if (r == TT_OK || r == TT_ETOOBIG)
				CHECK(len >= SWITCH_MIN_FRAME &&
				      len <= SWITCH_MAX_FRAME &&
				      (r == TT_OK) == (len <= cap));
			else
				CHECK(r == TT_EAGAIN);
			break;
		}
		case 2:
			switch_step(sw, (uint64_t)b * 16u);
			break;
		case 3:
			CHECK(switch_set_link(sw, p, !switch_link(sw, p)) ==
			      (p < n ? TT_OK : TT_EINVAL));
			break;
		case 4: {
			unsigned int members[MAX_PORTS], k = 0;
			unsigned int mask = b | next(&s) << 8;

			for (i = 0; i < n; i++)
				if (mask >> i & 1u)
					members[k++] = i;
			CHECK(switch_lag_set(sw, members, k) == TT_OK);
			break;
		}
		case 5: {
			struct switch_port_config pc;

			/* one field at a time: initializers have no order */
			pc.latency = next(&s);
			pc.loss_ppm = next(&s) * 4000u;
			pc.queue_frames = next(&s) % 17u;
			pc.bytes_per_cycle = next(&s) % 4u;

			r = switch_port_configure(sw, p, &pc);
			if (p >= n || pc.loss_ppm > SWITCH_LOSS_ONE) {
				CHECK(r == TT_EINVAL);
			} else if (r == TT_OK) {
				bound[p] = pc.queue_frames ? pc.queue_frames :
					   SWITCH_DEF_QUEUE_FRAMES;
			} else {
				CHECK(r == TT_EBUSY && switch_port_queued(sw, p));
			}
			break;
		}
		case 6:
			len = make_frame(&s);
			r = switch_lag_member_for(sw, frame, len);
			if (len < SWITCH_MIN_FRAME)
				CHECK(r == TT_EINVAL);
			else if (r != TT_ENOTFOUND)
				CHECK(r >= 0 && in_active(sw, r));
			break;
		default:
			for (i = 0; i < n; i++)
				while (switch_port_tx(sw, i, out, sizeof(out),
						      &len) == TT_OK)
					;
			break;
		}
		for (i = 0; i < n; i++) {
			struct switch_port_stats st;

			CHECK(switch_port_stats(sw, i, &st) == TT_OK);
			CHECK(st.rx_frames == rx[i]);
			CHECK(switch_port_queued(sw, i) <= bound[i]);
			if (!switch_link(sw, i))
				CHECK(switch_port_queued(sw, i) == 0);
		}
	}
	switch_free(sw);
	return 0;
}
