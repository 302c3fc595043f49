/* SPDX-License-Identifier: MIT */
/*
 * mkcapture: write a pcap of seeded random frames (good and broken TCP,
 * ARP, IPv6, fragments, ...) addressed to a team, for the demo and for
 * replaying through `teamtoe --replay`.
 *
 *   mkcapture OUT.pcap [FRAMES] [SEED]
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "framegen.h"

int main(int argc, char **argv)
{
	static uint8_t f[10000];
	const uint8_t mac[6] = { 0x02, 0x00, 0xc6, 0x12, 0x00, 0x01 };
	unsigned long frames = argc > 2 ? strtoul(argv[2], NULL, 0) : 2000;
	struct rng r = { argc > 3 ? strtoull(argv[3], NULL, 0) : 1 };
	pcap_t *p;
	pcap_dumper_t *w;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkcapture OUT.pcap [FRAMES] [SEED]\n");
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 65535);
	w = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!w) {
		fprintf(stderr, "mkcapture: %s: %s\n", argv[1], p ? pcap_geterr(p) : "no pcap");
		return 1;
	}
	for (unsigned long i = 0; i < frames; i++) {
		enum fg_kind k;
		size_t len = fg_random_frame(&r, mac, 0xc6120001u, f, &k);
		struct pcap_pkthdr h = { .ts = { .tv_sec = (long)(i / 100000),
			.tv_usec = (long)(i % 100000) * 10 },
			.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
		pcap_dump((u_char *)w, &h, f);
	}
	pcap_dump_close(w);
	pcap_close(p);
	printf("mkcapture: %lu frames to %s\n", frames, argv[1]);
	return 0;
}
