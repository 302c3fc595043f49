/* SPDX-License-Identifier: MIT */
/*
 * The stack's offload hooks (stack_offl.h) against a fake card: the
 * context a card gets from an established connection, field by field and
 * through the 64-byte record; offload when established (and a card that
 * declines); a connection a card runs: no segment or timer of the
 * stack's, send data by sequence number (DMA read), freed on ACKED, the
 * doorbell, payload appended for the application; the context coming
 * back (resume), with a hole the card's late payload fills or that ends
 * the connection, and with numbers the host never gave (reset); close of
 * an offloaded connection brings it back first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stackenv.h"
#include "teamtoe/stack_offl.h"

#define F_FIN 0x01
#define F_ACK 0x10
#define C_ISN 0xfffffff0u
#define PORT  80
#define CPORT 40000

static uint8_t buf[SE_FRAME], data[65536];

/* The fake card. */
struct card {
	struct stackenv *e;
	int accept;                /* offload returns 0 */
	int offloads, doorbells, uploads;
	struct tt_ctx ctx;         /* last offered */
	uint32_t snd_end;          /* last doorbell */
	struct tt_ctx back;        /* what upload hands back */
};
static struct card card;

static int card_offload(void *arg, const struct tt_ctx *c)
{
	struct card *k = arg;

	k->offloads++;
	k->ctx = *c;
	return k->accept ? 0 : -1;
}

static void card_doorbell(void *arg, const struct tt_tuple *t, uint32_t end)
{
	struct card *k = arg;

	(void)t;
	k->doorbells++;
	k->snd_end = end;
}

static int card_upload(void *arg, const struct tt_tuple *t)
{
	struct card *k = arg;

	(void)t;
	k->uploads++;
	return tt_stack_ctx_resume(k->e->s[0], &k->back);
}

static const struct tt_stack_offl_ops card_ops = {
	.offload = card_offload, .doorbell = card_doorbell,
	.upload = card_upload, .arg = &card,
};

static int setup(void **state)
{
	struct stackenv *e = calloc(1, sizeof(*e));

	stackenv_open(e, 0, NULL, NULL);
	memset(&card, 0, sizeof(card));
	card.e = e;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 5 + 11);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	stackenv_close(*state);
	free(*state);
	return 0;
}

static struct tt_tuple tuple(void)
{
	struct tt_tuple t;

	memset(&t, 0, sizeof(t));
	t.saddr = SE_IP_C;
	t.daddr = SE_IP_A;
	t.sport = CPORT;
	t.dport = PORT;
	return t;
}

static void assert_ctx_equal(const struct tt_ctx *a, const struct tt_ctx *b)
{
	uint8_t ra[TT_CTX_BYTES], rb[TT_CTX_BYTES];

	tt_ctx_pack(a, ra);
	tt_ctx_pack(b, rb);
	assert_memory_equal(ra, rb, TT_CTX_BYTES);
}

static void ctx_from_established(void **state)
{
	struct stackenv *e = *state;
	struct tt_tuple t = tuple();
	struct tt_sock_info info;
	struct tt_ctx c, u;
	uint8_t rec[TT_CTX_BYTES];
	uint32_t iss;
	int h;

	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1400, 3, 4096, &iss);
	/* 3000 bytes out (the initial window, 3 x 1400, takes them all) */
	assert_int_equal(tt_send(e->s[0], h, data, 3000), 3000);
	assert_int_equal(stackenv_pending(e, 0), 3);
	stackenv_drain(e, 0);
	/* the peer acknowledges 1400, sends 100 bytes and shrinks its
	 * window to 200 << 3 = 1600: exactly what is in flight */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, iss + 1 + 1400, F_ACK,
			    200, data, 100);
	/* 5000 more wait in the buffer */
	assert_int_equal(tt_send(e->s[0], h, data, 5000), 5000);
	se_expect_none(e, 0);
	assert_int_equal(tt_stack_ctx_fill(e->s[0], &t, &c), 0);
	tt_sock_info(e->s[0], h, &info);

	assert_int_equal(c.version, TT_CTX_VERSION);
	assert_int_equal(c.flags, TT_CTXF_VALID | TT_CTXF_ACK_PENDING);
	assert_int_equal(c.mss, 1400);
	assert_int_equal(c.local_ip, SE_IP_A);
	assert_int_equal(c.remote_ip, SE_IP_C);
	assert_int_equal(c.local_port, PORT);
	assert_int_equal(c.remote_port, CPORT);
	for (int i = 0; i < 6; i++)
		assert_int_equal((c.peer_mac >> (8 * i)) & 0xff, se_mac_c[i]);
	assert_int_equal(c.snd_wscale, 3);
	assert_int_equal(c.rcv_wscale, 1);
	assert_int_equal(c.snd_una, iss + 1 + 1400);
	assert_int_equal(c.snd_nxt, iss + 1 + 3000);
	assert_int_equal(c.snd_max, iss + 1 + 8000);    /* the buffer's end */
	assert_int_equal(c.rcv_nxt, C_ISN + 1 + 100);
	assert_int_equal(c.snd_wnd, 200);               /* as the segment said */
	/* a card's window is at most a quarter of the receive buffer: it
	 * slides with the card's rcv_nxt, not with the application's reads */
	assert_int_equal(c.rcv_wnd, (65536 / 4) >> 1);
	assert_int_equal(c.cwnd, info.cwnd);
	assert_int_equal(c.ssthresh, info.ssthresh);
	assert_int_equal(c.rto, info.rto_ms / TT_STACK_CTX_TICK_MS);
	assert_true(c.timer > 0 && c.timer <= c.rto);   /* data in flight */
	assert_int_equal(c.state, TT_TCP_ESTABLISHED);
	assert_int_equal(c.dupacks, 0);
	assert_int_equal(c.retries, 0);
	/* the record a card imports carries all of it */
	tt_ctx_pack(&c, rec);
	assert_int_equal(tt_ctx_unpack(rec, &u), 0);
	assert_ctx_equal(&c, &u);

	/* not a state a card runs, or no such connection */
	tt_shutdown(e->s[0], h);
	assert_int_equal(tt_stack_ctx_fill(e->s[0], &t, &c), TT_EINVAL);
	t.sport++;
	assert_int_equal(tt_stack_ctx_fill(e->s[0], &t, &c), TT_ENOTFOUND);
}

/* Offload on establishment; the stack leaves the connection alone. */
static int offloaded_conn(struct stackenv *e, uint32_t *iss)
{
	struct tt_sock_info info;
	int h;

	card.accept = 1;
	tt_stack_set_offload(e->s[0], &card_ops, 1);
	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, 2, 1024, iss);
	assert_true(h > 0);
	assert_int_equal(card.offloads, 1);
	tt_sock_info(e->s[0], h, &info);
	assert_true(info.offloaded);
	assert_int_equal(card.ctx.snd_una, *iss + 1);
	assert_int_equal(card.ctx.rcv_nxt, C_ISN + 1);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_OFFLOADED), 1);
	return h;
}

static void offloaded_buffers(void **state)
{
	struct stackenv *e = *state;
	struct tt_tuple t = tuple();
	struct tt_sock_info info;
	uint8_t out[2000];
	uint32_t iss, base;
	int h;

	h = offloaded_conn(e, &iss);
	base = iss + 1;
	/* send: into the buffer, the doorbell rings, no segment of ours */
	assert_int_equal(tt_send(e->s[0], h, data, 65536), 65536);
	assert_int_equal(card.doorbells, 1);
	assert_int_equal(card.snd_end, base + 65536);
	assert_int_equal(tt_send(e->s[0], h, data, 1), TT_EAGAIN);
	stackenv_run(e, 10000);
	se_expect_none(e, 0);
	/* a segment that reaches the stack anyway is not its business */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 1, base, F_ACK, 1024, data, 10);
	se_expect_none(e, 0);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_TCP_OFFLOADED), 1);
	/* the card reads what it sends by sequence number */
	assert_int_equal(tt_stack_offl_read(e->s[0], &t, base + 1000, 2000, out), 0);
	assert_memory_equal(out, data + 1000, 2000);
	assert_int_equal(tt_stack_offl_read(e->s[0], &t, base - 1, 10, out), TT_EINVAL);
	assert_int_equal(tt_stack_offl_read(e->s[0], &t, base + 65000, 1000, out),
			 TT_EINVAL);
	/* ACKED frees the front; writable again */
	(void)se_events(e, 0, h);
	assert_int_equal(tt_stack_offl_acked(e->s[0], &t, base + 5000), 0);
	assert_true(se_events(e, 0, h) & TT_EV_WRITABLE);
	tt_sock_info(e->s[0], h, &info);
	assert_int_equal(info.snd_queued, 65536 - 5000);
	assert_int_equal(tt_stack_offl_read(e->s[0], &t, base + 4000, 10, out),
			 TT_EINVAL);
	assert_int_equal(tt_stack_offl_acked(e->s[0], &t, base + 100), 0); /* old */
	assert_int_equal(tt_stack_offl_acked(e->s[0], &t, base + 70000), TT_EINVAL);
	/* payload lands in the receive buffer */
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, C_ISN + 1, data, 300), 300);
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, C_ISN + 201, data + 200,
					       200), 100);  /* overlap skipped */
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, C_ISN + 1, data, 10), 0);
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, C_ISN + 900, data, 10),
			 TT_EINVAL);                         /* a gap */
	assert_true(se_events(e, 0, h) & TT_EV_READABLE);
	assert_int_equal(tt_recv(e->s[0], h, out, sizeof(out)), 400);
	assert_memory_equal(out, data, 400);
	t.sport++;
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, 1, data, 1), TT_ENOTFOUND);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_OFFL_PAYLOAD), 2);
}

static void offload_declined(void **state)
{
	struct stackenv *e = *state;
	struct tt_sock_info info;
	uint32_t iss;
	int h;

	card.accept = 0;
	tt_stack_set_offload(e->s[0], &card_ops, 1);
	h = stackenv_crafted(e, PORT, CPORT, C_ISN, 1460, 2, 1024, &iss);
	assert_int_equal(card.offloads, 1);
	tt_sock_info(e->s[0], h, &info);
	assert_false(info.offloaded);
	assert_int_equal(tt_send(e->s[0], h, data, 100), 100);
	assert_int_equal(stackenv_pending(e, 0), 1);   /* the stack sends it */
	/* and on request, again */
	struct tt_tuple t = tuple();
	assert_int_equal(tt_stack_offload(e->s[0], &t), TT_EAGAIN);
	card.accept = 1;
	assert_int_equal(tt_stack_offload(e->s[0], &t), 0);
	assert_int_equal(tt_stack_offload(e->s[0], &t), TT_EEXIST);
}

/* The card's context comes back: the stack goes on from it. */
static void resume_from_card(void **state)
{
	struct stackenv *e = *state;
	struct tt_tuple t = tuple();
	struct tt_sock_info info;
	struct se_tcp s;
	uint32_t iss, base;
	int h;

	h = offloaded_conn(e, &iss);
	base = iss + 1;
	assert_int_equal(tt_send(e->s[0], h, data, 20000), 20000);
	tt_stack_offl_payload(e->s[0], &t, C_ISN + 1, data, 50);
	/* the card sent 8000, the peer acknowledged 6000 */
	card.back = card.ctx;
	card.back.snd_una = base + 6000;
	card.back.snd_nxt = base + 8000;
	card.back.snd_max = base + 20000;
	card.back.rcv_nxt = C_ISN + 1 + 50;
	card.back.cwnd = 7300;
	card.back.ssthresh = 4000;
	card.back.snd_wnd = 4000;                  /* << 2 = 16000 */
	card.back.rto = 300;
	card.back.timer = 0;
	card.back.flags = TT_CTXF_VALID | TT_CTXF_ACK_PENDING;
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), 0);
	tt_sock_info(e->s[0], h, &info);
	assert_false(info.offloaded);
	assert_int_equal(info.cwnd, 7300);
	assert_int_equal(info.ssthresh, 4000);
	assert_int_equal(info.rto_ms, 300);
	assert_int_equal(info.snd_queued, 14000);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_TCP_RESUMED), 1);
	/* it goes on from the card's snd_nxt, as cwnd allows (7300 - 2000
	 * in flight), and acknowledges the card's rcv_nxt */
	se_expect_tcp(e, 0, buf, &s);
	assert_int_equal(s.seq, base + 8000);
	assert_int_equal(s.ack, C_ISN + 1 + 50);
	assert_int_equal(s.len, 1460);
	assert_memory_equal(s.data, data + 8000, 1460);
	stackenv_drain(e, 0);
	/* and receives in software */
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 51, base + 8000, F_ACK,
			    4000, data + 50, 20);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 70);
	assert_memory_equal(buf, data, 70);
	/* a second context for it: it is not offloaded any more */
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), TT_ENOTFOUND);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_OFFL_CTX), 1);
}

/* The card acknowledged payload still in its DMA queue: the hole fills
 * when it comes; segments past it wait. */
static void resume_with_late_payload(void **state)
{
	struct stackenv *e = *state;
	struct tt_tuple t = tuple();
	uint32_t iss;
	int h;

	h = offloaded_conn(e, &iss);
	card.back = card.ctx;
	card.back.rcv_nxt = C_ISN + 1 + 100;
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), 0);
	stackenv_drain(e, 0);
	stackenv_inject_seg(e, CPORT, PORT, C_ISN + 101, iss + 1, F_ACK, 1024,
			    data + 100, 50);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), TT_EAGAIN);
	assert_int_equal(tt_stack_offl_payload(e->s[0], &t, C_ISN + 1, data, 100), 100);
	assert_int_equal(tt_recv(e->s[0], h, buf, sizeof(buf)), 150);
	assert_memory_equal(buf, data, 150);
	stackenv_run(e, TT_STACK_DEF_RTO_MAX_MS + 1);
	assert_int_equal(tt_sock_error(e->s[0], h), 0);
}

static void resume_with_hole_never_filled(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp s;
	uint32_t iss;
	int h;

	h = offloaded_conn(e, &iss);
	card.back = card.ctx;
	card.back.rcv_nxt = C_ISN + 1 + 100;
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), 0);
	stackenv_drain(e, 0);
	stackenv_run(e, TT_STACK_DEF_RTO_MAX_MS);
	se_expect_tcp(e, 0, buf, &s);
	assert_int_equal(s.flags, 0x04 | F_ACK);
	assert_int_equal(tt_sock_error(e->s[0], h), TT_ECONNRESET);
	assert_int_equal(se_cnt(e, 0, TT_SCNT_DROP_OFFL_CTX), 1);
}

static void resume_with_impossible_numbers(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp s;
	uint32_t iss;
	int h;

	h = offloaded_conn(e, &iss);
	card.back = card.ctx;
	card.back.snd_una = iss + 1 + 10;          /* never queued */
	card.back.snd_nxt = iss + 1 + 10;
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), TT_EINVAL);
	se_expect_tcp(e, 0, buf, &s);
	assert_int_equal(s.flags, 0x04 | F_ACK);
	assert_int_equal(tt_sock_error(e->s[0], h), TT_ECONNRESET);
	card.back.version = TT_CTX_VERSION + 1;
	assert_int_equal(tt_stack_ctx_resume(e->s[0], &card.back), TT_EINVAL);
}

/* Closing an offloaded connection asks for it back, then sends the FIN
 * itself. */
static void close_brings_it_back(void **state)
{
	struct stackenv *e = *state;
	struct se_tcp s;
	uint32_t iss;
	int h;

	h = offloaded_conn(e, &iss);
	card.back = card.ctx;
	assert_int_equal(tt_shutdown(e->s[0], h), 0);
	assert_int_equal(card.uploads, 1);
	se_expect_tcp(e, 0, buf, &s);
	assert_int_equal(s.flags, F_FIN | F_ACK);
	assert_int_equal(s.seq, iss + 1);
	/* a card that does not give it back: the close waits */
	h = stackenv_crafted(e, PORT, CPORT + 1, C_ISN, 1460, 2, 1024, &iss);
	card.back.version = 0;
	assert_int_equal(tt_close(e->s[0], h), TT_EBUSY);
	assert_int_equal(tt_abort(e->s[0], h), TT_EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ctx_from_established, setup, teardown),
		cmocka_unit_test_setup_teardown(offloaded_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(offload_declined, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_from_card, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_with_late_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_with_hole_never_filled, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_with_impossible_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(close_brings_it_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
