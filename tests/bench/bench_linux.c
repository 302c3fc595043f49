/* SPDX-License-Identifier: MIT */
/*
 * The Linux peer's goodput for make bench ("key value" lines):
 *
 *   demo.linux_goodput_mbit_s
 *     curl, in a network namespace of this program's own behind the
 *     world's TAP uplink (world.h; 198.18.0.0/24, no route out),
 *     downloads a 16 MiB file from the team's HTTP/1.1 server (three
 *     model cards, the connection offloaded, the card sending). Goodput
 *     is body bytes over SIMULATED time (the median of three downloads): from the first byte curl hands
 *     out to the last, on the world's clock (card cycles at 156.25 MHz).
 *     The kernel runs in real time and the world as fast as it can, so
 *     the kernel's own delays count as whatever simulated time passed
 *     meanwhile; wall time (printed as a comment, not a key) depends on
 *     the machine's load.
 *
 * Without root or /dev/net/tun, or without curl, the key is left out and
 * the reason printed.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app_gen.h"
#include "app_http.h"
#include "world.h"

#define KERNEL_IP  0xc6120002u
#define BENCH_SIZE (16u << 20)
#define REAL_MAX_S 120.0
#define RUNS       3         /* the median is the key */

static const struct http_file file = { "/files/bench.bin", BENCH_SIZE, 7 };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void team_poll(void *arg)
{
	app_mux_poll(arg);
}

/* One download; its goodput over simulated and wall time. */
static int fetch(struct world *w, const char *url, uint8_t *buf,
		 double *mbit_sim, double *mbit_wall)
{
	uint8_t want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];
	uint64_t got = 0, c_first = 0, c_last = 0, first_len = 0;
	double t_first = 0, t_last = 0, t_end, sim_s, bits;
	int out[2], st = 0, exited = 0;
	struct app_digest d;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], 1);
		execlp("curl", "curl", "-sS", "--fail", "--noproxy", "*",
		       "--connect-timeout", "10", "--max-time", "100", "-o", "-",
		       url, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	app_digest_init(&d);
	t_end = now_s() + REAL_MAX_S;
	while (!exited || got < BENCH_SIZE) {
		ssize_t n;

		world_run(w, 4 * WORLD_DEF_QUANTUM);
		while ((n = read(out[0], buf, 1u << 16)) > 0) {
			if (!got) {
				c_first = world_cycles(w);
				t_first = now_s();
				first_len = (uint64_t)n;
			}
			app_digest_add(&d, buf, (size_t)n);
			got += (uint64_t)n;
			c_last = world_cycles(w);
			t_last = now_s();
		}
		if (!exited && waitpid(pid, &st, WNOHANG) == pid)
			exited = 1;
		if (exited && n <= 0 && got < BENCH_SIZE)
			break;
		if (now_s() > t_end) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(out[0]);
			fprintf(stderr, "bench_linux: curl did not finish\n");
			return -1;
		}
	}
	close(out[0]);
	app_digest_end(&d, have);
	app_gen_digest(file.seed, file.size, want);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || got != BENCH_SIZE ||
	    memcmp(want, have, APP_DIGEST_LEN) || c_last <= c_first ||
	    t_last <= t_first) {
		fprintf(stderr, "bench_linux: curl status %d, %llu of %u bytes, "
			"SHA-256 %s\n", st, (unsigned long long)got, BENCH_SIZE,
			memcmp(want, have, APP_DIGEST_LEN) ? "differs" : "matches");
		return -1;
	}
	sim_s = (double)(c_last - c_first) /
		((double)world_cycles_per_ms(w) * 1000.0);
	bits = 8.0 * (double)(got - first_len);
	*mbit_sim = bits / sim_s / 1e6;
	*mbit_wall = bits / (t_last - t_first) / 1e6;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *build = argc > 1 ? argv[1] : "build";
	struct world_params wp = { 0 };
	struct world *w = NULL;
	struct app_mux *m;
	struct http_server *hs;
	uint8_t *buf;
	char dtb[512], err[512], url[128];
	double sim[RUNS], wall[RUNS];
	struct stat sb;
	uint32_t t;
	int i;

	signal(SIGPIPE, SIG_IGN);
	if (stat("/dev/net/tun", &sb) != 0) {
		printf("# bench_linux: skipped: no /dev/net/tun\n");
		return 0;
	}
	if (world_tap_enter(err, sizeof(err)) != 0) {
		printf("# bench_linux: skipped: %s\n", err);
		return 0;
	}
	if (system("command -v curl >/dev/null 2>&1") != 0) {
		printf("# bench_linux: skipped: curl is not installed (make deps)\n");
		return 0;
	}
	snprintf(dtb, sizeof(dtb), "%s/dts/team-3model.dtb", build);
	wp.dtb = dtb;
	wp.backend = "model";
	wp.seed = 1;
	wp.offload_on_establish = 1;
	if (world_new(&w, &wp, err, sizeof(err)) < 0 ||
	    world_tap_attach(w, "tt-bench0", KERNEL_IP, 24, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "bench_linux: %s\n", err);
		world_free(w);
		return 1;
	}
	m = app_mux_new(world_team_stack(w), 16);
	if (!m || http_server_new(&hs, m, 80, &file, 1) < 0 ||
	    world_add_app(w, team_poll, m) < 0 || !(buf = malloc(1u << 16))) {
		fprintf(stderr, "bench_linux: setup failed\n");
		return 1;
	}
	t = world_team_ip(w);
	snprintf(url, sizeof(url), "http://%u.%u.%u.%u%s", t >> 24,
		 (t >> 16) & 0xffu, (t >> 8) & 0xffu, t & 0xffu, file.path);
	for (i = 0; i < RUNS; i++)
		if (fetch(w, url, buf, &sim[i], &wall[i]) < 0)
			return 1;
	printf("# bench_linux: %d downloads of %u bytes, SHA-256 checked; "
	       "goodput over simulated time", RUNS, BENCH_SIZE);
	for (i = 0; i < RUNS; i++)
		printf(" %.1f", sim[i]);
	printf(" Mbit/s, over wall time");
	for (i = 0; i < RUNS; i++)
		printf(" %.1f", wall[i]);
	printf(" Mbit/s; %llu offloads\n",
	       (unsigned long long)world_host(w)->st.offloads);
	qsort(sim, RUNS, sizeof(sim[0]), cmp_double);
	printf("demo.linux_goodput_mbit_s %.1f\n", sim[RUNS / 2]);
	http_server_free(hs);
	app_mux_free(m);
	world_free(w);
	free(buf);
	return 0;
}
