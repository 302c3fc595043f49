/* SPDX-License-Identifier: MIT */
/*
 * The applications of host/app/ on the team's stack, two of them at once
 * on one ready list (app_mux.h), reached by a client through the switch
 * and a team of model cards:
 *  - echo: 16 connections each send 128 KiB and get every byte back
 *    (SHA-256 and byte by byte); a client that reads nothing until it
 *    has sent everything stalls the server (back-pressure), not its
 *    memory;
 *  - HTTP/1.1: GET of generated files with Content-Length checked
 *    against SHA-256, keep-alive and pipelining, HEAD, the index, and
 *    every error status (400, 404, 405, 414, 431, 505) with a close;
 *  - the mux: events of released handles are counted, not delivered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app_echo.h"
#include "app_gen.h"
#include "app_http.h"
#include "scenario.h"
#include "testenv.h"

#define ECHO_PORT 7
#define HTTP_PORT 80

struct apps {
	struct world *w;
	struct app_mux *team;
	struct echo_server *echo;
	struct http_server *http;
	struct tt_stack *cl;
};

static const struct http_file files[] = {
	{ "/files/small.txt", 1000, 11 },
	{ "/files/1m.bin", 1u << 20, 12 },
	{ "/files/empty", 0, 13 },
};

static void apps_poll(void *arg)
{
	app_mux_poll(((struct apps *)arg)->team);
}

static int setup(void **state)
{
	struct apps *a = calloc(1, sizeof(*a));
	struct world_params wp = { 0 };
	char err[512], dtb[512];

	snprintf(dtb, sizeof(dtb), "%s/dts/team-3model.dtb",
		 getenv("TT_BUILD") ? getenv("TT_BUILD") : "build");
	wp.dtb = dtb;
	wp.backend = "model";
	wp.n_clients = 1;
	wp.seed = testenv_seed("apps");
	wp.offload_on_establish = 1;
	/* TT_APPS_PCAP=dir (with TT_FILTER=test) keeps the ports' pcaps */
	wp.pcap_dir = getenv("TT_APPS_PCAP");
	if (world_new(&a->w, &wp, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	a->team = app_mux_new(world_team_stack(a->w), 256);
	assert_non_null(a->team);
	assert_int_equal(echo_server_new(&a->echo, a->team, ECHO_PORT, 64, 64), 0);
	assert_int_equal(http_server_new(&a->http, a->team, HTTP_PORT, files, 3), 0);
	assert_int_equal(world_add_app(a->w, apps_poll, a), 0);
	a->cl = world_client(a->w, 0);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	struct apps *a = *state;

	echo_server_free(a->echo);
	http_server_free(a->http);
	app_mux_free(a->team);
	world_free(a->w);
	free(a);
	return 0;
}

static int connect_to(struct apps *a, uint16_t port)
{
	int h = tt_connect(a->cl, world_team_ip(a->w), port, 0);

	assert_true(h > 0);
	for (int i = 0; i < 100 && !(tt_sock_events(a->cl, h) & TT_EV_CONNECTED); i++)
		world_run(a->w, world_cycles_per_ms(a->w) / 20);
	assert_true(tt_sock_events(a->cl, h) & TT_EV_CONNECTED);
	return h;
}

#define ECHO_CONNS 16
#define ECHO_LEN   (128u << 10)

static void echo_many(void **state)
{
	struct apps *a = *state;
	int h[ECHO_CONNS];
	uint64_t sent[ECHO_CONNS] = { 0 }, got[ECHO_CONNS] = { 0 };
	struct app_digest d[ECHO_CONNS];
	uint8_t buf[8192], want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];
	int i, ms, done = 0;

	for (i = 0; i < ECHO_CONNS; i++) {
		h[i] = connect_to(a, ECHO_PORT);
		app_digest_init(&d[i]);
	}
	for (ms = 0; ms < 2000 && done < ECHO_CONNS; ms++) {
		for (i = 0; i < ECHO_CONNS; i++) {
			ssize_t n;

			while (sent[i] < ECHO_LEN) {
				size_t len = sizeof(buf);

				if (len > ECHO_LEN - sent[i])
					len = (size_t)(ECHO_LEN - sent[i]);
				app_gen((uint64_t)i, sent[i], buf, len);
				n = tt_send(a->cl, h[i], buf, len);
				if (n <= 0)
					break;
				sent[i] += (uint64_t)n;
				if (sent[i] == ECHO_LEN)
					tt_shutdown(a->cl, h[i]);
			}
			while ((n = tt_recv(a->cl, h[i], buf, sizeof(buf))) > 0) {
				assert_int_equal(app_gen_check((uint64_t)i, got[i],
							       buf, (size_t)n), -1);
				app_digest_add(&d[i], buf, (size_t)n);
				got[i] += (uint64_t)n;
			}
			if (n == 0 && h[i] > 0) {
				tt_close(a->cl, h[i]);
				h[i] = 0;
				done++;
			}
		}
		world_run_ms(a->w, 1);
	}
	assert_int_equal(done, ECHO_CONNS);
	app_gen_digest(0, ECHO_LEN, want);
	for (i = 0; i < ECHO_CONNS; i++) {
		assert_int_equal(got[i], ECHO_LEN);
		app_gen_digest((uint64_t)i, ECHO_LEN, want);
		app_digest_end(&d[i], have);
		assert_memory_equal(want, have, APP_DIGEST_LEN);
	}
	world_run_ms(a->w, 2);
	assert_int_equal(echo_server_stats(a->echo)->bytes,
			 (uint64_t)ECHO_CONNS * ECHO_LEN);
	assert_int_equal(echo_server_stats(a->echo)->closed, ECHO_CONNS);
}

/* Fail with what the client and the echo server were at. */
static void echo_short(struct apps *a, int h, uint64_t got, uint64_t want,
		       uint64_t sent)
{
	struct tt_sock_info ci;

	tt_sock_info(a->cl, h, &ci);
	fail_msg("echoed %llu of %llu (sent %llu); client %s, %u ready, "
		 "%u queued, %u space, cwnd %u; server echoed %llu, stalls %llu",
		 (unsigned long long)got, (unsigned long long)want,
		 (unsigned long long)sent, tt_sock_state_str(ci.state),
		 ci.rcv_ready, ci.snd_queued, ci.snd_space, ci.cwnd,
		 (unsigned long long)echo_server_stats(a->echo)->bytes,
		 (unsigned long long)echo_server_stats(a->echo)->stalls);
}

/* The client sends 704 KiB and reads nothing: the echo flows until the
 * client's receive buffer and the server's send buffer are full (2 x 256
 * KiB), then the server holds ECHO_BUF and stops reading, and the rest
 * waits in its receive buffer; everything comes back once the client
 * reads. The amount keeps the server's window open: with both windows
 * shut, the stacks' zero-window probes deadlock today (a pure ACK
 * carries the sequence after a refused probe byte, which a closed window
 * does not accept). */
static void echo_back_pressure(void **state)
{
	struct apps *a = *state;
	const uint64_t total = 704u << 10;
	uint8_t buf[8192];
	uint64_t sent = 0, got = 0;
	int h = connect_to(a, ECHO_PORT), ms;
	ssize_t n;

	for (ms = 0; ms < 50; ms++) {
		while (sent < total) {
			/* total is a multiple of the buffer */
			app_gen(99, sent, buf, sizeof(buf));
			n = tt_send(a->cl, h, buf, sizeof(buf));
			if (n <= 0)
				break;
			sent += (uint64_t)n;
		}
		world_run_ms(a->w, 1);
	}
	/* the server holds what it could not send, and no more */
	assert_int_equal(sent, total);
	assert_true(echo_server_stats(a->echo)->stalls > 0);
	assert_true(echo_server_stats(a->echo)->bytes <= 2 * (256u << 10));
	for (ms = 0; ms < 2000 && got < total; ms++) {
		while (sent < total) {
			size_t len = sizeof(buf) < total - sent ? sizeof(buf) :
				     (size_t)(total - sent);

			app_gen(99, sent, buf, len);
			n = tt_send(a->cl, h, buf, len);
			if (n <= 0)
				break;
			sent += (uint64_t)n;
		}
		while ((n = tt_recv(a->cl, h, buf, sizeof(buf))) > 0) {
			assert_int_equal(app_gen_check(99, got, buf, (size_t)n), -1);
			got += (uint64_t)n;
		}
		world_run_ms(a->w, 1);
	}
	if (got != total)
		echo_short(a, h, got, total, sent);
	tt_close(a->cl, h);
}

/* Both windows shut: the client sends until nothing more fits anywhere
 * (its send buffer, the server's receive buffer, the echo's hold, the
 * server's send buffer and the client's receive buffer are all full, and
 * each side probes the other's closed window), waits, then reads; every
 * byte must come back. Each side's ACKs must fit the other's closed
 * window, or the window update that ends the wait is refused forever. */
static void echo_both_windows_shut(void **state)
{
	struct apps *a = *state;
	const uint64_t total = 256u << 20;
	uint8_t buf[8192];
	uint64_t sent = 0, got = 0;
	int h = connect_to(a, ECHO_PORT), ms, idle = 0;
	struct tt_stack *team;
	ssize_t n;

	/* fill until the client's send buffer stays full for 200 ms */
	for (ms = 0; ms < 3000 && idle < 200 && sent < total; ms++) {
		int moved = 0;

		for (;;) {
			app_gen(98, sent, buf, sizeof(buf));
			n = tt_send(a->cl, h, buf, sizeof(buf));
			if (n <= 0)
				break;
			sent += (uint64_t)n;
			moved = 1;
		}
		idle = moved ? 0 : idle + 1;
		world_run_ms(a->w, 1);
	}
	assert_true(idle >= 200);
	assert_true(sent < total);
	/* shut for a while: the probes go back and forth */
	world_run_ms(a->w, 1000);
	for (ms = 0; ms < 4000 && got < sent; ms++) {
		while ((n = tt_recv(a->cl, h, buf, sizeof(buf))) > 0) {
			assert_int_equal(app_gen_check(98, got, buf, (size_t)n), -1);
			got += (uint64_t)n;
		}
		world_run_ms(a->w, 1);
	}
	if (got != sent)
		echo_short(a, h, got, sent, sent);
	/* the team's stack took the connection back while its receive
	 * buffer filled, and dropped no payload a card had acknowledged */
	team = world_team_stack(a->w);
	assert_true(tt_stack_counter(team, TT_SCNT_TCP_OFFL_FULL) > 0);
	/* and offered it to a card again once the echo had read */
	assert_true(tt_stack_counter(team, TT_SCNT_TCP_OFFLOADED) >
		    tt_stack_counter(team, TT_SCNT_TCP_OFFL_FULL));
	assert_int_equal(tt_stack_counter(team, TT_SCNT_DROP_OFFL_PAYLOAD), 0);
	tt_close(a->cl, h);
}

/* Send req on h and collect what comes back until `want` bytes or the
 * end of the stream; returns the bytes (NUL-terminated, malloc'ed). */
static char *exchange(struct apps *a, int h, const char *req, size_t want,
		      size_t *got, int *eof)
{
	size_t cap = want + 4096, len = 0;
	char *out = malloc(cap + 1);
	ssize_t n = 0;

	assert_int_equal(tt_send(a->cl, h, req, strlen(req)), (ssize_t)strlen(req));
	*eof = 0;
	for (int ms = 0; ms < 500 && len < want && !*eof; ms++) {
		world_run(a->w, world_cycles_per_ms(a->w) / 10);
		while (len < cap && (n = tt_recv(a->cl, h, out + len, cap - len)) > 0)
			len += (size_t)n;
		if (n == 0)
			*eof = 1;
	}
	out[len] = 0;
	*got = len;
	return out;
}

static void expect_status(struct apps *a, const char *req, const char *status)
{
	int h = connect_to(a, HTTP_PORT), eof;
	size_t got;
	char *r = exchange(a, h, req, 1u << 20, &got, &eof);

	if (strncmp(r, status, strlen(status)))
		fail_msg("request %.40s...: answer %.60s", req, r);
	assert_non_null(strstr(r, "Connection: close\r\n"));
	if (!eof)
		fail_msg("request %.40s...: no end of stream after %s", req, r);
	free(r);
	tt_close(a->cl, h);
}

static void http_get(void **state)
{
	struct apps *a = *state;
	const char *req = "GET /files/1m.bin HTTP/1.1\r\nHost: team\r\n\r\n";
	uint8_t want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];
	int h = connect_to(a, HTTP_PORT), eof;
	char hex[65], *r, *body;
	struct app_digest d;
	size_t got;

	r = exchange(a, h, req, (1u << 20) + 200, &got, &eof);
	assert_false(eof);                     /* kept alive */
	assert_memory_equal(r, "HTTP/1.1 200 OK\r\n", 17);
	assert_non_null(strstr(r, "Content-Length: 1048576\r\n"));
	assert_non_null(strstr(r, "Connection: keep-alive\r\n"));
	body = strstr(r, "\r\n\r\n") + 4;
	assert_int_equal(got - (size_t)(body - r), 1u << 20);
	app_digest_init(&d);
	app_digest_add(&d, (const uint8_t *)body, 1u << 20);
	app_digest_end(&d, have);
	app_gen_digest(files[1].seed, files[1].size, want);
	assert_memory_equal(want, have, APP_DIGEST_LEN);
	http_file_sha256_hex(&files[1], hex);
	assert_int_equal(strlen(hex), 64);
	free(r);

	/* pipelined on the same connection: HEAD, the index, an empty file */
	r = exchange(a, h, "HEAD /files/small.txt HTTP/1.1\r\nHost: t\r\n\r\n"
			   "GET / HTTP/1.1\r\nHost: t\r\n\r\n"
			   "GET /files/empty HTTP/1.1\r\nHost: t\r\n"
			   "Connection: close\r\n\r\n", 1u << 16, &got, &eof);
	assert_true(eof);                      /* the last asked to close */
	assert_memory_equal(r, "HTTP/1.1 200 OK\r\n", 17);
	assert_non_null(strstr(r, "Content-Length: 1000\r\n"));
	assert_non_null(strstr(r, "<a href=\"/files/1m.bin\">"));
	assert_non_null(strstr(r, "Content-Length: 0\r\nConnection: close\r\n\r\n"));
	free(r);
	tt_close(a->cl, h);
	assert_int_equal(http_server_stats(a->http)->ok, 4);
	assert_int_equal(http_server_stats(a->http)->head, 1);
}

static void http_errors(void **state)
{
	struct apps *a = *state;
	char big[HTTP_MAX_HEAD + 64], target[HTTP_MAX_TARGET + 64];
	const struct http_stats *st = http_server_stats(a->http);

	expect_status(a, "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n",
		      "HTTP/1.1 404 Not Found");
	expect_status(a, "GET /files/empty HTTP/1.1\r\n\r\n",   /* no Host */
		      "HTTP/1.1 400 Bad Request");
	expect_status(a, "POST /files/empty HTTP/1.1\r\nHost: t\r\n\r\n",
		      "HTTP/1.1 405 Method Not Allowed");
	expect_status(a, "GET /files/empty HTTP/2.0\r\nHost: t\r\n\r\n",
		      "HTTP/1.1 505 HTTP Version Not Supported");
	expect_status(a, "GET /files/empty HTTP/1.1\r\nHost : t\r\n\r\n",
		      "HTTP/1.1 400 Bad Request");
	expect_status(a, "GET /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n",
		      "HTTP/1.1 400 Bad Request");
	memset(target, 'a', sizeof(target));
	memcpy(target, "GET /", 5);
	snprintf(target + HTTP_MAX_TARGET + 10, 40, " HTTP/1.1\r\nHost: t\r\n\r\n");
	expect_status(a, target, "HTTP/1.1 414 URI Too Long");
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: t\r\nX: ");
	memset(big + strlen(big), 'x', HTTP_MAX_HEAD);
	big[sizeof(big) - 1] = 0;
	expect_status(a, big, "HTTP/1.1 431 Request Header Fields Too Large");
	/* HTTP/1.0 without keep-alive closes after the answer */
	expect_status(a, "GET /files/small.txt HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK");
	assert_int_equal(st->not_found, 1);
	assert_int_equal(st->bad_request, 3);
	assert_int_equal(st->bad_method, 1);
	assert_int_equal(st->bad_version, 1);
	assert_int_equal(st->too_long_target, 1);
	assert_int_equal(st->too_long_head, 1);
}

static void noop_event(void *owner, int h, unsigned int events)
{
	(*(unsigned int *)owner)++;
	(void)h;
	(void)events;
}

/* A handle deleted from the mux gets no more events; they are counted. */
static void mux_orphans(void **state)
{
	struct apps *a = *state;
	struct app_mux *m = app_mux_new(a->cl, 4);
	unsigned int calls = 0;
	int h;

	assert_non_null(m);
	h = tt_connect(a->cl, world_team_ip(a->w), HTTP_PORT, 0);
	assert_true(h > 0);
	assert_int_equal(app_mux_add(m, h, noop_event, &calls), 0);
	assert_int_equal(app_mux_add(m, h, noop_event, &calls), TT_EEXIST);
	world_run_ms(a->w, 1);
	app_mux_poll(m);
	assert_true(calls >= 1);                  /* CONNECTED */
	app_mux_del(m, h);
	tt_send(a->cl, h, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 27);
	world_run_ms(a->w, 1);
	calls = 0;
	app_mux_poll(m);
	assert_int_equal(calls, 0);
	assert_true(app_mux_orphans(m) >= 1);
	tt_abort(a->cl, h);
	app_mux_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(echo_many, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_back_pressure, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_both_windows_shut, setup,
						teardown),
		cmocka_unit_test_setup_teardown(http_get, setup, teardown),
		cmocka_unit_test_setup_teardown(http_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(mux_orphans, setup, teardown),
	};

	if (getenv("TT_FILTER"))
		cmocka_set_test_filter(getenv("TT_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
