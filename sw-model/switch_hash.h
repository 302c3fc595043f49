/* SPDX-License-Identifier: MIT */
/*
 * The aggregate's flow hash and member choice (see switch.h). Internal to
 * the switch model: the key never leaves struct eth_switch.
 */
#ifndef TT_MODEL_SWITCH_HASH_H
#define TT_MODEL_SWITCH_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "teamtoe/siphash.h"

/* Keyed hash of a frame's flow, the same for both directions:
 *  - IPv4 TCP/UDP, not a fragment: addresses, ports and protocol;
 *  - other IPv4 (and fragments, whose ports only the first one carries):
 *    addresses and protocol;
 *  - anything else (ARP, IPv6, VLAN-tagged, truncated IPv4): MACs and
 *    ethertype.
 * len must be at least an Ethernet header (14). */
uint64_t switch_flow_hash(const struct tt_sipkey *key, const uint8_t *frame,
			  size_t len);

/* The member for a flow among n active ports (in port order, n > 0):
 * mode is enum switch_lag_mode; salt is a per-switch secret mixed with
 * each port number for the resilient mode. Returns a port from active[]. */
unsigned int switch_lag_pick(int mode, uint64_t flow_hash, uint64_t salt,
			     const unsigned int *active, unsigned int n);

#endif
