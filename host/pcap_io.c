/* SPDX-License-Identifier: MIT */
/* Ethernet pcap files in and out, with libpcap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "teamtoe/err.h"
#include "teamtoe/card.h"
#include "teamtoe/pcap_io.h"

struct tt_pcap_writer {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	uint64_t count;
};

struct tt_pcap_reader {
	pcap_t *pcap;
	char *path;
	uint64_t count;
};

int tt_pcap_writer_open(struct tt_pcap_writer **wp, const char *path,
			char *err, size_t errlen)
{
	struct tt_pcap_writer *w;
	int r;

	*wp = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return tt_errf(err, errlen, TT_ENOMEM, "%s: out of memory", path);
	w->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
						       TT_PCAP_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->pcap) {
		r = tt_errf(err, errlen, TT_ENOMEM, "%s: pcap_open_dead failed",
			     path);
		goto err_free;
	}
	w->dump = pcap_dump_open(w->pcap, path);
	if (!w->dump) {
		r = tt_errf(err, errlen, TT_EINVAL, "%s: %s", path,
			     pcap_geterr(w->pcap));
		goto err_close;
	}
	*wp = w;
	return 0;

err_close:
	pcap_close(w->pcap);
err_free:
	free(w);
	return r;
}

int tt_pcap_write(struct tt_pcap_writer *w, uint64_t cycles,
		  const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h;
	uint64_t ns = tt_cycles_to_ns(cycles);

	if (!frame || len > TT_PCAP_SNAPLEN)
		return TT_EINVAL;
	memset(&h, 0, sizeof(h));
	/* With nanosecond precision, libpcap stores tv_usec as nanoseconds. */
	h.ts.tv_sec = (time_t)(ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ns % 1000000000u);
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dump, &h, frame);
	w->count++;
	return 0;
}

uint64_t tt_pcap_writer_count(const struct tt_pcap_writer *w)
{
	return w->count;
}

int tt_pcap_writer_close(struct tt_pcap_writer *w)
{
	int r = 0;

	if (!w)
		return 0;
	if (pcap_dump_flush(w->dump) != 0)
		r = TT_EINVAL;
	pcap_dump_close(w->dump);
	pcap_close(w->pcap);
	free(w);
	return r;
}

int tt_pcap_reader_open(struct tt_pcap_reader **rp, const char *path,
			char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct tt_pcap_reader *rd;
	int r, link;

	*rp = NULL;
	rd = calloc(1, sizeof(*rd));
	if (!rd)
		return tt_errf(err, errlen, TT_ENOMEM, "%s: out of memory", path);
	rd->path = strdup(path);
	if (!rd->path) {
		r = tt_errf(err, errlen, TT_ENOMEM, "%s: out of memory", path);
		goto err_free;
	}
	rd->pcap = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!rd->pcap) {
		/* libpcap's message already names the file when it could
		 * not open it; otherwise it says what is wrong inside. */
		if (strstr(ebuf, path))
			r = tt_errf(err, errlen, TT_EINVAL, "%s", ebuf);
		else
			r = tt_errf(err, errlen, TT_EINVAL, "%s: %s", path, ebuf);
		goto err_path;
	}
	link = pcap_datalink(rd->pcap);
	if (link != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(link);

		r = tt_errf(err, errlen, TT_EINVAL,
			     "%s: link type %s (%d), expected Ethernet",
			     path, name ? name : "?", link);
		goto err_close;
	}
	*rp = rd;
	return 0;

err_close:
	pcap_close(rd->pcap);
err_path:
	free(rd->path);
err_free:
	free(rd);
	return r;
}

int tt_pcap_read(struct tt_pcap_reader *rd, const uint8_t **frame,
		 size_t *len, uint64_t *ts_ns, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;

	r = pcap_next_ex(rd->pcap, &h, &data);
	if (r == PCAP_ERROR_BREAK)
		return 0;
	if (r != 1)
		return tt_errf(err, errlen, TT_EINVAL, "%s: frame %llu: %s",
				rd->path, (unsigned long long)rd->count + 1,
				pcap_geterr(rd->pcap));
	rd->count++;
	if (h->caplen < h->len)
		return tt_errf(err, errlen, TT_EINVAL,
				"%s: frame %llu: captured %u of %u bytes (snap length too short)",
				rd->path, (unsigned long long)rd->count,
				h->caplen, h->len);
	*frame = data;
	*len = h->caplen;
	if (ts_ns)
		*ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u +
			 (uint64_t)h->ts.tv_usec;
	return 1;
}

void tt_pcap_reader_close(struct tt_pcap_reader *rd)
{
	if (!rd)
		return;
	pcap_close(rd->pcap);
	free(rd->path);
	free(rd);
}
