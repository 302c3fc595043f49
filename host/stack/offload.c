/* SPDX-License-Identifier: MIT */
/*
 * Offload hooks (stack_offl.h): a TCB to a card's context record and
 * back, and the buffers of a connection while a card runs it.
 */
#include <string.h>

#include "stack_int.h"

static struct ts_tcb *offl_find(struct tt_stack *s, const struct tt_tuple *t);
static uint16_t offl_ticks(uint64_t ms);
static int offl_take(struct tt_stack *s, struct ts_tcb *tcb);
static int offl_resume_check(const struct ts_tcb *tcb, const struct tt_ctx *c);

/* A card's receive window slides with its own rcv_nxt: it never sees the
 * application read. So a card gets at most a quarter of the receive
 * buffer as its window, and the connection comes back to software (where
 * the window follows the buffer) while at least another quarter is free
 * beyond that window: room for what the card may still take before the
 * upload (a timer turn later, tt_stack_timer) stops it. Payload a card
 * acknowledged must never find the buffer full. */
#define OFFL_WND_PART 4u

static uint32_t offl_wnd_max(const struct tt_stack *s)
{
	return s->p.rcvbuf / OFFL_WND_PART;
}

static struct ts_tcb *offl_find(struct tt_stack *s, const struct tt_tuple *t)
{
	struct tt_tuple k;

	if (!s || !t)
		return NULL;
	memset(&k, 0, sizeof(k));
	k.saddr = t->saddr;
	k.daddr = t->daddr;
	k.sport = t->sport;
	k.dport = t->dport;
	return ts_tcb_lookup(s, &k);
}

static uint16_t offl_ticks(uint64_t ms)
{
	uint64_t t = (ms + TT_STACK_CTX_TICK_MS - 1) / TT_STACK_CTX_TICK_MS;

	return (uint16_t)(t > 65535u ? 65535u : t);
}

void tt_stack_set_offload(struct tt_stack *s,
			  const struct tt_stack_offl_ops *ops,
			  int on_establish)
{
	if (ops)
		s->offl = *ops;
	else
		memset(&s->offl, 0, sizeof(s->offl));
	s->offl_on_establish = !!on_establish;
}

int tt_stack_ctx_fill(struct tt_stack *s, const struct tt_tuple *t,
		      struct tt_ctx *c)
{
	struct ts_tcb *tcb = offl_find(s, t);
	uint32_t wnd, cap;

	if (!tcb || !c)
		return TT_ENOTFOUND;
	if ((tcb->state != TT_SOCK_ESTABLISHED &&
	     tcb->state != TT_SOCK_CLOSE_WAIT) || tcb->fin_queued)
		return TT_EINVAL;
	memset(c, 0, sizeof(*c));
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	if (tcb->ack_now || tcb->t_delack != TS_INF)
		c->flags |= TT_CTXF_ACK_PENDING;
	if (tcb->in_recovery)
		c->flags |= TT_CTXF_RECOVERY;
	c->mss = tcb->mss;
	c->local_ip = tcb->t.daddr;
	c->remote_ip = tcb->t.saddr;
	c->local_port = tcb->t.dport;
	c->remote_port = tcb->t.sport;
	for (int i = 0; i < 6; i++)
		c->peer_mac |= (uint64_t)tcb->peer_mac[i] << (8 * i);
	c->snd_wscale = tcb->snd_wscale;
	c->rcv_wscale = tcb->rcv_wscale;
	c->retries = tcb->retries;
	c->snd_una = tcb->snd_una;
	/* the highest we sent: the card must accept ACKs of all of it (a
	 * go-back-N in progress is finished by the card's own timer) */
	c->snd_nxt = tcb->snd_high;
	c->snd_max = tcb->snd_end;
	c->rcv_nxt = tcb->rcv_nxt;
	c->recover = tcb->recover;
	c->cwnd = tcb->cwnd;
	c->ssthresh = tcb->ssthresh;
	wnd = tcb->snd_wnd >> tcb->snd_wscale;
	c->snd_wnd = (uint16_t)(wnd > 65535u ? 65535u : wnd);
	wnd = ts_tcp_rcv_window(s, tcb);
	cap = offl_wnd_max(s) >> tcb->rcv_wscale;
	c->rcv_wnd = (uint16_t)(wnd < cap ? wnd : cap ? cap : 1u);
	c->rto = offl_ticks(tcb->rto);
	if (tcb->t_rexmt != TS_INF)
		c->timer = tcb->t_rexmt > s->now ?
			   offl_ticks(tcb->t_rexmt - s->now) : 1;
	c->ip_id = tcb->ip_id;
	c->dupacks = tcb->dupacks;
	c->state = tcb->state == TT_SOCK_ESTABLISHED ? TT_TCP_ESTABLISHED :
		   TT_TCP_CLOSE_WAIT;
	return 0;
}

/* The card took it: the stack stops running the connection. */
static int offl_take(struct tt_stack *s, struct ts_tcb *tcb)
{
	struct tt_ctx c;
	int r = tt_stack_ctx_fill(s, &tcb->t, &c);

	if (r < 0)
		return r;
	if (!s->offl.offload || s->offl.offload(s->offl.arg, &c) < 0)
		return TT_EAGAIN;
	tcb->offloaded = 1;
	tcb->offl_full = 0;
	tcb->offl_wnd = (uint32_t)c.rcv_wnd << tcb->rcv_wscale;
	tcb->ack_now = 0;
	tcb->rtt_timing = 0;
	ts_timer_stop_all(tcb);
	ts_count(s, TT_SCNT_TCP_OFFLOADED);
	return 0;
}

int tt_stack_offload(struct tt_stack *s, const struct tt_tuple *t)
{
	struct ts_tcb *tcb = offl_find(s, t);

	if (!tcb)
		return TT_ENOTFOUND;
	if (tcb->offloaded)
		return TT_EEXIST;
	return offl_take(s, tcb);
}

void ts_offload_established(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (s->offl_on_establish && tcb->in_use && !tcb->offloaded &&
	    tcb->state == TT_SOCK_ESTABLISHED)
		offl_take(s, tcb);
}

int ts_offload_reclaim(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (!tcb->offloaded)
		return 0;
	if (s->offl.upload)
		s->offl.upload(s->offl.arg, &tcb->t);
	return tcb->offloaded ? TT_EBUSY : 0;
}

void ts_offload_timer(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (tcb->offloaded && tcb->offl_full &&
	    ts_offload_reclaim(s, tcb) == 0)
		ts_count(s, TT_SCNT_TCP_OFFL_FULL);
}

void ts_offload_read(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (!tcb->offl_full || tcb->offloaded ||
	    ts_tcp_rcv_space(s, tcb) < s->p.rcvbuf - offl_wnd_max(s))
		return;
	tcb->offl_full = 0;     /* one offer: a card that declines is not
				 * asked again on every read */
	if (tcb->state == TT_SOCK_ESTABLISHED && !tcb->fin_queued)
		offl_take(s, tcb);
}

/* What the card says it did must lie inside what the host gave it. */
static int offl_resume_check(const struct ts_tcb *tcb, const struct tt_ctx *c)
{
	return ts_geq(c->snd_una, tcb->snd_una) &&
	       ts_leq(c->snd_una, c->snd_nxt) &&
	       ts_leq(c->snd_nxt, tcb->snd_end) &&
	       ts_geq(c->rcv_nxt, tcb->rcv_nxt);
}

int tt_stack_ctx_resume(struct tt_stack *s, const struct tt_ctx *c)
{
	struct tt_tuple t;
	struct ts_tcb *tcb;
	uint64_t rto;

	if (!s || !c || c->version != TT_CTX_VERSION)
		return TT_EINVAL;
	memset(&t, 0, sizeof(t));
	t.saddr = c->remote_ip;
	t.daddr = c->local_ip;
	t.sport = c->remote_port;
	t.dport = c->local_port;
	tcb = ts_tcb_lookup(s, &t);
	if (!tcb || !tcb->offloaded) {
		ts_count(s, TT_SCNT_DROP_OFFL_CTX);
		return TT_ENOTFOUND;
	}
	tcb->offloaded = 0;
	ts_count(s, TT_SCNT_TCP_RESUMED);
	if (!offl_resume_check(tcb, c)) {
		ts_count(s, TT_SCNT_DROP_OFFL_CTX);
		ts_tcp_send_rst(s, tcb);
		ts_tcb_close(s, tcb, TT_ECONNRESET);
		return TT_EINVAL;
	}
	tcb->snd_una = c->snd_una;
	tcb->snd_nxt = c->snd_nxt;
	if (ts_gt(c->snd_nxt, tcb->snd_high))
		tcb->snd_high = c->snd_nxt;
	/* After a go-back-N on the card (a timeout), snd_nxt lies below
	 * what the card had sent, and `recover` marks the highest byte sent
	 * until the retransmission catches up with it (sw-model/ENGINE.md
	 * 1.2, 4.3). The peer may acknowledge up to there: such an ACK must
	 * not count as acknowledging data never sent, or the connection
	 * retransmits below an ACK it refuses until it gives up. */
	if (ts_leq(c->snd_una, c->recover) && ts_leq(c->recover, c->snd_max) &&
	    ts_lt(c->snd_nxt, c->recover) && ts_leq(c->recover, tcb->snd_end) &&
	    ts_gt(c->recover, tcb->snd_high))
		tcb->snd_high = c->recover;
	tcb->cwnd = c->cwnd ? c->cwnd : tcb->mss;
	tcb->ssthresh = c->ssthresh;
	tcb->recover = c->recover;
	tcb->in_recovery = !!(c->flags & TT_CTXF_RECOVERY);
	tcb->dupacks = c->dupacks;
	tcb->retries = c->retries;
	tcb->ip_id = c->ip_id;
	tcb->snd_wnd = (uint32_t)c->snd_wnd << tcb->snd_wscale;
	rto = (uint64_t)c->rto * TT_STACK_CTX_TICK_MS;
	if (rto < s->p.rto_min_ms)
		rto = s->p.rto_min_ms;
	if (rto > s->p.rto_max_ms)
		rto = s->p.rto_max_ms;
	tcb->rto = (uint32_t)rto;
	tcb->rtt_timing = 0;
	if (c->timer)
		tcb->t_rexmt = s->now + (uint64_t)c->timer * TT_STACK_CTX_TICK_MS;
	else if (tcb->snd_una != tcb->snd_high)
		ts_timer_rexmt_start(s, tcb);
	if (c->flags & TT_CTXF_ACK_PENDING)
		tcb->ack_now = 1;
	if (ts_gt(c->rcv_nxt, tcb->rcv_nxt)) {
		/* payload the card acknowledged is still on its way */
		tcb->rcv_card_nxt = c->rcv_nxt;
		tcb->t_gap = s->now + s->p.rto_max_ms;
	}
	if (tcb->blocked && ts_snd_space(s, tcb)) {
		tcb->blocked = 0;
		ts_event(s, tcb, TT_EV_WRITABLE);
	}
	ts_tcp_output(s, tcb);
	return 0;
}

int tt_stack_offl_payload(struct tt_stack *s, const struct tt_tuple *t,
			  uint32_t seq, const uint8_t *data, size_t len)
{
	struct ts_tcb *tcb = offl_find(s, t);
	uint32_t skip, n;
	int gap;

	if (!tcb) {
		ts_count(s, TT_SCNT_DROP_OFFL_PAYLOAD);
		return TT_ENOTFOUND;
	}
	gap = tcb->t_gap != TS_INF;
	if (!tcb->offloaded && !gap) {
		ts_count(s, TT_SCNT_DROP_OFFL_PAYLOAD);
		return TT_ENOTFOUND;
	}
	if (ts_gt(seq, tcb->rcv_nxt)) {
		ts_count(s, TT_SCNT_DROP_OFFL_PAYLOAD);
		return TT_EINVAL;
	}
	skip = tcb->rcv_nxt - seq;
	if (skip >= len)
		return 0;
	n = (uint32_t)len - skip;
	if (gap && ts_gt(tcb->rcv_nxt + n, tcb->rcv_card_nxt))
		n = tcb->rcv_card_nxt - tcb->rcv_nxt;
	if (n > ts_tcp_rcv_space(s, tcb)) {
		ts_count(s, TT_SCNT_DROP_OFFL_PAYLOAD);
		return TT_EFULL;
	}
	ts_rcv_place(s, tcb, tcb->rcv_nxt, data + skip, n);
	if (tcb->offloaded &&
	    ts_tcp_rcv_space(s, tcb) < tcb->offl_wnd + offl_wnd_max(s))
		tcb->offl_full = 1;
	if (ts_gt(tcb->rcv_nxt, tcb->rcv_adv))
		tcb->rcv_adv = tcb->rcv_nxt;
	if (gap && ts_geq(tcb->rcv_nxt, tcb->rcv_card_nxt)) {
		tcb->t_gap = TS_INF;
		tcb->ack_now = 1;
		ts_tcp_output(s, tcb);
	}
	ts_event(s, tcb, TT_EV_READABLE);
	return (int)n;
}

int tt_stack_offl_read(struct tt_stack *s, const struct tt_tuple *t,
		       uint32_t seq, size_t len, uint8_t *out)
{
	struct ts_tcb *tcb = offl_find(s, t);

	if (!tcb)
		return TT_ENOTFOUND;
	if (len > s->p.sndbuf || ts_lt(seq, ts_snd_data_start(tcb)) ||
	    ts_gt(seq + (uint32_t)len, tcb->snd_end))
		return TT_EINVAL;
	ts_snd_copy(s, tcb, seq, (uint32_t)len, out);
	return 0;
}

int tt_stack_offl_acked(struct tt_stack *s, const struct tt_tuple *t,
			uint32_t snd_una)
{
	struct ts_tcb *tcb = offl_find(s, t);

	if (!tcb)
		return TT_ENOTFOUND;
	if (ts_gt(snd_una, tcb->snd_end))
		return TT_EINVAL;
	if (!ts_gt(snd_una, tcb->snd_una))
		return 0;
	tcb->snd_una = snd_una;
	if (ts_lt(tcb->snd_high, snd_una))
		tcb->snd_high = snd_una;
	if (ts_lt(tcb->snd_nxt, snd_una))
		tcb->snd_nxt = snd_una;
	if (tcb->blocked && ts_snd_space(s, tcb)) {
		tcb->blocked = 0;
		ts_event(s, tcb, TT_EV_WRITABLE);
	}
	return 0;
}
