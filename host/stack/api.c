/* SPDX-License-Identifier: MIT */
/*
 * The application API (api.h): RFC 9293 3.10 "user calls" (OPEN, SEND,
 * RECEIVE, CLOSE, ABORT), non-blocking. STATUS is in sock_info.c.
 */
#include <string.h>

#include "stack_int.h"

static void api_window_update(struct tt_stack *s, struct ts_tcb *tcb);
static void api_listener_close(struct tt_stack *s, int li);
static void api_fin(struct tt_stack *s, struct ts_tcb *tcb);

int tt_listen(struct tt_stack *s, uint16_t port, unsigned int backlog)
{
	struct ts_listener *l;
	uint32_t i;

	if (!s || !port || !backlog)
		return TT_EINVAL;
	if (ts_listener_find(s, port) >= 0)
		return TT_EADDRINUSE;
	for (i = 0; i < s->p.max_listeners && s->lis[i].in_use; i++)
		;
	if (i == s->p.max_listeners)
		return TT_EFULL;
	l = &s->lis[i];
	l->in_use = 1;
	l->port = port;
	l->backlog = backlog < s->n_tcb ? backlog : s->n_tcb;
	l->half_open = 0;
	l->q_head = l->q_tail = TS_NIL;
	l->q_count = 0;
	l->ev = 0;
	return ts_handle(s, (int32_t)(s->n_tcb + i), l->gen);
}

int tt_accept(struct tt_stack *s, int lh, struct tt_sock_info *info)
{
	int li = s ? ts_handle_listener(s, lh) : -1;
	struct ts_tcb *tcb;
	int32_t i;

	if (li < 0)
		return TT_EBADF;
	i = ts_listener_pop(s, li);
	if (i == TS_NIL)
		return TT_EAGAIN;
	tcb = &s->tcb[i];
	tcb->app_owned = 1;
	/* what happened before the accept (data, FIN) is news now */
	if (tcb->ev)
		ts_ready_add(s, i);
	if (info)
		ts_sock_describe(s, tcb, info);
	return ts_handle(s, i, tcb->gen);
}

int tt_connect(struct tt_stack *s, uint32_t ip, uint16_t port,
	       uint16_t local_port)
{
	struct tt_tuple t;
	struct ts_tcb *tcb;
	const uint8_t *mac;

	if (!s || !ip || ip == s->p.ipv4 || !port)
		return TT_EINVAL;
	if (!local_port)
		local_port = ts_tcb_ephemeral(s, ip, port);
	if (!local_port)
		return TT_EADDRINUSE;
	memset(&t, 0, sizeof(t));
	t.saddr = ip;
	t.daddr = s->p.ipv4;
	t.sport = port;
	t.dport = local_port;
	if (ts_tcb_lookup(s, &t))
		return TT_EADDRINUSE;
	tcb = ts_tcb_alloc(s, &t);
	if (!tcb)
		return TT_EFULL;
	tcb->app_owned = 1;
	mac = ts_arp_lookup(s, ip);
	if (mac) {
		memcpy(tcb->peer_mac, mac, 6);
		tcb->mac_known = 1;
	}
	tcb->mss = s->p.mss;
	tcb->rcv_wscale = s->rcv_wscale; /* offered; kept if the peer agrees */
	tcb->iss = ts_tcb_isn(s, &t);
	tcb->snd_una = tcb->snd_nxt = tcb->snd_high = tcb->iss;
	tcb->snd_end = tcb->iss + 1;
	tcb->ip_id = (uint16_t)(tcb->iss >> 16);
	ts_cc_init(s, tcb);
	tcb->state = TT_SOCK_SYN_SENT;
	ts_tcp_send_syn(s, tcb);
	return ts_handle(s, ts_tcb_index(s, tcb), tcb->gen);
}

ssize_t tt_send(struct tt_stack *s, int h, const void *buf, size_t len)
{
	struct ts_tcb *tcb = s ? ts_handle_tcb(s, h) : NULL;
	uint32_t n;

	if (!tcb)
		return TT_EBADF;
	if (tcb->err)
		return tcb->err;
	if (tcb->fin_queued)
		return TT_EPIPE;
	if (tcb->state == TT_SOCK_CLOSED)
		return TT_ENOTCONN;
	if (!len)
		return 0;
	n = ts_snd_write(s, tcb, buf, len > UINT32_MAX ? UINT32_MAX :
			 (uint32_t)len);
	if (n < len)
		tcb->blocked = 1;
	if (!n)
		return TT_EAGAIN;
	if (tcb->offloaded && s->offl.doorbell)
		s->offl.doorbell(s->offl.arg, &tcb->t, tcb->snd_end);
	else
		ts_tcp_output(s, tcb);
	return (ssize_t)n;
}

/* RFC 9293 3.8.6.2.2: once reading has opened the window by a
 * worthwhile amount, say so at once rather than at the next segment. */
static void api_window_update(struct tt_stack *s, struct ts_tcb *tcb)
{
	uint32_t cur, space;

	if (tcb->offloaded || tcb->rcv_fin ||
	    (tcb->state != TT_SOCK_ESTABLISHED &&
	     tcb->state != TT_SOCK_FIN_WAIT_1 &&
	     tcb->state != TT_SOCK_FIN_WAIT_2))
		return;
	cur = ts_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
	space = ts_tcp_rcv_space(s, tcb);
	if (space > cur && space - cur >= ts_min32(s->p.rcvbuf / 2,
						   2u * tcb->mss)) {
		tcb->ack_now = 1;
		ts_tcp_output(s, tcb);
	}
}

ssize_t tt_recv(struct tt_stack *s, int h, void *buf, size_t len)
{
	struct ts_tcb *tcb = s ? ts_handle_tcb(s, h) : NULL;
	uint32_t n;

	if (!tcb)
		return TT_EBADF;
	if (!len)
		return 0;
	n = ts_rcv_read(s, tcb, buf, len > UINT32_MAX ? UINT32_MAX :
			(uint32_t)len);
	if (n) {
		api_window_update(s, tcb);
		ts_offload_read(s, tcb);
		return (ssize_t)n;
	}
	if (tcb->rcv_fin)
		return 0;
	if (tcb->err)
		return tcb->err;
	if (tcb->state == TT_SOCK_CLOSED)
		return TT_ENOTCONN;
	return TT_EAGAIN;
}

/* Queue our FIN (RFC 9293 3.10.4 CLOSE) and move to the state that
 * waits for it. */
static void api_fin(struct tt_stack *s, struct ts_tcb *tcb)
{
	if (tcb->fin_queued)
		return;
	tcb->fin_queued = 1;
	switch (tcb->state) {
	case TT_SOCK_ESTABLISHED:
		ts_tcb_set_state(s, tcb, TT_SOCK_FIN_WAIT_1);
		break;
	case TT_SOCK_CLOSE_WAIT:
		ts_tcb_set_state(s, tcb, TT_SOCK_LAST_ACK);
		break;
	default:
		/* SYN-SENT, SYN-RECEIVED: the FIN goes once established */
		return;
	}
	ts_tcp_output(s, tcb);
}

int tt_shutdown(struct tt_stack *s, int h)
{
	struct ts_tcb *tcb;

	if (!s)
		return TT_EBADF;
	if (ts_handle_listener(s, h) >= 0)
		return TT_ENOTCONN;
	tcb = ts_handle_tcb(s, h);
	if (!tcb)
		return TT_EBADF;
	if (tcb->state == TT_SOCK_CLOSED)
		return 0;
	if (ts_offload_reclaim(s, tcb) < 0)
		return TT_EBUSY;
	api_fin(s, tcb);
	return 0;
}

static void api_listener_close(struct tt_stack *s, int li)
{
	struct ts_listener *l = &s->lis[li];
	int32_t i, next;

	/* connections nobody accepted: reset them */
	for (i = s->active; i != TS_NIL; i = next) {
		struct ts_tcb *tcb = &s->tcb[i];

		next = tcb->anext;
		if (tcb->listener != li)
			continue;
		ts_tcp_send_rst(s, tcb);
		ts_tcb_close(s, tcb, TT_ECONNRESET);
	}
	ts_ready_remove(s, (int32_t)(s->n_tcb + (uint32_t)li));
	l->in_use = 0;
	l->gen = (uint16_t)(l->gen % 0x7fffu + 1);
}

int tt_close(struct tt_stack *s, int h)
{
	struct ts_tcb *tcb;
	int li;

	if (!s)
		return TT_EBADF;
	li = ts_handle_listener(s, h);
	if (li >= 0) {
		api_listener_close(s, li);
		return 0;
	}
	tcb = ts_handle_tcb(s, h);
	if (!tcb)
		return TT_EBADF;
	if (ts_offload_reclaim(s, tcb) < 0)
		return TT_EBUSY;
	ts_ready_remove(s, ts_tcb_index(s, tcb));
	tcb->app_owned = 0;
	tcb->app_closed = 1;
	tcb->ev = 0;
	switch (tcb->state) {
	case TT_SOCK_CLOSED:
		ts_tcb_release_if_done(s, tcb);
		return 0;
	case TT_SOCK_SYN_SENT:
		/* RFC 9293: CLOSE in SYN-SENT deletes the TCB */
		ts_tcb_close(s, tcb, TT_ECONNRESET);
		return 0;
	default:
		break;
	}
	if (ts_rcv_ready(tcb)) {
		/* unread data: RFC 2525 2.17, the peer must not think it
		 * was delivered */
		ts_tcp_send_rst(s, tcb);
		ts_tcb_close(s, tcb, TT_ECONNRESET);
		return 0;
	}
	api_fin(s, tcb);
	if (tcb->state == TT_SOCK_FIN_WAIT_2 && tcb->t_close == TS_INF)
		tcb->t_close = s->now + s->p.fin_wait2_ms;
	return 0;
}

int tt_abort(struct tt_stack *s, int h)
{
	struct ts_tcb *tcb;

	if (!s)
		return TT_EBADF;
	if (ts_handle_listener(s, h) >= 0)
		return tt_close(s, h);
	tcb = ts_handle_tcb(s, h);
	if (!tcb)
		return TT_EBADF;
	if (ts_offload_reclaim(s, tcb) < 0)
		return TT_EBUSY;
	ts_ready_remove(s, ts_tcb_index(s, tcb));
	tcb->app_owned = 0;
	tcb->app_closed = 1;
	switch (tcb->state) {
	case TT_SOCK_SYN_RECEIVED:
	case TT_SOCK_ESTABLISHED:
	case TT_SOCK_FIN_WAIT_1:
	case TT_SOCK_FIN_WAIT_2:
	case TT_SOCK_CLOSE_WAIT:
		/* RFC 9293 3.10.5 ABORT: "send a reset segment" */
		ts_tcp_send_rst(s, tcb);
		break;
	default:
		break;
	}
	ts_tcb_close(s, tcb, TT_ECONNRESET);
	return 0;
}
