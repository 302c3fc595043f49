/* SPDX-License-Identifier: MIT */
/*
 * Link faults (seed ¶33); the choices and why are in faults.h.
 */
#include <stdlib.h>

#include "teamtoe/faults.h"
#include "teamtoe/reload.h"

int tt_faults_link(struct tt_host *h, unsigned int nid, int up)
{
	struct tt_tuple *todo;
	struct tt_rec *rec;
	uint32_t pos = 0, n = 0, i;
	int to;

	if (!h || nid >= h->n_cards)
		return TT_EINVAL;
	if (up) {
		h->cards[nid].link_up = 1;
		h->st.link_ups++;
		return 0;
	}
	h->cards[nid].link_up = 0;
	h->st.link_downs++;

	/* Records move while we work (removal shifts entries): collect the
	 * tuples first, then handle each by lookup. */
	todo = malloc((size_t)(h->rec->count ? h->rec->count : 1) *
		      sizeof(*todo));
	if (!todo)
		return TT_ENOMEM;
	while ((rec = tt_records_next(h->rec, &pos)) != NULL)
		if (tt_rec_nid(rec) == nid)
			todo[n++] = tt_rec_tuple(h->rec, rec);

	for (i = 0; i < n; i++) {
		rec = tt_records_lookup(h->rec, &todo[i]);
		if (!rec)
			continue;
		if (!tt_rec_offloaded(rec)) {
			tt_records_remove(h->rec, rec);
			h->st.fault_removed++;
			continue;
		}
		to = tt_reload_pick(h, (int)nid);
		if (to < 0) {
			/* The fault allows no move: the card keeps it. */
			h->st.fault_stranded++;
			continue;
		}
		tt_reload(h, rec, (unsigned int)to);
		h->st.fault_moved++;
	}
	free(todo);
	return (int)n;
}

int tt_faults_card_failed(struct tt_host *h, unsigned int nid)
{
	if (!h || nid >= h->n_cards)
		return TT_EINVAL;
	tt_host_mark_dead(h, nid, 1);
	return tt_faults_link(h, nid, 0);
}
