/* SPDX-License-Identifier: MIT */
/*
 * TCP input, RFC 9293 3.10.7: check the segment, find its connection,
 * and process it in the state it finds: CLOSED (3.10.7.1: answer with
 * RST), LISTEN (3.10.7.2: a SYN opens a connection in SYN-RECEIVED),
 * SYN-SENT (3.10.7.3: our SYN answered). The other states are in
 * tcp_sync.c.
 */
#include <string.h>

#include "stack_int.h"

static int in_parse(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		    const uint8_t *l4, size_t l4_len, struct ts_seg *g,
		    struct tt_tuple *t);
static void in_closed(struct tt_stack *s, const uint8_t *f,
		      const uint8_t *ip, const struct ts_seg *g);
static void in_listen(struct tt_stack *s, int li, const uint8_t *f,
		      const uint8_t *ip, const struct ts_seg *g,
		      const struct tt_tuple *t);
static void in_syn_sent(struct tt_stack *s, struct ts_tcb *tcb,
			const uint8_t *f, const uint8_t *ip,
			const struct ts_seg *g);
static void in_options(struct tt_stack *s, struct ts_tcb *tcb,
		       const struct ts_seg *g);

static int in_parse(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		    const uint8_t *l4, size_t l4_len, struct ts_seg *g,
		    struct tt_tuple *t)
{
	size_t doff;
	uint32_t src = ts_rd32(ip + 12);

	if (l4_len < TS_TCP_HDR) {
		ts_count(s, TT_SCNT_DROP_TCP_HDR);
		return -1;
	}
	doff = (size_t)(l4[12] >> 4) * 4;
	if (doff < TS_TCP_HDR || doff > l4_len) {
		ts_count(s, TT_SCNT_DROP_TCP_HDR);
		return -1;
	}
	if (ts_csum_fold(ts_csum_add(ts_csum_pseudo(src, s->p.ipv4, 6,
						    (uint16_t)l4_len),
				     l4, l4_len)) != 0xffff) {
		ts_count(s, TT_SCNT_DROP_TCP_CSUM);
		return -1;
	}
	t->saddr = src;
	t->daddr = s->p.ipv4;
	t->sport = ts_rd16(l4);
	t->dport = ts_rd16(l4 + 2);
	/* RFC 9293 3.10.7.2: nothing from a broadcast or multicast source;
	 * port 0 is no port */
	if (src == 0 || src == 0xffffffffu || (src >> 28) == 0xe ||
	    !t->sport || !t->dport || (f[6] & 1)) {
		ts_count(s, TT_SCNT_DROP_TCP_HDR);
		return -1;
	}
	memset(g, 0, sizeof(*g));
	g->seq = ts_rd32(l4 + 4);
	g->ack = ts_rd32(l4 + 8);
	g->flags = l4[13];
	g->wnd = ts_rd16(l4 + 14);
	g->data = l4 + doff;
	g->len = (uint32_t)(l4_len - doff);
	g->src_mac = f + 6;
	if (g->flags & TS_SYN)
		ts_tcp_opt_parse(l4 + TS_TCP_HDR, doff - TS_TCP_HDR, &g->opts);
	ts_count(s, TT_SCNT_TCP_RX_SEGS);
	return 0;
}

void ts_tcp_input(struct tt_stack *s, const uint8_t *f, const uint8_t *ip,
		  const uint8_t *l4, size_t l4_len)
{
	struct ts_tcb *tcb;
	struct tt_tuple t;
	struct ts_seg g;
	int li;

	if (in_parse(s, f, ip, l4, l4_len, &g, &t) < 0)
		return;
	tcb = ts_tcb_lookup(s, &t);
	if (!tcb) {
		li = ts_listener_find(s, t.dport);
		if (li < 0)
			in_closed(s, f, ip, &g);
		else
			in_listen(s, li, f, ip, &g, &t);
		return;
	}
	if (tcb->offloaded) {
		ts_count(s, TT_SCNT_DROP_TCP_OFFLOADED);
		return;
	}
	if (tcb->state == TT_SOCK_SYN_SENT)
		in_syn_sent(s, tcb, f, ip, &g);
	else
		ts_tcp_sync_input(s, tcb, f, ip, &g);
}

static void in_closed(struct tt_stack *s, const uint8_t *f,
		      const uint8_t *ip, const struct ts_seg *g)
{
	ts_count(s, TT_SCNT_DROP_TCP_NO_CONN);
	ts_tcp_reset_reply(s, f, ip, g);
}

/* MSS (RFC 9293 3.7.1: 536 when absent; at least 64 here, so a peer
 * cannot make us send a byte per segment) and window scale (RFC 7323:
 * in use only if both SYNs carry it). */
static void in_options(struct tt_stack *s, struct ts_tcb *tcb,
		       const struct ts_seg *g)
{
	uint32_t peer = g->opts.mss ? g->opts.mss : TT_STACK_MIN_MSS;

	if (peer < 64)
		peer = 64;
	tcb->mss = (uint16_t)ts_min32(peer, s->p.mss);
	tcb->ws_ok = g->opts.ws_present;
	tcb->snd_wscale = tcb->ws_ok ? g->opts.ws : 0;
	tcb->rcv_wscale = tcb->ws_ok ? s->rcv_wscale : 0;
}

static void in_listen(struct tt_stack *s, int li, const uint8_t *f,
		      const uint8_t *ip, const struct ts_seg *g,
		      const struct tt_tuple *t)
{
	struct ts_listener *l = &s->lis[li];
	struct ts_tcb *tcb;

	if (g->flags & TS_RST) {
		ts_count(s, TT_SCNT_DROP_TCP_LISTEN);
		return;
	}
	if (g->flags & TS_ACK) {
		/* "<SEQ=SEG.ACK><CTL=RST>" */
		ts_count(s, TT_SCNT_DROP_TCP_LISTEN);
		ts_tcp_reset_reply(s, f, ip, g);
		return;
	}
	if (!(g->flags & TS_SYN)) {
		ts_count(s, TT_SCNT_DROP_TCP_LISTEN);
		return;
	}
	if (l->half_open + l->q_count >= l->backlog) {
		ts_count(s, TT_SCNT_DROP_TCP_BACKLOG);
		return;
	}
	tcb = ts_tcb_alloc(s, t);
	if (!tcb) {
		ts_count(s, TT_SCNT_DROP_TCP_POOL_FULL);
		return;
	}
	tcb->passive = 1;
	tcb->listener = li;
	l->half_open++;
	memcpy(tcb->peer_mac, g->src_mac, 6);
	tcb->mac_known = 1;
	in_options(s, tcb, g);
	/* data or FIN on the SYN are left for the peer to send again once
	 * we acknowledge the SYN alone (RFC 9293 allows either) */
	tcb->irs = g->seq;
	tcb->rcv_nxt = g->seq + 1;
	tcb->rcv_read = tcb->rcv_nxt;
	tcb->rcv_adv = tcb->rcv_nxt;
	tcb->iss = ts_tcb_isn(s, t);
	tcb->snd_una = tcb->snd_nxt = tcb->snd_high = tcb->iss;
	tcb->snd_end = tcb->iss + 1;
	tcb->snd_wnd = g->wnd; /* never scaled in a SYN */
	tcb->max_sndwnd = tcb->snd_wnd;
	tcb->snd_wl1 = g->seq;
	tcb->snd_wl2 = tcb->iss;
	tcb->ip_id = (uint16_t)(tcb->iss >> 16);
	ts_cc_init(s, tcb);
	tcb->state = TT_SOCK_SYN_RECEIVED;
	ts_tcp_send_syn(s, tcb);
}

void ts_tcp_establish(struct tt_stack *s, struct ts_tcb *tcb)
{
	ts_listener_established(s, tcb);
	ts_tcb_set_state(s, tcb, TT_SOCK_ESTABLISHED);
	/* a shutdown before the handshake ended: its FIN is due now */
	if (tcb->fin_queued)
		ts_tcb_set_state(s, tcb, TT_SOCK_FIN_WAIT_1);
	ts_cc_established(s, tcb);
	if (!tcb->passive)
		ts_event(s, tcb, TT_EV_CONNECTED | TT_EV_WRITABLE);
}

static void in_syn_sent(struct tt_stack *s, struct ts_tcb *tcb,
			const uint8_t *f, const uint8_t *ip,
			const struct ts_seg *g)
{
	int ack_ok = 0;

	if (g->flags & TS_ACK) {
		if (ts_leq(g->ack, tcb->iss) || ts_gt(g->ack, tcb->snd_high)) {
			ts_count(s, TT_SCNT_DROP_TCP_HANDSHAKE);
			ts_tcp_reset_reply(s, f, ip, g);
			return;
		}
		ack_ok = 1;
	}
	if (g->flags & TS_RST) {
		if (!ack_ok) {
			ts_count(s, TT_SCNT_DROP_TCP_HANDSHAKE);
			return;
		}
		ts_count(s, TT_SCNT_TCP_RST_RX);
		ts_tcb_close(s, tcb, TT_ECONNREFUSED);
		return;
	}
	if (!(g->flags & TS_SYN)) {
		ts_count(s, TT_SCNT_DROP_TCP_HANDSHAKE);
		return;
	}
	in_options(s, tcb, g);
	memcpy(tcb->peer_mac, g->src_mac, 6);
	tcb->mac_known = 1;
	tcb->irs = g->seq;
	tcb->rcv_nxt = g->seq + 1;
	tcb->rcv_read = tcb->rcv_nxt;
	tcb->rcv_adv = tcb->rcv_nxt;
	tcb->snd_wnd = g->wnd; /* never scaled in a SYN */
	tcb->max_sndwnd = tcb->snd_wnd;
	tcb->snd_wl1 = g->seq;
	tcb->snd_wl2 = g->ack;
	if (!ack_ok) {
		/* simultaneous open: SYN-RECEIVED, our SYN again with an
		 * ACK of theirs */
		tcb->state = TT_SOCK_SYN_RECEIVED;
		tcb->t_rexmt = TS_INF;
		ts_tcp_send_syn(s, tcb);
		return;
	}
	tcb->snd_una = g->ack;
	if (tcb->rtt_timing) {
		ts_cc_rtt_sample(s, tcb, (uint32_t)(s->now - tcb->rtt_start));
		tcb->rtt_timing = 0;
	}
	tcb->t_rexmt = TS_INF;
	ts_tcp_establish(s, tcb);
	tcb->ack_now = 1;
	ts_tcp_output(s, tcb);
	ts_offload_established(s, tcb);
}
