/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffcmp.h"
#include "framegen.h"
#include "teamtoe/pcap_io.h"

#define HISTORY 64     /* items per side and stream kept for the pcap files */
#define DESC_BYTES DIFFCMP_DESC_BYTES /* serialized DMA descriptor */

struct item {
	struct item *next;
	size_t len;
	uint8_t bytes[];
};

struct side_stream {
	struct item *head, *tail;
	struct item *hist[HISTORY];
	uint64_t produced;
};

struct diffcmp {
	const char *names[2];
	uint64_t seed;
	const char *outdir;
	struct side_stream s[2][DIFF_STREAMS];
	uint64_t compared[DIFF_STREAMS];
	uint8_t *buf;
	void (*observe)(void *arg, enum diff_stream st, const uint8_t *p, size_t len);
	void *observe_arg;
};

void diffcmp_observe(struct diffcmp *d,
		     void (*fn)(void *arg, enum diff_stream st,
				const uint8_t *p, size_t len),
		     void *arg)
{
	d->observe = fn;
	d->observe_arg = arg;
}

static const char *const stream_names[DIFF_STREAMS] = {
	[DIFF_NET_TX] = "network TX (host frames)", [DIFF_DMA_WRITE] = "DMA write",
	[DIFF_EVENT] = "event", [DIFF_CTX] = "context result",
	[DIFF_COUNTERS] = "counters",
	[DIFF_NET_TX_ENGINE] = "network TX (engine frames)",
	[DIFF_EVENT_LINK] = "LINK event", [DIFF_TRACE] = "trace item",
	[DIFF_RD_REQ] = "DMA read request",
};

static const char *const pcap_names[DIFF_STREAMS] = {
	[DIFF_NET_TX] = "net-tx", [DIFF_DMA_WRITE] = "dma-write",
	[DIFF_NET_TX_ENGINE] = "net-tx-engine",
};

struct diffcmp *diffcmp_new(const char *names[2], uint64_t seed, const char *outdir)
{
	struct diffcmp *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->names[0] = names[0];
	d->names[1] = names[1];
	d->seed = seed;
	d->outdir = outdir;
	d->buf = malloc(0x10000);
	if (!d->buf) {
		free(d);
		return NULL;
	}
	return d;
}

void diffcmp_free(struct diffcmp *d)
{
	if (!d)
		return;
	for (int side = 0; side < 2; side++)
		for (int st = 0; st < DIFF_STREAMS; st++) {
			struct side_stream *ss = &d->s[side][st];
			for (struct item *it = ss->head, *n; it; it = n) {
				n = it->next;
				free(it);
			}
			for (int i = 0; i < HISTORY; i++)
				free(ss->hist[i]);
		}
	free(d->buf);
	free(d);
}

uint64_t diffcmp_count(const struct diffcmp *d, enum diff_stream s)
{
	return d->compared[s];
}

static void write_pcap(struct diffcmp *d, int side, enum diff_stream st)
{
	struct side_stream *ss = &d->s[side][st];
	struct tt_pcap_writer *w;
	char path[512], err[256];
	size_t skip = st == DIFF_DMA_WRITE ? DESC_BYTES : 0;
	uint64_t first = d->compared[st] > HISTORY ? d->compared[st] - HISTORY : 0;

	snprintf(path, sizeof(path), "%s/diff-%s-%s.pcap", d->outdir, d->names[side],
		 pcap_names[st]);
	if (tt_pcap_writer_open(&w, path, err, sizeof(err))) {
		fprintf(stderr, "diff: %s\n", err);
		return;
	}
	/* The compared history in order, then the divergent item; the
	 * timestamp in cycles is the item's index in its stream. */
	for (uint64_t k = first; k <= d->compared[st]; k++) {
		struct item *it = k < d->compared[st] ? ss->hist[k % HISTORY] : ss->head;
		if (it && it->len > skip)
			tt_pcap_write(w, k, it->bytes + skip, it->len - skip);
	}
	tt_pcap_writer_close(w);
	fprintf(stderr, "diff: wrote %s (the last %llu items; the divergent one last)\n",
		path, (unsigned long long)(d->compared[st] - first + 1));
}

static const char *dma_field(size_t off)
{
	static const char *const f[DESC_BYTES] = {
		"kind", "reason", "len[7:0]", "len[15:8]", "slot[7:0]", "slot[15:8]",
		"seq[7:0]", "seq[15:8]", "seq[23:16]", "seq[31:24]", "pad", "pad" };
	return off < DESC_BYTES ? f[off] : "data";
}

static int report(struct diffcmp *d, enum diff_stream st, struct item *a,
		  struct item *b)
{
	size_t n = a->len < b->len ? a->len : b->len, off;
	uint64_t idx = d->compared[st];

	for (off = 0; off < n && a->bytes[off] == b->bytes[off]; off++)
		;
	fprintf(stderr, "diff: MISMATCH seed=%llu stream=%s index=%llu ",
		(unsigned long long)d->seed, stream_names[st], (unsigned long long)idx);
	if (off < n) {
		fprintf(stderr, "byte offset=%zu%s%s: %s=0x%02x %s=0x%02x\n", off,
			st == DIFF_DMA_WRITE ? " field=" : "",
			st == DIFF_DMA_WRITE ? dma_field(off) : "",
			d->names[0], a->bytes[off], d->names[1], b->bytes[off]);
	} else {
		fprintf(stderr, "length: %s=%zu %s=%zu (equal up to byte %zu)\n",
			d->names[0], a->len, d->names[1], b->len, n);
	}
	if (st == DIFF_COUNTERS && off < n) {
		uint32_t va, vb;
		memcpy(&va, a->bytes + off / 4 * 4, 4);
		memcpy(&vb, b->bytes + off / 4 * 4, 4);
		fprintf(stderr, "diff: counter %s: %s=%u %s=%u\n",
			tt_counter_str((int)(off / 4)), d->names[0], va, d->names[1], vb);
	}
	fprintf(stderr, "diff: replay with TT_SEED=%llu\n", (unsigned long long)d->seed);
	if (pcap_names[st]) {
		write_pcap(d, 0, st);
		write_pcap(d, 1, st);
	}
	return -1;
}

/* Compare whatever both sides have for stream st. */
static int compare(struct diffcmp *d, enum diff_stream st)
{
	struct side_stream *s0 = &d->s[0][st], *s1 = &d->s[1][st];

	while (s0->head && s1->head) {
		struct item *a = s0->head, *b = s1->head;
		if (a->len != b->len || memcmp(a->bytes, b->bytes, a->len))
			return report(d, st, a, b);
		s0->head = a->next;
		s1->head = b->next;
		if (!s0->head)
			s0->tail = NULL;
		if (!s1->head)
			s1->tail = NULL;
		unsigned h = (unsigned)(d->compared[st] % HISTORY);
		free(s0->hist[h]);
		free(s1->hist[h]);
		s0->hist[h] = a;
		s1->hist[h] = b;
		d->compared[st]++;
	}
	return 0;
}

int diffcmp_add(struct diffcmp *d, int side, enum diff_stream st,
		const uint8_t *p, size_t len)
{
	struct side_stream *ss = &d->s[side][st];
	struct item *it = malloc(sizeof(*it) + len);

	if (side == 0 && d->observe)
		d->observe(d->observe_arg, st, p, len);
	if (!it) {
		fprintf(stderr, "diff: out of memory\n");
		return -1;
	}
	it->next = NULL;
	it->len = len;
	memcpy(it->bytes, p, len);
	if (ss->tail)
		ss->tail->next = it;
	else
		ss->head = it;
	ss->tail = it;
	ss->produced++;
	return compare(d, st);
}

static int ready(uint64_t *rs, unsigned pct)
{
	struct rng r = { *rs };
	int ok = pct >= 100 || rng_below(&r, 100) < pct;

	*rs = r.s;
	return ok;
}

int diffcmp_drain(struct diffcmp *d, int side, struct tt_card *c,
		  uint64_t *rs, unsigned pct)
{
	uint8_t *b = d->buf;
	size_t len;
	struct tt_dma_write w;
	struct tt_event ev;
	int src;

	while (ready(rs, pct) && tt_card_net_tx_src(c, b, 0x10000, &len, &src) == TT_OK)
		if (diffcmp_add(d, side, src == TT_TX_SRC_ENGINE ? DIFF_NET_TX_ENGINE
					   : DIFF_NET_TX, b, len))
			return -1;
	while (ready(rs, pct) &&
	       tt_card_dma_write(c, &w, b + DESC_BYTES, 0x10000 - DESC_BYTES) == TT_OK) {
		memset(b, 0, DESC_BYTES);
		b[0] = w.kind;
		b[1] = w.reason;
		b[2] = (uint8_t)w.len;
		b[3] = (uint8_t)(w.len >> 8);
		b[4] = (uint8_t)w.slot;
		b[5] = (uint8_t)(w.slot >> 8);
		for (int i = 0; i < 4; i++)
			b[6 + i] = (uint8_t)(w.seq >> (8 * i));
		if (diffcmp_add(d, side, DIFF_DMA_WRITE, b, DESC_BYTES + w.len))
			return -1;
	}
	while (ready(rs, pct) && tt_card_event(c, &ev) == TT_OK) {
		uint8_t e[7] = { ev.type, (uint8_t)ev.slot, (uint8_t)(ev.slot >> 8),
				 (uint8_t)ev.value, (uint8_t)(ev.value >> 8),
				 (uint8_t)(ev.value >> 16), (uint8_t)(ev.value >> 24) };
		if (diffcmp_add(d, side, ev.type == TT_EVT_LINK ? DIFF_EVENT_LINK
					   : DIFF_EVENT, e, sizeof(e)))
			return -1;
	}
	return 0;
}

int diffcmp_counters(struct diffcmp *d, struct tt_card *c[2])
{
	for (int side = 0; side < 2; side++) {
		uint8_t b[4 * TT_COUNTER_COUNT];
		for (int i = 0; i < TT_COUNTER_COUNT; i++) {
			uint32_t v = tt_card_counter(c[side], i);
			memcpy(b + 4 * i, &v, 4);
		}
		if (diffcmp_add(d, side, DIFF_COUNTERS, b, sizeof(b)))
			return -1;
	}
	return 0;
}

int diffcmp_finish(struct diffcmp *d)
{
	for (int st = 0; st < DIFF_STREAMS; st++) {
		struct side_stream *s0 = &d->s[0][st], *s1 = &d->s[1][st];
		if (s0->head || s1->head) {
			fprintf(stderr, "diff: MISMATCH seed=%llu stream=%s index=%llu: "
				"%s produced %llu items, %s produced %llu\n",
				(unsigned long long)d->seed, stream_names[st],
				(unsigned long long)d->compared[st],
				d->names[0], (unsigned long long)s0->produced,
				d->names[1], (unsigned long long)s1->produced);
			return -1;
		}
	}
	return 0;
}
