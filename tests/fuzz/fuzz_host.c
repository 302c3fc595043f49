/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the host runtime (struct tt_host, the packet
 * procedure 402-414, offload/reload/upload, link faults, aging) on a team
 * of model cards, driven by a little script.
 *
 * Input: byte 0 picks the team (1 + b % 4 cards, policy (b >> 2) & 1),
 * then operations, each one byte: card = (op >> 4) % cards, and op & 15:
 *   0  raw frame: 2-byte big-endian length L, L bytes, to the card's wire
 *   1  the same with the IPv4 and TCP checksums fixed
 *   2  a well-formed TCP segment of a small tuple space: tuple byte,
 *      flags byte, 2 bytes of sequence
 *   3  link down           4  link up
 *   5  poll 16 * (1 + next byte) cycles
 *   6  offload a connection (tuple byte)
 *   7  upload it           8  reload it onto the card
 *   9  the card fails (dead, handled as a link down)
 *  10  the clock moves next byte * 64 ms (aging, DoS windows)
 *  other  poll 16 cycles
 * Then the host polls until every card is idle and drained.
 *
 * Invariants (abort on violation): every exception frame has exactly one
 * procedure result; offloaded records point at a card and a slot that
 * exist; the record count stays within capacity.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framegen.h"
#include "hostenv.h"
#include "teamtoe/faults.h"
#include "teamtoe/reload.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_host: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

static uint8_t frame[TT_MAX_FRAME + 64];

struct script {
	const uint8_t *p;
	size_t n;
};

static unsigned int next(struct script *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

/* A tuple byte: 8 peers x 16 ports x 2 local ports, so that segments,
 * offloads and reloads of the same connection meet. */
static void tuple_of(unsigned int b, uint32_t *ip, uint16_t *sport,
		     uint16_t *dport)
{
	*ip = HOSTENV_PEER_IP + (b & 7);
	*sport = (uint16_t)(40000 + ((b >> 3) & 15));
	*dport = (uint16_t)(80 + (b >> 7));
}

static struct tt_rec *rec_of(struct hostenv *e, unsigned int b)
{
	uint32_t ip;
	uint16_t sport, dport;
	struct tt_tuple t;

	tuple_of(b, &ip, &sport, &dport);
	t = hostenv_tuple(ip, sport, dport);
	return tt_records_lookup(e->h->rec, &t);
}

static void put(struct hostenv *e, unsigned int nid, const uint8_t *f,
		size_t len)
{
	struct tt_card *c = tt_host_card(e->h, nid);

	if (e->h->cards[nid].dead)
		return;
	for (int i = 0; i < 100 && tt_card_net_rx(c, f, len) == TT_EAGAIN; i++)
		tt_host_poll(e->h, 16);
}

static void check(struct hostenv *e)
{
	struct tt_host *h = e->h;
	uint64_t sum = 0;
	uint32_t pos = 0;
	struct tt_rec *rec;

	for (int i = 0; i < TT_PROC_N; i++)
		sum += h->st.proc[i];
	CHECK(sum == h->st.frames);
	CHECK(h->rec->count <= h->rec->capacity);
	while ((rec = tt_records_next(h->rec, &pos))) {
		if (!tt_rec_offloaded(rec))
			continue;
		CHECK(tt_rec_nid(rec) < h->n_cards);
		CHECK(rec->card_slot < h->cards[tt_rec_nid(rec)].slots);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { data, size };
	struct hostenv e;
	unsigned int n, b;

	if (size < 1)
		return 0;
	b = next(&s);
	n = 1 + b % 4;
	memset(&e, 0, sizeof(e));
	e.max_conns = 64;
	hostenv_open(&e, "model", n, (b >> 2) & 1);

	while (s.n) {
		unsigned int op = next(&s), nid = (op >> 4) % n;
		struct tt_card *c = tt_host_card(e.h, nid);
		struct tt_rec *rec;
		struct tt_ctx ctx;
		uint32_t ip;
		uint16_t sport, dport;
		size_t len;

		switch (op & 15) {
		case 0:
		case 1:
			len = next(&s) << 8;
			len |= next(&s);
			if (len > s.n)
				len = s.n;
			if (len > TT_MAX_FRAME)
				len = TT_MAX_FRAME;
			memcpy(frame, s.p, len);
			s.p += len;
			s.n -= len;
			if ((op & 15) == 1 && len >= 34 && frame[12] == 8 &&
			    frame[13] == 0 && frame[14] == 0x45) {
				fg_fix_ip_csum(frame);
				if (frame[23] == 6 && len >= 54 &&
				    (size_t)(frame[16] << 8 | frame[17]) + 14 <= len &&
				    (frame[16] << 8 | frame[17]) >= 40)
					fg_fix_tcp_csum(frame);
			}
			if (len)
				put(&e, nid, frame, len);
			break;
		case 2:
			b = next(&s);
			tuple_of(b, &ip, &sport, &dport);
			b = next(&s); /* flags */
			len = hostenv_frame(frame, ip, sport, dport, (uint8_t)b,
					    next(&s) << 8 | next(&s));
			put(&e, nid, frame, len);
			break;
		case 3:
			tt_card_set_link(c, 0);
			break;
		case 4:
			tt_card_set_link(c, 1);
			break;
		case 5:
			tt_host_poll(e.h, 16 * (1 + (uint64_t)next(&s)));
			break;
		case 6:
			tuple_of(next(&s), &ip, &sport, &dport);
			hostenv_ctx_make(&ctx, ip, sport, dport, (uint32_t)s.n);
			tt_offload(e.h, &ctx);
			break;
		case 7:
			rec = rec_of(&e, next(&s));
			if (rec && tt_rec_offloaded(rec))
				tt_upload(e.h, rec, TT_UPLOAD_REQUEST);
			break;
		case 8:
			rec = rec_of(&e, next(&s));
			if (rec && tt_rec_offloaded(rec))
				tt_reload(e.h, rec, nid);
			break;
		case 9:
			if (!e.h->cards[nid].dead)
				tt_faults_card_failed(e.h, nid);
			break;
		case 10:
			e.now += 64 * (uint64_t)next(&s);
			break;
		default:
			tt_host_poll(e.h, 16);
			break;
		}
		check(&e);
	}
	for (int i = 0; i < 1000; i++) {
		int idle = 1;

		for (unsigned int k = 0; k < n; k++)
			idle &= e.h->cards[k].dead || tt_card_idle(e.h->cards[k].card);
		if (tt_host_poll(e.h, 64) == 0 && idle)
			break;
	}
	check(&e);
	hostenv_close(&e);
	return 0;
}
