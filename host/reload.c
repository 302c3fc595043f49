/* SPDX-License-Identifier: MIT */
/*
 * Offload, reload (block 414) and upload over the context port; see
 * reload.h.
 */
#include <assert.h>
#include <string.h>
#include <time.h>

#include "teamtoe/reload.h"

static int ctx_match(const struct tt_ctx_cmd *cmd,
		     const struct tt_ctx_result *res);
static uint64_t reload_ns(void);
static void reload_tuple(const struct tt_ctx *c, struct tt_tuple *t);
static void reload_shadow(const struct tt_ctx *c, struct tt_shadow *sh);
static int reload_import(struct tt_host *h, unsigned int nid,
			 const uint8_t rec[TT_CTX_BYTES], uint16_t *slot,
			 uint64_t *cycles);
static void reload_take(struct tt_host *h, struct tt_rec *rec,
			uint8_t out[TT_CTX_BYTES], int *rebuilt,
			uint64_t *cycles);
static void reload_to_stack(struct tt_host *h,
			    const uint8_t rec[TT_CTX_BYTES], int why);

static int ctx_match(const struct tt_ctx_cmd *cmd,
		     const struct tt_ctx_result *res)
{
	if (res->op != cmd->op)
		return 0;
	if (cmd->op == TT_CTX_IMPORT)
		return !memcmp(res->rec, cmd->rec, TT_CTX_BYTES);
	return res->slot == cmd->slot;
}

static uint64_t reload_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A context record's tuple as a connection record's: the peer is s*. */
static void reload_tuple(const struct tt_ctx *c, struct tt_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->saddr = c->remote_ip;
	t->daddr = c->local_ip;
	t->sport = c->remote_port;
	t->dport = c->local_port;
}

static void reload_shadow(const struct tt_ctx *c, struct tt_shadow *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->rcv_nxt = c->rcv_nxt;
	sh->snd_una = c->snd_una;
	sh->mss = c->mss;
	sh->snd_wscale = c->snd_wscale;
	sh->rcv_wscale = c->rcv_wscale;
	if (c->snd_wscale || c->rcv_wscale)
		sh->opts |= TT_SHADOW_WSCALE;
}

void tt_ctx_stale(struct tt_host *h, unsigned int nid,
		  const struct tt_ctx_result *res)
{
	struct tt_ctx_cmd ev = { .op = TT_CTX_EXPORT };

	h->st.ctx_stale++;
	if (res->op != TT_CTX_IMPORT || res->status != TT_OK ||
	    nid >= h->n_cards || h->cards[nid].dead)
		return;
	/* The host gave up on this import and runs the connection in
	 * software: take it back off the card. Its own result is stale
	 * too and ends here. */
	ev.slot = res->slot;
	if (tt_card_ctx_cmd(h->cards[nid].card, &ev) == TT_OK)
		h->st.ctx_evicted++;
}

int tt_ctx_sync(struct tt_host *h, unsigned int nid,
		const struct tt_ctx_cmd *cmd, struct tt_ctx_result *res,
		uint64_t *cycles)
{
	uint64_t start, waited = 0, bound;
	struct tt_card *c;
	int r;

	if (cycles)
		*cycles = 0;
	if (nid >= h->n_cards || !cmd || !res)
		return TT_EINVAL;
	if (h->cards[nid].dead)
		return TT_EBUSY;
	c = h->cards[nid].card;
	bound = h->p.no_timeout ? 0 : h->p.ctx_timeout_cycles;
	start = tt_card_cycles(c);
	while ((r = tt_card_ctx_cmd(c, cmd)) == TT_EAGAIN) {
		if (waited >= bound)
			goto err_timeout;
		tt_host_step(h, 1);
		waited++;
	}
	if (r < 0)
		return r;
	for (;;) {
		while (tt_card_ctx_result(c, res) == TT_OK) {
			if (ctx_match(cmd, res)) {
				if (cycles)
					*cycles = tt_card_cycles(c) - start;
				return res->status;
			}
			tt_ctx_stale(h, nid, res);
		}
		if (waited >= bound)
			goto err_timeout;
		tt_host_step(h, 1);
		waited++;
		/* A result waits for the card's outputs before it (revision
		 * 1.2): keep taking them so that full queues never hold it. */
		tt_host_flush(h, nid);
	}

err_timeout:
	h->st.ctx_timeouts++;
	if (cycles)
		*cycles = tt_card_cycles(c) - start;
	return TT_EBUSY;
}

int tt_reload_pick(struct tt_host *h, int except)
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < h->n_cards; i++) {
		const struct tt_host_card *hc = &h->cards[i];

		if ((int)i == except || hc->dead || !hc->link_up ||
		    hc->offloaded >= hc->slots)
			continue;
		if (h->team->cfg.policy == TT_POLICY_FIRST)
			return (int)i;
		if (best < 0 || hc->offloaded < h->cards[best].offloaded)
			best = (int)i;
	}
	return best;
}

/* IMPORT into card nid; on success the card's copy of the record is kept
 * as the base of a later rebuild. */
static int reload_import(struct tt_host *h, unsigned int nid,
			 const uint8_t rec[TT_CTX_BYTES], uint16_t *slot,
			 uint64_t *cycles)
{
	struct tt_ctx_cmd cmd = { .op = TT_CTX_IMPORT, .slot = 0 };
	struct tt_ctx_result res;
	struct tt_host_card *hc;
	int r;

	memcpy(cmd.rec, rec, TT_CTX_BYTES);
	r = tt_ctx_sync(h, nid, &cmd, &res, cycles);
	if (r != TT_OK)
		return r;
	hc = &h->cards[nid];
	if (res.slot >= hc->slots) {
		/* Cannot happen with a sane card; do not leave it there. */
		struct tt_ctx_cmd ev = { .op = TT_CTX_EXPORT, .slot = res.slot };

		tt_ctx_sync(h, nid, &ev, &res, NULL);
		return TT_EINVAL;
	}
	memcpy(hc->base[res.slot], rec, TT_CTX_BYTES);
	hc->base_valid[res.slot] = 1;
	hc->offloaded++;
	*slot = res.slot;
	return TT_OK;
}

/* A context imported with data it has yet to send (snd_max past snd_nxt:
 * the send buffer's end, say after a go-back-N rebuild) would wait on
 * its new card for the next ACK, doorbell or timer, since an IMPORT
 * does not kick the slot: ring the doorbell with the end the card
 * already has (no change to the context, just a kick). Called once the
 * record names the card and slot, so that the DMA reads that follow are
 * answered. A card without a transmit engine refuses the doorbell; it
 * sends nothing either way. */
static void reload_kick(struct tt_host *h, unsigned int nid, uint16_t slot,
			const uint8_t rec[TT_CTX_BYTES])
{
	struct tt_card *c = h->cards[nid].card;
	unsigned int tries = 0;
	struct tt_ctx ctx;
	int r;

	tt_ctx_unpack(rec, &ctx);
	if (ctx.snd_max == ctx.snd_nxt)
		return;
	while ((r = tt_card_doorbell(c, slot, ctx.snd_max)) == TT_EAGAIN &&
	       tries++ < 4096)
		tt_host_step(h, 16);
	if (r == TT_OK)
		h->st.import_kicks++;
}

void tt_reload_rebuild(struct tt_host *h, const struct tt_rec *rec,
		       struct tt_ctx *ctx)
{
	const struct tt_host_card *hc = &h->cards[tt_rec_nid(rec)];
	const struct tt_shadow *sh = tt_records_shadow(h->rec, rec);
	uint32_t flight = 0, mss;

	memset(ctx, 0, sizeof(*ctx));
	if (rec->card_slot < hc->slots && hc->base_valid[rec->card_slot])
		tt_ctx_unpack(hc->base[rec->card_slot], ctx);
	ctx->version = TT_CTX_VERSION;
	ctx->remote_ip = rec->saddr;
	ctx->local_ip = h->rec->local_ip;
	ctx->remote_port = rec->sport;
	ctx->local_port = rec->dport;
	if (!ctx->state)
		ctx->state = TT_TCP_ESTABLISHED;
	if (sh) {
		if ((int32_t)(ctx->snd_nxt - sh->snd_una) > 0)
			flight = ctx->snd_nxt - sh->snd_una;
		ctx->snd_una = sh->snd_una;
		ctx->rcv_nxt = sh->rcv_nxt;
		if (sh->mss)
			ctx->mss = sh->mss;
		ctx->snd_wscale = sh->snd_wscale;
		ctx->rcv_wscale = sh->rcv_wscale;
	}
	mss = ctx->mss ? ctx->mss : 536; /* RFC 9293 default send MSS */
	/* Go-back-N from what the peer acked: everything after snd_una is
	 * sent again (the host buffer still holds it: snd_max). */
	ctx->snd_nxt = ctx->snd_una;
	if ((int32_t)(ctx->snd_max - ctx->snd_una) < 0)
		ctx->snd_max = ctx->snd_una;
	/* The dead card may have sent anything up to snd_max, and the peer
	 * may acknowledge any of it: that is the highest sequence sent
	 * (tcp_out_high), as RFC 6582 sets recover after a timeout. */
	ctx->recover = ctx->snd_max;
	/* As after a retransmission timeout, RFC 5681 §3.1: ssthresh =
	 * max(FlightSize / 2, 2 * SMSS), cwnd = loss window (1 SMSS). */
	ctx->ssthresh = flight / 2 > 2 * mss ? flight / 2 : 2 * mss;
	ctx->cwnd = mss;
	ctx->dupacks = 0;
	ctx->retries = 0;
	ctx->timer = 0;
	/* Not in recovery any more; owe the peer an ACK of rcv_nxt so that
	 * it learns at once where the new card stands. */
	ctx->flags = (uint8_t)((ctx->flags & ~(TT_CTXF_RECOVERY | TT_CTXF_DELACK |
					       TT_CTXF_PERSIST | TT_CTXF_PROBE)) |
			       TT_CTXF_VALID | TT_CTXF_ACK_PENDING);
}

/* Take an offloaded connection off its card: EXPORT it, or rebuild it
 * from the shadow if the card is dead, hung or lost it. The card slot is
 * the host's to reuse afterwards either way. */
static void reload_take(struct tt_host *h, struct tt_rec *rec,
			uint8_t out[TT_CTX_BYTES], int *rebuilt,
			uint64_t *cycles)
{
	unsigned int nid = tt_rec_nid(rec);
	struct tt_host_card *hc = &h->cards[nid];
	struct tt_ctx_cmd cmd = { .op = TT_CTX_EXPORT, .slot = rec->card_slot };
	struct tt_ctx_result res;
	struct tt_tuple t;
	struct tt_ctx c;

	*rebuilt = 1;
	if (tt_ctx_sync(h, nid, &cmd, &res, cycles) == TT_OK) {
		/* Export atomicity: everything the card did for the
		 * connection is in its streams now; take it while the record
		 * still names this card and slot (payload delivered, shadow
		 * up to date), before the connection runs anywhere else. */
		tt_host_flush(h, nid);
		tt_host_deliver_held(h, nid, rec->card_slot);
		tt_ctx_unpack(res.rec, &c);
		reload_tuple(&c, &t);
		if (t.saddr == rec->saddr && t.daddr == h->rec->local_ip &&
		    t.sport == rec->sport && t.dport == rec->dport) {
			memcpy(out, res.rec, TT_CTX_BYTES);
			*rebuilt = 0;
		}
	}
	if (*rebuilt) {
		tt_reload_rebuild(h, rec, &c);
		tt_ctx_pack(&c, out);
	}
	if (rec->card_slot < hc->slots)
		hc->base_valid[rec->card_slot] = 0;
	if (hc->offloaded)
		hc->offloaded--;
}

static void reload_to_stack(struct tt_host *h,
			    const uint8_t rec[TT_CTX_BYTES], int why)
{
	struct tt_ctx c;

	tt_ctx_unpack(rec, &c);
	if (h->p.ops.upload)
		h->p.ops.upload(h->p.ops.arg, &c, why);
}

int tt_offload(struct tt_host *h, const struct tt_ctx *ctx)
{
	uint8_t bytes[TT_CTX_BYTES];
	struct tt_shadow sh;
	struct tt_tuple t;
	struct tt_rec *rec;
	uint16_t slot;
	int nid, r;

	if (!h || !ctx || ctx->version != TT_CTX_VERSION)
		return TT_EINVAL;
	reload_tuple(ctx, &t);
	rec = tt_records_lookup(h->rec, &t);
	if (rec && tt_rec_offloaded(rec))
		return TT_EEXIST;
	if (!rec) {
		/* ¶32: any card will do; a wrong pick is corrected by a
		 * reload when the first packet arrives elsewhere. */
		nid = tt_reload_pick(h, -1);
		if (nid < 0)
			goto err_software;
		if (tt_records_insert(h->rec, &t, (unsigned int)nid,
				      TT_AGE_ESTABLISHED, h->now_ms, &rec) < 0)
			goto err_software;
	} else {
		/* ¶32: to the interface the record names, if possible. */
		nid = (int)tt_rec_nid(rec);
		if ((unsigned int)nid >= h->n_cards || h->cards[nid].dead ||
		    !h->cards[nid].link_up)
			goto err_software;
	}
	tt_ctx_pack(ctx, bytes);
	r = reload_import(h, (unsigned int)nid, bytes, &slot, NULL);
	if (r != TT_OK) {
		if (r == TT_EFULL)
			h->st.offload_full++;
		goto err_software;
	}
	reload_shadow(ctx, &sh);
	r = tt_records_offload(h->rec, rec, (unsigned int)nid, slot, &sh);
	assert(r == 0 && "tt_offload: record refused a valid slot");
	tt_records_set_state(h->rec, rec, TT_AGE_ESTABLISHED, h->now_ms);
	reload_kick(h, (unsigned int)nid, slot, bytes);
	h->st.offloads++;
	return TT_OFFLOAD_OK;

err_software:
	h->st.offload_sw++;
	return TT_OFFLOAD_SOFTWARE;
}

int tt_reload(struct tt_host *h, struct tt_rec *rec, unsigned int to)
{
	struct tt_reload_log *log = &h->rlog;
	struct tt_reload_entry e;
	uint64_t t0 = reload_ns();
	int rebuilt, r;
	uint16_t slot = TT_SLOT_NONE;

	if (!rec || !tt_rec_offloaded(rec) || to >= h->n_cards)
		return TT_EINVAL;
	if (tt_rec_nid(rec) == to)
		return TT_OFFLOAD_OK;
	memset(&e, 0, sizeof(e));
	e.t = tt_rec_tuple(h->rec, rec);
	e.from = (uint8_t)tt_rec_nid(rec);
	e.to = (uint8_t)to;
	e.from_slot = rec->card_slot;

	reload_take(h, rec, e.rec, &rebuilt, &e.export_cycles);
	e.rebuilt = (uint8_t)rebuilt;
	r = reload_import(h, to, e.rec, &slot, &e.import_cycles);
	e.import_status = (int8_t)r;
	if (r == TT_OK) {
		r = tt_records_move(h->rec, rec, to, slot);
		assert(r == 0 && "tt_reload: record refused a valid slot");
		reload_kick(h, to, slot, e.rec);
		h->st.reloads++;
		h->st.reload_rebuilt += (uint64_t)rebuilt;
		r = TT_OFFLOAD_OK;
	} else {
		/* Never refused: the software stack takes the connection. */
		tt_records_upload(h->rec, rec);
		tt_records_set_nid(h->rec, rec, to);
		reload_to_stack(h, e.rec, TT_UPLOAD_NO_ROOM);
		h->st.reload_sw++;
		slot = TT_SLOT_NONE;
		r = TT_OFFLOAD_SOFTWARE;
	}
	e.to_slot = slot;
	e.cycles = e.export_cycles + e.import_cycles;
	e.ns = reload_ns() - t0;
	log->e[log->n % TT_RELOAD_LOG_LEN] = e;
	log->n++;
	log->cycles_sum += e.cycles;
	log->ns_sum += e.ns;
	if (e.cycles > log->cycles_max)
		log->cycles_max = e.cycles;
	if (e.ns > log->ns_max)
		log->ns_max = e.ns;
	return r;
}

int tt_upload(struct tt_host *h, struct tt_rec *rec, int why)
{
	uint8_t bytes[TT_CTX_BYTES];
	int rebuilt;

	if (!rec || !tt_rec_offloaded(rec))
		return TT_EINVAL;
	reload_take(h, rec, bytes, &rebuilt, NULL);
	tt_records_upload(h->rec, rec);
	h->st.uploads++;
	reload_to_stack(h, bytes, why);
	return 0;
}
