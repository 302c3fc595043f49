/* SPDX-License-Identifier: MIT */
/*
 * The stack object: parameters, the pools it allocates once, the
 * Ethernet demultiplexer, the timer entry point and the counters.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "teamtoe/err.h"
#include "stack_int.h"

static int stack_check(const struct tt_stack_params *p, char *err,
		       size_t errlen);
static int stack_alloc(struct tt_stack *s);
static int is_pow2(uint32_t v);
static void stack_defaults(struct tt_stack_params *p);

static const char *const counter_names[TT_SCNT_N] = {
#define TT_E(name, what) [TT_SCNT_##name] = #name,
	TT_STACK_COUNTERS(TT_E)
#undef TT_E
};

static const char *const counter_whats[TT_SCNT_N] = {
#define TT_E(name, what) [TT_SCNT_##name] = what,
	TT_STACK_COUNTERS(TT_E)
#undef TT_E
};

static const uint8_t eth_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void tt_stack_params_default(struct tt_stack_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max_conns = TT_STACK_DEF_MAX_CONNS;
	p->max_listeners = TT_STACK_DEF_MAX_LISTENERS;
	p->sndbuf = TT_STACK_DEF_BUF;
	p->rcvbuf = TT_STACK_DEF_BUF;
	p->mss = TT_STACK_DEF_MSS;
	p->arp_entries = TT_STACK_DEF_ARP_ENTRIES;
	p->arp_queue = TT_STACK_DEF_ARP_QUEUE;
	p->arp_ttl_ms = TT_STACK_DEF_ARP_TTL_MS;
	p->rto_init_ms = TT_STACK_DEF_RTO_INIT_MS;
	p->rto_min_ms = TT_STACK_DEF_RTO_MIN_MS;
	p->rto_max_ms = TT_STACK_DEF_RTO_MAX_MS;
	p->delack_ms = TT_STACK_DEF_DELACK_MS;
	p->time_wait_ms = TT_STACK_DEF_TIME_WAIT_MS;
	p->fin_wait2_ms = TT_STACK_DEF_FIN_WAIT2_MS;
	p->syn_retries = TT_STACK_DEF_SYN_RETRIES;
	p->data_retries = TT_STACK_DEF_DATA_RETRIES;
	p->challenge_per_s = TT_STACK_DEF_CHALLENGE_PER_S;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int stack_check(const struct tt_stack_params *p, char *err,
		       size_t errlen)
{
	if (!p->output)
		return tt_errf(err, errlen, TT_EINVAL, "stack: no output callback");
	if (!p->ipv4)
		return tt_errf(err, errlen, TT_EINVAL, "stack: IPv4 address 0");
	if (p->mac[0] & 1)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: MAC is a multicast address");
	if (p->max_conns > TT_STACK_MAX_CONNS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: max_conns %u > %u", p->max_conns,
			       TT_STACK_MAX_CONNS);
	if (p->max_listeners > TT_STACK_MAX_LISTENERS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: max_listeners %u > %u",
			       p->max_listeners, TT_STACK_MAX_LISTENERS);
	if (!is_pow2(p->sndbuf) || p->sndbuf < TT_STACK_MIN_BUF ||
	    p->sndbuf > TT_STACK_MAX_BUF || !is_pow2(p->rcvbuf) ||
	    p->rcvbuf < TT_STACK_MIN_BUF || p->rcvbuf > TT_STACK_MAX_BUF)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: buffers %u/%u: powers of two in [%u, %u]",
			       p->sndbuf, p->rcvbuf, TT_STACK_MIN_BUF,
			       TT_STACK_MAX_BUF);
	if (p->mss < TT_STACK_MIN_MSS || p->mss > TT_STACK_MAX_MSS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: mss %u outside [%u, %u]", p->mss,
			       TT_STACK_MIN_MSS, TT_STACK_MAX_MSS);
	if (p->rto_min_ms > p->rto_max_ms || p->rto_max_ms > 65535u * TT_STACK_CTX_TICK_MS)
		return tt_errf(err, errlen, TT_EINVAL,
			       "stack: rto_min %u > rto_max %u or rto_max too large",
			       p->rto_min_ms, p->rto_max_ms);
	if (p->syn_retries > 255 || p->data_retries > 255)
		return tt_errf(err, errlen, TT_EINVAL, "stack: retries > 255");
	return 0;
}

/* Fill zero parameters with defaults. */
static void stack_defaults(struct tt_stack_params *p)
{
	struct tt_stack_params d;

	tt_stack_params_default(&d);
#define DEF(f) do { if (!p->f) p->f = d.f; } while (0)
	DEF(max_conns); DEF(max_listeners); DEF(sndbuf); DEF(rcvbuf); DEF(mss);
	DEF(arp_entries); DEF(arp_queue); DEF(arp_ttl_ms);
	DEF(rto_init_ms); DEF(rto_min_ms); DEF(rto_max_ms); DEF(delack_ms);
	DEF(time_wait_ms); DEF(fin_wait2_ms); DEF(syn_retries);
	DEF(data_retries); DEF(challenge_per_s);
#undef DEF
}

static int stack_alloc(struct tt_stack *s)
{
	uint32_t n = s->p.max_conns, nb = 1, i;
	size_t per = (size_t)s->p.sndbuf + s->p.rcvbuf;

	while (nb < 2 * n)
		nb <<= 1;
	s->tcb = calloc(n, sizeof(*s->tcb));
	s->hash = malloc(nb * sizeof(*s->hash));
	s->bufmem = malloc(per * n);
	s->lis = calloc(s->p.max_listeners, sizeof(*s->lis));
	s->rnext = malloc((n + s->p.max_listeners) * sizeof(*s->rnext));
	s->rprev = malloc((n + s->p.max_listeners) * sizeof(*s->rprev));
	s->arp = calloc(s->p.arp_entries, sizeof(*s->arp));
	s->arpq = calloc(s->p.arp_queue, sizeof(*s->arpq));
	s->arpq_mem = malloc((size_t)s->p.arp_queue * TS_FRAME_MAX);
	s->tx = malloc(TS_FRAME_MAX);
	if (!s->tcb || !s->hash || !s->bufmem || !s->lis || !s->rnext || !s->rprev ||
	    !s->arp || !s->arpq || !s->arpq_mem || !s->tx)
		return TT_ENOMEM;
	s->n_tcb = n;
	s->hash_mask = nb - 1;
	for (i = 0; i < nb; i++)
		s->hash[i] = TS_NIL;
	/* free list through hnext, lowest index first */
	for (i = 0; i < n; i++) {
		s->tcb[i].hnext = i + 1 < n ? (int32_t)(i + 1) : TS_NIL;
		s->tcb[i].sbuf = s->bufmem + per * i;
		s->tcb[i].rbuf = s->tcb[i].sbuf + s->p.sndbuf;
		s->tcb[i].gen = 1;
	}
	for (i = 0; i < s->p.max_listeners; i++)
		s->lis[i].gen = 1;
	for (i = 0; i < n + s->p.max_listeners; i++)
		s->rnext[i] = s->rprev[i] = TS_UNLISTED;
	s->ready_head = s->ready_tail = TS_NIL;
	for (i = 0; i < s->p.arp_queue; i++)
		s->arpq[i].frame = s->arpq_mem + (size_t)i * TS_FRAME_MAX;
	s->free_head = 0;
	s->active = TS_NIL;
	s->sbuf_mask = s->p.sndbuf - 1;
	s->rbuf_mask = s->p.rcvbuf - 1;
	/* RFC 7323 2.3: the smallest shift that lets the whole buffer be
	 * advertised, at most 14 */
	while (s->rcv_wscale < 14 && (s->p.rcvbuf >> s->rcv_wscale) > 65535u)
		s->rcv_wscale++;
	return 0;
}

int tt_stack_new(struct tt_stack **sp, const struct tt_stack_params *p,
		 char *err, size_t errlen)
{
	struct tt_stack *s;
	int r;

	*sp = NULL;
	if (!p)
		return tt_errf(err, errlen, TT_EINVAL, "stack: no parameters");
	s = calloc(1, sizeof(*s));
	if (!s)
		return tt_errf(err, errlen, TT_ENOMEM, "stack: out of memory");
	s->p = *p;
	stack_defaults(&s->p);
	r = stack_check(&s->p, err, errlen);
	if (r < 0)
		goto err_free;
	if (s->p.key) {
		s->key = *s->p.key;
	} else if (tt_sipkey_random(&s->key) < 0) {
		r = tt_errf(err, errlen, TT_ENOMEM, "stack: no random key");
		goto err_free;
	}
	r = stack_alloc(s);
	if (r < 0) {
		r = tt_errf(err, errlen, r, "stack: out of memory for %u connections",
			    s->p.max_conns);
		goto err_free;
	}
	ts_clock(s);
	s->ip_id = (uint16_t)tt_siphash13(&s->key, "ipid", 4);
	s->next_port = (uint16_t)(TS_EPHEMERAL_LO +
				  tt_siphash13(&s->key, "port", 4) %
				  (65536u - TS_EPHEMERAL_LO));
	*sp = s;
	return 0;

err_free:
	tt_stack_free(s);
	return r;
}

void tt_stack_free(struct tt_stack *s)
{
	if (!s)
		return;
	free(s->tcb);
	free(s->hash);
	free(s->bufmem);
	free(s->lis);
	free(s->rnext);
	free(s->rprev);
	free(s->arp);
	free(s->arpq);
	free(s->arpq_mem);
	free(s->tx);
	free(s);
}

void ts_clock(struct tt_stack *s)
{
	struct timespec ts;
	uint64_t now;

	if (s->p.now_ms) {
		now = s->p.now_ms(s->p.arg);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	}
	/* never backwards: every deadline is computed from s->now */
	if (now > s->now)
		s->now = now;
}

uint64_t tt_stack_now(const struct tt_stack *s)
{
	return s->now;
}

void ts_output(struct tt_stack *s, const uint8_t *f, size_t len,
	       const struct tt_tuple *t)
{
	if (s->p.output(s->p.arg, f, len, t) < 0) {
		ts_count(s, TT_SCNT_TX_FAIL);
		return;
	}
	ts_count(s, TT_SCNT_TX_FRAMES);
}

void tt_stack_input(struct tt_stack *s, const uint8_t *f, size_t len)
{
	uint16_t type;

	ts_clock(s);
	ts_count(s, TT_SCNT_RX_FRAMES);
	if (!f || len < TS_ETH_HDR) {
		ts_count(s, TT_SCNT_DROP_RUNT);
		return;
	}
	if (memcmp(f, s->p.mac, 6) != 0 && memcmp(f, eth_bcast, 6) != 0) {
		ts_count(s, TT_SCNT_DROP_NOT_FOR_US);
		return;
	}
	type = ts_rd16(f + 12);
	if (type == 0x0806)
		ts_arp_input(s, f, len);
	else if (type == 0x0800)
		ts_ip_input(s, f, len);
	else
		ts_count(s, TT_SCNT_DROP_ETHERTYPE);
}

void tt_stack_timer(struct tt_stack *s)
{
	int32_t i, next;

	ts_clock(s);
	ts_arp_timer(s);
	for (i = s->active; i != TS_NIL; i = next) {
		next = s->tcb[i].anext; /* the timers may free this TCB */
		ts_tcp_timers(s, &s->tcb[i]);
	}
}

uint64_t tt_stack_next_timer(const struct tt_stack *s)
{
	uint64_t t = ts_arp_next_timer(s), u;
	int32_t i;

	for (i = s->active; i != TS_NIL; i = s->tcb[i].anext) {
		u = ts_tcp_next_timer(&s->tcb[i]);
		if (u < t)
			t = u;
	}
	return t;
}

uint64_t tt_stack_counter(const struct tt_stack *s, int c)
{
	return c >= 0 && c < TT_SCNT_N ? s->cnt[c] : 0;
}

const char *tt_stack_counter_name(int c)
{
	return c >= 0 && c < TT_SCNT_N ? counter_names[c] : NULL;
}

const char *tt_stack_counter_what(int c)
{
	return c >= 0 && c < TT_SCNT_N ? counter_whats[c] : NULL;
}

unsigned int tt_stack_conns(const struct tt_stack *s)
{
	return s->n_used;
}
