/* SPDX-License-Identifier: MIT */
/* pcap files: write then read back, timestamps from card cycles, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "teamtoe/card.h"
#include "teamtoe/pcap_io.h"

#define ERR_LEN 512

static void tmp_path(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/test_pcap_io_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void fill_frame(uint8_t *f, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(seed * 131u + i * 7u);
}

static void test_cycles_to_ns(void **state)
{
	(void)state;
	assert_int_equal(tt_cycles_to_ns(0), 0);
	assert_int_equal(tt_cycles_to_ns(1), 6);      /* 6.4 ns, floored */
	assert_int_equal(tt_cycles_to_ns(5), 32);
	assert_int_equal(tt_cycles_to_ns(156250000u), 1000000000u); /* 1 s */
	assert_int_equal(tt_cycles_to_ns(156250000ull * 3600u * 24u),
			 86400ull * 1000000000u);
}

static void test_round_trip(void **state)
{
	static const size_t lens[] = { 60, 14, 1514, 9216, 64 };
	static const uint64_t cycles[] = { 0, 1, 5, 156250001u, 156250000ull * 100u + 7 };
	static uint8_t frame[9216];
	struct tt_pcap_writer *w;
	struct tt_pcap_reader *rd;
	char path[64], err[ERR_LEN];
	const uint8_t *got;
	uint64_t ts;
	size_t len, i;

	(void)state;
	tmp_path(path, sizeof(path));
	assert_int_equal(tt_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	for (i = 0; i < 5; i++) {
		fill_frame(frame, lens[i], (unsigned int)i);
		assert_int_equal(tt_pcap_write(w, cycles[i], frame, lens[i]), 0);
	}
	assert_int_equal(tt_pcap_writer_count(w), 5);
	assert_int_equal(tt_pcap_writer_close(w), 0);

	assert_int_equal(tt_pcap_reader_open(&rd, path, err, sizeof(err)), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(tt_pcap_read(rd, &got, &len, &ts, err, sizeof(err)), 1);
		assert_int_equal(len, lens[i]);
		fill_frame(frame, lens[i], (unsigned int)i);
		assert_memory_equal(got, frame, len);
		assert_int_equal(ts, tt_cycles_to_ns(cycles[i]));
	}
	assert_int_equal(tt_pcap_read(rd, &got, &len, &ts, err, sizeof(err)), 0);
	tt_pcap_reader_close(rd);
	unlink(path);
}

/* Written files are ordinary Ethernet captures for other tools. */
static void test_file_is_plain_pcap(void **state)
{
	char path[64], err[ERR_LEN], ebuf[PCAP_ERRBUF_SIZE];
	struct tt_pcap_writer *w;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t frame[60];
	pcap_t *p;

	(void)state;
	tmp_path(path, sizeof(path));
	fill_frame(frame, sizeof(frame), 3);
	assert_int_equal(tt_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	assert_int_equal(tt_pcap_write(w, 1000, frame, sizeof(frame)), 0);
	assert_int_equal(tt_pcap_writer_close(w), 0);

	p = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->len, sizeof(frame));
	assert_int_equal(h->ts.tv_sec, 0);
	assert_int_equal(h->ts.tv_usec, 6);   /* 1000 cycles = 6400 ns */
	pcap_close(p);
	unlink(path);
}

static void test_write_too_long(void **state)
{
	static uint8_t frame[TT_PCAP_SNAPLEN + 1];
	struct tt_pcap_writer *w;
	char path[64], err[ERR_LEN];

	(void)state;
	tmp_path(path, sizeof(path));
	assert_int_equal(tt_pcap_writer_open(&w, path, err, sizeof(err)), 0);
	assert_int_equal(tt_pcap_write(w, 0, frame, sizeof(frame)), TT_EINVAL);
	assert_int_equal(tt_pcap_writer_count(w), 0);
	assert_int_equal(tt_pcap_writer_close(w), 0);
	unlink(path);
}

static void test_open_missing(void **state)
{
	struct tt_pcap_reader *rd;
	struct tt_pcap_writer *w;
	char err[ERR_LEN];

	(void)state;
	assert_true(tt_pcap_reader_open(&rd, "/nonexistent/in.pcap", err,
					sizeof(err)) < 0);
	assert_null(rd);
	assert_non_null(strstr(err, "/nonexistent/in.pcap"));
	assert_true(tt_pcap_writer_open(&w, "/nonexistent/out.pcap", err,
					sizeof(err)) < 0);
	assert_null(w);
	assert_non_null(strstr(err, "/nonexistent/out.pcap"));
}

static void test_open_not_ethernet(void **state)
{
	char path[64], err[ERR_LEN];
	struct tt_pcap_reader *rd;
	pcap_dumper_t *d;
	pcap_t *p;

	(void)state;
	tmp_path(path, sizeof(path));
	p = pcap_open_dead(DLT_RAW, 65535);
	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	pcap_dump_close(d);
	pcap_close(p);

	assert_true(tt_pcap_reader_open(&rd, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "expected Ethernet"));
	unlink(path);
}

static void test_open_garbage(void **state)
{
	char path[64], err[ERR_LEN];
	struct tt_pcap_reader *rd;
	FILE *f;

	(void)state;
	tmp_path(path, sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("this is not a capture file at all", f);
	fclose(f);
	assert_true(tt_pcap_reader_open(&rd, path, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles_to_ns),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_file_is_plain_pcap),
		cmocka_unit_test(test_write_too_long),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_open_not_ethernet),
		cmocka_unit_test(test_open_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
