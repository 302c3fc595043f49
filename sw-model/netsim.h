/* SPDX-License-Identifier: MIT */
/*
 * Cards on switch ports: the driver loop that moves frames between each
 * attached card's network side and its switch port and keeps the cards'
 * clocks and the switch's clock together, with an optional pcap per port.
 *
 * Ports without a card are left to the caller (simulated clients, a TAP
 * uplink): it hands their frames to switch_port_rx() and takes theirs
 * with switch_port_tx() between calls of netsim_step().
 *
 * The netsim owns neither the switch nor the cards; free it first.
 */
#ifndef TT_MODEL_NETSIM_H
#define TT_MODEL_NETSIM_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/card.h"
#include "switch.h"

struct netsim;

struct netsim_port_stats {
	uint64_t to_card;     /* frames handed to the card (it counts its drops) */
	uint64_t from_card;   /* frames the card sent into the switch */
	uint64_t card_full;   /* times the card's input was full (retried) */
};

/* Returns NULL (and TT_ENOMEM or TT_EINVAL in *err) on failure. */
struct netsim *netsim_new(struct eth_switch *sw, int *err);
/* Closes the pcap files; leaves switch and cards alone. NULL is fine. */
void netsim_free(struct netsim *ns);

/* Plug card into port: both ends' links go up. TT_EINVAL for a bad port,
 * a NULL card, or a port that already has one. */
int netsim_attach_card(struct netsim *ns, unsigned int port,
		       struct tt_card *card);
struct tt_card *netsim_card(const struct netsim *ns, unsigned int port);

/* Write every frame on the port's cable, both directions, to a pcap file
 * (stamped with the switch's cycle when it leaves its sender for frames
 * from the card, when the card takes it for frames to it). Returns 0 or a
 * negative tt_status with a message in err. */
int netsim_pcap(struct netsim *ns, unsigned int port, const char *path,
		char *err, size_t errlen);

/* Pull or plug the cable: the switch's port and the card see it alike. */
int netsim_set_link(struct netsim *ns, unsigned int port, int up);

/* Cycles per round of moving frames (default 1: every cycle). Larger
 * rounds run faster and delay each frame by up to a round. */
int netsim_set_quantum(struct netsim *ns, uint64_t cycles);

/* Advance everything by `cycles`: in each round, move frames both ways on
 * every card port, then step the cards and the switch by the round. */
void netsim_step(struct netsim *ns, uint64_t cycles);

int netsim_port_stats(const struct netsim *ns, unsigned int port,
		      struct netsim_port_stats *st);

#endif
