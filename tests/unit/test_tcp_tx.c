/* SPDX-License-Identifier: MIT */
/* The segment builder: frames it makes pass the card's own parser with
 * both checksums good, carry the context's addresses, ports, rcv_nxt,
 * window and IP ID, and tshark dissects them without complaint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"
#include "tcp_tx.h"
#include "teamtoe/card.h"
#include "teamtoe/pcap_io.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };

static struct tt_ctx conn(void)
{
	struct tt_ctx c = { 0 };

	c.version = TT_CTX_VERSION;
	c.local_ip = 0xc6120001u;
	c.remote_ip = 0xc6120002u;
	c.local_port = 80;
	c.remote_port = 40000;
	c.peer_mac = 0x020000000002ull | 0x0000000000ull;
	c.rcv_nxt = 0x12345678u;
	c.rcv_wnd = 4096;
	c.ip_id = 0xfffe;
	c.mss = 1460;
	return c;
}

/* Parse as the peer would: addressed to the peer's MAC and IP. */
static struct parse_verdict as_peer(const struct tt_ctx *c, const uint8_t *f,
				    size_t len, struct parse_hdr *h)
{
	struct parse_cfg cfg = { .ip = c->remote_ip, .link_up = 1, .enabled = 1 };

	for (int i = 0; i < 6; i++)
		cfg.mac[i] = (uint8_t)(c->peer_mac >> (8 * i));
	return parse_frame(&cfg, f, len, h);
}

static void every_length_parses(void **state)
{
	(void)state;
	static uint8_t payload[1460], f[1600];
	struct tt_ctx c = conn();

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	for (size_t len = 0; len <= 1460; len++) {
		struct parse_hdr h;
		size_t n = tcp_tx_build(&c, team_mac, 0, 1000 + (uint32_t)len,
					payload, len, f);
		struct parse_verdict v = as_peer(&c, f, n, &h);
		assert_int_equal(n, TCP_TX_HDR + len);
		assert_int_equal(v.kind, PARSE_EXCEPTION);
		assert_int_equal(v.reason, TT_EXC_NO_MATCH); /* checksums good */
		assert_int_equal(h.seq, 1000 + len);
		assert_int_equal(h.ack, 0x12345678u);
		assert_int_equal(h.window, 4096);
		assert_int_equal(h.flags, 0x10);
		assert_int_equal(h.src_port, 80);
		assert_int_equal(h.dst_port, 40000);
		assert_int_equal(h.payload_len, len);
		assert_memory_equal(f + h.payload_off, payload, len);
		assert_memory_equal(f + 6, team_mac, 6);
	}
	assert_int_equal(c.ip_id, (uint16_t)(0xfffe + 1461)); /* wrapped */
}

/* Wireshark's dissector as an independent judge of the frames. */
static void tshark_agrees(void **state)
{
	(void)state;
	static uint8_t payload[1460], f[1600];
	struct tt_pcap_writer *w;
	struct tt_ctx c = conn();
	char err[256], cmd[512], line[512];
	const char *path = "build/test-tcp-tx.pcap";
	int bad = 0, n = 0;
	FILE *p;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		print_message("# SKIP tshark is not installed (make deps installs it)\n");
		skip();
		return;
	}
	assert_int_equal(tt_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	for (size_t len = 0; len <= 1460; len += 97)
		tt_pcap_write(w, len * 100, f,
			      tcp_tx_build(&c, team_mac, len % 2 ? 0x08 : 0, 7 + (uint32_t)len,
					   payload, len, f));
	tt_pcap_writer_close(w);
	snprintf(cmd, sizeof(cmd), "tshark -n -r %s -o tcp.check_checksum:TRUE "
		 "-o ip.check_checksum:TRUE -T fields -e _ws.expert.message "
		 "-e tcp.checksum.status -e ip.checksum.status 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		n++;
		/* checksum status 1 = good (0 bad, 2 unverified); an expert
		 * message about a malformed frame or a bad checksum fails */
		size_t l = strlen(line);
		if (strstr(line, "alformed") || strstr(line, "ncorrect") ||
		    l < 5 || strcmp(line + l - 5, "\t1\t1\n") != 0) {
			fprintf(stderr, "tshark: %s", line);
			bad++;
		}
	}
	pclose(p);
	assert_int_equal(n, 16);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_length_parses),
		cmocka_unit_test(tshark_agrees),
	};

	return cmocka_run_group_tests_name("tcp_tx", tests, NULL, NULL);
}
