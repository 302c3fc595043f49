/* SPDX-License-Identifier: MIT */
/*
 * Link faults (seed ¶33). A card reports its link with a TT_EVT_LINK
 * event; tt_host_poll() calls tt_faults_link() for it.
 *
 * Link down on card N, for every record whose NID is N:
 *  - not offloaded: removed (the next packet, wherever the switch now
 *    sends it, creates a fresh one in block 404);
 *  - offloaded: moved at once, while card N can still be read over PCIe,
 *    to a surviving card chosen by the team policy (export from N, import
 *    there; an unreadable N: rebuilt from the shadow). If the switch
 *    picked another survivor, the first packet there reloads it again
 *    (block 414).
 *
 * Why move ahead of time instead of parking the exported context on the
 * host until a packet arrives: a parked connection has no engine. Nobody
 * retransmits, answers the peer or sends what the application queued,
 * and a peer that is only waiting for our data sends nothing that could
 * trigger block 414: the connection would stall until the peer's own
 * timers fire. Imported into a live card it keeps running, its segments
 * leave through the survivor's link (every member sends as the team),
 * and the peer's answers arrive somewhere and fix the placement. The
 * price is a second move when the switch picks another survivor than
 * the policy did (never in a team of two), counted like any reload.
 *
 * Reading of the seed's "reloaded, if the fault allows, and then ...
 * delete the record": what is deleted is the record's tie to the faulted
 * NID. The record itself must stay: it is what tells block 410 that the
 * connection is offloaded; deleting it would make the next packet create
 * a non-offloaded record (404) while a card still runs the connection.
 * If the fault does not allow a move (no surviving card with its link
 * up), the connection stays where it is: the card still holds it, and
 * the first packet on another card, or the link coming back, resolves it.
 * If the chosen survivor refuses the import (bucket full), the context
 * goes to the software stack (ops.upload) and the record, now not
 * offloaded, points at that survivor.
 *
 * Link up: nothing but the flag; flows the switch moves back reload on
 * their first packet.
 */
#ifndef TEAMTOE_FAULTS_H
#define TEAMTOE_FAULTS_H

#include "teamtoe/host.h"

/* A link change on card nid. Returns the number of records touched, or
 * TT_EINVAL. */
int tt_faults_link(struct tt_host *h, unsigned int nid, int up);

/* The card is dead: mark it unreadable, then handle it as a link down
 * (offloaded connections are rebuilt from their shadows). */
int tt_faults_card_failed(struct tt_host *h, unsigned int nid);

#endif
