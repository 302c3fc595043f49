/* SPDX-License-Identifier: MIT */
/*
 * teamtoe: bring up a team of cards from a device tree, optionally replay a
 * pcap into one of its ports, run the cards until they are idle, save what
 * they sent (to the wire and to the host) as pcap files and print their
 * counters.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "teamtoe/card.h"
#include "teamtoe/pcap_io.h"
#include "teamtoe/team.h"

/* Bounds that keep a misbehaving card from hanging the program. */
#define CLI_RX_WAIT_MAX  1000000u  /* cycles waiting for a card to take a frame */
#define CLI_SETTLE_MAX   10000000u /* cycles waiting for the team to go idle */
#define CLI_ERR_LEN      512

struct cli_port {
	struct tt_team_member *m;
	struct tt_pcap_writer *wire;     /* frames the card sent on the wire */
	char wire_path[PATH_MAX];
	uint64_t exc[TT_EXC_COUNT];      /* exception DMA writes by reason */
	uint64_t payload_writes;
	uint64_t payload_bytes;
	uint64_t events;
	uint64_t link_events;
	uint64_t dma_read_reqs;          /* unanswered: the CLI holds no send data */
	uint64_t ctx_results;
};

struct cli {
	const char *dtb;
	const char *replay;
	const char *out;
	int have_port;
	uint32_t port;
	uint64_t run_cycles;
	const char *fst;                 /* --fst: waveform directory */

	struct tt_team *team;
	struct cli_port ports[TT_TEAM_MAX_CARDS];
	struct tt_pcap_writer *host_exc;
	struct tt_pcap_reader *rd;       /* --replay */
	struct tt_team_member *rx;       /* --port */
	char host_exc_path[PATH_MAX];
	uint64_t replayed;
	uint8_t buf[TT_MAX_FRAME > 65535 ? TT_MAX_FRAME : 65535];
};

static void cli_usage(FILE *f);
static int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define cli_fail(...) (cli_error(__VA_ARGS__), -1)
static int cli_parse_u64(const char *opt, const char *s, uint64_t max,
			 uint64_t *val);
static int cli_parse_args(struct cli *cli, int argc, char **argv);
static int cli_open_outputs(struct cli *cli);
static int cli_close_outputs(struct cli *cli);
static int cli_drain_port(struct cli *cli, struct cli_port *p);
static int cli_drain(struct cli *cli);
static void cli_step(struct cli *cli);
static int cli_replay_open(struct cli *cli);
static int cli_replay(struct cli *cli);
static int cli_settle(struct cli *cli);
static void cli_report(struct cli *cli);

static void cli_usage(FILE *f)
{
	fprintf(f,
"usage: teamtoe --dtb FILE [--replay IN.pcap [--port N]] [--out DIR] [--cycles N]\n"
"               [--fst DIR]\n"
"\n"
"Bring up the team of cards described by a device tree blob (binding in\n"
"host/dts/README.md), run it, and print the cards' counters.\n"
"\n"
"  --dtb FILE       team device tree blob (dtc -O dtb), required\n"
"  --replay IN.pcap push every Ethernet frame of IN.pcap into one card's\n"
"                   network port, as fast as the card takes them\n"
"  --port N         the card (its reg, i.e. card id) that receives the\n"
"                   replay; default: the first enabled member\n"
"  --out DIR        where to write port<N>.pcap (frames card N sent on the\n"
"                   wire) and host-exceptions.pcap (frames the cards handed\n"
"                   to the host); created if missing; default: .\n"
"  --fst DIR        every RTL card writes its waveforms to DIR/card<id>.fst\n"
"                   (open with GTKWave; slows simulation down)\n"
"  --cycles N       run N more cycles after the replay (timers, retries),\n"
"                   then wait until every card is idle\n"
"  -h, --help       this text\n"
"\n"
"Timestamps in the pcap files are card cycles at 156.25 MHz (6.4 ns).\n"
"Waiting for idle is bounded (%u cycles); hitting the bound is an error.\n"
"Exit status: 0 on success, 1 on any error, 2 on bad usage.\n",
		CLI_SETTLE_MAX);
}

static int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("teamtoe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int cli_parse_u64(const char *opt, const char *s, uint64_t max,
			 uint64_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		cli_error("%s: bad number \"%s\" (0..%" PRIu64 ")", opt, s, max);
		return -1;
	}
	*val = v;
	return 0;
}

static int cli_parse_args(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dtb",    required_argument, NULL, 'd' },
		{ "replay", required_argument, NULL, 'r' },
		{ "port",   required_argument, NULL, 'p' },
		{ "out",    required_argument, NULL, 'o' },
		{ "cycles", required_argument, NULL, 'c' },
		{ "fst",    required_argument, NULL, 'f' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli->dtb = optarg;
			break;
		case 'r':
			cli->replay = optarg;
			break;
		case 'p':
			if (cli_parse_u64("--port", optarg, UINT32_MAX, &v))
				return 2;
			cli->port = (uint32_t)v;
			cli->have_port = 1;
			break;
		case 'o':
			cli->out = optarg;
			break;
		case 'c':
			if (cli_parse_u64("--cycles", optarg, UINT64_MAX / 2, &v))
				return 2;
			cli->run_cycles = v;
			break;
		case 'f':
			cli->fst = optarg;
			break;
		case 'h':
			cli_usage(stdout);
			return -1;
		default:
			cli_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument \"%s\"", argv[optind]);
		cli_usage(stderr);
		return 2;
	}
	if (!cli->dtb) {
		cli_error("--dtb FILE is required");
		cli_usage(stderr);
		return 2;
	}
	if (cli->have_port && !cli->replay) {
		cli_error("--port only makes sense with --replay");
		return 2;
	}
	if (!cli->out)
		cli->out = ".";
	return 0;
}

static int cli_open_outputs(struct cli *cli)
{
	char err[CLI_ERR_LEN];
	unsigned int i;
	int n;

	if (mkdir(cli->out, 0777) < 0 && errno != EEXIST)
		return cli_error("%s: %s", cli->out, strerror(errno));

	for (i = 0; i < cli->team->n_members; i++) {
		struct cli_port *p = &cli->ports[i];

		n = snprintf(p->wire_path, sizeof(p->wire_path), "%s/port%" PRIu32 ".pcap",
			     cli->out, p->m->cfg->id);
		if (n < 0 || (size_t)n >= sizeof(p->wire_path))
			return cli_error("%s: path too long", cli->out);
		if (tt_pcap_writer_open(&p->wire, p->wire_path, err, sizeof(err)))
			return cli_error("%s", err);
	}
	n = snprintf(cli->host_exc_path, sizeof(cli->host_exc_path),
		     "%s/host-exceptions.pcap", cli->out);
	if (n < 0 || (size_t)n >= sizeof(cli->host_exc_path))
		return cli_error("%s: path too long", cli->out);
	if (tt_pcap_writer_open(&cli->host_exc, cli->host_exc_path, err,
				sizeof(err)))
		return cli_error("%s", err);
	return 0;
}

static int cli_close_outputs(struct cli *cli)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < TT_TEAM_MAX_CARDS; i++) {
		if (cli->ports[i].wire &&
		    tt_pcap_writer_close(cli->ports[i].wire))
			r = cli_error("%s: write error", cli->ports[i].wire_path);
		cli->ports[i].wire = NULL;
	}
	if (cli->host_exc && tt_pcap_writer_close(cli->host_exc))
		r = cli_error("%s: write error", cli->host_exc_path);
	cli->host_exc = NULL;
	return r;
}

/* Empty every output stream of one card. Returns the number of items
 * taken, or -1 after printing an error. */
static int cli_drain_port(struct cli *cli, struct cli_port *p)
{
	struct tt_card *card = p->m->card;
	uint32_t id = p->m->cfg->id;
	struct tt_dma_read_req req;
	struct tt_ctx_result res;
	struct tt_dma_write d;
	struct tt_event ev;
	size_t len;
	int n = 0, r;

	while ((r = tt_card_net_tx(card, cli->buf, sizeof(cli->buf), &len)) == TT_OK) {
		if (tt_pcap_write(p->wire, tt_card_cycles(card), cli->buf, len))
			return cli_fail("card %" PRIu32 ": wire frame of %zu bytes too long for pcap",
					 id, len);
		n++;
	}
	if (r != TT_EAGAIN)
		return cli_fail("card %" PRIu32 ": net_tx: %s", id,
				 tt_status_str(r));

	while ((r = tt_card_dma_write(card, &d, cli->buf, sizeof(cli->buf))) == TT_OK) {
		n++;
		if (d.kind == TT_DMA_PAYLOAD) {
			p->payload_writes++;
			p->payload_bytes += d.len;
			continue;
		}
		if (d.kind != TT_DMA_EXCEPTION)
			return cli_fail("card %" PRIu32 ": DMA write of unknown kind %u",
					 id, d.kind);
		if (d.reason < TT_EXC_COUNT)
			p->exc[d.reason]++;
		else
			p->exc[0]++;
		if (tt_pcap_write(cli->host_exc, tt_card_cycles(card), cli->buf,
				  d.len))
			return cli_fail("card %" PRIu32 ": exception frame of %u bytes too long for pcap",
					 id, d.len);
	}
	if (r != TT_EAGAIN)
		return cli_fail("card %" PRIu32 ": dma_write: %s", id,
				 tt_status_str(r));

	while ((r = tt_card_event(card, &ev)) == TT_OK) {
		n++;
		p->events++;
		if (ev.type == TT_EVT_LINK)
			p->link_events++;
	}
	if (r != TT_EAGAIN && r != TT_EUNSUPPORTED)
		return cli_fail("card %" PRIu32 ": event: %s", id,
				 tt_status_str(r));

	while ((r = tt_card_dma_read_req(card, &req)) == TT_OK) {
		n++;
		p->dma_read_reqs++;
	}
	if (r != TT_EAGAIN && r != TT_EUNSUPPORTED)
		return cli_fail("card %" PRIu32 ": dma_read_req: %s", id,
				 tt_status_str(r));

	while ((r = tt_card_ctx_result(card, &res)) == TT_OK) {
		n++;
		p->ctx_results++;
	}
	if (r != TT_EAGAIN && r != TT_EUNSUPPORTED)
		return cli_fail("card %" PRIu32 ": ctx_result: %s", id,
				 tt_status_str(r));
	return n;
}

static int cli_drain(struct cli *cli)
{
	unsigned int i;
	int n = 0, r;

	for (i = 0; i < cli->team->n_members; i++) {
		r = cli_drain_port(cli, &cli->ports[i]);
		if (r < 0)
			return r;
		n += r;
	}
	return n;
}

/* All cards advance together, one cycle at a time. */
static void cli_step(struct cli *cli)
{
	unsigned int i;

	for (i = 0; i < cli->team->n_members; i++)
		tt_card_step(cli->team->members[i].card, 1);
}

/* Check --port and open the capture before anything is written. */
static int cli_replay_open(struct cli *cli)
{
	char err[CLI_ERR_LEN];

	if (!cli->have_port)
		cli->port = cli->team->members[0].cfg->id;
	cli->rx = tt_team_member_by_id(cli->team, cli->port);
	if (!cli->rx) {
		char ids[128] = "";
		size_t used = 0;
		unsigned int i;

		for (i = 0; i < cli->team->n_members && used < sizeof(ids); i++)
			used += (size_t)snprintf(ids + used, sizeof(ids) - used,
						 "%s%" PRIu32, i ? ", " : "",
						 cli->team->members[i].cfg->id);
		return cli_error("--port %" PRIu32 ": no enabled card with that id (cards: %s)",
				 cli->port, ids);
	}
	if (tt_pcap_reader_open(&cli->rd, cli->replay, err, sizeof(err)))
		return cli_error("%s", err);
	return 0;
}

static int cli_replay(struct cli *cli)
{
	struct tt_card *card = cli->rx->card;
	char err[CLI_ERR_LEN];
	const uint8_t *frame;
	uint64_t waited;
	size_t len;
	int r;

	while ((r = tt_pcap_read(cli->rd, &frame, &len, NULL, err, sizeof(err))) == 1) {
		waited = 0;
		while ((r = tt_card_net_rx(card, frame, len)) == TT_EAGAIN) {
			if (++waited > CLI_RX_WAIT_MAX)
				return cli_error("%s: frame %" PRIu64 ": card %" PRIu32 " took no frame for %u cycles",
						 cli->replay, cli->replayed + 1,
						 cli->port, CLI_RX_WAIT_MAX);
			cli_step(cli);
			if (cli_drain(cli) < 0)
				return 1;
		}
		if (r != TT_OK)
			return cli_error("%s: frame %" PRIu64 " (%zu bytes): card %" PRIu32 " refused it: %s",
					 cli->replay, cli->replayed + 1, len,
					 cli->port, tt_status_str(r));
		cli->replayed++;
	}
	if (r < 0)
		return cli_error("%s", err);
	return 0;
}

/* Run the requested extra cycles, then until every card is idle with all
 * its outputs empty. */
static int cli_settle(struct cli *cli)
{
	uint64_t i;
	unsigned int k;
	int n, all_idle;

	for (i = 0; i < cli->run_cycles; i++) {
		cli_step(cli);
		if (cli_drain(cli) < 0)
			return 1;
	}
	for (i = 0; ; i++) {
		n = cli_drain(cli);
		if (n < 0)
			return 1;
		all_idle = 1;
		for (k = 0; k < cli->team->n_members; k++)
			if (!tt_card_idle(cli->team->members[k].card))
				all_idle = 0;
		if (all_idle && n == 0)
			return 0;
		if (i >= CLI_SETTLE_MAX)
			break;
		cli_step(cli);
	}
	for (k = 0; k < cli->team->n_members; k++)
		if (!tt_card_idle(cli->team->members[k].card))
			fprintf(stderr, "teamtoe: card %" PRIu32 " still busy\n",
				cli->team->members[k].cfg->id);
	return cli_error("team not idle after %u cycles", CLI_SETTLE_MAX);
}

static void cli_report(struct cli *cli)
{
	struct tt_team *t = cli->team;
	uint32_t cnt[TT_TEAM_MAX_CARDS][TT_COUNTER_COUNT];
	uint64_t total;
	unsigned int i;
	int c, any;
	char hdr[16];

	printf("\n%-20s", "counter");
	for (i = 0; i < t->n_members; i++) {
		snprintf(hdr, sizeof(hdr), "card%" PRIu32, t->members[i].cfg->id);
		printf(" %12s", hdr);
	}
	printf(" %12s\n", "total");

	for (i = 0; i < t->n_members; i++)
		for (c = 0; c < TT_COUNTER_COUNT; c++)
			cnt[i][c] = tt_card_counter(t->members[i].card, c);
	any = 0;
	for (c = 0; c < TT_COUNTER_COUNT; c++) {
		const char *name = tt_counter_str(c);

		total = 0;
		for (i = 0; i < t->n_members; i++)
			total += cnt[i][c];
		if (!name || !total)
			continue;
		any = 1;
		printf("%-20s", name);
		for (i = 0; i < t->n_members; i++)
			printf(" %12" PRIu32, cnt[i][c]);
		printf(" %12" PRIu64 "\n", total);
	}
	if (!any)
		printf("(all counters zero)\n");

	printf("\n%-20s", "exceptions to host");
	for (i = 0; i < t->n_members; i++) {
		snprintf(hdr, sizeof(hdr), "card%" PRIu32, t->members[i].cfg->id);
		printf(" %12s", hdr);
	}
	printf(" %12s\n", "total");
	any = 0;
	for (c = 0; c < TT_EXC_COUNT; c++) {
		total = 0;
		for (i = 0; i < t->n_members; i++)
			total += cli->ports[i].exc[c];
		if (!total)
			continue;
		any = 1;
		printf("%-20s", c ? tt_exc_str(c) : "(bad reason)");
		for (i = 0; i < t->n_members; i++)
			printf(" %12" PRIu64, cli->ports[i].exc[c]);
		printf(" %12" PRIu64 "\n", total);
	}
	if (!any)
		printf("(none)\n");

	printf("\n");
	for (i = 0; i < t->n_members; i++) {
		const struct cli_port *p = &cli->ports[i];

		printf("card%" PRIu32 " (%s): %" PRIu64 " cycles, %" PRIu64 " frames -> %s, "
		       "%" PRIu64 " payload DMA writes (%" PRIu64 " bytes), %" PRIu64 " events",
		       p->m->cfg->id, tt_card_backend(p->m->card),
		       tt_card_cycles(p->m->card),
		       p->wire ? tt_pcap_writer_count(p->wire) : 0,
		       p->wire_path, p->payload_writes, p->payload_bytes,
		       p->events);
		if (p->dma_read_reqs)
			printf(", %" PRIu64 " unanswered DMA reads", p->dma_read_reqs);
		if (p->ctx_results)
			printf(", %" PRIu64 " context results", p->ctx_results);
		printf("\n");
	}
	if (cli->host_exc)
		printf("host: %" PRIu64 " exception frames -> %s\n",
		       tt_pcap_writer_count(cli->host_exc), cli->host_exc_path);
}

int main(int argc, char **argv)
{
	static struct cli cli; /* large frame buffer: not on the stack */
	struct tt_team_config cfg;
	char err[CLI_ERR_LEN];
	unsigned int i;
	int r;

	r = cli_parse_args(&cli, argc, argv);
	if (r)
		return r < 0 ? 0 : r;

	if (tt_team_config_load(cli.dtb, &cfg, err, sizeof(err)))
		return cli_error("%s", err);
	cfg.trace_dir = cli.fst;
	if (cli.fst && mkdir(cli.fst, 0777) < 0 && errno != EEXIST)
		return cli_error("%s: %s", cli.fst, strerror(errno));
	if (tt_team_open(&cfg, &cli.team, err, sizeof(err)))
		return cli_error("%s", err);

	printf("team %s: %02x:%02x:%02x:%02x:%02x:%02x %u.%u.%u.%u, policy %s, %u of %u cards enabled\n",
	       cfg.path, cfg.mac[0], cfg.mac[1], cfg.mac[2], cfg.mac[3],
	       cfg.mac[4], cfg.mac[5], cfg.ipv4 >> 24, (cfg.ipv4 >> 16) & 0xff,
	       (cfg.ipv4 >> 8) & 0xff, cfg.ipv4 & 0xff,
	       tt_offload_policy_str(cfg.policy), cli.team->n_members,
	       cfg.n_cards);
	for (i = 0; i < cfg.n_cards; i++)
		printf("  %s: id %" PRIu32 ", %s, %" PRIu32 " slots%s\n",
		       cfg.cards[i].path, cfg.cards[i].id, cfg.cards[i].backend,
		       cfg.cards[i].conn_slots,
		       cfg.cards[i].enabled ? "" : ", disabled");

	for (i = 0; i < cli.team->n_members; i++)
		cli.ports[i].m = &cli.team->members[i];

	if (cli.replay) {
		r = cli_replay_open(&cli);
		if (r)
			goto out;
	}
	r = cli_open_outputs(&cli);
	if (r)
		goto out;
	if (cli.replay) {
		r = cli_replay(&cli);
		if (r)
			goto out;
		printf("replayed %" PRIu64 " frames from %s into card%" PRIu32 "\n",
		       cli.replayed, cli.replay, cli.port);
	}
	r = cli_settle(&cli);
	if (r)
		goto out;
	cli_report(&cli);
	r = cli_close_outputs(&cli);
out:
	if (cli_close_outputs(&cli))
		r = 1;
	tt_pcap_reader_close(cli.rd);
	tt_team_close(cli.team);
	return r;
}
