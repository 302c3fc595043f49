/* SPDX-License-Identifier: MIT */
/*
 * The host runtime object: a team, its records, aging and DoS detector,
 * and the poll loop that feeds the seed's procedure.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "teamtoe/err.h"
#include "teamtoe/faults.h"
#include "teamtoe/host.h"
#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"

static uint64_t host_clock_ms(struct tt_host *h);
static int host_program_key(struct tt_host *h, char *err, size_t errlen);
static int host_aging_expire(void *arg, struct tt_records *tab,
			     struct tt_rec *rec);
static void host_drain_card(struct tt_host *h, unsigned int nid,
			    unsigned int *items);
static int host_next_event(struct tt_host *h, unsigned int nid,
			   struct tt_event *ev);
static int host_next_dma(struct tt_host *h, unsigned int nid,
			 struct tt_dma_write *d);
static void host_free_cards(struct tt_host *h);
static void host_event(struct tt_host *h, unsigned int nid,
		       const struct tt_event *ev);
static void host_payload(struct tt_host *h, unsigned int nid,
			 struct tt_rec *rec, const struct tt_dma_write *d,
			 const uint8_t *data);

static const char *const proc_result_names[TT_PROC_N] = {
	[TT_PROC_NOT_TCP]         = "NOT_TCP",
	[TT_PROC_CREATED]         = "CREATED",
	[TT_PROC_NO_RECORD]       = "NO_RECORD",
	[TT_PROC_SAME_NIC]        = "SAME_NIC",
	[TT_PROC_SOFTWARE]        = "SOFTWARE",
	[TT_PROC_RELOADED]        = "RELOADED",
	[TT_PROC_RELOAD_SOFTWARE] = "RELOAD_SOFTWARE",
	[TT_PROC_LATE]            = "LATE",
	[TT_PROC_DOS_DROP]        = "DOS_DROP",
};

const char *tt_proc_result_str(int result)
{
	if (result < 0 || result >= TT_PROC_N || !proc_result_names[result])
		return "?";
	return proc_result_names[result];
}

static uint64_t host_clock_ms(struct tt_host *h)
{
	struct timespec ts;

	if (h->p.ops.now_ms)
		return h->p.ops.now_ms(h->p.ops.arg);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Every card gets the same Toeplitz key: a connection hashes to the same
 * bucket wherever it goes, and the key is never a default an attacker
 * knows (the reset value 0 puts every tuple in bucket 0). */
static int host_program_key(struct tt_host *h, char *err, size_t errlen)
{
	uint32_t key[4];
	unsigned int i, k;
	int r;

	if (h->p.hash_key) {
		memcpy(key, h->p.hash_key, sizeof(key));
	} else if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		return tt_errf(err, errlen, TT_ENOMEM,
			       "no random bytes for the connection hash key");
	}
	for (i = 0; i < h->n_cards; i++) {
		/* the card's timer tick is the stack's context tick */
		r = tt_card_reg_write(h->cards[i].card, TT_REG_TIMER_SCALE,
				      h->p.timer_scale ? h->p.timer_scale :
				      TT_HOST_DEF_TIMER_SCALE);
		if (r < 0)
			return tt_errf(err, errlen, r, "%s: writing TIMER_SCALE: %s",
				       h->team->members[i].cfg->path,
				       tt_status_str(r));
		for (k = 0; k < 4; k++) {
			r = tt_card_reg_write(h->cards[i].card,
					      TT_REG_HASH_KEY0 + 4 * k, key[k]);
			if (r < 0)
				return tt_errf(err, errlen, r,
					       "%s: writing HASH_KEY%u: %s",
					       h->team->members[i].cfg->path,
					       k, tt_status_str(r));
		}
	}
	return 0;
}

/* Aging (seed ¶34): an offloaded connection that aged out is uploaded
 * first, so that its card slot is freed and the stack gets the context. */
static int host_aging_expire(void *arg, struct tt_records *tab,
			     struct tt_rec *rec)
{
	struct tt_host *h = arg;

	(void)tab;
	if (tt_rec_offloaded(rec))
		tt_upload(h, rec, TT_UPLOAD_AGED);
	return 0;
}

int tt_host_new(struct tt_host **hostp, const struct tt_team_config *cfg,
		const struct tt_host_params *p, char *err, size_t errlen)
{
	struct tt_records_params rp;
	struct tt_aging_params ap;
	struct tt_dos_params dp;
	struct tt_host *h;
	unsigned int i;
	int r;

	*hostp = NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return tt_errf(err, errlen, TT_ENOMEM, "out of memory");
	if (p)
		h->p = *p;
	if (!h->p.ctx_timeout_cycles)
		h->p.ctx_timeout_cycles = TT_HOST_DEF_CTX_TIMEOUT;
	h->buf = malloc(TT_MAX_FRAME);
	h->flush_buf = malloc(TT_MAX_FRAME);
	if (!h->buf || !h->flush_buf) {
		r = tt_errf(err, errlen, TT_ENOMEM, "out of memory");
		goto err_free;
	}

	r = tt_team_open(cfg, &h->team, err, errlen);
	if (r < 0)
		goto err_free;
	h->n_cards = h->team->n_members;
	for (i = 0; i < h->n_cards; i++) {
		struct tt_host_card *hc = &h->cards[i];

		hc->card = h->team->members[i].card;
		hc->link_up = 1; /* tt_team_open raised it */
		hc->slots = h->team->members[i].cfg->conn_slots;
		hc->base = calloc(hc->slots, sizeof(*hc->base));
		hc->base_valid = calloc(hc->slots, 1);
		hc->rd_failed = calloc(hc->slots, 1);
		if (!hc->base || !hc->base_valid || !hc->rd_failed) {
			r = tt_errf(err, errlen, TT_ENOMEM, "out of memory");
			goto err_cards;
		}
	}
	r = host_program_key(h, err, errlen);
	if (r < 0)
		goto err_cards;

	tt_records_params_from_team(&h->team->cfg, &rp);
	rp.key = h->p.rec_key;
	r = tt_records_new(&h->rec, &rp);
	if (r < 0) {
		r = tt_errf(err, errlen, r, "connection records (%u): %s",
			    rp.capacity, tt_status_str(r));
		goto err_cards;
	}
	h->now_ms = host_clock_ms(h);
	tt_aging_params_default(&ap);
	r = tt_aging_new(&h->aging, h->rec, &ap, h->now_ms,
			 host_aging_expire, h);
	if (r < 0) {
		r = tt_errf(err, errlen, r, "aging: %s", tt_status_str(r));
		goto err_records;
	}
	tt_dos_params_default(&dp);
	dp.threshold_pps = cfg->dos_threshold_pps;
	dp.syn_threshold_pps = cfg->dos_syn_threshold_pps;
	dp.cooldown_ms = cfg->dos_cooldown_ms;
	dp.key = h->p.rec_key;
	r = tt_dos_new(&h->dos, &dp);
	if (r < 0) {
		r = tt_errf(err, errlen, r, "DoS detector: %s",
			    tt_status_str(r));
		goto err_aging;
	}
	h->last_result = -1;
	*hostp = h;
	return 0;

err_aging:
	tt_aging_free(h->aging);
err_records:
	tt_records_free(h->rec);
err_cards:
	host_free_cards(h);
	tt_team_close(h->team);
err_free:
	free(h->buf);
	free(h->flush_buf);
	free(h);
	return r;
}

static void host_free_cards(struct tt_host *h)
{
	unsigned int i;

	for (i = 0; i < h->n_cards; i++) {
		free(h->cards[i].base);
		free(h->cards[i].base_valid);
		free(h->cards[i].rd_failed);
		tt_held_clear(&h->cards[i].held_evt);
		tt_held_clear(&h->cards[i].held_dma);
	}
}

void tt_host_free(struct tt_host *h)
{
	if (!h)
		return;
	tt_dos_free(h->dos);
	tt_aging_free(h->aging);
	tt_records_free(h->rec);
	host_free_cards(h);
	tt_team_close(h->team);
	free(h->buf);
	free(h->flush_buf);
	free(h);
}

void tt_host_step(struct tt_host *h, uint64_t cycles)
{
	unsigned int i;

	for (i = 0; i < h->n_cards; i++)
		if (!h->cards[i].dead)
			tt_card_step(h->cards[i].card, cycles);
}

void tt_host_mark_dead(struct tt_host *h, unsigned int nid, int dead)
{
	if (nid < h->n_cards)
		h->cards[nid].dead = !!dead;
}

struct tt_rec *tt_host_rec_by_slot(struct tt_host *h, unsigned int nid,
				   uint16_t slot)
{
	struct tt_host_card *hc;
	struct tt_rec *rec;
	struct tt_tuple t;
	struct tt_ctx c;

	if (nid >= h->n_cards)
		return NULL;
	hc = &h->cards[nid];
	if (slot >= hc->slots || !hc->base_valid[slot])
		return NULL;
	tt_ctx_unpack(hc->base[slot], &c);
	t.saddr = c.remote_ip;
	t.daddr = c.local_ip;
	t.sport = c.remote_port;
	t.dport = c.local_port;
	rec = tt_records_lookup(h->rec, &t);
	if (!rec || !tt_rec_offloaded(rec) || tt_rec_nid(rec) != nid ||
	    rec->card_slot != slot)
		return NULL;
	return rec;
}

const struct tt_reload_entry *tt_host_last_reload(const struct tt_host *h)
{
	if (!h->rlog.n)
		return NULL;
	return &h->rlog.e[(h->rlog.n - 1) % TT_RELOAD_LOG_LEN];
}

static void host_event(struct tt_host *h, unsigned int nid,
		       const struct tt_event *ev)
{
	struct tt_shadow *sh;
	struct tt_rec *rec;

	h->st.events++;
	switch (ev->type) {
	case TT_EVT_LINK:
		tt_faults_link(h, nid, ev->value != 0);
		break;
	case TT_EVT_ACKED:
		/* The shadow's snd_una: what a rebuild restarts from. */
		rec = tt_host_rec_by_slot(h, nid, ev->slot);
		sh = rec ? tt_records_shadow(h->rec, rec) : NULL;
		if (sh && (int32_t)(ev->value - sh->snd_una) > 0)
			sh->snd_una = ev->value;
		if (rec && h->p.ops.acked) {
			struct tt_tuple t = tt_rec_tuple(h->rec, rec);

			h->p.ops.acked(h->p.ops.arg, nid, &t, ev->value);
		}
		break;
	case TT_EVT_RETRANS:
		h->st.retrans++;
		break;
	case TT_EVT_RTO_LIMIT:
		/* the card keeps retransmitting; the stack decides */
		h->st.rto_limits++;
		rec = tt_host_rec_by_slot(h, nid, ev->slot);
		if (rec && tt_rec_offloaded(rec))
			tt_upload(h, rec, TT_UPLOAD_RTO_LIMIT);
		break;
	default:
		break;
	}
}

/* Payload of d->slot, whose record (tt_host_rec_by_slot) is rec. */
static void host_payload(struct tt_host *h, unsigned int nid,
			 struct tt_rec *rec, const struct tt_dma_write *d,
			 const uint8_t *data)
{
	struct tt_shadow *sh = rec ? tt_records_shadow(h->rec, rec) : NULL;
	uint32_t end = d->seq + d->len;

	h->st.payload_bytes += d->len;
	if (!rec) {
		h->st.payload_unmapped++;
		return;
	}
	tt_records_touch(h->rec, rec, h->now_ms);
	/* Delivered in order up to `end`: the shadow's rcv_nxt. */
	if (sh && (int32_t)(end - sh->rcv_nxt) > 0)
		sh->rcv_nxt = end;
	if (h->p.ops.payload) {
		struct tt_tuple t = tt_rec_tuple(h->rec, rec);

		h->p.ops.payload(h->p.ops.arg, nid, &t, d->seq, data, d->len);
	}
}

void tt_host_flush(struct tt_host *h, unsigned int nid)
{
	struct tt_host_card *hc;
	struct tt_dma_write d;
	struct tt_event ev;
	struct tt_rec *rec;
	uint64_t taken = 0;

	if (!h || nid >= h->n_cards || h->cards[nid].dead)
		return;
	hc = &h->cards[nid];
	tt_host_answer_reads(h, nid);
	while (tt_card_event(hc->card, &ev) == TT_OK) {
		taken++;
		if (ev.type == TT_EVT_ACKED) {
			host_event(h, nid, &ev);
		} else if (tt_held_push_event(&hc->held_evt, &ev) == TT_OK) {
			h->st.held++;
		} else {
			h->st.held_lost++;
		}
	}
	while (tt_card_dma_write(hc->card, &d, h->flush_buf, TT_MAX_FRAME) == TT_OK) {
		taken++;
		/* Payload of a slot the host does not map yet (an IMPORT's,
		 * written before its result came) waits for the poll loop,
		 * by then mapped; later payload of that slot waits behind
		 * it, so that the slot's order holds. */
		rec = d.kind == TT_DMA_PAYLOAD ?
		      tt_host_rec_by_slot(h, nid, d.slot) : NULL;
		if (rec && !tt_held_has_payload(&hc->held_dma, d.slot)) {
			host_payload(h, nid, rec, &d, h->flush_buf);
		} else if (tt_held_push_dma(&hc->held_dma, &d, h->flush_buf) == TT_OK) {
			h->st.held++;
		} else {
			h->st.held_lost++;
		}
	}
	if (taken)
		h->st.flushes++;
}

void tt_host_deliver_held(struct tt_host *h, unsigned int nid, uint16_t slot)
{
	struct tt_dma_write d;

	if (!h || nid >= h->n_cards)
		return;
	while (tt_held_take_payload(&h->cards[nid].held_dma, slot, &d,
				    h->flush_buf, TT_MAX_FRAME) == TT_OK)
		host_payload(h, nid, tt_host_rec_by_slot(h, nid, slot), &d,
			     h->flush_buf);
}

/* The card's next event or DMA write: those a flush held first. */
static int host_next_event(struct tt_host *h, unsigned int nid,
			   struct tt_event *ev)
{
	struct tt_host_card *hc = &h->cards[nid];

	if (tt_held_pop_event(&hc->held_evt, ev) == TT_OK)
		return TT_OK;
	return tt_card_event(hc->card, ev);
}

static int host_next_dma(struct tt_host *h, unsigned int nid,
			 struct tt_dma_write *d)
{
	struct tt_host_card *hc = &h->cards[nid];

	if (tt_held_pop_dma(&hc->held_dma, d, h->buf, TT_MAX_FRAME) == TT_OK)
		return TT_OK;
	return tt_card_dma_write(hc->card, d, h->buf, TT_MAX_FRAME);
}

/* Events first: the host learns of a link change before it handles the
 * frames the switch moved because of it, so offloaded connections move
 * in one pass rather than one block-414 reload each. */
static void host_drain_card(struct tt_host *h, unsigned int nid,
			    unsigned int *items)
{
	struct tt_card *c = h->cards[nid].card;
	struct tt_ctx_result res;
	struct tt_dma_write d;
	struct tt_event ev;

	if (!h->cards[nid].dead) {
		tt_host_answer_reads(h, nid);
		tt_host_upload_read_failed(h, nid);
	}
	while (!h->cards[nid].dead && host_next_event(h, nid, &ev) == TT_OK) {
		host_event(h, nid, &ev);
		(*items)++;
	}
	while (!h->cards[nid].dead && tt_card_ctx_result(c, &res) == TT_OK) {
		tt_ctx_stale(h, nid, &res);
		(*items)++;
	}
	while (!h->cards[nid].dead && host_next_dma(h, nid, &d) == TT_OK) {
		if (d.kind == TT_DMA_EXCEPTION)
			tt_proc_frame(h, nid, &d, h->buf, NULL);
		else if (d.kind == TT_DMA_PAYLOAD)
			host_payload(h, nid,
				     tt_host_rec_by_slot(h, nid, d.slot), &d,
				     h->buf);
		(*items)++;
	}
}

unsigned int tt_host_poll(struct tt_host *h, uint64_t cycles)
{
	unsigned int i, items = 0;

	h->now_ms = host_clock_ms(h);
	tt_host_step(h, cycles);
	for (i = 0; i < h->n_cards; i++)
		host_drain_card(h, i, &items);
	tt_aging_advance(h->aging, h->now_ms);
	return items;
}
