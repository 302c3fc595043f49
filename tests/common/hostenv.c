/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_table.h"
#include "framegen.h"
#include "hostenv.h"
#include "teamtoe/reload.h"

const uint8_t hostenv_team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
const uint8_t hostenv_peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
const uint32_t hostenv_key[4] = { 0x6d5a56da, 0x255b0ec2, 0x4167253d,
				  0x43a38fb0 };

static uint64_t env_now(void *arg)
{
	return ((struct hostenv *)arg)->now;
}

static void env_sw(void *arg, unsigned int nid, const uint8_t *f, size_t len)
{
	struct hostenv *e = arg;

	(void)f; (void)len;
	e->sw++;
	e->sw_nid = nid;
}

static void env_offl(void *arg, unsigned int nid, const struct tt_tuple *t,
		     const uint8_t *f, size_t len)
{
	(void)nid; (void)t; (void)f; (void)len;
	((struct hostenv *)arg)->offl++;
}

static void env_payload(void *arg, unsigned int nid, const struct tt_tuple *t,
			uint32_t seq, const uint8_t *data, size_t len)
{
	struct hostenv *e = arg;

	(void)nid;
	e->payloads++;
	e->payload_bytes += len;
	if (!e->pay_sport || t->sport != e->pay_sport)
		return;
	if (e->pay_started && seq != e->pay_next)
		e->pay_gaps++;
	for (size_t i = 0; i < len; i++)
		if (data[i] != hostenv_pay_byte(seq + (uint32_t)i))
			e->pay_bad_bytes++;
	e->pay_started = 1;
	e->pay_next = seq + (uint32_t)len;
}

static void env_upload(void *arg, const struct tt_ctx *c, int why)
{
	struct hostenv *e = arg;

	e->payloads_at_upload = e->payloads;
	e->uploads++;
	e->last_upload = *c;
	e->last_upload_why = why;
}

void hostenv_open(struct hostenv *e, const char *backend, unsigned int n,
		  int policy)
{
	struct tt_team_config cfg;
	struct tt_host_params p;
	char err[256];
	unsigned int i;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.mac, hostenv_team_mac, 6);
	cfg.ipv4 = HOSTENV_TEAM_IP;
	cfg.max_conns = e->max_conns ? e->max_conns : 4096;
	cfg.policy = policy;
	cfg.dos_threshold_pps = TT_TEAM_DEF_DOS_THRESHOLD_PPS;
	cfg.dos_syn_threshold_pps = e->syn_pps ? e->syn_pps :
				    TT_TEAM_DEF_DOS_SYN_THRESHOLD_PPS;
	cfg.dos_cooldown_ms = TT_TEAM_DEF_DOS_COOLDOWN_MS;
	cfg.n_cards = n;
	snprintf(cfg.path, sizeof(cfg.path), "/team");
	for (i = 0; i < n; i++) {
		cfg.cards[i].id = i;
		snprintf(cfg.cards[i].backend, sizeof(cfg.cards[i].backend),
			 "%s", backend);
		cfg.cards[i].conn_slots = HOSTENV_SLOTS;
		cfg.cards[i].enabled = 1;
		snprintf(cfg.cards[i].path, sizeof(cfg.cards[i].path),
			 "/cards/card@%u", i);
	}
	memset(&p, 0, sizeof(p));
	p.hash_key = hostenv_key;
	p.ops.sw_rx = env_sw;
	p.ops.offl_rx = env_offl;
	p.ops.upload = env_upload;
	p.ops.payload = env_payload;
	p.ops.now_ms = env_now;
	p.timer_scale = e->timer_scale;
	p.ops.arg = e;
	e->now = 1000;
	r = tt_host_new(&e->h, &cfg, &p, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "hostenv: %s\n", err);
		exit(2);
	}
	/* Raise the links and let the tables clear (CONN_SLOTS/4 cycles). */
	tt_host_poll(e->h, 512);
}

void hostenv_close(struct hostenv *e)
{
	tt_host_free(e->h);
	e->h = NULL;
}

size_t hostenv_data_frame(uint8_t *buf, uint32_t peer_ip, uint16_t sport,
			  uint16_t dport, uint8_t flags, uint32_t seq,
			  uint32_t ack, uint16_t len)
{
	static uint8_t data[TT_MAX_FRAME];
	struct fg_tcp t;

	for (uint16_t i = 0; i < len; i++)
		data[i] = hostenv_pay_byte(seq + i);
	memset(&t, 0, sizeof(t));
	memcpy(t.dst_mac, hostenv_team_mac, 6);
	memcpy(t.src_mac, hostenv_peer_mac, 6);
	t.src_ip = peer_ip;
	t.dst_ip = HOSTENV_TEAM_IP;
	t.src_port = sport;
	t.dst_port = dport;
	t.seq = seq;
	t.ack = ack;
	t.flags = flags;
	t.window = 65535;
	t.payload = data;
	t.payload_len = len;
	return fg_tcp_frame(buf, &t);
}

size_t hostenv_frame(uint8_t *buf, uint32_t peer_ip, uint16_t sport,
		     uint16_t dport, uint8_t flags, uint32_t seq)
{
	struct fg_tcp t;

	memset(&t, 0, sizeof(t));
	memcpy(t.dst_mac, hostenv_team_mac, 6);
	memcpy(t.src_mac, hostenv_peer_mac, 6);
	t.src_ip = peer_ip;
	t.dst_ip = HOSTENV_TEAM_IP;
	t.src_port = sport;
	t.dst_port = dport;
	t.seq = seq;
	t.ack = 1;
	t.flags = flags;
	t.window = 65535;
	return fg_tcp_frame(buf, &t);
}

int hostenv_rx(struct hostenv *e, unsigned int nid, const uint8_t *f,
	       size_t len)
{
	struct tt_card *c = tt_host_card(e->h, nid);
	uint64_t frames = e->h->st.frames;

	e->h->last_result = -1;
	while (tt_card_net_rx(c, f, len) == TT_EAGAIN)
		tt_host_poll(e->h, 16);
	for (int i = 0; i < 200 && e->h->st.frames == frames; i++)
		tt_host_poll(e->h, 16);
	return e->h->last_result;
}

int hostenv_card_verdict(struct hostenv *e, unsigned int nid,
			 const uint8_t *f, size_t len, uint16_t *slot)
{
	struct tt_card *c = tt_host_card(e->h, nid);
	struct tt_dma_write d;
	uint8_t buf[TT_MAX_FRAME];

	while (tt_card_net_rx(c, f, len) == TT_EAGAIN)
		tt_card_step(c, 16);
	for (int i = 0; i < 200; i++) {
		tt_card_step(c, 16);
		if (tt_card_dma_write(c, &d, buf, sizeof(buf)) == TT_OK) {
			if (slot)
				*slot = d.slot;
			return d.reason;
		}
	}
	return -1;
}

int hostenv_ctx(struct hostenv *e, unsigned int nid, uint8_t op,
		uint16_t slot, struct tt_ctx_result *res)
{
	struct tt_ctx_cmd cmd = { .op = op, .slot = slot };

	return tt_ctx_sync(e->h, nid, &cmd, res, NULL);
}

void hostenv_ctx_make(struct tt_ctx *c, uint32_t peer_ip, uint16_t sport,
		      uint16_t dport, uint32_t salt)
{
	memset(c, 0, sizeof(*c));
	c->version = TT_CTX_VERSION;
	c->flags = TT_CTXF_VALID;
	c->state = TT_TCP_ESTABLISHED;
	c->remote_ip = peer_ip;
	c->local_ip = HOSTENV_TEAM_IP;
	c->remote_port = sport;
	c->local_port = dport;
	c->mss = 1460;
	c->snd_wscale = 7;
	c->rcv_wscale = 7;
	c->peer_mac = 0x020000000002ull;
	c->snd_una = 1000 + salt;
	c->snd_nxt = 5000 + salt;
	c->snd_max = 9000 + salt;
	c->rcv_nxt = 70000 + salt;
	c->cwnd = 14600;
	c->ssthresh = 65535;
	c->snd_wnd = 512;
	c->rcv_wnd = 512;
	c->rto = 200;
	c->timer = 17;
	c->ip_id = (uint16_t)salt;
	c->dupacks = 2;
}

struct tt_tuple hostenv_tuple(uint32_t peer_ip, uint16_t sport,
			      uint16_t dport)
{
	struct tt_tuple t;

	memset(&t, 0, sizeof(t));
	t.saddr = peer_ip;
	t.daddr = HOSTENV_TEAM_IP;
	t.sport = sport;
	t.dport = dport;
	return t;
}

void hostenv_colliding(uint32_t peer_ip, uint16_t dport, uint16_t sport,
		       unsigned int n, uint16_t *ports)
{
	uint32_t want = 0, mask = HOSTENV_SLOTS / TT_CONN_WAYS - 1;
	unsigned int k = 0;

	for (uint32_t p = sport; k < n && p < 65536; p++) {
		struct conn_tuple t = { peer_ip, HOSTENV_TEAM_IP,
					(uint16_t)p, dport };
		uint32_t b = conn_hash(hostenv_key, &t) & mask;

		if (k == 0)
			want = b;
		if (b == want)
			ports[k++] = (uint16_t)p;
	}
}

int hostenv_setup(void **state, const char *backend, unsigned int n,
		  int policy, uint32_t syn_pps)
{
	struct hostenv *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->syn_pps = syn_pps;
	hostenv_open(e, backend, n, policy);
	*state = e;
	return 0;
}

int hostenv_teardown(void **state)
{
	hostenv_close(*state);
	free(*state);
	return 0;
}

int hostenv_rx_seg(struct hostenv *e, unsigned int nid, uint32_t peer_ip,
		   uint16_t sport, uint8_t flags)
{
	uint8_t f[128];
	size_t len = hostenv_frame(f, peer_ip, sport, 80, flags, 1);

	return hostenv_rx(e, nid, f, len);
}

struct tt_rec *hostenv_rec(struct hostenv *e, uint32_t peer_ip, uint16_t sport)
{
	struct tt_tuple t = hostenv_tuple(peer_ip, sport, 80);

	return tt_records_lookup(e->h->rec, &t);
}

int hostenv_offload_new(struct hostenv *e, unsigned int nid, uint32_t peer_ip,
			uint16_t sport, struct tt_ctx *c)
{
	if (hostenv_rx_seg(e, nid, peer_ip, sport, FG_TCP_ACK) != TT_PROC_CREATED)
		return -1;
	hostenv_ctx_make(c, peer_ip, sport, 80, sport);
	return tt_offload(e->h, c);
}
