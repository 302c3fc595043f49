/* SPDX-License-Identifier: MIT */
/*
 * Real Linux peers under link faults: the world's TAP uplink (world.h)
 * puts the kernel, in a network namespace this program makes for itself
 * (198.18.0.0/24 only, no route out), on the switch; the team (three
 * model cards, every connection offloaded as it is established) serves
 * HTTP/1.1 files (app_http.h) and echo (app_echo.h). Standard clients
 * run in the namespace as child processes of the test:
 *
 *  - curl: four concurrent downloads of 4 MiB files, each checked with
 *    SHA-256 against the file the server generates;
 *  - socat: four concurrent streams of 1 MiB sent to the echo port and
 *    checked byte for byte (and by SHA-256) as they come back.
 *
 * During each run the card holding most of the kernel's connections
 * loses its link when a fifth of the bytes arrived, and gets it back
 * 2 ms (simulated) later: the host moves the connections off the card
 * (fault reloads), and when the switch brings their flows back, block
 * 414 reloads them there. Both are asserted from the host's counters.
 * (Now and then every kernel connection is back in software by then:
 * the kernel's request rides on the handshake's last ACK and can reach
 * the host while the connection is being offloaded, which uploads it.
 * The test then offers those connections to the cards again, with
 * tt_stack_offload, and says so.)
 *
 * Bounded: every child has its own timeout (curl --max-time, socat -T),
 * dies with the test (PR_SET_PDEATHSIG) and is killed and reaped at the
 * end of each test whatever happened; the run as a whole has a real-time
 * limit. The namespace belongs to this process and its children and
 * vanishes with them.
 *
 * The echo streams are four times the team stack's receive buffer
 * (256 KiB): an echo server under back-pressure stops reading while
 * the kernel keeps sending, so the cards' receive windows must close
 * in time (host/stack/offload.c: an offloaded connection whose buffer
 * runs short goes back to software) or payload would be lost.
 *
 * Without root or /dev/net/tun every test prints
 * SKIP and why; curl or socat missing is a failure (make deps installs
 * them).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "app_echo.h"
#include "app_gen.h"
#include "app_http.h"
#include "teamtoe/procedure.h"
#include "teamtoe/stack.h"
#include "teamtoe/stack_offl.h"
#include "testenv.h"
#include "world.h"

#define KERNEL_IP    0xc6120002u   /* 198.18.0.2/24, the team is .1 */
#define ECHO_PORT    7u
#define N_CURL       4u
#define N_SOCAT      4u
#define FILE_SIZE    (4u << 20)
/* at most the team stack's receive buffer (256 KiB): see the note at
 * socat_echo_under_fault */
#define ECHO_LEN     (1u << 20)
#define CHILD_SECS   "60"          /* each child's own timeout */
#define REAL_MS_MAX  90000u        /* the whole run of one test */
#define FAULT_AT     0.15          /* of the bytes expected */
#define DOWN_MS      2u            /* simulated */
#define MAX_CHILD    8u

static char why_not[256];
static int netns_ok;

static const struct http_file files[N_CURL] = {
	{ "/files/a.bin", FILE_SIZE, 101 },
	{ "/files/b.bin", FILE_SIZE, 202 },
	{ "/files/c.bin", FILE_SIZE, 303 },
	{ "/files/d.bin", FILE_SIZE, 404 },
};

struct child {
	pid_t pid;
	int in, out;                 /* its stdin (ours to write), stdout */
	uint64_t seed, len;          /* what it must hand back */
	uint64_t sent, got;          /* stdin written, stdout read */
	long long first_bad;         /* offset of the first wrong byte */
	struct app_digest d;
	int status, done;
};

struct penv {
	struct world *w;
	struct app_mux *team;
	struct http_server *http;
	struct echo_server *echo;
	struct child ch[MAX_CHILD];
	unsigned int n_ch;
	uint8_t *buf;
};

static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void team_poll(void *arg)
{
	app_mux_poll(((struct penv *)arg)->team);
}

/* The program on PATH, or fail: the tests need it (make deps). */
static void need_tool(const char *name)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4352];

	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(file, sizeof(file), "%s/%s", dir, name);
		if (access(file, X_OK) == 0)
			return;
		path += n + (path[n] == ':');
	}
	fail_msg("%s is not installed (make deps installs it)", name);
}

static int setup(void **state)
{
	struct penv *e;
	struct world_params wp = { 0 };
	char err[512], dtb[512];

	*state = NULL;
	if (!netns_ok)
		return 0;
	e = calloc(1, sizeof(*e));
	assert_non_null(e);
	e->buf = malloc(1u << 16);
	assert_non_null(e->buf);
	snprintf(dtb, sizeof(dtb), "%s/dts/team-3model.dtb",
		 getenv("TT_BUILD") ? getenv("TT_BUILD") : "build");
	wp.dtb = dtb;
	wp.backend = "model";
	wp.seed = testenv_seed("peers");
	wp.offload_on_establish = 1;
	if (world_new(&e->w, &wp, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (world_tap_attach(e->w, "tt-peers0", KERNEL_IP, 24, err,
			     sizeof(err)) < 0)
		fail_msg("%s", err);
	e->team = app_mux_new(world_team_stack(e->w), 64);
	assert_non_null(e->team);
	assert_int_equal(http_server_new(&e->http, e->team, 80, files, N_CURL), 0);
	assert_int_equal(echo_server_new(&e->echo, e->team, ECHO_PORT, 16, 32), 0);
	assert_int_equal(world_add_app(e->w, team_poll, e), 0);
	*state = e;
	return 0;
}

/* Every exit path: no child outlives its test. */
static void kill_children(struct penv *e)
{
	for (unsigned int i = 0; i < e->n_ch; i++) {
		struct child *c = &e->ch[i];

		if (c->pid > 0 && !c->done) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, NULL, 0);
			c->done = 1;
		}
		if (c->in >= 0)
			close(c->in);
		if (c->out >= 0)
			close(c->out);
		c->in = c->out = -1;
	}
	e->n_ch = 0;
}

static int teardown(void **state)
{
	struct penv *e = *state;

	if (!e)
		return 0;
	kill_children(e);
	echo_server_free(e->echo);
	http_server_free(e->http);
	app_mux_free(e->team);
	world_free(e->w);
	free(e->buf);
	free(e);
	return 0;
}

/* Start argv with pipes on its stdin (if with_in) and stdout. */
static struct child *spawn(struct penv *e, char *const argv[], int with_in,
			   uint64_t seed, uint64_t len)
{
	struct child *c;
	int in[2] = { -1, -1 }, out[2];
	pid_t pid;

	assert_true(e->n_ch < MAX_CHILD);
	c = &e->ch[e->n_ch];
	memset(c, 0, sizeof(*c));
	c->in = c->out = -1;
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	if (with_in)
		assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(with_in ? in[0] : null, 0);
		dup2(out[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	c->out = out[0];
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	if (with_in) {
		close(in[0]);
		c->in = in[1];
		fcntl(c->in, F_SETFL, O_NONBLOCK);
	}
	c->pid = pid;
	c->seed = seed;
	c->len = len;
	c->first_bad = -1;
	app_digest_init(&c->d);
	e->n_ch++;
	return c;
}

/* Move what is there between the test and child c; 1 once it exited
 * and its output is all read. */
static int child_pump(struct penv *e, struct child *c)
{
	ssize_t n;
	int st;

	if (c->in >= 0) {
		while (c->sent < c->len) {
			size_t k = c->len - c->sent < (1u << 16) ?
				   (size_t)(c->len - c->sent) : (1u << 16);

			app_gen(c->seed, c->sent, e->buf, k);
			n = write(c->in, e->buf, k);
			if (n <= 0)
				break;
			c->sent += (uint64_t)n;
		}
		if (c->sent == c->len) {
			close(c->in);         /* end of the stream */
			c->in = -1;
		}
	}
	while ((n = read(c->out, e->buf, 1u << 16)) > 0) {
		long long bad = c->got + (uint64_t)n <= c->len ?
				app_gen_check(c->seed, c->got, e->buf, (size_t)n) :
				0;

		if (bad >= 0 && c->first_bad < 0)
			c->first_bad = (long long)c->got + bad;
		app_digest_add(&c->d, e->buf, (size_t)n);
		c->got += (uint64_t)n;
	}
	if (!c->done && waitpid(c->pid, &st, WNOHANG) == c->pid) {
		c->done = 1;
		c->status = st;
	}
	return c->done && n == 0;
}

static unsigned int kernel_offloaded_on(struct penv *e, unsigned int nid)
{
	struct tt_host *h = world_host(e->w);
	struct tt_rec *rec;
	uint32_t pos = 0;
	unsigned int n = 0;

	while ((rec = tt_records_next(h->rec, &pos)) != NULL)
		if (rec->saddr == KERNEL_IP && tt_rec_offloaded(rec) &&
		    tt_rec_nid(rec) == nid)
			n++;
	return n;
}

/* Offer the kernel's connections that run in software to the cards
 * again; returns how many a card took. */
static unsigned int reoffer(struct penv *e)
{
	struct tt_host *h = world_host(e->w);
	struct tt_tuple t[MAX_CHILD];
	struct tt_rec *rec;
	uint32_t pos = 0;
	unsigned int n = 0, took = 0, i;

	while ((rec = tt_records_next(h->rec, &pos)) != NULL && n < MAX_CHILD)
		if (rec->saddr == KERNEL_IP && !tt_rec_offloaded(rec))
			t[n++] = tt_rec_tuple(h->rec, rec);
	for (i = 0; i < n; i++)
		if (tt_stack_offload(world_team_stack(e->w), &t[i]) == 0)
			took++;
	return took;
}

struct fault_log {
	unsigned int victim, on_victim;
	uint64_t moved, r414_before_restore, r414_after;
	uint64_t r412_before_restore, r412_after;
	unsigned int reoffered;      /* connections offered again */
	int tried;
};

/* Run the world and the children until all exited; fail the victim's
 * link once FAULT_AT of `total` bytes came back, restore it DOWN_MS
 * later. */
static void drive(struct penv *e, uint64_t total, struct fault_log *fl)
{
	struct tt_host *h = world_host(e->w);
	uint64_t end = real_ms() + REAL_MS_MAX, got, moved0 = 0, down_at = 0;
	int phase = 0;   /* 0 before the fault, 1 link down, 2 restored */

	memset(fl, 0, sizeof(*fl));
	for (;;) {
		unsigned int i, left = 0;

		world_run(e->w, 4 * WORLD_DEF_QUANTUM);
		got = 0;
		for (i = 0; i < e->n_ch; i++) {
			if (!child_pump(e, &e->ch[i]))
				left++;
			got += e->ch[i].got;
		}
		if (phase == 0 && (double)got >= FAULT_AT * (double)total) {
			unsigned int nid, most = 0;

			for (nid = 0; nid < world_n_cards(e->w); nid++) {
				unsigned int n = kernel_offloaded_on(e, nid);

				if (n > most) {
					most = n;
					fl->victim = nid;
				}
			}
			/* a card with one offloaded: this round, or a later */
			if (most) {
				fl->on_victim = most;
				moved0 = h->st.fault_moved;
				assert_int_equal(world_card_link(e->w, fl->victim,
								 0), 0);
				down_at = world_now_ms(e->w);
				phase = 1;
			} else if (!fl->tried) {
				/* the kernel sends its request with the last
				 * ACK of the handshake; when that segment
				 * reaches the host while the connection is
				 * being offloaded, the connection comes back
				 * to software (uploaded for the segment). Offer
				 * such connections to the cards again. */
				fl->tried = 1;
				fl->reoffered = reoffer(e);
			} else if ((double)got >= 0.6 * (double)total) {
				fail_msg("none of the kernel's connections is "
					 "offloaded at the fault");
			}
		} else if (phase == 1 && world_now_ms(e->w) >= down_at + DOWN_MS) {
			fl->moved = h->st.fault_moved - moved0;
			fl->r414_before_restore = h->st.proc[TT_PROC_RELOADED];
			fl->r412_before_restore = h->st.proc[TT_PROC_SOFTWARE];
			assert_int_equal(world_card_link(e->w, fl->victim, 1), 0);
			phase = 2;
		}
		if (!left && phase != 1)
			break;
		if (real_ms() > end) {
			kill_children(e);
			fail_msg("the clients did not finish in %u ms (%llu of "
				 "%llu bytes, fault phase %d)", REAL_MS_MAX,
				 (unsigned long long)got,
				 (unsigned long long)total, phase);
		}
	}
	if (phase != 2)
		fail_msg("the transfer ended before the link came back");
	fl->r414_after = h->st.proc[TT_PROC_RELOADED];
	fl->r412_after = h->st.proc[TT_PROC_SOFTWARE];
}

static void check_exit(const struct child *c, const char *what)
{
	if (!WIFEXITED(c->status) || WEXITSTATUS(c->status) != 0) {
		if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == 127)
			fail_msg("%s could not be started", what);
		fail_msg("%s ended with status %d (signal %d)", what,
			 WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1,
			 WIFSIGNALED(c->status) ? WTERMSIG(c->status) : 0);
	}
}

static void check_reloads(struct penv *e, const struct fault_log *fl,
			  const char *name)
{
	struct tt_host *h = world_host(e->w);

	if (fl->reoffered)
		print_message("# %s: %u connections offered to the cards "
			      "again\n", name, fl->reoffered);
	print_message("# %s: card %u held %u of the kernel's connections at "
		      "the fault; %llu moved off it; after the restore %llu "
		      "block-414 reloads and %llu block-412 moves in "
		      "software; %.2f ms simulated\n", name, fl->victim,
		      fl->on_victim, (unsigned long long)fl->moved,
		      (unsigned long long)(fl->r414_after -
					   fl->r414_before_restore),
		      (unsigned long long)(fl->r412_after -
					   fl->r412_before_restore),
		      (double)world_cycles(e->w) /
		      (double)world_cycles_per_ms(e->w));
	/* the fault reloaded every offloaded connection of the victim */
	assert_true(fl->moved >= fl->on_victim);
	/* the switch gave flows back to the restored card: reloaded there
	 * by block 414, or, for one that came back to software meanwhile
	 * (its client's FIN uploads it), its record follows (412) */
	assert_true(fl->r414_after - fl->r414_before_restore +
		    fl->r412_after - fl->r412_before_restore > 0);
	assert_true(h->st.offloads >= 1);
}

static void curl_files_under_fault(void **state)
{
	struct penv *e = *state;
	char url[N_CURL][128], ip[32];
	struct fault_log fl;
	uint32_t t;
	unsigned int i;

	if (!e)
		skip();
	need_tool("curl");
	t = world_team_ip(e->w);
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", t >> 24, (t >> 16) & 0xffu,
		 (t >> 8) & 0xffu, t & 0xffu);
	for (i = 0; i < N_CURL; i++) {
		char *argv[] = { "curl", "-sS", "--fail", "--noproxy", "*",
				 "--connect-timeout", "10", "--max-time",
				 CHILD_SECS, "-o", "-", url[i], NULL };

		snprintf(url[i], sizeof(url[i]), "http://%s%s", ip,
			 files[i].path);
		spawn(e, argv, 0, files[i].seed, files[i].size);
	}
	drive(e, (uint64_t)N_CURL * FILE_SIZE, &fl);
	for (i = 0; i < N_CURL; i++) {
		struct child *c = &e->ch[i];
		uint8_t want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];

		check_exit(c, "curl");
		app_digest_end(&c->d, have);
		app_gen_digest(files[i].seed, files[i].size, want);
		if (c->got != files[i].size || c->first_bad >= 0 ||
		    memcmp(want, have, APP_DIGEST_LEN))
			fail_msg("%s: %llu bytes of %llu, first wrong byte at "
				 "%lld, SHA-256 %s", files[i].path,
				 (unsigned long long)c->got,
				 (unsigned long long)files[i].size, c->first_bad,
				 memcmp(want, have, APP_DIGEST_LEN) ?
				 "differs" : "matches");
	}
	assert_int_equal(http_server_stats(e->http)->ok, N_CURL);
	check_reloads(e, &fl, "curl");
}

static void socat_echo_under_fault(void **state)
{
	struct penv *e = *state;
	char target[64];
	struct fault_log fl;
	uint32_t t;
	unsigned int i;

	if (!e)
		skip();
	need_tool("socat");
	t = world_team_ip(e->w);
	snprintf(target, sizeof(target), "TCP:%u.%u.%u.%u:%u,connect-timeout=10",
		 t >> 24, (t >> 16) & 0xffu, (t >> 8) & 0xffu, t & 0xffu,
		 ECHO_PORT);
	for (i = 0; i < N_SOCAT; i++) {
		char *argv[] = { "socat", "-T", CHILD_SECS, "-t", CHILD_SECS,
				 "STDIO", target, NULL };

		spawn(e, argv, 1, 0x5eed0000u + i, ECHO_LEN);
	}
	drive(e, (uint64_t)N_SOCAT * ECHO_LEN, &fl);
	for (i = 0; i < N_SOCAT; i++) {
		struct child *c = &e->ch[i];
		uint8_t want[APP_DIGEST_LEN], have[APP_DIGEST_LEN];

		check_exit(c, "socat");
		app_digest_end(&c->d, have);
		app_gen_digest(c->seed, ECHO_LEN, want);
		if (c->sent != ECHO_LEN || c->got != ECHO_LEN ||
		    c->first_bad >= 0 || memcmp(want, have, APP_DIGEST_LEN)) {
			const struct echo_stats *es = echo_server_stats(e->echo);
			struct tt_stack *ts = world_team_stack(e->w);

			print_message("# echo server: accepted %llu closed %llu "
				      "reset %llu bytes %llu; stack: %s %llu, "
				      "%s %llu, %s %llu, %s %llu, %s %llu\n",
				      (unsigned long long)es->accepted,
				      (unsigned long long)es->closed,
				      (unsigned long long)es->reset,
				      (unsigned long long)es->bytes,
				      tt_stack_counter_name(TT_SCNT_DROP_OFFL_PAYLOAD),
				      (unsigned long long)tt_stack_counter(ts, TT_SCNT_DROP_OFFL_PAYLOAD),
				      tt_stack_counter_name(TT_SCNT_DROP_OFFL_CTX),
				      (unsigned long long)tt_stack_counter(ts, TT_SCNT_DROP_OFFL_CTX),
				      tt_stack_counter_name(TT_SCNT_DROP_TCP_TEXT_STATE),
				      (unsigned long long)tt_stack_counter(ts, TT_SCNT_DROP_TCP_TEXT_STATE),
				      tt_stack_counter_name(TT_SCNT_DROP_TCP_AFTER_CLOSE),
				      (unsigned long long)tt_stack_counter(ts, TT_SCNT_DROP_TCP_AFTER_CLOSE),
				      tt_stack_counter_name(TT_SCNT_TCP_RST_SENT),
				      (unsigned long long)tt_stack_counter(ts, TT_SCNT_TCP_RST_SENT));
			fail_msg("echo %u: sent %llu, back %llu of %u, first "
				 "wrong byte at %lld", i,
				 (unsigned long long)c->sent,
				 (unsigned long long)c->got, ECHO_LEN,
				 c->first_bad);
		}
	}
	assert_int_equal(echo_server_stats(e->echo)->bytes,
			 (uint64_t)N_SOCAT * ECHO_LEN);
	/* the cards' windows closed before the host ran out of room */
	assert_int_equal(tt_stack_counter(world_team_stack(e->w),
					  TT_SCNT_DROP_OFFL_PAYLOAD), 0);
	check_reloads(e, &fl, "socat");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(curl_files_under_fault, setup,
						teardown),
		cmocka_unit_test_setup_teardown(socat_echo_under_fault, setup,
						teardown),
	};
	struct stat st;

	/* a child that dies early must not take the test with it */
	signal(SIGPIPE, SIG_IGN);
	/* before anything could start a thread */
	if (stat("/dev/net/tun", &st) != 0)
		snprintf(why_not, sizeof(why_not), "no /dev/net/tun: %s",
			 strerror(errno));
	else
		netns_ok = world_tap_enter(why_not, sizeof(why_not)) == 0;
	if (!netns_ok) {
		/* the plain TAP form of a skip, with the reason */
		printf("1..2\nok 1 - curl_files_under_fault # SKIP %s\n"
		       "ok 2 - socat_echo_under_fault # SKIP %s\n", why_not,
		       why_not);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
