/* SPDX-License-Identifier: MIT */
/*
 * The DMA read (card revision 1.3): a card asks for send data of an
 * offloaded connection by (slot, seq, len), the host answers from the
 * connection's send buffer (DESIGN §3). The card keeps no send data, so
 * every retransmission is such a read too.
 *
 * A request for a slot the host no longer maps (the connection was
 * exported: uploaded or reloaded since the card asked) is not answered:
 * the card drops any answer to a read of a slot exported or imported
 * since (ENGINE.md 4.1), so there is nothing to answer to, and the card
 * forgot the read when the slot emptied.
 *
 * A request the host cannot answer (ops.read has no such bytes) would
 * keep the slot's read outstanding on the card, and the connection would
 * never send again: the slot is marked, and the next poll takes the
 * connection back to software (TT_UPLOAD_READ_FAIL), where the stack
 * goes on from the card's context. The answer path may run inside a
 * context command's wait (tt_host_flush), where an upload must not
 * start; the poll is where it is safe.
 */
#include "teamtoe/host.h"
#include "teamtoe/reload.h"

/* Answer one request; TT_EAGAIN if the card has no room for it yet. */
static int answer(struct tt_host *h, unsigned int nid,
		  const struct tt_dma_read_req *r)
{
	struct tt_card *c = h->cards[nid].card;
	struct tt_rec *rec = tt_host_rec_by_slot(h, nid, r->slot);
	struct tt_tuple t;
	int rc;

	if (!rec) {
		h->st.read_unmapped++;
		return TT_OK;
	}
	t = tt_rec_tuple(h->rec, rec);
	if (r->len > TT_MAX_FRAME || !h->p.ops.read ||
	    h->p.ops.read(h->p.ops.arg, nid, &t, r->seq, r->len,
			  h->flush_buf) < 0) {
		h->st.read_fail++;
		/* (a host without ops.read serves no reads at all) */
		if (h->p.ops.read && r->slot < h->cards[nid].slots &&
		    !h->cards[nid].rd_failed[r->slot]) {
			h->cards[nid].rd_failed[r->slot] = 1;
			h->cards[nid].n_rd_failed++;
		}
		return TT_OK;
	}
	rc = tt_card_dma_read_resp(c, r, h->flush_buf);
	if (rc == TT_OK) {
		h->st.reads++;
		h->st.read_bytes += r->len;
	} else if (rc != TT_EAGAIN) {
		h->st.read_fail++;
		rc = TT_OK;
	}
	return rc;
}

void tt_host_answer_reads(struct tt_host *h, unsigned int nid)
{
	struct tt_host_card *hc = &h->cards[nid];
	struct tt_dma_read_req r;

	if (hc->rd_waiting) {
		if (answer(h, nid, &hc->rd_wait) == TT_EAGAIN)
			return;
		hc->rd_waiting = 0;
	}
	while (tt_card_dma_read_req(hc->card, &r) == TT_OK) {
		if (answer(h, nid, &r) == TT_EAGAIN) {
			hc->rd_wait = r;
			hc->rd_waiting = 1;
			return;
		}
	}
}

void tt_host_upload_read_failed(struct tt_host *h, unsigned int nid)
{
	struct tt_host_card *hc = &h->cards[nid];
	struct tt_rec *rec;
	uint32_t slot;

	for (slot = 0; hc->n_rd_failed && slot < hc->slots; slot++) {
		if (!hc->rd_failed[slot])
			continue;
		hc->rd_failed[slot] = 0;
		hc->n_rd_failed--;
		rec = tt_host_rec_by_slot(h, nid, (uint16_t)slot);
		if (rec && tt_rec_offloaded(rec)) {
			h->st.read_fail_uploads++;
			tt_upload(h, rec, TT_UPLOAD_READ_FAIL);
		}
	}
}
