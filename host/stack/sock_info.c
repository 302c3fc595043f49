/* SPDX-License-Identifier: MIT */
/*
 * What the application can ask about a socket (api.h): its level events,
 * its description (RFC 9293 3.10.6 STATUS) and its error.
 */
#include <string.h>

#include "stack_int.h"

void ts_sock_describe(struct tt_stack *s, const struct ts_tcb *tcb,
		      struct tt_sock_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = tcb->state;
	info->t = tcb->t;
	info->mss = tcb->mss;
	info->snd_wscale = tcb->snd_wscale;
	info->rcv_wscale = tcb->rcv_wscale;
	info->snd_queued = ts_snd_queued(s, tcb);
	info->snd_space = ts_snd_space(s, tcb);
	info->rcv_ready = ts_rcv_ready(tcb);
	info->srtt_ms = tcb->srtt8 >> 3;
	info->rto_ms = tcb->rto;
	info->cwnd = tcb->cwnd;
	info->ssthresh = tcb->ssthresh;
	info->offloaded = tcb->offloaded;
	info->error = tcb->err;
}

unsigned int tt_sock_events(struct tt_stack *s, int h)
{
	struct ts_tcb *tcb;
	unsigned int ev = 0;
	int li;

	if (!s)
		return 0;
	li = ts_handle_listener(s, h);
	if (li >= 0)
		return s->lis[li].q_count ? TT_EV_ACCEPT : 0;
	tcb = ts_handle_tcb(s, h);
	if (!tcb)
		return 0;
	if (ts_rcv_ready(tcb) || tcb->rcv_fin || tcb->err ||
	    tcb->state == TT_SOCK_CLOSED)
		ev |= TT_EV_READABLE;
	if ((tcb->state == TT_SOCK_ESTABLISHED ||
	     tcb->state == TT_SOCK_CLOSE_WAIT) && !tcb->fin_queued &&
	    ts_snd_space(s, tcb))
		ev |= TT_EV_WRITABLE;
	if (tcb->state >= TT_SOCK_ESTABLISHED)
		ev |= TT_EV_CONNECTED;
	if (tcb->rcv_fin)
		ev |= TT_EV_EOF;
	if (tcb->state == TT_SOCK_TIME_WAIT ||
	    (tcb->state == TT_SOCK_CLOSED && !tcb->err))
		ev |= TT_EV_CLOSED;
	if (tcb->err)
		ev |= TT_EV_RESET;
	return ev;
}

int tt_sock_info(struct tt_stack *s, int h, struct tt_sock_info *info)
{
	struct ts_tcb *tcb;
	int li;

	if (!s || !info)
		return TT_EBADF;
	li = ts_handle_listener(s, h);
	if (li >= 0) {
		memset(info, 0, sizeof(*info));
		info->state = TT_SOCK_LISTEN;
		info->t.daddr = s->p.ipv4;
		info->t.dport = s->lis[li].port;
		return 0;
	}
	tcb = ts_handle_tcb(s, h);
	if (!tcb)
		return TT_EBADF;
	ts_sock_describe(s, tcb, info);
	return 0;
}

int tt_sock_error(struct tt_stack *s, int h)
{
	struct ts_tcb *tcb = s ? ts_handle_tcb(s, h) : NULL;

	if (!tcb)
		return s && ts_handle_listener(s, h) >= 0 ? 0 : TT_EBADF;
	return tcb->err;
}
