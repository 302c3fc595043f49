/* SPDX-License-Identifier: MIT */
/*
 * The seed's packet procedure (Fig. 4), run for every exception frame a
 * card DMA-writes to the host. One function per block:
 *
 *   402 lookup    the record of the packet's 4-tuple
 *   404 create    none: a record, offload flag clear, NID = receiving card
 *   406 same NIC  the record's NID equals the receiving card?
 *   408 standard  yes: standard processing (software sink, or the
 *                 offloaded connection's sink)
 *   410 offloaded no: is the connection offloaded?
 *   412 software  no: NID updated, software processing
 *   414 reload    yes: NID updated, connection reloaded onto the
 *                 receiving card (reload.h), then processed
 *
 * Around the blocks: the DoS hook (frames of unknown or non-offloaded
 * connections and SYNs go through tt_dos_packet; a dropped frame goes no
 * further) and the close rule (FIN or RST: once processed, an offloaded
 * connection is uploaded and the record removed).
 *
 * One guard the figure does not need but a pipelined card does: a frame
 * that carries a slot was matched by its card's table when it arrived,
 * i.e. before any export from that card. If the record has meanwhile
 * moved elsewhere (a reload triggered by another card's frame drained
 * first), the frame is a late one of the old placement and must not
 * reload the connection back: TT_PROC_LATE, handed to the offloaded
 * connection's sink.
 */
#ifndef TEAMTOE_PROCEDURE_H
#define TEAMTOE_PROCEDURE_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"
#include "teamtoe/host.h"
#include "teamtoe/records.h"

#define TT_TCPF_FIN 0x01
#define TT_TCPF_SYN 0x02
#define TT_TCPF_RST 0x04
#define TT_TCPF_ACK 0x10
#define TT_TCPF_URG 0x20

/* A received frame, parsed as far as the procedure needs it. */
struct tt_proc_pkt {
	unsigned int nid;        /* receiving card */
	uint8_t reason;          /* enum tt_exc */
	uint16_t slot;           /* slot the card matched, or TT_SLOT_NONE */
	const uint8_t *frame;
	size_t len;
	int tcp;                 /* 1: the fields below are valid */
	struct tt_tuple t;       /* s* = the peer, d* = the team */
	uint8_t src_mac[6];
	uint8_t flags;           /* TCP flags byte */
	uint32_t seq, ack;
	uint16_t payload_len;
};

/* Parse an Ethernet/IPv4/TCP frame (IP options allowed, fragments not).
 * Returns 0 with p->tcp = 1, or TT_EINVAL (p->tcp = 0) for anything
 * without a 4-tuple. The card has checked the checksums. */
int tt_proc_parse(const uint8_t *frame, size_t len, struct tt_proc_pkt *p);

/* The whole procedure for one exception frame from card `nid`. Returns
 * an enum tt_proc_result (also in h->last_result and h->st.proc[]), or a
 * negative tt_status for a bad argument. *closed (if not NULL) is set
 * when FIN/RST removed the record. */
int tt_proc_frame(struct tt_host *h, unsigned int nid,
		  const struct tt_dma_write *d, const uint8_t *frame,
		  int *closed);

/* The blocks, for the dispatcher above and for tests. */
struct tt_rec *tt_proc_402_lookup(struct tt_host *h,
				  const struct tt_proc_pkt *p);
struct tt_rec *tt_proc_404_create(struct tt_host *h,
				  const struct tt_proc_pkt *p);
int tt_proc_406_same_nic(const struct tt_rec *rec,
			 const struct tt_proc_pkt *p);
int tt_proc_408_standard(struct tt_host *h, const struct tt_rec *rec,
			 const struct tt_proc_pkt *p);
int tt_proc_410_offloaded(const struct tt_rec *rec);
int tt_proc_412_software(struct tt_host *h, struct tt_rec *rec,
			 const struct tt_proc_pkt *p);
int tt_proc_414_reload(struct tt_host *h, struct tt_rec *rec,
		       const struct tt_proc_pkt *p);

#endif
