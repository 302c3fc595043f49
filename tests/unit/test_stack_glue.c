/* SPDX-License-Identifier: MIT */
/*
 * The team's stack through its cards (host_glue.h), on RTL cards and on
 * model cards: a client stack on the wire (its frames go into a card's
 * net_rx, the cards' net_tx come back to it) resolves the team's address
 * with ARP, pings it, opens a TCP connection, moves data both ways while
 * the "switch" moves the connection from one card to the other, and
 * closes; the team answers ARP and ping from the card that received the
 * request, and resets segments of unknown connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hostenv.h"
#include "stackenv.h"
#include "flow.h"
#include "testenv.h"
#include "teamtoe/host_glue.h"
#include "teamtoe/procedure.h"
#include "teamtoe/stack_offl.h"

#define CLIENT_IP   (HOSTENV_PEER_IP + 9)
#define CYCLES_MS   1000u          /* card cycles per simulated ms */
#define QUEUE       512u

struct wire {
	struct hostenv env;
	struct tt_glue *g;
	struct tt_stack *team, *client;
	unsigned int port;             /* the card the client's frames reach */
	uint8_t *q;                    /* client -> cards */
	size_t qlen[QUEUE];
	unsigned int qn;
	uint64_t to_client;            /* frames the cards sent */
	uint64_t from_card[2];
};

static uint8_t buf[TT_MAX_FRAME];

static uint64_t client_now(void *arg)
{
	return ((struct wire *)arg)->env.now;
}

static int client_out(void *arg, const uint8_t *f, size_t len,
		      const struct tt_tuple *t)
{
	struct wire *w = arg;

	(void)t;
	if (w->qn == QUEUE)
		return -1;
	memcpy(w->q + (size_t)w->qn * TT_MAX_FRAME, f, len);
	w->qlen[w->qn++] = len;
	return 0;
}

static int wire_open(void **state, const char *backend, int offload)
{
	struct wire *w = calloc(1, sizeof(*w));
	struct tt_glue_params gp = { .offload_on_establish = offload };
	struct tt_stack_params cp;
	char err[256];

	w->q = malloc((size_t)QUEUE * TT_MAX_FRAME);
	hostenv_open(&w->env, backend, 2, TT_POLICY_FIRST);
	if (tt_glue_attach(&w->g, w->env.h, &gp, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	w->team = tt_glue_stack(w->g);
	tt_stack_params_default(&cp);
	memcpy(cp.mac, hostenv_peer_mac, 6);
	cp.ipv4 = CLIENT_IP;
	cp.output = client_out;
	cp.now_ms = client_now;
	cp.arg = w;
	if (tt_stack_new(&w->client, &cp, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	*state = w;
	return 0;
}

static int setup_rtl(void **state) { return wire_open(state, "rtl", 0); }
static int setup_model(void **state) { return wire_open(state, "model", 0); }
static int setup_rtl_offl(void **state) { return wire_open(state, "rtl", 1); }
static int setup_model_offl(void **state) { return wire_open(state, "model", 1); }

static int teardown(void **state)
{
	struct wire *w = *state;

	tt_stack_free(w->client);
	tt_glue_detach(w->g);
	hostenv_close(&w->env);
	free(w->q);
	free(w);
	return 0;
}

/* Put a frame on card nid's wire. */
static void to_card(struct wire *w, unsigned int nid, const uint8_t *f,
		    size_t len)
{
	struct tt_card *c = tt_host_card(w->env.h, nid);

	while (tt_card_net_rx(c, f, len) == TT_EAGAIN)
		tt_host_poll(w->env.h, 16);
}

/* One simulated ms: the client's frames to the switch port, the cards
 * and the host, the cards' frames to the client, both stacks' timers. */
static void pump(struct wire *w, unsigned int ms)
{
	size_t len;

	for (unsigned int k = 0; k < ms; k++) {
		unsigned int n = w->qn;

		w->env.now++;
		w->qn = 0;
		for (unsigned int i = 0; i < n; i++)
			to_card(w, w->port, w->q + (size_t)i * TT_MAX_FRAME,
				w->qlen[i]);
		tt_host_poll(w->env.h, CYCLES_MS);
		for (unsigned int nid = 0; nid < 2; nid++) {
			struct tt_card *c = tt_host_card(w->env.h, nid);

			while (tt_card_net_tx(c, buf, sizeof(buf), &len) == TT_OK) {
				w->to_client++;
				w->from_card[nid]++;
				tt_stack_input(w->client, buf, len);
			}
		}
		tt_stack_timer(w->client);
		tt_stack_timer(w->team);
	}
}

/* Put a frame on card nid and return the first frame a card sends back
 * (its length, 0 if none within 50 ms); *from: which card. */
static size_t exchange(struct wire *w, unsigned int nid, const uint8_t *f,
		       size_t len, unsigned int *from)
{
	size_t out;

	to_card(w, nid, f, len);
	for (int ms = 0; ms < 50; ms++) {
		w->env.now++;
		tt_host_poll(w->env.h, CYCLES_MS);
		for (unsigned int c = 0; c < 2; c++) {
			if (tt_card_net_tx(tt_host_card(w->env.h, c), buf,
					   sizeof(buf), &out) == TT_OK) {
				*from = c;
				return out;
			}
		}
	}
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void arp_and_ping(void **state)
{
	struct wire *w = *state;
	uint8_t f[128];
	unsigned int from;
	size_t len;
	uint16_t c;

	/* ARP request for the team's address, broadcast, on card 1 */
	memset(f, 0, 42);
	memset(f, 0xff, 6);
	memcpy(f + 6, hostenv_peer_mac, 6);
	f[12] = 0x08; f[13] = 0x06; f[15] = 1; f[16] = 0x08; f[18] = 6;
	f[19] = 4; f[21] = 1;
	memcpy(f + 22, hostenv_peer_mac, 6);
	put32(f + 28, CLIENT_IP);
	put32(f + 38, HOSTENV_TEAM_IP);
	len = exchange(w, 1, f, 42, &from);
	assert_int_equal(len, 42);
	assert_int_equal(from, 1);              /* out where it came in */
	assert_memory_equal(buf, hostenv_peer_mac, 6);
	assert_memory_equal(buf + 6, hostenv_team_mac, 6);
	assert_int_equal(buf[21], 2);
	assert_memory_equal(buf + 22, hostenv_team_mac, 6);

	/* ping on card 0 */
	memset(f, 0, sizeof(f));
	memcpy(f, hostenv_team_mac, 6);
	memcpy(f + 6, hostenv_peer_mac, 6);
	f[12] = 0x08;
	f[14] = 0x45; f[17] = 20 + 8 + 16; f[22] = 64; f[23] = 1;
	put32(f + 26, CLIENT_IP);
	put32(f + 30, HOSTENV_TEAM_IP);
	c = csum(f + 14, 20);
	f[24] = (uint8_t)(c >> 8); f[25] = (uint8_t)c;
	f[34] = 8; f[38] = 0x12; f[39] = 0x34; f[41] = 1;
	for (int i = 0; i < 16; i++)
		f[42 + i] = (uint8_t)i;
	c = csum(f + 34, 24);
	f[36] = (uint8_t)(c >> 8); f[37] = (uint8_t)c;
	len = exchange(w, 0, f, 58, &from);
	assert_int_equal(len, 58);
	assert_int_equal(from, 0);
	assert_int_equal(buf[34], 0);           /* echo reply */
	assert_memory_equal(buf + 38, f + 38, 20);
	assert_int_equal(csum(buf + 34, 24), 0);
	assert_int_equal(tt_stack_counter(w->team, TT_SCNT_ICMP_ECHO_REPLIES), 1);
	/* a bad ICMP checksum: no answer, counted */
	f[40] ^= 1;
	assert_int_equal(exchange(w, 0, f, 58, &from), 0);
	assert_int_equal(tt_stack_counter(w->team, TT_SCNT_DROP_ICMP_CSUM), 1);
}

static void rst_for_unknown_connection(void **state)
{
	struct wire *w = *state;
	struct se_seg g = {
		.src_mac = hostenv_peer_mac, .dst_mac = hostenv_team_mac,
		.src_ip = CLIENT_IP, .dst_ip = HOSTENV_TEAM_IP,
		.sport = 33333, .dport = 80, .seq = 100, .ack = 5555,
		.flags = 0x10, .win = 1000, .ws = -1,
	};
	uint8_t f[128];
	struct se_tcp t;
	unsigned int from;
	size_t len;

	len = exchange(w, 1, f, se_tcp_build(f, &g), &from);
	assert_true(len > 0);
	assert_int_equal(from, 1);
	assert_int_equal(se_tcp_parse(buf, len, &t), 0);
	assert_true(t.csum_ok);
	assert_int_equal(t.flags, 0x04);
	assert_int_equal(t.seq, 5555);
	assert_int_equal(t.dport, 33333);
	assert_int_equal(t.dst_ip, CLIENT_IP);
	/* a SYN to a port nobody listens on */
	g.flags = 0x02;
	g.dport = 81;
	len = exchange(w, 0, f, se_tcp_build(f, &g), &from);
	assert_int_equal(se_tcp_parse(buf, len, &t), 0);
	assert_int_equal(t.flags, 0x14);
	assert_int_equal(t.ack, 101);
	assert_int_equal(tt_stack_counter(w->team, TT_SCNT_DROP_TCP_NO_CONN), 2);
}

static void tcp_through_cards(void **state)
{
	struct wire *w = *state;
	struct tt_host *h = w->env.h;
	const uint64_t total = 1u << 20;
	struct flow up, down;
	int lh, hc, hs = -1, ms;
	uint8_t b[16];

	lh = tt_listen(w->team, 80, 8);
	hc = tt_connect(w->client, HOSTENV_TEAM_IP, 80, 0);
	assert_true(lh > 0 && hc > 0);
	for (ms = 0; ms < 2000 && hs < 0; ms++) {
		pump(w, 1);
		hs = tt_accept(w->team, lh, NULL);
	}
	assert_true(hs > 0);
	assert_true(tt_sock_events(w->client, hc) & TT_EV_CONNECTED);
	assert_int_equal(tt_stack_counter(w->client, TT_SCNT_ARP_REQUESTS), 1);

	up = (struct flow){ w->client, w->team, hc, hs, 0, 0, 0, total };
	down = (struct flow){ w->team, w->client, hs, hc, 1, 0, 0, total };
	for (ms = 0; ms < 60000 && (up.got < total || down.got < total); ms++) {
		/* halfway, the switch moves the connection to card 1 */
		if (up.got > total / 2)
			w->port = 1;
		assert_int_equal(flow_step(&up), 0);
		assert_int_equal(flow_step(&down), 0);
		pump(w, 1);
	}
	print_message("# %llu bytes each way in %d ms; cards sent %llu+%llu frames; "
		      "procedure: created %llu, same NIC %llu, software %llu\n",
		      (unsigned long long)total, ms,
		      (unsigned long long)w->from_card[0],
		      (unsigned long long)w->from_card[1],
		      (unsigned long long)h->st.proc[TT_PROC_CREATED],
		      (unsigned long long)h->st.proc[TT_PROC_SAME_NIC],
		      (unsigned long long)h->st.proc[TT_PROC_SOFTWARE]);
	assert_int_equal(up.got, total);
	assert_int_equal(down.got, total);
	/* the record followed the switch (412) and so did our frames */
	assert_true(h->st.proc[TT_PROC_SOFTWARE] >= 1);
	assert_true(tt_glue_stats(w->g)->tx_frames[0] > 0);
	assert_true(tt_glue_stats(w->g)->tx_frames[1] > 0);
	assert_true(w->from_card[1] > 0);
	assert_int_equal(tt_glue_stats(w->g)->tx_lost, 0);

	/* the client closes; the server reads the end and closes too */
	assert_int_equal(tt_shutdown(w->client, hc), 0);
	for (ms = 0; ms < 5000; ms++) {
		pump(w, 1);
		if (tt_recv(w->team, hs, b, sizeof(b)) == 0)
			break;
	}
	assert_int_equal(tt_recv(w->team, hs, b, sizeof(b)), 0);
	assert_int_equal(tt_close(w->team, hs), 0);
	for (ms = 0; ms < 5000; ms++) {
		pump(w, 1);
		if (tt_sock_events(w->client, hc) & TT_EV_CLOSED)
			break;
	}
	assert_true(tt_sock_events(w->client, hc) & TT_EV_CLOSED);
	assert_int_equal(tt_recv(w->client, hc, b, sizeof(b)), 0);
	pump(w, 5);                              /* the client's last ACK */
	assert_int_equal(tt_stack_conns(w->team), 0);   /* LAST-ACK done */
	assert_int_equal(tt_sock_error(w->client, hc), 0);
	/* FIN removed the record (seed ¶34) */
	assert_true(h->st.closed >= 1);
}

/* Open a connection client -> team:80; returns the handles. */
static void open_conn(struct wire *w, int *hc, int *hs)
{
	int lh = tt_listen(w->team, 80, 8);

	*hs = -1;
	*hc = tt_connect(w->client, HOSTENV_TEAM_IP, 80, 0);
	assert_true(lh > 0 && *hc > 0);
	for (int ms = 0; ms < 2000 && *hs < 0; ms++) {
		pump(w, 1);
		*hs = tt_accept(w->team, lh, NULL);
	}
	assert_true(*hs > 0);
}

/* A connection the team hands to its card comes back to software when
 * the team has data to send (card revision 1.2 receives only: it refuses
 * the doorbell) or a segment of it reaches the stack, with nothing lost
 * either way. A card of revision 1.3 takes the doorbell and sends the
 * data itself, read from the send buffer. */
static void offloaded_connection_comes_back(void **state)
{
	struct wire *w = *state;
	struct tt_host *h = w->env.h;
	struct tt_sock_info info;
	struct flow up, down;
	struct tt_rec *rec;
	int hc, hs, ms;

	open_conn(w, &hc, &hs);
	up = (struct flow){ w->client, w->team, hc, hs, 0, 0, 0, 1u << 20 };
	down = (struct flow){ w->team, w->client, hs, hc, 1, 0, 0, 1u << 20 };
	for (ms = 0; ms < 5; ms++) {
		assert_int_equal(flow_step(&up), 0);
		assert_int_equal(flow_step(&down), 0);
		pump(w, 1);
	}
	assert_true(up.got > 0 && up.got < up.total);
	tt_sock_info(w->team, hs, &info);
	assert_int_equal(tt_stack_offload(w->team, &info.t), 0);
	rec = tt_records_lookup(h->rec, &info.t);
	assert_non_null(rec);
	assert_true(tt_rec_offloaded(rec));
	assert_int_equal(h->st.offloads, 1);
	for (ms = 0; ms < 20000 && (up.got < up.total || down.got < down.total); ms++) {
		assert_int_equal(flow_step(&up), 0);
		assert_int_equal(flow_step(&down), 0);
		pump(w, 1);
	}
	assert_int_equal(up.got, up.total);
	assert_int_equal(down.got, down.total);
	uint32_t version = 0;

	tt_card_reg_read(tt_host_card(h, 0), TT_REG_VERSION, &version);
	if (version >= TT_CARD_VERSION_ENGINE_TX) {
		/* the card sent: no doorbell refused, its reads answered */
		assert_int_equal(tt_glue_stats(w->g)->doorbell_uploads, 0);
		assert_true(h->st.reads > 0);
		assert_int_equal(h->st.read_fail, 0);
		assert_int_equal(h->st.uploads, tt_glue_stats(w->g)->offl_uploads);
		return;
	}
	/* back for data to send, or for a segment the card decided before
	 * it took the connection over (a NO_MATCH the stack gets late) */
	assert_true(h->st.uploads >= 1);
	assert_int_equal(h->st.uploads, tt_glue_stats(w->g)->doorbell_uploads +
			 tt_glue_stats(w->g)->offl_uploads);
	assert_int_equal(tt_glue_stats(w->g)->resume_fail, 0);
	tt_sock_info(w->team, hs, &info);
	assert_false(info.offloaded);
	assert_int_equal(tt_stack_counter(w->team, TT_SCNT_TCP_RESUMED),
			 h->st.uploads);
}

/* The host's read of the send buffer, failing once on request. */
static int (*real_read)(void *, unsigned int, const struct tt_tuple *,
			uint32_t, size_t, uint8_t *);
static int fail_reads;

static int flaky_read(void *arg, unsigned int nid, const struct tt_tuple *t,
		      uint32_t seq, size_t len, uint8_t *out)
{
	if (fail_reads > 0) {
		fail_reads--;
		return -1;
	}
	return real_read(arg, nid, t, seq, len, out);
}

/* A DMA read the host cannot answer would leave the card waiting for it
 * forever: the next poll takes the connection back to software, which
 * sends everything (revision 1.3 cards only: 1.2 reads nothing). */
static void unanswered_read_uploads(void **state)
{
	struct wire *w = *state;
	struct tt_host *h = w->env.h;
	struct tt_sock_info info;
	struct flow down;
	uint32_t version = 0;
	int hc, hs, ms;

	tt_card_reg_read(tt_host_card(h, 0), TT_REG_VERSION, &version);
	if (version < TT_CARD_VERSION_ENGINE_TX) {
		print_message("# SKIP: card revision %u.%u reads no send data\n",
			      version >> 16, version & 0xffff);
		skip();
	}
	open_conn(w, &hc, &hs);
	tt_sock_info(w->team, hs, &info);
	assert_int_equal(tt_stack_offload(w->team, &info.t), 0);
	real_read = h->p.ops.read;
	h->p.ops.read = flaky_read;
	fail_reads = 1;
	down = (struct flow){ w->team, w->client, hs, hc, 1, 0, 0, 256u << 10 };
	for (ms = 0; ms < 20000 && down.got < down.total; ms++) {
		assert_int_equal(flow_step(&down), 0);
		pump(w, 1);
	}
	h->p.ops.read = real_read;
	assert_int_equal(down.got, down.total);
	assert_int_equal(h->st.read_fail, 1);
	assert_int_equal(h->st.read_fail_uploads, 1);
	tt_sock_info(w->team, hs, &info);
	assert_false(info.offloaded);
}

/* With offload on establishment, the team's card takes the connection
 * as soon as the handshake ends and keeps it: the data flows through the
 * card's receive engine (revision 1.2) into the application. */
static void offload_on_establish(void **state)
{
	struct wire *w = *state;
	struct tt_host *h = w->env.h;
	struct tt_sock_info info;
	struct flow up;
	int hc, hs, ms;

	open_conn(w, &hc, &hs);
	tt_sock_info(w->team, hs, &info);
	assert_true(info.offloaded);
	assert_int_equal(h->st.offloads, 1);
	assert_int_equal(tt_stack_counter(w->team, TT_SCNT_TCP_OFFLOADED), 1);
	up = (struct flow){ w->client, w->team, hc, hs, 0, 0, 0, 200000 };
	for (ms = 0; ms < 20000 && up.got < up.total; ms++) {
		assert_int_equal(flow_step(&up), 0);
		pump(w, 1);
	}
	assert_int_equal(up.got, up.total);
	tt_sock_info(w->team, hs, &info);
	assert_true(info.offloaded);
	assert_int_equal(h->st.uploads, 0);
	uint64_t engine_bytes = 0;
	for (unsigned int i = 0; i < h->n_cards; i++)
		engine_bytes += tt_card_counter(h->cards[i].card, TT_CNT_ENG_PAYLOAD_BYTES);
	assert_int_equal(engine_bytes, up.total);
	assert_int_equal(h->st.payload_bytes, up.total);
}

#define BOTH(fn) TESTENV_BOTH(fn, setup_rtl, setup_model, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(arp_and_ping),
		BOTH(rst_for_unknown_connection),
		BOTH(tcp_through_cards),
		BOTH(offloaded_connection_comes_back),
		BOTH(unanswered_read_uploads),
		TESTENV_BOTH(offload_on_establish, setup_rtl_offl, setup_model_offl,
			     teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
