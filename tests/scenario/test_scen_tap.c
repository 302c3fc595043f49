/* SPDX-License-Identifier: MIT */
/*
 * The world with a Linux peer: a TAP uplink on the switch (world.h), the
 * kernel behind it in a network namespace this program makes for itself
 * (198.18.0.0/24 only, no route out), and the team serving HTTP/1.1
 * (app_http.h). The kernel's own TCP connects to the team through the
 * switch and a card, fetches a generated file and the client checks its
 * SHA-256; and it gets a 404. Skipped where namespaces are not allowed
 * (not root). A template for the tests with Linux peers.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "app_gen.h"
#include "app_http.h"
#include "world.h"
#include "testenv.h"

#define KERNEL_IP 0xc6120002u   /* 198.18.0.2/24, the team is .1 */
#define REAL_MS_MAX 10000u      /* real time any step may take */

static char why_not[256];
static int netns_ok;

static const struct http_file files[] = {
	{ "/files/256k.bin", 256u << 10, 77 },
};

struct tapenv {
	struct world *w;
	struct app_mux *team;
	struct http_server *http;
};

static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void team_poll(void *arg)
{
	app_mux_poll(((struct tapenv *)arg)->team);
}

static int setup(void **state)
{
	struct tapenv *e = calloc(1, sizeof(*e));
	struct world_params wp = { 0 };
	char err[512], dtb[512];

	if (!netns_ok) {
		free(e);
		return 0;
	}
	snprintf(dtb, sizeof(dtb), "%s/dts/team-3model.dtb",
		 getenv("TT_BUILD") ? getenv("TT_BUILD") : "build");
	wp.dtb = dtb;
	wp.backend = "model";
	wp.seed = testenv_seed("tap");
	wp.offload_on_establish = 1;
	if (world_new(&e->w, &wp, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (world_tap_attach(e->w, "tt-demo0", KERNEL_IP, 24, err,
			     sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(world_tap_port(e->w), (int)world_n_cards(e->w));
	assert_true(world_tap_fd(e->w) >= 0);
	e->team = app_mux_new(world_team_stack(e->w), 64);
	assert_int_equal(http_server_new(&e->http, e->team, 80, files, 1), 0);
	assert_int_equal(world_add_app(e->w, team_poll, e), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct tapenv *e = *state;

	if (!e)
		return 0;
	http_server_free(e->http);
	app_mux_free(e->team);
	world_free(e->w);
	free(e);
	return 0;
}

/* Run the world until fd has `events`, or fail after REAL_MS_MAX. */
static void run_until(struct tapenv *e, int fd, short events)
{
	uint64_t end = real_ms() + REAL_MS_MAX;
	struct pollfd p = { .fd = fd, .events = events };

	while (real_ms() < end) {
		world_run(e->w, 64);
		if (poll(&p, 1, 0) > 0 && (p.revents & (events | POLLERR | POLLHUP)))
			return;
	}
	fail_msg("the kernel's socket saw nothing in %u ms", REAL_MS_MAX);
}

static int kernel_connect(struct tapenv *e)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	socklen_t len = sizeof(err);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(world_team_ip(e->w));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		assert_int_equal(errno, EINPROGRESS);
	run_until(e, fd, POLLOUT);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	if (err)
		fail_msg("connect: %s", strerror(err));
	return fd;
}

/* Send req, read until the end of the stream; returns the bytes. */
static char *kernel_get(struct tapenv *e, int fd, const char *req, size_t *got)
{
	size_t cap = (1u << 20), len = 0;
	char *out = malloc(cap + 1);
	ssize_t n;

	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	for (;;) {
		run_until(e, fd, POLLIN);
		n = recv(fd, out + len, cap - len, 0);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0 || errno != EAGAIN)
			break;
	}
	out[len] = 0;
	*got = len;
	return out;
}

static void kernel_fetches_a_file(void **state)
{
	struct tapenv *e = *state;
	uint8_t want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];
	struct app_digest d;
	char *r, *body;
	size_t got;
	int fd;

	if (!e)
		skip();
	fd = kernel_connect(e);
	r = kernel_get(e, fd, "GET /files/256k.bin HTTP/1.1\r\nHost: team\r\n"
			      "Connection: close\r\n\r\n", &got);
	assert_memory_equal(r, "HTTP/1.1 200 OK\r\n", 17);
	assert_non_null(strstr(r, "Content-Length: 262144\r\n"));
	body = strstr(r, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	assert_int_equal(got - (size_t)(body - r), 256u << 10);
	app_digest_init(&d);
	app_digest_add(&d, (const uint8_t *)body, 256u << 10);
	app_digest_end(&d, have);
	app_gen_digest(files[0].seed, files[0].size, want);
	assert_memory_equal(want, have, APP_DIGEST_LEN);
	free(r);
	close(fd);
	/* the team offloaded the kernel's connection as it was established */
	assert_true(world_host(e->w)->st.offloads >= 1);
}

static void kernel_gets_404(void **state)
{
	struct tapenv *e = *state;
	size_t got;
	char *r;
	int fd;

	if (!e)
		skip();
	fd = kernel_connect(e);
	r = kernel_get(e, fd, "GET /nothing HTTP/1.1\r\nHost: team\r\n\r\n", &got);
	assert_memory_equal(r, "HTTP/1.1 404 Not Found\r\n", 24);
	free(r);
	close(fd);
	assert_int_equal(http_server_stats(e->http)->not_found, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kernel_fetches_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(kernel_gets_404, setup, teardown),
	};

	/* before anything could start a thread */
	netns_ok = world_tap_enter(why_not, sizeof(why_not)) == 0;
	if (!netns_ok)
		printf("# SKIP: %s\n", why_not);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
