/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the pcap reader (tt_pcap_reader_*, libpcap under
 * it) with arbitrary files. The input is written to a temporary file and
 * read frame by frame to the end or the first error; every byte of every
 * frame must be readable, every error must come with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "teamtoe/pcap_io.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_pcap: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_pcap_reader *r;
	const uint8_t *frame;
	size_t len;
	uint64_t ts, sum = 0;
	char err[256];
	FILE *f;
	int rc;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/fuzz_pcap.XXXXXX");
		fd = mkstemp(path);
		CHECK(fd >= 0);
		close(fd);
		atexit(cleanup);
	}
	f = fopen(path, "wb");
	CHECK(f);
	CHECK(fwrite(data, 1, size, f) == size);
	CHECK(fclose(f) == 0);

	memset(err, 0x5a, sizeof(err));
	if (tt_pcap_reader_open(&r, path, err, sizeof(err)) != 0) {
		CHECK(memchr(err, 0, sizeof(err)));
		return 0;
	}
	for (int i = 0; i < 100000; i++) {
		rc = tt_pcap_read(r, &frame, &len, &ts, err, sizeof(err));
		if (rc != 1) {
			CHECK(rc == 0 || memchr(err, 0, sizeof(err)));
			break;
		}
		for (size_t k = 0; k < len; k++) /* every byte readable */
			sum += frame[k];
	}
	tt_pcap_reader_close(r);
	return (int)(sum & 0);
}
