/* SPDX-License-Identifier: MIT */
/*
 * The send buffer: a ring of sndbuf bytes addressed by sequence number
 * (byte q at sbuf[q & mask]). It holds [data start, snd_end): what the
 * application queued and the peer has not acknowledged. The segments we
 * send, retransmissions included, and a card's DMA reads all copy out of
 * it, so that nothing but the ring holds send data.
 */
#include <string.h>

#include "stack_int.h"

static void ring_in(uint8_t *ring, uint32_t mask, uint32_t seq,
		    const uint8_t *data, uint32_t len);

uint32_t ts_snd_queued(const struct tt_stack *s, const struct ts_tcb *tcb)
{
	(void)s;
	return tcb->snd_end - ts_snd_data_start(tcb);
}

uint32_t ts_snd_space(const struct tt_stack *s, const struct ts_tcb *tcb)
{
	if (tcb->fin_queued)
		return 0;
	return s->p.sndbuf - ts_snd_queued(s, tcb);
}

static void ring_in(uint8_t *ring, uint32_t mask, uint32_t seq,
		    const uint8_t *data, uint32_t len)
{
	uint32_t off = seq & mask, first = mask + 1 - off;

	if (first > len)
		first = len;
	memcpy(ring + off, data, first);
	memcpy(ring, data + first, len - first);
}

uint32_t ts_snd_write(struct tt_stack *s, struct ts_tcb *tcb,
		      const uint8_t *data, uint32_t len)
{
	uint32_t n = ts_min32(len, ts_snd_space(s, tcb));

	ring_in(tcb->sbuf, s->sbuf_mask, tcb->snd_end, data, n);
	tcb->snd_end += n;
	return n;
}

void ts_snd_copy(const struct tt_stack *s, const struct ts_tcb *tcb,
		 uint32_t seq, uint32_t len, uint8_t *out)
{
	uint32_t off = seq & s->sbuf_mask, first = s->sbuf_mask + 1 - off;

	if (first > len)
		first = len;
	memcpy(out, tcb->sbuf + off, first);
	memcpy(out + first, tcb->sbuf, len - first);
}
