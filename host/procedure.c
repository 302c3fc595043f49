/* SPDX-License-Identifier: MIT */
/*
 * The seed's packet procedure, Fig. 4, blocks 402-414 (see procedure.h).
 */
#include <stddef.h>
#include <string.h>

#include "teamtoe/procedure.h"
#include "teamtoe/reload.h"

static uint16_t rd16(const uint8_t *p);
static uint32_t rd32(const uint8_t *p);
static void proc_deliver(struct tt_host *h, const struct tt_rec *rec,
			 const struct tt_proc_pkt *p);
static int proc_dos(struct tt_host *h, const struct tt_rec *rec,
		    const struct tt_proc_pkt *p);
static int proc_close(struct tt_host *h, const struct tt_proc_pkt *p);
static int proc_done(struct tt_host *h, int result);

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 *  Ethernet  0 dst MAC | 6 src MAC | 12 ethertype
 *  IPv4     14 ver/IHL | 16 total length | 20 flags/fragment offset |
 *           23 protocol | 26 src IP | 30 dst IP
 *  TCP      +0 src port | +2 dst port | +4 seq | +8 ack | +12 data offset |
 *           +13 flags
 */
int tt_proc_parse(const uint8_t *f, size_t len, struct tt_proc_pkt *p)
{
	size_t ihl, tot, tcp, doff;

	p->tcp = 0;
	if (len < 34 || rd16(f + 12) != 0x0800 || f[14] >> 4 != 4)
		return TT_EINVAL;
	ihl = (size_t)(f[14] & 15) * 4;
	tot = rd16(f + 16);
	if (ihl < 20 || f[23] != 6 || (rd16(f + 20) & 0x3fff) != 0)
		return TT_EINVAL;
	tcp = 14 + ihl;
	if (tot < ihl + 20 || 14 + tot > len)
		return TT_EINVAL;
	doff = (size_t)(f[tcp + 12] >> 4) * 4;
	if (doff < 20 || ihl + doff > tot)
		return TT_EINVAL;
	memcpy(p->src_mac, f + 6, 6);
	p->t.saddr = rd32(f + 26);
	p->t.daddr = rd32(f + 30);
	p->t.sport = rd16(f + tcp);
	p->t.dport = rd16(f + tcp + 2);
	p->seq = rd32(f + tcp + 4);
	p->ack = rd32(f + tcp + 8);
	p->flags = f[tcp + 13];
	p->payload_len = (uint16_t)(tot - ihl - doff);
	p->tcp = 1;
	return 0;
}

/* Hand the frame to whoever runs the connection now. */
static void proc_deliver(struct tt_host *h, const struct tt_rec *rec,
			 const struct tt_proc_pkt *p)
{
	if (rec && tt_rec_offloaded(rec)) {
		h->st.offl_frames++;
		if (h->p.ops.offl_rx)
			h->p.ops.offl_rx(h->p.ops.arg, p->nid, &p->t, p->frame,
					 p->len);
		return;
	}
	h->st.sw_frames++;
	if (h->p.ops.sw_rx)
		h->p.ops.sw_rx(h->p.ops.arg, p->nid, p->frame, p->len);
}

/* Seed ¶35: non-offloaded traffic and SYNs are counted per source (IP and
 * MAC); a blocked source's frames go no further. Offloaded connections'
 * segments are never counted, so established offloaded traffic is never
 * affected. */
static int proc_dos(struct tt_host *h, const struct tt_rec *rec,
		    const struct tt_proc_pkt *p)
{
	int syn = !!(p->flags & TT_TCPF_SYN);

	if (rec && tt_rec_offloaded(rec) && !syn)
		return TT_DOS_PASS;
	return tt_dos_packet(h->dos, p->t.saddr, p->src_mac, syn, h->now_ms);
}

/* Seed ¶34: FIN or RST, once processed, removes the record; an offloaded
 * connection is uploaded first (the software stack finishes the close). */
static int proc_close(struct tt_host *h, const struct tt_proc_pkt *p)
{
	struct tt_rec *rec;

	if (!(p->flags & (TT_TCPF_FIN | TT_TCPF_RST)))
		return 0;
	rec = tt_records_lookup(h->rec, &p->t);
	if (!rec)
		return 0;
	if (tt_rec_offloaded(rec))
		tt_upload(h, rec, TT_UPLOAD_CLOSE);
	tt_records_remove(h->rec, rec);
	h->st.closed++;
	return 1;
}

static int proc_done(struct tt_host *h, int result)
{
	h->st.proc[result]++;
	h->last_result = result;
	return result;
}

/* 402: look up the record of the packet's connection identifier. */
struct tt_rec *tt_proc_402_lookup(struct tt_host *h,
				  const struct tt_proc_pkt *p)
{
	return tt_records_lookup(h->rec, &p->t);
}

/* 404: no record: create one, offload flag clear, NID = receiving card.
 * "Optionally" (¶30): not for a RST or FIN, whose record the close rule
 * would remove at once, and not when the table is full (counted there). */
struct tt_rec *tt_proc_404_create(struct tt_host *h,
				  const struct tt_proc_pkt *p)
{
	unsigned int state = TT_AGE_SOFTWARE;
	struct tt_rec *rec = NULL;

	if (p->flags & (TT_TCPF_RST | TT_TCPF_FIN))
		return NULL;
	if (p->flags & TT_TCPF_SYN)
		state = TT_AGE_SYN_RECV;
	if (tt_records_insert(h->rec, &p->t, p->nid, state, h->now_ms,
			      &rec) < 0)
		return NULL;
	return rec;
}

/* 406: does the record name the card that received the packet? */
int tt_proc_406_same_nic(const struct tt_rec *rec, const struct tt_proc_pkt *p)
{
	return tt_rec_nid(rec) == p->nid;
}

/* 408: standard processing: no reconfiguration happened; the connection
 * goes on, offloaded or not, without the teaming layer's intervention. */
int tt_proc_408_standard(struct tt_host *h, const struct tt_rec *rec,
			 const struct tt_proc_pkt *p)
{
	proc_deliver(h, rec, p);
	return 0;
}

/* 410: is the connection offloaded? */
int tt_proc_410_offloaded(const struct tt_rec *rec)
{
	return tt_rec_offloaded(rec);
}

/* 412: not offloaded, arriving elsewhere: the record follows the switch
 * and the host stack processes the packet. */
int tt_proc_412_software(struct tt_host *h, struct tt_rec *rec,
			 const struct tt_proc_pkt *p)
{
	int r = tt_records_set_nid(h->rec, rec, p->nid);

	proc_deliver(h, rec, p);
	return r;
}

/* 414: offloaded, arriving elsewhere: NID updated and the connection
 * reloaded from the former card onto the receiving one; then the packet
 * is processed by whoever now runs the connection. */
int tt_proc_414_reload(struct tt_host *h, struct tt_rec *rec,
		       const struct tt_proc_pkt *p)
{
	int r = tt_reload(h, rec, p->nid);

	proc_deliver(h, rec, p);
	return r;
}

int tt_proc_frame(struct tt_host *h, unsigned int nid,
		  const struct tt_dma_write *d, const uint8_t *frame,
		  int *closed)
{
	struct tt_proc_pkt p;
	struct tt_rec *rec;
	int result;

	if (closed)
		*closed = 0;
	if (!h || !d || !frame || nid >= h->n_cards)
		return TT_EINVAL;
	h->st.frames++;
	memset(&p, 0, sizeof(p));
	p.nid = nid;
	p.reason = d->reason;
	p.slot = d->slot;
	p.frame = frame;
	p.len = d->len;
	switch (d->reason) {
	case TT_EXC_NO_MATCH:
	case TT_EXC_TCP_FLAGS:
	case TT_EXC_UNHANDLED:
	case TT_EXC_IP_OPTIONS:
		if (tt_proc_parse(frame, d->len, &p) == 0)
			break;
		/* fall through */
	default:
		proc_deliver(h, NULL, &p);
		return proc_done(h, TT_PROC_NOT_TCP);
	}

	rec = tt_proc_402_lookup(h, &p);
	if (p.slot != TT_SLOT_NONE &&
	    !(rec && tt_rec_offloaded(rec) && tt_rec_nid(rec) == nid &&
	      rec->card_slot == p.slot)) {
		/* Matched by this card before the connection left it: late,
		 * never a reason to reload it back (procedure.h). */
		if (rec)
			tt_records_touch(h->rec, rec, h->now_ms);
		proc_deliver(h, rec, &p);
		result = TT_PROC_LATE;
		goto close;
	}
	if (proc_dos(h, rec, &p) == TT_DOS_DROP)
		return proc_done(h, TT_PROC_DOS_DROP);

	if (!rec) {
		rec = tt_proc_404_create(h, &p);
		tt_proc_408_standard(h, rec, &p);
		result = rec ? TT_PROC_CREATED : TT_PROC_NO_RECORD;
		goto close;
	}
	tt_records_touch(h->rec, rec, h->now_ms);
	if (tt_rec_state(rec) == TT_AGE_SYN_RECV && !(p.flags & TT_TCPF_SYN))
		tt_records_set_state(h->rec, rec, TT_AGE_SOFTWARE, h->now_ms);
	if (tt_proc_406_same_nic(rec, &p)) {
		tt_proc_408_standard(h, rec, &p);
		result = TT_PROC_SAME_NIC;
	} else if (!tt_proc_410_offloaded(rec)) {
		tt_proc_412_software(h, rec, &p);
		result = TT_PROC_SOFTWARE;
	} else {
		result = tt_proc_414_reload(h, rec, &p) == TT_OFFLOAD_OK ?
			 TT_PROC_RELOADED : TT_PROC_RELOAD_SOFTWARE;
	}

close:
	if (proc_close(h, &p) && closed)
		*closed = 1;
	return proc_done(h, result);
}
