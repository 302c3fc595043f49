/* SPDX-License-Identifier: MIT */
/*
 * Tests of the software stack (host/stack): one or two stacks on a fake
 * clock, either capturing what they send (protocol tests craft segments,
 * feed them in and read the answers, lwIP's tcp_helper shape) or wired
 * back to back through a seeded channel that loses, duplicates, delays
 * and reorders frames.
 */
#ifndef TT_TEST_STACKENV_H
#define TT_TEST_STACKENV_H

#include <stddef.h>
#include <stdint.h>

#include "framegen.h"
#include "teamtoe/api.h"
#include "teamtoe/stack.h"

#define SE_IP_A   0xc6120001u  /* 198.18.0.1 */
#define SE_IP_B   0xc6120002u  /* 198.18.0.2 */
#define SE_IP_C   0xc6120003u  /* 198.18.0.3: a crafted peer */
#define SE_FRAME  9216u
#define SE_CAP    256u         /* frames captured per side */
#define SE_FLIGHT 1024u        /* frames in the channel */

extern const uint8_t se_mac_a[6], se_mac_b[6], se_mac_c[6];

struct se_frame {
	uint64_t due;
	int to;
	size_t len;
	uint8_t *data;
};

struct stackenv {
	uint64_t now;                 /* ms */
	struct tt_stack *s[2];
	int wired;                    /* 1: frames cross the channel */
	/* capture (wired = 0): FIFO of frames each side sent */
	uint8_t *cap[2];
	size_t cap_len[2][SE_CAP];
	int cap_tuple[2][SE_CAP];     /* output had a tuple */
	unsigned int cap_head[2], cap_n[2];
	/* channel (wired = 1) */
	struct rng rng;
	uint32_t loss_pm, dup_pm, reorder_pm; /* per mille */
	uint32_t delay_ms, jitter_ms;
	struct se_frame flight[SE_FLIGHT];
	uint8_t *flight_mem;
	uint64_t sent, lost, dups, reordered, overflow;
	int fail_output[2];           /* output callback returns -1 */
};

/* One or two stacks; pa/pb may be NULL (defaults). Side 0 is 198.18.0.1,
 * side 1 198.18.0.2. Aborts the program on failure. */
void stackenv_open(struct stackenv *e, int two, const struct tt_stack_params *pa,
		   const struct tt_stack_params *pb);
void stackenv_close(struct stackenv *e);
/* Parameters for side `side` (defaults, address, callbacks). */
void stackenv_params(struct stackenv *e, int side, struct tt_stack_params *p);

/* Advance the clock by ms, one ms at a time: deliver what is due, run
 * both stacks' timers. */
void stackenv_run(struct stackenv *e, uint64_t ms);
/* Feed a frame into side's stack as received. */
void stackenv_inject(struct stackenv *e, int side, const uint8_t *f,
		     size_t len);
/* Pop the oldest frame side sent (wired = 0): its length, 0 if none. */
size_t stackenv_take(struct stackenv *e, int side, uint8_t *buf);
/* Frames side sent and nobody took. */
unsigned int stackenv_pending(const struct stackenv *e, int side);
void stackenv_drain(struct stackenv *e, int side);

/* A TCP segment to craft. */
struct se_seg {
	const uint8_t *src_mac, *dst_mac;
	uint32_t src_ip, dst_ip;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;                 /* 0: no option */
	int ws;                       /* < 0: no option */
	const uint8_t *payload;
	size_t len;
};
size_t se_tcp_build(uint8_t *buf, const struct se_seg *g);

/* A TCP frame as parsed back. */
struct se_tcp {
	uint32_t src_ip, dst_ip;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t mss;                 /* 0: absent */
	int ws;                       /* -1: absent */
	size_t len;
	const uint8_t *data;
	uint8_t dst_mac[6];
	int csum_ok;                  /* IPv4 and TCP checksums verify */
};
/* Returns 0 if f is an Ethernet/IPv4/TCP frame. */
int se_tcp_parse(const uint8_t *f, size_t len, struct se_tcp *t);

/* Take the next frame of side into buf and parse it as TCP: 0, or -1
 * if there is none or it is not TCP (t->data points into buf). */
int se_take_tcp(struct stackenv *e, int side, uint8_t *buf, struct se_tcp *t);

#ifdef cmocka_unit_test
/* cmocka assertions (include <cmocka.h> first). */
static inline void se_expect_tcp(struct stackenv *e, int side, uint8_t *buf,
				 struct se_tcp *t)
{
	if (se_take_tcp(e, side, buf, t) < 0)
		fail_msg("side %d sent no TCP frame", side);
	assert_true(t->csum_ok);
}

static inline void se_expect_none(struct stackenv *e, int side)
{
	if (stackenv_pending(e, side))
		fail_msg("side %d sent %u unexpected frame(s)", side,
			 stackenv_pending(e, side));
}
#endif

/* Side 0 accepts a connection on port from a crafted peer C (cport,
 * ISN c_isn, MSS option mss (0: none), window scale ws (< 0: none),
 * window win): SYN in, SYN-ACK out, ACK in. Returns the accepted handle
 * (and our ISN in *iss), or < 0. The listener stays (backlog 8). */
int stackenv_crafted(struct stackenv *e, uint16_t port, uint16_t cport,
		     uint32_t c_isn, uint16_t mss, int ws, uint16_t win,
		     uint32_t *iss);
/* A segment from crafted C:cport to side 0's port; win as given. */
void stackenv_inject_seg(struct stackenv *e, uint16_t cport, uint16_t port,
			 uint32_t seq, uint32_t ack, uint8_t flags,
			 uint16_t win, const uint8_t *data, size_t len);

/* Counter of side's stack by enum tt_stack_counter. */
uint64_t se_cnt(struct stackenv *e, int side, int c);

/* Pop every ready-list entry of side into a mask per handle: returns the
 * events of handle h seen (others are dropped). */
unsigned int se_events(struct stackenv *e, int side, int h);

#endif
