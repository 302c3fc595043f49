/* SPDX-License-Identifier: MIT */
/* Receive parser and verdict, the twin of rtl/eth_rx_parse.v. */
#ifndef TT_MODEL_PARSE_H
#define TT_MODEL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* What the card knows when a frame arrives. */
struct parse_cfg {
	uint8_t mac[6];
	uint32_t ip;
	int link_up;
	int enabled;
};

/* Header fields the parser extracts (valid only as far as the verdict
 * got). */
struct parse_hdr {
	uint16_t ethertype;
	uint8_t ihl;
	uint16_t ip_len;
	uint8_t proto;
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t doff, flags;
	uint16_t window;
	uint16_t payload_off, payload_len; /* within the frame */
};

enum parse_kind { PARSE_DROP, PARSE_EXCEPTION };

struct parse_verdict {
	enum parse_kind kind;
	uint8_t reason; /* enum tt_drop or enum tt_exc */
};

/* The verdict table of rtl/README.md, first match wins. */
struct parse_verdict parse_frame(const struct parse_cfg *cfg,
				 const uint8_t *f, size_t len,
				 struct parse_hdr *hdr);

#endif
