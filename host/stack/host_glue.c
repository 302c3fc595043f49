/* SPDX-License-Identifier: MIT */
/*
 * The team's stack on a tt_host (host_glue.h): the host's callbacks into
 * the stack, the stack's frames onto the cards, the stack's offload hooks
 * onto reload.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "teamtoe/err.h"
#include "teamtoe/host_glue.h"
#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"
#include "teamtoe/stack_offl.h"

struct tt_glue {
	struct tt_host *h;
	struct tt_stack *s;
	struct tt_host_ops saved;      /* the host's callbacks before us */
	unsigned int tx_tries;
	int rx_nid;                    /* card of the frame being handled, or -1 */
	void (*notify)(void *arg);
	void *notify_arg;
	struct tt_glue_stats st;
};

static uint64_t glue_now(void *arg);
static void glue_notify(void *arg);
static int glue_pick(struct tt_glue *g, const struct tt_tuple *t);
static int glue_output(void *arg, const uint8_t *frame, size_t len,
		       const struct tt_tuple *t);
static void glue_sw_rx(void *arg, unsigned int nid, const uint8_t *frame,
		       size_t len);
static void glue_offl_rx(void *arg, unsigned int nid, const struct tt_tuple *t,
			 const uint8_t *frame, size_t len);
static void glue_upload(void *arg, const struct tt_ctx *ctx, int why);
static void glue_payload(void *arg, unsigned int nid, const struct tt_tuple *t,
			 uint32_t seq, const uint8_t *data, size_t len);
static void glue_acked(void *arg, unsigned int nid, const struct tt_tuple *t,
		       uint32_t snd_una);
static int glue_offload(void *arg, const struct tt_ctx *ctx);
static void glue_doorbell(void *arg, const struct tt_tuple *t, uint32_t end);
static int glue_read(void *arg, unsigned int nid, const struct tt_tuple *t,
		     uint32_t seq, size_t len, uint8_t *out);
static int glue_reclaim(void *arg, const struct tt_tuple *t);

/* The host's clock, shared: the stack's timers and the records' aging
 * see the same time. */
static uint64_t glue_now(void *arg)
{
	struct tt_glue *g = arg;
	struct timespec ts;

	if (g->saved.now_ms)
		return g->saved.now_ms(g->saved.arg);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void glue_notify(void *arg)
{
	struct tt_glue *g = arg;

	g->notify(g->notify_arg);
}

static int card_usable(const struct tt_host *h, int nid)
{
	return nid >= 0 && (unsigned int)nid < h->n_cards &&
	       !h->cards[nid].dead && h->cards[nid].link_up;
}

/* The card a frame leaves by: the record's, the receiving one, the first
 * one up. */
static int glue_pick(struct tt_glue *g, const struct tt_tuple *t)
{
	struct tt_host *h = g->h;
	struct tt_rec *rec = t ? tt_records_lookup(h->rec, t) : NULL;
	unsigned int i;

	if (rec && card_usable(h, (int)tt_rec_nid(rec)))
		return (int)tt_rec_nid(rec);
	if (card_usable(h, g->rx_nid))
		return g->rx_nid;
	for (i = 0; i < h->n_cards; i++)
		if (card_usable(h, (int)i))
			return (int)i;
	return -1;
}

static int glue_output(void *arg, const uint8_t *frame, size_t len,
		       const struct tt_tuple *t)
{
	struct tt_glue *g = arg;
	int nid = glue_pick(g, t), r = TT_EAGAIN;
	unsigned int k;

	if (nid < 0) {
		g->st.tx_lost++;
		return TT_EAGAIN;
	}
	for (k = 0; k <= g->tx_tries; k++) {
		r = tt_card_host_tx(g->h->cards[nid].card, frame, len);
		if (r != TT_EAGAIN)
			break;
		/* time passes for every card while the host waits */
		g->st.tx_waits++;
		tt_host_step(g->h, 16);
	}
	if (r != TT_OK) {
		g->st.tx_lost++;
		return r;
	}
	g->st.tx_frames[nid]++;
	return 0;
}

static void glue_sw_rx(void *arg, unsigned int nid, const uint8_t *frame,
		       size_t len)
{
	struct tt_glue *g = arg;
	int prev = g->rx_nid;

	g->st.rx_frames++;
	g->rx_nid = (int)nid;
	tt_stack_input(g->s, frame, len);
	g->rx_nid = prev;
}

/* A segment without SYN, FIN, RST or URG, with ACK set: nothing in it
 * needs the software to finish a state change. */
static int glue_plain_segment(const uint8_t *frame, size_t len)
{
	struct tt_proc_pkt p;

	if (tt_proc_parse(frame, len, &p) < 0)
		return 0;
	return (p.flags & (TT_TCPF_SYN | TT_TCPF_FIN | TT_TCPF_RST |
			   TT_TCPF_URG | TT_TCPF_ACK)) == TT_TCPF_ACK;
}

/* Everything the stack sent is acknowledged and nothing waits to be
 * sent: a card of any revision can take the connection as it is. */
static int glue_idle_sender(struct tt_glue *g, const struct tt_tuple *t)
{
	struct tt_ctx c;

	return tt_stack_ctx_fill(g->s, t, &c) == 0 && c.snd_una == c.snd_max;
}

/* A segment of a connection a card runs reached the host: one with
 * SYN/FIN/RST/URG, one the engine refused, one the card classified just
 * before the connection's import took effect, or the one that triggered
 * a reload (block 414: it arrived before the context did). The stack
 * can only process it with the connection's state, so the connection
 * comes back first. After a plain segment on the card the record names
 * the stack has nothing to finish, and if it has sent nothing
 * unacknowledged and holds the stream in order (tt_stack_ctx_fill), the
 * connection goes back onto that card at once: without this, every
 * reload would end in software. */
static void glue_offl_rx(void *arg, unsigned int nid, const struct tt_tuple *t,
			 const uint8_t *frame, size_t len)
{
	struct tt_glue *g = arg;
	struct tt_rec *rec = tt_records_lookup(g->h->rec, t);
	int again = 0;

	if (rec && tt_rec_offloaded(rec)) {
		g->st.offl_uploads++;
		again = tt_rec_nid(rec) == nid && glue_plain_segment(frame, len);
		tt_upload(g->h, rec, TT_UPLOAD_REQUEST);
	}
	glue_sw_rx(g, nid, frame, len);
	if (again && glue_idle_sender(g, t)) {
		g->st.offl_reoffers++;
		tt_stack_offload(g->s, t);
	}
}

static void glue_upload(void *arg, const struct tt_ctx *ctx, int why)
{
	struct tt_glue *g = arg;

	(void)why;
	if (tt_stack_ctx_resume(g->s, ctx) < 0)
		g->st.resume_fail++;
}

static void glue_payload(void *arg, unsigned int nid, const struct tt_tuple *t,
			 uint32_t seq, const uint8_t *data, size_t len)
{
	struct tt_glue *g = arg;

	(void)nid;
	tt_stack_offl_payload(g->s, t, seq, data, len);
}

static void glue_acked(void *arg, unsigned int nid, const struct tt_tuple *t,
		       uint32_t snd_una)
{
	struct tt_glue *g = arg;

	(void)nid;
	tt_stack_offl_acked(g->s, t, snd_una);
}

static int glue_offload(void *arg, const struct tt_ctx *ctx)
{
	struct tt_glue *g = arg;

	return tt_offload(g->h, ctx) == TT_OFFLOAD_OK ? 0 : -1;
}

/* The card's DMA read: the bytes from the connection's send buffer. */
static int glue_read(void *arg, unsigned int nid, const struct tt_tuple *t,
		     uint32_t seq, size_t len, uint8_t *out)
{
	struct tt_glue *g = arg;

	(void)nid;
	return tt_stack_offl_read(g->s, t, seq, len, out);
}

/* Revision 1.3 takes the doorbell and sends; a full doorbell queue is
 * waited out (the card steps, as for a host frame), since a lost doorbell
 * would leave data unsent until the next one. A card without a transmit
 * engine (revision 1.2 receives only) refuses the doorbell: the
 * connection comes back to software, which sends. */
static void glue_doorbell(void *arg, const struct tt_tuple *t, uint32_t end)
{
	struct tt_glue *g = arg;
	struct tt_rec *rec = tt_records_lookup(g->h->rec, t);
	struct tt_card *c;
	unsigned int tries = 0;
	int r;

	if (!rec || !tt_rec_offloaded(rec)) {
		g->st.doorbell_fail++;
		return;
	}
	c = g->h->cards[tt_rec_nid(rec)].card;
	while ((r = tt_card_doorbell(c, rec->card_slot, end)) == TT_EAGAIN &&
	       tries++ < g->tx_tries) {
		g->st.tx_waits++;
		tt_card_step(c, 16);
	}
	if (r == TT_EUNSUPPORTED) {
		g->st.doorbell_uploads++;
		tt_upload(g->h, rec, TT_UPLOAD_REQUEST);
	} else if (r != TT_OK) {
		g->st.doorbell_fail++;
	}
}

static int glue_reclaim(void *arg, const struct tt_tuple *t)
{
	struct tt_glue *g = arg;
	struct tt_rec *rec = tt_records_lookup(g->h->rec, t);

	if (!rec || !tt_rec_offloaded(rec))
		return TT_ENOTFOUND;
	return tt_upload(g->h, rec, TT_UPLOAD_REQUEST);
}

int tt_glue_attach(struct tt_glue **gp, struct tt_host *h,
		   const struct tt_glue_params *p, char *err, size_t errlen)
{
	struct tt_stack_offl_ops offl = {
		.offload = glue_offload, .doorbell = glue_doorbell,
		.upload = glue_reclaim,
	};
	struct tt_stack_params sp;
	struct tt_glue *g;
	int r;

	*gp = NULL;
	if (!h)
		return tt_errf(err, errlen, TT_EINVAL, "glue: no host");
	g = calloc(1, sizeof(*g));
	if (!g)
		return tt_errf(err, errlen, TT_ENOMEM, "glue: out of memory");
	g->h = h;
	g->saved = h->p.ops;
	g->rx_nid = -1;
	g->tx_tries = p && p->tx_tries ? p->tx_tries : TT_GLUE_DEF_TX_TRIES;
	if (p && p->stack)
		sp = *p->stack;
	else
		tt_stack_params_default(&sp);
	memcpy(sp.mac, h->team->cfg.mac, 6);
	sp.ipv4 = h->team->cfg.ipv4;
	sp.output = glue_output;
	sp.now_ms = glue_now;
	g->notify = p ? p->notify : NULL;
	g->notify_arg = p ? p->notify_arg : NULL;
	sp.notify = g->notify ? glue_notify : NULL;
	sp.arg = g;
	r = tt_stack_new(&g->s, &sp, err, errlen);
	if (r < 0) {
		free(g);
		return r;
	}
	offl.arg = g;
	tt_stack_set_offload(g->s, &offl, p ? p->offload_on_establish : 0);

	h->p.ops.sw_rx = glue_sw_rx;
	h->p.ops.offl_rx = glue_offl_rx;
	h->p.ops.upload = glue_upload;
	h->p.ops.payload = glue_payload;
	h->p.ops.acked = glue_acked;
	h->p.ops.read = glue_read;
	h->p.ops.now_ms = glue_now;
	h->p.ops.arg = g;
	*gp = g;
	return 0;
}

void tt_glue_detach(struct tt_glue *g)
{
	if (!g)
		return;
	g->h->p.ops = g->saved;
	tt_stack_free(g->s);
	free(g);
}

struct tt_stack *tt_glue_stack(struct tt_glue *g)
{
	return g->s;
}

const struct tt_glue_stats *tt_glue_stats(const struct tt_glue *g)
{
	return &g->st;
}
