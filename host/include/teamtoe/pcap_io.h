/* SPDX-License-Identifier: MIT */
/*
 * Ethernet pcap files in and out (libpcap). Frames carry no FCS.
 *
 * Written files use nanosecond timestamps (pcap magic 0xa1b23c4d, read by
 * tcpdump, tshark and Wireshark): a card cycle is 6.4 ns at 156.25 MHz, so
 * microseconds would give back-to-back frames the same time.
 */
#ifndef TEAMTOE_PCAP_IO_H
#define TEAMTOE_PCAP_IO_H

#include <stddef.h>
#include <stdint.h>

#define TT_PCAP_SNAPLEN 65535

struct tt_pcap_writer;
struct tt_pcap_reader;

/* Card cycles to nanoseconds since the start of the simulation (6.4 ns
 * per cycle at 156.25 MHz). */
static inline uint64_t tt_cycles_to_ns(uint64_t cycles)
{
	return cycles / 5u * 32u + cycles % 5u * 32u / 5u;
}

/* Create (truncate) an Ethernet pcap file. Returns 0, or a negative
 * tt_status with a message in err. */
int tt_pcap_writer_open(struct tt_pcap_writer **w, const char *path,
			char *err, size_t errlen);
/* Append one frame stamped with card cycle `cycles`. Returns 0 or TT_EINVAL
 * (frame longer than TT_PCAP_SNAPLEN). */
int tt_pcap_write(struct tt_pcap_writer *w, uint64_t cycles,
		  const uint8_t *frame, size_t len);
/* Frames written so far. */
uint64_t tt_pcap_writer_count(const struct tt_pcap_writer *w);
/* Flush and close; returns 0 or TT_EINVAL if the data could not be
 * written. NULL is allowed. */
int tt_pcap_writer_close(struct tt_pcap_writer *w);

/* Open an existing pcap file; it must have link type Ethernet. */
int tt_pcap_reader_open(struct tt_pcap_reader **r, const char *path,
			char *err, size_t errlen);
/* Next frame: returns 1 and points *frame at it (valid until the next
 * call), 0 at the end of the file, or TT_EINVAL with a message (read
 * error, frame cut short by the capture's snap length). ts_ns may be
 * NULL. */
int tt_pcap_read(struct tt_pcap_reader *r, const uint8_t **frame,
		 size_t *len, uint64_t *ts_ns, char *err, size_t errlen);
void tt_pcap_reader_close(struct tt_pcap_reader *r);

#endif
