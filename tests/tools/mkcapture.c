/* SPDX-License-Identifier: MIT */
/*
 * mkcapture: write a pcap of seeded random frames (good and broken TCP,
 * ARP, IPv6, fragments, ...) addressed to a team, for the demo and for
 * replaying through `teamtoe --replay`.
 *
 *   mkcapture OUT.pcap [FRAMES] [SEED]
 */
#include <stdio.h>
#include <stdlib.h>

#include "framegen.h"
#include "teamtoe/pcap_io.h"

int main(int argc, char **argv)
{
	static uint8_t f[10000];
	const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	unsigned long frames = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000;
	struct rng r = { argc > 3 ? strtoull(argv[3], NULL, 0) : 1 };
	struct tt_pcap_writer *w;
	char err[256];

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkcapture OUT.pcap [FRAMES] [SEED]\n");
		return 2;
	}
	if (tt_pcap_writer_open(&w, argv[1], err, sizeof(err))) {
		fprintf(stderr, "mkcapture: %s\n", err);
		return 1;
	}
	/* One frame every 1000 card cycles (6.4 us). */
	for (unsigned long i = 0; i < frames; i++) {
		enum fg_kind k;
		size_t len = fg_random_frame(&r, mac, 0xc6120001u, f, &k);
		if (tt_pcap_write(w, i * 1000, f, len)) {
			fprintf(stderr, "mkcapture: cannot write %s\n", argv[1]);
			return 1;
		}
	}
	if (tt_pcap_writer_close(w)) {
		fprintf(stderr, "mkcapture: cannot write %s\n", argv[1]);
		return 1;
	}
	printf("mkcapture: %lu frames to %s\n", frames, argv[1]);
	return 0;
}
