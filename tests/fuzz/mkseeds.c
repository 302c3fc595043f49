/* SPDX-License-Identifier: MIT */
/*
 * mkseeds: write the seed inputs of the rx and host fuzz harnesses (frames
 * from the test frame generator, in each harness's input format). The
 * dtb and pcap corpora are seeded from build/dts/ and build/mkcapture.
 *
 *   mkseeds RX_DIR HOST_DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framegen.h"

static const uint8_t team_mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
static const uint32_t team_ip = 0xc6120001u;

static void put(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A length-prefixed frame. */
static size_t add_frame(uint8_t *out, const uint8_t *f, size_t len)
{
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	memcpy(out + 2, f, len);
	return len + 2;
}

int main(int argc, char **argv)
{
	static uint8_t buf[200000], f[10000];
	struct rng r = { 7 };
	char name[64];
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: mkseeds RX_DIR HOST_DIR\n");
		return 2;
	}
	/* rx: one input per frame kind, then a few mixes with each control */
	for (int want = 0; want < FG_KIND_COUNT; want++) {
		enum fg_kind k;
		size_t len;

		do
			len = fg_random_frame(&r, team_mac, team_ip, f, &k);
		while ((int)k != want);
		buf[0] = 0;
		n = 1 + add_frame(buf + 1, f, len);
		snprintf(name, sizeof(name), "kind-%s", fg_kind_names[want]);
		put(argv[1], name, buf, n);
	}
	for (int ctl = 0; ctl < 16; ctl += 3) {
		buf[0] = (uint8_t)ctl;
		n = 1;
		for (int i = 0; i < 12; i++) {
			enum fg_kind k;
			size_t len = fg_random_frame(&r, team_mac, team_ip, f, &k);

			if (len > 1600)
				continue;
			n += add_frame(buf + n, f, len);
		}
		snprintf(name, sizeof(name), "mix-ctl%d", ctl);
		put(argv[1], name, buf, n);
	}

	/* host: scripts (see fuzz_host.c) */
	{
		static const uint8_t open_close[] = {
			0x01,                   /* 2 cards, least loaded */
			0x02, 0x05, 0x02, 0, 1, /* SYN on card 0 */
			0x05, 4,
			0x12, 0x05, 0x10, 0, 2, /* ACK on card 1: moved */
			0x06, 0x05,             /* offload it */
			0x02, 0x05, 0x10, 0, 3, /* ACK on card 0: reload */
			0x05, 8,
			0x02, 0x05, 0x11, 0, 4, /* FIN: upload, removed */
			0x05, 8,
		};
		static const uint8_t fault[] = {
			0x02,                   /* 3 cards */
			0x06, 0x01, 0x06, 0x09, 0x06, 0x11,
			0x05, 2,
			0x03, 0x05, 4,          /* link down on card 0 */
			0x12, 0x01, 0x10, 0, 9, /* segment on card 1 */
			0x04, 0x05, 4,          /* link up again */
			0x29, 0x05, 4,          /* card 2 fails */
			0x0a, 200, 0x0a, 200,   /* time passes: aging */
			0x05, 16,
		};
		static const uint8_t moves[] = {
			0x05,                   /* 2 cards, first-fit */
			0x06, 0x21, 0x06, 0x22, 0x18, 0x21, 0x18, 0x22,
			0x07, 0x21, 0x08, 0x22, 0x05, 3,
			0x12, 0x22, 0x04, 0, 0,  /* RST on card 1 */
			0x05, 3,
		};
		put(argv[2], "open-reload-close", open_close, sizeof(open_close));
		put(argv[2], "link-fault", fault, sizeof(fault));
		put(argv[2], "offload-moves", moves, sizeof(moves));

		/* raw and fixed frames of every kind across 4 cards */
		buf[0] = 3;
		n = 1;
		for (int i = 0; i < 24; i++) {
			enum fg_kind k;
			size_t len = fg_random_frame(&r, team_mac, team_ip, f, &k);

			if (len > 1600)
				continue;
			buf[n++] = (uint8_t)((i % 4) << 4 | (i & 1));
			n += add_frame(buf + n, f, len);
			buf[n++] = 0x05;
			buf[n++] = 2;
		}
		put(argv[2], "frames-4cards", buf, n);
	}

	/* rx: one offloaded connection through the receive engine (control
	 * 12: checksums fixed, contexts imported in step with the first
	 * frames): in order, duplicate, out of order, overlap, ACKs */
	{
		static uint8_t payload[1460];
		static const struct { uint32_t dseq, dack; uint8_t flags; uint16_t len; } flow[] = {
			{ 0, 100, FG_TCP_ACK, 100 },        /* imported in step (snd_una
								   = ack - 100): in order,
								   acks 100 */
			{ 0, 50, FG_TCP_ACK, 100 },         /* duplicate, an old ACK */
			{ 100, 100, FG_TCP_ACK | FG_TCP_PSH, 100 },
			{ 100, 100, FG_TCP_ACK, 100 },      /* duplicate */
			{ 400, 100, FG_TCP_ACK, 50 },       /* out of order */
			{ 150, 100, FG_TCP_ACK, 100 },      /* half old */
			{ 250, 100, FG_TCP_ACK, 0 },        /* pure ACK */
			{ 250, 110, FG_TCP_ACK, 0 },        /* acks unsent data */
			{ 250, 100, FG_TCP_ACK, 1460 },
			{ 1710, 100, 0, 10 },               /* ACK clear */
		};
		struct fg_tcp t = { 0 };

		memcpy(t.dst_mac, team_mac, 6);
		t.src_mac[0] = 0x02;
		t.src_ip = 0xc6120042u;
		t.dst_ip = team_ip;
		t.dst_port = 80;
		t.window = 8192;
		t.payload = payload;
		buf[0] = 12;
		n = 1;
		/* another connection first: the flow's import gets salt 1 */
		t.src_port = 1111;
		t.flags = FG_TCP_SYN;
		n += add_frame(buf + n, f, fg_tcp_frame(f, &t));
		t.src_port = 2222;
		for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++) {
			t.seq = 0x7fffff00u + flow[i].dseq;
			t.ack = 0xffffffc0u + flow[i].dack;  /* across the wrap */
			t.flags = flow[i].flags;
			t.payload_len = flow[i].len;
			n += add_frame(buf + n, f, fg_tcp_frame(f, &t));
		}
		put(argv[1], "engine-flow", buf, n);
	}
	return 0;
}
